// The fixed layout (src/boundary/fixed.rs, pkg/src/fixed-input.js) against the general path: for
// every input below — valid, invalid and edge — `signTc3` gives byte for byte the result (every
// own property, its enumerability and prototype) or the error (class, message, field, code,
// issues) that the general path gives for the same values, and it takes the path the input's
// shape says (counted at the wasm exports, so a fast path that silently never runs fails here).
// The general path's answer is had from the same values in an object without a prototype, which
// the fixed path never takes and the boundary format reads as it reads a plain object.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const glue = require('../../pkg/gen/node/cvm.cjs');
const api = require('../../pkg/node.cjs');

const calls = { fixed: 0, general: 0 };
for (const [name, kind] of [['signTc3Fixed', 'fixed'], ['signTc3', 'general']]) {
  const original = glue[name];
  glue[name] = (...args) => {
    calls[kind] += 1;
    return original(...args);
  };
}

function canon(v, depth = 0) {
  if (depth > 50) return '…';
  switch (typeof v) {
    case 'undefined': return 'undefined';
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'string': return JSON.stringify(v);
    case 'boolean': return String(v);
    default: break;
  }
  if (v === null) return 'null';
  const proto = Object.getPrototypeOf(v);
  const kind = proto === null ? 'null-proto' : proto === Object.prototype ? '' : proto === Array.prototype ? 'Array' : proto.constructor?.name ?? '?';
  const parts = Reflect.ownKeys(v).filter((k) => k !== 'stack').map((k) => {
    const d = Object.getOwnPropertyDescriptor(v, k);
    return `${String(k)}${d.enumerable ? ':' : '~'}${'value' in d ? canon(d.value, depth + 1) : 'accessor'}`;
  });
  return `${kind}{${parts.join(',')}}`;
}

/** The outcome of one call, and which wasm export answered it. */
function run(input) {
  const before = { ...calls };
  let out;
  try {
    out = `ok ${canon(api.signTc3(input))}`;
  } catch (e) {
    out = `threw ${e?.name} ${canon(e)}`;
  }
  const path = calls.fixed > before.fixed ? 'fixed' : calls.general > before.general ? 'general' : 'none';
  return { out, path };
}

const generalCopy = (input) => Object.assign(Object.create(null), input);

const TS = 1551113065;
const BASE = Object.freeze({
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
  service: 'cvm',
  host: 'cvm.tencentcloudapi.com',
  method: 'POST',
  contentType: 'application/json',
  payload: '{"ImageIds":["img-mfih409y"]}',
  timestamp: TS,
});
/** Characters of BASE's strings besides the payload. */
const OTHERS = Object.entries(BASE).filter(([k, v]) => k !== 'payload' && typeof v === 'string').reduce((n, [, v]) => n + v.length, 0);
const without = (key) => {
  const o = { ...BASE };
  delete o[key];
  return o;
};

