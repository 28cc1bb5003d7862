// Every rule of validateDeleteImages and of buildDeleteImages' options: each failure is a
// ValidationError naming the offending field and the Tencent code (src/actions/delete_images.rs,
// src/request/mod.rs, src/request/region.rs, src/request/endpoint.rs), and no error ever carries the secret key.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import util from 'node:util';
import { loadCjs, thrown } from './support.mjs';

const api = await loadCjs();
const { ValidationError, TencentCloudError, validateDeleteImages, buildDeleteImages, validateRegion, isKnownRegion, KNOWN_REGIONS, MAX_IMAGE_IDS_PER_CALL } = api;

/** Asserts `f` throws a ValidationError with this field and code; returns it. */
function rejects(f, field, code, label) {
  const err = thrown(f, label);
  assert.ok(err instanceof ValidationError, `${label}: expected a ValidationError, got ${err && err.name}: ${err && err.message}`);
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'ValidationError', label);
  assert.equal(err.field, field, `${label}: field`);
  assert.equal(err.code, code, `${label}: code`);
  assert.equal(typeof err.message, 'string');
  assert.ok(err.message.length > 0, `${label}: empty message`);
  assert.ok(!(err instanceof TencentCloudError));
  return err;
}

const ids = (n) => Array.from({ length: n }, (_, i) => `img-${String(i).padStart(8, '0')}`);

describe('validateDeleteImages: ImageIds', () => {
  test('missing, null, undefined or empty → MissingParameter on ImageIds', () => {
    for (const [label, params] of [
      ['{}', {}],
      ['null', { ImageIds: null }],
      ['undefined', { ImageIds: undefined }],
      ['[]', { ImageIds: [] }],
      ['only flags', { DryRun: true }],
    ]) {
      rejects(() => validateDeleteImages(params), 'ImageIds', 'MissingParameter', label);
    }
  });

  test('not an array → InvalidParameter on ImageIds', () => {
    for (const value of ['img-abc', 5, true, { 0: 'img-a' }, { length: 1, 0: 'img-a' }]) {
      rejects(() => validateDeleteImages({ ImageIds: value }), 'ImageIds', 'InvalidParameter', JSON.stringify(value));
    }
  });

  test('a non-string element → InvalidParameter on ImageIds.N', () => {
    for (const [value, index] of [
      [['img-a', 7], 1],
      [[null], 0],
      [['img-a', 'img-b', ['img-c']], 2],
      [[{ id: 'img-a' }], 0],
      [[true], 0],
      [['img-a', undefined], 1],
    ]) {
      rejects(() => validateDeleteImages({ ImageIds: value }), `ImageIds.${index}`, 'InvalidParameter', String(value));
    }
  });

  test('an id not of the img-… form → InvalidImageId.Malformed on ImageIds.N', () => {
    for (const bad of ['ins-abc', 'img-', 'IMG-abc', 'Img-abc', ' img-abc', 'img-abc ', 'img-a b', 'img-a\nb', 'img-a\tb', 'img-a\u0000', 'img-a\u2028b', '', 'img', 'abc', `img-${'x'.repeat(125)}`]) {
      const err = rejects(() => validateDeleteImages({ ImageIds: ['img-ok', bad] }), 'ImageIds.1', 'InvalidImageId.Malformed', JSON.stringify(bad));
      assert.ok(err.message.includes('img-'), err.message);
    }
  });

  test('ids of the img-… form are left to the server (unicode, odd characters, 128 bytes)', () => {
    const ok = ['img-mfih409y', 'img-34vaef8fe', 'img-未命名', 'img-a&b=c', "img-~*'()!", 'img-😀', 'img-%41', `img-${'x'.repeat(124)}`];
    assert.deepEqual(validateDeleteImages({ ImageIds: ok }), { ImageIds: ok });
  });

  test('duplicates → InvalidParameterValue on the repeat, naming the first', () => {
    const err = rejects(() => validateDeleteImages({ ImageIds: ['img-a', 'img-b', 'img-a'] }), 'ImageIds.2', 'InvalidParameterValue', 'repeat');
    assert.ok(err.message.includes('ImageIds.0'), err.message);
    rejects(() => validateDeleteImages({ ImageIds: ['img-x', 'img-y', 'img-z', 'img-y'] }), 'ImageIds.3', 'InvalidParameterValue', 'second repeat');
  });

  test('ids differing only in case are not duplicates', () => {
    assert.deepEqual(validateDeleteImages({ ImageIds: ['img-abc', 'img-ABC'] }).ImageIds, ['img-abc', 'img-ABC']);
  });

  test(`at most MAX_IMAGE_IDS_PER_CALL (${MAX_IMAGE_IDS_PER_CALL}) ids; one more → InvalidParameterValue.LimitExceeded`, () => {
    assert.equal(MAX_IMAGE_IDS_PER_CALL, 100);
    assert.equal(validateDeleteImages({ ImageIds: ids(MAX_IMAGE_IDS_PER_CALL) }).ImageIds.length, MAX_IMAGE_IDS_PER_CALL);
    const err = rejects(() => validateDeleteImages({ ImageIds: ids(MAX_IMAGE_IDS_PER_CALL + 1) }), 'ImageIds', 'InvalidParameterValue.LimitExceeded', '101 ids');
    assert.ok(err.message.includes(String(MAX_IMAGE_IDS_PER_CALL)), err.message);
    rejects(() => validateDeleteImages({ ImageIds: ids(5000) }), 'ImageIds', 'InvalidParameterValue.LimitExceeded', '5000 ids');
  });

  test('the result is a fresh normalised object', () => {
    const input = { ImageIds: ['img-a'], DryRun: 'True' };
    const out = validateDeleteImages(input);
    assert.deepEqual(out, { ImageIds: ['img-a'], DryRun: true });
    assert.notEqual(out.ImageIds, input.ImageIds);
    assert.deepEqual(input, { ImageIds: ['img-a'], DryRun: 'True' }, 'the input is not modified');
  });
});

