// The API of the ES module entries (web.js, browser.js, workerd.js) as named exports, over the
// web glue; each entry loads the .wasm its own way through web-loader.js.
import * as glue from '../gen/web/cvm.js';
import constants from '../gen/constants.js';
import { clientClass, createRuntime, roleCredentials } from './api.js';
import { createCore } from './core.js';
import { loaded } from './web-loader.js';

const core = createCore(glue, { ready: loaded, constants });

export const {
  ValidationError,
  TencentCloudError,
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
  CvmCallError,
} = core;
// Made only if imported: a bundler drops the client, the role provider and the fetch wrapper
// from a page that uses neither (/* @__PURE__ */ calls whose results nothing reads).
const runtime = /* @__PURE__ */ createRuntime(core);
export const CvmClient = /* @__PURE__ */ clientClass(core, runtime);
export const cvmRoleCredentials = /* @__PURE__ */ roleCredentials(core, runtime);
// The whole API (its non-enumerable `internal` included, through the prototype) for console.js.
export default /* @__PURE__ */ Object.assign(/* @__PURE__ */ Object.create(core), { CvmClient, cvmRoleCredentials });
