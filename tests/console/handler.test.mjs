// consoleHandler (tencentcloud-cvm-wasm/console) behind Node's http through toNodeListener, against
// the emulator: sign mode (the page sends unsigned calls, the server signs with a key the page never
// sees: decoded answers, fitting statuses, the same errors through ConsoleClient), forward mode (the
// page signs, the handler forwards to the one pinned upstream with an allow-list of headers), the
// refusal battery (battery.mjs), and what construction refuses.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { startEmulator } from '../../emulator/server.mjs';
import { AUTHORIZE_BY_HEADER, runBattery, SESSION_HEADER, SESSION_VALUE } from './battery.mjs';

const require = createRequire(import.meta.url);
const { consoleHandler, toNodeListener, ConsoleClient } = require('../../pkg/console.cjs');
const { CvmClient, CvmCallError, ValidationError, TencentCloudError, buildRequest } = require('../../pkg/node.cjs');

const REGION = 'ap-guangzhou';
let emu;
let permanent;

async function serveHandler(handler) {
  const server = http.createServer(toNodeListener(handler));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return { base, close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }) };
}

/** A ConsoleClient of `base` whose requests carry the session header (as a page's cookie would). */
function pageClient(base, options = {}) {
  return new ConsoleClient({ endpoint: `${base}/cvm`, headers: { [SESSION_HEADER]: SESSION_VALUE }, ...options });
}

const upstreamCount = () => emu.emulator.logLines().length;

before(async () => {
  emu = await startEmulator({ port: 0, log: null });
  permanent = emu.emulator.credentials.find((c) => !c.token);
});
after(() => emu?.close());

