// Tools of the package matrix (matrix.test.mjs) besides tarball.mjs's packing and installing. Not a
// test file itself.
//
// The matrix's apps live under test-artifacts/package/apps/, inside the workspace: bundlers and
// runtimes are found in the workspace's node_modules by the usual upward lookup (they are pinned
// devDependencies), while an app's own node_modules holds nothing but the installed tarball.
//
//   workspaceAppDir(name)     → a new empty app folder there, removed when the process exits
//   childEnv(extra)           → the environment for the tools: update checks and telemetry off
//   startProcess(cmd, args, { ready }) → Promise<{ match, output(), stop() }> once its output matches
//   serve(root, api)          → Promise<{ url, close() }>: root's files over GET on 127.0.0.1;
//                               POST and OPTIONS go to `api` (a node:http handler), with CORS
//   launchChromium()          → Promise<BrowserContext>: Debian's Chromium, headless, fresh profile
//   freePort()                → Promise<number>
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ARTIFACTS, ROOT } from './tarball.mjs';

export const BIN = path.join(ROOT, 'node_modules', '.bin');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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

/** A new empty app folder under test-artifacts/package/apps/ (see the header). */
export function workspaceAppDir(name) {
  return scratch(path.join(ARTIFACTS, 'apps'), `${name}-`);
}

/**
 * The environment of the tools the matrix runs: no npm_* variables of an enclosing `npm test`, and
 * update checks and telemetry off (tests talk only to loopback).
 */
export function childEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, DO_NOT_TRACK: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1', ...extra };
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
