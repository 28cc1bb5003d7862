// The `tencentcloud-cvm-wasm/console` API over a loaded package API (any entry's): the server
// handler (console-handler.js), its Node adapter (node-listener.js), scoped temporary keys
// (federation.js), the page's client for sign mode (console-client.js) and the Vite plugin
// (vite-plugin.js). Every request goes through transport.js (`redirect: 'manual'`).
import { createTransport } from './transport.js';
import { createConsoleHandler } from './console-handler.js';
import { createNodeListener } from './node-listener.js';
import { createFederation } from './federation.js';
import { createConsoleClient } from './console-client.js';
import { createVitePlugin } from './vite-plugin.js';

export function createConsole(api) {
  const runtime = {
    transport: createTransport(api, (...args) => globalThis.fetch(...args)),
    now: () => Date.now(),
    setTimeout: (...args) => globalThis.setTimeout(...args),
    clearTimeout: (...args) => globalThis.clearTimeout(...args),
  };
  const handler = createConsoleHandler(api, runtime);
  const listener = createNodeListener();
  return {
    ...handler,
    ...listener,
    ...createFederation(api, runtime),
    ...createConsoleClient(api, runtime),
    ...createVitePlugin(handler.consoleHandler, listener.toNodeListener),
  };
}
