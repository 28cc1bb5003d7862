#!/usr/bin/env node
'use strict';
// tccvm: DeleteImages / DescribeImages from the command line, flag-compatible with tccli where it
// can be (`--ImageIds img-a img-b`, `--DryRun True`, `--cli-input-json file://x.json`); and
// prune-images (prune.cjs), which selects what to delete.
// Exit codes: 0 success · 1 API or transport error, or any id failed in bulk mode · 2 usage error
// (bad flag or parameter, nothing sent) · 3 credentials/configuration error · 4 confirmation
// declined (prune-images: or not possible, no terminal and no --yes) · 130 interrupted (Ctrl-C).

const fs = require('node:fs');
const readline = require('node:readline');
const pkg = require('../node.cjs');
const { flagText } = pkg.internal;
const { loadCredentials, CredentialsError } = require('../src/credentials.cjs');
const { deleteInBulk, plan, splitChunk, summarize } = require('./bulk.cjs');
const prune = require('./prune.cjs');

const EXIT = Object.freeze({ ok: 0, apiError: 1, usage: 2, config: 3, declined: 4, interrupted: 130 });

class UsageError extends Error {}

// ---------------------------------------------------------------------------------------------
// Command line

const COMMANDS = new Map([
  ['delete-images', 'delete-images'], ['DeleteImages', 'delete-images'],
  ['describe-images', 'describe-images'], ['DescribeImages', 'describe-images'],
  ['prune-images', 'prune-images'],
]);

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
  ...prune.PRUNE_FLAGS,
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

const HELP = `tccvm — Tencent Cloud CVM images from the command line (tencentcloud-cvm-wasm ${pkg.VERSION})

Usage:
  tccvm delete-images   --ImageIds <id...> [--DryRun] [--DeleteBindedSnap] [options]
  tccvm delete-images   --ids-file <path|-> [--DryRun] [options]      bulk: any number of ids
  tccvm describe-images [--ImageIds <id...>] [--Limit n] [--Offset n] [--Filters <json>] [--all] [options]
  tccvm prune-images    --name <glob...> --older-than <age> --keep <n> [--DryRun] [options]
  (tccli spellings work too: \`tccvm cvm DeleteImages --ImageIds '["img-a"]'\`)

API parameters:
  --ImageIds, --image-ids <id...>   ids, space- or comma-separated, or a JSON array
  --DryRun [True|False]             only check whether the deletion would be allowed
  --DeleteBindedSnap [True|False]   also delete the snapshots bound to the images
  --cli-input-json <file>           API parameters as JSON (file://path or path); flags override it
  --all                             describe-images: every page (--Limit is the page size), each
                                    image once even if images are added or removed meanwhile
  --ids-file <path|->               one id per line (- = stdin); blank lines and # comments ignored.
                                    Sent in calls of ${pkg.MAX_IMAGE_IDS_PER_CALL} ids. When a call is refused because of some
                                    ids, DescribeImages tells which exist and in what state, and
                                    only the deletable ones are sent again (split further if need
                                    be); a summary accounts for every id

Connection:
  --region <id>          e.g. ap-guangzhou (default: TENCENTCLOUD_REGION, then the profile's region)
  --endpoint <url>       default https://cvm.tencentcloudapi.com (or TCCVM_ENDPOINT)
  --host <host>          the host to sign when --endpoint is a proxy or an emulator
  --profile <name>       profile of ~/.tencentcloud/credentials (default: env, then [default])
  --use-cvm-role         on a CVM instance: the temporary key of the CAM role bound to it, from the
                         instance metadata service (renewed before it expires); not with --profile
                         or key variables in the environment
  --role-name <name>     with --use-cvm-role: the role (default: the one the metadata service names)
  --metadata-url <url>   with --use-cvm-role: the metadata service (default http://metadata.tencentyun.com,
                         or TCCVM_METADATA_URL; the emulator's URL in tests)
  --method GET|POST      default POST
  --language zh-CN|en-US language of server error messages
  --signature-method TC3-HMAC-SHA256|HmacSHA256|HmacSHA1
                         default TC3-HMAC-SHA256; the others are the legacy v1 signatures
  --timeout <ms>         per attempt, default 10000
  --retries <n>          retries of transient failures, default 3 (0 = none)

Output and safety:
  --output json|table    default json
  --print-request        print the signed request, canonical request and string to sign; send nothing
  --yes, -y              do not ask before deleting more than one image (without a terminal
                         tccvm does not ask either, but says so on stderr unless --yes)
  --help, -h · --version
${prune.HELP}
Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (+ TENCENTCLOUD_SESSION_TOKEN or
TENCENTCLOUD_TOKEN), or ~/.tencentcloud/credentials ([default] secret_id, secret_key, token, region),
or --use-cvm-role on a CVM instance with a CAM role bound.

Examples:
  tccvm delete-images --region ap-guangzhou --ImageIds img-mfih409y --DryRun
  tccvm delete-images --ImageIds img-aaaa1111 img-bbbb2222 --DeleteBindedSnap --yes
  tccvm cvm DeleteImages --cli-input-json file://delete.json --output table
  tccvm delete-images --ids-file old-images.txt --yes --output table
  grep -v keep images.txt | tccvm delete-images --ids-file - --yes
  tccvm describe-images --Filters '[{"Name":"image-type","Values":["PRIVATE_IMAGE"]}]' --output table
  tccvm delete-images --ImageIds img-mfih409y --print-request
  tccvm prune-images --name 'web-*' --older-than 90d --keep 3 --output table

Exit status: 0 ok · 1 API error or some ids failed · 2 usage error · 3 credentials/config error ·
4 confirmation declined · 130 interrupted
`;

