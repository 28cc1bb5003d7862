// `import init, { … } from 'tencentcloud-cvm-wasm/web'`: the .wasm is a separate file; `await init()` once first.
export * from './index.js';
/**
 * Loads the WebAssembly module once (later calls return the same promise). By default it is
 * fetched relative to this file; pass a URL, a `Response`, bytes or a `WebAssembly.Module` to
 * load it from elsewhere. Using the package before it resolves throws an `Error` saying so.
 */
export default function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module | Promise<Response>,
): Promise<void>;
