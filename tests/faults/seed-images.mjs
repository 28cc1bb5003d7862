// Adding images to a running emulator, for suites that need more than the eleven seeded per
// region, through the emulator's own `addImages(region, records)`.
// `emulator.reset()` drops what was added (add again after a reset).

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

/** Adds image records to a region of a running emulator; checks they are visible. */
export function addImages(emulator, region, records) {
  emulator.addImages(region, records);
  const visible = new Set(emulator.images(region).map((i) => i.ImageId));
  const missing = records.filter((r) => !visible.has(r.ImageId));
  if (missing.length > 0) throw new Error(`added images not visible in ${region}: ${missing.map((r) => r.ImageId).join(', ')}`);
}
