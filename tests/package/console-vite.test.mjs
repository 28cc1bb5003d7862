// A web console as a new user builds it (issue 19): a fresh Vite app with the packed tarball
// installed, `cvmConsole()` in its vite.config.js and nothing else — no proxy set-up — in Chromium
// against the emulator. Sign mode lists and deletes with no key in the page (a canary SecretKey in
// no DOM, storage, URL, console line, request or response); a temporary key from federationToken
// lists through the forward handler and is refused by the emulator for what its policy leaves out;
// the refusal battery runs against the dev server; `vite preview` serves the same console.
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator } from '../../emulator/server.mjs';
import { HOST_REFUSAL, runBattery } from '../console/battery.mjs';
import { childEnv, CHROMIUM, freePort, launchChromium, startProcess, workspaceAppDir } from './matrix-support.mjs';
import { installInto, ROOT, run } from './tarball.mjs';
import { existsSync } from 'node:fs';

const VITE = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const CANARY = 'CANARYviteServerKey00000canary01';
const KEY = { secretId: 'AKIDcanaryViteServerKey00000000001', secretKey: CANARY };
const REGION = 'ap-guangzhou';

let app;
let emu;
let browser;

before(async () => {
  app = workspaceAppDir('console-vite');
  cpSync(path.join(ROOT, 'tests', 'package', 'console-app'), app, { recursive: true });
  await installInto(app, { packageJson: { type: 'module' } });
  emu = await startEmulator({ port: 0, log: null, credentials: [KEY] });
});
after(async () => {
  await browser?.close();
  await emu?.close();
});

const env = () => childEnv({ CVM_SECRET_ID: KEY.secretId, CVM_SECRET_KEY: KEY.secretKey, CVM_ENDPOINT: emu.url });
const apiCalls = () => emu.emulator.logLines().length;

async function withPage(base, body) {
  browser ??= await launchChromium();
  const page = await browser.newPage();
  const seen = { console: [], errors: [], requests: [], responses: [] };
  page.on('console', (m) => seen.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('request', (r) => seen.requests.push({ url: r.url(), headers: r.headers(), body: r.postData() ?? '' }));
  page.on('response', async (r) => seen.responses.push({ url: r.url(), body: await r.text().catch(() => '') }));
  try {
    await page.goto(`${base}/?host=${encodeURIComponent(new URL(emu.url).host)}`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
    await body(page, seen);
  } finally {
    await page.close();
  }
}

async function assertCanaryNowhere(page, seen) {
  const found = await page.evaluate((key) => {
    const where = [];
    if (document.documentElement.outerHTML.includes(key)) where.push('DOM');
    if (location.href.includes(key)) where.push('URL');
    for (const store of [localStorage, sessionStorage]) for (let i = 0; i < store.length; i++) if ((store.key(i) + store.getItem(store.key(i))).includes(key)) where.push('storage');
    if (document.cookie.includes(key)) where.push('cookie');
    return where;
  }, CANARY);
  assert.deepEqual(found, []);
  for (const line of seen.console) assert.ok(!line.includes(CANARY), line);
  for (const r of [...seen.requests, ...seen.responses]) assert.ok(!JSON.stringify(r).includes(CANARY), r.url);
  assert.ok(seen.requests.length > 0);
}

describe('a Vite app with cvmConsole() (the packed tarball, Chromium, the emulator)', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing` }, () => {
  let dev;
  let base;
  before(async () => {
    const port = await freePort();
    dev = await startProcess(process.execPath, [VITE, '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--force'], { cwd: app, env: env(), ready: /Local:\s+http:\/\/127\.0\.0\.1:\d+/, timeout: 60_000 });
    base = `http://127.0.0.1:${port}`;
  });
  after(() => dev?.stop());

  test('vite dev, sign mode: lists and deletes with no key in the page', { timeout: 120_000 }, async () => {
    emu.emulator.reset();
    await withPage(base, async (page, seen) => {
      const listed = await page.evaluate(() => window.app.list('sign'));
      assert.ok(listed.ok, JSON.stringify(listed));
      assert.ok(listed.ids.includes('img-gznorm04'));
      const removed = await page.evaluate(() => window.app.remove('sign', 'img-gznorm04'));
      assert.ok(removed.ok, JSON.stringify(removed));
      assert.ok(!emu.emulator.images(REGION).some((i) => i.ImageId === 'img-gznorm04'));
      const missing = await page.evaluate(() => window.app.remove('sign', 'img-gznorm04'));
      assert.deepEqual([missing.isTencent, missing.code], [true, 'InvalidImageId.NotFound']);
      assert.ok(seen.requests.filter((r) => r.url.endsWith('/cvm')).every((r) => !r.headers.authorization));
      assert.deepEqual(seen.errors, []);
      await assertCanaryNowhere(page, seen);
    });
  });

  test('vite dev, a temporary key from federationToken: lists through /cvm-forward; the emulator refuses a delete outside its policy', { timeout: 120_000 }, async () => {
    emu.emulator.reset();
    await withPage(base, async (page, seen) => {
      const listed = await page.evaluate(() => window.app.list('temporary'));
      assert.ok(listed.ok, JSON.stringify(listed));
      assert.equal(emu.emulator.sts.view().issued, 1);
      const refused = await page.evaluate(() => window.app.remove('temporary', 'img-gznorm01'));
      assert.equal(refused.code, 'UnauthorizedOperation', JSON.stringify(refused));
      assert.match(refused.message, /policy does not allow cvm:DeleteImages/, 'refused by the emulator, not by the handler');
      assert.ok(emu.emulator.images(REGION).some((i) => i.ImageId === 'img-gznorm01'));
      const signed = seen.requests.filter((r) => r.url.endsWith('/cvm-forward'));
      assert.ok(signed.length >= 2 && signed.every((r) => r.headers.authorization.includes('AKIDemulatorSts')));
      await assertCanaryNowhere(page, seen);
    });
  });

  // Vite's own Host check (server.allowedHosts) answers first for most names; the handler's for
  // the loopback names Vite allows.
  test('vite dev: the refusal battery', { timeout: 120_000 }, async (t) => runBattery(t, base, apiCalls, {
    hostRefusal: new RegExp(`${HOST_REFUSAL.source}|^Blocked request\\. This host \\(".*"\\) is not allowed\\.\n`),
  }));

  test('vite preview serves the same console', { timeout: 180_000 }, async () => {
    const build = await run(process.execPath, [VITE, 'build', '--logLevel', 'warn'], { cwd: app, env: env() });
    assert.equal(build.status, 0, build.output);
    const port = await freePort();
    const preview = await startProcess(process.execPath, [VITE, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: app, env: env(), ready: /Local:\s+http:\/\/127\.0\.0\.1:\d+/, timeout: 60_000 });
    try {
      emu.emulator.reset();
      await withPage(`http://127.0.0.1:${port}`, async (page, seen) => {
        const listed = await page.evaluate(() => window.app.list('sign'));
        assert.ok(listed.ok && listed.ids.length > 0, JSON.stringify(listed));
        await assertCanaryNowhere(page, seen);
      });
    } finally {
      await preview.stop();
    }
  });
});
