// A TC3-HMAC-SHA256 reference signer on WebCrypto (`crypto.subtle`), written the way aws4fetch
// signs AWS SigV4: every SHA-256 and every HMAC step is an awaited `crypto.subtle` call, and the
// derived signing key (the raw bytes of SecretSigning) is kept in a small Map keyed by
// secret key + date + service, as aws4fetch keeps its kCredentials. Pass `{ cache: false }` for the
// uncached variant.
//
// Isomorphic on purpose: no Node imports, so the same file runs in Node (globalThis.crypto, Node ≥ 19)
// and in the benchmark page in Chromium. It is only a yardstick for the benchmark, checked against
// Tencent's published examples in tests/bench/quick.test.mjs.

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const CACHE_LIMIT = 64;

function subtle() {
  const s = globalThis.crypto && globalThis.crypto.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available here');
  return s;
}

function toHex(buffer) {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

function bytesOf(data) {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

async function sha256Hex(data) {
  return toHex(await subtle().digest('SHA-256', bytesOf(data)));
}

async function hmac(key, data) {
  const cryptoKey = await subtle().importKey('raw', bytesOf(key), { name: 'HMAC', hash: { name: 'SHA-256' } }, false, [
    'sign',
  ]);
  return subtle().sign('HMAC', cryptoKey, bytesOf(data));
}

/** UTC yyyy-mm-dd of Unix seconds. */
export function utcDate(timestamp) {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** Creates a WebCrypto signer with its own signing-key cache (aws4fetch keeps one per client). */
export function createWebCryptoSigner({ cache = true } = {}) {
  const keys = new Map();

  async function signingKey(secretKey, date, service) {
    const cacheKey = cache ? `${secretKey}\u0000${date}\u0000${service}` : '';
    if (cache) {
      const hit = keys.get(cacheKey);
      if (hit) return hit;
    }
    const kDate = await hmac('TC3' + secretKey, date);
    const kService = await hmac(kDate, service);
    const kSigning = await hmac(kService, 'tc3_request');
    if (cache) {
      if (keys.size >= CACHE_LIMIT) keys.delete(keys.keys().next().value);
      keys.set(cacheKey, kSigning);
    }
    return kSigning;
  }

  /** Same input shape as the package's `signTc3`; resolves the same fields. */
  return async function webCryptoSignTc3(input) {
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
    const hashedPayload = await sha256Hex(payload);
    const canonicalRequest = `${method}\n/\n${query}\n${canonicalHeaders}\n${signedHeaders}\n${hashedPayload}`;
    const date = utcDate(timestamp);
    const credentialScope = `${date}/${service}/tc3_request`;
    const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${credentialScope}\n${await sha256Hex(canonicalRequest)}`;
    const signature = toHex(await hmac(await signingKey(secretKey, date, service), stringToSign));
    const authorization =
      `TC3-HMAC-SHA256 Credential=${secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return { authorization, signature, canonicalRequest, stringToSign, credentialScope, signedHeaders, hashedPayload };
  };
}
