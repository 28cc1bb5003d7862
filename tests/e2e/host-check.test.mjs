// The Host check both servers share (hostCheck in emulator/http-io.mjs): the `npm start` server and
// the emulator started alone answer only their own names, so a DNS-rebinding page (evil.example
// resolving to 127.0.0.1) cannot become same-origin with them. Each case runs against both servers.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../www/server.mjs';
import { startEmulator } from '../../emulator/server.mjs';
import { ALLOWED_HOSTS_ENV, allowedHostsFromEnv, hostCheck } from '../../emulator/http-io.mjs';
import { rawRequest, spawnServer, wireRequest } from './support.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A GET with the Host header exactly as given. */
function getWithHost(port, host, reqPath) {
  return rawRequest(`http://127.0.0.1:${port}`, { path: reqPath, headers: { Host: host } });
}

function assertRefused(res, what) {
  assert.equal(res.status, 403, what);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8', what);
  assert.match(res.body, /^403: (Host ".*"|no Host header) is not a name of this server \(127\.0\.0\.1:\d+, localhost:\d+, \[::1\]:\d+\); .*--allowed-host NAME or TCCVM_ALLOWED_HOSTS=NAME\n$/, what);
  assert.equal(res.body.split('\n').length, 2, `${what}: one line`);
}

// Each server with a path that answers 200 and a request whose effect can be checked afterwards.
const SERVERS = [
  {
    name: 'www/server.mjs (npm start)',
    start: (allowedHosts) => startServer({ port: 0, allowedHosts, emulatorOptions: { log: null } }),
    okPath: '/',
    resetPath: '/emulator/__emulator/reset',
  },
  {
    name: 'emulator/server.mjs (alone)',
    start: (allowedHosts) => startEmulator({ port: 0, allowedHosts, log: null }),
    okPath: '/__emulator/state?region=ap-guangzhou',
    resetPath: '/__emulator/reset',
  },
];

for (const server of SERVERS) {
  describe(`Host check: ${server.name}`, () => {
    let running;
    let port;
    before(async () => {
      running = await server.start(['demo.example.com', 'lan.example:8443', '192.168.7.7']);
      port = running.port;
    });
    after(() => running?.close());

    test('its own names are answered: 127.0.0.1, localhost, [::1] with its port, in any case', async () => {
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LocalHost:${port}`]) {
        const res = await getWithHost(port, host, server.okPath);
        assert.equal(res.status, 200, host);
      }
    });

    test('any other Host gets 403 with a one-line reason', async () => {
      const others = [
        `evil.example:${port}`, 'evil.example', `127.0.0.1:${port + 1}`, '127.0.0.1', 'localhost', `localhost.:${port}`,
        `127.0.0.1.nip.io:${port}`, `localhost.evil.example:${port}`, `evil.localhost:${port}`, `0.0.0.0:${port}`,
        `127.0.0.2:${port}`, `[::ffff:127.0.0.1]:${port}`, `2130706433:${port}`, `127.1:${port}`, `[::1]`,
        `127.0.0.1:${port}@evil.example`, `evil.example#@127.0.0.1:${port}`, 'lan.example', 'lan.example:8444',
        `demo.example.com.evil.example:${port}`, `x.demo.example.com`,
      ];
      for (const host of others) assertRefused(await getWithHost(port, host, server.okPath), JSON.stringify(host));
    });

    test('a request without Host (HTTP/1.0), or with an empty one, is refused too', async () => {
      const res = await wireRequest(port, `GET ${server.okPath} HTTP/1.0`);
      assertRefused(res, 'no Host');
      assert.match(res.body, /no Host header/);
      const empty = await wireRequest(port, `GET ${server.okPath} HTTP/1.1\r\nHost: `);
      assertRefused(empty, 'empty Host');
      assert.match(empty.body, /^403: Host "" /);
    });

    test('a refused request has no effect (a reset sent with a rebinding Host changes nothing)', async () => {
      const { emulator } = running;
      emulator.setClockOffset(123);
      const refused = await rawRequest(`http://127.0.0.1:${port}`, { method: 'POST', path: server.resetPath, headers: { Host: `evil.example:${port}` } });
      assert.equal(refused.status, 403);
      assert.equal(emulator.clockOffsetSec, 123, 'the reset did not run');
      emulator.reset();
    });

    test('names given in allowedHosts: `name` with any port, `name:port` with that port only', async () => {
      for (const host of ['demo.example.com', `demo.example.com:${port}`, 'DEMO.example.com:443', 'lan.example:8443', '192.168.7.7:8080']) {
        assert.equal((await getWithHost(port, host, server.okPath)).status, 200, host);
      }
    });

    test('the message names the refused Host safely: quoted, printable, cut', async () => {
      const res = await getWithHost(port, `${'a'.repeat(300)}.example`, server.okPath);
      assertRefused(res, 'a long Host');
      assert.ok(res.body.length < 400, 'cut');
    });
  });
}

