// No secret key stays in wasm memory after a call: the whole of `memory.buffer` is searched for
// every 6-byte window of the key — in clear, and as the HMAC's key blocks hold it ("TC3" + key
// ⊕ 0x36 / 0x5c) — after calls through the fixed layout (pkg/src/fixed-input.js) and the general
// path, signing-key cache hits and misses, errors found before and after the key was read, and the
// builders. (Before the stack wipe after the cache's fingerprint, a second call found the key's
// bytes 16–24 in the shadow stack; the fixed layout's buffer is wiped by its reader.)
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const glue = require('../../pkg/gen/node/cvm.cjs');
const api = require('../../pkg/node.cjs');

const SECRET = 'Zq7mEmoRyScAnCaNaRyQw9Xv2Lk4Tp8Hd3Jf6WbUe5Gi1OsVtYhPx';
const SECRET_ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
const TS = 1551113065;

function needles(secret) {
  const out = [];
  const clear = Buffer.from(secret);
  const tc3 = Buffer.from(`TC3${secret}`);
  for (const [name, bytes] of [['clear', clear], ['⊕0x36', tc3.map((b) => b ^ 0x36)], ['⊕0x5c', tc3.map((b) => b ^ 0x5c)]]) {
    for (let i = 0; i + 6 <= bytes.length; i++) out.push([`${name} bytes ${i}..${i + 6}`, Buffer.from(bytes.subarray(i, i + 6))]);
  }
  return out;
}

function found(secret) {
  const memory = Buffer.from(glue.fixedMemory().buffer);
  return needles(secret).filter(([, n]) => memory.includes(n)).map(([what]) => what);
}

const sign = (secretKey, patch = {}) => ({
  secretId: SECRET_ID, secretKey, service: 'cvm', host: 'cvm.tencentcloudapi.com', method: 'POST',
  contentType: 'application/json', payload: '{"ImageIds":["img-mfih409y"]}', timestamp: TS, ...patch,
});
const general = (input) => Object.assign(Object.create(null), input);
const attempt = (f) => {
  try {
    f();
  } catch {
    // errors are part of the exercise
  }
};

test('the memory holds no secret key after calls on either path', () => {
  // The needles are not in memory before: the search can find them only if a call leaves them.
  for (const secret of [SECRET, SECRET.slice(0, 32), `${SECRET.slice(0, 20)}密钥é`]) {
    assert.deepEqual(found(secret), [], 'before any call');
    const calls = {
      'fixed, miss': () => api.signTc3(sign(secret, { timestamp: TS + 86400 * 7 })),
      'fixed, hit': () => api.signTc3(sign(secret)),
      'fixed, hit again': () => api.signTc3(sign(secret, { action: 'DeleteImages', signAction: true })),
      'general, hit': () => api.signTc3(general(sign(secret))),
      'general, miss': () => api.signTc3(general(sign(secret, { timestamp: TS + 86400 * 9 }))),
      'fixed, non-ASCII payload': () => api.signTc3(sign(secret, { payload: '{"Name":"未命名"}' })),
      'fixed, bad host (after the key was read)': () => attempt(() => api.signTc3(sign(secret, { host: 'a b' }))),
      'fixed, rule error': () => attempt(() => api.signTc3(sign(secret, { timestamp: -1 }))),
      'fixed → general, lone surrogate elsewhere': () => attempt(() => api.signTc3(sign(secret, { payload: '\uD800' }))),
      'fixed → general, a fraction': () => attempt(() => api.signTc3(sign(secret, { timestamp: TS + 0.5 }))),
      'fixed → general, an unknown key': () => attempt(() => api.signTc3(sign(secret, { region: 'x' }))),
      buildDeleteImages: () => api.buildDeleteImages({ ImageIds: ['img-1'] }, { secretId: SECRET_ID, secretKey: secret, region: 'ap-guangzhou', timestamp: TS }),
      'buildDeleteImages again': () => api.buildDeleteImages({ ImageIds: ['img-1'] }, { secretId: SECRET_ID, secretKey: secret, region: 'ap-guangzhou', timestamp: TS }),
      buildRequest: () => api.buildRequest('DescribeImages', {}, { secretId: SECRET_ID, secretKey: secret, region: 'ap-guangzhou', timestamp: TS }),
    };
    for (const [name, call] of Object.entries(calls)) {
      for (let i = 0; i < 3; i++) call();
      assert.deepEqual(found(secret), [], `${JSON.stringify(secret.slice(0, 4))}…: after ${name}`);
    }
  }
});

test('the search finds a key that is in memory', () => {
  // The key written by fixed-input.js's layout, before any read wipes it: the search must see it.
  const secret = 'Pq4rScanSelfTestKeyNotAnywhereElse88';
  assert.deepEqual(found(secret), []);
  const base = glue.fixedInput(64);
  new Uint8Array(glue.fixedMemory().buffer, base + 56, secret.length).set(Buffer.from(secret));
  assert.ok(found(secret).length > 0);
  new Uint8Array(glue.fixedMemory().buffer, base + 56, secret.length).fill(0);
  assert.deepEqual(found(secret), []);
});
