// The emulator's legacy v1 verifier (emulator/v1-verify.mjs): Tencent's worked example as its
// truth (reference tencent-api-3.md §2, tests/vectors/v1-*), then raw v1 requests over HTTP —
// GET query and POST form, HmacSHA1 and HmacSHA256 — accepted, and every altered copy refused
// with the code TC3 would get.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readV1, signV1ForTests, v1Signature, v1StringToSign, verifyV1 } from '../../emulator/v1-verify.mjs';
import { codeOf, imageIds, nowSec, PERMANENT, quietEmulator, send, TEMPORARY } from './support.mjs';

const CASE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'vectors', 'v1-example-get-hmacsha1');
const read = (file) => readFileSync(path.join(CASE, file), 'utf8');

describe("Tencent's v1 example (GET DescribeInstances, HmacSHA1)", () => {
  const { action, params, options } = JSON.parse(read('context.json'));
  const pairs = [
    ['Action', action],
    ['InstanceIds.0', params.InstanceIds[0]],
    ['Limit', String(params.Limit)],
    ['Offset', String(params.Offset)],
    ['Nonce', String(options.nonce)],
    ['Region', options.region],
    ['SecretId', options.secretId],
    ['Timestamp', String(options.timestamp)],
    ['Version', '2017-03-12'],
  ];
  const toSign = v1StringToSign({ method: 'GET', host: 'cvm.tencentcloudapi.com', pairs });

  test('string to sign', () => assert.equal(toSign, read('string-to-sign.txt')));
  test('signature', () => assert.equal(v1Signature(options.secretKey, toSign), read('signature.txt')));
  test('another key or method does not reproduce it (the comparison can fail)', () => {
    assert.notEqual(v1Signature(`${options.secretKey}x`, toSign), read('signature.txt'));
    assert.notEqual(v1Signature(options.secretKey, toSign, 'HmacSHA256'), read('signature.txt'));
  });
  test('names sort by bytes: InstanceIds.12 before InstanceIds.2', () => {
    const s = v1StringToSign({ method: 'POST', host: 'h', pairs: [['InstanceIds.2', 'b'], ['InstanceIds.12', 'a'], ['Signature', 'x']] });
    assert.equal(s, 'POSTh/?InstanceIds.12=a&InstanceIds.2=b');
  });
});

describe('verifyV1 (pure)', () => {
  const host = '127.0.0.1:1';
  const now = 1_700_000_000;
  const credentials = [PERMANENT, TEMPORARY];
  const base = { Action: 'DeleteImages', Version: '2017-03-12', Region: 'ap-guangzhou', Timestamp: now, Nonce: 42, SecretId: PERMANENT.secretId, 'ImageIds.0': 'img-a' };
  function verdict({ params = base, signWith = PERMANENT.secretKey, signatureMethod, method = 'GET', tamper = (q) => q } = {}) {
    const { encoded } = signV1ForTests({ secretKey: signWith, method, host, params, signatureMethod });
    const v1 = readV1({ method, headers: {}, rawQuery: tamper(encoded) });
    return verifyV1({ v1, method, host, now, credentials });
  }

  test('accepts HmacSHA1 (SignatureMethod absent or explicit) and HmacSHA256', () => {
    for (const signatureMethod of [undefined, 'HmacSHA1', 'HmacSHA256']) {
      const v = verdict({ signatureMethod });
      assert.equal(v.ok, true, `${signatureMethod}: ${v.message}`);
      assert.equal(v.secretId, PERMANENT.secretId);
    }
  });
  test('refusals, with the codes TC3 gets', () => {
    const code = (options) => verdict(options).code;
    assert.equal(code({ signWith: 'wrong' }), 'AuthFailure.SignatureFailure');
    assert.equal(code({ tamper: (q) => q.replace('img-a', 'img-b') }), 'AuthFailure.SignatureFailure');
    assert.equal(code({ tamper: (q) => q.replace('Nonce=42', 'Nonce=43') }), 'AuthFailure.SignatureFailure');
    assert.equal(code({ params: { ...base, Timestamp: now - 301 } }), 'AuthFailure.SignatureExpire');
    assert.equal(code({ params: { ...base, Timestamp: now + 300 } }), undefined);
    assert.equal(code({ params: { ...base, SecretId: 'AKIDnobody' } }), 'AuthFailure.SecretIdNotFound');
    assert.equal(code({ params: { ...base, Nonce: 0 } }), 'InvalidParameter');
    assert.equal(code({ signatureMethod: 'HmacSHA256', tamper: (q) => q.replace('SignatureMethod=HmacSHA256', 'SignatureMethod=HmacMD5') }), 'InvalidParameterValue');
    const { Nonce, ...noNonce } = base;
    assert.equal(Nonce, 42);
    assert.equal(code({ params: noNonce }), 'MissingParameter');
  });
  test('a temporary key needs its Token, signed', () => {
    const params = { ...base, SecretId: TEMPORARY.secretId };
    assert.equal(verdict({ params, signWith: TEMPORARY.secretKey }).code, 'AuthFailure.TokenFailure');
    assert.equal(verdict({ params: { ...params, Token: 'other' }, signWith: TEMPORARY.secretKey }).code, 'AuthFailure.TokenFailure');
    assert.equal(verdict({ params: { ...params, Token: TEMPORARY.token }, signWith: TEMPORARY.secretKey }).ok, true);
  });
  test('a CAM role key is refused from its expiry on, as TC3 refuses it', () => {
    const role = { secretId: 'AKIDrole', secretKey: 'role-key', token: 'role-token' };
    const params = { ...base, SecretId: role.secretId, Token: role.token };
    const { encoded } = signV1ForTests({ secretKey: role.secretKey, method: 'GET', host, params });
    const at = (expiresAt) => verifyV1({ v1: readV1({ method: 'GET', headers: {}, rawQuery: encoded }), method: 'GET', host, now, credentials: [{ ...role, expiresAt }] });
    assert.equal(at(now + 1).ok, true);
    const expired = at(now);
    assert.equal(expired.code, 'AuthFailure.TokenFailure');
    assert.match(expired.message, /expired/);
  });
  test('a form body reads `+` as a space, as a form decoder does (a raw `+` signed as `+` fails)', () => {
    const params = { ...base, 'ImageIds.0': 'a+b' };
    const { encoded } = signV1ForTests({ secretKey: PERMANENT.secretKey, method: 'POST', host, params });
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    assert.equal(verifyV1({ v1: readV1({ ...form, body: encoded }), method: 'POST', host, now, credentials }).ok, true);
    const raw = encoded.replace('a%2Bb', 'a+b');
    assert.notEqual(raw, encoded);
    const v1 = readV1({ ...form, body: raw });
    assert.equal(v1.get('ImageIds.0'), 'a b');
    assert.equal(verifyV1({ v1, method: 'POST', host, now, credentials }).code, 'AuthFailure.SignatureFailure');
  });
  test('what is not v1 is left to TC3', () => {
    assert.equal(readV1({ method: 'GET', headers: {}, rawQuery: 'Action=DeleteImages' }), null);
    assert.equal(readV1({ method: 'GET', headers: { authorization: 'TC3-HMAC-SHA256 x' }, rawQuery: 'Signature=x' }), null);
    assert.equal(readV1({ method: 'POST', headers: { 'content-type': 'application/json' }, body: 'Signature=x' }), null);
    assert.ok(readV1({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'Signature=x' }));
  });
});

