// The demo page's default, sign mode, in headless Chromium against `npm start`'s server
// (www/server.mjs): the page shows no SecretKey field, lists and deletes through the console handler
// at /cvm, and the server's key — a canary here — is in no DOM, storage, URL, console line, request
// or response the page sees. Then the other two choices: a temporary key from /cvm/credentials
// (scoped, from the emulator's STS; the page signs and sends through the forward handler at
// /cvm-forward) and keys in this tab.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../www/server.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REGION = 'ap-guangzhou';
const CANARY = 'CANARYserverSecretKey0000canary1';
const SERVER_KEY = { secretId: 'AKIDcanaryServerKey0000000000000001', secretKey: CANARY };

let srv;
let context;
let userDataDir;

/** A page with everything it does recorded: console lines, errors, requests (with bodies) and responses. */
async function openPage() {
  const page = await context.newPage();
  const seen = { console: [], errors: [], requests: [], responses: [] };
  page.on('console', (m) => seen.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('request', (r) => seen.requests.push({ url: r.url(), method: r.method(), headers: r.headers(), body: r.postData() ?? '' }));
  page.on('response', async (r) => {
    const type = r.headers()['content-type'] ?? '';
    if (type.includes('json') || type.includes('text/plain')) seen.responses.push({ url: r.url(), body: await r.text().catch(() => '') });
  });
  await page.goto(`${srv.url}/`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
  await page.waitForSelector('#images button.image');
  await page.locator('#busy').waitFor({ state: 'hidden' });
  return { page, seen };
}

/** The canary is nowhere the page can see or send. */
async function assertCanaryNowhere(page, seen) {
  const found = await page.evaluate((key) => {
    const where = [];
    if (document.documentElement.outerHTML.includes(key)) where.push('outerHTML');
    for (const el of document.querySelectorAll('*')) for (const a of el.attributes) if (a.value.includes(key)) where.push(`${el.tagName}[${a.name}]`);
    for (const input of document.querySelectorAll('input, textarea')) if (input.value.includes(key)) where.push(`#${input.id}.value`);
    if (location.href.includes(key)) where.push('URL');
    for (const store of [localStorage, sessionStorage]) for (let i = 0; i < store.length; i++) if ((store.key(i) + store.getItem(store.key(i))).includes(key)) where.push('storage');
    if (document.cookie.includes(key)) where.push('cookie');
    return where;
  }, CANARY);
  assert.deepEqual(found, [], 'the server key is in the page');
  for (const line of seen.console) assert.ok(!line.includes(CANARY), `console: ${line}`);
  for (const r of seen.requests) assert.ok(!JSON.stringify(r).includes(CANARY), `request ${r.url}`);
  for (const r of seen.responses) assert.ok(!r.body.includes(CANARY), `response ${r.url}`);
  assert.ok(seen.requests.length > 5, 'requests were recorded');
}

async function send(page) {
  await page.click('#send');
  await page.locator('#result').waitFor({ state: 'visible' });
  await page.locator('#busy').waitFor({ state: 'hidden' });
}

const listed = (page) => page.locator('#images button.image').evaluateAll((els) => els.map((e) => e.dataset.imageId));

describe('the demo page in sign mode (Chromium)', { timeout: 120_000 }, () => {
  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing (set CHROMIUM_PATH)`);
    srv = await startServer({ port: 0, emulatorOptions: { log: null, credentials: [SERVER_KEY] } });
    userDataDir = mkdtempSync(path.join(tmpdir(), 'cvm-console-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await context?.close();
    await srv?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  test('the default: no key field, lists and deletes through /cvm, the server key nowhere in the page', async () => {
    srv.emulator.reset();
    const { page, seen } = await openPage();
    try {
      assert.equal(await page.isChecked('#signer-server'), true);
      assert.equal(await page.isVisible('#secret-key'), false, 'no SecretKey field shown');
      assert.equal(await page.isVisible('#secret-id'), false);
      assert.deepEqual((await listed(page)).sort(), srv.emulator.images(REGION).map((i) => i.ImageId).sort());
      await page.locator('#images button.image[data-image-id="img-gznorm02"]').click();
      assert.match(await page.textContent('#preview-http'), /^POST http:\/\/127\.0\.0\.1:\d+\/cvm\nContent-Type: application\/json\n\n\{"action":"DeleteImages","params":\{"ImageIds":\["img-gznorm02"\]\},"region":"ap-guangzhou"\}/);
      assert.equal(await page.isVisible('#preview-auth'), false, 'no signature in this mode');
      await send(page);
      assert.equal(await page.textContent('#result-title'), 'Deleted');
      await page.waitForFunction(() => !document.querySelector('#images [data-image-id="img-gznorm02"]'));
      assert.ok(!srv.emulator.images(REGION).some((i) => i.ImageId === 'img-gznorm02'));
      // An API error through the console: code, description and RequestId as in the other modes.
      await page.fill('#image-ids', 'img-nothere1');
      await send(page);
      assert.match(await page.textContent('#result-title'), /InvalidImageId\.NotFound/);
      assert.match(await page.locator('#result-fields dd[data-name="RequestId"]').textContent(), /^[0-9a-f-]{36}$/);
      assert.match(await page.locator('#result-fields dd[data-name="HTTP status"]').textContent(), /^404$/);
      // A mistyped region is caught in the page, with the core's did-you-mean, before anything is sent.
      const deletesBefore = seen.requests.filter((r) => r.url.endsWith('/cvm') && r.body.includes('DeleteImages')).length;
      await page.fill('#region', 'ap-guangzou');
      await page.click('#send');
      await page.waitForFunction(() => document.getElementById('region-error').textContent.includes('did you mean "ap-guangzhou"'));
      assert.equal(seen.requests.filter((r) => r.url.endsWith('/cvm') && r.body.includes('DeleteImages')).length, deletesBefore, 'nothing sent');
      const calls = seen.requests.filter((r) => r.url.endsWith('/cvm'));
      assert.ok(calls.every((r) => !('authorization' in r.headers)), 'the page signs nothing');
      assert.ok(!seen.requests.some((r) => r.url.includes('/demo-credentials.json')), 'the demo key is not fetched in this mode');
      assert.deepEqual(seen.errors, []);
      // Chromium logs every non-2xx answer; the console's 404 for InvalidImageId.NotFound is one.
      assert.deepEqual(seen.console.filter((l) => (l.startsWith('error') || l.startsWith('warning')) && !/status of 404 \(Not Found\)/.test(l)), []);
      await assertCanaryNowhere(page, seen);
    } finally {
      await page.close();
    }
  });

  test('temporary key from the server: lists and deletes signing with a scoped STS key, never the server\'s', async () => {
    srv.emulator.reset();
    const { page, seen } = await openPage();
    try {
      await page.check('#signer-temporary');
      await page.waitForFunction(() => /temporary key from STS/.test(document.getElementById('signer-hint').textContent));
      await page.waitForSelector('#images button.image');
      await page.locator('#busy').waitFor({ state: 'hidden' });
      assert.equal(await page.isVisible('#secret-key'), false);
      assert.equal(srv.emulator.sts.view().issued, 1);
      await page.locator('#images button.image[data-image-id="img-gznorm03"]').click();
      assert.match(await page.textContent('#preview-auth'), /^Authorization: TC3-HMAC-SHA256 Credential=AKIDemulatorSts/);
      await send(page);
      assert.equal(await page.textContent('#result-title'), 'Deleted');
      assert.ok(!srv.emulator.images(REGION).some((i) => i.ImageId === 'img-gznorm03'));
      const signed = seen.requests.filter((r) => r.headers.authorization);
      assert.ok(signed.length >= 2, 'listed and deleted with signed requests');
      for (const r of signed) {
        assert.match(r.url, /\/cvm-forward$/, 'through the forward handler');
        assert.match(r.headers.authorization, /Credential=AKIDemulatorSts.*SignedHeaders=content-type;host;x-tc-action/);
        assert.ok(r.headers['x-tc-token']);
      }
      assert.ok(!seen.requests.some((r) => JSON.stringify(r).includes(SERVER_KEY.secretId)), 'the server\'s SecretId is not used by the page');
      await assertCanaryNowhere(page, seen);
    } finally {
      await page.close();
    }
  });

  test('keys in this tab: the fields appear and the demo key is fetched only now', async () => {
    srv.emulator.reset();
    const { page, seen } = await openPage();
    try {
      assert.ok(!seen.requests.some((r) => r.url.includes('/demo-credentials.json')));
      await page.check('#signer-tab');
      await page.waitForFunction(() => document.getElementById('secret-key').value !== '');
      assert.equal(await page.isVisible('#secret-key'), true);
      assert.equal(await page.getAttribute('#secret-key', 'type'), 'password');
      await page.waitForSelector('#images button.image');
      assert.ok(seen.requests.some((r) => r.url.includes('/demo-credentials.json')));
      // Back to the server: the key leaves the field.
      await page.check('#signer-server');
      await page.waitForFunction(() => document.getElementById('secret-key').value === '');
    } finally {
      await page.close();
    }
  });
});
