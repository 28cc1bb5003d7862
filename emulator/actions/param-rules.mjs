// Parameter checks shared by the actions. Parameters arrive either from a JSON body or rebuilt from
// a GET query (where every value is a string), so the readers accept both spellings.
import { ApiError } from '../api-error.mjs';

/**
 * The image id rule the emulator enforces: `img-` then 8 or more lower-case ASCII letters or digits.
 * Tencent does not publish its rule; ids look like img-mfih409y, yet its own example has 9 characters.
 */
export const IMAGE_ID_PATTERN = /^img-[a-z0-9]{8,}$/;

const BOOLEAN_SPELLINGS = new Map([
  [true, true], [false, false],
  ['true', true], ['false', false], ['True', true], ['False', false],
]);

export function rejectUnknownParameters(params, allowed) {
  const unknown = Object.keys(params).find((name) => !allowed.includes(name));
  if (unknown !== undefined) {
    throw new ApiError('UnknownParameter', `The parameter ${unknown} is not recognized.`);
  }
}

/** An optional Boolean: a JSON boolean or "true"/"false"/"True"/"False"; absent or null → false. */
export function readBoolean(params, name) {
  const value = params[name];
  if (value === undefined || value === null) return false;
  if (!BOOLEAN_SPELLINGS.has(value)) {
    throw new ApiError('InvalidParameter', `${name} must be a Boolean (true or false).`);
  }
  return BOOLEAN_SPELLINGS.get(value);
}

/** An optional non-negative integer: a JSON integer or a string of digits (GET). */
export function readInteger(params, name, { fallback, min, max }) {
  const value = params[name];
  if (value === undefined || value === null) return fallback;
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (!Number.isInteger(number)) throw new ApiError('InvalidParameter', `${name} must be an integer.`);
  if (number < min || number > max) {
    throw new ApiError('InvalidParameterValue', `${name} must be between ${min} and ${max}.`);
  }
  return number;
}

/** A list of strings; absent or null → undefined. */
export function readStringList(params, name) {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ApiError('InvalidParameter', `${name} must be an array of strings.`);
  }
  return value;
}

function checkImageIdFormat(id) {
  if (!IMAGE_ID_PATTERN.test(id)) {
    throw new ApiError('InvalidImageId.Malformed', `The image ID ${JSON.stringify(id)} is malformed.`);
  }
}

/** One ImageId (a string): present and non-empty → a string → well formed (IMAGE_ID_PATTERN). */
export function readImageId(params, name) {
  const id = params[name];
  if (id === undefined || id === null || id === '') {
    throw new ApiError('MissingParameter', `The request is missing the required parameter ${name}.`);
  }
  if (typeof id !== 'string') throw new ApiError('InvalidParameter', `${name} must be a string.`);
  checkImageIdFormat(id);
  return id;
}

/** The region's image of that id, or InvalidImageId.NotFound. */
export function existingImage(regionStore, imageId) {
  const image = regionStore.image(imageId);
  if (!image) throw new ApiError('InvalidImageId.NotFound', `The image ${imageId} does not exist in this region.`);
  return image;
}

/**
 * ImageIds, checked in this order: present and non-empty (if required) → array of strings →
 * at most `max` → every id well formed (IMAGE_ID_PATTERN).
 */
export function readImageIds(params, { required, max }) {
  const ids = readStringList(params, 'ImageIds');
  if (ids === undefined || ids.length === 0) {
    if (required) throw new ApiError('MissingParameter', 'The request is missing the required parameter ImageIds.');
    return undefined;
  }
  if (ids.length > max) {
    throw new ApiError('InvalidParameterValue.LimitExceeded', `ImageIds has ${ids.length} values; at most ${max} are allowed.`);
  }
  ids.forEach(checkImageIdFormat);
  return ids;
}
