// The one local server that `npm start` runs: the page (www/), the package (pkg/), the CVM emulator
// (/emulator/…), the console handler in sign mode (/cvm: the server signs with the emulator's demo
// key, which the page never sees; /cvm/credentials: scoped temporary keys from the emulator's STS;
// /cvm-forward: forward mode, the page's signed requests sent on to the emulator)
// and a same-origin forwarding proxy to the real API (/proxy/<host>/…).
//
// Why a proxy: Tencent Cloud API endpoints answer no CORS preflight (tencent-api-3.md §3), so a page
// cannot call them directly. The proxy forwards the signed request unchanged (the signature covers
// `host` and `content-type`, so it must not touch them beyond setting Host to the signed host).

import http from 'node:http';
import https from 'node:https';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator, HTTP_SERVER_OPTIONS } from '../emulator/emulator.mjs';
import { hostCheck, listen } from '../emulator/http-io.mjs';
import { consoleHandler, federationToken, toNodeListener } from '../pkg/console.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_WWW_ROOT = HERE;
const DEFAULT_PKG_ROOT = path.resolve(HERE, '..', 'pkg');

/** Hosts the proxy may reach: Tencent Cloud API domains only, so it is not an open relay. */
export const PROXY_HOST_PATTERN = /^[a-z0-9.-]+\.tencentcloudapi\.com$/;

// The page needs WebAssembly compilation ('wasm-unsafe-eval') and nothing looser. connect-src lists the
// places a custom endpoint can sensibly point at from a browser (loopback proxies, Tencent domains).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' http://127.0.0.1:* http://localhost:* https://*.tencentcloudapi.com",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded.
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

const PROXY_TIMEOUT_MS = 30_000;

