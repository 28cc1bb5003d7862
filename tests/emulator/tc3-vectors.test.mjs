// The independent truth for the emulator's TC3 code: Tencent's own worked examples
// (reference tencent-api-3.md §1), compared stage by stage so a failure names the stage.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deriveSigningKey, sha256Hex, signTc3ForTests, verifyTc3 } from '../../emulator/tc3-verify.mjs';

const EXAMPLE_KEY = { secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' };
const MASKED_KEY = { secretId: `AKID${'*'.repeat(32)}`, secretKey: '*'.repeat(32) };
// The literal six characters \u672a etc., not the decoded text.
const EXAMPLE_PAYLOAD = String.raw`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`;
const POST_EXAMPLE = {
  method: 'POST',
  host: 'cvm.tencentcloudapi.com',
  contentType: 'application/json; charset=utf-8',
  body: EXAMPLE_PAYLOAD,
  timestamp: 1551113065,
  action: 'DescribeInstances',
};

describe('Example 1 (POST, signs content-type;host)', () => {
  const signed = signTc3ForTests({ ...EXAMPLE_KEY, ...POST_EXAMPLE });

  test('hashed payload', () => {
    assert.equal(signed.hashedPayload, '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
  });
  test('canonical request', () => {
    assert.equal(
      signed.canonicalRequest,
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    assert.equal(sha256Hex(signed.canonicalRequest), '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
  });
  test('string to sign', () => {
    assert.equal(
      signed.stringToSign,
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
  });
  test('signature and Authorization', () => {
    assert.equal(signed.signature, '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    assert.equal(
      signed.authorization,
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });
  test('the verifier accepts the published request', () => {
    const verdict = verifyTc3({
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        Host: 'cvm.tencentcloudapi.com',
        'X-TC-Timestamp': '1551113065',
        Authorization:
          'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
      },
      body: EXAMPLE_PAYLOAD,
      now: 1551113065,
      credentials: [EXAMPLE_KEY],
    });
    assert.equal(verdict.ok, true, verdict.message);
    assert.equal(verdict.secretId, EXAMPLE_KEY.secretId);
  });
});

describe('Example 2 (signs x-tc-action, masked key)', () => {
  test('intermediate signing keys', () => {
    const keys = deriveSigningKey(MASKED_KEY.secretKey, '2019-02-25', 'cvm');
    assert.equal(keys.secretDate.toString('hex'), 'da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0');
    assert.equal(keys.secretService.toString('hex'), '8d70cbefb03939f929db64d32dc2ba89b1095620119fe3e050e2b18c5bd2752f');
    assert.equal(keys.secretSigning.toString('hex'), 'b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af');
  });
  test('canonical request hash and signature', () => {
    const signed = signTc3ForTests({ ...MASKED_KEY, ...POST_EXAMPLE, signAction: true });
    assert.equal(signed.signedHeaders, 'content-type;host;x-tc-action');
    assert.match(signed.canonicalRequest, /\nx-tc-action:describeinstances\n\n/);
    assert.equal(sha256Hex(signed.canonicalRequest), '7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84');
    assert.equal(signed.signature, '10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f');
  });
  test('the verifier accepts it with the X-TC-Action header, and lower-cases its value', () => {
    const verdict = verifyTc3({
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        host: 'cvm.tencentcloudapi.com',
        'x-tc-action': 'DescribeInstances',
        'x-tc-timestamp': '1551113065',
        authorization: `TC3-HMAC-SHA256 Credential=${MASKED_KEY.secretId}/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f`,
      },
      body: EXAMPLE_PAYLOAD,
      now: 1551113065,
      credentials: [MASKED_KEY],
    });
    assert.equal(verdict.ok, true, verdict.message);
  });
});

describe('Example 3 (GET with a query string)', () => {
  test('signature', () => {
    const signed = signTc3ForTests({
      ...EXAMPLE_KEY,
      method: 'GET',
      host: 'cvm.tencentcloudapi.com',
      contentType: 'application/x-www-form-urlencoded',
      rawQuery: 'Limit=10&Offset=0',
      timestamp: 1539084154,
    });
    assert.equal(signed.hashedPayload, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(signed.credentialScope, '2018-10-09/cvm/tc3_request');
    assert.equal(signed.signature, '5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474');
  });
  test('the verifier accepts it and rejects a changed query', () => {
    const request = {
      method: 'GET',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        host: 'cvm.tencentcloudapi.com',
        'x-tc-timestamp': '1539084154',
        authorization:
          'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2018-10-09/cvm/tc3_request, SignedHeaders=content-type;host, Signature=5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474',
      },
      rawQuery: 'Limit=10&Offset=0',
      now: 1539084154 + 299,
      credentials: [EXAMPLE_KEY],
    };
    assert.equal(verifyTc3(request).ok, true);
    assert.equal(verifyTc3({ ...request, rawQuery: 'Offset=0&Limit=10' }).code, 'AuthFailure.SignatureFailure');
  });
});
