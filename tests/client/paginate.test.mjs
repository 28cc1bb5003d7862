// client.paginateDescribeImages and client.listImages against the emulator: Offset/Limit walked,
// the set changing between pages (an image added, one deleted), aborting.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { pkg, rejectionOf } from './harness.mjs';

const [PERMANENT] = DEMO_CREDENTIALS;
// A region the seed leaves empty: its 250 images are the test's own.
const REGION = 'ap-singapore';
const COUNT = 250;
const idOf = (n) => `img-pg${String(n).padStart(6, '0')}`;
let running;

const client = () => new pkg.CvmClient({ ...PERMANENT, region: REGION, endpoint: running.url });
const imageIds = () => running.emulator.images(REGION).map((image) => image.ImageId);

before(async () => {
  running = await startEmulator({ port: 0, log: null });
});
after(() => running.close());
beforeEach(() => {
  running.emulator.reset();
  running.emulator.addImages(REGION, Array.from({ length: COUNT }, (_, n) => ({ ImageId: idOf(n), ImageState: 'NORMAL' })));
});

/** Every id yielded, and the pages, walking with `between(pageNumber)` run after each page. */
async function walk(pages, between = async () => {}) {
  const yielded = [];
  const seen = [];
  for await (const page of pages) {
    seen.push(page);
    yielded.push(...page.ImageSet.map((image) => image.ImageId));
    await between(seen.length);
  }
  return { yielded, pages: seen };
}

test('walks 250 images in 3 pages of 100, each once, the set unchanged', async () => {
  const pages = client().paginateDescribeImages({}, { pageSize: 100 });
  const { yielded, pages: seen } = await walk(pages);
  assert.equal(seen.length, 3);
  // Each page after the first is asked from the last image of the page before (the anchor that
  // shows nothing moved), so it brings one image fewer that is new.
  assert.deepEqual(seen.map((p) => [p.Offset, p.ImageSet.length]), [[0, 100], [99, 99], [198, 51]]);
  assert.deepEqual(seen.map((p) => p.TotalCount), [250, 250, 250]);
  assert.deepEqual(yielded, imageIds());
  assert.equal(pages.setChanged, false);
  assert.equal(pages.requests, 3);
  assert.ok(seen.every((p) => p.setChanged === false && typeof p.RequestId === 'string' && p.attempts === 1));
});

test('an image added and one deleted between pages: 3 pages, each surviving image once, the run says the set changed', async () => {
  const c = client();
  const pages = c.paginateDescribeImages({}, { pageSize: 100 });
  const before = imageIds();
  // After page 1 an image is added; after page 2 one already yielded (on page 1) is deleted,
  // which slides every later image back by one: without care, the first image of page 3 would
  // be skipped.
  const { yielded, pages: seen } = await walk(pages, async (n) => {
    if (n === 1) running.emulator.addImages(REGION, [{ ImageId: 'img-pgadded01', ImageState: 'NORMAL' }]);
    if (n === 2) await c.deleteImages({ ImageIds: [idOf(10)] });
  });
  assert.equal(seen.length, 3, `pages: ${seen.map((p) => `${p.Offset}+${p.ImageSet.length}`).join(', ')}`);
  assert.equal(new Set(yielded).size, yielded.length, 'no image yielded twice');
  const surviving = before.filter((id) => id !== idOf(10));
  const missing = surviving.filter((id) => !yielded.includes(id));
  assert.deepEqual(missing, [], 'every image there from start to end is yielded');
  assert.ok(yielded.includes('img-pgadded01'), 'the image added at the end is listed too');
  assert.equal(pages.setChanged, true);
  assert.deepEqual(seen.map((p) => p.setChanged), [false, true, true]);
});

test('images deleted before the position and added after it, page after page: every survivor once', async () => {
  const c = client();
  const before = imageIds();
  const deleted = [];
  const listing = c.listImages({}, { pageSize: 20 });
  const yielded = [];
  for await (const image of listing) {
    yielded.push(image.ImageId);
    // Every 20 images: delete two already listed (sliding the rest back) and add one.
    if (yielded.length % 20 === 0 && yielded.length < 240) {
      const gone = [yielded[yielded.length - 5], yielded[yielded.length - 15]];
      await c.deleteImages({ ImageIds: gone });
      deleted.push(...gone);
      running.emulator.addImages(REGION, [{ ImageId: `img-pgnew${String(yielded.length).padStart(4, '0')}`, ImageState: 'NORMAL' }]);
    }
  }
  assert.equal(new Set(yielded).size, yielded.length, 'no image yielded twice');
  assert.deepEqual(before.filter((id) => !deleted.includes(id) && !yielded.includes(id)), []);
  assert.equal(listing.setChanged, true);
});