describe('v1 requests over HTTP', () => {
  let running;
  before(async () => {
    running = await quietEmulator();
  });
  after(() => running.close());
  beforeEach(() => running.emulator.reset());

  function request({ method, params, signatureMethod, credential = PERMANENT, timestamp = nowSec() }) {
    const host = `127.0.0.1:${running.port}`;
    const all = { Action: 'DeleteImages', Version: '2017-03-12', Region: 'ap-guangzhou', Timestamp: timestamp, Nonce: 7, SecretId: credential.secretId, ...params };
    if (credential.token) all.Token = credential.token;
    const { encoded } = signV1ForTests({ secretKey: credential.secretKey, method, host, params: all, signatureMethod });
    const headers = { Host: host, 'Content-Type': 'application/x-www-form-urlencoded' };
    return method === 'GET' ? { method, path: `/?${encoded}`, headers } : { method, path: '/', headers, body: encoded };
  }

  for (const method of ['GET', 'POST']) {
    for (const signatureMethod of [undefined, 'HmacSHA256']) {
      test(`${method} ${signatureMethod ?? 'HmacSHA1'}: DeleteImages deletes, parameters rebuilt from ImageIds.N`, async () => {
        const ids = ['img-gznorm01', 'img-gznorm02'];
        const params = { 'ImageIds.0': ids[0], 'ImageIds.1': ids[1] };
        const answer = await send(running.port, request({ method, params, signatureMethod }));
        assert.equal(codeOf(answer), 'OK', answer.text);
        for (const id of ids) assert.equal(imageIds(running.emulator).includes(id), false, id);
      });
    }
  }

  test('a temporary key over POST, and a stale timestamp', async () => {
    const params = { 'ImageIds.0': 'img-gznorm01', DryRun: 'true' };
    assert.equal(codeOf(await send(running.port, request({ method: 'POST', params, credential: TEMPORARY }))), 'OK');
    const stale = await send(running.port, request({ method: 'GET', params, timestamp: nowSec() - 3600 }));
    assert.equal(codeOf(stale), 'AuthFailure.SignatureExpire');
  });

  test('a body altered after signing is refused, and a missing Region is named', async () => {
    const req = request({ method: 'POST', params: { 'ImageIds.0': 'img-gznorm01' } });
    const altered = await send(running.port, { ...req, body: req.body.replace('img-gznorm01', 'img-gznorm02') });
    assert.equal(codeOf(altered), 'AuthFailure.SignatureFailure');
    assert.equal(imageIds(running.emulator).includes('img-gznorm02'), true);
    const noRegion = await send(running.port, { ...req, body: req.body.replace(/(^|&)Region=[^&]*/, '') });
    assert.equal(codeOf(noRegion), 'MissingParameter');
    assert.match(noRegion.json.Response.Error.Message, /Region/);
  });
});
