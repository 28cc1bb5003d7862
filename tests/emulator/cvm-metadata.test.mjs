// The emulator's CVM metadata path (a CAM role's temporary keys) with raw requests and the
// emulator's own test signer: what it answers, that the API takes each key with its token until its
// ExpiredTime on the emulator clock, and the role control endpoint.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator } from '../../emulator/server.mjs';
import { call, codeOf, control, PERMANENT, send } from './support.mjs';

const PATH = '/latest/meta-data/cam/security-credentials/';
let running;
const get = (path) => send(running.port, { method: 'GET', path, headers: {} });
const keyOf = (answer) => ({ secretId: answer.json.TmpSecretId, secretKey: answer.json.TmpSecretKey, token: answer.json.Token });

before(async () => {
  running = await startEmulator({ port: 0, log: null, roleLifetimeSec: 60 });
});
after(() => running.close());
beforeEach(() => running.emulator.reset());

describe('the metadata path', () => {
  test('the role name as text, then a key shaped as the metadata service gives it; under a mount prefix too', async () => {
    const name = await get(PATH);
    assert.equal(name.status, 200);
    assert.match(name.headers['content-type'], /^text\/plain/);
    assert.equal(name.text, 'emulator-cvm-role');
    for (const prefix of ['', '/emulator']) {
      const answer = await get(`${prefix}${PATH}emulator-cvm-role`);
      assert.equal(answer.status, 200);
      assert.deepEqual(Object.keys(answer.json).sort(), ['Code', 'Expiration', 'ExpiredTime', 'TmpSecretId', 'TmpSecretKey', 'Token']);
      assert.equal(answer.json.Code, 'Success');
      const now = running.emulator.nowSec();
      assert.ok(answer.json.ExpiredTime >= now + 59 && answer.json.ExpiredTime <= now + 60, String(answer.json.ExpiredTime - now));
      assert.equal(answer.json.Expiration, new Date(answer.json.ExpiredTime * 1000).toISOString().replace('.000Z', 'Z'));
    }
    const twice = [await get(`${PATH}emulator-cvm-role`), await get(`${PATH}emulator-cvm-role`)];
    assert.notEqual(twice[0].json.TmpSecretId, twice[1].json.TmpSecretId, 'a fresh key per answer');
  });

  test('another role, no role bound, and a method other than GET', async () => {
    assert.equal((await get(`${PATH}other-role`)).status, 404);
    await control(running.port, 'role', { method: 'POST', body: { roleName: null } });
    assert.equal((await get(PATH)).status, 404);
    assert.equal((await get(`${PATH}emulator-cvm-role`)).status, 404);
    assert.equal((await send(running.port, { method: 'POST', path: PATH, headers: {} })).status, 405);
  });
});

describe('the API and the role keys', () => {
  test('accepted with their token until ExpiredTime, then AuthFailure.TokenFailure; revoked → SecretIdNotFound', async () => {
    const key = keyOf(await get(`${PATH}emulator-cvm-role`));
    assert.equal(codeOf(await call(running.port, { credential: key, action: 'DescribeImages' })), 'OK');
    assert.equal(codeOf(await call(running.port, { credential: key, token: 'other', action: 'DescribeImages' })), 'AuthFailure.TokenFailure');
    assert.equal(codeOf(await call(running.port, { credential: key, token: null, action: 'DescribeImages' })), 'AuthFailure.TokenFailure');
    // The emulator clock 60 s on: the key has expired (a request signed with that clock, as a client would after skew correction).
    running.emulator.setClockOffset(60);
    const expired = await call(running.port, { credential: key, action: 'DescribeImages', timestamp: running.emulator.nowSec() });
    assert.equal(codeOf(expired), 'AuthFailure.TokenFailure');
    assert.match(expired.json.Response.Error.Message, /expired/);
    running.emulator.setClockOffset(0);
    await control(running.port, 'role', { method: 'POST', body: { revoke: true } });
    assert.equal(codeOf(await call(running.port, { credential: key, action: 'DescribeImages' })), 'AuthFailure.SecretIdNotFound');
    assert.equal(codeOf(await call(running.port, { credential: PERMANENT, action: 'DescribeImages' })), 'OK', 'the demo keys stay');
  });
});

describe('__emulator/role', () => {
  test('reads and changes the role; bad values are 400; reset restores it', async () => {
    const view = await control(running.port, 'role');
    assert.deepEqual(view.json, { roleName: 'emulator-cvm-role', lifetimeSec: 60, issued: 0, active: 0 });
    const changed = await control(running.port, 'role', { method: 'POST', body: { roleName: 'other-role', lifetimeSec: 5 } });
    assert.deepEqual(changed.json, { roleName: 'other-role', lifetimeSec: 5, issued: 0, active: 0 });
    const answer = await get(`${PATH}other-role`);
    assert.ok(answer.json.ExpiredTime <= running.emulator.nowSec() + 5);
    assert.deepEqual((await control(running.port, 'role')).json, { roleName: 'other-role', lifetimeSec: 5, issued: 1, active: 1 });
    for (const body of [{ lifetimeSec: 0 }, { lifetimeSec: 1.5 }, { roleName: 'a/b' }, { revoke: 'yes' }]) {
      const bad = await control(running.port, 'role', { method: 'POST', body });
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(typeof bad.json.error, 'string');
    }
    assert.equal((await control(running.port, 'role')).json.lifetimeSec, 5, 'a refused change changes nothing');
    running.emulator.reset();
    assert.deepEqual((await control(running.port, 'role')).json, { roleName: 'emulator-cvm-role', lifetimeSec: 60, issued: 0, active: 0 });
  });

  test('the log line of a metadata request names no key', async () => {
    const lines = [];
    const logged = await startEmulator({ port: 0, log: (line) => lines.push(line) });
    try {
      const answer = await send(logged.port, { method: 'GET', path: `${PATH}emulator-cvm-role`, headers: {} });
      const key = keyOf(answer);
      assert.equal(lines.length, 1);
      assert.match(lines[0], / GET metadata\/cam - 200 metadata-key /);
      for (const secret of Object.values(key)) assert.ok(!lines[0].includes(secret));
    } finally {
      await logged.close();
    }
  });
});