// ---------------------------------------------------------------------------------------------
// Setup: credentials, client

// --use-cvm-role: the region from --region or TENCENTCLOUD_REGION, the key from the metadata service.
function cvmRoleOptions(args, env) {
  if (args.profile !== undefined) throw new UsageError('--use-cvm-role and --profile exclude each other: pick one source of credentials');
  const keyVariables = ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'].filter((name) => env[name]);
  if (keyVariables.length > 0) {
    throw new UsageError(`--use-cvm-role and ${keyVariables.join(' / ')} in the environment exclude each other: unset them or drop --use-cvm-role`);
  }
  const region = args.region || env.TENCENTCLOUD_REGION;
  if (!region) throw new UsageError('no region: pass --region or set TENCENTCLOUD_REGION');
  const roleOptions = {};
  const metadataUrl = args.metadataUrl || env.TCCVM_METADATA_URL;
  if (metadataUrl) roleOptions.metadataUrl = metadataUrl;
  if (args.roleName !== undefined) roleOptions.roleName = args.roleName;
  try {
    return { credentials: pkg.cvmRoleCredentials(roleOptions), region };
  } catch (error) {
    if (error instanceof pkg.ValidationError) throw new UsageError(`--${error.field === 'roleName' ? 'role-name' : 'metadata-url'}: ${error.message}`);
    throw error;
  }
}

function clientOptions(args, env) {
  if (!args.useCvmRole && (args.roleName !== undefined || args.metadataUrl !== undefined)) {
    throw new UsageError(`${args.roleName !== undefined ? '--role-name' : '--metadata-url'} needs --use-cvm-role`);
  }
  const options = args.useCvmRole ? cvmRoleOptions(args, env) : keyOptions(args, env);
  const endpoint = args.endpoint || env.TCCVM_ENDPOINT;
  if (endpoint) options.endpoint = endpoint;
  if (args.host) options.host = args.host;
  if (args.method) options.method = args.method.toUpperCase();
  if (args.language) options.language = args.language;
  if (args.signMethod) options.signMethod = args.signMethod;
  if (args.timeout !== undefined) options.timeoutMs = args.timeout;
  if (args.retries !== undefined) options.retries = args.retries;
  return options;
}

// --print-request signs with a key at hand: a CVM role's is fetched once for it.
async function signingOptions(options) {
  if (!options.credentials) return options;
  const { credentials, ...rest } = options;
  const { secretId, secretKey, token } = await credentials.getCredential();
  return { ...rest, secretId, secretKey, token };
}

function keyOptions(args, env) {
  let credentials;
  try {
    credentials = loadCredentials({ profile: args.profile, env });
  } catch (error) {
    if (error instanceof CredentialsError) throw Object.assign(error, { exitCode: EXIT.config });
    throw error;
  }
  const region = args.region || credentials.region;
  if (!region) {
    throw new UsageError('no region: pass --region, set TENCENTCLOUD_REGION, or add region to the profile');
  }
  const options = { secretId: credentials.secretId, secretKey: credentials.secretKey, region };
  if (credentials.token) options.token = credentials.token;
  return options;
}

