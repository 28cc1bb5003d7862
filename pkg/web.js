// `import init, { … } from 'tencentcloud-cvm-wasm/web'`: the entry for those who host the .wasm
// themselves, or want it fetched as a separate file. `await init()` once before anything else;
// without an argument the .wasm next to this file is fetched (webpack and `vite build` see the URL
// below and emit the file).
import { load } from './src/web-loader.js';

export * from './src/web-exports.js';

/** Loads the WebAssembly module (once; later calls return the same promise). */
export default function init(input = new URL('./tencentcloud_cvm_wasm_bg.wasm', import.meta.url)) {
  return load(input);
}
