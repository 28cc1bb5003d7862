// The verifier's refusals, one per rule, on pure inputs (no server).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_CLOCK_SKEW_SEC, signTc3ForTests, verifyTc3 } from '../../emulator/tc3-verify.mjs';

const KEY = { secretId: 'AKIDtestTestTestTestTestTestTest0001', secretKey: 'testSecretKeyTestSecretKey000001' };
const TEMP = { secretId: 'AKIDtestTestTestTestTestTestTest0002', secretKey: 'testSecretKeyTestSecretKey000002', token: 'session-token-2' };
const T = 1_700_000_000; // 2023-11-14T22:13:20Z
const BODY = '{"ImageIds":["img-gznorm01"]}';

/** A valid request; `edit` changes it after signing. */
function request({ credential = KEY, signAction = false, timestamp = T, edit = (r) => r } = {}) {
  const signed = signTc3ForTests({
    secretId: credential.secretId,
    secretKey: credential.secretKey,
    host: 'cvm.tencentcloudapi.com',
    contentType: 'application/json',
    body: BODY,
    timestamp,
    action: 'DeleteImages',
    signAction,
  });
  return edit({
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      host: 'cvm.tencentcloudapi.com',
      'x-tc-action': 'DeleteImages',
      'x-tc-timestamp': String(timestamp),
      authorization: signed.authorization,
      ...(credential.token && { 'x-tc-token': credential.token }),
    },
    rawQuery: '',
    body: BODY,
    now: T,
    credentials: [KEY, TEMP],
  });
}

const withHeader = (name, value) => (r) => ({ ...r, headers: { ...r.headers, [name]: value } });
const withoutHeader = (name) => (r) => {
  const headers = { ...r.headers };
  delete headers[name];
  return { ...r, headers };
};
const editAuthorization = (change) => (r) => withHeader('authorization', change(r.headers.authorization))(r);
const codeOf = (verdict) => (verdict.ok ? 'OK' : verdict.code);

describe('verifyTc3 accepts', () => {
  test('a permanent key', () => assert.equal(codeOf(verifyTc3(request())), 'OK'));
  test('a temporary key with its token', () => {
    const verdict = verifyTc3(request({ credential: TEMP }));
    assert.equal(codeOf(verdict), 'OK');
    assert.equal(verdict.temporary, true);
  });
  test('x-tc-action signed', () => assert.equal(codeOf(verifyTc3(request({ signAction: true }))), 'OK'));
  test('header names in any case and values with surrounding spaces', () => {
    const edit = (r) => {
      const headers = { ...r.headers, 'Content-Type': ' application/json ', HOST: 'CVM.tencentcloudapi.com' };
      delete headers['content-type'];
      delete headers.host;
      return { ...r, headers };
    };
    assert.equal(codeOf(verifyTc3(request({ edit }))), 'OK');
  });
  test(`a timestamp exactly ${MAX_CLOCK_SKEW_SEC} s away`, () => {
    assert.equal(codeOf(verifyTc3(request({ edit: (r) => ({ ...r, now: T + MAX_CLOCK_SKEW_SEC }) }))), 'OK');
    assert.equal(codeOf(verifyTc3(request({ edit: (r) => ({ ...r, now: T - MAX_CLOCK_SKEW_SEC }) }))), 'OK');
  });
});

