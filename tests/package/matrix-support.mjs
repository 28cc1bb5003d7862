// The package as users get it, for the matrix (matrix.test.mjs) and the tarball checks
// (tarball-contents.test.mjs): `npm pack` of pkg/ once per process, installed into throwaway apps.
// Not a test file itself.
//
// The apps live under test-artifacts/package/apps/, inside the workspace: bundlers and runtimes
// are found in the workspace's node_modules by the usual upward lookup (they are pinned
// devDependencies), while an app's own node_modules holds nothing but the installed tarball.
//
//   tarball()                 → Promise<path of the .tgz> (packed once per process)
//   packedFiles()             → Promise<[{ path, size, mode }]>: `npm pack --dry-run --json` of pkg/
//   appDir(name)              → a new empty app folder, removed when the process exits
//   installInto(dir, { packageJson }) → Promise: `npm install <tgz> --offline` in dir
//   run(cmd, args, options)   → Promise<{ status, stdout, stderr, output }> (never rejects)
//   startProcess(cmd, args, { ready }) → Promise<{ match, output(), stop() }> once its output matches
//   serve(root, api)          → Promise<{ url, close() }>: root's files over GET on 127.0.0.1;
//                               POST and OPTIONS go to `api` (a node:http handler), with CORS
//   launchChromium()          → Promise<BrowserContext>: Debian's Chromium, headless, fresh profile
//   freePort()                → Promise<number>
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PKG = path.join(ROOT, 'pkg');
export const PACKAGE_NAME = 'tencentcloud-cvm-wasm';
export const BIN = path.join(ROOT, 'node_modules', '.bin');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const APPS = path.join(ROOT, 'test-artifacts', 'package', 'apps');

const cleanups = [];
process.on('exit', () => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});
function scratch(parent, prefix) {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, prefix));
  cleanups.push(dir);
  return dir;
}

/**
 * The environment of every child process: no npm_* variables of an enclosing `npm test`, npm with
 * a private cache, and the tools' update checks and telemetry off (tests talk only to loopback).
 */
let npmCache;
export function childEnv(extra = {}) {
  npmCache ??= scratch(os.tmpdir(), 'cvm-wasm-npm-cache-');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return {
    ...env,
    npm_config_cache: npmCache,
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
    DO_NOT_TRACK: '1',
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PROMPT: '1',
    NO_COLOR: '1',
    ...extra,
  };
}

/** Runs a command; resolves with its exit status and output (never rejects). */
export function run(cmd, args, { cwd = ROOT, env = childEnv(), timeout = 120_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const done = (status, extra = '') => resolve({ status, stdout, stderr, output: `$ ${path.basename(cmd)} ${args.join(' ')}\n${stdout}${stderr}${extra}` });
    child.on('error', (e) => done(127, `\n${e.message}`));
    child.on('close', (code, signal) => done(code ?? 1, signal ? `\nkilled by ${signal}` : ''));
  });
}

/**
 * Starts a long-running command and resolves once its output matches `ready` (at once without
 * one; rejects, with the output, if it exits first or prints no match within `timeout`). stop()
 * ends it and waits.
 */
export function startProcess(cmd, args, { cwd = ROOT, env = childEnv(), ready = /^/, timeout = 30_000 }) {
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise((resolve) => child.on('close', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const late = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(late);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${path.basename(cmd)} printed nothing matching ${ready} within ${timeout} ms:\n${out}`));
    }, timeout);
    const onData = (c) => {
      out += c;
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ match, output: () => out, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    onData('');
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); reject(new Error(`${path.basename(cmd)} exited (${code}) before it was ready:\n${out}`)); });
  });
}

async function npm(args, cwd) {
  const r = await run('npm', args, { cwd });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${r.output}`);
  return r.stdout;
}

let filesPromise;
/** `npm pack --dry-run --json` of pkg/: what the tarball holds. */
export function packedFiles() {
  filesPromise ??= npm(['pack', '--dry-run', '--json'], PKG).then((out) => JSON.parse(out)[0].files.map(({ path: p, size, mode }) => ({ path: p, size, mode })));
  return filesPromise;
}

let tarballPromise;
/** Packs pkg/ once per process; resolves the .tgz's path. */
export function tarball() {
  tarballPromise ??= (async () => {
    if (!existsSync(path.join(PKG, 'gen', 'wasm-inline.js'))) throw new Error('pkg/ is not built: run `node scripts/build.mjs` first');
    const dest = scratch(os.tmpdir(), 'cvm-wasm-tarball-');
    const [{ filename }] = JSON.parse(await npm(['pack', '--json', '--pack-destination', dest], PKG));
    return path.join(dest, filename);
  })();
  return tarballPromise;
}

/** A new empty app folder under test-artifacts/package/apps/ (see the header). */
export function appDir(name) {
  return scratch(APPS, `${name}-`);
}

/** Installs the packed tarball into `dir`, after writing its package.json (`packageJson` added). */
export async function installInto(dir, { packageJson = {} } = {}) {
  const tgz = await tarball();
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'cvm-wasm-app', version: '0.0.0', private: true, ...packageJson }, null, 2)}\n`);
  await npm(['install', tgz, '--no-audit', '--no-fund', '--offline'], dir);
  if (!existsSync(path.join(dir, 'node_modules', PACKAGE_NAME, 'package.json'))) throw new Error(`npm install put nothing in ${dir}/node_modules`);
}

/** A free TCP port on 127.0.0.1 (for tools that want a port number up front). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** Serves `root` over GET on 127.0.0.1 (a folder answers its index.html); POST/OPTIONS go to `api`. */
export function serve(root, api) {
  const server = http.createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
      res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '');
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'POST') return api(req, res);
    let file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(root)) return res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }),
    }));
  });
}

/** Debian's Chromium through playwright-core, headless, with a fresh profile. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const profile = scratch(os.tmpdir(), 'cvm-wasm-matrix-chromium-');
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
