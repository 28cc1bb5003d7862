#!/usr/bin/env node
// `node bench/levers.mjs`: the .wasm size and speed levers (issue 9), side by side in one run.
//
// Each variant of the package's .wasm is compiled by scripts/build.mjs's compileWasm() with its own
// settings, run through wasm-bindgen and optimiseWasm() like the real build, and put into a copy of
// pkg/ under target/levers/ (the variants differ in code generation only, so pkg/'s glue serves
// them all; the script checks that wasm-bindgen wrote the same glue). Then, in this one process:
// raw and gzip -9 bytes; µs per signTc3 (DeleteImages POST, cached key), per signing-key miss and per
// buildDeleteImages, cases interleaved (bench/harness.mjs); the cold start of `require` + one
// buildDeleteImages (fastest of 21 fresh processes, less bare node's fastest); the wasm memory after 10,000 and after 100,000 more signatures of mixed sizes
// and 16 key pairs (an allocator that leaks or fragments keeps growing). SHA-256 µs per 64-byte
// block comes from bench/sha256-blocks, a module without imports built per implementation.
//
// usage: node bench/levers.mjs [--base REV] [--only a,b] [--no-build] [--json FILE]
//   --base REV  also builds REV's package as it was (git archive, its own scripts/build.mjs)
//   --no-build  measures the copies already under target/levers/
// pkg/ must be built (npm run build). Each build takes minutes on 2 cores.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { compileWasm, optimiseWasm } from '../scripts/build.mjs';
import { root, run } from '../scripts/toolchain.mjs';
import { FULL, measure } from './harness.mjs';

const require = createRequire(import.meta.url);
const LEVERS = path.join(root, 'target', 'levers');
const WASM = 'tencentcloud_cvm_wasm_bg.wasm';
const NO_SIMD = ['-Ctarget-feature=-simd128'];
const PER_CRATE_3 = (level) => [
  '--config', `profile.release.opt-level="${level}"`,
  ...['sha2', 'hmac', 'digest', 'block-buffer'].flatMap((p) => ['--config', `profile.release.package.${p}.opt-level=3`]),
];

/**
 * The variants: cumulative in this order up to "opt-2", the build scripts/build.mjs makes (marked
 * "shipped"); the later ones change one thing against it. "dlmalloc" = std's allocator
 * (--no-default-features turns talc off).
 */
const DLMALLOC = ['--no-default-features'];
const OPT_3 = ['--config', 'profile.release.opt-level=3'];
const VARIANTS = [
  { name: 'sha2', note: 'sha2 + hmac, no simd128, std as shipped, dlmalloc, opt-level 3', opts: { buildStd: false, rustflags: NO_SIMD, args: [...DLMALLOC, ...OPT_3] } },
  { name: 'simd128', note: '+ simd128', opts: { buildStd: false, args: [...DLMALLOC, ...OPT_3] } },
  { name: 'build-std', note: '+ -Z build-std, panic = immediate-abort', opts: { args: [...DLMALLOC, ...OPT_3] } },
  { name: 'talc', note: '+ talc allocator', opts: { args: OPT_3 } },
  { name: 'opt-2', note: '+ opt-level 2 (shipped)', opts: {} },
  { name: 'inline-50', note: 'shipped + LLVM inline threshold 50', opts: { rustflags: ['-Cllvm-args=-inline-threshold=50'] } },
  { name: 'opt-s', note: 'shipped, opt-level "s" (all crates)', opts: { args: ['--config', 'profile.release.opt-level="s"'] } },
  { name: 'opt-z', note: 'shipped, opt-level "z" (all crates)', opts: { args: ['--config', 'profile.release.opt-level="z"'] } },
  { name: 's+3', note: 'shipped, "s" but sha2/hmac/digest/block-buffer at 3', opts: { args: PER_CRATE_3('s') } },
  // Not shippable, for the figures: what the fixed path's answer and the cache's fingerprint cost.
  { name: 'boundary-answer', note: 'shipped, but signTc3\'s fixed path answers in the boundary format', opts: { rustflags: ['--cfg', 'lever_boundary_answer'] } },
  { name: 'no-fingerprint', note: 'shipped, but the key cache compares keys in clear (not shippable)', opts: { rustflags: ['--cfg', 'lever_no_fingerprint'] } },
];

