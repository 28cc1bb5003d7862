// The package's one way onto the network: every request it makes (CvmClient's signed calls,
// cvmRoleCredentials' metadata reads, the console's forwarding, ConsoleClient, federationToken's
// STS call) goes through send(), which never follows a redirect and owns the per-exchange timer.
// A signed request goes to the host it was signed for or nowhere: a redirect to another host would
// hand it the X-TC-Token header and the body, or with a v1 signature the whole signed form
// (SecretId, Token, a replayable Signature). `redirect: 'manual'` (not 'error', which workerd
// refuses before sending, and which would look like an unreachable server) makes fetch resolve the
// 3xx itself — in browsers an opaque redirect, status 0 — and the core's decoders read that as
// ClientError.Redirect. An ES module that imports nothing (see api.js).

// Where fetch puts why a connection failed (Node's undici: `error.cause.code`; browsers tell
// nothing). The one table of which codes mean what:
//   not sent     the connection was never made, so the request reached no server (the client
//                may call the outcome known: nothing happened)
//   unreachable  not sent, or the peer reset the connection: nothing is listening there that
//                speaks HTTP (cvmRoleCredentials: "this is not a CVM instance")
// A reset after sending (ECONNRESET) proves nothing about whether the server acted.
const NOT_SENT_CAUSES = /* @__PURE__ */ new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const UNREACHABLE_CAUSES = /* @__PURE__ */ new Set([...NOT_SENT_CAUSES, 'ECONNRESET']);

/** A failed fetch's classes: `{ code, notSent, unreachable }` (`code` undefined when none given). */
export function classifyNetworkError(cause) {
  const code = cause && cause.cause ? cause.cause.code : undefined;
  return { code, notSent: NOT_SENT_CAUSES.has(code), unreachable: UNREACHABLE_CAUSES.has(code) };
}

const globalTimers = {
  setTimeout: (...args) => globalThis.setTimeout(...args),
  clearTimeout: (...args) => globalThis.clearTimeout(...args),
};

export function createTransport(core, defaultFetch, timers = globalTimers) {
  const { isRedirectStatus } = core.internal;

  /**
   * One timed exchange: fetch(url, init) with `redirect: 'manual'` whatever init says, aborted
   * after `timeoutMs` (if given) or when the caller's `signal` aborts, and, with `read` ('text' or
   * 'arrayBuffer'), the body read under the same timer. `fetch`: a fetch given by the caller (e.g.
   * CvmClient's `fetch` option), else the runtime's. Never rejects for a network failure; resolves
   *   { ok: true, response, body }
   *   { ok: false, why: 'timeout' | 'aborted' | 'network', stage: 'connect' | 'read', cause,
   *     response (stage 'read'), code, notSent, unreachable }   (see classifyNetworkError)
   *   { ok: false, why: 'not-a-response', stage: 'answer', response }   (an injected fetch
   *     resolved something without a numeric status or the body method asked for)
   * 'timeout' wins over 'aborted' (the timer fired first), 'aborted' (the caller's signal) over
   * 'network'.
   */
  async function send(url, init, { fetch, timeoutMs, signal, read } = {}) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = timeoutMs === undefined ? undefined : timers.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = () => controller.abort();
    const listens = Boolean(signal) && typeof signal.addEventListener === 'function';
    if (listens) signal.addEventListener('abort', onCallerAbort, { once: true });
    const failure = (stage, cause, response) => ({
      ok: false,
      why: timedOut ? 'timeout' : signal && signal.aborted ? 'aborted' : 'network',
      stage,
      cause,
      response,
      ...classifyNetworkError(cause),
    });
    try {
      let response;
      try {
        response = await (fetch || defaultFetch)(url, { ...init, signal: controller.signal, redirect: 'manual' });
      } catch (cause) {
        return failure('connect', cause);
      }
      if (!read) return { ok: true, response, body: undefined };
      if (!response || typeof response.status !== 'number' || typeof response[read] !== 'function') {
        return { ok: false, why: 'not-a-response', stage: 'answer', response };
      }
      try {
        return { ok: true, response, body: await response[read]() };
      } catch (cause) {
        return failure('read', cause, response);
      }
    } finally {
      if (timer !== undefined) timers.clearTimeout(timer);
      if (listens && typeof signal.removeEventListener === 'function') signal.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Whether a Response is a redirect: a 3xx, or a browser's opaque redirect (status 0). */
  function isRedirect(response) {
    return response.type === 'opaqueredirect' || isRedirectStatus(response.status);
  }

  /**
   * The origin (scheme, host, port) a redirect points to, resolved against the request's URL —
   * never its path or query, which may carry anything; undefined when it is not a redirect or the
   * runtime does not show where it points (a browser's opaque redirect has no headers).
   */
  function redirectOrigin(response, url) {
    if (!isRedirect(response)) return undefined;
    try {
      const location = response.headers && typeof response.headers.get === 'function' ? response.headers.get('location') : null;
      if (typeof location !== 'string' || location === '') return undefined;
      const { origin } = new URL(location, url);
      return origin === 'null' ? undefined : origin;
    } catch {
      return undefined;
    }
  }

  /** A response header, or undefined (an injected fetch's answer may have no Headers). */
  function header(response, name) {
    return response && response.headers && typeof response.headers.get === 'function' ? response.headers.get(name) ?? undefined : undefined;
  }

  /**
   * Network errors in Node wrap the useful part in `cause` (e.g. ECONNRESET): `message (inner)`;
   * never request data.
   */
  function describeCause(error) {
    if (!error) return 'unknown error';
    const inner = error.cause && (error.cause.code || error.cause.message);
    return inner ? `${error.message} (${inner})` : String(error.message || error);
  }

  /** The inner reason alone (`cause.code` or `cause.message`), cut to `max`; '' when none. */
  function innerCause(error, max = 200) {
    const inner = error && error.cause && (error.cause.code || error.cause.message);
    return inner ? String(inner).slice(0, max) : '';
  }

  /** Scheme, host, port and path of a URL — never its query, which may carry a v1 signature. */
  function where(url, fallback) {
    try {
      const u = new URL(url);
      return `${u.origin}${u.pathname}`;
    } catch {
      return fallback;
    }
  }

  return Object.freeze({ send, isRedirect, redirectOrigin, header, describeCause, innerCause, where });
}

/**
 * Concatenates byte chunks whose lengths add up to `size` into one Uint8Array (the console's
 * body readers, node-listener.js and console-handler.js).
 */
export function concat(chunks, size) {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
