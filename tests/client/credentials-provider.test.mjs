// CvmClient with changing credentials: a provider (function or getCredential() object), refresh
// before expiry, one refresh shared by concurrent calls, one forced refresh and retry when the
// server refuses rotated credentials; cvmRoleCredentials against the emulator's metadata path and
// off a CVM. The emulator's verifier is the truth for what is accepted when.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { envelope, errorEnvelope, pkg, rejectionOf, scriptedFetch } from './harness.mjs';

const [PERMANENT, TEMPORARY] = DEMO_CREDENTIALS;
const REGION = 'ap-guangzhou';
// A DescribeImages answer (ImageSet and TotalCount are required in one).
const NO_IMAGES = envelope({ ImageSet: [], TotalCount: 0 });
const KEY_A = { secretId: 'AKIDproviderKeyA000000000000000000000', secretKey: 'provider-SECRET-A', token: 'provider-TOKEN-A' };
const KEY_B = { secretId: 'AKIDproviderKeyB000000000000000000000', secretKey: 'provider-SECRET-B', token: 'provider-TOKEN-B' };
const secretIdOf = (call) => /Credential=([^/]+)\//.exec(call.headers.Authorization)[1];

/** A provider that answers `answers` in turn (the last repeats) and counts its calls. */
function countingProvider(answers, { delayMs = 0 } = {}) {
  const provider = async () => {
    provider.calls += 1;
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const answer = answers[Math.min(provider.calls - 1, answers.length - 1)];
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer() : answer;
  };
  provider.calls = 0;
  return provider;
}

function stub(steps, credentials, options = {}) {
  const script = scriptedFetch(steps);
  const client = new pkg.CvmClient({ credentials, region: REGION, fetch: script.fetch, ...options });
  return { client, calls: script.calls };
}

