'use strict';
// The command line of tccvm (one job: argv → {command, api params, options}): the commands, the
// flags and their kinds, tccli's spellings (`--ImageIds img-a img-b`, `--DryRun True`,
// `--cli-input-json file://x.json`), --ids-file, and the usage error with the exit codes.
// Boolean flag values follow the core's rule (core.cjs flagText).

const fs = require('node:fs');
const { pkg, flagText } = require('./core.cjs');

// Exit codes: 0 success · 1 API or transport error, or any id failed in bulk mode · 2 usage error
// (bad flag or parameter, nothing sent) · 3 credentials/configuration error · 4 confirmation
// declined (prune-images: or not possible, no terminal and no --yes) · 130 interrupted (Ctrl-C).
const EXIT = Object.freeze({ ok: 0, apiError: 1, usage: 2, config: 3, declined: 4, interrupted: 130 });

class UsageError extends Error {}

const COMMANDS = new Map([
  ['delete-images', 'delete-images'], ['DeleteImages', 'delete-images'],
  ['describe-images', 'describe-images'], ['DescribeImages', 'describe-images'],
  ['prune-images', 'prune-images'],
]);

/** The flags only prune-images takes. */
const PRUNE_FLAGS = [
  ['--name', ['names', 'list']],
  ['--older-than', ['olderThan', 'string']],
  ['--keep', ['keep', 'int']],
  ['--family-regex', ['familyRegex', 'string']],
];

// name → [key, kind]. kind: list (one or more values, or a JSON array), bool (optional
// True/False value), flag (no value), string, int, json.
const FLAGS = new Map([
  ['--ImageIds', ['ImageIds', 'list']], ['--image-ids', ['ImageIds', 'list']],
  ['--DryRun', ['DryRun', 'bool']], ['--dry-run', ['DryRun', 'bool']],
  ['--DeleteBindedSnap', ['DeleteBindedSnap', 'bool']], ['--delete-binded-snap', ['DeleteBindedSnap', 'bool']],
  ['--Limit', ['Limit', 'int']], ['--Offset', ['Offset', 'int']], ['--Filters', ['Filters', 'json']],
  ['--InstanceType', ['InstanceType', 'string']],
  ['--region', ['region', 'string']], ['--endpoint', ['endpoint', 'string']], ['--host', ['host', 'string']],
  ['--profile', ['profile', 'string']], ['--method', ['method', 'string']], ['--language', ['language', 'string']],
  ['--signature-method', ['signMethod', 'string']],
  ['--use-cvm-role', ['useCvmRole', 'flag']], ['--role-name', ['roleName', 'string']], ['--metadata-url', ['metadataUrl', 'string']],
  ['--output', ['output', 'string']], ['--timeout', ['timeout', 'int']], ['--retries', ['retries', 'int']],
  ['--cli-input-json', ['cliInputJson', 'string']], ['--ids-file', ['idsFile', 'string']],
  ['--print-request', ['printRequest', 'flag']], ['--yes', ['yes', 'flag']], ['-y', ['yes', 'flag']],
  ['--all', ['all', 'flag']],
  ['--help', ['help', 'flag']], ['-h', ['help', 'flag']], ['--version', ['version', 'flag']],
  ...PRUNE_FLAGS,
]);

const API_PARAMS = new Set(['ImageIds', 'DryRun', 'DeleteBindedSnap', 'Limit', 'Offset', 'Filters', 'InstanceType']);

// A flag's value follows the core's rule for Boolean parameters (True/true/False/false).
function parseBool(text, flag) {
  const value = flagText(text);
  if (value === undefined) throw new UsageError(`${flag} takes True or False, got "${text}"`);
  return value;
}