describe('validateDeleteImages: params and unknown keys', () => {
  test('params that are not an object → InvalidParameter on params', () => {
    for (const value of [[], 'img-1', 5, null, undefined, true]) {
      rejects(() => validateDeleteImages(value), 'params', 'InvalidParameter', String(value));
    }
  });

  test('DeleteBindedSnapshot → UnknownParameter, suggesting DeleteBindedSnap', () => {
    const err = rejects(() => validateDeleteImages({ ImageIds: ['img-a'], DeleteBindedSnapshot: true }), 'DeleteBindedSnapshot', 'UnknownParameter', 'DeleteBindedSnapshot');
    assert.match(err.message, /DeleteBindedSnap\b(?!shot)/, err.message);
  });

  test('imageIds → UnknownParameter, suggesting ImageIds', () => {
    const err = rejects(() => validateDeleteImages({ imageIds: ['img-a'] }), 'imageIds', 'UnknownParameter', 'imageIds');
    assert.ok(err.message.includes('ImageIds'), err.message);
  });

  test('other near misses suggest the right name; far ones list the known names', () => {
    for (const [key, want] of [['dryRun', 'DryRun'], ['DryRuns', 'DryRun'], ['ImageId', 'ImageIds'], ['deletebindedsnap', 'DeleteBindedSnap']]) {
      const err = rejects(() => validateDeleteImages({ ImageIds: ['img-a'], [key]: true }), key, 'UnknownParameter', key);
      assert.ok(err.message.includes(want), `${key}: ${err.message}`);
    }
    const err = rejects(() => validateDeleteImages({ ImageIds: ['img-a'], Zzzzzzzzzz: 1 }), 'Zzzzzzzzzz', 'UnknownParameter', 'far');
    for (const name of ['ImageIds', 'DryRun', 'DeleteBindedSnap']) assert.ok(err.message.includes(name), err.message);
  });

  test('an unknown key set to undefined is ignored like an absent one', () => {
    assert.deepEqual(validateDeleteImages({ ImageIds: ['img-a'], Foo: undefined }), { ImageIds: ['img-a'] });
  });
});

