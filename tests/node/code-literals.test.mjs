// Codes have one home: no JavaScript file of the package spells a `ClientError.*`, `AuthFailure*`,
// `InvalidImageId*` or `RequestLimitExceeded*` code in a string, a template or a regex (outside
// comments); they are named through pkg/src/codes.js and pkg/bin/core.cjs, which re-export the
// core's catalogue. The codes searched for are the catalogue's own list (KNOWN_ERROR_CODES).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { KNOWN_ERROR_CODES } = createRequire(import.meta.url)('../../pkg/node.cjs');

const FAMILIES = /^(?:ClientError\.|AuthFailure|InvalidImageId|RequestLimitExceeded)/;
const files = (dir) => readdirSync(path.join(ROOT, dir)).filter((n) => /\.(?:js|cjs|mjs)$/.test(n)).map((n) => path.join(dir, n));

/** `file:line: text` of each non-comment line that spells one of `codes`. */
export function spelled(codes, relFiles) {
  const found = [];
  for (const rel of relFiles) {
    readFileSync(path.join(ROOT, rel), 'utf8').split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      if (/^\s*(?:\/\*|\*)/.test(line)) return;
      // A code's text anywhere in the code part of the line: a string, a template, a regex (\.).
      const plain = code.replace(/\\\./g, '.');
      if (codes.some((c) => plain.includes(c))) found.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

test('no JavaScript file of pkg/src or pkg/bin spells a ClientError / AuthFailure / InvalidImageId / RequestLimitExceeded code', () => {
  const codes = KNOWN_ERROR_CODES.filter((c) => FAMILIES.test(c));
  assert.ok(codes.includes('ClientError.Aborted') && codes.includes('InvalidImageId.NotFound'));
  assert.deepEqual(spelled(codes, [...files('pkg/src'), ...files('pkg/bin')]), []);
});

test('the search finds a code in a string, a template and a regex, and not in a comment', () => {
  // The check itself, on this very file's fixtures below.
  const found = spelled(['ClientError.Credentials', 'InvalidImageId.NotFound'], [path.relative(ROOT, fileURLToPath(import.meta.url))]);
  assert.equal(found.filter((f) => f.includes('FIXTURE')).length, 3, found.join('\n'));
});
// FIXTURE lines (never run):
const FIXTURES = [
  () => 'InvalidImageId.NotFound', // FIXTURE a string
  () => `ClientError.Credentials: ${1}`, // FIXTURE a template
  () => /^ClientError\.Credentials: /, // FIXTURE a regex
  // ClientError.Credentials in a comment is not a spelling (FIXTURE)
];
void FIXTURES;
