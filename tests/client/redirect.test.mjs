// A signed request goes to the host it was signed for or nowhere (issue 21): a server, or anything
// on the path, that answers a redirect to another origin must not receive the signed request — with
// TC3 the X-TC-Token header and the body, with v1 the whole signed form (SecretId, Token, a
// replayable Signature). The redirect is ClientError.Redirect (not retryable), naming the target's
// origin only. Checked for the client (TC3 and v1, POST and GET, DeleteImages and the generic path,
// an injected fetch), a request built with buildDeleteImages/buildRequest and sent by
// `fetch(req.url, req)`, the decoders, and the CLI: delete-images, its bulk mode and prune-images.
// In every case a second local server, the redirect's target, counts what reaches it: nothing may.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { pkg, runCli, rejectionOf, scriptedFetch, STUB_CREDENTIALS } from './harness.mjs';

const REGION = 'ap-guangzhou';
const TOKEN = 'stub-SESSION-token-never-sent-elsewhere-4567';
// The Location's path and query: never to appear in an error or output (they may carry anything).
const TARGET_PATH = '/collect/secret-path-marker?q=query-marker';
// The emulator's temporary key, for the runs that go through to it (prune-images lists images).
const TEMPORARY = DEMO_CREDENTIALS.find((c) => c.token);
const SECRETS = [STUB_CREDENTIALS.secretKey, TOKEN, TEMPORARY.secretKey, TEMPORARY.token];

/** An HTTP server on 127.0.0.1; `handle(req, body, res)`; records every request it gets. */
async function server(handle) {
  const requests = [];
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      handle(req, body, res);
    });
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { srv.closeAllConnections(); srv.close(resolve); }),
  };
}

// The redirect's target: answers every request as a successful API call would, so a client that
// followed the redirect would report success (the CLI used to print a "deleted").
let target;
// The endpoint the client is given: redirects the requests `redirects(action)` selects with
// `status` to the target, and forwards the rest, unchanged (Host included), to the emulator.
let redirector;
let redirect = { status: 307, when: () => true };
let emulator;

/** The action of a request: X-TC-Action (TC3), or Action= in the query or form body (v1). */
function actionOf(req, body) {
  if (req.headers['x-tc-action']) return req.headers['x-tc-action'];
  const query = new URL(req.url, 'http://x').searchParams.get('Action');
  return query || new URLSearchParams(body).get('Action') || '';
}

function forward(req, body, res) {
  const upstream = new URL(emulator.url);
  const out = http.request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  out.on('error', () => res.destroy());
  out.end(body);
}

before(async () => {
  // The emulator answers the Host the redirector's clients signed for (127.0.0.1, any port).
  emulator = await startEmulator({ port: 0, log: null, seedFamilies: true, allowedHosts: ['127.0.0.1'] });
  target = await server((req, body, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ Response: { RequestId: 'req-from-the-other-host', ImageSet: [], TotalCount: 0 } }));
  });
  redirector = await server((req, body, res) => {
    if (!redirect.when(actionOf(req, body))) return forward(req, body, res);
    res.writeHead(redirect.status, { Location: `${target.url}${TARGET_PATH}`, 'Content-Type': 'text/html' });
    res.end('<html><title>Moved</title></html>');
  });
});
after(async () => {
  await target?.close();
  await redirector?.close();
  await emulator?.close();
});
beforeEach(() => {
  target.requests.length = 0;
  redirector.requests.length = 0;
  redirect = { status: 307, when: () => true };
  emulator.emulator.reset();
});

/** The error is the redirect, told as such: code, not retryable, the status, the origin only. */
function assertRedirectError(error, status = 307) {
  assert.ok(error instanceof pkg.TencentCloudError, `not a TencentCloudError: ${error && error.stack}`);
  assert.equal(error.code, 'ClientError.Redirect', error.message);
  assert.equal(error.retryable, false);
  assert.equal(error.httpStatus, status);
  assert.ok(error.description.length > 0, 'the catalogue describes it');
  assert.ok(error.message.includes(`HTTP ${status}`), error.message);
  assert.ok(error.message.includes(target.url), `the target's origin is named: ${error.message}`);
  assert.ok(!/secret-path-marker|query-marker|collect/.test(error.message), `the Location's path or query leaked: ${error.message}`);
  for (const secret of SECRETS) assert.ok(!JSON.stringify({ ...error, message: error.message }).includes(secret), 'a secret is in the error');
}

function assertTargetGotNothing() {
  assert.deepEqual(target.requests.map((r) => `${r.method} ${r.url}`), [], 'the redirect target received a request');
}

const SIGNATURES = [
  ['TC3', {}],
  ['v1 HmacSHA256', { signMethod: 'HmacSHA256' }],
  ['v1 HmacSHA1', { signMethod: 'HmacSHA1' }],
];