function securityHeaders() {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...securityHeaders(),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function sendText(res, status, text) {
  res.writeHead(status, {
    ...securityHeaders(),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Maps a URL path below a mount point to a file inside `root`, or null when the path would leave it.
 * Decoding happens once, before the check, so `%2e%2e%2f` cannot slip past it.
 */
export function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return null;
  const full = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  const rootResolved = path.resolve(root);
  if (full !== rootResolved && !full.startsWith(rootResolved + path.sep)) return null;
  return full;
}

async function serveStatic(req, res, root, urlPath, { index = false } = {}) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, 'method not allowed\n');
  }
  let file = resolveInside(root, urlPath);
  if (file === null) return sendText(res, 403, 'forbidden\n');
  let stat;
  try {
    stat = await fs.stat(file);
    if (stat.isDirectory()) {
      if (!index) return sendText(res, 404, 'not found\n');
      file = path.join(file, 'index.html');
      stat = await fs.stat(file);
    }
  } catch {
    return sendText(res, 404, 'not found\n');
  }
  if (!stat.isFile()) return sendText(res, 404, 'not found\n');
  // Symlinks could point out of the root: check the real path too.
  const real = await fs.realpath(file);
  const realRoot = await fs.realpath(root);
  if (!real.startsWith(realRoot + path.sep)) return sendText(res, 403, 'forbidden\n');

  const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, {
    ...securityHeaders(),
    'Content-Type': type,
    'Content-Length': stat.size,
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') return res.end();
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** The first key pair the emulator accepts that needs no session token. */
export function demoCredentials(emulator) {
  const pair = emulator.credentials.find((c) => !c.token) ?? emulator.credentials[0];
  return pair ? { secretId: pair.secretId, secretKey: pair.secretKey, ...(pair.token ? { token: pair.token } : {}) } : {};
}

function defaultProxyUpstream(host) {
  return `https://${host}`;
}

/**
 * Where the proxy sends `/proxy/<host><rest>`: the upstream's origin (fixed by the allow-listed host
 * alone) with `rest` as path and query, set through the URL setters so that nothing in `rest` can
 * name another authority or scheme. `rest` starts with `/`. Returns `{target}`, or `{refused}` (a
 * reason) when a URL parser would read `rest` as anything but a path on that origin (`//other/…`,
 * `/\other`, …): such a request is refused rather than forwarded as a strange path.
 * Throws when `upstreamBase` is not an http(s) URL.
 */
export function proxyTarget(upstreamBase, rest) {
  const upstream = new URL(upstreamBase);
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') {
    throw new TypeError(`the proxy upstream must be an http(s) URL, not ${upstream.protocol}`);
  }
  const q = rest.indexOf('?');
  const target = new URL(upstream.origin);
  target.pathname = q === -1 ? rest : rest.slice(0, q);
  target.search = q === -1 ? '' : rest.slice(q);

  let readAs;
  try {
    readAs = new URL(rest, upstream).origin;
  } catch {
    readAs = 'no valid URL';
  }
  if (target.origin !== upstream.origin || readAs !== upstream.origin) {
    return { refused: `the path after the host must be a path and query on ${upstream.origin}; a URL parser reads ${JSON.stringify(rest.slice(0, 200))} as ${readAs}` };
  }
  return { target };
}

/**
 * Another site's Origin, which the proxy refuses: `{origin, own}`; null when the request has no Origin
 * (curl, Node) or this server's own, `http://` or `https://` plus the Host it was sent to (the page).
 */
function crossOrigin(req) {
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  const host = req.headers.host.toLowerCase();
  const own = [`http://${host}`, `https://${host}`];
  return own.includes(origin.toLowerCase()) ? null : { origin, own: own[0] };
}

/**
 * Forwards `/proxy/<host>/<rest>` to `<upstream(host)>/<rest>`: method, body and every request header
 * unchanged but Host (set to the signed host) and hop-by-hop headers; status, headers and body back.
 */
function proxy(req, res, host, rest, proxyUpstream) {
  const foreign = crossOrigin(req);
  if (foreign) {
    return sendJson(res, 403, {
      error: 'ProxyCrossOrigin',
      message: `the proxy serves only pages of ${foreign.own}, not a request from Origin ${JSON.stringify(foreign.origin.slice(0, 200))}`,
    });
  }
  if (!PROXY_HOST_PATTERN.test(host)) {
    return sendJson(res, 403, {
      error: 'ProxyHostNotAllowed',
      message: `the proxy only forwards to *.tencentcloudapi.com hosts, not ${JSON.stringify(host)}`,
    });
  }
  let built;
  try {
    built = proxyTarget(proxyUpstream(host), rest);
  } catch (err) {
    return sendJson(res, 502, { error: 'ProxyUpstreamInvalid', message: String(err.message), host });
  }
  if (built.refused) {
    return sendJson(res, 400, { error: 'ProxyPathNotAllowed', message: built.refused, host });
  }
  const { target } = built;
  // Named in errors: where the proxy actually connected (the query is left out: it can be 32 KB).
  const attempted = `${target.origin}${target.pathname}`;
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (HOP_BY_HOP.has(name) || name === 'host') continue;
    headers[name] = value;
  }
  headers.host = host;

  const transport = target.protocol === 'https:' ? https : http;
  // node:http(s) follows no redirect: an upstream 3xx goes back to the page as it came, and the
  // page's fetch (the built request's `redirect: 'manual'`) does not follow it either.
  const upstreamReq = transport.request(target, { method: req.method, headers, servername: host });
  let answered = false;
  const fail = (status, error, message) => {
    if (answered) return res.destroy();
    answered = true;
    sendJson(res, status, { error, message, host, target: attempted });
  };
  upstreamReq.setTimeout(PROXY_TIMEOUT_MS, () => {
    upstreamReq.destroy(Object.assign(new Error('upstream timed out'), { code: 'ETIMEDOUT' }));
  });
  upstreamReq.on('error', (err) => {
    const detail = err.code ? `${err.code}: ${err.message}` : err.message;
    if (err.code === 'ETIMEDOUT') fail(504, 'ProxyUpstreamTimeout', `no answer from ${attempted} within ${PROXY_TIMEOUT_MS / 1000} s`);
    else fail(502, 'ProxyUpstreamUnreachable', `cannot reach ${attempted} (${detail})`);
  });
  upstreamReq.on('response', (upstreamRes) => {
    answered = true;
    const out = {};
    for (const [name, value] of Object.entries(upstreamRes.headers)) {
      if (!HOP_BY_HOP.has(name)) out[name] = value;
    }
    res.writeHead(upstreamRes.statusCode ?? 502, out);
    upstreamRes.pipe(res);
    upstreamRes.on('error', () => res.destroy());
  });
  req.on('error', () => upstreamReq.destroy());
  req.pipe(upstreamReq);
}

/** The console path the page calls in sign mode; `${CONSOLE_PATH}/credentials` serves temporary keys. */
export const CONSOLE_PATH = '/cvm';
/** The console handler in forward mode: the page signs with a temporary key, sent on to the emulator. */
export const FORWARD_PATH = '/cvm-forward';
/** What the page may do through the console, and what the temporary keys it is given may do. */
export const CONSOLE_ACTIONS = Object.freeze(['DescribeImages', 'DescribeImageSharePermission', 'DeleteImages']);

/**
 * The console handler (tencentcloud-cvm-wasm/console) at CONSOLE_PATH: sign mode with the
 * emulator's permanent demo key, held here and never sent to the page, and temporary keys scoped
 * to CONSOLE_ACTIONS from the emulator's STS at `${CONSOLE_PATH}/credentials`. The demo has no
 * login: `authorize` lets every call through that passed the handler's own checks (a Host of this
 * server, no other site's Origin, the console path, an allowed action), on a loopback server whose
 * key opens nothing but its emulator. A real console checks its session there. At FORWARD_PATH,
 * the console in forward mode: requests the page signed (with that temporary key, X-TC-Action
 * signed) go on to the emulator, API headers only.
 */