describe('sign mode over Node http', () => {
  let srv;
  before(async () => {
    srv = await serveHandler(consoleHandler({ credentials: permanent, region: REGION, endpoint: emu.url, authorize: AUTHORIZE_BY_HEADER }));
  });
  after(() => srv?.close());

  test('lists and deletes through ConsoleClient: CvmClient\'s results, no key in the page', async () => {
    emu.emulator.reset();
    const client = pageClient(srv.base);
    const listed = await client.describeImages({ Limit: 100 });
    assert.ok(listed.ImageSet.some((i) => i.ImageId === 'img-gznorm04'));
    assert.equal(listed.attempts, 1);
    assert.match(listed.RequestId, /^[0-9a-f-]{36}$/);
    const deleted = await client.deleteImages({ ImageIds: ['img-gznorm04'] });
    assert.deepEqual(Object.keys(deleted).sort(), ['RequestId', 'attempts']);
    assert.ok(!emu.emulator.images(REGION).some((i) => i.ImageId === 'img-gznorm04'), 'deleted');
    const dry = await client.deleteImages({ ImageIds: ['img-gznorm05'], DryRun: true });
    assert.match(dry.RequestId, /^[0-9a-f-]{36}$/);
    assert.ok(emu.emulator.images(REGION).some((i) => i.ImageId === 'img-gznorm05'), 'DryRun deleted nothing');
    assert.ok(!JSON.stringify(client).includes(permanent.secretKey));
  });

  test('errors come back as CvmClient\'s: TencentCloudError with code, RequestId, status that fits; ValidationError before sending', async () => {
    emu.emulator.reset();
    const client = pageClient(srv.base);
    const notFound = await client.deleteImages({ ImageIds: ['img-nothere1'] }).catch((e) => e);
    assert.ok(notFound instanceof TencentCloudError, String(notFound));
    assert.equal(notFound.code, 'InvalidImageId.NotFound');
    assert.equal(notFound.httpStatus, 404);
    assert.match(notFound.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(notFound.description, 'the image does not exist');
    assert.equal(notFound.retryable, false);
    assert.equal(notFound.attempts, 1);
    // The same class as CvmClient's, with its one attempt.
    assert.ok(notFound instanceof CvmCallError);
    assert.deepEqual(notFound.history.map((a) => [a.attempt, a.code]), [[1, 'InvalidImageId.NotFound']]);

    const busy = await client.deleteImages({ ImageIds: ['img-gzcreat1'] }).catch((e) => e);
    assert.equal(busy.code, 'InvalidImageId.IncorrectState');
    assert.equal(busy.httpStatus, 409);

    const before = upstreamCount();
    const local = await client.deleteImages({ ImageIds: ['nope'] }).catch((e) => e);
    assert.ok(local instanceof ValidationError);
    assert.equal(local.code, 'InvalidImageId.Malformed');
    assert.equal(upstreamCount(), before, 'a ValidationError in the page sends nothing');

    // The server's core validates too: a call that skips the page's check gets 400 and the issues.
    const raw = await fetch(`${srv.base}/cvm`, { method: 'POST', headers: { 'content-type': 'application/json', [SESSION_HEADER]: SESSION_VALUE }, body: JSON.stringify({ action: 'DeleteImages', params: { ImageIds: ['img-gznorm01'], DeleteBindedSnapshot: true } }) });
    assert.equal(raw.status, 400);
    const body = await raw.json();
    assert.equal(body.Error.Code, 'UnknownParameter');
    assert.match(body.Error.Message, /did you mean DeleteBindedSnap\?/);
    assert.equal(upstreamCount(), before, 'the server\'s validation sends nothing either');
    const viaClient = await client.request('DeleteImages', { ImageIds: ['img-gznorm01'], DeleteBindedSnapshot: true }).catch((e) => e);
    assert.ok(viaClient instanceof ValidationError, String(viaClient));
    assert.equal(viaClient.field, 'DeleteBindedSnapshot');
    assert.ok(emu.emulator.images(REGION).some((i) => i.ImageId === 'img-gznorm01'));
  });

  test('a call naming a region uses it; a mistyped region gets the core\'s did-you-mean as a 400', async () => {
    const client = pageClient(srv.base, { region: 'ap-shanghai' });
    const listed = await client.describeImages({ Limit: 100 });
    assert.ok(listed.ImageSet.every((i) => !i.ImageId.startsWith('img-gz')));
    const res = await fetch(`${srv.base}/cvm`, { method: 'POST', headers: { 'content-type': 'application/json', [SESSION_HEADER]: SESSION_VALUE }, body: JSON.stringify({ action: 'DescribeImages', region: 'ap-guangzou' }) });
    assert.equal(res.status, 400);
    assert.match((await res.json()).Error.Message, /did you mean "ap-guangzhou"\?/);
    assert.throws(() => new ConsoleClient({ endpoint: `${srv.base}/cvm`, region: 'ap-guangzou' }), /did you mean "ap-guangzhou"/);
  });

  test('the server\'s key refused upstream is the server\'s fault: 502 with the code', async () => {
    const wrong = await serveHandler(consoleHandler({ credentials: { secretId: permanent.secretId, secretKey: 'not-the-key' }, region: REGION, endpoint: emu.url, authorize: () => true }));
    try {
      const e = await new ConsoleClient({ endpoint: `${wrong.base}/cvm` }).describeImages().catch((x) => x);
      assert.equal(e.code, 'AuthFailure.SignatureFailure');
      assert.equal(e.httpStatus, 502);
      assert.ok(!e.message.includes('not-the-key'));
    } finally {
      await wrong.close();
    }
  });

  test('an unreachable upstream is 502 ClientError.Network naming the URL tried, never a secret', async () => {
    const dead = await serveHandler(consoleHandler({ credentials: permanent, region: REGION, endpoint: 'http://127.0.0.1:1/api', retries: 0, authorize: () => true }));
    try {
      const e = await new ConsoleClient({ endpoint: `${dead.base}/cvm` }).describeImages().catch((x) => x);
      assert.equal(e.code, 'ClientError.Network');
      assert.equal(e.httpStatus, 502);
      assert.match(e.message, /http:\/\/127\.0\.0\.1:1\/api/);
      assert.ok(!e.message.includes(permanent.secretKey));
    } finally {
      await dead.close();
    }
  });

  test('the refusal battery', async (t) => runBattery(t, srv.base, upstreamCount));
});

describe('construction', () => {
  test('sign mode without authorize refuses to construct, naming the risk', () => {
    assert.throws(() => consoleHandler({ credentials: permanent, region: REGION }), (e) => e instanceof ValidationError && e.field === 'authorize' && /anyone who reaches \/cvm would spend the server's key/.test(e.message));
    assert.throws(() => consoleHandler({ mode: 'forward', temporaryCredentials: async () => ({}) }), (e) => e.field === 'authorize');
  });

  test('bad options throw naming the option, with a did-you-mean; the secret is never in the message', () => {
    const base = { credentials: permanent, region: REGION, authorize: () => true };
    assert.throws(() => consoleHandler({ ...base, mode: 'proxy' }), (e) => e.field === 'mode');
    assert.throws(() => consoleHandler({ ...base, path: 'cvm' }), (e) => e.field === 'path');
    assert.throws(() => consoleHandler({ ...base, path: '/cvm/' }), (e) => e.field === 'path');
    assert.throws(() => consoleHandler({ ...base, allowActions: [] }), (e) => e.field === 'allowActions');
    assert.throws(() => consoleHandler({ ...base, allowActions: ['Describe Images'] }), ValidationError);
    assert.throws(() => consoleHandler({ ...base, allowedHosts: ['http://x'] }), (e) => e.field === 'allowedHosts.0');
    assert.throws(() => consoleHandler({ ...base, regoin: 'x' }), (e) => e instanceof ValidationError && /did you mean region\?/.test(e.message));
    assert.throws(() => consoleHandler({ ...base, credentials: { secretId: 'AKIDx' } }), (e) => e instanceof ValidationError && !e.message.includes(permanent.secretKey));
    for (const upstream of ['https://cvm.tencentcloudapi.com/?x=1', 'https://u:p@cvm.tencentcloudapi.com', 'ftp://cvm.tencentcloudapi.com', 'cvm.tencentcloudapi.com', 'https://cvm.tencentcloudapi.com/#x']) {
      assert.throws(() => consoleHandler({ mode: 'forward', upstream }), (e) => e.field === 'upstream', upstream);
    }
    assert.throws(() => consoleHandler({ mode: 'forward', upstreem: 'x' }), (e) => /did you mean upstream\?/.test(e.message));
  });

  test('handles() says which paths are the console\'s (adapters pass the rest on)', () => {
    const h = consoleHandler({ mode: 'forward', path: '/api/cvm' });
    assert.equal(h.handles('/api/cvm'), true);
    assert.equal(h.handles('/api/cvm/credentials'), true);
    assert.equal(h.handles('/api/cvm/'), false);
    assert.equal(h.handles('/'), false);
    assert.equal(h.mode, 'forward');
  });

  test('allowedHosts: a name the console is deliberately served under', async () => {
    const h = consoleHandler({ credentials: permanent, region: REGION, endpoint: emu.url, authorize: () => true, allowedHosts: ['console.example', 'lan.example:8443'] });
    const call = (host) => h(new Request(`http://${host}/cvm`, { method: 'POST', headers: { host, 'content-type': 'application/json' }, body: '{"action":"DescribeImages"}' }));
    for (const host of ['console.example', 'console.example:9999', 'lan.example:8443', 'localhost:1']) assert.equal((await call(host)).status, 200, host);
    for (const host of ['lan.example', 'lan.example:8444', 'x.console.example']) assert.equal((await call(host)).status, 403, host);
    // A URL naming another authority than the Host header (an absolute-form target): refused.
    const mixed = await h(new Request('http://evil.example/cvm', { method: 'POST', headers: { host: 'localhost:1', 'content-type': 'application/json' }, body: '{"action":"DescribeImages"}' }));
    assert.equal(mixed.status, 403);
  });
});

describe('forward mode over Node http', () => {
  let srv;
  /** A fake upstream that records what reaches it and answers like the emulator (or as told). */
  let seen;
  let fake;
  let answer;
  before(async () => {
    seen = [];
    fake = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (answer) return answer(req, res);
        // Hand it to the emulator as it arrived.
        const fwd = http.request(`${emu.url}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(emu.url).host } }, (up) => {
          res.writeHead(up.statusCode, up.headers);
          up.pipe(res);
        });
        fwd.end(Buffer.concat(chunks));
      });
    });
    await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const upstream = `http://127.0.0.1:${fake.address().port}`;
    srv = await serveHandler(consoleHandler({ mode: 'forward', upstream, allowActions: ['DescribeImages', 'DeleteImages'], timeoutMs: 2000 }));
    srv.upstream = upstream;
  });
  after(async () => {
    await srv?.close();
    fake?.closeAllConnections?.();
    await new Promise((resolve) => fake.close(resolve));
  });

  /** A CvmClient in the page: a temporary key, signing for the emulator's host, sending to the console. */
  function pageSigner(extra = {}) {
    const temp = emu.emulator.credentials.find((c) => c.token);
    return new CvmClient({ ...temp, region: REGION, endpoint: `${srv.base}/cvm`, host: new URL(emu.url).host, signAction: true, retries: 0, ...extra });
  }

  test('a page-signed call goes to the pinned upstream with API headers only: no cookies, no Origin, no path', async () => {
    emu.emulator.reset();
    seen.length = 0;
    answer = undefined;
    const client = pageSigner();
    const listed = await client.describeImages({ Limit: 1 });
    assert.equal(typeof listed.TotalCount, 'number');
    // A cookie and other browser headers stay on this side.
    const req = buildRequest('DescribeImages', { Limit: 1 }, { ...emu.emulator.credentials[1], region: REGION, endpoint: `${srv.base}/cvm`, host: new URL(emu.url).host, signAction: true });
    const res = await fetch(req.url, { ...req, headers: { ...req.headers, cookie: 'session=s3cret', 'x-forwarded-for': '1.2.3.4', origin: srv.base } });
    assert.equal(res.status, 200, await res.clone().text());
    const last = seen.at(-1);
    assert.equal(last.url, '/');
    for (const name of ['cookie', 'x-forwarded-for', 'origin', SESSION_HEADER]) assert.equal(last.headers[name], undefined, name);
    assert.ok(last.headers['x-tc-token'] && last.headers.authorization);
    assert.ok(res.headers.get('date'), 'the Date goes back (skew correction)');
  });

  test('unsigned X-TC-Action, an action outside allowActions, no TC3 signature: refused before upstream, as envelopes CvmClient reads', async () => {
    seen.length = 0;
    const unsigned = await pageSigner({ signAction: false }).describeImages().catch((e) => e);
    assert.equal(unsigned.code, 'UnauthorizedOperation');
    assert.match(unsigned.message, /signAction: true/);
    const other = await pageSigner().request('DescribeImageSharePermission', { ImageId: 'img-gznorm01' }).catch((e) => e);
    assert.equal(other.code, 'UnauthorizedOperation');
    assert.match(other.message, /allowActions/);
    const v1 = await pageSigner({ signAction: undefined, signMethod: 'HmacSHA256' }).describeImages().catch((e) => e);
    assert.equal(v1.code, 'AuthFailure.InvalidAuthorization');
    // The action header changed after signing: the signature no longer matches upstream.
    const req = buildRequest('DescribeImages', {}, { ...emu.emulator.credentials[1], region: REGION, endpoint: `${srv.base}/cvm`, host: new URL(emu.url).host, signAction: true });
    const swapped = await fetch(req.url, { ...req, headers: { ...req.headers, 'X-TC-Action': 'RunInstances' } });
    assert.equal(swapped.status, 403);
    assert.equal(seen.length, 0, 'nothing reached upstream');
  });

  test('paths, methods and Origins other than the console\'s never reach upstream', async () => {
    seen.length = 0;
    for (const p of ['/cvm/x', '/cvm/', '/cvm/../x', '/proxy/evil.example/', '//evil.example/']) {
      const res = await fetch(`${srv.base}${p}`, { method: 'POST' });
      assert.notEqual(res.status, 200, p);
    }
    const put = await fetch(`${srv.base}/cvm`, { method: 'PUT' });
    assert.equal(put.status, 405);
    const req = buildRequest('DescribeImages', {}, { ...emu.emulator.credentials[1], region: REGION, endpoint: `${srv.base}/cvm`, host: new URL(emu.url).host, signAction: true });
    const foreign = await fetch(req.url, { ...req, headers: { ...req.headers, origin: 'http://evil.example' } });
    assert.equal(foreign.status, 403);
    const site = await fetch(req.url, { ...req, headers: { ...req.headers, 'sec-fetch-site': 'cross-site' } });
    assert.equal(site.status, 403);
    assert.equal(seen.length, 0);
  });

  test('an upstream redirect goes back without its Location (ClientError.Redirect); a slow upstream is 504', async () => {
    answer = (req, res) => {
      res.writeHead(302, { location: 'http://evil.example/steal' });
      res.end();
    };
    const redirected = await pageSigner().describeImages().catch((e) => e);
    assert.equal(redirected.code, 'ClientError.Redirect');
    assert.doesNotMatch(redirected.message, /evil\.example/);
    answer = () => {}; // never answers
    const started = Date.now();
    const slow = await pageSigner({ timeoutMs: 10_000 }).describeImages().catch((e) => e);
    assert.equal(slow.code, 'ClientError.HttpStatus');
    assert.equal(slow.httpStatus, 504);
    assert.match(slow.message, /no answer from http:\/\/127\.0\.0\.1:\d+\/ within 2000 ms/);
    assert.ok(Date.now() - started < 8000);
    answer = undefined;
  });

  test('a body over maxBodyBytes is 413 before upstream', async () => {
    seen.length = 0;
    const res = await fetch(`${srv.base}/cvm`, { method: 'POST', headers: { authorization: `TC3-HMAC-SHA256 Credential=x/2026-01-01/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=${'0'.repeat(64)}`, 'x-tc-action': 'DescribeImages', 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 1) });
    assert.equal(res.status, 413);
    assert.equal(seen.length, 0);
  });
});
