/**
 * The JavaScript half of the boundary format (its specification: src/boundary/mod.rs): an argument
 * crosses into wasm as one string written by the walk that visits each of its values once, and a
 * result (or error object) comes back as one string read here into plain objects. Neither side
 * reads the other's objects key by key. An ES module that imports nothing.
 */

const MAX_NODES = 100000;
const COPY_DEPTH = 130; // beyond the core's nesting limit (128), so the core reports the depth
const hasWellFormed = typeof ''.isWellFormed === 'function';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Whether a string has no unpaired UTF-16 surrogate (which UTF-8 would make U+FFFD). */
export const wellFormed = (s) => (hasWellFormed ? s.isWellFormed() : !LONE_SURROGATE.test(s));

/**
 * Keys written `k` and an index, both ways (src/boundary/mod.rs `KEYS`, the same list): the names of
 * the core's inputs' and answers' fields, headers and envelope.
 */
export const KEYS = Object.freeze(['kind', 'field', 'code', 'message', 'issues', 'url', 'method', 'headers', 'body', 'redirect', 'signing', 'authorization', 'signature', 'canonicalRequest', 'stringToSign', 'credentialScope', 'signedHeaders', 'hashedPayload', 'signatureMethod', 'Authorization', 'Content-Type', 'Host', 'X-TC-Action', 'X-TC-Version', 'X-TC-Timestamp', 'X-TC-Region', 'X-TC-RequestClient', 'X-TC-Token', 'X-TC-Language', 'requestId', 'httpStatus', 'retryable', 'description', 'Response', 'RequestId', 'Error', 'Code', 'Message', 'ImageIds', 'DryRun', 'DeleteBindedSnap', 'DryRunOperation', 'known', 'split', 'lookUp', 'refused', 'stop', 'shared', 'credentials', 'refreshMarginMs', 'region', 'endpoint', 'host', 'language', 'signAction', 'signMethod', 'timeoutMs', 'retries', 'ratePerSecond', 'pacingWindowMs', 'backoffBaseMs', 'backoffCapMs', 'correctClockSkew', 'secretId', 'secretKey', 'token', 'expiration', 'expiresAtMs', 'roleName', 'rolesUrl', 'service', 'contentType', 'query', 'payload', 'timestamp', 'action', 'nonce', 'fetch', 'metadataUrl']);
const KEY_INDEX = new Map(KEYS.map((key, i) => [key, i]));
function keyText(key) {
  const i = KEY_INDEX.get(key);
  return i === undefined ? `s${key.length}:${key}` : `k${i}:`;
}

const bits = new DataView(new ArrayBuffer(8));
function hex(n) {
  return (n >>> 0).toString(16).padStart(8, '0');
}
/** A finite number that is not a safe integer: its IEEE 754 bits, big-endian hex. */
function double(v) {
  bits.setFloat64(0, v);
  return `d${hex(bits.getUint32(0))}${hex(bits.getUint32(4))}`;
}
function number(v) {
  // `${-0}` is "0": -0 reads as the integer 0, as a safe integer did before.
  return Number.isSafeInteger(v) ? `i${v}` : Number.isFinite(v) ? double(v) : 'N';
}

// An array index as an ordinary object orders it: before other keys, ascending.
function arrayIndex(key) {
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57) return -1;
  const n = Number(key);
  return String(n) === key && n < 4294967295 ? n : -1;
}
/** Whether `keys` are not in the order an ordinary object keeps them (a proxy's `ownKeys`). */
function outOfOrder(keys) {
  let last = -1;
  let named = false;
  for (let i = 0; i < keys.length; i++) {
    const n = arrayIndex(keys[i]);
    if (n < 0) named = true;
    else if (named || n <= last) return true;
    else last = n;
  }
  return false;
}

/**
 * The argument writer. Every argument is read as `JSON.stringify` reads it, once: each own
 * enumerable property read once, `toJSON` honoured, boxed primitives as their values, a key set
 * to `undefined` left out. A getter or proxy trap runs here, in JavaScript, never under wasm
 * frames (a throw would unwind through them, leaking their stack); a string with an unpaired
 * surrogate (which UTF-8 would silently make U+FFFD in a signed request), a cycle, a Map, a Set
 * and an invalid Date are refused with `unreadable(field, why, code?)`, which returns the error to
 * throw; a throw of the caller's that `isOwn` does not claim becomes "could not be read". Every
 * other judgement — types, names, values — is the core's.
 */
