// Installs, idempotently, what building the package needs: the wasm32 target, the standard library's
// source (for -Z build-std), wasm-bindgen-cli at exactly the version Cargo.lock pins, and the npm dev
// dependencies (wasm-opt from `binaryen`, TypeScript, playwright-core, the official SDK for the
// benchmark, esbuild, the package matrix's bundlers and runtimes). Skips whatever is present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

function output(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** The wasm-bindgen version Cargo.lock pins (the CLI must equal it exactly). */
export function pinnedWasmBindgen() {
  const lock = readFileSync(path.join(root, 'Cargo.lock'), 'utf8');
  const m = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/);
  if (!m) throw new Error('Cargo.lock does not pin wasm-bindgen');
  return m[1];
}

export function ensureRustWasm() {
  if (!output('rustup', ['--version'])) {
    throw new Error('rustup is needed (the Rust toolchain) and was not found on PATH');
  }
  if (!output('rustup', ['target', 'list', '--installed']).split('\n').includes('wasm32-unknown-unknown')) {
    console.log('[setup] rustup target add wasm32-unknown-unknown');
    run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
  }
  const want = pinnedWasmBindgen();
  const have = output('wasm-bindgen', ['--version']).trim();
  if (have !== `wasm-bindgen ${want}`) {
    // No --locked: a crate pinned in the CLI's own lock file is missing from the registry mirror.
    console.log(`[setup] cargo install wasm-bindgen-cli --version ${want} (about 3 minutes, once)`);
    run('cargo', ['install', 'wasm-bindgen-cli', '--version', want]);
  }
}

/** The standard library's source, which `-Z build-std` (scripts/build.mjs) compiles. */
export function ensureRustSrc() {
  if (!output('rustup', ['component', 'list', '--installed']).split('\n').includes('rust-src')) {
    console.log('[setup] rustup component add rust-src');
    run('rustup', ['component', 'add', 'rust-src']);
  }
}

export function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const need = ['binaryen', 'typescript', 'playwright-core', 'tencentcloud-sdk-nodejs-common', 'esbuild', ...MATRIX_TOOLS];
  const missing = need.some((p) => !existsSync(path.join(root, 'node_modules', p, 'package.json')));
  if (missing || !existsSync(marker)) {
    console.log('[setup] npm install (dev dependencies)');
    run('npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
  }
}

// The package matrix's bundlers and runtimes (tests/package/matrix.test.mjs), root devDependencies.
const MATRIX_TOOLS = ['vite', 'vite7', 'webpack', 'webpack-cli', 'rollup', '@rollup/plugin-node-resolve', 'parcel', 'bun', 'deno', 'workerd'];

/**
 * Node 22 and 24 for the package matrix, from tests/package/runtimes' own lock file: their packages'
 * binaries are named `node`, so as root devDependencies they would become node_modules/.bin/node
 * and run every npm script. Installed when a pinned version is missing (Linux x64 only: optional).
 */
export function ensureMatrixRuntimes() {
  const dir = path.join(root, 'tests', 'package', 'runtimes');
  const wanted = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).optionalDependencies;
  const installed = Object.entries(wanted).every(([alias, spec]) => {
    const file = path.join(dir, 'node_modules', alias, 'package.json');
    return existsSync(file) && spec.endsWith(`@${JSON.parse(readFileSync(file, 'utf8')).version}`);
  });
  if (installed || process.platform !== 'linux' || process.arch !== 'x64') return;
  console.log('[setup] npm ci in tests/package/runtimes (Node 22 and 24 for the package matrix)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir });
}
