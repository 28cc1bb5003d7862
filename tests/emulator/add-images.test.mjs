import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEmulator } from '../../emulator/emulator.mjs';

test('addImages adds deletable images to a region, checks them, and a reset drops them', () => {
  const emulator = createEmulator({ log: null });
  emulator.addImages('ap-guangzhou', [{ ImageId: 'img-extra001', ImageState: 'NORMAL' }]);
  const added = emulator.images('ap-guangzhou').find((i) => i.ImageId === 'img-extra001');
  assert.equal(added.ImageState, 'NORMAL');
  assert.deepEqual(added.SnapshotSet, []);
  assert.throws(() => emulator.addImages('ap-guangzhou', [{ ImageId: 'img-extra001', ImageState: 'NORMAL' }]), /exists already/);
  assert.throws(() => emulator.addImages('ap-guangzhou', [{ ImageId: 'ins-1', ImageState: 'NORMAL' }]), TypeError);
  assert.throws(() => emulator.addImages('xx-nowhere', []), /unknown region/);
  emulator.reset();
  assert.equal(emulator.images('ap-guangzhou').some((i) => i.ImageId === 'img-extra001'), false);
});
