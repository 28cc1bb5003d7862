// The package as users get it: the tarball `npm pack` makes of pkg/, installed into throwaway apps.
// Shared by the tests/package suites (not a test file itself). Suites that test the published
// package should go through here rather than read pkg/ directly: only the tarball shows what the
// `files` list really ships.
//
//   import { tarball, installInto, packList, appDir, run, PACKAGE_NAME } from './tarball.mjs';
//
//   packList()            → Promise<{ name, version, filename, files: [{ path, size, mode }], hash }>
//                           `npm pack --dry-run --json` of pkg/; `hash` is a SHA-256 of every packed
//                           file's path, mode and bytes. Memoised per process.
//   tarball()             → Promise<string>: absolute path of the packed .tgz. Packed once per test
//                           run: cached in test-artifacts/package/tarballs/<hash>/, so it is reused
//                           (by every suite and later runs) while the packed files are unchanged, and
//                           repacked when any of them changes. Waits while scripts/build.mjs holds
//                           pkg/.build.lock; throws if pkg/ is not built.
//   appDir(prefix)        → a new empty temporary directory, removed when the process exits.
//   installInto(dir, { packageJson }?)
//                         → Promise<{ appDir, packageDir, tgz }>: creates `dir` if needed, writes its
//                           package.json (`{ name, private: true, ...packageJson }`) and runs
//                           `npm install <tgz> --no-audit --no-fund --offline` in it (the package has
//                           no dependencies). `packageDir` is dir/node_modules/tencentcloud-cvm-wasm.
//   ROOT, PKG, ARTIFACTS, PACKAGE_NAME
//                         the repository, pkg/, test-artifacts/package/, 'tencentcloud-cvm-wasm'.
//   run(cmd, args, { cwd, env, timeout }?)
//                         → Promise<{ status, stdout, stderr, output }>: never rejects on a non-zero
//                           exit; `output` is stdout+stderr for assertion messages.
//
// npm runs with its own cache (a temporary directory) and without the npm_* variables of an
// enclosing `npm test`, so nothing outside the temporary directories and test-artifacts/ is written.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PKG = path.join(ROOT, 'pkg');
export const PACKAGE_NAME = 'tencentcloud-cvm-wasm';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'package');
const TARBALLS = path.join(ARTIFACTS, 'tarballs');
const BUILD_LOCK = path.join(PKG, '.build.lock');
const STALE_TARBALL_MS = 24 * 60 * 60 * 1000;

let scratch;
/** A new empty temporary directory, removed when the process exits. */
export function appDir(prefix = 'cvm-wasm-app-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  if (!scratch) {
    scratch = [];
    process.on('exit', () => {
      for (const d of scratch) rmSync(d, { recursive: true, force: true });
    });
  }
  scratch.push(dir);
  return dir;
}

let npmCache;
/** The environment npm runs in: no npm_* variables from an enclosing `npm test`, a private cache. */
function npmEnv() {
  npmCache ??= appDir('cvm-wasm-npm-cache-');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, npm_config_cache: npmCache, npm_config_update_notifier: 'false', npm_config_loglevel: 'warn' };
}

/** Runs a command; resolves with its exit status and output (never rejects on a failure exit). */
export function run(cmd, args, { cwd = ROOT, env = process.env, timeout = 120_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const done = (status, extra = '') => resolve({ status, stdout, stderr, output: `$ ${cmd} ${args.join(' ')}\n${stdout}${stderr}${extra}` });
    child.on('error', (e) => done(127, `\n${e.message}`));
    child.on('close', (code, signal) => done(code ?? 1, signal ? `\nkilled by ${signal}` : ''));
  });
}

