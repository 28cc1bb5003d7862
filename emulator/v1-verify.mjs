// Legacy signature v1 (HmacSHA1 / HmacSHA256) as the server sees it: rebuilt from the parameters
// actually received, in the query (GET) or an application/x-www-form-urlencoded body (POST).
//
// Like tc3-verify.mjs, a second, independent implementation (node:crypto only, nothing from pkg/ or
// src/), there to catch mistakes in the product's Rust signer. Its own truth is Tencent's worked
// example (tests/emulator/v1-verify.test.mjs). Formulas: reference tencent-api-3.md §2.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error.mjs';
import { decodePairs, paramsFromPairs } from './query-params.mjs';
import { MAX_CLOCK_SKEW_SEC } from './tc3-verify.mjs';

/** The public parameters of a v1 request; every other parameter is the action's. */
export const V1_PUBLIC_PARAMS = ['Action', 'Region', 'Timestamp', 'Nonce', 'SecretId', 'SignatureMethod', 'Token', 'Version', 'Language', 'Signature'];
/** SignatureMethod → node:crypto's HMAC; absent means HmacSHA1. */
const HMACS = new Map([
  ['HmacSHA1', 'sha1'],
  ['HmacSHA256', 'sha256'],
]);
const TIMESTAMP_SHAPE = /^\d{1,12}$/;
const NONCE_SHAPE = /^[1-9]\d{0,18}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function formText(body) {
  try {
    return typeof body === 'string' ? body : utf8.decode(body);
  } catch {
    throw new ApiError('InvalidParameter', 'The form body is not valid UTF-8.');
  }
}

/**
 * A v1 request's decoded parameters, or null when the request is not v1: one is v1 when it has no
 * Authorization header and a `Signature` parameter, in the query (GET) or in an
 * application/x-www-form-urlencoded body (POST). Malformed encoding throws InvalidParameter.
 */
export function readV1({ method, headers, rawQuery = '', body = '' }) {
  if (headers.authorization !== undefined && headers.authorization !== '') return null;
  let pairs;
  if (method === 'GET') {
    if (!/(^|&)Signature=/.test(rawQuery)) return null;
    pairs = decodePairs(rawQuery);
  } else {
    const type = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') return null;
    // A form body: `+` stands for a space (as URLSearchParams reads it), before %-decoding.
    pairs = decodePairs(formText(body).replace(/\+/g, '%20'));
  }
  const byName = new Map();
  for (const [name, value] of pairs) {
    if (byName.has(name)) throw new ApiError('InvalidParameter', `Parameter "${name}" is given more than once.`);
    byName.set(name, value);
  }
  if (!byName.has('Signature')) return null;
  return {
    pairs,
    get: (name) => byName.get(name),
    /** The action's own parameters, rebuilt into the shape a JSON body would have. */
    params: () => paramsFromPairs(pairs.filter(([name]) => !V1_PUBLIC_PARAMS.includes(name.split('.')[0]))),
  };
}

/** Action, region and language of a request if it is v1 (for logs and fault plans); never throws. */
export function describeV1(call) {
  try {
    const v1 = readV1(call);
    return v1 && { action: v1.get('Action'), region: v1.get('Region'), language: v1.get('Language') };
  } catch {
    return null;
  }
}

/**
 * StringToSign = Method + Host + "/" + "?" + the parameters but Signature, sorted by name (bytes,
 * so `InstanceIds.2` comes after `InstanceIds.12`), `name=value` with values not encoded, joined
 * by "&".
 */
export function v1StringToSign({ method, host, pairs }) {
  const sorted = pairs.filter(([name]) => name !== 'Signature').sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `${method}${host}/?${sorted.map(([name, value]) => `${name}=${value}`).join('&')}`;
}

/** Signature = Base64(HMAC(SecretKey, StringToSign)). */
export function v1Signature(secretKey, toSign, signatureMethod = 'HmacSHA1') {
  return createHmac(HMACS.get(signatureMethod), secretKey).update(toSign, 'utf8').digest('base64');
}

function fail(code, message, details = {}) {
  return { ok: false, code, message, ...details };
}

/**
 * Verifies a v1 request (`v1` from readV1). Pure: the clock (`now`, Unix seconds) and the
 * credential list are inputs, as for verifyTc3. Checks, in order (first failure wins): Timestamp
 * numeric → skew ≤ 300 s → Nonce a positive integer → SignatureMethod known → SecretId known →
 * signature → Token. (Action, Version and Region are checked by the caller, as for TC3.)
 *
 * Returns {ok: true, secretId, temporary, timestamp, stringToSign} or {ok: false, code, message}.
 */
export function verifyV1({ v1, method, host, now, credentials }) {
  const required = ['Timestamp', 'Nonce', 'SecretId'].find((name) => !v1.get(name));
  if (required) return fail('MissingParameter', `The request is missing the required parameter ${required}.`);
  const timestampText = v1.get('Timestamp');
  if (!TIMESTAMP_SHAPE.test(timestampText)) return fail('InvalidParameter', 'Timestamp must be a Unix time in seconds.');
  const timestamp = Number(timestampText);
  const skew = Math.abs(now - timestamp);
  if (skew > MAX_CLOCK_SKEW_SEC) {
    return fail(
      'AuthFailure.SignatureExpire',
      `Signature expired: Timestamp ${timestamp} is ${skew} s away from the server time ${now} (at most ${MAX_CLOCK_SKEW_SEC} s allowed).`,
    );
  }
  if (!NONCE_SHAPE.test(v1.get('Nonce'))) return fail('InvalidParameter', 'Nonce must be a positive integer.');
  const signatureMethod = v1.get('SignatureMethod') ?? 'HmacSHA1';
  if (!HMACS.has(signatureMethod)) return fail('InvalidParameterValue', 'SignatureMethod must be HmacSHA1 or HmacSHA256.');
  const secretId = v1.get('SecretId');
  const credential = credentials.find((candidate) => candidate.secretId === secretId);
  if (!credential) return fail('AuthFailure.SecretIdNotFound', 'The SecretId is not found; check that it is correct and enabled.');

  const toSign = v1StringToSign({ method, host, pairs: v1.pairs });
  const expected = Buffer.from(v1Signature(credential.secretKey, toSign, signatureMethod));
  const received = Buffer.from(v1.get('Signature'));
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return fail('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.', { stringToSign: toSign });
  }
  const temporary = credential.token !== undefined;
  if (temporary && v1.get('Token') !== credential.token) {
    return fail('AuthFailure.TokenFailure', 'The Token is missing or does not belong to these temporary credentials.');
  }
  // As verifyTc3: a CAM role key is refused from its expiry on.
  if (credential.expiresAt !== undefined && now >= credential.expiresAt) {
    return fail('AuthFailure.TokenFailure', 'The temporary credentials have expired.');
  }
  return { ok: true, secretId, temporary, timestamp, stringToSign: toSign };
}

/** Signs parameters the v1 way, for tests that craft requests by hand: the encoded query or form. */
export function signV1ForTests({ secretKey, method = 'GET', host, params, signatureMethod }) {
  const pairs = Object.entries(params).map(([name, value]) => [name, String(value)]);
  if (signatureMethod !== undefined) pairs.push(['SignatureMethod', signatureMethod]);
  const stringToSign = v1StringToSign({ method, host, pairs });
  const signature = v1Signature(secretKey, stringToSign, signatureMethod);
  const encode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const encoded = [...pairs, ['Signature', signature]].map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
  return { stringToSign, signature, encoded };
}
