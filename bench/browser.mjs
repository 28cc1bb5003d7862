// The Chromium half of the benchmark: serves pkg/ and bench/ from a tiny node:http static server on
// 127.0.0.1 (cross-origin isolated, so performance.now() has its fine resolution), opens
// bench/page.html in headless Chromium through playwright-core and runs window.runBench there.
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** Serves ROOT/pkg and ROOT/bench only. Resolves { url, close() }. */
export async function startStaticServer(root) {
  const allowed = ['pkg', 'bench'].map((d) => path.join(root, d) + path.sep);
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = path.join(root, decodeURIComponent(pathname));
    let body;
    if (allowed.some((dir) => file.startsWith(dir))) {
      try {
        if (statSync(file).isFile()) body = readFileSync(file);
      } catch {
        body = undefined;
      }
    }
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Runs the in-page benchmark. `args` is what window.runBench takes. Resolves its result plus
 * `chromiumPath`; throws when Chromium or the page cannot be started.
 */
export async function runBrowserBench({ root, executablePath = '/usr/bin/chromium', args, timeoutMs = 180_000 }) {
  const { chromium } = await import('playwright-core');
  const site = await startStaticServer(root);
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'cvm-bench-chromium-'));
  let context;
  const pageErrors = [];
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(String(e?.message ?? e)));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    page.setDefaultTimeout(timeoutMs);
    await page.goto(`${site.url}/bench/page.html`);
    try {
      await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30_000 });
    } catch (e) {
      throw new Error(`the benchmark page did not load: ${pageErrors.join(' | ') || e.message}`);
    }
    const result = await page.evaluate((a) => window.runBench(a), args);
    return { ...result, pageErrors };
  } finally {
    await context?.close().catch(() => {});
    await site.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
