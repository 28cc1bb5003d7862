// consoleHandler: a web console's server side, in the web platform's shape — `(request: Request)
// => Promise<Response>` — so that Node (through toNodeListener), workerd, Deno, Bun and Vite's dev
// server run the same code. Two modes:
//   sign     the page sends an unsigned call (JSON {action, params, region?}); the server checks
//            where it comes from, `allowActions` and the console's own `authorize` hook, then
//            signs it with credentials the page never sees and sends it with a CvmClient
//            (validation, pacing, retries, skew correction), answering the decoded result.
//   forward  the page signs (with a temporary key) and the handler forwards the request, headers
//            from an allow-list only, to the one pinned upstream host.
// Both refuse other Hosts (DNS rebinding), other sites (Origin / Sec-Fetch-Site), other paths and
// oversized bodies before anything reaches upstream. Long, but one job: the console's server side
// (its refusals are read in one place so that both modes share them). It imports only the catalogue's codes and
// the byte concatenation; it gets the package's API and runtime (the transport that never follows
// a redirect and times each exchange) as arguments.
import { CODES } from './codes.js';
import { concat } from './transport.js';

export function createConsoleHandler(api, runtime) {
  const { ValidationError, TencentCloudError } = api;
  const { consoleStatus } = api.internal;

  const DEFAULT_ALLOW_ACTIONS = Object.freeze(['DescribeImages', 'DescribeImageSharePermission', 'DeleteImages']);
  const DEFAULT_PATH = '/cvm';
  const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  const DEFAULT_FORWARD_TIMEOUT_MS = 30_000;
  const MAX_QUERY_BYTES = 32 * 1024;
  // Clients kept for calls naming another region than the default (each has its own limiter).
  const MAX_REGION_CLIENTS = 32;
  const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
  // The authority toNodeListener puts in the URLs it makes (the Host header is the one judged).
  const PLACEHOLDER_HOST = 'console.invalid';
  // `name` or `name:port`; an IPv6 literal in brackets.
  const HOST_ENTRY = /^(?:[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;
  // What the page's signed request may carry upstream in forward mode: API 3.0's own headers
  // (reference §3). Cookies, the browser's own headers and anything else stay here.
  const FORWARD_REQUEST_HEADERS = ['authorization', 'content-type', 'x-tc-action', 'x-tc-version', 'x-tc-timestamp',
    'x-tc-region', 'x-tc-token', 'x-tc-language', 'x-tc-requestclient'];
  // What goes back to the page: the body's type and the server's Date (the client's skew correction).
  const FORWARD_RESPONSE_HEADERS = ['content-type', 'date'];
  const SIGN_OPTIONS = ['mode', 'path', 'allowActions', 'authorize', 'allowedHosts', 'maxBodyBytes', 'temporaryCredentials'];
  const FORWARD_OPTIONS = ['mode', 'path', 'allowActions', 'authorize', 'allowedHosts', 'maxBodyBytes', 'upstream', 'timeoutMs', 'temporaryCredentials'];
  const CALL_KEYS = ['action', 'params', 'region'];

  function optionError(field, message) {
    return new ValidationError({ field, code: 'InvalidParameterValue', message });
  }

  function securityHeaders(type) {
    return {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    };
  }

  function json(status, value, extra = {}) {
    return new Response(JSON.stringify(value), { status, headers: { ...securityHeaders('application/json; charset=utf-8'), ...extra } });
  }

  /**
   * The handler's own refusal or failure: no RequestId, since no upstream answered. In sign mode
   * `{Error}` (what ConsoleClient reads); in forward mode an API 3.0 envelope, so that the page's
   * CvmClient shows its code and message as it would the API's.
   */
  function refuse(status, code, message, extra) {
    return json(status, { Error: { Code: code, Message: message } }, extra);
  }

  function refuseEnvelope(status, code, message, extra) {
    return json(status, { Response: { Error: { Code: code, Message: message }, RequestId: '' } }, extra);
  }

  /** A failure of the way upstream in forward mode: one line of text, which the page's client quotes. */
  function upstreamFailure(status, message) {
    return new Response(`${status}: ${message}\n`, { status, headers: securityHeaders('text/plain; charset=utf-8') });
  }

  function checkAllowActions(value) {
    if (value === undefined) return DEFAULT_ALLOW_ACTIONS;
    if (!Array.isArray(value) || value.length === 0) {
      throw optionError('allowActions', 'allowActions must be a non-empty array of action names, e.g. ["DescribeImages", "DeleteImages"]');
    }
    value.forEach((name, i) => {
      // The core judges an action name's form (a check-only build signs nothing that is sent).
      if (typeof name !== 'string') throw optionError(`allowActions.${i}`, `allowActions.${i} must be an action name (a string)`);
      api.buildRequest(name, {}, { secretId: 'AKIDcheckOnly', secretKey: 'checkOnly', region: 'ap-guangzhou', timestamp: 1 });
    });
    return Object.freeze([...value]);
  }

  function checkAllowedHosts(value = []) {
    if (!Array.isArray(value)) throw optionError('allowedHosts', 'allowedHosts must be an array of host names (name or name:port)');
    return value.map((entry, i) => {
      const host = typeof entry === 'string' ? entry.trim().toLowerCase() : '';
      if (!HOST_ENTRY.test(host)) {
        throw optionError(`allowedHosts.${i}`, `allowedHosts.${i} must be a host name or address with an optional :port (e.g. console.example.com or [fd00::5]:8443)`);
      }
      return host;
    });
  }

  function checkPath(value = DEFAULT_PATH) {
    if (typeof value !== 'string' || !/^\/[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/.test(value) || /(^|\/)\.\.?(\/|$)/.test(value)) {
      throw optionError('path', 'path must be an absolute URL path such as "/cvm" (letters, digits, ._~- in /-separated segments, no trailing slash)');
    }
    return value;
  }

  function checkMaxBody(value = DEFAULT_MAX_BODY_BYTES) {
    if (!Number.isInteger(value) || value < 1 || value > 10 * 1024 * 1024) {
      throw optionError('maxBodyBytes', 'maxBodyBytes must be a whole number of bytes from 1 to 10485760 (the API\'s own limit)');
    }
    return value;
  }

  function checkUnknown(options, known) {
    for (const key of Object.keys(options)) {
      if (!known.includes(key)) {
        const near = api.internal.suggestName(key, known);
        throw new ValidationError({ field: key, code: 'UnknownParameter', message: `unknown option ${JSON.stringify(key.slice(0, 64))}${near ? `; did you mean ${near}?` : ''}` });
      }
    }
  }

  /**
   * The Host check: the request's Host header exactly (a URL parser would turn `2130706433` or
   * `127.1` into 127.0.0.1), one of the loopback names with any port or an `allowedHosts` entry.
   * Returns the Host, or null.
   */
  function ownHost(request, url, allowedHosts) {
    const raw = request.headers.get('host') ?? (url.hostname === PLACEHOLDER_HOST ? null : url.host);
    const host = (raw ?? '').toLowerCase();
    if (!HOST_ENTRY.test(host)) return null;
    // A runtime that builds the URL from an absolute-form request target (workerd) may name
    // another authority there than in Host: both must be this console's.
    if (url.hostname !== PLACEHOLDER_HOST && hostOfUrl(`${url.protocol}//${host}/`) !== url.host) return null;
    const name = host.replace(/:\d+$/, '');
    if (LOOPBACK_NAMES.includes(name)) return host;
    return allowedHosts.some((entry) => entry === host || entry === name) ? host : null;
  }

  function hostOfUrl(url) {
    try {
      return new URL(url).host;
    } catch {
      return null;
    }
  }

  function printable(value) {
    return String(value).replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
  }

  function hostRefusal(request) {
    const raw = request.headers.get('host');
    const shown = raw === null ? 'no Host header' : `Host ${JSON.stringify(printable(raw))}`;
    const body = `403: ${shown} is not a name of this console (127.0.0.1, localhost or [::1] with any port); `
      + 'to serve it under another name, add it to the console handler\'s allowedHosts option\n';
    return new Response(body, { status: 403, headers: securityHeaders('text/plain; charset=utf-8') });
  }

  /**
   * Another site driving the operator's browser: an Origin other than this server's own, or
   * Sec-Fetch-Site other than same-origin (or none: typed into the address bar). Null when neither.
   */
  function crossSite(request, host) {
    const origin = request.headers.get('origin');
    if (origin !== null && origin !== `http://${host}` && origin !== `https://${host}`) {
      return `a request from Origin ${JSON.stringify(printable(origin))}; the console serves only pages of http(s)://${host}`;
    }
    const site = request.headers.get('sec-fetch-site');
    if (site !== null && site !== 'same-origin' && site !== 'none') {
      return `a ${JSON.stringify(printable(site))} request (Sec-Fetch-Site); the console serves only its own pages`;
    }
    return null;
  }

  /** The body as bytes, reading at most `limit` + 1 of them; null when it is larger than `limit`. */
  async function readLimited(request, limit) {
    if (!request.body) return new Uint8Array(0);
    const reader = request.body.getReader();
    const chunks = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limit) {
          await reader.cancel().catch(() => {});
          return null;
        }
        chunks.push(value);
      }
    } finally {
      reader.releaseLock?.();
    }
    return concat(chunks, size);
  }

  function mediaType(request) {
    return (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  }

  /** The call's error as the console answers it: its status and `{Error, RequestId?}`. */
  function errorAnswer(error) {
    if (error instanceof ValidationError) {
      return json(400, { Error: { Code: error.code, Message: error.message, Field: error.field, Issues: error.issues } });
    }
    if (error instanceof TencentCloudError) {
      const prefix = `${error.code}: `;
      const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
      const body = { Error: { Code: error.code, Message: message } };
      if (error.probablyDeletedByEarlierAttempt === true) body.Error.ProbablyDeletedByEarlierAttempt = true;
      if (error.requestId) body.RequestId = error.requestId;
      return json(consoleStatus(error.code), body);
    }
    throw error;
  }

  /** Calls the console's hook; anything but `true` refuses. */
  async function authorized(authorize, request, call) {
    try {
      return (await authorize(request, call)) === true;
    } catch {
      return false;
    }
  }

  function consoleHandler(options = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('consoleHandler(options): options must be an object');
    const mode = options.mode ?? 'sign';
    if (mode !== 'sign' && mode !== 'forward') throw optionError('mode', 'mode must be "sign" or "forward"');
    const path = checkPath(options.path);
    const allowActions = checkAllowActions(options.allowActions);
    const allowedHosts = checkAllowedHosts(options.allowedHosts);
    const maxBodyBytes = checkMaxBody(options.maxBodyBytes);
    const { authorize, temporaryCredentials } = options;
    if (authorize !== undefined && typeof authorize !== 'function') throw optionError('authorize', 'authorize must be a function (request, call) => boolean | Promise<boolean>');
    if (temporaryCredentials !== undefined && typeof temporaryCredentials !== 'function') {
      throw optionError('temporaryCredentials', 'temporaryCredentials must be a credentials provider, e.g. federationToken({ … })');
    }
    // Anyone who reaches the path spends the server's key (sign) or its STS quota (credentials):
    // the console's own check is not optional there.
    if ((mode === 'sign' || temporaryCredentials) && !authorize) {
      throw new ValidationError({
        field: 'authorize',
        code: 'MissingParameter',
        message: `authorize is required ${mode === 'sign' ? 'in sign mode' : 'with temporaryCredentials'}: a function (request, call) => boolean that checks the console's own session (a cookie, a header); without it anyone who reaches ${path} would spend the server's key`,
      });
    }

    const reject = mode === 'sign' ? refuse : refuseEnvelope;
    const answerCall = mode === 'sign' ? signMode(options, allowActions, maxBodyBytes, authorize) : forwardMode(options, allowActions, maxBodyBytes, authorize);
    const credentialsPath = `${path}/credentials`;

    async function handle(request) {
      let url;
      try {
        url = new URL(request.url);
      } catch {
        return reject(400, 'InvalidParameter', 'the request URL is not a URL');
      }
      // The Host first: a name that is not this console's gets the same answer on every path.
      const host = ownHost(request, url, allowedHosts);
      if (host === null) return hostRefusal(request);
      if (url.pathname !== path && url.pathname !== credentialsPath) {
        return reject(404, 'ResourceNotFound', `the console answers only at ${path}`);
      }
      const foreign = crossSite(request, host);
      if (foreign) return reject(403, 'UnauthorizedOperation', `the console refuses ${foreign}`);
      if (url.pathname === credentialsPath) {
        if (!temporaryCredentials) return reject(404, 'ResourceNotFound', `the console answers only at ${path}`);
        return answerCredentials(request, temporaryCredentials, authorize);
      }
      return answerCall(request, url);
    }

    const handler = (request) => handle(request).catch(() => reject(500, 'InternalError', 'the console handler failed'));
    /** Whether a URL path is the console's (adapters pass other paths on, e.g. to Vite's own middleware). */
    handler.handles = (pathname) => pathname === path || pathname === credentialsPath;
    handler.path = path;
    handler.maxBodyBytes = maxBodyBytes;
    handler.mode = mode;
    return Object.freeze(handler);
  }

  /** The `cvm:` actions a federationToken provider's policy allows, as plain action names. */
  function policyActions(provider) {
    const statements = provider && provider.policy && Array.isArray(provider.policy.statement) ? provider.policy.statement : undefined;
    if (!statements) return undefined;
    return statements.flatMap((s) => (Array.isArray(s.action) ? s.action : [])).map((a) => String(a).replace(/^cvm:/, ''));
  }

  async function answerCredentials(request, provider, authorize) {
    if (request.method !== 'GET') return refuse(405, 'UnsupportedProtocol', 'the credentials path answers GET only', { allow: 'GET' });
    // The actions the key will allow (a federationToken's policy), so a per-action rule in
    // authorize applies to handing out the key too.
    const actions = policyActions(provider);
    if (!(await authorized(authorize, request, { credentials: true, ...(actions && { actions }) }))) {
      return refuse(403, 'UnauthorizedOperation', 'the console refused: its authorize hook did not allow this request');
    }
    let answer;
    try {
      answer = await provider();
    } catch (error) {
      if (error instanceof TencentCloudError || error instanceof ValidationError) return errorAnswer(error);
      return refuse(502, 'FailedOperation', 'the temporary credentials could not be obtained');
    }
    return json(200, answer);
  }

  function signMode(options, allowActions, maxBodyBytes, authorize) {
    // The handler's own options are taken out; the CvmClient judges the rest (unknown names with a
    // did-you-mean, every problem at once).
    const clientOptions = {};
    for (const [key, value] of Object.entries(options)) if (!SIGN_OPTIONS.includes(key)) clientOptions[key] = value;
    // Built now, so that bad credentials or options throw at construction, naming the option.
    const first = new api.CvmClient(clientOptions);
    const clients = new Map([[first.region, first]]);
    const clientFor = (region) => {
      let client = clients.get(region);
      if (!client) {
        client = new api.CvmClient({ ...clientOptions, region });
        if (clients.size >= MAX_REGION_CLIENTS) {
          const oldest = [...clients.keys()].find((r) => r !== first.region);
          clients.delete(oldest);
        }
        clients.set(region, client);
      }
      return client;
    };

    return async function answerSign(request) {
      if (request.method !== 'POST') {
        return refuse(405, 'UnsupportedProtocol', 'the console takes a call as POST with a JSON body {"action", "params", "region"?}', { allow: 'POST' });
      }
      if (mediaType(request) !== 'application/json') {
        return refuse(415, 'InvalidParameter', 'the console takes Content-Type application/json');
      }
      const bytes = await readLimited(request, maxBodyBytes);
      if (bytes === null) return refuse(413, 'RequestSizeLimitExceeded', `the call is larger than ${maxBodyBytes} bytes`);
      let call;
      try {
        call = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        return refuse(400, 'InvalidParameter', 'the body is not UTF-8 JSON');
      }
      if (call === null || typeof call !== 'object' || Array.isArray(call)) {
        return refuse(400, 'InvalidParameter', 'the body must be a JSON object {"action", "params", "region"?}');
      }
      for (const key of Object.keys(call)) {
        if (!CALL_KEYS.includes(key)) {
          const near = api.internal.suggestName(key, CALL_KEYS);
          return refuse(400, 'UnknownParameter', `unknown key ${JSON.stringify(key.slice(0, 64))} in the call${near ? `; did you mean ${near}?` : ''}`);
        }
      }
      const { action, params = {}, region } = call;
      if (typeof action !== 'string' || action === '') return refuse(400, 'MissingParameter', 'the call needs an "action" (a string)');
      if (!allowActions.includes(action)) {
        return refuse(403, 'UnauthorizedOperation', `the console does not allow the action ${JSON.stringify(action.slice(0, 64))} (allowActions: ${allowActions.join(', ')})`);
      }
      if (region !== undefined && typeof region !== 'string') return refuse(400, 'InvalidParameter', 'the call\'s "region" must be a string');
      if (!(await authorized(authorize, request, { action, params, region: region ?? first.region }))) {
        return refuse(403, 'UnauthorizedOperation', 'the console refused: its authorize hook did not allow this call');
      }
      try {
        const client = region === undefined ? first : clientFor(api.validateRegion(region));
        const { attempts, ...result } = await client.request(action, params, { signal: request.signal });
        return json(200, result);
      } catch (error) {
        return errorAnswer(error);
      }
    };
  }

  function forwardMode(options, allowActions, maxBodyBytes, authorize) {
    checkUnknown(options, FORWARD_OPTIONS);
    const upstream = checkUpstream(options.upstream);
    const timeoutMs = options.timeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) {
      throw optionError('timeoutMs', 'timeoutMs must be a whole number of milliseconds from 1 to 600000');
    }

    return async function answerForward(request, url) {
      if (request.method !== 'POST' && request.method !== 'GET') {
        return refuseEnvelope(405, 'UnsupportedProtocol', 'the console forwards GET and POST only', { allow: 'GET, POST' });
      }
      if (url.search.length > MAX_QUERY_BYTES + 1) return refuseEnvelope(413, 'RequestSizeLimitExceeded', `the query is larger than ${MAX_QUERY_BYTES} bytes`);
      const auth = /^TC3-HMAC-SHA256 +Credential=[^,]+, *SignedHeaders=([a-z0-9;-]+) *, *Signature=[0-9a-f]{64}$/.exec(request.headers.get('authorization') ?? '');
      if (!auth) {
        return refuseEnvelope(401, CODES.invalidAuthorization, 'the console forwards only TC3-HMAC-SHA256 signed requests (an Authorization header)');
      }
      const action = request.headers.get('x-tc-action') ?? '';
      // The action the upstream acts on is the X-TC-Action header; it counts only if the
      // signature covers it (otherwise anyone could change it on the way).
      if (!auth[1].split(';').includes('x-tc-action')) {
        return refuseEnvelope(403, 'UnauthorizedOperation', 'the console forwards only requests whose signature covers X-TC-Action: sign it (the signAction: true option)');
      }
      if (!allowActions.includes(action)) {
        return refuseEnvelope(403, 'UnauthorizedOperation', `the console does not allow the action ${JSON.stringify(printable(action).slice(0, 64))} (allowActions: ${allowActions.join(', ')})`);
      }
      if (authorize && !(await authorized(authorize, request, { action, region: request.headers.get('x-tc-region') ?? undefined }))) {
        return refuseEnvelope(403, 'UnauthorizedOperation', 'the console refused: its authorize hook did not allow this call');
      }
      let body;
      if (request.method === 'POST') {
        body = await readLimited(request, maxBodyBytes);
        if (body === null) return refuseEnvelope(413, 'RequestSizeLimitExceeded', `the request body is larger than ${maxBodyBytes} bytes`);
      }
      const headers = {};
      for (const name of FORWARD_REQUEST_HEADERS) {
        const value = request.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      // The query goes on the pinned upstream's own path: nothing of the page's path reaches the URL.
      const attempted = `${upstream.origin}${upstream.pathname}`;
      const target = `${attempted}${url.search}`;
      // The page's request aborting (its connection closed) aborts the exchange: reported as a
      // network failure, as nobody is left to read it.
      const sent = await runtime.transport.send(target, { method: request.method, headers, body }, { timeoutMs, signal: request.signal, read: 'arrayBuffer' });
      if (sent.stage === 'connect') {
        if (sent.why === 'timeout') return upstreamFailure(504, `no answer from ${attempted} within ${timeoutMs} ms`);
        const inner = runtime.transport.innerCause(sent.cause);
        return upstreamFailure(502, `the console cannot reach ${attempted}${inner ? ` (${inner})` : ''}`);
      }
      if (!sent.ok) {
        if (sent.why === 'timeout') return upstreamFailure(504, `no complete answer from ${attempted} within ${timeoutMs} ms`);
        return upstreamFailure(502, `the answer from ${attempted} broke off`);
      }
      const { response: answer, body: text } = sent;
      try {
        const out = securityHeaders(answer.headers.get('content-type') ?? 'application/octet-stream');
        for (const name of FORWARD_RESPONSE_HEADERS) {
          const value = answer.headers.get(name);
          if (value !== null) out[name] = value;
        }
        // A redirect goes back as its status without its Location: the page's client reads it as
        // ClientError.Redirect and nothing follows it.
        const status = answer.type === 'opaqueredirect' ? 502 : answer.status;
        return new Response(text, { status, headers: out });
      } catch {
        return upstreamFailure(502, `the answer from ${attempted} broke off`);
      }
    };
  }

  function checkUpstream(value = 'https://cvm.tencentcloudapi.com') {
    let url;
    try {
      url = new URL(value);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash || value.includes('?') || value.includes('#')) {
      throw optionError('upstream', 'upstream must be an http(s) URL such as https://cvm.tencentcloudapi.com (host, optional port and path; no query, fragment or credentials)');
    }
    return url;
  }

  return { consoleHandler };
}
