'use strict';
// `tccvm delete-images` (one job): --ImageIds or --ids-file, asked for on a terminal, sent as one
// call or through the bulk engine (bulk.cjs) with a ledger of every id; --print-request shows the
// first signed request (and the bulk plan) instead.

const { pkg, isTrue } = require('./core.cjs');
const { EXIT, UsageError, readIdsFile } = require('./args.cjs');
const { signingOptions } = require('./credentials.cjs');
const { deleteInBulk, plan } = require('./bulk.cjs');
const { printResponse, bulkPlanOf, planLines, printBulkReport, progressReporter, confirm } = require('./output.cjs');
const { printSignedRequest, nowSec } = require('./print-request.cjs');

/** delete-images after the dispatcher parsed the arguments: resolves the exit code. */
async function deleteImages(args, params, { options, client, output, signal }) {
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
    printSignedRequest(request, args.output, bulkPlan);
    return EXIT.ok;
  }

  // DryRun as the core reads a Boolean parameter: true, "True" or "true" (not "TRUE", which it refuses).
  const dryRun = isTrue(params.DryRun);
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

module.exports = { deleteImages };
