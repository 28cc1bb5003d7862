// The package's entries in Node: Node CommonJS (pkg/node.cjs), Node ESM (pkg/node.mjs), the default
// entry for browsers and bundlers (pkg/browser.js, the .wasm inlined) and the `/web` entry
// (pkg/web.js). The Node entries are one instance with the same exports; the package name resolves
// through the exports map; browser.js is ready on import; web.js refuses use before `init()`; all
// give the same answers as the Node entry. (Bundlers, browsers and other runtimes: tests/package.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { importPublishedWeb, loadCjs, loadEsm, loadWebUninitialised, PKG, ROOT, scratchDir, thrown, WASM_PATH } from './support.mjs';

const cjs = await loadCjs();
const esm = await loadEsm();
const PKG_JSON = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8'));
const EXAMPLE_1 = JSON.parse(readFileSync(path.join(ROOT, 'tests', 'vectors', 'example-1-post', 'context.json'), 'utf8'));
const EXAMPLE_1_SIGNATURE = '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168';
const OPTIONS = { secretId: 'AKIDentries000000000000000000000000', secretKey: 'entries-secret', region: 'ap-guangzhou', timestamp: 1551113065 };

// Exports that exist only in Node (they read files and the environment).
const NODE_ONLY = ['loadCredentials', 'CredentialsError', 'parseIni'];

/** The same calls through one entry, as plain data, for comparing entries. */
function sample(api) {
  const errorOf = (f) => {
    const e = thrown(f);
    return { name: e.name, message: e.message, field: e.field, code: e.code, requestId: e.requestId, httpStatus: e.httpStatus, retryable: e.retryable, description: e.description };
  };
  const post = api.buildDeleteImages({ ImageIds: ['img-a', 'img-未命名'], DryRun: 'True' }, OPTIONS);
  const get = api.buildDeleteImages({ ImageIds: ['img-a&b'] }, { ...OPTIONS, method: 'GET', signAction: true, token: 't', language: 'en-US' });
  const generic = api.buildRequest('DescribeImages', { Limit: 10, Filters: [{ Name: 'image-state', Values: ['NORMAL'] }] }, { ...OPTIONS, method: 'GET' });
  return {
    signTc3: api.signTc3(EXAMPLE_1),
    post: { ...post, signing: post.signing },
    get: { ...get, signing: get.signing },
    generic: { ...generic, signing: generic.signing },
    validate: api.validateDeleteImages({ ImageIds: ['img-a'], DeleteBindedSnap: 'false' }),
    region: api.validateRegion('me-riyadh2'),
    known: [api.isKnownRegion('ap-guangzhou'), api.isKnownRegion('me-riyadh2')],
    decoded: api.decodeDeleteImages(200, '{"Response":{"RequestId":"r-1"}}'),
    dryRun: api.decodeDeleteImages(200, '{"Response":{"Error":{"Code":"DryRunOperation","Message":"m"},"RequestId":"r-2"}}'),
    response: api.decodeResponse(200, '{"Response":{"TotalCount":0,"ImageSet":[],"RequestId":"r-3"}}'),
    describe: api.describeError('InvalidImageId.IncorrectState'),
    backoff: api.backoffDelayMs(3, 200, 5000, 0.5),
    httpDate: api.parseHttpDate('Mon, 25 Feb 2019 16:44:25 GMT'),
    limiter: (() => {
      const l = new api.RateLimiter(2, 1000);
      const delays = [l.delayMs(0)];
      l.commit(0);
      l.commit(0);
      delays.push(l.delayMs(0));
      l.settle(0, 100);
      l.settle(0, 200);
      delays.push(l.delayMs(500));
      return delays;
    })(),
    errors: [
      errorOf(() => api.validateDeleteImages({ ImageIds: ['ins-1'] })),
      errorOf(() => api.buildDeleteImages({ ImageIds: ['img-a'] }, { ...OPTIONS, timestamp: 1551113065000 })),
      errorOf(() => api.decodeDeleteImages(200, '{"Response":{"Error":{"Code":"InvalidImageId.NotFound","Message":"gone"},"RequestId":"r-4"}}')),
      errorOf(() => api.decodeDeleteImages(502, '<html>Bad Gateway</html>')),
    ],
  };
}

