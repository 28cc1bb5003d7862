// The hostile-input battery: every export of the package called with the wrong things in every
// argument position, as ONE list of cases shared by boundary.test.mjs (error quality, field/code,
// survival after 10,000 failures) and secrets.test.mjs (no canary in any error or result).
//
// A case is { group, name, call(api) → value | Promise, expect, sync, heavy, secretBearing }:
//   expect.throws      true: must throw · false: must succeed · undefined: either
//   expect.classes     error class names allowed when it throws (default: any Error subclass)
//   expect.field/code  a string or a list of accepted values (ValidationError)
//   expect.ok          (result) → void, asserts on a success
// Every thrown value must be an Error subclass with a message a person understands (see
// errorProblems); a call must settle within CASE_TIMEOUT_MS.
//
// The battery runs inside a worker thread (runBatteryInWorker) so that a synchronous hang inside
// the module cannot hang the test process: the main thread watches progress and terminates the
// worker, naming the case that hung. This file is also the worker's entry point.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import util from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** Per-case limit for a call to settle (async cases) and, in the main thread, for any progress. */
export const CASE_TIMEOUT_MS = 8000;
/** Failures the survival loop accumulates before re-checking the signer. */
export const SURVIVAL_FAILURES = 10_000;

/** Loads pkg/node.cjs, retrying while the lead may be rebuilding it. */
export async function loadPackage({ attempts = 3, pauseMs = 10_000 } = {}) {
  let last;
  for (let i = 1; i <= attempts; i += 1) {
    try {
      return require('../../pkg/node.cjs');
    } catch (e) {
      last = e;
      if (i < attempts) await sleep(pauseMs);
    }
  }
  throw new Error(`cannot load pkg/node.cjs (is pkg/ built? \`node scripts/build.mjs\`): ${last && last.message}`);
}

// ---------------------------------------------------------------------------------------------
// Inputs

const TS = 1551113065; // Tencent's Example 1 time
export const MAX_TIMESTAMP = 253_402_300_799; // 9999-12-31T23:59:59Z
const YEAR_10000 = MAX_TIMESTAMP + 1;
const TEN_MB = 10 * 1024 * 1024;
let tenMb;
const tenMbString = () => (tenMb ??= 'M'.repeat(TEN_MB));

export const ids = (n, prefix = 'img-') => Array.from({ length: n }, (_, i) => `${prefix}${i.toString(36).padStart(8, '0')}`);

/** What the hostile getter of 'a getter throwing a non-Error' throws. */
export const THROWN_STRING = 'a string thrown by a hostile getter';
/** Groups written in JavaScript that hand a caller's own exception back unchanged (standard JS). */
const RETHROWING_GROUPS = new Set(['CvmClient', 'loadCredentials']);

function throwingGetter(key, base = {}, thrown = () => new Error(`hostile getter threw (${key})`)) {
  const o = { ...base };
  delete o[key];
  Object.defineProperty(o, key, { enumerable: true, configurable: true, get() { throw thrown(); } });
  return o;
}

function deepObject(levels) {
  const root = {};
  let cur = root;
  for (let i = 0; i < levels; i += 1) {
    cur.a = {};
    cur = cur.a;
  }
  return root;
}

function deepArray(levels) {
  const root = [];
  let cur = root;
  for (let i = 0; i < levels; i += 1) {
    const next = [];
    cur.push(next);
    cur = next;
  }
  return root;
}

class ThrowingToJson {
  constructor() {
    this.ImageIds = ['img-mfih409y'];
  }
  toJSON() {
    throw new Error('hostile toJSON threw');
  }
}

/**
 * The generic hostile values: [label, (valid, knownKey) → value, {heavy}]. `valid` is a valid value
 * of the position (for values built around it), `knownKey` a key the position really reads.
 */
