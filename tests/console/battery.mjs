// The console handler's refusal battery, run against the handler behind each adapter (Node http
// through toNodeListener, the `npm start` server, Vite's dev server, workerd): other Hosts (DNS
// rebinding, as tests/e2e/host-check.test.mjs does for the local servers), other sites (Origin,
// Sec-Fetch-Site), other paths and request targets that a URL parser would read as another
// authority, methods, media types, sizes, actions outside allowActions and calls its authorize hook
// refuses — each refused, and none of them reaching upstream. Not a test file itself.
//
// The server under test serves consoleHandler({ mode: 'sign', path: '/cvm', authorize:
// AUTHORIZE_BY_HEADER, … }) with the default allowActions.
import assert from 'node:assert/strict';
import net from 'node:net';
import { rawRequest } from '../e2e/support.mjs';

/** The session check the battery's servers use: a header the page would carry as a cookie. */
export const SESSION_HEADER = 'x-console-session';
export const SESSION_VALUE = 'operator-1';
export const AUTHORIZE_BY_HEADER = (request) => request.headers.get(SESSION_HEADER) === SESSION_VALUE;

const GOOD_CALL = JSON.stringify({ action: 'DescribeImages', params: { Limit: 1 } });

function post(base, { path = '/cvm', headers = {}, body = GOOD_CALL, method = 'POST' } = {}) {
  const { port } = new URL(base);
  return rawRequest(base, {
    method,
    path,
    headers: { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json', [SESSION_HEADER]: SESSION_VALUE, ...headers },
    body: method === 'GET' ? undefined : body,
  });
}

/** A whole request written byte for byte (request target and headers exactly as given); resolves {status, body}. */
function wire(port, head, body = '') {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    const chunks = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(head)}`)));
    socket.on('connect', () => socket.write(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

/**
 * Runs the battery with node:test's `t.test` against `base` (http://127.0.0.1:PORT).
 * `upstreamCount()`: requests the upstream has seen so far (the emulator's log lines).
 */
/** The console handler's own Host refusal, or www/server.mjs's in front of it, which says the same. */
export const HOST_REFUSAL = /^403: Host ".*" is not a name of this (console .*allowedHosts option|server .*--allowed-host NAME or TCCVM_ALLOWED_HOSTS=NAME)\n$/;

/**
 * Options: `authorizeChecks` (false when the server's authorize lets everything through),
 * `hostRefusal` (another server's own Host check in front), `absoluteForm` (false for a runtime
 * that hands the handler an absolute-form request target as its path on the Host it was sent with,
 * as workerd does: the authority in the target never reaches the handler).
 */
export async function runBattery(t, base, upstreamCount, { authorizeChecks = true, hostRefusal = HOST_REFUSAL, absoluteForm = true } = {}) {
  const { port } = new URL(base);
  const before = upstreamCount();

  await t.test('a good call from the console\'s own page is answered (the control)', async () => {
    const res = await post(base, { headers: { Origin: `http://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(res.status, 200, res.body);
    assert.equal(typeof JSON.parse(res.body).TotalCount, 'number');
  });
  const afterControl = upstreamCount();
  assert.ok(afterControl > before, 'the control call reached upstream');

  await t.test('other Hosts are refused with a one-line 403 (DNS rebinding)', async () => {
    const hosts = [
      `evil.example:${port}`, 'evil.example', `127.0.0.1.nip.io:${port}`, `localhost.evil.example:${port}`, `evil.localhost:${port}`,
      `0.0.0.0:${port}`, `127.0.0.2:${port}`, `[::ffff:127.0.0.1]:${port}`, `2130706433:${port}`, `127.1:${port}`, `localhost.:${port}`,
      `127.0.0.1:${port}@evil.example`, `evil.example#@127.0.0.1:${port}`, `${'a'.repeat(300)}.example`,
    ];
    for (const host of hosts) {
      const res = await post(base, { headers: { Host: host } });
      assert.equal(res.status, 403, `${host}: ${res.body}`);
      assert.match(res.body, hostRefusal, host);
      if (HOST_REFUSAL.test(res.body)) assert.ok(res.body.length < 400, 'the refused Host is cut');
    }
    const none = await wire(port, `POST /cvm HTTP/1.0\r\nContent-Type: application/json\r\n${SESSION_HEADER}: ${SESSION_VALUE}`, GOOD_CALL);
    // The handler's 403, or the runtime's own 400 before it (workerd).
    assert.ok(none.status === 403 || none.status === 400, `no Host header: ${none.status} ${none.body}`);
  });

  await t.test('other sites are refused: a foreign Origin, Sec-Fetch-Site cross-site or same-site', async () => {
    for (const headers of [
      { Origin: 'http://evil.example' }, { Origin: 'null' }, { Origin: `http://127.0.0.1:${Number(port) + 1}` },
      { Origin: `http://localhost:${port}` }, { 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' },
    ]) {
      const res = await post(base, { headers });
      assert.equal(res.status, 403, `${JSON.stringify(headers)}: ${res.body}`);
      assert.equal(JSON.parse(res.body).Error.Code, 'UnauthorizedOperation');
    }
  });

  await t.test('other paths and request targets never reach the console or upstream', async () => {
    for (const p of ['/cvm/', '/CVM', '/cvm/x', '/cvm/..', '/cvm%2f', '/cvmx', '//cvm', '/x/../cvm/', '/cvm/credentials']) {
      const res = await post(base, { path: p });
      assert.notEqual(res.status, 200, `${p}: ${res.body}`);
    }
    const absolute = absoluteForm ? ['http://evil.example/cvm', 'http://127.0.0.1:1/cvm'] : [];
    for (const target of [...absolute, '//evil.example/cvm', '*']) {
      const res = await wire(port, `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n${SESSION_HEADER}: ${SESSION_VALUE}`, GOOD_CALL);
      assert.notEqual(res.status, 200, `${target}: ${res.status} ${res.body}`);
    }
  });

  await t.test('only POST of application/json (a form\'s text/plain is a cross-site simple request)', async () => {
    assert.equal((await post(base, { method: 'GET' })).status, 405);
    assert.equal((await post(base, { method: 'PUT' })).status, 405);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await post(base, { headers: { 'Content-Type': type } });
      assert.equal(res.status, 415, type);
    }
  });

  await t.test('a body over maxBodyBytes is 413; a body that is not a call is 400', async () => {
    const res = await post(base, { body: JSON.stringify({ action: 'DescribeImages', params: { Filters: [{ Name: 'image-id', Values: ['x'.repeat(1100 * 1024)] }] } }) });
    assert.equal(res.status, 413, res.body);
    for (const body of ['', '[]', 'null', '{"action":', '{"action":"DescribeImages","parms":{}}', '{"params":{}}']) {
      const bad = await post(base, { body });
      assert.equal(bad.status, 400, `${body}: ${bad.body}`);
    }
  });

  await t.test('an action outside allowActions is 403', async () => {
    for (const action of ['RunInstances', 'TerminateInstances', 'GetFederationToken', 'describeimages']) {
      const res = await post(base, { body: JSON.stringify({ action, params: {} }) });
      assert.equal(res.status, 403, action);
      assert.match(JSON.parse(res.body).Error.Message, /allowActions/);
    }
  });

  if (authorizeChecks) await t.test('a call the authorize hook refuses is 403', async () => {
    for (const headers of [{ [SESSION_HEADER]: 'someone-else' }, { [SESSION_HEADER]: '' }]) {
      const res = await post(base, { headers, body: JSON.stringify({ action: 'DeleteImages', params: { ImageIds: ['img-gznorm01'] } }) });
      assert.equal(res.status, 403, res.body);
      assert.match(JSON.parse(res.body).Error.Message, /authorize/);
    }
  });

  assert.equal(upstreamCount(), afterControl, 'no refused request reached upstream');
}
