// `import … from 'tencentcloud-cvm-wasm/console'` in Node: console.cjs's instance, as an ES module.
import api from './console.cjs';

export const { consoleHandler, toNodeListener, federationToken, ConsoleClient, cvmConsole } = api;
