// CvmClient against the emulator: real signing and verification, real image state, injected faults.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { pkg, rejectionOf } from './harness.mjs';

const [PERMANENT, TEMPORARY] = DEMO_CREDENTIALS;
const REGION = 'ap-guangzhou';
let running;

const imageIds = () => running.emulator.images(REGION).map((image) => image.ImageId);
const snapshotIds = () => running.emulator.snapshots(REGION).map((snapshot) => snapshot.SnapshotId);
const faults = (...list) => running.emulator.queueFaults(list.map(([fault, times = 1]) => ({ fault, times })));

function client(options = {}) {
  return new pkg.CvmClient({ ...PERMANENT, region: REGION, endpoint: running.url, ...options });
}

before(async () => {
  running = await startEmulator({ port: 0, log: null });
});
after(() => running.close());
beforeEach(() => running.emulator.reset());

describe('success', () => {
  test('deletes an image (POST)', async () => {
    const result = await client().deleteImages({ ImageIds: ['img-gznorm01'] });
    assert.match(result.RequestId, /^[0-9a-f-]{36}$/);
    assert.equal(result.attempts, 1);
    assert.ok(!imageIds().includes('img-gznorm01'));
  });

  test('deletes several images with GET and a temporary key (X-TC-Token)', async () => {
    await client({ ...TEMPORARY, method: 'GET' }).deleteImages({ ImageIds: ['img-gznorm04', 'img-gznorm05'] });
    assert.ok(!imageIds().some((id) => id === 'img-gznorm04' || id === 'img-gznorm05'));
  });

  test('DryRun checks and deletes nothing', async () => {
    const result = await client().deleteImages({ ImageIds: ['img-gznorm02'], DryRun: true });
    assert.equal(typeof result.RequestId, 'string');
    assert.ok(imageIds().includes('img-gznorm02'));
  });

  test('DeleteBindedSnap also deletes the bound snapshots, tccli-style "True" accepted', async () => {
    await client().deleteImages({ ImageIds: ['img-gznorm02'], DeleteBindedSnap: 'True' });
    assert.ok(!snapshotIds().includes('snap-gznorm2s'));
    assert.ok(snapshotIds().includes('snap-gzfree01'));
  });

  test('describeImages lists the region’s images', async () => {
    const result = await client().describeImages({ ImageIds: ['img-gznorm01'] });
    assert.equal(result.ImageSet[0].ImageId, 'img-gznorm01');
    assert.equal(result.attempts, 1);
  });
});

describe('errors, each sent once', () => {
  for (const [name, params, options, code] of [
    ['a missing image', { ImageIds: ['img-gzzzzz99'] }, {}, 'InvalidImageId.NotFound'],
    ['a CREATING image', { ImageIds: ['img-gzcreat1'] }, {}, 'InvalidImageId.IncorrectState'],
    ['a shared image', { ImageIds: ['img-gzshare1'] }, {}, 'InvalidImageId.InShared'],
    ['a DryRun on a busy image', { ImageIds: ['img-gzsync01'], DryRun: true }, {}, 'InvalidImageId.IncorrectState'],
    ['an unknown SecretId', { ImageIds: ['img-gznorm01'] }, { secretId: 'AKIDnotknownnotknownnotknown00000000' }, 'AuthFailure.SecretIdNotFound'],
    ['a wrong SecretKey', { ImageIds: ['img-gznorm01'] }, { secretKey: 'wrong-wrong-wrong-wrong-wrong-000' }, 'AuthFailure.SignatureFailure'],
    ['a temporary key without its token', { ImageIds: ['img-gznorm01'] }, { secretId: TEMPORARY.secretId, secretKey: TEMPORARY.secretKey }, 'AuthFailure.TokenFailure'],
  ]) {
    test(`${name}: ${code}`, async () => {
      const error = await rejectionOf(client(options).deleteImages(params));
      assert.ok(error instanceof pkg.TencentCloudError, String(error));
      assert.equal(error.code, code);
      assert.match(error.requestId, /^[0-9a-f-]{36}$/);
      assert.equal(error.attempts, 1);
      assert.equal(error.history.length, 1);
    });
  }

  test('X-TC-Language zh-CN gets Chinese messages', async () => {
    const error = await rejectionOf(client({ language: 'zh-CN' }).deleteImages({ ImageIds: ['img-gzzzzz99'] }));
    assert.match(error.message, /镜像/);
  });

  test('a refused connection is ClientError.Network after the retries', async () => {
    const closed = await startEmulator({ port: 0, log: null });
    const { url } = closed;
    await closed.close();
    const error = await rejectionOf(client({ endpoint: url, retries: 1 }).deleteImages({ ImageIds: ['img-gznorm01'] }));
    assert.equal(error.code, 'ClientError.Network');
    assert.equal(error.attempts, 2);
    assert.equal(error.history[0].outcomeUnknown, false, 'refused: never reached a server');
  });
});