function makeClient(options) {
  try {
    return new pkg.CvmClient(options);
  } catch (error) {
    if (error instanceof TypeError || error instanceof pkg.ValidationError) throw new UsageError(error.message);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function table(rows, columns) {
  const cell = (v) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))]
    .join('\n') + '\n';
}

// describe-images' table columns: fields every Image has (the core's declared shape; a test checks).
const IMAGE_COLUMNS = ['ImageId', 'ImageName', 'ImageState', 'ImageType', 'OsName', 'CreatedTime'];

/** The line under a describe-images table: how many of how many, and how to see the rest. */
function pageLine(shown, offset, total, all) {
  if (all) return `${plural(shown, 'image')} (every page, --all)`;
  const from = offset > 0 ? ` from --Offset ${offset}` : '';
  const next = offset + shown;
  if (shown === 0 || next >= total) return `${shown} of ${total}${from}`;
  return `${shown} of ${total}${from} — \`--Offset ${next}\` for the next page (or --all for every page)`;
}

// `deleted`: for delete-images, {imageIds, dryRun, region}: the table then has a row per image
// whose Status says deleted or would-delete, under a title that says which; the JSON of a DryRun
// says `"dryRun": true` (a real delete's answer looks the same otherwise). `listed`: for
// describe-images, {offset, all, setChanged}.
function printResponse(response, output, deleted, listed = { offset: 0, all: false }) {
  const { attempts, ...apiFields } = response;
  if (output === 'table') {
    if (deleted) {
      const { imageIds, dryRun, region } = deleted;
      const n = plural(imageIds.length, 'image');
      process.stdout.write(dryRun ? `DryRun: would delete ${n} in ${region} (nothing was deleted)\n` : `Deleted ${n} in ${region}\n`);
      const Status = dryRun ? 'would-delete' : 'deleted';
      process.stdout.write(table(imageIds.map((ImageId) => ({ ImageId, Status, RequestId: apiFields.RequestId })), ['ImageId', 'Status', 'RequestId']));
    } else {
      const images = apiFields.ImageSet || [];
      process.stdout.write(table(images, IMAGE_COLUMNS));
      const line = pageLine(images.length, listed.offset, apiFields.TotalCount ?? images.length, listed.all);
      process.stdout.write(listed.all ? `${line}\n` : `${line}   RequestId: ${apiFields.RequestId}\n`);
    }
  } else {
    process.stdout.write(`${JSON.stringify(deleted && deleted.dryRun ? { dryRun: true, ...apiFields } : apiFields, null, 2)}\n`);
  }
  if (listed.setChanged) process.stderr.write('tccvm: note: images were added or removed while listing; each image that stayed is listed once\n');
  if (attempts > 1) process.stderr.write(`tccvm: note: succeeded after ${attempts} attempts\n`);
}

