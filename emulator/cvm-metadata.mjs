// The CVM instance metadata service's CAM role path, as an instance with a role bound sees it:
//   GET …/latest/meta-data/cam/security-credentials/        → the role's name (text/plain)
//   GET …/latest/meta-data/cam/security-credentials/<role>  → {TmpSecretId, TmpSecretKey, Token,
//        ExpiredTime (Unix s), Expiration (ISO), Code: "Success"} (the real service adds nothing we use)
// Each answer issues a fresh temporary key that the API verifier accepts with its token until it
// expires (then AuthFailure.TokenFailure); revoked or long-forgotten keys are unknown
// (AuthFailure.SecretIdNotFound).
import { randomBytes } from 'node:crypto';

const METADATA_PATH = /\/latest\/meta-data\/cam\/security-credentials\/([^/]*)$/;
/** Issued keys remembered (older ones become unknown, like deleted keys). */
const KEYS_KEPT = 1000;
const MAX_LIFETIME_SEC = 7 * 24 * 3600;
const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,128}$/;

export const DEFAULT_ROLE_NAME = 'emulator-cvm-role';
/** Real CVM role keys live for hours; tests make them short. */
export const DEFAULT_ROLE_LIFETIME_SEC = 7200;

/** The role name a metadata path asks for ('' for the list), or null for any other path. */
export function metadataRequest(path) {
  const match = METADATA_PATH.exec(path);
  return match ? decodeURIComponent(match[1]) : null;
}

function checkLifetime(seconds) {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_LIFETIME_SEC) {
    throw new TypeError(`roleLifetimeSec must be whole seconds from 1 to ${MAX_LIFETIME_SEC}`);
  }
  return seconds;
}

function checkRoleName(name) {
  if (name !== null && (typeof name !== 'string' || !ROLE_NAME.test(name))) {
    throw new TypeError('roleName must be a CAM role name (1-128 of letters, digits, +=,.@_-) or null (no role bound)');
  }
  return name;
}

/**
 * `nowSec()` is the emulator clock. `roleName` null means no role is bound (the list answers 404,
 * as on an instance without a role).
 */
export function createRoleIssuer({ nowSec, roleName = DEFAULT_ROLE_NAME, lifetimeSec = DEFAULT_ROLE_LIFETIME_SEC }) {
  const initial = { roleName: checkRoleName(roleName), lifetimeSec: checkLifetime(lifetimeSec) };
  let settings = { ...initial };
  let keys = [];
  let issuedCount = 0;

  const text = (status, body) => ({ status, contentType: 'text/plain; charset=utf-8', body, outcome: `metadata-${status}` });

  function issue() {
    issuedCount += 1;
    const key = {
      secretId: `AKIDemulatorRole${randomBytes(12).toString('hex')}`,
      secretKey: randomBytes(24).toString('base64url'),
      token: randomBytes(48).toString('base64url'),
      expiresAt: nowSec() + settings.lifetimeSec,
    };
    keys.push(key);
    if (keys.length > KEYS_KEPT) keys = keys.slice(-KEYS_KEPT);
    return key;
  }

  return {
    /** Answers GET …/security-credentials/[role]: {status, contentType, body, outcome}. */
    answer(method, role) {
      if (method !== 'GET') return text(405, 'method not allowed');
      if (settings.roleName === null || (role !== '' && role !== settings.roleName)) return text(404, 'Not Found');
      if (role === '') return text(200, settings.roleName);
      const key = issue();
      const body = {
        TmpSecretId: key.secretId,
        TmpSecretKey: key.secretKey,
        Token: key.token,
        ExpiredTime: key.expiresAt,
        Expiration: new Date(key.expiresAt * 1000).toISOString().replace('.000Z', 'Z'),
        Code: 'Success',
      };
      return { status: 200, contentType: 'application/json', body: JSON.stringify(body), outcome: 'metadata-key' };
    },
    /** Keys the verifier knows: {secretId, secretKey, token, expiresAt}. */
    keys: () => keys,
    /** {roleName, lifetimeSec, issued, active} (no secret). */
    view() {
      const now = nowSec();
      return { ...settings, issued: issuedCount, active: keys.filter((k) => k.expiresAt > now).length };
    },
    /** {roleName?, lifetimeSec?, revoke?}: bind another role (null: none), change the lifetime of keys issued from now on, forget every issued key. */
    configure({ roleName: name, lifetimeSec: life, revoke } = {}) {
      const next = { ...settings };
      if (name !== undefined) next.roleName = checkRoleName(name);
      if (life !== undefined) next.lifetimeSec = checkLifetime(life);
      if (revoke !== undefined && typeof revoke !== 'boolean') throw new TypeError('revoke must be true or false');
      settings = next;
      if (revoke) keys = [];
    },
    reset() {
      settings = { ...initial };
      keys = [];
      issuedCount = 0;
    },
  };
}
