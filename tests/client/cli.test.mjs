// The tccvm CLI as a user runs it: a child process, credentials from the environment or a temp
// HOME, the emulator as the endpoint. Every flag and every exit code.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { pkg, CLI } from './harness.mjs';

const [PERMANENT, TEMPORARY] = DEMO_CREDENTIALS;
const REGION = 'ap-guangzhou';
const SECRETS = [PERMANENT.secretKey, TEMPORARY.secretKey, TEMPORARY.token];
let running;
let home;

const imageIds = () => running.emulator.images(REGION).map((image) => image.ImageId);
const credentialEnv = (c = PERMANENT) => ({
  TENCENTCLOUD_SECRET_ID: c.secretId, TENCENTCLOUD_SECRET_KEY: c.secretKey, ...(c.token && { TENCENTCLOUD_SESSION_TOKEN: c.token }),
});

/** Runs the CLI; resolves {code, stdout, stderr}. Asserts no secret reached either stream. */
function tccvm(args, { env = credentialEnv(), input, endpoint = true } = {}) {
  const fullArgs = endpoint ? [...args, '--endpoint', running.url] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...fullArgs], {
      env: { PATH: process.env.PATH, HOME: home, TENCENTCLOUD_REGION: REGION, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      for (const secret of SECRETS) {
        assert.ok(!stdout.includes(secret) && !stderr.includes(secret), `a secret was printed by tccvm ${args.join(' ')}`);
      }
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

before(async () => {
  running = await startEmulator({ port: 0, log: null });
});
after(() => running.close());
beforeEach(() => {
  running.emulator.reset();
  home = mkdtempSync(path.join(tmpdir(), 'tccvm-cli-'));
});

describe('help, version, usage errors (exit 2)', () => {
  test('--version prints the package version', async () => {
    const { code, stdout } = await tccvm(['--version'], { endpoint: false });
    assert.equal(code, 0);
    assert.equal(stdout.trim(), `tccvm ${pkg.VERSION}`);
  });

  test('--help lists every flag and gives examples', async () => {
    const { code, stdout } = await tccvm(['--help'], { endpoint: false });
    assert.equal(code, 0);
    for (const flag of ['--ImageIds', '--image-ids', '--DryRun', '--DeleteBindedSnap', '--region', '--endpoint', '--host',
      '--profile', '--method', '--language', '--output', '--timeout', '--retries', '--cli-input-json', '--print-request',
      '--yes', '--ids-file', '--version', '--signature-method', '--use-cvm-role', '--role-name', '--metadata-url', 'Examples:', 'Exit status']) {
      assert.ok(stdout.includes(flag), flag);
    }
  });

  for (const [args, pattern] of [
    [[], /missing command/],
    [['frobnicate-images'], /unknown command/],
    [['delete-images', '--ImageIds', 'img-gznorm01', '--bogus'], /unknown option --bogus/],
    [['delete-images'], /needs --ImageIds or --ids-file/],
    [['delete-images', '--ImageIds'], /at least one value/],
    [['delete-images', '--ImageIds', 'img-gznorm01', '--timeout', 'soon'], /whole number/],
    [['delete-images', '--ImageIds', 'img-gznorm01', '--output', 'xml'], /json or table/],
    [['delete-images', '--ImageIds', 'img-gznorm01', '--method', 'PUT'], /method/],
    [['delete-images', '--ImageIds', 'img-gznorm01', '--DryRun=maybe'], /True or False/],
    [['delete-images', '--ImageIds', 'not-an-image-id'], /ImageIds/],
    [['delete-images', '--ImageIds', 'img-gznorm01', '--region', 'Not A Region'], /region/],
    [['delete-images', '--cli-input-json', 'file:///nonexistent.json'], /cannot read/],
  ]) {
    test(`tccvm ${args.join(' ') || '(nothing)'} → exit 2`, async () => {
      const { code, stderr } = await tccvm(args);
      assert.equal(code, 2, stderr);
      assert.match(stderr, pattern);
      assert.ok(!/\n\s+at /.test(stderr), 'no stack trace');
    });
  }

  for (const [flag, suggestion] of [['--DeleteBindedSnapshot', '--DeleteBindedSnap'], ['--dryrun', '--DryRun'],
    ['--imageids', '--ImageIds'], ['--regoin', '--region'], ['--print-requests', '--print-request']]) {
    test(`a mistyped flag gets the library's did-you-mean: ${flag} → ${suggestion}`, async () => {
      const { code, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', flag]);
      assert.equal(code, 2, stderr);
      assert.ok(stderr.includes(`unknown option ${flag}; did you mean ${suggestion}?`), stderr);
      assert.equal(pkg.internal.suggestName(flag.slice(2), [suggestion.slice(2), 'yes']), suggestion.slice(2), 'the same rule as the library');
      assert.ok(imageIds().includes('img-gznorm01'), 'nothing sent');
    });
  }

  test('a mistyped command gets the did-you-mean; one far from any gets the list', async () => {
    assert.match((await tccvm(['delete-image', '--ImageIds', 'img-gznorm01'])).stderr, /unknown command "delete-image" \(did you mean delete-images\?\)/);
    assert.match((await tccvm(['frobnicate'])).stderr, /unknown command "frobnicate" \(try delete-images, describe-images or prune-images\)/);
  });

  test('every usage error ends with one pointer to --help, not two', async () => {
    for (const args of [[], ['delete-images', '--bogus'], ['frobnicate-images']]) {
      const { code, stderr } = await tccvm(args);
      assert.equal(code, 2);
      assert.equal(stderr.match(/--help/g)?.length, 1, stderr);
      assert.match(stderr, /\(see tccvm --help\)\n$/);
    }
  });

  test('no region anywhere → exit 2', async () => {
    const { code, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01'], { env: { ...credentialEnv(), TENCENTCLOUD_REGION: '' } });
    assert.equal(code, 2);
    assert.match(stderr, /no region/);
  });
});

describe('delete-images', () => {
  test('deletes; JSON output is the API Response', async () => {
    const { code, stdout } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01']);
    assert.equal(code, 0);
    assert.match(JSON.parse(stdout).RequestId, /^[0-9a-f-]{36}$/);
    assert.ok(!imageIds().includes('img-gznorm01'));
  });

  test('--image-ids with tccli’s JSON array, --yes, --method GET, --output table, a temporary key', async () => {
    const { code, stdout } = await tccvm(['cvm', 'DeleteImages', '--image-ids', '["img-gznorm04","img-gznorm05"]', '--yes',
      '--method', 'GET', '--output', 'table'], { env: credentialEnv(TEMPORARY) });
    assert.equal(code, 0);
    assert.match(stdout, /^Deleted 2 images in ap-guangzhou\nImageId\s+Status\s+RequestId\n[- ]+\nimg-gznorm04\s+deleted\s+[0-9a-f-]{36}\nimg-gznorm05\s+deleted\s+[0-9a-f-]{36}\n$/);
    assert.ok(!imageIds().includes('img-gznorm04') && !imageIds().includes('img-gznorm05'));
  });

  test('without a terminal and without --yes, several images are deleted with one line on stderr saying so', async () => {
    const note = /^tccvm: deleting 2 images in ap-guangzhou without asking \(stdin is not a terminal\); --yes silences this note$/m;
    const quiet = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', 'img-gznorm03']);
    assert.equal(quiet.code, 0);
    assert.match(quiet.stderr, note);
    assert.equal(quiet.stderr.split('\n').filter(Boolean).length, 1, quiet.stderr);
    assert.ok(!imageIds().includes('img-gznorm01') && !imageIds().includes('img-gznorm03'), 'tccli\'s behaviour is kept: deleted');
    for (const args of [['--ImageIds', 'img-gznorm04', 'img-gznorm05', '--yes'], ['--ImageIds', 'img-gzcfail1'],
      ['--ImageIds', 'img-gznorm02', 'img-gzifail1', '--DryRun']]) {
      const { code, stderr } = await tccvm(['delete-images', ...args]);
      assert.equal(code, 0, stderr);
      assert.equal(stderr, '', args.join(' '));
    }
  });

  test('--DryRun deletes nothing; --DryRun False does', async () => {
    assert.equal((await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--DryRun'])).code, 0);
    assert.ok(imageIds().includes('img-gznorm01'));
    assert.equal((await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--DryRun', 'False'])).code, 0);
    assert.ok(!imageIds().includes('img-gznorm01'));
  });

  test('--DryRun --output table says "would delete" (title and status), not what a deletion says', async () => {
    const { code, stdout } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm04', 'img-gznorm05', '--DryRun', '--output', 'table']);
    assert.equal(code, 0);
    assert.match(stdout, /^DryRun: would delete 2 images in ap-guangzhou \(nothing was deleted\)\n/);
    assert.match(stdout, /\nimg-gznorm04\s+would-delete\s+[0-9a-f-]{36}\nimg-gznorm05\s+would-delete\s+[0-9a-f-]{36}\n$/);
    assert.ok(!/\bdeleted\b/.test(stdout.replace('nothing was deleted', '')), stdout);
    assert.ok(imageIds().includes('img-gznorm04'));
  });

  test('--DryRun --output json says "dryRun": true; a real delete\'s JSON does not', async () => {
    const dry = await tccvm(['delete-images', '--ImageIds', 'img-gznorm04', '--DryRun']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(JSON.parse(dry.stdout).dryRun, true);
    const bulk = await tccvm(['delete-images', '--ids-file', '-', '--DryRun'], { input: 'img-gznorm04\nimg-gznorm05\n' });
    assert.equal(bulk.code, 0, bulk.stderr);
    assert.equal(JSON.parse(bulk.stdout).dryRun, true);
    const real = await tccvm(['delete-images', '--ImageIds', 'img-gznorm04']);
    assert.equal(real.code, 0, real.stderr);
    assert.equal('dryRun' in JSON.parse(real.stdout), false);
  });

  test('--DeleteBindedSnap deletes the bound snapshots', async () => {
    assert.equal((await tccvm(['delete-images', '--ImageIds', 'img-gznorm02', '--DeleteBindedSnap'])).code, 0);
    assert.ok(!running.emulator.snapshots(REGION).some((s) => s.SnapshotId === 'snap-gznorm2s'));
  });

  test('an API error → exit 1 with the code and RequestId on stderr', async () => {
    const { code, stdout, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-gzcreat1']);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /InvalidImageId\.IncorrectState/);
    assert.match(stderr, /RequestId: [0-9a-f-]{36}/);
  });

  test('--language zh-CN: server messages in Chinese', async () => {
    const { code, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-gzzzzz99', '--language', 'zh-CN']);
    assert.equal(code, 1);
    assert.match(stderr, /镜像/);
  });

  test('--region picks the region', async () => {
    const { code } = await tccvm(['delete-images', '--ImageIds', 'img-shnorm01', '--region', 'ap-shanghai']);
    assert.equal(code, 0);
    assert.ok(!running.emulator.images('ap-shanghai').some((i) => i.ImageId === 'img-shnorm01'));
  });

  test('transient failures are retried (note on stderr); --retries 0 surfaces them', async () => {
    running.emulator.queueFaults([{ fault: '503-html', times: 1 }]);
    const retried = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01']);
    assert.equal(retried.code, 0);
    assert.match(retried.stderr, /succeeded after 2 attempts/);
    running.emulator.queueFaults([{ fault: '503-html', times: 1 }]);
    const once = await tccvm(['delete-images', '--ImageIds', 'img-gznorm03', '--retries', '0']);
    assert.equal(once.code, 1);
    assert.match(once.stderr, /ClientError\.HttpStatus/);
    assert.match(once.stderr, /HTTP status: 503/);
  });

  test('--timeout bounds each attempt', async () => {
    running.emulator.queueFaults([{ fault: 'delay:2000', times: 1, action: 'DescribeImages' }]);
    const started = Date.now();
    const { code, stderr } = await tccvm(['describe-images', '--timeout', '200', '--retries', '0']);
    assert.equal(code, 1);
    assert.match(stderr, /ClientError\.Timeout/);
    assert.ok(Date.now() - started < 1800);
  });

  test('--cli-input-json (file:// or a path); flags override it', async () => {
    const file = path.join(home, 'input.json');
    writeFileSync(file, JSON.stringify({ ImageIds: ['img-gznorm01'], DryRun: true }));
    assert.equal((await tccvm(['delete-images', '--cli-input-json', `file://${file}`])).code, 0);
    assert.ok(imageIds().includes('img-gznorm01'), 'DryRun from the file');
    assert.equal((await tccvm(['delete-images', '--cli-input-json', file, '--DryRun', 'false'])).code, 0);
    assert.ok(!imageIds().includes('img-gznorm01'), 'the flag won');
    writeFileSync(file, '{"ImageIds": [');
    const bad = await tccvm(['delete-images', '--cli-input-json', file]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not valid JSON/);
  });

  test('TCCVM_ENDPOINT stands in for --endpoint', async () => {
    const { code } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01'], { endpoint: false, env: { ...credentialEnv(), TCCVM_ENDPOINT: running.url } });
    assert.equal(code, 0);
  });
});

describe('Ctrl-C', () => {
  test('SIGINT while a request is in flight → ClientError.Aborted, exit 130', async () => {
    running.emulator.queueFaults([{ fault: 'delay:3000', times: 1, action: 'DeleteImages' }]);
    const child = spawn(process.execPath, [CLI, 'delete-images', '--ImageIds', 'img-gznorm01', '--endpoint', running.url], {
      env: { PATH: process.env.PATH, HOME: home, TENCENTCLOUD_REGION: REGION, ...credentialEnv() },
    });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    setTimeout(() => child.kill('SIGINT'), 500);
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 130);
    assert.match(stderr, /ClientError\.Aborted/);
    // The request had reached the server: its outcome is unknown, never "nothing deleted".
    assert.match(stderr, /outcome unknown: .*the images may be deleted/);
    assert.doesNotMatch(stderr, /nothing (was )?deleted/);
  });
});

describe('--print-request', () => {
  test('prints the signed request, canonical request and string to sign; sends nothing; masks the token', async () => {
    const deleteCalls = () => running.emulator.logLines().filter((line) => line.includes(' DeleteImages ')).length;
    const before = deleteCalls();
    const { code, stdout } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--print-request'], { env: credentialEnv(TEMPORARY) });
    assert.equal(code, 0);
    assert.ok(imageIds().includes('img-gznorm01'));
    assert.equal(deleteCalls(), before, 'nothing reached the emulator');
    assert.match(stdout, /^POST http:\/\/127\.0\.0\.1:\d+\/\n/);
    assert.match(stdout, /Authorization: TC3-HMAC-SHA256 Credential=AKIDemulatorDemoTemporaryKey00000002\/\d{4}-\d\d-\d\d\/cvm\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}/);
    assert.match(stdout, /X-TC-Token: <session token, \d+ characters, not shown>/);
    assert.match(stdout, /--- canonical request ---\nPOST\n\/\n\ncontent-type:application\/json\nhost:127\.0\.0\.1:\d+\n\ncontent-type;host\n[0-9a-f]{64}\n/);
    assert.match(stdout, /--- string to sign ---\nTC3-HMAC-SHA256\n\d+\n\d{4}-\d\d-\d\d\/cvm\/tc3_request\n[0-9a-f]{64}\n/);
  });

  test('--output json, --method GET and --host (the signed host)', async () => {
    const { code, stdout } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--print-request', '--output', 'json',
      '--method', 'GET', '--host', 'cvm.tencentcloudapi.com']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.request.method, 'GET');
    assert.match(report.request.url, /\?ImageIds\.0=img-gznorm01$/);
    assert.match(report.canonicalRequest, /^GET\n\/\nImageIds\.0=img-gznorm01\ncontent-type:application\/x-www-form-urlencoded\nhost:cvm\.tencentcloudapi\.com\n/);
    assert.equal(report.consistent, true);
  });

  test('describe-images --print-request', async () => {
    const { code, stdout } = await tccvm(['describe-images', '--Limit', '5', '--print-request']);
    assert.equal(code, 0);
    assert.match(stdout, /X-TC-Action: DescribeImages/);
    assert.match(stdout, /"Limit":5/);
  });
});

describe('--signature-method (legacy v1 signatures)', () => {
  for (const [method, signatureMethod] of [['GET', 'HmacSHA1'], ['POST', 'HmacSHA256']]) {
    test(`${signatureMethod} over ${method}, a temporary key: the emulator's v1 verifier accepts it`, async () => {
      const { code, stdout } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--method', method,
        '--signature-method', signatureMethod], { env: credentialEnv(TEMPORARY) });
      assert.equal(code, 0, stdout);
      assert.ok(!imageIds().includes('img-gznorm01'));
    });
  }

  test('--print-request shows the string to sign, masks the token, sends nothing', async () => {
    const { code, stdout } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--print-request', '--output', 'json',
      '--signature-method', 'HmacSHA256'], { env: credentialEnv(TEMPORARY) });
    assert.equal(code, 0);
    assert.ok(imageIds().includes('img-gznorm01'));
    const report = JSON.parse(stdout);
    assert.equal(report.signatureMethod, 'HmacSHA256');
    assert.match(report.stringToSign, /^POST127\.0\.0\.1:\d+\/\?Action=DeleteImages&ImageIds\.0=img-gznorm01&Nonce=\d+&Region=ap-guangzhou&SecretId=AKIDemulatorDemoTemporaryKey00000002&SignatureMethod=HmacSHA256&Timestamp=\d+&Token=<session token, not shown>&Version=2017-03-12$/);
    assert.deepEqual(report.request.headers, { 'Content-Type': 'application/x-www-form-urlencoded' });
    assert.match(report.request.body, /&Token=<session token, not shown>&.*&Signature=[A-Za-z0-9%]+$/);
  });

  test('--print-request masks the real token by name: a parameter value holding "&Token=" neither hides it nor is masked', async () => {
    const cases = [
      ['delete-images', '--ImageIds', 'img-aaaa&Token=x', '--signature-method', 'HmacSHA256'],
      ['delete-images', '--ImageIds', 'img-aaaa&Token=x', '--signature-method', 'HmacSHA1', '--method', 'GET'],
      ['describe-images', '--Filters', '[{"Name":"image-name","Values":["web&Token=y"]}]', '--signature-method', 'HmacSHA256', '--method', 'GET'],
    ];
    for (const args of cases) {
      for (const output of ['json', 'table']) {
        const { code, stdout, stderr } = await tccvm([...args, '--print-request', '--output', output], { env: credentialEnv(TEMPORARY) });
        assert.equal(code, 0, stderr);
        assert.ok(!stdout.includes(TEMPORARY.token) && !stderr.includes(TEMPORARY.token), `${args.join(' ')} --output ${output}: the token is printed`);
        assert.ok(!stdout.includes(encodeURIComponent(TEMPORARY.token)), `${args.join(' ')}: the encoded token is printed`);
        const value = args.includes('describe-images') ? 'Filters.0.Values.0=web&Token=y' : 'ImageIds.0=img-aaaa&Token=x';
        if (output === 'json') {
          const report = JSON.parse(stdout);
          assert.equal(report.consistent, true);
          assert.ok(report.stringToSign.includes(value), report.stringToSign);
          assert.ok(report.stringToSign.includes('&Token=<session token, not shown>&'), report.stringToSign);
          const sent = report.request.body ?? report.request.url.split('?')[1];
          assert.match(sent, /&Token=<session token, not shown>&/);
        } else {
          assert.ok(stdout.includes(value), stdout);
          assert.match(stdout, /Token=<session token, not shown>/);
        }
      }
    }
  });

  test('an unknown method is a usage error naming the choices', async () => {
    const { code, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--signature-method', 'HmacMD5']);
    assert.equal(code, 2);
    assert.match(stderr, /signMethod must be "TC3-HMAC-SHA256" \(the default\), "HmacSHA256" or "HmacSHA1"/);
  });
});

describe('--host', () => {
  test('a host the endpoint does not answer for fails verification (the emulator checks the Host it received)', async () => {
    const { code, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--host', 'cvm.tencentcloudapi.com']);
    assert.equal(code, 1);
    assert.match(stderr, /AuthFailure\.SignatureFailure/);
  });

  test('the endpoint’s own host:port is accepted', async () => {
    const { host } = new URL(running.url);
    assert.equal((await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--host', host])).code, 0);
  });
});

describe('credentials (exit 3) and --profile', () => {
  function writeProfiles() {
    mkdirSync(path.join(home, '.tencentcloud'), { recursive: true });
    writeFileSync(path.join(home, '.tencentcloud', 'credentials'),
      `[default]\nsecret_id = AKIDnotknownnotknownnotknown00000000\nsecret_key = nope\n\n[emu]\nsecret_id = ${PERMANENT.secretId}\nsecret_key = ${PERMANENT.secretKey}\nregion = ap-beijing\n`);
  }

  test('--profile reads the named profile, its region included', async () => {
    writeProfiles();
    const { code } = await tccvm(['delete-images', '--ImageIds', 'img-bjnorm01', '--profile', 'emu'], { env: { TENCENTCLOUD_REGION: '' } });
    assert.equal(code, 0);
    assert.ok(!running.emulator.images('ap-beijing').some((i) => i.ImageId === 'img-bjnorm01'));
  });

  test('keys from the environment, region from the [default] profile (as --help says)', async () => {
    mkdirSync(path.join(home, '.tencentcloud'), { recursive: true });
    writeFileSync(path.join(home, '.tencentcloud', 'credentials'), '[default]\nregion = ap-shanghai\n');
    const { code, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-shnorm01'], { env: { ...credentialEnv(), TENCENTCLOUD_REGION: '' } });
    assert.equal(code, 0, stderr);
    assert.ok(!running.emulator.images('ap-shanghai').some((i) => i.ImageId === 'img-shnorm01'));
  });

  test('[default] when the environment has no keys', async () => {
    writeProfiles();
    const { code, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01'], { env: {} });
    assert.equal(code, 1);
    assert.match(stderr, /AuthFailure\.SecretIdNotFound/);
  });

  test('an unknown profile → exit 3', async () => {
    writeProfiles();
    const { code, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--profile', 'nope'], { env: {} });
    assert.equal(code, 3);
    assert.match(stderr, /profile "nope" not found/);
  });

  test('no credentials anywhere → exit 3 listing where it looked', async () => {
    const { code, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01'], { env: {} });
    assert.equal(code, 3);
    assert.match(stderr, /TENCENTCLOUD_SECRET_ID/);
    assert.ok(stderr.includes(path.join(home, '.tencentcloud', 'credentials')));
  });
});

describe('--use-cvm-role (the emulator serves the metadata path)', () => {
  const role = (...more) => ['--use-cvm-role', '--metadata-url', running.url, ...more];

  test('deletes with the CAM role key from the metadata service; --role-name names the role', async () => {
    const { code, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', ...role()], { env: {} });
    assert.equal(code, 0, stderr);
    assert.ok(!imageIds().includes('img-gznorm01'));
    assert.equal(running.emulator.role.view().issued, 1);
    const named = await tccvm(['describe-images', ...role('--role-name', 'emulator-cvm-role')], { env: {} });
    assert.equal(named.code, 0, named.stderr);
  });

  test('TCCVM_METADATA_URL stands in for --metadata-url; --print-request signs with the role key and masks its token', async () => {
    const { code, stdout, stderr } = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--use-cvm-role', '--print-request'],
      { env: { TCCVM_METADATA_URL: running.url } });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Credential=AKIDemulatorRole/);
    assert.match(stdout, /session token, \d+ characters, not shown/);
    assert.ok(imageIds().includes('img-gznorm01'), 'nothing was sent');
  });

  test('with --profile, key variables, or --metadata-url / --role-name alone → usage error (exit 2)', async () => {
    for (const [args, env, pattern] of [
      [role('--profile', 'x'), {}, /--use-cvm-role and --profile exclude each other/],
      [role(), credentialEnv(), /--use-cvm-role and TENCENTCLOUD_SECRET_ID \/ TENCENTCLOUD_SECRET_KEY in the environment/],
      [['--metadata-url', running.url], credentialEnv(), /--metadata-url needs --use-cvm-role/],
      [['--role-name', 'r'], credentialEnv(), /--role-name needs --use-cvm-role/],
      [['--use-cvm-role', '--metadata-url', 'file:///etc'], {}, /--metadata-url: metadataUrl must look like https:\/\/host/],
      [role(), { TENCENTCLOUD_REGION: '' }, /no region/],
    ]) {
      const { code, stderr } = await tccvm(['describe-images', ...args], { env });
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, pattern);
    }
  });

  test('off a CVM (nothing answers at the metadata URL) or no role bound → exit 3, nothing sent', async () => {
    const closed = await new Promise((resolve) => {
      const server = createNetServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    });
    const off = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--use-cvm-role', '--metadata-url', `http://127.0.0.1:${closed}`], { env: {} });
    assert.equal(off.code, 3, off.stderr);
    assert.match(off.stderr, /tccvm: credentials: cannot reach the CVM metadata service .*not a CVM instance/);
    running.emulator.role.configure({ roleName: null });
    const unbound = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', ...role()], { env: {} });
    assert.equal(unbound.code, 3, unbound.stderr);
    assert.match(unbound.stderr, /no role is bound to this instance/);
    assert.ok(imageIds().includes('img-gznorm01'));
  });
});

// Confirmation needs a terminal on stdin: util-linux `script` provides a pseudo-terminal.
const hasScript = spawnSync('script', ['--version']).status === 0;
const CTRL_C = '\x03';

describe('interactive confirmation', { skip: !hasScript && 'no `script` command for a pseudo-terminal' }, () => {
  function inTerminal(args, answer) {
    const command = [process.execPath, CLI, ...args, '--endpoint', running.url].map((a) => `'${a}'`).join(' ');
    return new Promise((resolve) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        env: { PATH: process.env.PATH, HOME: home, TENCENTCLOUD_REGION: REGION, ...credentialEnv() },
      });
      let output = '';
      let answered = false;
      child.stdout.on('data', (d) => {
        output += d;
        if (/\[y\/N\]/.test(output) && !answered) {
          // An unexpected prompt gets "n" so that the test fails instead of hanging. Ctrl-C is a
          // keystroke of its own (no Enter).
          child.stdin.write(answer === CTRL_C ? CTRL_C : `${answer ?? 'n'}\n`);
          answered = true;
        }
      });
      child.on('close', (code) => resolve({ code, output }));
    });
  }

  test('declining deletes nothing → exit 4', async () => {
    const { code, output } = await inTerminal(['delete-images', '--ImageIds', 'img-gznorm04', 'img-gznorm05'], 'n');
    assert.match(output, /Delete 2 images \(img-gznorm04, img-gznorm05\) in ap-guangzhou\? \[y\/N\]/);
    assert.equal(code, 4);
    assert.ok(imageIds().includes('img-gznorm04'));
  });

  test('Ctrl-C at the prompt deletes nothing → exit 130 (interrupted), not 4 (declined)', async () => {
    const { code, output } = await inTerminal(['delete-images', '--ImageIds', 'img-gznorm04', 'img-gznorm05'], CTRL_C);
    assert.equal(code, 130, output);
    assert.match(output, /interrupted: nothing deleted/);
    assert.ok(imageIds().includes('img-gznorm04') && imageIds().includes('img-gznorm05'));
  });

  test('bulk on a terminal: the last progress line agrees with the table after a lost answer', async () => {
    running.emulator.queueFaults([{ fault: 'reset-after', times: 1, action: 'DeleteImages' }]);
    const file = path.join(home, 'ids.txt');
    writeFileSync(file, 'img-gznorm01\nimg-gznorm03\nimg-gznorm04\nimg-gznorm05\n');
    const { code, output } = await inTerminal(['delete-images', '--ids-file', file, '--yes', '--output', 'table']);
    assert.equal(code, 0, output);
    const footer = /\ntotal 4 · (.*)\r?\n/.exec(output);
    assert.ok(footer, output);
    assert.match(footer[1], /^probablyDeleted 4 · calls \d+$/);
    const progress = [...output.matchAll(/progress: ([^\r\n\x1b]*)/g)].map((m) => m[1]);
    assert.equal(progress.at(-1), `4/4 ids · ${footer[1]}`, progress.join(' | '));
  });

  test('accepting deletes → exit 0', async () => {
    const { code } = await inTerminal(['delete-images', '--ImageIds', 'img-gznorm04', 'img-gznorm05'], 'y');
    assert.equal(code, 0);
    assert.ok(!imageIds().includes('img-gznorm04'));
  });

  test('--yes, a single image or --DryRun do not ask', async () => {
    for (const args of [['--ImageIds', 'img-gznorm04', 'img-gznorm05', '--yes'], ['--ImageIds', 'img-gznorm01'],
      ['--ImageIds', 'img-gznorm02', 'img-gznorm03', '--DryRun']]) {
      const { code, output } = await inTerminal(['delete-images', ...args]);
      assert.equal(code, 0, output);
      assert.ok(!output.includes('[y/N]'));
    }
  });
});

describe('describe-images: pages', () => {
  // ap-singapore holds only these 41 images.
  const SG = 'ap-singapore';
  beforeEach(() => {
    running.emulator.addImages(SG, Array.from({ length: 41 }, (_, n) => ({ ImageId: `img-sg${String(n).padStart(6, '0')}`, ImageState: 'NORMAL' })));
  });

  test('the table says how many of how many, and the --Offset of the next page', async () => {
    const first = await tccvm(['describe-images', '--region', SG, '--output', 'table']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /\n20 of 41 — `--Offset 20` for the next page \(or --all for every page\)   RequestId: [0-9a-f-]{36}\n$/);
    assert.equal(first.stdout.split('\n').filter((l) => l.startsWith('img-sg')).length, 20);
    const last = await tccvm(['describe-images', '--region', SG, '--output', 'table', '--Offset', '40']);
    assert.match(last.stdout, /\n1 of 41 from --Offset 40   RequestId: /);
  });

  test('the table\'s columns are fields every declared Image has', async () => {
    const { stdout } = await tccvm(['describe-images', '--region', SG, '--output', 'table', '--Limit', '1']);
    const columns = stdout.split('\n')[0].trim().split(/\s+/);
    const required = pkg.internal.answerFields('DescribeImages').filter((f) => f.required).map((f) => f.path);
    assert.ok(columns.length >= 5, stdout);
    assert.deepEqual(columns.filter((c) => !required.includes(`ImageSet.*.${c}`)), []);
  });

  test('--all lists every page through the paginator, each image once (table and JSON)', async () => {
    const table = await tccvm(['describe-images', '--region', SG, '--output', 'table', '--all', '--Limit', '10']);
    assert.equal(table.code, 0, table.stderr);
    const rows = table.stdout.split('\n').filter((l) => l.startsWith('img-sg'));
    assert.equal(rows.length, 41);
    assert.equal(new Set(rows).size, 41);
    assert.match(table.stdout, /\n41 images \(every page, --all\)\n$/);
    const json = await tccvm(['describe-images', '--region', SG, '--all']);
    const answer = JSON.parse(json.stdout);
    assert.equal(answer.ImageSet.length, 41);
    assert.equal(answer.TotalCount, 41);
    assert.equal(answer.setChanged, false);
    const misuse = await tccvm(['delete-images', '--ImageIds', 'img-gznorm01', '--all']);
    assert.equal(misuse.code, 2);
    assert.match(misuse.stderr, /--all only applies to describe-images/);
  });
});
