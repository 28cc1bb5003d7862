// Adding images to a running emulator, for suites that need more than the eleven seeded per region.
//
// WORKAROUND: the emulator has no public way to add images. createEmulator() takes no images
// option, no control endpoint adds one, and its store (createImageStore() in
// emulator/image-store.mjs, whose RegionStore does have addImage) is created inside createEmulator
// and never exposed: images(region) and state() hand out structuredClone copies. So this helper
// finds the region's live `imagesById` Map by watching, for one synchronous call of
// emulator.images(region), which Map instances have Map.prototype.values called on them
// (RegionStore.images() spreads imagesById.values()), then restores Map.prototype.values before
// anything else can run. Records added that way are indistinguishable from seeded ones: the
// emulator's own DeleteImages/DescribeImages code finds and deletes them.
// `emulator.reset()` rebuilds the store, dropping what was added (add again after a reset).
// Replace this with a public API (e.g. createEmulator({images}) or emulator.addImages(region, list))
// once the emulator has one.

/** The live Map ImageId → record behind emulator.images(region); the region must hold an image. */
function liveImageMap(emulator, region) {
  const touched = [];
  const values = Map.prototype.values;
  Map.prototype.values = function watchedValues() {
    touched.push(this);
    return values.call(this);
  };
  try {
    emulator.images(region);
  } finally {
    Map.prototype.values = values;
  }
  const isImageMap = (map) => map.size > 0
    && [...map.entries()].every(([key, value]) => typeof key === 'string' && key.startsWith('img-') && value?.ImageId === key);
  const found = touched.filter(isImageMap);
  if (found.length !== 1) {
    throw new Error(`cannot find the emulator's image map for ${region} (found ${found.length}); `
      + 'the emulator changed: give it a public way to add images and use that here');
  }
  return found[0];
}

/**
 * A new image record shaped exactly like the region's seeded ones (copied from the first NORMAL,
 * unshared image without snapshots), with the given id and state.
 */
export function imageLike(emulator, region, imageId, { state = 'NORMAL', name = imageId, shared = false, index = 0 } = {}) {
  const template = emulator.images(region).find((i) => i.ImageState === 'NORMAL' && !i.IsShared && i.SnapshotSet.length === 0);
  if (!template) throw new Error(`${region} has no plain NORMAL image to copy the record shape from`);
  return {
    ...structuredClone(template),
    ImageId: imageId,
    ImageName: name,
    ImageState: state,
    SyncPercent: state === 'NORMAL' ? 100 : 0,
    CreatedTime: new Date(Date.UTC(2024, 6, 1) + index * 60_000).toISOString().replace('.000Z', 'Z'),
    SnapshotSet: [],
    IsShared: shared,
  };
}

/** Adds image records to a seeded region of a running emulator; checks they are visible. */
export function addImages(emulator, region, records) {
  const map = liveImageMap(emulator, region);
  for (const record of records) {
    if (!/^img-[a-z0-9]{8,}$/.test(record.ImageId)) throw new TypeError(`bad image id ${record.ImageId}`);
    if (map.has(record.ImageId)) throw new Error(`${region} already holds ${record.ImageId}`);
    map.set(record.ImageId, structuredClone(record));
  }
  const visible = new Set(emulator.images(region).map((i) => i.ImageId));
  const missing = records.filter((r) => !visible.has(r.ImageId));
  if (missing.length > 0) throw new Error(`added images not visible in ${region}: ${missing.map((r) => r.ImageId).join(', ')}`);
}
