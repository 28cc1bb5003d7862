// The emulator over HTTP: what gets through (POST, GET, tokens, odd characters) and what does not
// (tampering, missing common parameters, garbage), with the envelope and headers of every answer.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createEmulator } from '../../emulator/emulator.mjs';
import { call, codeOf, control, imageIds, nowSec, PERMANENT, quietEmulator, send, signedRequest, TEMPORARY, UUID_V4 } from './support.mjs';

let running;
let port;
before(async () => {
  running = await quietEmulator();
  port = running.port;
});
after(() => running.close());
beforeEach(() => running.emulator.reset());

const DRY_RUN = { ImageIds: ['img-gznorm01'], DryRun: true };

describe('accepted requests', () => {
  test('POST JSON: a success envelope with a fresh uuid v4, JSON, and a Date header', async () => {
    const first = await call(port, { params: DRY_RUN });
    const second = await call(port, { params: DRY_RUN });
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.json.Response), ['RequestId']);
    assert.match(first.json.Response.RequestId, UUID_V4);
    assert.notEqual(first.json.Response.RequestId, second.json.Response.RequestId);
    assert.equal(first.headers['content-type'], 'application/json');
    assert.ok(Math.abs(Date.parse(first.headers.date) / 1000 - nowSec()) < 5);
  });

  test('POST with charset in the signed Content-Type, and with x-tc-action signed', async () => {
    assert.equal(codeOf(await call(port, { params: DRY_RUN, contentType: 'application/json; charset=utf-8' })), 'OK');
    assert.equal(codeOf(await call(port, { params: DRY_RUN, signAction: true })), 'OK');
  });

  test('GET with the parameters in the query and a temporary key with its token', async () => {
    const answer = await call(port, {
      method: 'GET',
      credential: TEMPORARY,
      params: { ImageIds: ['img-gznorm01', 'img-gznorm04'], DeleteBindedSnap: false },
    });
    assert.equal(codeOf(answer), 'OK');
    assert.ok(!imageIds(running.emulator).includes('img-gznorm01'));
    assert.ok(!imageIds(running.emulator).includes('img-gznorm04'));
  });

  for (const method of ['POST', 'GET']) {
    test(`${method}: ids with characters that need encoding pass the signature and reach the id rule`, async () => {
      for (const odd of ['img-未命名名字', 'img-a b&c=d', "img-!'()*~%+", 'img-😀😀😀😀😀😀😀😀', 'IMG-GZNORM01']) {
        const answer = await call(port, { method, params: { ImageIds: [odd] } });
        assert.equal(codeOf(answer), 'InvalidImageId.Malformed', `${method} ${odd}: ${answer.text}`);
      }
    });
  }

  test('the path is ignored for API calls (the canonical URI is always /)', async () => {
    assert.equal(codeOf(await call(port, { params: DRY_RUN, path: '/emulator/some/where' })), 'OK');
  });

  test('X-TC-Language: zh-CN answers in Chinese', async () => {
    const answer = await call(port, { params: { ImageIds: ['img-zz000000'] }, extraHeaders: { 'X-TC-Language': 'zh-CN' } });
    assert.equal(codeOf(answer), 'InvalidImageId.NotFound');
    assert.equal(answer.json.Response.Error.Message, '未找到该镜像。');
  });
});