describe('validateDeleteImages: DryRun and DeleteBindedSnap', () => {
  const SPELLINGS = [[true, true], [false, false], ['True', true], ['False', false], ['true', true], ['false', false]];

  for (const flag of ['DryRun', 'DeleteBindedSnap']) {
    test(`${flag}: true/false/"True"/"False"/"true"/"false" are accepted and normalised to booleans`, () => {
      for (const [given, want] of SPELLINGS) {
        const out = validateDeleteImages({ ImageIds: ['img-a'], [flag]: given });
        assert.deepEqual(out, { ImageIds: ['img-a'], [flag]: want }, `${flag}: ${JSON.stringify(given)}`);
        assert.equal(typeof out[flag], 'boolean');
      }
    });

    test(`${flag}: anything else → InvalidParameter on ${flag}`, () => {
      for (const bad of [1, 0, 'yes', 'no', 'TRUE', 'FALSE', '1', '', ' true', [], {}, [true]]) {
        rejects(() => validateDeleteImages({ ImageIds: ['img-a'], [flag]: bad }), flag, 'InvalidParameter', `${flag}: ${JSON.stringify(bad)}`);
      }
    });

    test(`${flag}: null counts as absent (src/actions/delete_images.rs flag) and undefined too`, () => {
      for (const absent of [null, undefined]) {
        const out = validateDeleteImages({ ImageIds: ['img-a'], [flag]: absent });
        assert.deepEqual(out, { ImageIds: ['img-a'] });
        assert.equal(flag in out, false);
      }
    });
  }

  test('both flags together', () => {
    assert.deepEqual(validateDeleteImages({ DeleteBindedSnap: 'True', ImageIds: ['img-mfih409y'], DryRun: 'True' }), {
      ImageIds: ['img-mfih409y'],
      DryRun: true,
      DeleteBindedSnap: true,
    });
  });
});

// ---- options of buildDeleteImages ----

// A distinctive secret: no error, however it is printed, may contain it.
const SECRET = 'sEcReT-9f3Kq7ZpW2xVbN8mLr4TtYy';
const OPTIONS = { secretId: 'AKIDvalidation0000000000000000000000', secretKey: SECRET, region: 'ap-guangzhou', timestamp: 1551113065 };
const PARAMS = { ImageIds: ['img-mfih409y'] };

const collected = [];
/** Every options error goes through here: field and code asserted, and collected for the secret check. */
function rejectsOptions(overrides, field, code, label = JSON.stringify(overrides)) {
  const options = { ...OPTIONS, ...overrides };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete options[k];
  const err = rejects(() => buildDeleteImages(PARAMS, options), field, code, label);
  collected.push([label, err]);
  return err;
}

function assertNoSecret(err, label, secret = SECRET) {
  for (const [how, text] of [
    ['message', err.message],
    ['stack', String(err.stack)],
    ['JSON.stringify', JSON.stringify(err)],
    ['util.inspect', util.inspect(err, { depth: 10, showHidden: true })],
    ['String', String(err)],
  ]) {
    assert.equal(text.includes(secret), false, `${label}: the secret key appears in ${how}: ${text}`);
  }
}