function reportApiError(error) {
  // The core's TencentCloudError message already starts with the code.
  const text = error.message.startsWith(error.code) ? error.message : `${error.code}: ${error.message}`;
  const lines = [`tccvm: error: ${text}`];
  lines.push(`  RequestId: ${error.requestId || '(none: the server gave no answer)'}`);
  if (error.httpStatus && error.httpStatus !== 200) lines.push(`  HTTP status: ${error.httpStatus}`);
  if (error.attempts !== undefined) {
    const trail = (error.history || []).map((h) => h.code).join(' → ');
    lines.push(`  attempts: ${error.attempts}${trail ? ` (${trail})` : ''}`);
  }
  if (error.code === 'ClientError.Aborted' && (error.history || []).some((h) => h.outcomeUnknown)) {
    lines.push('  outcome unknown: the request was in flight when interrupted; the server may have applied it (for delete-images:'
      + ' the images may be deleted); check with describe-images');
  } else if (!error.probablyDeletedByEarlierAttempt && (error.history || []).some((h) => h.outcomeUnknown)) {
    lines.push('  outcome unknown: an attempt got no usable answer and the server may have applied it (for delete-images:'
      + ' the images may be deleted); check with describe-images');
  }
  if (error.probablyDeletedByEarlierAttempt) {
    lines.push('  note: an earlier attempt got no usable answer and probably deleted the images; check with describe-images');
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}

// --print-request: the request exactly as it would be sent, and the two intermediate strings of
// TC3-HMAC-SHA256 (tencent-api-3.md §1), recomputed by the core's signer from the request's parts.
// The secret key is never printed; a session token is masked. In bulk mode, `bulkPlan` (the calls
// planned) comes first, and the request is the first call's.
function printSignedRequest(request, options, output, bulkPlan) {
  if (request.signing.signatureMethod) return printV1Request(request, output, bulkPlan);
  const url = new URL(request.url);
  const contentType = request.headers['Content-Type'] || request.headers['content-type'];
  const signedHeaders = /SignedHeaders=([^,\s]+)/.exec(request.headers.Authorization)[1];
  const action = request.headers['X-TC-Action'];
  const signed = pkg.signTc3({
    secretId: options.secretId,
    secretKey: options.secretKey,
    service: 'cvm', // the core's default: the product, whatever host a proxy or emulator has
    host: options.host || url.host,
    method: request.method,
    contentType,
    query: request.method === 'GET' ? url.search.slice(1) : undefined,
    payload: request.body || '',
    timestamp: Number(request.headers['X-TC-Timestamp']),
    action,
    signAction: signedHeaders.split(';').includes('x-tc-action'),
  });
  const headers = { ...request.headers };
  if (headers['X-TC-Token']) headers['X-TC-Token'] = `<session token, ${headers['X-TC-Token'].length} characters, not shown>`;
  const consistent = signed.authorization === request.headers.Authorization;
  if (output === 'json') {
    const report = {
      ...(bulkPlan && { plan: bulkPlan }),
      request: { method: request.method, url: request.url, headers, body: request.body },
      canonicalRequest: signed.canonicalRequest,
      stringToSign: signed.stringToSign,
      credentialScope: signed.credentialScope,
      signedHeaders: signed.signedHeaders,
      signature: signed.signature,
      consistent,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const out = bulkPlan ? [...planLines(bulkPlan), '', '--- the first request ---'] : [];
    out.push(`${request.method} ${request.url}`);
    for (const [name, value] of Object.entries(headers)) out.push(`${name}: ${value}`);
    out.push('', request.body || '', '', '--- canonical request ---', signed.canonicalRequest, '',
      '--- string to sign ---', signed.stringToSign, '');
    process.stdout.write(`${out.join('\n')}\n`);
  }
  if (!consistent) {
    process.stderr.write('tccvm: warning: recomputing the signature from the request parts gave a different Authorization\n');
  }
}

// --print-request of a v1 request (tencent-api-3.md §2): the request, the string to sign and the
// signature from the core's signer. The session token is a parameter here: it is masked by name,
// in the parameters the request carries (encoded `name=value` pairs, where `&` and `=` never occur
// inside a name or value), never by searching text, so a parameter value containing `&Token=`
// cannot hide the real one. The string to sign shown is those pairs, decoded, after the core's
// prefix; it is checked to be the core's string before masking.
const TOKEN_SHOWN = '<session token, not shown>';
function printV1Request(request, output, bulkPlan) {
  const [base, query = ''] = request.method === 'GET' ? request.url.split(/\?(.*)/s) : [request.url];
  const encoded = request.method === 'GET' ? query : request.body;
  const pairs = encoded.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  const masked = pairs.map(([name, value]) => `${name}=${name === 'Token' ? TOKEN_SHOWN : value}`).join('&');
  const shown = {
    method: request.method,
    url: request.method === 'GET' ? `${base}?${masked}` : request.url,
    headers: request.headers,
    body: request.method === 'GET' ? request.body : masked,
  };
  const { signatureMethod, signature, stringToSign: signed } = request.signing;
  const decoded = pairs.filter(([name]) => name !== 'Signature').map(([name, value]) => [decodeURIComponent(name), decodeURIComponent(value)]);
  const tail = decoded.map(([name, value]) => `${name}=${value}`).join('&');
  const consistent = signed.endsWith(tail);
  const stringToSign = consistent
    ? signed.slice(0, signed.length - tail.length) + decoded.map(([name, value]) => `${name}=${name === 'Token' ? TOKEN_SHOWN : value}`).join('&')
    : '(not shown: the parameters sent differ from those signed)';
  if (!consistent) process.stderr.write('tccvm: warning: the parameters of the request differ from the string the core signed\n');
  if (output === 'json') {
    process.stdout.write(`${JSON.stringify({ ...(bulkPlan && { plan: bulkPlan }), request: shown, signatureMethod, stringToSign, signature, consistent }, null, 2)}\n`);
    return;
  }
  const out = bulkPlan ? [...planLines(bulkPlan), '', '--- the first request ---'] : [];
  out.push(`${shown.method} ${shown.url}`);
  for (const [name, value] of Object.entries(shown.headers)) out.push(`${name}: ${value}`);
  out.push('', shown.body || '', '', `--- string to sign (${signatureMethod}) ---`, stringToSign, '', `signature: ${signature}`, '');
  process.stdout.write(`${out.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Bulk plan and report (the engine is bulk.cjs)

/** What a bulk run would send: `{ids, calls, idsPerCall, duplicates, rejectedLocally}`. */
function bulkPlanOf(planned) {
  const count = (status) => planned.ledger.filter((r) => r.Status === status).length;
  return {
    ids: planned.ledger.length,
    calls: planned.chunks.length,
    idsPerCall: planned.chunks.map((ids) => ids.length),
    duplicates: count('skipped'),
    rejectedLocally: count('failed'),
  };
}

function planLines(p) {
  const lines = [`plan: ${plural(p.ids, 'id')} → ${plural(p.calls, 'DeleteImages call')}`
    + (p.calls > 0 ? ` of ${p.idsPerCall.join(' + ')} ids` : '')
    + ` (at most ${pkg.MAX_IMAGE_IDS_PER_CALL} per call), paced by the client`];
  if (p.duplicates > 0) lines.push(`  ${plural(p.duplicates, 'duplicate')} skipped`);
  if (p.rejectedLocally > 0) lines.push(`  ${plural(p.rejectedLocally, 'malformed id')} rejected locally (not sent)`);
  lines.push('  a refused call adds a DescribeImages lookup and one more DeleteImages call (or a split); retries add attempts');
  return lines;
}

function printBulkReport(ledger, calls, output, { dryRun, region, extra }) {
  const summary = summarize(ledger);
  if (output === 'table') {
    process.stdout.write(dryRun ? `DryRun in ${region}: ${plural(ledger.length, 'id')} checked, nothing was deleted\n`
      : `DeleteImages in ${region}: ${plural(ledger.length, 'id')}\n`);
    process.stdout.write(table(ledger, ['ImageId', 'Line', 'Status', 'Code', 'RequestId', 'Note']));
    process.stdout.write(`\ntotal ${summary.total} · ${tally(summary, calls)}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ ...(dryRun ? { dryRun: true } : {}), ...extra, summary: { ...summary, calls }, images: ledger }, null, 2)}\n`);
  }
  if (summary.unknown > 0) {
    process.stderr.write(`tccvm: warning: ${summary.unknown} image(s) have an unknown outcome: a request whose answer was lost `
      + 'may have deleted them, or may still do so; re-run (with the same ids) to settle it\n');
  }
  if (summary.probablyDeleted > 0) {
    process.stderr.write(`tccvm: warning: ${summary.probablyDeleted} image(s) were not found after an attempt whose answer `
      + 'was lost: they are gone, probably deleted by that attempt\n');
  }
  return summary;
}

/** The summary's non-zero counts and the calls, as the table's last line and the progress line say them. */
function tally(summary, calls) {
  const counts = Object.entries(summary).filter(([k, v]) => k !== 'total' && v > 0).map(([k, v]) => `${k} ${v}`);
  return [...counts, `calls ${calls}`].join(' · ');
}

// On a terminal, one line rewritten after each call; the engine's last report (`final`) comes after
// lost answers were settled, so the line left on screen says what the table says.
function progressReporter() {
  if (!process.stderr.isTTY) return () => {};
  return (ledger, calls, { final = false } = {}) => {
    const s = summarize(ledger);
    const done = s.total - ledger.filter((r) => r.Status === 'pending').length;
    process.stderr.write(`\r\x1b[Kprogress: ${done}/${s.total} ids · ${tally(s, calls)}${final ? '\n' : ''}`);
  };
}

// ---------------------------------------------------------------------------------------------
// Confirmation

// Resolves 'yes', 'no' or 'interrupted' (Ctrl-C at the prompt, which readline reports as its own
// SIGINT event, or a SIGINT sent to the process, which aborts `signal`).
async function confirm(question, signal) {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  const onAbort = () => rl.emit('SIGINT');
  try {
    return await new Promise((resolve) => {
      rl.once('SIGINT', () => resolve('interrupted'));
      signal.addEventListener('abort', onAbort, { once: true });
      rl.question(question, (answer) => resolve(/^y(es)?$/i.test(answer.trim()) ? 'yes' : 'no'));
      rl.once('close', () => resolve('no'));
    });
  } finally {
    signal.removeEventListener('abort', onAbort);
    rl.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(argv, env) {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (args.version) {
    process.stdout.write(`tccvm ${pkg.VERSION}\n`);
    return EXIT.ok;
  }
  if (!args.command) throw new UsageError('missing command: delete-images, describe-images or prune-images');
  const output = args.output || 'json';
  if (!['json', 'table'].includes(output)) throw new UsageError(`--output must be json or table, got "${output}"`);
  const pruneOptions = prune.checkPruneArgs(args, UsageError);
  if (args.all && args.command !== 'describe-images') throw new UsageError('--all only applies to describe-images');

  const params = { ...(args.cliInputJson ? readCliInputJson(args.cliInputJson) : {}), ...args.api };
  const options = clientOptions(args, env);
  const client = makeClient(options);

  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const { signal } = controller;

  if (pruneOptions) {
    return prune.pruneImages(args, pruneOptions, { options, client, output, signal, confirm, table, plural, printBulkReport, progressReporter, EXIT });
  }
  if (args.command === 'describe-images') {
    if (args.idsFile) throw new UsageError('--ids-file only applies to delete-images');
    if (args.printRequest) {
      const keyed = await signingOptions(options);
      printSignedRequest(pkg.buildRequest('DescribeImages', params, { ...keyed, timestamp: nowSec() }), keyed, args.output);
      return EXIT.ok;
    }
    if (args.all) {
      // Every page through the client's paginator (--Limit: the page size; --Offset: where to start).
      const pages = client.paginateDescribeImages(params, { signal });
      const ImageSet = [];
      let TotalCount = 0;
      for await (const page of pages) {
        ImageSet.push(...page.ImageSet);
        TotalCount = page.TotalCount;
      }
      const answer = { ImageSet, TotalCount, pages: pages.requests, setChanged: pages.setChanged, attempts: 1 };
      printResponse(answer, output, undefined, { offset: 0, all: true, setChanged: pages.setChanged });
      return EXIT.ok;
    }
    printResponse(await client.describeImages(params, { signal }), output, undefined, { offset: Number.isSafeInteger(params.Offset) ? params.Offset : 0, all: false });
    return EXIT.ok;
  }

  // delete-images
  let entries;
  if (args.idsFile) {
    entries = readIdsFile(args.idsFile);
    if (params.ImageIds) entries = [...params.ImageIds.map((id) => ({ id, line: null })), ...entries];
    if (entries.length === 0) throw new UsageError(`--ids-file ${args.idsFile}: no image ids in it`);
  }
  const imageIds = entries ? entries.map((e) => e.id) : params.ImageIds;
  if (!Array.isArray(imageIds) || imageIds.length === 0) throw new UsageError('delete-images needs --ImageIds or --ids-file');
  const bulk = Boolean(entries) || imageIds.length > pkg.MAX_IMAGE_IDS_PER_CALL;

  if (args.printRequest) {
    const { ImageIds: _ids, ...shared } = params;
    const planned = bulk ? plan(entriesOf(entries, imageIds), { params: shared, method: options.method, signMethod: options.signMethod }) : { chunks: [imageIds] };
    const bulkPlan = bulk ? bulkPlanOf(planned) : undefined;
    if (planned.chunks.length === 0) {
      process.stdout.write(args.output === 'json' ? `${JSON.stringify({ plan: bulkPlan, request: null }, null, 2)}\n`
        : `${planLines(bulkPlan).join('\n')}\nno request: every id was rejected locally or repeated\n`);
      return EXIT.ok;
    }
    const keyed = await signingOptions(options);
    // As the run does: a call the signature makes too large (v1 puts a long session token in the
    // query) is halved.
    let first = planned.chunks[0];
    let request;
    for (;;) {
      try {
        request = pkg.buildDeleteImages({ ...params, ImageIds: first }, { ...keyed, timestamp: nowSec() });
        break;
      } catch (error) {
        if (!(error instanceof pkg.ValidationError && error.code === 'RequestSizeLimitExceeded' && bulk && first.length > 1)) throw error;
        first = first.slice(0, Math.ceil(first.length / 2));
      }
    }
    if (first.length < planned.chunks[0].length) {
      process.stderr.write(`tccvm: note: the first call is too large once signed; the run halves it, as here (${first.length} of its ${planned.chunks[0].length} ids)\n`);
    }
    printSignedRequest(request, keyed, args.output, bulkPlan);
    return EXIT.ok;
  }

  const dryRun = params.DryRun === true || /^true$/i.test(String(params.DryRun));
  if (!dryRun && !args.yes && imageIds.length > 1 && !process.stdin.isTTY) {
    // As tccli: no terminal, no question. But say so, once, where a script's log will show it.
    process.stderr.write(`tccvm: deleting ${imageIds.length} images in ${options.region} without asking (stdin is not a terminal); --yes silences this note\n`);
  } else if (!dryRun && !args.yes && imageIds.length > 1) {
    const sample = imageIds.slice(0, 5).join(', ') + (imageIds.length > 5 ? ', …' : '');
    const answer = await confirm(`Delete ${imageIds.length} images (${sample}) in ${options.region}? [y/N] `, signal);
    if (answer !== 'yes') {
      process.stderr.write(answer === 'interrupted' ? '\ntccvm: interrupted: nothing deleted\n' : 'tccvm: nothing deleted\n');
      return answer === 'interrupted' ? EXIT.interrupted : EXIT.declined;
    }
  }

  if (!bulk) {
    printResponse(await client.deleteImages({ ...params, ImageIds: imageIds }, { signal }), output, { imageIds, dryRun, region: options.region });
    return EXIT.ok;
  }
  const { ImageIds: _ignored, ...shared } = params;
  const { ledger, calls } = await deleteInBulk(client, entriesOf(entries, imageIds),
    { params: shared, dryRun, signal, progress: progressReporter(), signMethod: options.signMethod });
  const summary = printBulkReport(ledger, calls, output, { dryRun, region: options.region });
  if (signal.aborted) return EXIT.interrupted;
  const notDone = summary.failed + summary.unknown + ledger.filter((r) => r.Status === 'skipped' && !r.Note.startsWith('duplicate')).length;
  return notDone > 0 ? EXIT.apiError : EXIT.ok;
}

/** The bulk engine's input: the --ids-file entries, or --ImageIds values (no line numbers). */
function entriesOf(entries, imageIds) {
  return entries || imageIds.map((id) => ({ id, line: null }));
}

function nowSec() {
  return Math.floor(Date.now() / 1000);
}

function reportFailure(error) {
  if (error instanceof UsageError) {
    process.stderr.write(`tccvm: usage error: ${error.message}\n(see tccvm --help)\n`);
    return EXIT.usage;
  }
  if (error instanceof pkg.ValidationError) {
    process.stderr.write(`tccvm: invalid parameter ${error.field}: ${error.code}: ${error.message}\n(nothing was sent)\n`);
    return EXIT.usage;
  }
  if (error instanceof CredentialsError) {
    process.stderr.write(`tccvm: credentials: ${error.message}\n`);
    return EXIT.config;
  }
  if (error instanceof pkg.TencentCloudError && error.code === 'ClientError.Credentials') {
    // The key could not be had (e.g. --use-cvm-role off a CVM): nothing was sent.
    process.stderr.write(`tccvm: credentials: ${error.message.replace(/^ClientError\.Credentials: /, '')}\n`);
    return EXIT.config;
  }
  if (error instanceof pkg.TencentCloudError) {
    reportApiError(error);
    return error.code === 'ClientError.Aborted' ? EXIT.interrupted : EXIT.apiError;
  }
  process.stderr.write(`tccvm: internal error: ${error && error.stack ? error.stack : error}\n`);
  return EXIT.apiError;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => { process.exitCode = code; },
    (error) => { process.exitCode = reportFailure(error); },
  );
}

// For the test suites: the pieces that are worth testing without a process around them.
module.exports = { parseArgs, parseIdsText, splitChunk, deleteInBulk, summarize, EXIT };
