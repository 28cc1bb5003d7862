// The package's one way onto the network: every request it makes (CvmClient's signed calls,
// cvmRoleCredentials' metadata reads) goes through send(), which never follows a redirect. A
// signed request goes to the host it was signed for or nowhere: a redirect to another host would
// hand it the X-TC-Token header and the body, or with a v1 signature the whole signed form
// (SecretId, Token, a replayable Signature). `redirect: 'manual'` (not 'error', which workerd
// refuses before sending, and which would look like an unreachable server) makes fetch resolve the
// 3xx itself — in browsers an opaque redirect, status 0 — and the core's decoders read that as
// ClientError.Redirect. An ES module that imports nothing (see api.js).
export function createTransport(core, defaultFetch) {
  const { isRedirectStatus } = core.internal;

  /**
   * fetch(url, init) with `redirect: 'manual'`, whatever init says; `fetchImpl`: a fetch given by
   * the caller (CvmClient's `fetch` option), else the runtime's.
   */
  function send(url, init, fetchImpl) {
    return (fetchImpl || defaultFetch)(url, { ...init, redirect: 'manual' });
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

  return Object.freeze({ send, isRedirect, redirectOrigin });
}