/** SHA-256 implementations for the per-block figure (bench/sha256-blocks). */
const SHA_VARIANTS = [
  { name: 'hmac-sha256 (before)', features: 'hmac-sha256', rustflags: [] },
  { name: 'sha2', features: 'sha2', rustflags: [] },
  { name: 'sha2 + simd128', features: 'sha2', rustflags: ['-Ctarget-feature=+simd128'] },
  { name: 'sha2 + simd128, opt "s"', features: 'sha2', rustflags: ['-Ctarget-feature=+simd128'], opt: 's' },
  { name: 'sha2 + simd128, opt "z"', features: 'sha2', rustflags: ['-Ctarget-feature=+simd128'], opt: 'z' },
];

const KEY = { secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' };
const TIMESTAMP = 1551113065;
const SIGN_INPUT = {
  ...KEY, service: 'cvm', host: 'cvm.tencentcloudapi.com', method: 'POST', contentType: 'application/json',
  query: '', payload: JSON.stringify({ ImageIds: ['img-mfih409y'] }), timestamp: TIMESTAMP, action: 'DeleteImages', signAction: false,
};
const BUILD_PARAMS = { ImageIds: ['img-mfih409y'] };
const BUILD_OPTIONS = { ...KEY, region: 'ap-guangzhou', timestamp: TIMESTAMP };
const EXAMPLE_1 = path.join(root, 'tests', 'vectors', 'example-1-post');

function options() {
  const { values } = parseArgs({
    options: { base: { type: 'string' }, only: { type: 'string' }, 'no-build': { type: 'boolean', default: false }, json: { type: 'string' } },
  });
  const only = values.only ? new Set(values.only.split(',')) : null;
  return { base: values.base, variants: VARIANTS.filter((v) => !only || only.has(v.name)), build: !values['no-build'], json: values.json };
}

const dirOf = (name) => path.join(LEVERS, `pkg-${name.replace(/[^\w.+-]/g, '_')}`);

/** Compiles one variant into a copy of pkg/ with its own .wasm. */
function buildVariant(v) {
  const { buildStd = true, rustflags = [], args = [] } = v.opts;
  // Variants that differ in rustflags get their own target dir (cargo would rebuild std otherwise).
  const targetDir = buildStd && !rustflags.length ? path.join(root, 'target') : path.join(LEVERS, `target-${buildStd ? 'std' : 'nostd'}-${rustflags.join('')}`);
  const raw = compileWasm({ buildStd, rustflags, targetDir, args });
  const dir = dirOf(v.name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(root, 'pkg'), dir, { recursive: true, filter: (src) => !src.endsWith('.wasm') && !src.endsWith('.build.lock') });
  const gen = path.join(LEVERS, 'gen');
  rmSync(gen, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', 'nodejs', '--out-dir', gen, '--out-name', 'cvm', raw]);
  const strip = (text, marker) => text.split('\n').filter((l) => !l.includes(marker)).join('\n');
  const glue = strip(readFileSync(path.join(gen, 'cvm.js'), 'utf8'), 'cvm_bg.wasm');
  if (glue !== strip(readFileSync(path.join(dir, 'gen', 'node', 'cvm.cjs'), 'utf8'), WASM)) {
    throw new Error(`levers: wasm-bindgen glue of ${v.name} differs from pkg/'s (rebuild pkg/ first: npm run build)`);
  }
  optimiseWasm(path.join(gen, 'cvm_bg.wasm'), path.join(dir, WASM));
}

/** REV's own package, built by REV's own scripts/build.mjs in an exported tree. */
function buildBase(rev) {
  const tree = path.join(LEVERS, 'base');
  const sha = spawnSync('git', ['rev-parse', rev], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const stamp = path.join(tree, '.rev');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== sha) {
    // A fresh tree, keeping only its cargo target dir (and the node_modules link) between revisions.
    mkdirSync(tree, { recursive: true });
    for (const f of readdirSync(tree)) if (f !== 'target' && f !== 'node_modules') rmSync(path.join(tree, f), { recursive: true, force: true });
    const archive = spawnSync('git', ['archive', sha], { cwd: root, maxBuffer: 1 << 30 });
    if (archive.status !== 0) throw new Error(`levers: git archive ${rev} failed`);
    run('tar', ['-x', '-C', tree], { input: archive.stdout, stdio: ['pipe', 'inherit', 'inherit'] });
    if (!existsSync(path.join(tree, 'node_modules'))) symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'));
  }
  run('node', ['scripts/build.mjs'], { cwd: tree });
  writeFileSync(stamp, sha);
  rmSync(dirOf('base'), { recursive: true, force: true });
  cpSync(path.join(tree, 'pkg'), dirOf('base'), { recursive: true });
}

function buildShaVariants() {
  for (const s of SHA_VARIANTS) {
    const targetDir = path.join(LEVERS, `sha-${s.features}${s.rustflags.join('')}${s.opt ? `-o${s.opt}` : ''}`);
    run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--manifest-path', path.join(root, 'bench', 'sha256-blocks', 'Cargo.toml'), '--features', s.features, '--target-dir', targetDir], {
      env: { ...process.env, RUSTFLAGS: s.rustflags.join(' '), ...(s.opt ? { CARGO_PROFILE_RELEASE_OPT_LEVEL: s.opt } : {}) },
    });
    s.file = path.join(targetDir, 'wasm32-unknown-unknown', 'release', 'sha256_blocks.wasm');
  }
}

