'use strict';
// `require('tencentcloud-cvm-wasm')` in Node, and through node.mjs its `import` too (one instance
// for both). wasm-bindgen's nodejs glue reads and compiles the .wasm synchronously while this file
// loads, so nothing needs `init()` and `require()` works in every Node ≥ 20.
const wasm = require('./gen/node/cvm.cjs');
// src/api.js with core.js and client.js, as CommonJS (esbuild, run by scripts/build.mjs).
const { createApi, readConstants } = require('./gen/api.cjs');

const api = createApi(wasm, { ready: () => true, constants: readConstants(wasm) });
// loadCredentials and CredentialsError (Node only), with the core's did-you-mean.
module.exports = Object.assign(api, require('./src/credentials.cjs').createCredentials(api.internal.suggestName));