// [name, input, the path it must take: fixed or general (general: not the fixed layout)]
const CASES = [
  ['the benchmark input', { ...BASE, query: '', action: 'DeleteImages', signAction: false }, 'fixed'],
  ['minimal', { ...BASE }, 'fixed'],
  ['signAction with action', { ...BASE, action: 'DeleteImages', signAction: true }, 'fixed'],
  ['signAction without action', { ...BASE, signAction: true }, 'fixed'],
  ['signAction false without action', { ...BASE, signAction: false }, 'fixed'],
  ['GET with query', { ...BASE, method: 'GET', payload: '', query: 'Action=DescribeImages&Limit=1&Version=2017-03-12' }, 'fixed'],
  ['GET with a bad query', { ...BASE, method: 'GET', payload: '', query: 'a b#c' }, 'fixed'],
  ['method lower-case', { ...BASE, method: 'post' }, 'fixed'],
  ['empty strings', { ...BASE, secretId: '', secretKey: '', service: '', host: '', method: '', contentType: '', payload: '', query: '', action: '' }, 'fixed'],
  ['empty secretKey', { ...BASE, secretKey: '' }, 'fixed'],
  ['non-ASCII payload', { ...BASE, payload: '{"Name":"未命名 ünïcode 😀"}' }, 'fixed'],
  ['non-ASCII secretKey', { ...BASE, secretKey: 'clé-secrète-密钥' }, 'fixed'],
  ['non-ASCII host', { ...BASE, host: 'cvm.例子.com' }, 'fixed'],
  ['non-ASCII secretId', { ...BASE, secretId: 'AKIDé' }, 'fixed'],
  ['a surrogate pair', { ...BASE, payload: '"\uD83D\uDE00"' }, 'fixed'],
  ['lone high surrogate in payload', { ...BASE, payload: 'x\uD800y' }, 'general'],
  ['lone low surrogate in secretKey', { ...BASE, secretKey: '\uDC00key' }, 'general'],
  ['surrogate halves across two fields', { ...BASE, service: 'cvm\uD83D', host: '\uDE00host' }, 'general'],
  ['payload at the buffer size', { ...BASE, payload: 'x'.repeat(8192 - 150) }, 'fixed'],
  ['non-ASCII payload over the buffer in bytes', { ...BASE, payload: '密'.repeat(3000) }, 'general'],
  // As many characters as the buffer has bytes, one byte too many: encodeInto writes exactly as
  // many bytes as there are characters without having read them all.
  ['one byte over the buffer, as many characters as bytes', { ...BASE, payload: `${'p'.repeat(8192 - OTHERS - 3)}éxy` }, 'general'],
  ['exactly the buffer with a non-ASCII character', { ...BASE, payload: `${'p'.repeat(8192 - OTHERS - 3)}éx` }, 'fixed'],
  ['huge payload', { ...BASE, payload: `{"ImageIds":[${'"img-00000000",'.repeat(70000)}"img-1"]}` }, 'general'],
  ['timestamp 0', { ...BASE, timestamp: 0 }, 'fixed'],
  ['timestamp at the limit', { ...BASE, timestamp: 253402300799 }, 'fixed'],
  ['timestamp past the limit', { ...BASE, timestamp: 253402300800 }, 'fixed'],
  ['timestamp in milliseconds', { ...BASE, timestamp: TS * 1000 }, 'fixed'],
  ['timestamp -1', { ...BASE, timestamp: -1 }, 'fixed'],
  ['timestamp -0', { ...BASE, timestamp: -0 }, 'fixed'],
  ['timestamp MAX_SAFE_INTEGER', { ...BASE, timestamp: Number.MAX_SAFE_INTEGER }, 'fixed'],
  ['timestamp MIN_SAFE_INTEGER', { ...BASE, timestamp: Number.MIN_SAFE_INTEGER }, 'fixed'],
  ['timestamp 2^53', { ...BASE, timestamp: 2 ** 53 }, 'general'],
  ['timestamp 1e300', { ...BASE, timestamp: 1e300 }, 'general'],
  ['timestamp a fraction', { ...BASE, timestamp: TS + 0.5 }, 'general'],
  ['timestamp NaN', { ...BASE, timestamp: NaN }, 'general'],
  ['timestamp Infinity', { ...BASE, timestamp: Infinity }, 'general'],
  ['timestamp a string', { ...BASE, timestamp: String(TS) }, 'general'],
  ['timestamp null', { ...BASE, timestamp: null }, 'general'],
  ['timestamp undefined', { ...BASE, timestamp: undefined }, 'fixed'],
  ['signAction "true"', { ...BASE, action: 'DeleteImages', signAction: 'true' }, 'general'],
  ['signAction 1', { ...BASE, signAction: 1 }, 'general'],
  ['action lower-case, signed', { ...BASE, action: 'deleteImages', signAction: true }, 'fixed'],
  ['action lower-case, not signed', { ...BASE, action: 'deleteImages' }, 'fixed'],
  ['extra key', { ...BASE, region: 'ap-guangzhou' }, 'general'],
  ['misspelt key', { ...without('secretKey'), secretkey: BASE.secretKey }, 'general'],
  ['__proto__ key', JSON.parse(`{"__proto__":1,${JSON.stringify(BASE).slice(1)}`), 'general'],
  ['secretId a number', { ...BASE, secretId: 42 }, 'general'],
  ['payload an object', { ...BASE, payload: { ImageIds: ['img-1'] } }, 'general'],
  ['payload a boxed string', { ...BASE, payload: new String('{}') }, 'general'],
  ['host null', { ...BASE, host: null }, 'general'],
  ['query undefined', { ...BASE, query: undefined }, 'fixed'],
  ['an array', [BASE], 'general'],
  ['a string', JSON.stringify(BASE), 'general'],
  ['null', null, 'general'],
  ['undefined', undefined, 'general'],
  ['an empty object', {}, 'fixed'],
  ['a class instance', Object.assign(new (class Input {})(), BASE), 'general'],
  ['with toJSON', { ...BASE, toJSON: () => ({ ...BASE, timestamp: 1 }) }, 'general'],
  ['a getter', Object.defineProperty({ ...without('secretKey') }, 'secretKey', { enumerable: true, get: () => BASE.secretKey }), 'fixed'],
  ['a throwing getter', Object.defineProperty({ ...BASE }, 'host', { enumerable: true, get() { throw new Error('no host'); } }), 'general'],
  ['controls in contentType', { ...BASE, contentType: 'application/json\r\nX: y' }, 'fixed'],
  ['a long secretId', { ...BASE, secretId: 'A'.repeat(129) }, 'fixed'],
  ['a NUL in secretKey', { ...BASE, secretKey: 'a\0b' }, 'fixed'],
  ['service upper-case', { ...BASE, service: 'CVM' }, 'fixed'],
  ['host with a port', { ...BASE, host: 'localhost:8080' }, 'fixed'],
  ['key order reversed', Object.fromEntries(Object.entries({ ...BASE, action: 'A', signAction: true }).reverse()), 'fixed'],
  ['many problems at once', { secretId: '', method: 'PUT', timestamp: -5, signAction: true, payload: '' }, 'fixed'],
  ['every key missing but one', { payload: '' }, 'fixed'],
];
for (const key of Object.keys(BASE)) CASES.push([`missing ${key}`, without(key), 'fixed']);

