// The boundary format (src/boundary/mod.rs, pkg/src/boundary.js) changed how every argument and result
// crosses, and nothing a caller sees: every synchronous case of the hostile battery plus the corpus
// below (errors with every field path, v1, GET, surrogates, cycles, depth limits, BigInt, Symbol,
// functions, NaN, toJSON, boxed primitives, Map, Set, invalid Date, proxies, odd numbers, response
// bodies) gives the same result or error — every own property, its enumerability and its
// prototype, written out by `canon` — as the package did before it, when arguments were read key
// by key from wasm and results built by serde-wasm-bindgen. boundary-equality.txt holds, per case,
// a digest of its name and one of its outcome under that package (recorded by `node tests/hostile/boundary-equality.test.mjs
// --record <its node.cjs>`); time and randomness are fixed so the signatures are comparable.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildCases } from './battery.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(HERE, 'boundary-equality.txt');
const require = createRequire(import.meta.url);

// Fixed clock and randomness (v1 nonces): installed before the package loads.
const NOW_MS = 1_764_583_200_000;
Date.now = () => NOW_MS;
let seed = 1;
globalThis.crypto.getRandomValues = (array) => {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  for (let i = 0; i < bytes.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  return array;
};

const CTX = {
  secretId: 'AKIDboundaryEquality00000000000000001',
  secretKey: 'boundary-equality-secret-key',
  token: 'boundary-equality-session-token',
  misplaced: 'NotARegionNorAnEndpoint0002',
};
const TS = 1551113065;
const KEY = { secretId: CTX.secretId, secretKey: CTX.secretKey };
const OPTIONS = { ...KEY, region: 'ap-guangzhou', timestamp: TS };
const SIGN = { ...KEY, service: 'cvm', host: 'cvm.tencentcloudapi.com', method: 'POST', contentType: 'application/json', payload: '{"Limit":1}', timestamp: TS };

const nest = (levels, leaf, wrap) => {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = wrap(v);
  return v;
};
const cyclic = () => {
  const o = { ImageIds: ['img-1'] };
  o.Filters = [{ Name: 'x', Values: [o] }];
  return o;
};
const disordered = () => new Proxy({ b: 1, 1: 'one', a: 2, 0: 'zero' }, { ownKeys: () => ['b', '1', 'a', '0'] });

/** Calls beyond the battery, each an argument shape the crossing must carry exactly. */
const CORPUS = [];
const add = (name, call) => CORPUS.push({ group: 'corpus', name, call });
const odd = {
  'nested BigInt': 1n,
  'nested boxed BigInt': Object(2n),
  'nested Symbol': Symbol('s'),
  'nested function': () => 1,
  'nested NaN': NaN,
  'nested -Infinity': -Infinity,
  'nested -0': -0,
  'nested 0.1': 0.1,
  'nested 1e21': 1e21,
  'nested 2**53': 2 ** 53,
  'nested 5e-324': 5e-324,
  'nested boxed Number': new Number(1.5),
  'nested boxed Boolean': new Boolean(false),
  'nested boxed String': new String('img-boxed'),
  'nested Date': new Date(0),
  'nested toJSON': { toJSON: () => ({ deep: [1, 'two'] }) },
  'nested toJSON → undefined': { toJSON: () => undefined },
  'nested Map': new Map([['a', 1]]),
  'nested Set': new Set([1]),
  'nested invalid Date': new Date(NaN),
  'nested lone surrogate': 'img-\uDBFF',
  'nested astral': 'img-😀-é',
  'nested __proto__ key': JSON.parse('{"__proto__": {"x": 1}}'),
  'nested Uint8Array': new Uint8Array([1, 2]),
  'nested array with holes': [1, , 3], // eslint-disable-line no-sparse-arrays
  'nested array with undefined': [undefined, null],
  'nested out-of-order proxy': disordered(),
  'nested cycle': cyclic(),
  'nested 127 levels': nest(127, 1, (v) => [v]),
  'nested 128 levels': nest(128, 1, (v) => ({ a: v })),
  'nested 129 levels': nest(129, 1, (v) => [v]),
  'nested 200 levels': nest(200, 'x', (v) => ({ k: v })),
};
for (const [label, value] of Object.entries(odd)) {
  add(`signTc3 payload-free extra key: ${label}`, (api) => api.signTc3({ ...SIGN, extra: value }));
  add(`buildDeleteImages params: ${label}`, (api) => api.buildDeleteImages({ ImageIds: ['img-a', value], DryRun: value }, OPTIONS));
  add(`buildDeleteImages options: ${label}`, (api) => api.buildDeleteImages({ ImageIds: ['img-a'] }, { ...OPTIONS, region: value }));
  add(`buildRequest POST params: ${label}`, (api) => api.buildRequest('DescribeImages', { Filters: [{ Name: 'image-id', Values: [value] }], Odd: value }, OPTIONS));
  add(`buildRequest GET params: ${label}`, (api) => api.buildRequest('DescribeImages', { Filters: [{ Name: 'image-id', Values: [value] }], Odd: value }, { ...OPTIONS, method: 'GET' }));
  add(`buildRequest v1 params: ${label}`, (api) => api.buildRequest('DescribeImages', { Odd: value, Limit: 1 }, { ...OPTIONS, signatureMethod: 'HmacSHA256' }));
  add(`checkDeleteImages: ${label}`, (api) => api.checkDeleteImages({ ImageIds: [value], [label]: value }, { ...OPTIONS, timeoutMs: value }));
  add(`validateDeleteImages root: ${label}`, (api) => api.validateDeleteImages(value));
  add(`checkClientOptions: ${label}`, (api) => api.internal.checkClientOptions({ ...OPTIONS, retries: value }));
  add(`checkCredentials: ${label}`, (api) => api.internal.checkCredentials({ ...KEY, expiration: value }, NOW_MS));
  add(`checkCvmRoleOptions: ${label}`, (api) => api.internal.checkCvmRoleOptions({ roleName: value }));
}
add('params key named like the argument', (api) => api.buildDeleteImages({ params: { a: '\uD800' } }, OPTIONS));
add('every field wrong at once', (api) => api.buildDeleteImages({ ImageIds: [1, 'x', null, 'img-a', 'img-a'], DryRun: 'maybe', Extra: 1, ImageIdz: [] }, { secretKey: 1, region: 'nowhere', timestamp: -1, method: 'PUT', endpoint: 'ftp://x', language: 'xx' }));
add('GET DeleteImages', (api) => api.buildDeleteImages({ ImageIds: ['img-a', 'img-b'], DryRun: 'True', DeleteBindedSnap: false }, { ...OPTIONS, method: 'GET', token: 'tok' }));
add('v1 HmacSHA1 GET', (api) => api.buildRequest('DescribeImages', { Limit: 2, 'Filters.0.Name': 'x' }, { ...OPTIONS, method: 'GET', signatureMethod: 'HmacSHA1' }));
add('buildRequest without params', (api) => api.buildRequest('DescribeRegions', undefined, OPTIONS));
add('buildRequest with null params', (api) => api.buildRequest('DescribeRegions', null, OPTIONS));
add('buildRequest with a number action', (api) => api.buildRequest(7, {}, OPTIONS));
add('timestamp from the clock', (api) => api.buildDeleteImages({ ImageIds: ['img-a'] }, KEY && { ...KEY, region: 'ap-guangzhou' }));
add('float params in the body', (api) => api.buildRequest('DescribeImages', { A: 0.1, B: 1e21, C: 1e-7, D: -1.5e300, E: 123456789.125 }, OPTIONS));
add('unicode params in the body', (api) => api.buildRequest('DescribeImages', { 'ключ': 'значение 😀', '': '', '\u2028': '\u0000\u001f"\\' }, OPTIONS));
add('validateRegion undefined', (api) => api.validateRegion(undefined));
add('validateRegion null', (api) => api.validateRegion(null));
add('validateRegion odd', (api) => api.validateRegion('ap-guangzhou-7'));
add('describeError unknown', (api) => api.describeError('Nope.Nothing'));
add('describeError known', (api) => api.describeError('RequestLimitExceeded'));
add('clientError', (api) => api.internal.clientError('ClientError.Timeout', 'timed out', 0));
add('batchAdvice', (api) => ['LimitExceeded', 'InvalidParameterValue.TooManyImageIds', 'x'].map((c) => api.internal.batchAdvice(c)));
add('suggestName', (api) => [api.internal.suggestName('ImageId', ['ImageIds', 'DryRun']), api.internal.suggestName('\uD800zz', ['a'])]);
add('chunkImageIds', (api) => api.internal.chunkImageIds(Array.from({ length: 250 }, (_, i) => `img-${'x'.repeat(i % 40)}${i}`), { DryRun: true }, 'POST', 900));
add('chunkImageIds GET with a lone surrogate', (api) => api.internal.chunkImageIds(['img-\uD800', 'img-b'], {}, 'GET', 10));
add('chunkImageIds bad params', (api) => api.internal.chunkImageIds(['img-a'], { ImageIds: ['x'], Bad: 1 }, 'GET', 10));
add('checkClientOptions with providers', (api) => api.internal.checkClientOptions({ region: 'ap-guangzhou', credentials: () => ({}), fetch: () => 1, timeoutMs: 0.5 }));
add('checkCredentials valid', (api) => api.internal.checkCredentials({ ...KEY, token: 't', expiration: new Date(NOW_MS + 3_600_000) }, NOW_MS));
add('checkCvmRoleOptions valid', (api) => api.internal.checkCvmRoleOptions({ roleName: 'r', timeoutMs: 1234.5 }));
add('parseHttpDate', (api) => api.parseHttpDate('Mon, 01 Dec 2025 10:00:00 GMT'));
const BODIES = {
  success: JSON.stringify({ Response: { RequestId: 'r1', Data: [1, 0.5, null, { a: -0 }], '__proto__': { x: 1 } } }),
  error: JSON.stringify({ Response: { RequestId: 'r2', Error: { Code: 'InvalidImageId.NotFound', Message: 'not found: img-\uDBFF' } } }),
  'lone surrogate escape': '{"Response":{"RequestId":"\\ud800","X":"\\udc00a"}}',
  'huge numbers': '{"Response":{"RequestId":"r","A":1e400,"B":-1e400,"C":12345678901234567890,"D":1.5}}',
  'deep 127': `{"Response":{"RequestId":"r","D":${'['.repeat(125)}${']'.repeat(125)}}}`,
  'deep 129': `{"Response":{"RequestId":"r","D":${'['.repeat(128)}${']'.repeat(128)}}}`,
  'deep 20000': `{"Response":{"RequestId":"r","D":${'['.repeat(20000)}${']'.repeat(20000)}}}`,
  'not JSON': '<html>',
  'JSON null': 'null',
  'JSON string': '"x"',
  empty: '',
  'unicode keys': '{"Response":{"RequestId":"r","ключ":"😀","":1,"0":2,"1":3}}',
};
for (const [label, body] of Object.entries(BODIES)) {
  for (const status of [200, 400, 503, 302, 0]) {
    add(`decodeResponse ${status} ${label}`, (api) => api.decodeResponse(status, body));
    add(`decodeDeleteImages ${status} ${label}`, (api) => api.decodeDeleteImages(status, body));
    add(`internal.decodeResponse ${status} ${label}`, (api) => api.internal.decodeResponse(status, body, 'https://elsewhere.example'));
  }
}
add('decode with a bad status', (api) => api.decodeResponse(700, '{}'));
add('decode with a non-string body', (api) => api.decodeDeleteImages(200, 7));

/**
 * A value written out exactly: types, -0, NaN, undefined vs absent, every own key (symbols too)
 * with its enumerability, the prototype; errors by class, message and own properties.
 */
function canon(v, depth = 0) {
  if (depth > 300) return '…';
  switch (typeof v) {
    case 'undefined': return 'undefined';
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint': return `${v}n`;
    case 'string': return JSON.stringify(v);
    case 'boolean': return String(v);
    case 'symbol': return v.toString();
    case 'function': return `function ${v.name}`;
    default: break;
  }
  if (v === null) return 'null';
  const proto = Object.getPrototypeOf(v);
  const kind = proto === null ? 'null-proto' : proto === Object.prototype ? '' : proto === Array.prototype ? 'Array' : (proto.constructor && proto.constructor.name) || '?';
  const keys = Reflect.ownKeys(v).filter((k) => !(v instanceof Error && k === 'stack'));
  const parts = keys.map((k) => {
    const d = Object.getOwnPropertyDescriptor(v, k);
    const value = 'value' in d ? canon(d.value, depth + 1) : 'accessor';
    return `${typeof k === 'symbol' ? k.toString() : JSON.stringify(k)}${d.enumerable ? ':' : '~'}${value}`;
  });
  return `${kind}{${parts.join(',')}}`;
}

function outcome(call, api) {
  try {
    return `ok ${canon(call(api))}`;
  } catch (e) {
    return `threw ${e && e.name} ${canon(e)}`;
  }
}

const digest = (text, length) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** Case name → [digest of the name, digest of the outcome]. */
function digests(api) {
  const cases = [...buildCases(api, CTX).filter((c) => c.sync), ...CORPUS];
  const out = new Map();
  for (const c of cases) {
    const name = `${c.group}: ${c.name}`;
    out.set(name, [digest(name, 10), digest(outcome(c.call, api), 12)]);
  }
  return out;
}

const record = process.argv.indexOf('--record');
if (record >= 0) {
  const api = require(path.resolve(process.argv[record + 1]));
  const table = [...digests(api).values()].map(([name, result]) => `${name} ${result}\n`);
  writeFileSync(FIXTURE, table.join(''));
  console.log(`recorded ${table.length} outcomes in ${FIXTURE}`);
} else {
  test('every argument and result crosses as it did before the boundary format', () => {
    const api = require('../../pkg/node.cjs');
    const want = new Map(readFileSync(FIXTURE, 'utf8').trim().split('\n').map((line) => line.split(' ')));
    const got = digests(api);
    assert.ok(want.size > 3000, 'the recorded corpus is broad');
    const differ = [...got].filter(([, [name, result]]) => want.get(name) !== result).map(([name]) => name);
    assert.deepEqual(differ, [], `outcomes differ from the recorded ones:\n${differ.slice(0, 30).join('\n')}`);
    assert.equal(got.size, want.size, 'the same cases');
  });
}
