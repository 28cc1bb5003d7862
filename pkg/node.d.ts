// Node entry: `require('tencentcloud-cvm-wasm')` or `import … from 'tencentcloud-cvm-wasm'`; no init.
export * from './index.js';
export * from './credentials.js';
import type * as core from './index.js'; // esm-only
import type * as credentials from './credentials.js'; // esm-only
/** The ESM entry's default export: every named export in one object. */ // esm-only
declare const api: typeof core & typeof credentials; // esm-only
export default api; // esm-only
