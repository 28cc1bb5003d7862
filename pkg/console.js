// `import … from 'tencentcloud-cvm-wasm/console'` in browsers, bundlers, Deno and Bun builds: the
// page's ConsoleClient, and the server handler for web-platform servers, over browser.js's instance.
import './browser.js';
import api from './src/web-exports.js';
import { createConsole } from './src/console.js';

export const { consoleHandler, toNodeListener, federationToken, ConsoleClient, cvmConsole } = createConsole(api);