describe('buildDeleteImages options', () => {
  test('the base options are valid', () => {
    const req = buildDeleteImages(PARAMS, OPTIONS);
    assert.equal(req.method, 'POST');
  });

  test('missing or empty secretId / secretKey / region → MissingParameter on that field', () => {
    for (const field of ['secretId', 'secretKey', 'region']) {
      rejectsOptions({ [field]: undefined }, field, 'MissingParameter', `${field} missing`);
      rejectsOptions({ [field]: null }, field, 'MissingParameter', `${field} null`);
      rejectsOptions({ [field]: '' }, field, 'MissingParameter', `${field} empty`);
    }
  });

  test('credentials of the wrong type → InvalidParameter on that field', () => {
    for (const field of ['secretId', 'secretKey', 'token', 'region']) {
      rejectsOptions({ [field]: 12345 }, field, 'InvalidParameter', `${field} number`);
      rejectsOptions({ [field]: { value: SECRET } }, field, 'InvalidParameter', `${field} object`);
    }
  });

  test('secretId or token with spaces or control characters → InvalidParameterValue', () => {
    rejectsOptions({ secretId: 'AKID with space' }, 'secretId', 'InvalidParameterValue');
    rejectsOptions({ secretId: 'AKID\nX-Injected: 1' }, 'secretId', 'InvalidParameterValue');
    rejectsOptions({ token: 'tok en' }, 'token', 'InvalidParameterValue');
    rejectsOptions({ token: 'tok\r\nX-Injected: 1' }, 'token', 'InvalidParameterValue');
  });

  test('bad region shapes → ValidationError on region', () => {
    for (const bad of ['guangzhou', 'AP-guangzhou', 'ap_guangzhou', 'ap-', '-ap', 'ap--x', 'ap-guang zhou', 'a-b', 'abcde-x', 'ap-guangzhou\n', 'ap-广州', `ap-${'x'.repeat(40)}`]) {
      rejectsOptions({ region: bad }, 'region', 'InvalidParameterValue', JSON.stringify(bad));
    }
  });

  test('an unknown but well-formed region is accepted (me-riyadh2)', () => {
    const req = buildDeleteImages(PARAMS, { ...OPTIONS, region: 'me-riyadh2' });
    assert.equal(req.headers['X-TC-Region'], 'me-riyadh2');
    assert.equal(isKnownRegion('me-riyadh2'), false);
  });

  test('bad method → InvalidParameterValue on method', () => {
    for (const bad of ['post', 'get', 'PUT', 'DELETE', 'HEAD', '', ' POST']) {
      rejectsOptions({ method: bad }, 'method', 'InvalidParameterValue', JSON.stringify(bad));
    }
    rejectsOptions({ method: 1 }, 'method', 'InvalidParameter', 'method number');
  });

  test('bad language → InvalidParameterValue on language', () => {
    for (const bad of ['zh-cn', 'en', 'en-us', 'fr-FR', 'zh_CN', '']) {
      rejectsOptions({ language: bad }, 'language', 'InvalidParameterValue', JSON.stringify(bad));
    }
    for (const ok of ['zh-CN', 'en-US']) assert.equal(buildDeleteImages(PARAMS, { ...OPTIONS, language: ok }).headers['X-TC-Language'], ok);
  });

  test('bad endpoint → InvalidParameterValue on endpoint', () => {
    for (const bad of [
      'ftp://cvm.tencentcloudapi.com',
      'https://cvm.tencentcloudapi.com/?Action=DeleteImages',
      'https://cvm.tencentcloudapi.com/#frag',
      'https://user:pass@cvm.tencentcloudapi.com/',
      'https://user@cvm.tencentcloudapi.com/',
      'cvm.tencentcloudapi.com',
      'https://',
      'https://cvm.tencentcloudapi.com:0/',
      'https://cvm.tencentcloudapi.com:99999/',
      'https://cvm tencentcloudapi.com/',
      'https://cvm.tencentcloudapi.com/a b',
      'javascript:alert(1)',
      '',
    ]) {
      rejectsOptions({ endpoint: bad }, 'endpoint', 'InvalidParameterValue', JSON.stringify(bad));
    }
  });

  test('bad host option → InvalidParameterValue on host', () => {
    for (const bad of ['cvm tencentcloudapi.com', 'cvm.tencentcloudapi.com/path', 'user@host', '', 'host:99999']) {
      rejectsOptions({ host: bad }, 'host', 'InvalidParameterValue', JSON.stringify(bad));
    }
  });

  test('timestamp in milliseconds → InvalidParameterValue, and the message says so', () => {
    const err = rejectsOptions({ timestamp: 1551113065000 }, 'timestamp', 'InvalidParameterValue', 'ms');
    assert.match(err.message, /milliseconds/, err.message);
    const now = rejectsOptions({ timestamp: Date.now() }, 'timestamp', 'InvalidParameterValue', 'Date.now()');
    assert.match(now.message, /milliseconds/, now.message);
  });

  test('fractional, negative, non-finite or non-number timestamps are rejected', () => {
    rejectsOptions({ timestamp: 1551113065.5 }, 'timestamp', 'InvalidParameterValue', 'fractional');
    rejectsOptions({ timestamp: Date.now() / 1000 + 0.25 }, 'timestamp', 'InvalidParameterValue', 'Date.now()/1000');
    rejectsOptions({ timestamp: -1 }, 'timestamp', 'InvalidParameterValue', 'negative');
    rejectsOptions({ timestamp: NaN }, 'timestamp', 'InvalidParameter', 'NaN');
    rejectsOptions({ timestamp: Infinity }, 'timestamp', 'InvalidParameter', 'Infinity');
    rejectsOptions({ timestamp: '1551113065' }, 'timestamp', 'InvalidParameter', 'string');
    rejectsOptions({ timestamp: 1551113065n }, 'timestamp', 'InvalidParameter', 'BigInt');
  });

  test('timestamp 0 and integral values are accepted', () => {
    assert.equal(buildDeleteImages(PARAMS, { ...OPTIONS, timestamp: 0 }).headers['X-TC-Timestamp'], '0');
    assert.equal(buildDeleteImages(PARAMS, { ...OPTIONS, timestamp: 1551113065.0 }).headers['X-TC-Timestamp'], '1551113065');
  });

  test('unknown option keys → UnknownParameter naming the key, suggesting the right one', () => {
    for (const [key, hint] of [['secretkey', 'secretKey'], ['regoin', 'region'], ['Timestamp', 'timestamp'], ['signaction', 'signAction'], ['endPoint', 'endpoint']]) {
      const err = rejectsOptions({ [key]: 'x' }, key, 'UnknownParameter', key);
      assert.ok(err.message.includes(hint), `${key}: ${err.message}`);
    }
    // version/service belong to buildRequest only.
    rejectsOptions({ version: '2017-03-12' }, 'version', 'UnknownParameter', 'version');
    rejectsOptions({ service: 'cvm' }, 'service', 'UnknownParameter', 'service');
  });

  test('signAction accepts booleans and rejects other values', () => {
    rejectsOptions({ signAction: 'yes' }, 'signAction', 'InvalidParameter', 'signAction yes');
    rejectsOptions({ signAction: 1 }, 'signAction', 'InvalidParameter', 'signAction 1');
    assert.equal(buildDeleteImages(PARAMS, { ...OPTIONS, signAction: true }).signing.signedHeaders, 'content-type;host;x-tc-action');
    assert.equal(buildDeleteImages(PARAMS, { ...OPTIONS, signAction: false }).signing.signedHeaders, 'content-type;host');
  });

  test('options that are not an object → InvalidParameter on options', () => {
    for (const bad of [undefined, null, 'secret', 5, []]) {
      rejects(() => buildDeleteImages(PARAMS, bad), 'options', 'InvalidParameter', String(bad));
    }
  });

  test('parameter errors come out of buildDeleteImages the same as from validateDeleteImages', () => {
    const err = rejects(() => buildDeleteImages({ ImageIds: ['img-a'], DeleteBindedSnapshot: true }, OPTIONS), 'DeleteBindedSnapshot', 'UnknownParameter', 'via build');
    collected.push(['via build', err]);
    collected.push(['bad id', rejects(() => buildDeleteImages({ ImageIds: ['ins-1'] }, OPTIONS), 'ImageIds.0', 'InvalidImageId.Malformed', 'bad id')]);
  });

  test('the secret key never appears in any error (message, stack, JSON.stringify, util.inspect)', () => {
    assert.ok(collected.length >= 50, `only ${collected.length} errors collected: run the whole file`);
    for (const [label, err] of collected) assertNoSecret(err, label);
  });

  // src/request/mod.rs promises that option values of the wrong type are never quoted: "it may be a
  // secret put in the wrong place". So are the credential fields (a swapped key pair, a key read
  // from a file with its newline).
  test('nor when a secret sits in a credential field or in an option of the wrong type', () => {
    const cases = [
      [{ secretId: `${SECRET} `, secretKey: 'x' }, 'secretId'],
      [{ secretId: `${SECRET}\n` }, 'secretId'],
      [{ token: `${SECRET} ` }, 'token'],
      [{ secretKey: [SECRET] }, 'secretKey'],
      [{ secretKey: { key: SECRET } }, 'secretKey'],
      [{ timestamp: SECRET }, 'timestamp'],
      [{ signAction: SECRET }, 'signAction'],
    ];
    const leaks = [];
    for (const [overrides, field] of cases) {
      const options = { ...OPTIONS, ...overrides };
      const err = thrown(() => buildDeleteImages(PARAMS, options), field);
      assert.ok(err instanceof ValidationError, `${field}: ${err.message}`);
      assert.equal(err.field, field);
      try {
        assertNoSecret(err, `secret in ${field}`);
      } catch (e) {
        leaks.push(e.message);
      }
    }
    assert.deepEqual(leaks, [], 'errors that print the secret');
  });

  test('a getter that throws while reading options becomes a ValidationError, not a crash', () => {
    const options = { ...OPTIONS };
    Object.defineProperty(options, 'region', { enumerable: true, get() { throw new Error('boom'); } });
    const err = thrown(() => buildDeleteImages(PARAMS, options));
    assert.ok(err instanceof ValidationError, err.message);
    assert.equal(err.code, 'InvalidParameter');
    // Which name the error gives is not specified: the argument or the field read.
    assert.ok(['options', 'region'].includes(err.field), err.field);
    assertNoSecret(err, 'getter');
    // The core still works afterwards.
    assert.equal(buildDeleteImages(PARAMS, OPTIONS).method, 'POST');
  });

  test('cyclic params → ValidationError, not a crash', () => {
    const params = { ImageIds: ['img-a'] };
    params.self = params;
    const err = rejects(() => validateDeleteImages(params), 'self', 'InvalidParameter', 'cycle');
    assert.ok(err instanceof ValidationError);
  });
});

