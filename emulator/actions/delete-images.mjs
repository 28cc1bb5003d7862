// DeleteImages (reference DeleteImages.md, tencent-api-3.md §6): all or nothing — every id is
// checked before anything is deleted, and one failing id fails the whole call.
import { ApiError } from '../api-error.mjs';
import { existingImage, readBoolean, readImageIds, rejectUnknownParameters } from './param-rules.mjs';

/** Most ImageIds accepted in one call: our documented limit (Tencent does not publish one). */
export const MAX_IMAGE_IDS_PER_CALL = 100;

// Newer pages: CREATING, SYNCING or IMPORTING; older pages: CREATING or USING.
const BUSY_STATES = new Set(['CREATING', 'SYNCING', 'IMPORTING', 'USING']);

function deletableImage(regionStore, imageId) {
  const image = existingImage(regionStore, imageId);
  if (BUSY_STATES.has(image.ImageState)) {
    throw new ApiError('InvalidImageId.IncorrectState', `The image ${imageId} is ${image.ImageState} and cannot be deleted now.`);
  }
  if (image.IsShared) throw new ApiError('InvalidImageId.InShared', `The image ${imageId} is shared and cannot be deleted.`);
  return image;
}

/**
 * Checks in order: unknown parameters → ImageIds (see readImageIds) → DryRun and DeleteBindedSnap
 * types → each id in turn: exists, not busy, not shared. Repeated ids count once. DryRun runs every
 * check and deletes nothing. Answers only RequestId (empty fields).
 */
export function deleteImages(params, regionStore) {
  rejectUnknownParameters(params, ['ImageIds', 'DryRun', 'DeleteBindedSnap']);
  const imageIds = readImageIds(params, { required: true, max: MAX_IMAGE_IDS_PER_CALL });
  const dryRun = readBoolean(params, 'DryRun');
  const withSnapshots = readBoolean(params, 'DeleteBindedSnap');
  const images = [...new Set(imageIds)].map((imageId) => deletableImage(regionStore, imageId));
  if (!dryRun) {
    for (const image of images) regionStore.deleteImage(image.ImageId, { withSnapshots });
  }
  return {};
}
