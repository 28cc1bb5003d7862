// STS GetFederationToken (reference sts.md), as far as a console needs it: a permanent key asks
// for a temporary key scoped by a CAM policy; the verifiers accept that key with its token until it
// expires (then AuthFailure.TokenFailure), and a call outside its policy is answered
// UnauthorizedOperation after the signature checks, as CAM does.
import { randomBytes } from 'node:crypto';
import { ApiError } from './api-error.mjs';

export const STS_VERSION = '2018-08-13';
export const STS_SERVICE = 'sts';
const DEFAULT_DURATION_SEC = 1800;
const MAX_DURATION_SEC = 129600;
const KEYS_KEPT = 1000;
const NAME = /^[A-Za-z0-9_+=,.@-]{1,32}$/;

function asList(value, what, i) {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) {
    throw new ApiError('InvalidParameterValue', `Policy statement ${i}: ${what} must be a string or a non-empty array of strings.`);
  }
  return list;
}

/** Reads the URL-encoded CAM policy (version 2.0) into [{effect, action[], resource[]}]. */
export function readPolicy(encoded) {
  let policy;
  try {
    policy = JSON.parse(decodeURIComponent(encoded));
  } catch {
    throw new ApiError('InvalidParameterValue', 'Policy must be a URL-encoded CAM policy document (JSON).');
  }
  if (policy === null || typeof policy !== 'object' || policy.version !== '2.0' || !Array.isArray(policy.statement) || policy.statement.length === 0) {
    throw new ApiError('InvalidParameterValue', 'Policy must have version "2.0" and a non-empty statement array.');
  }
  return policy.statement.map((s, i) => {
    if (s === null || typeof s !== 'object') throw new ApiError('InvalidParameterValue', `Policy statement ${i} must be an object.`);
    if ('principal' in s) throw new ApiError('InvalidParameterValue', 'Policy may not contain principal.');
    if (s.effect !== 'allow' && s.effect !== 'deny') throw new ApiError('InvalidParameterValue', `Policy statement ${i}: effect must be "allow" or "deny".`);
    return { effect: s.effect, action: asList(s.action, 'action', i), resource: asList(s.resource, 'resource', i) };
  });
}

function actionMatches(pattern, service, action) {
  if (pattern === '*') return true;
  const [svc, name] = pattern.split(':');
  return svc === service && (name === '*' || name === action);
}

/** `*`, or qcs:project:service:region:account:resource whose service and region (when given) fit. */
function resourceMatches(pattern, service, region) {
  if (pattern === '*') return true;
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'qcs') return false;
  const [, , svc, reg] = parts;
  return (svc === '' || svc === service) && (reg === '' || reg === '*' || reg === region);
}

/** Whether `statements` let `service:action` in `region` through: an allow that fits and no deny. */
export function policyAllows(statements, service, action, region) {
  const fits = (s) => s.action.some((a) => actionMatches(a, service, action)) && s.resource.some((r) => resourceMatches(r, service, region));
  return !statements.some((s) => s.effect === 'deny' && fits(s)) && statements.some((s) => s.effect === 'allow' && fits(s));
}

/** The federation token issuer: `nowSec()` is the emulator clock. */
export function createStsIssuer({ nowSec }) {
  let keys = [];
  let issued = 0;

  /** GetFederationToken's Response fields. `caller`: the verified caller (a permanent key). */
  function getFederationToken(params, caller) {
    if (caller.temporary) {
      throw new ApiError('UnauthorizedOperation', 'GetFederationToken must be called with a permanent key, not a temporary one.');
    }
    const { Name: name, Policy: policy, DurationSeconds: duration = DEFAULT_DURATION_SEC, ...rest } = params;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw new ApiError('UnknownParameter', `The parameter ${unknown} is not defined for GetFederationToken.`);
    if (name === undefined || name === '') throw new ApiError('MissingParameter', 'The request is missing the required parameter Name.');
    if (typeof name !== 'string' || !NAME.test(name)) throw new ApiError('InvalidParameterValue', 'Name must be 1-32 letters, digits or _+=,.@-.');
    if (policy === undefined || policy === '') throw new ApiError('MissingParameter', 'The request is missing the required parameter Policy.');
    if (typeof policy !== 'string') throw new ApiError('InvalidParameter', 'Policy must be a string.');
    const seconds = Number(duration);
    if (!Number.isInteger(seconds) || seconds < 10 || seconds > MAX_DURATION_SEC) {
      throw new ApiError('InvalidParameterValue', `DurationSeconds must be whole seconds from 10 to ${MAX_DURATION_SEC}.`);
    }
    const statements = readPolicy(policy);
    issued += 1;
    const key = {
      secretId: `AKIDemulatorSts${randomBytes(12).toString('hex')}`,
      secretKey: randomBytes(24).toString('base64url'),
      token: randomBytes(48).toString('base64url'),
      expiresAt: nowSec() + seconds,
      policy: statements,
    };
    keys.push(key);
    if (keys.length > KEYS_KEPT) keys = keys.slice(-KEYS_KEPT);
    return {
      Credentials: { Token: key.token, TmpSecretId: key.secretId, TmpSecretKey: key.secretKey },
      ExpiredTime: key.expiresAt,
      Expiration: new Date(key.expiresAt * 1000).toISOString().replace('.000Z', 'Z'),
    };
  }

  return {
    getFederationToken,
    /** Keys the verifiers know: {secretId, secretKey, token, expiresAt, policy}. */
    keys: () => keys,
    /** {issued, active} (no secret). */
    view() {
      const now = nowSec();
      return { issued, active: keys.filter((k) => k.expiresAt > now).length };
    },
    reset() {
      keys = [];
      issued = 0;
    },
  };
}
