'use strict';
// What tccvm writes (one job: the terminal): tables, answers, the bulk plan and report, progress,
// API errors and the exit code of a failure, and the confirmation prompt.

const readline = require('node:readline');
const { pkg, CODES } = require('./core.cjs');
const { summarize } = require('./bulk.cjs');
const { EXIT, UsageError } = require('./args.cjs');

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
  if (error.code === CODES.aborted && (error.history || []).some((h) => h.outcomeUnknown)) {
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

/** What the process says about a failed run, and its exit code. */
function reportFailure(error) {
  if (error instanceof UsageError) {
    process.stderr.write(`tccvm: usage error: ${error.message}\n(see tccvm --help)\n`);
    return EXIT.usage;
  }
  if (error instanceof pkg.ValidationError) {
    process.stderr.write(`tccvm: invalid parameter ${error.field}: ${error.code}: ${error.message}\n(nothing was sent)\n`);
    return EXIT.usage;
  }
  if (error instanceof pkg.CredentialsError) {
    process.stderr.write(`tccvm: credentials: ${error.message}\n`);
    return EXIT.config;
  }
  if (error instanceof pkg.TencentCloudError && error.code === CODES.credentials) {
    // The key could not be had (e.g. --use-cvm-role off a CVM): nothing was sent.
    const prefix = `${CODES.credentials}: `;
    process.stderr.write(`tccvm: credentials: ${error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message}\n`);
    return EXIT.config;
  }
  if (error instanceof pkg.TencentCloudError) {
    reportApiError(error);
    return error.code === CODES.aborted ? EXIT.interrupted : EXIT.apiError;
  }
  process.stderr.write(`tccvm: internal error: ${error && error.stack ? error.stack : error}\n`);
  return EXIT.apiError;
}

module.exports = { plural, table, printResponse, reportApiError, bulkPlanOf, planLines, printBulkReport, progressReporter, confirm, reportFailure };
