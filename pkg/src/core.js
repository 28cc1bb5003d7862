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

  const api = {
    ValidationError,
    TencentCloudError,
    signTc3: guard((input) => wasm.signTc3(input)),
    buildDeleteImages: guard((params, options) => wasm.buildDeleteImages(params, options)),
    buildRequest: guard((action, params, options) => wasm.buildRequest(action, params, options)),
    validateDeleteImages: guard((params) => wasm.validateDeleteImages(params)),
    validateRegion: guard((region) => wasm.validateRegion(region)),
    isKnownRegion: guard((region) => wasm.isKnownRegion(region)),
    decodeDeleteImages: guard((status, bodyText) => wasm.decodeDeleteImages(status, bodyText)),
    decodeResponse: guard((status, bodyText) => wasm.decodeResponse(status, bodyText)),
    describeError: guard((code) => wasm.describeError(code)),
    backoffDelayMs: guard((attempt, baseMs, capMs, random01) => wasm.backoffDelayMs(attempt, baseMs, capMs, random01)),
    parseHttpDate: guard((value) => wasm.parseHttpDate(value)),
    /** At most `limit` sends in any `windowMs`: `new RateLimiter(10, 1000).reserve(Date.now())` → ms to wait. */
    RateLimiter: class RateLimiter {
      #inner;
      constructor(limit, windowMs) {
        ready();
        this.#inner = new wasm.RateLimiter(limit, windowMs);
      }
      reserve(nowMs) {
        return this.#inner.reserve(nowMs);
      }
    },
  };
  // Read from the core at build time (scripts/build.mjs), so they need no initialisation.
  api.VERSION = env.constants.VERSION;
  api.MAX_IMAGE_IDS_PER_CALL = env.constants.MAX_IMAGE_IDS_PER_CALL;
  api.KNOWN_REGIONS = Object.freeze(env.constants.KNOWN_REGIONS.slice());
  return api;
}
