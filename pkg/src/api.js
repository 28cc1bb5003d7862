// The package's API over a loaded wasm-bindgen module: the core layer (core.js), CvmClient
// (client.js) and cvmRoleCredentials (cvm-role.js) on the runtime's own timers and fetch — the
// latter only through transport.js, which sends every request with `redirect: 'manual'`. Every
// entry calls this once with the glue it loaded; how the .wasm is found is the entry's business.
import { createCore } from './core.js';
import { createTransport } from './transport.js';
import { createClient } from './client.js';
import { createCvmRole } from './cvm-role.js';
import { decodeValue } from './boundary.js';

/** The core's constants (VERSION, MAX_IMAGE_IDS_PER_CALL, KNOWN_REGIONS), from a loaded module. */
export function readConstants(wasm) {
  return decodeValue(wasm.constants(), 1);
}

/**
 * The runtime CvmClient and cvmRoleCredentials run on. Looked up at each call, so a fetch or timer
 * patched after loading (tests, polyfills) is used.
 */
export function createRuntime(core) {
  return {
    // The only way onto the network: no module gets fetch itself.
    transport: createTransport(core, (...args) => globalThis.fetch(...args)),
    now: () => Date.now(),
    setTimeout: (...args) => globalThis.setTimeout(...args),
    clearTimeout: (...args) => globalThis.clearTimeout(...args),
    random: () => Math.random(),
  };
}

// One function per export beyond the core's, so that a bundler drops what a page does not import
// (the ES module entries call them with /* @__PURE__ */).
/** The `CvmClient` class over `core`. */
export function clientClass(core, runtime) {
  return createClient(core, runtime).CvmClient;
}
/** `cvmRoleCredentials` over `core`. */
export function roleCredentials(core, runtime) {
  return createCvmRole(core, runtime).cvmRoleCredentials;
}

/**
 * @param {object} wasm the wasm-bindgen exports; called only once `ready()` is true
 * @param {{ ready: () => boolean, constants: { VERSION: string, MAX_IMAGE_IDS_PER_CALL: number, KNOWN_REGIONS: string[] } }} env
 */
export function createApi(wasm, { ready, constants }) {
  const core = createCore(wasm, { ready, constants });
  const runtime = createRuntime(core);
  return Object.assign(core, createClient(core, runtime), createCvmRole(core, runtime));
}
