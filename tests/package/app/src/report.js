// Runs check() where the app runs (a page or a worker) with the emulator's URL from the location's
// query (`?api=`), and hands the outcome, or the error, to `post` (default: globalThis.__matrix,
// which the test reads).
import { check } from './check.js';

export function report(cvm, post = (outcome) => { globalThis.__matrix = outcome; }) {
  const endpoint = new URL(globalThis.location.href).searchParams.get('api');
  check(cvm, { endpoint }).then(post, (e) => post({ error: String((e && e.stack) || e) }));
}
