#!/usr/bin/env node
// `npm run bench`: tencentcloud-cvm-wasm against the official Node SDK (tencentcloud-sdk-nodejs-common),
// a textbook node:crypto signer and an aws4fetch-style WebCrypto signer, side by side in one process:
//   1. signTc3 (DeleteImages POST)            5. sizes (.wasm, browser download, gzip -9)
//   2. buildDeleteImages vs the SDK's path     6. round trip against the local emulator
//   3. signTc3 vs WebCrypto in headless Chromium  7. signing-key cache: hits vs misses
//   4. cold start of fresh `node -e` processes     8. the client's own CPU per call
// Every implementation first proves it produces the same Authorization as signTc3 (and the SDK
// reproduces Tencent's Example 1); any disagreement aborts with exit code 1. Times never affect the
// exit code. Flags: --quick (agreement checks + one tiny round, no Chromium, no cold start),
// --json <file>, --no-browser. The .wasm's build settings are weighed by bench/levers.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { clientCpu } from './client-cpu.mjs';
import { FULL, QUICK, measure } from './harness.mjs';
import {
  SDK_NAME,
  SDK_SIGN_PATH,
  SDK_VERSION,
  createWebCryptoSigner,
  nodeCryptoSignTc3,
  sdkBuildDeleteImages,
  sdkSign3,
  sdkSignTc3,
} from './signers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PKG = path.join(ROOT, 'pkg');
const PKG_ENTRY = path.join(PKG, 'node.cjs');
const VECTORS = path.join(ROOT, 'tests', 'vectors');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);

/** Targets (issues 17 and 18; informational: the exit code never depends on them). */
const TARGETS = Object.freeze({
  signVsSdk: 3,
  buildVsSdk: 2,
  browserVsWebCrypto: 5,
  wasmGzBytes: 66 * 1024,
  clientCpuUs: 25,
});

