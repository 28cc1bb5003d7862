// The HTTP edge: reading a request's bytes and writing an answer. An "answer" is what the emulator
// decided to send — {status, contentType, body, outcome} — kept apart from the socket so that
// faults can spoil it (truncate it, or drop it) after it was decided.

export function splitTarget(target) {
  const question = target.indexOf('?');
  return question === -1
    ? { path: target, rawQuery: '' }
    : { path: target.slice(0, question), rawQuery: target.slice(question + 1) };
}

/**
 * Reads the whole body. Past `limit` bytes the rest is drained and dropped, so that the client
 * still gets an answer (RequestSizeLimitExceeded) instead of a broken pipe.
 */
export function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let ended = false;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      ended = true;
      resolve({ bytes: Buffer.concat(chunks), tooLarge: size > limit });
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!ended) reject(new Error('the client closed the connection before the body ended'));
    });
  });
}

/** An API 3.0 envelope as an answer: HTTP 200 JSON whatever the outcome (§4). */
export function jsonAnswer(envelope) {
  return {
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify(envelope),
    outcome: envelope.Response.Error?.Code ?? 'OK',
  };
}

/** Writes an answer. `dateMs` is the emulator clock, so the Date header carries its offset. */
export function send(res, { status, contentType, body }, dateMs) {
  if (res.destroyed || res.writableEnded) return;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': bytes.length,
    Date: new Date(dateMs).toUTCString(),
  });
  res.end(bytes);
}

/** Starts `server` listening on `host:port` (0 = a free port); resolves `{ port, url }`. */
export async function listen(server, port, host) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  return { port: actualPort, url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}` };
}

// ---- Host check (both servers) -------------------------------------------------------------------
// A server that answers whatever Host a request names is same-origin with any DNS-rebinding page
// (evil.example resolving to 127.0.0.1): the page could then read its answers and drive its proxy.
// So both servers answer only the names they are reached by on this machine, plus the names given
// on purpose by someone who exposes them (behind a reverse proxy, on a LAN address, …).

/** The environment variable with extra Host names, comma-separated (same syntax as `allowedHosts`). */
export const ALLOWED_HOSTS_ENV = 'TCCVM_ALLOWED_HOSTS';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARD_ADDRESSES = new Set(['', '0.0.0.0', '::', '[::]']);
// `name` or `name:port`; an IPv6 literal in brackets.
const HOST_ENTRY = /^(?:[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/** `TCCVM_ALLOWED_HOSTS` (or `value`) as a list: comma-separated, blanks dropped. */
export function allowedHostsFromEnv(value = process.env[ALLOWED_HOSTS_ENV]) {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** The listen address as a Host names it: an IPv6 address in brackets. */
function hostName(address) {
  const lower = address.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/**
 * The Host check of a server listening on `listenHost`: a function `(req, res) => boolean` that
 * answers 403 with a one-line reason, and returns true, when the request's Host header is not one of
 * the server's own names. Own names: `127.0.0.1`, `localhost`, `[::1]` and the address it listens on
 * (unless a wildcard), each with the port the request came in on (bare when that port is 80); plus
 * `allowedHosts`: `name` allows that name with any port, `name:port` that port only.
 * Throws a TypeError naming a malformed entry (a URL, a path, spaces, …).
 */
export function hostCheck({ listenHost = '127.0.0.1', allowedHosts = [] } = {}) {
  const extra = allowedHosts.map((entry) => {
    const host = String(entry).trim().toLowerCase();
    if (!HOST_ENTRY.test(host)) {
      throw new TypeError(`allowed host ${JSON.stringify(String(entry))} must be a host name or address with an optional :port (e.g. demo.example.com, 192.168.1.5:8080 or [fd00::5]:8080)`);
    }
    return host;
  });
  const withPort = extra.filter((h) => /:\d+$/.test(h));
  const anyPort = new Set(extra.filter((h) => !/:\d+$/.test(h)));
  const own = WILDCARD_ADDRESSES.has(listenHost) ? LOOPBACK_NAMES : [...new Set([...LOOPBACK_NAMES, hostName(listenHost)])];

  return function refuseForeignHost(req, res) {
    const port = req.socket.localPort;
    const names = own.map((name) => `${name}:${port}`);
    const allowed = new Set([...names, ...withPort, ...(port === 80 ? own : [])]);
    const host = (req.headers.host ?? '').toLowerCase();
    if (allowed.has(host) || anyPort.has(host.replace(/:\d+$/, ''))) return false;

    const shown = req.headers.host === undefined ? 'no Host header' : `Host ${JSON.stringify(printable(req.headers.host))}`;
    const body = `403: ${shown} is not a name of this server (${names.join(', ')}); ` +
      `to serve it anyway, start it with --allowed-host NAME or ${ALLOWED_HOSTS_ENV}=NAME\n`;
    res.writeHead(403, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    res.end(body);
    return true;
  };
}

/** At most 100 printable ASCII characters of a header value, for an error message. */
function printable(value) {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}
