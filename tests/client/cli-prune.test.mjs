// `tccvm prune-images` end to end: the CLI as a child process against the emulator seeded with its
// three families of ten images (emulator option seedFamilies), and the listing's pagination.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { pkg, CLI, runCli, runCliInTerminal } from './harness.mjs';

const { listPrivateImages, checkSharing } = createRequire(import.meta.url)('../../pkg/bin/prune-images.cjs');
const REGION = 'ap-guangzhou';
const [KEY] = DEMO_CREDENTIALS;
const FAMILIES = ['--name', 'web-*', 'api-*', 'base_*'];
// The seeded families (emulator/image-store.mjs): web 5, 25, …, 185 days old; api 10, 40, …, 280;
// base 1, 8, …, 64. With --keep 3 --older-than 90d: web 005–009 (105+ days) and api 003–009 (100+)
// go; the three newest of each family, everything younger than 90 days and all of base stay. The
// seed's web-base and web-with-data match web-* too: each is a family of one, kept.
const EXPECTED_DELETED = [
  ...[5, 6, 7, 8, 9].map((n) => `img-gzweb00${n}`),
  ...[3, 4, 5, 6, 7, 8, 9].map((n) => `img-gzapi00${n}`),
];

let running;
let home;
const present = () => new Set(running.emulator.images(REGION).map((i) => i.ImageId));
const familyIds = () => [...present()].filter((id) => /^img-gz(web|api|bas)\d{3}$/.test(id)).sort();
const ALL_FAMILY_IDS = ['web', 'api', 'bas'].flatMap((f) => Array.from({ length: 10 }, (_, n) => `img-gz${f}00${n}`)).sort();
const since = () => new Date().toISOString();
/** Requests logged since `from` (an ISO time), of one action or of any. */
const calls = (from, action) => running.emulator.logLines().filter((l) => {
  const [time, , name] = l.split(' ');
  return time >= from && (action === undefined || name === action);
}).length;
const SHARE_CHECK = 'DescribeImageSharePermission';

function env() {
  return { PATH: process.env.PATH, HOME: home, TENCENTCLOUD_REGION: REGION, TENCENTCLOUD_SECRET_ID: KEY.secretId, TENCENTCLOUD_SECRET_KEY: KEY.secretKey };
}

/** Runs `tccvm prune-images …` against the emulator; asserts the secret key was printed nowhere. */
async function tccvm(args, input = '') {
  const result = await runCli(['prune-images', ...args, '--endpoint', running.url], { env: env(), input });
  assert.ok(!result.stdout.includes(KEY.secretKey) && !result.stderr.includes(KEY.secretKey), 'the secret key was printed');
  return result;
}

before(async () => {
  running = await startEmulator({ port: 0, log: null, seedFamilies: true });
  home = mkdtempSync(path.join(tmpdir(), 'tccvm-prune-'));
});
after(() => running.close());
beforeEach(() => running.emulator.reset());

