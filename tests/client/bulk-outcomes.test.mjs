// What the bulk engine reports when it cannot know, or cannot send: an answer lost while a slow
// server still holds the request (unknown, never "not deleted"), an interruption in flight, a
// NotFound heard before a lost attempt (failed, never probably-deleted), and calls too large for a
// GET query (cut by the core's size, never thrown out of the run). Against the emulator with its
// faults, and against scripted clients where the order of events must be exact.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { pkg, CLI, runCli } from './harness.mjs';

const { deleteInBulk, summarize } = createRequire(import.meta.url)(CLI);
const REGION = 'ap-guangzhou';
const noProgress = () => {};
const entriesOf = (list) => list.map((id, i) => ({ id, line: i + 1 }));

function cloudError(code, { message = `${code}.`, history } = {}) {
  return Object.assign(new pkg.TencentCloudError({ code, message, requestId: `req-${code}`, httpStatus: 200, retryable: false, description: '' }),
    { attempts: history ? history.length : 1, history: history ?? [{ attempt: 1, code, httpStatus: 200, requestId: '', outcomeUnknown: false }] });
}

describe('bulk outcomes against the emulator', () => {
  let running;
  let dir;
  before(async () => {
    running = await startEmulator({ port: 0, log: null });
    dir = mkdtempSync(path.join(tmpdir(), 'tccvm-outcomes-'));
  });
  after(() => running.close());
  beforeEach(() => running.emulator.reset());

  const present = () => new Set(running.emulator.images(REGION).map((i) => i.ImageId));
  const env = () => ({ PATH: process.env.PATH, HOME: dir, TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS[0].secretId, TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS[0].secretKey });
  const tccvm = (args, input = '') => runCli(['delete-images', '--endpoint', running.url, '--region', REGION, ...args], { env: env(), input });

  test('a delete whose answer timed out while the server still held it: unknown, exit 1, never "not deleted"', async () => {
    running.emulator.queueFaults([{ fault: 'delay:3000', times: 1, action: 'DeleteImages' }]);
    const { code, stdout, stderr } = await tccvm(['--ids-file', '-', '--yes', '--retries', '0', '--timeout', '1000'], 'img-gznorm04\nimg-gznorm05\n');
    assert.equal(code, 1, stderr);
    const report = JSON.parse(stdout);
    for (const row of report.images) {
      assert.equal(row.Status, 'unknown', JSON.stringify(row));
      assert.equal(row.Code, 'ClientError.Timeout');
      assert.match(row.Note, /re-run to settle it/);
      assert.doesNotMatch(row.Note, /not deleted/);
    }
    assert.equal(report.summary.unknown, 2);
    assert.match(stderr, /2 image\(s\) have an unknown outcome/);
    // And indeed: the server applied it after the lookup saw both images.
    await sleep(2500);
    assert.ok(!present().has('img-gznorm04') && !present().has('img-gznorm05'), 'the held request was applied');
  });

  test('a GET run whose ids overflow one query: the plan cuts calls by size; the run sends them, every id in the ledger', async () => {
    // 100 ids (5 that exist, 95 that do not), then 100 ids of 40 three-byte characters each:
    // 100 of those make a 37 KB query, over the API's 32 KB. (The emulator calls such ids
    // malformed, one call each: the run is timed against a stub below.)
    const first = [...['01', '02', '03', '04', '05'].map((n) => `img-gznorm${n}`),
      ...Array.from({ length: 95 }, (_, i) => `img-gzgone${String(i).padStart(3, '0')}`)];
    const wide = Array.from({ length: 100 }, (_, i) => `img-${'中'.repeat(40)}${String(i).padStart(2, '0')}`);
    const file = path.join(dir, 'wide.txt');
    writeFileSync(file, [...first, ...wide].join('\n'));

    const since = new Date().toISOString();
    const planned = await tccvm(['--ids-file', file, '--method', 'GET', '--print-request', '--output', 'json']);
    assert.equal(planned.code, 0, planned.stderr);
    assert.deepEqual(JSON.parse(planned.stdout).plan.idsPerCall, [100, 86, 14]);
    assert.deepEqual(running.emulator.logLines().filter((l) => l.split(' ')[0] >= since), [], 'nothing sent');

    // The same ids through the real client (GET) against a server that deletes whatever it is asked.
    const queries = [];
    const fetch = async (url) => {
      queries.push(new URL(url).search.length - 1);
      return new Response(JSON.stringify({ Response: { RequestId: `req-${queries.length}` } }), { headers: { 'content-type': 'application/json' } });
    };
    const client = new pkg.CvmClient({ ...DEMO_CREDENTIALS[0], region: REGION, method: 'GET', fetch, ratePerSecond: 1000 });
    const { ledger } = await deleteInBulk(client, entriesOf([...first, ...wide]), { params: { DryRun: false }, dryRun: false, progress: noProgress });
    assert.equal(ledger.length, 200);
    assert.ok(ledger.every((r) => r.Status === 'deleted'), JSON.stringify(ledger.filter((r) => r.Status !== 'deleted')));
    assert.equal(queries.length, 3);
    assert.ok(queries.every((n) => n <= 32 * 1024), `query sizes ${queries}`);
  });

  test('--print-request of a v1 GET run whose session token makes the first call too large: halved as the run would, not refused (review finding)', async () => {
    const file = path.join(dir, 'pct.txt');
    writeFileSync(file, Array.from({ length: 70 }, (_, i) => `img-${String(i).padStart(3, '0')}${'%'.repeat(121)}`).join('\n'));
    const token = 'k'.repeat(8192);
    const { code, stdout, stderr } = await runCli(['delete-images', '--endpoint', running.url, '--region', REGION, '--ids-file', file,
      '--signature-method', 'HmacSHA1', '--method', 'GET', '--print-request', '--output', 'json'], { env: { ...env(), TENCENTCLOUD_SESSION_TOKEN: token } });
    assert.equal(code, 0, stderr);
    assert.match(stderr, /the first call is too large once signed; the run halves it/);
    assert.ok(!stdout.includes(token));
    assert.ok(new URL(JSON.parse(stdout).request.url).search.length <= 32 * 1024 + 1);
  });

  test('an id the server answered NotFound for stays failed NotFound after later attempts lose their answers', async () => {
    // The emulator's faults, attempt by attempt: the chunk [gznorm01, zz000000] is refused
    // (NotFound naming zz000000); the lookup fails (500 page ×4); zz000000 alone then meets a
    // 502 page on all four attempts (an unknown outcome); gznorm01 is deleted; the final lookup
    // answers.
    const script = { DeleteImages: [null, '502-html', '502-html', '502-html', '502-html'], DescribeImages: ['500-html', '500-html', '500-html', '500-html'] };
    const seen = { DeleteImages: 0, DescribeImages: 0 };
    const fetch = (url, init) => {
      const action = init.headers['X-TC-Action'];
      const fault = script[action]?.[seen[action]++];
      return globalThis.fetch(url, fault ? { ...init, headers: { ...init.headers, 'X-Emulator-Fault': fault } } : init);
    };
    const client = new pkg.CvmClient({ ...DEMO_CREDENTIALS[0], region: REGION, endpoint: running.url, fetch, retries: 3 });
    const { ledger } = await deleteInBulk(client, entriesOf(['img-gznorm01', 'img-zz000000']), { params: {}, dryRun: false, progress: noProgress });
    const row = Object.fromEntries(ledger.map((r) => [r.ImageId, r]));
    assert.deepEqual([row['img-gznorm01'].Status, row['img-zz000000'].Status, row['img-zz000000'].Code],
      ['deleted', 'failed', 'InvalidImageId.NotFound'], JSON.stringify(ledger));
    assert.match(row['img-zz000000'].Note, /answered InvalidImageId\.NotFound for it before/);
    assert.equal(summarize(ledger).probablyDeleted, 0);
    assert.deepEqual(seen, { DeleteImages: 6, DescribeImages: 4 }, 'the script ran as planned');
  });
});