function demoConsole({ url, emulator, allowedHosts }) {
  const forward = consoleHandler({ mode: 'forward', path: FORWARD_PATH, upstream: `${url}/emulator`, allowActions: [...CONSOLE_ACTIONS], allowedHosts });
  const credentials = demoCredentials(emulator);
  const endpoint = `${url}/emulator`;
  const region = 'ap-guangzhou';
  const newTokens = () => federationToken({ credentials, allowActions: [...CONSOLE_ACTIONS], region, endpoint, durationSeconds: 1800 });
  let tokens = newTokens();
  const handler = consoleHandler({
    path: CONSOLE_PATH,
    credentials,
    region,
    endpoint,
    allowActions: [...CONSOLE_ACTIONS],
    allowedHosts,
    authorize: () => true,
    temporaryCredentials: () => {
      // A reset of the emulator forgets the keys its STS issued: then the kept one is no use.
      if (emulator.sts.view().active === 0) tokens = newTokens();
      return tokens();
    },
  });
  const listeners = [[handler, toNodeListener(handler)], [forward, toNodeListener(forward)]];
  return {
    handles: (pathname) => listeners.some(([h]) => h.handles(pathname)),
    listener: (req, res, pathname) => listeners.find(([h]) => h.handles(pathname))[1](req, res),
  };
}

/**
 * Starts the server.
 * @param {object} [options]
 * @param {number} [options.port=8080] 0 picks a free port.
 * @param {string} [options.host='127.0.0.1']
 * @param {object} [options.emulatorOptions] passed to the emulator's `createEmulator`.
 * @param {(host: string) => string} [options.proxyUpstream] base URL the proxy forwards to for a host;
 *   default `https://<host>`. Tests point it at a local fake upstream.
 * @param {string} [options.wwwRoot] folder served at `/`; default this folder.
 * @param {string} [options.pkgRoot] folder served at `/pkg/`; default `../pkg`.
 * @param {string[]} [options.allowedHosts] Host names to answer besides 127.0.0.1, localhost and
 *   [::1] with this port (`name` or `name:port`); any other Host gets 403 (see hostCheck).
 * @returns {Promise<{url: string, port: number, host: string, emulator: object, server: import('node:http').Server, close: () => Promise<void>}>}
 */
export async function startServer({
  port = 8080,
  host = '127.0.0.1',
  emulatorOptions = {},
  proxyUpstream = defaultProxyUpstream,
  wwwRoot = DEFAULT_WWW_ROOT,
  pkgRoot = DEFAULT_PKG_ROOT,
  allowedHosts = [],
} = {}) {
  const refuseForeignHost = hostCheck({ listenHost: host, allowedHosts });
  const emulator = createEmulator(emulatorOptions);

  // Made once the server listens (its URL is the emulator's endpoint).
  let console_;
  const server = http.createServer(HTTP_SERVER_OPTIONS, (req, res) => {
    if (refuseForeignHost(req, res)) return;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);

    if (console_ && console_.handles(pathname)) {
      return console_.listener(req, res, pathname);
    }

    if (pathname === '/emulator' || pathname.startsWith('/emulator/')) {
      return emulator.handle(req, res);
    }
    if (pathname.startsWith('/proxy/')) {
      const afterPrefix = url.slice('/proxy/'.length);
      const cut = afterPrefix.search(/[/?]/);
      const targetHost = (cut === -1 ? afterPrefix : afterPrefix.slice(0, cut)).toLowerCase();
      let rest = cut === -1 ? '/' : afterPrefix.slice(cut);
      if (rest.startsWith('?')) rest = '/' + rest;
      return proxy(req, res, targetHost, rest, proxyUpstream);
    }
    // The emulator's permanent demo key pair, so the page pre-fills it without a copy of its own.
    // It opens nothing but this emulator.
    if (pathname === '/demo-credentials.json') {
      return sendJson(res, 200, demoCredentials(emulator));
    }
    if (pathname === '/pkg' || pathname.startsWith('/pkg/')) {
      return serveStatic(req, res, pkgRoot, pathname.slice('/pkg'.length) || '/');
    }
    return serveStatic(req, res, wwwRoot, pathname, { index: true });
  });

  // Keep-alive sockets would hold close() open: track them and end them on close.
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const { port: actualPort, url } = await listen(server, port, host);
  console_ = demoConsole({ url, emulator, allowedHosts });
  let closing = null;

  return {
    url,
    port: actualPort,
    host,
    emulator,
    server,
    close() {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