export function createEncoder(unreadable, isOwn) {
  return function encode(value, root) {
    let nodes = 0;
    const ancestors = [];
    const child = (where, key) => (where === root ? String(key) : `${where}.${key}`);
    function write(v, where) {
      if (typeof v === 'string') {
        if (!wellFormed(v)) throw unreadable(where, 'contains a string with an unpaired UTF-16 surrogate', 'InvalidParameterValue');
        return `s${v.length}:${v}`;
      }
      // JSON has no BigInt (JSON.stringify throws on one, a boxed one too): no JSON form.
      if (typeof v === 'bigint' || v instanceof BigInt) return 'X';
      switch (typeof v) {
        case 'number': return number(v);
        case 'boolean': return v ? 't' : 'f';
        case 'undefined': return 'u';
        case 'function': return 'F';
        case 'symbol': return 'X';
        default: break;
      }
      if (v === null) return 'n';
      // JSON.stringify writes a Map or Set as {}: refused here, not silently sent empty.
      if (v instanceof Map || v instanceof Set) {
        throw unreadable(where, `is a ${v instanceof Map ? 'Map' : 'Set'}; pass a plain ${v instanceof Map ? 'object (Object.fromEntries(map))' : 'array ([...set])'}`);
      }
      // An invalid Date's toJSON() is null: refused rather than read as "absent".
      if (v instanceof Date && Number.isNaN(v.getTime())) throw unreadable(where, 'is an invalid Date');
      if (typeof v.toJSON === 'function') return write(v.toJSON(), where);
      // Boxed primitives stand for their values, as in JSON.
      if (v instanceof String) return write(String(v), where);
      if (v instanceof Number) return number(Number(v));
      if (v instanceof Boolean) return v.valueOf() ? 't' : 'f';
      if (ancestors.length >= COPY_DEPTH) return '[]';
      if (ancestors.includes(v)) throw unreadable(where, 'refers to itself (a cycle)');
      if (++nodes > MAX_NODES) throw unreadable(root, `has more than ${MAX_NODES} objects and arrays`);
      ancestors.push(v);
      let out;
      if (Array.isArray(v)) {
        out = '[';
        const length = v.length;
        for (let i = 0; i < length; i++) out += write(v[i], child(where, i));
        out += ']';
      } else {
        const keys = Object.keys(v);
        if (outOfOrder(keys)) {
          // Values read in the caller's order, written in an ordinary object's.
          const entries = [];
          for (const key of keys) {
            const item = v[key];
            if (item !== undefined) entries.push([key, write(item, child(where, key))]);
          }
          const indexed = entries.filter(([k]) => arrayIndex(k) >= 0).sort((a, b) => arrayIndex(a[0]) - arrayIndex(b[0]));
          out = '{';
          for (const [key, text] of [...indexed, ...entries.filter(([k]) => arrayIndex(k) < 0)]) out += keyText(key) + text;
          out += '}';
        } else {
          out = '{';
          for (let i = 0; i < keys.length; i++) {
            const key = keys[i];
            const item = v[key];
            // As in JSON, a key set to undefined is an absent key.
            if (item !== undefined) out += keyText(key) + write(item, child(where, key));
          }
          out += '}';
        }
      }
      ancestors.pop();
      return out;
    }
    try {
      return write(value, root);
    } catch (e) {
      throw readFailure(e, root, unreadable, isOwn);
    }
  };
}

/**
 * What to throw when reading an argument threw `e`: a throw of the caller's (a getter or proxy
 * trap) that `isOwn` does not claim means the value could not be read.
 */
export function readFailure(e, root, unreadable, isOwn) {
  if (isOwn(e)) return e;
  const why = e && typeof e.message === 'string' ? `: ${e.message.slice(0, 200)}` : '';
  return unreadable(root, `could not be read${why}`);
}

