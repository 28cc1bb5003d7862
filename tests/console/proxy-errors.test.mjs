// The three proxy set-ups a new user tries first (issue 19), through Vite's own dev-server proxy to
// the emulator, each ending in a message that names the fix; and the other messages that point at
// the cause: a region typo's did-you-mean (library and CLI), a network error naming the URL tried.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../emulator/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { CvmClient, ValidationError, buildDeleteImages, validateRegion } = require('../../pkg/node.cjs');

const REGION = 'ap-guangzhou';
let emu;
let vite;
let viteUrl;
let dir;
let key;

before(async () => {
  emu = await startEmulator({ port: 0, log: null });
  key = emu.emulator.credentials.find((c) => !c.token);
  dir = mkdtempSync(path.join(tmpdir(), 'cvm-proxy-'));
  const { createServer } = await import('vite');
  vite = await createServer({
    configFile: false,
    root: dir,
    logLevel: 'silent',
    server: {
      host: '127.0.0.1',
      port: 0,
      proxy: {
        '/changeorigin': { target: emu.url, changeOrigin: true, rewrite: (p) => p.replace(/^\/changeorigin/, '') },
        '/keeporigin': { target: emu.url, changeOrigin: false, rewrite: (p) => p.replace(/^\/keeporigin/, '') },
      },
    },
  });
  await vite.listen();
  const { port } = vite.httpServer.address();
  viteUrl = `http://127.0.0.1:${port}`;
});
after(async () => {
  await vite?.close();
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('attempt 1: endpoint "/cvm" outside a page says it resolves against a page\'s location only', () => {
  assert.throws(() => new CvmClient({ ...key, region: REGION, endpoint: '/cvm' }), (e) => e instanceof ValidationError && e.field === 'endpoint' && /resolved against the page's location only in a browser/.test(e.message));
});

test('attempt 1 in a page: a path endpoint resolves against location (client and buildDeleteImages)', async () => {
  globalThis.location = { href: `${emu.url}/app/index.html?x=1` };
  try {
    const client = new CvmClient({ ...key, region: REGION, endpoint: '/' });
    assert.equal(client.endpoint, `${emu.url}/`);
    assert.equal(typeof (await client.describeImages()).TotalCount, 'number');
    const req = buildDeleteImages({ ImageIds: ['img-mfih409y'] }, { ...key, region: REGION, endpoint: '/cvm' });
    assert.equal(req.url, `${emu.url}/cvm`);
    assert.throws(() => new CvmClient({ ...key, region: REGION, endpoint: '//evil.example/x' }), ValidationError);
  } finally {
    delete globalThis.location;
  }
});

test('attempt 2: a proxy with changeOrigin and no host option: SignatureFailure says to set host (or use the console handler)', async () => {
  const client = new CvmClient({ ...key, region: REGION, endpoint: `${viteUrl}/changeorigin`, retries: 0 });
  const e = await client.describeImages().catch((x) => x);
  assert.equal(e.code, 'AuthFailure.SignatureFailure');
  assert.match(e.message, /signed for host 127\.0\.0\.1:\d+; if a proxy there sends it on to another host .*set the `host` option to the upstream host, or use the console handler/);
  // The fix the message names works.
  const fixed = new CvmClient({ ...key, region: REGION, endpoint: `${viteUrl}/changeorigin`, host: new URL(emu.url).host });
  assert.equal(typeof (await fixed.describeImages()).TotalCount, 'number');
});

test('a signed host the proxy does not pass on: the message names both hosts', async () => {
  // Signed for the emulator's host, sent to Vite, which (changeOrigin: false) passes Vite's Host:
  // the emulator's Host check refuses first; with its hint whole.
  const client = new CvmClient({ ...key, region: REGION, endpoint: `${viteUrl}/keeporigin`, host: 'cvm.tencentcloudapi.com', retries: 0 });
  const e = await client.describeImages().catch((x) => x);
  assert.equal(e.code, 'ClientError.HttpStatus');
  // Straight to the emulator but signed for another host: both hosts named.
  const direct = new CvmClient({ ...key, region: REGION, endpoint: emu.url, host: 'cvm.tencentcloudapi.com', retries: 0 });
  const d = await direct.describeImages().catch((x) => x);
  assert.equal(d.code, 'AuthFailure.SignatureFailure');
  assert.match(d.message, new RegExp(`signed for host cvm\\.tencentcloudapi\\.com but sent to ${new URL(emu.url).host.replace(/\./g, '\\.')}: .*\`host\` option.*console handler`));
});

test('attempt 3: a proxy without changeOrigin: the 403 carries the server\'s whole one-line hint', async () => {
  const client = new CvmClient({ ...key, region: REGION, endpoint: `${viteUrl}/keeporigin`, retries: 0 });
  const e = await client.describeImages().catch((x) => x);
  assert.equal(e.code, 'ClientError.HttpStatus');
  assert.equal(e.httpStatus, 403);
  assert.match(e.message, /is not a name of this server \(.*\); to serve it anyway, start it with --allowed-host NAME or TCCVM_ALLOWED_HOSTS=NAME"/);
  assert.doesNotMatch(e.message, /…/);
});

test('a mistyped region: did-you-mean from KNOWN_REGIONS in validation and in the CLI; new regions still pass', () => {
  assert.throws(() => validateRegion('ap-guangzou'), (e) => e instanceof ValidationError && /did you mean "ap-guangzhou"\?/.test(e.message));
  assert.throws(() => new CvmClient({ ...key, region: 'ap-guangzou' }), /did you mean "ap-guangzhou"\?/);
  assert.equal(validateRegion('me-riyadh2'), 'me-riyadh2');
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'pkg', 'bin', 'tccvm.cjs'), 'describe-images', '--region', 'ap-guangzou', '--endpoint', emu.url], {
    env: { ...process.env, TENCENTCLOUD_SECRET_ID: key.secretId, TENCENTCLOUD_SECRET_KEY: key.secretKey, HOME: dir },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.notEqual(cli.status, 0);
  assert.match(cli.stderr, /did you mean "ap-guangzhou"\?/);
});

test('a network error names the URL it tried (scheme, host, port, path), never the query', async () => {
  const client = new CvmClient({ ...key, region: REGION, endpoint: 'http://127.0.0.1:1/some/path', method: 'GET', retries: 0 });
  const e = await client.describeImages({ Limit: 5 }).catch((x) => x);
  assert.equal(e.code, 'ClientError.Network');
  assert.match(e.message, /the request to http:\/\/127\.0\.0\.1:1\/some\/path failed/);
  assert.doesNotMatch(e.message, /Limit|Signature|\?/);
});
