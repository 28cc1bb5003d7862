// The selection of `tccvm prune-images` (pkg/bin/prune-plan.cjs), as a pure function: families,
// globs, ages, ties, keep = 0, and the images it must never delete.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { planPrune, parseDuration, familyOf, globToRegExp, parseCreatedTime, PruneOptionError } = createRequire(import.meta.url)('../../pkg/bin/prune-plan.cjs');

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
let counter = 0;
/** A DescribeImages ImageSet entry created `days` ago. */
function image(name, days, fields = {}) {
  counter += 1;
  return {
    ImageId: `img-t${String(counter).padStart(7, '0')}`,
    ImageName: name,
    ImageType: 'PRIVATE_IMAGE',
    ImageState: 'NORMAL',
    CreatedTime: iso(NOW - days * DAY),
    ...fields,
  };
}
const actions = (plan) => Object.fromEntries(plan.entries.map((e) => [e.ImageName, e.action]));
const OPTIONS = { names: ['*'], olderThan: '90d', keep: 3, now: NOW };

describe('family of a name', () => {
  for (const [name, family] of [
    ['web-20261101', 'web'],
    ['web-2026-11-01', 'web'],
    ['web-2026.11.01', 'web'],
    ['web-2026-11-01T10-00', 'web'],
    ['web-20261101-1030', 'web'],
    ['web_20261101T103000Z', 'web'],
    ['base_2026-11-01T10:00:00Z', 'base'],
    ['api-v12', 'api'],
    ['api-V3', 'api'],
    ['base_007', 'base'],
    ['app.3', 'app'],
    ['web 12', 'web'],
    ['web--7', 'web'],
    ['centos7-20261101', 'centos7'], // the stamp needs a separator before it
    ['ubuntu-22.04-20261101', 'ubuntu-22.04'], // one stamp only: OS versions stay apart
    ['web-1.2.3', 'web-1.2'],
    ['web', 'web'],
    ['web3', 'web3'],
    ['20261101', '20261101'], // nothing would be left: the whole name
  ]) {
    test(`${name} → ${family}`, () => assert.equal(familyOf(name), family));
  }

  test('--family-regex: the first capture group, else the whole match; no match or an empty one → none', () => {
    assert.equal(familyOf('team-a/web-build-17', /^([^/]+)\//), 'team-a');
    assert.equal(familyOf('web-build-17', /^[a-z]+/), 'web');
    assert.equal(familyOf('17-web', /^([a-z]+)-/), undefined);
    assert.equal(familyOf('web', /x*/), undefined);
    assert.equal(familyOf('web-1', /^(api)?web/), undefined, 'a first group that took no part');
  });
});

describe('name globs', () => {
  for (const [glob, yes, no] of [
    ['web-*', ['web-', 'web-20261101', 'web-a-b'], ['web', 'api-web-1', 'Web-1']],
    ['web-????????', ['web-20261101'], ['web-2026110', 'web-202611011']],
    ['*', ['', 'anything'], []],
    ['a.b(c)[d]+', ['a.b(c)[d]+'], ['aXb(c)[d]+', 'a.b(c)d+']],
    ['镜像-?', ['镜像-1'], ['镜像-12']],
  ]) {
    test(glob, () => {
      for (const name of yes) assert.ok(globToRegExp(glob).test(name), `${glob} should match ${name}`);
      for (const name of no) assert.ok(!globToRegExp(glob).test(name), `${glob} should not match ${name}`);
    });
  }
});

describe('durations and times', () => {
  test('h, d, w', () => {
    assert.equal(parseDuration('12h'), 12 * 3_600_000);
    assert.equal(parseDuration('90d'), 90 * DAY);
    assert.equal(parseDuration('2w'), 14 * DAY);
    assert.equal(parseDuration('0d'), 0);
  });

  for (const [text, pattern] of [
    ['90', /not a duration/], ['d', /not a duration/], ['-1d', /not a duration/], ['1.5d', /not a duration/],
    ['30m', /minutes or months/], ['6mo', /minutes or months/], ['1y', /unknown unit "y"/], ['400000w', /thousand years/],
  ]) {
    test(`"${text}" is refused, naming the flag`, () => {
      assert.throws(() => parseDuration(text), (e) => e instanceof PruneOptionError && e.field === '--older-than' && pattern.test(e.message));
    });
  }

  test('CreatedTime: ISO 8601 with a zone, as DescribeImages gives it; anything else is not guessed at', () => {
    assert.equal(parseCreatedTime('2026-11-01T10:00:00Z'), Date.UTC(2026, 10, 1, 10));
    assert.equal(parseCreatedTime('2026-11-01T18:00:00+08:00'), Date.UTC(2026, 10, 1, 10));
    assert.equal(parseCreatedTime('2026-11-01T10:00:00.250Z'), Date.UTC(2026, 10, 1, 10) + 250);
    for (const bad of ['2026-11-01 10:00:00', '2026-11-01T10:00:00', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z',
      '2026-11-01T24:00:00Z', '2026-11-01T10:00:00+24:00', 'yesterday', '', undefined, null, 1793527200000]) {
      assert.equal(parseCreatedTime(bad), undefined, String(bad));
    }
  });

  // One RFC 3339 rule for the package: CreatedTime is read by the core's reader, the one that reads
  // a credentials provider's `expiration` (src/client/credentials.rs rfc3339_ms). Where the CLI's own
  // regex disagreed with it (a leap second, `t`, a space, `z`, an offset without a colon), the
  // core's rule is the one kept. Truth: the calendar (Date.UTC), and the core's own verdict on the
  // same text as an expiration.
  const RFC3339_CASES = [
    ['2026-11-01T10:00:00Z', Date.UTC(2026, 10, 1, 10)],
    ['2026-11-01t10:00:00Z', Date.UTC(2026, 10, 1, 10)], // lower-case t: RFC 3339 §5.6 allows it
    ['2026-11-01 10:00:00Z', Date.UTC(2026, 10, 1, 10)], // a space for T (RFC 3339 §5.6 note)
    ['2026-11-01T10:00:00z', Date.UTC(2026, 10, 1, 10)],
    ['2016-12-31T23:59:60Z', Date.UTC(2017, 0, 1)], // a leap second: the second after 23:59:59
    ['2026-11-01T18:00:00+08:00', Date.UTC(2026, 10, 1, 10)],
    ['2026-11-01T05:30:00-04:30', Date.UTC(2026, 10, 1, 10)],
    ['2026-11-01T10:00:00+00:00', Date.UTC(2026, 10, 1, 10)],
    ['2026-11-01T10:00:00.123456789Z', Date.UTC(2026, 10, 1, 10) + 123.456789],
    ['2026-11-01T18:00:00+0800', undefined], // an offset without its colon is not RFC 3339 (was accepted by the CLI's regex)
    ['2026-11-01T10:00:61Z', undefined],
    ['2026-11-01T10:00:00+08', undefined],
    ['2026-11-01T10:00:00.Z', undefined],
    ['2026-11-01T10:00:00.1234567890Z', undefined],
    ['2026-11-01 10:00:00', undefined],
  ];
  test('CreatedTime follows the core\'s RFC 3339 rule: leap second, t, space, z, offsets', () => {
    for (const [text, ms] of RFC3339_CASES) assert.equal(parseCreatedTime(text), ms, text);
  });

  test('CreatedTime and a credentials expiration are read by the same rule', () => {
    const pkg = createRequire(import.meta.url)('../../pkg/node.cjs');
    const asExpiration = (text) => {
      try {
        return pkg.internal.checkCredentials({ secretId: 'AKIDexample', secretKey: 'key', token: 't', expiration: text }, 0).expiresAtMs;
      } catch (error) {
        if (error instanceof pkg.ValidationError) return undefined;
        throw error;
      }
    };
    for (const [text] of RFC3339_CASES) assert.equal(parseCreatedTime(text), asExpiration(text), text);
  });

  test('a plan reads such a CreatedTime: a leap-second image is dated, a colon-less offset is skipped', () => {
    const images = [
      { ImageId: 'img-leap0001', ImageName: 'leap-1', ImageType: 'PRIVATE_IMAGE', ImageState: 'NORMAL', CreatedTime: '2016-12-31T23:59:60Z' },
      { ImageId: 'img-nocolon1', ImageName: 'leap-2', ImageType: 'PRIVATE_IMAGE', ImageState: 'NORMAL', CreatedTime: '2016-12-31T23:00:00+0800' },
    ];
    const plan = planPrune(images, { names: ['leap-*'], olderThan: '1d', keep: 0, now: NOW });
    assert.deepEqual(plan.entries.map((e) => [e.ImageId, e.action]), [['img-leap0001', 'delete'], ['img-nocolon1', 'skip']]);
  });
});

describe('planPrune', () => {
  test('three families of ten: keeps the newest 3 of each and the young ones, deletes the rest', () => {
    const images = [];
    for (let n = 0; n < 10; n++) {
      images.push(image(`web-2026${String(n).padStart(4, '0')}`, 5 + n * 20)); // 5 … 185 days
      images.push(image(`api-v${10 - n}`, 10 + n * 30)); // 10 … 280 days
      images.push(image(`base_${String(n).padStart(3, '0')}`, 1 + n * 7)); // 1 … 64 days
    }
    const plan = planPrune(images, OPTIONS);
    assert.equal(plan.entries.length, 30);
    assert.equal(plan.cutoff, new Date(NOW - 90 * DAY).toISOString());
    const deleted = plan.entries.filter((e) => e.action === 'delete').map((e) => e.ImageName).sort();
    assert.deepEqual(deleted, [
      'api-v1', 'api-v2', 'api-v3', 'api-v4', 'api-v5', 'api-v6', 'api-v7', // 100 … 280 days
      'web-20260005', 'web-20260006', 'web-20260007', 'web-20260008', 'web-20260009', // 105 … 185 days
    ]);
    const reasons = Object.fromEntries(plan.entries.map((e) => [e.ImageName, [e.family, e.action, e.reason]]));
    assert.deepEqual(reasons['api-v10'], ['api', 'keep', 'among the newest 3 of family api']);
    assert.deepEqual(reasons['web-20260004'], ['web', 'keep', 'younger than 90d']); // 85 days
    assert.deepEqual(reasons['api-v1'], ['api', 'delete', 'older than 90d, not among the newest 3 of family api']);
    assert.ok(plan.entries.filter((e) => e.family === 'base').every((e) => e.action === 'keep'));
    // Sorted by family, then newest first.
    assert.deepEqual(plan.entries.map((e) => e.family), [...Array(10).fill('api'), ...Array(10).fill('base'), ...Array(10).fill('web')]);
    assert.deepEqual(plan.entries.slice(0, 3).map((e) => e.ImageName), ['api-v10', 'api-v9', 'api-v8']);
  });

  test('both conditions are needed: old but among the newest K is kept; beyond K but young is kept', () => {
    const plan = planPrune([image('a-1', 400), image('a-2', 300), image('b-1', 3), image('b-2', 2), image('b-3', 1)],
      { ...OPTIONS, keep: 2 });
    assert.deepEqual(actions(plan), { 'a-1': 'keep', 'a-2': 'keep', 'b-1': 'keep', 'b-2': 'keep', 'b-3': 'keep' });
  });

  test('the age cutoff is strict: exactly --older-than old is kept, a second more is deleted', () => {
    const plan = planPrune([image('x-1', 90), image('x-2', 90 + 1 / 86_400)], { ...OPTIONS, keep: 0 });
    assert.deepEqual(actions(plan), { 'x-1': 'keep', 'x-2': 'delete' });
  });

  test('keep = 0: only the age decides', () => {
    const plan = planPrune([image('w-1', 1), image('w-2', 100), image('w-3', 200)], { ...OPTIONS, keep: 0 });
    assert.deepEqual(actions(plan), { 'w-1': 'keep', 'w-2': 'delete', 'w-3': 'delete' });
    assert.equal(plan.entries.find((e) => e.ImageName === 'w-2').reason, 'older than 90d');
  });

  test('ties in CreatedTime: the smaller ImageId is the newer, whatever the input order', () => {
    const created = iso(NOW - 200 * DAY);
    const images = ['img-tie00003', 'img-tie00001', 'img-tie00002'].map((ImageId) => ({ ...image('t-1', 0), ImageId, CreatedTime: created }));
    for (const order of [images, [...images].reverse()]) {
      const plan = planPrune(order, { ...OPTIONS, keep: 1 });
      assert.deepEqual(plan.entries.map((e) => [e.ImageId, e.action]),
        [['img-tie00001', 'keep'], ['img-tie00002', 'delete'], ['img-tie00003', 'delete']]);
    }
  });

  test('never deleted: shared with this account, public, non-NORMAL, bad CreatedTime; they do not count among the K newest', () => {
    const old = 500;
    const images = [
      image('f-shared', 1, { ImageType: 'SHARED_IMAGE' }),
      image('f-public', 2, { ImageType: 'PUBLIC_IMAGE' }),
      image('f-market', 3, { ImageType: 'MARKET_IMAGE' }),
      image('f-creating', 4, { ImageState: 'CREATING' }),
      image('f-failed', old, { ImageState: 'CREATEFAILED' }),
      image('f-syncing', old, { ImageState: 'SYNCING' }),
      image('f-notime', old, { CreatedTime: '2026-01-01 10:00:00' }),
      image('f-notime2', old, { CreatedTime: undefined }),
      image('f-1', 300),
      image('f-2', 400),
      image('f-3', 500),
    ];
    const said = Object.fromEntries(planPrune(images, { ...OPTIONS, keep: 1 }).entries.map((e) => [e.ImageName, [e.action, e.reason]]));
    assert.deepEqual(said, {
      'f-shared': ['skip', 'shared with this account by another (SHARED_IMAGE)'],
      'f-public': ['skip', 'public image'],
      'f-market': ['skip', 'not a private image (ImageType MARKET_IMAGE)'],
      'f-creating': ['skip', 'state CREATING'],
      'f-failed': ['skip', 'state CREATEFAILED'],
      'f-syncing': ['skip', 'state SYNCING'],
      'f-notime': ['skip', 'CreatedTime "2026-01-01 10:00:00" not an ISO 8601 time with a zone'],
      'f-notime2': ['skip', 'CreatedTime missing'],
      'f-1': ['keep', 'among the newest 1 of family f'],
      'f-2': ['delete', 'older than 90d, not among the newest 1 of family f'],
      'f-3': ['delete', 'older than 90d, not among the newest 1 of family f'],
    });
  });

  test('only names matching a glob are in the plan; several globs are a union; an image listed twice counts once', () => {
    const web = image('web-1', 200);
    const images = [web, image('api-1', 200), image('db-1', 200), { ...web }];
    const plan = planPrune(images, { ...OPTIONS, names: ['web-*', 'ap?-1'], keep: 0 });
    assert.deepEqual(plan.entries.map((e) => e.ImageName).sort(), ['api-1', 'web-1']);
  });

  test('--family-regex groups names the default rule would keep apart, and skips names it does not match', () => {
    const images = [image('web-blue-1', 300), image('web-green-2', 200), image('web-red-3', 100), image('other', 500)];
    const plan = planPrune(images, { ...OPTIONS, keep: 1, familyRegex: '^(web)-' });
    assert.deepEqual(Object.fromEntries(plan.entries.map((e) => [e.ImageName, [e.family, e.action]])), {
      'web-red-3': ['web', 'keep'], 'web-green-2': ['web', 'delete'], 'web-blue-1': ['web', 'delete'],
      other: [null, 'skip'],
    });
    assert.equal(plan.entries.at(-1).reason, 'name does not match --family-regex');
    // Without it, three families of one: each is its family's newest.
    assert.ok(planPrune(images, { ...OPTIONS, keep: 1 }).entries.every((e) => e.action === 'keep'));
  });

  test('an image without a name is never deleted', () => {
    const plan = planPrune([image(undefined, 500)], { ...OPTIONS, keep: 0 });
    assert.deepEqual(plan.entries.map((e) => [e.action, e.reason]), [['skip', 'no ImageName']]);
  });

  test('olderThan in milliseconds: said in days or hours in the reasons', () => {
    const plan = planPrune([image('m-1', 10), image('m-2', 1)], { ...OPTIONS, olderThan: 36 * 3_600_000, keep: 0 });
    assert.deepEqual(plan.entries.map((e) => e.reason), ['younger than 36h', 'older than 36h']);
  });

  describe('shares (DescribeImageSharePermission answers): only ever turns a delete into a skip', () => {
    // s-0 is the newest (10 days); s-1 … s-5 are 100 … 500 days old.
    const family = () => [image('s-0', 10), ...[1, 2, 3, 4, 5].map((n) => image(`s-${n}`, n * 100))];
    const said = (plan) => Object.fromEntries(plan.entries.map((e) => [e.ImageName, [e.action, e.reason]]));

    test('shared with N accounts, a failed check, a candidate missing from the map → skip with the reason; 0 accounts → delete', () => {
      const images = family();
      const id = (name) => images.find((i) => i.ImageName === name).ImageId;
      const shares = new Map([[id('s-1'), 0], [id('s-2'), 2], [id('s-3'), 1], [id('s-4'), 'InternalError']]);
      assert.deepEqual(said(planPrune(images, { ...OPTIONS, keep: 1, shares })), {
        's-0': ['keep', 'among the newest 1 of family s'],
        's-1': ['delete', 'older than 90d, not among the newest 1 of family s'],
        's-2': ['skip', 'shared with 2 accounts'],
        's-3': ['skip', 'shared with 1 account'],
        's-4': ['skip', 'share check failed: InternalError'],
        's-5': ['skip', 'sharing not checked'],
      });
    });

    test('the newest K do not change: a shared image among them is kept and still counts', () => {
      const images = family();
      const id = (name) => images.find((i) => i.ImageName === name).ImageId;
      const unshared = new Map(images.map((i) => [i.ImageId, 0]));
      const shares = new Map([...unshared, [id('s-0'), 3], [id('s-1'), 3], [id('s-3'), 2]]);
      const plain = said(planPrune(images, { ...OPTIONS, keep: 2 }));
      assert.deepEqual(said(planPrune(images, { ...OPTIONS, keep: 2, shares: unshared })), plain, 'nobody shares: as without the option');
      assert.deepEqual(said(planPrune(images, { ...OPTIONS, keep: 2, shares })), {
        ...plain,
        's-0': ['keep', 'among the newest 2 of family s'],
        's-1': ['keep', 'among the newest 2 of family s'],
        's-3': ['skip', 'shared with 2 accounts'],
      });
      assert.deepEqual(plain['s-2'], ['delete', 'older than 90d, not among the newest 2 of family s']);
    });

    test('an image skipped for another reason stays skipped for it, shared or not', () => {
      const creating = image('c-1', 500, { ImageState: 'CREATING' });
      const plan = planPrune([creating], { ...OPTIONS, keep: 0, shares: new Map([[creating.ImageId, 2]]) });
      assert.deepEqual(plan.entries.map((e) => [e.action, e.reason]), [['skip', 'state CREATING']]);
    });
  });

  for (const [what, options, field, pattern] of [
    ['no globs', { names: [] }, '--name', /at least one/],
    ['an empty glob', { names: [''] }, '--name', /at least one/],
    ['a bad duration', { olderThan: '90 days' }, '--older-than', /not a duration/],
    ['a negative ms duration', { olderThan: -1 }, '--older-than', /from 0/],
    ['a negative keep', { keep: -1 }, '--keep', /whole number/],
    ['a fractional keep', { keep: 1.5 }, '--keep', /whole number/],
    ['a bad regex', { familyRegex: '(web' }, '--family-regex', /not a valid JavaScript regular expression/],
    ['no clock', { now: undefined }, 'now', /epoch milliseconds/],
    ['an unknown option', { olderthan: '90d' }, 'olderthan', /unknown option; the options are names, olderThan, keep, familyRegex, now, shares$/],
    ['shares as a plain object', { shares: { 'img-t0000001': 0 } }, 'shares', /must be a Map/],
    ['a negative share count', { shares: new Map([['img-t0000001', -1]]) }, 'shares', /img-t0000001: must be a whole number/],
    ['a fractional share count', { shares: new Map([['img-t0000001', 1.5]]) }, 'shares', /whole number/],
    ['an empty failure code', { shares: new Map([['img-t0000001', '']]) }, 'shares', /error code of a failed check, got ""/],
    ['a list of accounts', { shares: new Map([['img-t0000001', ['100000000002']]]) }, 'shares', /got \["100000000002"\]/],
  ]) {
    test(`bad options: ${what} → PruneOptionError naming ${field}`, () => {
      assert.throws(() => planPrune([], { ...OPTIONS, ...options }),
        (e) => e instanceof PruneOptionError && e.field === field && pattern.test(e.message) && e.message.startsWith(`${field}: `));
    });
  }

  test('bad input: not an array, an entry without ImageId', () => {
    assert.throws(() => planPrune({}, OPTIONS), TypeError);
    assert.throws(() => planPrune([{ ImageName: 'x' }], OPTIONS), /images\[0\] has no ImageId/);
  });
});
