// ConsoleClient: the page's side of a console handler in sign mode. Same methods, errors and
// result types as CvmClient (deleteImages, describeImages, request; ValidationError before
// anything is sent, TencentCloudError after), but it holds no key: it POSTs the unsigned call
// {action, params, region?} to the console path, and the server signs. It does not retry — the
// server's CvmClient already did, and a delete must not be sent twice by two layers.
// It imports only the catalogue's codes (codes.js); the rest comes as arguments (see api.js).
import { CODES } from './codes.js';

export function createConsoleClient(api, runtime) {
  const { ValidationError, TencentCloudError } = api;
  const { clientError } = api.internal;
  const { describeCause } = runtime.transport;
  // Client-side codes (as in client.js); their meaning is the core catalogue's.
  const CLIENT_CODES = CODES;
  const KNOWN = ['endpoint', 'region', 'timeoutMs', 'headers', 'fetch'];
  const DEFAULT_TIMEOUT_MS = 60_000;

  function invalid(field, message, code = 'InvalidParameterValue') {
    return new ValidationError({ field, code, message });
  }

  /** `/cvm` → the page's own origin + /cvm (a page's relative URL); an absolute http(s) URL as is. */
  function resolveEndpoint(endpoint) {
    const base = globalThis.location && typeof globalThis.location.href === 'string' ? globalThis.location.href : undefined;
    let url;
    try {
      url = new URL(endpoint, base);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw invalid('endpoint', base
        ? 'endpoint must be the console path (e.g. "/cvm") or an http(s) URL'
        : 'endpoint must be an absolute http(s) URL here: a path such as "/cvm" resolves against a page\'s location, and there is none');
    }
    return url.href;
  }

  class ConsoleClient {
    #fetch;
    #headers;

    constructor(options = {}) {
      if (options === null || typeof options !== 'object') throw new TypeError('ConsoleClient(options): options must be an object');
      for (const key of Object.keys(options)) {
        if (!KNOWN.includes(key)) {
          const near = api.internal.suggestName(key, KNOWN);
          throw invalid(key, `unknown option ${JSON.stringify(key.slice(0, 64))}${near ? `; did you mean ${near}?` : ''}`, 'UnknownParameter');
        }
        // A key never belongs in the page in this mode: say so instead of ignoring it.
      }
      const { endpoint = '/cvm', region, timeoutMs = DEFAULT_TIMEOUT_MS, headers = {}, fetch } = options;
      if (typeof endpoint !== 'string') throw invalid('endpoint', 'endpoint must be a string');
      this.endpoint = resolveEndpoint(endpoint);
      if (region !== undefined) api.validateRegion(region);
      this.region = region;
      if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw invalid('timeoutMs', 'timeoutMs must be a positive whole number of milliseconds');
      this.timeoutMs = timeoutMs;
      if (headers === null || typeof headers !== 'object') throw invalid('headers', 'headers must be an object of extra request headers (e.g. a CSRF token)');
      this.#headers = { ...headers };
      if (fetch !== undefined && typeof fetch !== 'function') throw invalid('fetch', 'fetch must be a function');
      this.#fetch = fetch;
      for (const name of ['endpoint', 'region', 'timeoutMs']) Object.defineProperty(this, name, { writable: false, configurable: false });
    }

    /** DeleteImages. Resolves `{ RequestId, attempts, DryRunOperation? }`; throws TencentCloudError. */
    async deleteImages(params, callOptions = {}) {
      // The same validation as CvmClient's, here in the page: a ValidationError costs no request.
      return this.#call('DeleteImages', api.validateDeleteImages(params), callOptions);
    }

    async describeImages(params = {}, callOptions = {}) {
      return this.request('DescribeImages', params, callOptions);
    }

    /** Any action the console allows. Resolves the `Response` object plus `attempts`. */
    async request(action, params = {}, callOptions = {}) {
      if (typeof action !== 'string' || action === '') throw invalid('action', 'action must be an action name', 'MissingParameter');
      return this.#call(action, params, callOptions);
    }

    async #call(action, params, callOptions) {
      const signal = callOptions ? callOptions.signal : undefined;
      if (signal !== undefined && signal !== null && typeof signal.addEventListener !== 'function') {
        throw new TypeError('ConsoleClient: option `signal` must be an AbortSignal');
      }
      if (signal && signal.aborted) throw clientError(CLIENT_CODES.aborted, 'the caller aborted the call before sending');
      const body = JSON.stringify(this.region === undefined ? { action, params } : { action, params, region: this.region });
      const sent = await runtime.transport.send(this.endpoint, {
        method: 'POST',
        headers: { ...this.#headers, 'content-type': 'application/json' },
        body,
        credentials: 'same-origin',
      }, { fetch: this.#fetch, timeoutMs: this.timeoutMs, signal: signal || undefined, read: 'text' });
      if (!sent.ok) {
        throw withAttempts(sent.why === 'timeout' ? clientError(CLIENT_CODES.timeout, `no complete answer from the console within ${this.timeoutMs} ms`)
          : sent.why === 'aborted' ? clientError(CLIENT_CODES.aborted, 'the caller aborted the call while it was in flight')
            : clientError(CLIENT_CODES.network, `the call to the console at ${where(this.endpoint)} failed: ${sent.why === 'not-a-response' ? 'fetch resolved something that is not a Response' : describeCause(sent.cause)}`));
      }
      const { response, body: text } = sent;
      let answer;
      try {
        answer = JSON.parse(text);
      } catch {
        answer = undefined;
      }
      const isObject = answer !== null && typeof answer === 'object' && !Array.isArray(answer);
      if (response.status === 200 && isObject && answer.Error === undefined) return { ...answer, attempts: 1 };
      const error = isObject && answer.Error !== null && typeof answer.Error === 'object' && typeof answer.Error.Code === 'string'
        ? consoleError(answer, response.status)
        // Not the console's answer (a gateway's page, a redirect, …): the core reads it.
        : decodeFailure(response, text, this.endpoint);
      throw withAttempts(error);
    }
  }

  function consoleError(answer, status) {
    const { Code: code, Message: message = '', Field: field, Issues: issues, ProbablyDeletedByEarlierAttempt: probably } = answer.Error;
    if (status === 400 && typeof field === 'string' && Array.isArray(issues)) {
      return new ValidationError({ field, code, message: String(message), issues });
    }
    const { description, retryable } = api.describeError(code);
    const error = new TencentCloudError({ code, message: String(message), requestId: typeof answer.RequestId === 'string' ? answer.RequestId : '', httpStatus: status, retryable, description });
    if (probably === true) error.probablyDeletedByEarlierAttempt = true;
    return error;
  }

  function decodeFailure(response, text, url) {
    try {
      api.internal.decodeResponse(response.status === 200 ? 200 : response.status, text, runtime.transport.redirectOrigin(response, url));
    } catch (error) {
      if (error instanceof TencentCloudError) return error;
      throw error;
    }
    return clientError(CLIENT_CODES.invalidResponse, `HTTP ${response.status} from the console is not its answer`, response.status);
  }

  // As CvmClient's: a CvmCallError (a TencentCloudError) with its one attempt.
  function withAttempts(error) {
    if (error instanceof TencentCloudError) {
      return new api.CvmCallError(error, [{ attempt: 1, code: error.code, httpStatus: error.httpStatus, requestId: error.requestId, outcomeUnknown: api.internal.outcomeUnknown(error.code, error.httpStatus, false) }]);
    }
    return error;
  }

  /** Scheme, host, port and path of a URL — never its query. */
  const where = (url) => runtime.transport.where(url, 'its endpoint');

  return { ConsoleClient };
}