function parseArgs(argv) {
  const args = { command: undefined, api: {} };
  const set = (key, value) => (API_PARAMS.has(key) ? (args.api[key] = value) : (args[key] = value));
  for (let i = 0; i < argv.length; i++) {
    let token = argv[i];
    let inline;
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    if (eq > 0) [token, inline] = [token.slice(0, eq), token.slice(eq + 1)];
    if (!token.startsWith('-')) {
      if (token === 'cvm' && args.command === undefined) continue; // `tccvm cvm DeleteImages`, as in tccli
      if (args.command !== undefined) throw new UsageError(`unexpected argument "${token}"`);
      if (!COMMANDS.has(token)) {
        const near = pkg.internal.suggestName(token, [...COMMANDS.keys()]);
        throw new UsageError(`unknown command "${token}" (${near ? `did you mean ${near}?` : 'try delete-images, describe-images or prune-images'})`);
      }
      args.command = COMMANDS.get(token);
      continue;
    }
    const spec = FLAGS.get(token);
    if (!spec) throw new UsageError(`unknown option ${token}${flagSuggestion(token)}`);
    const [key, kind] = spec;
    const takeValue = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new UsageError(`${token} needs a value`);
      return argv[++i];
    };
    switch (kind) {
      case 'flag':
        if (inline !== undefined) throw new UsageError(`${token} takes no value`);
        set(key, true);
        break;
      case 'bool':
        if (inline !== undefined) set(key, parseBool(inline, token));
        else if (i + 1 < argv.length && flagText(argv[i + 1]) !== undefined) set(key, parseBool(argv[++i], token));
        else set(key, true);
        break;
      case 'list': {
        const values = inline !== undefined ? [inline] : [];
        while (inline === undefined && i + 1 < argv.length && !argv[i + 1].startsWith('-')) values.push(argv[++i]);
        if (values.length === 0) throw new UsageError(`${token} needs at least one value`);
        set(key, [...((API_PARAMS.has(key) ? args.api[key] : args[key]) || []), ...values.flatMap((v) => splitList(v, token))]);
        break;
      }
      case 'int': {
        const text = takeValue();
        if (!/^\d+$/.test(text)) throw new UsageError(`${token} takes a whole number, got "${text}"`);
        set(key, Number(text));
        break;
      }
      case 'json':
        set(key, parseJson(takeValue(), token));
        break;
      default:
        set(key, takeValue());
    }
  }
  return args;
}

// The library's did-you-mean (the core's, as for a mistyped parameter), over the long flags. Flags
// are case-sensitive, as in tccli (argparse): `--dryrun` is refused, with `--DryRun` suggested.
const LONG_FLAGS = [...FLAGS.keys()].filter((f) => f.startsWith('--')).map((f) => f.slice(2));
function flagSuggestion(token) {
  const near = pkg.internal.suggestName(token.replace(/^-+/, ''), LONG_FLAGS);
  return near ? `; did you mean --${near}?` : '';
}

// `img-a`, `img-a,img-b` or tccli's JSON form `["img-a","img-b"]`.
function splitList(value, flag) {
  if (value.trim().startsWith('[')) {
    const list = parseJson(value, flag);
    if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) {
      throw new UsageError(`${flag} JSON must be an array of strings`);
    }
    return list;
  }
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what}: not valid JSON (${error.message})`);
  }
}

// tccli's --cli-input-json takes `file://path`; a plain path works too.
function readCliInputJson(spec) {
  const file = spec.startsWith('file://') ? spec.slice('file://'.length) : spec;
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--cli-input-json: cannot read ${file} (${error.code || error.message})`);
  }
  const value = parseJson(text, `--cli-input-json ${file}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`--cli-input-json ${file}: must be a JSON object of API parameters`);
  }
  return value;
}

// One image id per line; blank lines and `#` comments ignored. Keeps line numbers for the report.
function parseIdsText(text) {
  const entries = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const id = raw.replace(/#.*/, '').trim();
    if (id) entries.push({ id, line: index + 1 });
  });
  return entries;
}

function readIdsFile(spec) {
  try {
    return parseIdsText(fs.readFileSync(spec === '-' ? 0 : spec, 'utf8'));
  } catch (error) {
    throw new UsageError(`--ids-file: cannot read ${spec === '-' ? 'stdin' : spec} (${error.code || error.message})`);
  }
}

module.exports = { EXIT, UsageError, PRUNE_FLAGS, parseArgs, parseJson, readCliInputJson, parseIdsText, readIdsFile };