export const HOSTILE = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['0', () => 0],
  ['-1', () => -1],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity],
  ['1e300', () => 1e300],
  ['-0', () => -0],
  ['true', () => true],
  ['false', () => false],
  ['a symbol', () => Symbol('hostile')],
  ['a BigInt', () => 12345678901234567890n],
  ['a function', () => function hostile() { return 1; }],
  ['an empty array', () => []],
  ['an array of junk', () => [1, 'two', null, {}]],
  ['an empty object', () => ({})],
  ['an empty string', () => ''],
  ['a throwing getter on a known key', (valid, key) => throwingGetter(key, plain(valid))],
  ['a throwing getter on an unknown key', (valid) => throwingGetter('zzHostile', plain(valid))],
  ['a getter throwing a non-Error', (valid, key) => throwingGetter(key, plain(valid), () => THROWN_STRING)],
  ['a Proxy whose get trap throws', (valid) => new Proxy(plain(valid), { get() { throw new Error('hostile get trap'); } })],
  ['a Proxy whose ownKeys trap throws', (valid) => new Proxy(plain(valid), { ownKeys() { throw new Error('hostile ownKeys trap'); } })],
  ['a benign Proxy around a valid value', (valid) => new Proxy(plain(valid), {})],
  ['a __proto__ key via JSON.parse', (valid) => JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(plain(valid)).slice(1)}`.replace(/,}$/, '}'))],
  ['a __proto__ key via Object.defineProperty', (valid) => Object.defineProperty(plain(valid), '__proto__', { value: { polluted: true }, enumerable: true })],
  ['a constructor key', (valid) => Object.defineProperty(plain(valid), 'constructor', { value: { prototype: { polluted: true } }, enumerable: true })],
  ['a prototype key', (valid) => Object.defineProperty(plain(valid), 'prototype', { value: { polluted: true }, enumerable: true })],
  ['a 10 MB string', () => tenMbString(), { heavy: true }],
  ['10,000 nested objects', () => deepObject(10_000), { heavy: true }],
  ['10,000 nested arrays', () => deepArray(10_000), { heavy: true }],
  ['an unpaired high surrogate', () => 'img-\uD800'],
  ['an unpaired low surrogate', () => '\uDC00'],
  ['a 10,000-element array', () => ids(10_000)],
  ['a cyclic object', (valid) => { const o = plain(valid); o.self = o; return o; }],
  ['a Date', () => new Date(0)],
  ['an invalid Date', () => new Date(NaN)],
  ['a Map', (valid) => new Map(Object.entries(plain(valid)))],
  ['a Set', () => new Set(['img-mfih409y'])],
  ['a Uint8Array', () => new Uint8Array([1, 2, 3])],
  ['a class instance whose toJSON throws', () => new ThrowingToJson()],
  ['an object whose toJSON returns another shape', () => ({ toJSON: () => ['not', 'an', 'object'] })],
  ['a boxed String', () => new String('ap-guangzhou')],
  ['an object whose valueOf and toString throw', () => ({ valueOf() { throw new Error('hostile valueOf'); }, toString() { throw new Error('hostile toString'); } })],
  ['an Error instance', () => new Error('not a parameter')],
  ['a RegExp', () => /img-.*/],
];

function plain(valid) {
  return valid !== null && typeof valid === 'object' && !Array.isArray(valid) ? { ...valid } : {};
}

const STRINGISH = new Set(['an empty string', 'a 10 MB string', 'a Date', 'a boxed String', 'an object whose toJSON returns another shape']);
const UNREADABLE = new Set(['a throwing getter on a known key', 'a throwing getter on an unknown key', 'a getter throwing a non-Error',
  'a Proxy whose get trap throws', 'a Proxy whose ownKeys trap throws', '10,000 nested objects', '10,000 nested arrays',
  'a cyclic object', 'a class instance whose toJSON throws']);
const EMPTYISH = new Set(['an empty object', 'an Error instance', 'a RegExp']);
// JSON.stringify would write these as {}; the package refuses them instead of sending nothing.
const COLLECTIONS = new Set(['a Map', 'a Set']);
const SPECIAL_KEY = { 'a __proto__ key via JSON.parse': '__proto__', 'a __proto__ key via Object.defineProperty': '__proto__', 'a constructor key': 'constructor', 'a prototype key': 'prototype' };

/**
 * What the core answers for a hostile value in an object argument it reads as JSON (signTc3's
 * input, params, options). `empty`: [field, code] for an object without the required keys;
 * `anyObject`: any object is valid (buildRequest's params).
 */
function objectArgExpect(label, { arg, empty, anyObject = false, allOptional = false, okCheck }) {
  const bad = (field, code) => ({ throws: true, classes: ['ValidationError'], field, code });
  const ok = { throws: false, ok: okCheck };
  // `allOptional`: a fixed set of keys, none required (an absent argument means {}).
  if (label === 'undefined') return anyObject || allOptional ? ok : bad(arg, 'InvalidParameter');
  if (label === 'a benign Proxy around a valid value') return ok;
  if (label === 'an invalid Date') return bad(arg, 'InvalidParameter'); // toJSON → null
  // A cycle is named where it closes.
  if (label === 'a cyclic object') return bad('self', 'InvalidParameter');
  if (UNREADABLE.has(label) || COLLECTIONS.has(label)) return bad(arg, 'InvalidParameter');
  if (label === 'an unpaired high surrogate' || label === 'an unpaired low surrogate') return bad(arg, 'InvalidParameterValue');
  if (EMPTYISH.has(label)) return anyObject || allOptional ? ok : bad(...empty);
  if (label in SPECIAL_KEY) return anyObject ? ok : bad(SPECIAL_KEY[label], 'UnknownParameter');
  if (label === 'a Uint8Array') return anyObject ? ok : bad('0', 'UnknownParameter');
  // Own function-valued keys cross as values with no JSON form; the core names the first (as an
  // unknown key first, where the argument has a fixed set of keys).
  if (label === 'an object whose valueOf and toString throw') return bad('valueOf', anyObject ? 'InvalidParameter' : 'UnknownParameter');
  // Everything else is not an object at all: a number, boolean, string, array, null, or a value
  // JSON cannot carry.
  return bad(arg, 'InvalidParameter');
}

// ---------------------------------------------------------------------------------------------
// Result checks

const HEX64 = /^[0-9a-f]{64}$/;
const AUTHORIZATION = /^TC3-HMAC-SHA256 Credential=[\x21-\x7e]+\/\d{4}-\d{2}-\d{2}\/[a-z0-9]+\/tc3_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/;

function checkSigning(r) {
  for (const k of ['authorization', 'signature', 'canonicalRequest', 'stringToSign', 'credentialScope', 'signedHeaders', 'hashedPayload']) {
    assert.equal(typeof r[k], 'string', k);
  }
  assert.match(r.signature, HEX64);
  assert.match(r.hashedPayload, HEX64);
  assert.match(r.authorization, AUTHORIZATION);
}

function checkRequest(r) {
  assert.equal(typeof r.url, 'string');
  assert.match(r.url, /^https?:\/\//);
  assert.ok(r.method === 'POST' || r.method === 'GET', r.method);
  assert.match(r.headers.Authorization, AUTHORIZATION);
  if (r.method === 'POST') assert.equal(typeof r.body, 'string');
  else assert.equal(r.body, undefined);
  checkSigning(r.signing);
}

function checkNormalized(r) {
  assert.ok(Array.isArray(r.ImageIds) && r.ImageIds.length > 0 && r.ImageIds.every((id) => typeof id === 'string'));
  for (const k of ['DryRun', 'DeleteBindedSnap']) if (k in r) assert.equal(typeof r[k], 'boolean');
}

const checkBoolean = (r) => assert.equal(typeof r, 'boolean');
const checkDelay = (r) => assert.ok(typeof r === 'number' && Number.isFinite(r) && r >= 0, `delay ${r}`);
const checkErrorInfo = (r) => {
  assert.equal(typeof r.code, 'string');
  assert.equal(typeof r.description, 'string');
  assert.equal(typeof r.retryable, 'boolean');
  assert.equal(typeof r.known, 'boolean');
};
/** checkDeleteImages' answer: a list of well-formed issues (what a build would throw, as data). */
const checkIssues = (r) => {
  assert.ok(Array.isArray(r), `not an array: ${typeof r}`);
  for (const issue of r) {
    assert.deepEqual(Object.keys(issue).sort(), ['code', 'field', 'message'], 'issue keys');
    assert.ok(typeof issue.field === 'string' && issue.field !== '', 'issue without a field');
    assert.ok(VALIDATION_CODES.has(issue.code), `issue code ${issue.code}`);
    assert.ok(typeof issue.message === 'string' && issue.message.trim() !== '' && issue.message.length < 1000, 'issue message');
    for (const [re, why] of BAD_TEXT) assert.ok(!re.test(issue.message), `issue message ${why}`);
  }
};
/**
 * An expectation of a call that throws a ValidationError (or succeeds), restated for
 * checkDeleteImages, which never throws: success is no issue; a ValidationError is that field
 * and code as the first issue.
 */
function asIssues(expect) {
  if (expect.throws === false) return { throws: false, ok: (r) => { checkIssues(r); assert.deepEqual(r, [], 'expected no issue'); } };
  return {
    throws: false,
    ok: (r) => {
      checkIssues(r);
      assert.ok(r.length > 0, 'expected issues, got none');
      const [first] = r;
      if (expect.field !== undefined) assert.ok(oneOf(expect.field, first.field), `first issue on ${first.field}, expected ${expect.field}: ${first.message}`);
      if (expect.code !== undefined) assert.ok(oneOf(expect.code, first.code), `first issue ${first.code}, expected ${expect.code}: ${first.message}`);
      if (expect.message) assert.match(first.message, expect.message);
    },
  };
}
/** cvmRoleCredentials' answer: a provider the client can call. */
const checkProvider = (r) => {
  assert.equal(typeof r.getCredential, 'function');
  assert.ok(Object.isFrozen(r), 'the provider is frozen');
};
const checkCallResult = (r) => {
  assert.equal(typeof r.RequestId, 'string');
  assert.ok(Number.isInteger(r.attempts) && r.attempts >= 1);
};

// ---------------------------------------------------------------------------------------------
// Error checks

export const VALIDATION_CODES = new Set(['MissingParameter', 'UnknownParameter', 'InvalidParameter', 'InvalidParameterValue',
  'InvalidImageId.Malformed', 'InvalidParameterValue.LimitExceeded', 'RequestSizeLimitExceeded']);

const BAD_TEXT = [
  [/\[object Object\]/, 'contains "[object Object]"'],
  // A wasm trap's message ("unreachable", "unreachable executed"), bare or wrapped as "…: unreachable";
  // not an English sentence such as "the metadata service is unreachable".
  [/(^|: )unreachable$|unreachable executed/i, 'is a wasm trap ("unreachable")'],
  [/RuntimeError/, 'mentions "RuntimeError"'],
  [/panicked at|called `(?:Option|Result)::unwrap\(\)`|\.rs:\d+|rust_panic|wasm-function\[|__rust/, 'contains Rust panic text'],
];

/** What is wrong with a thrown value (an empty list when it is a good error). */
export function errorProblems(err) {
  const problems = [];
  if (!(err instanceof Error)) {
    return [`threw a non-Error: ${typeof err} ${safeInspect(err).slice(0, 120)}`];
  }
  if (err instanceof WebAssembly.RuntimeError) problems.push('is a WebAssembly.RuntimeError (a trap)');
  if (typeof err.name !== 'string' || err.name === '') problems.push('has no name');
  const { message } = err;
  if (typeof message !== 'string' || message.trim() === '') {
    problems.push('has an empty message');
  } else {
    if (message.length >= 1000) problems.push(`message is ${message.length} characters (≥ 1000): ${JSON.stringify(message.slice(0, 100))}…`);
    for (const [re, why] of BAD_TEXT) if (re.test(message)) problems.push(`message ${why}: ${JSON.stringify(message.slice(0, 200))}`);
  }
  if (err.name === 'ValidationError') {
    if (typeof err.field !== 'string' || err.field === '') problems.push('ValidationError without a field');
    if (!VALIDATION_CODES.has(err.code)) problems.push(`ValidationError with unknown code ${safeInspect(err.code)}`);
  }
  if (err.name === 'TencentCloudError' && (typeof err.code !== 'string' || err.code === '')) problems.push('TencentCloudError without a code');
  return problems;
}

function safeInspect(v) {
  try {
    return util.inspect(v, { depth: 2, maxStringLength: 200 });
  } catch (e) {
    return `<uninspectable: ${e && e.message}>`;
  }
}

const oneOf = (expected, actual) => (Array.isArray(expected) ? expected.includes(actual) : expected === actual);

/** Checks one outcome against a case's expectation; returns a list of problems. */
export function judge(c, outcome) {
  const e = c.expect || {};
  const problems = [];
  if (outcome.threw) {
    const err = outcome.error;
    // The caller's own non-Error exception, handed back unchanged by plain JavaScript code.
    if (err === THROWN_STRING && RETHROWING_GROUPS.has(c.group) && e.throws !== false) return problems;
    problems.push(...errorProblems(err));
    if (e.throws === false) problems.push(`expected success, threw ${err && err.name}: ${String(err && err.message).slice(0, 200)}`);
    if (e.classes && err instanceof Error && !e.classes.includes(err.name)) {
      problems.push(`expected ${e.classes.join(' or ')}, got ${err.name}: ${String(err.message).slice(0, 200)}`);
    }
    if (e.field !== undefined && err && !oneOf(e.field, err.field)) problems.push(`field ${safeInspect(err.field)}, expected ${safeInspect(e.field)} (${String(err.message).slice(0, 160)})`);
    if (e.code !== undefined && err && !oneOf(e.code, err.code)) problems.push(`code ${safeInspect(err.code)}, expected ${safeInspect(e.code)} (${String(err.message).slice(0, 160)})`);
    if (e.message && err && !e.message.test(String(err.message))) problems.push(`message ${JSON.stringify(String(err.message).slice(0, 200))} does not match ${e.message}`);
  } else {
    if (e.throws === true) problems.push(`expected an error, got ${safeInspect(outcome.value).slice(0, 200)}`);
    else if (e.ok) {
      try {
        e.ok(outcome.value);
      } catch (x) {
        problems.push(`unexpected result: ${x.message.slice(0, 300)}`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Secrets: where canaries may and may not appear

/**
 * Every text through which a thrown error can be shown: message, stack, String(), JSON.stringify,
 * util.inspect (showHidden, full depth) and its `history`.
 */
export function errorTexts(err) {
  const texts = [];
  const add = (place, f) => {
    try {
      const t = f();
      if (typeof t === 'string') texts.push([place, t]);
    } catch (x) {
      texts.push([`${place} (threw)`, String(x && x.message)]);
    }
  };
  if (err === null || (typeof err !== 'object' && typeof err !== 'function')) {
    add('String(thrown)', () => String(err));
    return texts;
  }
  add('message', () => err.message);
  add('stack', () => err.stack);
  add('String(err)', () => String(err));
  add('JSON.stringify(err)', () => JSON.stringify(err));
  add('util.inspect(err)', () => util.inspect(err, { showHidden: true, depth: null, maxStringLength: Infinity, maxArrayLength: Infinity }));
  if ('history' in err) add('JSON.stringify(err.history)', () => JSON.stringify(err.history));
  if ('cause' in err) add('util.inspect(err.cause)', () => util.inspect(err.cause, { showHidden: true, depth: null }));
  return texts;
}

/** JSON.stringify and util.inspect of a returned value. */
export function resultTexts(value) {
  const texts = [];
  try {
    const j = JSON.stringify(value);
    if (typeof j === 'string') texts.push(['JSON.stringify(result)', j]);
  } catch (x) {
    texts.push(['JSON.stringify(result) (threw)', String(x && x.message)]);
  }
  texts.push(['util.inspect(result)', util.inspect(value, { showHidden: true, depth: null, maxStringLength: Infinity, maxArrayLength: Infinity })]);
  return texts;
}

/**
 * A request object with its X-TC-Token header value replaced: the token is sent there by design
 * (and only there), so a token canary is looked for everywhere else.
 */
export function withoutTokenHeader(value) {
  if (!value || typeof value !== 'object' || !value.headers || typeof value.headers !== 'object' || !('X-TC-Token' in value.headers)) return value;
  const copy = { ...value, headers: { ...value.headers, 'X-TC-Token': '<the X-TC-Token header>' } };
  const signing = Object.getOwnPropertyDescriptor(value, 'signing');
  if (signing) Object.defineProperty(copy, 'signing', signing);
  return copy;
}

/**
 * A scanner: `scan(where, texts, canaries)` counts each text as a place checked and records every
 * canary found. `canaries` maps a name to its value.
 */
export function createScanner() {
  const state = { places: 0, leaks: [] };
  return {
    state,
    scan(where, texts, canaries) {
      for (const [place, text] of texts) {
        state.places += 1;
        for (const [name, value] of Object.entries(canaries)) {
          if (value && text.includes(value)) {
            const at = text.indexOf(value);
            state.leaks.push({ where, place, canary: name, context: text.slice(Math.max(0, at - 80), at + value.length + 40) });
          }
        }
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The case list

/**
 * A fetch for the battery's clients: a success envelope for any request, after `delayMs`,
 * honouring the request's AbortSignal as a real fetch does. `calls` counts requests.
 */
export function stubFetch({ delayMs = 0, body } = {}) {
  const state = { calls: 0 };
  const fetch = (url, init) => new Promise((resolve, reject) => {
    state.calls += 1;
    const answer = () => resolve(new Response(body ?? JSON.stringify({ Response: { RequestId: `stub-${state.calls}`, ImageSet: [], TotalCount: 0 } }),
      { status: 200, headers: { 'content-type': 'application/json' } }));
    if (!(delayMs > 0)) return answer();
    const timer = setTimeout(answer, delayMs);
    const signal = init && init.signal;
    if (signal) {
      const onAbort = () => {
        clearTimeout(timer);
        reject(new DOMException('This operation was aborted', 'AbortError'));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    return undefined;
  });
  return { fetch, state };
}

/**
 * Builds the battery. `ctx`: { secretId, secretKey, token, misplaced, home } — the credentials every
 * valid argument carries (canaries in secrets.test.mjs), a value that does not belong in the
 * non-secret options it is put in, and an empty home directory for loadCredentials.
 */
export function buildCases(api, ctx) {
  const { secretId, secretKey, token, misplaced, home } = ctx;
  const cases = [];
  const add = (group, name, call, expect = {}, flags = {}) => cases.push({ group, name, call, expect, sync: true, ...flags });
  const addAsync = (group, name, call, expect = {}, flags = {}) => cases.push({ group, name, call, expect, sync: false, ...flags });
  const V = 'ValidationError';

  const validSign = () => ({ secretId, secretKey, service: 'cvm', host: 'cvm.tencentcloudapi.com', method: 'POST',
    contentType: 'application/json', payload: '{"Limit":1}', timestamp: TS });
  const validParams = () => ({ ImageIds: ['img-mfih409y'] });
  const validOptions = () => ({ secretId, secretKey, token, region: 'ap-guangzhou', timestamp: TS });
  const validGenericParams = () => ({ Limit: 10 });
  // Port 1 of the loopback refuses at once: a provider's getCredential() fails without a network.
  const validRoleOptions = () => ({ roleName: 'battery-role', metadataUrl: 'http://127.0.0.1:1', timeoutMs: 2000 });
  const sign = (patch) => api.signTc3({ ...validSign(), ...patch });
  const build = (params, patch) => api.buildDeleteImages(params, { ...validOptions(), ...patch });
  const generic = (params, patch, action = 'DescribeImages') => api.buildRequest(action, params, { ...validOptions(), ...patch });
  const okEnvelope = JSON.stringify({ Response: { RequestId: 'req-1' } });

  // ---- the sweep: every hostile value in every argument position ----
  const positions = [
    { group: 'signTc3', pos: 'input', key: 'secretKey', valid: validSign, call: (v) => api.signTc3(v),
      expect: (l) => objectArgExpect(l, { arg: 'input', empty: ['timestamp', 'MissingParameter'], okCheck: checkSigning }) },
    { group: 'validateDeleteImages', pos: 'params', key: 'ImageIds', valid: validParams, call: (v) => api.validateDeleteImages(v),
      expect: (l) => objectArgExpect(l, { arg: 'params', empty: ['ImageIds', 'MissingParameter'], okCheck: checkNormalized }) },
    { group: 'buildDeleteImages', pos: 'params', key: 'ImageIds', valid: validParams, call: (v) => api.buildDeleteImages(v, validOptions()),
      expect: (l) => objectArgExpect(l, { arg: 'params', empty: ['ImageIds', 'MissingParameter'], okCheck: checkRequest }) },
    { group: 'buildDeleteImages', pos: 'options', key: 'secretKey', valid: validOptions, call: (v) => api.buildDeleteImages(validParams(), v),
      expect: (l) => objectArgExpect(l, { arg: 'options', empty: ['secretId', 'MissingParameter'], okCheck: checkRequest }) },
    { group: 'buildRequest', pos: 'action', valid: () => 'DescribeImages', call: (v) => api.buildRequest(v, validGenericParams(), validOptions()),
      expect: (l) => {
        if (typeof HOSTILE_BY_LABEL.get(l)(undefined, '') === 'string') {
          return { throws: true, classes: [V], field: 'action', code: l === 'an empty string' ? ['InvalidParameterValue', 'MissingParameter'] : 'InvalidParameterValue' };
        }
        return { throws: true, classes: [V], field: 'action', code: 'InvalidParameter' };
      } },
    { group: 'buildRequest', pos: 'params', key: 'Limit', valid: validGenericParams, call: (v) => api.buildRequest('DescribeImages', v, validOptions()),
      expect: (l) => objectArgExpect(l, { arg: 'params', anyObject: true, okCheck: checkRequest }) },
    { group: 'buildRequest', pos: 'options', key: 'secretKey', valid: validOptions, call: (v) => api.buildRequest('DescribeImages', validGenericParams(), v),
      expect: (l) => objectArgExpect(l, { arg: 'options', empty: ['secretId', 'MissingParameter'], okCheck: checkRequest }) },
    { group: 'checkDeleteImages', pos: 'params', key: 'ImageIds', valid: validParams, call: (v) => api.checkDeleteImages(v, validOptions()),
      expect: (l) => asIssues(objectArgExpect(l, { arg: 'params', empty: ['ImageIds', 'MissingParameter'] })) },
    { group: 'checkDeleteImages', pos: 'options', key: 'secretKey', valid: validOptions, call: (v) => api.checkDeleteImages(validParams(), v),
      expect: (l) => asIssues(objectArgExpect(l, { arg: 'options', empty: ['secretId', 'MissingParameter'] })) },
    { group: 'cvmRoleCredentials', pos: 'options', key: 'roleName', valid: validRoleOptions, call: (v) => api.cvmRoleCredentials(v),
      expect: (l) => objectArgExpect(l, { arg: 'options', allOptional: true, okCheck: checkProvider }) },
    ...['roleName', 'metadataUrl', 'timeoutMs'].map((k) => ({
      group: 'cvmRoleCredentials', pos: `options.${k}`, valid: () => undefined,
      call: (v) => api.cvmRoleCredentials({ ...validRoleOptions(), [k]: v }),
      expect: () => ({ classes: [V], ok: checkProvider }) })),
    { group: 'validateRegion', pos: 'region', valid: () => 'ap-guangzhou', call: (v) => api.validateRegion(v),
      expect: (l) => {
        if (l === 'an empty string') return { throws: true, classes: [V], field: 'region', code: 'MissingParameter' };
        const v = HOSTILE_BY_LABEL.get(l)(undefined, '');
        return { throws: true, classes: [V], field: 'region', code: typeof v === 'string' ? 'InvalidParameterValue' : 'InvalidParameter' };
      } },
    { group: 'isKnownRegion', pos: 'region', valid: () => 'ap-guangzhou', call: (v) => api.isKnownRegion(v),
      expect: () => ({ throws: false, ok: (r) => assert.equal(r, false) }) },
    ...['decodeDeleteImages', 'decodeResponse'].flatMap((fn) => [
      { group: fn, pos: 'status', valid: () => 200, call: (v) => api[fn](v, okEnvelope),
        // 0 is how a browser shows an opaque redirect: never a result.
        expect: (l) => (l === '0' || l === '-0'
          ? { throws: true, classes: ['TencentCloudError'], code: 'ClientError.Redirect' }
          : { throws: true, classes: [V], field: 'status', code: 'InvalidParameter' }) },
      { group: fn, pos: 'bodyText', valid: () => okEnvelope, call: (v) => api[fn](200, v),
        expect: (l) => (typeof HOSTILE_BY_LABEL.get(l)(undefined, '') === 'string'
          ? { throws: true, classes: ['TencentCloudError'], code: 'ClientError.InvalidResponse' }
          : { throws: true, classes: [V], field: 'bodyText', code: 'InvalidParameter' }) },
    ]),
    { group: 'describeError', pos: 'code', valid: () => 'InternalError', call: (v) => api.describeError(v),
      expect: () => ({ throws: false, ok: checkErrorInfo }) },
    ...[0, 1, 2, 3].map((i) => ({ group: 'backoffDelayMs', pos: ['attempt', 'baseMs', 'capMs', 'random01'][i], valid: () => 1,
      call: (v) => { const args = [1, 200, 5000, 0.5]; args[i] = v; return api.backoffDelayMs(...args); },
      expect: () => ({ ok: checkDelay }) })),
    { group: 'parseHttpDate', pos: 'value', valid: () => 'Sun, 06 Nov 1994 08:49:37 GMT', call: (v) => api.parseHttpDate(v),
      expect: () => ({ throws: false, ok: (r) => assert.equal(r, undefined) }) },
    ...[0, 1].map((i) => ({ group: 'RateLimiter', pos: `constructor ${['limit', 'windowMs'][i]}`, valid: () => 10,
      call: (v) => { const args = [10, 1000]; args[i] = v; const r = new api.RateLimiter(...args); return [r.delayMs(0), r.commit(0), r.settle(0, 1), r.delayMs(2)]; },
      expect: () => ({ ok: (r) => { checkDelay(r[0]); checkDelay(r[3]); } }) })),
    ...['delayMs', 'commit'].map((m) => ({ group: 'RateLimiter', pos: `${m}(nowMs)`, valid: () => 0,
      call: (v) => { const r = new api.RateLimiter(2, 1000); const out = r[m](v); return [out, r.delayMs(0)]; },
      expect: () => ({ ok: (r) => { if (m === 'delayMs') checkDelay(r[0]); checkDelay(r[1]); } }) })),
    ...[0, 1].map((i) => ({ group: 'RateLimiter', pos: `settle ${['sentAtMs', 'answeredAtMs'][i]}`, valid: () => 0,
      call: (v) => { const r = new api.RateLimiter(2, 1000); r.commit(0); const args = [0, 5]; args[i] = v; r.settle(...args); return r.delayMs(10); },
      expect: () => ({ ok: checkDelay }) })),
    { group: 'loadCredentials', pos: 'options', key: 'secretKey', valid: () => ({ secretId, secretKey, env: {}, home }),
      call: (v) => api.loadCredentials(v), secretBearing: true,
      expect: () => ({ ok: (r) => { assert.equal(typeof r.secretId, 'string'); assert.equal(typeof r.secretKey, 'string'); } }) },
    ...['env', 'home', 'profile', 'file', 'secretId', 'secretKey', 'token', 'region'].map((k) => ({
      group: 'loadCredentials', pos: `options.${k}`, valid: () => undefined,
      call: (v) => api.loadCredentials({ env: { TENCENTCLOUD_SECRET_ID: secretId, TENCENTCLOUD_SECRET_KEY: secretKey }, home, [k]: v }),
      secretBearing: true,
      expect: () => ({ ok: (r) => { assert.equal(typeof r.secretId, 'string'); assert.equal(typeof r.secretKey, 'string'); } }) })),
    // CvmClient: the constructor's options object and each option in turn; the methods' arguments.
    { group: 'CvmClient', pos: 'constructor options', key: 'secretKey', valid: () => clientOptions(), async: false,
      call: (v) => new api.CvmClient(v), expect: () => ({ classes: ['TypeError', V, 'Error'], ok: (r) => assert.ok(r instanceof api.CvmClient) }) },
    ...['secretId', 'secretKey', 'token', 'region', 'endpoint', 'host', 'method', 'language', 'timeoutMs', 'retries', 'fetch',
      'ratePerSecond', 'signAction', 'correctClockSkew', 'credentials', 'refreshMarginMs'].map((k) => ({
      group: 'CvmClient', pos: `constructor options.${k}`, valid: () => undefined,
      call: (v) => new api.CvmClient({ ...clientOptions(), [k]: v }),
      expect: (l) => (k === 'credentials' && isPrimitive(l)
        // Not an object nor a function (a Symbol, a BigInt, a number, a string…): named at once
        // (issue 21: a Symbol or a BigInt was taken for a provider).
        ? { throws: true, classes: [V], field: 'credentials' }
        : { classes: ['TypeError', V], ok: (r) => assert.ok(r instanceof api.CvmClient) }) })),
    { group: 'CvmClient', pos: 'deleteImages(params)', key: 'ImageIds', valid: validParams, async: true,
      call: (v) => newClient().deleteImages(v),
      expect: (l) => ({ ...objectArgExpect(l, { arg: 'params', empty: ['ImageIds', 'MissingParameter'], okCheck: checkCallResult }) }) },
    { group: 'CvmClient', pos: 'deleteImages(_, callOptions)', key: 'signal', valid: () => ({}), async: true,
      call: (v) => newClient().deleteImages(validParams(), v), expect: () => ({ classes: ['TypeError', 'Error'], ok: checkCallResult }) },
    { group: 'CvmClient', pos: 'request(action)', valid: () => 'DescribeImages', async: true,
      call: (v) => newClient().request(v, {}), expect: () => ({ throws: true, classes: ['TypeError', V] }) },
    { group: 'CvmClient', pos: 'request(_, params)', key: 'Limit', valid: validGenericParams, async: true,
      call: (v) => newClient().request('DescribeImages', v), expect: () => ({ classes: ['TypeError', V], ok: checkCallResult }) },
    { group: 'CvmClient', pos: 'request(_, _, callOptions)', key: 'version', valid: () => ({}), async: true,
      call: (v) => newClient().request('DescribeImages', {}, v), expect: () => ({ classes: ['TypeError', V, 'Error'], ok: checkCallResult }) },
    { group: 'CvmClient', pos: 'describeImages(params)', key: 'ImageIds', valid: () => ({ ImageIds: ['img-mfih409y'] }), async: true,
      call: (v) => newClient().describeImages(v), expect: () => ({ classes: ['TypeError', V], ok: checkCallResult }) },
    { group: 'CvmClient', pos: 'describeImages(_, callOptions)', key: 'signal', valid: () => ({}), async: true,
      call: (v) => newClient().describeImages({}, v), expect: () => ({ classes: ['TypeError', V, 'Error'], ok: checkCallResult }) },
  ];

  function clientOptions(extra = {}) {
    return { secretId, secretKey, token, region: 'ap-guangzhou', fetch: stubFetch().fetch, retries: 0, ratePerSecond: 1_000_000, timeoutMs: 2000, ...extra };
  }
  function newClient(extra) {
    return new api.CvmClient(clientOptions(extra));
  }

  for (const p of positions) {
    for (const [label, make, flags = {}] of HOSTILE) {
      const name = `${p.pos} = ${label}`;
      const call = () => p.call(make(p.valid(), p.key ?? 'zz'));
      const expect = p.expect(label);
      const caseFlags = { heavy: Boolean(flags.heavy), secretBearing: Boolean(p.secretBearing) };
      if (p.async) addAsync(p.group, name, call, expect, caseFlags);
      else add(p.group, name, call, expect, caseFlags);
    }
  }

  // ---- targeted cases: exact field and code where the core knows them ----
  const E = (field, code, extra = {}) => ({ throws: true, classes: [V], field, code, ...extra });

  // signTc3
  for (const key of ['secretId', 'secretKey', 'service', 'host', 'method', 'contentType', 'payload', 'timestamp']) {
    add('signTc3', `missing ${key}`, () => { const i = validSign(); delete i[key]; return api.signTc3(i); }, E(key, 'MissingParameter'));
    add('signTc3', `${key} = null`, () => sign({ [key]: null }), E(key, 'MissingParameter'));
  }
  for (const key of ['secretId', 'secretKey', 'service', 'host', 'method', 'contentType', 'payload', 'query', 'action']) {
    add('signTc3', `${key} = 42`, () => sign({ [key]: 42 }), E(key, 'InvalidParameter'));
    add('signTc3', `${key} = a BigInt`, () => sign({ [key]: 1n }), E(key, 'InvalidParameter'));
    add('signTc3', `${key} = a symbol`, () => sign({ [key]: Symbol('s') }), E(key, 'InvalidParameter'));
    add('signTc3', `${key} = a function`, () => sign({ [key]: () => 1 }), E(key, 'InvalidParameter'));
    add('signTc3', `${key} = an object`, () => sign({ [key]: { a: 1 } }), E(key, 'InvalidParameter'));
  }
  const timestampCases = [
    ['NaN', NaN, 'InvalidParameter'], ['Infinity', Infinity, 'InvalidParameter'], ['-Infinity', -Infinity, 'InvalidParameter'],
    ['-1', -1, 'InvalidParameterValue'], ['1.5 (fractional)', 1551113065.5, 'InvalidParameterValue'],
    ['milliseconds', 1551113065000, 'InvalidParameterValue'], ['year 10000', YEAR_10000, 'InvalidParameterValue'],
    ['year 275760', 8.64e12, 'InvalidParameterValue'], ['1e300', 1e300, 'InvalidParameterValue'], ['-1e300', -1e300, 'InvalidParameterValue'],
    ['Number.MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER, 'InvalidParameterValue'], ['2^63', 2 ** 63, 'InvalidParameterValue'],
    ['a numeric string', '1551113065', 'InvalidParameter'], ['a BigInt', 1551113065n, 'InvalidParameter'],
    ['a Date', new Date(TS * 1000), 'InvalidParameter'], ['true', true, 'InvalidParameter'], ['an array', [TS], 'InvalidParameter'],
  ];
  for (const [label, value, code] of timestampCases) {
    add('signTc3', `timestamp = ${label}`, () => sign({ timestamp: value }), E('timestamp', code));
    add('buildDeleteImages', `options.timestamp = ${label}`, () => build(validParams(), { timestamp: value }),
      E('timestamp', code, label === 'milliseconds' ? { message: /millisecond/ } : {}));
    add('buildRequest', `options.timestamp = ${label}`, () => generic(validGenericParams(), { timestamp: value }), E('timestamp', code));
  }
  const scopeDate = (d) => (r) => assert.ok((r.credentialScope ?? r.signing.credentialScope).startsWith(`${d}/`), 'credential scope date');
  add('signTc3', 'timestamp = -0 is the epoch', () => sign({ timestamp: -0 }), { throws: false, ok: scopeDate('1970-01-01') });
  add('signTc3', 'timestamp = 0 is the epoch', () => sign({ timestamp: 0 }), { throws: false, ok: scopeDate('1970-01-01') });
  add('signTc3', 'timestamp = the last second of 9999', () => sign({ timestamp: MAX_TIMESTAMP }), { throws: false, ok: scopeDate('9999-12-31') });
  add('buildDeleteImages', 'options.timestamp = the last second of 9999', () => build(validParams(), { timestamp: MAX_TIMESTAMP }), { throws: false, ok: scopeDate('9999-12-31') });
  add('buildDeleteImages', 'options.timestamp = -0 is the epoch', () => build(validParams(), { timestamp: -0 }), { throws: false, ok: scopeDate('1970-01-01') });
  add('buildDeleteImages', 'options.timestamp = null means now', () => build(validParams(), { timestamp: null }), { throws: false, ok: checkRequest });
  add('signTc3', 'timestamp = null', () => sign({ timestamp: null }), E('timestamp', 'MissingParameter'));
  add('signTc3', 'secretKey = "\\uDC00" (unpaired surrogate)', () => sign({ secretKey: '\uDC00' }), E(['input', 'secretKey'], 'InvalidParameterValue'));
  add('signTc3', 'payload = "img-\\uD800" (unpaired surrogate)', () => sign({ payload: 'img-\uD800' }), E(['input', 'payload'], 'InvalidParameterValue'));
  add('signTc3', 'host = unpaired surrogate', () => sign({ host: 'cvm\uD800.com' }), E(['input', 'host'], 'InvalidParameterValue'));
  add('signTc3', 'payload = a paired surrogate (emoji) is fine', () => sign({ payload: '{"a":"\uD83D\uDE00"}' }), {
    throws: false,
    ok: (r) => assert.equal(r.hashedPayload, createHash('sha256').update('{"a":"\uD83D\uDE00"}', 'utf8').digest('hex')),
  });
  add('signTc3', 'payload = a 10 MB string is signed (hash checked)', () => sign({ payload: tenMbString() }), {
    throws: false,
    ok: (r) => assert.equal(r.hashedPayload, createHash('sha256').update(tenMbString()).digest('hex')),
  }, { heavy: true });
  add('signTc3', 'secretKey = a 10 MB string is accepted', () => sign({ secretKey: tenMbString() }), { throws: false, ok: checkSigning }, { heavy: true });
  add('signTc3', 'secretId = a 10 MB string', () => sign({ secretId: tenMbString() }), E('secretId', 'InvalidParameterValue'), { heavy: true });
  add('signTc3', 'host = a 10 MB string', () => sign({ host: tenMbString() }), E('host', 'InvalidParameterValue'), { heavy: true });
  add('signTc3', 'method = "get"', () => sign({ method: 'get' }), E('method', 'InvalidParameterValue'));
  add('signTc3', 'service = "CVM"', () => sign({ service: 'CVM' }), E('service', 'InvalidParameterValue'));
  add('signTc3', 'contentType with a newline', () => sign({ contentType: 'application/json\r\nX-Evil: 1' }), E('contentType', 'InvalidParameterValue'));
  add('signTc3', 'query with a space', () => sign({ method: 'GET', payload: '', query: 'a=b c' }), E('query', 'InvalidParameterValue'));
  add('signTc3', 'signAction without action', () => sign({ signAction: true }), E('action', 'MissingParameter'));
  add('signTc3', 'signAction = "yes"', () => sign({ signAction: 'yes', action: 'DescribeImages' }), E('signAction', 'InvalidParameter'));
  add('signTc3', 'action with a space (signAction)', () => sign({ signAction: true, action: 'Describe Images' }), E('action', 'InvalidParameterValue'));
  add('signTc3', 'an unknown key', () => sign({ Secretkey: 'x' }), E('Secretkey', 'UnknownParameter'));
  add('signTc3', 'a toJSON giving a valid input', () => api.signTc3({ toJSON: () => validSign() }), { throws: false, ok: checkSigning });

  // validateDeleteImages / buildDeleteImages params (also through CvmClient.deleteImages)
  const paramCases = [
    ['ImageIds = 10,000 ids', { ImageIds: ids(10_000) }, E('ImageIds', 'InvalidParameterValue.LimitExceeded')],
    ['ImageIds = 101 ids', { ImageIds: ids(101) }, E('ImageIds', 'InvalidParameterValue.LimitExceeded')],
    ['ImageIds = 100 ids is the limit', { ImageIds: ids(100) }, { throws: false }],
    ['ImageIds = []', { ImageIds: [] }, E('ImageIds', 'MissingParameter')],
    ['ImageIds = null', { ImageIds: null }, E('ImageIds', 'MissingParameter')],
    ['ImageIds = "img-mfih409y"', { ImageIds: 'img-mfih409y' }, E('ImageIds', 'InvalidParameter')],
    ['ImageIds = {0: "img-…"}', { ImageIds: { 0: 'img-mfih409y' } }, E('ImageIds', 'InvalidParameter')],
    ['ImageIds = a Set', { ImageIds: new Set(['img-mfih409y']) }, E('ImageIds', 'InvalidParameter')],
    ['ImageIds = a Uint8Array', { ImageIds: new Uint8Array([1]) }, E('ImageIds', 'InvalidParameter')],
    ['ImageIds.1 = a symbol', { ImageIds: ['img-mfih409y', Symbol('s')] }, E('ImageIds.1', 'InvalidParameter')],
    ['ImageIds.1 = a BigInt', { ImageIds: ['img-mfih409y', 5n] }, E('ImageIds.1', 'InvalidParameter')],
    ['ImageIds.1 = NaN', { ImageIds: ['img-mfih409y', NaN] }, E('ImageIds.1', 'InvalidParameter')],
    ['ImageIds.1 = a function', { ImageIds: ['img-mfih409y', () => 1] }, E('ImageIds.1', 'InvalidParameter')],
    ['ImageIds.1 = undefined', { ImageIds: ['img-mfih409y', undefined] }, E('ImageIds.1', 'InvalidParameter')],
    ['ImageIds.0 = a 10 MB id', { ImageIds: [`img-${tenMbString()}`] }, E('ImageIds.0', 'InvalidImageId.Malformed'), { heavy: true }],
    ['ImageIds.0 = "img-\\uD800"', { ImageIds: ['img-\uD800'] }, E(['params', 'ImageIds.0'], 'InvalidParameterValue')],
    ['ImageIds.0 = "\\uDC00"', { ImageIds: ['\uDC00'] }, E(['params', 'ImageIds.0'], 'InvalidParameterValue')],
    ['ImageIds.0 = 129 bytes', { ImageIds: [`img-${'a'.repeat(125)}`] }, E('ImageIds.0', 'InvalidImageId.Malformed')],
    ['ImageIds.0 = 128 bytes is allowed', { ImageIds: [`img-${'a'.repeat(124)}`] }, { throws: false }],
    ['ImageIds.0 = "img-"', { ImageIds: ['img-'] }, E('ImageIds.0', 'InvalidImageId.Malformed')],
    ['ImageIds.0 with a NUL', { ImageIds: ['img-abc\u0000def'] }, E('ImageIds.0', 'InvalidImageId.Malformed')],
    ['ImageIds.1 repeats ImageIds.0', { ImageIds: ['img-mfih409y', 'img-mfih409y'] }, E('ImageIds.1', 'InvalidParameterValue')],
    ['ImageIds 10,000 levels deep', { ImageIds: deepArray(10_000) }, E('params', 'InvalidParameter'), { heavy: true }],
    ['ImageIds 200 levels deep', { ImageIds: deepArray(200) }, E('params', 'InvalidParameter', { message: /nested|read/ })],
    ['DryRun = "yes"', { ImageIds: ['img-mfih409y'], DryRun: 'yes' }, E('DryRun', 'InvalidParameter')],
    ['DryRun = NaN', { ImageIds: ['img-mfih409y'], DryRun: NaN }, E('DryRun', 'InvalidParameter')],
    ['DryRun = 1', { ImageIds: ['img-mfih409y'], DryRun: 1 }, E('DryRun', 'InvalidParameter')],
    ['DryRun = a BigInt', { ImageIds: ['img-mfih409y'], DryRun: 1n }, E('DryRun', 'InvalidParameter')],
    ['DryRun = "True"', { ImageIds: ['img-mfih409y'], DryRun: 'True' }, { throws: false }],
    ['DeleteBindedSnap = {}', { ImageIds: ['img-mfih409y'], DeleteBindedSnap: {} }, E('DeleteBindedSnap', 'InvalidParameter')],
    ['an unknown parameter', { ImageIds: ['img-mfih409y'], Force: true }, E('Force', 'UnknownParameter')],
    ['an unknown key with a 10 MB name', { ImageIds: ['img-mfih409y'], [tenMbString()]: 1 }, { throws: true, classes: [V], code: 'UnknownParameter' }, { heavy: true }],
  ];
  for (const [label, params, expect, flags = {}] of paramCases) {
    const ok = (check) => ({ ...expect, ok: expect.throws === false ? check : undefined });
    add('validateDeleteImages', label, () => api.validateDeleteImages(params), ok(checkNormalized), flags);
    add('buildDeleteImages', `params: ${label}`, () => build(params), ok(checkRequest), flags);
    addAsync('CvmClient', `deleteImages: ${label}`, () => newClient().deleteImages(params), ok(checkCallResult), flags);
    add('checkDeleteImages', `params: ${label}`, () => api.checkDeleteImages(params, validOptions()), asIssues(expect), flags);
  }
  add('validateDeleteImages', 'DryRun "True" is normalised to true', () => api.validateDeleteImages({ ImageIds: ['img-mfih409y'], DryRun: 'True' }),
    { throws: false, ok: (r) => assert.deepEqual(r, { ImageIds: ['img-mfih409y'], DryRun: true }) });

  // options of buildDeleteImages / buildRequest
  const optionCases = [
    ['secretId missing', { secretId: undefined }, E('secretId', 'MissingParameter')],
    ['secretKey missing', { secretKey: undefined }, E('secretKey', 'MissingParameter')],
    ['region missing', { region: undefined }, E('region', 'MissingParameter')],
    ['secretKey = ""', { secretKey: '' }, E('secretKey', 'MissingParameter')],
    ['secretKey = 0', { secretKey: 0 }, E('secretKey', 'InvalidParameter')],
    ['secretKey = an array', { secretKey: [secretKey] }, E('secretKey', 'InvalidParameter')],
    ['secretKey = a BigInt', { secretKey: 1n }, E('secretKey', 'InvalidParameter')],
    ['secretKey = "\\uDC00"', { secretKey: '\uDC00' }, E(['options', 'secretKey'], 'InvalidParameterValue')],
    ['secretKey = a 10 MB string is accepted', { secretKey: tenMbString() }, { throws: false, ok: checkRequest }, { heavy: true }],
    ['secretId with a space', { secretId: 'AKID x' }, E('secretId', 'InvalidParameterValue')],
    ['secretId = a 10 MB string', { secretId: tenMbString() }, E('secretId', 'InvalidParameterValue'), { heavy: true }],
    ['token with a newline', { token: 'tok\nen' }, E('token', 'InvalidParameterValue')],
    ['token = a 10 MB string', { token: tenMbString() }, E('token', 'InvalidParameterValue'), { heavy: true }],
    ['region = a 10 MB string', { region: tenMbString() }, E('region', 'InvalidParameterValue'), { heavy: true }],
    ['region = "ap-\\uD800"', { region: 'ap-\uD800' }, E(['options', 'region'], 'InvalidParameterValue')],
    ['region = "AP-GUANGZHOU"', { region: 'AP-GUANGZHOU' }, E('region', 'InvalidParameterValue')],
    ['region = 42', { region: 42 }, E('region', 'InvalidParameter')],
    ['method = "PUT"', { method: 'PUT' }, E('method', 'InvalidParameterValue')],
    ['method = "post"', { method: 'post' }, E('method', 'InvalidParameterValue')],
    ['language = "fr-FR"', { language: 'fr-FR' }, E('language', 'InvalidParameterValue')],
    ['endpoint = "ftp://x"', { endpoint: 'ftp://cvm.tencentcloudapi.com' }, E('endpoint', 'InvalidParameterValue')],
    ['endpoint with user:password@', { endpoint: 'https://user:pw@cvm.tencentcloudapi.com' }, E('endpoint', 'InvalidParameterValue')],
    ['endpoint = a 10 MB string', { endpoint: `https://${tenMbString()}` }, E('endpoint', 'InvalidParameterValue'), { heavy: true }],
    ['host with a space', { host: 'cvm tencentcloudapi.com' }, E('host', 'InvalidParameterValue')],
    ['signAction = "yes"', { signAction: 'yes' }, E('signAction', 'InvalidParameter')],
    ['signAction = "True"', { signAction: 'True' }, { throws: false, ok: checkRequest }],
    ['an unknown option', { secretkey: 'x' }, E('secretkey', 'UnknownParameter')],
    ['a __proto__ option via JSON.parse', JSON.parse('{"__proto__":{"secretKey":"x"}}'), E('__proto__', 'UnknownParameter')],
  ];
  for (const [label, patch, expect, flags = {}] of optionCases) {
    add('buildDeleteImages', `options: ${label}`, () => build(validParams(), patch), expect, flags);
    add('buildRequest', `options: ${label}`, () => generic(validGenericParams(), patch), expect, flags);
    add('checkDeleteImages', `options: ${label}`, () => api.checkDeleteImages(validParams(), { ...validOptions(), ...patch }), asIssues(expect), flags);
  }
  add('checkDeleteImages', 'every problem of params and options at once', () => api.checkDeleteImages(
    { ImageIds: ['ins-1', 'img-mfih409y', 'img-mfih409y'], DryRun: 'yes', Force: 1 }, { ...validOptions(), secretKey: undefined, region: 'AP', methd: 'GET' }), {
    throws: false,
    ok: (r) => {
      checkIssues(r);
      assert.deepEqual(r.map((i) => `${i.field}:${i.code}`).sort(), ['DryRun:InvalidParameter', 'Force:UnknownParameter', 'ImageIds.0:InvalidImageId.Malformed',
        'ImageIds.2:InvalidParameterValue', 'methd:UnknownParameter', 'region:InvalidParameterValue', 'secretKey:MissingParameter'].sort());
    },
  });
  add('checkDeleteImages', 'no argument at all', () => api.checkDeleteImages(), asIssues(E('params', 'InvalidParameter')));
  add('checkDeleteImages', 'a timestamp in milliseconds', () => api.checkDeleteImages(validParams(), { ...validOptions(), timestamp: TS * 1000 }),
    asIssues(E('timestamp', 'InvalidParameterValue', { message: /millisecond/ })));
  add('checkDeleteImages', 'options without a timestamp (a form: now)', () => api.checkDeleteImages(validParams(), { ...validOptions(), timestamp: undefined }),
    asIssues({ throws: false }));

  // cvmRoleCredentials: the options are checked at once; the provider fails clearly off a CVM.
  const role = (patch) => () => api.cvmRoleCredentials({ ...validRoleOptions(), ...patch });
  const roleCases = [
    ['no options: the defaults', () => api.cvmRoleCredentials(), { throws: false, ok: checkProvider }],
    ['roleName = ""', role({ roleName: '' }), E('roleName', 'InvalidParameterValue')],
    ['roleName = "  "', role({ roleName: '  ' }), E('roleName', 'InvalidParameterValue')],
    ['roleName with a slash', role({ roleName: 'a/../b' }), E('roleName', 'InvalidParameterValue')],
    ['roleName of 129 characters', role({ roleName: 'r'.repeat(129) }), E('roleName', 'InvalidParameterValue')],
    ['roleName of 128 characters', role({ roleName: 'r'.repeat(128) }), { throws: false, ok: checkProvider }],
    ['roleName = "role-\\uD800"', role({ roleName: 'role-\uD800' }), E(['options', 'roleName'], 'InvalidParameterValue')],
    ['roleName = 42', role({ roleName: 42 }), E('roleName', 'InvalidParameter')],
    ['metadataUrl = "ftp://…"', role({ metadataUrl: 'ftp://metadata.tencentyun.com' }), E('metadataUrl', 'InvalidParameterValue')],
    ['metadataUrl with user:password@', role({ metadataUrl: 'http://user:pw@metadata.tencentyun.com' }), E('metadataUrl', 'InvalidParameterValue')],
    ['metadataUrl = "not a url"', role({ metadataUrl: 'not a url' }), E('metadataUrl', 'InvalidParameterValue')],
    ['metadataUrl = a 10 MB string', role({ metadataUrl: `http://${tenMbString()}` }), E('metadataUrl', 'InvalidParameterValue'), { heavy: true }],
    ['timeoutMs = 0', role({ timeoutMs: 0 }), E('timeoutMs', 'InvalidParameterValue')],
    ['timeoutMs = -1', role({ timeoutMs: -1 }), E('timeoutMs', 'InvalidParameterValue')],
    ['timeoutMs = NaN', role({ timeoutMs: NaN }), E('timeoutMs', 'InvalidParameter')],
    ['timeoutMs = "1000"', role({ timeoutMs: '1000' }), E('timeoutMs', 'InvalidParameter')],
    ['timeoutMs = 2**31 (the longest timer)', role({ timeoutMs: 2 ** 31 }), { throws: false, ok: checkProvider }],
    ['an unknown key, with a did-you-mean', role({ rolename: 'x' }), E('rolename', 'UnknownParameter', { message: /roleName/ })],
  ];
  for (const [label, call, expect, flags = {}] of roleCases) add('cvmRoleCredentials', label, call, expect, flags);
  add('cvmRoleCredentials', 'every problem at once: all four named', () => {
    try {
      api.cvmRoleCredentials({ roleName: '', metadataUrl: 1, timeoutMs: -1, extra: 1 });
    } catch (e) {
      return e.issues.map((i) => i.field).sort();
    }
    return [];
  }, { throws: false, ok: (r) => assert.deepEqual(r, ['extra', 'metadataUrl', 'roleName', 'timeoutMs']) });
  // Off a CVM: getCredential() rejects with ClientError.Credentials saying the service is unreachable.
  const offCvm = { throws: true, classes: ['TencentCloudError'], code: 'ClientError.Credentials', message: /cannot reach the CVM metadata service/ };
  addAsync('cvmRoleCredentials', 'getCredential() off a CVM, role given', () => api.cvmRoleCredentials(validRoleOptions()).getCredential(), offCvm);
  addAsync('cvmRoleCredentials', 'getCredential() off a CVM, role discovered', () => api.cvmRoleCredentials({ ...validRoleOptions(), roleName: undefined }).getCredential(), offCvm);
  addAsync('cvmRoleCredentials', 'getCredential() called as a plain function', () => { const { getCredential } = api.cvmRoleCredentials(validRoleOptions()); return getCredential(); }, offCvm);
  addAsync('cvmRoleCredentials', 'as a CvmClient provider off a CVM: the call fails with ClientError.Credentials',
    () => newClient({ secretId: undefined, secretKey: undefined, token: undefined, credentials: api.cvmRoleCredentials(validRoleOptions()) }).describeImages(),
    { throws: true, classes: ['TencentCloudError'], code: 'ClientError.Credentials' });
  add('buildDeleteImages', 'options: version is not an option of buildDeleteImages', () => build(validParams(), { version: '2017-03-12' }), E('version', 'UnknownParameter'));
  add('buildRequest', 'options: version = "latest"', () => generic({}, { version: 'latest' }), E('version', 'InvalidParameterValue'));
  add('buildRequest', 'options: service = "CVM"', () => generic({}, { service: 'CVM' }), E('service', 'InvalidParameterValue'));
  add('buildRequest', 'action = a 10 MB string', () => generic({}, {}, tenMbString()), E('action', 'InvalidParameterValue'), { heavy: true });
  add('buildRequest', 'action = "Describe Images"', () => generic({}, {}, 'Describe Images'), E('action', 'InvalidParameterValue'));
  add('buildRequest', 'action = "img-\\uD800"', () => generic({}, {}, 'img-\uD800'), E('action', 'InvalidParameterValue'));
  add('buildRequest', 'params 129 levels deep', () => generic({ A: deepArray(129) }), E('params', 'InvalidParameter', { message: /nested/ }));
  add('buildRequest', 'params 100 levels deep are fine', () => generic({ A: deepArray(100) }), { throws: false, ok: checkRequest });
  add('buildRequest', 'params with a __proto__ key pass through, nothing polluted', () => generic(JSON.parse('{"__proto__":{"polluted":true}}')),
    { throws: false, ok: (r) => { checkRequest(r); assert.equal(r.body, '{"__proto__":{"polluted":true}}'); assert.equal({}.polluted, undefined); } });
  add('buildRequest', 'params = an almost 10 MB string value (POST)', () => generic({ A: tenMbString().slice(100) }), { throws: false, ok: checkRequest }, { heavy: true });

  // Request size limits, hit with ≤ 100 ids (long ids are ≤ 128 bytes).
  const GET = { method: 'GET' };
  add('buildRequest', 'GET query of exactly 32 KB is allowed', () => generic({ A: 'a'.repeat(32 * 1024 - 2) }, GET),
    { throws: false, ok: (r) => { checkRequest(r); assert.equal(new URL(r.url).search.length - 1, 32 * 1024); } });
  add('buildRequest', 'GET query of 32 KB + 1 → RequestSizeLimitExceeded', () => generic({ A: 'a'.repeat(32 * 1024 - 1) }, GET),
    E('params', 'RequestSizeLimitExceeded', { message: /32768/ }));
  add('buildRequest', 'GET query over 32 KB from many params → RequestSizeLimitExceeded',
    () => generic(Object.fromEntries(ids(100).map((id) => [`P${id.slice(4)}`, 'v'.repeat(400)])), GET), E('params', 'RequestSizeLimitExceeded'));
  const longIds = (ch, n = 100) => ids(n).map((id) => `${id}${ch.repeat(Math.floor((128 - id.length) / Buffer.byteLength(ch)))}`);
  add('buildDeleteImages', 'GET with 100 non-ASCII ids of 128 bytes → RequestSizeLimitExceeded', () => build({ ImageIds: longIds('é') }, GET),
    E('params', 'RequestSizeLimitExceeded'));
  add('buildDeleteImages', 'GET with 100 ASCII ids of 128 bytes fits', () => build({ ImageIds: longIds('a') }, GET),
    { throws: false, ok: (r) => { checkRequest(r); assert.ok(new URL(r.url).search.length <= 32 * 1024); } });
  const POST_MAX = 10 * 1024 * 1024;
  add('buildRequest', 'POST body of exactly 10 MB is allowed', () => generic({ A: 'a'.repeat(POST_MAX - 8) }),
    { throws: false, ok: (r) => assert.equal(Buffer.byteLength(r.body), POST_MAX) }, { heavy: true });
  add('buildRequest', 'POST body of 10 MB + 1 → RequestSizeLimitExceeded', () => generic({ A: 'a'.repeat(POST_MAX - 7) }),
    E('params', 'RequestSizeLimitExceeded', { message: /10485760/ }), { heavy: true });
  add('buildRequest', 'POST body over 10 MB from 100 params → RequestSizeLimitExceeded',
    () => generic(Object.fromEntries(ids(100).map((id) => [id.slice(4), 'é'.repeat(60_000)]))), E('params', 'RequestSizeLimitExceeded'), { heavy: true });
  addAsync('CvmClient', 'request GET over 32 KB → RequestSizeLimitExceeded, nothing sent', async () => {
    const stub = stubFetch();
    const client = new api.CvmClient(clientOptions({ method: 'GET', fetch: stub.fetch }));
    try {
      return await client.request('DescribeImages', { A: 'a'.repeat(40_000) });
    } finally {
      assert.equal(stub.state.calls, 0, 'a request was sent');
    }
  }, E('params', 'RequestSizeLimitExceeded'));

  // validateRegion / isKnownRegion
  add('validateRegion', 'a 10 MB region', () => api.validateRegion(tenMbString()), E('region', 'InvalidParameterValue'), { heavy: true });
  add('validateRegion', '"ap-\\uD800"', () => api.validateRegion('ap-\uD800'), E('region', 'InvalidParameterValue'));
  add('validateRegion', '"\\uDC00"', () => api.validateRegion('\uDC00'), E('region', 'InvalidParameterValue'));
  add('validateRegion', 'a region of 33 characters', () => api.validateRegion(`ap-${'a'.repeat(30)}`), E('region', 'InvalidParameterValue'));
  add('validateRegion', 'a well-formed unknown region is accepted', () => api.validateRegion('xx-newregion1'), { throws: false, ok: (r) => assert.equal(r, 'xx-newregion1') });
  add('isKnownRegion', 'ap-guangzhou', () => api.isKnownRegion('ap-guangzhou'), { throws: false, ok: (r) => assert.equal(r, true) });
  add('isKnownRegion', 'a 10 MB region', () => api.isKnownRegion(tenMbString()), { throws: false, ok: (r) => assert.equal(r, false) }, { heavy: true });
  add('isKnownRegion', 'a benign Proxy', () => api.isKnownRegion(new Proxy({}, {})), { throws: false, ok: (r) => assert.equal(r, false) });

  // decoders
  const envelope = (response) => JSON.stringify({ Response: response });
  for (const fn of ['decodeDeleteImages', 'decodeResponse']) {
    const D = (status, body) => () => api[fn](status, body);
    const invalid = { throws: true, classes: ['TencentCloudError'], code: 'ClientError.InvalidResponse' };
    add(fn, 'a 10 MB non-JSON body', D(200, tenMbString()), invalid, { heavy: true });
    add(fn, 'a 10 MB success with a 10 MB field', D(200, envelope({ RequestId: 'r', Big: tenMbString() })), { throws: false }, { heavy: true });
    add(fn, 'a 10 MB Error.Message', D(200, envelope({ Error: { Code: 'InternalError', Message: tenMbString() }, RequestId: 'r' })),
      { throws: true, classes: ['TencentCloudError'], code: 'InternalError' }, { heavy: true });
    add(fn, 'a 10 MB Error.Code', D(200, envelope({ Error: { Code: tenMbString(), Message: 'm' }, RequestId: 'r' })),
      { throws: true, classes: ['TencentCloudError'] }, { heavy: true });
    add(fn, 'a 10 MB HTML page', D(502, `<html><head><title>${tenMbString()}</title></head></html>`),
      { throws: true, classes: ['TencentCloudError'], code: 'ClientError.HttpStatus' }, { heavy: true });
    add(fn, '100,000 nested arrays', D(200, '['.repeat(100_000) + ']'.repeat(100_000)), invalid, { heavy: true });
    add(fn, 'an unclosed 100,000-deep body', D(200, '{"Response":'.repeat(100_000)), invalid, { heavy: true });
    add(fn, 'an empty body', D(200, ''), invalid);
    add(fn, 'a truncated body', D(200, envelope({ RequestId: 'r' }).slice(0, 15)), invalid);
    add(fn, 'JSON null', D(200, 'null'), invalid);
    add(fn, 'a body with an unpaired surrogate', D(200, envelope({ RequestId: 'req-\uD800' })), { throws: false });
    add(fn, 'a body with an escaped unpaired surrogate', D(200, '{"Response":{"RequestId":"req-\\udc00"}}'), { throws: false });
    add(fn, 'Error.Code with a newline', D(200, envelope({ Error: { Code: 'A\nB', Message: 'm' }, RequestId: 'r' })), { throws: true, classes: ['TencentCloudError'] });
    const redirect = { throws: true, classes: ['TencentCloudError'], code: 'ClientError.Redirect' };
    add(fn, 'status = 0 (an opaque redirect)', D(0, ''), redirect);
    add(fn, 'status = -0 (an opaque redirect)', D(-0, envelope({ RequestId: 'r' })), redirect);
    add(fn, 'a 307 with a success envelope', D(307, envelope({ RequestId: 'r' })), redirect);
    for (const status of [99, 600, 200.5, 1, '200', 200n, NaN]) {
      add(fn, `status = ${typeof status === 'bigint' ? `${status}n` : JSON.stringify(status) ?? String(status)}`, D(status, envelope({ RequestId: 'r' })),
        E('status', 'InvalidParameter'));
    }
  }
  add('decodeResponse', 'a __proto__ key in the Response pollutes nothing',
    () => api.decodeResponse(200, '{"Response":{"RequestId":"r","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}'),
    { throws: false, ok: (r) => { assert.equal({}.polluted, undefined); assert.equal(Object.getPrototypeOf(r), Object.prototype); assert.equal(r.polluted, undefined); } });
  add('decodeResponse', 'a number beyond double range', () => api.decodeResponse(200, '{"Response":{"RequestId":"r","N":1e400}}'), { throws: false });

  // describeError / backoffDelayMs / parseHttpDate / RateLimiter
  add('describeError', 'a 10 MB code', () => api.describeError(tenMbString()), { throws: false, ok: (r) => { checkErrorInfo(r); assert.equal(r.known, false); } }, { heavy: true });
  add('describeError', 'a known code', () => api.describeError('AuthFailure.SignatureFailure'), { throws: false, ok: (r) => assert.equal(r.known, true) });
  for (const args of [[NaN, NaN, NaN, NaN], [Infinity, 200, 5000, 0.5], [1e300, 1e300, 1e300, 0.999], [-1, -200, -5000, -0.5], [1000, 200, 5000, 1], [2 ** 53, 200, 5000, 0.5]]) {
    add('backoffDelayMs', `(${args.join(', ')})`, () => api.backoffDelayMs(...args), { throws: false, ok: (r) => { checkDelay(r); assert.ok(r <= (args[2] > 0 ? args[2] : 0), `${r} > cap`); } });
  }
  add('backoffDelayMs', 'no arguments', () => api.backoffDelayMs(), { throws: false, ok: checkDelay });
  for (const date of ['Sun, 06 Nov 1994 08:49:37 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', 'Sat, 01 Jan 0000 00:00:00 GMT']) {
    add('parseHttpDate', JSON.stringify(date), () => api.parseHttpDate(date), { throws: false, ok: (r) => assert.ok(Number.isInteger(r)) });
  }
  for (const date of ['Sun, 06 Nov 1994 08:49:37 GMT\uD800', 'Sun, 06 Nov 1994 25:49:37 GMT', `Sun, 06 Nov 1994 08:49:37 GMT${' '.repeat(10_000)}x`, 'Sun, 6 Nov 1994 08:49:37 GMT']) {
    add('parseHttpDate', JSON.stringify(date.slice(0, 40)), () => api.parseHttpDate(date), { throws: false, ok: (r) => assert.equal(r, undefined) });
  }
  add('parseHttpDate', 'a 10 MB string', () => api.parseHttpDate(tenMbString()), { throws: false, ok: (r) => assert.equal(r, undefined) }, { heavy: true });
  add('RateLimiter', 'called without new', () => api.RateLimiter(1, 1000), { throws: true, classes: ['TypeError'] });
  add('RateLimiter', 'delayMs with a foreign this', () => api.RateLimiter.prototype.delayMs.call({}, 1), { throws: true, classes: ['TypeError'] });
  add('RateLimiter', 'commit with a foreign this', () => api.RateLimiter.prototype.commit.call(null, 1), { throws: true, classes: ['TypeError'] });
  add('RateLimiter', 'still limits after hostile calls', () => {
    const r = new api.RateLimiter(2, 1000);
    for (const v of [NaN, Infinity, -Infinity, 1e300, -1e300, -0, undefined, '12', {}]) {
      r.delayMs(v);
      r.settle(v, v);
    }
    const l = new api.RateLimiter(2, 1000);
    l.commit(0);
    l.commit(0);
    return [l.delayMs(0), r.delayMs(0)];
  }, { throws: false, ok: ([d, d2]) => { assert.ok(d > 0, 'two in flight of a limit of 2 must make the third wait'); checkDelay(d2); } });
  add('RateLimiter', '100,000 commits without settling do not hang', () => {
    const r = new api.RateLimiter(1_000_000, 1000);
    for (let i = 0; i < 100_000; i += 1) r.commit(i);
    return r.delayMs(100_000);
  }, { throws: false, ok: checkDelay }, { heavy: true });

  // CvmClient: constructor specifics and hostile fetches
  const C = (extra) => () => new api.CvmClient(clientOptions(extra));
  add('CvmClient', 'constructor: an unknown option', C({ secretkey: 'x' }), { throws: true, classes: [V], message: /secretkey.*did you mean secretKey/ });
  add('CvmClient', 'constructor: a __proto__ option via JSON.parse', () => new api.CvmClient(Object.assign(JSON.parse('{"__proto__":{}}'), clientOptions())),
    { throws: true, classes: [V], message: /__proto__/ });
  add('CvmClient', 'constructor: region = a 10 MB string', C({ region: tenMbString() }), E('region', 'InvalidParameterValue'), { heavy: true });
  add('CvmClient', 'constructor: secretKey = "\\uDC00"', C({ secretKey: '\uDC00' }), { throws: true, classes: [V] });
  add('CvmClient', 'constructor: secretId = "AKID\\uD800"', C({ secretId: 'AKID\uD800' }), { throws: true, classes: [V] });
  add('CvmClient', 'constructor: region = "ap-\\uD800"', C({ region: 'ap-\uD800' }), { throws: true, classes: [V] });
  add('CvmClient', 'constructor: endpoint = "ftp://x"', C({ endpoint: 'ftp://x' }), { throws: true, classes: [V, 'TypeError'] });
  // Like JSON, the core reads own properties only: inherited options are absent.
  add('CvmClient', 'constructor: options inherited from a prototype', () => new api.CvmClient(Object.create(clientOptions())),
    { throws: true, classes: [V], message: /secretId is required/ });
  add('CvmClient', 'constructor: called without new', () => api.CvmClient(clientOptions()), { throws: true, classes: ['TypeError'] });
  addAsync('CvmClient', 'deleteImages with a foreign this', () => api.CvmClient.prototype.deleteImages.call({}, validParams()), { throws: true, classes: ['TypeError'] });
  addAsync('CvmClient', 'request with a foreign this', () => api.CvmClient.prototype.request.call({}, 'DescribeImages', {}), { throws: true, classes: ['TypeError'] });
  addAsync('CvmClient', 'request: action = a 10 MB string', () => newClient().request(tenMbString(), {}), { throws: true, classes: ['TypeError', V] }, { heavy: true });
  addAsync('CvmClient', 'request: action = a 10 MB lower-case string', () => newClient().request('m'.repeat(TEN_MB), {}), E('action', 'InvalidParameterValue'), { heavy: true });
  addAsync('CvmClient', 'request: params 10,000 levels deep', () => newClient().request('DescribeImages', { A: deepObject(10_000) }),
    E('params', 'InvalidParameter'), { heavy: true });
  addAsync('CvmClient', 'request: a cyclic params object', () => { const p = { A: 1 }; p.self = p; return newClient().request('DescribeImages', p); },
    E('self', 'InvalidParameter'));
  addAsync('CvmClient', 'request: version = "latest"', () => newClient().request('DescribeImages', {}, { version: 'latest' }), E('version', 'InvalidParameterValue'));
  addAsync('CvmClient', 'describeImages: 10,000 ImageIds', () => newClient().describeImages({ ImageIds: ids(10_000) }), { classes: [V, 'TypeError'], ok: checkCallResult });
  addAsync('CvmClient', 'deleteImages: an already aborted signal', () => newClient().deleteImages(validParams(), { signal: AbortSignal.abort() }),
    { throws: true, classes: ['TencentCloudError'], code: 'ClientError.Aborted' });
  addAsync('CvmClient', 'deleteImages: a signal-like object with a throwing aborted getter',
    () => newClient().deleteImages(validParams(), { signal: { get aborted() { throw new Error('hostile aborted getter'); }, addEventListener() {} } }),
    { throws: true, classes: ['TypeError', 'Error'] });
  const hostileFetches = [
    ['fetch resolves null', async () => null],
    ['fetch resolves 42', async () => 42],
    ['fetch resolves a Response-like whose text() throws', async () => ({ status: 200, headers: new Headers(), text: async () => { throw new Error('hostile text()'); } })],
    ['fetch resolves a Response-like whose headers.get throws', async () => ({ status: 200, headers: { get() { throw new Error('hostile headers.get'); } }, text: async () => envelope({ RequestId: 'r' }) })],
    ['fetch resolves status "200"', async () => ({ status: '200', headers: new Headers(), text: async () => envelope({ RequestId: 'r' }) })],
    ['fetch throws synchronously', () => { throw new Error('hostile fetch threw'); }],
    ['fetch throws a string', () => { throw 'a thrown string'; }], // eslint-disable-line no-throw-literal
    ['fetch rejects with undefined', () => Promise.reject(undefined)],
    ['fetch answers a 10 MB HTML page', async () => new Response(`<html>${tenMbString()}</html>`, { status: 502 }), { heavy: true }],
    ['fetch answers an empty 200', async () => new Response('', { status: 200 })],
    ['fetch hands back a 307 elsewhere with a success body', async () => new Response(envelope({ RequestId: 'r' }), { status: 307, headers: { Location: 'https://elsewhere.example/x?secret=1' } })],
  ];
  for (const [label, fetch, flags = {}] of hostileFetches) {
    addAsync('CvmClient', `deleteImages: ${label}`, () => newClient({ fetch }).deleteImages(validParams()), { throws: true, classes: ['TencentCloudError', 'TypeError', 'Error', V] }, flags);
  }
  addAsync('CvmClient', 'deleteImages: fetch never answers → ClientError.Timeout', () => newClient({ fetch: stubFetch({ delayMs: 60_000 }).fetch, timeoutMs: 50 }).deleteImages(validParams()),
    { throws: true, classes: ['TencentCloudError'], code: 'ClientError.Timeout' });
  // A timeout the constructor accepts must be honoured, not turned into 1 ms by setTimeout's
  // 32-bit limit (Node: "TimeoutOverflowWarning … Timeout duration was set to 1").
  for (const [label, timeoutMs] of [['2**31', 2 ** 31], ['1e300', 1e300], ['Number.MAX_VALUE', Number.MAX_VALUE]]) {
    addAsync('CvmClient', `timeoutMs = ${label} is accepted and honoured (an answer after 30 ms succeeds)`,
      () => newClient({ fetch: stubFetch({ delayMs: 30 }).fetch, timeoutMs }).deleteImages(validParams()),
      { throws: false, ok: checkCallResult });
  }

  // loadCredentials specifics
  const L = (opts) => () => api.loadCredentials({ env: {}, home, ...opts });
  const CE = (code) => ({ throws: true, classes: ['CredentialsError'], code });
  add('loadCredentials', 'nothing anywhere → CredentialsNotFound', L({}), CE('CredentialsNotFound'));
  add('loadCredentials', 'secretKey without secretId → CredentialsIncomplete', L({ secretKey }), CE('CredentialsIncomplete'));
  add('loadCredentials', 'env with only the key → CredentialsIncomplete', L({ env: { TENCENTCLOUD_SECRET_KEY: secretKey } }), CE('CredentialsIncomplete'));
  add('loadCredentials', 'a profile that does not exist → ProfileNotFound', L({ profile: 'nope' }), CE('ProfileNotFound'));
  add('loadCredentials', 'profile = a 10 MB name', L({ profile: tenMbString() }), { throws: true, classes: ['CredentialsError'] }, { heavy: true });
  add('loadCredentials', 'file = a 10 MB path', L({ file: tenMbString() }), { throws: true, classes: ['CredentialsError'] }, { heavy: true });
  add('loadCredentials', 'home = a 10 MB path', L({ home: tenMbString() }), { throws: true, classes: ['CredentialsError'] }, { heavy: true });
  add('loadCredentials', 'file = a directory', L({ file: home }), CE('CredentialsFileMalformed'));
  add('loadCredentials', 'file with a NUL byte', L({ file: 'cred\u0000entials' }), CE('InvalidArgument'));
  add('loadCredentials', 'env whose get trap throws', L({ env: new Proxy({}, { get() { throw new Error('hostile env trap'); } }) }), { throws: true });
  add('loadCredentials', 'explicit arguments win', L({ secretId, secretKey, token }),
    { throws: false, ok: (r) => assert.equal(r.source, 'arguments') }, { secretBearing: true });

  // ---- a secret put where secrets are not expected (non-secret options beside the secret) ----
  // The value is invalid in each slot; the error must say so without repeating it.
  const misplacedSlots = [
    ['buildDeleteImages', (k, v) => build(validParams(), { [k]: v }), ['region', 'endpoint', 'method', 'language', 'signAction', 'timestamp', 'host']],
    ['buildRequest', (k, v) => generic({}, { [k]: v }), ['region', 'endpoint', 'method', 'language', 'signAction', 'timestamp', 'version', 'service', 'host']],
    ['signTc3', (k, v) => sign({ [k]: v, ...(k === 'action' ? { signAction: true } : {}) }), ['method', 'service', 'contentType', 'query', 'action', 'signAction', 'timestamp', 'host']],
    ['CvmClient', (k, v) => new api.CvmClient(clientOptions({ [k]: v })), ['region', 'endpoint', 'method', 'language', 'signAction', 'host']],
  ];
  for (const [fn, call, keys] of misplacedSlots) {
    for (const k of keys) {
      // A host name may legally look like anything alphanumeric: make it invalid with a '/'.
      const v = { host: `${misplaced}/`, contentType: `${misplaced}\n`, query: `${misplaced} `, action: `${misplaced}!` }[k] ?? misplaced;
      add('misplaced', `${fn}: ${k} = a secret`, () => call(k, v), { throws: true, classes: [V, 'TypeError'] }, { misplaced: true });
    }
  }
  return cases;
}