describe('strings that cannot be signed faithfully', () => {
  test('an unpaired UTF-16 surrogate in an id is refused, not replaced by U+FFFD and signed', () => {
    for (const id of ['img-\ud800', 'img-a\udc00b', 'img-\ude00\ud83d']) {
      for (const call of [() => validateDeleteImages({ ImageIds: [id] }), () => buildDeleteImages({ ImageIds: [id] }, { ...OPTIONS, method: 'GET' })]) {
        const err = thrown(call, JSON.stringify(id));
        assert.ok(err instanceof ValidationError, `${JSON.stringify(id)}: ${err.message}`);
        assert.equal(err.code, 'InvalidParameterValue', JSON.stringify(id));
        assert.ok(['params', 'ImageIds.0'].includes(err.field), err.field);
      }
    }
    // A well-formed pair is fine.
    assert.deepEqual(validateDeleteImages({ ImageIds: ['img-\ud83d\ude00'] }), { ImageIds: ['img-😀'] });
  });
});

describe('validateRegion, isKnownRegion, KNOWN_REGIONS', () => {
  // Reference tencent-api-3.md §3.
  const REFERENCE_REGIONS = [
    'ap-bangkok', 'ap-beijing', 'ap-chengdu', 'ap-chongqing', 'ap-guangzhou', 'ap-hongkong', 'ap-jakarta', 'ap-mumbai',
    'ap-nanjing', 'ap-seoul', 'ap-shanghai', 'ap-shanghai-fsi', 'ap-shenzhen-fsi', 'ap-singapore', 'ap-tokyo',
    'eu-frankfurt', 'eu-moscow', 'na-ashburn', 'na-siliconvalley', 'na-toronto', 'sa-saopaulo',
  ];

  test('KNOWN_REGIONS holds every region of the reference, is frozen and well formed', () => {
    assert.ok(Object.isFrozen(KNOWN_REGIONS));
    assert.ok(Array.isArray(KNOWN_REGIONS));
    for (const r of REFERENCE_REGIONS) assert.ok(KNOWN_REGIONS.includes(r), `${r} missing`);
    assert.equal(new Set(KNOWN_REGIONS).size, KNOWN_REGIONS.length, 'no duplicates');
    for (const r of KNOWN_REGIONS) {
      assert.equal(validateRegion(r), r);
      assert.equal(isKnownRegion(r), true, r);
    }
    assert.throws(() => KNOWN_REGIONS.push('xx-yy'), TypeError);
  });

  test('validateRegion returns well-formed regions, known or not', () => {
    for (const r of ['ap-guangzhou', 'me-riyadh2', 'ap-guangzhou-open', 'na-siliconvalley', 'eu-x1']) assert.equal(validateRegion(r), r);
  });

  test('validateRegion rejects bad shapes with field region', () => {
    for (const bad of ['guangzhou', 'AP-guangzhou', 'ap_guangzhou', 'ap-', '-ap', 'ap--x', 'ap-guang zhou', 'a-b', 'abcde-x', 'ap-guangzhou\n', 'ap-广州', `ap-${'x'.repeat(40)}`]) {
      rejects(() => validateRegion(bad), 'region', 'InvalidParameterValue', JSON.stringify(bad));
    }
    rejects(() => validateRegion(''), 'region', 'MissingParameter', 'empty');
    for (const bad of [undefined, null, 5, ['ap-guangzhou'], { region: 'ap-guangzhou' }]) {
      rejects(() => validateRegion(bad), 'region', 'InvalidParameter', String(bad));
    }
  });

  test('isKnownRegion is exact and never throws', () => {
    for (const r of ['me-riyadh2', 'AP-GUANGZHOU', 'ap-guangzhou ', '', 'guangzhou']) assert.equal(isKnownRegion(r), false, r);
    for (const v of [undefined, null, 5, {}, ['ap-guangzhou']]) assert.equal(isKnownRegion(v), false, String(v));
  });
});
