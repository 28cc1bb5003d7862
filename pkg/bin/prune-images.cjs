'use strict';
// `tccvm prune-images`: rotate custom images. Lists the region's private images (DescribeImages,
// 100 a page), plans with prune-plan.cjs (keep the newest --keep of each family, delete what is
// older than --older-than, never a non-NORMAL or non-private image), asks
// DescribeImageSharePermission about each image planned for deletion (a shared one, or one that
// could not be checked, is skipped), prints the plan, asks, and deletes through the bulk engine
// (bulk.cjs), whose ledger accounts for every image sent. One job: this command (its flags are in
// args.cjs, its help in help.cjs).

const { pkg, CODES } = require('./core.cjs');
// The core's catalogue says which DeleteImages refusals mean "shared with other accounts".
const { batchAdvice } = pkg.internal;
const { planPrune, PruneOptionError } = require('./prune-plan.cjs');
const { deleteInBulk } = require('./bulk.cjs');
const { EXIT, UsageError, PRUNE_FLAGS } = require('./args.cjs');
const { plural, table, printBulkReport, progressReporter, confirm } = require('./output.cjs');

// Flags of the other commands that make no sense here: said, not ignored.
const NOT_FOR_PRUNE = {
  ImageIds: '--ImageIds', idsFile: '--ids-file', cliInputJson: '--cli-input-json', printRequest: '--print-request',
  Filters: '--Filters', Limit: '--Limit', Offset: '--Offset', InstanceType: '--InstanceType',
};

const FILTER_VALUES_MAX = 5; // Filters.Values per filter, per Tencent's DescribeImages page

/** Usage problems of the prune flags, or prune flags given to another command. */
function checkPruneArgs(args) {
  if (args.command !== 'prune-images') {
    const stray = PRUNE_FLAGS.find(([, [key]]) => args[key] !== undefined);
    if (stray) throw new UsageError(`${stray[0]} only applies to prune-images`);
    return undefined;
  }
  for (const [key, flag] of Object.entries(NOT_FOR_PRUNE)) {
    if (args[key] !== undefined || args.api[key] !== undefined) throw new UsageError(`${flag} does not apply to prune-images`);
  }
  if (!args.names) throw new UsageError("prune-images needs --name <glob> (--name '*' for every image)");
  if (args.olderThan === undefined) throw new UsageError('prune-images needs --older-than, e.g. --older-than 90d');
  if (args.keep === undefined) throw new UsageError('prune-images needs --keep, the newest images of each family to keep, e.g. --keep 3');
  const options = { names: args.names, olderThan: args.olderThan, keep: args.keep, familyRegex: args.familyRegex };
  try {
    planPrune([], { ...options, now: Date.now() }); // every option checked before anything is sent
  } catch (error) {
    if (error instanceof PruneOptionError) throw new UsageError(error.message);
    throw error;
  }
  return options;
}

/**
 * Every private image of the region, through the client's paginator (listImages: 100 a page, no
 * image twice, images that move between pages still found). A name filter narrows the listing
 * when every glob is a plain name: the API's image-name filter is no glob (exact; newer pages of
 * Tencent's say it also matches fuzzily), but either way it returns every image of that exact
 * name, and the plan applies the globs. `setChanged`: images were added or removed while listing
 * (the plan is still sound: an image missed could only make it keep more).
 */
async function listPrivateImages(client, names, signal) {
  const filters = [{ Name: 'image-type', Values: ['PRIVATE_IMAGE'] }];
  if (names.every((n) => !/[*?]/.test(n)) && names.length <= FILTER_VALUES_MAX) filters.push({ Name: 'image-name', Values: names });
  const listing = client.listImages({ Filters: filters }, { signal });
  const images = [];
  for await (const image of listing) images.push(image);
  return { images, calls: listing.requests, setChanged: listing.setChanged };
}

