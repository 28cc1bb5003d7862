#!/usr/bin/env node
// `node bench/side-by-side.mjs OTHER_PKG_DIR [--rounds N]`: this tree's package (pkg/) and another
// copy of it (e.g. one with the .wasm of another build) loaded into one process and measured
// interleaved by bench/harness.mjs: signTc3 (DeleteImages POST, cached key), a signing-key miss,
// buildDeleteImages, decodeDeleteImages. Prints µs per call and the ratio other/this.
import { createRequire } from 'node:module';
import path from 'node:path';
import { FULL, measure } from './harness.mjs';

const require = createRequire(import.meta.url);
const other = process.argv[2];
if (!other) {
  console.error('usage: node bench/side-by-side.mjs OTHER_PKG_DIR');
  process.exit(2);
}
const here = require('../pkg/node.cjs');
const there = require(path.resolve(other, 'node.cjs'));

const KEY = { secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' };
const TIMESTAMP = 1551113065;
const SIGN_INPUT = {
  ...KEY, service: 'cvm', host: 'cvm.tencentcloudapi.com', method: 'POST', contentType: 'application/json',
  query: '', payload: JSON.stringify({ ImageIds: ['img-mfih409y'] }), timestamp: TIMESTAMP, action: 'DeleteImages', signAction: false,
};
const BUILD_OPTIONS = { ...KEY, region: 'ap-guangzhou', timestamp: TIMESTAMP };
const ANSWER = JSON.stringify({ Response: { RequestId: 'eac6b301-a322-493a-8e36-83b295459397' } });

function cases(api, tag) {
  let miss = 0;
  return [
    { name: `signTc3 ${tag}`, fn: () => api.signTc3(SIGN_INPUT) },
    { name: `key miss ${tag}`, fn: () => api.signTc3({ ...SIGN_INPUT, timestamp: TIMESTAMP + 86400 * (++miss % 4000) }) },
    { name: `buildDeleteImages ${tag}`, fn: () => api.buildDeleteImages({ ImageIds: ['img-mfih409y'] }, BUILD_OPTIONS) },
    { name: `decodeDeleteImages ${tag}`, fn: () => api.decodeDeleteImages(200, ANSWER) },
  ];
}
for (const api of [here, there]) {
  if (api.signTc3(SIGN_INPUT).authorization !== here.signTc3(SIGN_INPUT).authorization) throw new Error('the two packages disagree');
}
const results = await measure([...cases(here, 'this'), ...cases(there, 'other')], FULL);
const byName = new Map(results.map((r) => [r.name, r]));
for (const c of cases(here, 'this')) {
  const name = c.name.replace(/ this$/, '');
  const a = byName.get(`${name} this`);
  const b = byName.get(`${name} other`);
  const us = (r) => (r.medianNs / 1000).toFixed(2);
  console.log(`${name.padEnd(20)} this ${us(a)} µs  other ${us(b)} µs  other/this ${(b.medianNs / a.medianNs).toFixed(2)}`);
}
