// DeleteImages' rules over HTTP, with the store inspected after each call.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { MAX_IMAGE_IDS_PER_CALL } from '../../emulator/emulator.mjs';
import { call, codeOf, imageIds, PERMANENT, quietEmulator, snapshotIds, TEMPORARY } from './support.mjs';

let running;
let port;
before(async () => {
  running = await quietEmulator();
  port = running.port;
});
after(() => running.close());
beforeEach(() => running.emulator.reset());

const deleteImages = (params, options = {}) => call(port, { params, ...options });
const has = (id, region = 'ap-guangzhou') => imageIds(running.emulator, region).includes(id);
const ids = (count) => Array.from({ length: count }, (_, i) => `img-${String(i).padStart(8, '0')}`);

describe('deleting', () => {
  test('a NORMAL image goes; its snapshots stay without DeleteBindedSnap', async () => {
    const before = imageIds(running.emulator).length;
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gznorm02'] })), 'OK');
    assert.equal(has('img-gznorm02'), false);
    assert.equal(imageIds(running.emulator).length, before - 1);
    assert.ok(snapshotIds(running.emulator).includes('snap-gznorm2s'));
    assert.ok(snapshotIds(running.emulator).includes('snap-gznorm2d'));
  });

  test('DeleteBindedSnap removes exactly the bound snapshots', async () => {
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gznorm02'], DeleteBindedSnap: true })), 'OK');
    assert.deepEqual(snapshotIds(running.emulator).sort(), ['snap-gzfree01', 'snap-gznorm3s', 'snap-gzshar1s']);
  });

  test('DeleteBindedSnap as the string "True" (the page example) and over GET as true', async () => {
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gznorm03'], DeleteBindedSnap: 'True' })), 'OK');
    assert.ok(!snapshotIds(running.emulator).includes('snap-gznorm3s'));
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gznorm02'], DeleteBindedSnap: true }, { method: 'GET' })), 'OK');
    assert.deepEqual(snapshotIds(running.emulator).sort(), ['snap-gzfree01', 'snap-gzshar1s']);
  });

  test('several images at once, over GET, and failed images are deletable', async () => {
    const params = { ImageIds: ['img-gznorm01', 'img-gzcfail1', 'img-gzifail1'] };
    assert.equal(codeOf(await deleteImages(params, { method: 'GET' })), 'OK');
    for (const id of params.ImageIds) assert.equal(has(id), false, id);
  });

  test('a repeated id counts once', async () => {
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gznorm01', 'img-gznorm01'] })), 'OK');
    assert.equal(has('img-gznorm01'), false);
  });

  test('regions are separate', async () => {
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-shnorm01'] })), 'InvalidImageId.NotFound');
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-shnorm01'] }, { region: 'ap-shanghai' })), 'OK');
    assert.equal(has('img-shnorm01', 'ap-shanghai'), false);
    assert.equal(has('img-gznorm01'), true);
  });

  test('deleting is not idempotent: a second call answers NotFound', async () => {
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gznorm01'] })), 'OK');
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gznorm01'] })), 'InvalidImageId.NotFound');
  });
});

describe('DryRun', () => {
  for (const dryRun of [true, 'True', 'true']) {
    test(`DryRun ${JSON.stringify(dryRun)} checks and deletes nothing`, async () => {
      const answer = await deleteImages({ ImageIds: ['img-gznorm02'], DryRun: dryRun, DeleteBindedSnap: true });
      assert.equal(codeOf(answer), 'OK');
      assert.deepEqual(Object.keys(answer.json.Response), ['RequestId']);
      assert.equal(has('img-gznorm02'), true);
      assert.ok(snapshotIds(running.emulator).includes('snap-gznorm2s'));
    });
  }
  test('DryRun false and "False" delete', async () => {
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gznorm01'], DryRun: false })), 'OK');
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gznorm04'], DryRun: 'False' })), 'OK');
    assert.equal(has('img-gznorm01') || has('img-gznorm04'), false);
  });
  test('DryRun answers the error the real call would', async () => {
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gzcreat1'], DryRun: true })), 'InvalidImageId.IncorrectState');
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gzshare1'], DryRun: true })), 'InvalidImageId.InShared');
  });
  test('over GET', async () => {
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-gznorm01'], DryRun: true }, { method: 'GET' })), 'OK');
    assert.equal(has('img-gznorm01'), true);
  });
});