const CLOCK_SOURCES = {
  server: "the server's clock, from the Date of its answers",
  learned: `the server's clock, as learned from ${CODES.signatureExpire}`,
  local: "this machine's clock: the server's answers carried no Date",
};
const SKEW_WARNING_MS = 60_000;

/**
 * "Now" for measuring ages: the server's (CreatedTime is its clock's), from the Date of the
 * listing's answers, or the offset the client learned from a SignatureExpire; the local clock only
 * when neither is known. A local clock more than a minute off gets a warning.
 */
function serverNow(client) {
  const local = Date.now();
  const seen = client.serverClockOffsetMs;
  const learned = client.clockOffsetSec * 1000;
  const [source, offset] = seen !== undefined ? ['server', seen] : learned !== 0 ? ['learned', learned] : ['local', 0];
  const skew = Math.abs(offset) > SKEW_WARNING_MS
    ? `this machine's clock is ${describeSpan(Math.abs(offset))} ${offset > 0 ? 'behind' : 'ahead of'} the server's; ages are measured with the server's`
    : undefined;
  const warning = source === 'local' ? "the server's answers carried no Date header: ages are measured with this machine's clock" : skew;
  return { now: local + offset, source, warning };
}

function describeSpan(ms) {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(ms / 3_600_000);
  return hours < 48 ? `${hours} hours` : `${Math.round(ms / 86_400_000)} days`;
}

const SHARE_CHECKS_AT_ONCE = 5; // DescribeImageSharePermission calls in flight; the client paces them

/**
 * DescribeImageSharePermission for each id (one image a call), a few at a time: a Map ImageId →
 * accounts it is shared with, or the error code when the check failed. Stops starting checks once
 * `signal` aborts; the ids not checked are then absent (the plan skips them: not checked).
 */
async function checkSharing(client, imageIds, signal) {
  const shares = new Map();
  let next = 0;
  let calls = 0;
  async function worker() {
    while (next < imageIds.length && !signal?.aborted) {
      const ImageId = imageIds[next];
      next += 1;
      calls += 1;
      try {
        const answer = await client.request('DescribeImageSharePermission', { ImageId }, { signal });
        const set = answer.SharePermissionSet;
        // An answer without the list says nothing about sharing: as good as a failed check.
        shares.set(ImageId, Array.isArray(set) ? new Set(set.map((p) => p?.AccountId)).size : 'no SharePermissionSet in the answer');
      } catch (error) {
        shares.set(ImageId, typeof error?.code === 'string' && error.code !== '' ? error.code : error?.name || 'Error');
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(SHARE_CHECKS_AT_ONCE, imageIds.length) }, worker));
  return { shares, calls };
}

/**
 * prune-images, after the dispatcher parsed the arguments and checkPruneArgs gave `prune`: the
 * run's {options, client, output, signal}. Resolves the exit code.
 */
