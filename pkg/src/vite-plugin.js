// cvmConsole: a Vite plugin that serves a console handler from `vite dev` and `vite preview`, so a
// page calls the console path same-origin with no proxy configuration. Other paths go on to Vite.
export function createVitePlugin(consoleHandler, toNodeListener) {
  /** `options`: consoleHandler's (mode, path, allowActions, authorize, credentials, …). */
  function cvmConsole(options) {
    // Built now: bad options fail when the Vite config loads, naming the option.
    const handler = consoleHandler(options);
    const listener = toNodeListener(handler);
    const mount = (server) => {
      server.middlewares.use((req, res, next) => {
        listener(req, res, next).catch(next);
      });
    };
    return {
      name: 'tencentcloud-cvm-console',
      configureServer: mount,
      configurePreviewServer: mount,
    };
  }
  return { cvmConsole };
}
