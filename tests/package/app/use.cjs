// `require` of the package name in a server-side runtime (Node, Bun): node use.cjs <emulator URL>
const cvm = require('tencentcloud-cvm-wasm');

import('./src/check.js')
  .then(({ check }) => check(cvm, { endpoint: process.argv[2] }))
  .then((result) => console.log(JSON.stringify({ ...result, entry: require.resolve('tencentcloud-cvm-wasm') })))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
