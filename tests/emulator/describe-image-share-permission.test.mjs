// DescribeImageSharePermission: the accounts one image is shared with (the emulator's IsShared
// marker), its parameter checks in order, and no part in DeleteImages' rate limit.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { call, codeOf, quietEmulator } from './support.mjs';

let running;
let clockMs;
before(async () => {
  clockMs = Date.now();
  running = await quietEmulator({ now: () => clockMs });
});
after(() => running.close());
beforeEach(() => running.emulator.reset());

const timestamp = () => Math.floor(clockMs / 1000);
const sharing = (params, options = {}) => call(running.port, { action: 'DescribeImageSharePermission', params, timestamp: timestamp(), ...options });

describe('DescribeImageSharePermission', () => {
  test('a shared image: two accounts, shared a day after it was created; over POST and GET', async () => {
    const created = running.emulator.images('ap-guangzhou').find((i) => i.ImageId === 'img-gzshare1').CreatedTime;
    const sharedAt = new Date(Date.parse(created) + 86_400_000).toISOString().replace('.000Z', 'Z');
    for (const method of ['POST', 'GET']) {
      const answer = await sharing({ ImageId: 'img-gzshare1' }, { method });
      assert.equal(codeOf(answer), 'OK', method);
      const { SharePermissionSet, RequestId, ...rest } = answer.json.Response;
      assert.deepEqual(SharePermissionSet, [
        { CreatedTime: sharedAt, AccountId: '100000000002' },
        { CreatedTime: sharedAt, AccountId: '100000000003' },
      ]);
      assert.match(RequestId, /^[0-9a-f-]{36}$/);
      assert.deepEqual(rest, {});
    }
  });

  test('an image shared with no one, in any state: an empty list; each region its own images', async () => {
    for (const id of ['img-gznorm01', 'img-gzcreat1', 'img-gzcfail1']) {
      assert.deepEqual((await sharing({ ImageId: id })).json.Response.SharePermissionSet, [], id);
    }
    assert.deepEqual((await sharing({ ImageId: 'img-bjshare1' }, { region: 'ap-beijing' })).json.Response.SharePermissionSet.length, 2);
    assert.equal(codeOf(await sharing({ ImageId: 'img-bjshare1' })), 'InvalidImageId.NotFound');
  });

  test('an image added with IsShared is shared; once deleted it is not found', async () => {
    running.emulator.addImages('ap-guangzhou', [
      { ImageId: 'img-gzadded01', ImageState: 'NORMAL', IsShared: true },
      { ImageId: 'img-gzadded02', ImageState: 'NORMAL' },
    ]);
    assert.equal((await sharing({ ImageId: 'img-gzadded01' })).json.Response.SharePermissionSet.length, 2);
    assert.deepEqual((await sharing({ ImageId: 'img-gzadded02' })).json.Response.SharePermissionSet, []);
    assert.equal(codeOf(await call(running.port, { params: { ImageIds: ['img-gzadded02'] }, timestamp: timestamp() })), 'OK');
    assert.equal(codeOf(await sharing({ ImageId: 'img-gzadded02' })), 'InvalidImageId.NotFound');
  });

  for (const [what, params, code] of [
    ['an unknown parameter', { ImageId: 'img-gznorm01', Limit: 10 }, 'UnknownParameter'],
    ['ImageIds instead of ImageId', { ImageIds: ['img-gznorm01'] }, 'UnknownParameter'],
    ['an unknown parameter before a malformed id', { ImageId: 'bad', Offset: 0 }, 'UnknownParameter'],
    ['no ImageId', {}, 'MissingParameter'],
    ['a null ImageId', { ImageId: null }, 'MissingParameter'],
    ['an empty ImageId', { ImageId: '' }, 'MissingParameter'],
    ['an ImageId that is not a string', { ImageId: ['img-gznorm01'] }, 'InvalidParameter'],
    ['a malformed id', { ImageId: 'img-GZNORM01' }, 'InvalidImageId.Malformed'],
    ['a 7-character id', { ImageId: 'img-gznorm0' }, 'InvalidImageId.Malformed'],
    ['an unknown id', { ImageId: 'img-zz000000' }, 'InvalidImageId.NotFound'],
  ]) {
    test(`${what} → ${code}`, async () => {
      assert.equal(codeOf(await sharing(params)), code);
    });
  }

  test('not rate-limited, and not counted against DeleteImages', async () => {
    const codes = [];
    for (let i = 0; i < 15; i++) codes.push(codeOf(await sharing({ ImageId: 'img-gznorm01' })));
    assert.deepEqual(codes, Array(15).fill('OK'));
    const dryRun = () => call(running.port, { params: { ImageIds: ['img-gznorm01'], DryRun: true }, timestamp: timestamp() });
    for (let i = 0; i < 10; i++) assert.equal(codeOf(await dryRun()), 'OK', `DeleteImages ${i + 1}`);
    assert.equal(codeOf(await dryRun()), 'RequestLimitExceeded');
    assert.equal(codeOf(await sharing({ ImageId: 'img-gzshare1' })), 'OK');
  });
});
