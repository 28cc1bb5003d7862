// What the tarball holds (`npm pack --dry-run --json` of pkg/), against what pkg/package.json
// promises: every target of the exports map (modules and types), main/module/browser/types and
// bin; every file a packed module or declaration imports; the README, LICENSE and CHANGELOG an
// npm page shows; and nothing from the build's scratch (locks, source maps).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { packedFiles, PKG } from './matrix-support.mjs';

const pkgJson = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8'));
let packed; // Set of packed paths, relative to the package root

before(async () => {
  packed = new Set((await packedFiles()).map((f) => f.path));
});

/** Every string leaf of an exports/conditions object, with where it was found. */
function leaves(value, where) {
  if (typeof value === 'string') return [[where, value]];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, `${where}.${k}`));
  return [];
}

const normal = (p) => path.posix.normalize(p).replace(/^\.\//, '');

test('every target of the exports map is packed, and each module condition has its types', () => {
  const targets = leaves(pkgJson.exports, 'exports');
  assert.ok(targets.length >= 10, `only ${targets.length} targets found`);
  for (const [where, target] of targets) assert.ok(packed.has(normal(target)), `${where} → ${target} is not in the tarball`);
  // Each condition object that names a module also names its declarations.
  const objects = [];
  (function walk(v) {
    if (v && typeof v === 'object') {
      if (typeof v.default === 'string' && /\.(c|m)?js$/.test(v.default)) objects.push(v);
      Object.values(v).forEach(walk);
    }
  })(pkgJson.exports);
  assert.ok(objects.length >= 5);
  for (const o of objects) assert.ok(typeof o.types === 'string' && packed.has(normal(o.types)), `${o.default} has no packed types: ${JSON.stringify(o)}`);
});

test('main, module, browser, types and bin are packed', () => {
  for (const field of ['main', 'module', 'browser', 'types']) {
    assert.ok(packed.has(normal(pkgJson[field])), `${field}: ${pkgJson[field]} is not in the tarball`);
  }
  for (const [name, file] of Object.entries(pkgJson.bin)) assert.ok(packed.has(normal(file)), `bin ${name}: ${file}`);
});

test('every relative import of a packed module or declaration file is packed', () => {
  const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  let checked = 0;
  for (const file of packed) {
    if (!/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(file)) continue;
    const text = readFileSync(path.join(PKG, file), 'utf8');
    for (const [, spec] of text.matchAll(specifier)) {
      let target = path.posix.join(path.posix.dirname(file), spec);
      // A declaration's `from './x.js'` means x.d.ts (x.cjs: x.d.cts).
      if (/\.d\.(c|m)?ts$/.test(file)) target = target.replace(/\.(c|m)?js$/, (_, x) => `.d.${x ?? ''}ts`);
      assert.ok(packed.has(target), `${file} imports ${spec}, but ${target} is not in the tarball`);
      checked += 1;
    }
  }
  assert.ok(checked >= 20, `only ${checked} imports checked`);
});

test('README.md (the package\'s own), LICENSE and CHANGELOG.md are packed', () => {
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) assert.ok(packed.has(file), `${file} is not in the tarball`);
  const readme = readFileSync(path.join(PKG, 'README.md'), 'utf8');
  assert.match(readme, /^# tencentcloud-cvm-wasm/m);
  assert.match(readme, /## Use with/);
  assert.match(readme, /--allow-read/, 'the README gives the Deno permission');
  assert.match(readFileSync(path.join(PKG, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  assert.match(readFileSync(path.join(PKG, 'CHANGELOG.md'), 'utf8'), new RegExp(`## ${pkgJson.version.replace(/\./g, '\\.')}`));
});

test('nothing from the build\'s scratch: no lock, source map or test file', () => {
  const stray = [...packed].filter((f) => /(^|\/)\.|\.lock$|\.map$|\.test\.|\.tmp$/.test(f));
  assert.deepEqual(stray, []);
});