test('listImages yields Image objects with every declared field, and filters pass through', async () => {
  const images = [];
  const listing = client().listImages({ Filters: [{ Name: 'image-id', Values: [idOf(3), idOf(200), idOf(201)] }] }, { pageSize: 2 });
  for await (const image of listing) images.push(image);
  assert.deepEqual(images.map((i) => i.ImageId), [idOf(3), idOf(200), idOf(201)]);
  assert.equal(typeof images[0].OsName, 'string');
  assert.equal(listing.requests, 2);
  assert.equal(listing.setChanged, false);
});

test('an Offset in params is where the walk starts; an empty listing is one empty page', async () => {
  const { yielded } = await walk(client().paginateDescribeImages({ Offset: 240 }, { pageSize: 100 }));
  assert.deepEqual(yielded, imageIds().slice(240));
  const { pages } = await walk(client().paginateDescribeImages({ Filters: [{ Name: 'image-name', Values: ['none'] }] }));
  assert.deepEqual(pages.map((p) => [p.ImageSet.length, p.TotalCount]), [[0, 0]]);
});

test('aborting stops the walk with ClientError.Aborted, between pages or in flight', async () => {
  const controller = new AbortController();
  const pages = client().paginateDescribeImages({}, { pageSize: 50, signal: controller.signal });
  const seen = [];
  const error = await rejectionOf((async () => {
    for await (const page of pages) {
      seen.push(page);
      if (seen.length === 2) controller.abort();
    }
  })());
  assert.equal(error.code, 'ClientError.Aborted');
  assert.ok(error instanceof pkg.TencentCloudError);
  assert.equal(seen.length, 2);
  assert.equal(pages.requests, 2);
});

// An adversarial review's findings, each kept fixed here.
describe('paginators: review findings', () => {
  const answerWith = (response) => async () => new Response(JSON.stringify({ Response: { RequestId: 'r', ...response } }), { headers: { 'content-type': 'application/json' } });
  const image = (n) => ({ ImageId: `img-${String(n).padStart(8, '0')}`, OsName: 'TencentOS', ImageType: 'PRIVATE_IMAGE', CreatedTime: '2026-01-01T00:00:00Z', ImageName: `n${n}`, ImageDescription: '', ImageSize: 50, Architecture: 'x86_64', ImageState: 'NORMAL', Platform: 'TencentOS', ImageCreator: '1', ImageSource: 'CREATE_IMAGE' });
  const drain = async (iterable) => {
    const out = [];
    for await (const item of iterable) out.push(item);
    return out;
  };
  const stub = (fetch) => new pkg.CvmClient({ secretId: 'AKIDpaginateReview00000000000000001', secretKey: 'paginate-review-key', region: 'ap-guangzhou', fetch, retries: 0 });

  test('a page size that cannot carry the anchor and something new (1), or none the API takes, is a ValidationError naming it', async () => {
    const client = stub(answerWith({ ImageSet: [], TotalCount: 0 }));
    for (const [options, params, field] of [[{ pageSize: 1 }, {}, 'pageSize'], [{ pageSize: 0 }, {}, 'pageSize'], [{ pageSize: 1.5 }, {}, 'pageSize'], [{ pageSize: 101 }, {}, 'pageSize'], [{}, { Limit: 1 }, 'params.Limit']]) {
      await assert.rejects(async () => drain(client.listImages(params, options)), (e) => e instanceof pkg.ValidationError && e.field === field, JSON.stringify([options, params]));
    }
  });

  test('an answer without an ImageSet (a DryRunOperation) rejects with a TencentCloudError, not a TypeError', async () => {
    const client = stub(answerWith({ Error: { Code: 'DryRunOperation', Message: 'ok' } }));
    await assert.rejects(async () => drain(client.listImages({})), (e) => e instanceof pkg.TencentCloudError && e.code === 'ClientError.InvalidResponse');
  });

  test('a server that ignores Offset and overstates TotalCount is not asked for ever', async () => {
    let requests = 0;
    const same = Array.from({ length: 10 }, (_, i) => image(i));
    const client = stub(async (...args) => {
      requests += 1;
      return answerWith({ ImageSet: same, TotalCount: 1_000_000 })(...args);
    });
    const pages = client.paginateDescribeImages({}, { pageSize: 10 });
    const images = (await drain(pages)).flatMap((p) => p.ImageSet);
    assert.equal(images.length, 10);
    assert.ok(requests <= 30, `${requests} requests`);
    assert.equal(pages.setChanged, true);
  });
});
