// Helpers for the server suites. Requests sent as given: rawRequest through node:http (path and Host
// header untouched), wireRequest byte for byte on a TCP socket (no client in between to check the
// request target's characters or to add a Host header). spawnServer runs a server's script.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

/** A raw request: the path goes on the wire exactly as given (fetch would normalise `..`). */
export function rawRequest(base, { method = 'GET', path: p = '/', headers = {}, body } = {}) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method, path: p, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Writes `head` (the request line and headers, without the blank line) to 127.0.0.1:`port` with
 * `Connection: close`, reads until the server closes, and resolves {status, headers, body}
 * (status 0 when the server closed without an answer).
 */
export function wireRequest(port, head) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer within 10 s to ${JSON.stringify(head)}`)));
    socket.on('connect', () => socket.write(`${head}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...headerLines] = (split === -1 ? text : text.slice(0, split)).split('\r\n');
      const headers = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      resolve({ status, headers, body: split === -1 ? '' : text.slice(split + 4) });
    });
  });
}

/**
 * Runs `node script ...args` with `env` added to this process's and waits until its stdout matches
 * `ready`. Resolves {match, output(), exited, kill()}: `exited` resolves {code, signal}; kill() ends
 * it with SIGKILL if it still runs (call it in `finally`). Rejects, with the output, when the process
 * exits first or prints no match within 20 s.
 */
export async function spawnServer(script, args, env, ready) {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { out += c; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  try {
    const match = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing matching ${ready} printed:\n${out}`)), 20_000);
      child.stdout.on('data', () => {
        const m = ready.exec(out);
        if (m) { clearTimeout(timer); resolve(m); }
      });
      child.on('exit', () => { clearTimeout(timer); reject(new Error(`exited early:\n${out}`)); });
    });
    return { match, output: () => out, exited, kill, signal: (name) => child.kill(name) };
  } catch (error) {
    kill();
    throw error;
  }
}
