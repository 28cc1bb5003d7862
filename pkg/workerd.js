// `import { … } from 'tencentcloud-cvm-wasm'` in Cloudflare Workers (the "workerd" condition).
// workerd refuses to compile WebAssembly from bytes at run time; it takes the .wasm as a module
// that it compiled itself, which is what importing it here asks for (wrangler bundles *.wasm
// imports that way by default).
import module from './tencentcloud_cvm_wasm_bg.wasm';
import { load, loadCompiled } from './src/web-loader.js';

export * from './src/web-exports.js';

loadCompiled(module);

/** Resolves at once: this entry is loaded when its import is. */
export default function init() {
  return load();
}