describe('CvmClient does not follow a redirect', () => {
  for (const [name, sign] of SIGNATURES) {
    for (const method of ['POST', 'GET']) {
      test(`${name} ${method}: deleteImages → ClientError.Redirect, one attempt, the target gets nothing`, async () => {
        const client = new pkg.CvmClient({ ...STUB_CREDENTIALS, token: TOKEN, region: REGION, endpoint: redirector.url, method, retries: 3, ...sign });
        const error = await rejectionOf(client.deleteImages({ ImageIds: ['img-aaaa1111'] }));
        assertRedirectError(error);
        assert.equal(error.attempts, 1, 'not retried');
        assert.deepEqual(error.history.map((h) => [h.code, h.httpStatus, h.outcomeUnknown]), [['ClientError.Redirect', 307, false]]);
        assert.equal(redirector.requests.length, 1);
        assertTargetGotNothing();
      });
    }
  }

  for (const status of [301, 302, 303, 307, 308]) {
    test(`HTTP ${status}: describeImages (the generic path) → ClientError.Redirect, the target gets nothing`, async () => {
      redirect.status = status;
      const client = new pkg.CvmClient({ ...STUB_CREDENTIALS, token: TOKEN, region: REGION, endpoint: redirector.url });
      assertRedirectError(await rejectionOf(client.describeImages({ Limit: 1 })), status);
      assertRedirectError(await rejectionOf(client.request('DescribeImages', { Limit: 1 }, { version: '2017-03-12' })), status);
      assertTargetGotNothing();
    });
  }

  test('an injected fetch is called with redirect: manual, and a 3xx it resolves is a redirect', async () => {
    const seen = [];
    const client = new pkg.CvmClient({
      ...STUB_CREDENTIALS, token: TOKEN, region: REGION, endpoint: redirector.url,
      fetch: (url, init) => { seen.push(init.redirect); return globalThis.fetch(url, init); },
    });
    assertRedirectError(await rejectionOf(client.deleteImages({ ImageIds: ['img-aaaa1111'] })));
    assert.deepEqual(seen, ['manual']);
    assertTargetGotNothing();
    // A fetch that disregards the mode and hands back the 3xx itself: still the redirect, not a success.
    const script = scriptedFetch([{ status: 302, body: '', headers: { Location: `${target.url}${TARGET_PATH}` } }]);
    const stubbed = new pkg.CvmClient({ ...STUB_CREDENTIALS, region: REGION, fetch: script.fetch, retries: 3 });
    const error = await rejectionOf(stubbed.deleteImages({ ImageIds: ['img-aaaa1111'] }));
    assertRedirectError(error, 302);
    assert.equal(script.calls.length, 1);
    assert.equal(script.calls[0].redirect, 'manual');
  });

  test("a browser's opaque redirect (type opaqueredirect, status 0) is a redirect, not retried", async () => {
    let calls = 0;
    const opaque = async () => {
      calls += 1;
      return { type: 'opaqueredirect', status: 0, ok: false, headers: new Headers(), text: async () => '' };
    };
    const client = new pkg.CvmClient({ ...STUB_CREDENTIALS, region: REGION, fetch: opaque, retries: 3 });
    const error = await rejectionOf(client.deleteImages({ ImageIds: ['img-aaaa1111'] }));
    assert.equal(error.code, 'ClientError.Redirect');
    assert.equal(error.retryable, false);
    assert.equal(error.httpStatus, 0);
    assert.equal(calls, 1);
  });
});

describe('a built request sent with fetch(req.url, req) does not follow a redirect', () => {
  for (const [name, sign] of SIGNATURES) {
    for (const method of ['POST', 'GET']) {
      test(`${name} ${method}: the request says redirect: manual; the 307 comes back and decodes as ClientError.Redirect`, async () => {
        const options = { ...STUB_CREDENTIALS, token: TOKEN, region: REGION, endpoint: redirector.url, method, ...sign };
        const req = pkg.buildDeleteImages({ ImageIds: ['img-aaaa1111'] }, options);
        assert.equal(req.redirect, 'manual');
        const res = await fetch(req.url, req);
        assert.equal(res.status, 307);
        const error = (() => { try { pkg.decodeDeleteImages(res.status, '<html><title>Moved</title></html>'); } catch (e) { return e; } return undefined; })();
        assert.equal(error?.code, 'ClientError.Redirect');
        assert.equal(error.retryable, false);
        assert.equal(error.httpStatus, 307);
        await res.text();
        const generic = pkg.buildRequest('DescribeImages', { Limit: 1 }, options);
        assert.equal(generic.redirect, 'manual');
        const answer = await fetch(generic.url, generic);
        assert.throws(() => pkg.decodeResponse(answer.status, ''), { code: 'ClientError.Redirect', httpStatus: 307, retryable: false });
        await answer.text();
        assertTargetGotNothing();
      });
    }
  }

  test('the decoders read any 3xx, and status 0 (an opaque redirect), as ClientError.Redirect', () => {
    const envelope = JSON.stringify({ Response: { RequestId: 'r-1' } });
    for (const status of [0, 300, 301, 302, 303, 304, 307, 308, 399]) {
      for (const body of ['', envelope, '<html></html>']) {
        for (const decode of [pkg.decodeDeleteImages, pkg.decodeResponse]) {
          assert.throws(() => decode(status, body), (e) => e instanceof pkg.TencentCloudError && e.code === 'ClientError.Redirect'
            && e.retryable === false && e.httpStatus === status && /redirect/i.test(e.message), `${status} ${body}`);
        }
      }
    }
    const described = pkg.describeError('ClientError.Redirect');
    assert.equal(described.known, true);
    assert.equal(described.retryable, false);
    // Other statuses keep their meaning.
    assert.throws(() => pkg.decodeResponse(404, ''), { code: 'ClientError.HttpStatus' });
    assert.equal(pkg.decodeDeleteImages(200, envelope).RequestId, 'r-1');
  });
});

