// Hostile input at every boundary of the package: every export called with the wrong things in
// every argument position (the battery in ./battery.mjs). Each call must succeed where the input
// is valid (the result is checked) or throw an Error subclass — a ValidationError naming the field
// and Tencent code where it is the caller's input — with a message a person understands; never a
// wasm trap, a Rust panic, a non-Error, a 10 MB message or a hang. Afterwards the module, having
// failed 10,000 more times, must still sign Tencent's Example 1 and build a DeleteImages request
// that an independent verifier (the emulator's) accepts.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { runBatteryInWorker, SURVIVAL_FAILURES } from './battery.mjs';

/** Every export under test (plus `misplaced`: secrets put in non-secret options). */
const GROUPS = ['signTc3', 'buildDeleteImages', 'buildRequest', 'validateDeleteImages', 'validateRegion', 'isKnownRegion',
  'decodeDeleteImages', 'decodeResponse', 'describeError', 'backoffDelayMs', 'parseHttpDate', 'RateLimiter', 'CvmClient',
  'loadCredentials', 'misplaced'];

// Harmless stand-ins: secrets.test.mjs runs the same battery with canaries.
const CTX = {
  secretId: 'AKIDhostileBoundary000000000000000001',
  secretKey: 'hostile-boundary-secret-key',
  token: 'hostile-boundary-session-token',
  misplaced: 'NotARegionNorAnEndpoint0001',
};

const format = (bad) => bad.map((r) => `  [${r.group}] ${r.name}\n      ${r.problems.join('\n      ')}`).join('\n');

describe('hostile input: every export, every argument position', { timeout: 60_000 }, () => {
  let result;

  before(async () => {
    const started = Date.now();
    result = await runBatteryInWorker({ ctx: CTX, survivalFailures: SURVIVAL_FAILURES });
    const { batterySize, calls, failures, loop } = result;
    console.log(`hostile battery: ${batterySize} distinct calls (first pass ${calls} calls, ${failures} threw, ${result.firstPassMs} ms); `
      + `survival loop ${loop.calls} calls, ${loop.failures} failures; ${calls + loop.calls} calls in all, ${Date.now() - started} ms`);
  }, { timeout: 58_000 });

  test('the battery covers every export', () => {
    assert.deepEqual([...result.groups].sort(), [...GROUPS].sort());
    for (const group of GROUPS) {
      const n = result.results.filter((r) => r.group === group).length;
      assert.ok(n >= 20, `${group}: only ${n} cases`);
    }
    assert.equal(result.calls, result.batterySize, 'every case ran once in the first pass');
  });

  for (const group of GROUPS) {
    test(`${group}: every call succeeds correctly or throws a clear Error subclass`, () => {
      const mine = result.results.filter((r) => r.group === group);
      const bad = mine.filter((r) => r.problems.length > 0);
      assert.equal(bad.length, 0, `${bad.length} of ${mine.length} ${group} calls misbehaved:\n${format(bad)}`);
    });
  }

  test('request size limits: GET query > 32 KB and POST body > 10 MB are RequestSizeLimitExceeded before sending', () => {
    const limits = result.results.filter((r) => /GET query|POST body|GET with 100|RequestSizeLimitExceeded/.test(r.name));
    assert.ok(limits.length >= 8, `only ${limits.length} size-limit cases`);
    const bad = limits.filter((r) => r.problems.length > 0);
    assert.equal(bad.length, 0, format(bad));
    for (const r of limits.filter((x) => /RequestSizeLimitExceeded/.test(x.name))) {
      assert.equal(r.outcome, 'threw', r.name);
      assert.equal(r.code, 'RequestSizeLimitExceeded', r.name);
    }
  });

  test(`after ${SURVIVAL_FAILURES} failures the module still signs Example 1 and builds DeleteImages`, () => {
    assert.ok(result.loop.failures >= SURVIVAL_FAILURES, `only ${result.loop.failures} failures`);
    assert.deepEqual(result.loop.problems, [], 'an outcome changed while failing repeatedly');
    const { example1, buildDeleteImages } = result.afterwards;
    assert.equal(example1.error, undefined, example1.error);
    assert.equal(example1.signature, example1.expected);
    assert.equal(example1.authorization, example1.expectedAuthorization);
    assert.equal(buildDeleteImages.error, undefined, buildDeleteImages.error);
    assert.equal(buildDeleteImages.ok, true, `the emulator's verifier refused it: ${buildDeleteImages.code} ${buildDeleteImages.message}`);
    assert.equal(buildDeleteImages.body, '{"ImageIds":["img-mfih409y","img-abcdefgh"],"DryRun":true}');
  });

  test('no hostile input polluted Object.prototype', () => {
    assert.equal(result.prototypeUnchanged, true);
    assert.equal({}.polluted, undefined);
  });
});
