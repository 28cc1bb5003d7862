// TC3-HMAC-SHA256 as the server sees it: rebuilt from the headers and bytes actually received.
//
// This is deliberately a second, independent implementation (node:crypto only, nothing from pkg/
// or src/): it exists to catch mistakes in the product's Rust signer. Its own truth is Tencent's
// worked examples (tests/emulator/tc3-vectors.test.mjs). Formulas: reference tencent-api-3.md §1.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
/** Largest accepted distance between X-TC-Timestamp and the server clock ("more than 5 minutes"). */
export const MAX_CLOCK_SKEW_SEC = 300;
/** §1: the signed headers must include these two. */
const REQUIRED_SIGNED_HEADERS = ['content-type', 'host'];

// "TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=<a;b>, Signature=<hex>"
const AUTHORIZATION_SHAPE = new RegExp(
  '^TC3-HMAC-SHA256 +Credential=([^/\\s,]+)/(\\d{4}-\\d{2}-\\d{2})/([a-z0-9-]+)/tc3_request *, *' +
    'SignedHeaders=([a-z0-9-]+(?:;[a-z0-9-]+)*) *, *Signature=([0-9a-f]{64})$',
);
const TIMESTAMP_SHAPE = /^\d{1,12}$/;

export function sha256Hex(data) {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key, message) {
  return createHmac('sha256', key).update(message).digest();
}

/**
 * SecretDate = HMAC("TC3"+SecretKey, Date); SecretService = HMAC(SecretDate, service);
 * SecretSigning = HMAC(SecretService, "tc3_request"). Each stage is returned so tests can compare
 * it with Tencent's Example 2.
 */
export function deriveSigningKey(secretKey, date, service) {
  const secretDate = hmac('TC3' + secretKey, date);
  const secretService = hmac(secretDate, service);
  const secretSigning = hmac(secretService, 'tc3_request');
  return { secretDate, secretService, secretSigning };
}

/** The credential-scope date: the UTC (not local) calendar day of a Unix timestamp. */
export function utcDate(timestampSec) {
  return new Date(timestampSec * 1000).toISOString().slice(0, 10);
}

/**
 * CanonicalRequest = Method \n "/" \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n
 * HashedRequestPayload, where CanonicalHeaders is "name:value\n" per signed header (both lower-cased
 * and trimmed). `headers` is a list of [name, value] pairs in signed order.
 */
export function canonicalRequest({ method, rawQuery, headers, hashedPayload }) {
  const canonicalHeaders = headers.map(([name, value]) => `${name}:${value.trim().toLowerCase()}\n`).join('');
  const signedHeaders = headers.map(([name]) => name).join(';');
  return [method, '/', rawQuery, canonicalHeaders, signedHeaders, hashedPayload].join('\n');
}

/** StringToSign = Algorithm \n Timestamp \n CredentialScope \n hex(SHA256(CanonicalRequest)). */
export function stringToSign(timestampSec, credentialScope, canonical) {
  return [TC3_ALGORITHM, String(timestampSec), credentialScope, sha256Hex(canonical)].join('\n');
}

function signatureOf(secretKey, date, service, toSign) {
  const { secretSigning } = deriveSigningKey(secretKey, date, service);
  return createHmac('sha256', secretSigning).update(toSign).digest('hex');
}

