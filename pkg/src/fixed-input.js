/**
 * The JavaScript half of the fixed layout (its specification: src/boundary/fixed.rs): `signTc3`'s
 * common input written straight into a buffer in wasm memory — the strings by one
 * `TextEncoder.encodeInto`, their lengths, the timestamp and the flag at fixed offsets — and read
 * there by `signTc3Fixed` into the same typed fields as the general path, under the same rules.
 * The answer comes back as the seven strings back to back, their lengths in the buffer.
 *
 * Taken only for exactly the common shape: an object whose prototype is Object.prototype, without
 * `toJSON`, whose own enumerable keys are all signTc3's, each value read once (in the caller's
 * order, as the general walk reads them): the nine strings a string or undefined, `timestamp` a
 * safe integer or undefined, `signAction` a boolean or undefined; the strings well-formed UTF-16
 * and together short enough for the buffer. Anything else goes to `general` — with a plain copy
 * of the values already read once a value was read, so nothing is read twice — which then answers
 * (or refuses) exactly as it always did. An ES module that imports only boundary.js.
 */
import { readFailure, wellFormed } from './boundary.js';

/** A key's slot: src/boundary/fixed.rs's FIELDS (0–8), then timestamp and signAction; -1: not signTc3's. */
function slot(key) {
  switch (key) {
    case 'secretId': return 0;
    case 'secretKey': return 1;
    case 'service': return 2;
    case 'host': return 3;
    case 'method': return 4;
    case 'contentType': return 5;
    case 'query': return 6;
    case 'payload': return 7;
    case 'action': return 8;
    case 'timestamp': return 9;
    case 'signAction': return 10;
    default: return -1;
  }
}
const STRINGS = 9;
const TIMESTAMP = 9;
const SIGN_ACTION = 10;
const ABSENT = 0xffffffff;
const HEADER = 56;
/** Bytes for the strings: a DeleteImages of 100 ids signs a payload of about 1.8 KB. */
const CAPACITY = 8192;

/**
 * `signTc3` on the fixed layout. `general(input)` is the general path; `answer(text)` reads an
 * answer in the boundary format (throwing an error answer); `unreadable` and `isOwn` as for
 * boundary.js's encoder.
 */
export function createFixedSigner(wasm, { general, answer, unreadable, isOwn }) {
  const encoder = new TextEncoder();
  let memory = null;
  let base = 0;
  let view = null;
  let data = new Uint8Array(0);

  /** (Re)makes the views onto the buffer (after the memory grew, the old ones are detached). */
  function attach() {
    if (memory === null) {
      base = wasm.fixedInput(HEADER + CAPACITY);
      if (base === 0) return false;
      memory = wasm.fixedMemory();
    }
    view = new DataView(memory.buffer, base, HEADER);
    data = new Uint8Array(memory.buffer, base + HEADER, CAPACITY);
    return true;
  }

  /** The values as read, given to the general path (keys all signTc3's: none is `__proto__`). */
  function viaGeneral(keys, values) {
    const o = {};
    for (let i = 0; i < keys.length; i++) o[keys[i]] = values[slot(keys[i])];
    return general(o);
  }

  return function signTc3(input) {
    if (input === null || typeof input !== 'object' || Object.getPrototypeOf(input) !== Object.prototype) return general(input);
    let keys;
    const values = new Array(11);
    try {
      if (input.toJSON !== undefined) return general(input);
      keys = Object.keys(input);
      for (let i = 0; i < keys.length; i++) if (slot(keys[i]) < 0) return general(input);
      for (let i = 0; i < keys.length; i++) values[slot(keys[i])] = input[keys[i]];
    } catch (e) {
      throw readFailure(e, 'input', unreadable, isOwn);
    }
    let text = '';
    for (let i = 0; i < STRINGS; i++) {
      const s = values[i];
      if (typeof s === 'string') text += s;
      else if (s !== undefined) return viaGeneral(keys, values);
    }
    const timestamp = values[TIMESTAMP];
    const signAction = values[SIGN_ACTION];
    if (timestamp !== undefined && !Number.isSafeInteger(timestamp)) return viaGeneral(keys, values);
    if (signAction !== undefined && typeof signAction !== 'boolean') return viaGeneral(keys, values);
    if (text.length > CAPACITY) return viaGeneral(keys, values);
    if (data.length === 0 && !attach()) return viaGeneral(keys, values);
    const { read, written } = encoder.encodeInto(text, data);
    if (read === text.length && written === text.length) {
      // All ASCII (all read, a byte each): a string's length is its UTF-8 length.
      for (let i = 0; i < STRINGS; i++) view.setUint32(i * 4, values[i] === undefined ? ABSENT : values[i].length, true);
    } else if (!writeEach(values, written)) {
      return viaGeneral(keys, values);
    }
    view.setUint32(36, signAction === undefined ? 0 : signAction ? 2 : 1, true);
    view.setUint32(40, timestamp === undefined ? 0 : 1, true);
    view.setFloat64(48, timestamp === undefined ? 0 : timestamp, true);
    const out = wasm.signTc3Fixed();
    const tag = out.charCodeAt(0);
    if (tag === 111 || tag === 101) return answer(out); // o, e: the boundary format
    if (data.length === 0) attach();
    const a = view.getUint32(0, true);
    const b = a + view.getUint32(4, true);
    const c = b + view.getUint32(8, true);
    const d = c + view.getUint32(12, true);
    const e = d + view.getUint32(16, true);
    const f = e + view.getUint32(20, true);
    return {
      authorization: out.slice(0, a),
      signature: out.slice(a, b),
      canonicalRequest: out.slice(b, c),
      stringToSign: out.slice(c, d),
      credentialScope: out.slice(d, e),
      signedHeaders: out.slice(e, f),
      hashedPayload: out.slice(f),
    };
  };

  /**
   * Some string is not ASCII (the one encodeInto wrote `written` bytes): each written on its own,
   * once none has an unpaired surrogate. False (the buffer wiped): the general path's to answer.
   */
  function writeEach(values, written) {
    data.fill(0, 0, written);
    for (let i = 0; i < STRINGS; i++) if (values[i] !== undefined && !wellFormed(values[i])) return false;
    let at = 0;
    for (let i = 0; i < STRINGS; i++) {
      const s = values[i];
      if (s === undefined) {
        view.setUint32(i * 4, ABSENT, true);
        continue;
      }
      const r = encoder.encodeInto(s, data.subarray(at));
      at += r.written;
      if (r.read !== s.length) {
        data.fill(0, 0, at);
        return false;
      }
      view.setUint32(i * 4, r.written, true);
    }
    return true;
  }
}
