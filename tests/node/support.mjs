// Shared by the tests/node suites: where the built package is, and how to load each of its three
// entries (CommonJS, ESM, browser) into this Node process. Not a test file itself.
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PKG = path.join(ROOT, 'pkg');
export const WASM_PATH = path.join(PKG, 'tencentcloud_cvm_wasm_bg.wasm');

const require = createRequire(import.meta.url);

// The lead may rebuild pkg/ while the suites run: a load that fails mid-build is retried after a pause.
const LOAD_ATTEMPTS = 3;
const LOAD_PAUSE_MS = 30_000;

async function withRetries(what, load) {
  let last;
  for (let attempt = 1; attempt <= LOAD_ATTEMPTS; attempt += 1) {
    try {
      return await load(attempt);
    } catch (e) {
      last = e;
      if (attempt < LOAD_ATTEMPTS) await sleep(LOAD_PAUSE_MS);
    }
  }
  throw new Error(`cannot load ${what} (is pkg/ built? \`node scripts/build.mjs\`): ${last && last.message}`, { cause: last });
}

let cjsPromise;
/** `require('pkg/node.cjs')`. */
export function loadCjs() {
  cjsPromise ??= withRetries('pkg/node.cjs', () => require(path.join(PKG, 'node.cjs')));
  return cjsPromise;
}

let esmPromise;
/** `import('pkg/node.mjs')`. */
export function loadEsm() {
  esmPromise ??= withRetries('pkg/node.mjs', (attempt) => {
    const url = pathToFileURL(path.join(PKG, 'node.mjs'));
    if (attempt > 1) url.search = `?attempt=${attempt}`; // a failed import stays cached per URL
    return import(url.href);
  });
  return esmPromise;
}

/** Imports pkg/web.js exactly where it is published. Rejects as Node rejects it. */
export function importPublishedWeb() {
  return import(pathToFileURL(path.join(PKG, 'web.js')).href);
}

let scratch;
/** A temporary directory removed when the process exits. */
export function scratchDir(prefix = 'cvm-wasm-test-') {
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

/**
 * A byte-identical copy of the `/web` entry and the modules it imports (web.js, src/, gen/web/,
 * gen/constants.js, the .wasm) in a new folder whose package.json says `"type": "module"`.
 */
export function copyWebEntry() {
  const dir = scratchDir('cvm-wasm-web-');
  for (const part of ['web.js', 'src', path.join('gen', 'web'), path.join('gen', 'constants.js'), 'tencentcloud_cvm_wasm_bg.wasm']) {
    if (existsSync(path.join(PKG, part))) cpSync(path.join(PKG, part), path.join(dir, part), { recursive: true });
  }
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  return path.join(dir, 'web.js');
}

/**
 * A fresh, NOT initialised instance of the browser entry: a byte-identical copy of the published
 * files in a new folder (`copyWebEntry`), since the wasm-bindgen glue module keeps its instance
 * for the life of the module and a second `import` of the published file would share it.
 */
export async function loadWebUninitialised() {
  return withRetries('pkg/web.js', async () => import(pathToFileURL(copyWebEntry()).href));
}

let webPromise;
/** The browser entry, initialised with the .wasm bytes (`await init(readFileSync(wasm))`). */
export function loadWeb() {
  webPromise ??= (async () => {
    const { readFileSync } = await import('node:fs');
    const web = await loadWebUninitialised();
    await web.default(readFileSync(WASM_PATH));
    return web;
  })();
  return webPromise;
}

/** All three entries, initialised: `{ CommonJS, ESM, browser }`. */
export async function loadEntries() {
  const [cjs, esm, web] = await Promise.all([loadCjs(), loadEsm(), loadWeb()]);
  return { CommonJS: cjs, ESM: esm, browser: web };
}

/** Calls `f` and returns what it threw; fails when it did not throw. */
export function thrown(f, label = 'the call') {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error(`${label} did not throw`);
}