describe('tccvm prune-images against 3 families × 10 images', () => {
  test('a machine clock 120 days ahead plans exactly what a correct one plans: ages are measured with the server\'s clock', async () => {
    const args = ['--name', 'web-*', '--older-than', '90d', '--keep', '3', '--DryRun'];
    const correct = await tccvm(args);
    assert.equal(correct.code, 0, correct.stderr);
    running.emulator.reset();
    const shiftedEnv = { ...env(), NODE_OPTIONS: `--require=${fileURLToPath(new URL('./shifted-clock.cjs', import.meta.url))}`, TCCVM_TEST_CLOCK_SHIFT_MS: String(120 * 86_400_000) };
    const shifted = await runCli(['prune-images', ...args, '--endpoint', running.url], { env: shiftedEnv });
    assert.equal(shifted.code, 0, shifted.stderr);
    const [a, b] = [JSON.parse(correct.stdout), JSON.parse(shifted.stdout)];
    const plan = (report) => report.plan.map((e) => [e.ImageId, e.action, e.reason]);
    assert.deepEqual(plan(b), plan(a));
    assert.deepEqual(b.counts, { keep: 7, delete: 5, skip: 0 });
    assert.equal(b.clock, 'server');
    assert.ok(Math.abs(Date.parse(b.cutoff) - Date.parse(a.cutoff)) < 5_000, `${b.cutoff} vs ${a.cutoff}`);
    assert.match(shifted.stderr, /this machine's clock is 120 days ahead of the server's; ages are measured with the server's/);
    assert.doesNotMatch(correct.stderr, /clock is/);
  });

  test('--keep 3 --older-than 90d --yes: exactly the expected images go, and DescribeImages agrees', async () => {
    assert.deepEqual(familyIds(), ALL_FAMILY_IDS, 'the seed');
    const from = since();
    const { code, stdout, stderr } = await tccvm([...FAMILIES, '--keep', '3', '--older-than', '90d', '--yes']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.equal(report.region, REGION);
    assert.deepEqual(report.counts, { keep: 20, delete: 12, skip: 0 });
    assert.deepEqual(report.plan.filter((e) => e.action === 'delete').map((e) => e.ImageId).sort(), [...EXPECTED_DELETED].sort());
    // calls: every API call of the run, 1 DescribeImages + 12 share checks + 1 DeleteImages.
    assert.deepEqual(report.summary, { total: 12, deleted: 12, wouldDelete: 0, probablyDeleted: 0, unknown: 0, failed: 0, skipped: 0, calls: 14 });
    assert.deepEqual(report.images.map((r) => r.Status), Array(12).fill('deleted'));
    assert.equal(calls(from, 'DescribeImages'), 1, 'one page: 41 private images');
    assert.equal(calls(from, SHARE_CHECK), 12, 'one per image planned for deletion');
    assert.equal(calls(from, 'DeleteImages'), 1);
    assert.equal(calls(from), 14);

    // What is left, asked the API's way: DescribeImages, 100 a page.
    const client = new pkg.CvmClient({ ...KEY, region: REGION, endpoint: running.url });
    const left = (await client.describeImages({ Limit: 100 })).ImageSet.map((i) => i.ImageId);
    const expectedLeft = ALL_FAMILY_IDS.filter((id) => !EXPECTED_DELETED.includes(id));
    assert.deepEqual(left.filter((id) => ALL_FAMILY_IDS.includes(id)).sort(), expectedLeft);
    assert.equal(left.length, 11 + expectedLeft.length, 'the other seeded images are untouched');

    // A second run finds nothing more to delete, and so checks nothing.
    const second = since();
    const again = await tccvm([...FAMILIES, '--keep', '3', '--older-than', '90d', '--yes']);
    assert.equal(again.code, 0);
    assert.equal(calls(second, SHARE_CHECK), 0);
    assert.match(again.stderr, /nothing to delete/);
    assert.deepEqual(JSON.parse(again.stdout).counts, { keep: 20, delete: 0, skip: 0 });
  });

  test('--output table: the plan (action, id, name, family, reason), then the ledger', async () => {
    const { code, stdout } = await tccvm(['--name', 'web-*', '--keep', '3', '--older-than', '90d', '--yes', '--output', 'table']);
    assert.equal(code, 0);
    assert.match(stdout, /^Prune plan in ap-guangzhou: 12 images named web-\*; keep 7 · delete 5 · skip 0 \(cutoff \d{4}-.*Z: 90d before \d{4}-.*Z, the server's clock, from the Date of its answers\)\naction +ImageId/);
    assert.match(stdout, /\nkeep +img-gzweb000 +web-\d{8} +\S+ +web +among the newest 3 of family web\n/);
    assert.match(stdout, /\nkeep +img-gzweb004 +web-\d{8} +\S+ +web +younger than 90d\n/);
    assert.match(stdout, /\ndelete +img-gzweb009 +web-\d{8} +\S+ +web +older than 90d, not among the newest 3 of family web\n/);
    assert.match(stdout, /\nDeleteImages in ap-guangzhou: 5 ids\n/);
    assert.match(stdout, /\ntotal 5 · deleted 5 · calls 7\n$/);
  });

  test('--DryRun: the API checks every deletion (would-delete), nothing is deleted, nothing asked', async () => {
    const from = since();
    const { code, stdout } = await tccvm([...FAMILIES, '--keep', '3', '--older-than', '90d', '--DryRun']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.dryRun, true);
    assert.deepEqual(report.images.map((r) => [r.ImageId, r.Status]).sort(), [...EXPECTED_DELETED].sort().map((id) => [id, 'would-delete']));
    assert.equal(calls(from, SHARE_CHECK), 12, 'the share checks are reads: made under --DryRun too');
    assert.equal(calls(from, 'DeleteImages'), 1, 'sent, with DryRun');
    assert.deepEqual(familyIds(), ALL_FAMILY_IDS);
  });

  test('without a terminal and without --yes: the plan, nothing deleted, exit 4', async () => {
    const from = since();
    const { code, stdout, stderr } = await tccvm([...FAMILIES, '--keep', '3', '--older-than', '90d']);
    assert.equal(code, 4);
    assert.match(stderr, /nothing deleted: 12 images planned, but stdin is not a terminal/);
    assert.equal(JSON.parse(stdout).summary, null);
    assert.equal(calls(from, 'DeleteImages'), 0);
    assert.deepEqual(familyIds(), ALL_FAMILY_IDS);
  });

  test('a shared image and a CREATING one in a family: both planned skip, with the reason; DeleteImages never gets them', async () => {
    const old = (days) => new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    running.emulator.addImages(REGION, [
      { ImageId: 'img-gzwebshr1', ImageName: 'web-20200101', ImageState: 'NORMAL', CreatedTime: old(2000), IsShared: true },
      { ImageId: 'img-gzapicrt1', ImageName: 'api-v0', ImageState: 'CREATING', CreatedTime: old(2000) },
    ]);
    const from = since();
    const { code, stdout, stderr } = await tccvm([...FAMILIES, '--keep', '3', '--older-than', '90d', '--yes']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    const planned = Object.fromEntries(report.plan.map((e) => [e.ImageId, [e.action, e.reason]]));
    assert.deepEqual(planned['img-gzapicrt1'], ['skip', 'state CREATING']);
    assert.deepEqual(planned['img-gzwebshr1'], ['skip', 'shared with 2 accounts']);
    assert.deepEqual(report.counts, { keep: 20, delete: 12, skip: 2 });
    // The ledger holds every id sent to DeleteImages: exactly the twelve.
    assert.deepEqual(report.images.map((r) => r.ImageId).sort(), [...EXPECTED_DELETED].sort());
    assert.deepEqual(report.summary, { total: 12, deleted: 12, wouldDelete: 0, probablyDeleted: 0, unknown: 0, failed: 0, skipped: 0, calls: 15 });
    assert.equal(calls(from, SHARE_CHECK), 13, 'the twelve and the shared one; not the CREATING one');
    assert.equal(calls(from, 'DeleteImages'), 1);
    const left = present();
    assert.ok(left.has('img-gzwebshr1') && left.has('img-gzapicrt1'));
    assert.ok(EXPECTED_DELETED.every((id) => !left.has(id)));
  });

  test('a failed share check: that image is skipped with the code, the others go; exit 1 as for a partial run', async () => {
    running.emulator.queueFaults([{ fault: 'InternalError', times: 1, action: SHARE_CHECK }]);
    const from = since();
    const { code, stdout, stderr } = await tccvm([...FAMILIES, '--keep', '3', '--older-than', '90d', '--yes', '--retries', '0']);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /1 image skipped: the share check failed/);
    const report = JSON.parse(stdout);
    const failed = report.plan.filter((e) => e.action === 'skip');
    assert.deepEqual(failed.map((e) => e.reason), ['share check failed: InternalError']);
    const [unchecked] = failed.map((e) => e.ImageId);
    assert.ok(EXPECTED_DELETED.includes(unchecked), unchecked);
    assert.deepEqual(report.counts, { keep: 20, delete: 11, skip: 1 });
    assert.deepEqual(report.images.map((r) => r.ImageId).sort(), EXPECTED_DELETED.filter((id) => id !== unchecked).sort());
    assert.deepEqual([report.summary.deleted, report.summary.failed, report.summary.skipped], [11, 0, 0]);
    assert.equal(calls(from, SHARE_CHECK), 12);
    assert.equal(calls(from, 'DeleteImages'), 1);
    assert.ok(present().has(unchecked));
    assert.deepEqual(familyIds(), ALL_FAMILY_IDS.filter((id) => id === unchecked || !EXPECTED_DELETED.includes(id)));
  });

  test('every share check failing: nothing to delete, nothing sent to DeleteImages, exit 1', async () => {
    running.emulator.queueFaults([{ fault: 'ServiceUnavailable', times: 5, action: SHARE_CHECK }]);
    const from = since();
    const { code, stdout, stderr } = await tccvm(['--name', 'web-*', '--keep', '3', '--older-than', '90d', '--yes', '--retries', '0']);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /5 images skipped: the share check failed\ntccvm: nothing to delete\n/);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.counts, { keep: 7, delete: 0, skip: 5 });
    assert.ok(report.plan.filter((e) => e.action === 'skip').every((e) => e.reason === 'share check failed: ServiceUnavailable'));
    assert.equal(report.summary, null);
    assert.equal(calls(from, 'DeleteImages'), 0);
    assert.deepEqual(familyIds(), ALL_FAMILY_IDS);
  });

  test('--DeleteBindedSnap goes with the deletions: the snapshots of the deleted images go too', async () => {
    const snapped = (n) => ({ ImageId: `img-gzsnap000${n}`, ImageName: `snap-v${n}`, ImageState: 'NORMAL', CreatedTime: '2025-01-01T00:00:00Z',
      SnapshotSet: [{ SnapshotId: `snap-gzsnap000${n}`, DiskUsage: 'SYSTEM_DISK', DiskSize: 20 }] });
    running.emulator.addImages(REGION, [snapped(1), snapped(2)]);
    const { code, stderr } = await tccvm(['--name', 'snap-v1', '--keep', '0', '--older-than', '1d', '--DeleteBindedSnap', '--yes']);
    assert.equal(code, 0, stderr);
    const snapshots = running.emulator.snapshots(REGION).map((x) => x.SnapshotId);
    assert.ok(!present().has('img-gzsnap0001') && !snapshots.includes('snap-gzsnap0001'));
    assert.ok(present().has('img-gzsnap0002') && snapshots.includes('snap-gzsnap0002'));
    await tccvm(['--name', 'snap-v2', '--keep', '0', '--older-than', '1d', '--yes']);
    assert.ok(!present().has('img-gzsnap0002'));
    assert.ok(running.emulator.snapshots(REGION).some((x) => x.SnapshotId === 'snap-gzsnap0002'), 'kept without the flag');
  });

  test('--family-regex, and --keep 0: one family across the three name styles, only age decides', async () => {
    const { code, stdout } = await tccvm(['--name', '*', '--family-regex', '^(web|api|base)[-_][v\\d]', '--keep', '0', '--older-than', '60d', '--DryRun']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    const families = new Set(report.plan.filter((e) => e.action !== 'skip').map((e) => e.family));
    assert.deepEqual([...families].sort(), ['api', 'base', 'web']);
    // web: 65+ days (n ≥ 3), api: 70+ (n ≥ 2), base: 64 (n = 9); the seeded others have no family.
    assert.equal(report.counts.delete, 7 + 8 + 1);
    assert.equal(report.plan.length, 41);
    assert.deepEqual(report.plan.filter((e) => e.family === null).map((e) => e.action), Array(11).fill('skip'));
    assert.equal(report.plan.find((e) => e.ImageName === 'web-base').reason, 'name does not match --family-regex');
  });

  test('more than a page: all 191 private images are listed (Limit 100, Offset), 150 planned, DryRun in 2 calls', async () => {
    running.emulator.addImages(REGION, Array.from({ length: 150 }, (_, n) => ({
      ImageId: `img-gzbulk${String(n).padStart(4, '0')}`, ImageName: `bulk-${n}`, ImageState: 'NORMAL', CreatedTime: '2025-01-01T00:00:00Z',
    })));
    const from = since();
    const { code, stdout } = await tccvm(['--name', 'bulk-*', '--keep', '0', '--older-than', '30d', '--DryRun']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.counts.delete, 150);
    assert.equal(report.summary.wouldDelete, 150);
    assert.equal(calls(from, 'DescribeImages'), 2);
    assert.equal(calls(from, 'DeleteImages'), 2);
    assert.equal(present().size, 191);
  });
});

describe('usage (exit 2, nothing sent)', () => {
  for (const [args, pattern] of [
    [['--keep', '3', '--older-than', '90d'], /needs --name/],
    [['--name', 'web-*', '--keep', '3'], /needs --older-than/],
    [['--name', 'web-*', '--older-than', '90d'], /needs --keep/],
    [['--name', 'web-*', '--keep', '3', '--older-than', '30m'], /--older-than: "30m": "m" could mean minutes or months/],
    [['--name', 'web-*', '--keep', '3', '--older-than', '90'], /--older-than: "90" is not a duration/],
    [['--name', 'web-*', '--keep', 'three', '--older-than', '90d'], /--keep takes a whole number/],
    [['--name', 'web-*', '--keep', '3', '--older-than', '90d', '--family-regex', '(web'], /--family-regex: not a valid JavaScript regular expression/],
    [['--name', 'web-*', '--keep', '3', '--older-than', '90d', '--ImageIds', 'img-gzweb009'], /--ImageIds does not apply to prune-images/],
    [['--name', 'web-*', '--keep', '3', '--older-than', '90d', '--print-request'], /--print-request does not apply/],
    [['--name', 'web-*', '--keep', '3', '--older-than', '90d', '--keep-newest', '2'], /unknown option --keep-newest/],
  ]) {
    test(args.join(' '), async () => {
      const from = since();
      const { code, stderr } = await tccvm(args);
      assert.equal(code, 2, stderr);
      assert.match(stderr, pattern);
      assert.equal(calls(from), 0);
    });
  }

  test('the prune flags belong to prune-images only', () => {
    const r = spawnSync(process.execPath, [CLI, 'delete-images', '--ImageIds', 'img-gzweb009', '--keep', '3', '--endpoint', running.url], { env: env(), encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--keep only applies to prune-images/);
    assert.ok(present().has('img-gzweb009'));
  });

  test('--help describes prune-images', () => {
    const r = spawnSync(process.execPath, [CLI, '--help'], { env: env(), encoding: 'utf8' });
    for (const text of ['tccvm prune-images', '--older-than', '--keep', '--family-regex', '--name', 'DescribeImageSharePermission']) {
      assert.ok(r.stdout.includes(text), text);
    }
  });
});

describe('Ctrl-C', () => {
  test('SIGINT during the share checks: nothing deleted, exit 130', async () => {
    running.emulator.queueFaults([{ fault: 'delay:3000', times: 5, action: SHARE_CHECK }]);
    const from = since();
    const child = spawn(process.execPath, [CLI, 'prune-images', ...FAMILIES, '--keep', '3', '--older-than', '90d', '--yes', '--endpoint', running.url], { env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    // Once the listing is answered, the checks are under way (each held 3 s by the emulator).
    while (calls(from, 'DescribeImages') === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
    setTimeout(() => child.kill('SIGINT'), 300);
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted: nothing deleted/);
    const report = JSON.parse(stdout);
    assert.equal(report.counts.delete, 0);
    assert.equal(report.summary, null);
    assert.equal(calls(from, 'DeleteImages'), 0);
    assert.deepEqual(familyIds(), ALL_FAMILY_IDS);
  });
});

describe('listing: DescribeImages, 100 a page', () => {
  function recordingClient(total) {
    const seen = [];
    return {
      seen,
      // The real paginator, over this describeImages.
      listImages: pkg.CvmClient.prototype.listImages,
      describeImages: async (params) => {
        seen.push(params);
        const ids = Array.from({ length: Math.max(0, Math.min(params.Limit, total - params.Offset)) }, (_, i) => ({ ImageId: `img-p${String(params.Offset + i).padStart(7, '0')}` }));
        return { ImageSet: ids, TotalCount: total };
      },
    };
  }

  test('pages of 100 (each from the last image of the one before) until TotalCount; only PRIVATE_IMAGE asked for; globs are not sent as names', async () => {
    const client = recordingClient(250);
    const { images, calls: n, setChanged } = await listPrivateImages(client, ['web-*'], undefined);
    assert.equal(images.length, 250);
    assert.equal(new Set(images.map((i) => i.ImageId)).size, 250);
    assert.equal(n, 3);
    assert.equal(setChanged, false);
    assert.deepEqual(client.seen.map((p) => [p.Offset, p.Limit]), [[0, 100], [99, 100], [198, 100]]);
    assert.deepEqual(client.seen[0].Filters, [{ Name: 'image-type', Values: ['PRIVATE_IMAGE'] }]);
  });

  test('plain names (no * or ?, at most 5) also narrow the listing with the image-name filter', async () => {
    const client = recordingClient(0);
    await listPrivateImages(client, ['web-base', 'db-base'], undefined);
    assert.deepEqual(client.seen[0].Filters, [{ Name: 'image-type', Values: ['PRIVATE_IMAGE'] }, { Name: 'image-name', Values: ['web-base', 'db-base'] }]);
    assert.equal(client.seen.length, 1);
  });

  test('the listing stops at TotalCount, without an empty extra page', async () => {
    for (const [total, calls] of [[100, 1], [199, 2], [200, 3], [1, 1]]) {
      const client = recordingClient(total);
      const listing = await listPrivateImages(client, ['*'], undefined);
      assert.equal(listing.images.length, total);
      assert.equal(listing.calls, calls, `${total} images`);
    }
  });
});

describe('share checks: DescribeImageSharePermission, one image a call', () => {
  const ids = Array.from({ length: 12 }, (_, n) => `img-s${String(n).padStart(7, '0')}`);
  /** A client whose answers take a tick; `answer(ImageId)` returns the Response or throws. */
  function slowClient(answer) {
    const client = { inFlight: 0, most: 0, seen: [] };
    client.request = async (action, params, { signal }) => {
      client.seen.push([action, params, signal]);
      client.inFlight += 1;
      client.most = Math.max(client.most, client.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      client.inFlight -= 1;
      return answer(params.ImageId);
    };
    return client;
  }

  test('at most 5 at a time; distinct accounts counted; a failure is its code; the signal goes with each call', async () => {
    const signal = new AbortController().signal;
    const client = slowClient((id) => {
      if (id === ids[1]) return { SharePermissionSet: [{ AccountId: '1' }, { AccountId: '2' }, { AccountId: '2' }] };
      if (id === ids[2]) throw Object.assign(new Error('boom'), { code: 'InternalError' });
      if (id === ids[3]) return {};
      return { SharePermissionSet: [] };
    });
    const { shares, calls } = await checkSharing(client, ids, signal);
    assert.equal(client.most, 5);
    assert.equal(calls, 12);
    assert.deepEqual(client.seen.map(([action, params]) => [action, params]), ids.map((ImageId) => ['DescribeImageSharePermission', { ImageId }]));
    assert.ok(client.seen.every(([, , s]) => s === signal));
    assert.equal(shares.get(ids[0]), 0);
    assert.equal(shares.get(ids[1]), 2);
    assert.equal(shares.get(ids[2]), 'InternalError');
    assert.equal(shares.get(ids[3]), 'no SharePermissionSet in the answer');
    assert.equal(shares.size, 12);
  });

  test('an abort stops new checks: the ids not asked about are absent', async () => {
    const controller = new AbortController();
    const client = slowClient(() => {
      controller.abort();
      return { SharePermissionSet: [] };
    });
    const { shares, calls } = await checkSharing(client, ids, controller.signal);
    assert.equal(calls, 5, 'the first five were in flight');
    assert.deepEqual([...shares.keys()], ids.slice(0, 5));
  });
});

// Confirmation needs a terminal on stdin: util-linux `script` provides a pseudo-terminal.
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('confirmation on a terminal', { skip: !hasScript && 'no `script` command for a pseudo-terminal' }, () => {
  const inTerminal = (args, answer) => runCliInTerminal(['prune-images', ...args, '--endpoint', running.url], { env: env(), answer });

  test('declining deletes nothing → exit 4; the plan was shown before the question', async () => {
    const { code, output } = await inTerminal([...FAMILIES, '--keep', '3', '--older-than', '90d', '--output', 'table'], 'n');
    assert.equal(code, 4, output);
    const planRow = output.search(/delete +img-gzweb009/);
    assert.ok(planRow > 0 && planRow < output.indexOf('[y/N]'), output);
    assert.match(output, /Delete 12 images \(img-gzapi003, img-gzapi004, img-gzapi005, img-gzapi006, img-gzapi007, …\) in ap-guangzhou\? \[y\/N\]/);
    assert.deepEqual(familyIds(), ALL_FAMILY_IDS);
  });

  test('accepting deletes exactly the planned images → exit 0', async () => {
    const { code, output } = await inTerminal([...FAMILIES, '--keep', '3', '--older-than', '90d'], 'y');
    assert.equal(code, 0, output);
    assert.deepEqual(familyIds(), ALL_FAMILY_IDS.filter((id) => !EXPECTED_DELETED.includes(id)));
  });
});
