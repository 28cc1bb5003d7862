// DescribeImages, the light version a client needs to look before and after it deletes:
// ImageIds or Filters (image-id, image-name, image-state, image-type), Offset, Limit.
import { ApiError } from '../api-error.mjs';
import { readImageIds, readInteger, readStringList, rejectUnknownParameters } from './param-rules.mjs';

const FILTER_FIELDS = new Map([
  ['image-id', 'ImageId'],
  ['image-name', 'ImageName'],
  ['image-state', 'ImageState'],
  ['image-type', 'ImageType'],
]);

function readFilters(params) {
  const filters = params.Filters;
  if (filters === undefined || filters === null) return [];
  if (!Array.isArray(filters)) throw new ApiError('InvalidParameter', 'Filters must be an array.');
  return filters.map((filter, i) => {
    if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
      throw new ApiError('InvalidParameter', `Filters.${i} must be an object with Name and Values.`);
    }
    rejectUnknownParameters(filter, ['Name', 'Values']);
    const field = FILTER_FIELDS.get(filter.Name);
    if (field === undefined) {
      throw new ApiError('InvalidFilter', `Filters.${i}.Name must be one of ${[...FILTER_FIELDS.keys()].join(', ')}.`);
    }
    const values = readStringList(filter, 'Values') ?? [];
    return (image) => values.includes(image[field]);
  });
}

export function describeImages(params, regionStore) {
  rejectUnknownParameters(params, ['ImageIds', 'Filters', 'Offset', 'Limit']);
  const imageIds = readImageIds(params, { required: false, max: 100 });
  const filters = readFilters(params);
  if (imageIds && filters.length > 0) {
    throw new ApiError('InvalidParameter', 'ImageIds and Filters cannot be given together.');
  }
  const offset = readInteger(params, 'Offset', { fallback: 0, min: 0, max: 1_000_000 });
  const limit = readInteger(params, 'Limit', { fallback: 20, min: 1, max: 100 });
  const matching = regionStore
    .images()
    .filter((image) => !imageIds || imageIds.includes(image.ImageId))
    .filter((image) => filters.every((matches) => matches(image)));
  // IsShared is the emulator's own marker: the real ImageSet has no such field.
  const ImageSet = matching.slice(offset, offset + limit).map(({ IsShared, ...image }) => image);
  return { ImageSet, TotalCount: matching.length };
}