// ---- measuring ----

/** Every wasm instance created from here on, so each package's memory can be read. */
const instances = [];
const OriginalInstance = WebAssembly.Instance;
WebAssembly.Instance = function Instance(module, imports) {
  const instance = new OriginalInstance(module, imports);
  instances.push(instance);
  return instance;
};

function load(v) {
  const before = instances.length;
  const api = require(path.join(dirOf(v.name), 'node.cjs'));
  const memory = instances.slice(before).map((i) => i.exports.memory).find(Boolean);
  if (!memory) throw new Error(`levers: no wasm memory seen while loading ${v.name}`);
  return { ...v, api, memory };
}

const fmt = (n, d = 2) => n.toFixed(d);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function keyPairs(n) {
  return Array.from({ length: n }, (_, i) => ({ ...SIGN_INPUT, secretId: `AKIDlevers${String(i).padStart(24, '0')}`, secretKey: `leversSecretKey${String(i).padStart(17, '0')}` }));
}

/** wasm memory after 10k and after 100k more mixed signatures (sizes 0–16 KiB, 16 key pairs). */
function memoryGrowth(p) {
  const pairs = keyPairs(16);
  const payloads = [0, 30, 700, 4000, 16384, 90].map((n) => 'x'.repeat(n));
  let i = 0;
  const sign = (count) => {
    for (let k = 0; k < count; k++, i++) p.api.signTc3({ ...pairs[i & 15], payload: payloads[i % payloads.length] });
  };
  sign(10_000);
  const at10k = p.memory.buffer.byteLength;
  sign(100_000);
  return { at10k, at110k: p.memory.buffer.byteLength };
}

