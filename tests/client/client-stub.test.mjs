// CvmClient's policy against a scripted fetch: retries and what is never retried, timeouts, aborts
// at every stage, the NotFound-after-unknown-outcome case, clock-skew correction, and secrecy.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import { pkg, stubClient, envelope, errorEnvelope, rejectionOf, STUB_CREDENTIALS } from './harness.mjs';

const IDS = { ImageIds: ['img-mfih409y'] };
const OK = { body: envelope({}, 'req-ok') };
const HTML_503 = { status: 503, body: '<html><title>503 Service Temporarily Unavailable</title></html>', headers: { 'content-type': 'text/html' } };
const apiError = (code, headers) => ({ body: errorEnvelope(code), headers: { 'content-type': 'application/json', ...headers } });

function header(init, name) {
  const key = Object.keys(init.headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : init.headers[key];
}

describe('success', () => {
  test('deleteImages resolves RequestId and attempts after one request', async () => {
    const { client, calls } = stubClient([OK]);
    const result = await client.deleteImages(IDS);
    assert.deepEqual(result, { RequestId: 'req-ok', attempts: 1 });
    assert.equal(calls.length, 1);
    assert.equal(header(calls[0], 'X-TC-Action'), 'DeleteImages');
    assert.equal(header(calls[0], 'X-TC-Region'), 'ap-guangzhou');
  });

  test('a DryRunOperation answer is a success', async () => {
    const { client } = stubClient([{ body: errorEnvelope('DryRunOperation', 'would succeed', 'req-dry') }]);
    const result = await client.deleteImages({ ...IDS, DryRun: true });
    assert.equal(result.RequestId, 'req-dry');
    assert.equal(result.DryRunOperation, true);
  });

  test('request() sends any action with the requested version; describeImages() is DescribeImages', async () => {
    const { client, calls } = stubClient([{ body: envelope({ TotalCount: 0, ImageSet: [] }, 'req-d') }]);
    const result = await client.request('DescribeImages', { Limit: 1 }, { version: '2017-03-12' });
    assert.deepEqual(result, { TotalCount: 0, ImageSet: [], RequestId: 'req-d', attempts: 1 });
    assert.equal(header(calls[0], 'X-TC-Version'), '2017-03-12');
    await client.describeImages();
    assert.equal(header(calls[1], 'X-TC-Action'), 'DescribeImages');
  });

  test('request("DeleteImages") takes the validated DeleteImages path', async () => {
    const { client, calls } = stubClient([OK]);
    await client.request('DeleteImages', { ImageIds: ['img-mfih409y'], DryRun: 'True' });
    assert.equal(calls[0].body, '{"ImageIds":["img-mfih409y"],"DryRun":true}');
  });

  test('invalid parameters reject with ValidationError before anything is sent', async () => {
    const { client, calls } = stubClient([OK]);
    const error = await rejectionOf(client.deleteImages({ ImageIds: [] }));
    assert.ok(error instanceof pkg.ValidationError, error.message);
    assert.equal(calls.length, 0);
  });
});

describe('retries', () => {
  for (const [name, failure] of [
    ['a 503 gateway page', HTML_503],
    ['RequestLimitExceeded', apiError('RequestLimitExceeded')],
    ['InternalError', apiError('InternalError')],
    ['ServiceUnavailable', apiError('ServiceUnavailable')],
    ['MutexOperation.TaskRunning', apiError('MutexOperation.TaskRunning')],
    ['HTTP 429', { status: 429, body: 'slow down', headers: { 'content-type': 'text/plain' } }],
    ['an empty body', { body: '' }],
    ['a truncated body', { body: envelope().slice(0, 12) }],
    ['a connection reset', { networkError: 'ECONNRESET' }],
  ]) {
    test(`retries ${name}: two failures then success = 3 attempts`, async () => {
      const { client, calls } = stubClient([failure, failure, OK]);
      const result = await client.deleteImages(IDS);
      assert.equal(result.attempts, 3);
      assert.equal(calls.length, 3);
    });
  }

  test('gives up after `retries` retries with attempts and history', async () => {
    const { client, calls } = stubClient([apiError('InternalError')], { retries: 2 });
    const error = await rejectionOf(client.deleteImages(IDS));
    assert.ok(error instanceof pkg.TencentCloudError);
    assert.equal(error.code, 'InternalError');
    assert.equal(calls.length, 3);
    assert.equal(error.attempts, 3);
    assert.deepEqual(error.history.map((h) => [h.attempt, h.code, h.requestId]),
      [[1, 'InternalError', 'req-InternalError'], [2, 'InternalError', 'req-InternalError'], [3, 'InternalError', 'req-InternalError']]);
  });

  test('retries: 0 turns retrying off', async () => {
    const { client, calls } = stubClient([HTML_503, OK], { retries: 0 });
    const error = await rejectionOf(client.deleteImages(IDS));
    assert.equal(error.code, 'ClientError.HttpStatus');
    assert.equal(error.httpStatus, 503);
    assert.equal(calls.length, 1);
  });

  for (const code of ['AuthFailure.SignatureFailure', 'AuthFailure.SecretIdNotFound', 'AuthFailure.UnauthorizedOperation',
    'InvalidParameterValue', 'InvalidParameter', 'MissingParameter', 'UnknownParameter', 'InvalidImageId.NotFound',
    'InvalidImageId.IncorrectState', 'InvalidImageId.InShared', 'UnsupportedRegion', 'LimitExceeded']) {
    test(`never retries ${code}`, async () => {
      const { client, calls } = stubClient([apiError(code), OK]);
      const error = await rejectionOf(client.deleteImages(IDS));
      assert.equal(error.code, code);
      assert.equal(error.attempts, 1);
      assert.equal(calls.length, 1);
      assert.equal(error.probablyDeletedByEarlierAttempt, undefined);
    });
  }

  // Issue 21, defect 8: `ClientError.*` codes are the package's own. A server that sends one
  // (ClientError.Network would say "retryable", ClientError.Aborted "the caller aborted") gets
  // what any invalid response gets: ClientError.InvalidResponse, retried only within `retries`,
  // its outcome unknown (so a later NotFound of a delete is flagged), the server's code in the message.
  for (const code of ['ClientError.Network', 'ClientError.Aborted', 'ClientError.Credentials', 'ClientError.Timeout']) {
    test(`a server-sent ${code} is an invalid response, retried only as one`, async () => {
      const { client, calls } = stubClient([apiError(code)], { retries: 1 });
      const error = await rejectionOf(client.deleteImages(IDS));
      assert.equal(error.code, 'ClientError.InvalidResponse');
      assert.ok(error.message.includes(code), error.message);
      assert.equal(calls.length, 2);
      assert.deepEqual(error.history.map((h) => [h.code, h.outcomeUnknown]),
        [['ClientError.InvalidResponse', true], ['ClientError.InvalidResponse', true]]);
      const { client: deleting } = stubClient([apiError(code), apiError('InvalidImageId.NotFound')]);
      const notFound = await rejectionOf(deleting.deleteImages(IDS));
      assert.equal(notFound.probablyDeletedByEarlierAttempt, true);
      const { client: off, calls: once } = stubClient([apiError(code), OK], { retries: 0 });
      assert.equal((await rejectionOf(off.deleteImages(IDS))).code, 'ClientError.InvalidResponse');
      assert.equal(once.length, 1);
    });
  }

  test('never retries a 4xx status other than 429', async () => {
    const { client, calls } = stubClient([{ status: 404, body: 'no', headers: { 'content-type': 'text/plain' } }, OK]);
    const error = await rejectionOf(client.deleteImages(IDS));
    assert.equal(error.code, 'ClientError.HttpStatus');
    assert.equal(calls.length, 1);
  });
});

describe('timeouts', () => {
  test('an attempt that does not answer within timeoutMs is a ClientError.Timeout, then retried', async () => {
    const { client, calls } = stubClient([{ hang: true }, OK], { timeoutMs: 100 });
    const started = Date.now();
    const result = await client.deleteImages(IDS);
    assert.equal(result.attempts, 2);
    assert.equal(calls.length, 2);
    assert.ok(Date.now() - started >= 100);
  });

  test('every attempt timing out ends in ClientError.Timeout with the whole history', async () => {
    const { client } = stubClient([{ hang: true }], { timeoutMs: 50, retries: 1 });
    const error = await rejectionOf(client.deleteImages(IDS));
    assert.equal(error.code, 'ClientError.Timeout');
    assert.equal(error.httpStatus, 0);
    assert.equal(error.attempts, 2);
    assert.ok(error.history.every((h) => h.code === 'ClientError.Timeout' && h.outcomeUnknown));
  });
});

describe('the caller’s AbortSignal', () => {
  test('already aborted: nothing is sent', async () => {
    const { client, calls } = stubClient([OK]);
    const error = await rejectionOf(client.deleteImages(IDS, { signal: AbortSignal.abort() }));
    assert.equal(error.code, 'ClientError.Aborted');
    assert.equal(error.attempts, 0);
    assert.equal(calls.length, 0);
  });

  test('aborted while the request is in flight', async () => {
    const { client } = stubClient([{ hang: true }]);
    const error = await rejectionOf(client.deleteImages(IDS, { signal: AbortSignal.timeout(50) }));
    assert.equal(error.code, 'ClientError.Aborted');
    assert.equal(error.retryable, false);
    assert.deepEqual(error.history.map((h) => [h.code, h.outcomeUnknown]), [['ClientError.Aborted', true]]);
  });

  test('aborted during the backoff wait: rejects at once and sends nothing more', async () => {
    const { client, calls } = stubClient([HTML_503], { retries: 10 });
    const controller = new AbortController();
    const pending = rejectionOf(client.deleteImages(IDS, { signal: controller.signal }));
    // With ten retries the backoff ceilings add up to seconds; 30 ms in, the call is waiting.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const sentBeforeAbort = calls.length;
    const abortedAt = Date.now();
    controller.abort();
    const error = await pending;
    assert.equal(error.code, 'ClientError.Aborted');
    assert.match(error.message, /retry/);
    assert.ok(Date.now() - abortedAt < 50, 'rejected promptly');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(calls.length, sentBeforeAbort, 'no request after the abort');
    assert.equal(error.attempts, sentBeforeAbort);
  });

  test('aborted while waiting for the rate limiter', async () => {
    const { client, calls } = stubClient([OK], { ratePerSecond: 1 });
    await client.deleteImages(IDS);
    const error = await rejectionOf(client.deleteImages(IDS, { signal: AbortSignal.timeout(50) }));
    assert.equal(error.code, 'ClientError.Aborted');
    assert.match(error.message, /rate limiter/);
    assert.equal(calls.length, 1);
  });
});

describe('InvalidImageId.NotFound after an attempt with an unknown outcome', () => {
  // Chosen behaviour: the call still rejects (an id may never have existed: nothing proves the
  // deletion), with probablyDeletedByEarlierAttempt = true and the history that explains it.
  for (const [name, lost] of [
    ['a connection reset', { networkError: 'ECONNRESET' }],
    ['a truncated body', { body: envelope().slice(0, 20) }],
    ['an empty body', { body: '' }],
    ['a 502 gateway page', { ...HTML_503, status: 502 }],
    ['InternalError', apiError('InternalError')],
  ]) {
    test(`after ${name}: rejects flagged probablyDeletedByEarlierAttempt`, async () => {
      const { client } = stubClient([lost, apiError('InvalidImageId.NotFound')]);
      const error = await rejectionOf(client.deleteImages(IDS));
      assert.equal(error.code, 'InvalidImageId.NotFound');
      assert.equal(error.probablyDeletedByEarlierAttempt, true);
      assert.match(error.message, /probably deleted/);
      assert.equal(error.attempts, 2);
      assert.equal(error.history[0].outcomeUnknown, true);
    });
  }

  test('after a timeout (the server may have acted): flagged', async () => {
    const { client } = stubClient([{ hang: true }, apiError('InvalidImageId.NotFound')], { timeoutMs: 50 });
    const error = await rejectionOf(client.deleteImages(IDS));
    assert.equal(error.probablyDeletedByEarlierAttempt, true);
  });

  for (const [name, known] of [
    ['a refused connection (never sent)', { networkError: 'ECONNREFUSED' }],
    ['RequestLimitExceeded (refused before acting)', apiError('RequestLimitExceeded')],
  ]) {
    test(`after ${name}: a plain NotFound`, async () => {
      const { client } = stubClient([known, apiError('InvalidImageId.NotFound')]);
      const error = await rejectionOf(client.deleteImages(IDS));
      assert.equal(error.code, 'InvalidImageId.NotFound');
      assert.equal(error.probablyDeletedByEarlierAttempt, undefined);
      assert.equal(error.history[0].outcomeUnknown, false);
    });
  }

  test('only DeleteImages is concerned: a read that is NotFound stays plain', async () => {
    const { client } = stubClient([{ networkError: 'ECONNRESET' }, apiError('InvalidImageId.NotFound')]);
    const error = await rejectionOf(client.describeImages({ ImageIds: ['img-mfih409y'] }));
    assert.equal(error.probablyDeletedByEarlierAttempt, undefined);
  });
});

describe('clock skew', () => {
  const expired = (offsetSec) => () => apiError('AuthFailure.SignatureExpire',
    { date: new Date(Date.now() + offsetSec * 1000).toUTCString() });
  const timestampOf = (call) => Number(header(call, 'X-TC-Timestamp'));

  test('SignatureExpire: learns the offset from Date, re-signs once (even with retries: 0) and keeps it', async () => {
    const { client, calls } = stubClient([expired(600), OK], { retries: 0 });
    const result = await client.deleteImages(IDS);
    assert.equal(result.attempts, 2);
    assert.ok(Math.abs(client.clockOffsetSec - 600) <= 1, `offset ${client.clockOffsetSec}`);
    const local = Math.floor(Date.now() / 1000);
    assert.ok(Math.abs(timestampOf(calls[1]) - (local + 600)) <= 2);
    assert.notEqual(header(calls[0], 'Authorization'), header(calls[1], 'Authorization'));
    await client.deleteImages(IDS);
    assert.ok(Math.abs(timestampOf(calls[2]) - (local + 600)) <= 2, 'later calls sign with the offset from the start');
  });

  // RFC 9110 §5.6.7: a recipient must accept the obsolete RFC 850 and asctime forms too.
  const obsoleteForms = {
    'RFC 850': (d) => {
      const day = d.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
      const [, dd, mon, yyyy, time] = d.toUTCString().split(' ');
      return `${day}, ${dd}-${mon}-${yyyy.slice(2)} ${time} GMT`;
    },
    asctime: (d) => {
      const [wkday, dd, mon, yyyy, time] = d.toUTCString().replace(',', '').split(' ');
      return `${wkday} ${mon} ${dd.replace(/^0/, ' ')} ${time} ${yyyy}`;
    },
  };
  for (const [form, format] of Object.entries(obsoleteForms)) {
    test(`SignatureExpire with a Date in the ${form} form: corrected all the same`, async () => {
      const date = format(new Date(Date.now() + 600_000));
      assert.equal(pkg.parseHttpDate(date), Math.floor(Date.parse(date) / 1000), date);
      const { client, calls } = stubClient([apiError('AuthFailure.SignatureExpire', { date }), OK], { retries: 0 });
      const result = await client.deleteImages(IDS);
      assert.equal(result.attempts, 2);
      assert.ok(Math.abs(client.clockOffsetSec - 600) <= 1, `offset ${client.clockOffsetSec} from ${date}`);
      assert.equal(calls.length, 2);
    });
  }

  test('a SignatureExpire whose Date no request can be signed at (year 1) is final, and the client keeps its clock', async () => {
    const { client, calls } = stubClient([apiError('AuthFailure.SignatureExpire', { date: 'Mon, 01 Jan 0001 00:00:00 GMT' }), OK], { retries: 0 });
    const error = await rejectionOf(client.deleteImages(IDS));
    assert.ok(error instanceof pkg.TencentCloudError, `${error.name}: ${error.message}`);
    assert.equal(error.code, 'AuthFailure.SignatureExpire');
    assert.equal(error.attempts, 1);
    assert.equal(client.clockOffsetSec, 0);
    // The next call is signed with the local clock and sent.
    const result = await client.deleteImages(IDS);
    assert.equal(result.RequestId, 'req-ok');
    assert.equal(calls.length, 2);
  });

  test('a call too large to send is refused before the credentials provider is asked', async () => {
    let asked = 0;
    const credentials = () => {
      asked += 1;
      return { secretId: STUB_CREDENTIALS.secretId, secretKey: STUB_CREDENTIALS.secretKey };
    };
    const { client, calls } = stubClient([OK], { secretId: undefined, secretKey: undefined, credentials, method: 'GET' });
    const huge = { Filters: [{ Name: 'image-id', Values: Array.from({ length: 40 }, (_, i) => `img-${String(i).padStart(1000, '0')}`) }] };
    const error = await rejectionOf(client.describeImages(huge));
    assert.ok(error instanceof pkg.ValidationError, error.message);
    assert.equal(error.code, 'RequestSizeLimitExceeded');
    assert.equal(asked, 0);
    assert.equal(calls.length, 0);
  });

  test('a second SignatureExpire in the same call is final', async () => {
    const { client, calls } = stubClient([expired(600)]);
    const error = await rejectionOf(client.deleteImages(IDS));
    assert.equal(error.code, 'AuthFailure.SignatureExpire');
    assert.equal(calls.length, 2);
  });

  test('correctClockSkew: false leaves SignatureExpire to the caller', async () => {
    const { client, calls } = stubClient([expired(600), OK], { correctClockSkew: false });
    const error = await rejectionOf(client.deleteImages(IDS));
    assert.equal(error.code, 'AuthFailure.SignatureExpire');
    assert.equal(calls.length, 1);
    assert.equal(client.clockOffsetSec, 0);
  });

  test('without a usable Date header there is nothing to correct with', async () => {
    const { client, calls } = stubClient([apiError('AuthFailure.SignatureExpire'), OK]);
    const error = await rejectionOf(client.deleteImages(IDS));
    assert.equal(error.code, 'AuthFailure.SignatureExpire');
    assert.equal(calls.length, 1);
  });
});

describe('options', () => {
  const base = { ...STUB_CREDENTIALS, region: 'ap-guangzhou' };
  for (const [options, pattern, type] of [
    [undefined, /options/, pkg.ValidationError],
    [{ ...base, secretId: undefined }, /secretId/, pkg.ValidationError],
    [{ ...base, secretKey: '' }, /secretKey/, pkg.ValidationError],
    [{ ...base, region: undefined }, /region/, pkg.ValidationError],
    [{ ...base, token: 42 }, /token/, pkg.ValidationError],
    [{ ...base, method: 'PUT' }, /method/, pkg.ValidationError],
    [{ ...base, language: 'fr-FR' }, /language/, pkg.ValidationError],
    [{ ...base, timeoutMs: 0 }, /timeoutMs/, pkg.ValidationError],
    [{ ...base, retries: -1 }, /retries/, pkg.ValidationError],
    [{ ...base, retries: 1.5 }, /retries/, pkg.ValidationError],
    [{ ...base, ratePerSecond: 0 }, /ratePerSecond/, pkg.ValidationError],
    [{ ...base, fetch: 'nope' }, /fetch/, pkg.ValidationError],
    [{ ...base, secretkey: 'typo' }, /secretkey/, pkg.ValidationError],
  ]) {
    test(`rejects ${options ? JSON.stringify({ ...options, secretKey: options.secretKey ? '…' : options.secretKey }) : 'no options'}`, () => {
      assert.throws(() => new pkg.CvmClient(options), (error) => error instanceof type && pattern.test(error.message));
    });
  }

  test('a mistyped option gets a did-you-mean, and every problem is reported at once', () => {
    assert.throws(() => new pkg.CvmClient({ ...base, timeoutMS: 5000, retries: -1, region: 'x y' }), (error) => {
      assert.ok(error instanceof pkg.ValidationError);
      assert.equal(error.field, 'timeoutMS');
      assert.match(error.message, /did you mean timeoutMs\?/);
      assert.deepEqual(error.issues.map((i) => i.field).sort(), ['region', 'retries', 'timeoutMS']);
      assert.ok(!JSON.stringify(error.issues).includes(base.secretKey), 'no secret in the issues');
      return true;
    });
  });

  test('timeouts beyond the timer maximum mean the longest timer (the core clamps them)', () => {
    assert.equal(new pkg.CvmClient({ ...base, timeoutMs: 1e12 }).timeoutMs, 2 ** 31 - 1);
  });

  test('a malformed region is a ValidationError on field region', () => {
    assert.throws(() => new pkg.CvmClient({ ...base, region: 'Guangzhou!' }),
      (error) => error instanceof pkg.ValidationError && error.field === 'region');
  });

  test('a malformed endpoint fails at construction', () => {
    assert.throws(() => new pkg.CvmClient({ ...base, endpoint: 'ftp://example.com' }), /endpoint/);
  });

  test('settings are readable and read-only; the secret is invisible', () => {
    const client = new pkg.CvmClient({ ...base, token: 'session-token-xyz', retries: 1 });
    assert.equal(client.region, 'ap-guangzhou');
    assert.equal(client.retries, 1);
    assert.throws(() => { 'use strict'; client.retries = 5; }, TypeError);
    for (const text of [JSON.stringify(client), util.inspect(client, { showHidden: true, depth: 5 }), Object.keys(client).join()]) {
      assert.ok(!text.includes(STUB_CREDENTIALS.secretKey), text);
      assert.ok(!text.includes('session-token-xyz'), text);
    }
  });

  test('no error or result carries the secret', async () => {
    const { client } = stubClient([HTML_503, apiError('AuthFailure.SignatureFailure')], { retries: 1 });
    const error = await rejectionOf(client.deleteImages(IDS));
    const dump = JSON.stringify({ ...error, message: error.message, stack: error.stack }) + util.inspect(error, { depth: 5 });
    assert.ok(!dump.includes(STUB_CREDENTIALS.secretKey));
  });
});
