// The names each published entry really exports, read by loading the entries in this Node
// process: pkg/node.cjs (require), pkg/node.mjs, pkg/browser.js and pkg/web.js (import), and
// pkg/workerd.js, whose `import module from './tencentcloud_cvm_wasm_bg.wasm'` (a module workerd
// compiles itself) is answered here, through a loader hook, with the compiled WebAssembly.Module
// of the same file, as workerd would. Not a test file itself.
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'pkg');

/** The published entries, as the package's exports map and README name them. */
export const ENTRIES = ['node.cjs', 'node.mjs', 'browser.js', 'web.js', 'workerd.js'];

let hooked = false;

/** `{ 'pkg/<entry>': [export names, sorted] }` for every entry. */
export async function entryExports() {
  if (!hooked) {
    register(new URL('./wasm-module-hooks.mjs', import.meta.url));
    hooked = true;
  }
  const out = {};
  for (const entry of ENTRIES) {
    const file = path.join(PKG, entry);
    const api = entry.endsWith('.cjs') ? createRequire(import.meta.url)(file) : await import(pathToFileURL(file).href);
    out[`pkg/${entry}`] = Object.keys(api).sort();
  }
  return out;
}
