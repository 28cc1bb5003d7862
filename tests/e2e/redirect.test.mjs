// A signed request goes to the host it was signed for or nowhere, in Chromium too (issue 21). A page
// loads the package's browser entry and sends DeleteImages — through CvmClient, and as a built
// request with `fetch(req.url, req)` — to its own origin, which answers 307 to another local origin.
// That origin plays an attacker's server (it answers CORS preflights and requests permissively, so a
// followed request would succeed) and counts what reaches it: nothing may, not even a preflight.
// The page sees an opaque redirect (status 0), which is ClientError.Redirect, not retryable.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = path.join(ROOT, 'pkg');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'e2e-SESSION-token-never-sent-elsewhere';
const SECRET_KEY = 'e2e-SECRET-key-never-sent-elsewhere';
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

async function listen(handler) {
  const srv = http.createServer(handler);
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return {
    srv,
    url: `http://127.0.0.1:${srv.address().port}`,
    close: () => new Promise((resolve) => { srv.closeAllConnections(); srv.close(resolve); }),
  };
}

let target; // the other origin
let targetRequests;
let site; // the page's origin: the package, a blank page, and /api answering 307 to the target
let apiRequests;
let browser;

describe('a redirect in Chromium (the browser entry)', { timeout: 120_000 }, () => {
  before(async () => {
    assert.ok(existsSync(path.join(PKG, 'gen', 'wasm-inline.js')), 'pkg/ is not built: run `npm run build` first');
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing (set CHROMIUM_PATH)`);
    targetRequests = [];
    target = await listen((req, res) => {
      targetRequests.push(`${req.method} ${req.url}`);
      req.resume();
      const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Methods': '*' };
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors);
        res.end();
        return;
      }
      res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ Response: { RequestId: 'req-from-the-other-host' } }));
    });
    apiRequests = 0;
    site = await listen((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (url.pathname.startsWith('/api')) {
        apiRequests += 1;
        req.resume();
        res.writeHead(307, { Location: `${target.url}/collect/secret-path-marker?q=1` });
        res.end();
        return;
      }
      if (url.pathname === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<!doctype html><title>redirect test</title>');
        return;
      }
      const file = path.join(PKG, path.normalize(url.pathname.replace(/^\/pkg\//, '')));
      if (!url.pathname.startsWith('/pkg/') || !file.startsWith(PKG + path.sep) || !existsSync(file)) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await target?.close();
  });

  test('CvmClient and fetch(req.url, req), TC3 and v1, POST and GET: ClientError.Redirect, the other origin gets nothing', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${site.url}/`);
      const results = await page.evaluate(async ({ token, secretKey }) => {
        const cvm = await import('/pkg/browser.js');
        const caught = async (f) => {
          try {
            return { resolved: await f() };
          } catch (e) {
            return { code: e.code, retryable: e.retryable, httpStatus: e.httpStatus, message: e.message, attempts: e.attempts };
          }
        };
        const out = [];
        for (const signMethod of [undefined, 'HmacSHA256']) {
          for (const method of ['POST', 'GET']) {
            const options = {
              secretId: 'AKIDe2eRedirect0000000000000000000', secretKey, token, region: 'ap-guangzhou',
              endpoint: `${location.origin}/api`, method, ...(signMethod && { signMethod }),
            };
            const client = new cvm.CvmClient({ ...options, retries: 2 });
            const viaClient = await caught(() => client.deleteImages({ ImageIds: ['img-aaaa1111'] }));
            const req = cvm.buildDeleteImages({ ImageIds: ['img-aaaa1111'] }, options);
            const viaFetch = await caught(async () => {
              const res = await fetch(req.url, req);
              return cvm.decodeDeleteImages(res.status, await res.text());
            });
            out.push({ name: `${signMethod ?? 'TC3'} ${method}`, redirect: req.redirect, viaClient, viaFetch });
          }
        }
        return out;
      }, { token: TOKEN, secretKey: SECRET_KEY });
      assert.deepEqual(targetRequests, [], 'the other origin received a request');
      assert.equal(results.length, 4);
      for (const { name, redirect, viaClient, viaFetch } of results) {
        assert.equal(redirect, 'manual', name);
        for (const [how, r] of [['client', viaClient], ['fetch', viaFetch]]) {
          assert.equal(r.code, 'ClientError.Redirect', `${name} ${how}: ${JSON.stringify(r)}`);
          assert.equal(r.retryable, false, `${name} ${how}`);
          assert.equal(r.httpStatus, 0, `${name} ${how}: an opaque redirect`);
          assert.ok(!r.message.includes('secret-path-marker'), r.message);
          assert.ok(!r.message.includes(TOKEN) && !r.message.includes(SECRET_KEY), r.message);
        }
        assert.equal(viaClient.attempts, 1, `${name}: not retried`);
      }
      assert.equal(apiRequests, 8, 'each request reached the page origin once');
    } finally {
      await page.close();
    }
  });
});
