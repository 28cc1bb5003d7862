'use strict';
// The package as the CLI sees it (one job: the CLI's one door to the core): the loaded package
// (node.cjs), the catalogue's named codes and the core's readers of Boolean text and RFC 3339
// times. The named codes and rfc3339Ms are read from the same loaded wasm module node.cjs uses
// (the package's internal exports; nothing here spells a code or a rule of its own).

const pkg = require('../node.cjs');
const wasm = require('../gen/node/cvm.cjs');
const { readConstants } = require('../gen/api.cjs');

/** { network, timeout, aborted, credentials, invalidResponse, redirect, signatureExpire, imageNotFound, … } → code. */
const CODES = Object.freeze({ ...readConstants(wasm).ERROR_CODES });

/** A Boolean parameter's text (`True`/`true`/`False`/`false`, the core's rule) → true/false, or undefined. */
const flagText = (text) => pkg.internal.flagText(text);

/**
 * A Boolean parameter's value, as the core reads it: true, or one of the strings the core takes
 * for true. Anything else (false, "False", "TRUE", which the core refuses) is not true.
 */
const isTrue = (value) => value === true || (typeof value === 'string' && flagText(value) === true);

/** An RFC 3339 date-time → epoch milliseconds, or undefined: the core's reader (src/client/credentials.rs rfc3339_ms). */
function rfc3339Ms(text) {
  if (typeof text !== 'string') return undefined;
  const ms = wasm.rfc3339Ms(text);
  return typeof ms === 'number' && Number.isFinite(ms) ? ms : undefined;
}

module.exports = { pkg, CODES, flagText, isTrue, rfc3339Ms };
