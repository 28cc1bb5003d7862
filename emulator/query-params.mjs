// GET parameters (reference tencent-api-3.md §1, DeleteImages.md): a query string, percent-encoded,
// arrays and objects flattened with dots (`ImageIds.0=…`, `Filters.0.Values.1=…`). Decoding is
// strict, so a client's encoding mistake shows up as InvalidParameter instead of being guessed at.
import { ApiError } from './api-error.mjs';

const ARRAY_INDEX = /^(0|[1-9]\d{0,5})$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BARE_PERCENT = /%(?![0-9A-Fa-f]{2})/;

function invalid(message) {
  return new ApiError('InvalidParameter', message);
}

/**
 * RFC 3986 percent-decoding, strict: every `%` starts two hex digits and the bytes are valid UTF-8
 * (decodeURIComponent throws on bad UTF-8). `+` is a literal plus (RFC 3986), not a space (HTML forms).
 */
export function percentDecode(text) {
  if (BARE_PERCENT.test(text)) throw invalid('Malformed percent-encoding: "%" must start two hex digits.');
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid('A query parameter is not valid UTF-8 once percent-decoded.');
  }
}

/** A parameter container being rebuilt: an object (named children) or an array (indexed children). */
class Branch {
  constructor(isArray) {
    this.isArray = isArray;
    this.children = new Map();
  }
}

function insert(branch, segments, value, name) {
  const [head, ...rest] = segments;
  const isIndex = ARRAY_INDEX.test(head);
  if (!isIndex && !FIELD_NAME.test(head)) throw invalid(`Malformed parameter name "${name}".`);
  if (branch.isArray !== isIndex) throw invalid(`Parameter "${name}" mixes array and object forms.`);
  const key = isIndex ? Number(head) : head;
  const existing = branch.children.get(key);
  if (rest.length === 0) {
    if (existing !== undefined) throw invalid(`Parameter "${name}" is given more than once.`);
    branch.children.set(key, value);
    return;
  }
  let child = existing;
  if (child === undefined) {
    child = new Branch(ARRAY_INDEX.test(rest[0]));
    branch.children.set(key, child);
  } else if (!(child instanceof Branch)) {
    throw invalid(`Parameter "${name}" is given both as a value and as a list or object.`);
  }
  insert(child, rest, value, name);
}

function materialize(branch, path) {
  if (!(branch instanceof Branch)) return branch;
  if (branch.isArray) {
    const items = [];
    for (let i = 0; i < branch.children.size; i++) {
      if (!branch.children.has(i)) throw invalid(`The indices of ${path}.N must run from 0 without gaps.`);
      items.push(materialize(branch.children.get(i), `${path}.${i}`));
    }
    return items;
  }
  // A prototype-less object: a parameter named __proto__ stays an ordinary (unknown) parameter.
  const object = Object.create(null);
  for (const [key, child] of branch.children) object[key] = materialize(child, path ? `${path}.${key}` : key);
  return object;
}

/** Decoded `[name, value]` pairs of a query string or form body (strict percent-decoding). */
export function decodePairs(text) {
  const pairs = [];
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    pairs.push([percentDecode(equals === -1 ? pair : pair.slice(0, equals)), equals === -1 ? '' : percentDecode(pair.slice(equals + 1))]);
  }
  return pairs;
}

/** The parameters of a raw query string, rebuilt into the same shape a JSON body would have. */
export function parseQueryParams(rawQuery) {
  return paramsFromPairs(decodePairs(rawQuery));
}

/** Decoded `[name, value]` pairs (`ImageIds.0`, …) rebuilt into the shape a JSON body would have. */
export function paramsFromPairs(pairs) {
  const root = new Branch(false);
  for (const [name, value] of pairs) insert(root, name.split('.'), value, name);
  return materialize(root, '');
}
