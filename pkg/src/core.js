/**
 * The package's JavaScript core layer: the error classes, and the wasm exports wrapped so that
 * errors come out as `ValidationError` / `TencentCloudError`. An ES module that imports nothing:
 * but the boundary format: each entry hands it the wasm-bindgen exports it loaded (see api.js),
 * so one file serves Node, browsers, bundlers and edge runtimes.
 * Arguments cross into wasm as text written by boundary.js's walk and read once by the core
 * (src/boundary/mod.rs); results come back as text read into plain objects. Nothing here re-implements
 * the core.
 *
 * Each export is made by its own function from the one wasm export it calls (`wrap*` below), so
 * that the ES module entries (web-exports.js) can make each with a `/* @__PURE__ *\/` call: a
 * bundler then drops the exports a page does not import, and the wasm-bindgen glue functions only
 * they call. `createCore` makes them all at once (the Node entry, the console).
 */
import { createEncoder, decodeAnswer, decodeValue, encodeParsed, encodeStrings } from './boundary.js';
import { createFixedSigner } from './fixed-input.js';

/** Bad input, found before anything was sent: every problem in `issues`, the first one's own. */
export class ValidationError extends Error {
  constructor({ field, code, message, issues }) {
    super(message);
    this.name = 'ValidationError';
    this.field = field;
    this.code = code;
    this.issues = Array.isArray(issues) && issues.length > 0 ? issues : [{ field, code, message }];
  }
}