const HOSTILE_BY_LABEL = new Map(HOSTILE.map(([label, make]) => [label, make]));
/** The hostile value of `label` is a primitive other than undefined and null. */
function isPrimitive(label) {
  const v = HOSTILE_BY_LABEL.get(label)({}, 'zz');
  return v !== undefined && v !== null && typeof v !== 'object' && typeof v !== 'function';
}

// ---------------------------------------------------------------------------------------------
// Running

async function settle(c, api) {
  try {
    const value = c.call(api);
    if (!c.sync || (value && typeof value.then === 'function')) {
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`did not settle within ${CASE_TIMEOUT_MS} ms`), { hang: true })), CASE_TIMEOUT_MS);
      });
      try {
        return { threw: false, value: await Promise.race([value, timeout]) };
      } finally {
        clearTimeout(timer);
      }
    }
    return { threw: false, value };
  } catch (error) {
    return { threw: true, error };
  }
}

function describeOutcome(outcome) {
  if (!outcome.threw) return { outcome: 'ok' };
  const e = outcome.error;
  if (!(e instanceof Error)) return { outcome: 'threw', errorName: typeof e, message: safeInspect(e).slice(0, 300) };
  return { outcome: 'threw', errorName: e.name, field: e.field, code: e.code, message: String(e.message).slice(0, 300), messageLength: String(e.message).length };
}

