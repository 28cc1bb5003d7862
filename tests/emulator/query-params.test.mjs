// GET parameter decoding: strict percent-decoding and the Name.N / Name.Key flattening.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseQueryParams, percentDecode } from '../../emulator/query-params.mjs';

const plain = (value) => JSON.parse(JSON.stringify(value));
const rejects = (fn, pattern) => assert.throws(fn, (error) => error.code === 'InvalidParameter' && pattern.test(error.message));

describe('percentDecode', () => {
  test('decodes UTF-8 sequences in either hex case', () => {
    assert.equal(percentDecode('%E6%9C%AA%e5%91%bd'), '未命');
    assert.equal(percentDecode('a%20b'), 'a b');
  });
  test('keeps + as a plus (RFC 3986, not HTML forms)', () => assert.equal(percentDecode('a+b'), 'a+b'));
  test('refuses a bare or short %', () => {
    rejects(() => percentDecode('100%'), /percent-encoding/);
    rejects(() => percentDecode('%4'), /percent-encoding/);
    rejects(() => percentDecode('%zz'), /percent-encoding/);
  });
  test('refuses bytes that are not UTF-8', () => {
    rejects(() => percentDecode('%FF'), /UTF-8/);
    rejects(() => percentDecode('%C3'), /UTF-8/);
    rejects(() => percentDecode('%ED%A0%80'), /UTF-8/); // an encoded surrogate
  });
});

describe('parseQueryParams', () => {
  test('rebuilds arrays and objects', () => {
    const params = parseQueryParams('ImageIds.0=img-a&ImageIds.1=img-b&DryRun=true&Filters.0.Name=image-state&Filters.0.Values.0=NORMAL');
    assert.deepEqual(plain(params), {
      ImageIds: ['img-a', 'img-b'],
      DryRun: 'true',
      Filters: [{ Name: 'image-state', Values: ['NORMAL'] }],
    });
  });
  test('indices in any order', () => {
    assert.deepEqual(plain(parseQueryParams('ImageIds.1=b&ImageIds.0=a')), { ImageIds: ['a', 'b'] });
  });
  test('an empty query, empty pairs and a name without =', () => {
    assert.deepEqual(plain(parseQueryParams('')), {});
    assert.deepEqual(plain(parseQueryParams('&&DryRun&')), { DryRun: '' });
  });
  test('decodes names and values', () => {
    assert.deepEqual(plain(parseQueryParams('Image%49ds.0=img-%E6%9C%AA')), { ImageIds: ['img-未'] });
  });
  test('a parameter named __proto__ stays an ordinary parameter', () => {
    const params = parseQueryParams('__proto__=x');
    assert.deepEqual(Object.keys(params), ['__proto__']);
    assert.equal(Object.getPrototypeOf(params), null);
  });
  test('refuses gaps, repeats, mixed forms and odd names', () => {
    rejects(() => parseQueryParams('ImageIds.1=b'), /without gaps/);
    rejects(() => parseQueryParams('ImageIds.0=a&ImageIds.2=c'), /without gaps/);
    rejects(() => parseQueryParams('DryRun=true&DryRun=false'), /more than once/);
    rejects(() => parseQueryParams('ImageIds=a&ImageIds.0=b'), /both as a value/);
    rejects(() => parseQueryParams('ImageIds.0=a&ImageIds.x=b'), /mixes array and object/);
    rejects(() => parseQueryParams('ImageIds.00=a'), /Malformed parameter name/);
    rejects(() => parseQueryParams('ImageIds.9999999=a'), /Malformed parameter name/);
    rejects(() => parseQueryParams('0=a'), /mixes array and object/);
    rejects(() => parseQueryParams('Image-Ids=a'), /Malformed parameter name/);
    rejects(() => parseQueryParams('=a'), /Malformed parameter name/);
  });
});