// Tencent's Example 1 key pair; the DeleteImages request of the brief.
const KEY = Object.freeze({ secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' });
const TIMESTAMP = 1551113065;
const IMAGE_ID = 'img-mfih409y';
const PAYLOAD = JSON.stringify({ ImageIds: [IMAGE_ID] });
const REGION = 'ap-guangzhou';
const HOST = 'cvm.tencentcloudapi.com';
const SIGN_INPUT = Object.freeze({
  ...KEY,
  service: 'cvm',
  host: HOST,
  method: 'POST',
  contentType: 'application/json',
  query: '',
  payload: PAYLOAD,
  timestamp: TIMESTAMP,
  action: 'DeleteImages',
  signAction: false,
});
/** The same values where the fixed layout does not apply: the general path's time. */
const SIGN_INPUT_GENERAL = Object.freeze(Object.assign(Object.create(null), SIGN_INPUT));
const BUILD_PARAMS = Object.freeze({ ImageIds: [IMAGE_ID] });
const BUILD_OPTIONS = Object.freeze({ ...KEY, region: REGION, timestamp: TIMESTAMP });

class AgreementError extends Error {}

// ---------------------------------------------------------------------------------------------
// Command line

function usage() {
  return 'usage: node bench/bench.mjs [--quick] [--no-browser] [--json <file>]';
}

function options() {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        quick: { type: 'boolean', default: false },
        'no-browser': { type: 'boolean', default: false },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(usage());
      process.exit(0);
    }
    return { quick: values.quick, browser: !values.quick && !values['no-browser'], json: values.json };
  } catch (e) {
    console.error(`${e.message}\n${usage()}`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------------------------
// Output helpers

const out = (line = '') => console.log(line);

function heading(title) {
  out();
  out(title);
  out('-'.repeat(Math.min(100, title.length)));
}

function fmtUs(ns) {
  const us = ns / 1000;
  return us >= 100 ? us.toFixed(1) : us >= 10 ? us.toFixed(2) : us.toFixed(3);
}

function fmtInt(n) {
  return Math.round(n).toLocaleString('en-US');
}

function fmtRatio(r) {
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** "N× faster" or "N× slower" from a speed ratio (other's time ÷ this one's). */
function fmtSpeed(x) {
  return x >= 1 ? `${fmtRatio(x)} faster` : `${fmtRatio(1 / x)} slower`;
}

function fmtSignedUs(ns) {
  return `${ns < 0 ? '-' : '+'}${fmtUs(Math.abs(ns))} µs`;
}

function fmtBytes(n) {
  return `${fmtInt(n)} B (${(n / 1024).toFixed(1)} KiB)`;
}

/** Prints rows (arrays of cells) under headers; numeric-looking columns right-aligned. */
function table(headers, rows, rightAligned = []) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    '  ' +
    cells
      .map((c, i) => (rightAligned.includes(i) ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  out(line(headers));
  out('  ' + widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) out(line(r));
}

/** A timing table with a speed ratio against `baseline` (its time ÷ each row's time). */
function timingTable(results, baselineName, ratioLabel) {
  const base = results.find((r) => r.name === baselineName);
  table(
    ['implementation', 'median µs/op', 'ops/s', 'spread', ratioLabel],
    results.map((r) => [
      r.name,
      fmtUs(r.medianNs),
      fmtInt(r.opsPerSec),
      `±${(((r.maxNs - r.minNs) / 2 / r.medianNs) * 100).toFixed(0)}%`,
      r === base ? '1.00× (baseline)' : base ? fmtRatio(base.medianNs / r.medianNs) : 'n/a',
    ]),
    [1, 2, 3, 4],
  );
}

// ---------------------------------------------------------------------------------------------
// Agreement

const checks = [];

function agree(what, got, want, { quiet = false } = {}) {
  if (got !== want) {
    throw new AgreementError(`DISAGREEMENT: ${what}\n    got:  ${got}\n    want: ${want}`);
  }
  checks.push(what);
  if (!quiet) out(`  agree  ${what}`);
}

function vector(name) {
  const dir = path.join(VECTORS, name);
  return {
    name,
    input: JSON.parse(readFileSync(path.join(dir, 'context.json'), 'utf8')),
    signature: readFileSync(path.join(dir, 'signature.txt'), 'utf8').trim(),
  };
}

// ---------------------------------------------------------------------------------------------
// The package (retried: the lead may be rebuilding it)

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function loadPackage({ attempts = 8, waitMs = 20_000 } = {}) {
  if (!existsSync(PKG_ENTRY)) {
    throw new Error(`${path.relative(ROOT, PKG_ENTRY)} is missing: run \`node scripts/build.mjs\` first`);
  }
  let last;
  for (let i = 1; i <= attempts; i++) {
    for (const key of Object.keys(require.cache)) if (key.startsWith(PKG + path.sep)) delete require.cache[key];
    try {
      const pkg = require(PKG_ENTRY);
      pkg.signTc3(SIGN_INPUT); // proves the wasm instantiated
      return pkg;
    } catch (e) {
      last = e;
      if (i < attempts) {
        console.error(`loading the package failed (${e.message}); it may be mid-build, retrying in ${waitMs / 1000} s`);
        await sleep(waitMs);
      }
    }
  }
  throw new Error(`cannot load ${PKG_ENTRY}: ${last?.message}`);
}

// ---------------------------------------------------------------------------------------------
// Machine

function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function chromiumVersionFromBinary() {
  if (!existsSync(CHROMIUM)) return `not found (${CHROMIUM})`;
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  const m = /Chrom\S*\s+[\d.]+/.exec(r.stdout ?? '');
  return m ? m[0] : `unknown (${(r.stderr || r.error?.message || '').trim().slice(0, 80)})`;
}

// ---------------------------------------------------------------------------------------------
// Sections

async function agreementChecks(pkg) {
  heading('Agreement (every implementation before it is timed)');
  const ex1 = vector('example-1-post');
  const ex3 = vector('example-3-get');
  const webCrypto = createWebCryptoSigner();
  const webCryptoUncached = createWebCryptoSigner({ cache: false });
  for (const v of [ex1, ex3]) {
    agree(`signTc3 reproduces Tencent ${v.name} (${v.signature.slice(0, 8)}…)`, pkg.signTc3(v.input).signature, v.signature);
    agree(`SDK Sign.sign3 reproduces Tencent ${v.name}`, /Signature=([0-9a-f]{64})$/.exec(sdkSignTc3(v.input))?.[1], v.signature);
    agree(`node:crypto signer reproduces Tencent ${v.name}`, nodeCryptoSignTc3(v.input).signature, v.signature);
    agree(`WebCrypto signer reproduces Tencent ${v.name}`, (await webCryptoUncached(v.input)).signature, v.signature);
  }
  const expected = pkg.signTc3(SIGN_INPUT).authorization;
  out(`  DeleteImages POST, payload ${PAYLOAD}, timestamp ${TIMESTAMP}:`);
  out(`    ${expected}`);
  agree('signTc3, general path = signTc3 (fixed layout)', pkg.signTc3(SIGN_INPUT_GENERAL).authorization, expected);
  agree('SDK Sign.sign3 as the SDK calls it (request object) = signTc3', sdkSign3(sdkCallArgs()), expected);
  agree('SDK Sign.sign3 with the exact body (Buffer) = signTc3', sdkSignTc3(SIGN_INPUT), expected);
  agree('node:crypto textbook signer = signTc3', nodeCryptoSignTc3(SIGN_INPUT).authorization, expected);
  agree('WebCrypto signer (key cache, 1st call) = signTc3', (await webCrypto(SIGN_INPUT)).authorization, expected);
  agree('WebCrypto signer (key cache, 2nd call) = signTc3', (await webCrypto(SIGN_INPUT)).authorization, expected);
  agree('WebCrypto signer (no key cache) = signTc3', (await webCryptoUncached(SIGN_INPUT)).authorization, expected);
  const stages = nodeCryptoSignTc3(SIGN_INPUT);
  const mine = pkg.signTc3(SIGN_INPUT);
  agree('signTc3 stringToSign = node:crypto stringToSign', mine.stringToSign, stages.stringToSign);

  const built = pkg.buildDeleteImages(BUILD_PARAMS, BUILD_OPTIONS);
  const sdk = sdkBuildDeleteImages(BUILD_PARAMS, BUILD_OPTIONS);
  agree('buildDeleteImages Authorization = signTc3', built.headers.Authorization, expected);
  agree('SDK request path Authorization = buildDeleteImages', sdk.headers.Authorization, built.headers.Authorization);
  agree('SDK request path body = buildDeleteImages body', sdk.body, built.body);
  for (const h of ['Content-Type', 'X-TC-Action', 'X-TC-Version', 'X-TC-Timestamp', 'X-TC-Region']) {
    agree(`SDK request path ${h} = buildDeleteImages ${h}`, String(sdk.headers[h]), built.headers[h]);
  }
  agree('SDK request path Host = buildDeleteImages URL host', sdk.headers.Host, new URL(built.url).host);
  return { expected, ex1, ex3 };
}

function sdkCallArgs() {
  // What HttpConnection.doRequestWithSign3 passes for a POST: the request object as payload.
  return {
    method: 'POST',
    url: `https://${HOST}/`,
    payload: { ImageIds: [IMAGE_ID] },
    timestamp: TIMESTAMP,
    service: 'cvm',
    ...KEY,
    multipart: false,
    boundary: undefined,
    headers: { 'Content-Type': 'application/json' },
  };
}

const NAMES = {
  sign: 'signTc3 (wasm)',
  signGeneral: 'signTc3, general path (same input)',
  sdkSign: 'SDK Sign.sign3, as the SDK calls it',
  sdkSignBuffer: 'SDK Sign.sign3, body as Buffer',
  nodeCrypto: 'node:crypto textbook signer',
  webCrypto: 'WebCrypto, aws4fetch-style (key cache)',
  webCryptoUncached: 'WebCrypto, no key cache',
  build: 'buildDeleteImages (wasm)',
  sdkBuild: 'SDK request path (no network)',
};

async function signBench(pkg, config) {
  heading(`1. signTc3, DeleteImages POST (Node ${process.version}, one process, same input)`);
  const webCrypto = createWebCryptoSigner();
  const webCryptoUncached = createWebCryptoSigner({ cache: false });
  const args = sdkCallArgs();
  const results = await measure(
    [
      { name: NAMES.sign, fn: () => pkg.signTc3(SIGN_INPUT) },
      { name: NAMES.signGeneral, fn: () => pkg.signTc3(SIGN_INPUT_GENERAL) },
      { name: NAMES.sdkSign, fn: () => sdkSign3(args) },
      { name: NAMES.sdkSignBuffer, fn: () => sdkSignTc3(SIGN_INPUT) },
      { name: NAMES.nodeCrypto, fn: () => nodeCryptoSignTc3(SIGN_INPUT) },
      { name: NAMES.webCrypto, fn: () => webCrypto(SIGN_INPUT), async: true },
      { name: NAMES.webCryptoUncached, fn: () => webCryptoUncached(SIGN_INPUT), async: true },
    ],
    config,
  );
  timingTable(results, NAMES.sdkSign, 'speed vs SDK sign3');
  out('  "as the SDK calls it": payload = the request object, which sign3 serialises with json-bigint');
  out('  before hashing (HttpConnection.doRequestWithSign3). signTc3 reuses a cached signing key here');
  out('  (one key pair): see section 7 for the cost of a miss. "general path": the same values in an');
  out('  object without a prototype, which the fixed layout (pkg/src/fixed-input.js) leaves to the');
  out('  boundary format, as it does any input not of the common shape.');
  return results;
}

async function buildBench(pkg, config) {
  heading('2. buildDeleteImages (validate + serialise + sign + headers) vs the SDK doing the same');
  const results = await measure(
    [
      { name: NAMES.build, fn: () => pkg.buildDeleteImages(BUILD_PARAMS, BUILD_OPTIONS) },
      { name: NAMES.sdkBuild, fn: () => sdkBuildDeleteImages(BUILD_PARAMS, BUILD_OPTIONS) },
    ],
    config,
  );
  timingTable(results, NAMES.sdkBuild, 'speed vs SDK');
  out('  SDK path: X-TC-TraceId uuid, deepRemoveNull, its header set, json-bigint body, sign3 (mirrors');
  out('  AbstractClient.doRequestWithSign3 + HttpConnection.doRequestWithSign3 up to fetch; the async');
  out('  read-stream scan is left out). The SDK does no parameter validation.');
  return results;
}

function keyPairInputs(n) {
  return Array.from({ length: n }, (_, i) => ({
    ...SIGN_INPUT,
    secretId: `AKIDbenchKeyPair${String(i).padStart(20, '0')}`,
    secretKey: `benchSecretKey${String(i).padStart(18, '0')}`,
  }));
}

async function cacheBench(pkg, config) {
  heading('7. Signing-key cache (8 entries, LRU): one key pair vs cycling through many');
  const eight = keyPairInputs(8);
  const sixteen = keyPairInputs(16);
  for (const [i, input] of sixteen.entries()) {
    agree(`signTc3 = node:crypto for key pair ${i + 1}/16`, pkg.signTc3(input).authorization, nodeCryptoSignTc3(input).authorization, { quiet: true });
  }
  out('  agree  signTc3 = node:crypto for each of the 16 key pairs');
  let a = 0;
  let b = 0;
  let c = 0;
  const results = await measure(
    [
      { name: 'signTc3, 1 key pair (cache hits)', fn: () => pkg.signTc3(SIGN_INPUT) },
      { name: 'signTc3, 8 key pairs cycled (= capacity, hits)', fn: () => pkg.signTc3(eight[(a = (a + 1) & 7)]) },
      { name: 'signTc3, 16 key pairs cycled (every call a miss)', fn: () => pkg.signTc3(sixteen[(b = (b + 1) & 15)]) },
      { name: 'node:crypto textbook, 16 key pairs (no cache)', fn: () => nodeCryptoSignTc3(sixteen[(c = (c + 1) & 15)]) },
    ],
    config,
  );
  timingTable(results, results[0].name, 'speed vs 1 key pair');
  const miss = results[2].medianNs / results[0].medianNs;
  out(`  a miss costs ${fmtRatio(miss)} the time of a hit (${fmtSignedUs(results[2].medianNs - results[0].medianNs)} per call)`);
  return { results, missOverHit: miss };
}

async function roundTripBench(pkg, config) {
  heading('6. Round trip against the local emulator (DeleteImages DryRun, sequential calls)');
  const rows = [];
  let emu;
  try {
    const { startEmulator } = await import('../emulator/server.mjs');
    const { DEMO_CREDENTIALS } = await import('../emulator/emulator.mjs');
    emu = await startEmulator({ port: 0, log: null, rateLimitPerSec: Infinity });
    const { secretId, secretKey } = DEMO_CREDENTIALS[0];
    const image = emu.emulator.images(REGION).find((i) => i.ImageState === 'NORMAL');
    if (!image) throw new Error('the emulator has no NORMAL image in ap-guangzhou');
    const params = { ImageIds: [image.ImageId], DryRun: true };
    const cases = [];
    const notes = [];

    let clientCase;
    try {
      if (typeof pkg.CvmClient !== 'function') throw new Error('pkg/node.cjs exports no CvmClient');
      // Pacing raised out of the way: the default (10 calls/s, DeleteImages' limit) would measure the limiter.
      const client = new pkg.CvmClient({ secretId, secretKey, region: REGION, endpoint: emu.url, retries: 0, ratePerSecond: 1_000_000 });
      const first = await client.deleteImages(params);
      if (!first || typeof first.RequestId !== 'string') throw new Error(`unexpected result ${JSON.stringify(first)}`);
      clientCase = { name: 'CvmClient.deleteImages (DryRun)', fn: () => client.deleteImages(params), async: true };
      cases.push(clientCase);
      notes.push('  CvmClient built with retries: 0 and ratePerSecond: 1000000 (pacing out of the way).');
    } catch (e) {
      rows.push({ name: 'CvmClient.deleteImages (DryRun)', na: `n/a (${e.message})` });
    }

    try {
      const req = pkg.buildDeleteImages(params, { secretId, secretKey, region: REGION, endpoint: emu.url });
      const res = await fetch(req.url, req);
      const text = await res.text();
      if (res.status !== 200 || text.includes('"Error"')) throw new Error(`emulator answered ${res.status} ${text.slice(0, 160)}`);
      cases.push({
        name: 'bare fetch of a pre-signed request',
        fn: async () => (await fetch(req.url, req)).text(),
        async: true,
      });
      notes.push('  bare fetch: one buildDeleteImages request signed up front, re-sent as is; body read as text.');
    } catch (e) {
      rows.push({ name: 'bare fetch of a pre-signed request', na: `n/a (${e.message})` });
    }

    const results = cases.length ? await measure(cases, config) : [];
    const baseline = results.find((r) => r.name === 'bare fetch of a pre-signed request');
    table(
      ['call', 'median µs/op', 'ops/s', 'spread', 'overhead vs bare fetch'],
      [
        ...results.map((r) => [
          r.name,
          fmtUs(r.medianNs),
          fmtInt(r.opsPerSec),
          `±${(((r.maxNs - r.minNs) / 2 / r.medianNs) * 100).toFixed(0)}%`,
          r === baseline ? '(baseline)' : baseline ? `${fmtSignedUs(r.medianNs - baseline.medianNs)} (${fmtRatio(r.medianNs / baseline.medianNs)} the time)` : 'n/a',
        ]),
        ...rows.map((r) => [r.name, r.na, '', '', '']),
      ],
      [1, 2, 3],
    );
    for (const n of notes) out(n);
    return { results, unavailable: rows };
  } catch (e) {
    out(`  n/a (${e.message})`);
    return { results: [], unavailable: [{ name: 'round trip', na: `n/a (${e.message})` }] };
  } finally {
    await emu?.close();
  }
}

async function clientCpuBench(pkg, config) {
  heading('8. The client\'s own CPU per call (CvmClient.deleteImages, injected instant fetch)');
  try {
    const { results, clientCpuNs } = await clientCpu(pkg, config);
    timingTable(results, results[1].name, 'speed vs the fetch alone');
    out(`  client CPU per call (the call minus the fetch alone): ${fmtUs(clientCpuNs)} µs (target ≤ 25 µs)`);
    return { results, clientCpuNs };
  } catch (e) {
    out(`  n/a (${e.message})`);
    return { unavailable: e.message };
  }
}

/** The files of an unbundled ES module graph from `entry` (relative `from '…'` imports), in pkg/. */
function moduleGraph(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(path.join(PKG, file), 'utf8');
    for (const [, spec] of text.matchAll(/\bfrom\s*'(\.{1,2}\/[^']+)'/g)) visit(path.posix.join(path.posix.dirname(file), spec));
  };
  visit(entry);
  return [...seen];
}

function sizes() {
  heading('5. Sizes (gzip level 9; what a browser downloads: the default entry pkg/browser.js and the modules it imports, the .wasm inside)');
  const measure = (f) => {
    const data = readFileSync(path.join(PKG, f));
    return { file: `pkg/${f}`, raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
  };
  const wasm = measure('tencentcloud_cvm_wasm_bg.wasm');
  const rows = moduleGraph('browser.js').map(measure);
  const total = { file: `browser download (sum of the ${rows.length} modules)`, raw: 0, gzip: 0 };
  for (const r of rows) {
    total.raw += r.raw;
    total.gzip += r.gzip;
  }
  // What a bundled page carries: esbuild (minified, tree-shaken) from the default entry.
  const pages = [
    ['buildDeleteImages', 'decodeDeleteImages'],
    ['buildDeleteImages', 'decodeDeleteImages', 'CvmClient', 'cvmRoleCredentials'],
  ].map((imports) => {
    const { outputFiles } = require('esbuild').buildSync({
      stdin: { contents: `import { ${imports.join(', ')} } from './browser.js';\nconsole.log(${imports.join(', ')});\n`, resolveDir: PKG, sourcefile: 'page.mjs' },
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const data = Buffer.from(outputFiles[0].contents);
    return { file: `a page importing ${imports.join(', ')} (esbuild, minified)`, raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
  });
  const shown = [{ ...wasm, file: `${wasm.file} (inlined by gen/wasm-inline.js; fetched only by pkg/web.js)` }, ...rows, total, ...pages];
  table(['file', 'raw', 'gzip -9'], shown.map((r) => [r.file, fmtBytes(r.raw), fmtBytes(r.gzip)]), [1, 2]);
  return {
    files: rows,
    wasmRaw: wasm.raw,
    wasmGzip: wasm.gzip,
    browserRaw: total.raw,
    browserGzip: total.gzip,
    leanPageGzip: pages[0].gzip,
    clientPageGzip: pages[1].gzip,
  };
}

function coldStart(expected) {
  const RUNS = 21;
  const WARMUP = 3;
  heading(`4. Cold start: fresh \`node -e\` processes (median of ${RUNS} each, interleaved, after ${WARMUP} warm-up runs)`);
  const keyJs = JSON.stringify(KEY);
  const scripts = [
    { name: 'bare node -e 0', code: '0' },
    {
      name: 'require package + buildDeleteImages',
      code:
        `const p=require(${JSON.stringify(PKG_ENTRY)});` +
        `const r=p.buildDeleteImages(${JSON.stringify(BUILD_PARAMS)},Object.assign(${keyJs},{region:${JSON.stringify(REGION)},timestamp:${TIMESTAMP}}));` +
        'process.stdout.write(r.headers.Authorization)',
    },
    {
      name: 'require SDK signer + sign3',
      code:
        `const S=require(${JSON.stringify(SDK_SIGN_PATH)}).default;` +
        `process.stdout.write(S.sign3(Object.assign(${keyJs},{method:'POST',url:'https://${HOST}/',payload:${JSON.stringify(BUILD_PARAMS)},` +
        `timestamp:${TIMESTAMP},service:'cvm',headers:{'Content-Type':'application/json'}})))`,
    },
  ];
  const times = scripts.map(() => []);
  const run = (s) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['-e', s.code], { encoding: 'utf8', cwd: ROOT });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${s.name} failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' ')}`);
    return { ms, stdout: r.stdout };
  };
  // Agreement: the child processes sign the same request.
  agree('cold-start child (package) Authorization = signTc3', run(scripts[1]).stdout, expected);
  agree('cold-start child (SDK) Authorization = signTc3', run(scripts[2]).stdout, expected);
  for (let w = 1; w < WARMUP; w++) for (const s of scripts) run(s);
  for (let i = 0; i < RUNS; i++) {
    for (let k = 0; k < scripts.length; k++) {
      const j = (k + i) % scripts.length;
      times[j].push(run(scripts[j]).ms);
    }
  }
  const median = (v) => {
    const s = [...v].sort((x, y) => x - y);
    return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const results = scripts.map((s, i) => ({ name: s.name, medianMs: median(times[i]), minMs: Math.min(...times[i]), maxMs: Math.max(...times[i]), runs: RUNS }));
  const bare = results[0].medianMs;
  table(
    ['process', 'median ms', 'min ms', 'max ms', 'added over bare node'],
    results.map((r, i) => [r.name, r.medianMs.toFixed(1), r.minMs.toFixed(1), r.maxMs.toFixed(1), i === 0 ? '(baseline)' : `+${(r.medianMs - bare).toFixed(1)} ms`]),
    [1, 2, 3, 4],
  );
  return { results, packageAddedMs: results[1].medianMs - bare, sdkAddedMs: results[2].medianMs - bare };
}

async function browserBench(agreement, config) {
  heading('3. In headless Chromium: signTc3 (pkg/web.js) vs the WebCrypto signer, in the page');
  if (!existsSync(CHROMIUM)) {
    out(`  n/a (${CHROMIUM} not found)`);
    return { unavailable: `${CHROMIUM} not found` };
  }
  let r;
  try {
    const { runBrowserBench } = await import('./browser.mjs');
    r = await runBrowserBench({
      root: ROOT,
      executablePath: CHROMIUM,
      args: {
        input: SIGN_INPUT,
        expected: agreement.expected,
        vectors: [agreement.ex1, agreement.ex3],
        buildParams: BUILD_PARAMS,
        buildOptions: BUILD_OPTIONS,
        config,
      },
    });
  } catch (e) {
    out(`  n/a (${e.message.split('\n')[0]})`);
    return { unavailable: e.message.split('\n')[0] };
  }
  for (const c of r.checks) {
    if (!c.ok) throw new AgreementError(`DISAGREEMENT: ${c.what}\n    got:  ${c.got}\n    want: ${c.want}`);
    checks.push(c.what);
    out(`  agree  ${c.what}`);
  }
  out(`  ${r.version}; crossOriginIsolated=${r.crossOriginIsolated}; init() ${r.initMs.toFixed(1)} ms`);
  timingTable(r.results, NAMES.webCrypto, 'speed vs WebCrypto');
  if (r.pageErrors?.length) out(`  page errors: ${r.pageErrors.join(' | ')}`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Verdict

function verdict(report, quick) {
  heading(`Verdict against the targets (informational; the exit code never depends on it)${quick ? ' — QUICK MODE: one tiny round, not meaningful' : ''}`);
  const lines = [];
  const line = (label, target, measured, ok, text) => {
    lines.push({ label, target, measured, met: ok });
    out(`  ${label} (target ${target}): ${ok === null ? `not measured (${text})` : ok ? `met (measured ${text})` : `not met (measured ${text})`}`);
  };
  const by = (results, name) => results?.find((r) => r.name === name);

  const s = report.sign;
  const sign = by(s, NAMES.sign);
  const sdkSign = by(s, NAMES.sdkSign);
  if (sign && sdkSign) {
    const x = sdkSign.medianNs / sign.medianNs;
    line('signTc3 vs SDK sign3', `≥ ${TARGETS.signVsSdk}× faster`, x, x >= TARGETS.signVsSdk, fmtSpeed(x));
  }
  const build = by(report.build, NAMES.build);
  const sdkBuild = by(report.build, NAMES.sdkBuild);
  if (build && sdkBuild) {
    const x = sdkBuild.medianNs / build.medianNs;
    line('buildDeleteImages vs SDK equivalent', `≥ ${TARGETS.buildVsSdk}× faster`, x, x >= TARGETS.buildVsSdk, fmtSpeed(x));
  }
  const br = report.browser;
  const bSign = by(br?.results, NAMES.sign);
  const bWeb = by(br?.results, NAMES.webCrypto);
  if (bSign && bWeb) {
    const x = bWeb.medianNs / bSign.medianNs;
    line('Chromium: signTc3 vs WebCrypto', `≥ ${TARGETS.browserVsWebCrypto}× faster`, x, x >= TARGETS.browserVsWebCrypto, fmtSpeed(x));
  } else {
    line('Chromium: signTc3 vs WebCrypto', `≥ ${TARGETS.browserVsWebCrypto}× faster`, null, null, br?.unavailable ?? 'skipped');
  }
  if (report.coldStart?.results) {
    const { packageAddedMs: ms, sdkAddedMs: sdk } = report.coldStart;
    line('cold start added to bare Node', 'no more than the SDK signer\'s', ms, ms <= sdk, `+${ms.toFixed(1)} ms, the SDK's +${sdk.toFixed(1)} ms`);
  } else {
    line('cold start added to bare Node', 'no more than the SDK signer\'s', null, null, report.coldStart?.unavailable ?? 'skipped');
  }
  const gz = report.sizes.wasmGzip;
  line('.wasm, gzipped', `≤ ${TARGETS.wasmGzBytes / 1024} KiB`, gz, gz <= TARGETS.wasmGzBytes, `${(gz / 1024).toFixed(1)} KiB = ${fmtInt(gz)} B`);
  const cpu = report.clientCpu?.clientCpuNs;
  if (cpu !== undefined) {
    line('client CPU per deleteImages call', `≤ ${TARGETS.clientCpuUs} µs`, cpu / 1000, cpu / 1000 <= TARGETS.clientCpuUs, `${fmtUs(cpu)} µs`);
  } else {
    line('client CPU per deleteImages call', `≤ ${TARGETS.clientCpuUs} µs`, null, null, report.clientCpu?.unavailable ?? 'skipped');
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = options();
  const config = opts.quick ? QUICK : FULL;
  const started = Date.now();
  const pkg = await loadPackage(opts.quick ? { attempts: 3, waitMs: 10_000 } : undefined);
  const pkgVersion = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8')).version;

  const machine = {
    cpu: cpuModel(),
    cores: os.cpus().length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAtStart: os.loadavg().map((l) => l.toFixed(2)),
    chromium: opts.quick ? 'not used (--quick)' : opts.browser ? null : chromiumVersionFromBinary(),
  };
  out(`tencentcloud-cvm-wasm ${pkgVersion} benchmark${opts.quick ? ' (--quick: agreement checks + one tiny round)' : ''}`);
  out(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}; Node ${machine.node} (V8 ${machine.v8})`);
  out(`load average at start: ${machine.loadAtStart.join(' ')} (other work on the machine widens the spread)`);
  out(`compared with: ${SDK_NAME}@${SDK_VERSION} (${path.relative(ROOT, SDK_SIGN_PATH)})`);
  out(
    opts.quick
      ? 'method: agreement checks, then one round of a fixed 20-call batch per case (no warm-up): the figures are not meaningful'
      : `method: warm-up ${FULL.warmupMs} ms per case (calibrates a batch of ~${FULL.roundMs} ms), then ${FULL.rounds} rounds, cases interleaved; median per op`,
  );

  const report = { machine, package: { version: pkgVersion }, sdk: { name: SDK_NAME, version: SDK_VERSION }, mode: opts.quick ? 'quick' : 'full', config };
  const agreement = await agreementChecks(pkg);
  report.sign = await signBench(pkg, config);
  report.build = await buildBench(pkg, config);
  report.cache = await cacheBench(pkg, config);
  report.roundTrip = await roundTripBench(pkg, config);
  report.sizes = sizes();
  report.clientCpu = await clientCpuBench(pkg, config);

  if (opts.browser) {
    report.browser = await browserBench(agreement, config);
    machine.chromium = report.browser.version ?? chromiumVersionFromBinary();
  } else {
    report.browser = { unavailable: opts.quick ? 'skipped (--quick)' : 'skipped (--no-browser)' };
  }
  if (!opts.quick) {
    try {
      report.coldStart = coldStart(agreement.expected);
    } catch (e) {
      if (e instanceof AgreementError) throw e;
      out(`  n/a (${e.message})`);
      report.coldStart = { unavailable: e.message };
    }
  } else {
    report.coldStart = { unavailable: 'skipped (--quick)' };
  }

  report.verdict = verdict(report, opts.quick);
  report.agreement = checks;
  out();
  machine.loadAtEnd = os.loadavg().map((l) => l.toFixed(2));
  out(`machine: ${machine.cpu}, ${machine.cores} cores; Node ${machine.node}; Chromium: ${machine.chromium}; load average at end: ${machine.loadAtEnd.join(' ')}`);
  out(`AGREEMENT: all ${checks.length} checks passed (every implementation produced signTc3's Authorization)`);
  out(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (opts.json) {
    writeFileSync(opts.json, JSON.stringify(report, null, 2) + '\n');
    out(`results written to ${opts.json}`);
  }
}

main().catch((e) => {
  if (e instanceof AgreementError) {
    console.error(`\n${e.message}\nbenchmark aborted: an implementation disagrees with signTc3 (or with Tencent's published example)`);
    process.exit(1);
  }
  console.error(`\nbenchmark failed: ${e.stack ?? e}`);
  process.exit(2);
});
