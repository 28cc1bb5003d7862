// `import … from 'tencentcloud-cvm-wasm/console'` in Cloudflare Workers (the "workerd" condition):
// the handler over workerd.js's instance (the .wasm imported as a module workerd compiled).
import './workerd.js';
import api from './src/web-exports.js';
import { createConsole } from './src/console.js';

export const { consoleHandler, toNodeListener, federationToken, ConsoleClient, cvmConsole } = createConsole(api);
