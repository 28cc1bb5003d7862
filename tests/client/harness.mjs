// Shared by the client suites: the built package, a scripted fetch stub, and emulator helpers.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const pkg = createRequire(import.meta.url)('../../pkg/node.cjs');
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'pkg', 'bin', 'tccvm.cjs');

/** Fake credentials for stub tests; the key is distinctive so a leak is easy to grep for. */
export const STUB_CREDENTIALS = Object.freeze({
  secretId: 'AKIDstubstubstubstubstubstubstub0000',
  secretKey: 'stub-SECRET-key-never-printed-0123',
});

export function envelope(fields = {}, requestId = 'req-ok') {
  return JSON.stringify({ Response: { ...fields, RequestId: requestId } });
}

export function errorEnvelope(code, message = `${code} happened`, requestId = `req-${code}`) {
  return JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
}

/**
 * A fetch that plays a script, one step per call. A step is
 *   { status?, body, headers? }        → a Response
 *   { networkError: 'ECONNRESET' }     → rejects like undici does (TypeError with cause.code)
 *   { hang: true }                     → never answers until the request's signal aborts
 *   (init) => step                     → computed from the request
 * The last step repeats. `calls` records every request (url, method, headers, body, time).
 */
export function scriptedFetch(steps) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, ...init, at: Date.now() });
    let step = steps[Math.min(calls.length - 1, steps.length - 1)];
    if (typeof step === 'function') step = step(init, calls.length);
    if (step.networkError) {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(step.networkError), { code: step.networkError }) });
    }
    if (step.hang) {
      return new Promise((_, reject) => {
        const abort = () => reject(new DOMException('This operation was aborted', 'AbortError'));
        if (init.signal.aborted) abort();
        init.signal.addEventListener('abort', abort, { once: true });
      });
    }
    return new Response(step.body ?? '', { status: step.status ?? 200, headers: step.headers ?? { 'content-type': 'application/json' } });
  };
  return { fetch, calls };
}

export function stubClient(steps, options = {}) {
  const script = scriptedFetch(steps);
  const client = new pkg.CvmClient({ ...STUB_CREDENTIALS, region: 'ap-guangzhou', fetch: script.fetch, ...options });
  return { client, calls: script.calls };
}

/** Resolves the error a promise rejects with (fails if it resolves). */
export async function rejectionOf(promise) {
  try {
    const value = await promise;
    throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (error) {
    return error;
  }
}

/** Runs the CLI as a child process with exactly `env`; resolves {code, stdout, stderr}. */
export function runCli(args, { env, input = '' }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`) and types `answer` + Enter at its first
 * [y/N] question; resolves {code, output}.
 */
export function runCliInTerminal(args, { env, answer }) {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env });
    let output = '';
    let answered = false;
    child.stdout.on('data', (d) => {
      output += d;
      if (/\[y\/N\]/.test(output) && !answered) {
        child.stdin.write(`${answer}\n`);
        answered = true;
      }
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}
