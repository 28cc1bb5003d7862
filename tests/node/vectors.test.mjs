// Tencent's published TC3 worked examples (tests/vectors/<case>/), through every entry of the package:
// `signTc3(context.json)` must reproduce each stage file of the case, stage by stage, so a failure
// names the stage that diverged (reference tencent-api-3.md §1). The `v1-` cases are legacy v1
// signatures (§2): `buildRequest(action, params, options)` of their context.json must reproduce the
// string to sign and the signature, and send exactly them.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadCjs, loadEsm, loadWeb, ROOT } from './support.mjs';

const VECTORS = path.join(ROOT, 'tests', 'vectors');

function discoverCases() {
  if (!existsSync(VECTORS)) return [];
  return readdirSync(VECTORS)
    .filter((name) => statSync(path.join(VECTORS, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = path.join(VECTORS, name);
      const files = Object.fromEntries(
        readdirSync(dir)
          .filter((f) => statSync(path.join(dir, f)).isFile())
          .map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]),
      );
      return { name, dir, files };
    });
}

const sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key, message) => createHmac('sha256', key).update(message, 'utf8').digest();

/** The last line of the string to sign is hex(SHA256(CanonicalRequest)). */
const lastLine = (text) => text.split('\n').at(-1);

/** stage file → how the package's output must reproduce it. */
const STAGES = {
  'hashed-payload.txt': (r, want) => assert.equal(r.hashedPayload, want, "hashed payload didn't match"),
  'canonical-request.txt': (r, want) => assert.equal(r.canonicalRequest, want, "canonical request didn't match"),
  'hashed-canonical-request.txt': (r, want) => {
    assert.equal(lastLine(r.stringToSign), want, "hashed canonical request (last line of the string to sign) didn't match");
    assert.equal(sha256Hex(r.canonicalRequest), want, "hashed canonical request (SHA-256 of the canonical request) didn't match");
  },
  'string-to-sign.txt': (r, want) => assert.equal(r.stringToSign, want, "string to sign didn't match"),
  'signature.txt': (r, want) => assert.equal(r.signature, want, "signature didn't match"),
  'authorization.txt': (r, want) => assert.equal(r.authorization, want, "authorization didn't match"),
};

/**
 * The derived keys are not part of signTc3's output; the published ones are checked against the
 * context with node:crypto, and the package's signature must be HMAC(SecretSigning, its StringToSign).
 */
const KEY_STAGES = ['secret-date.txt', 'secret-service.txt', 'secret-signing.txt'];
const NOT_STAGES = new Set(['context.json', 'SOURCE']);

