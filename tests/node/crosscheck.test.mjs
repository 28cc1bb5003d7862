// buildDeleteImages / buildRequest against an independent TC3-HMAC-SHA256 written here on node:crypto
// from the textbook algorithm (reference tencent-api-3.md §1), recomputed from what the returned
// request object would actually send: its method, the query exactly as in `req.url`, its
// Content-Type header, the signed host, the body's UTF-8 bytes and, with signAction, X-TC-Action.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test, describe } from 'node:test';
import { loadCjs } from './support.mjs';

const api = await loadCjs();
const { buildDeleteImages, buildRequest, signTc3, validateDeleteImages, VERSION } = api;

// ---- the independent signer ----

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** UTC yyyy-mm-dd of Unix seconds. */
const utcDate = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 10);

/**
 * TC3-HMAC-SHA256, step by step as the reference writes it.
 * `headers`: the signed headers as sent (name → value); `payload`: a Buffer of the body bytes.
 */
function tc3({ secretId, secretKey, service, method, query, headers, payload, timestamp }) {
  const canonical = Object.entries(headers)
    .map(([k, v]) => [k.trim().toLowerCase(), String(v).trim().toLowerCase()])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalHeaders = canonical.map(([k, v]) => `${k}:${v}\n`).join('');
  const signedHeaders = canonical.map(([k]) => k).join(';');
  const hashedPayload = sha256Hex(payload);
  const canonicalRequest = [method, '/', query, canonicalHeaders, signedHeaders, hashedPayload].join('\n');
  const date = utcDate(timestamp);
  const credentialScope = `${date}/${service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(timestamp), credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const secretDate = hmac(`TC3${secretKey}`, date);
  const secretService = hmac(secretDate, service);
  const secretSigning = hmac(secretService, 'tc3_request');
  const signature = createHmac('sha256', secretSigning).update(stringToSign).digest('hex');
  const authorization = `TC3-HMAC-SHA256 Credential=${secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { canonicalRequest, stringToSign, signature, authorization, hashedPayload, signedHeaders, credentialScope };
}

// ---- RFC 3986 query handling, written independently ----

/** RFC 3986 percent-encoding: unreserved stays, every other UTF-8 byte is %XX with upper-case hex. */
const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Strict decoder: only unreserved characters and %XX (upper-case hex), valid UTF-8; exactly one `=` per pair. */
function strictDecodeQuery(query) {
  if (query === '') return [];
  const decodeComponent = (part) => {
    assert.match(part, /^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/, `query component ${JSON.stringify(part)} is not RFC 3986 with upper-case hex`);
    const bytes = [];
    for (let i = 0; i < part.length; ) {
      if (part[i] === '%') {
        bytes.push(parseInt(part.slice(i + 1, i + 3), 16));
        i += 3;
      } else {
        bytes.push(part.charCodeAt(i));
        i += 1;
      }
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  };
  return query.split('&').map((pair) => {
    const pieces = pair.split('=');
    assert.equal(pieces.length, 2, `query pair ${JSON.stringify(pair)} must have exactly one '='`);
    return [decodeComponent(pieces[0]), decodeComponent(pieces[1])];
  });
}

// ---- what the request object sends ----

const SECRET_ID = 'AKIDcrossCHECK0000000000000000000000';
const SECRET_KEY = 'xc-Secret/Key+With=Odd&Chars~42';
const TIMESTAMP = 1551113065;

/** The expected signed host: the option `host`, else the URL's host (WHATWG URL drops default ports). */
const signedHostOf = (options) => (options.host ?? new URL(options.endpoint ?? 'https://cvm.tencentcloudapi.com').host).toLowerCase();

/** Recomputes the signature from the request object alone (plus the secret and the host it was meant for). */
function resignFromWire(req, { host, signAction, secretKey = SECRET_KEY, secretId = SECRET_ID, service = 'cvm' }) {
  const url = req.url;
  const q = url.indexOf('?');
  const query = req.method === 'GET' ? (q === -1 ? '' : url.slice(q + 1)) : '';
  const headers = { 'Content-Type': req.headers['Content-Type'], Host: host };
  if (signAction) headers['X-TC-Action'] = req.headers['X-TC-Action'];
  return tc3({
    secretId,
    secretKey,
    service,
    method: req.method,
    query,
    headers,
    payload: Buffer.from(req.body ?? '', 'utf8'),
    timestamp: Number(req.headers['X-TC-Timestamp']),
  });
}

/** Compares stage by stage, so a failure says which stage diverged. */
function assertSignedLikeTextbook(req, ctx) {
  const mine = resignFromWire(req, ctx);
  const theirs = req.signing;
  assert.ok(theirs, 'req.signing is missing');
  assert.equal(theirs.canonicalRequest, mine.canonicalRequest, "canonical request didn't match");
  assert.equal(theirs.stringToSign, mine.stringToSign, "string to sign didn't match");
  assert.equal(theirs.signature, mine.signature, "signature didn't match");
  assert.equal(req.headers.Authorization, mine.authorization, "Authorization header didn't match");
  return mine;
}

/** Independent normalisation of DeleteImages params (booleans and the page's "True"/"False" strings). */
function normalise(params) {
  const bool = (v) => (v === true || v === 'True' || v === 'true' ? true : v === false || v === 'False' || v === 'false' ? false : undefined);
  const out = { ImageIds: [...params.ImageIds] };
  if (bool(params.DryRun) !== undefined) out.DryRun = bool(params.DryRun);
  if (bool(params.DeleteBindedSnap) !== undefined) out.DeleteBindedSnap = bool(params.DeleteBindedSnap);
  return out;
}

/** Expected `ImageIds.N` / flag pairs of the GET form. */
function expectedPairs(params) {
  const n = normalise(params);
  const pairs = n.ImageIds.map((id, i) => [`ImageIds.${i}`, id]);
  if (n.DryRun !== undefined) pairs.push(['DryRun', String(n.DryRun)]);
  if (n.DeleteBindedSnap !== undefined) pairs.push(['DeleteBindedSnap', String(n.DeleteBindedSnap)]);
  return pairs;
}

const byName = ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0);

const REQUEST_CLIENT_SHAPE = /^[0-9a-zA-Z\-_ ,;.]{1,128}$/;

function assertHeaders(req, { method, options, action = 'DeleteImages', version = '2017-03-12' }) {
  const expected = ['Authorization', 'Content-Type', 'X-TC-Action', 'X-TC-Version', 'X-TC-Timestamp', 'X-TC-Region', 'X-TC-RequestClient'];
  if (options.token) expected.push('X-TC-Token');
  if (options.language) expected.push('X-TC-Language');
  assert.deepEqual(Object.keys(req.headers).sort(), expected.sort(), 'the header set is not the documented one');
  assert.ok(!Object.keys(req.headers).some((k) => k.toLowerCase() === 'host'), 'no Host header: fetch sets it from the URL');
  assert.equal(req.headers['Content-Type'], method === 'GET' ? 'application/x-www-form-urlencoded' : 'application/json');
  assert.equal(req.headers['X-TC-Action'], action);
  assert.equal(req.headers['X-TC-Version'], version);
  assert.equal(req.headers['X-TC-Region'], options.region);
  if (options.timestamp !== undefined) assert.equal(req.headers['X-TC-Timestamp'], String(options.timestamp));
  assert.match(req.headers['X-TC-Timestamp'], /^\d+$/);
  assert.match(req.headers['X-TC-RequestClient'], REQUEST_CLIENT_SHAPE);
  assert.ok(req.headers['X-TC-RequestClient'].includes(VERSION), `X-TC-RequestClient ${req.headers['X-TC-RequestClient']} should name version ${VERSION}`);
  if (options.token) assert.equal(req.headers['X-TC-Token'], options.token);
  if (options.language) assert.equal(req.headers['X-TC-Language'], options.language);
  for (const [k, v] of Object.entries(req.headers)) assert.equal(typeof v, 'string', `header ${k}`);
}

/** The URL requests go to: the endpoint with at least `/` as path, lower-case host, default port dropped. */
function baseUrlOf(endpoint = 'https://cvm.tencentcloudapi.com') {
  const u = new URL(endpoint);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

function checkDeleteImages(params, overrides) {
  const options = { secretId: SECRET_ID, secretKey: SECRET_KEY, region: 'ap-guangzhou', timestamp: TIMESTAMP, ...overrides };
  const method = options.method ?? 'POST';
  const req = buildDeleteImages(params, options);
  assert.equal(req.method, method);
  assertHeaders(req, { method, options });
  const base = baseUrlOf(options.endpoint);
  const q = req.url.indexOf('?');
  // Where fetch will send it (the URL may keep an explicit default port: fetch drops it from Host).
  assert.equal(baseUrlOf(q === -1 ? req.url : req.url.slice(0, q)), base, `${req.url} does not go to ${base}`);
  if (method === 'GET') {
    assert.ok(q !== -1, `${req.url} has no query`);
    assert.equal('body' in req, false, 'a GET request has no body property');
    const query = req.url.slice(q + 1);
    const pairs = strictDecodeQuery(query);
    assert.deepEqual([...pairs].sort(byName), expectedPairs(params).sort(byName), 'the GET query does not carry the parameters');
    assert.equal(query, pairs.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&'), 'the GET query is not RFC 3986 with upper-case hex');
  } else {
    assert.equal(q, -1, `a POST URL has no query: ${req.url}`);
    assert.equal(req.body, JSON.stringify(validateDeleteImages(params)), 'the POST body is not JSON.stringify of the normalised params');
    assert.deepEqual(JSON.parse(req.body), normalise(params));
  }
  const mine = assertSignedLikeTextbook(req, { host: signedHostOf(options), signAction: options.signAction === true });
  assert.equal(mine.signedHeaders, options.signAction ? 'content-type;host;x-tc-action' : 'content-type;host');
  return req;
}

// ---- the cases ----

test("the independent signer reproduces Tencent's published examples (reference §1)", () => {
  const key = { secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', service: 'cvm' };
  const payload = String.raw`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`;
  const post = { 'Content-Type': 'application/json; charset=utf-8', Host: 'cvm.tencentcloudapi.com' };
  const ex1 = tc3({ ...key, method: 'POST', query: '', headers: post, payload: Buffer.from(payload), timestamp: 1551113065 });
  assert.equal(ex1.hashedPayload, '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
  assert.equal(sha256Hex(ex1.canonicalRequest), '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
  assert.equal(ex1.signature, '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
  const masked = { secretId: `AKID${'*'.repeat(32)}`, secretKey: '*'.repeat(32), service: 'cvm' };
  const ex2 = tc3({ ...masked, method: 'POST', query: '', headers: { ...post, 'X-TC-Action': 'DescribeInstances' }, payload: Buffer.from(payload), timestamp: 1551113065 });
  assert.equal(sha256Hex(ex2.canonicalRequest), '7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84');
  assert.equal(ex2.signature, '10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f');
  const get = { 'Content-Type': 'application/x-www-form-urlencoded', Host: 'cvm.tencentcloudapi.com' };
  const ex3 = tc3({ ...key, method: 'GET', query: 'Limit=10&Offset=0', headers: get, payload: Buffer.alloc(0), timestamp: 1539084154 });
  assert.equal(ex3.signature, '5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474');
});

const ENDPOINTS = [
  ['default', {}],
  ['international', { endpoint: 'https://cvm.intl.tencentcloudapi.com' }],
  ['regional', { endpoint: 'https://cvm.ap-guangzhou.tencentcloudapi.com', region: 'ap-guangzhou' }],
  ['finance', { endpoint: 'https://cvm.ap-shanghai-fsi.tencentcloudapi.com', region: 'ap-shanghai-fsi' }],
  ['local emulator with a path prefix', { endpoint: 'http://127.0.0.1:8080/emulator' }],
  ['proxy signing another host', { endpoint: 'http://127.0.0.1:8080/emulator', host: 'cvm.tencentcloudapi.com' }],
  ['explicit default port and mixed case', { endpoint: 'https://CVM.TencentCloudAPI.com:443/' }],
];

const VARIANTS = [
  ['plain', {}],
  ['with token', { token: 'sts-token/with+odd=chars_0123456789' }],
  ['signAction', { signAction: true }],
  ['language en-US', { language: 'en-US' }],
  ['token, language zh-CN and signAction', { token: 'tok', language: 'zh-CN', signAction: true }],
];

const PARAMS = { ImageIds: ['img-mfih409y', 'img-34vaef8fe'], DryRun: 'True', DeleteBindedSnap: false };

for (const method of ['POST', 'GET']) {
  describe(`${method}: every endpoint × every option variant signs like the textbook`, () => {
    for (const [endpointLabel, endpoint] of ENDPOINTS) {
      for (const [variantLabel, variant] of VARIANTS) {
        test(`${endpointLabel}, ${variantLabel}`, () => {
          checkDeleteImages(PARAMS, { method, ...endpoint, ...variant });
        });
      }
    }
  });
}

const ODD_IDS = ['img-未命名', 'img-a&b=c', "img-~*'()!", 'img-😀', 'img-%41', 'img-a+b/c?d#e', 'img-"quoted"\\back'];

describe('unicode and odd characters in image ids', () => {
  for (const method of ['POST', 'GET']) {
    for (const id of ODD_IDS) {
      test(`${method} ${id}`, () => {
        checkDeleteImages({ ImageIds: [id, 'img-plain'] }, { method, signAction: method === 'GET' });
      });
    }
    test(`${method} all of them in one call`, () => {
      checkDeleteImages({ ImageIds: ODD_IDS, DryRun: true }, { method, token: 'tok', language: 'en-US' });
    });
  }

  test('GET query: exact encodings of the odd ids', () => {
    const req = buildDeleteImages({ ImageIds: ODD_IDS.slice(0, 5) }, { secretId: SECRET_ID, secretKey: SECRET_KEY, region: 'ap-guangzhou', timestamp: TIMESTAMP, method: 'GET' });
    assert.equal(
      req.url,
      'https://cvm.tencentcloudapi.com/?ImageIds.0=img-%E6%9C%AA%E5%91%BD%E5%90%8D&ImageIds.1=img-a%26b%3Dc' +
        '&ImageIds.2=img-~%2A%27%28%29%21&ImageIds.3=img-%F0%9F%98%80&ImageIds.4=img-%2541',
    );
  });

  test('POST body carries the ids as UTF-8 and the hashed payload is of those bytes', () => {
    const req = buildDeleteImages({ ImageIds: ['img-未命名', 'img-😀'] }, { secretId: SECRET_ID, secretKey: SECRET_KEY, region: 'ap-guangzhou', timestamp: TIMESTAMP });
    assert.equal(req.body, '{"ImageIds":["img-未命名","img-😀"]}');
    assert.equal(req.signing.hashedPayload, sha256Hex(Buffer.from(req.body, 'utf8')));
    // Not the hash of some other encoding (e.g. UTF-16 code units or latin1).
    assert.notEqual(req.signing.hashedPayload, sha256Hex(Buffer.from(req.body, 'latin1')));
  });
});

describe('request object shape', () => {
  const base = { secretId: SECRET_ID, secretKey: SECRET_KEY, region: 'ap-guangzhou', timestamp: TIMESTAMP };

  test('boolean spellings normalise in the body and the query', () => {
    for (const [given, want] of [[true, true], [false, false], ['True', true], ['False', false], ['true', true], ['false', false]]) {
      const post = buildDeleteImages({ ImageIds: ['img-a'], DryRun: given, DeleteBindedSnap: given }, base);
      assert.equal(post.body, `{"ImageIds":["img-a"],"DryRun":${want},"DeleteBindedSnap":${want}}`, `POST ${JSON.stringify(given)}`);
      const get = buildDeleteImages({ ImageIds: ['img-a'], DryRun: given }, { ...base, method: 'GET' });
      assert.deepEqual(strictDecodeQuery(get.url.split('?')[1]).sort(byName), [['DryRun', String(want)], ['ImageIds.0', 'img-a']]);
    }
  });

  test('absent optional flags are not sent', () => {
    const req = buildDeleteImages({ ImageIds: ['img-a'] }, base);
    assert.equal(req.body, '{"ImageIds":["img-a"]}');
    const get = buildDeleteImages({ ImageIds: ['img-a'] }, { ...base, method: 'GET' });
    assert.equal(get.url, 'https://cvm.tencentcloudapi.com/?ImageIds.0=img-a');
  });

  test('an empty token sends no X-TC-Token', () => {
    const req = buildDeleteImages({ ImageIds: ['img-a'] }, { ...base, token: '' });
    assert.equal('X-TC-Token' in req.headers, false);
  });

  test('timestamp defaults to now (±5 s) and is signed', () => {
    const before = Math.floor(Date.now() / 1000);
    const req = buildDeleteImages({ ImageIds: ['img-a'] }, { secretId: SECRET_ID, secretKey: SECRET_KEY, region: 'ap-guangzhou' });
    const after = Math.floor(Date.now() / 1000);
    const ts = Number(req.headers['X-TC-Timestamp']);
    assert.ok(Number.isInteger(ts), `X-TC-Timestamp ${req.headers['X-TC-Timestamp']}`);
    assert.ok(ts >= before - 5 && ts <= after + 5, `timestamp ${ts} not within 5 s of now (${before}..${after})`);
    assertSignedLikeTextbook(req, { host: 'cvm.tencentcloudapi.com', signAction: false });
    assert.ok(req.signing.stringToSign.split('\n')[1] === String(ts));
  });

  test('the scope date is the UTC date, also just before and after midnight UTC', () => {
    for (const ts of [1551052799, 1551052800, 0, 951782400, 1709251199]) {
      const req = buildDeleteImages({ ImageIds: ['img-a'] }, { ...base, timestamp: ts });
      assert.equal(req.signing.credentialScope, `${utcDate(ts)}/cvm/tc3_request`, `timestamp ${ts}`);
      assertSignedLikeTextbook(req, { host: 'cvm.tencentcloudapi.com', signAction: false });
    }
  });

  test('req.signing is non-enumerable: fetch(req.url, req) and JSON.stringify see only the request', () => {
    const req = buildDeleteImages({ ImageIds: ['img-a'] }, base);
    const d = Object.getOwnPropertyDescriptor(req, 'signing');
    assert.ok(d, 'signing is an own property');
    assert.equal(d.enumerable, false);
    assert.deepEqual(Object.keys(req).sort(), ['body', 'headers', 'method', 'redirect', 'url']);
    assert.equal(req.redirect, 'manual', 'fetch(req.url, req) follows no redirect');
    assert.equal(JSON.stringify(req).includes('canonicalRequest'), false);
    const get = buildDeleteImages({ ImageIds: ['img-a'] }, { ...base, method: 'GET' });
    assert.deepEqual(Object.keys(get).sort(), ['headers', 'method', 'redirect', 'url']);
  });

  test('req.signing holds the same stages as signTc3 with the same inputs', () => {
    const cases = [
      [{ ImageIds: ['img-a', 'img-未命名'], DryRun: true }, {}],
      [{ ImageIds: ['img-a&b=c'] }, { method: 'GET' }],
      [{ ImageIds: ['img-a'] }, { method: 'GET', signAction: true, endpoint: 'http://127.0.0.1:8080/emulator', host: 'cvm.tencentcloudapi.com' }],
      [{ ImageIds: ['img-a'], DeleteBindedSnap: 'True' }, { signAction: true, endpoint: 'https://cvm.intl.tencentcloudapi.com', token: 't', language: 'zh-CN' }],
    ];
    for (const [params, extra] of cases) {
      const options = { ...base, ...extra };
      const req = buildDeleteImages(params, options);
      const method = options.method ?? 'POST';
      const expected = signTc3({
        secretId: SECRET_ID,
        secretKey: SECRET_KEY,
        service: 'cvm',
        host: signedHostOf(options),
        method,
        contentType: req.headers['Content-Type'],
        query: method === 'GET' ? req.url.split('?')[1] : '',
        payload: req.body ?? '',
        timestamp: TIMESTAMP,
        action: 'DeleteImages',
        signAction: options.signAction === true,
      });
      assert.deepEqual({ ...req.signing }, expected, JSON.stringify(extra));
    }
  });

  test('the signature changes with every signed input (the comparison can fail)', () => {
    const ref = buildDeleteImages({ ImageIds: ['img-a'] }, base).headers.Authorization;
    const variants = [
      [{ ImageIds: ['img-b'] }, base],
      [{ ImageIds: ['img-a'] }, { ...base, timestamp: TIMESTAMP + 1 }],
      [{ ImageIds: ['img-a'] }, { ...base, secretKey: `${SECRET_KEY}x` }],
      [{ ImageIds: ['img-a'] }, { ...base, host: 'cvm.intl.tencentcloudapi.com' }],
      [{ ImageIds: ['img-a'] }, { ...base, signAction: true }],
      [{ ImageIds: ['img-a'] }, { ...base, method: 'GET' }],
    ];
    for (const [params, options] of variants) {
      assert.notEqual(buildDeleteImages(params, options).headers.Authorization, ref, JSON.stringify(options));
    }
    // Unsigned headers do not change it.
    assert.equal(buildDeleteImages({ ImageIds: ['img-a'] }, { ...base, region: 'ap-beijing', language: 'en-US', token: 't' }).headers.Authorization, ref);
  });
});

describe('buildRequest (generic)', () => {
  const base = { secretId: SECRET_ID, secretKey: SECRET_KEY, region: 'ap-guangzhou', timestamp: TIMESTAMP };
  const DESCRIBE = { Limit: 10, Filters: [{ Name: 'image-state', Values: ['NORMAL'] }] };

  test('DescribeImages over GET flattens Filters.0.Name / Filters.0.Values.0 and signs correctly', () => {
    const options = { ...base, method: 'GET' };
    const req = buildRequest('DescribeImages', DESCRIBE, options);
    assertHeaders(req, { method: 'GET', options, action: 'DescribeImages' });
    assert.equal('body' in req, false);
    const query = req.url.split('?')[1];
    assert.ok(query.includes('Filters.0.Name=image-state&Filters.0.Values.0=NORMAL'), query);
    assert.deepEqual(strictDecodeQuery(query).sort(byName), [
      ['Filters.0.Name', 'image-state'],
      ['Filters.0.Values.0', 'NORMAL'],
      ['Limit', '10'],
    ]);
    assertSignedLikeTextbook(req, { host: 'cvm.tencentcloudapi.com', signAction: false });
  });

  test('DescribeImages over GET with signAction and a proxy host', () => {
    const options = { ...base, method: 'GET', signAction: true, endpoint: 'http://localhost:9000/cvm', host: 'cvm.tencentcloudapi.com' };
    const req = buildRequest('DescribeImages', { ...DESCRIBE, Filters: [{ Name: 'image-name', Values: ['未命名 x', 'a&b'] }] }, options);
    assert.ok(req.url.startsWith('http://localhost:9000/cvm?'), req.url);
    assert.deepEqual(strictDecodeQuery(req.url.split('?')[1]).sort(byName), [
      ['Filters.0.Name', 'image-name'],
      ['Filters.0.Values.0', '未命名 x'],
      ['Filters.0.Values.1', 'a&b'],
      ['Limit', '10'],
    ]);
    assertSignedLikeTextbook(req, { host: 'cvm.tencentcloudapi.com', signAction: true });
  });

  test('DescribeImages over POST sends JSON.stringify(params)', () => {
    const req = buildRequest('DescribeImages', DESCRIBE, base);
    assert.equal(req.body, JSON.stringify(DESCRIBE));
    assertHeaders(req, { method: 'POST', options: base, action: 'DescribeImages' });
    assertSignedLikeTextbook(req, { host: 'cvm.tencentcloudapi.com', signAction: false });
  });

  test('version and service options are sent and signed', () => {
    const options = { ...base, version: '2022-03-02', service: 'cbs', endpoint: 'https://cbs.tencentcloudapi.com' };
    const req = buildRequest('DescribeSnapshots', { Limit: 1 }, options);
    assertHeaders(req, { method: 'POST', options, action: 'DescribeSnapshots', version: '2022-03-02' });
    assert.equal(req.signing.credentialScope, '2019-02-25/cbs/tc3_request');
    assertSignedLikeTextbook(req, { host: 'cbs.tencentcloudapi.com', signAction: false, service: 'cbs' });
  });
});

// ---- legacy v1 (reference tencent-api-3.md §2), against node:crypto ----

/**
 * The v1 signature recomputed from what the request sends: the parameters decoded from the query
 * (GET) or the form body (POST), all but Signature sorted by name (bytes), `METHOD` + host + `/?` +
 * `name=value&…` with values decoded, Base64(HMAC-SHA1|SHA256(key, that)).
 */
function v1FromWire(req, { host, secretKey = SECRET_KEY }) {
  const sent = strictDecodeQuery(req.method === 'GET' ? req.url.split('?')[1] : req.body);
  const names = sent.map(([name]) => name);
  assert.equal(new Set(names).size, names.length, 'a parameter is sent twice');
  const signature = sent.find(([name]) => name === 'Signature')?.[1];
  const pairs = sent.filter(([name]) => name !== 'Signature');
  pairs.sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const method = Object.fromEntries(pairs).SignatureMethod ?? 'HmacSHA1';
  const stringToSign = `${req.method}${host}/?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;
  const algorithm = { HmacSHA1: 'sha1', HmacSHA256: 'sha256' }[method];
  return { sent: Object.fromEntries(sent), signature, stringToSign, expected: createHmac(algorithm, secretKey).update(stringToSign, 'utf8').digest('base64') };
}

describe('legacy v1 signatures match node:crypto', () => {
  const alphabet = ['a', 'Z', '0', '-', '_', '.', '~', ' ', '&', '=', '+', '/', '%', '?', '#', '未', 'é', '🙂'];
  let seed = 0x5eed;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const text = (max) => Array.from({ length: 1 + random(max) }, () => alphabet[random(alphabet.length)]).join('');

  for (const signMethod of ['HmacSHA1', 'HmacSHA256']) {
    for (const method of ['GET', 'POST']) {
      test(`${signMethod} over ${method}: 40 random parameter sets, with and without token and language`, () => {
        for (let i = 0; i < 40; i++) {
          const params = {
            ImageIds: Array.from({ length: 1 + random(13) }, (_, j) => `img-${j}${text(6)}`),
            Filters: [{ Name: text(5), Values: [text(8), text(3)] }],
            Limit: random(100),
            Flag: random(2) === 0,
          };
          const options = { secretId: SECRET_ID, secretKey: SECRET_KEY, region: 'ap-guangzhou', timestamp: TIMESTAMP + i, method, signMethod };
          if (i % 3 === 0) options.token = `tok/+=&%?#~${random(1000000)}`;
          if (i % 4 === 0) options.language = 'zh-CN';
          if (i % 5 === 0) options.nonce = 1 + random(2147483646);
          const req = buildRequest('DescribeImages', params, options);
          const wire = v1FromWire(req, { host: 'cvm.tencentcloudapi.com' });
          assert.equal(req.signing.stringToSign, wire.stringToSign, "string to sign didn't match");
          assert.equal(req.signing.signature, wire.expected, "signature didn't match");
          assert.equal(wire.signature, wire.expected, 'the Signature sent is not the signature');
          assert.equal(req.signing.signatureMethod, signMethod);
          assert.equal(wire.sent.SignatureMethod, signMethod === 'HmacSHA256' ? 'HmacSHA256' : undefined);
          assert.equal(wire.sent.Token, options.token);
          assert.equal(wire.sent.Language, options.language);
          assert.equal(wire.sent.Action, 'DescribeImages');
          assert.equal(wire.sent.Timestamp, String(TIMESTAMP + i));
          assert.equal(wire.sent['ImageIds.0'], params.ImageIds[0]);
          if (options.nonce) assert.equal(wire.sent.Nonce, String(options.nonce));
          else assert.match(wire.sent.Nonce, /^[1-9]\d*$/);
          assert.deepEqual(req.headers, { 'Content-Type': 'application/x-www-form-urlencoded' });
          assert.equal(req.body === undefined, method === 'GET');
          // A request altered after signing no longer matches (the comparison can fail).
          assert.notEqual(v1FromWire(req, { host: 'cvm.tencentcloudapi.com', secretKey: `${SECRET_KEY}x` }).expected, wire.signature);
        }
      });
    }
  }

  test('a proxy signs the real host; the nonce differs between calls', () => {
    const options = { secretId: SECRET_ID, secretKey: SECRET_KEY, region: 'ap-guangzhou', signMethod: 'HmacSHA256', endpoint: 'http://localhost:9000/cvm', host: 'cvm.tencentcloudapi.com' };
    const a = buildDeleteImages({ ImageIds: ['img-a'] }, options);
    const b = buildDeleteImages({ ImageIds: ['img-a'] }, options);
    assert.equal(a.url, 'http://localhost:9000/cvm');
    assert.equal(a.signing.signature, v1FromWire(a, { host: 'cvm.tencentcloudapi.com' }).expected);
    assert.notEqual(v1FromWire(a, { host: 'cvm.tencentcloudapi.com' }).sent.Nonce, v1FromWire(b, { host: 'cvm.tencentcloudapi.com' }).sent.Nonce);
  });
});