/**
 * Runs the battery in this thread. Options: { ctx, canaries, survivalFailures, onStart }.
 * `canaries`: { forbiddenInErrors: {name: value}, forbiddenInResults: {...} } (secrets.test.mjs);
 * results of secret-bearing cases (loadCredentials returns the key by contract) are not scanned,
 * and X-TC-Token headers are exempt from the token canary.
 */
export async function runBattery({ ctx, canaries, survivalFailures = 0, onStart = () => {} }) {
  const api = await loadPackage();
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).join(',');
  const cases = buildCases(api, ctx);
  const scanner = createScanner();
  const results = [];
  let calls = 0;
  let failures = 0;
  const started = Date.now();

  for (let i = 0; i < cases.length; i += 1) {
    const c = cases[i];
    onStart(i, `${c.group}: ${c.name}`);
    const outcome = await settle(c, api);
    calls += 1;
    if (outcome.threw) failures += 1;
    const problems = judge(c, outcome);
    if (canaries) {
      const where = `${c.group}: ${c.name}`;
      if (outcome.threw) {
        scanner.scan(where, errorTexts(outcome.error), c.misplaced ? canaries.misplaced : canaries.forbiddenInErrors);
      } else if (!c.secretBearing) {
        scanner.scan(where, resultTexts(withoutTokenHeader(outcome.value)), canaries.forbiddenInResults);
      }
    }
    results.push({ group: c.group, name: c.name, heavy: Boolean(c.heavy), misplaced: Boolean(c.misplaced), problems, ...describeOutcome(outcome) });
  }
  const firstPassMs = Date.now() - started;

  // Survival: keep failing (light synchronous cases, in order) until SURVIVAL_FAILURES failures,
  // checking every outcome again; then sign Tencent's Example 1 and build a request.
  const loopProblems = [];
  let loopCalls = 0;
  let loopFailures = 0;
  if (survivalFailures > 0) {
    const light = cases.filter((c) => c.sync && !c.heavy && c.expect && c.expect.throws === true);
    onStart(-1, `survival loop over ${light.length} failing cases`);
    while (loopFailures < survivalFailures) {
      for (const c of light) {
        const outcome = await settle(c, api);
        loopCalls += 1;
        if (outcome.threw) loopFailures += 1;
        const problems = judge(c, outcome);
        if (problems.length && loopProblems.length < 20) loopProblems.push({ name: `${c.group}: ${c.name}`, at: loopCalls, problems });
        if (loopFailures >= survivalFailures) break;
      }
      onStart(-1, `survival loop: ${loopFailures} failures`);
    }
  }
  const afterwards = await afterFailures(api, ctx);
  return {
    batterySize: cases.length,
    groups: [...new Set(cases.map((c) => c.group))],
    calls,
    failures,
    firstPassMs,
    loop: { calls: loopCalls, failures: loopFailures, problems: loopProblems },
    afterwards,
    prototypeUnchanged: Object.getOwnPropertyNames(Object.prototype).join(',') === prototypeKeys && {}.polluted === undefined,
    results,
    secrets: canaries ? scanner.state : undefined,
  };
}