describe('retries on injected faults', () => {
  for (const fault of ['503-html', '502-html', '500-html', 'RequestLimitExceeded', 'InternalError', 'ServiceUnavailable',
    'empty', 'truncated-before', 'reset']) {
    test(`${fault} ×2 then success: 3 attempts, image deleted once`, async () => {
      faults([fault, 2]);
      const result = await client().deleteImages({ ImageIds: ['img-gznorm01'] });
      assert.equal(result.attempts, 3);
      assert.ok(!imageIds().includes('img-gznorm01'));
    });
  }

  test('InternalError ×4 with retries 3: fails after 4 attempts', async () => {
    faults(['InternalError', 4]);
    const error = await rejectionOf(client().deleteImages({ ImageIds: ['img-gznorm01'] }));
    assert.equal(error.code, 'InternalError');
    assert.equal(error.attempts, 4);
    assert.ok(imageIds().includes('img-gznorm01'));
  });

  test('retries: 0 surfaces the first 503', async () => {
    faults(['503-html']);
    const error = await rejectionOf(client({ retries: 0 }).deleteImages({ ImageIds: ['img-gznorm01'] }));
    assert.equal(error.code, 'ClientError.HttpStatus');
    assert.equal(error.httpStatus, 503);
    assert.equal(error.attempts, 1);
  });

  test('a slow answer times out, the retry succeeds', async () => {
    // The read-only DescribeImages: the delayed first request must not race the retry for the image.
    faults(['delay:600']);
    const started = Date.now();
    const result = await client({ timeoutMs: 150 }).describeImages({ ImageIds: ['img-gznorm01'] });
    assert.equal(result.attempts, 2);
    assert.ok(Date.now() - started < 600, 'did not wait for the slow answer');
  });

  test('aborting during the backoff after a 503 rejects with ClientError.Aborted', async () => {
    faults(['503-html', 10]);
    const error = await rejectionOf(client({ retries: 10 }).deleteImages({ ImageIds: ['img-gznorm01'] }, { signal: AbortSignal.timeout(100) }));
    assert.equal(error.code, 'ClientError.Aborted');
    assert.ok(error.attempts >= 1);
    assert.ok(imageIds().includes('img-gznorm01'));
    // An attempt in flight when the caller aborted may still reach the emulator: let it land here,
    // before the next test's reset, or it would take that test's fault and image.
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
});

describe('non-idempotent delete: the answer of an applied attempt is lost', () => {
  for (const fault of ['truncated', 'reset-after']) {
    test(`${fault}: the retry meets NotFound and the error says the images were probably deleted`, async () => {
      faults([fault]);
      const error = await rejectionOf(client().deleteImages({ ImageIds: ['img-gznorm01'] }));
      assert.equal(error.code, 'InvalidImageId.NotFound');
      assert.equal(error.probablyDeletedByEarlierAttempt, true);
      assert.equal(error.attempts, 2);
      assert.equal(error.history[0].outcomeUnknown, true);
      assert.ok(!imageIds().includes('img-gznorm01'), 'it was deleted, by attempt 1');
    });
  }

  test('reset before applying: the retry deletes, a plain success', async () => {
    faults(['reset']);
    const result = await client().deleteImages({ ImageIds: ['img-gznorm01'] });
    assert.equal(result.attempts, 2);
  });

  test('a timeout whose request the server applied later: the retry meets NotFound, flagged', async () => {
    // Attempt 1 is applied 300 ms after it arrives; the client gives up at 100 ms. Pacing at one
    // request per second holds attempt 2 back until the deletion has happened.
    faults(['delay:300']);
    const error = await rejectionOf(client({ timeoutMs: 100, ratePerSecond: 1 }).deleteImages({ ImageIds: ['img-gznorm03'] }));
    assert.equal(error.code, 'InvalidImageId.NotFound');
    assert.equal(error.probablyDeletedByEarlierAttempt, true);
    assert.deepEqual(error.history.map((h) => h.code), ['ClientError.Timeout', 'InvalidImageId.NotFound']);
    assert.ok(!imageIds().includes('img-gznorm03'));
  });
});

describe('clock skew', () => {
  for (const offsetSec of [600, -600]) {
    test(`emulator clock ${offsetSec > 0 ? '+' : ''}${offsetSec} s: re-signed once with the learned offset, kept for later calls`, async () => {
      running.emulator.setClockOffset(offsetSec);
      const c = client({ retries: 0 });
      const first = await c.deleteImages({ ImageIds: ['img-gznorm01'] });
      assert.equal(first.attempts, 2);
      assert.ok(Math.abs(c.clockOffsetSec - offsetSec) <= 2, `learned ${c.clockOffsetSec}`);
      const second = await c.deleteImages({ ImageIds: ['img-gznorm04'] });
      assert.equal(second.attempts, 1);
    });
  }

  test('the control endpoint POST /__emulator/clock works the same', async () => {
    const res = await fetch(`${running.url}/__emulator/clock`, { method: 'POST', body: JSON.stringify({ offsetSec: 600 }) });
    assert.equal(res.status, 200);
    const result = await client().describeImages();
    assert.equal(result.attempts, 2);
  });

  test('correctClockSkew: false reports SignatureExpire', async () => {
    running.emulator.setClockOffset(600);
    const error = await rejectionOf(client({ correctClockSkew: false }).deleteImages({ ImageIds: ['img-gznorm01'] }));
    assert.equal(error.code, 'AuthFailure.SignatureExpire');
  });
});