async function npm(args, cwd) {
  const r = await run('npm', args, { cwd, env: npmEnv() });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${r.output}`);
  return r.stdout;
}

/** Waits while scripts/build.mjs is rebuilding pkg/ (it holds pkg/.build.lock with its pid). */
async function waitForBuild() {
  const deadline = Date.now() + 5 * 60 * 1000;
  for (;;) {
    let holder;
    try {
      holder = Number(readFileSync(BUILD_LOCK, 'utf8'));
    } catch {
      return; // no build running
    }
    if (!(holder > 0)) {
      await sleep(100); // the lock is being written
      continue;
    }
    try {
      process.kill(holder, 0);
    } catch {
      return; // a stale lock: its build is gone
    }
    if (Date.now() > deadline) throw new Error(`pkg/ is still being rebuilt (pid ${holder} holds ${BUILD_LOCK})`);
    await sleep(500);
  }
}

/** SHA-256 over the packed files: path, executable bit and bytes of each, in npm's order. */
function hashFiles(files) {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const file = path.join(PKG, f.path);
    h.update(`${f.path}\0${statSync(file).mode & 0o111 ? 'x' : '-'}\0`);
    h.update(readFileSync(file));
    h.update('\0');
  }
  return h.digest('hex');
}

function parsePackJson(stdout) {
  const [entry] = JSON.parse(stdout);
  return { name: entry.name, version: entry.version, filename: entry.filename, files: entry.files.map(({ path: p, size, mode }) => ({ path: p, size, mode })) };
}

async function listNow() {
  await waitForBuild();
  if (!existsSync(path.join(PKG, 'node.cjs'))) throw new Error('pkg/ is not built: run `node scripts/build.mjs` first');
  const list = parsePackJson(await npm(['pack', '--dry-run', '--json'], PKG));
  return { ...list, hash: hashFiles(list.files) };
}

let listPromise;
/** `npm pack --dry-run --json` of pkg/ plus a hash of the packed files (memoised per process). */
export function packList() {
  listPromise ??= listNow();
  return listPromise;
}

/** Removes cached tarballs of earlier package contents (a day old or more). */
function pruneTarballs(keep) {
  for (const name of readdirSync(TARBALLS)) {
    const dir = path.join(TARBALLS, name);
    if (name === keep) continue;
    try {
      if (Date.now() - statSync(dir).mtimeMs > STALE_TARBALL_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another process pruned it first
    }
  }
}

async function packNow() {
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const list = attempt === 1 ? await packList() : await listNow();
    const dir = path.join(TARBALLS, list.hash.slice(0, 32));
    const tgz = path.join(dir, list.filename);
    listPromise = Promise.resolve(list); // packList() describes the tarball returned
    if (existsSync(tgz)) return tgz;
    mkdirSync(TARBALLS, { recursive: true });
    const tmp = mkdtempSync(path.join(TARBALLS, '.pack-'));
    try {
      const packed = parsePackJson(await npm(['pack', '--json', '--pack-destination', tmp], PKG));
      // pkg/ may have been rebuilt meanwhile: keep the tarball only if the files are still those hashed.
      if (hashFiles(packed.files) !== list.hash) continue;
      try {
        renameSync(tmp, dir);
      } catch (e) {
        if (!existsSync(tgz)) throw e; // otherwise another process cached the same tarball first
      }
      pruneTarballs(path.basename(dir));
      return tgz;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  throw new Error('pkg/ kept changing while it was being packed');
}

let tarballPromise;
/** Absolute path of the packed tarball of pkg/ (packed at most once per run; see the header). */
export function tarball() {
  tarballPromise ??= packNow();
  return tarballPromise;
}

/** Makes `dir` an app with the packed tarball installed (see the header). */
export async function installInto(dir, { packageJson = {} } = {}) {
  const tgz = await tarball();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'cvm-wasm-consumer', version: '0.0.0', private: true, ...packageJson }, null, 2)}\n`);
  await npm(['install', tgz, '--no-audit', '--no-fund', '--offline'], dir);
  const packageDir = path.join(dir, 'node_modules', PACKAGE_NAME);
  if (!existsSync(path.join(packageDir, 'package.json'))) throw new Error(`npm install put nothing in ${packageDir}`);
  return { appDir: dir, packageDir, tgz };
}