function checkKeyChain(context, result, files) {
  const date = result.credentialScope.split('/')[0];
  const secretDate = hmac(`TC3${context.secretKey}`, date);
  const secretService = hmac(secretDate, context.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  const derived = { 'secret-date.txt': secretDate, 'secret-service.txt': secretService, 'secret-signing.txt': secretSigning };
  for (const name of KEY_STAGES) {
    if (files[name] === undefined) continue;
    const stage = name.replace('.txt', '').replace('-', ' ');
    assert.equal(derived[name].toString('hex'), files[name], `${stage} (from context.json and the credential scope's date) didn't match`);
  }
  if (files['secret-signing.txt'] !== undefined) {
    const published = Buffer.from(files['secret-signing.txt'], 'hex');
    assert.equal(
      createHmac('sha256', published).update(result.stringToSign, 'utf8').digest('hex'),
      result.signature,
      'signature is not HMAC(published SecretSigning, string to sign)',
    );
  }
}

const isV1 = (c) => c.name.startsWith('v1-');

function checkV1Case(api, c) {
  const { action, params, options } = JSON.parse(c.files['context.json']);
  const req = api.buildRequest(action, params, options);
  assert.equal(req.signing.stringToSign, c.files['string-to-sign.txt'], "string to sign didn't match");
  assert.equal(req.signing.signature, c.files['signature.txt'], "signature didn't match");
  const hash = { HmacSHA1: 'sha1', HmacSHA256: 'sha256' }[options.signMethod];
  assert.equal(createHmac(hash, options.secretKey).update(c.files['string-to-sign.txt'], 'utf8').digest('base64'), c.files['signature.txt'],
    'the published signature is not HMAC(key, published string to sign)');
  const sent = new URLSearchParams(options.method === 'GET' ? new URL(req.url).search : req.body);
  assert.equal(sent.get('Signature'), c.files['signature.txt'], 'the Signature sent');
  const signed = c.files['string-to-sign.txt'].split('?').slice(1).join('?');
  assert.equal([...sent].filter(([k]) => k !== 'Signature').map(([k, v]) => `${k}=${v}`).join('&'), signed, 'the parameters sent are the ones signed');
}

function checkCase(api, c) {
  assert.ok(c.files['context.json'] !== undefined, `${c.name}: context.json is missing`);
  if (isV1(c)) return checkV1Case(api, c);
  const context = JSON.parse(c.files['context.json']);
  const result = api.signTc3(context);
  const stageFiles = Object.keys(c.files).filter((f) => !NOT_STAGES.has(f));
  assert.ok(stageFiles.some((f) => STAGES[f]), `${c.name}: no stage file to compare`);
  for (const name of stageFiles) {
    if (STAGES[name]) STAGES[name](result, c.files[name]);
    else if (!KEY_STAGES.includes(name)) assert.fail(`${c.name}: no comparison defined for stage file ${name}`);
  }
  checkKeyChain(context, result, c.files);
  // Stages that every case implies, whether or not a file publishes them.
  assert.equal(result.hashedPayload, sha256Hex(context.payload), "hashed payload is not SHA-256 of the payload");
  assert.equal(
    result.authorization,
    `TC3-HMAC-SHA256 Credential=${context.secretId}/${result.credentialScope}, SignedHeaders=${result.signedHeaders}, Signature=${result.signature}`,
    "authorization didn't match its parts",
  );
  assert.equal(result.signedHeaders, context.signAction ? 'content-type;host;x-tc-action' : 'content-type;host', "signed headers didn't match");
  assert.equal(result.credentialScope, `${new Date(context.timestamp * 1000).toISOString().slice(0, 10)}/${context.service}/tc3_request`, "credential scope didn't match");
}

const cases = discoverCases();

test('tests/vectors holds at least one case', () => {
  assert.ok(cases.length > 0, `no vector folders found in ${VECTORS}`);
});

test('the known cases are there (Tencent examples 1–3 and the v1 example)', () => {
  const names = cases.map((c) => c.name);
  for (const name of ['example-1-post', 'example-2-signed-action', 'example-3-get', 'v1-example-get-hmacsha1']) {
    assert.ok(names.includes(name), `${name} missing from ${names.join(', ')}`);
  }
});

const ENTRIES = [
  ['CommonJS entry (pkg/node.cjs)', loadCjs],
  ['ESM entry (pkg/node.mjs)', loadEsm],
  ['browser entry (pkg/web.js after init)', loadWeb],
];

for (const [label, load] of ENTRIES) {
  describe(label, () => {
    for (const c of cases) {
      test(c.name, async () => {
        checkCase(await load(), c);
      });
    }
  });
}

test('a changed context does not reproduce the published signature (the comparison can fail)', async () => {
  const api = await loadCjs();
  for (const c of cases) {
    const context = JSON.parse(c.files['context.json']);
    const want = c.files['signature.txt'];
    if (want === undefined) continue;
    if (isV1(c)) {
      const { action, params, options } = context;
      assert.notEqual(api.buildRequest(action, params, { ...options, timestamp: options.timestamp + 1 }).signing.signature, want, c.name);
      assert.notEqual(api.buildRequest(action, params, { ...options, secretKey: `${options.secretKey}x` }).signing.signature, want, c.name);
      continue;
    }
    assert.notEqual(api.signTc3({ ...context, timestamp: context.timestamp + 1 }).signature, want, c.name);
    assert.notEqual(api.signTc3({ ...context, secretKey: `${context.secretKey}x` }).signature, want, c.name);
  }
});
