// decodeDeleteImages / decodeResponse / describeError: Tencent envelopes (reference tencent-api-3.md
// §4, §5; DeleteImages.md) and whatever else a network can return, which must become a
// TencentCloudError with a client-side code, never a crash.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCjs, thrown } from './support.mjs';

const api = await loadCjs();
const { decodeDeleteImages, decodeResponse, describeError, TencentCloudError, ValidationError } = api;

const envelope = (code, message, requestId = 'req-7f3a') =>
  JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });

/** Asserts `f` throws a TencentCloudError with these fields; returns it. */
function failsWith(f, expected, label) {
  const err = thrown(f, label);
  assert.ok(err instanceof TencentCloudError, `${label}: expected a TencentCloudError, got ${err && err.name}: ${err && err.message}`);
  assert.ok(err instanceof Error);
  assert.ok(!(err instanceof ValidationError));
  assert.equal(err.name, 'TencentCloudError');
  for (const [k, v] of Object.entries(expected)) assert.equal(err[k], v, `${label}: ${k}`);
  assert.equal(typeof err.retryable, 'boolean', `${label}: retryable`);
  assert.equal(typeof err.description, 'string', `${label}: description`);
  assert.equal(typeof err.requestId, 'string', `${label}: requestId`);
  assert.equal(typeof err.httpStatus, 'number', `${label}: httpStatus`);
  return err;
}

// DeleteImages.md "Error codes of this API".
const DELETE_IMAGES_CODES = [
  'InvalidImageId.InShared',
  'InvalidImageId.IncorrectState',
  'InvalidImageId.Malformed',
  'InvalidImageId.NotFound',
  'InvalidParameterValue.InvalidAppIdFormat',
  'InvalidParameterValue.InvalidImageId',
  'InvalidParameterValue.InvalidImageIdIsShared',
  'InvalidParameterValue.LimitExceeded',
  'MutexOperation.TaskRunning',
];

// tencent-api-3.md §5.
const COMMON_CODES = [
  'ActionOffline',
  'AuthFailure.InvalidAuthorization',
  'AuthFailure.InvalidSecretId',
  'AuthFailure.MFAFailure',
  'AuthFailure.SecretIdNotFound',
  'AuthFailure.SignatureExpire',
  'AuthFailure.SignatureFailure',
  'AuthFailure.TokenFailure',
  'AuthFailure.UnauthorizedOperation',
  'FailedOperation',
  'InternalError',
  'InvalidAction',
  'InvalidParameter',
  'InvalidParameterValue',
  'InvalidRequest',
  'IpInBlacklist',
  'IpNotInWhitelist',
  'LimitExceeded',
  'MissingParameter',
  'NoSuchProduct',
  'NoSuchVersion',
  'RequestLimitExceeded',
  'RequestLimitExceeded.GlobalRegionUinLimitExceeded',
  'RequestLimitExceeded.IPLimitExceeded',
  'RequestLimitExceeded.UinLimitExceeded',
  'RequestSizeLimitExceeded',
  'ResponseSizeLimitExceeded',
  'ResourceInUse',
  'ResourceInsufficient',
  'ResourceUnavailable',
  'ResourceNotFound',
  'ServiceUnavailable',
  'UnauthorizedOperation',
  'UnknownParameter',
  'UnsupportedOperation',
  'UnsupportedProtocol',
  'UnsupportedRegion',
];

// §5 "retry? yes, backoff" and DeleteImages' MutexOperation.TaskRunning ("worth retrying later").
const RETRYABLE = new Set([
  'RequestLimitExceeded',
  'RequestLimitExceeded.GlobalRegionUinLimitExceeded',
  'RequestLimitExceeded.IPLimitExceeded',
  'RequestLimitExceeded.UinLimitExceeded',
  'InternalError',
  'ServiceUnavailable',
  'MutexOperation.TaskRunning',
]);
// §5 "case by case" / "later, maybe": advice not fixed by the reference.
const UNDECIDED = new Set(['FailedOperation', 'ResourceInUse', 'ResourceInsufficient', 'ResourceUnavailable']);