describe('hostCheck', () => {
  test('the address the server listens on is one of its names, unless it is a wildcard', async () => {
    // 127.0.0.2 is loopback on Linux: the server listens there, and so answers 127.0.0.2:PORT.
    const running = await startEmulator({ port: 0, host: '127.0.0.2', log: null });
    try {
      const res = await rawRequest(`http://127.0.0.2:${running.port}`, { path: '/__emulator/state' });
      assert.equal(res.status, 200);
    } finally {
      await running.close();
    }
    // A wildcard address adds no name: the fake request below comes in on a socket of port 4000.
    const wildcard = hostCheck({ listenHost: '0.0.0.0' });
    let answered = null;
    const fakeRes = { writeHead: (status) => { answered = status; }, end() {} };
    assert.equal(wildcard({ socket: { localPort: 4000 }, headers: { host: '0.0.0.0:4000' } }, fakeRes), true);
    assert.equal(answered, 403);
    assert.equal(wildcard({ socket: { localPort: 4000 }, headers: { host: 'localhost:4000' } }, fakeRes), false);
  });

  test('port 80: the bare names are the server\'s own (browsers leave the default port out)', () => {
    const check = hostCheck();
    const fakeRes = { writeHead() {}, end() {} };
    assert.equal(check({ socket: { localPort: 80 }, headers: { host: 'localhost' } }, fakeRes), false);
    assert.equal(check({ socket: { localPort: 81 }, headers: { host: 'localhost' } }, fakeRes), true);
  });

  test('a malformed allowed host is a TypeError naming it', async () => {
    for (const bad of ['http://demo.example.com', 'demo.example.com/', 'a b', '', 'demo.example.com:', '*.example.com', 'user@host', '[::1']) {
      assert.throws(() => hostCheck({ allowedHosts: [bad] }), (err) => err instanceof TypeError && err.message.includes(JSON.stringify(bad)), bad);
    }
    await assert.rejects(startServer({ port: 0, allowedHosts: ['http://x'] }), TypeError);
    await assert.rejects(startEmulator({ port: 0, allowedHosts: ['http://x'] }), TypeError);
  });

  test(`${ALLOWED_HOSTS_ENV} is a comma-separated list`, () => {
    assert.deepEqual(allowedHostsFromEnv(' a.example , b.example:8080,,'), ['a.example', 'b.example:8080']);
    assert.deepEqual(allowedHostsFromEnv(undefined), []);
    assert.deepEqual(allowedHostsFromEnv(''), []);
  });
});

test('node emulator/server.mjs: --allowed-host and TCCVM_ALLOWED_HOSTS add names; others get 403', { timeout: 30_000 }, async () => {
  const server = await spawnServer(path.join(ROOT, 'emulator', 'server.mjs'), ['--port', '0', '--allowed-host', 'cli.example'],
    { [ALLOWED_HOSTS_ENV]: 'env.example,env2.example:9' }, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
  try {
    const port = Number(server.match[1]);
    for (const host of [`127.0.0.1:${port}`, 'cli.example', 'env.example:1234', 'env2.example:9']) {
      assert.equal((await getWithHost(port, host, '/__emulator/state')).status, 200, host);
    }
    for (const host of ['evil.example', 'env2.example:10']) assertRefused(await getWithHost(port, host, '/__emulator/state'), host);
    server.signal('SIGTERM');
    assert.equal((await server.exited).code, 0, server.output());
  } finally {
    server.kill();
  }
});

test('node emulator/server.mjs: a malformed --allowed-host is a clear error, not a stack trace', () => {
  const { status, stderr: err } = spawnSync(process.execPath, [path.join(ROOT, 'emulator', 'server.mjs'), '--port', '0', '--allowed-host', 'http://x/'], {
    env: { ...process.env, [ALLOWED_HOSTS_ENV]: '' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(status, 1, err);
  assert.match(err, /^emulator: allowed host "http:\/\/x\/" must be a host name or address with an optional :port/);
  assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
});