function coldStart(packages, runs = 21) {
  const code = (p) => `const p=require(${JSON.stringify(path.join(dirOf(p.name), 'node.cjs'))});process.stdout.write(p.buildDeleteImages(${JSON.stringify(BUILD_PARAMS)},${JSON.stringify(BUILD_OPTIONS)}).headers.Authorization)`;
  const cases = [{ name: 'bare', code: '0' }, ...packages.map((p) => ({ name: p.name, code: code(p) }))];
  const times = cases.map(() => []);
  for (let r = 0; r < runs + 1; r++) {
    cases.forEach((c, k) => {
      const t0 = process.hrtime.bigint();
      const res = spawnSync(process.execPath, ['-e', c.code], { encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`levers: cold start of ${c.name} failed: ${res.stderr}`);
      if (r > 0) times[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
  }
  // The minimum: other work on the machine only ever adds time.
  const bare = Math.min(...times[0]);
  return Object.fromEntries(cases.slice(1).map((c, k) => [c.name, Math.min(...times[k + 1]) - bare]));
}

function shaBlocks() {
  const N = 1024;
  const exports = SHA_VARIANTS.map((s) => new OriginalInstance(new WebAssembly.Module(readFileSync(s.file)), {}).exports);
  const sizes = SHA_VARIANTS.map((s) => readFileSync(s.file).length);
  for (const e of exports) for (let i = 0; i < 100; i++) e.hash_blocks(N);
  const samples = exports.map(() => []);
  for (let r = 0; r < 15; r++) {
    exports.forEach((e, k) => {
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) e.hash_blocks(N);
      samples[k].push(((performance.now() - t0) * 1000) / (20 * (N + 1)));
    });
  }
  return SHA_VARIANTS.map((s, k) => ({ name: s.name, usPerBlock: median(samples[k]), rawBytes: sizes[k] }));
}

async function main() {
  const opts = options();
  const variants = [...(opts.base ? [{ name: 'base', note: `${opts.base} as it was` }] : []), ...opts.variants];
  if (opts.build) {
    if (opts.base) buildBase(opts.base);
    for (const v of opts.variants) buildVariant(v);
    buildShaVariants();
  } else {
    for (const s of SHA_VARIANTS) s.file = path.join(LEVERS, `sha-${s.features}${s.rustflags.join('')}${s.opt ? `-o${s.opt}` : ''}`, 'wasm32-unknown-unknown', 'release', 'sha256_blocks.wasm');
  }
  const packages = variants.map(load);

  // Agreement first: every variant reproduces Tencent's Example 1 and signs DeleteImages alike.
  const ex1 = JSON.parse(readFileSync(path.join(EXAMPLE_1, 'context.json'), 'utf8'));
  const ex1Signature = readFileSync(path.join(EXAMPLE_1, 'signature.txt'), 'utf8').trim();
  const expected = packages[0].api.signTc3(SIGN_INPUT).authorization;
  for (const p of packages) {
    if (p.api.signTc3(ex1).signature !== ex1Signature) throw new Error(`levers: ${p.name} does not reproduce Example 1`);
    if (p.api.signTc3(SIGN_INPUT).authorization !== expected) throw new Error(`levers: ${p.name} signs differently`);
  }
  console.log(`agreement: ${packages.length} variants reproduce Example 1 and sign DeleteImages alike`);

  const misses = keyPairs(16);
  const cases = packages.flatMap((p) => {
    let m = 0;
    return [
      { name: `${p.name} sign`, fn: () => p.api.signTc3(SIGN_INPUT) },
      { name: `${p.name} miss`, fn: () => p.api.signTc3(misses[(m = (m + 1) & 15)]) },
      { name: `${p.name} build`, fn: () => p.api.buildDeleteImages(BUILD_PARAMS, BUILD_OPTIONS) },
    ];
  });
  const timed = await measure(cases, FULL);
  const us = (name) => timed.find((r) => r.name === name).medianNs / 1000;
  const cold = coldStart(packages);
  const sha = shaBlocks();

  const rows = packages.map((p) => {
    const wasm = readFileSync(path.join(dirOf(p.name), WASM));
    const mem = memoryGrowth(p);
    return {
      name: p.name, note: p.note, raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length,
      signUs: us(`${p.name} sign`), missUs: us(`${p.name} miss`), buildUs: us(`${p.name} build`), coldMs: cold[p.name], ...mem,
    };
  });

  const cpu = (/^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8')) ?? [])[1] ?? os.cpus()[0]?.model;
  console.log(`\nmachine: ${cpu}, ${os.cpus().length} cores, ${os.type()} ${os.release()}; Node ${process.version}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('variant     .wasm raw  gzip -9  signTc3 µs  miss µs  build µs  cold +ms  memory 10k → 110k  what');
  const ref = rows.find((r) => r.name === 'opt-2') ?? rows[0];
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(10)} ${String(r.raw).padStart(10)} ${String(r.gzip).padStart(8)}  ${fmt(r.signUs).padStart(10)}  ${fmt(r.missUs).padStart(7)}  ${fmt(r.buildUs).padStart(8)}  ${fmt(r.coldMs, 1).padStart(8)}  ${`${r.at10k / 65536}p → ${r.at110k / 65536}p`.padStart(17)}  ${r.note}` +
        (r === ref ? '' : ` (gzip ${fmt((r.gzip / ref.gzip - 1) * 100, 1)}%, sign ×${fmt(r.signUs / ref.signUs)} vs ${ref.name})`),
    );
  }
  console.log('  (memory in 64 KiB wasm pages; signTc3/miss/build: medians of 15 interleaved rounds)');
  console.log('\nSHA-256, µs per 64-byte block (bench/sha256-blocks, 1,024-block messages, median of 15 rounds):');
  for (const s of sha) console.log(`  ${s.name.padEnd(26)} ${fmt(s.usPerBlock, 3)} µs  (module ${s.rawBytes} B)`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ machine: { cpu, cores: os.cpus().length, node: process.version }, rows, sha }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(`levers failed: ${e.stack ?? e}`);
  process.exit(1);
});
