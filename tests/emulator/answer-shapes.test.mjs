// The emulator's answers against the shapes the core declares (src/response/shapes.rs, the same declaration
// that makes core.d.ts's Image, DescribeImagesResponse, …): every declared field is there with its
// type, and the emulator adds no field the real API does not have.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { pkg } from '../client/harness.mjs';

const [PERMANENT] = DEMO_CREDENTIALS;
let running;

before(async () => {
  running = await startEmulator({ port: 0, log: null, seedFamilies: true });
  running.emulator.addImages('ap-singapore', [{ ImageId: 'img-added001', ImageState: 'NORMAL' }]);
});
after(() => running.close());

const client = (region) => new pkg.CvmClient({ ...PERMANENT, region, endpoint: running.url });

const KIND_OF = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array'
  : Number.isInteger(value) ? 'integer' : typeof value);

/** The field paths of an answer (`ImageSet.*.OsName`), each with the kinds seen there. */
function pathsOf(value, prefix = '', out = new Map()) {
  if (Array.isArray(value)) {
    for (const item of value) pathsOf(item, `${prefix}*.`, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const path = `${prefix}${key}`;
      if (!out.has(path)) out.set(path, new Set());
      out.get(path).add(KIND_OF(item));
      pathsOf(item, `${path}.`, out);
    }
  }
  return out;
}

/** Checks an answer (the client's result, `attempts` aside) against the declared fields. */
function agrees(action, answer) {
  const declared = pkg.internal.answerFields(action);
  assert.ok(declared.length > 0, `the core declares ${action}'s answer`);
  const byPath = new Map(declared.map((f) => [f.path, f]));
  const { attempts, ...response } = answer;
  assert.equal(typeof attempts, 'number');
  const seen = pathsOf(response);
  const undeclared = [...seen.keys()].filter((p) => !byPath.has(p));
  assert.deepEqual(undeclared, [], `${action}: the emulator answers fields the API does not declare`);
  for (const [path, kinds] of seen) {
    const { kind, required } = byPath.get(path);
    const allowed = new Set([kind, ...(required ? [] : ['null'])]);
    assert.deepEqual([...kinds].filter((k) => !allowed.has(k)), [], `${action}: ${path} is ${[...kinds]}, declared ${kind}`);
  }
  return { declared, seen };
}

test('DescribeImages: every image of every seeded region has every declared field, and no other', async () => {
  for (const region of ['ap-guangzhou', 'ap-shanghai', 'ap-beijing', 'ap-singapore']) {
    const answer = await client(region).describeImages({ Limit: 100 });
    assert.ok(answer.ImageSet.length > 0, region);
    const { declared, seen } = agrees('DescribeImages', answer);
    // The emulator answers the complete structure: optional fields too (Tags and SnapshotSet may
    // be empty lists, so their items' fields need not show).
    const absent = declared.filter((f) => !seen.has(f.path) && !/^ImageSet\.\*\.(Tags|SnapshotSet)\.\*\./.test(f.path));
    assert.deepEqual(absent.map((f) => f.path), [], `${region}: declared fields the emulator leaves out`);
  }
});

test('DescribeImageSharePermission and DeleteImages answers have their declared shapes', async () => {
  const c = client('ap-guangzhou');
  agrees('DescribeImageSharePermission', await c.describeImageSharePermission({ ImageId: 'img-gzshare1' }));
  agrees('DescribeImageSharePermission', await c.describeImageSharePermission({ ImageId: 'img-gznorm01' }));
  agrees('DeleteImages', await c.deleteImages({ ImageIds: ['img-gznorm05'] }));
});

test('the declared Image has every field of the API\'s Image data structure', () => {
  const fields = pkg.internal.answerFields('DescribeImages')
    .filter((f) => /^ImageSet\.\*\.\w+$/.test(f.path)).map((f) => f.path.slice('ImageSet.*.'.length));
  assert.deepEqual(fields, [
    'ImageId', 'OsName', 'ImageType', 'CreatedTime', 'ImageName', 'ImageDescription', 'ImageSize', 'Architecture',
    'ImageState', 'Platform', 'ImageCreator', 'ImageSource', 'SyncPercent', 'IsSupportCloudinit', 'SnapshotSet', 'Tags',
    'LicenseType', 'ImageFamily', 'ImageDeprecated',
  ]);
  assert.deepEqual(pkg.internal.answerFields('DescribeInstances'), []);
});

test('an answer without a required field is ClientError.InvalidResponse naming it; unknown fields pass', async () => {
  const answer = (image) => ({ body: JSON.stringify({ Response: { ImageSet: [image], TotalCount: 1, RequestId: 'r-1' } }) });
  const full = (await client('ap-guangzhou').describeImages({ Limit: 1 })).ImageSet[0];
  const stub = (image) => new pkg.CvmClient({ ...PERMANENT, region: 'ap-guangzhou', retries: 0,
    fetch: async () => new Response(answer(image).body, { status: 200 }) });
  const ok = await stub({ ...full, Brand: 'new' }).describeImages();
  assert.equal(ok.ImageSet[0].Brand, 'new');
  const { OsName: _, ...withoutOsName } = full;
  const error = await stub(withoutOsName).describeImages().then(() => assert.fail('resolved'), (e) => e);
  assert.equal(error.code, 'ClientError.InvalidResponse');
  assert.match(error.message, /ImageSet\.0\.OsName is missing/);
  assert.equal(error.requestId, 'r-1');
});