/** Tencent's Example 1 and a DeleteImages request, checked by the emulator's independent verifier. */
async function afterFailures(api, ctx) {
  const out = {};
  const dir = path.join(ROOT, 'tests', 'vectors', 'example-1-post');
  try {
    const context = JSON.parse(readFileSync(path.join(dir, 'context.json'), 'utf8'));
    const signed = api.signTc3(context);
    out.example1 = {
      signature: signed.signature,
      expected: readFileSync(path.join(dir, 'signature.txt'), 'utf8').trim(),
      authorization: signed.authorization,
      expectedAuthorization: readFileSync(path.join(dir, 'authorization.txt'), 'utf8').trim(),
    };
  } catch (e) {
    out.example1 = { error: `${e && e.name}: ${e && e.message}` };
  }
  try {
    const { verifyTc3 } = await import('../../emulator/tc3-verify.mjs');
    const timestamp = Math.floor(Date.now() / 1000);
    const secretId = 'AKIDafterTenThousandFailures0000001';
    const secretKey = 'after-ten-thousand-failures-key';
    const req = api.buildDeleteImages({ ImageIds: ['img-mfih409y', 'img-abcdefgh'], DryRun: true },
      { secretId, secretKey, region: 'ap-guangzhou', timestamp });
    const verdict = verifyTc3({ method: req.method, headers: { ...req.headers, host: new URL(req.url).host }, rawQuery: '', body: req.body,
      now: timestamp, credentials: [{ secretId, secretKey }] });
    out.buildDeleteImages = { ok: verdict.ok, code: verdict.code, message: verdict.message, body: req.body };
  } catch (e) {
    out.buildDeleteImages = { error: `${e && e.name}: ${e && e.message}` };
  }
  return out;
}

