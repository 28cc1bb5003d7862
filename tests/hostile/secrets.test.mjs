// Secrets never leak. Canaries — a secret key, a session token, and a SecretId-looking value — go
// through the whole hostile battery (./battery.mjs, the same list boundary.test.mjs runs), a
// CvmClient driven through every fault of the emulator, and the tccvm CLI; then every thrown
// error (message, stack, String, JSON.stringify, util.inspect with hidden fields, history), every
// returned value and request object, the client object itself, all CLI output and every emulator
// log line is searched for them.
//
// Where a canary may legitimately appear:
//   secret key  nowhere (it only feeds the HMAC).
//   token       only as the value of a request object's X-TC-Token header (it is sent there).
//   SecretId    in request objects (the Authorization header carries it) and --print-request's
//               output; never in an error, a log line, the CLI's stderr or its other output.
// A fourth canary is a secret put by mistake where secrets are not expected (non-secret options
// such as region or method, TENCENTCLOUD_REGION): the error must say the value is wrong without
// repeating it, as the core already does for options of the wrong type.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import util from 'node:util';
import { startEmulator } from '../../emulator/server.mjs';
import { createScanner, errorTexts, loadPackage, resultTexts, ROOT, runBatteryInWorker, tempHome, withoutTokenHeader } from './battery.mjs';

const RANDOM = randomBytes(6).toString('hex');
const KEY = `SECRET-CANARY-7f3a9c-${RANDOM}`;
const TOKEN = `TOKEN-CANARY-7f3a9c-${RANDOM}`;
const ID = `AKIDCANARY7f3a9c${RANDOM}`; // a SecretId-looking value
const TEMP_ID = `AKIDCANARYTEMP7f3a9c${RANDOM}`;
const TEMP_KEY = `${KEY}-temporary`; // contains KEY: a leak of either is caught
const MISPLACED = `MISPLACED-CANARY-7f3a9c-${RANDOM}`;
const REGION = 'ap-guangzhou';
const CLI = path.join(ROOT, 'pkg', 'bin', 'tccvm.cjs');

const SECRETS = { secretKey: KEY, token: TOKEN }; // never anywhere (token: but its own header)
const EVERYTHING = { secretKey: KEY, token: TOKEN, secretId: ID, temporarySecretId: TEMP_ID }; // not in errors, logs, stderr

const pkg = await loadPackage();
const scanner = createScanner();
const { scan } = scanner;
const leaksOf = (where, canaryNames) => scanner.state.leaks.filter((l) => l.where.startsWith(where) && (!canaryNames || canaryNames.includes(l.canary)));
const formatLeaks = (leaks) => leaks.map((l) => `  ${l.where} → ${l.place}: ${l.canary} in …${JSON.stringify(l.context)}…`).join('\n');

function scanError(where, error) {
  scan(where, errorTexts(error), EVERYTHING);
}
function scanResult(where, value) {
  scan(where, resultTexts(withoutTokenHeader(value)), SECRETS);
}