describe('tampered requests are refused and change nothing', () => {
  const DELETE = { ImageIds: ['img-gznorm01'] };
  const cases = [
    ['a changed body', { tamper: (r) => ({ ...r, body: r.body.replace('norm01', 'norm04') }) }, 'AuthFailure.SignatureFailure'],
    ['a changed Content-Type', { tamper: (r) => ({ ...r, headers: { ...r.headers, 'Content-Type': 'application/json; charset=utf-8' } }) }, 'AuthFailure.SignatureFailure'],
    ['a changed signed X-TC-Action', { signAction: true, action: 'DescribeImages', tamper: (r) => ({ ...r, headers: { ...r.headers, 'X-TC-Action': 'DeleteImages' } }) }, 'AuthFailure.SignatureFailure'],
    ['a timestamp changed by 1 s', { tamper: (r) => ({ ...r, headers: { ...r.headers, 'X-TC-Timestamp': String(Number(r.headers['X-TC-Timestamp']) + 1) } }) }, 'AuthFailure.SignatureFailure'],
    ['a timestamp 10 minutes old', { timestamp: nowSec() - 600 }, 'AuthFailure.SignatureExpire'],
    // Another of the emulator's own names (a foreign Host is refused before verification, see host-check tests).
    ['a changed Host', { tamper: (r) => ({ ...r, headers: { ...r.headers, Host: `localhost:${port}` } }) }, 'AuthFailure.SignatureFailure'],
    ['a signature made for another host', { host: 'cvm.tencentcloudapi.com', tamper: (r) => ({ ...r, headers: { ...r.headers, Host: `127.0.0.1:${port}` } }) }, 'AuthFailure.SignatureFailure'],
    ['a GET query changed', { method: 'GET', tamper: (r) => ({ ...r, path: r.path.replace('norm01', 'norm04') }) }, 'AuthFailure.SignatureFailure'],
    ['a GET query re-encoded', { method: 'GET', params: { ImageIds: ['img-gznorm01'], DryRun: 'True' }, tamper: (r) => ({ ...r, path: r.path.replace('True', '%54rue') }) }, 'AuthFailure.SignatureFailure'],
    ['a wrong SecretKey', { credential: { ...PERMANENT, secretKey: 'x'.repeat(32) } }, 'AuthFailure.SignatureFailure'],
    ['an unknown SecretId', { credential: { secretId: 'AKIDunknownUnknownUnknownUnknown0000', secretKey: 'k' } }, 'AuthFailure.SecretIdNotFound'],
    ['a temporary key without its token', { credential: TEMPORARY, token: null }, 'AuthFailure.TokenFailure'],
    ['a temporary key with a wrong token', { credential: TEMPORARY, token: 'stolen' }, 'AuthFailure.TokenFailure'],
    ['no Authorization', { tamper: (r) => ({ ...r, headers: { ...r.headers, Authorization: undefined } }) }, 'AuthFailure.InvalidAuthorization'],
    ['a garbage Authorization', { tamper: (r) => ({ ...r, headers: { ...r.headers, Authorization: 'Bearer abc' } }) }, 'AuthFailure.InvalidAuthorization'],
  ];
  for (const [name, options, code] of cases) {
    test(name, async () => {
      assert.equal(codeOf(await call(port, { params: DELETE, ...options })), code);
      assert.ok(imageIds(running.emulator).includes('img-gznorm01'), 'nothing was deleted');
    });
  }
});

describe('common parameters', () => {
  const without = (header) => ({ tamper: (r) => ({ ...r, headers: Object.fromEntries(Object.entries(r.headers).filter(([name]) => name !== header)) }) });
  const cases = [
    ['no X-TC-Action', without('X-TC-Action'), 'MissingParameter'],
    ['no X-TC-Version', without('X-TC-Version'), 'MissingParameter'],
    ['no X-TC-Timestamp', without('X-TC-Timestamp'), 'MissingParameter'],
    ['no X-TC-Region', without('X-TC-Region'), 'MissingParameter'],
    ['another version', { version: '2022-03-30' }, 'NoSuchVersion'],
    ['an unknown action', { action: 'RunInstances' }, 'InvalidAction'],
    ['an action named like an Object property', { action: 'constructor' }, 'InvalidAction'],
    ['a region the emulator does not serve', { region: 'ap-nowhere' }, 'UnsupportedRegion'],
    ['another HTTP method', { tamper: (r) => ({ ...r, method: 'PUT' }) }, 'UnsupportedProtocol'],
  ];
  for (const [name, options, code] of cases) {
    test(name, async () => {
      const answer = await call(port, { params: DRY_RUN, ...options });
      assert.equal(answer.status, 200);
      assert.equal(codeOf(answer), code);
      assert.match(answer.json.Response.RequestId, UUID_V4);
      assert.equal(typeof answer.json.Response.Error.Message, 'string');
    });
  }
  test('MissingParameter names the parameter', async () => {
    const answer = await call(port, { params: DRY_RUN, ...without('X-TC-Region') });
    assert.match(answer.json.Response.Error.Message, /X-TC-Region/);
  });
});