describe('success', () => {
  test("the API page's GET example response", () => {
    const body = '{"Response": {"RequestId": "71e69b56-32be-4412-ab45-49eded6a87be"}}';
    assert.deepEqual(decodeDeleteImages(200, body), { RequestId: '71e69b56-32be-4412-ab45-49eded6a87be' });
    assert.deepEqual(decodeResponse(200, body), { RequestId: '71e69b56-32be-4412-ab45-49eded6a87be' });
  });

  test("the API page's POST example response", () => {
    const body = '{"Response": {"RequestId": "f24aca43-5135-4c9b-81fb-734969ce4c78"}}';
    assert.deepEqual(decodeDeleteImages(200, body), { RequestId: 'f24aca43-5135-4c9b-81fb-734969ce4c78' });
  });

  test('any 2xx status is a success; whitespace and key order do not matter', () => {
    for (const status of [200, 201, 204, 299]) {
      assert.deepEqual(decodeDeleteImages(status, '\n {"Response":{"RequestId":"r-1"}} \n'), { RequestId: 'r-1' }, String(status));
    }
  });

  test('decodeResponse returns the whole Response object of any action', () => {
    const body = JSON.stringify({
      Response: { TotalCount: 1, ImageSet: [{ ImageId: 'img-mfih409y', ImageName: '未命名', ImageState: 'NORMAL' }], RequestId: 'r-2' },
    });
    assert.deepEqual(decodeResponse(200, body), {
      TotalCount: 1,
      ImageSet: [{ ImageId: 'img-mfih409y', ImageName: '未命名', ImageState: 'NORMAL' }],
      RequestId: 'r-2',
    });
  });

  test('decodeDeleteImages keeps only RequestId', () => {
    assert.deepEqual(decodeDeleteImages(200, '{"Response":{"RequestId":"r-3","Extra":[1,2]}}'), { RequestId: 'r-3' });
  });

  test('DryRunOperation → { RequestId, DryRunOperation: true }', () => {
    const body = envelope('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 'r-dry');
    assert.deepEqual(decodeDeleteImages(200, body), { RequestId: 'r-dry', DryRunOperation: true });
    const full = decodeResponse(200, body);
    assert.equal(full.RequestId, 'r-dry');
    assert.equal(full.DryRunOperation, true);
  });
});

describe('error envelopes', () => {
  for (const code of [...DELETE_IMAGES_CODES, ...COMMON_CODES]) {
    test(code, () => {
      const message = `message for ${code} (语言)`;
      for (const decode of [decodeDeleteImages, decodeResponse]) {
        const err = failsWith(() => decode(200, envelope(code, message, `rid-${code}`)), {
          code,
          message: `${code}: ${message}`,
          requestId: `rid-${code}`,
          httpStatus: 200,
        }, `${decode.name} ${code}`);
        assert.ok(err.description.length > 0, `${code}: empty description`);
        if (RETRYABLE.has(code)) assert.equal(err.retryable, true, `${code} is retryable`);
        else if (!UNDECIDED.has(code)) assert.equal(err.retryable, false, `${code} is not retryable`);
      }
    });
  }

  test('AuthFailure.*, InvalidParameter and InvalidImageId.* are never retryable', () => {
    for (const code of [...COMMON_CODES, ...DELETE_IMAGES_CODES].filter((c) => /^(AuthFailure|InvalidParameter$|InvalidImageId)/.test(c))) {
      assert.equal(failsWith(() => decodeDeleteImages(200, envelope(code, 'm')), { code }, code).retryable, false, code);
    }
  });

  test('an envelope keeps the server code whatever the HTTP status', () => {
    failsWith(() => decodeDeleteImages(500, envelope('InternalError', 'boom', 'r-500')), { code: 'InternalError', httpStatus: 500, retryable: true, requestId: 'r-500' }, '500');
    failsWith(() => decodeDeleteImages(429, envelope('RequestLimitExceeded', 'slow', 'r-429')), { code: 'RequestLimitExceeded', httpStatus: 429, retryable: true }, '429');
    failsWith(() => decodeDeleteImages(401, envelope('AuthFailure.SignatureFailure', 'bad', 'r-401')), { code: 'AuthFailure.SignatureFailure', httpStatus: 401, retryable: false }, '401');
  });

  test('an unknown code passes through with an empty description; a known family lends its advice', () => {
    failsWith(() => decodeDeleteImages(200, envelope('Totally.NewCode', 'x')), { code: 'Totally.NewCode', description: '', retryable: false }, 'unknown');
    const fam = failsWith(() => decodeDeleteImages(200, envelope('RequestLimitExceeded.SomethingNew', 'x')), { code: 'RequestLimitExceeded.SomethingNew', retryable: true }, 'family');
    assert.ok(fam.description.length > 0);
  });

  test('an error without a message: the message is the code', () => {
    const err = failsWith(() => decodeDeleteImages(200, '{"Response":{"Error":{"Code":"InternalError"},"RequestId":"r"}}'), { code: 'InternalError', requestId: 'r' }, 'no Message');
    assert.equal(err.message, 'InternalError');
  });

  test('a server-sent ClientError.* code is an invalid response, the server code kept in the message (issue 21)', () => {
    const invalid = describeError('ClientError.InvalidResponse');
    for (const [status, code] of [[200, 'ClientError.Network'], [200, 'ClientError.Aborted'], [200, 'ClientError.Credentials'],
      [200, 'ClientError.HttpStatus'], [200, 'ClientError'], [200, 'ClientError.Unheard'], [503, 'ClientError.Timeout'], [400, 'ClientError.Network']]) {
      for (const decode of [decodeDeleteImages, decodeResponse]) {
        const err = failsWith(() => decode(status, envelope(code, 'from the server', 'r-cl')),
          { code: 'ClientError.InvalidResponse', retryable: invalid.retryable, description: invalid.description, httpStatus: status, requestId: 'r-cl' },
          `${decode.name}: ${code}`);
        assert.ok(err.message.includes(code), err.message);
        assert.ok(err.message.includes('from the server'), err.message);
      }
    }
    // Only the exact prefix is reserved.
    failsWith(() => decodeDeleteImages(200, envelope('ClientErrorX.Network', 'm')), { code: 'ClientErrorX.Network', retryable: false }, 'lookalike');
  });

  test('an error envelope without RequestId: requestId is empty', () => {
    failsWith(() => decodeDeleteImages(200, '{"Response":{"Error":{"Code":"InternalError","Message":"m"}}}'), { code: 'InternalError', requestId: '' }, 'no RequestId');
  });
});

describe('hostile bodies', () => {
  const INVALID = 'ClientError.InvalidResponse';
  const STATUS = 'ClientError.HttpStatus';
  const binary = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => (i * 37 + 11) % 256));
  const cases = [
    // [label, status, body, code, retryable]
    ['HTML gateway page with 200', 200, '<!DOCTYPE html><html><head><title>Captive portal</title></head><body>Log in</body></html>', INVALID, true],
    ['HTML gateway page with 502', 502, '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>', STATUS, true],
    ['empty body', 200, '', INVALID, true],
    ['whitespace', 200, ' \r\n\t ', INVALID, true],
    ['truncated JSON', 200, '{"Response": {"RequestId": "71e69b56-32be', INVALID, true],
    ['truncated after the envelope opens', 200, '{"Response":', INVALID, true],
    ['JSON without Response', 200, '{"Data": {"RequestId": "r"}}', INVALID, true],
    ['Response is a number', 200, '{"Response": 5}', INVALID, true],
    ['Response is empty', 200, '{"Response": {}}', INVALID, true],
    ['Response is null', 200, '{"Response": null}', INVALID, true],
    ['Response is an array', 200, '{"Response": [{"RequestId": "r"}]}', INVALID, true],
    ['RequestId is a number', 200, '{"Response": {"RequestId": 5}}', INVALID, true],
    ['Error without a string Code', 200, '{"Response": {"Error": {"Code": 5}, "RequestId": "r"}}', INVALID, true],
    ['Error that is a string', 200, '{"Response": {"Error": "boom", "RequestId": "r"}}', INVALID, true],
    ['JSON null', 200, 'null', INVALID, true],
    ['JSON array', 200, '[]', INVALID, true],
    ['JSON string', 200, '"Response"', INVALID, true],
    ['invalid JSON', 200, '{Response: {RequestId: r}}', INVALID, true],
    ['502 with text', 502, 'Bad Gateway', STATUS, true],
    ['503 with text', 503, 'Service Unavailable', STATUS, true],
    ['504 empty', 504, '', STATUS, true],
    ['500 with a success envelope', 500, '{"Response": {"RequestId": "r-500"}}', STATUS, true],
    ['429 empty', 429, '', STATUS, true],
    ['429 with text', 429, 'Too Many Requests', STATUS, true],
    ['404 with text', 404, 'not found', STATUS, false],
    ['403 HTML', 403, '<html><title>Forbidden</title></html>', STATUS, false],
    ['400 empty', 400, '', STATUS, false],
    ['binary garbage', 200, binary, INVALID, true],
    ['binary garbage with 502', 502, binary, STATUS, true],
    ['NUL bytes', 200, '\u0000\u0001\u0002binary', INVALID, true],
    ['lone surrogates', 200, '\ud800\udfff\ud800', INVALID, true],
    ['deep nesting, closed', 200, `${'['.repeat(100_000)}${']'.repeat(100_000)}`, INVALID, true],
    ['deep nesting inside Response', 200, `{"Response": {"RequestId": "r", "X": ${'['.repeat(5000)}1${']'.repeat(5000)}}}`, INVALID, true],
  ];

  for (const [label, status, body, code, retryable] of cases) {
    test(`${label} → ${code} (retryable ${retryable})`, () => {
      for (const decode of [decodeDeleteImages, decodeResponse]) {
        const err = failsWith(() => decode(status, body), { code, retryable, httpStatus: status }, `${decode.name}: ${label}`);
        assert.ok(err.message.startsWith(code), err.message);
        assert.ok(err.message.length < 1000, `message of ${err.message.length} characters`);
        if (code === STATUS) assert.ok(err.message.includes(String(status)), err.message);
      }
    });
  }

  test('a gateway page title is reported, not the whole page', () => {
    const err = failsWith(() => decodeDeleteImages(200, `<html><head><title>Captive portal</title></head><body>${'x'.repeat(100_000)}</body></html>`), { code: INVALID }, 'title');
    assert.ok(err.message.includes('Captive portal'), err.message);
    assert.ok(err.message.length < 500);
  });

  test('10 MB of "[" → ClientError.InvalidResponse, no crash, and the module still works afterwards', () => {
    const body = '['.repeat(10 * 1024 * 1024);
    failsWith(() => decodeDeleteImages(200, body), { code: INVALID, retryable: true, httpStatus: 200, requestId: '' }, '10 MB of [');
    failsWith(() => decodeResponse(502, body), { code: STATUS, retryable: true, httpStatus: 502 }, '10 MB of [ with 502');
    assert.deepEqual(decodeDeleteImages(200, '{"Response":{"RequestId":"after"}}'), { RequestId: 'after' });
  });

  test('10 MB of "{" and of "\\"" do not crash either', () => {
    for (const ch of ['{', '"', '{"a":']) {
      const body = ch.repeat(Math.ceil((10 * 1024 * 1024) / ch.length));
      failsWith(() => decodeDeleteImages(200, body), { code: INVALID, httpStatus: 200 }, `10 MB of ${ch}`);
    }
    assert.deepEqual(decodeDeleteImages(200, '{"Response":{"RequestId":"still"}}'), { RequestId: 'still' });
  });

  test('transport failures carry no RequestId (unless a 5xx envelope had one)', () => {
    for (const [status, body] of [[200, ''], [502, 'x'], [200, '<html></html>']]) {
      assert.equal(thrown(() => decodeDeleteImages(status, body)).requestId, '');
    }
  });
});

