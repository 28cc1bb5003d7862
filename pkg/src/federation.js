// federationToken: scoped temporary keys for a page (reference sts.md). The server calls STS
// GetFederationToken — a signed API 3.0 call built by the core's own buildRequest (service "sts",
// version 2018-08-13), sent through the transport (no redirect followed) and decoded by the core —
// with a CAM policy allowing `allowActions` only (on `resources`: `region` does not scope it), and keeps the answer until
// `refreshMarginMs` before its ExpiredTime. The provider it returns answers what CvmClient's
// `credentials` provider expects: { secretId, secretKey, token, expiration }.
// It imports only the catalogue's codes (codes.js); the rest comes as arguments (see api.js).
import { CODES } from './codes.js';

export function createFederation(api, runtime) {
  const { ValidationError } = api;
  const STS_VERSION = '2018-08-13';
  const STS_ENDPOINT = 'https://sts.tencentcloudapi.com';
  const DEFAULT_DURATION_SECONDS = 1800;
  const DEFAULT_REFRESH_MARGIN_MS = 300_000;
  const DEFAULT_TIMEOUT_MS = 10_000;
  const KNOWN = ['credentials', 'allowActions', 'resources', 'region', 'durationSeconds', 'name', 'endpoint', 'host', 'refreshMarginMs', 'timeoutMs', 'fetch'];
  const CHECK_KEY = Object.freeze({ secretId: 'AKIDcheckOnly', secretKey: 'checkOnly' });

  function invalid(field, message, code = 'InvalidParameterValue') {
    return new ValidationError({ field, code, message });
  }

  /** The CAM policy (version 2.0) that allows exactly `actions` of `service` on `resources`. */
  function policyFor(service, actions, resources) {
    return {
      version: '2.0',
      statement: [{ effect: 'allow', action: actions.map((a) => `${service}:${a}`), resource: resources }],
    };
  }

  function federationToken(options) {
    if (options === null || typeof options !== 'object') throw new TypeError('federationToken(options): options must be an object');
    for (const key of Object.keys(options)) {
      if (!KNOWN.includes(key)) {
        const near = api.internal.suggestName(key, KNOWN);
        throw invalid(key, `unknown option ${JSON.stringify(key.slice(0, 64))}${near ? `; did you mean ${near}?` : ''}`, 'UnknownParameter');
      }
    }
    const {
      credentials, allowActions, resources = ['*'], region, durationSeconds = DEFAULT_DURATION_SECONDS, name = 'cvm-console',
      endpoint = STS_ENDPOINT, host, refreshMarginMs = DEFAULT_REFRESH_MARGIN_MS, timeoutMs = DEFAULT_TIMEOUT_MS, fetch,
    } = options;
    if (credentials === null || typeof credentials !== 'object' || typeof credentials.secretId !== 'string' || typeof credentials.secretKey !== 'string') {
      throw invalid('credentials', 'credentials must be a permanent key pair { secretId, secretKey } (STS takes no temporary key)', 'MissingParameter');
    }
    if (credentials.token !== undefined) throw invalid('credentials.token', 'GetFederationToken must be called with a permanent key: credentials.token must be absent');
    if (!Array.isArray(allowActions) || allowActions.length === 0 || !allowActions.every((a) => typeof a === 'string')) {
      throw invalid('allowActions', 'allowActions must be a non-empty array of action names (the temporary key may call these and nothing else)', 'MissingParameter');
    }
    if (!Array.isArray(resources) || resources.length === 0 || !resources.every((r) => typeof r === 'string' && r !== '')) {
      throw invalid('resources', 'resources must be a non-empty array of CAM resource strings ("*" or qcs::cvm:<region>:uin/<uin>:image/*)');
    }
    if (typeof name !== 'string' || !/^[A-Za-z0-9_+=,.@-]{1,32}$/.test(name)) throw invalid('name', 'name must be 1-32 letters, digits or _+=,.@- (the federated caller\'s name)');
    if (!Number.isInteger(durationSeconds) || durationSeconds < 10 || durationSeconds > 129600) {
      throw invalid('durationSeconds', 'durationSeconds must be whole seconds from 10 to 129600 (7200 at most with a root account\'s key)');
    }
    if (!Number.isInteger(refreshMarginMs) || refreshMarginMs < 0 || refreshMarginMs >= durationSeconds * 1000) {
      throw invalid('refreshMarginMs', 'refreshMarginMs must be whole milliseconds, at least 0 and less than durationSeconds');
    }
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw invalid('timeoutMs', 'timeoutMs must be a positive whole number of milliseconds');
    if (fetch !== undefined && typeof fetch !== 'function') throw invalid('fetch', 'fetch must be a function');
    const baseOptions = { region, endpoint, service: 'sts', version: STS_VERSION, ...(host !== undefined ? { host } : {}) };
    // The core checks the action names (of the policy, as CVM actions) and the connection options
    // now: a mistake throws here, not at the first page load.
    for (const action of allowActions) api.buildRequest(action, {}, { ...CHECK_KEY, region, timestamp: 1 });
    const policy = JSON.stringify(policyFor('cvm', allowActions, resources));
    const params = { Name: name, Policy: encodeURIComponent(policy), DurationSeconds: durationSeconds };
    const secret = { secretId: credentials.secretId, secretKey: credentials.secretKey };
    // The STS call itself, signed with the real key (nothing is sent): a malformed key throws
    // here, at start-up, not as a page's 400 at its first request.
    api.buildRequest('GetFederationToken', params, { ...secret, ...baseOptions, timestamp: 1 });

    let cached;
    let pending;

    async function issue() {
      const request = api.buildRequest('GetFederationToken', params, { ...secret, ...baseOptions, timestamp: Math.floor(runtime.now() / 1000) });
      const sent = await runtime.transport.send(request.url, { method: request.method, headers: request.headers, body: request.body }, { fetch, timeoutMs, read: 'text' });
      if (!sent.ok) {
        const inner = runtime.transport.innerCause(sent.cause);
        throw api.internal.clientError(CODES.network, `GetFederationToken: the request to ${origin(request.url)} failed${inner ? ` (${inner})` : ''}`);
      }
      const { response, body: text } = sent;
      const { status } = response;
      const redirect = runtime.transport.redirectOrigin(response, request.url);
      const serverDate = runtime.transport.header(response, 'date');
      const answer = api.internal.decodeResponse(status, text, redirect);
      const { Credentials: c, ExpiredTime: expiredTime } = answer ?? {};
      if (!c || typeof c.TmpSecretId !== 'string' || typeof c.TmpSecretKey !== 'string' || typeof c.Token !== 'string' || !Number.isFinite(expiredTime)) {
        throw api.internal.clientError(CODES.invalidResponse, 'GetFederationToken answered without Credentials {TmpSecretId, TmpSecretKey, Token} and ExpiredTime', status);
      }
      // ExpiredTime is by STS's clock: moved onto the local one by the answer's Date, so a local
      // clock that lags STS does not keep serving a key STS already calls expired.
      const serverSec = serverDate ? api.parseHttpDate(serverDate) : undefined;
      const offsetMs = serverSec !== undefined ? serverSec * 1000 - runtime.now() : 0;
      return { secretId: c.TmpSecretId, secretKey: c.TmpSecretKey, token: c.Token, expiration: expiredTime * 1000 - offsetMs };
    }

    /** The temporary key: the one kept while more than refreshMarginMs from its expiry, else a new one. */
    function provider() {
      if (cached && runtime.now() < cached.expiration - refreshMarginMs) return Promise.resolve({ ...cached });
      pending ??= issue().then((key) => {
        cached = key;
        return { ...key };
      }).finally(() => {
        pending = undefined;
      });
      return pending;
    }
    provider.policy = JSON.parse(policy);
    return provider;
  }

  const origin = (url) => runtime.transport.where(url, 'the STS endpoint');

  return { federationToken };
}
