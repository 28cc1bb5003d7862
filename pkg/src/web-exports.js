// The API of the ES module entries (web.js, browser.js, workerd.js) as named exports, over the
// web glue; each entry loads the .wasm its own way through web-loader.js.
// Each export is made by its own /* @__PURE__ */ call from the glue function it calls, so a
// bundler drops what a page does not import: the exports, the glue behind them, the client, the
// role provider and the fetch wrapper (tests/package/tree-shaking.test.mjs).
import * as glue from '../gen/web/cvm.js';
import constants, { KNOWN_ERROR_CODES as ERROR_CODES, KNOWN_REGIONS as REGIONS, MAX_IMAGE_IDS_PER_CALL, VERSION } from '../gen/constants.js';
import { clientClass, createRuntime, roleCredentials } from './api.js';
import {
  CvmCallError,
  TencentCloudError,
  ValidationError,
  assembleCore,
  createGuard,
  createInternal,
  frozenCopy,
  rateLimiterClass,
  wrapBackoffDelayMs,
  wrapBuildDeleteImages,
  wrapBuildRequest,
  wrapCheckDeleteImages,
  wrapDecodeDeleteImages,
  wrapDecodeResponse,
  wrapDescribeError,
  wrapIsKnownRegion,
  wrapParseHttpDate,
  wrapSignTc3,
  wrapValidateDeleteImages,
  wrapValidateRegion,
} from './core.js';
import { loaded } from './web-loader.js';

const guard = /* @__PURE__ */ createGuard(loaded);

export { ValidationError, TencentCloudError, CvmCallError };
export const signTc3 = /* @__PURE__ */ wrapSignTc3(guard, { signTc3: glue.signTc3, fixedInput: glue.fixedInput, fixedMemory: glue.fixedMemory, signTc3Fixed: glue.signTc3Fixed });
export const buildDeleteImages = /* @__PURE__ */ wrapBuildDeleteImages(guard, glue.buildDeleteImages);
export const buildRequest = /* @__PURE__ */ wrapBuildRequest(guard, glue.buildRequest);
export const validateDeleteImages = /* @__PURE__ */ wrapValidateDeleteImages(guard, glue.validateDeleteImages);
export const checkDeleteImages = /* @__PURE__ */ wrapCheckDeleteImages(guard, glue.checkDeleteImages);
export const validateRegion = /* @__PURE__ */ wrapValidateRegion(guard, glue.validateRegion);
export const isKnownRegion = /* @__PURE__ */ wrapIsKnownRegion(guard, glue.isKnownRegion);
export const decodeDeleteImages = /* @__PURE__ */ wrapDecodeDeleteImages(guard, glue.decodeDeleteImagesParsed);
export const decodeResponse = /* @__PURE__ */ wrapDecodeResponse(guard, glue.decodeResponseParsed);
export const describeError = /* @__PURE__ */ wrapDescribeError(guard, glue.describeError);
export const backoffDelayMs = /* @__PURE__ */ wrapBackoffDelayMs(guard, glue.backoffDelayMs);
export const parseHttpDate = /* @__PURE__ */ wrapParseHttpDate(guard, glue.parseHttpDate);
export const RateLimiter = /* @__PURE__ */ rateLimiterClass(guard, glue.RateLimiter);
export { VERSION, MAX_IMAGE_IDS_PER_CALL };
export const KNOWN_REGIONS = /* @__PURE__ */ frozenCopy(REGIONS);
// The catalogue's codes (what the KnownErrorCode type is made of).
export const KNOWN_ERROR_CODES = /* @__PURE__ */ frozenCopy(ERROR_CODES);

// The whole API in one object, as createCore makes it (for the client, the role provider and the
// default export).
const core = /* @__PURE__ */ assembleCore(
  {
    ValidationError,
    TencentCloudError,
    CvmCallError,
    signTc3,
    buildDeleteImages,
    buildRequest,
    validateDeleteImages,
    checkDeleteImages,
    validateRegion,
    isKnownRegion,
    decodeDeleteImages,
    decodeResponse,
    describeError,
    backoffDelayMs,
    parseHttpDate,
    RateLimiter,
    VERSION,
    MAX_IMAGE_IDS_PER_CALL,
    KNOWN_REGIONS,
    KNOWN_ERROR_CODES,
  },
  /* @__PURE__ */ createInternal(guard, glue, constants),
);
// Made only if imported: a bundler drops the client, the role provider and the fetch wrapper
// from a page that uses neither (/* @__PURE__ */ calls whose results nothing reads).
const runtime = /* @__PURE__ */ createRuntime(core);
export const CvmClient = /* @__PURE__ */ clientClass(core, runtime);
export const cvmRoleCredentials = /* @__PURE__ */ roleCredentials(core, runtime);
// The whole API (its non-enumerable `internal` included, through the prototype) for console.js.
export default /* @__PURE__ */ Object.assign(/* @__PURE__ */ Object.create(core), { CvmClient, cvmRoleCredentials });
