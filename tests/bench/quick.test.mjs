// The benchmark's CI mode and its reference signers.
// - `node bench/bench.mjs --quick` exits 0 and prints its agreement lines (it fails only when an
//   implementation disagrees, never on time);
// - the node:crypto and WebCrypto signers in bench/ reproduce Tencent's published signatures
//   (tests/vectors/), so the yardsticks are themselves checked against independent truth.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { nodeCryptoSignTc3, createWebCryptoSigner, sdkSignTc3 } from '../../bench/signers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VECTORS = path.join(ROOT, 'tests', 'vectors');
const run = promisify(execFile);

function vector(name) {
  const dir = path.join(VECTORS, name);
  const read = (file) => {
    const p = path.join(dir, file);
    return existsSync(p) ? readFileSync(p, 'utf8').trim() : undefined;
  };
  return {
    input: JSON.parse(read('context.json')),
    signature: read('signature.txt'),
    authorization: read('authorization.txt'),
    canonicalRequest: read('canonical-request.txt'),
    stringToSign: read('string-to-sign.txt'),
    hashedPayload: read('hashed-payload.txt'),
  };
}

const EXAMPLE_1 = vector('example-1-post');
const EXAMPLE_2 = vector('example-2-signed-action');
const EXAMPLE_3 = vector('example-3-get');

describe('reference signers of the benchmark reproduce Tencent’s examples', () => {
  test('the vectors are the published ones', () => {
    assert.equal(EXAMPLE_1.signature, '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    assert.equal(EXAMPLE_3.signature, '5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474');
  });

  const signers = [
    ['node:crypto', async (input) => nodeCryptoSignTc3(input)],
    ['WebCrypto (key cache)', createWebCryptoSigner()],
    ['WebCrypto (no key cache)', createWebCryptoSigner({ cache: false })],
  ];

  for (const [name, sign] of signers) {
    test(`${name}: Example 1 (POST), every stage`, async () => {
      const out = await sign(EXAMPLE_1.input);
      assert.equal(out.hashedPayload, EXAMPLE_1.hashedPayload);
      assert.equal(out.canonicalRequest, EXAMPLE_1.canonicalRequest);
      assert.equal(out.stringToSign, EXAMPLE_1.stringToSign);
      assert.equal(out.signature, EXAMPLE_1.signature);
      assert.equal(out.authorization, EXAMPLE_1.authorization);
      // A second call (a cache hit for the cached signer) gives the same answer.
      assert.equal((await sign(EXAMPLE_1.input)).signature, EXAMPLE_1.signature);
    });

    test(`${name}: Example 3 (GET, query string, empty body)`, async () => {
      const out = await sign(EXAMPLE_3.input);
      assert.equal(out.hashedPayload, EXAMPLE_3.hashedPayload);
      assert.equal(out.signature, EXAMPLE_3.signature);
      assert.match(out.authorization, /Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE\/2018-10-09\/cvm\/tc3_request, SignedHeaders=content-type;host, Signature=5da7a33f/);
    });

    test(`${name}: Example 2 (x-tc-action signed)`, async () => {
      const out = await sign(EXAMPLE_2.input);
      assert.equal(out.signedHeaders, 'content-type;host;x-tc-action');
      assert.equal(out.signature, EXAMPLE_2.signature);
    });
  }

  test('the cached WebCrypto signer keeps key pairs apart', async () => {
    const sign = createWebCryptoSigner();
    const other = { ...EXAMPLE_1.input, secretKey: EXAMPLE_1.input.secretKey.replace('EXAMPLE', 'ELPMAXE') };
    assert.equal((await sign(EXAMPLE_1.input)).signature, EXAMPLE_1.signature);
    assert.notEqual((await sign(other)).signature, EXAMPLE_1.signature);
    assert.equal((await sign(EXAMPLE_1.input)).signature, EXAMPLE_1.signature);
  });

  test('the SDK adapter (Sign.sign3) reproduces Examples 1 and 3', () => {
    assert.equal(sdkSignTc3(EXAMPLE_1.input), EXAMPLE_1.authorization);
    assert.match(sdkSignTc3(EXAMPLE_3.input), new RegExp(`Signature=${EXAMPLE_3.signature}$`));
  });
});

describe('npm run bench -- --quick', () => {
  const pkgBuilt = existsSync(path.join(ROOT, 'pkg', 'node.cjs'));

  test('exits 0, checks agreement and writes its JSON', { skip: !pkgBuilt && 'pkg/ is not built (node scripts/build.mjs)', timeout: 180_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cvm-bench-test-'));
    try {
      const json = path.join(dir, 'bench.json');
      const { stdout } = await run(process.execPath, ['bench/bench.mjs', '--quick', '--json', json], {
        cwd: ROOT,
        maxBuffer: 8 * 1024 * 1024,
      }).catch((e) => {
        assert.fail(`bench --quick exited ${e.code}\n${e.stdout}\n${e.stderr}`);
      });
      for (const line of [
        'agree  signTc3 reproduces Tencent example-1-post (72e494ea…)',
        'agree  SDK Sign.sign3 reproduces Tencent example-1-post',
        'agree  SDK Sign.sign3 as the SDK calls it (request object) = signTc3',
        'agree  node:crypto textbook signer = signTc3',
        'agree  WebCrypto signer (key cache, 1st call) = signTc3',
        'agree  WebCrypto signer (no key cache) = signTc3',
        'agree  buildDeleteImages Authorization = signTc3',
        'agree  SDK request path Authorization = buildDeleteImages',
        'agree  signTc3 = node:crypto for each of the 16 key pairs',
      ]) {
        assert.ok(stdout.includes(line), `missing agreement line: ${line}\n${stdout}`);
      }
      assert.match(stdout, /^AGREEMENT: all \d+ checks passed/m);
      assert.doesNotMatch(stdout, /DISAGREEMENT/);
      // The sections of the in-process benchmarks ran; Chromium and cold start did not.
      for (const section of ['1. signTc3', '2. buildDeleteImages', '7. Signing-key cache', '6. Round trip', '5. Sizes']) {
        assert.ok(stdout.includes(section), `missing section ${section}`);
      }
      assert.doesNotMatch(stdout, /^4\. Cold start/m);
      assert.doesNotMatch(stdout, /^3\. In headless Chromium/m);
      const report = JSON.parse(readFileSync(json, 'utf8'));
      assert.equal(report.mode, 'quick');
      assert.ok(report.agreement.length >= 20);
      assert.ok(report.sign.every((r) => r.medianNs > 0));
      assert.ok(report.sizes.wasmRaw > 0 && report.sizes.browserGzip > 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
