// The signers the benchmark compares with the package:
// - nodeCryptoSignTc3: the textbook TC3-HMAC-SHA256 on node:crypto (createHash/createHmac per step,
//   no cache), straight from Tencent's algorithm (shared reference §1);
// - sdkSign3 / sdkSignTc3: the official SDK's `Sign.sign3` (tencentcloud-sdk-nodejs-common), called
//   the way its HttpConnection.doRequestWithSign3 calls it;
// - sdkBuildDeleteImages: the rest of that SDK request path without the network (remove nulls,
//   header set, JSON body, sign3), mirrored from node_modules/…/common/http/http_connection.js and
//   abstract_client.js;
// - createWebCryptoSigner (re-exported): the aws4fetch-style crypto.subtle signer.
import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';

export { createWebCryptoSigner, utcDate } from './webcrypto-signer.mjs';

const require = createRequire(import.meta.url);

export const SDK_NAME = 'tencentcloud-sdk-nodejs-common';
/** Absolute path of the SDK's signer module. */
export const SDK_SIGN_PATH = require.resolve(`${SDK_NAME}/tencentcloud/common/sign.js`);
export const SDK_VERSION = require(`${SDK_NAME}/package.json`).version;
const Sign = require(SDK_SIGN_PATH).default;
// The SDK's own dependencies, resolved from the SDK's directory (what its request code uses).
const sdkRequire = createRequire(SDK_SIGN_PATH);
const JSONbigNative = sdkRequire('json-bigint')({ useNativeBigInt: true });
const isStream = sdkRequire('is-stream');
const { v4: uuidv4 } = sdkRequire('uuid');
const SDK_REQUEST_CLIENT = 'SDK_NODEJS_' + require(`${SDK_NAME}/tencentcloud/common/sdk_version.js`).sdkVersion;

// ---------------------------------------------------------------------------------------------
// node:crypto textbook signer

function sha256Hex(data) {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function hmac(key, data, encoding) {
  return createHmac('sha256', key).update(data, 'utf8').digest(encoding);
}

function utcDay(timestamp) {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** TC3-HMAC-SHA256, textbook, on node:crypto. Same input and output shape as the package's signTc3. */
export function nodeCryptoSignTc3(input) {
  const { secretId, secretKey, service, host, method, contentType, timestamp } = input;
  const query = method === 'GET' ? input.query || '' : '';
  const payload = input.payload || '';
  const headers = [
    ['content-type', String(contentType).trim().toLowerCase()],
    ['host', String(host).trim().toLowerCase()],
  ];
  if (input.signAction) headers.push(['x-tc-action', String(input.action).trim().toLowerCase()]);
  headers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const canonicalHeaders = headers.map(([k, v]) => `${k}:${v}\n`).join('');
  const signedHeaders = headers.map(([k]) => k).join(';');
  const hashedPayload = sha256Hex(payload);
  const canonicalRequest = `${method}\n/\n${query}\n${canonicalHeaders}\n${signedHeaders}\n${hashedPayload}`;
  const date = utcDay(timestamp);
  const credentialScope = `${date}/${service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`;
  const secretDate = hmac('TC3' + secretKey, date);
  const secretService = hmac(secretDate, service);
  const secretSigning = hmac(secretService, 'tc3_request');
  const signature = hmac(secretSigning, stringToSign, 'hex');
  const authorization =
    `TC3-HMAC-SHA256 Credential=${secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { authorization, signature, canonicalRequest, stringToSign, credentialScope, signedHeaders, hashedPayload };
}

// ---------------------------------------------------------------------------------------------
// The official SDK

/** `Sign.sign3` exactly; its arguments are the SDK's own (`payload` is the request object or a Buffer). */
export function sdkSign3(args) {
  return Sign.sign3(args);
}

/**
 * The SDK's sign3 on a `signTc3` input. sign3 always hashes `JSONbig.stringify(payload)` unless the
 * payload is a Buffer, so an exact body string is passed as a Buffer (that is how the SDK signs a
 * body it did not serialise itself). The SDK never signs x-tc-action: `signAction` inputs are refused.
 */
export function sdkSignTc3(input) {
  if (input.signAction) throw new Error('the SDK signs content-type;host only (no x-tc-action)');
  const query = input.method === 'GET' && input.query ? `?${input.query}` : '';
  return Sign.sign3({
    method: input.method,
    url: `https://${input.host}/${query}`,
    payload: input.payload ? Buffer.from(input.payload, 'utf8') : '',
    timestamp: input.timestamp,
    service: input.service,
    secretId: input.secretId,
    secretKey: input.secretKey,
    multipart: false,
    boundary: undefined,
    headers: { 'Content-Type': input.contentType },
  });
}

// Copied from the SDK's http_connection.js (not exported there).
function deepRemoveNull(obj) {
  if (Array.isArray(obj)) return obj.map(deepRemoveNull);
  if (typeof obj === 'object' && obj !== null && !isStream(obj) && !Buffer.isBuffer(obj)) {
    const result = {};
    for (const key in obj) {
      const value = obj[key];
      if (value !== null) result[key] = deepRemoveNull(value);
    }
    return result;
  }
  return obj;
}

/**
 * What the SDK does for `client.request('DeleteImages', params)` up to the network call
 * (AbstractClient.doRequestWithSign3 + HttpConnection.doRequestWithSign3, POST, permanent key):
 * the X-TC-TraceId uuid, deepRemoveNull, its header set, `JSONbig.stringify` of the body and
 * `Sign.sign3` (which serialises the payload again to hash it). The async read-stream scan is left
 * out, and the timestamp is passed in (the SDK reads the clock) so that results can be compared.
 * Returns `{ url, method, headers, body }` like the package's buildDeleteImages.
 */
export function sdkBuildDeleteImages(params, { secretId, secretKey, region, timestamp, endpoint = 'cvm.tencentcloudapi.com' }) {
  const traceHeaders = { 'X-TC-TraceId': uuidv4() };
  const url = 'https://' + endpoint + '/';
  const service = endpoint.split('.')[0];
  const data = deepRemoveNull(params);
  const headers = Object.assign({}, traceHeaders, {
    Host: new URL(url).host,
    'X-TC-Action': 'DeleteImages',
    'X-TC-Region': region,
    'X-TC-Timestamp': timestamp,
    'X-TC-Version': '2017-03-12',
    'X-TC-RequestClient': SDK_REQUEST_CLIENT,
  });
  const body = JSONbigNative.stringify(data);
  headers['Content-Type'] = headers['Content-Type'] || 'application/json';
  headers.Authorization = Sign.sign3({
    method: 'POST',
    url,
    payload: data,
    timestamp,
    service,
    secretId,
    secretKey,
    multipart: false,
    boundary: undefined,
    headers,
  });
  return { url, method: 'POST', headers, body };
}
