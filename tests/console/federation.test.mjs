// federationToken (tencentcloud-cvm-wasm/console) against the emulator's STS GetFederationToken: a
// real signed API 3.0 call (service sts, version 2018-08-13) with a least-privilege CAM policy, the
// answer kept until refreshMarginMs before ExpiredTime; the emulator accepts the temporary key until
// it expires and refuses what its policy does not allow. Also the emulator's policy reading.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startEmulator } from '../../emulator/server.mjs';
import { policyAllows, readPolicy } from '../../emulator/sts.mjs';

const require = createRequire(import.meta.url);
const { federationToken } = require('../../pkg/console.cjs');
const { CvmClient, ValidationError, buildRequest } = require('../../pkg/node.cjs');

const REGION = 'ap-guangzhou';
let emu;
let permanent;
before(async () => {
  emu = await startEmulator({ port: 0, log: null });
  permanent = emu.emulator.credentials.find((c) => !c.token);
});
after(() => emu?.close());

describe('federationToken', () => {
  test('answers a provider\'s credentials; CvmClient calls what the policy allows and is refused the rest', async () => {
    emu.emulator.reset();
    const provider = federationToken({ credentials: permanent, allowActions: ['DescribeImages'], region: REGION, endpoint: emu.url, durationSeconds: 900 });
    assert.deepEqual(provider.policy, { version: '2.0', statement: [{ effect: 'allow', action: ['cvm:DescribeImages'], resource: ['*'] }] });
    const key = await provider();
    assert.deepEqual(Object.keys(key).sort(), ['expiration', 'secretId', 'secretKey', 'token']);
    assert.ok(Math.abs(key.expiration - (Date.now() + 900_000)) < 5000, 'expiration: ExpiredTime in ms');
    const client = new CvmClient({ credentials: provider, region: REGION, endpoint: emu.url });
    assert.equal(typeof (await client.describeImages({ Limit: 1 })).TotalCount, 'number');
    const refused = await client.deleteImages({ ImageIds: ['img-gznorm01'] }).catch((e) => e);
    assert.equal(refused.code, 'UnauthorizedOperation');
    assert.ok(emu.emulator.images(REGION).some((i) => i.ImageId === 'img-gznorm01'), 'nothing deleted');
  });

  test('kept until refreshMarginMs before expiry, one request for concurrent askers; then a new key', async () => {
    emu.emulator.reset();
    const kept = federationToken({ credentials: permanent, allowActions: ['DescribeImages'], region: REGION, endpoint: emu.url, durationSeconds: 600, refreshMarginMs: 60_000 });
    const [a, b] = await Promise.all([kept(), kept()]);
    assert.equal(a.secretId, b.secretId);
    assert.equal((await kept()).secretId, a.secretId);
    assert.equal(emu.emulator.sts.view().issued, 1);
    // A margin of all but 1 s of the lifetime: each ask after that second gets a new key.
    const short = federationToken({ credentials: permanent, allowActions: ['DescribeImages'], region: REGION, endpoint: emu.url, durationSeconds: 10, refreshMarginMs: 9_990 });
    const first = await short();
    await new Promise((r) => setTimeout(r, 30));
    const second = await short();
    assert.notEqual(first.secretId, second.secretId);
    assert.equal(emu.emulator.sts.view().issued, 3);
  });

  test('the emulator accepts the temporary key until it expires (AuthFailure.TokenFailure after)', async () => {
    emu.emulator.reset();
    const key = await federationToken({ credentials: permanent, allowActions: ['DescribeImages'], region: REGION, endpoint: emu.url, durationSeconds: 60, refreshMarginMs: 0 })();
    const client = new CvmClient({ ...key, expiration: undefined, region: REGION, endpoint: emu.url, correctClockSkew: false });
    assert.equal(typeof (await client.describeImages()).TotalCount, 'number');
    // 61 s later on the emulator's clock (a timestamp within the 300 s skew, an expired key).
    emu.emulator.setClockOffset(61);
    const expired = await client.describeImages().catch((e) => e);
    assert.equal(expired.code, 'AuthFailure.TokenFailure');
    emu.emulator.reset();
  });

  test('resources narrow the policy: a region the resource does not name is refused', async () => {
    emu.emulator.reset();
    const provider = federationToken({ credentials: permanent, allowActions: ['DescribeImages'], resources: ['qcs::cvm:ap-shanghai:uin/100000000001:image/*'], region: REGION, endpoint: emu.url });
    const shanghai = new CvmClient({ credentials: provider, region: 'ap-shanghai', endpoint: emu.url });
    assert.equal(typeof (await shanghai.describeImages()).TotalCount, 'number');
    const guangzhou = new CvmClient({ credentials: provider, region: REGION, endpoint: emu.url });
    assert.equal((await guangzhou.describeImages().catch((e) => e)).code, 'UnauthorizedOperation');
  });

  test('STS takes only a permanent key; bad options throw naming the option; the secret is in no message', async () => {
    const temp = emu.emulator.credentials.find((c) => c.token);
    assert.throws(() => federationToken({ credentials: temp, allowActions: ['DescribeImages'], region: REGION }), (e) => e instanceof ValidationError && e.field === 'credentials.token');
    for (const [options, field] of [
      [{ allowActions: [] }, 'allowActions'],
      [{ allowActions: ['Describe Images'] }, undefined],
      [{ durationSeconds: 0 }, 'durationSeconds'],
      [{ name: 'a b' }, 'name'],
      [{ refreshMarginMs: 2_000_000 }, 'refreshMarginMs'],
      [{ regoin: REGION }, 'regoin'],
      [{ region: 'ap-guangzou' }, 'region'],
      [{ resources: [] }, 'resources'],
    ]) {
      assert.throws(
        () => federationToken({ credentials: permanent, allowActions: ['DescribeImages'], region: REGION, ...options }),
        (e) => e instanceof ValidationError && (field === undefined || e.field === field) && !e.message.includes(permanent.secretKey),
        JSON.stringify(options),
      );
    }
    // A temporary key calling STS is refused by the emulator itself too.
    const req = buildRequest('GetFederationToken', { Name: 'x', Policy: encodeURIComponent('{"version":"2.0","statement":[{"effect":"allow","action":"cvm:*","resource":"*"}]}') }, { ...temp, region: REGION, endpoint: emu.url, service: 'sts', version: '2018-08-13' });
    const body = await (await fetch(req.url, req)).json();
    assert.equal(body.Response.Error.Code, 'UnauthorizedOperation');
  });

  test('an STS error reaches the caller as TencentCloudError; a provider failure fails CvmClient with ClientError.Credentials', async () => {
    const wrong = federationToken({ credentials: { secretId: permanent.secretId, secretKey: 'wrong-key-0000' }, allowActions: ['DescribeImages'], region: REGION, endpoint: emu.url });
    const e = await wrong().catch((x) => x);
    assert.equal(e.code, 'AuthFailure.SignatureFailure');
    assert.ok(!e.message.includes('wrong-key-0000'));
    const client = new CvmClient({ credentials: wrong, region: REGION, endpoint: emu.url });
    const failed = await client.describeImages().catch((x) => x);
    assert.equal(failed.code, 'ClientError.Credentials');
  });
});

