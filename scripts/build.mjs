// Builds the complete npm package in pkg/: the Rust core compiled to wasm32, wasm-bindgen glue for
// the browser (ESM, `await init()`) and for Node (CommonJS, loads synchronously), one optimised
// .wasm that both use, and the entries generated from the hand-written JavaScript layer:
//   pkg/node.cjs  require('tencentcloud-cvm-wasm')
//   pkg/node.mjs  import … from 'tencentcloud-cvm-wasm' in Node (re-exports node.cjs: one instance)
//   pkg/web.js    browsers and bundlers: import init, { … } from 'tencentcloud-cvm-wasm'
// The JavaScript layer (pkg/src/core.js, pkg/src/client.js) is written once as factory scripts —
// one function each, no import/export — and placed inside each entry.
import { readFileSync, writeFileSync, mkdirSync, rmSync, renameSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { root, run, ensureRustWasm, ensureRustSrc, ensureNodeModules } from './toolchain.mjs';

const pkg = path.join(root, 'pkg');
const gen = path.join(pkg, 'gen');
const WASM = 'tencentcloud_cvm_wasm_bg.wasm';

function replaceOnce(text, from, to, file) {
  if (!text.includes(from)) throw new Error(`build: expected ${JSON.stringify(from)} in ${file} (wasm-bindgen output changed?)`);
  return text.replace(from, to);
}

/** One build at a time (tests and `npm start` may build concurrently): a lock file with our pid. */
function withLock(fn) {
  const lock = path.join(pkg, '.build.lock');
  const deadline = Date.now() + 10 * 60 * 1000;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(lock, 'utf8'));
      let alive = false;
      try {
        alive = holder > 0 && process.kill(holder, 0);
      } catch {
        alive = false;
      }
      if (!alive) rmSync(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`build: another build (pid ${holder}) holds ${lock}`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

export function build() {
  return withLock(buildUnlocked);
}

// ---- The .wasm: compiled with the size and speed levers that earned their place (measured side by
// side by bench/levers.mjs; figures in the README's benchmark section). ----

/**
 * Compiles the Rust core to wasm32 and returns the path of the raw .wasm (before wasm-bindgen).
 * On top of Cargo.toml's release profile and .cargo/config.toml's `+simd128`: std is rebuilt with
 * `panic = immediate-abort` (`-Z build-std`), so no panic message, location or formatting code is
 * linked; stable cargo takes the -Z flags under RUSTC_BOOTSTRAP=1. The options exist for
 * bench/levers.mjs: `buildStd: false`, more `rustflags`, other cargo `args` (features, --config).
 */
export function compileWasm({ buildStd = true, rustflags = [], args = [], targetDir = path.join(root, 'target') } = {}) {
  const flags = [...(buildStd ? ['-Zunstable-options', '-Cpanic=immediate-abort'] : []), ...rustflags];
  const cargo = ['build', '--release', '--target', 'wasm32-unknown-unknown', '--target-dir', targetDir, ...args];
  if (buildStd) cargo.push('-Z', 'build-std=std,panic_abort');
  // Appended to (not replacing) the target rustflags of .cargo/config.toml.
  if (flags.length) cargo.push('--config', `target.wasm32-unknown-unknown.rustflags=${JSON.stringify(flags)}`);
  run('cargo', cargo, { env: { ...process.env, ...(buildStd ? { RUSTC_BOOTSTRAP: '1' } : {}) } });
  return path.join(targetDir, 'wasm32-unknown-unknown/release/tencentcloud_cvm_wasm.wasm');
}

/**
 * wasm-opt -Oz from npm binaryen (Debian's 108 breaks wasm-bindgen 0.2.130 output), dropping the
 * `producers` and `target_features` sections, which nothing reads once wasm-bindgen has run.
 */
export function optimiseWasm(input, output) {
  const features = ['bulk-memory', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals', 'reference-types', 'multivalue', 'simd'];
  run(path.join(root, 'node_modules/.bin/wasm-opt'), ['-Oz', '--strip-producers', '--strip-target-features', ...features.map((f) => `--enable-${f}`), input, '-o', output]);
}

function buildUnlocked() {
  ensureRustWasm();
  ensureRustSrc();
  ensureNodeModules();
  const raw = compileWasm();
  rmSync(gen, { recursive: true, force: true });
  mkdirSync(gen, { recursive: true });
  // Same out-name for both targets: the module's import namespace is named after it, and
  // wasm-bindgen ≥ 0.2.107 then emits a byte-identical .wasm for every target.
  run('wasm-bindgen', ['--target', 'web', '--out-dir', path.join(gen, 'web'), '--out-name', 'cvm', raw]);
  run('wasm-bindgen', ['--target', 'nodejs', '--out-dir', path.join(gen, 'node'), '--out-name', 'cvm', raw]);
  const webWasm = readFileSync(path.join(gen, 'web', 'cvm_bg.wasm'));
  if (!webWasm.equals(readFileSync(path.join(gen, 'node', 'cvm_bg.wasm')))) {
    throw new Error('build: the web and nodejs targets produced different .wasm files');
  }
  // One .wasm for every entry.
  optimiseWasm(path.join(gen, 'web', 'cvm_bg.wasm'), path.join(pkg, WASM));
  for (const dir of ['web', 'node']) {
    for (const f of ['cvm_bg.wasm', 'cvm_bg.wasm.d.ts', 'cvm.d.ts', '.gitignore']) {
      rmSync(path.join(gen, dir, f), { force: true });
    }
  }
  const webGlue = path.join(gen, 'web', 'cvm.js');
  writeFileSync(webGlue, replaceOnce(readFileSync(webGlue, 'utf8'), "new URL('cvm_bg.wasm', import.meta.url)", `new URL('../../${WASM}', import.meta.url)`, webGlue));
  // The package is "type": "module"; the CommonJS glue gets the .cjs extension.
  const nodeGlueJs = path.join(gen, 'node', 'cvm.js');
  const nodeGlue = path.join(gen, 'node', 'cvm.cjs');
  writeFileSync(nodeGlue, replaceOnce(readFileSync(nodeGlueJs, 'utf8'), '`${__dirname}/cvm_bg.wasm`', `require('path').join(__dirname, '..', '..', '${WASM}')`, nodeGlueJs));
  rmSync(nodeGlueJs);
  // Constants are read once here and inlined, so browsers have them before `init()`.
  const constants = JSON.stringify(createRequire(import.meta.url)(nodeGlue).constants());

  const layer = ['core.js', 'client.js']
    .filter((f) => existsSync(path.join(pkg, 'src', f)))
    .map((f) => `// ---- src/${f} ----\n${readFileSync(path.join(pkg, 'src', f), 'utf8')}`)
    .join('\n');
  const hasClient = existsSync(path.join(pkg, 'src', 'client.js'));
  const makeApi = (readyExpr) => `${layer}
const core = createCore(wasm, { ready: ${readyExpr}, constants: ${constants} });
const api = Object.assign(core${hasClient ? `, createClient(core, {
  fetch: (...args) => globalThis.fetch(...args),
  now: () => Date.now(),
  setTimeout: (...args) => globalThis.setTimeout(...args),
  clearTimeout: (...args) => globalThis.clearTimeout(...args),
  random: () => Math.random(),
})` : ''});
`;
  const banner = '// Generated by scripts/build.mjs from pkg/src/*. Do not edit.\n';
  const credentials = existsSync(path.join(pkg, 'src', 'credentials.cjs'));
  writeFileSync(path.join(pkg, 'node.cjs.tmp'), `${banner}'use strict';
const wasm = require('./gen/node/cvm.cjs');
${makeApi('() => true')}
${credentials ? "Object.assign(api, require('./src/credentials.cjs'));\n" : ''}module.exports = api;
`);
  renameSync(path.join(pkg, 'node.cjs.tmp'), path.join(pkg, 'node.cjs'));
  const names = Object.keys(createRequire(import.meta.url)(path.join(pkg, 'node.cjs')));
  writeFileSync(path.join(pkg, 'node.mjs'), `${banner}import api from './node.cjs';
export const { ${names.join(', ')} } = api;
export default api;
`);
  const webNames = names.filter((n) => !['loadCredentials', 'CredentialsError'].includes(n));
  writeFileSync(path.join(pkg, 'web.js'), `${banner}import wasmInit, * as wasm from './gen/web/cvm.js';
let initialized = null;
${makeApi('() => initialized === true')}
/** Loads the WebAssembly module (once; later calls return the same promise). */
export default function init(input) {
  if (initialized === true) return Promise.resolve();
  if (!initialized) {
    initialized = wasmInit(input === undefined ? undefined : { module_or_path: input }).then(
      () => { initialized = true; },
      (e) => { initialized = null; throw e; },
    );
  }
  return initialized;
}
export const { ${webNames.join(', ')} } = api;
`);
  // CommonJS twins of the declarations, for `require` under TypeScript's node16 resolution (the
  // package is "type": "module", so the .d.ts files describe ES modules).
  for (const name of ['index', 'client', 'credentials', 'node']) {
    const text = readFileSync(path.join(pkg, `${name}.d.ts`), 'utf8')
      .split('\n')
      .filter((line) => !line.endsWith('// esm-only'))
      .join('\n')
      .replace(/from '\.\/(\w+)\.js'/g, "from './$1.cjs'");
    writeFileSync(path.join(pkg, `${name}.d.cts`), `// Generated by scripts/build.mjs from ${name}.d.ts. Do not edit.\n${text}`);
  }
  console.log(`[build] pkg/ ready: ${names.length} exports`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    build();
  } catch (e) {
    console.error(`build failed: ${e.message}`);
    process.exit(1);
  }
}
