// `import … from 'tencentcloud-cvm-wasm'` in Node: the CommonJS entry's instance, as an ES module
// (so require and import share one set of classes).
import api from './node.cjs';

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
  loadCredentials,
  CredentialsError,
} = api;
export default api;
