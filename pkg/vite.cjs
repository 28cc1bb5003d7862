'use strict';
// `require('tencentcloud-cvm-wasm/vite')`: the Vite plugin, from console.cjs's instance.
const { cvmConsole } = require('./console.cjs');

module.exports = { cvmConsole };