describe('rules, each with its exact code, and nothing deleted', () => {
  const cases = [
    ['an unknown parameter', { ImageIds: ['img-gznorm01'], Force: true }, 'UnknownParameter'],
    ['a parameter in the wrong case', { imageIds: ['img-gznorm01'] }, 'UnknownParameter'],
    ['no ImageIds', {}, 'MissingParameter'],
    ['ImageIds null', { ImageIds: null }, 'MissingParameter'],
    ['ImageIds empty', { ImageIds: [] }, 'MissingParameter'],
    ['ImageIds a string', { ImageIds: 'img-gznorm01' }, 'InvalidParameter'],
    ['ImageIds with a number', { ImageIds: ['img-gznorm01', 7] }, 'InvalidParameter'],
    ['ImageIds with an object', { ImageIds: [{ id: 'img-gznorm01' }] }, 'InvalidParameter'],
    ['DryRun "yes"', { ImageIds: ['img-gznorm01'], DryRun: 'yes' }, 'InvalidParameter'],
    ['DryRun 1', { ImageIds: ['img-gznorm01'], DryRun: 1 }, 'InvalidParameter'],
    ['DeleteBindedSnap "TRUE"', { ImageIds: ['img-gznorm01'], DeleteBindedSnap: 'TRUE' }, 'InvalidParameter'],
    [`${MAX_IMAGE_IDS_PER_CALL + 1} ids`, { ImageIds: [...ids(MAX_IMAGE_IDS_PER_CALL), 'img-gznorm01'] }, 'InvalidParameterValue.LimitExceeded'],
    ['an id without img-', { ImageIds: ['gznorm01'] }, 'InvalidImageId.Malformed'],
    ['an id with 7 characters', { ImageIds: ['img-gznorm0'] }, 'InvalidImageId.Malformed'],
    ['an id in upper case', { ImageIds: ['img-GZNORM01'] }, 'InvalidImageId.Malformed'],
    ['an id with a space', { ImageIds: ['img-gznorm01 '] }, 'InvalidImageId.Malformed'],
    ['an empty id', { ImageIds: [''] }, 'InvalidImageId.Malformed'],
    ['an unknown id', { ImageIds: ['img-zz000000'] }, 'InvalidImageId.NotFound'],
    ['a CREATING image', { ImageIds: ['img-gzcreat1'] }, 'InvalidImageId.IncorrectState'],
    ['a SYNCING image', { ImageIds: ['img-gzsync01'] }, 'InvalidImageId.IncorrectState'],
    ['an IMPORTING image', { ImageIds: ['img-gzimpt01'] }, 'InvalidImageId.IncorrectState'],
    ['a shared image', { ImageIds: ['img-gzshare1'] }, 'InvalidImageId.InShared'],
    // All or nothing: the good ids around a bad one stay.
    ['a busy image among good ones', { ImageIds: ['img-gznorm01', 'img-gznorm04', 'img-gzcreat1'] }, 'InvalidImageId.IncorrectState'],
    ['an unknown image after a good one', { ImageIds: ['img-gznorm01', 'img-zz000000'] }, 'InvalidImageId.NotFound'],
    ['a shared image among good ones', { ImageIds: ['img-gznorm01', 'img-gzshare1', 'img-gznorm04'] }, 'InvalidImageId.InShared'],
    ['a malformed id after an unknown one (format is checked first)', { ImageIds: ['img-zz000000', 'bad'] }, 'InvalidImageId.Malformed'],
  ];
  for (const [name, params, code] of cases) {
    test(name, async () => {
      const before = running.emulator.state('ap-guangzhou');
      const answer = await deleteImages({ ...params, DeleteBindedSnap: params.DeleteBindedSnap ?? true });
      assert.equal(codeOf(answer), code, answer.json?.Response?.Error?.Message);
      assert.deepEqual(running.emulator.state('ap-guangzhou'), before);
    });
  }

  test(`exactly ${MAX_IMAGE_IDS_PER_CALL} ids pass the count rule`, async () => {
    assert.equal(codeOf(await deleteImages({ ImageIds: ids(MAX_IMAGE_IDS_PER_CALL) })), 'InvalidImageId.NotFound');
  });
  test('an id longer than 8 characters is well formed (Tencent\'s own example has 9)', async () => {
    assert.equal(codeOf(await deleteImages({ ImageIds: ['img-34vaef8fe'] })), 'InvalidImageId.NotFound');
  });
  test('the error message names the offending id', async () => {
    const answer = await deleteImages({ ImageIds: ['img-gznorm01', 'img-gzsync01'] });
    assert.match(answer.json.Response.Error.Message, /img-gzsync01/);
  });
});