describe('options', () => {
  test('credentials: a key object, a function, or an object with getCredential() on its prototype', async () => {
    class SdkLikeProvider {
      async getCredential() {
        return { secretId: KEY_A.secretId, secretKey: KEY_A.secretKey, token: KEY_A.token };
      }
    }
    for (const credentials of [KEY_A, async () => KEY_A, () => KEY_A, new SdkLikeProvider()]) {
      const { client, calls } = stub([{ body: NO_IMAGES }], credentials);
      await client.describeImages();
      assert.equal(secretIdOf(calls[0]), KEY_A.secretId);
      assert.equal(calls[0].headers['X-TC-Token'], KEY_A.token);
    }
  });

  test('credentials with secretId/secretKey/token, a bad shape, a misnamed key, refreshMarginMs without a provider', () => {
    const make = (options) => () => new pkg.CvmClient({ region: REGION, ...options });
    const issues = (f) => {
      try {
        f();
      } catch (error) {
        assert.ok(error instanceof pkg.ValidationError, error.message);
        assert.ok(!JSON.stringify({ ...error, message: error.message }).includes('SECRET'), 'a secret in the error');
        return error.issues.map((i) => `${i.field}:${i.code}`);
      }
      throw new Error('accepted');
    };
    assert.deepEqual(issues(make({ credentials: async () => KEY_A, secretKey: 'x-SECRET' })), ['secretKey:InvalidParameter']);
    assert.deepEqual(issues(make({ credentials: 'AKID-SECRET' })), ['credentials:InvalidParameter']);
    assert.deepEqual(issues(make({ credentials: { getCredential: 'x' } })),
      ['credentials.getCredential:UnknownParameter', 'credentials.secretId:MissingParameter', 'credentials.secretKey:MissingParameter']);
    assert.deepEqual(issues(make({ credentials: { secretId: 'AKIDx', secretkey: 'k-SECRET' } })),
      ['credentials.secretkey:UnknownParameter', 'credentials.secretKey:MissingParameter']);
    assert.deepEqual(issues(make({ ...PERMANENT, refreshMarginMs: 1000 })), ['refreshMarginMs:InvalidParameter']);
    assert.deepEqual(issues(make({ credentials: () => KEY_A, refreshMarginMs: -1 })), ['refreshMarginMs:InvalidParameterValue']);
    assert.deepEqual(issues(make({ credentials: () => KEY_A, refreshMargin: 5 })), ['refreshMargin:UnknownParameter']);
  });

  // Issue 21, defect 7: a Symbol or a BigInt crossed into the core as "a value with no JSON form",
  // as a function does, and was taken for a provider; the first call then threw a bare TypeError.
  test('credentials of any kind but an object or a function is a ValidationError on credentials, at construction', () => {
    const kinds = [
      ['a Symbol', Symbol('k')], ['a registered Symbol', Symbol.for('k')], ['a well-known Symbol', Symbol.iterator],
      ['a BigInt', 1n], ['a huge BigInt', 2n ** 70n], ['a number', 1], ['zero', 0], ['NaN', NaN], ['Infinity', Infinity],
      ['a string', 'AKIDx'], ['an empty string', ''], ['true', true], ['false', false], ['an empty array', []],
      ['an array of a key', [KEY_A]], ['an array of a provider', [() => KEY_A]], ['a boxed number', Object(1)], ['a boxed BigInt', Object(1n)],
    ];
    for (const [label, credentials] of kinds) {
      let error;
      try {
        new pkg.CvmClient({ credentials, region: REGION, fetch: async () => { throw new Error('nothing may be sent'); } });
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof pkg.ValidationError, `${label}: ${error ? `${error.name}: ${error.message}` : 'constructed'}`);
      assert.equal(error.field, 'credentials', label);
      assert.deepEqual(error.issues.map((i) => `${i.field}:${i.code}`), ['credentials:InvalidParameter'], label);
    }
    // null and undefined are absent, as for every option: the key options are then required…
    for (const credentials of [null, undefined]) {
      assert.throws(() => new pkg.CvmClient({ credentials, region: REGION }),
        (e) => e instanceof pkg.ValidationError && e.issues.map((i) => i.field).join() === 'secretId,secretKey');
      // …and enough.
      assert.ok(new pkg.CvmClient({ credentials, ...PERMANENT, region: REGION }) instanceof pkg.CvmClient);
    }
    // The same holds for fetch, the other option that takes a function.
    for (const fetch of [Symbol('f'), 1n, 1, 'fetch', true, [], {}]) {
      assert.throws(() => new pkg.CvmClient({ ...PERMANENT, region: REGION, fetch }),
        (e) => e instanceof pkg.ValidationError && e.field === 'fetch', String(typeof fetch));
    }
  });
});