after(() => {
  const misplaced = scanner.state.leaks.filter((l) => l.canary === 'misplacedSecret');
  const found = scanner.state.leaks.length - misplaced.length;
  const byCanary = {};
  for (const l of scanner.state.leaks) byCanary[l.canary] = (byCanary[l.canary] || 0) + 1;
  console.log(`secret canaries: ${scanner.state.places} places checked${scanner.state.leaks.length ? ` (found: ${Object.entries(byCanary).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`);
  console.log(`misplaced secrets repeated in errors or output: ${misplaced.length}`);
  console.log(`secrets found: ${found}`);
});

test('the scanner is not blind: a planted canary is found, the SecretId is in the Authorization header', { timeout: 10_000 }, () => {
  const probe = createScanner();
  const err = new pkg.ValidationError({ field: 'x', code: 'InvalidParameter', message: `oops ${KEY}` });
  probe.scan('probe', errorTexts(err), SECRETS);
  assert.ok(probe.state.leaks.length >= 4, 'message, stack, String and inspect each show it');
  const req = pkg.buildDeleteImages({ ImageIds: ['img-mfih409y'] }, { secretId: ID, secretKey: KEY, token: TOKEN, region: REGION });
  assert.ok(req.headers.Authorization.includes(ID));
  assert.equal(req.headers['X-TC-Token'], TOKEN);
  const shown = createScanner();
  shown.scan('request', resultTexts(req), { token: TOKEN });
  assert.ok(shown.state.leaks.length >= 2, 'the token header is visible before it is exempted');
  scanResult('request object (buildDeleteImages, POST, token)', req);
  scanResult('request object (buildRequest, GET)', pkg.buildRequest('DescribeImages', { Limit: 1 }, { secretId: ID, secretKey: KEY, region: REGION, method: 'GET' }));
  scanResult('signTc3 result', pkg.signTc3({ secretId: ID, secretKey: KEY, service: 'cvm', host: 'cvm.tencentcloudapi.com', method: 'POST',
    contentType: 'application/json', payload: '{}', timestamp: 1551113065 }));
  assert.deepEqual(leaksOf('request object').concat(leaksOf('signTc3 result')), []);
});

describe('the hostile battery with canary credentials', { timeout: 60_000 }, () => {
  let result;
  before(async () => {
    result = await runBatteryInWorker({
      ctx: { secretId: ID, secretKey: KEY, token: TOKEN, misplaced: MISPLACED },
      canaries: {
        forbiddenInErrors: { secretKey: KEY, token: TOKEN, secretId: ID },
        forbiddenInResults: SECRETS,
        misplaced: { misplacedSecret: MISPLACED, secretKey: KEY, token: TOKEN, secretId: ID },
      },
    });
    scanner.state.places += result.secrets.places;
    for (const l of result.secrets.leaks) scanner.state.leaks.push({ ...l, where: `battery: ${l.where}` });
    console.log(`hostile battery with canaries: ${result.batterySize} distinct calls, ${result.failures} threw, ${result.secrets.places} places checked`);
  }, { timeout: 58_000 });

  test('no secret key, token or SecretId in any error; no secret key or token in any result', () => {
    assert.ok(result.secrets.places > result.batterySize * 2, 'every case was scanned');
    const leaks = leaksOf('battery:', ['secretKey', 'token', 'secretId']);
    assert.equal(leaks.length, 0, `${leaks.length} leaks:\n${formatLeaks(leaks.slice(0, 40))}`);
  });

  test('a secret put in a non-secret option (region, endpoint, method, …) is not repeated in the error', () => {
    const leaks = leaksOf('battery:', ['misplacedSecret']);
    assert.equal(leaks.length, 0, `${new Set(leaks.map((l) => l.where)).size} errors repeat the misplaced secret:\n${formatLeaks(leaks.filter((l) => l.place === 'message'))}`);
  });
});

describe('CvmClient through the emulator\'s faults', { timeout: 60_000 }, () => {
  let emu;
  const logLines = [];
  const client = (extra = {}) => new pkg.CvmClient({ secretId: ID, secretKey: KEY, region: REGION, endpoint: emu.url, retries: 1, timeoutMs: 1500, ...extra });
  const faults = (fault, times = 1) => emu.emulator.setFault(fault, { times });

  /** Runs a call, scans what it returned or threw, returns {value} or {error}. */
  async function run(where, promise) {
    try {
      const value = await promise;
      scanResult(where, value);
      return { value };
    } catch (error) {
      scanError(where, error);
      return { error };
    }
  }

  before(async () => {
    emu = await startEmulator({
      port: 0,
      log: (line) => logLines.push(line),
      rateLimitPerSec: 1000,
      credentials: [{ secretId: ID, secretKey: KEY }, { secretId: TEMP_ID, secretKey: TEMP_KEY, token: TOKEN }],
    });
  });
  after(() => emu && emu.close());

  test('util.inspect / JSON.stringify / String of a CvmClient never show the key or token', () => {
    const c = client({ token: TOKEN });
    const texts = [
      ['util.inspect(client)', util.inspect(c, { showHidden: true, depth: null, getters: true })],
      ['JSON.stringify(client)', JSON.stringify(c)],
      ['String(client)', String(c)],
      ['util.format(%o)', util.format('%o', c)],
      ['own property values', JSON.stringify(Reflect.ownKeys(c).map((k) => String(c[k])))],
      ['structuredClone(client)', util.inspect(structuredClone(c), { showHidden: true, depth: null })],
    ];
    scan('client object', texts, EVERYTHING);
    assert.deepEqual(leaksOf('client object'), []);
  });

  test('successes: DeleteImages (dry run and real), DescribeImages, temporary credentials, GET', async () => {
    emu.emulator.reset();
    const results = [
      await run('client: deleteImages dry run', client().deleteImages({ ImageIds: ['img-gznorm01'], DryRun: true })),
      await run('client: deleteImages', client().deleteImages({ ImageIds: ['img-gznorm05'] })),
      await run('client: describeImages', client().describeImages({ ImageIds: ['img-gznorm02'] })),
      await run('client: temporary credentials', client({ secretId: TEMP_ID, secretKey: TEMP_KEY, token: TOKEN }).describeImages({})),
      await run('client: GET', client({ method: 'GET', token: undefined }).deleteImages({ ImageIds: ['img-gznorm01'], DryRun: 'True' })),
    ];
    for (const r of results) assert.equal(r.error, undefined, r.error && r.error.message);
    assert.deepEqual(leaksOf('client:'), []);
  });

  for (const fault of ['500-html', '502-html', '503-html', 'empty', 'truncated', 'truncated-before', 'reset', 'reset-after',
    'InternalError', 'RequestLimitExceeded', 'ServiceUnavailable']) {
    test(`fault ${fault}: the error after the retries, and the success after one`, async () => {
      emu.emulator.reset();
      faults(fault, 2);
      const failed = await run(`fault ${fault}: error`, client().deleteImages({ ImageIds: ['img-gznorm01'], DryRun: true }));
      assert.ok(failed.error instanceof pkg.TencentCloudError, `${fault}: ${failed.error && failed.error.stack}`);
      assert.equal(failed.error.attempts, 2, `${fault} is retried once`);
      faults(fault, 1);
      const recovered = await run(`fault ${fault}: retried`, client({ token: undefined }).describeImages({ ImageIds: ['img-gznorm01'] }));
      assert.equal(recovered.error, undefined, recovered.error && recovered.error.message);
      assert.deepEqual(leaksOf(`fault ${fault}`), []);
    });
  }

  test('a delay beyond the timeout, and an abort while in flight', async () => {
    emu.emulator.reset();
    faults('delay:1500', 2);
    const timedOut = await run('timeout', client({ timeoutMs: 150 }).deleteImages({ ImageIds: ['img-gznorm01'], DryRun: true }));
    assert.equal(timedOut.error && timedOut.error.code, 'ClientError.Timeout');
    emu.emulator.clearFaults();
    faults('delay:1500', 1);
    const aborted = await run('aborted', client().deleteImages({ ImageIds: ['img-gznorm01'], DryRun: true }, { signal: AbortSignal.timeout(100) }));
    assert.equal(aborted.error && aborted.error.code, 'ClientError.Aborted');
    emu.emulator.clearFaults();
    assert.deepEqual(leaksOf('timeout').concat(leaksOf('aborted')), []);
  });

  test('a clock offset: corrected by re-signing, and the SignatureExpire error when correction is off', async () => {
    emu.emulator.reset();
    emu.emulator.setClockOffset(3600);
    try {
      const corrected = await run('clock offset: corrected', client().deleteImages({ ImageIds: ['img-gznorm01'], DryRun: true }));
      assert.equal(corrected.error, undefined, corrected.error && corrected.error.message);
      assert.equal(corrected.value.attempts, 2);
      const refused = await run('clock offset: refused', client({ correctClockSkew: false }).deleteImages({ ImageIds: ['img-gznorm01'], DryRun: true }));
      assert.equal(refused.error && refused.error.code, 'AuthFailure.SignatureExpire');
    } finally {
      emu.emulator.setClockOffset(0);
    }
    assert.deepEqual(leaksOf('clock offset'), []);
  });

  test('authentication failures: wrong secret, unknown SecretId, wrong or missing token', async () => {
    emu.emulator.reset();
    const cases = [
      ['wrong secret', client({ secretKey: `WRONG-${KEY}` }), 'AuthFailure.SignatureFailure'],
      ['unknown SecretId', client({ secretId: `${ID}X` }), 'AuthFailure.SecretIdNotFound'],
      ['wrong token', client({ secretId: TEMP_ID, secretKey: TEMP_KEY, token: `${TOKEN}-wrong` }), 'AuthFailure.TokenFailure'],
      ['missing token', client({ secretId: TEMP_ID, secretKey: TEMP_KEY }), 'AuthFailure.TokenFailure'],
    ];
    for (const [label, c, code] of cases) {
      for (const [call, start] of [['deleteImages', () => c.deleteImages({ ImageIds: ['img-gznorm01'] })], ['describeImages', () => c.describeImages({})]]) {
        const { error } = await run(`auth: ${label} (${call})`, start());
        assert.equal(error && error.code, code, `${label} ${call}: ${error && error.message}`);
      }
    }
    assert.deepEqual(leaksOf('auth:'), []);
  });

  test('API errors and validation errors of the client', async () => {
    emu.emulator.reset();
    const c = client({ token: TOKEN });
    const calls = [
      ['api: NotFound', () => c.deleteImages({ ImageIds: ['img-notthere1'] }), 'InvalidImageId.NotFound'],
      ['api: InShared', () => c.deleteImages({ ImageIds: ['img-gzshare1'] }), 'InvalidImageId.InShared'],
      ['api: IncorrectState', () => c.deleteImages({ ImageIds: ['img-gzcreat1'] }), 'InvalidImageId.IncorrectState'],
      ['api: UnsupportedRegion', () => client({ region: 'xx-nowhere1' }).describeImages({}), 'UnsupportedRegion'],
      ['api: ValidationError', () => c.deleteImages({ ImageIds: ['not-an-image'] }), 'InvalidImageId.Malformed'],
      ['api: InvalidFilter', () => c.describeImages({ Filters: [{ Name: 'bogus', Values: ['x'] }] }), 'InvalidFilter'],
      ['api: InvalidAction', () => c.request('RunInstances', {}), 'InvalidAction'],
    ];
    for (const [label, start, code] of calls) {
      const { error } = await run(label, start());
      assert.ok(error instanceof Error, label);
      assert.equal(error.code, code, `${label}: ${error.message}`);
    }
    assert.deepEqual(leaksOf('api:'), []);
  });

  test('legacy v1 signatures: the key is in no request, signing stage or error; the token only where it is sent', async () => {
    emu.emulator.reset();
    for (const method of ['GET', 'POST']) {
      for (const signMethod of ['HmacSHA1', 'HmacSHA256']) {
        const options = { secretId: ID, secretKey: KEY, region: REGION, method, signMethod };
        const plain = pkg.buildDeleteImages({ ImageIds: ['img-mfih409y'] }, options);
        scanResult(`v1 request ${method} ${signMethod}`, plain);
        scan(`v1 request ${method} ${signMethod} signing`, resultTexts({ ...plain.signing }), SECRETS);
        // With a token: sent as the Token parameter (URL or body) and signed; the key still nowhere.
        const withToken = pkg.buildDeleteImages({ ImageIds: ['img-mfih409y'] }, { ...options, token: TOKEN });
        scan(`v1 request with token ${method} ${signMethod}`, resultTexts({ ...withToken, signing: { ...withToken.signing } }), { secretKey: KEY });
        const sent = method === 'GET' ? new URL(withToken.url).searchParams : new URLSearchParams(withToken.body);
        assert.equal(sent.get('Token'), TOKEN);
        assert.equal(withToken.signing.stringToSign.split(TOKEN).length, 2, 'the token is signed once');
        for (const [label, extra] of [['misplaced signMethod', { signMethod: MISPLACED }], ['misplaced nonce', { nonce: MISPLACED }]]) {
          try {
            pkg.buildDeleteImages({ ImageIds: ['img-mfih409y'] }, { ...options, ...extra });
            assert.fail(`${label} accepted`);
          } catch (error) {
            scan(`v1 ${label}`, errorTexts(error), { ...EVERYTHING, misplacedSecret: MISPLACED });
          }
        }
      }
    }
    const v1 = (extra) => client({ signMethod: 'HmacSHA256', ...extra });
    const ok = await run('v1 client: deleteImages', v1({ method: 'GET' }).deleteImages({ ImageIds: ['img-gznorm05'] }));
    assert.equal(ok.error, undefined, ok.error && ok.error.message);
    const temporary = await run('v1 client: temporary', v1({ secretId: TEMP_ID, secretKey: TEMP_KEY, token: TOKEN, signMethod: 'HmacSHA1' }).describeImages({}));
    assert.equal(temporary.error, undefined, temporary.error && temporary.error.message);
    for (const [label, c, code] of [
      ['wrong secret', v1({ secretKey: `WRONG-${KEY}` }), 'AuthFailure.SignatureFailure'],
      ['unknown SecretId', v1({ secretId: `${ID}X` }), 'AuthFailure.SecretIdNotFound'],
      ['missing token', v1({ secretId: TEMP_ID, secretKey: TEMP_KEY }), 'AuthFailure.TokenFailure'],
    ]) {
      const { error } = await run(`v1 client: ${label}`, c.deleteImages({ ImageIds: ['img-gznorm01'] }));
      assert.equal(error && error.code, code, `${label}: ${error && error.message}`);
    }
    emu.emulator.setClockOffset(3600);
    try {
      const corrected = await run('v1 client: clock offset', v1().deleteImages({ ImageIds: ['img-gznorm01'], DryRun: true }));
      assert.equal(corrected.error, undefined, corrected.error && corrected.error.message);
      assert.equal(corrected.value.attempts, 2, 'SignatureExpire, then re-signed with the server clock');
    } finally {
      emu.emulator.setClockOffset(0);
    }
    assert.deepEqual(leaksOf('v1 '), []);
  });

  test('credentials from a provider: used, refused, unusable, failing; the client object after a refresh', async () => {
    emu.emulator.reset();
    const temporary = { secretId: TEMP_ID, secretKey: TEMP_KEY, token: TOKEN };
    const later = () => Date.now() + 3_600_000;
    const withProvider = (provider) => client({ secretId: undefined, secretKey: undefined, credentials: provider });
    const good = withProvider(async () => ({ ...temporary, expiration: later() }));
    const used = await run('provider: used', good.describeImages({}));
    assert.equal(used.error, undefined, used.error && used.error.message);
    let asked = 0;
    const rotated = withProvider({ getCredential: async () => (asked++ === 0 ? { ...temporary, token: `${TOKEN}-old` } : temporary) });
    const retried = await run('provider: refused, then refreshed', rotated.deleteImages({ ImageIds: ['img-gznorm01'], DryRun: true }));
    assert.equal(retried.value && retried.value.attempts, 2, retried.error && retried.error.message);
    const refused = await run('provider: refused twice', withProvider(async () => ({ ...temporary, token: `${TOKEN}-old` })).describeImages({}));
    assert.equal(refused.error && refused.error.code, 'AuthFailure.TokenFailure');
    for (const [label, answer] of [
      ['no secretId', { secretKey: KEY, token: TOKEN }],
      ['a number for the key', { secretId: TEMP_ID, secretKey: 5, token: TOKEN }],
      ['a misnamed key holding the secret', { secretId: TEMP_ID, secretkey: KEY, token: TOKEN }],
      ['expired', { ...temporary, expiration: Date.now() - 1 }],
      ['expiration in seconds', { ...temporary, expiration: Math.floor(later() / 1000) }],
      ['a string', KEY],
    ]) {
      const { error } = await run(`provider: ${label}`, withProvider(async () => answer).describeImages({}));
      assert.equal(error && error.code, 'ClientError.Credentials', label);
    }
    const failing = await run('provider: failing', withProvider(async () => { throw new Error('vault down'); }).describeImages({}));
    assert.equal(failing.error && failing.error.code, 'ClientError.Credentials');
    scan('provider: client object', [
      ['util.inspect(client)', util.inspect(good, { showHidden: true, depth: null, getters: true })],
      ['JSON.stringify(client)', JSON.stringify(good)],
    ], EVERYTHING);
    assert.deepEqual(leaksOf('provider:'), []);
  });

  test('emulator log lines never show a secret, token or SecretId', async () => {
    const fromEndpoint = await (await fetch(`${emu.url}/__emulator/log`)).json();
    assert.ok(logLines.length >= 30, `only ${logLines.length} log lines`);
    scan('emulator log (log option)', logLines.map((line, i) => [`line ${i + 1}`, line]), EVERYTHING);
    scan('emulator log (endpoint)', fromEndpoint.lines.map((line, i) => [`line ${i + 1}`, line]), EVERYTHING);
    assert.deepEqual(leaksOf('emulator log'), []);
  });
});

describe('the tccvm CLI', { timeout: 60_000 }, () => {
  let emu;
  let home;
  const logLines = [];
  const ENV = { TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: KEY, TENCENTCLOUD_REGION: REGION };

  /** Runs tccvm; scans stdout and stderr. `stdoutMayShowId`: --print-request prints the Authorization header. */
  function tccvm(label, args, { env = ENV, stdoutMayShowId = false, homeDir = home } = {}) {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, HOME: homeDir, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('error', (e) => { clearTimeout(killer); reject(e); });
      child.on('close', (code, signal) => {
        clearTimeout(killer);
        scan(`cli: ${label}`, [['stdout', stdout]], stdoutMayShowId ? { secretKey: KEY, token: TOKEN, temporaryKey: TEMP_KEY } : EVERYTHING);
        scan(`cli: ${label}`, [['stderr', stderr]], EVERYTHING);
        resolve({ code, signal, stdout, stderr });
      });
      child.stdin.end('');
    });
  }
  const writeHomeFile = (name, text) => {
    mkdirSync(path.join(home, '.tencentcloud'), { recursive: true });
    writeFileSync(path.join(home, '.tencentcloud', name), text);
  };

  before(async () => {
    emu = await startEmulator({
      port: 0,
      log: (line) => logLines.push(line),
      rateLimitPerSec: 1000,
      credentials: [{ secretId: ID, secretKey: KEY }, { secretId: TEMP_ID, secretKey: TEMP_KEY, token: TOKEN }],
    });
    home = tempHome('cvm-hostile-cli-');
  });
  after(() => emu && emu.close());

  test('--print-request (table and json, POST and GET, with a session token) shows the request but not the key or token', async () => {
    const base = ['delete-images', '--ImageIds', 'img-gznorm01', '--DryRun', '--print-request', '--endpoint', emu.url];
    const tempEnv = { TENCENTCLOUD_SECRET_ID: TEMP_ID, TENCENTCLOUD_SECRET_KEY: TEMP_KEY, TENCENTCLOUD_SESSION_TOKEN: TOKEN, TENCENTCLOUD_REGION: REGION };
    for (const [label, args, env] of [
      ['print-request', base, ENV],
      ['print-request json', [...base, '--output', 'json'], ENV],
      ['print-request GET', [...base, '--method', 'GET'], ENV],
      ['print-request token', [...base, '--output', 'json'], tempEnv],
      ['print-request describe', ['describe-images', '--print-request', '--endpoint', emu.url], tempEnv],
    ]) {
      const r = await tccvm(label, args, { env, stdoutMayShowId: true });
      assert.equal(r.code, 0, `${label}: ${r.stderr}`);
      assert.match(r.stdout, /TC3-HMAC-SHA256 Credential=AKIDCANARY/, label);
    }
    assert.deepEqual(leaksOf('cli: print-request'), []);
  });

  test('delete-images and describe-images: success, failure, --output table, a bad flag, faults', async () => {
    emu.emulator.reset();
    const url = ['--endpoint', emu.url];
    const idsFile = path.join(home, 'ids.txt');
    writeFileSync(idsFile, '# images to delete\nimg-gzcfail1\nimg-notthere1\nimg-gzshare1\nimg-gzifail1\nnot-an-image\n');
    const runs = [
      ['dry run', ['delete-images', '--ImageIds', 'img-gznorm01', '--DryRun', ...url], 0],
      ['delete', ['delete-images', '--ImageIds', 'img-gznorm04', ...url], 0],
      ['delete table', ['delete-images', '--ImageIds', 'img-gznorm05', '--output', 'table', ...url], 0],
      ['describe table', ['describe-images', '--output', 'table', ...url], 0],
      ['describe json', ['describe-images', '--ImageIds', 'img-gznorm02', ...url], 0],
      ['not found', ['delete-images', '--ImageIds', 'img-notthere1', ...url], 1],
      ['not found table', ['delete-images', '--ImageIds', 'img-notthere1', '--output', 'table', ...url], 1],
      ['malformed id', ['delete-images', '--ImageIds', 'not-an-image', ...url], 2],
      ['bad flag', ['delete-images', '--ImageIds', 'img-gznorm01', '--bogus', ...url], 2],
      ['bad output', ['delete-images', '--ImageIds', 'img-gznorm01', '--output', 'xml', ...url], 2],
      ['three ids', ['delete-images', '--ImageIds', 'img-gzcfail1', 'img-notthere1', 'img-gzshare1', '--yes', ...url], 1],
      ['bulk', ['delete-images', '--ids-file', idsFile, '--yes', '--output', 'table', ...url], 1],
      ['bulk json', ['delete-images', '--ids-file', idsFile, '--yes', '--DryRun', ...url], 1],
    ];
    for (const [label, args, exit] of runs) {
      const r = await tccvm(label, args);
      assert.equal(r.code, exit, `${label}: exit ${r.code}\n${r.stderr}`);
    }
    emu.emulator.setFault('502-html', { times: 2 });
    const gateway = await tccvm('fault 502', ['delete-images', '--ImageIds', 'img-gznorm01', '--DryRun', '--retries', '1', ...url]);
    assert.equal(gateway.code, 1, gateway.stderr);
    assert.match(gateway.stderr, /HttpStatus|502/);
    emu.emulator.setFault('delay:1500', { times: 1 });
    const slow = await tccvm('fault delay', ['delete-images', '--ImageIds', 'img-gznorm01', '--DryRun', '--retries', '0', '--timeout', '200', ...url]);
    assert.equal(slow.code, 1, slow.stderr);
    assert.match(slow.stderr, /Timeout/);
    emu.emulator.clearFaults();
    assert.deepEqual(leaksOf('cli:'), []);
  });

  test('prune-images: plan table, DryRun json, a shared image skipped, a bad option, a fault while listing or checking sharing', async () => {
    emu.emulator.reset();
    const url = ['--endpoint', emu.url];
    const prune = ['prune-images', '--name', '*', '--older-than', '1d', '--keep', '0', ...url];
    for (const [label, args, exit] of [
      ['prune dry run', [...prune, '--DryRun'], 0],
      ['prune no tty', prune, 4],
      ['prune table', [...prune, '--yes', '--output', 'table'], 0],
      ['prune bad age', ['prune-images', '--name', '*', '--older-than', '1month', '--keep', '1', ...url], 2],
    ]) {
      const r = await tccvm(label, args);
      assert.equal(r.code, exit, `${label}: exit ${r.code}\n${r.stderr}`);
    }
    emu.emulator.setFault('502-html', { times: 2, action: 'DescribeImages' });
    const gateway = await tccvm('prune fault 502', [...prune, '--yes', '--retries', '1']);
    assert.equal(gateway.code, 1, gateway.stderr);
    emu.emulator.setFault('502-html', { times: 1, action: 'DescribeImageSharePermission' });
    const check = await tccvm('prune share check 502', [...prune, '--DryRun', '--retries', '0']);
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, /"share check failed: ClientError\.HttpStatus"/);
    emu.emulator.reset(); // the tests after this one delete seeded images
    assert.deepEqual(leaksOf('cli: prune'), []);
  });

  test('wrong secret → AuthFailure.SignatureFailure, exit 1, nothing leaked', async () => {
    const r = await tccvm('wrong secret', ['delete-images', '--ImageIds', 'img-gznorm01', '--DryRun', '--retries', '0', '--endpoint', emu.url],
      { env: { ...ENV, TENCENTCLOUD_SECRET_KEY: `WRONG-${KEY}` } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /AuthFailure\.SignatureFailure/);
    assert.deepEqual(leaksOf('cli: wrong secret'), []);
  });

  test('profile files holding the canary: good, malformed, incomplete, tccli JSON', async () => {
    const args = ['delete-images', '--ImageIds', 'img-gznorm01', '--DryRun', '--endpoint', emu.url];
    const noEnv = {};
    writeHomeFile('credentials', `[canary]\nsecret_id = ${ID}\nsecret_key = ${KEY}\nregion = ${REGION}\n`);
    const good = await tccvm('profile', [...args, '--profile', 'canary'], { env: noEnv });
    assert.equal(good.code, 0, good.stderr);
    writeHomeFile('credentials', `[broken]\nsecret_id = ${ID}\nthe secret ${KEY} on a line that is not key = value\n`);
    const broken = await tccvm('profile malformed', [...args, '--profile', 'broken'], { env: noEnv });
    assert.equal(broken.code, 3, broken.stderr);
    assert.match(broken.stderr, /credentials:\d+/);
    writeHomeFile('credentials', `[default]\nsecret_key = ${KEY}\n`);
    const incomplete = await tccvm('profile incomplete', args, { env: { TENCENTCLOUD_REGION: REGION } });
    assert.equal(incomplete.code, 3, incomplete.stderr);
    writeHomeFile('credentials', '');
    writeHomeFile('tccli.credential', JSON.stringify({ secretId: ID, secretKey: KEY, token: '' }));
    const tccli = await tccvm('profile tccli json', [...args, '--profile', 'tccli'], { env: { TENCENTCLOUD_REGION: REGION } });
    assert.equal(tccli.code, 0, tccli.stderr);
    writeHomeFile('bad.credential', `{"secretId": "${ID}", "secretKey": "${KEY}"`);
    const badJson = await tccvm('profile tccli bad json', [...args, '--profile', 'bad'], { env: { TENCENTCLOUD_REGION: REGION } });
    assert.equal(badJson.code, 3, badJson.stderr);
    assert.deepEqual(leaksOf('cli: profile'), []);
  });

  test('a secret put in TENCENTCLOUD_REGION or a profile\'s region is not repeated', async () => {
    const args = ['delete-images', '--ImageIds', 'img-gznorm01', '--DryRun', '--endpoint', emu.url];
    const fromEnv = await tccvm('misplaced: env region', args, { env: { ...ENV, TENCENTCLOUD_REGION: MISPLACED } });
    writeHomeFile('credentials', `[mixed]\nsecret_id = ${ID}\nsecret_key = ${KEY}\nregion = ${MISPLACED}\n`);
    const fromProfile = await tccvm('misplaced: profile region', [...args, '--profile', 'mixed'], { env: {} });
    for (const r of [fromEnv, fromProfile]) assert.equal(r.code, 2, r.stderr);
    scan('cli: misplaced', [['stderr (env)', fromEnv.stderr], ['stderr (profile)', fromProfile.stderr]], { misplacedSecret: MISPLACED });
    const leaks = leaksOf('cli: misplaced');
    assert.deepEqual(leaks, [], formatLeaks(leaks));
  });

  test('emulator log lines of the CLI runs never show a secret, token or SecretId', () => {
    assert.ok(logLines.length >= 10, `only ${logLines.length} log lines`);
    scan('cli emulator log', logLines.map((line, i) => [`line ${i + 1}`, line]), EVERYTHING);
    assert.deepEqual(leaksOf('cli emulator log'), []);
  });
});