/** Parses the Authorization header; null when it does not have the exact TC3 shape. */
export function parseAuthorization(value) {
  const match = typeof value === 'string' ? AUTHORIZATION_SHAPE.exec(value.trim()) : null;
  if (!match) return null;
  const [, secretId, date, service, signedHeaders, signature] = match;
  return { secretId, date, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** Case-insensitive header lookup over a plain object (node's req.headers or a test's literal). */
function headerReader(headers) {
  const byName = new Map();
  for (const [name, value] of Object.entries(headers ?? {})) {
    byName.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
  }
  return (name) => byName.get(name);
}

function fail(code, message, details = {}) {
  return { ok: false, code, message, ...details };
}

function isStrictlyAscending(names) {
  return names.every((name, i) => i === 0 || names[i - 1] < name);
}

/**
 * Verifies a received request. Pure: the clock (`now`, Unix seconds) and the credential list are
 * inputs. `credentials` is a list of {secretId, secretKey, token?, expiresAt?}; one with a token is
 * temporary and requires X-TC-Token to equal it; from `expiresAt` (Unix seconds) on it is refused. `body` is the raw bytes (Buffer or string) received.
 *
 * Checks, in order (first failure wins): Authorization shape → X-TC-Timestamp present and numeric →
 * skew ≤ 300 s → scope service → scope date = UTC day of the timestamp → SignedHeaders (sorted,
 * include content-type and host, each present) → SecretId known → signature → token → expiry (`expiresAt`).
 *
 * Returns {ok: true, secretId, temporary, timestamp, signedHeaders, canonicalRequest, stringToSign}
 * or {ok: false, code, message[, canonicalRequest, stringToSign]}. Nothing returned is secret.
 */
export function verifyTc3({ method, headers, rawQuery = '', body = '', now, credentials, service = 'cvm' }) {
  const header = headerReader(headers);
  const authorization = header('authorization');
  if (authorization === undefined || authorization === '') {
    return fail('AuthFailure.InvalidAuthorization', 'The Authorization header is missing.');
  }
  const auth = parseAuthorization(authorization);
  if (!auth) {
    return fail(
      'AuthFailure.InvalidAuthorization',
      'The Authorization header does not have the form "TC3-HMAC-SHA256 Credential=<SecretId>/<Date>/<service>/tc3_request, SignedHeaders=<headers>, Signature=<64 hex>".',
    );
  }

  const timestampText = header('x-tc-timestamp');
  if (timestampText === undefined || timestampText === '') {
    return fail('MissingParameter', 'The request is missing the required parameter X-TC-Timestamp.');
  }
  if (!TIMESTAMP_SHAPE.test(timestampText)) {
    return fail('InvalidParameter', 'X-TC-Timestamp must be a Unix time in seconds.');
  }
  const timestamp = Number(timestampText);
  const skew = Math.abs(now - timestamp);
  if (skew > MAX_CLOCK_SKEW_SEC) {
    return fail(
      'AuthFailure.SignatureExpire',
      `Signature expired: X-TC-Timestamp ${timestamp} is ${skew} s away from the server time ${now} (at most ${MAX_CLOCK_SKEW_SEC} s allowed).`,
    );
  }
  if (auth.service !== service) {
    return fail('AuthFailure.InvalidAuthorization', `The credential scope names service "${auth.service}"; this endpoint is "${service}".`);
  }
  const date = utcDate(timestamp);
  if (auth.date !== date) {
    return fail('AuthFailure.SignatureFailure', `The credential scope date ${auth.date} is not the UTC date ${date} of X-TC-Timestamp.`);
  }

  const names = auth.signedHeaders;
  const missingRequired = REQUIRED_SIGNED_HEADERS.find((name) => !names.includes(name));
  if (missingRequired) {
    return fail('AuthFailure.InvalidAuthorization', `SignedHeaders must include ${REQUIRED_SIGNED_HEADERS.join(' and ')}; ${missingRequired} is missing.`);
  }
  if (!isStrictlyAscending(names)) {
    return fail('AuthFailure.InvalidAuthorization', 'SignedHeaders must be sorted in ASCII order without repeats.');
  }
  const absent = names.find((name) => header(name) === undefined);
  if (absent) {
    return fail('AuthFailure.InvalidAuthorization', `The signed header ${absent} is not in the request.`);
  }

  const credential = credentials.find((candidate) => candidate.secretId === auth.secretId);
  if (!credential) {
    return fail('AuthFailure.SecretIdNotFound', 'The SecretId is not found; check that it is correct and enabled.');
  }

  const canonical = canonicalRequest({
    method,
    rawQuery,
    headers: names.map((name) => [name, header(name)]),
    hashedPayload: sha256Hex(body),
  });
  const toSign = stringToSign(timestamp, `${date}/${service}/tc3_request`, canonical);
  const expected = Buffer.from(signatureOf(credential.secretKey, date, service, toSign));
  const received = Buffer.from(auth.signature);
  if (!timingSafeEqual(expected, received)) {
    return fail(
      'AuthFailure.SignatureFailure',
      'The provided credentials could not be validated. Please check your signature is correct.',
      { canonicalRequest: canonical, stringToSign: toSign },
    );
  }

  const temporary = credential.token !== undefined;
  if (temporary && header('x-tc-token') !== credential.token) {
    return fail('AuthFailure.TokenFailure', 'The X-TC-Token is missing or does not belong to these temporary credentials.');
  }
  if (credential.expiresAt !== undefined && now >= credential.expiresAt) {
    return fail('AuthFailure.TokenFailure', 'The temporary credentials have expired.');
  }
  return { ok: true, secretId: auth.secretId, temporary, timestamp, signedHeaders: names, canonicalRequest: canonical, stringToSign: toSign };
}

/**
 * Signs a raw request the way Tencent's algorithm says, for tests that craft requests by hand.
 * `host` and `contentType` must be exactly what will be sent; `rawQuery` exactly the query sent
 * (GET) and `body` exactly the body sent (POST). `signAction` also signs x-tc-action.
 */
export function signTc3ForTests({
  secretId,
  secretKey,
  method = 'POST',
  host,
  contentType,
  rawQuery = '',
  body = '',
  timestamp,
  service = 'cvm',
  action,
  signAction = false,
}) {
  const headers = [
    ['content-type', contentType],
    ['host', host],
  ];
  if (signAction) headers.push(['x-tc-action', action]);
  const hashedPayload = sha256Hex(body);
  const canonical = canonicalRequest({ method, rawQuery, headers, hashedPayload });
  const date = utcDate(timestamp);
  const credentialScope = `${date}/${service}/tc3_request`;
  const toSign = stringToSign(timestamp, credentialScope, canonical);
  const signature = signatureOf(secretKey, date, service, toSign);
  const signedHeaders = headers.map(([name]) => name).join(';');
  return {
    authorization: `${TC3_ALGORITHM} Credential=${secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    signature,
    canonicalRequest: canonical,
    stringToSign: toSign,
    credentialScope,
    signedHeaders,
    hashedPayload,
  };
}