describe('verifyTc3 refuses', () => {
  const cases = [
    ['no Authorization', withoutHeader('authorization'), 'AuthFailure.InvalidAuthorization'],
    ['another algorithm', editAuthorization((a) => a.replace('TC3-HMAC-SHA256', 'TC3-HMAC-SHA1')), 'AuthFailure.InvalidAuthorization'],
    ['a short signature', editAuthorization((a) => a.slice(0, -1)), 'AuthFailure.InvalidAuthorization'],
    ['an upper-case signature', editAuthorization((a) => a.replace(/Signature=(\w+)/, (m, s) => `Signature=${s.toUpperCase()}`)), 'AuthFailure.InvalidAuthorization'],
    ['a scope without tc3_request', editAuthorization((a) => a.replace('tc3_request', 'tc2_request')), 'AuthFailure.InvalidAuthorization'],
    ['another service in the scope', editAuthorization((a) => a.replace('/cvm/', '/cbs/')), 'AuthFailure.InvalidAuthorization'],
    ['a scope date that is not the UTC date of the timestamp', editAuthorization((a) => a.replace('2023-11-14', '2023-11-15')), 'AuthFailure.SignatureFailure'],
    ['SignedHeaders without host', editAuthorization((a) => a.replace('content-type;host', 'content-type')), 'AuthFailure.InvalidAuthorization'],
    ['SignedHeaders without content-type', editAuthorization((a) => a.replace('content-type;host', 'host')), 'AuthFailure.InvalidAuthorization'],
    ['SignedHeaders out of order', editAuthorization((a) => a.replace('content-type;host', 'host;content-type')), 'AuthFailure.InvalidAuthorization'],
    ['a signed header that was not sent', editAuthorization((a) => a.replace('content-type;host', 'content-type;host;x-tc-region')), 'AuthFailure.InvalidAuthorization'],
    ['no X-TC-Timestamp', withoutHeader('x-tc-timestamp'), 'MissingParameter'],
    ['a non-numeric X-TC-Timestamp', withHeader('x-tc-timestamp', '17e8'), 'InvalidParameter'],
    ['a timestamp 301 s in the past', (r) => ({ ...r, now: T + MAX_CLOCK_SKEW_SEC + 1 }), 'AuthFailure.SignatureExpire'],
    ['a timestamp 301 s in the future', (r) => ({ ...r, now: T - MAX_CLOCK_SKEW_SEC - 1 }), 'AuthFailure.SignatureExpire'],
    ['an unknown SecretId', (r) => ({ ...r, credentials: [TEMP] }), 'AuthFailure.SecretIdNotFound'],
    ['a wrong SecretKey', (r) => ({ ...r, credentials: [{ ...KEY, secretKey: 'another' }] }), 'AuthFailure.SignatureFailure'],
    ['a changed body', (r) => ({ ...r, body: BODY.replace('norm01', 'norm02') }), 'AuthFailure.SignatureFailure'],
    ['one added byte of body', (r) => ({ ...r, body: `${BODY} ` }), 'AuthFailure.SignatureFailure'],
    ['a changed host', withHeader('host', 'cvm.intl.tencentcloudapi.com'), 'AuthFailure.SignatureFailure'],
    ['a changed content-type', withHeader('content-type', 'application/json; charset=utf-8'), 'AuthFailure.SignatureFailure'],
    ['a timestamp changed by one second', withHeader('x-tc-timestamp', String(T + 1)), 'AuthFailure.SignatureFailure'],
    ['another method', (r) => ({ ...r, method: 'GET' }), 'AuthFailure.SignatureFailure'],
    ['a query added', (r) => ({ ...r, rawQuery: 'DryRun=true' }), 'AuthFailure.SignatureFailure'],
  ];
  for (const [name, edit, code] of cases) {
    test(name, () => assert.equal(codeOf(verifyTc3(request({ edit }))), code));
  }

  test('a changed X-TC-Action when it was signed (and not when it was not)', () => {
    const edit = withHeader('x-tc-action', 'DescribeImages');
    assert.equal(codeOf(verifyTc3(request({ signAction: true, edit }))), 'AuthFailure.SignatureFailure');
    assert.equal(codeOf(verifyTc3(request({ signAction: false, edit }))), 'OK');
  });
  test('a temporary key without its token, or with another', () => {
    assert.equal(codeOf(verifyTc3(request({ credential: TEMP, edit: withoutHeader('x-tc-token') }))), 'AuthFailure.TokenFailure');
    assert.equal(codeOf(verifyTc3(request({ credential: TEMP, edit: withHeader('x-tc-token', 'other') }))), 'AuthFailure.TokenFailure');
  });
  test('a temporary key from its expiresAt on (Unix seconds), with the right token and signature', () => {
    const expiring = (expiresAt) => (r) => ({ ...r, credentials: [KEY, { ...TEMP, expiresAt }] });
    assert.equal(codeOf(verifyTc3(request({ credential: TEMP, edit: expiring(T + 1) }))), 'OK');
    assert.equal(codeOf(verifyTc3(request({ credential: TEMP, edit: expiring(T) }))), 'AuthFailure.TokenFailure');
    assert.match(verifyTc3(request({ credential: TEMP, edit: expiring(T - 60) })).message, /expired/);
  });
  test('a mismatch reports the canonical request it expected, never a key', () => {
    const verdict = verifyTc3(request({ edit: (r) => ({ ...r, body: '{}' }) }));
    assert.match(verdict.canonicalRequest, /^POST\n\/\n\ncontent-type:application\/json\nhost:cvm\.tencentcloudapi\.com\n\ncontent-type;host\n/);
    assert.doesNotMatch(JSON.stringify(verdict), new RegExp(KEY.secretKey));
  });
});
