// The caller's AbortSignal in CvmClient's calls (one job): abortable waits, sleeps that end on
// abort, and the ClientError.Aborted each stage raises (its code is the catalogue's, codes.js).
// It runs on the runtime's timers, so it is as testable as the client.
import { CODES } from './codes.js';

export function createAborts(core, runtime) {
  const { clientError } = core.internal;

  // Resolves `promise`, or rejects with ClientError.Aborted as soon as the caller aborts.
  function abortable(promise, signal, stage) {
    if (!signal) return promise;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortedError(stage));
      const onAbort = () => reject(abortedError(stage));
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  function abortedError(stage) {
    return clientError(CODES.aborted, `the caller aborted the call ${stage}`);
  }

  function checkNotAborted(signal, stage) {
    if (signal && signal.aborted) throw abortedError(stage);
  }

  // Waits `ms`, rejecting with ClientError.Aborted as soon as the caller aborts.
  function sleep(ms, signal, stage) {
    return new Promise((resolve, reject) => {
      if (signal && signal.aborted) return reject(abortedError(stage));
      if (!(ms > 0)) return resolve();
      const onAbort = () => {
        runtime.clearTimeout(timer);
        reject(abortedError(stage));
      };
      const timer = runtime.setTimeout(() => {
        if (signal) signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      if (signal) signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  function requireSignal(callOptions) {
    const signal = callOptions ? callOptions.signal : undefined;
    if (signal === undefined || signal === null) return undefined;
    if (typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
      throw new TypeError('CvmClient: option `signal` must be an AbortSignal');
    }
    return signal;
  }

  return { abortable, abortedError, checkNotAborted, sleep, requireSignal };
}
