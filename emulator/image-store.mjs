// The emulator's world: custom images and snapshots, kept per region.

/** Regions the emulator answers for (reference tencent-api-3.md §3); others get UnsupportedRegion. */
export const REGIONS = Object.freeze([
  'ap-bangkok', 'ap-beijing', 'ap-chengdu', 'ap-chongqing', 'ap-guangzhou', 'ap-hongkong',
  'ap-jakarta', 'ap-mumbai', 'ap-nanjing', 'ap-seoul', 'ap-shanghai', 'ap-shanghai-fsi',
  'ap-shenzhen-fsi', 'ap-singapore', 'ap-tokyo', 'eu-frankfurt', 'eu-moscow', 'na-ashburn',
  'na-siliconvalley', 'na-toronto', 'sa-saopaulo',
]);

// One template stamped into each seeded region with the region's two-letter code, so that every
// seeded region covers every image state: ids are img-<code><suffix>, e.g. img-gznorm02.
const SEEDED_REGIONS = { 'ap-guangzhou': 'gz', 'ap-shanghai': 'sh', 'ap-beijing': 'bj' };

// [suffix, name, state, size GB, shared, bound snapshots [suffix, disk usage, size GB]]
const IMAGE_TEMPLATE = [
  ['norm01', 'web-base', 'NORMAL', 50, false, []],
  ['norm02', 'web-with-data', 'NORMAL', 50, false, [['norm2s', 'SYSTEM_DISK', 50], ['norm2d', 'DATA_DISK', 100]]],
  ['norm03', 'db-base', 'NORMAL', 50, false, [['norm3s', 'SYSTEM_DISK', 50]]],
  ['norm04', 'ci-runner', 'NORMAL', 20, false, []],
  ['norm05', 'bastion', 'NORMAL', 20, false, []],
  ['creat1', 'still-creating', 'CREATING', 50, false, []],
  ['sync01', 'syncing-copy', 'SYNCING', 50, false, []],
  ['impt01', 'importing-vmdk', 'IMPORTING', 50, false, []],
  ['cfail1', 'create-failed', 'CREATEFAILED', 50, false, []],
  ['ifail1', 'import-failed', 'IMPORTFAILED', 50, false, []],
  ['share1', 'shared-golden', 'NORMAL', 50, true, [['shar1s', 'SYSTEM_DISK', 50]]],
];
// Snapshots bound to no image: DeleteBindedSnap must leave them alone.
const LOOSE_SNAPSHOT_TEMPLATE = [['free01', 'DATA_DISK', 200]];

const SEED_EPOCH_MS = Date.UTC(2024, 5, 1, 8, 0, 0);
const DAY_MS = 86_400_000;

function snapshotRecord(code, [suffix, usage, size]) {
  return { SnapshotId: `snap-${code}${suffix}`, DiskUsage: usage, DiskSize: size };
}

function imageRecord(code, [suffix, name, state, size, shared, snapshots], index) {
  const imported = state.startsWith('IMPORT');
  return {
    ImageId: `img-${code}${suffix}`,
    ImageName: name,
    ImageDescription: '',
    ImageType: 'PRIVATE_IMAGE',
    ImageState: state,
    ImageSize: size,
    CreatedTime: new Date(SEED_EPOCH_MS + index * DAY_MS).toISOString().replace('.000Z', 'Z'),
    OsName: 'TencentOS Server 3.1 (TK4)',
    Platform: 'TencentOS',
    Architecture: 'x86_64',
    ImageCreator: '100000000001',
    ImageSource: imported ? 'IMPORT_IMAGE' : 'CREATE_IMAGE',
    SyncPercent: state === 'NORMAL' ? 100 : 0,
    IsSupportCloudinit: true,
    LicenseType: 'TencentCloud',
    Tags: [],
    SnapshotSet: snapshots.map((snapshot) => snapshotRecord(code, snapshot)),
    ImageFamily: '',
    ImageDeprecated: false,
    // Not a DescribeImages field of the real API: the emulator's marker for "shared with others".
    IsShared: shared,
  };
}

/**
 * An image record with every field of the API's Image data structure, from a partial one (the
 * emulator's addImages): what is given wins, the rest are the seed's defaults.
 */
