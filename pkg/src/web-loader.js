// Loading state of the wasm-bindgen web glue, shared by the ES module entries (web.js,
// browser.js, workerd.js): they differ only in where the .wasm comes from.
import initGlue, { initSync } from '../gen/web/cvm.js';

/** null: not loaded; a Promise: loading; true: loaded. */
let state = null;

/** Whether the module is loaded (the API refuses calls until it is). */
export const loaded = () => state === true;

/**
 * Loads the module once from a URL, Response, bytes or WebAssembly.Module; later calls return the
 * same promise (or a resolved one), whatever they are given. A failed load can be retried.
 */
export function load(input) {
  if (state === true) return Promise.resolve();
  if (!state) {
    state = initGlue({ module_or_path: input }).then(
      () => {
        state = true;
      },
      (e) => {
        state = null;
        throw e;
      },
    );
  }
  return state;
}

/** Instantiates an already compiled module synchronously (runtimes that compile the .wasm for us). */
export function loadCompiled(module) {
  initSync({ module });
  state = true;
}
