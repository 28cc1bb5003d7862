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
import { entryExports } from './entry-exports.mjs';

/**
 * Exports the battery does not call, each with the reason. Every other export of every entry
 * must be a group of the battery: a new export fails "the battery covers every export" until
 * the battery calls it (or it is listed here, with a reason a reviewer accepts).
 */
const EXEMPT = {
  VERSION: 'a constant string',
  MAX_IMAGE_IDS_PER_CALL: 'a constant number',
  KNOWN_REGIONS: 'a frozen array of strings',
  KNOWN_ERROR_CODES: 'a frozen array of strings (the catalogue)',
  ValidationError: 'an error class the package throws (its instances are judged in every case)',
  TencentCloudError: 'an error class the package throws (its instances are judged in every case)',
  CvmCallError: 'the TencentCloudError subclass CvmClient rejects with (its instances are judged in every client case)',
  CredentialsError: 'an error class loadCredentials throws (judged in its cases)',
  default: 'init() of the ES module entries: takes anything, resolves (tests/node/entries.test.mjs)',
};
/** Battery groups that are not exports. */
const EXTRA_GROUPS = { misplaced: 'secrets put in non-secret options of several exports' };

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
  let exportsByEntry;

  before(async () => {
    exportsByEntry = await entryExports();
    const started = Date.now();
    result = await runBatteryInWorker({ ctx: CTX, survivalFailures: SURVIVAL_FAILURES });
    const { batterySize, calls, failures, loop } = result;
    console.log(`hostile battery: ${batterySize} distinct calls (first pass ${calls} calls, ${failures} threw, ${result.firstPassMs} ms); `
      + `survival loop ${loop.calls} calls, ${loop.failures} failures; ${calls + loop.calls} calls in all, ${Date.now() - started} ms`);
  }, { timeout: 58_000 });

  test('the battery covers every export', () => {
    const exported = new Set(Object.values(exportsByEntry).flat());
    // Every entry was read (each has the core's functions), and every exemption is still an export.
    for (const [entry, names] of Object.entries(exportsByEntry)) assert.ok(names.includes('signTc3'), `${entry}: ${names.join(', ')}`);
    assert.deepEqual(Object.keys(EXEMPT).filter((name) => !exported.has(name)), [], 'exemptions that are no longer exported');
    const uncovered = Object.entries(exportsByEntry)
      .flatMap(([entry, names]) => names.filter((name) => !(name in EXEMPT) && !result.groups.includes(name)).map((name) => `${entry}: ${name}`));
    assert.deepEqual(uncovered, [], 'exports the battery never calls (add a group to tests/hostile/battery.mjs, or an exemption with its reason)');
    const strays = result.groups.filter((group) => !exported.has(group) && !(group in EXTRA_GROUPS));
    assert.deepEqual(strays, [], 'battery groups that are no export of any entry');
    for (const group of result.groups) {
      const n = result.results.filter((r) => r.group === group).length;
      assert.ok(n >= 20, `${group}: only ${n} cases`);
    }
    assert.equal(result.calls, result.batterySize, 'every case ran once in the first pass');
  });

  test('every group: every call succeeds correctly or throws a clear Error subclass', () => {
    const bad = result.results.filter((r) => r.problems.length > 0);
    const groups = [...new Set(bad.map((r) => r.group))];
    assert.equal(bad.length, 0, `${bad.length} calls misbehaved in ${groups.join(', ')}:\n${format(bad)}`);
  });

  // One test per group, for a readable report (the test above holds whatever groups there are).
  const NAMED = ['signTc3', 'buildDeleteImages', 'buildRequest', 'validateDeleteImages', 'checkDeleteImages', 'validateRegion', 'isKnownRegion',
    'decodeDeleteImages', 'decodeResponse', 'describeError', 'backoffDelayMs', 'parseHttpDate', 'RateLimiter', 'CvmClient',
    'cvmRoleCredentials', 'loadCredentials', ...Object.keys(EXTRA_GROUPS)];
  for (const group of NAMED) {
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