/**
 * Runs the battery in a worker thread; the main thread terminates it if it makes no progress for
 * `stallMs` (a synchronous hang inside the module) and rejects naming the case.
 */
export function runBatteryInWorker(options, { stallMs = 20_000, loadMs = 45_000 } = {}) {
  return new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TENCENTCLOUD_')));
    // loadCredentials' cases read an empty home; made here, where the exit hook removes it.
    const ctx = { ...options.ctx, home: tempHome('cvm-hostile-home-') };
    const worker = new Worker(new URL(import.meta.url), { workerData: { hostileBattery: true, options: { ...options, ctx } }, env, stdout: false, stderr: false });
    let current = '(loading the package)';
    let timer;
    let done = false;
    const arm = (ms) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        done = true;
        worker.terminate();
        reject(new Error(`hang: the battery made no progress for ${ms} ms; the case running was: ${current}`));
      }, ms);
    };
    arm(loadMs);
    worker.on('message', (m) => {
      if (m.type === 'start') {
        current = m.name;
        arm(stallMs);
      } else if (m.type === 'done') {
        done = true;
        clearTimeout(timer);
        worker.terminate().then(() => resolve(m.result));
      } else if (m.type === 'error') {
        done = true;
        clearTimeout(timer);
        worker.terminate().then(() => reject(new Error(`the battery worker failed: ${m.message}`)));
      }
    });
    worker.on('error', (e) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`the battery worker crashed during "${current}": ${e && e.stack}`));
    });
    worker.on('exit', (code) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`the battery worker exited (${code}) during "${current}"`));
    });
  });
}

/** A fresh empty directory, removed when the process exits. */
export function tempHome(prefix = 'cvm-hostile-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

if (!isMainThread && workerData && workerData.hostileBattery) {
  const { options } = workerData;
  let lastPost = 0;
  runBattery({
    ...options,
    onStart: (i, name) => {
      // Every case of the first pass is announced (so a hang is named); the loop reports per round.
      const now = Date.now();
      if (i >= 0 || now - lastPost > 200) {
        lastPost = now;
        parentPort.postMessage({ type: 'start', i, name });
      }
    },
  }).then(
    (result) => parentPort.postMessage({ type: 'done', result }),
    (e) => parentPort.postMessage({ type: 'error', message: `${e && e.stack}` }),
  );
}
