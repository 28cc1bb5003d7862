// DescribeImageSharePermission: the accounts one image is shared with. The emulator's images carry
// a marker, IsShared; a shared one answers two accounts, any other an empty list.
import { existingImage, readImageId, rejectUnknownParameters } from './param-rules.mjs';

const SHARED_WITH = ['100000000002', '100000000003'];
const DAY_MS = 86_400_000;

/**
 * Checks in order: unknown parameters → ImageId (see readImageId) → the image exists. Answers
 * {SharePermissionSet: [{CreatedTime, AccountId}]}, shared a day after the image was created.
 */
export function describeImageSharePermission(params, regionStore) {
  rejectUnknownParameters(params, ['ImageId']);
  const image = existingImage(regionStore, readImageId(params, 'ImageId'));
  if (!image.IsShared) return { SharePermissionSet: [] };
  const created = Date.parse(image.CreatedTime);
  const sharedAt = Number.isFinite(created) ? new Date(created + DAY_MS).toISOString().replace('.000Z', 'Z') : image.CreatedTime;
  return { SharePermissionSet: SHARED_WITH.map((AccountId) => ({ CreatedTime: sharedAt, AccountId })) };
}
