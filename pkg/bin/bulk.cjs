'use strict';
// The bulk engine of `tccvm delete-images --ids-file`: any number of ids, sent in calls of the
// per-call limit, paced by the client, and ended with a ledger that accounts for every input line
// (deleted, would-delete, probably-deleted, failed with its code, or skipped), including when
// answers were lost on the way. When the server refuses a call because of one (unnamed) id, the
// engine first asks DescribeImages which of the call's ids exist and in what state, and sends
// again only those that can be deleted; only what that cannot explain is split in halves. So a
// re-run over ids that are already gone costs two calls per 100 ids, not two per id.

const { pkg, CODES } = require('./core.cjs');

// What each refusal means for a batch — split it, look its ids up, count it refused, stop — and
// which image states DeleteImages refuses are the core catalogue's answers, not lists kept here.
const { batchAdvice, isBusyImageState } = pkg.internal;

function chunk(list, size) {
  const chunks = [];
  for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
  return chunks;
}

/** `list` cut into consecutive pieces of the given lengths. */
function cut(list, lengths) {
  const pieces = [];
  let start = 0;
  for (const n of lengths) {
    pieces.push(list.slice(start, start + n));
    start += n;
  }
  return pieces;
}

// What a v1 signature adds to the query or body the ids travel in (its public parameters, a
// session token of several KB, the signature), kept free when cutting calls by size. TC3 sends
// all that in headers. Should a call still be too large, the client refuses it before sending
// (RequestSizeLimitExceeded) and the engine halves it.
const V1_RESERVE_BYTES = 8192;

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
 * skipped and malformed ids failed locally, the rest pending; and the calls planned for them, cut
 * by the core at 100 ids or where the request (`params` with the ids, sent as `method` sends it)
 * would pass the API's size limit.
 */
function plan(entries, { params = {}, method = 'POST', signMethod } = {}) {
  const ledger = [];
  const rowById = new Map();
  // Every id checked by the core's rule in one call: the code of the rule an id breaks, if any.
  const codes = pkg.internal.checkImageIds(entries.map((e) => e.id));
  entries.forEach(({ id, line }, i) => {
    const first = rowById.get(id);
    if (first) {
      ledger.push({ ImageId: id, Line: line, Status: 'skipped', Code: '', RequestId: '', Note: `duplicate of ${first.Line ? `line ${first.Line}` : 'an --ImageIds value'}` });
      return;
    }
    const row = { ImageId: id, Line: line, Status: 'pending', Code: '', RequestId: '', Note: '' };
    if (codes[i]) Object.assign(row, { Status: 'failed', Code: codes[i], Note: 'rejected locally, not sent' });
    ledger.push(row);
    rowById.set(id, row);
  });
  const sendable = ledger.filter((r) => r.Status === 'pending').map((r) => r.ImageId);
  const reserve = signMethod && signMethod !== 'TC3-HMAC-SHA256' ? V1_RESERVE_BYTES : 0;
  let chunks;
  try {
    chunks = cut(sendable, pkg.internal.chunkImageIds(sendable, params, method, reserve));
  } catch (error) {
    // Parameters every call would send are wrong: no call can be made; each id says why.
    if (!(error instanceof pkg.ValidationError)) throw error;
    for (const row of ledger) {
      if (row.Status === 'pending') Object.assign(row, { Status: 'failed', Code: error.code, Note: `rejected locally, not sent: ${error.message}` });
    }
    chunks = [];
  }
  return { ledger, rowById, chunks };
}

/**
 * Deletes `entries` ({id, line}) with `client.deleteImages`, in the calls `plan` cuts, and
 * resolves `{ledger, calls}`: a row per entry whose Status is deleted, would-delete,
 * probably-deleted (gone after an attempt whose answer was lost), unknown (an attempt's answer
 * was lost and nothing settles it: the image is still listed, so that request may yet be
 * applied, or it could not be looked up), failed (with its Code), or skipped. Never throws for
 * one call's trouble: a local error of a call (nothing sent) fails its ids, a thrown error that
 * is not the client's leaves them unknown, and the other calls go on.
 */
