/**
 * The package's JavaScript core layer: the error classes, and the wasm exports wrapped so that
 * errors come out as `ValidationError` / `TencentCloudError`. An ES module that imports nothing:
 * each entry hands it the wasm-bindgen exports it loaded (see api.js), so one file serves Node,
 * browsers, bundlers and edge runtimes.
 * Objects cross into wasm as they are, read by the core (src/bindings.rs read_js) into its types; results
 * come back as plain objects made from the core's types. Nothing here re-implements the core.
 */
export function createCore(wasm, env) {
  /** Bad input, found before anything was sent: every problem in `issues`, the first one's own. */
  class ValidationError extends Error {
    constructor({ field, code, message, issues }) {
      super(message);
      this.name = 'ValidationError';
      this.field = field;
      this.code = code;
      this.issues = Array.isArray(issues) && issues.length > 0 ? issues : [{ field, code, message }];
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

  // What crosses into wasm is a snapshot of the caller's object, made of plain data: the core's reader
  // reads objects through `Object.entries`, where a throwing getter or proxy trap would unwind
  // through wasm frames (leaking its stack), and passes strings through UTF-8, where an unpaired
  // surrogate would silently become U+FFFD in a signed request. The snapshot reads each own
  // enumerable property once (as JSON.stringify does, honouring `toJSON`), refuses cycles, and
  // leaves every other judgement — types, names, values — to the core.
  const MAX_NODES = 100000;
  const COPY_DEPTH = 130; // beyond the core's nesting limit, so the core reports the depth
  const hasWellFormed = typeof ''.isWellFormed === 'function';
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const wellFormed = (s) => (hasWellFormed ? s.isWellFormed() : !LONE_SURROGATE.test(s));
  function unreadable(field, why, code = 'InvalidParameter') {
    return new ValidationError({ field, code, message: `${field} ${why}` });
  }
  // JSON has no BigInt (JSON.stringify throws on one); the core's reader would read it as a
  // number. It crosses as a Symbol, which the core reports as a value with no JSON form.
  const NO_JSON_FORM = Symbol('no JSON form');
  function snapshot(value, root) {
    let nodes = 0;
    const ancestors = [];
    const child = (where, key) => (where === root ? String(key) : `${where}.${key}`);
    function copy(v, where) {
      if (typeof v === 'string') {
        if (!wellFormed(v)) throw unreadable(where, 'contains a string with an unpaired UTF-16 surrogate', 'InvalidParameterValue');
        return v;
      }
      // (A boxed BigInt too: JSON.stringify throws on it as on a BigInt.)
      if (typeof v === 'bigint' || v instanceof BigInt) return NO_JSON_FORM;
      if (typeof v !== 'object' || v === null) return v;
      // JSON.stringify writes a Map or Set as {}: refused here, not silently sent empty.
      if (v instanceof Map || v instanceof Set) {
        throw unreadable(where, `is a ${v instanceof Map ? 'Map' : 'Set'}; pass a plain ${v instanceof Map ? 'object (Object.fromEntries(map))' : 'array ([...set])'}`);
      }
      // An invalid Date's toJSON() is null: refused rather than read as "absent".
      if (v instanceof Date && Number.isNaN(v.getTime())) throw unreadable(where, 'is an invalid Date');
      if (typeof v.toJSON === 'function') return copy(v.toJSON(), where);
      // Boxed primitives stand for their values, as in JSON.
      if (v instanceof String) return copy(String(v), where);
      if (v instanceof Number) return Number(v);
      if (v instanceof Boolean) return v.valueOf();
      if (ancestors.length >= COPY_DEPTH) return [];
      if (ancestors.includes(v)) throw unreadable(where, 'refers to itself (a cycle)');
      if (++nodes > MAX_NODES) throw unreadable(root, `has more than ${MAX_NODES} objects and arrays`);
      ancestors.push(v);
      let out;
      if (Array.isArray(v)) {
        out = new Array(v.length);
        for (let i = 0; i < v.length; i++) out[i] = copy(v[i], child(where, i));
      } else {
        // No prototype: a "__proto__" key stays an own key (the core then names it) instead of
        // setting the copy's prototype.
        out = Object.create(null);
        for (const key of Object.keys(v)) {
          const item = v[key];
          // As in JSON, a key set to undefined is an absent key.
          if (item !== undefined) out[key] = copy(item, child(where, key));
        }
      }
      ancestors.pop();
      return out;
    }
    try {
      return copy(value, root);
    } catch (e) {
      if (e instanceof ValidationError) throw e;
      // A throwing getter or proxy trap: the value cannot be read.
      const why = e && typeof e.message === 'string' ? `: ${e.message.slice(0, 200)}` : '';
      throw unreadable(root, `could not be read${why}`);
    }
  }

  /**
   * In a page, an endpoint given as a path ("/cvm") is the page's own origin plus that path,
   * resolved against `location`, as fetch would; elsewhere it is left to the core, which says why
   * it needs a whole URL. Returns the options (a copy when it resolved something).
   */
  function resolveEndpoint(options) {
    const endpoint = options !== null && typeof options === 'object' ? safeGet(options, 'endpoint') : undefined;
    const base = globalThis.location && typeof globalThis.location.href === 'string' ? globalThis.location.href : undefined;
    if (typeof endpoint !== 'string' || !base || !endpoint.startsWith('/') || endpoint.startsWith('//')) return options;
    let url;
    try {
      url = new URL(endpoint, base);
    } catch {
      return options;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return options;
    return { ...options, endpoint: `${url.origin}${url.pathname}` };
  }

  function safeGet(object, key) {
    try {
      return object[key];
    } catch {
      return undefined;
    }
  }

  /** A signed request; the signing stages ride along as a non-enumerable `signing`. */
  function signedRequest(request) {
    Object.defineProperty(request, 'signing', { enumerable: false });
    return request;
  }

  /** The runtime's JSON.parse reads the body; the core judges what it is. */
  function parsed(bodyText) {
    if (typeof bodyText !== 'string') return undefined;
    try {
      return JSON.parse(bodyText);
    } catch {
      return undefined;
    }
  }

  const api = {
    ValidationError,
    TencentCloudError,
    signTc3: guard((input) => wasm.signTc3(snapshot(input, 'input'))),
    buildDeleteImages: guard((params, options) =>
      signedRequest(wasm.buildDeleteImages(snapshot(params, 'params'), snapshot(resolveEndpoint(options), 'options')))),
    // Absent params mean `{}`; null is a mistake the core reports.
    buildRequest: guard((action, params = {}, options) =>
      signedRequest(wasm.buildRequest(action, snapshot(params, 'params'), snapshot(resolveEndpoint(options), 'options')))),
    validateDeleteImages: guard((params) => wasm.validateDeleteImages(snapshot(params, 'params'))),
    checkDeleteImages: guard((params, options) => {
      try {
        return wasm.checkDeleteImages(snapshot(params, 'params'), snapshot(resolveEndpoint(options), 'options'));
      } catch (e) {
        if (e instanceof ValidationError) return e.issues;
        throw e;
      }
    }),
    validateRegion: guard((region) => wasm.validateRegion(region)),
    isKnownRegion: guard((region) => wasm.isKnownRegion(region)),
    decodeDeleteImages: guard((status, bodyText) => wasm.decodeDeleteImagesParsed(status, bodyText, parsed(bodyText), undefined)),
    decodeResponse: guard((status, bodyText) => wasm.decodeResponseParsed(status, bodyText, parsed(bodyText), undefined)),
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
      /** Frees the limiter's wasm memory now (otherwise when it is garbage-collected). */
      free() {
        this.#inner.free();
      }
    },
  };
  if (typeof Symbol.dispose === 'symbol') api.RateLimiter.prototype[Symbol.dispose] = api.RateLimiter.prototype.free;
  // For the package's own client and CLI (not part of the typed API).
  Object.defineProperty(api, 'internal', {
    enumerable: false,
    value: Object.freeze({
      checkClientOptions: guard((options) => wasm.checkClientOptions(snapshot(options, 'options'))),
      resolveEndpoint,
      // The decoders as the client calls them: told where a redirect points (an origin), when
      // the runtime shows it, to name it in ClientError.Redirect.
      decodeDeleteImages: guard((status, bodyText, redirectOrigin) =>
        wasm.decodeDeleteImagesParsed(status, bodyText, parsed(bodyText), redirectOrigin)),
      decodeResponse: guard((status, bodyText, redirectOrigin) =>
        wasm.decodeResponseParsed(status, bodyText, parsed(bodyText), redirectOrigin)),
      // Any action's answer, a successful one checked against the shape the core declares for
      // that action (DeleteImages, DescribeImages, DescribeImageSharePermission).
      decodeAction: guard((action, status, bodyText, redirectOrigin) =>
        wasm.decodeActionParsed(String(action), status, bodyText, parsed(bodyText), redirectOrigin)),
      // The declared fields of an action's answer: [{ path: 'ImageSet.*.OsName', kind, required }].
      answerFields: (action) => wasm.answerFields(String(action)),
      // The largest DescribeImages page (the paginators' default page size).
      describeImagesMaxLimit: env.constants.DESCRIBE_IMAGES_MAX_LIMIT,
      isRedirectStatus: (status) => typeof status === 'number' && wasm.isRedirectStatus(status),
      clientError: (code, message, httpStatus = 0) => new TencentCloudError(wasm.clientError(code, message, httpStatus)),
      // → { expiresAtMs?, credentials }: the core's verdict and the one snapshot it checked, which
      // the client keeps (the core never hands a secret back).
      checkCredentials: guard((answer, nowMs) => {
        const credentials = snapshot(answer, 'credentials');
        return { ...wasm.checkCredentials(credentials, nowMs), credentials };
      }),
      credentialsRejected: (code) => wasm.credentialsRejected(String(code)),
      // The HTTP status a console handler answers a failed call with.
      consoleStatus: (code) => wasm.consoleStatus(String(code)),
      // What an AuthFailure.SignatureFailure through a proxy adds to its message, or undefined.
      signatureHint: (code, signedHost, urlHost) => wasm.signatureHint(String(code), String(signedHost), String(urlHost)),
      checkCvmRoleOptions: guard((options) => wasm.checkCvmRoleOptions(snapshot(options, 'options'))),
      cvmRoleName: guard((text) => wasm.cvmRoleName(String(text))),
      outcomeUnknown: (code, httpStatus, notSent) => wasm.outcomeUnknown(String(code), httpStatus >>> 0 & 0xffff, notSent === true),
      batchAdvice: (code) => wasm.batchAdvice(String(code)),
      // → the lengths of the DeleteImages calls to cut `ids` into, by their requests' size.
      chunkImageIds: guard((ids, params, method, reserve) =>
        Array.from(wasm.chunkImageIds(ids.map(String), snapshot(params, 'params'), method === 'GET', reserve >>> 0))),
      isBusyImageState: (state) => typeof state === 'string' && wasm.isBusyImageState(state),
      flagText: (text) => wasm.flagText(String(text)),
      suggestName: (input, candidates) => wasm.suggestName(String(input), candidates.map(String)),
    }),
  });
  // Read from the core once (by the Node entry at load, by scripts/build.mjs for the others), so
  // they need no initialisation.
  api.VERSION = env.constants.VERSION;
  api.MAX_IMAGE_IDS_PER_CALL = env.constants.MAX_IMAGE_IDS_PER_CALL;
  api.KNOWN_REGIONS = Object.freeze(env.constants.KNOWN_REGIONS.slice());
  // The catalogue's codes (what the KnownErrorCode type is made of).
  api.KNOWN_ERROR_CODES = Object.freeze(env.constants.KNOWN_ERROR_CODES.slice());
  return api;
}
