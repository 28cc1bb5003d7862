// Bulk deletion (--ids-file): the splitting engine against a model of DeleteImages' all-or-nothing
// rule, then the CLI end to end against the emulator with a mix of good and bad ids.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { pkg, CLI, runCli } from './harness.mjs';

const { deleteInBulk, splitChunk, parseIdsText, summarize } = createRequire(import.meta.url)(CLI);

function cloudError(code, message = `${code}.`, extra = {}) {
  return Object.assign(new pkg.TencentCloudError({ code, message, requestId: `req-${code}`, httpStatus: 200, retryable: false, description: '' }),
    { attempts: 1, history: [{ attempt: 1, code, httpStatus: 200, requestId: '', outcomeUnknown: false }] }, extra);
}

/**
 * A model of DeleteImages: all or nothing; the first bad id fails the call. `badIds` maps id →
 * code; `named` says whether messages name the id (the real API's usually do not). DescribeImages
 * lists the existing ids asked for, in state CREATING where their code is IncorrectState (a shared
 * image looks NORMAL: DescribeImages does not show sharing); `onDescribe` may make it fail.
 */
function modelClient({ existing, badIds = {}, named = false, onCall = () => {}, onDescribe = () => {} }) {
  const calls = [];
  const describes = [];
  return {
    calls,
    describes,
    async describeImages({ ImageIds }) {
      describes.push([...ImageIds]);
      const failure = onDescribe(ImageIds, describes.length);
      if (failure) throw failure;
      const ImageSet = ImageIds.filter((id) => existing.has(id))
        .map((id) => ({ ImageId: id, ImageState: badIds[id] === 'InvalidImageId.IncorrectState' ? 'CREATING' : 'NORMAL' }));
      return { ImageSet, TotalCount: ImageSet.length, RequestId: `req-describe-${describes.length}`, attempts: 1 };
    },
    async deleteImages({ ImageIds }) {
      calls.push([...ImageIds]);
      const failure = onCall(ImageIds, calls.length);
      if (failure) throw failure;
      for (const id of ImageIds) {
        const code = badIds[id] ?? (existing.has(id) ? undefined : 'InvalidImageId.NotFound');
        if (code) throw cloudError(code, named ? `The image ${id} cannot be deleted.` : 'One of the images cannot be deleted.');
      }
      ImageIds.forEach((id) => existing.delete(id));
      return { RequestId: `req-${calls.length}`, attempts: 1 };
    },
  };
}

