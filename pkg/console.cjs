'use strict';
// `require('tencentcloud-cvm-wasm/console')` in Node, and through console.mjs its `import` too (one
// instance for both): consoleHandler, toNodeListener, federationToken, ConsoleClient, cvmConsole
// over the Node entry's instance. src/console.js as CommonJS: gen/console.cjs (esbuild).
const { createConsole } = require('./gen/console.cjs');

module.exports = createConsole(require('./node.cjs'));
