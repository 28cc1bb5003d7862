// Default entry outside Node (browsers, bundlers, workers, Cloudflare workerd): the .wasm comes
// with the module and is loaded when the import resolves; no init() is needed.
export * from './index.js';
/**
 * Resolves at once, whatever it is given: this entry is ready as soon as its import is. Kept so
 * that code written for `tencentcloud-cvm-wasm/web` (`await init()`) runs unchanged.
 */
export default function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module | Promise<Response>,
): Promise<void>;
