// What the tarball holds besides what package.json points at (types.test.mjs checks every path of
// the exports map and every file the entries reference): each module of the exports map with its
// declarations beside it in the same condition, the README, LICENSE and CHANGELOG an npm page
// shows, and nothing from the build's scratch.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { packList, PKG } from './tarball.mjs';

const pkgJson = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8'));
let packed; // Set of the packed paths

before(async () => {
  packed = new Set((await packList()).files.map((f) => f.path));
});

test('each condition of the exports map that names a module names its packed types too', () => {
  const withModule = [];
  (function walk(v) {
    if (!v || typeof v !== 'object') return;
    if (typeof v.default === 'string' && /\.(c|m)?js$/.test(v.default)) withModule.push(v);
    Object.values(v).forEach(walk);
  })(pkgJson.exports);
  assert.ok(withModule.length >= 5, `only ${withModule.length} module targets found`);
  const untyped = withModule.filter((o) => typeof o.types !== 'string' || !packed.has(o.types.replace(/^\.\//, '')));
  assert.deepEqual(untyped, []);
});

test("README.md (the package's own), LICENSE and CHANGELOG.md are packed", () => {
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) assert.ok(packed.has(file), `${file} is not in the tarball`);
  const readme = readFileSync(path.join(PKG, 'README.md'), 'utf8');
  assert.match(readme, /^# tencentcloud-cvm-wasm$/m);
  assert.match(readme, /^## Use with/m);
  assert.match(readme, /--allow-read/, 'the README gives the Deno permission');
  assert.match(readFileSync(path.join(PKG, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  assert.match(readFileSync(path.join(PKG, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## ${pkgJson.version.replace(/\./g, '\\.')}$`, 'm'));
});

test("nothing from the build's scratch: no dot file, lock, source map or test file", () => {
  const stray = [...packed].filter((f) => /(^|\/)\.|\.lock$|\.map$|\.test\.|\.tmp$/.test(f));
  assert.deepEqual(stray, []);
});
