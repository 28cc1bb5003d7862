// cvmRoleCredentials(): a credentials provider for CvmClient that reads the temporary key of the
// CAM role bound to this CVM instance from the instance metadata service. An ES module that imports
// nothing (see api.js); it needs only the transport (fetch that never follows a redirect) and
// timers, so it runs wherever the client does, though the metadata service answers only on a CVM
// instance (plain http, link-local). Its code is the catalogue's (codes.js); which connection
// errors mean "unreachable" is the transport's (transport.js).
import { CODES } from './codes.js';

export function createCvmRole(core, runtime) {
  const CODE = CODES.credentials;
  const { checkCvmRoleOptions, cvmRoleName } = core.internal;
  const fail = (message) => core.internal.clientError(CODE, message);

  /**
   * A provider of the temporary key of the CAM role bound to this CVM instance:
   * `{ getCredential() }` resolving `{ secretId, secretKey, token, expiration }`, or rejecting with
   * a `TencentCloudError` `ClientError.Credentials` that says what went wrong (never a secret).
   */
  function cvmRoleCredentials(options = {}) {
    // The core checks the options (defaults, the metadata path) and role names.
    const { roleName, rolesUrl: base, timeoutMs } = checkCvmRoleOptions(options);

    // GET url → body text; the errors say which metadata step failed and why.
    async function get(url, what) {
      // The transport follows no redirect: credentials come from the metadata service itself
      // (the 3xx is seen and reported as such below). The body is read under the same timer.
      const sent = await runtime.transport.send(url, {}, { timeoutMs, read: 'text' });
      if (sent.stage === 'connect') {
        if (sent.why === 'timeout') {
          throw fail(`no answer from the CVM metadata service at ${base} within ${timeoutMs} ms: this is not a CVM instance, or the metadata service is unreachable`);
        }
        const { cause, code } = sent;
        const why = code || (cause && cause.message) || 'network error';
        throw fail(`cannot reach the CVM metadata service at ${base} (${String(why).slice(0, 100)})`
          + `${sent.unreachable || !code ? ': this is not a CVM instance, or the metadata service is unreachable' : ''}`);
      }
      const { response } = sent;
      if (runtime.transport.isRedirect(response)) {
        throw fail(`the CVM metadata service answered a redirect${response.status ? ` (HTTP ${response.status})` : ''} for ${what}; credentials are read only from the service itself`);
      }
      if (response.status === 404) {
        throw fail(roleName === undefined && url === base
          ? `the CVM metadata service at ${base} knows no CAM role: no role is bound to this instance`
          : `the CVM metadata service has no credentials for ${what}: is that role bound to this instance?`);
      }
      if (response.status < 200 || response.status > 299) {
        throw fail(`the CVM metadata service answered HTTP ${response.status} for ${what}`);
      }
      if (!sent.ok) {
        throw fail(`the CVM metadata service's answer for ${what} broke off${sent.why === 'timeout' ? ` (no complete answer within ${timeoutMs} ms)` : ''}`);
      }
      return sent.body;
    }

    async function discoverRole() {
      const name = cvmRoleName(await get(base, 'the role name'));
      if (name === undefined) {
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