describe('the emulator\'s CAM policies', () => {
  const policy = (statement) => encodeURIComponent(JSON.stringify({ version: '2.0', statement }));

  test('allow by service:Action or service:*, deny wins, resources by service and region', () => {
    const s = readPolicy(policy([
      { effect: 'allow', action: ['cvm:DescribeImages', 'cvm:DeleteImages'], resource: '*' },
      { effect: 'deny', action: 'cvm:DeleteImages', resource: 'qcs::cvm:ap-beijing::image/*' },
    ]));
    assert.equal(policyAllows(s, 'cvm', 'DescribeImages', 'ap-guangzhou'), true);
    assert.equal(policyAllows(s, 'cvm', 'DeleteImages', 'ap-guangzhou'), true);
    assert.equal(policyAllows(s, 'cvm', 'DeleteImages', 'ap-beijing'), false);
    assert.equal(policyAllows(s, 'cvm', 'RunInstances', 'ap-guangzhou'), false);
    assert.equal(policyAllows(s, 'sts', 'GetFederationToken', 'ap-guangzhou'), false);
    assert.equal(policyAllows(readPolicy(policy([{ effect: 'allow', action: 'cvm:*', resource: '*' }])), 'cvm', 'Anything', 'x'), true);
  });

  test('a malformed policy is InvalidParameterValue; principal is refused', () => {
    for (const bad of ['not-json', policy([]), encodeURIComponent('{"version":"1.0","statement":[]}'), policy([{ effect: 'maybe', action: '*', resource: '*' }]), policy([{ effect: 'allow', action: [], resource: '*' }]), policy([{ effect: 'allow', action: '*', resource: '*', principal: { qcs: ['x'] } }])]) {
      assert.throws(() => readPolicy(bad), (e) => e.code === 'InvalidParameterValue', bad);
    }
  });
});
