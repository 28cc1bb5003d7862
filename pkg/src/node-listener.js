// toNodeListener: a web-platform handler `(Request) => Promise<Response>` as a Node `http`
// listener `(req, res, next?)`, for node:http, Express, Koa (app.use((ctx) => listener(ctx.req,
// ctx.res))), Fastify (reply.hijack()) and Connect-style middleware such as Vite's dev server.
// It imports only the byte concatenation (transport.js) and touches only `req`/`res` duck-typed
// and the runtime's Request/Response classes.
import { concat } from './transport.js';

export function createNodeListener() {
  // Bodies beyond this are not read whole: the handler answers 413 from the first byte over its own
  // limit, which is at most the API's 10 MB.
  const MAX_READ_BYTES = 10 * 1024 * 1024 + 1;
  // A body that takes longer than this to arrive is not waited for (408).
  const READ_TIMEOUT_MS = 30_000;

  function readBody(req, limit) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        reject(Object.assign(new Error('the request body did not arrive in time'), { timedOut: true }));
      }, READ_TIMEOUT_MS);
      timer.unref?.();
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(chunks.length === 1 ? chunks[0] : concat(chunks, size));
      };
      req.on('data', (chunk) => {
        if (done) return;
        const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
        size += bytes.byteLength;
        chunks.push(bytes);
        // Over the limit: what was read shows the handler the body is too large; the rest is
        // drained unread, so the client still gets the answer.
        if (size > limit) {
          finish();
          req.resume?.();
        }
      });
      req.on('end', finish);
      req.on('error', (error) => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          reject(error);
        }
      });
    });
  }

  function plain(res, status, text) {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': new TextEncoder().encode(text).byteLength, 'x-content-type-options': 'nosniff' });
    res.end(text);
  }

  /**
   * `handler`: `(Request) => Promise<Response>`; if it has `handles(pathname)` (consoleHandler's
   * has) and the listener is given `next`, other paths go to `next()` untouched.
   */
  function toNodeListener(handler) {
    if (typeof handler !== 'function') throw new TypeError('toNodeListener(handler): handler must be a function (Request) => Promise<Response>');
    return async function listener(req, res, next) {
      const target = typeof req.url === 'string' ? req.url : '/';
      const q = target.indexOf('?');
      const pathname = q === -1 ? target : target.slice(0, q);
      if (typeof next === 'function' && typeof handler.handles === 'function' && !handler.handles(pathname)) return next();
      // Only origin-form targets ("/path?query"): an absolute-form one ("http://other/…") must not
      // name the URL's authority.
      if (!target.startsWith('/') || target.startsWith('//')) return plain(res, 400, '400: the request target must be a path\n');
      // The path as sent must be the path the handler will see: a URL parser resolves "..",
      // "%2e%2e" and "\\", so "/x/../cvm" would reach the console past a guard in front of it
      // that matches the raw path.
      let normal;
      try {
        normal = new URL(pathname, 'http://console.invalid').pathname;
      } catch {
        normal = undefined;
      }
      if (normal !== pathname) return plain(res, 400, '400: the request path must be in normal form (no "..", "%2e" or "\\" segments)\n');
      const headers = new Headers();
      for (let i = 0; i + 1 < (req.rawHeaders ?? []).length; i += 2) {
        try {
          headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
        } catch {
          return plain(res, 400, '400: a request header is malformed\n');
        }
      }
      if (!req.rawHeaders) {
        for (const [name, value] of Object.entries(req.headers ?? {})) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
        }
      }
      // The URL's authority is a fixed placeholder: the handler judges the Host header itself,
      // exactly as sent (a URL parser would rewrite 2130706433 or 127.1 into 127.0.0.1).
      const url = `http://console.invalid${target}`;
      const controller = new AbortController();
      res.on?.('close', () => {
        if (!res.writableEnded) controller.abort();
      });
      const method = req.method ?? 'GET';
      // A path that is not the console's needs no body (its answer is a refusal): none is read.
      // The console's own is read up to the handler's limit, plus one byte to show it is over.
      const ours = typeof handler.handles !== 'function' || handler.handles(pathname);
      const limit = Number.isSafeInteger(handler.maxBodyBytes) ? handler.maxBodyBytes + 1 : MAX_READ_BYTES;
      let body;
      try {
        if (method !== 'GET' && method !== 'HEAD') {
          if (ours) body = await readBody(req, limit);
          else req.resume?.();
        }
      } catch (error) {
        if (error && error.timedOut) {
          plain(res, 408, '408: the request body did not arrive in time\n');
          return req.destroy?.();
        }
        return res.destroy?.();
      }
      let response;
      try {
        response = await handler(new Request(url, { method, headers, body, signal: controller.signal }));
      } catch {
        return plain(res, 500, '500: the handler failed\n');
      }
      const out = {};
      response.headers.forEach((value, name) => {
        out[name] = value;
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      out['content-length'] = bytes.byteLength;
      res.writeHead(response.status, out);
      res.end(method === 'HEAD' ? undefined : bytes);
    };
  }

  return { toNodeListener };
}
