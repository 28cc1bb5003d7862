// The emulator's image families for `tccvm prune-images` (option seedFamilies): names, ages relative
// to the clock at seeding, and DescribeImages paging and filtering over them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEmulator } from '../../emulator/emulator.mjs';
import { call, quietEmulator } from './support.mjs';

const DAY = 86_400_000;

describe('seedFamilies', () => {
  test('off by default: the seed is the eleven images of the table', () => {
    assert.equal(createEmulator({ log: null }).images('ap-guangzhou').length, 11);
  });

  test('3 families × 10 NORMAL private images per seeded region, aged from the clock at each reset', () => {
    const START = Date.UTC(2026, 10, 1, 12, 0, 0);
    let nowMs = START;
    const emulator = createEmulator({ log: null, seedFamilies: true, now: () => nowMs });
    const check = () => {
      for (const [region, rr] of [['ap-guangzhou', 'gz'], ['ap-shanghai', 'sh'], ['ap-beijing', 'bj']]) {
        const families = emulator.images(region).filter((i) => /^img-..(web|api|bas)\d{3}$/.test(i.ImageId));
        assert.equal(families.length, 30, region);
        assert.ok(families.every((i) => i.ImageState === 'NORMAL' && i.ImageType === 'PRIVATE_IMAGE' && !i.IsShared));
        const ageDays = (id) => (nowMs - Date.parse(families.find((i) => i.ImageId === id).CreatedTime)) / DAY;
        const nameOf = (id) => families.find((i) => i.ImageId === id).ImageName;
        for (let n = 0; n < 10; n++) {
          // Whole seconds, so within a second of the table's age (plus half a day).
          assert.ok(Math.abs(ageDays(`img-${rr}web00${n}`) - (5.5 + 20 * n)) < 1 / 86_400);
          assert.ok(Math.abs(ageDays(`img-${rr}api00${n}`) - (10.5 + 30 * n)) < 1 / 86_400);
          assert.ok(Math.abs(ageDays(`img-${rr}bas00${n}`) - (1.5 + 7 * n)) < 1 / 86_400);
          assert.equal(nameOf(`img-${rr}api00${n}`), `api-v${10 - n}`);
        }
        if (nowMs === START) {
          assert.equal(nameOf(`img-${rr}web000`), 'web-20261027'); // 5.5 days before 2026-11-01T12:00Z
          assert.equal(nameOf(`img-${rr}bas000`), 'base_2026-10-31T00-00'); // 1.5 days before
        }
        assert.match(families[0].CreatedTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      }
    };
    check();
    nowMs += 100 * DAY;
    emulator.reset();
    check();
  });
});

describe('DescribeImages over the families', () => {
  let running;
  before(async () => {
    running = await quietEmulator({ seedFamilies: true });
  });
  after(() => running.close());

  const describeImages = async (params) => (await call(running.port, { action: 'DescribeImages', params })).json.Response;

  test('41 private images in pages of Limit 100 / Offset, and by exact name', async () => {
    const filters = [{ Name: 'image-type', Values: ['PRIVATE_IMAGE'] }];
    const first = await describeImages({ Filters: filters, Limit: 20, Offset: 0 });
    const rest = await describeImages({ Filters: filters, Limit: 100, Offset: 20 });
    assert.equal(first.TotalCount, 41);
    assert.equal(first.ImageSet.length + rest.ImageSet.length, 41);
    assert.equal(new Set([...first.ImageSet, ...rest.ImageSet].map((i) => i.ImageId)).size, 41);
    const byName = await describeImages({ Filters: [...filters, { Name: 'image-name', Values: ['api-v3', 'api-v4'] }] });
    assert.deepEqual(byName.ImageSet.map((i) => i.ImageId).sort(), ['img-gzapi006', 'img-gzapi007']);
  });
});