const ids = (n, prefix = 'img-g') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(7, '0')}`);
const entriesOf = (list) => list.map((id, i) => ({ id, line: i + 1 }));
const noProgress = () => {};

describe('the splitting engine', () => {
  test('splitChunk: named ids first, else halves; both parts always smaller', () => {
    const [a, b, c, d] = ['img-aaaa0001', 'img-bbbb0002', 'img-cccc0003', 'img-aaaa000'];
    assert.deepEqual(splitChunk([a, b, c], `The image ${c} is busy.`), [[c], [a, b]]);
    assert.deepEqual(splitChunk([a, b, c], 'One of the images is busy.'), [[a, b], [c]]);
    assert.deepEqual(splitChunk([a, b], `${a} and ${b} both`), [[a], [b]]);
    assert.deepEqual(splitChunk([d, b], `The image ${a} is busy.`), [[d], [b]], 'a prefix of a named id is not named');
  });

  test('parseIdsText: blank lines and # comments ignored, line numbers kept', () => {
    assert.deepEqual(parseIdsText('img-a\n\n# note\n  img-b  # old\r\nimg-c'),
      [{ id: 'img-a', line: 1 }, { id: 'img-b', line: 4 }, { id: 'img-c', line: 5 }]);
  });

  for (const named of [false, true]) {
    test(`250 ids, 7 bad of four kinds, messages ${named ? 'naming' : 'not naming'} the id: every good id deleted, every bad one accounted for`, async () => {
      const all = ids(250);
      const bad = { [all[3]]: 'InvalidImageId.IncorrectState', [all[4]]: 'InvalidImageId.InShared', [all[120]]: 'InvalidParameterValue.InvalidImageIdIsShared',
        [all[121]]: 'InvalidImageId.NotFound', [all[180]]: 'InvalidImageId.NotFound', [all[181]]: 'InvalidImageId.NotFound', [all[249]]: 'InvalidImageId.IncorrectState' };
      const existing = new Set(all.filter((id) => !(id in bad) || bad[id] !== 'InvalidImageId.NotFound'));
      const client = modelClient({ existing, badIds: Object.fromEntries(Object.entries(bad).filter(([, c]) => c !== 'InvalidImageId.NotFound')), named });
      const { ledger, calls } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });

      assert.equal(ledger.length, 250);
      for (const row of ledger) {
        if (row.ImageId in bad) assert.deepEqual([row.Status, row.Code], ['failed', bad[row.ImageId]], row.ImageId);
        else assert.equal(row.Status, 'deleted', row.ImageId);
      }
      assert.deepEqual([...existing].sort(), Object.keys(bad).filter((id) => bad[id] !== 'InvalidImageId.NotFound').sort());
      assert.ok(client.calls.every((c) => c.length <= pkg.MAX_IMAGE_IDS_PER_CALL));
      // k bad ids among n cost O(k log n) calls; a generous bound that still catches a blow-up.
      assert.ok(calls <= 3 + 7 * 2 * Math.ceil(Math.log2(pkg.MAX_IMAGE_IDS_PER_CALL)), `${calls} calls`);
      if (named) assert.ok(calls <= 3 + 7 * 2, `named ids need few calls, took ${calls}`);
      assert.deepEqual(summarize(ledger), { total: 250, deleted: 243, wouldDelete: 0, probablyDeleted: 0, unknown: 0, failed: 7, skipped: 0 });
    });
  }

  test('a re-run over 250 ids that are already gone: 6 calls (3 refused, 3 DescribeImages), each id failed NotFound once', async () => {
    const all = ids(250);
    const client = modelClient({ existing: new Set() });
    const { ledger, calls } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
    assert.equal(calls, 6);
    assert.deepEqual(client.calls.map((c) => c.length), [100, 100, 50]);
    assert.deepEqual(client.describes.map((c) => c.length), [100, 100, 50]);
    assert.deepEqual(ledger.map((r) => r.ImageId), all);
    for (const row of ledger) {
      assert.deepEqual([row.Status, row.Code, row.Note], ['failed', 'InvalidImageId.NotFound', 'not found by DescribeImages: not sent again'], row.ImageId);
      assert.match(row.RequestId, /^req-describe-\d$/);
    }
  });

  test('DescribeImages first: missing and busy ids are settled, the rest is deleted in one more call', async () => {
    const all = ids(100);
    const bad = { [all[10]]: 'InvalidImageId.IncorrectState', [all[50]]: 'InvalidImageId.NotFound', [all[99]]: 'InvalidImageId.NotFound' };
    const existing = new Set(all.filter((id) => bad[id] !== 'InvalidImageId.NotFound'));
    const client = modelClient({ existing, badIds: { [all[10]]: bad[all[10]] } });
    const { ledger, calls } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
    assert.equal(calls, 3, 'refused, DescribeImages, the 97 others');
    assert.deepEqual(client.calls.map((c) => c.length), [100, 97]);
    for (const row of ledger) {
      if (row.ImageId in bad) assert.deepEqual([row.Status, row.Code], ['failed', bad[row.ImageId]], row.ImageId);
      else assert.equal(row.Status, 'deleted', row.ImageId);
    }
    assert.equal(ledger[10].Note, 'CREATING by DescribeImages: cannot be deleted in that state, not sent again');
  });

  test('what DescribeImages cannot see (a shared image) is still found by splitting', async () => {
    const all = ids(40);
    const client = modelClient({ existing: new Set(all.slice(1)), badIds: { [all[7]]: 'InvalidImageId.InShared', [all[8]]: 'InvalidImageId.IncorrectState' } });
    const { ledger } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
    assert.equal(client.describes.length, 1, 'one lookup per chunk, never one per split');
    assert.deepEqual(ledger.filter((r) => r.Status !== 'deleted').map((r) => [r.ImageId, r.Code]),
      [[all[0], 'InvalidImageId.NotFound'], [all[7], 'InvalidImageId.InShared'], [all[8], 'InvalidImageId.IncorrectState']]);
    assert.equal(summarize(ledger).deleted, 37);
  });

  test('a failed DescribeImages falls back to splitting; every id still accounted for once', async () => {
    const all = ids(30);
    const client = modelClient({ existing: new Set(all.slice(0, 29)), onDescribe: () => cloudError('InternalError') });
    const { ledger } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
    assert.equal(client.describes.length, 1);
    assert.deepEqual(summarize(ledger), { total: 30, deleted: 29, wouldDelete: 0, probablyDeleted: 0, unknown: 0, failed: 1, skipped: 0 });
    assert.deepEqual([ledger[29].Status, ledger[29].Code], ['failed', 'InvalidImageId.NotFound']);
  });

  test('duplicates are skipped and malformed ids rejected locally: neither is sent', async () => {
    const client = modelClient({ existing: new Set(['img-aaaaaaaa']) });
    const { ledger } = await deleteInBulk(client, entriesOf(['img-aaaaaaaa', 'BAD ID', 'img-aaaaaaaa']),
      { params: {}, dryRun: false, progress: noProgress });
    assert.deepEqual(ledger.map((r) => [r.ImageId, r.Status, r.Code, r.Note]), [
      ['img-aaaaaaaa', 'deleted', '', ''],
      ['BAD ID', 'failed', 'InvalidImageId.Malformed', 'rejected locally, not sent'],
      ['img-aaaaaaaa', 'skipped', '', 'duplicate of line 1'],
    ]);
    assert.deepEqual(client.calls, [['img-aaaaaaaa']]);
  });

  test('an authentication failure stops the run; the rest is reported skipped, not lost', async () => {
    const all = ids(150);
    const client = modelClient({ existing: new Set(all), onCall: () => cloudError('AuthFailure.SignatureFailure') });
    const { ledger } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
    assert.equal(client.calls.length, 1);
    assert.deepEqual(summarize(ledger), { total: 150, deleted: 0, wouldDelete: 0, probablyDeleted: 0, unknown: 0, failed: 100, skipped: 50 });
    assert.ok(ledger.filter((r) => r.Status === 'skipped').every((r) => r.Note === 'not attempted after AuthFailure.SignatureFailure'));
  });

  test('a transient failure that outlived the retries fails its chunk only', async () => {
    const all = ids(150);
    const client = modelClient({ existing: new Set(all), onCall: (_, n) => n === 1 && cloudError('ClientError.Network') });
    const { ledger } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
    assert.deepEqual(summarize(ledger), { total: 150, deleted: 50, wouldDelete: 0, probablyDeleted: 0, unknown: 0, failed: 100, skipped: 0 });
  });

  test('an interruption (Ctrl-C) between calls: the rest is skipped, nothing unaccounted for', async () => {
    const all = ids(250);
    const aborted = () => cloudError('ClientError.Aborted', 'aborted while waiting to retry', { attempts: 0, history: [] });
    const client = modelClient({ existing: new Set(all), onCall: (_, n) => n === 2 && aborted() });
    const { ledger } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
    assert.deepEqual(summarize(ledger), { total: 250, deleted: 100, wouldDelete: 0, probablyDeleted: 0, unknown: 0, failed: 0, skipped: 150 });
    assert.equal(ledger[100].Note, 'interrupted before it was sent');
    assert.equal(ledger[200].Note, 'not attempted after the interruption');
  });

  test('NotFound after an attempt whose answer was lost: reported probably-deleted, not failed', async () => {
    // The chunk's first attempt was applied but its answer lost (the client's retry got NotFound).
    const all = ids(4);
    const existing = new Set(all);
    const client = modelClient({
      existing,
      onCall: (chunk, n) => {
        if (n !== 1) return null;
        chunk.forEach((id) => existing.delete(id));
        return cloudError('InvalidImageId.NotFound', 'One of the images cannot be found.', {
          probablyDeletedByEarlierAttempt: true,
          attempts: 2,
          history: [{ attempt: 1, code: 'ClientError.Network', httpStatus: 0, requestId: '', outcomeUnknown: true },
            { attempt: 2, code: 'InvalidImageId.NotFound', httpStatus: 200, requestId: 'r', outcomeUnknown: false }],
        });
      },
    });
    const { ledger } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
    assert.deepEqual(ledger.map((r) => r.Status), ['probably-deleted', 'probably-deleted', 'probably-deleted', 'probably-deleted']);
  });
});

describe('tccvm delete-images --ids-file', () => {
  let running;
  let dir;
  before(async () => {
    running = await startEmulator({ port: 0, log: null });
    dir = mkdtempSync(path.join(tmpdir(), 'tccvm-bulk-'));
  });
  after(() => running.close());
  beforeEach(() => running.emulator.reset());

  const present = () => new Set(running.emulator.images('ap-guangzhou').map((i) => i.ImageId));

  const tccvm = (args, input = '') => runCli(['delete-images', '--endpoint', running.url, '--region', 'ap-guangzhou', ...args], {
    env: { PATH: process.env.PATH, HOME: dir, TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS[0].secretId, TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS[0].secretKey },
    input,
  });

  const MIXED = [
    '# images to clean up',
    'img-gznorm01',
    'img-gzcreat1      # CREATING: cannot go',
    'img-gznorm02',
    '',
    'img-gzshare1',
    'img-gzgone999',
    'not-an-id',
    'img-gznorm03',
    'img-gznorm01',
    'img-gzcfail1',
  ].join('\n');

  test('a mix of good and bad ids: good ones deleted, every line accounted for, exit 1', async () => {
    const file = path.join(dir, 'ids.txt');
    writeFileSync(file, MIXED);
    const { code, stdout, stderr } = await tccvm(['--ids-file', file, '--yes']);
    assert.equal(code, 1, stderr);
    const report = JSON.parse(stdout);
    const status = Object.fromEntries(report.images.map((r) => [`${r.ImageId}@${r.Line}`, [r.Status, r.Code]]));
    assert.deepEqual(status, {
      'img-gznorm01@2': ['deleted', ''],
      'img-gzcreat1@3': ['failed', 'InvalidImageId.IncorrectState'],
      'img-gznorm02@4': ['deleted', ''],
      'img-gzshare1@6': ['failed', 'InvalidImageId.InShared'],
      'img-gzgone999@7': ['failed', 'InvalidImageId.NotFound'],
      'not-an-id@8': ['failed', 'InvalidImageId.Malformed'],
      'img-gznorm03@9': ['deleted', ''],
      'img-gznorm01@10': ['skipped', ''],
      'img-gzcfail1@11': ['deleted', ''],
    });
    assert.deepEqual(report.summary, { total: 9, deleted: 4, wouldDelete: 0, probablyDeleted: 0, unknown: 0, failed: 4, skipped: 1, calls: report.summary.calls });
    const left = present();
    for (const id of ['img-gznorm01', 'img-gznorm02', 'img-gznorm03', 'img-gzcfail1']) assert.ok(!left.has(id), id);
    for (const id of ['img-gzcreat1', 'img-gzshare1']) assert.ok(left.has(id), id);
  });

  test('ids from stdin (--ids-file -), table summary, all good → exit 0', async () => {
    const { code, stdout } = await tccvm(['--ids-file', '-', '--output', 'table'], 'img-gznorm04\nimg-gznorm05\n');
    assert.equal(code, 0);
    assert.match(stdout, /img-gznorm04\s+1\s+deleted/);
    assert.match(stdout, /total 2 · deleted 2 · calls 1/);
  });

  test('--DryRun in bulk, --output table: the title says nothing was deleted', async () => {
    const { stdout } = await tccvm(['--ids-file', '-', '--DryRun', '--output', 'table'], 'img-gznorm04\nimg-gznorm05\n');
    assert.match(stdout, /^DryRun in ap-guangzhou: 2 ids checked, nothing was deleted\nImageId/);
    assert.match(stdout, /img-gznorm04\s+1\s+would-delete/);
    const real = await tccvm(['--ids-file', '-', '--output', 'table'], 'img-gznorm04\n');
    assert.match(real.stdout, /^DeleteImages in ap-guangzhou: 1 id\nImageId/);
  });

  test('--DryRun in bulk: would-delete, nothing deleted', async () => {
    const { code, stdout } = await tccvm(['--ids-file', '-', '--DryRun'], 'img-gznorm04\nimg-gzsync01\nimg-gznorm05\n');
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.images.map((r) => r.Status), ['would-delete', 'failed', 'would-delete']);
    assert.ok(present().has('img-gznorm04'));
  });

  test('a re-run over 251 ids that are already deleted costs 6 calls, not one per id', async () => {
    const gone = Array.from({ length: 251 }, (_, i) => `img-gzgone${String(i).padStart(4, '0')}`);
    const started = Date.now();
    const { code, stdout, stderr } = await tccvm(['--ids-file', '-', '--yes'], `${gone.join('\n')}\n`);
    assert.equal(code, 1, stderr);
    const report = JSON.parse(stdout);
    assert.equal(report.summary.calls, 6);
    assert.deepEqual(report.summary, { total: 251, deleted: 0, wouldDelete: 0, probablyDeleted: 0, unknown: 0, failed: 251, skipped: 0, calls: 6 });
    assert.ok(report.images.every((r) => r.Code === 'InvalidImageId.NotFound'));
    const since = new Date(started).toISOString();
    const log = running.emulator.logLines().filter((l) => l.split(' ')[0] >= since);
    assert.equal(log.filter((l) => l.includes(' DeleteImages ')).length, 3);
    assert.equal(log.filter((l) => l.includes(' DescribeImages ')).length, 3);
    assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  });

  test('--print-request with --ids-file: the plan (calls, ids per call), then the first request; nothing sent', async () => {
    const file = path.join(dir, 'plan.txt');
    const many = Array.from({ length: 251 }, (_, i) => `img-gzplan${String(i).padStart(4, '0')}`);
    writeFileSync(file, [...many, many[0], 'not-an-id'].join('\n'));
    const since = new Date().toISOString();
    const text = await tccvm(['--ids-file', file, '--print-request']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^plan: 253 ids → 3 DeleteImages calls of 100 \+ 100 \+ 51 ids \(at most 100 per call\)/);
    assert.match(text.stdout, /\n {2}1 duplicate skipped\n {2}1 malformed id rejected locally \(not sent\)\n/);
    assert.match(text.stdout, /\n--- the first request ---\nPOST http:\/\/127\.0\.0\.1:\d+\/\n/);
    const body = JSON.parse(/\n\n(\{"ImageIds".*)\n/.exec(text.stdout)[1]);
    assert.deepEqual(body.ImageIds, many.slice(0, 100));
    const json = JSON.parse((await tccvm(['--ids-file', file, '--print-request', '--output', 'json'])).stdout);
    assert.deepEqual(json.plan, { ids: 253, calls: 3, idsPerCall: [100, 100, 51], duplicates: 1, rejectedLocally: 1 });
    assert.deepEqual(JSON.parse(json.request.body).ImageIds, many.slice(0, 100));
    assert.equal(json.consistent, true);
    assert.deepEqual(running.emulator.logLines().filter((l) => l.split(' ')[0] >= since), [], 'nothing sent');
  });

  test('an empty ids file is a usage error (exit 2)', async () => {
    const { code, stderr } = await tccvm(['--ids-file', '-'], '# nothing\n\n');
    assert.equal(code, 2);
    assert.match(stderr, /no image ids/);
  });

  test('a lost answer in bulk: probably-deleted, with a warning', async () => {
    running.emulator.queueFaults([{ fault: 'reset-after', times: 1, action: 'DeleteImages' }]);
    const { code, stdout, stderr } = await tccvm(['--ids-file', '-'], 'img-gznorm04\nimg-gznorm05\n');
    const report = JSON.parse(stdout);
    assert.deepEqual(report.images.map((r) => r.Status), ['probably-deleted', 'probably-deleted']);
    assert.match(stderr, /probably deleted/);
    assert.equal(code, 0, 'the images are gone: nothing left to do');
    assert.ok(!present().has('img-gznorm04') && !present().has('img-gznorm05'));
  });
});