describe('bad arguments', () => {
  test('a status that is not an integer from 100 to 599 (or 0, an opaque redirect) → ValidationError on status', () => {
    for (const bad of [99, 600, 1, -200, 1.5, 200.5, '200', undefined, null, NaN, Infinity, {}, [200], true]) {
      for (const decode of [decodeDeleteImages, decodeResponse]) {
        const err = thrown(() => decode(bad, '{"Response":{"RequestId":"r"}}'), String(bad));
        assert.ok(err instanceof ValidationError, `${decode.name}(${String(bad)}): ${err.name} ${err.message}`);
        assert.equal(err.field, 'status');
        assert.equal(err.code, 'InvalidParameter');
      }
    }
  });

  test('the boundary statuses 100 and 599 are accepted', () => {
    failsWith(() => decodeDeleteImages(100, ''), { code: 'ClientError.HttpStatus', httpStatus: 100 }, '100');
    failsWith(() => decodeDeleteImages(599, ''), { code: 'ClientError.HttpStatus', httpStatus: 599, retryable: true }, '599');
  });

  test('a body that is not a string → ValidationError on bodyText', () => {
    for (const bad of [undefined, null, 5, Buffer.from('{"Response":{"RequestId":"r"}}'), { Response: { RequestId: 'r' } }]) {
      const err = thrown(() => decodeDeleteImages(200, bad), String(bad));
      assert.ok(err instanceof ValidationError, `${String(bad)}: ${err.name} ${err.message}`);
      assert.equal(err.field, 'bodyText');
      assert.equal(err.code, 'InvalidParameter');
    }
  });
});