describe('rate limit: 10 DeleteImages per second per SecretId (sliding window)', () => {
  let clockMs;
  let limited;
  before(async () => {
    clockMs = Date.now();
    limited = await quietEmulator({ now: () => clockMs });
  });
  after(() => limited.close());
  beforeEach(() => limited.emulator.reset());

  const timestamp = () => Math.floor(clockMs / 1000);
  const dryRun = (options = {}) => call(limited.port, { params: { ImageIds: ['img-gznorm01'], DryRun: true }, timestamp: timestamp(), ...options });
  const burst = async (count, options) => {
    const codes = [];
    for (let i = 0; i < count; i++) codes.push(codeOf(await dryRun(options)));
    return codes;
  };

  test('the 11th call within one second is refused', async () => {
    assert.deepEqual(await burst(10), Array(10).fill('OK'));
    assert.equal(codeOf(await dryRun()), 'RequestLimitExceeded');
  });

  test('the window slides: calls older than 1000 ms no longer count', async () => {
    assert.deepEqual(await burst(5), Array(5).fill('OK'));
    clockMs += 600;
    assert.deepEqual(await burst(5), Array(5).fill('OK'));
    assert.equal(codeOf(await dryRun()), 'RequestLimitExceeded');
    clockMs += 401; // the first five are now more than 1000 ms old
    assert.deepEqual(await burst(5), Array(5).fill('OK'));
    assert.equal(codeOf(await dryRun()), 'RequestLimitExceeded');
  });

  test('each SecretId has its own window', async () => {
    await burst(10);
    assert.equal(codeOf(await dryRun()), 'RequestLimitExceeded');
    assert.equal(codeOf(await dryRun({ credential: TEMPORARY })), 'OK');
  });

  test('refused and unauthenticated calls do not count; failed business checks do', async () => {
    await burst(3, { credential: { ...PERMANENT, secretKey: 'wrong' } }); // SignatureFailure: not counted
    await burst(3, { params: { ImageIds: ['img-zz000000'] } }); // NotFound: counted
    assert.deepEqual(await burst(7), Array(7).fill('OK'));
    assert.equal(codeOf(await dryRun()), 'RequestLimitExceeded');
    assert.equal(codeOf(await dryRun()), 'RequestLimitExceeded');
    clockMs += 1001;
    assert.equal(codeOf(await dryRun()), 'OK');
  });

  test('DescribeImages is not limited', async () => {
    await burst(10);
    const describe = await call(limited.port, { action: 'DescribeImages', params: {}, timestamp: timestamp() });
    assert.equal(codeOf(describe), 'OK');
  });
});