async function deleteInBulk(client, entries, { params, dryRun, signal, progress, signMethod }) {
  const { ledger, rowById, chunks } = plan(entries, { params, method: client.method, signMethod });
  const record = (ids, fields) => ids.forEach((id) => Object.assign(rowById.get(id), fields));
  // `looked`: DescribeImages was asked about these ids already; a refusal now means splitting.
  const queue = chunks.map((ids) => ({ ids, looked: false }));
  const okStatus = dryRun ? 'would-delete' : 'deleted';
  // A DryRun deletes nothing, lost answer or not: it keeps no evidence.
  const evidence = new Evidence(!dryRun);
  let stopped;
  let calls = 0;

  while (queue.length > 0) {
    const { ids, looked } = queue.shift();
    if (stopped) {
      record(ids, { Status: 'skipped', Note: `not attempted after ${stopped}` });
      continue;
    }
    const at = evidence.now();
    let result;
    let error;
    try {
      result = await client.deleteImages({ ...params, ImageIds: ids }, { signal });
    } catch (thrown) {
      error = thrown;
    }
    const seen = evidence.now();
    if (error instanceof pkg.ValidationError && !(error.attempts > 0)) {
      // Refused before sending: nothing was sent. (One after attempts went out — a request that
      // could no longer be signed — is not this: it is read as any other error, below.)
      if (error.code === 'RequestSizeLimitExceeded' && ids.length > 1) {
        queue.unshift(...splitChunk(ids, '').map((part) => ({ ids: part, looked })));
      } else {
        record(ids, { Status: 'failed', Code: error.code, Note: `rejected locally, not sent: ${error.message}` });
      }
      progress(ledger, calls);
      continue;
    }
    calls += 1;
    if (!error) {
      record(ids, { Status: okStatus, RequestId: result.RequestId, Note: result.attempts > 1 ? `${result.attempts} attempts` : '' });
      evidence.deletedBy(ids, seen);
    } else if (!(error instanceof pkg.TencentCloudError)) {
      // Not the client's error (a bug, or a fetch that threw something odd): it may have sent.
      evidence.call(ids, [{ outcomeUnknown: true }], at);
      record(ids, { Status: dryRun ? 'failed' : 'unknown', Code: error?.name || 'Error', Note: NOTE.internal(error) });
    } else {
      const history = error.history || [];
      const advice = batchAdvice(error.code);
      const group = evidence.call(ids, history, at);
      // Refused for the state of an image that exists: no attempt of this call deleted anything.
      if (advice.refused) evidence.deletedNothing(group);
      if (error.code === CODES.imageNotFound) {
        const named = ids.length === 1 ? ids : ids.filter((id) => namesId(error.message, id));
        named.forEach((id) => evidence.gone(id, seen));
      }
      if (advice.split && ids.length > 1) {
        let rest = ids;
        if (!looked && advice.lookUp) {
          calls += 1;
          rest = await lookUp(client, ids, { record, evidence, signal });
        }
        if (rest.length === ids.length) queue.unshift(...splitChunk(ids, error.message).map((part) => ({ ids: part, looked: true })));
        else if (rest.length > 0) queue.unshift({ ids: rest, looked: true });
      } else if (error.code === CODES.imageNotFound && evidence.mayHaveDeleted(ids[0])) {
        record(ids, { Status: 'probably-deleted', Code: error.code, RequestId: error.requestId, Note: NOTE.notFoundAfterLost });
      } else if (error.code === CODES.aborted) {
        // Interrupted (Ctrl-C): a request in flight may or may not have been applied.
        const inFlight = history.some((h) => h.outcomeUnknown);
        record(ids, !inFlight ? { Status: 'skipped', Note: 'interrupted before it was sent' }
          : dryRun ? { Status: 'failed', Code: error.code, Note: 'interrupted while in flight (a DryRun: nothing deleted)' }
            : { Status: 'unknown', Code: error.code, Note: NOTE.interrupted });
        stopped = 'the interruption';
      } else {
        for (const id of ids) {
          record([id], evidence.mayHaveDeleted(id)
            ? { Status: 'unknown', Code: error.code, RequestId: error.requestId, Note: NOTE.unknown }
            : error.code !== CODES.imageNotFound && evidence.goneBefore(id, at)
              // What the server said of it before this call's trouble still holds.
              ? { Status: 'failed', Code: CODES.imageNotFound, Note: NOTE.goneBefore(error.code) }
              : { Status: 'failed', Code: error.code, RequestId: error.requestId, Note: '' });
        }
        if (advice.stop) stopped = error.code;
      }
    }
    progress(ledger, calls);
  }
  if (!dryRun && !signal?.aborted) calls += await settleUnknownOutcomes(client, ledger, evidence, signal);
  // What later evidence showed: DeleteImages is all or nothing, so a lost attempt one of whose
  // images was gone before it, or that was seen gone while another was still listed, or whose
  // images a later call deleted, deleted nothing and never will.
  for (const row of ledger) {
    if (evidence.mayHaveDeleted(row.ImageId)) continue;
    if (row.Status === 'probably-deleted') Object.assign(row, { Status: 'failed', Code: CODES.imageNotFound, Note: NOTE.neverExisted });
    else if (row.Status === 'unknown' && evidence.carried(row.ImageId)) Object.assign(row, { Status: 'failed', Note: NOTE.notDeleted });
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
async function lookUp(client, ids, { record, evidence, signal }) {
  let answer;
  let state;
  try {
    answer = await client.describeImages({ ImageIds: ids, Limit: pkg.MAX_IMAGE_IDS_PER_CALL }, { signal });
    state = imageStates(answer);
  } catch {
    // Any failure (the client's error, an answer without a list of images, anything else
    // thrown): the caller splits instead.
    return ids;
  }
  evidence.listing(ids, state, evidence.now());
  const from = { RequestId: answer.RequestId };
  const rest = [];
  for (const id of ids) {
    if (!state.has(id)) {
      record([id], evidence.mayHaveDeleted(id)
        ? { ...from, Status: 'probably-deleted', Code: CODES.imageNotFound, Note: NOTE.goneAfterLost }
        : { ...from, Status: 'failed', Code: CODES.imageNotFound, Note: NOTE.notFound });
    } else if (isBusyImageState(state.get(id))) {
      record([id], { ...from, Status: 'failed', Code: CODES.imageIncorrectState, Note: NOTE.busy(state.get(id)) });
    } else {
      rest.push(id);
    }
  }
  return rest;
}

/** A DescribeImages answer's ImageId → ImageState; throws on an answer without a list of images. */
function imageStates(answer) {
  const set = answer?.ImageSet;
  if (!Array.isArray(set) || !set.every((image) => typeof image?.ImageId === 'string')) {
    throw new TypeError('DescribeImages answered without a list of images');
  }
  return new Map(set.map((image) => [image.ImageId, image.ImageState]));
}

const NOTE = {
  notFound: 'not found by DescribeImages: not sent again',
  busy: (state) => `${state} by DescribeImages: cannot be deleted in that state, not sent again`,
  unknown: 'outcome unknown: an answer was lost, the image may have been deleted; re-run to settle it',
  interrupted: 'interrupted while the request was in flight: outcome unknown, the image may have been deleted; re-run to settle it',
  internal: (error) => `internal error (${String(error?.message ?? error).slice(0, 200)}): the call may have been sent, outcome unknown; re-run to settle it`,
  goneBefore: (code) => `not found: the server answered ${CODES.imageNotFound} for it before (a later call then failed with ${code})`,
  notFoundAfterLost: 'not found after an attempt whose answer was lost: probably deleted by it',
  goneAfterLost: 'gone after an attempt whose answer was lost: probably deleted by it',
  stillListed: 'an answer was lost and the image is still listed, but that request may still be applied: outcome unknown; re-run to settle it',
  notDeleted: 'an answer was lost, but that request deleted nothing (another of its images was gone while this one was listed): not deleted',
  neverExisted: 'not found, and no attempt whose answer was lost can have deleted it (it was gone before, or another image of that request still existed)',
};


/**
 * What the run has seen, in order, about attempts whose outcome is unknown (timeout, reset, lost
 * or garbled answer, interrupted in flight): such an attempt deletes all of its images or none
 * (DeleteImages is all or nothing), and may be applied after the client gave up on it (a slow
 * server still holds it). Seeing its images still listed therefore proves nothing; what does:
 * - one of its images was gone before it was sent: it is refused whenever it is applied;
 * - one listing shows one of its images gone and another still there: not applied by then, and
 *   from then on refused;
 * - a later call deleted some of its images: not applied before that call, refused after it;
 * - its own call was then refused for an image's state (busy, shared): so was the lost attempt.
 * Images never come back, so "gone" stays true.
 */
class Evidence {
  #keeping;
  #clock = 0;
  #groups = new Map(); // id → the lost attempts that carried it: { ids, at, dead }
  #goneAt = new Map(); // id → when it was first seen not to exist

  constructor(keeping) {
    this.#keeping = keeping;
  }

  /** A point in the run's order of events: before a call is sent, and once its answer is in. */
  now() {
    return ++this.#clock;
  }

  /** A call sent at `at` ended with `history`; answers its lost attempts' group, if it had one. */
  call(ids, history, at) {
    if (!this.#keeping || !history.some((h) => h.outcomeUnknown)) return undefined;
    const group = { ids: [...ids], at, dead: false };
    for (const id of ids) this.#groups.set(id, [...(this.#groups.get(id) || []), group]);
    return group;
  }

  deletedNothing(group) {
    if (group) group.dead = true;
  }

  /** A call deleted `ids` (seen at `seen`): earlier lost attempts that carried one delete nothing. */
  deletedBy(ids, seen) {
    for (const id of ids) {
      for (const group of this.#groups.get(id) || []) if (group.at < seen) group.dead = true;
    }
  }

  /** `id` does not exist at `seen` (an answer said NotFound naming it, or a listing lacked it). */
  gone(id, seen) {
    if (!this.#goneAt.has(id)) this.#goneAt.set(id, seen);
  }

  /**
   * A DescribeImages answer at `seen` about `ids`: `state` has those of them that exist. It says
   * nothing of ids it was not asked about (a lost attempt's ids may span two lookups).
   */
  listing(ids, state, seen) {
    const asked = new Set(ids);
    for (const id of ids) if (!state.has(id)) this.gone(id, seen);
    for (const id of ids) {
      if (!state.has(id)) continue;
      for (const group of this.#groups.get(id) || []) {
        if (group.at < seen && group.ids.some((other) => asked.has(other) && !state.has(other))) group.dead = true;
      }
    }
  }

  #dead(group) {
    return group.dead || group.ids.some((id) => this.#goneAt.has(id) && this.#goneAt.get(id) < group.at);
  }

  /** Some lost attempt that carried `id` may have deleted it (or may still do so). */
  mayHaveDeleted(id) {
    return (this.#groups.get(id) || []).some((group) => !this.#dead(group));
  }

  /** `id` was seen not to exist before `at`. */
  goneBefore(id, at) {
    return this.#goneAt.has(id) && this.#goneAt.get(id) < at;
  }

  /** A lost attempt carried `id`. */
  carried(id) {
    return this.#groups.has(id);
  }
}

/**
 * Images left `unknown` (a call failed after an attempt whose outcome is unknown): ask
 * DescribeImages whether they are still there. Gone: probably deleted by that attempt (or, if the
 * evidence says it cannot have, never there). Still listed: still unknown, since a slow server may
 * apply that request after this look (unless the listing itself proves it deleted nothing).
 * Returns the number of calls made; a failed lookup leaves the rows unknown.
 */
async function settleUnknownOutcomes(client, ledger, evidence, signal) {
  const rows = ledger.filter((r) => r.Status === 'unknown' && r.Code !== CODES.aborted && evidence.carried(r.ImageId));
  let calls = 0;
  for (const group of chunk(rows, pkg.MAX_IMAGE_IDS_PER_CALL)) {
    calls += 1;
    const ids = group.map((r) => r.ImageId);
    let state;
    try {
      state = imageStates(await client.describeImages({ ImageIds: ids, Limit: pkg.MAX_IMAGE_IDS_PER_CALL }, { signal }));
    } catch {
      continue;
    }
    evidence.listing(ids, state, evidence.now());
    for (const row of group) {
      if (state.has(row.ImageId)) {
        row.Note = NOTE.stillListed;
      } else if (evidence.mayHaveDeleted(row.ImageId)) {
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
    unknown: count('unknown'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}

module.exports = { deleteInBulk, plan, splitChunk, summarize, NOTE };
