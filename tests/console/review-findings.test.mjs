// What an adversarial review of the console handler reproduced, each fixed and kept fixed here:
// authorize learns what a temporary key will allow; the Node adapter refuses a path that is not in
// normal form (a guard in front matching the raw path must see what the handler sees), reads no
// body for a path that is not the console's and at most the handler's limit for one that is;
// federationToken reads ExpiredTime by STS's clock, and refuses a malformed key at construction.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';
import { startEmulator } from '../../emulator/server.mjs';
import { AUTHORIZE_BY_HEADER, SESSION_HEADER, SESSION_VALUE } from './battery.mjs';

const require = createRequire(import.meta.url);
const { consoleHandler, toNodeListener, federationToken } = require('../../pkg/console.cjs');
const { ValidationError } = require('../../pkg/node.cjs');

const REGION = 'ap-guangzhou';
let emu;
let permanent;

async function serve(listener) {
  const server = http.createServer(listener);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { port, base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }) };
}

/** Sends raw HTTP/1.1 text and resolves the status line of the answer (or 'no answer' after `waitMs`). */
function raw(port, text, waitMs = 3000) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let got = '';
    const timer = setTimeout(() => { socket.destroy(); resolve('no answer'); }, waitMs);
    socket.on('data', (d) => {
      got += d;
      if (got.includes('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(got.slice(0, got.indexOf('\r\n')));
      }
    });
    socket.on('error', () => { clearTimeout(timer); resolve('no answer'); });
  });
}

before(async () => {
  emu = await startEmulator({ port: 0, log: null });
  permanent = emu.emulator.credentials.find((c) => !c.token);
});
after(() => emu?.close());

describe('console handler: review findings', () => {
  test('authorize is asked about a temporary key with the actions it will allow, so a per-action rule covers the key', async () => {
    emu.emulator.reset();
    const asked = [];
    const provider = federationToken({ credentials: permanent, allowActions: ['DescribeImages', 'DeleteImages'], region: REGION, endpoint: emu.url });
    const handler = consoleHandler({
      credentials: permanent, region: REGION, endpoint: emu.url, temporaryCredentials: provider,
      authorize: (request, call) => {
        asked.push(call);
        // Operators may list; only admins may delete, and so only admins get a key that deletes.
        return AUTHORIZE_BY_HEADER(request) && (!(call.action === 'DeleteImages' || call.actions?.includes('DeleteImages')) || request.headers.get('x-admin') === '1');
      },
    });
    const srv = await serve(toNodeListener(handler));
    try {
      const operator = await fetch(`${srv.base}/cvm/credentials`, { headers: { [SESSION_HEADER]: SESSION_VALUE } });
      assert.equal(operator.status, 403);
      assert.deepEqual(asked.at(-1), { credentials: true, actions: ['DescribeImages', 'DeleteImages'] });
      const admin = await fetch(`${srv.base}/cvm/credentials`, { headers: { [SESSION_HEADER]: SESSION_VALUE, 'x-admin': '1' } });
      assert.equal(admin.status, 200);
      assert.equal(typeof (await admin.json()).secretId, 'string');
    } finally {
      await srv.close();
    }
  });

  test('the Node adapter refuses a path that is not in normal form: a guard matching the raw path sees what the handler sees', async () => {
    emu.emulator.reset();
    const handler = consoleHandler({ credentials: permanent, region: REGION, endpoint: emu.url, path: '/admin/cvm', authorize: () => true });
    const listener = toNodeListener(handler);
    // The integrator's own guard: no session cookie, no /admin/.
    const srv = await serve((req, res) => {
      if (req.url.startsWith('/admin/') && !String(req.headers.cookie ?? '').includes('session=')) {
        res.writeHead(401).end();
        return;
      }
      listener(req, res);
    });
    const upstreamBefore = emu.emulator.logLines().length;
    try {
      const body = JSON.stringify({ action: 'DescribeImages', params: { Limit: 1 } });
      const post = (path) => raw(srv.port, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      assert.equal(await post('/admin/cvm'), 'HTTP/1.1 401 Unauthorized');
      for (const path of ['/x/../admin/cvm', '/x/%2e%2e/admin/cvm', '/admin\\cvm', '/ADMIN/../admin/cvm', '/x/./../admin/cvm']) {
        assert.equal(await post(path), 'HTTP/1.1 400 Bad Request', path);
      }
      assert.equal(emu.emulator.logLines().length, upstreamBefore, 'nothing reached upstream');
    } finally {
      await srv.close();
    }
  });

  test('the Node adapter reads no body for a path that is not the console\'s, and at most the handler\'s limit for its own', async () => {
    const handler = consoleHandler({ credentials: permanent, region: REGION, endpoint: emu.url, maxBodyBytes: 1024, authorize: AUTHORIZE_BY_HEADER });
    const srv = await serve(toNodeListener(handler));
    try {
      // A body announced as 2 MB of which 2 KB ever arrives: the answer must not wait for the rest.
      const head = (path) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n${SESSION_HEADER}: ${SESSION_VALUE}\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n${'x'.repeat(2048)}`;
      assert.equal(await raw(srv.port, head('/not-the-console')), 'HTTP/1.1 404 Not Found');
      assert.equal(await raw(srv.port, head('/cvm')), 'HTTP/1.1 413 Payload Too Large');
    } finally {
      await srv.close();
    }
  });
});

describe('federationToken: review findings', () => {
  test('ExpiredTime is read by STS\'s clock: a local clock behind STS does not serve a key STS calls expired', async () => {
    emu.emulator.reset();
    emu.emulator.setClockOffset(20);
    try {
      const provider = federationToken({ credentials: permanent, allowActions: ['DescribeImages'], region: REGION, endpoint: emu.url, durationSeconds: 600 });
      const key = await provider();
      // STS's ExpiredTime is 600 s after its own now, which is 20 s ahead of ours: by our clock the
      // key expires 600 s from now, not 620 (as ExpiredTime read by our clock would say).
      const expected = Date.now() + 600_000;
      assert.ok(Math.abs(key.expiration - expected) < 2_500, `expiration ${key.expiration - Date.now()} ms from now, expected about 600000`);
    } finally {
      emu.emulator.setClockOffset(0);
    }
  });

  test('a malformed permanent key throws at construction (a server mistake, not a page\'s 400 later)', () => {
    for (const credentials of [{ secretId: permanent.secretId, secretKey: '' }, { secretId: 'AKID with space', secretKey: 'x' }]) {
      assert.throws(() => federationToken({ credentials, allowActions: ['DescribeImages'], region: REGION, endpoint: emu.url }),
        (e) => e instanceof ValidationError && /secret(Id|Key)/.test(e.field) && !e.message.includes(permanent.secretKey));
    }
  });
});
