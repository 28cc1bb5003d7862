// The demo page in headless Chromium against the local emulator (www/server.mjs): lists images,
// DryRun, delete (POST and GET), validation errors next to their fields, an API error with its
// catalogue description, the signed-request preview; no console errors and the SecretKey nowhere
// in the DOM or the console. Screenshots go to test-artifacts/ (always page.png; <test>.png on failure).

import { test, describe, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, demoCredentials } from '../../www/server.mjs';
import { startEmulator } from '../../emulator/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REGION = 'ap-guangzhou';

let srv;
/** A second emulator standing in for https://cvm.tencentcloudapi.com behind the proxy. */
let realApi;
let proxyTarget;
let context;
let userDataDir;
let secretKey;

/** One page with its console and page errors recorded. */
let page;
let consoleMessages;
let pageErrors;
let failedRequests;

async function emulatorImages(region = REGION) {
  return srv.emulator.images(region).map((i) => i.ImageId);
}

async function openPage({ viewport = { width: 1280, height: 800 } } = {}) {
  page = await context.newPage();
  await page.setViewportSize(viewport);
  consoleMessages = [];
  pageErrors = [];
  failedRequests = [];
  page.on('console', (msg) => consoleMessages.push({ type: msg.type(), text: msg.text() }));
  page.on('pageerror', (err) => pageErrors.push(String(err?.stack ?? err)));
  page.on('requestfailed', (req) => failedRequests.push(`${req.method()} ${req.url()} ${req.failure()?.errorText}`));
  await page.goto(`${srv.url}/`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
  await page.waitForSelector('#images button.image');
  await page.locator('#busy').waitFor({ state: 'hidden' });
  // The page opens in sign mode (tests/e2e/console-page.test.mjs); these tests sign in the tab.
  await page.check('#signer-tab');
  await page.waitForFunction(() => document.getElementById('secret-key').value !== '');
  await page.waitForSelector('#images button.image');
  await page.locator('#busy').waitFor({ state: 'hidden' });
}

function imageButton(id) {
  return page.locator(`#images button.image[data-image-id="${id}"]`);
}

async function listedIds() {
  return page.locator('#images button.image').evaluateAll((els) => els.map((e) => e.dataset.imageId));
}

async function send() {
  await page.click('#send');
  // The busy indicator shows while the call (and the refresh after it) is in flight.
  await page.locator('#result').waitFor({ state: 'visible' });
  await page.locator('#busy').waitFor({ state: 'hidden' });
}

async function resultField(name) {
  return page.locator(`#result-fields dd[data-name="${name}"]`).textContent();
}

/** The SecretKey must not be in the markup, in any attribute, in any text, or in the console. */
async function assertSecretNowhere() {
  const found = await page.evaluate((key) => {
    const where = [];
    if (document.documentElement.outerHTML.includes(key)) where.push('outerHTML');
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) if (attr.value.includes(key)) where.push(`${el.tagName}[${attr.name}]`);
    }
    if (document.body.innerText.includes(key)) where.push('innerText');
    for (const input of document.querySelectorAll('input, textarea')) {
      if (input.id !== 'secret-key' && input.value.includes(key)) where.push(`#${input.id}.value`);
    }
    if (location.href.includes(key)) where.push('URL');
    for (const store of [localStorage, sessionStorage]) {
      for (let i = 0; i < store.length; i++) {
        const k = store.key(i);
        if (k.includes(key) || store.getItem(k).includes(key)) where.push('storage');
      }
    }
    if (document.cookie.includes(key)) where.push('cookie');
    return where;
  }, secretKey);
  assert.deepEqual(found, [], 'the SecretKey leaked into the page');
  for (const m of consoleMessages) assert.ok(!m.text.includes(secretKey), `the SecretKey is in the console: ${m.text}`);
}

function assertNoConsoleErrors(expected = []) {
  const errors = consoleMessages.filter((m) => (m.type === 'error' || m.type === 'warning') && !expected.some((re) => re.test(m.text)));
  assert.deepEqual(errors, [], 'console errors or warnings');
  assert.deepEqual(pageErrors, [], 'uncaught page errors');
  assert.deepEqual(failedRequests, [], 'failed requests');
}

