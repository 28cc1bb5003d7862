// Node entry: `require('tencentcloud-cvm-wasm')` or `import … from 'tencentcloud-cvm-wasm'`; no init.
export * from './index';
export * from './credentials';
