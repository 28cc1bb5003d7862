// loadCredentials: arguments, environment, the INI profile file and tccli's files, in a temp HOME.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const { loadCredentials, CredentialsError } = createRequire(import.meta.url)('../../pkg/node.cjs');

const SECRET = 'profile-SECRET-never-in-messages-42';
let home;

function writeHomeFile(name, text) {
  mkdirSync(path.join(home, '.tencentcloud'), { recursive: true });
  const file = path.join(home, '.tencentcloud', name);
  writeFileSync(file, text);
  return file;
}

function thrown(fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CredentialsError, `${error.name}: ${error.message}`);
    assert.ok(!error.message.includes(SECRET) && !JSON.stringify(error).includes(SECRET), 'no secret in the error');
    assert.ok(!/\n\s+at /.test(error.message), 'no stack trace in the message');
    return error;
  }
  throw new Error('expected a CredentialsError');
}

beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'tccvm-home-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const INI = `# Tencent Cloud credentials
[default]
secret_id = AKIDdefaultdefaultdefaultdefault0001
secret_key = ${SECRET}
region = ap-shanghai

; a second profile, tccli-style spacing and quotes
[work]
secret_id="AKIDworkworkworkworkworkworkwork0002"
secret_key : ${SECRET}
token = work-session-token
`;

describe('sources, in order', () => {
  test('explicit arguments come first', () => {
    writeHomeFile('credentials', INI);
    const env = { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'env-key' };
    const found = loadCredentials({ secretId: 'AKIDarg', secretKey: 'arg-key', token: 't', env, home });
    assert.deepEqual(found, { secretId: 'AKIDarg', secretKey: 'arg-key', token: 't', region: 'ap-shanghai', source: 'arguments' });
  });

  test('the environment, with the SDK token name', () => {
    const env = {
      TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'env-key',
      TENCENTCLOUD_SESSION_TOKEN: 'sdk-token', TENCENTCLOUD_REGION: 'ap-beijing',
    };
    assert.deepEqual(loadCredentials({ env, home }),
      { secretId: 'AKIDenv', secretKey: 'env-key', token: 'sdk-token', region: 'ap-beijing', source: 'env' });
  });

  test('the environment, with tccli’s token name', () => {
    const env = { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'env-key', TENCENTCLOUD_TOKEN: 'cli-token' };
    assert.equal(loadCredentials({ env, home }).token, 'cli-token');
  });

  test('the environment beats the [default] profile; the profile still gives the region', () => {
    // As tccli's <profile>.configure region does: the region applies whichever source the keys
    // came from (tccvm --help: "default: TENCENTCLOUD_REGION, then the profile's region").
    writeHomeFile('credentials', INI);
    const env = { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'env-key' };
    const found = loadCredentials({ env, home });
    assert.equal(found.source, 'env');
    assert.equal(found.secretId, 'AKIDenv');
    assert.equal(found.region, 'ap-shanghai');
    assert.equal(loadCredentials({ env: { ...env, TENCENTCLOUD_REGION: 'ap-tokyo' }, home }).region, 'ap-tokyo', 'the environment first');
    assert.equal(loadCredentials({ env, home, region: 'ap-seoul' }).region, 'ap-seoul', 'an argument first');
    assert.equal(loadCredentials({ secretId: 'AKIDarg', secretKey: 'arg-key', env, home }).region, 'ap-shanghai', 'explicit keys too');
  });

  test('a profile with only a region gives the region; a missing file or section gives none', () => {
    writeHomeFile('credentials', '[default]\nregion = ap-nanjing\n');
    const env = { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'env-key' };
    assert.equal(loadCredentials({ env, home }).region, 'ap-nanjing');
    writeHomeFile('credentials', '[other]\nregion = ap-nanjing\n');
    assert.equal(loadCredentials({ env, home }).region, undefined);
    rmSync(path.join(home, '.tencentcloud'), { recursive: true });
    assert.equal(loadCredentials({ env, home }).region, undefined);
  });

  test('[default] of ~/.tencentcloud/credentials when the environment has nothing', () => {
    const file = writeHomeFile('credentials', INI);
    assert.deepEqual(loadCredentials({ env: {}, home }), {
      secretId: 'AKIDdefaultdefaultdefaultdefault0001', secretKey: SECRET, region: 'ap-shanghai', source: `profile:default (${file})`,
    });
  });

  test('a named profile wins over the environment; TENCENTCLOUD_REGION still sets the region', () => {
    writeHomeFile('credentials', INI);
    const env = { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'env-key', TENCENTCLOUD_REGION: 'ap-tokyo' };
    const found = loadCredentials({ profile: 'work', env, home });
    assert.equal(found.secretId, 'AKIDworkworkworkworkworkworkwork0002');
    assert.equal(found.token, 'work-session-token');
    assert.equal(found.region, 'ap-tokyo');
  });

  test('an explicit file', () => {
    const file = path.join(home, 'elsewhere.ini');
    writeFileSync(file, INI);
    assert.equal(loadCredentials({ file, env: {}, home }).source, `profile:default (${file})`);
  });

  test('tccli’s <profile>.credential and <profile>.configure region', () => {
    writeHomeFile('default.credential', JSON.stringify({ secretId: 'AKIDtccli', secretKey: SECRET }));
    writeHomeFile('default.configure', JSON.stringify({ _sys_param: { region: 'ap-singapore', output: 'json' } }));
    const found = loadCredentials({ env: {}, home });
    assert.equal(found.secretId, 'AKIDtccli');
    assert.equal(found.region, 'ap-singapore');
  });
});

describe('clear errors', () => {
  test('nothing found: lists every place it looked', () => {
    const error = thrown(() => loadCredentials({ env: {}, home }));
    assert.equal(error.code, 'CredentialsNotFound');
    assert.equal(error.searched.length, 4);
    for (const place of ['arguments', 'TENCENTCLOUD_SECRET_ID', path.join(home, '.tencentcloud', 'credentials'), 'default.credential']) {
      assert.ok(error.message.includes(place), `mentions ${place}`);
    }
  });

  test('an unknown profile names the profiles there are', () => {
    writeHomeFile('credentials', INI);
    const error = thrown(() => loadCredentials({ profile: 'nope', env: {}, home }));
    assert.equal(error.code, 'ProfileNotFound');
    assert.match(error.message, /default, work/);
  });

  test('a malformed line: file and line number, not the line', () => {
    const file = writeHomeFile('credentials', `[default]\nsecret_id = AKIDx\n${SECRET}\n`);
    const error = thrown(() => loadCredentials({ env: {}, home }));
    assert.equal(error.code, 'CredentialsFileMalformed');
    assert.equal(error.file, file);
    assert.equal(error.line, 3);
    assert.ok(error.message.startsWith(`${file}:3:`));
  });

  test('a key before any section', () => {
    writeHomeFile('credentials', `secret_key = ${SECRET}\n`);
    const error = thrown(() => loadCredentials({ env: {}, home }));
    assert.equal(error.line, 1);
  });

  test('a profile without secret_key', () => {
    writeHomeFile('credentials', '[default]\nsecret_id = AKIDx\n');
    assert.match(thrown(() => loadCredentials({ env: {}, home })).message, /no secret_key/);
  });

  test('an unknown option is an error with the did-you-mean, not a silent fall-back to [default]', () => {
    writeHomeFile('credentials', INI);
    const error = thrown(() => loadCredentials({ profle: 'work', env: {}, home }));
    assert.equal(error.code, 'InvalidArgument');
    assert.equal(error.message, 'loadCredentials: unknown option "profle"; did you mean profile?');
    assert.match(thrown(() => loadCredentials({ Region: 'ap-tokyo', env: {}, home })).message, /did you mean region\?/);
    assert.match(thrown(() => loadCredentials({ zzzzzzzzzz: 1, env: {}, home })).message,
      /unknown option "zzzzzzzzzz"; known: profile, env, home, file, secretId, secretKey, token, region$/);
  });

  test('half of the environment pair', () => {
    const error = thrown(() => loadCredentials({ env: { TENCENTCLOUD_SECRET_KEY: SECRET }, home }));
    assert.equal(error.code, 'CredentialsIncomplete');
    assert.match(error.message, /TENCENTCLOUD_SECRET_ID is not/);
  });

  test('tccli JSON that is not JSON', () => {
    writeHomeFile('default.credential', `{"secretKey": "${SECRET}"`);
    assert.equal(thrown(() => loadCredentials({ env: {}, home })).code, 'CredentialsFileMalformed');
  });
});
