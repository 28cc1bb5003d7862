// Node module hooks (registered by entry-exports.mjs): an `import` of the package's .wasm gives
// its compiled WebAssembly.Module, as Cloudflare's workerd (and wrangler's bundling) does for
// pkg/workerd.js. Everything else loads as usual.
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('/tencentcloud_cvm_wasm_bg.wasm')) {
    return {
      format: 'module',
      shortCircuit: true,
      source: `import { readFileSync } from 'node:fs';\nexport default new WebAssembly.Module(readFileSync(new URL(${JSON.stringify(url)})));\n`,
    };
  }
  return nextLoad(url, context);
}