describe('tccvm does not follow a redirect', () => {
  let home;
  const env = (key) => ({
    PATH: process.env.PATH, HOME: home, TENCENTCLOUD_REGION: REGION,
    TENCENTCLOUD_SECRET_ID: key.secretId, TENCENTCLOUD_SECRET_KEY: key.secretKey, TENCENTCLOUD_SESSION_TOKEN: key.token,
  });
  /**
   * Runs tccvm against the redirector with a session token (the stub key, or the emulator's
   * temporary one); asserts no secret and no Location path in its output.
   */
  async function tccvm(args, key = { ...STUB_CREDENTIALS, token: TOKEN }) {
    const result = await runCli([...args, '--endpoint', redirector.url], { env: env(key) });
    for (const secret of SECRETS) {
      assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), `a secret was printed by tccvm ${args.join(' ')}`);
    }
    assert.ok(!/secret-path-marker|query-marker/.test(result.stdout + result.stderr), 'the Location path was printed');
    return result;
  }
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'tccvm-redirect-'));
  });

  for (const sign of [[], ['--signature-method', 'HmacSHA256']]) {
    for (const method of ['POST', 'GET']) {
      test(`delete-images ${sign.join(' ') || 'TC3'} ${method}: exit 1, ClientError.Redirect, the target gets nothing`, async () => {
        const { code, stdout, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-aaaa1111', '--retries', '0', '--method', method, ...sign]);
        assert.equal(code, 1, stdout + stderr);
        assert.match(stderr, /ClientError\.Redirect/);
        assert.ok(stderr.includes(target.url), stderr);
        assert.doesNotMatch(stdout, /req-from-the-other-host/);
        assertTargetGotNothing();
      });
    }
  }

  test('bulk (--ids-file, 150 ids): the first call is refused as a redirect, no later call is sent, exit 1', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `img-bulk${String(i).padStart(4, '0')}`);
    const file = path.join(home, 'ids.txt');
    writeFileSync(file, `${ids.join('\n')}\n`);
    const { code, stdout, stderr } = await tccvm(['delete-images', '--ids-file', file, '--yes']);
    assert.equal(code, 1, stderr);
    const report = JSON.parse(stdout);
    assert.equal(report.summary.deleted, 0);
    assert.equal(report.summary.failed, 100);
    assert.equal(report.summary.skipped, 50, 'a redirecting endpoint is not asked again');
    assert.ok(report.images.filter((r) => r.Status === 'failed').every((r) => r.Code === 'ClientError.Redirect'));
    assert.equal(redirector.requests.length, 1);
    assertTargetGotNothing();
  });

  test('prune-images: DeleteImages redirected → its images fail with ClientError.Redirect, exit 1, the target gets nothing', async () => {
    redirect.when = (action) => action === 'DeleteImages';
    const { code, stdout, stderr } = await tccvm(['prune-images', '--name', 'web-*', '--keep', '3', '--older-than', '90d', '--yes'], TEMPORARY);
    assert.equal(code, 1, stderr);
    const report = JSON.parse(stdout);
    assert.equal(report.counts.delete, 5, 'the plan came from the emulator, through the redirector');
    assert.equal(report.summary.deleted, 0);
    assert.ok(report.images.length > 0 && report.images.every((r) => r.Status === 'failed' && r.Code === 'ClientError.Redirect'), JSON.stringify(report.images));
    assertTargetGotNothing();
    assert.equal(emulator.emulator.images(REGION).filter((i) => /^img-gzweb00[5-9]$/.test(i.ImageId)).length, 5, 'nothing deleted');
  });

  test('prune-images: the listing redirected → exit 1, nothing else sent', async () => {
    const { code, stderr } = await tccvm(['prune-images', '--name', '*', '--keep', '0', '--older-than', '1d', '--yes', '--retries', '0'], TEMPORARY);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /ClientError\.Redirect/);
    assert.equal(redirector.requests.length, 1);
    assertTargetGotNothing();
  });
});
