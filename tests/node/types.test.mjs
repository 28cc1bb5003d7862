// The hand-written declarations (pkg/*.d.ts): the usage examples in tests/types type-check (and
// their @ts-expect-error lines are really rejected: tsc reports unused ones), a Node consumer
// resolving the package name through the exports map type-checks, and the declared exports match
// what the entries really export.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { loadCjs, loadEsm, loadWebUninitialised, PKG, ROOT, scratchDir } from './support.mjs';

const TSC = path.join(ROOT, 'node_modules', '.bin', 'tsc');

function tsc(project) {
  const r = spawnSync(TSC, ['-p', project], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error ? r.error.message : ''}` };
}

test('node_modules/.bin/tsc is installed', () => {
  assert.ok(existsSync(TSC), `${TSC} is missing (devDependency typescript)`);
});

test('tsc -p tests/types exits 0', () => {
  const { status, output } = tsc(path.join(ROOT, 'tests', 'types'));
  assert.equal(status, 0, `tsc -p tests/types failed:\n${output}`);
});

describe('a Node TypeScript consumer (module node16) resolving the package name through the exports map', () => {
  const consumer = scratchDir('cvm-wasm-ts-');
  mkdirSync(path.join(consumer, 'node_modules'));
  symlinkSync(PKG, path.join(consumer, 'node_modules', 'tencentcloud-cvm-wasm'), 'dir');
  writeFileSync(path.join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const project = (files) => {
    writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'node16', moduleResolution: 'node16', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false },
        files,
      }),
    );
    return tsc(consumer);
  };
  const signInput = "{ secretId: 'a', secretKey: 'b', service: 'cvm', host: 'cvm.tencentcloudapi.com', method: 'POST', contentType: 'application/json', payload: '{}', timestamp: 1 }";

  test('ESM (.mts) and CommonJS (.cts) files type-check against the Node entry', () => {
    writeFileSync(
      path.join(consumer, 'esm.mts'),
      `import cvm, { signTc3, ValidationError, TencentCloudError, CvmClient, loadCredentials } from 'tencentcloud-cvm-wasm';
const signature: string = signTc3(${signInput}).signature;
const version: string = cvm.VERSION;
const client = new CvmClient({ secretId: 'a', secretKey: 'b', region: 'ap-guangzhou' });
try { loadCredentials(); } catch (e) { if (e instanceof ValidationError || e instanceof TencentCloudError) console.log(e.code); }
console.log(signature, version, client.region);
// @ts-expect-error: the method is 'POST' or 'GET'
signTc3({ ...${signInput}, method: 'PATCH' });
`,
    );
    writeFileSync(
      path.join(consumer, 'cjs.cts'),
      `import cvm = require('tencentcloud-cvm-wasm');
const req = cvm.buildDeleteImages({ ImageIds: ['img-a'] }, { secretId: 'a', secretKey: 'b', region: 'ap-guangzhou' });
const result: Promise<string> = fetch(req.url, req).then(async (res) => cvm.decodeDeleteImages(res.status, await res.text()).RequestId);
console.log(result, cvm.loadCredentials);
`,
    );
    const { status, output } = project(['esm.mts', 'cjs.cts']);
    assert.equal(status, 0, output);
  });

  // pkg/package.json says "type": "commonjs", so under node16 resolution web.d.ts is a CommonJS
  // declaration file: its `export default init` becomes `module.exports.default`, and an ES module's
  // default import is the whole namespace — `init()` "is not callable". The runtime twin of this is
  // in entries.test.mjs (Node refuses web.js as an ES module).
  test("an ES module importing 'tencentcloud-cvm-wasm/web' type-checks: init is the default export", () => {
    writeFileSync(
      path.join(consumer, 'web.mts'),
      `import init, { signTc3 } from 'tencentcloud-cvm-wasm/web';
await init();
console.log(signTc3(${signInput}).authorization);
`,
    );
    const { status, output } = project(['web.mts']);
    assert.equal(status, 0, output);
  });
});

describe('declared exports match the runtime exports', () => {
  const ts = createRequire(import.meta.url)(path.join(ROOT, 'node_modules', 'typescript'));

  /** Value exports (functions, classes, constants) declared by a .d.ts entry. */
  function declaredValues(file) {
    const program = ts.createProgram([file], { strict: true, noEmit: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    return checker
      .getExportsOfModule(moduleSymbol)
      .filter((s) => {
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        return (target.flags & ts.SymbolFlags.Value) !== 0;
      })
      .map((s) => s.getName())
      .sort();
  }

  test('pkg/node.d.cts declares exactly what pkg/node.cjs exports', async () => {
    const cjs = await loadCjs();
    assert.deepEqual(declaredValues(path.join(PKG, 'node.d.cts')), Object.keys(cjs).sort());
  });

  test('pkg/node.d.ts declares exactly what pkg/node.mjs exports', async () => {
    const esm = await loadEsm();
    assert.deepEqual(declaredValues(path.join(PKG, 'node.d.ts')), Object.keys(esm).sort());
  });

  test('pkg/web.d.ts declares exactly what pkg/web.js exports', async () => {
    const web = await loadWebUninitialised();
    assert.deepEqual(declaredValues(path.join(PKG, 'web.d.ts')), Object.keys(web).sort());
  });

  test('pkg/browser.d.ts declares exactly what pkg/browser.js exports', async () => {
    const browser = await import(pathToFileURL(path.join(PKG, 'browser.js')).href);
    assert.deepEqual(declaredValues(path.join(PKG, 'browser.d.ts')), Object.keys(browser).sort());
  });
});