/** Runs a test body with a fresh page; on failure saves a screenshot named after the test. */
function pageTest(name, body, { viewport, expectedConsoleErrors } = {}) {
  test(name, async (t) => {
    srv.emulator.reset();
    realApi.emulator.reset();
    proxyTarget = realApi.url;
    await openPage({ viewport });
    try {
      await body(t);
      await assertSecretNowhere();
      assertNoConsoleErrors(expectedConsoleErrors);
    } catch (err) {
      const file = path.join(ARTIFACTS, `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      err.message += `\n(screenshot: ${path.relative(ROOT, file)}; console: ${JSON.stringify(consoleMessages)})`;
      throw err;
    } finally {
      await page.close();
    }
  });
}

describe('demo page (Chromium)', { timeout: 120_000 }, () => {
  before(async () => {
    assert.ok(existsSync(path.join(ROOT, 'pkg', 'web.js')), 'pkg/web.js is missing: run `npm run build` first');
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing (set CHROMIUM_PATH)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    // It answers the Host the proxy sends, the signed host, as the real API does.
    realApi = await startEmulator({ port: 0, log: null, allowedHosts: ['cvm.tencentcloudapi.com'] });
    proxyTarget = realApi.url;
    srv = await startServer({ port: 0, emulatorOptions: { log: null }, proxyUpstream: () => proxyTarget });
    secretKey = demoCredentials(srv.emulator).secretKey;
    userDataDir = mkdtempSync(path.join(tmpdir(), 'cvm-e2e-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
      ],
      viewport: { width: 1280, height: 800 },
    });
  });
  after(async () => {
    await context?.close();
    await srv?.close();
    await realApi?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  pageTest('lists the images of the region with their states, demo credentials filled in', async () => {
    const expected = await emulatorImages();
    assert.ok(expected.length > 0, 'the emulator is seeded');
    assert.deepEqual((await listedIds()).sort(), [...expected].sort());
    assert.equal(await imageButton('img-gzcreat1').locator('.state').textContent(), 'CREATING');
    assert.equal(await imageButton('img-gznorm01').locator('.state').textContent(), 'NORMAL');
    assert.equal(await page.inputValue('#region'), REGION);
    assert.equal(await page.inputValue('#secret-id'), demoCredentials(srv.emulator).secretId);
    assert.equal(await page.inputValue('#secret-key'), secretKey, 'pre-filled (as a property only)');
    assert.equal(await page.getAttribute('#secret-key', 'type'), 'password');
    assert.equal(await page.isVisible('#endpoint'), false, 'custom endpoint field hidden');
    assert.equal(await page.isVisible('#busy'), false, 'not busy once listed');
    assert.equal(await page.isVisible('#images-error'), false);
    // The region list comes from KNOWN_REGIONS.
    assert.ok(await page.locator(`#regions option[value="${REGION}"]`).count() === 1);
  });

  pageTest('DryRun: the check passes and the image stays', async () => {
    await imageButton('img-gznorm01').click();
    assert.equal(await page.inputValue('#image-ids'), 'img-gznorm01');
    assert.equal(await imageButton('img-gznorm01').getAttribute('aria-pressed'), 'true');
    await page.check('#dry-run');
    // A slow answer, so the busy indicator can be seen while the call is in flight.
    srv.emulator.setFault('delay:700', { action: 'DeleteImages' });
    await page.click('#send');
    await page.locator('#busy').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#busy'), /Sending DeleteImages/);
    assert.equal(await page.isDisabled('#send'), true, 'no second send while one is in flight');
    await send();
    assert.match(await page.textContent('#result-title'), /DryRun passed/);
    assert.match(await resultField('RequestId'), /^[0-9a-f-]{36}$/);
    assert.ok((await listedIds()).includes('img-gznorm01'), 'still listed');
    assert.ok((await emulatorImages()).includes('img-gznorm01'), 'still in the emulator');
  });

  pageTest('delete (POST): RequestId shown, the image leaves the list and the emulator', async () => {
    await imageButton('img-gznorm02').click();
    await page.check('#delete-binded-snap');
    await send();
    assert.equal(await page.textContent('#result-title'), 'Deleted');
    const requestId = await resultField('RequestId');
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    await page.waitForFunction(() => !document.querySelector('#images [data-image-id="img-gznorm02"]'));
    assert.ok(!(await emulatorImages()).includes('img-gznorm02'), 'gone from the emulator');
    assert.ok(!srv.emulator.snapshots(REGION).some((s) => s.SnapshotId === 'snap-gznorm2s'), 'bound snapshot deleted too');
    assert.deepEqual((await listedIds()).sort(), (await emulatorImages()).sort());
    // The preview shows what was sent: POST, JSON body, the stages of the signature.
    const http = await page.textContent('#preview-http');
    assert.match(http, /^POST http:\/\/127\.0\.0\.1:\d+\/emulator/);
    assert.match(http, /"ImageIds":\["img-gznorm02"\]/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ARTIFACTS, 'page.png') });
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-full.png'), fullPage: true });
  });

  pageTest('delete (GET): parameters in the query string', async () => {
    await page.check('input[name="method"][value="GET"]');
    await imageButton('img-gznorm04').click();
    await send();
    assert.equal(await page.textContent('#result-title'), 'Deleted');
    assert.match(await resultField('RequestId'), /^[0-9a-f-]{36}$/);
    await page.waitForFunction(() => !document.querySelector('#images [data-image-id="img-gznorm04"]'));
    assert.ok(!(await emulatorImages()).includes('img-gznorm04'));
    const http = await page.textContent('#preview-http');
    assert.match(http, /^GET http:\/\/127\.0\.0\.1:\d+\/emulator\/?\?\S*ImageIds\.0=img-gznorm04/);
    assert.match(await page.textContent('#preview-canonical'), /^GET\n\/\n\S*ImageIds\.0=img-gznorm04/);
    assert.doesNotMatch(await page.textContent('#preview-curl'), /--data/);
  });

  pageTest('delete with a legacy v1 signature (HmacSHA1, POST form): the emulator verifies it', async () => {
    await page.selectOption('#sign-method', 'HmacSHA1');
    await imageButton('img-gznorm05').click();
    await page.waitForSelector('#preview-body:not([hidden])');
    assert.match(await page.textContent('#preview-canonical-title'), /HmacSHA1, legacy v1/);
    assert.match(await page.textContent('#preview-sts'), /^POST127\.0\.0\.1:\d+\/\?Action=DeleteImages&ImageIds\.0=img-gznorm05&Nonce=\d+&Region=ap-guangzhou&SecretId=\w+&Timestamp=\d+&Version=2017-03-12$/);
    assert.match(await page.textContent('#preview-auth'), /^Signature=[A-Za-z0-9+/]{27}=$/);
    assert.match(await page.textContent('#preview-check'), /✓ .*Signature parameter/);
    await send();
    assert.equal(await page.textContent('#result-title'), 'Deleted');
    await page.waitForFunction(() => !document.querySelector('#images [data-image-id="img-gznorm05"]'));
    assert.ok(!(await emulatorImages()).includes('img-gznorm05'));
    const http = await page.textContent('#preview-http');
    assert.match(http, /^POST http:\/\/127\.0\.0\.1:\d+\/emulator\S*\nHost: [^\n]+\nContent-Type: application\/x-www-form-urlencoded\n\nAction=DeleteImages&\S+&Signature=\S+$/);
    assert.doesNotMatch(http, /Authorization|X-TC-/);
  });

  pageTest('the preview shows every stage of req.signing, matching its Authorization header, and a curl command', async () => {
    await imageButton('img-gznorm03').click();
    await page.waitForSelector('#preview-body:not([hidden])');
    const canonical = await page.textContent('#preview-canonical');
    assert.match(canonical, /^POST\n\/\n\ncontent-type:application\/json\nhost:127\.0\.0\.1:\d+\n/);
    const sts = await page.textContent('#preview-sts');
    assert.match(sts, /^TC3-HMAC-SHA256\n\d+\n\d{4}-\d\d-\d\d\/cvm\/tc3_request\n[0-9a-f]{64}$/);
    const auth = await page.textContent('#preview-auth');
    assert.match(auth, /^Authorization: TC3-HMAC-SHA256 Credential=AKID\S+\/\d{4}-\d\d-\d\d\/cvm\/tc3_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/);
    assert.match(await page.textContent('#preview-check'), /^✓/);
    const curl = await page.textContent('#preview-curl');
    assert.match(curl, /^curl -X POST 'http:\/\/127\.0\.0\.1:\d+\/emulator\/?'/);
    assert.match(curl, /-H 'X-TC-Action: DeleteImages'/i);
    assert.match(curl, /--data-raw '\{"ImageIds":\["img-gznorm03"\]\}'/);

    // The proxy choice signs the real host and curls the real API directly.
    await page.selectOption('#endpoint-kind', 'proxy');
    assert.equal(await page.inputValue('#secret-key'), '', 'demo credentials cleared for the real API');
    await page.fill('#secret-id', 'AKIDrealLookingButFakeKey000000000001');
    await page.fill('#secret-key', 'notARealSecretKeyButLongEnough01');
    await page.waitForSelector('#preview-body:not([hidden])');
    assert.match(await page.textContent('#preview-canonical'), /\nhost:cvm\.tencentcloudapi\.com\n/);
    assert.match(await page.textContent('#preview-curl'), /^curl -X POST 'https:\/\/cvm\.tencentcloudapi\.com\/'/);
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    assert.ok(!html.includes('notARealSecretKeyButLongEnough01'));
    // Back to the emulator: demo credentials again, and no DescribeImages is left failing.
    await page.selectOption('#endpoint-kind', 'emulator');
    assert.equal(await page.inputValue('#secret-key'), secretKey);
    await page.waitForFunction(() => document.getElementById('images-error').hidden && document.getElementById('busy').hidden);
  });

  pageTest('validation errors appear next to their fields, and nothing is sent', async () => {
    const before = await emulatorImages();
    await page.fill('#image-ids', 'img-gznorm01\nfoo-12345678');
    const idError = page.locator('#ImageIds-error');
    await idError.waitFor({ state: 'visible' });
    assert.match(await idError.textContent(), /^Line 2: .*InvalidImageId\.Malformed/);
    assert.equal(await idError.getAttribute('data-field'), 'ImageIds.1');
    assert.equal(await page.getAttribute('#image-ids', 'aria-invalid'), 'true');

    await page.fill('#region', 'Not A Region!');
    const regionError = page.locator('#region-error');
    await regionError.waitFor({ state: 'visible' });
    assert.ok((await regionError.textContent()).length > 0);
    assert.equal(await regionError.getAttribute('data-field'), 'region');
    // One check marks every wrong field at once: the image id's error is still shown, and a
    // third field's joins them.
    await page.fill('#secret-id', 'AKID with spaces');
    await page.locator('#secretId-error').waitFor({ state: 'visible' });
    assert.ok(await idError.isVisible(), 'the ImageIds error stays while others appear');
    assert.ok(await regionError.isVisible(), 'the region error stays while others appear');
    await page.fill('#secret-id', demoCredentials(srv.emulator).secretId);
    await page.locator('#secretId-error').waitFor({ state: 'hidden' });

    await page.click('#send');
    assert.match(await page.textContent('#result-title'), /^Not sent/);
    assert.deepEqual(await emulatorImages(), before, 'nothing deleted');

    // Fixing the fields clears the errors.
    await page.fill('#image-ids', 'img-gznorm01');
    await page.fill('#region', REGION);
    await idError.waitFor({ state: 'hidden' });
    await regionError.waitFor({ state: 'hidden' });
    await page.fill('#secret-id', '');
    await page.locator('#secretId-error').waitFor({ state: 'visible' });
    await page.fill('#secret-id', demoCredentials(srv.emulator).secretId);
    await page.waitForFunction(() => document.getElementById('busy').hidden);
  });

  pageTest('an API error shows its code, description, RequestId and whether to retry', async () => {
    await imageButton('img-gzcreat1').click();
    await send();
    assert.equal(await page.textContent('#result-title'), 'DeleteImages failed: InvalidImageId.IncorrectState');
    assert.equal(await resultField('Code'), 'InvalidImageId.IncorrectState');
    const expected = await page.evaluate(async () => (await import('/pkg/web.js')).describeError('InvalidImageId.IncorrectState'));
    assert.ok(expected.description.length > 0);
    assert.equal(await resultField('Description'), expected.description);
    assert.match(await resultField('RequestId'), /^[0-9a-f-]{36}$/);
    assert.equal(await resultField('Retry could help'), expected.retryable ? 'yes, after a backoff' : 'no');
    assert.ok((await emulatorImages()).includes('img-gzcreat1'));
  });

  pageTest('a retryable API error says so', async () => {
    srv.emulator.setFault('InternalError', { action: 'DeleteImages' });
    await imageButton('img-gznorm01').click();
    await send();
    assert.equal(await resultField('Code'), 'InternalError');
    assert.equal(await resultField('Retry could help'), 'yes, after a backoff');
    assert.match(await resultField('RequestId'), /^[0-9a-f-]{36}$/);
    assert.ok((await emulatorImages()).includes('img-gznorm01'), 'nothing deleted');
  });

  pageTest('through the same-origin proxy: signed for cvm.tencentcloudapi.com, forwarded unchanged', async () => {
    await page.selectOption('#endpoint-kind', 'proxy');
    assert.equal(await page.inputValue('#secret-id'), '', 'demo credentials are not offered to the real API');
    await page.locator('#images-error').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#images button.image').count(), 0, 'no stale list');
    const demo = demoCredentials(realApi.emulator);
    await page.fill('#secret-id', demo.secretId);
    await page.fill('#secret-key', demo.secretKey);
    // The listing comes from the emulator behind the proxy, which verified a signature over host cvm.tencentcloudapi.com.
    await page.waitForSelector('#images button.image');
    await page.locator('#busy').waitFor({ state: 'hidden' });
    await imageButton('img-gznorm01').click();
    assert.match(await page.textContent('#preview-canonical'), /\nhost:cvm\.tencentcloudapi\.com\n/);
    assert.match(await page.textContent('#preview-http'), /^POST http:\/\/127\.0\.0\.1:\d+\/proxy\/cvm\.tencentcloudapi\.com/);
    await send();
    assert.equal(await page.textContent('#result-title'), 'Deleted');
    assert.ok(!realApi.emulator.images(REGION).some((i) => i.ImageId === 'img-gznorm01'), 'deleted behind the proxy');
    assert.ok((await emulatorImages()).includes('img-gznorm01'), 'the local emulator untouched');
  });

  pageTest('an unreachable API behind the proxy is reported, with the proxy\'s explanation', async () => {
    const probe = await startEmulator({ port: 0, log: null });
    const deadUrl = probe.url;
    await probe.close();
    proxyTarget = deadUrl;
    await page.selectOption('#endpoint-kind', 'proxy');
    await page.fill('#secret-id', 'AKIDsomeoneRealLookingKey00000000001');
    await page.fill('#secret-key', secretKey);
    await page.locator('#images-error').waitFor({ state: 'visible' });
    await page.waitForFunction(() => /DescribeImages failed/.test(document.getElementById('images-error').textContent));
    await page.fill('#image-ids', 'img-gznorm01');
    await send();
    assert.equal(await resultField('Code'), 'ClientError.HttpStatus');
    assert.equal(await resultField('HTTP status'), '502');
    // The proxy names where it actually tried to connect.
    const answeredBy = await resultField('Answered by');
    assert.ok(answeredBy.startsWith(`ProxyUpstreamUnreachable: cannot reach ${deadUrl}/ (ECONNREFUSED`), answeredBy);
    assert.match(await page.textContent('#images-error'), /ProxyUpstreamUnreachable/);
  }, { expectedConsoleErrors: [/status of 502/] });

  pageTest('a custom endpoint and signed host are validated next to their fields and used', async () => {
    await page.selectOption('#endpoint-kind', 'custom');
    await page.locator('#endpoint').waitFor({ state: 'visible' });
    await page.fill('#endpoint', 'ftp://example');
    await page.locator('#endpoint-error').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#endpoint-error'), /scheme/);
    await page.fill('#signed-host', 'bad host!');
    await page.fill('#endpoint', `${srv.url}/emulator`);
    const demo = demoCredentials(srv.emulator);
    await page.fill('#secret-id', demo.secretId);
    await page.fill('#secret-key', demo.secretKey);
    await page.locator('#host-error').waitFor({ state: 'visible' });
    await page.locator('#endpoint-error').waitFor({ state: 'hidden' });
    await page.fill('#signed-host', '');
    await page.locator('#host-error').waitFor({ state: 'hidden' });
    await page.waitForSelector('#images button.image');
    await page.locator('#busy').waitFor({ state: 'hidden' });
    await imageButton('img-gzcfail1').click();
    await send();
    assert.equal(await page.textContent('#result-title'), 'Deleted');
    assert.ok(!(await emulatorImages()).includes('img-gzcfail1'));
  });

  pageTest('narrow screen: one column, nothing overflows sideways', async () => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
    const [form, images] = await Promise.all([page.locator('#form').boundingBox(), page.locator('.images').boundingBox()]);
    assert.ok(Math.abs(form.x - images.x) < 2, 'cards stacked');
    await imageButton('img-gznorm05').click();
    await send();
    assert.equal(await page.textContent('#result-title'), 'Deleted');
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-narrow.png'), fullPage: true });
  }, { viewport: { width: 390, height: 844 } });
});
