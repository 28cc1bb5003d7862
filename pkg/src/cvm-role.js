// cvmRoleCredentials(): a credentials provider for CvmClient that reads the temporary key of the
// CAM role bound to this CVM instance from the instance metadata service. An ES module that imports
// nothing (see api.js); it needs only fetch and timers, so it runs wherever the client does, though
// the metadata service answers only on a CVM instance (plain http, link-local).
export function createCvmRole(core, runtime) {
  const DEFAULT_METADATA_URL = 'http://metadata.tencentyun.com';
  // GET <base>/ answers the bound role's name (text); GET <base>/<role> its temporary key (JSON).
  const ROLE_PATH = '/latest/meta-data/cam/security-credentials/';
  const DEFAULT_TIMEOUT_MS = 3000;
  const OPTIONS = ['roleName', 'metadataUrl', 'timeoutMs'];
  // CAM role names: up to 128 of letters, digits and + = , . @ _ -.
  const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,128}$/;
  const CODE = 'ClientError.Credentials';
  // Where fetch puts why a connection failed (Node's undici: error.cause.code).
  const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

  const invalid = (field, code, message) => new core.ValidationError({ field, code, message });
  const fail = (message) => core.internal.clientError(CODE, message);

  function checkOptions(options) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw invalid('options', 'InvalidParameter', 'cvmRoleCredentials: options must be an object such as { roleName }');
    }
    for (const name of Object.keys(options)) {
      if (OPTIONS.includes(name)) continue;
      const near = core.internal.suggestName(name, OPTIONS);
      throw invalid(name.slice(0, 64), 'UnknownParameter', `cvmRoleCredentials: unknown option ${JSON.stringify(name.slice(0, 64))}`
        + (near ? `; did you mean ${near}?` : `; known: ${OPTIONS.join(', ')}`));
    }
    const { roleName, metadataUrl = DEFAULT_METADATA_URL, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
    if (roleName !== undefined && (typeof roleName !== 'string' || !ROLE_NAME.test(roleName))) {
      throw invalid('roleName', 'InvalidParameterValue', 'roleName must be a CAM role name: 1 to 128 letters, digits and + = , . @ _ -');
    }
    let url;
    try {
      url = typeof metadataUrl === 'string' ? new URL(metadataUrl) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
      throw invalid('metadataUrl', 'InvalidParameterValue', `metadataUrl must be an http(s) URL without query or credentials, such as ${DEFAULT_METADATA_URL}`);
    }
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      throw invalid('timeoutMs', 'InvalidParameterValue', 'timeoutMs must be a number > 0');
    }
    return { roleName, base: url.href.replace(/\/+$/, '') + ROLE_PATH, timeoutMs: Math.min(timeoutMs, 2147483647) };
  }

  /**
   * A provider of the temporary key of the CAM role bound to this CVM instance:
   * `{ getCredential() }` resolving `{ secretId, secretKey, token, expiration }`, or rejecting with
   * a `TencentCloudError` `ClientError.Credentials` that says what went wrong (never a secret).
   */
  function cvmRoleCredentials(options = {}) {
    // Like every export, usable once the module is loaded (its checks and the client need it).
    core.internal.ready();
    const { roleName, base, timeoutMs } = checkOptions(options);

    // GET url → body text; the errors say which metadata step failed and why.
    async function get(url, what) {
      const controller = new AbortController();
      let timedOut = false;
      const timer = runtime.setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      try {
        let response;
        try {
          response = await runtime.fetch(url, { signal: controller.signal, redirect: 'error' });
        } catch (cause) {
          const code = cause && cause.cause && cause.cause.code;
          if (timedOut) {
            throw fail(`no answer from the CVM metadata service at ${base} within ${timeoutMs} ms: this is not a CVM instance, or the metadata service is unreachable`);
          }
          const why = code || (cause && cause.message) || 'network error';
          throw fail(`cannot reach the CVM metadata service at ${base} (${String(why).slice(0, 100)})`
            + `${UNREACHABLE.has(code) || !code ? ': this is not a CVM instance, or the metadata service is unreachable' : ''}`);
        }
        if (response.status === 404) {
          throw fail(roleName === undefined && url === base
            ? `the CVM metadata service at ${base} knows no CAM role: no role is bound to this instance`
            : `the CVM metadata service has no credentials for ${what}: is that role bound to this instance?`);
        }
        if (response.status < 200 || response.status > 299) {
          throw fail(`the CVM metadata service answered HTTP ${response.status} for ${what}`);
        }
        try {
          return await response.text();
        } catch {
          throw fail(`the CVM metadata service's answer for ${what} broke off${timedOut ? ` (no complete answer within ${timeoutMs} ms)` : ''}`);
        }
      } finally {
        runtime.clearTimeout(timer);
      }
    }

    async function discoverRole() {
      const text = await get(base, 'the role name');
      const name = text.trim();
      if (!ROLE_NAME.test(name)) {
        throw fail(`the CVM metadata service at ${base} did not answer a role name (no role bound to this instance?)`);
      }
      return name;
    }

    async function getCredential() {
      const role = roleName !== undefined ? roleName : await discoverRole();
      const what = `role ${role}`;
      const text = await get(base + encodeURIComponent(role), what);
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (json === null || typeof json !== 'object' || Array.isArray(json)) {
        throw fail(`the CVM metadata service's answer for ${what} is not a JSON object`);
      }
      if (json.Code !== 'Success') {
        const code = typeof json.Code === 'string' ? JSON.stringify(json.Code.slice(0, 64)) : 'none';
        throw fail(`the CVM metadata service answered Code ${code} (not "Success") for ${what}`);
      }
      const missing = ['TmpSecretId', 'TmpSecretKey', 'Token'].filter((k) => typeof json[k] !== 'string' || json[k] === '');
      if (!Number.isSafeInteger(json.ExpiredTime)) missing.push('ExpiredTime');
      if (missing.length > 0) {
        throw fail(`the CVM metadata service's answer for ${what} lacks ${missing.join(', ')}`);
      }
      // ExpiredTime is Unix seconds; the client's core checks the rest (and that it is in the future).
      return { secretId: json.TmpSecretId, secretKey: json.TmpSecretKey, token: json.Token, expiration: json.ExpiredTime * 1000 };
    }

    return Object.freeze({ getCredential });
  }

  return { cvmRoleCredentials };
}