async function pruneImages(args, prune, { options, client, output, signal }) {
  const dryRun = args.api.DryRun === true;
  const listing = await listPrivateImages(client, prune.names, signal);
  const clock = serverNow(client);
  const { now } = clock;
  if (clock.warning) process.stderr.write(`tccvm: warning: ${clock.warning}\n`);
  const firstPlan = planPrune(listing.images, { ...prune, now });
  const candidates = firstPlan.entries.filter((e) => e.action === 'delete').map((e) => e.ImageId);
  if (candidates.length > 0 && process.stderr.isTTY) process.stderr.write(`tccvm: checking sharing of ${plural(candidates.length, 'image')}…\n`);
  const sharing = await checkSharing(client, candidates, signal);
  const { cutoff, entries } = planPrune(listing.images, { ...prune, now, shares: sharing.shares });
  // A check that failed (or was never made) kept an image the user asked to delete: as for a
  // partial run, exit 1. A shared image is kept by the rule: not a failure.
  const unchecked = candidates.filter((id) => typeof sharing.shares.get(id) !== 'number').length;
  const apiCalls = listing.calls + sharing.calls;
  const toDelete = entries.filter((e) => e.action === 'delete').map((e) => e.ImageId);
  const counts = { keep: 0, delete: 0, skip: 0 };
  for (const e of entries) counts[e.action] += 1;
  // The JSON output: the plan, then the bulk report's summary and ledger (null and [] if nothing was sent).
  const planned = { region: options.region, cutoff, now: new Date(now).toISOString(), clock: clock.source, dryRun, counts, plan: entries };
  const planText = `Prune plan in ${options.region}: ${plural(entries.length, 'image')} named ${prune.names.join(', ')}; `
    + `keep ${counts.keep} · delete ${counts.delete} · skip ${counts.skip} (cutoff ${cutoff}: ${prune.olderThan} before ${planned.now}, ${CLOCK_SOURCES[clock.source]})\n`
    + (entries.length > 0 ? table(entries, ['action', 'ImageId', 'ImageName', 'CreatedTime', 'family', 'reason']) : '');
  const finish = (code) => {
    if (output === 'json') process.stdout.write(`${JSON.stringify({ ...planned, summary: null, images: [] }, null, 2)}\n`);
    return code;
  };

  if (output === 'table') process.stdout.write(planText);
  if (signal.aborted) {
    process.stderr.write('tccvm: interrupted: nothing deleted\n');
    return finish(EXIT.interrupted);
  }
  if (unchecked > 0) process.stderr.write(`tccvm: ${plural(unchecked, 'image')} skipped: the share check failed\n`);
  if (toDelete.length === 0) {
    process.stderr.write('tccvm: nothing to delete\n');
    return finish(unchecked > 0 ? EXIT.apiError : EXIT.ok);
  }
  if (!dryRun && !args.yes) {
    if (!process.stdin.isTTY) {
      process.stderr.write(`tccvm: nothing deleted: ${plural(toDelete.length, 'image')} planned, but stdin is not a terminal to confirm on; `
        + 'pass --yes to delete them (or --DryRun to have the API check them)\n');
      return finish(EXIT.declined);
    }
    if (output === 'json') process.stderr.write(planText);
    const sample = toDelete.slice(0, 5).join(', ') + (toDelete.length > 5 ? ', …' : '');
    const answer = await confirm(`Delete ${toDelete.length} images (${sample}) in ${options.region}? [y/N] `, signal);
    if (answer !== 'yes') {
      process.stderr.write(answer === 'interrupted' ? '\ntccvm: interrupted: nothing deleted\n' : 'tccvm: nothing deleted\n');
      return finish(answer === 'interrupted' ? EXIT.interrupted : EXIT.declined);
    }
  }

  // The bulk engine sends `params` with each call; its `dryRun` only names the outcome.
  const params = { ...(dryRun && { DryRun: true }), ...(args.api.DeleteBindedSnap !== undefined && { DeleteBindedSnap: args.api.DeleteBindedSnap }) };
  const { ledger, calls } = await deleteInBulk(client, toDelete.map((id) => ({ id, line: null })),
    { params, dryRun, signal, progress: progressReporter(), signMethod: options.signMethod });
  // Shared since its check: the API enforced the rule. Kept, as asked; not a failure.
  for (const row of ledger) {
    if (row.Status === 'failed' && batchAdvice(row.Code).shared) {
      Object.assign(row, { Status: 'skipped', Note: 'shared with other accounts: DeleteImages refused it, kept' });
    }
  }
  if (output === 'table') process.stdout.write('\n');
  printBulkReport(ledger, calls + apiCalls, output, { dryRun, region: options.region, extra: planned });
  if (signal.aborted) return EXIT.interrupted;
  const notDone = ledger.filter((r) => r.Status === 'failed' || r.Status === 'unknown' || (r.Status === 'skipped' && r.Note.startsWith('not attempted'))).length;
  return notDone + unchecked > 0 ? EXIT.apiError : EXIT.ok;
}

module.exports = { checkPruneArgs, listPrivateImages, checkSharing, pruneImages };