describe('describeError', () => {
  test('every DeleteImages code and every common code is known, with a description', () => {
    for (const code of [...DELETE_IMAGES_CODES, ...COMMON_CODES, 'DryRunOperation']) {
      const info = describeError(code);
      assert.equal(info.code, code);
      assert.equal(info.known, true, `${code} known`);
      assert.equal(typeof info.description, 'string');
      assert.ok(info.description.length > 0, `${code}: empty description`);
      if (RETRYABLE.has(code)) assert.equal(info.retryable, true, code);
      else if (!UNDECIDED.has(code)) assert.equal(info.retryable, false, code);
    }
  });

  test('the client-side codes are known', () => {
    for (const [code, retryable] of [
      ['ClientError.InvalidResponse', true],
      ['ClientError.Network', true],
      ['ClientError.Timeout', true],
      ['ClientError.Aborted', false],
      ['ClientError.HttpStatus', undefined], // depends on the status: see 'hostile bodies'
    ]) {
      const info = describeError(code);
      assert.equal(info.known, true, code);
      assert.ok(info.description.length > 0, code);
      if (retryable !== undefined) assert.equal(info.retryable, retryable, code);
    }
  });

  test('unknown codes: known false, empty description, not retryable', () => {
    for (const code of ['Totally.Unknown', 'NotACode', '', 'requestlimitexceeded', 'InvalidImageId.SomethingNew']) {
      assert.deepEqual(describeError(code), { code, description: '', retryable: false, known: false }, JSON.stringify(code));
    }
  });

  test('an unknown member of a known family takes the family description and advice, but is not "known"', () => {
    const info = describeError('RequestLimitExceeded.SomethingNew');
    assert.equal(info.code, 'RequestLimitExceeded.SomethingNew');
    assert.equal(info.known, false);
    assert.equal(info.retryable, true);
    assert.equal(info.description, describeError('RequestLimitExceeded').description);
    const auth = describeError('AuthFailure.SomethingNew');
    assert.equal(auth.retryable, false);
    assert.equal(auth.known, false);
    assert.ok(auth.description.length > 0);
  });
});
