// One API 3.0 call, from the bytes received to the Response fields: the checks the real endpoint
// makes, in the order the emulator makes them (README "Order of checks").
import { deleteImages } from './actions/delete-images.mjs';
import { describeImageSharePermission } from './actions/describe-image-share-permission.mjs';
import { describeImages } from './actions/describe-images.mjs';
import { ApiError } from './api-error.mjs';
import { REGIONS } from './image-store.mjs';
import { parseQueryParams } from './query-params.mjs';
import { verifyTc3 } from './tc3-verify.mjs';
import { readV1, verifyV1 } from './v1-verify.mjs';
import { policyAllows, STS_SERVICE, STS_VERSION } from './sts.mjs';

export const API_VERSION = '2017-03-12';
export const SERVICE = 'cvm';
/** Size limits of the real API (reference tencent-api-3.md §1). */
export const MAX_POST_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_GET_QUERY_BYTES = 32 * 1024;

const ACTIONS = new Map([
  ['DeleteImages', { run: deleteImages, rateLimited: true, service: SERVICE, version: API_VERSION }],
  ['DescribeImages', { run: describeImages, rateLimited: false, service: SERVICE, version: API_VERSION }],
  ['DescribeImageSharePermission', { run: describeImageSharePermission, rateLimited: false, service: SERVICE, version: API_VERSION }],
  // STS on the same endpoint (the real one is sts.tencentcloudapi.com): signed for service "sts".
  ['GetFederationToken', { sts: true, rateLimited: false, service: STS_SERVICE, version: STS_VERSION }],
]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A common parameter: the X-TC-<name> header (TC3), or the <name> parameter of a v1 request. */
function required(headers, v1, name) {
  const value = v1 ? v1.get(name) : headers[`x-tc-${name.toLowerCase()}`];
  if (value === undefined || value === '') {
    throw new ApiError('MissingParameter', `The request is missing the required parameter ${v1 ? name : `X-TC-${name}`}.`);
  }
  return value;
}

/** The media type of a Content-Type, without parameters such as charset. */
function mediaType(contentType = '') {
  return contentType.split(';')[0].trim().toLowerCase();
}

function jsonObjectBody(bytes) {
  if (bytes.length === 0) return {};
  let params;
  try {
    params = JSON.parse(utf8.decode(bytes));
  } catch {
    throw new ApiError('InvalidParameter', 'The request body is not valid UTF-8 JSON.');
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new ApiError('InvalidParameter', 'The request body must be a JSON object.');
  }
  return params;
}

/** Parameters from where API 3.0 puts them: the query string (GET) or a JSON body (POST). */
function readParams({ method, headers, rawQuery, body }) {
  const type = mediaType(headers['content-type']);
  if (method === 'GET') {
    if (type !== 'application/x-www-form-urlencoded') {
      throw new ApiError('InvalidParameter', 'A GET request must have Content-Type application/x-www-form-urlencoded.');
    }
    return parseQueryParams(rawQuery);
  }
  if (type !== 'application/json') {
    throw new ApiError('InvalidParameter', 'A POST request must have Content-Type application/json (multipart is not modelled).');
  }
  return jsonObjectBody(body);
}

/**
 * Runs a received call and returns the Response fields (RequestId aside), or throws an ApiError.
 * `call` = {method, headers (lower-case names), rawQuery, body (Buffer), bodyTooLarge}.
 * `context` = {nowSec, credentials, limiter, store, sts?}.
 */
export function runApiCall(call, context) {
  const { method, headers, rawQuery, body, bodyTooLarge } = call;
  if (method !== 'GET' && method !== 'POST') {
    throw new ApiError('UnsupportedProtocol', `The HTTP method ${method} is not supported; use GET or POST.`);
  }
  if (bodyTooLarge) {
    throw new ApiError('RequestSizeLimitExceeded', `The request body exceeds ${MAX_POST_BODY_BYTES} bytes.`);
  }
  if (method === 'GET' && rawQuery.length > MAX_GET_QUERY_BYTES) {
    throw new ApiError('RequestSizeLimitExceeded', `The query string exceeds ${MAX_GET_QUERY_BYTES} bytes.`);
  }

  // No Authorization header and a Signature parameter: legacy signature v1 (v1-verify.mjs).
  const v1 = readV1(call);
  const actionName = required(headers, v1, 'Action');
  const version = required(headers, v1, 'Version');
  required(headers, v1, 'Timestamp');
  const action = ACTIONS.get(actionName);
  const expectedVersion = action?.version ?? API_VERSION;
  if (version !== expectedVersion) {
    throw new ApiError('NoSuchVersion', `The API version ${version} does not exist; ${action?.service === STS_SERVICE ? 'STS' : 'CVM'} is ${expectedVersion}.`);
  }
  if (!action) throw new ApiError('InvalidAction', `The action ${actionName} does not exist.`);
  const region = required(headers, v1, 'Region');

  const verdict = v1
    ? verifyV1({ v1, method, host: headers.host, now: context.nowSec(), credentials: context.credentials })
    : verifyTc3({
        method,
        headers,
        rawQuery,
        body,
        now: context.nowSec(),
        credentials: context.credentials,
        service: action.service,
      });
  if (!verdict.ok) throw new ApiError(verdict.code, verdict.message);

  // Counted per SecretId, after authentication: unauthenticated noise does not use up the quota.
  if (action.rateLimited && !context.limiter.admit(verdict.secretId)) {
    throw new ApiError('RequestLimitExceeded', `${actionName} allows at most ${context.limiter.limit} requests per second.`);
  }
  if (!REGIONS.includes(region)) {
    throw new ApiError('UnsupportedRegion', `The region ${region} is not supported.`);
  }
  // CAM: a temporary key from GetFederationToken may do what its policy allows, nothing else.
  const key = context.credentials.find((c) => c.secretId === verdict.secretId);
  if (key?.policy && !policyAllows(key.policy, action.service, actionName, region)) {
    throw new ApiError('UnauthorizedOperation', `The temporary key's policy does not allow ${action.service}:${actionName} in ${region}.`);
  }
  const params = v1 ? v1.params() : readParams(call);
  if (action.sts) {
    if (!context.sts) throw new ApiError('InvalidAction', `The action ${actionName} does not exist.`);
    return context.sts.getFederationToken(params, verdict);
  }
  return action.run(params, context.store.region(region));
}
