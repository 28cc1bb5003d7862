// The product against the emulator: requests signed by the package's Rust signer (pkg/node.cjs)
// must pass the emulator's independent verifier, and altered copies must not.
// Needs the built package (`npm run build`).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, test } from 'node:test';
import { codeOf, control, imageIds, nowSec, PERMANENT, quietEmulator, snapshotIds, TEMPORARY, UUID_V4 } from './support.mjs';

const require = createRequire(import.meta.url);
const { buildDeleteImages, buildRequest, decodeDeleteImages } = require('../../pkg/node.cjs');

let running;
before(async () => {
  running = await quietEmulator();
});
after(() => running.close());
beforeEach(() => running.emulator.reset());

/** Request options for the demo key pair; an override set to undefined removes the option. */
function options({ credential = PERMANENT, ...overrides } = {}) {
  const merged = {
    secretId: credential.secretId,
    secretKey: credential.secretKey,
    token: credential.token,
    region: 'ap-guangzhou',
    endpoint: running.url,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}

/** Sends a built request exactly as the package says to: fetch(req.url, req). */
async function send(request) {
  const response = await fetch(request.url, request);
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) };
}

/** decodeDeleteImages' verdict: the result, or the error's code. */
function decoded(status, text) {
  try {
    return { result: decodeDeleteImages(status, text) };
  } catch (error) {
    return { code: error.code, error };
  }
}

const has = (id) => imageIds(running.emulator).includes(id);

describe('requests built by the package are accepted', () => {
  for (const method of ['POST', 'GET']) {
    test(`${method}: deletes, and decodeDeleteImages returns the RequestId`, async () => {
      const request = buildDeleteImages({ ImageIds: ['img-gznorm01', 'img-gznorm04'] }, options({ method }));
      assert.equal(request.method, method);
      const answer = await send(request);
      assert.equal(codeOf(answer), 'OK', answer.text);
      const { result } = decoded(answer.status, answer.text);
      assert.match(result.RequestId, UUID_V4);
      assert.equal(result.RequestId, answer.json.Response.RequestId);
      assert.equal(has('img-gznorm01') || has('img-gznorm04'), false);
    });

    test(`${method}: temporary credentials with their token, DryRun and DeleteBindedSnap`, async () => {
      const request = buildDeleteImages(
        { ImageIds: ['img-gznorm02'], DryRun: true, DeleteBindedSnap: true },
        options({ method, credential: TEMPORARY }),
      );
      assert.equal(codeOf(await send(request)), 'OK');
      assert.equal(has('img-gznorm02'), true);

      const real = buildDeleteImages({ ImageIds: ['img-gznorm02'], DeleteBindedSnap: 'True' }, options({ method, credential: TEMPORARY }));
      assert.equal(codeOf(await send(real)), 'OK');
      assert.equal(has('img-gznorm02'), false);
      assert.ok(!snapshotIds(running.emulator).includes('snap-gznorm2s'));
    });

    test(`${method}: x-tc-action signed, and an endpoint with a path (a mount prefix)`, async () => {
      const request = buildDeleteImages({ ImageIds: ['img-gznorm05'], DryRun: true }, options({ method, signAction: true, endpoint: `${running.url}/emulator` }));
      assert.equal(codeOf(await send(request)), 'OK');
    });

    test(`${method}: values that need percent-encoding are signed as sent`, async () => {
      const odd = ['未命名 镜像', 'a&b=c+d/e?f#g', "!'()*~%20", '😀'];
      const request = buildRequest(
        'DescribeImages',
        { Filters: [{ Name: 'image-name', Values: odd }], Limit: 5 },
        options({ method }),
      );
      const answer = await send(request);
      assert.equal(codeOf(answer), 'OK', answer.text);
      assert.equal(answer.json.Response.TotalCount, 0);
    });

    test(`${method}: an odd image id is refused as malformed, by the package or by the emulator`, async () => {
      for (const id of ['img-未命名名字名字', 'img-gznorm01&x=1', 'IMG-GZNORM01']) {
        let code;
        try {
          const answer = await send(buildDeleteImages({ ImageIds: [id] }, options({ method })));
          code = codeOf(answer); // reached the emulator: the signature passed
        } catch (error) {
          code = error.code; // the package's own validation
        }
        assert.equal(code, 'InvalidImageId.Malformed', id);
      }
      assert.equal(has('img-gznorm01'), true);
    });
  }
});

describe('altered copies are refused, and decodeDeleteImages throws the code', () => {
  const DELETE = { ImageIds: ['img-gznorm01'] };
  const cases = [
    ['POST body changed', 'POST', {}, (r) => ({ ...r, body: r.body.replace('norm01', 'norm04') }), 'AuthFailure.SignatureFailure'],
    ['GET query changed', 'GET', {}, (r) => ({ ...r, url: r.url.replace('norm01', 'norm04') }), 'AuthFailure.SignatureFailure'],
    ['X-TC-Timestamp changed', 'POST', {}, (r) => ({ ...r, headers: withHeader(r.headers, 'X-TC-Timestamp', (v) => String(Number(v) - 1)) }), 'AuthFailure.SignatureFailure'],
    ['Content-Type changed', 'POST', {}, (r) => ({ ...r, headers: withHeader(r.headers, 'Content-Type', () => 'application/json; charset=utf-8') }), 'AuthFailure.SignatureFailure'],
    ['signed for another host', 'POST', { host: 'cvm.tencentcloudapi.com' }, (r) => r, 'AuthFailure.SignatureFailure'],
    ['signed 10 minutes ago', 'POST', { timestamp: nowSec() - 600 }, (r) => r, 'AuthFailure.SignatureExpire'],
    ['a wrong SecretKey', 'GET', { secretKey: 'x'.repeat(32) }, (r) => r, 'AuthFailure.SignatureFailure'],
    ['a temporary key without its token', 'POST', { credential: TEMPORARY, token: undefined }, (r) => r, 'AuthFailure.TokenFailure'],
  ];
  for (const [name, method, overrides, tamper, code] of cases) {
    test(name, async () => {
      const answer = await send(tamper(buildDeleteImages(DELETE, options({ method, ...overrides }))));
      assert.equal(codeOf(answer), code);
      const verdict = decoded(answer.status, answer.text);
      assert.equal(verdict.code, code);
      assert.equal(verdict.error.requestId, answer.json.Response.RequestId);
      assert.equal(has('img-gznorm01'), true);
    });
  }
});

describe('decodeDeleteImages on what the emulator answers', () => {
  test('business errors keep their code', async () => {
    const answer = await send(buildDeleteImages({ ImageIds: ['img-gzcreat1'] }, options()));
    assert.equal(decoded(answer.status, answer.text).code, 'InvalidImageId.IncorrectState');
  });

  test('gateway pages, empty and truncated bodies are transport failures', async () => {
    await control(running.port, 'faults', {
      method: 'POST',
      body: { faults: [{ fault: '502-html' }, { fault: 'empty' }, { fault: 'truncated-before' }] },
    });
    const expected = ['ClientError.HttpStatus', 'ClientError.InvalidResponse', 'ClientError.InvalidResponse'];
    for (const code of expected) {
      const request = buildDeleteImages({ ImageIds: ['img-gznorm01'] }, options());
      const response = await fetch(request.url, request);
      const verdict = decoded(response.status, await response.text());
      assert.equal(verdict.code, code);
    }
    assert.equal(has('img-gznorm01'), true);
  });
});

function withHeader(headers, name, change) {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  assert.ok(key, `the built request has no ${name} header`);
  return { ...headers, [key]: change(headers[key]) };
}
