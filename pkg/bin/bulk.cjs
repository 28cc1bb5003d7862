'use strict';
// The bulk engine of `tccvm delete-images --ids-file`: any number of ids, sent in calls of the
// per-call limit, paced by the client, and ended with a ledger that accounts for every input line
// (deleted, would-delete, probably-deleted, failed with its code, or skipped), including when
// answers were lost on the way. When the server refuses a call because of one (unnamed) id, the
// engine first asks DescribeImages which of the call's ids exist and in what state, and sends
// again only those that can be deleted; only what that cannot explain is split in halves. So a
// re-run over ids that are already gone costs two calls per 100 ids, not two per id.

const pkg = require('../node.cjs');

// What each refusal means for a batch — split it, look its ids up, count it refused, stop — and
// which image states DeleteImages refuses are the core catalogue's answers, not lists kept here.
const { batchAdvice, isBusyImageState } = pkg.internal;

function chunk(list, size) {
  const chunks = [];
  for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
  return chunks;
}

// Whole-word match, so `img-abc` is not found inside `img-abcd`.
function namesId(message, id) {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_-])${escaped}($|[^A-Za-z0-9_-])`).test(message);
}

// The call failed and its message names some of its ids: try those apart first. Otherwise halve.
// Either way both parts are strictly smaller, so the splitting terminates, in at most
// about 2·k·log2(n) calls for k bad ids among n.
function splitChunk(ids, message) {
  const named = ids.filter((id) => namesId(message, id));
  if (named.length > 0 && named.length < ids.length) return [named, ids.filter((id) => !named.includes(id))];
  const half = Math.ceil(ids.length / 2);
  return [ids.slice(0, half), ids.slice(half)];
}

/**
 * The ledger before any call: one row per input line (nothing is silently dropped), duplicates
 * skipped and malformed ids failed locally, the rest pending; and the calls planned for them.
 */
function plan(entries) {
  const ledger = [];
  const rowById = new Map();
  for (const { id, line } of entries) {
    const first = rowById.get(id);
    if (first) {
      ledger.push({ ImageId: id, Line: line, Status: 'skipped', Code: '', RequestId: '', Note: `duplicate of ${first.Line ? `line ${first.Line}` : 'an --ImageIds value'}` });
      continue;
    }
    const row = { ImageId: id, Line: line, Status: 'pending', Code: '', RequestId: '', Note: '' };
    try {
      pkg.validateDeleteImages({ ImageIds: [id] });
    } catch (error) {
      if (!(error instanceof pkg.ValidationError)) throw error;
      Object.assign(row, { Status: 'failed', Code: error.code, Note: 'rejected locally, not sent' });
    }
    ledger.push(row);
    rowById.set(id, row);
  }
  const sendable = ledger.filter((r) => r.Status === 'pending').map((r) => r.ImageId);
  return { ledger, rowById, chunks: chunk(sendable, pkg.MAX_IMAGE_IDS_PER_CALL) };
}

async function deleteInBulk(client, entries, { params, dryRun, signal, progress }) {
  const { ledger, rowById, chunks } = plan(entries);
  const record = (ids, fields) => ids.forEach((id) => Object.assign(rowById.get(id), fields));
  // `looked`: DescribeImages was asked about these ids already; a refusal now means splitting.
  const queue = chunks.map((ids) => ({ ids, looked: false }));
  const okStatus = dryRun ? 'would-delete' : 'deleted';
  const lost = new LostAttempts();
  let stopped;
  let calls = 0;

  while (queue.length > 0) {
    const { ids, looked } = queue.shift();
    if (stopped) {
      record(ids, { Status: 'skipped', Note: `not attempted after ${stopped}` });
      continue;
    }
    calls += 1;
    try {
      const result = await client.deleteImages({ ...params, ImageIds: ids }, { signal });
      record(ids, { Status: okStatus, RequestId: result.RequestId, Note: result.attempts > 1 ? `${result.attempts} attempts` : '' });
      // A DryRun deletes nothing, lost answer or not.
      if (!dryRun) lost.sawCall(ids, [], 'all-exist');
    } catch (error) {
      if (!(error instanceof pkg.TencentCloudError)) throw error;
      if (!dryRun) lost.sawCall(ids, error.history || [], batchAdvice(error.code).refused ? 'refused' : 'unknown');
      if (batchAdvice(error.code).split && ids.length > 1) {
        let rest = ids;
        if (!looked && batchAdvice(error.code).lookUp) {
          calls += 1;
          rest = await lookUp(client, ids, { record, lost, signal });
        }
        if (rest.length === ids.length) queue.unshift(...splitChunk(ids, error.message).map((part) => ({ ids: part, looked: true })));
        else if (rest.length > 0) queue.unshift({ ids: rest, looked: true });
      } else if (error.code === 'InvalidImageId.NotFound' && lost.mayHaveDeleted(ids[0])) {
        record(ids, { Status: 'probably-deleted', Code: error.code, RequestId: error.requestId, Note: NOTE.notFoundAfterLost });
      } else if (error.code === 'ClientError.Aborted') {
        // Interrupted (Ctrl-C): a request in flight may or may not have been applied.
        const inFlight = (error.history || []).some((h) => h.outcomeUnknown);
        record(ids, inFlight
          ? { Status: 'failed', Code: error.code, Note: NOTE.unknown }
          : { Status: 'skipped', Note: 'interrupted before it was sent' });
        stopped = 'the interruption';
      } else {
        const unknown = !dryRun && (error.history || []).some((h) => h.outcomeUnknown);
        record(ids, { Status: 'failed', Code: error.code, RequestId: error.requestId, Note: unknown ? NOTE.unknown : '' });
        if (batchAdvice(error.code).stop) stopped = error.code;
      }
    }
    progress(ledger, calls);
  }
  if (!dryRun && !signal?.aborted) calls += await settleUnknownOutcomes(client, ledger, lost, signal);
  // DeleteImages is all or nothing: a lost attempt that carried an image seen to exist later
  // deleted nothing, so "not found" after it means "never existed", not "probably deleted".
  for (const row of ledger) {
    if (row.Status === 'probably-deleted' && !lost.mayHaveDeleted(row.ImageId)) {
      Object.assign(row, { Status: 'failed', Note: NOTE.neverExisted });
    }
  }
  progress(ledger, calls, { final: true });
  return { ledger, calls };
}


/**
 * A call was refused because of some of its ids: ask DescribeImages (one call, ImageIds filter)
 * which exist and in what state. Ids that do not exist and ids in a busy state get their final
 * row here (not sent again); the rest is returned, to be sent again in one call. A failed lookup
 * returns every id (the caller then splits the call instead).
 */
async function lookUp(client, ids, { record, lost, signal }) {
  let answer;
  try {
    answer = await client.describeImages({ ImageIds: ids, Limit: pkg.MAX_IMAGE_IDS_PER_CALL }, { signal });
  } catch (error) {
    if (!(error instanceof pkg.TencentCloudError)) throw error;
    return ids;
  }
  const state = new Map((answer.ImageSet || []).map((image) => [image.ImageId, image.ImageState]));
  const from = { RequestId: answer.RequestId };
  for (const id of ids) if (state.has(id)) lost.sawExisting(id);
  const rest = [];
  for (const id of ids) {
    if (!state.has(id)) {
      record([id], lost.mayHaveDeleted(id)
        ? { ...from, Status: 'probably-deleted', Code: 'InvalidImageId.NotFound', Note: NOTE.goneAfterLost }
        : { ...from, Status: 'failed', Code: 'InvalidImageId.NotFound', Note: NOTE.notFound });
    } else if (isBusyImageState(state.get(id))) {
      record([id], { ...from, Status: 'failed', Code: 'InvalidImageId.IncorrectState', Note: NOTE.busy(state.get(id)) });
    } else {
      rest.push(id);
    }
  }
  return rest;
}

const NOTE = {
  notFound: 'not found by DescribeImages: not sent again',
  busy: (state) => `${state} by DescribeImages: cannot be deleted in that state, not sent again`,
  unknown: 'outcome unknown: an answer was lost, the image may have been deleted',
  notFoundAfterLost: 'not found after an attempt whose answer was lost: probably deleted by it',
  goneAfterLost: 'gone after an attempt whose answer was lost: probably deleted by it',
  stillThere: 'an answer was lost, but the image still exists: not deleted',
  neverExisted: 'not found; the attempt whose answer was lost deleted nothing (another of its images still existed)',
};


/**
 * Calls that had an attempt whose outcome is unknown (timeout, reset, lost or garbled answer):
 * such an attempt deleted all of its images or none (DeleteImages is all or nothing). Seeing any
 * of them exist afterwards proves it deleted none.
 */
class LostAttempts {
  #groups = [];
  #byId = new Map();

  /**
   * A call ended. `seen` is what its final answer proves: 'all-exist' (it succeeded, so every image
   * existed until then), 'refused' (the server refused one of its images: no attempt of it deleted
   * anything), or 'unknown'.
   */
  sawCall(ids, history, seen) {
    let group;
    if (history.some((h) => h.outcomeUnknown)) {
      group = { contradicted: false };
      this.#groups.push(group);
      for (const id of ids) this.#byId.set(id, [...(this.#byId.get(id) || []), group]);
    }
    if (seen === 'all-exist') ids.forEach((id) => this.sawExisting(id));
    if (seen === 'refused') {
      if (group) group.contradicted = true;
      if (ids.length === 1) this.sawExisting(ids[0]);
    }
  }

  /** The image existed after every lost attempt so far that carried it: those deleted nothing. */
  sawExisting(id) {
    for (const group of this.#byId.get(id) || []) group.contradicted = true;
  }

  mayHaveDeleted(id) {
    return (this.#byId.get(id) || []).some((group) => !group.contradicted);
  }
}

/**
 * Images whose call failed after an attempt with an unknown outcome: ask DescribeImages whether
 * they still exist, so each ends as failed (still there) or probably-deleted (gone). Returns the
 * number of calls made; a failed lookup leaves the rows as they are (flagged "outcome unknown").
 */
async function settleUnknownOutcomes(client, ledger, lost, signal) {
  const rows = ledger.filter((r) => r.Status === 'failed' && r.Note === NOTE.unknown && r.Code !== 'ClientError.Aborted');
  let calls = 0;
  for (const group of chunk(rows, pkg.MAX_IMAGE_IDS_PER_CALL)) {
    calls += 1;
    let found;
    try {
      const answer = await client.describeImages({ ImageIds: group.map((r) => r.ImageId), Limit: 100 }, { signal });
      found = new Set((answer.ImageSet || []).map((image) => image.ImageId));
    } catch (error) {
      if (!(error instanceof pkg.TencentCloudError)) throw error;
      continue;
    }
    for (const row of group) {
      if (found.has(row.ImageId)) {
        lost.sawExisting(row.ImageId);
        row.Note = NOTE.stillThere;
      }
    }
    for (const row of group) {
      if (!found.has(row.ImageId) && lost.mayHaveDeleted(row.ImageId)) {
        Object.assign(row, { Status: 'probably-deleted', Note: NOTE.goneAfterLost });
      }
    }
  }
  return calls;
}

function summarize(ledger) {
  const count = (status) => ledger.filter((r) => r.Status === status).length;
  return {
    total: ledger.length,
    deleted: count('deleted'),
    wouldDelete: count('would-delete'),
    probablyDeleted: count('probably-deleted'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}

module.exports = { deleteInBulk, plan, splitChunk, summarize };
