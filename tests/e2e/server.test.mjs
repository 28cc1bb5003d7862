// The `npm start` server without a browser: static serving (MIME types, no traversal), the security
// headers, the emulator mount, the same-origin proxy against a local fake upstream, and the start script.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, resolveInside, proxyTarget } from '../../www/server.mjs';
import { rawRequest, spawnServer, wireRequest } from './support.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A fake upstream that records what it received and answers what the test asks for. */
async function startFakeUpstream() {
  const received = [];
  let answer = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"Response":{"RequestId":"fake-1"}}' };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    received,
    answer(a) { answer = a; },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

describe('static files', () => {
  let srv;
  let tmp;
  before(async () => {
    // A private pkg root so MIME and traversal checks do not depend on the build being present.
    tmp = mkdtempSync(path.join(tmpdir(), 'cvm-www-'));
    mkdirSync(path.join(tmp, 'pkg', 'gen'), { recursive: true });
    writeFileSync(path.join(tmp, 'pkg', 'web.js'), 'export default 1;\n');
    writeFileSync(path.join(tmp, 'pkg', 'gen', 'module_bg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    writeFileSync(path.join(tmp, 'pkg', 'index.d.ts'), 'export {};\n');
    writeFileSync(path.join(tmp, 'outside-secret.txt'), 'TOP-SECRET-OUTSIDE\n');
    srv = await startServer({ port: 0, pkgRoot: path.join(tmp, 'pkg'), emulatorOptions: { log: null } });
  });
  after(async () => {
    await srv?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('/ serves the page with a CSP that allows wasm and nothing inline', async () => {
    const res = await rawRequest(srv.url, { path: '/' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(res.body, /<script type="module" src="\/app.js">/);
    const csp = res.headers['content-security-policy'];
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  test('MIME types of the page and the package', async () => {
    const cases = [
      ['/index.html', 'text/html; charset=utf-8'],
      ['/app.js', 'text/javascript; charset=utf-8'],
      ['/style.css', 'text/css; charset=utf-8'],
      ['/pkg/web.js', 'text/javascript; charset=utf-8'],
      ['/pkg/gen/module_bg.wasm', 'application/wasm'],
      ['/pkg/index.d.ts', 'text/plain; charset=utf-8'],
    ];
    for (const [p, type] of cases) {
      const res = await rawRequest(srv.url, { path: p });
      assert.equal(res.status, 200, p);
      assert.equal(res.headers['content-type'], type, p);
      assert.ok(res.headers['content-security-policy'], `${p} has a CSP`);
    }
    const head = await rawRequest(srv.url, { method: 'HEAD', path: '/pkg/gen/module_bg.wasm' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '8');
    assert.equal(head.body, '');
  });

  test('missing files are 404, other methods 405', async () => {
    assert.equal((await rawRequest(srv.url, { path: '/nope.js' })).status, 404);
    assert.equal((await rawRequest(srv.url, { path: '/pkg/nope.wasm' })).status, 404);
    assert.equal((await rawRequest(srv.url, { path: '/pkg/' })).status, 404, 'no listing of pkg/');
    assert.equal((await rawRequest(srv.url, { method: 'POST', path: '/app.js', body: 'x' })).status, 405);
  });

  test('no directory traversal out of www/ or pkg/', async () => {
    const attempts = [
      '/../package.json',
      '/pkg/../outside-secret.txt',
      '/pkg/../../package.json',
      '/pkg/%2e%2e/outside-secret.txt',
      '/pkg/%2E%2E%2Foutside-secret.txt',
      '/pkg/..%2foutside-secret.txt',
      '/pkg/..%5coutside-secret.txt',
      '/%2e%2e/package.json',
      '/..%2f..%2fpackage.json',
      '/pkg/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/pkg/gen/%00.wasm',
      '/server.mjs/../../package.json',
      '/%2e%2e%2fscripts/start.mjs',
      '//etc/passwd',
    ];
    for (const p of attempts) {
      const res = await rawRequest(srv.url, { path: p });
      assert.ok([400, 403, 404].includes(res.status), `${p} → ${res.status}`);
      assert.doesNotMatch(res.body, /TOP-SECRET-OUTSIDE|tencentcloud-cvm-wasm-workspace|root:x:0/, p);
    }
  });

  test('resolveInside keeps every path inside its root', () => {
    const root = path.join(tmp, 'pkg');
    assert.equal(resolveInside(root, '/web.js'), path.join(root, 'web.js'));
    assert.equal(resolveInside(root, '/gen/module_bg.wasm'), path.join(root, 'gen', 'module_bg.wasm'));
    for (const bad of ['/../x', '/%2e%2e/x', '/a/../../x', '/%00', '/..\\x', '/%E0%A4%A']) {
      assert.equal(resolveInside(root, bad), null, bad);
    }
  });

  test('the emulator is mounted at /emulator and the demo credentials are served', async () => {
    const creds = await rawRequest(srv.url, { path: '/demo-credentials.json' });
    assert.equal(creds.status, 200);
    const parsed = JSON.parse(creds.body);
    assert.ok(parsed.secretId ?? parsed.SecretId, 'has a SecretId');
    const state = await rawRequest(srv.url, { path: '/emulator/__emulator/state?region=ap-guangzhou' });
    assert.equal(state.status, 200);
    assert.match(state.headers['content-type'], /json/);
    JSON.parse(state.body);
  });
});

describe('same-origin proxy', () => {
  let upstream;
  let srv;
  before(async () => {
    upstream = await startFakeUpstream();
    srv = await startServer({ port: 0, proxyUpstream: () => upstream.base, emulatorOptions: { log: null } });
  });
  after(async () => {
    await srv?.close();
    await upstream?.close();
  });

  test('POST: method, body and headers pass unchanged; Host becomes the signed host', async () => {
    upstream.answer({
      status: 200,
      headers: { 'content-type': 'application/json', 'x-tc-requestid': 'abc', 'set-cookie': 'a=b' },
      body: '{"Response":{"RequestId":"fake-1"}}',
    });
    const body = '{"ImageIds":["img-mfih409y"],"DryRun":true}';
    const headers = {
      'Content-Type': 'application/json',
      Authorization: 'TC3-HMAC-SHA256 Credential=AKIDx/2024-01-01/cvm/tc3_request, SignedHeaders=content-type;host, Signature=00',
      'X-TC-Action': 'DeleteImages',
      'X-TC-Version': '2017-03-12',
      'X-TC-Timestamp': '1700000000',
      'X-TC-Region': 'ap-guangzhou',
      'X-TC-Token': 'tok',
    };
    const res = await rawRequest(srv.url, { method: 'POST', path: '/proxy/cvm.tencentcloudapi.com/', headers, body });
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"Response":{"RequestId":"fake-1"}}');
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.headers['x-tc-requestid'], 'abc');
    assert.deepEqual(res.headers['set-cookie'], ['a=b']);

    const got = upstream.received.at(-1);
    assert.equal(got.method, 'POST');
    assert.equal(got.url, '/');
    assert.equal(got.body, body);
    assert.equal(got.headers.host, 'cvm.tencentcloudapi.com');
    for (const [name, value] of Object.entries(headers)) assert.equal(got.headers[name.toLowerCase()], value, name);
  });

  test('GET: the query string passes byte for byte', async () => {
    upstream.answer({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"Response":{"RequestId":"g"}}' });
    const query = 'Action=DeleteImages&ImageIds.0=img-34vaef8fe&Region=ap-guangzhou&X=%2A%20%7E';
    const res = await rawRequest(srv.url, {
      path: `/proxy/cvm.ap-guangzhou.tencentcloudapi.com/?${query}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 200);
    const got = upstream.received.at(-1);
    assert.equal(got.method, 'GET');
    assert.equal(got.url, `/?${query}`);
    assert.equal(got.headers.host, 'cvm.ap-guangzhou.tencentcloudapi.com');
    assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');

    // Without the slash after the host the path is still `/`.
    await rawRequest(srv.url, { path: '/proxy/cvm.tencentcloudapi.com?Action=X' });
    assert.equal(upstream.received.at(-1).url, '/?Action=X');
  });

  test('upstream statuses and bodies pass back as they are', async () => {
    upstream.answer({ status: 503, headers: { 'content-type': 'text/html' }, body: '<html>gateway</html>' });
    const res = await rawRequest(srv.url, { method: 'POST', path: '/proxy/cvm.tencentcloudapi.com/', body: '{}' });
    assert.equal(res.status, 503);
    assert.equal(res.headers['content-type'], 'text/html');
    assert.equal(res.body, '<html>gateway</html>');
  });

  test('only *.tencentcloudapi.com hosts are forwarded', async () => {
    const before = upstream.received.length;
    for (const host of ['example.com', 'cvm.tencentcloudapi.com.evil.example', '127.0.0.1:22', 'tencentcloudapi.com', 'CVM.tencentcloudapi.com@evil', 'cvm.tencentcloudapi.com:8443', '..']) {
      const res = await rawRequest(srv.url, { path: `/proxy/${host}/` });
      assert.equal(res.status, 403, host);
      assert.equal(JSON.parse(res.body).error, 'ProxyHostNotAllowed', host);
    }
    assert.equal(upstream.received.length, before, 'nothing reached the upstream');
  });

  // The Origin rule: the page is same-origin, curl and Node send no Origin; any other site is refused.
  const post = (headers) => rawRequest(srv.url, { method: 'POST', path: '/proxy/cvm.tencentcloudapi.com/', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });

  test('no Origin (curl, Node) and the page\'s own origin are forwarded', async () => {
    upstream.answer({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"Response":{"RequestId":"o"}}' });
    const before = upstream.received.length;
    assert.equal((await post({})).status, 200);
    assert.equal((await post({ Origin: `http://127.0.0.1:${srv.port}` })).status, 200);
    assert.equal((await post({ Host: `localhost:${srv.port}`, Origin: `http://localhost:${srv.port}` })).status, 200);
    assert.equal((await post({ Host: `localhost:${srv.port}`, Origin: `HTTP://LOCALHOST:${srv.port}` })).status, 200);
    assert.equal(upstream.received.length, before + 4);
  });

  test('any other Origin is 403 ProxyCrossOrigin, and nothing is sent upstream', async () => {
    const before = upstream.received.length;
    const others = [
      'https://evil.example', 'null', '', `http://127.0.0.1:${srv.port + 1}`, `http://localhost:${srv.port}`,
      `http://127.0.0.1:${srv.port}.evil.example`, `http://127.0.0.1`, `http://[::1]:${srv.port}`, 'file://',
    ];
    for (const origin of others) {
      const res = await post({ Origin: origin });
      assert.equal(res.status, 403, origin);
      const err = JSON.parse(res.body);
      assert.equal(err.error, 'ProxyCrossOrigin', origin);
      assert.equal(err.message, `the proxy serves only pages of http://127.0.0.1:${srv.port}, not a request from Origin ${JSON.stringify(origin)}`);
    }
    assert.equal(upstream.received.length, before);
  });

  test('the Origin rule is the proxy\'s: the page and the emulator still answer a cross-site GET', async () => {
    assert.equal((await rawRequest(srv.url, { path: '/', headers: { Origin: 'https://evil.example' } })).status, 200);
  });

  test('an unreachable upstream is a clear 502 JSON error', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = http.createServer();
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadPort = probe.address().port;
    await new Promise((resolve) => probe.close(resolve));

    const dead = await startServer({ port: 0, proxyUpstream: () => `http://127.0.0.1:${deadPort}`, emulatorOptions: { log: null } });
    try {
      const res = await rawRequest(dead.url, { method: 'POST', path: '/proxy/cvm.tencentcloudapi.com/v1?Action=X', body: '{}' });
      assert.equal(res.status, 502);
      assert.match(res.headers['content-type'], /^application\/json/);
      const err = JSON.parse(res.body);
      assert.equal(err.error, 'ProxyUpstreamUnreachable');
      assert.equal(err.host, 'cvm.tencentcloudapi.com');
      // The error names the target actually attempted (not the signed host), without the query.
      assert.equal(err.target, `http://127.0.0.1:${deadPort}/v1`);
      assert.match(err.message, new RegExp(`^cannot reach http://127\\.0\\.0\\.1:${deadPort}/v1 \\(ECONNREFUSED`));
      assert.doesNotMatch(err.message, /tencentcloudapi|Action=X/);
    } finally {
      await dead.close();
    }
  });
});

/** A TCP listener that must receive nothing: it counts connections and drops them. */
async function startTrap(host) {
  const trap = { connections: 0 };
  const server = net.createServer((socket) => {
    trap.connections += 1;
    socket.destroy();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  trap.port = server.address().port;
  trap.close = () => new Promise((resolve) => server.close(resolve));
  return trap;
}

// What follows `/proxy/cvm.tencentcloudapi.com` in each attempt to make the proxy connect elsewhere:
// T is the port of a trap on 127.0.0.1, T6 of one on [::1]. `path` is what the (allowed) upstream must
// receive instead; `refused` means 400 ProxyPathNotAllowed and nothing sent anywhere.
const PROXY_PATH_FORMS = [
  // a protocol-relative authority, and what a WHATWG parser reads as one
  ['//127.0.0.1:T/x', 'refused'],
  ['///127.0.0.1:T/x', 'refused'],
  ['/\\127.0.0.1:T/x', 'refused'],
  ['/\\/127.0.0.1:T/x', 'refused'],
  ['//\\127.0.0.1:T/x', 'refused'],
  ['//127.0.0.1:T', 'refused'],
  ['//127.0.0.1:T?q=1', 'refused'],
  ['//127.0.0.1:T\\x', 'refused'],
  ['//localhost:T/x', 'refused'],
  // userinfo, including one that names the allowed host
  ['//user:pass@127.0.0.1:T/x', 'refused'],
  ['//cvm.tencentcloudapi.com@127.0.0.1:T/x', 'refused'],
  ['//cvm.tencentcloudapi.com:443@127.0.0.1:T/x', 'refused'],
  // IPv6 literals (IPv4-mapped ones reach the IPv4 trap)
  ['//[::1]:T6/x', 'refused'],
  ['//[0:0:0:0:0:0:0:1]:T6/x', 'refused'],
  ['//[::ffff:127.0.0.1]:T/x', 'refused'],
  ['//[::ffff:7f00:1]:T/x', 'refused'],
  ['//[::1/x', 'refused'],
  // IPv4 spelled as a parser reads it: decimal, hex, octal, short, percent-encoded inside the authority
  ['//2130706433:T/x', 'refused'],
  ['//0x7f000001:T/x', 'refused'],
  ['//0177.0.0.1:T/x', 'refused'],
  ['//127.1:T/x', 'refused'],
  ['//%31%32%37.0.0.1:T/x', 'refused'],
  ['//127.0.0.1%3AT/x', 'refused'],
  // encoded slashes and backslashes stay in the path
  ['/%2F%2F127.0.0.1:T/x', { path: '/%2F%2F127.0.0.1:T/x' }],
  ['/%2f127.0.0.1:T/x', { path: '/%2f127.0.0.1:T/x' }],
  ['/%5C127.0.0.1:T/x', { path: '/%5C127.0.0.1:T/x' }],
  ['/%5c%5c127.0.0.1:T/x', { path: '/%5c%5c127.0.0.1:T/x' }],
  ['/%252F%252F127.0.0.1:T/x', { path: '/%252F%252F127.0.0.1:T/x' }],
  ['/@127.0.0.1:T/x', { path: '/@127.0.0.1:T/x' }],
  // `..` segments, plain and encoded: resolved within the path, never above the origin
  ['/../127.0.0.1:T/x', { path: '/127.0.0.1:T/x' }],
  ['/../../../127.0.0.1:T/x', { path: '/127.0.0.1:T/x' }],
  ['/..//127.0.0.1:T/x', { path: '//127.0.0.1:T/x' }],
  ['/%2e%2e/%2E%2e//127.0.0.1:T/x', { path: '//127.0.0.1:T/x' }],
  ['/./\\127.0.0.1:T/x', { path: '//127.0.0.1:T/x' }],
  ['/..\\..\\127.0.0.1:T/x', { path: '/127.0.0.1:T/x' }],
  ['/a/..%2f..%2f127.0.0.1:T/x', { path: '/a/..%2f..%2f127.0.0.1:T/x' }],
  // a scheme in the path is only a path
  ['/http://127.0.0.1:T/x', { path: '/http://127.0.0.1:T/x' }],
  ['/http:\\\\127.0.0.1:T/x', { path: '/http://127.0.0.1:T/x' }],
  ['/https:127.0.0.1:T/x', { path: '/https:127.0.0.1:T/x' }],
  ['/file:///etc/passwd', { path: '/file:///etc/passwd' }],
  // query and fragment characters
  ['?//127.0.0.1:T/x', { path: '/?//127.0.0.1:T/x' }],
  ['/?@127.0.0.1:T', { path: '/?@127.0.0.1:T' }],
  ['/x#@127.0.0.1:T/', { path: '/x%23@127.0.0.1:T/' }],
];

// Whole request targets: another host in the host segment (403 ProxyHostNotAllowed), an absolute-form
// target (not a proxy path: 404), and bytes node's HTTP parser itself refuses (400 before any handler).
const PROXY_TARGET_FORMS = [
  ['/proxy/127.0.0.1:T/x', 403],
  ['/proxy/[::1]:T6/x', 403],
  ['/proxy//127.0.0.1:T/x', 403],
  ['/proxy/cvm.tencentcloudapi.com@127.0.0.1:T/x', 403],
  ['/proxy/cvm.tencentcloudapi.com:T/x', 403],
  ['/proxy/cvm.tencentcloudapi.com\\@127.0.0.1:T/x', 403],
  ['/proxy/cvm.tencentcloudapi.com%2F%2F127.0.0.1:T/x', 403],
  ['/proxy/cvm.tencentcloudapi.com%40127.0.0.1:T/x', 403],
  ['/proxy/cvm.tencentcloudapi.com#@127.0.0.1:T/x', 403],
  ['/proxy/%2F%2F127.0.0.1:T/x', 403],
  ['http://127.0.0.1:T/x', 404],
  ['http://127.0.0.1:SELF/proxy/cvm.tencentcloudapi.com//127.0.0.1:T/x', 404],
  ['/proxy/cvm.tencentcloudapi.com/\t/127.0.0.1:T/x', 400],
  ['/proxy/cvm.tencentcloudapi.com/\n//127.0.0.1:T/x', 400],
];

describe('the proxy: the upstream origin is fixed by the allowed host alone', () => {
  let upstream;
  let srv;
  let trap;
  let trap6;
  const trapped = () => trap.connections + trap6.connections;
  const fill = (form) => form.replaceAll('T6', String(trap6.port)).replaceAll('SELF', String(srv.port)).replaceAll('T', String(trap.port));
  before(async () => {
    upstream = await startFakeUpstream();
    trap = await startTrap('127.0.0.1');
    trap6 = await startTrap('::1');
    srv = await startServer({ port: 0, proxyUpstream: () => upstream.base, emulatorOptions: { log: null } });
  });
  after(async () => {
    await srv?.close();
    await upstream?.close();
    await trap?.close();
    await trap6?.close();
  });

  test('the traps do count a connection (so "nothing arrived" means something)', async () => {
    for (const [t, host] of [[trap, '127.0.0.1'], [trap6, '::1']]) {
      await new Promise((resolve) => net.connect(t.port, host).on('close', resolve).on('error', resolve));
      assert.equal(t.connections, 1, host);
      t.connections = 0;
    }
  });

  for (const [form, expected] of PROXY_PATH_FORMS) {
    test(`/proxy/cvm.tencentcloudapi.com${form} → ${expected === 'refused' ? '400' : expected.path}`, async () => {
      const before = upstream.received.length;
      const trappedBefore = trapped();
      const res = await wireRequest(srv.port, `GET /proxy/cvm.tencentcloudapi.com${fill(form)} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}`);
      assert.equal(trapped(), trappedBefore, 'nothing reached a trap');
      if (expected === 'refused') {
        assert.equal(res.status, 400);
        const err = JSON.parse(res.body);
        assert.equal(err.error, 'ProxyPathNotAllowed');
        assert.match(err.message, /must be a path and query on http:\/\/127\.0\.0\.1:\d+; a URL parser reads /);
        assert.equal(upstream.received.length, before, 'nothing sent upstream either');
      } else {
        assert.equal(res.status, 200);
        assert.equal(upstream.received.length, before + 1);
        assert.equal(upstream.received.at(-1).url, fill(expected.path));
        assert.equal(upstream.received.at(-1).headers.host, 'cvm.tencentcloudapi.com');
      }
    });
  }

  for (const [form, status] of PROXY_TARGET_FORMS) {
    test(`request target ${JSON.stringify(form)} → ${status}`, async () => {
      const before = upstream.received.length;
      const trappedBefore = trapped();
      const res = await wireRequest(srv.port, `GET ${fill(form)} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}`);
      assert.equal(trapped(), trappedBefore, 'nothing reached a trap');
      assert.equal(res.status, status);
      if (status === 403) assert.equal(JSON.parse(res.body).error, 'ProxyHostNotAllowed');
      assert.equal(upstream.received.length, before, 'nothing sent upstream');
    });
  }

  test('with the default upstream (no override) every form keeps https://cvm.tencentcloudapi.com, checked without connecting', () => {
    for (const [form, expected] of PROXY_PATH_FORMS) {
      const rest = fill(form).startsWith('?') ? `/${fill(form)}` : fill(form);
      const built = proxyTarget('https://cvm.tencentcloudapi.com', rest);
      if (expected === 'refused') {
        assert.ok(built.refused, form);
      } else {
        assert.equal(built.target.origin, 'https://cvm.tencentcloudapi.com', form);
        assert.equal(built.target.pathname + built.target.search, fill(expected.path), form);
      }
    }
  });

  test('an upstream that is not http(s) is a 502 ProxyUpstreamInvalid, nothing sent', async () => {
    const odd = await startServer({ port: 0, proxyUpstream: () => `file:///127.0.0.1:${trap.port}`, emulatorOptions: { log: null } });
    try {
      const res = await rawRequest(odd.url, { path: '/proxy/cvm.tencentcloudapi.com/' });
      assert.equal(res.status, 502);
      assert.equal(JSON.parse(res.body).error, 'ProxyUpstreamInvalid');
      assert.equal(trapped(), 0, 'nothing reached a trap, in this whole suite');
    } finally {
      await odd.close();
    }
  });
});

function packageIsBuilt() {
  const pkg = path.join(ROOT, 'pkg');
  const hasWasm = (dir) => existsSync(dir) && readdirSync(dir, { withFileTypes: true })
    .some((e) => (e.isFile() && e.name.endsWith('.wasm')) || (e.isDirectory() && hasWasm(path.join(dir, e.name))));
  return existsSync(path.join(pkg, 'gen', 'web', 'cvm.js')) && hasWasm(pkg);
}

test('npm start: PORT=0 picks a free port, prints the URL and credentials, takes allowed hosts, SIGINT closes cleanly', {
  skip: packageIsBuilt() ? false : 'pkg/ is not built (run `npm run build`)',
  timeout: 30_000,
}, async () => {
  const server = await spawnServer(path.join(ROOT, 'scripts', 'start.mjs'), ['--allowed-host', 'cli.example'],
    { PORT: '0', TCCVM_ALLOWED_HOSTS: 'env.example' }, /http:\/\/127\.0\.0\.1:(\d+)\/[^]*SecretKey/);
  try {
    const url = `http://127.0.0.1:${server.match[1]}`;
    const out = server.output();
    assert.notEqual(new URL(url).port, '0');
    assert.match(out, /SecretId\s+\S+/);
    const res = await rawRequest(url, { path: '/' });
    assert.equal(res.status, 200);
    for (const [host, status] of [['cli.example', 200], ['env.example:8443', 200], ['evil.example', 403]]) {
      assert.equal((await rawRequest(url, { path: '/', headers: { Host: host } })).status, status, host);
    }
    server.signal('SIGINT');
    const { code } = await server.exited;
    assert.equal(code, 0, server.output());
  } finally {
    server.kill();
  }
});