function assertConstants(api, label) {
  assert.equal(api.VERSION, PKG_JSON.version, `${label}: VERSION`);
  assert.equal(api.MAX_IMAGE_IDS_PER_CALL, 100, `${label}: MAX_IMAGE_IDS_PER_CALL`);
  assert.ok(Array.isArray(api.KNOWN_REGIONS), `${label}: KNOWN_REGIONS`);
  assert.ok(Object.isFrozen(api.KNOWN_REGIONS), `${label}: KNOWN_REGIONS frozen`);
  assert.ok(api.KNOWN_REGIONS.includes('ap-guangzhou'), `${label}: ap-guangzhou`);
  assert.ok(Object.isFrozen(api.KNOWN_ERROR_CODES) && api.KNOWN_ERROR_CODES.includes('ClientError.Aborted'), `${label}: KNOWN_ERROR_CODES`);
}

function assertErrorsAreInstances(api, label) {
  const v = thrown(() => api.validateDeleteImages({}));
  assert.ok(v instanceof api.ValidationError, `${label}: ValidationError instanceof`);
  assert.ok(v instanceof Error);
  assert.equal(v.name, 'ValidationError');
  const b = thrown(() => api.buildDeleteImages({ ImageIds: ['img-a'] }, { ...OPTIONS, region: 'nope' }));
  assert.ok(b instanceof api.ValidationError, `${label}: buildDeleteImages error instanceof`);
  const t = thrown(() => api.decodeDeleteImages(200, '{"Response":{"Error":{"Code":"InternalError","Message":"m"},"RequestId":"r"}}'));
  assert.ok(t instanceof api.TencentCloudError, `${label}: TencentCloudError instanceof`);
  assert.ok(t instanceof Error);
  assert.equal(t.name, 'TencentCloudError');
  assert.ok(!(t instanceof api.ValidationError));
  assert.ok(!(v instanceof api.TencentCloudError));
}

describe('Node entries: require(pkg/node.cjs) and import(pkg/node.mjs)', () => {
  test('the same export names', () => {
    const esmNames = Object.keys(esm).filter((k) => k !== 'default').sort();
    assert.deepEqual(esmNames, Object.keys(cjs).sort());
    for (const name of ['signTc3', 'buildDeleteImages', 'buildRequest', 'validateDeleteImages', 'checkDeleteImages', 'validateRegion', 'isKnownRegion', 'decodeDeleteImages', 'decodeResponse', 'describeError', 'ValidationError', 'TencentCloudError', 'VERSION', 'MAX_IMAGE_IDS_PER_CALL', 'KNOWN_REGIONS', 'CvmClient', 'cvmRoleCredentials', 'loadCredentials', 'CredentialsError']) {
      assert.ok(name in cjs, `${name} missing from the CommonJS entry`);
    }
    assert.equal(esm.default, cjs, 'the ESM default export is the CommonJS module');
  });

  test('every named export is defined', () => {
    for (const [name, value] of Object.entries(cjs)) assert.notEqual(value, undefined, `cjs.${name}`);
    for (const [name, value] of Object.entries(esm)) assert.notEqual(value, undefined, `esm.${name}`);
  });

  test('one instance: the same class and function objects', () => {
    assert.equal(cjs.ValidationError, esm.ValidationError);
    assert.equal(cjs.TencentCloudError, esm.TencentCloudError);
    for (const name of Object.keys(cjs)) assert.equal(esm[name], cjs[name], name);
  });

  test('identical results', () => {
    const a = sample(cjs);
    const b = sample(esm);
    assert.deepEqual(b, a);
    assert.equal(a.signTc3.signature, EXAMPLE_1_SIGNATURE);
  });

  test('errors are instances of the entry classes, across entries', () => {
    assertErrorsAreInstances(cjs, 'cjs');
    assertErrorsAreInstances(esm, 'esm');
    const e = thrown(() => cjs.validateDeleteImages({}));
    assert.ok(e instanceof esm.ValidationError);
  });

  test('constants: VERSION (= pkg/package.json), MAX_IMAGE_IDS_PER_CALL, KNOWN_REGIONS', () => {
    assertConstants(cjs, 'cjs');
    assertConstants(esm, 'esm');
  });
});