describe('garbage input', () => {
  const body = (text, extra = {}) => ({ body: text, ...extra });
  const cases = [
    ['a body that is not JSON', body('{"ImageIds": ['), 'InvalidParameter'],
    ['a JSON array body', body('["img-gznorm01"]'), 'InvalidParameter'],
    ['a JSON null body', body('null'), 'InvalidParameter'],
    ['a body that is not UTF-8', body(Buffer.from([0x7b, 0xff, 0x7d])), 'InvalidParameter'],
    ['POST with a form Content-Type', body('ImageIds.0=img-gznorm01', { contentType: 'application/x-www-form-urlencoded' }), 'InvalidParameter'],
    ['GET with a JSON Content-Type', { method: 'GET', params: DRY_RUN, contentType: 'application/json' }, 'InvalidParameter'],
    ['GET with a bad percent-escape', { method: 'GET', rawQuery: 'ImageIds.0=img-%zz' }, 'InvalidParameter'],
    ['GET with invalid UTF-8', { method: 'GET', rawQuery: 'ImageIds.0=img-%FF%FE' }, 'InvalidParameter'],
    ['GET with an index gap', { method: 'GET', rawQuery: 'ImageIds.1=img-gznorm01' }, 'InvalidParameter'],
    ['an empty POST body (no ImageIds)', body(''), 'MissingParameter'],
  ];
  for (const [name, options, code] of cases) {
    test(name, async () => {
      assert.equal(codeOf(await call(port, options)), code);
    });
  }

  test('a POST body over 10 MB', async () => {
    const big = JSON.stringify({ ImageIds: ['img-gznorm01'], Pad: 'x'.repeat(10 * 1024 * 1024) });
    assert.equal(codeOf(await call(port, { body: big })), 'RequestSizeLimitExceeded');
  });

  test('a GET query over 32 KB', async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `img-${String(i).padStart(8, '0')}`);
    const answer = await call(port, { method: 'GET', params: { ImageIds: ids } });
    assert.ok(signedRequest({ port, method: 'GET', params: { ImageIds: ids } }).path.length > 32 * 1024);
    assert.equal(codeOf(answer), 'RequestSizeLimitExceeded');
  });

  test('a garbage request line and headers do not stop the server', async () => {
    const answer = await send(port, { method: 'POST', path: '/%%%/?&&==&', headers: { 'X-TC-Action': 'Delete\u00ffImages\t' }, body: '\u0000\u0001' });
    assert.equal(answer.status, 200);
    assert.equal(codeOf(answer), 'MissingParameter');
    assert.equal(codeOf(await call(port, { params: DRY_RUN })), 'OK');
  });
});

describe('logging', () => {
  test('one line per request, without signature, key, token or body', async () => {
    const lines = [];
    const local = createEmulator({ log: (line) => lines.push(line) });
    const server = createServer(local.handle);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const localPort = server.address().port;
    try {
      const request = signedRequest({ port: localPort, method: 'POST', credential: TEMPORARY, params: { ImageIds: ['img-gznorm05'] } });
      const answer = await send(localPort, request);
      assert.equal(codeOf(answer), 'OK');
      assert.equal(lines.length, 1);
      const [line] = lines;
      assert.match(line, / POST DeleteImages ap-guangzhou 200 OK [0-9a-f-]{36} \d+ms$/);
      assert.ok(line.includes(answer.json.Response.RequestId));
      const signature = request.headers.Authorization.split('Signature=')[1];
      for (const secret of [signature, TEMPORARY.secretKey, TEMPORARY.token, 'img-gznorm05']) {
        assert.ok(!line.includes(secret), `the log line leaks ${secret}`);
      }
      assert.deepEqual(local.logLines(), lines);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('the log endpoint returns recent lines', async () => {
    await call(port, { params: DRY_RUN });
    const answer = await control(port, 'log');
    assert.match(answer.json.lines.at(-1), / POST DeleteImages ap-guangzhou 200 OK /);
  });
});