// Deterministic random inputs: fields drawn from edge values, some left out.
let seed = 17;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return (seed >>> 8) % n;
};
const PICKS = {
  secretId: [BASE.secretId, '', 'AK ID', 'AKIDé', 'x'.repeat(200)],
  secretKey: [BASE.secretKey, '', '密钥', 'k'.repeat(100)],
  service: ['cvm', '', 'CVM', 'c-v-m', 'cvm2'],
  host: [BASE.host, '', 'a b', 'localhost:1', '[::1]:8', 'h\n'],
  method: ['POST', 'GET', 'get', ''],
  contentType: ['application/json', '', ' ', 'text/plain; charset=utf-8', 'é'],
  query: ['', 'a=1', 'a=1&b=%20', 'a b', 'é'],
  payload: ['', '{}', BASE.payload, '{"a":"é"}', 'p'.repeat(3000)],
  timestamp: [TS, 0, -1, 253402300799, 253402300800, TS * 1000, 1e15],
  action: ['DeleteImages', '', 'deleteImages', 'A'.repeat(65), 'Dé'],
  signAction: [true, false],
};
for (let i = 0; i < 400; i++) {
  const input = {};
  for (const [key, values] of Object.entries(PICKS)) if (rand(5) > 0) input[key] = values[rand(values.length)];
  CASES.push([`random ${i}`, input, 'fixed']);
}

test('signTc3 through the fixed layout answers as the general path does', () => {
  const paths = { fixed: 0, general: 0, none: 0 };
  for (const [name, input, expectedPath] of CASES) {
    const general = input !== null && typeof input === 'object' && !Array.isArray(input) && Object.getPrototypeOf(input) === Object.prototype
      && !Object.values(Object.getOwnPropertyDescriptors(input)).some((d) => d.get)
      ? run(generalCopy(input))
      : null;
    const got = run(input);
    // 'general': not the fixed layout (the general path's export, or refused before wasm).
    assert.equal(got.path === 'fixed', expectedPath === 'fixed', `${name}: took the ${got.path} path`);
    paths[got.path] += 1;
    if (general) {
      assert.notEqual(general.path, 'fixed', `${name}: the reference went the general path`);
      assert.equal(got.out, general.out, name);
    }
  }
  // Both kinds of answer were seen through the fixed layout.
  assert.ok(paths.fixed > 300, JSON.stringify(paths));
});

test('a throwing getter is reported as the general path reports it, before anything crosses', () => {
  const input = Object.defineProperty({ ...BASE }, 'host', { enumerable: true, get() { throw new Error('no host'); } });
  const viaGeneral = Object.defineProperty(Object.assign(Object.create(null), BASE), 'host', { enumerable: true, get() { throw new Error('no host'); } });
  assert.equal(run(input).out, run(viaGeneral).out);
  assert.match(run(input).out, /input could not be read: no host/);
});

test('each value is read once, also when the input then takes the general path', () => {
  for (const extra of [{}, { signAction: 'true' }, { payload: 'x\uD800' }]) {
    let reads = 0;
    const input = Object.defineProperty({ ...BASE, ...extra }, 'secretKey', { enumerable: true, get: () => { reads += 1; return BASE.secretKey; } });
    run(input);
    assert.equal(reads, 1, JSON.stringify(extra));
  }
});

test('the memory growing between calls and during one is survived', () => {
  const expected = run({ ...BASE }).out;
  // A large general-path argument grows the wasm memory (detaching the fixed path's views).
  const pages = glue.fixedMemory().buffer.byteLength;
  run({ ...BASE, payload: 'g'.repeat(4 << 20) });
  assert.ok(glue.fixedMemory().buffer.byteLength > pages, 'the memory grew');
  assert.equal(run({ ...BASE }).out, expected);
});
