/**
 * The package's JavaScript core layer: error classes, and the wasm exports wrapped so that errors
 * come out as `ValidationError` / `TencentCloudError`. A factory script: scripts/build.mjs places
 * it inside every entry (Node CommonJS, Node ESM, browser ESM), so it has no import/export.
 * Everything it returns is public API; nothing here re-implements the Rust core.
 */
function createCore(wasm, env) {
  'use strict';

  /** Bad input, found before anything was sent. */
  class ValidationError extends Error {
    constructor({ field, code, message }) {
      super(message);
      this.name = 'ValidationError';
      this.field = field;
      this.code = code;
    }
  }

  /** A failed call: a Tencent error envelope or a transport failure. */
  class TencentCloudError extends Error {
    constructor({ code, message, requestId = '', httpStatus = 0, retryable = false, description = '' }) {
      super(message ? `${code}: ${message}` : code);
      this.name = 'TencentCloudError';
      this.code = code;
      this.requestId = requestId;
      this.httpStatus = httpStatus;
      this.retryable = retryable;
      this.description = description;
    }
  }

  function rethrow(e) {
    if (e && e.kind === 'ValidationError') throw new ValidationError(e);
    if (e && e.kind === 'TencentCloudError') throw new TencentCloudError(e);
    throw e;
  }

  function ready() {
    if (!env.ready()) {
      throw new Error('tencentcloud-cvm-wasm is not initialised: call `await init()` (the default export) once before using it');
    }
  }

  /** Wraps a wasm export: checks initialisation, turns `{ kind }` error objects into classes. */
  function guard(f) {
    return function (...args) {
      ready();
      try {
        return f(...args);
      } catch (e) {
        return rethrow(e);
      }
    };
  }

  // Object arguments cross into wasm as one JSON string each (one boundary call instead of one
  // per field). What JSON cannot carry is not dropped: the replacer leaves a marker that the
  // core reports with the field's name (src/argument.rs).
  const MARKER = env.constants.UNSUPPORTED_MARKER;
  function replacer(key, value) {
    switch (typeof value) {
      case 'number':
        return Number.isFinite(value) ? value : { [MARKER]: 'nonfinite' };
      case 'bigint':
      case 'symbol':
      case 'function':
        return { [MARKER]: typeof value };
      default:
        return value;
    }
  }
  /**
   * True when plain JSON.stringify loses nothing: only strings, booleans, finite numbers, null,
   * undefined, arrays and plain objects. The replacer costs a call per value, so it is kept for
   * the rest (where the core then names the offending field).
   */
  function plain(value, depth) {
    switch (typeof value) {
      case 'string':
      case 'boolean':
      case 'undefined':
        return true;
      case 'number':
        return Number.isFinite(value);
      case 'object': {
        if (value === null) return true;
        if (depth > 8) return false;
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) if (!plain(value[i], depth + 1)) return false;
          return true;
        }
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) return false;
        for (const key in value) if (!plain(value[key], depth + 1)) return false;
        return true;
      }
      default:
        return false;
    }
  }
  function toJson(value, field) {
    let text;
    try {
      text = plain(value, 0) ? JSON.stringify(value) : JSON.stringify(value, replacer);
    } catch (e) {
      // A throwing getter or proxy trap, or a cycle: the value cannot be read.
      const why = e && typeof e.message === 'string' ? `: ${e.message.slice(0, 200)}` : '';
      throw new ValidationError({ field, code: 'InvalidParameter', message: `${field} could not be read${why}` });
    }
    return text === undefined ? '' : text;
  }
  // Signed requests and signing stages come back as NUL-separated fields (layout in
  // src/bindings.rs): splitting costs a fraction of JSON.parse.
  function stagesFrom(f, at) {
    return {
      authorization: f[at],
      signature: f[at + 1],
      canonicalRequest: f[at + 2],
      stringToSign: f[at + 3],
      credentialScope: f[at + 4],
      signedHeaders: f[at + 5],
      hashedPayload: f[at + 6],
    };
  }
  /** A signed request; the signing stages ride along as a non-enumerable `signing`. */
  function signedRequest(text) {
    const f = text.split('\0');
    const count = Number(f[3]);
    const headers = {};
    for (let i = 0; i < count; i++) headers[f[4 + 2 * i]] = f[5 + 2 * i];
    const request = f[1] === 'GET' ? { url: f[0], method: f[1], headers } : { url: f[0], method: f[1], headers, body: f[2] };
    Object.defineProperty(request, 'signing', { value: stagesFrom(f, 4 + 2 * count) });
    return request;
  }

  const api = {
    ValidationError,
    TencentCloudError,
    signTc3: guard((input) => stagesFrom(wasm.signTc3(toJson(input, 'input')).split('\0'), 0)),
    buildDeleteImages: guard((params, options) =>
      signedRequest(wasm.buildDeleteImages(toJson(params, 'params'), toJson(options, 'options')))),
    buildRequest: guard((action, params, options) =>
      signedRequest(wasm.buildRequest(action, toJson(params, 'params'), toJson(options, 'options')))),
    validateDeleteImages: guard((params) => JSON.parse(wasm.validateDeleteImages(toJson(params, 'params')))),
    validateRegion: guard((region) => wasm.validateRegion(region)),
    isKnownRegion: guard((region) => wasm.isKnownRegion(region)),
    decodeDeleteImages: guard((status, bodyText) => JSON.parse(wasm.decodeDeleteImages(status, bodyText))),
    decodeResponse: guard((status, bodyText) => JSON.parse(wasm.decodeResponse(status, bodyText))),
    describeError: guard((code) => wasm.describeError(code)),
    backoffDelayMs: guard((attempt, baseMs, capMs, random01) => wasm.backoffDelayMs(attempt, baseMs, capMs, random01)),
    parseHttpDate: guard((value) => wasm.parseHttpDate(value)),
    /**
     * At most `limit` requests in any `windowMs`, counted as a server may count them: wait
     * `delayMs(now)` (ask again after waiting), `commit(now)` when sending, and always
     * `settle(sentAt, answeredAt)` when the attempt ends (an unsettled request keeps counting).
     */
    RateLimiter: class RateLimiter {
      #inner;
      constructor(limit, windowMs) {
        ready();
        this.#inner = new wasm.RateLimiter(limit, windowMs);
      }
      delayMs(nowMs) {
        return this.#inner.delayMs(nowMs);
      }
      commit(nowMs) {
        this.#inner.commit(nowMs);
      }
      settle(sentAtMs, answeredAtMs) {
        this.#inner.settle(sentAtMs, answeredAtMs);
      }
    },
  };
  // For the package's own client and CLI (not part of the typed API).
  Object.defineProperty(api, 'internal', {
    enumerable: false,
    value: Object.freeze({
      suggestName: (input, candidates) => wasm.suggestName(String(input), candidates.map(String)),
    }),
  });
  // Read from the core at build time (scripts/build.mjs), so they need no initialisation.
  api.VERSION = env.constants.VERSION;
  api.MAX_IMAGE_IDS_PER_CALL = env.constants.MAX_IMAGE_IDS_PER_CALL;
  api.KNOWN_REGIONS = Object.freeze(env.constants.KNOWN_REGIONS.slice());
  return api;
}