describe('refresh', () => {
  test('credentials are reused until refreshMarginMs before their expiration, then fetched again', async () => {
    let now = Date.now();
    const provider = countingProvider([
      () => ({ ...KEY_A, expiration: now + 10_000 }),
      () => ({ ...KEY_B, expiration: new Date(now + 60_000) }), // a Date works too
    ]);
    const { client, calls } = stub([{ body: NO_IMAGES }], provider, { refreshMarginMs: 2_000 });
    const realNow = Date.now;
    Date.now = () => now;
    try {
      await client.describeImages();
      now += 7_000; // 3 s left: more than the margin
      await client.describeImages();
      assert.equal(provider.calls, 1);
      now += 1_500; // 1.5 s left: within the margin
      await client.describeImages();
      assert.equal(provider.calls, 2);
    } finally {
      Date.now = realNow;
    }
    assert.deepEqual(calls.map(secretIdOf), [KEY_A.secretId, KEY_A.secretId, KEY_B.secretId]);
  });

  test('an ISO expiration string is read; without an expiration the provider is asked before every attempt', async () => {
    const iso = countingProvider([() => ({ ...KEY_A, expiration: new Date(Date.now() + 3_600_000).toISOString() })]);
    const a = stub([{ body: NO_IMAGES }], iso);
    await a.client.describeImages();
    await a.client.describeImages();
    assert.equal(iso.calls, 1);
    const none = countingProvider([KEY_A]);
    const b = stub([{ status: 503, body: '<html>busy</html>', headers: { 'content-type': 'text/html' } }, { body: NO_IMAGES }], none,
      { retries: 1 });
    await b.client.describeImages();
    assert.equal(b.calls.length, 2);
    assert.equal(none.calls, 2, 'one ask per attempt');
  });

  test('20 concurrent calls share one refresh', async () => {
    const provider = countingProvider([() => ({ ...KEY_A, expiration: Date.now() + 3_600_000 })], { delayMs: 50 });
    const { client, calls } = stub([{ body: NO_IMAGES }], provider, { ratePerSecond: 100 });
    const results = await Promise.all(Array.from({ length: 20 }, () => client.describeImages()));
    assert.equal(results.length, 20);
    assert.equal(provider.calls, 1);
    assert.equal(calls.length, 20);
  });

  test('a failed refresh fails the calls that waited for it, clearly, and the next call tries again', async () => {
    const provider = countingProvider([new Error('vault unreachable'), () => ({ ...KEY_A, expiration: Date.now() + 3_600_000 })], { delayMs: 20 });
    const { client, calls } = stub([{ body: NO_IMAGES }], provider);
    const failed = await Promise.all([0, 1, 2].map(() => rejectionOf(client.describeImages())));
    for (const error of failed) {
      assert.ok(error instanceof pkg.TencentCloudError);
      assert.equal(error.code, 'ClientError.Credentials');
      assert.match(error.message, /credentials provider failed: vault unreachable/);
      assert.equal(error.retryable, false);
      assert.equal(error.attempts, 0);
      assert.equal(error.cause.message, 'vault unreachable');
    }
    assert.notEqual(failed[0], failed[1], 'each call has its own error object');
    assert.equal(provider.calls, 1);
    assert.equal(calls.length, 0, 'nothing was sent');
    assert.equal((await client.describeImages()).attempts, 1);
    assert.equal(provider.calls, 2);
  });

  test('an unusable answer is a ClientError.Credentials naming the fields, never the values', async () => {
    const answers = [
      [{ secretId: KEY_A.secretId }, /credentials\.secretKey is required/],
      [{ ...KEY_A, expiration: Date.now() - 1000 }, /expired credentials/],
      [{ ...KEY_A, expiration: Math.floor(Date.now() / 1000) + 3600 }, /Unix seconds/],
      [{ ...KEY_A, expiresAt: 5 }, /unknown parameter "expiresAt"/],
      [{ ...KEY_A, expiration: new Date(Number.NaN) }, /expiration is an invalid Date/],
      [undefined, /credentials must be an object/],
      ['AKID-SECRET', /credentials must be an object/],
    ];
    for (const [answer, pattern] of answers) {
      const { client, calls } = stub([{ body: NO_IMAGES }], async () => answer);
      const error = await rejectionOf(client.describeImages());
      assert.equal(error.code, 'ClientError.Credentials', String(error));
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes('SECRET') && !error.message.includes('TOKEN'), error.message);
      assert.equal(calls.length, 0);
    }
  });

  test('the answer is read once: what is checked is what is used', async () => {
    let reads = 0;
    const answer = {
      get secretId() {
        reads += 1;
        return reads === 1 ? KEY_A.secretId : 'a second read, never checked';
      },
      secretKey: KEY_A.secretKey,
    };
    const { client, calls } = stub([{ body: NO_IMAGES }], async () => answer);
    await client.describeImages();
    assert.equal(reads, 1);
    assert.match(calls[0].headers.Authorization, new RegExp(`Credential=${KEY_A.secretId}/`));
  });

  test('a provider that never answers fails that refresh after timeoutMs; the next call asks again', { timeout: 10_000 }, async () => {
    const provider = countingProvider([() => new Promise(() => {}), () => KEY_A]);
    const { client, calls } = stub([{ body: NO_IMAGES }], provider, { timeoutMs: 50 });
    const error = await rejectionOf(client.describeImages());
    assert.equal(error.code, 'ClientError.Credentials');
    assert.match(error.message, /the credentials provider did not answer within 50 ms/);
    assert.equal(calls.length, 0);
    await client.describeImages();
    assert.equal(provider.calls, 2);
    assert.equal(calls.length, 1);
  });

  test('aborting while waiting for credentials rejects with ClientError.Aborted', async () => {
    const provider = () => new Promise(() => {});
    const { client } = stub([{ body: NO_IMAGES }], provider);
    const controller = new AbortController();
    const pending = rejectionOf(client.describeImages({}, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    assert.equal((await pending).code, 'ClientError.Aborted');
  });
});

describe('rotated credentials refused by the server', () => {
  for (const code of ['AuthFailure.TokenFailure', 'AuthFailure.SecretIdNotFound']) {
    test(`${code}: one forced refresh and one more attempt, not counted as a retry (DeleteImages too)`, async () => {
      const provider = countingProvider([
        () => ({ ...KEY_A, expiration: Date.now() + 3_600_000 }),
        () => ({ ...KEY_B, expiration: Date.now() + 3_600_000 }),
      ]);
      const { client, calls } = stub([{ body: errorEnvelope(code) }, { body: NO_IMAGES }], provider, { retries: 0 });
      const result = await client.deleteImages({ ImageIds: ['img-gznorm01'] });
      assert.equal(result.attempts, 2);
      assert.equal(provider.calls, 2);
      assert.deepEqual(calls.map(secretIdOf), [KEY_A.secretId, KEY_B.secretId]);
    });
  }

  test('only once per call: refused again → that error, with both attempts in the history', async () => {
    const provider = countingProvider([() => ({ ...KEY_A, expiration: Date.now() + 3_600_000 })]);
    const { client } = stub([{ body: errorEnvelope('AuthFailure.TokenFailure') }], provider);
    const error = await rejectionOf(client.describeImages());
    assert.equal(error.code, 'AuthFailure.TokenFailure');
    assert.equal(error.attempts, 2);
    assert.deepEqual(error.history.map((h) => h.outcomeUnknown), [false, false]);
    assert.equal(provider.calls, 2);
  });

  test('static credentials are not retried', async () => {
    const { client, calls } = stub([{ body: errorEnvelope('AuthFailure.SecretIdNotFound') }, { body: NO_IMAGES }], KEY_A);
    const error = await rejectionOf(client.describeImages());
    assert.equal(error.code, 'AuthFailure.SecretIdNotFound');
    assert.equal(calls.length, 1);
  });

  test('concurrent calls refused with the same credentials share one forced refresh', async () => {
    const provider = countingProvider([
      () => ({ ...KEY_A, expiration: Date.now() + 3_600_000 }),
      () => ({ ...KEY_B, expiration: Date.now() + 3_600_000 }),
    ], { delayMs: 20 });
    const step = (init) => (init.headers.Authorization.includes(KEY_A.secretId)
      ? { body: errorEnvelope('AuthFailure.SecretIdNotFound') } : { body: NO_IMAGES });
    const { client } = stub([step], provider, { ratePerSecond: 100 });
    const results = await Promise.all(Array.from({ length: 10 }, () => client.describeImages()));
    assert.ok(results.every((r) => r.attempts === 2));
    assert.equal(provider.calls, 2);
  });
});

describe('CVM role credentials and the emulator', () => {
  let running;
  before(async () => {
    running = await startEmulator({ port: 0, log: null, rateLimitPerSec: Infinity, roleLifetimeSec: 3 });
  });
  after(() => running.close());
  beforeEach(() => running.emulator.reset());

  test('the emulator still takes its demo keys, and refuses a role key once it has expired', async () => {
    for (const key of [PERMANENT, TEMPORARY]) {
      await new pkg.CvmClient({ ...key, region: REGION, endpoint: running.url }).describeImages();
    }
    const answer = await pkg.cvmRoleCredentials({ metadataUrl: running.url }).getCredential();
    const fixed = new pkg.CvmClient({ credentials: { secretId: answer.secretId, secretKey: answer.secretKey, token: answer.token },
      region: REGION, endpoint: running.url });
    await fixed.describeImages();
    const wrongToken = new pkg.CvmClient({ credentials: { ...answer, expiration: undefined, token: 'not-the-token' }, region: REGION, endpoint: running.url });
    assert.equal((await rejectionOf(wrongToken.describeImages())).code, 'AuthFailure.TokenFailure');
    running.emulator.setClockOffset(5);
    assert.equal((await rejectionOf(fixed.describeImages())).code, 'AuthFailure.TokenFailure');
    running.emulator.role.configure({ revoke: true });
    assert.equal((await rejectionOf(fixed.describeImages())).code, 'AuthFailure.SecretIdNotFound');
  });

  test('cvmRoleCredentials discovers the role and answers its key with an expiration in ms', async () => {
    const before = Date.now();
    const answer = await pkg.cvmRoleCredentials({ metadataUrl: running.url }).getCredential();
    assert.match(answer.secretId, /^AKIDemulatorRole/);
    assert.equal(typeof answer.token, 'string');
    assert.ok(answer.expiration > before && answer.expiration <= before + 4_000, String(answer.expiration - before));
    assert.equal(running.emulator.role.view().issued, 1);
    await pkg.cvmRoleCredentials({ metadataUrl: running.url, roleName: 'emulator-cvm-role' }).getCredential();
  });

  test('200 calls with a 3 s role key expiring mid-run: no failed call', { timeout: 60_000 }, async () => {
    const client = new pkg.CvmClient({
      credentials: pkg.cvmRoleCredentials({ metadataUrl: running.url }),
      refreshMarginMs: 1_000,
      ratePerSecond: 40,
      region: REGION,
      endpoint: running.url,
    });
    // 8 workers, 100 calls; then the emulator forgets every key it issued (a rotation the client
    // cannot see coming: a refusal makes it fetch a new key and resend); then 100 more.
    const run = async (n) => {
      let left = n;
      const outcomes = [];
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (left > 0) {
          left -= 1;
          outcomes.push(await client.describeImages({ Limit: 1 }).then(() => 'ok', (e) => e.code));
        }
      }));
      return outcomes;
    };
    const started = Date.now();
    const outcomes = await run(100);
    // 100 calls at 40 per 1050 ms take more than 2.1 s; the first key lives 2-3 s (ExpiredTime is
    // whole seconds) and is not used in its last second: a second key was fetched before it expired.
    const beforeRevocation = running.emulator.role.view().issued;
    assert.ok(beforeRevocation >= 2, `${beforeRevocation} keys in ${(Date.now() - started) / 1000} s`);
    running.emulator.role.configure({ revoke: true });
    outcomes.push(...await run(100));
    assert.equal(outcomes.length, 200);
    assert.deepEqual(outcomes.filter((o) => o !== 'ok'), []);
    assert.ok(running.emulator.role.view().issued > beforeRevocation, 'a new key after the revocation');
  });

  test('metadata errors: no role bound, an unknown role, a non-Success answer, HTML, off a CVM, a timeout', async () => {
    const code = async (provider) => {
      const error = await rejectionOf(provider.getCredential());
      assert.ok(error instanceof pkg.TencentCloudError, String(error));
      assert.equal(error.code, 'ClientError.Credentials');
      return error.message;
    };
    running.emulator.role.configure({ roleName: null });
    assert.match(await code(pkg.cvmRoleCredentials({ metadataUrl: running.url })), /no role is bound to this instance/);
    running.emulator.role.configure({ roleName: 'emulator-cvm-role' });
    assert.match(await code(pkg.cvmRoleCredentials({ metadataUrl: running.url, roleName: 'other' })),
      /no credentials for role other: is that role bound/);

    // A closed port: nothing listens there (off a CVM, the metadata host does not answer).
    const closed = await new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    });
    assert.match(await code(pkg.cvmRoleCredentials({ metadataUrl: `http://127.0.0.1:${closed}` })),
      /cannot reach the CVM metadata service .*ECONNREFUSED.*not a CVM instance/);

    // Answers of a stub metadata service.
    const { createServer: createHttpServer } = await import('node:http');
    let answer;
    const stubServer = createHttpServer((req, res) => answer(req, res));
    await new Promise((r) => stubServer.listen(0, '127.0.0.1', r));
    const metadataUrl = `http://127.0.0.1:${stubServer.address().port}`;
    const reply = (status, body, type = 'application/json') => (req, res) => {
      res.writeHead(req.url.endsWith('/') ? 200 : status, { 'content-type': req.url.endsWith('/') ? 'text/plain' : type });
      res.end(req.url.endsWith('/') ? 'role-x' : body);
    };
    try {
      answer = reply(200, JSON.stringify({ Code: 'Failure', Message: 'no' }));
      assert.match(await code(pkg.cvmRoleCredentials({ metadataUrl })), /Code "Failure" \(not "Success"\) for role role-x/);
      answer = reply(200, '<html>captive portal</html>', 'text/html');
      assert.match(await code(pkg.cvmRoleCredentials({ metadataUrl })), /not a JSON object/);
      answer = reply(200, JSON.stringify({ Code: 'Success', TmpSecretId: 'AKIDx', Token: 't' }));
      assert.match(await code(pkg.cvmRoleCredentials({ metadataUrl })), /lacks TmpSecretKey, ExpiredTime/);
      answer = reply(500, 'oops', 'text/plain');
      assert.match(await code(pkg.cvmRoleCredentials({ metadataUrl })), /HTTP 500/);
      answer = (req, res) => {
        res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
        res.end();
      };
      assert.match(await code(pkg.cvmRoleCredentials({ metadataUrl })), /answered a redirect \(HTTP 302\) for the role name; credentials are read only from the service itself/);
      answer = () => {}; // never answers
      assert.match(await code(pkg.cvmRoleCredentials({ metadataUrl, timeoutMs: 100 })), /no answer .* within 100 ms: this is not a CVM instance/);
      // Through a client: the call fails with that error, nothing sent.
      answer = reply(200, JSON.stringify({ Code: 'Failure' }));
      const client = new pkg.CvmClient({ credentials: pkg.cvmRoleCredentials({ metadataUrl }), region: REGION, endpoint: running.url });
      const error = await rejectionOf(client.describeImages());
      assert.equal(error.code, 'ClientError.Credentials');
      assert.match(error.message, /^ClientError\.Credentials: the CVM metadata service answered Code "Failure"/);
      assert.equal(error.attempts, 0);
    } finally {
      stubServer.closeAllConnections();
      await new Promise((r) => stubServer.close(r));
    }
  });

  test('cvmRoleCredentials options are checked', () => {
    const fieldOf = (options) => {
      try {
        pkg.cvmRoleCredentials(options);
      } catch (error) {
        assert.ok(error instanceof pkg.ValidationError);
        return `${error.field}:${error.code}:${error.message}`;
      }
      return 'accepted';
    };
    assert.match(fieldOf({ rolename: 'x' }), /^rolename:UnknownParameter:.*did you mean roleName/);
    assert.match(fieldOf({ roleName: 'a/b' }), /^roleName:InvalidParameterValue/);
    assert.match(fieldOf({ metadataUrl: 'file:///etc/passwd' }), /^metadataUrl:InvalidParameterValue/);
    assert.match(fieldOf({ metadataUrl: 'http://u:p@host' }), /^metadataUrl:InvalidParameterValue/);
    assert.match(fieldOf({ timeoutMs: 0 }), /^timeoutMs:InvalidParameterValue/);
    assert.match(fieldOf(null), /^options:InvalidParameter/);
    assert.equal(fieldOf({}), 'accepted');
  });
});