export function completeImage(record) {
  return {
    ImageName: record.ImageId,
    ImageDescription: '',
    ImageType: 'PRIVATE_IMAGE',
    ImageSize: 50,
    CreatedTime: new Date(Date.UTC(2024, 6, 1)).toISOString().replace('.000Z', 'Z'),
    OsName: 'TencentOS Server 3.1',
    Platform: 'TencentOS',
    Architecture: 'x86_64',
    ImageCreator: '100000000001',
    ImageSource: 'CREATE_IMAGE',
    SyncPercent: record.ImageState === 'NORMAL' ? 100 : 0,
    IsSupportCloudinit: true,
    LicenseType: 'TencentCloud',
    Tags: [],
    SnapshotSet: [],
    ImageFamily: '',
    ImageDeprecated: false,
    IsShared: false,
    ...record,
  };
}

/** One region's images and snapshots. Readers get copies; only the methods below change state. */
class RegionStore {
  constructor() {
    this.imagesById = new Map();
    this.snapshotsById = new Map();
  }

  addImage(image) {
    this.imagesById.set(image.ImageId, image);
    for (const snapshot of image.SnapshotSet) this.snapshotsById.set(snapshot.SnapshotId, { ...snapshot });
  }

  image(imageId) {
    return this.imagesById.get(imageId);
  }

  /** Deletes an image; its bound snapshots go too only when asked (DeleteBindedSnap). */
  deleteImage(imageId, { withSnapshots }) {
    const image = this.imagesById.get(imageId);
    this.imagesById.delete(imageId);
    if (withSnapshots && image) {
      for (const { SnapshotId } of image.SnapshotSet) this.snapshotsById.delete(SnapshotId);
    }
  }

  images() {
    return [...this.imagesById.values()].map((image) => structuredClone(image));
  }

  snapshots() {
    return [...this.snapshotsById.values()].map((snapshot) => ({ ...snapshot }));
  }
}

// Three families of ten NORMAL images each, for `tccvm prune-images` (option seedFamilies), created
// relative to the clock at seeding so that ages are what the table says whatever the date:
// [id infix, name of the image created `ageDays` days ago, age of the newest in days, days apart]
// Ages: web 5, 25, …, 185 · api 10, 40, …, 280 · base 1, 8, …, 64 (half a day added to each, so
// that no age sits on a whole-day cutoff). Ids img-<rr><infix><n>, n = 0 for the newest.
const FAMILY_TEMPLATE = [
  ['web', (date) => `web-${date.slice(0, 10).replaceAll('-', '')}`, 5, 20],
  ['api', (date, n) => `api-v${10 - n}`, 10, 30],
  ['bas', (date) => `base_${date.slice(0, 16).replaceAll(':', '-')}`, 1, 7],
];
export const FAMILY_SIZE = 10;

function seedFamilies(store, code, nowMs) {
  for (const [infix, nameOf, newest, apart] of FAMILY_TEMPLATE) {
    for (let n = 0; n < FAMILY_SIZE; n++) {
      const created = new Date(nowMs - (newest + n * apart + 0.5) * DAY_MS);
      created.setUTCMilliseconds(0);
      const date = created.toISOString().replace('.000Z', 'Z');
      const image = imageRecord(code, [`${infix}00${n}`, nameOf(date, n), 'NORMAL', 20, false, []], 0);
      store.addImage({ ...image, CreatedTime: date });
    }
  }
}

function seedRegion(store, code) {
  IMAGE_TEMPLATE.forEach((row, index) => store.addImage(imageRecord(code, row, index)));
  for (const row of LOOSE_SNAPSHOT_TEMPLATE) {
    const snapshot = snapshotRecord(code, row);
    store.snapshotsById.set(snapshot.SnapshotId, snapshot);
  }
}

/**
 * All regions' stores, created on first use; seeded per the table above when `seed` is true, and
 * with the prune families too when `families` is true (`now`: the clock in ms at each reset).
 */
export function createImageStore({ seed, families = false, now = () => Date.now() }) {
  const regions = new Map();
  const store = {
    region(name) {
      if (!regions.has(name)) regions.set(name, new RegionStore());
      return regions.get(name);
    },
    /** A region's store if it was ever used; reading must not create one per name asked about. */
    existing(name) {
      return regions.get(name);
    },
    /** Regions holding anything, for the state endpoint. */
    occupiedRegions() {
      return [...regions].filter(([, r]) => r.imagesById.size + r.snapshotsById.size > 0).map(([name]) => name);
    },
    reset() {
      regions.clear();
      if (seed) for (const [name, code] of Object.entries(SEEDED_REGIONS)) seedRegion(store.region(name), code);
      if (families) for (const [name, code] of Object.entries(SEEDED_REGIONS)) seedFamilies(store.region(name), code, now());
    },
  };
  store.reset();
  return store;
}
