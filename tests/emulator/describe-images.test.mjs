// DescribeImages (the light version) and the seeded world it shows.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { call, codeOf, quietEmulator } from './support.mjs';

let running;
let port;
before(async () => {
  running = await quietEmulator();
  port = running.port;
});
after(() => running.close());
beforeEach(() => running.emulator.reset());

const describeImages = (params = {}, options = {}) => call(port, { action: 'DescribeImages', params, ...options });
const SEEDED_STATES = ['NORMAL', 'CREATING', 'SYNCING', 'IMPORTING', 'CREATEFAILED', 'IMPORTFAILED'];

describe('DescribeImages', () => {
  test('every seeded region covers every state, a shared image and bound snapshots', async () => {
    for (const [region, code] of [['ap-guangzhou', 'gz'], ['ap-shanghai', 'sh'], ['ap-beijing', 'bj']]) {
      const answer = await describeImages({ Limit: 100 }, { region });
      const { ImageSet, TotalCount } = answer.json.Response;
      assert.equal(TotalCount, 11);
      assert.deepEqual([...new Set(ImageSet.map((image) => image.ImageState))].sort(), [...SEEDED_STATES].sort());
      assert.ok(ImageSet.every((image) => new RegExp(`^img-${code}[a-z0-9]{6}$`).test(image.ImageId)));
      assert.ok(ImageSet.every((image) => image.ImageType === 'PRIVATE_IMAGE'));
      // The shared one is shared by the emulator's own marker, which DescribeImages does not show.
      assert.deepEqual(running.emulator.images(region).filter((image) => image.IsShared).map((image) => image.ImageId), [`img-${code}share1`]);
      assert.ok(ImageSet.every((image) => !('IsShared' in image)), 'no IsShared field in ImageSet');
      const withData = ImageSet.find((image) => image.ImageId === `img-${code}norm02`);
      assert.deepEqual(withData.SnapshotSet, [
        { SnapshotId: `snap-${code}norm2s`, DiskUsage: 'SYSTEM_DISK', DiskSize: 50 },
        { SnapshotId: `snap-${code}norm2d`, DiskUsage: 'DATA_DISK', DiskSize: 100 },
      ]);
      assert.match(withData.CreatedTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(typeof withData.ImageSize, 'number');
    }
  });

  test('a region without seed is empty', async () => {
    const answer = await describeImages({}, { region: 'ap-tokyo' });
    assert.deepEqual(answer.json.Response.ImageSet, []);
    assert.equal(answer.json.Response.TotalCount, 0);
  });

  test('default Limit is 20; Offset and Limit page', async () => {
    const all = (await describeImages()).json.Response;
    assert.equal(all.ImageSet.length, 11);
    const page = (await describeImages({ Offset: 3, Limit: 2 })).json.Response;
    assert.equal(page.TotalCount, 11);
    assert.deepEqual(page.ImageSet.map((image) => image.ImageId), all.ImageSet.slice(3, 5).map((image) => image.ImageId));
  });

  test('ImageIds picks images; unknown ids are simply absent', async () => {
    const answer = await describeImages({ ImageIds: ['img-gznorm01', 'img-zz000000'] });
    assert.deepEqual(answer.json.Response.ImageSet.map((image) => image.ImageId), ['img-gznorm01']);
    assert.equal(answer.json.Response.TotalCount, 1);
  });

  test('Filters image-state, over POST and GET (flattened Filters.0.Values.0)', async () => {
    for (const method of ['POST', 'GET']) {
      const answer = await describeImages({ Filters: [{ Name: 'image-state', Values: ['CREATING', 'SYNCING'] }], Limit: 50 }, { method });
      assert.equal(codeOf(answer), 'OK', answer.text);
      assert.deepEqual(answer.json.Response.ImageSet.map((image) => image.ImageId).sort(), ['img-gzcreat1', 'img-gzsync01']);
    }
  });

  test('shows a deletion', async () => {
    assert.equal(codeOf(await call(port, { params: { ImageIds: ['img-gznorm01'] } })), 'OK');
    const answer = await describeImages({ ImageIds: ['img-gznorm01'] });
    assert.equal(answer.json.Response.TotalCount, 0);
  });

  const refusals = [
    ['an unknown filter', { Filters: [{ Name: 'instance-name', Values: ['x'] }] }, 'InvalidFilter'],
    ['a filter named like an Object property', { Filters: [{ Name: 'constructor', Values: ['x'] }] }, 'InvalidFilter'],
    ['Filters not an array', { Filters: { Name: 'image-state' } }, 'InvalidParameter'],
    ['ImageIds and Filters together', { ImageIds: ['img-gznorm01'], Filters: [{ Name: 'image-state', Values: ['NORMAL'] }] }, 'InvalidParameter'],
    ['a malformed id', { ImageIds: ['nope'] }, 'InvalidImageId.Malformed'],
    ['Limit 0', { Limit: 0 }, 'InvalidParameterValue'],
    ['Limit 101', { Limit: 101 }, 'InvalidParameterValue'],
    ['Offset -1', { Offset: -1 }, 'InvalidParameterValue'],
    ['Offset 1.5', { Offset: 1.5 }, 'InvalidParameter'],
    ['an unknown parameter', { InstanceType: 'S5.SMALL1' }, 'UnknownParameter'],
  ];
  for (const [name, params, code] of refusals) {
    test(name, async () => assert.equal(codeOf(await describeImages(params)), code));
  }
});