describe('bulk outcomes, scripted', () => {
  // A client whose deleteImages plays `onCall(ids, n)` (an error to throw, or null to succeed) and
  // whose describeImages lists `existing`.
  function scripted({ existing = new Set(), onCall = () => null, method = 'POST' }) {
    const calls = [];
    return {
      calls,
      method,
      async describeImages({ ImageIds }) {
        const ImageSet = ImageIds.filter((id) => existing.has(id)).map((id) => ({ ImageId: id, ImageState: 'NORMAL' }));
        return { ImageSet, TotalCount: ImageSet.length, RequestId: 'req-describe', attempts: 1 };
      },
      async deleteImages({ ImageIds }) {
        calls.push([...ImageIds]);
        const failure = onCall(ImageIds, calls.length);
        if (failure) throw failure;
        ImageIds.forEach((id) => existing.delete(id));
        return { RequestId: `req-${calls.length}`, attempts: 1 };
      },
    };
  }
  const ids = (n) => Array.from({ length: n }, (_, i) => `img-s${String(i).padStart(7, '0')}`);

  test('Ctrl-C while a bulk call is in flight: its ids are unknown (may be deleted), the rest skipped', async () => {
    const all = ids(150);
    const lost = { attempt: 1, code: 'ClientError.Aborted', httpStatus: 0, requestId: '', outcomeUnknown: true };
    const client = scripted({ existing: new Set(all), onCall: (_, n) => n === 1 && cloudError('ClientError.Aborted', { history: [lost] }) });
    const { ledger } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
    assert.deepEqual(summarize(ledger), { total: 150, deleted: 0, wouldDelete: 0, probablyDeleted: 0, unknown: 100, failed: 0, skipped: 50 });
    assert.match(ledger[0].Note, /in flight: outcome unknown, the image may have been deleted/);
  });

  test('lost attempts that straddle two settling lookups stay unknown (review finding: a lookup says nothing of ids it was not asked)', async () => {
    // 110 ids: the first call is refused NotFound naming the first id, its lookup fails, so the
    // first id goes alone and the other 99 together; those 99 and the last 10 lose their answers
    // (the server still holds them). Settling asks about 100 rows, then 10: the second lost
    // group (10 ids) spans both lookups.
    const all = ids(110);
    const existing = new Set(all.slice(1));
    const lost = (code) => cloudError(code, { history: [{ attempt: 1, code, httpStatus: 0, requestId: '', outcomeUnknown: true }] });
    const client = scripted({
      existing,
      onCall: (chunk, n) => (n === 1 ? cloudError('InvalidImageId.NotFound', { message: `The image ${all[0]} does not exist.` })
        : chunk.length === 1 ? cloudError('InvalidImageId.NotFound', { message: `The image ${all[0]} does not exist.` })
          : lost('ClientError.Timeout')),
    });
    const describe = client.describeImages;
    let lookups = 0;
    client.describeImages = (params) => (++lookups === 1 ? Promise.reject(cloudError('InternalError')) : describe(params));
    const { ledger } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
    assert.deepEqual(client.calls.map((c) => c.length), [100, 1, 99, 10]);
    assert.deepEqual([ledger[0].Status, ledger[0].Code, ledger[0].Note], ['failed', 'InvalidImageId.NotFound', '']);
    const wrong = ledger.slice(1).filter((r) => r.Status !== 'unknown');
    assert.deepEqual(wrong, [], 'every image a held request may still delete is unknown');
    assert.equal(lookups, 3, 'one failed lookup, two settling lookups');
  });

  test('a lookup answer without a list of images is a failed lookup, not a thrown error (review finding)', async () => {
    for (const ImageSet of [{}, 'xx', [null], undefined]) {
      const all = ids(3);
      const client = scripted({ existing: new Set(all.slice(1)), onCall: (chunk) => (chunk.includes(all[0]) ? cloudError('InvalidImageId.NotFound') : null) });
      client.describeImages = async () => ({ ImageSet, RequestId: 'req-odd', attempts: 1 });
      const { ledger } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
      assert.deepEqual(ledger.map((r) => r.Status), ['failed', 'deleted', 'deleted'], JSON.stringify(ImageSet));
    }
  });

  test('a local error of one call fails that call\'s ids only; a call too large is halved, never thrown', async () => {
    const all = ids(250);
    const tooLarge = (chunk) => new pkg.ValidationError({ field: 'params', code: 'RequestSizeLimitExceeded', message: `${chunk.length} ids: too large` });
    const client = scripted({
      existing: new Set(all),
      onCall: (chunk) => (chunk.length > 40 && chunk[0] === all[0] ? tooLarge(chunk)
        : chunk[0] === all[100] ? new pkg.ValidationError({ field: 'params.DryRun', code: 'InvalidParameter', message: 'DryRun is wrong' })
          : chunk[0] === all[200] ? new TypeError('something broke') : null),
    });
    const { ledger, calls } = await deleteInBulk(client, entriesOf(all), { params: {}, dryRun: false, progress: noProgress });
    const status = (i) => [ledger[i].Status, ledger[i].Code];
    for (let i = 0; i < 100; i++) assert.deepEqual(status(i), ['deleted', ''], `${i}`);
    for (let i = 100; i < 200; i++) assert.deepEqual(status(i), ['failed', 'InvalidParameter'], `${i}`);
    assert.match(ledger[150].Note, /rejected locally, not sent/);
    for (let i = 200; i < 250; i++) assert.deepEqual(status(i), ['unknown', 'TypeError'], `${i}`);
    assert.match(ledger[200].Note, /outcome unknown/);
    // 100 too large → 50 too large + 50 → 25 + 25: the refused builds sent nothing and count no call.
    assert.deepEqual(client.calls.map((c) => c.length), [100, 50, 25, 25, 50, 100, 50]);
    assert.equal(calls, 3 + 1 + 1, 'three calls for the first hundred, the one that broke, one lookup of its ids');
  });
});
