// The error codes the JavaScript layer acts on or raises by name, re-exported from the core's
// catalogue (src/response/catalogue.rs NAMED_CODES, handed over in constants() as ERROR_CODES and written
// into gen/constants.js by the build): the one JavaScript home of codes. No other file spells a
// `ClientError.*` or Tencent code; what a code means and whether it is retryable stays the
// catalogue's (core.internal.clientError, describeError).
import constants from '../gen/constants.js';

/**
 * { network, timeout, aborted, credentials, invalidResponse, redirect, signatureExpire,
 * imageNotFound, imageIncorrectState, invalidAuthorization } → the code.
 */
export const CODES = /* @__PURE__ */ Object.freeze({ ...constants.ERROR_CODES });
