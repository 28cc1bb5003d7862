// `import { … } from 'tencentcloud-cvm-wasm'` in browsers, bundlers, workers and Bun's browser
// builds: the .wasm travels inside this module graph (gen/wasm-inline.js: the shipped .wasm,
// gzipped, in base64), so no bundler or server needs to know about a .wasm file. It is
// decompressed and compiled while the module loads (top-level await); no init() is needed.
import { load } from './src/web-loader.js';
import gzippedBase64 from './gen/wasm-inline.js';

export * from './src/web-exports.js';

function inlineWasm() {
  const text = atob(gzippedBase64);
  const gzipped = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) gzipped[i] = text.charCodeAt(i);
  const body = new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(body, { headers: { 'Content-Type': 'application/wasm' } });
}

await load(inlineWasm());

/** Resolves at once: this entry is loaded when its import is. Kept so code written for `/web` runs unchanged. */
export default function init() {
  return load();
}