/** A failed call: a Tencent error envelope or a transport failure. */
export class TencentCloudError extends Error {
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

/**
 * What a CvmClient call rejects with when the call failed (besides a ValidationError for bad
 * parameters): a TencentCloudError that also carries the attempts made and their history, so
 * `e instanceof CvmCallError` narrows to a type with both.
 */
export class CvmCallError extends TencentCloudError {
  constructor(error, history) {
    super(error);
    // The message as the call left it (a proxy's hint, the probably-deleted note).
    this.message = error.message;
    if (error.cause !== undefined) this.cause = error.cause;
    if (error.probablyDeletedByEarlierAttempt === true) this.probablyDeletedByEarlierAttempt = true;
    this.attempts = history.length;
    this.history = history;
  }
}

function rethrow(e) {
  if (e && e.kind === 'ValidationError') throw new ValidationError(e);
  if (e && e.kind === 'TencentCloudError') throw new TencentCloudError(e);
  throw e;
}

/**
 * `guard(f)` wraps a wasm call: checks initialisation (`ready()`), turns `{ kind }` error objects
 * into classes.
 */
export function createGuard(ready) {
  return function guard(f) {
    return function (...args) {
      if (!ready()) {
        throw new Error('tencentcloud-cvm-wasm is not initialised: call `await init()` (the default export) once before using it');
      }
      try {
        return f(...args);
      } catch (e) {
        return rethrow(e);
      }
    };
  };
}

// What crosses into wasm is the caller's object as boundary.js's walk reads it, once (as
// JSON.stringify does, honouring `toJSON`), in JavaScript: a throwing getter or proxy trap
// never unwinds through wasm frames, an unpaired surrogate never becomes U+FFFD in a signed
// request, a cycle, Map, Set or invalid Date is refused here. Every other judgement — types,
// names, values — is the core's.
function unreadable(field, why, code = 'InvalidParameter') {
  return new ValidationError({ field, code, message: `${field} ${why}` });
}
const encode = /* @__PURE__ */ createEncoder(unreadable, (e) => e instanceof ValidationError);

/** A call's answer: its result, or its error thrown as a class. */
const answer = (text) => decodeAnswer(text, rethrow);

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

/**
 * A signed request; the signing stages ride along as a non-enumerable `signing`. The fields as
 * the core writes them (src/request/mod.rs `SignedRequest`: url, method, headers, body unless GET,
 * redirect, signing), copied into a fresh object that `signing` is then added to: making the
 * decoded object's own `signing` non-enumerable cost V8 about 2.5 times as much.
 */
function signedRequest(r) {
  const request = r.body === undefined
    ? { url: r.url, method: r.method, headers: r.headers, redirect: r.redirect }
    : { url: r.url, method: r.method, headers: r.headers, body: r.body, redirect: r.redirect };
  Object.defineProperty(request, 'signing', { value: r.signing, writable: true, enumerable: false, configurable: true });
  return request;
}

/** The runtime's JSON.parse reads the body; the core judges what it is. */
function parsed(bodyText) {
  if (typeof bodyText !== 'string') return 'u';
  let value;
  try {
    value = JSON.parse(bodyText);
  } catch {
    return 'u';
  }
  return encodeParsed(value);
}

// The exports, each from `guard` and the wasm export(s) it calls.
// The common shape through the fixed layout (fixed-input.js; `glue`: signTc3, fixedInput,
// fixedMemory, signTc3Fixed), anything else as every export.
export const wrapSignTc3 = (guard, glue) => guard(createFixedSigner(glue, {
  general: (input) => answer(glue.signTc3(encode(input, 'input'))),
  answer,
  unreadable,
  isOwn: (e) => e instanceof ValidationError,
}));
export const wrapBuildDeleteImages = (guard, buildDeleteImages) =>
  guard((params, options) => signedRequest(answer(buildDeleteImages(encode(params, 'params'), encode(resolveEndpoint(options), 'options')))));
// Absent params mean `{}`; null is a mistake the core reports.
export const wrapBuildRequest = (guard, buildRequest) =>
  guard((action, params = {}, options) =>
    signedRequest(answer(buildRequest(action, encode(params, 'params'), encode(resolveEndpoint(options), 'options')))));
export const wrapValidateDeleteImages = (guard, validateDeleteImages) =>
  guard((params) => answer(validateDeleteImages(encode(params, 'params'))));
export const wrapCheckDeleteImages = (guard, checkDeleteImages) =>
  guard((params, options) => {
    try {
      return answer(checkDeleteImages(encode(params, 'params'), encode(resolveEndpoint(options), 'options')));
    } catch (e) {
      if (e instanceof ValidationError) return e.issues;
      throw e;
    }
  });
export const wrapValidateRegion = (guard, validateRegion) => guard((region) => answer(validateRegion(region)));
export const wrapIsKnownRegion = (guard, isKnownRegion) => guard((region) => isKnownRegion(region));
export const wrapDecodeDeleteImages = (guard, decodeDeleteImagesParsed) =>
  guard((status, bodyText) => answer(decodeDeleteImagesParsed(status, bodyText, parsed(bodyText), undefined)));
export const wrapDecodeResponse = (guard, decodeResponseParsed) =>
  guard((status, bodyText) => answer(decodeResponseParsed(status, bodyText, parsed(bodyText), undefined)));
export const wrapDescribeError = (guard, describeError) => guard((code) => answer(describeError(code)));
export const wrapBackoffDelayMs = (guard, backoffDelayMs) =>
  guard((attempt, baseMs, capMs, random01) => backoffDelayMs(attempt, baseMs, capMs, random01));
export const wrapParseHttpDate = (guard, parseHttpDate) => guard((value) => parseHttpDate(value));

/**
 * At most `limit` requests in any `windowMs`, counted as a server may count them: wait
 * `delayMs(now)` (ask again after waiting), `commit(now)` when sending, and always
 * `settle(sentAt, answeredAt)` when the attempt ends (an unsettled request keeps counting).
 */
export function rateLimiterClass(guard, Inner) {
  const check = guard(() => {});
  class RateLimiter {
    #inner;
    constructor(limit, windowMs) {
      check();
      this.#inner = new Inner(limit, windowMs);
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
  }
  if (typeof Symbol.dispose === 'symbol') RateLimiter.prototype[Symbol.dispose] = RateLimiter.prototype.free;
  return RateLimiter;
}

/** A frozen copy of a constant list. */
export const frozenCopy = (list) => Object.freeze(list.slice());

/** A wasm object made by `make`, whose constructor throws its error answer (a string) when refused. */
function constructed(make) {
  try {
    return make();
  } catch (e) {
    if (typeof e === 'string') answer(e);
    throw e;
  }
}

/** For the package's own client and CLI (not part of the typed API). */
export function createInternal(guard, wasm, constants) {
  return Object.freeze({
    checkClientOptions: guard((options) => answer(wasm.checkClientOptions(encode(options, 'options')))),
    // A client's call checked once (action, params, connection: the request options but key and
    // timestamp), with its retry policy: `sign(timestamp, key)` per attempt (→ what is sent, no
    // signing stages), `decide(failure)` after a failed one (→ { next: 'retry' | 'resign' |
    // 'refresh' | 'fail', delayMs, clockOffsetSec, outcomeUnknown, probablyDeleted }), `free()`
    // when the call ends.
    // `connection`: the options object, or a `clientConnection(options)` checked before (a
    // client's, once for all its calls).
    prepareCall: guard((action, params, connection, policy) => {
      const inner = constructed(() => (connection instanceof wasm.ClientConnection
        ? wasm.PreparedCall.over(connection, action, encode(params, 'params'), policy.retries,
          policy.correctClockSkew, policy.provider, policy.backoffBaseMs, policy.backoffCapMs)
        : new wasm.PreparedCall(action, encode(params, 'params'), encode(connection, 'options'), policy.retries,
          policy.correctClockSkew, policy.provider, policy.backoffBaseMs, policy.backoffCapMs)));
      return {
        sign: guard((timestamp, key) => answer(inner.sign(timestamp, key.secretId, key.secretKey, key.token))),
        decide: ({ code, httpStatus, retryable, notSent, serverSec, nowSec, random01 }) =>
          decodeValue(inner.decide(String(code), httpStatus, retryable === true, notSent === true, serverSec ?? NaN, nowSec, random01), 1),
        free: () => inner.free(),
      };
    }),
    // A client's connection (the request options but key and timestamp), checked once.
    clientConnection: guard((connection) => constructed(() => new wasm.ClientConnection(encode(connection, 'options')))),
    resolveEndpoint,
    // The decoders as the client calls them: told where a redirect points (an origin), when
    // the runtime shows it, to name it in ClientError.Redirect.
    decodeDeleteImages: guard((status, bodyText, redirectOrigin) =>
      answer(wasm.decodeDeleteImagesParsed(status, bodyText, parsed(bodyText), redirectOrigin))),
    decodeResponse: guard((status, bodyText, redirectOrigin) =>
      answer(wasm.decodeResponseParsed(status, bodyText, parsed(bodyText), redirectOrigin))),
    // Any action's answer, a successful one checked against the shape the core declares for
    // that action (DeleteImages, DescribeImages, DescribeImageSharePermission).
    decodeAction: guard((action, status, bodyText, redirectOrigin) =>
      answer(wasm.decodeActionParsed(String(action), status, bodyText, parsed(bodyText), redirectOrigin))),
    // The declared fields of an action's answer: [{ path: 'ImageSet.*.OsName', kind, required }].
    answerFields: (action) => decodeValue(wasm.answerFields(String(action)), 1),
    // The largest DescribeImages page (the paginators' default page size).
    describeImagesMaxLimit: constants.DESCRIBE_IMAGES_MAX_LIMIT,
    isRedirectStatus: (status) => typeof status === 'number' && wasm.isRedirectStatus(status),
    clientError: (code, message, httpStatus = 0) => new TencentCloudError(decodeValue(wasm.clientError(code, message, httpStatus), 1)),
    // → { expiresAtMs?, credentials }: the core's verdict and the one reading of the answer it
    // checked (read back from the same text), which the client keeps (the core never hands a
    // secret back).
    checkCredentials: guard((provided, nowMs) => {
      const text = encode(provided, 'credentials');
      return { ...answer(wasm.checkCredentials(text, nowMs)), credentials: decodeValue(text, 0, true) };
    }),
    credentialsRejected: (code) => wasm.credentialsRejected(String(code)),
    // The HTTP status a console handler answers a failed call with.
    consoleStatus: (code) => wasm.consoleStatus(String(code)),
    // What an AuthFailure.SignatureFailure through a proxy adds to its message, or undefined.
    signatureHint: (code, signedHost, urlHost) => wasm.signatureHint(String(code), String(signedHost), String(urlHost)),
    checkCvmRoleOptions: guard((options) => answer(wasm.checkCvmRoleOptions(encode(options, 'options')))),
    cvmRoleName: guard((text) => wasm.cvmRoleName(String(text))),
    outcomeUnknown: (code, httpStatus, notSent) => wasm.outcomeUnknown(String(code), httpStatus >>> 0 & 0xffff, notSent === true),
    batchAdvice: (code) => decodeValue(wasm.batchAdvice(String(code)), 1),
    // → the lengths of the DeleteImages calls to cut `ids` into, by their requests' size.
    chunkImageIds: guard((ids, params, method, reserve) =>
      answer(wasm.chunkImageIds(encodeStrings(ids.map(String)), encode(params, 'params'), method === 'GET', reserve >>> 0))),
    // → per id, the code of the DeleteImages rule it breaks on its own, or undefined.
    checkImageIds: (ids) => decodeValue(wasm.checkImageIds(encodeStrings(ids.map(String))), 1),
    isBusyImageState: (state) => typeof state === 'string' && wasm.isBusyImageState(state),
    flagText: (text) => wasm.flagText(String(text)),
    suggestName: (input, candidates) => wasm.suggestName(String(input), encodeStrings(candidates.map(String))),
  });
}

/**
 * The whole API as one object: `api` (the exports, in their order) with `internal` as a
 * non-enumerable property.
 */
export function assembleCore(api, internal) {
  return Object.defineProperty(api, 'internal', { enumerable: false, value: internal });
}

/**
 * The whole API over a loaded wasm-bindgen module (`wasm`; called only once `env.ready()` is
 * true) and the core's constants (`env.constants`, read from the core once: by the Node entry at
 * load, by scripts/build.mjs for the others, so they need no initialisation).
 */
export function createCore(wasm, env) {
  const guard = createGuard(env.ready);
  const { constants } = env;
  return assembleCore(
    {
      ValidationError,
      TencentCloudError,
      CvmCallError,
      signTc3: wrapSignTc3(guard, wasm),
      buildDeleteImages: wrapBuildDeleteImages(guard, wasm.buildDeleteImages),
      buildRequest: wrapBuildRequest(guard, wasm.buildRequest),
      validateDeleteImages: wrapValidateDeleteImages(guard, wasm.validateDeleteImages),
      checkDeleteImages: wrapCheckDeleteImages(guard, wasm.checkDeleteImages),
      validateRegion: wrapValidateRegion(guard, wasm.validateRegion),
      isKnownRegion: wrapIsKnownRegion(guard, wasm.isKnownRegion),
      decodeDeleteImages: wrapDecodeDeleteImages(guard, wasm.decodeDeleteImagesParsed),
      decodeResponse: wrapDecodeResponse(guard, wasm.decodeResponseParsed),
      describeError: wrapDescribeError(guard, wasm.describeError),
      backoffDelayMs: wrapBackoffDelayMs(guard, wasm.backoffDelayMs),
      parseHttpDate: wrapParseHttpDate(guard, wasm.parseHttpDate),
      RateLimiter: rateLimiterClass(guard, wasm.RateLimiter),
      VERSION: constants.VERSION,
      MAX_IMAGE_IDS_PER_CALL: constants.MAX_IMAGE_IDS_PER_CALL,
      KNOWN_REGIONS: frozenCopy(constants.KNOWN_REGIONS),
      // The catalogue's codes (what the KnownErrorCode type is made of).
      KNOWN_ERROR_CODES: frozenCopy(constants.KNOWN_ERROR_CODES),
    },
    createInternal(guard, wasm, constants),
  );
}
