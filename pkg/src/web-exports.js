// The API of the ES module entries (web.js, browser.js, workerd.js) as named exports, over the
// web glue; each entry loads the .wasm its own way through web-loader.js.
import * as glue from '../gen/web/cvm.js';
import constants from '../gen/constants.js';
import { createApi } from './api.js';
import { loaded } from './web-loader.js';

const api = createApi(glue, { ready: loaded, constants });

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
  CvmClient,
  CvmCallError,
  cvmRoleCredentials,
} = api;
export default api;
