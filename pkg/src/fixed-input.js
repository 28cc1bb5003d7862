/**
 * The JavaScript half of the fixed layout (its specification: src/fast_input.rs): `signTc3`'s
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

// src/fast_input.rs: FIELDS, then timestamp and signAction.
const SLOTS = new Map(
  ['secretId', 'secretKey', 'service', 'host', 'method', 'contentType', 'query', 'payload', 'action', 'timestamp', 'signAction']
    .map((key, i) => [key, i]),
);
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

  return function signTc3(input) {
    if (input === null || typeof input !== 'object' || Object.getPrototypeOf(input) !== Object.prototype) return general(input);
    let keys;
    const values = new Array(11);
    try {
      if (input.toJSON !== undefined) return general(input);
      keys = Object.keys(input);
      for (let i = 0; i < keys.length; i++) if (!SLOTS.has(keys[i])) return general(input);
      for (let i = 0; i < keys.length; i++) values[SLOTS.get(keys[i])] = input[keys[i]];
    } catch (e) {
      throw readFailure(e, 'input', unreadable, isOwn);
    }
    // The values as read, for the general path (keys all signTc3's: none is `__proto__`).
    const copy = () => {
      const o = {};
      for (let i = 0; i < keys.length; i++) o[keys[i]] = values[SLOTS.get(keys[i])];
      return general(o);
    };
    let text = '';
    for (let i = 0; i < STRINGS; i++) {
      const s = values[i];
      if (typeof s === 'string') text += s;
      else if (s !== undefined) return copy();
    }
    const timestamp = values[TIMESTAMP];
    const signAction = values[SIGN_ACTION];
    if (timestamp !== undefined && !Number.isSafeInteger(timestamp)) return copy();
    if (signAction !== undefined && typeof signAction !== 'boolean') return copy();
    if (text.length > CAPACITY) return copy();
    if (data.length === 0 && !attach()) return copy();
    const { written } = encoder.encodeInto(text, data);
    if (written === text.length) {
      // All ASCII: a string's length is its UTF-8 length.
      for (let i = 0; i < STRINGS; i++) view.setUint32(i * 4, values[i] === undefined ? ABSENT : values[i].length, true);
    } else {
      // Some string is not ASCII: each on its own, once none has an unpaired surrogate.
      data.fill(0, 0, written);
      for (let i = 0; i < STRINGS; i++) if (values[i] !== undefined && !wellFormed(values[i])) return copy();
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
          return copy();
        }
        view.setUint32(i * 4, r.written, true);
      }
    }
    view.setUint32(36, signAction === undefined ? 0 : signAction ? 2 : 1, true);
    view.setUint32(40, timestamp === undefined ? 0 : 1, true);
    view.setFloat64(48, timestamp === undefined ? 0 : timestamp, true);
    const out = wasm.signTc3Fixed();
    const tag = out.charCodeAt(0);
    if (tag === 111 || tag === 101) return answer(out); // o, e: the boundary format
    if (data.length === 0) attach();
    let at = 0;
    const next = (i) => out.slice(at, (at += view.getUint32(i * 4, true)));
    return {
      authorization: next(0),
      signature: next(1),
      canonicalRequest: next(2),
      stringToSign: next(3),
      credentialScope: next(4),
      signedHeaders: next(5),
      hashedPayload: out.slice(at),
    };
  };
}