/**
 * A value the runtime's `JSON.parse` made (a response body): plain data only, nothing to refuse;
 * `undefined` (the text was not JSON) is written `u`. Strings are written as they are (an unpaired
 * surrogate from a `\uD800` escape reads as U+FFFD, as it always did).
 */
export function encodeParsed(value) {
  function write(v, depth) {
    switch (typeof v) {
      case 'string': return `s${v.length}:${v}`;
      case 'number': return number(v);
      case 'boolean': return v ? 't' : 'f';
      case 'undefined': return 'u';
      default: break;
    }
    if (v === null) return 'n';
    if (depth >= COPY_DEPTH) return '[]';
    let out;
    if (Array.isArray(v)) {
      out = '[';
      for (let i = 0; i < v.length; i++) out += write(v[i], depth + 1);
      return `${out}]`;
    }
    out = '{';
    for (const key of Object.keys(v)) out += keyText(key) + write(v[key], depth + 1);
    return `${out}}`;
  }
  return write(value, 0);
}

/** A list of strings, as they are (wasm-bindgen's string crossing: an unpaired surrogate reads as U+FFFD). */
export function encodeStrings(list) {
  let out = '[';
  for (let i = 0; i < list.length; i++) out += `s${list[i].length}:${list[i]}`;
  return `${out}]`;
}

// ---- reading what wasm wrote ----


let text = '';
let pos = 0;
let bare = false;

function malformed() {
  return new Error('tencentcloud-cvm-wasm: malformed text from the core');
}

function length() {
  let n = 0;
  for (;;) {
    const c = text.charCodeAt(pos++);
    if (c === 58) return n; // ':'
    if (c < 48 || c > 57) throw malformed();
    n = n * 10 + (c - 48);
  }
}

function read() {
  const tag = text.charCodeAt(pos++);
  switch (tag) {
    case 115: { // s
      const n = length();
      const s = text.slice(pos, pos + n);
      pos += n;
      return s;
    }
    case 123: { // {
      const o = bare ? Object.create(null) : {};
      while (text.charCodeAt(pos) !== 125) {
        const c = text.charCodeAt(pos++);
        let key;
        if (c === 107) { // k: a key of KEYS
          key = KEYS[length()];
          if (key === undefined) throw malformed();
        } else if (c === 115) {
          const n = length();
          key = text.slice(pos, pos + n);
          pos += n;
        } else {
          throw malformed();
        }
        o[key] = read();
      }
      pos++;
      return o;
    }
    case 91: { // [
      const a = [];
      while (text.charCodeAt(pos) !== 93) a.push(read());
      pos++;
      return a;
    }
    case 105: { // i
      let c = text.charCodeAt(pos);
      const negative = c === 45;
      if (negative) c = text.charCodeAt(++pos);
      let n = 0;
      if (c < 48 || c > 57) throw malformed();
      while (c >= 48 && c <= 57) {
        n = n * 10 + (c - 48);
        c = text.charCodeAt(++pos);
      }
      return negative ? -n : n;
    }
    case 100: { // d
      const hi = Number.parseInt(text.slice(pos, pos + 8), 16);
      const lo = Number.parseInt(text.slice(pos + 8, pos + 16), 16);
      pos += 16;
      bits.setUint32(0, hi);
      bits.setUint32(4, lo);
      return bits.getFloat64(0);
    }
    case 116: return true; // t
    case 102: return false; // f
    case 110: return null; // n
    case 117: return undefined; // u
    case 78: return NaN; // N
    case 70: // F: a function, X: no JSON form (written only by encode): nothing to give back
    case 88: return undefined;
    default: throw malformed();
  }
}

/**
 * A value written in the format (an argument's text, or an answer without its `o`/`e`); objects
 * without a prototype when `withoutPrototype` (a copy of an argument: a `__proto__` key stays a key).
 */
export function decodeValue(source, at = 0, withoutPrototype = false) {
  text = source;
  pos = at;
  bare = withoutPrototype;
  try {
    return read();
  } finally {
    text = '';
  }
}

/** A call's answer: its result, or (an answer starting `e`) `fail(error object)`, which throws. */
export function decodeAnswer(answer, fail) {
  const value = decodeValue(answer, 1);
  return answer.charCodeAt(0) === 101 ? fail(value) : value;
}
