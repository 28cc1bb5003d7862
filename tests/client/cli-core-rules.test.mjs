// The CLI's Boolean text and its error codes come from the core, not from rules of its own: what
// `--DryRun X` and a `DryRun` in --cli-input-json count as true is exactly what the core's
// DeleteImages validator reads as true (independent truth: the validator's answer on the same
// value), and the codes the CLI acts on are the catalogue's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../../pkg/node.cjs');
const { isTrue, flagText, CODES } = require('../../pkg/bin/core.cjs');
const { parseArgs } = require('../../pkg/bin/tccvm.cjs');

const VALUES = ['True', 'true', 'TRUE', 'tRUE', 'False', 'false', 'FALSE', '1', '0', 'yes', '', ' true', true, false, 1, null];

/** What the core makes of DryRun = value: true, false, or 'refused'. */
function coreReads(value) {
  try {
    return pkg.validateDeleteImages({ ImageIds: ['img-12345678'], DryRun: value }).DryRun === true;
  } catch (error) {
    if (error instanceof pkg.ValidationError) return 'refused';
    throw error;
  }
}

test('a DryRun value is true for the CLI exactly when the core reads it as true ("TRUE" is not)', () => {
  for (const value of VALUES) assert.equal(isTrue(value), coreReads(value) === true, JSON.stringify(value));
  assert.equal(isTrue('TRUE'), false);
  assert.equal(coreReads('TRUE'), 'refused');
});

test('--DryRun=X is taken exactly when the core takes X as a Boolean text', () => {
  for (const value of VALUES.filter((v) => typeof v === 'string')) {
    let parsed;
    try {
      parsed = parseArgs(['delete-images', `--DryRun=${value}`]).api.DryRun;
    } catch {
      parsed = 'refused';
    }
    const core = coreReads(value);
    assert.equal(parsed, core, JSON.stringify(value));
    assert.equal(flagText(value), core === 'refused' ? undefined : core, JSON.stringify(value));
  }
});

test('the codes the CLI acts on are the catalogue\'s (each a known code)', () => {
  assert.ok(Object.keys(CODES).length >= 10);
  for (const [name, code] of Object.entries(CODES)) {
    assert.ok(pkg.KNOWN_ERROR_CODES.includes(code), `${name}: ${code}`);
    assert.equal(pkg.describeError(code).known, true, code);
  }
  assert.ok(Object.isFrozen(CODES));
});