describe("the package name through pkg/package.json's exports map", () => {
  // A consumer project: node_modules/tencentcloud-cvm-wasm → pkg/.
  const consumer = scratchDir('cvm-wasm-consumer-');
  mkdirSync(path.join(consumer, 'node_modules'));
  symlinkSync(PKG, path.join(consumer, 'node_modules', 'tencentcloud-cvm-wasm'), 'dir');
  writeFileSync(path.join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const context = JSON.stringify(EXAMPLE_1);

  function run(file, source) {
    writeFileSync(path.join(consumer, file), source);
    const r = spawnSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `${file} exited ${r.status}:\n${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1));
  }

  test("require('tencentcloud-cvm-wasm') loads the CommonJS entry", () => {
    const out = run('use.cjs', `
      const cvm = require('tencentcloud-cvm-wasm');
      let instance = false;
      try { cvm.validateDeleteImages({}); } catch (e) { instance = e instanceof cvm.ValidationError && e.field === 'ImageIds'; }
      console.log(JSON.stringify({
        resolved: require.resolve('tencentcloud-cvm-wasm'),
        names: Object.keys(cvm).sort(),
        signature: cvm.signTc3(${context}).signature,
        instance,
        version: require('tencentcloud-cvm-wasm/package.json').version,
        wasm: require.resolve('tencentcloud-cvm-wasm/tencentcloud_cvm_wasm_bg.wasm'),
      }));
    `);
    assert.ok(out.resolved.endsWith(`${path.sep}node.cjs`), out.resolved);
    assert.deepEqual(out.names, Object.keys(cjs).sort());
    assert.equal(out.signature, EXAMPLE_1_SIGNATURE);
    assert.equal(out.instance, true);
    assert.equal(out.version, PKG_JSON.version);
    assert.ok(out.wasm.endsWith('tencentcloud_cvm_wasm_bg.wasm'), out.wasm);
  });

  test("import('tencentcloud-cvm-wasm') loads the ESM entry", () => {
    const out = run('use.mjs', `
      import cvm, { signTc3, ValidationError, validateDeleteImages } from 'tencentcloud-cvm-wasm';
      import * as ns from 'tencentcloud-cvm-wasm';
      let instance = false;
      try { validateDeleteImages({}); } catch (e) { instance = e instanceof ValidationError && e instanceof cvm.ValidationError; }
      console.log(JSON.stringify({
        resolved: import.meta.resolve('tencentcloud-cvm-wasm'),
        names: Object.keys(ns).filter((k) => k !== 'default').sort(),
        signature: signTc3(${context}).signature,
        instance,
      }));
    `);
    assert.ok(out.resolved.endsWith('/node.mjs'), out.resolved);
    assert.deepEqual(out.names, Object.keys(cjs).sort());
    assert.equal(out.signature, EXAMPLE_1_SIGNATURE);
    assert.equal(out.instance, true);
  });

  test('require and import of the package name share one instance in a process', () => {
    const out = run('both.mjs', `
      import { createRequire } from 'node:module';
      import { ValidationError } from 'tencentcloud-cvm-wasm';
      const required = createRequire(import.meta.url)('tencentcloud-cvm-wasm');
      console.log(JSON.stringify({ same: required.ValidationError === ValidationError }));
    `);
    assert.equal(out.same, true);
  });

  // The exports map offers "./web" (and "." for non-Node runtimes) → web.js, an ES module; but
  // pkg/package.json declares "type": "commonjs", so anything that honours it (Node, and tools that
  // follow Node's rules) parses web.js as CommonJS and fails with a SyntaxError.
  test("import('tencentcloud-cvm-wasm/web') loads the browser entry in Node", () => {
    const out = run('web.mjs', `
      import { readFileSync } from 'node:fs';
      import { fileURLToPath } from 'node:url';
      const web = await import('tencentcloud-cvm-wasm/web');
      const wasm = fileURLToPath(import.meta.resolve('tencentcloud-cvm-wasm/tencentcloud_cvm_wasm_bg.wasm'));
      await web.default(readFileSync(wasm));
      console.log(JSON.stringify({ signature: web.signTc3(${context}).signature }));
    `);
    assert.equal(out.signature, EXAMPLE_1_SIGNATURE);
  });
});

describe('browser entry (pkg/web.js) in Node', () => {
  test('the published pkg/web.js can be imported as an ES module', async () => {
    // Fails while pkg/package.json says "type": "commonjs" and web.js keeps the .js extension.
    const web = await importPublishedWeb();
    assert.equal(typeof web.default, 'function');
  });

  test('before init(): every function throws an Error that says to call init(); constants are there', async () => {
    const web = await loadWebUninitialised();
    assertConstants(web, 'web before init');
    const calls = {
      signTc3: () => web.signTc3(EXAMPLE_1),
      buildDeleteImages: () => web.buildDeleteImages({ ImageIds: ['img-a'] }, OPTIONS),
      buildRequest: () => web.buildRequest('DescribeImages', {}, OPTIONS),
      validateDeleteImages: () => web.validateDeleteImages({ ImageIds: ['img-a'] }),
      checkDeleteImages: () => web.checkDeleteImages({ ImageIds: ['img-a'] }, OPTIONS),
      validateRegion: () => web.validateRegion('ap-guangzhou'),
      isKnownRegion: () => web.isKnownRegion('ap-guangzhou'),
      decodeDeleteImages: () => web.decodeDeleteImages(200, '{"Response":{"RequestId":"r"}}'),
      decodeResponse: () => web.decodeResponse(200, '{"Response":{"RequestId":"r"}}'),
      describeError: () => web.describeError('InternalError'),
      backoffDelayMs: () => web.backoffDelayMs(1, 200, 5000, 0.5),
      parseHttpDate: () => web.parseHttpDate('Mon, 25 Feb 2019 16:44:25 GMT'),
      RateLimiter: () => new web.RateLimiter(10, 1000),
      CvmClient: () => new web.CvmClient({ secretId: 'AKIDx', secretKey: 'k', region: 'ap-guangzhou' }),
      cvmRoleCredentials: () => web.cvmRoleCredentials(),
    };
    // Every function export that needs the module is covered above.
    const functions = Object.entries(web)
      .filter(([name, v]) => typeof v === 'function' && !['default', 'ValidationError', 'TencentCloudError', 'CvmCallError'].includes(name))
      .map(([name]) => name)
      .sort();
    assert.deepEqual(functions, Object.keys(calls).sort());
    for (const [name, call] of Object.entries(calls)) {
      const err = thrown(call, name);
      assert.ok(err instanceof Error, `${name}: ${err}`);
      assert.ok(!(err instanceof web.ValidationError), `${name} threw a ValidationError, not the init error`);
      assert.match(err.message, /init\(\)/, `${name}: ${err.message}`);
    }
    // Error classes need no initialisation.
    assert.equal(new web.ValidationError({ field: 'f', code: 'MissingParameter', message: 'm' }).field, 'f');
    const call = new web.CvmCallError(new web.TencentCloudError({ code: 'InternalError', message: 'm' }), []);
    assert.ok(call instanceof web.TencentCloudError && call.attempts === 0 && call.code === 'InternalError');
    assert.ok(web.KNOWN_ERROR_CODES.includes('InvalidImageId.NotFound'));
  });

  test('await init(bytes) works; results equal the Node entry', async () => {
    const web = await loadWebUninitialised();
    const result = web.default(readFileSync(WASM_PATH));
    assert.ok(result instanceof Promise);
    assert.equal(await result, undefined);
    assert.deepEqual(sample(web), sample(cjs));
    assert.equal(web.signTc3(EXAMPLE_1).signature, EXAMPLE_1_SIGNATURE);
    // Later calls resolve at once, whatever they are given.
    await web.default();
    await web.default(new Uint8Array([0, 1, 2]));
    assert.equal(web.signTc3(EXAMPLE_1).signature, EXAMPLE_1_SIGNATURE);
  });

  test('init accepts a WebAssembly.Module and a Response', async () => {
    const bytes = readFileSync(WASM_PATH);
    const a = await loadWebUninitialised();
    await a.default(new WebAssembly.Module(bytes));
    assert.equal(a.signTc3(EXAMPLE_1).signature, EXAMPLE_1_SIGNATURE);
    const b = await loadWebUninitialised();
    await b.default(new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } }));
    assert.equal(b.signTc3(EXAMPLE_1).signature, EXAMPLE_1_SIGNATURE);
  });

  test('a failed init can be retried', async () => {
    const web = await loadWebUninitialised();
    await assert.rejects(web.default(new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9])));
    assert.match(thrown(() => web.signTc3(EXAMPLE_1)).message, /init\(\)/);
    await web.default(readFileSync(WASM_PATH));
    assert.equal(web.signTc3(EXAMPLE_1).signature, EXAMPLE_1_SIGNATURE);
  });

  test("errors are instances of the browser entry's own classes", async () => {
    const web = await loadWebUninitialised();
    await web.default(readFileSync(WASM_PATH));
    assertErrorsAreInstances(web, 'web');
  });

  test('its exports: the Node ones minus the Node-only credentials, plus init; all defined', async () => {
    const web = await loadWebUninitialised();
    const expected = Object.keys(cjs).filter((k) => !NODE_ONLY.includes(k)).concat('default').sort();
    const declared = Object.keys(web).sort();
    const undefinedExports = declared.filter((k) => web[k] === undefined);
    assert.deepEqual(undefinedExports, [], 'web.js exports names bound to undefined');
    assert.deepEqual(declared.filter((k) => !NODE_ONLY.includes(k)), expected);
  });
});

describe('default entry outside Node (pkg/browser.js) in Node', () => {
  const load = () => import(pathToFileURL(path.join(PKG, 'browser.js')).href);

  test('ready on import: results equal the Node entry without init()', async () => {
    const browser = await load();
    assert.deepEqual(sample(browser), sample(cjs));
    assert.equal(browser.signTc3(EXAMPLE_1).signature, EXAMPLE_1_SIGNATURE);
    assertConstants(browser, 'browser');
    assertErrorsAreInstances(browser, 'browser');
  });

  test('init() resolves at once, whatever it is given', async () => {
    const browser = await load();
    assert.equal(await browser.default(), undefined);
    assert.equal(await browser.default(new Uint8Array([0, 1, 2])), undefined);
    assert.equal(browser.signTc3(EXAMPLE_1).signature, EXAMPLE_1_SIGNATURE);
  });

  test('the same exports as the /web entry', async () => {
    const browser = await load();
    const web = await loadWebUninitialised();
    assert.deepEqual(Object.keys(browser).sort(), Object.keys(web).sort());
    assert.deepEqual(Object.entries(browser).filter(([, v]) => v === undefined), []);
  });

  test('the inlined module is the shipped .wasm, byte for byte (one .wasm for every entry)', async () => {
    const { default: inline } = await import(pathToFileURL(path.join(PKG, 'gen', 'wasm-inline.js')).href);
    assert.ok(gunzipSync(Buffer.from(inline, 'base64')).equals(readFileSync(WASM_PATH)));
  });
});
