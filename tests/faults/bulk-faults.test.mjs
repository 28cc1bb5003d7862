// Fault injection over a whole bulk run: 200 deletable images across three regions (plus ids that
// never existed and images that cannot be deleted), deleted with the real bulk engine
// (deleteInBulk of pkg/bin/tccvm.cjs) and the real CvmClient against the emulator, while a seeded
// schedule injects the emulator's faults at random (gateway 5xx pages, empty and truncated bodies
// applied and not, timeouts = a delay beyond timeoutMs, resets before and after applying, API
// throttling and internal errors), plus three scripted events on small chunks (an answer lost then
// recovery; an outage that outlasts the retries after the call was applied; one before anything
// was applied) and a 10-minute clock offset on one region's run. The DescribeImages lookups the
// engine makes (before splitting a refused call, and to settle lost answers) get random faults
// too, and two scripted ones (a lookup that fails, one that is answered). Every fault kind is
// injected early in the run whatever the seed (faultDeck). Afterwards every id must be
// accounted for exactly once, and the ledger must agree with what the emulator still holds.
//
//   node --test tests/faults/
//   FAULTS_SEED=<n>   another schedule (default 2; any seed covers every kind, every event, lookups answered and failed)
//   FAULTS_TRACE=1    also print, for every row not "deleted", the calls that carried the id
//   FAULTS_TIMEOUT_MS per-attempt timeout (default 300; a starved CPU makes plain calls time out too)
import { AsyncLocalStorage } from 'node:async_hooks';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { addImages, imageLike } from './seed-images.mjs';
import {
  APPLIED_KINDS, ATTEMPT_HEADER, createBook, faultDeck, faultingFetch, faultPlan, kindOf, parseLogLine, prng, recordingClient, seedFor, shuffle, textTable,
} from './fault-plan.mjs';

const require = createRequire(import.meta.url);
const pkg = require('../../pkg/node.cjs');
const { deleteInBulk, summarize } = require('../../pkg/bin/tccvm.cjs');

const SEED = Number(process.env.FAULTS_SEED ?? 2);
const TIMEOUT_MS = Number(process.env.FAULTS_TIMEOUT_MS ?? 300); // per attempt
const RETRIES = 4;
// DeleteImages allows 10 calls/s; client pacing and emulator limit are raised together (same ratio)
// so the split cascades after lost answers stay fast. Backoff (200 ms base, full jitter) is fixed.
const RATE = 40;
const DELAY_MS = 5 * TIMEOUT_MS; // a "timeout": answered (and applied) long after the client gave up
const PROBABILITY = 0.5; // of a random fault, per attempt: a (very) bad day, so that the ~50 attempts of a run see every kind

// The random mix: each kind once per shuffled deck.
const DECK = [
  '500-html', '502-html', '503-html', 'empty', 'truncated', 'truncated-before', `delay:${DELAY_MS}`,
  'reset', 'reset-after', 'InternalError', 'RequestLimitExceeded', 'ServiceUnavailable',
];
const KINDS = [...new Set(DECK.map(kindOf))];

const BUSY = new Set(['CREATING', 'SYNCING', 'IMPORTING', 'USING']);
const isDeletable = (image) => !BUSY.has(image.ImageState) && !image.IsShared;

// Scripted events, each firing once at the first attempt of the first call matching `when`.
// They strike small calls (≤ 20 ids) whose ids are all deletable, so that they hit a few images
// and the rest of the run sees the random mix. An outage has 1 + RETRIES faults: it uses up every
// attempt of the call.
const allDeletable = (run, call) => call.ids.every((id) => run.deletable.has(id));
// A chunk's first call (no id of it sent before), not a piece split off an earlier call.
const fresh = (run, call) => !run.book.calls.some((c) => c !== call && c.ids.some((id) => call.ids.includes(id)));
const smallCleanChunk = (run, call) => call.ids.length <= 20 && allDeletable(run, call) && fresh(run, call);
const EVENTS = {
  // The call is applied but its answer lost; the retry then finds the images gone.
  lostAnswer: { faults: ['truncated'], when: smallCleanChunk },
  // Applied at the first attempt, nothing usable comes back afterwards: the call fails.
  outageAfterApplied: { faults: ['reset-after', `delay:${DELAY_MS}`, '502-html', 'reset', 'truncated'], when: smallCleanChunk },
  // Nothing applied: the images stay and the call fails with a transient code.
  outageNothingApplied: {
    faults: ['503-html', 'RequestLimitExceeded', 'reset', 'empty', 'truncated-before'],
    when: (run, call) => call.ids.length <= 20 && allDeletable(run, call),
  },
  // The first lookup of the region is used up by faults (a read: any kind will do) …
  lookupFails: { lookup: true, faults: ['502-html', 'reset', 'ServiceUnavailable', 'empty', 'truncated-before'], when: () => true },
  // … or its first attempt is left alone: answered.
  lookupAnswered: { lookup: true, faults: [null], when: () => true },
};
const OUTAGE_EVENTS = new Set(['outageAfterApplied', 'outageNothingApplied']);

// 200 deletable images: 98 + 7 + 95 (the seeded 7 per region plus added ones). The bad ids (3 that
// cannot be deleted, 3 that never existed) are placed among a region's first 100 ids, so that gz
// (104 ids) and bj (101) end with a small clean chunk, where their event strikes; in sh (13 ids)
// the outage strikes the clean remainder once the bad ids are split off.
const REGIONS = [
  { region: 'ap-guangzhou', rr: 'gz', deletable: 98, nonDeletable: ['creat1', 'sync01', 'share1'], missing: 3, events: ['lostAnswer', 'lookupAnswered'] },
  { region: 'ap-shanghai', rr: 'sh', deletable: 7, nonDeletable: ['sync01', 'impt01', 'share1'], missing: 3, clockOffsetSec: 600, events: ['outageNothingApplied'] },
  { region: 'ap-beijing', rr: 'bj', deletable: 95, nonDeletable: ['impt01', 'creat1', 'share1'], missing: 3, events: ['outageAfterApplied', 'lookupFails'] },
];
const EXPECTED_CODE = { CREATING: 'InvalidImageId.IncorrectState', SYNCING: 'InvalidImageId.IncorrectState', IMPORTING: 'InvalidImageId.IncorrectState' };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The run

let running;
const apiLog = []; // parsed emulator log lines of API calls (control endpoints left out)
const emulatorErrors = []; // "emulator internal error" lines: a bug of the emulator, not a fault
const received = new Map(); // attempt key → ms: the API requests the emulator's server received
// The attempt key of the request being handled, so that each emulator log line is matched to its
// attempt (log lines carry no request header).
const attemptContext = new AsyncLocalStorage();
let lastReceivedAt = 0;
const runs = []; // one per region: {spec, input, categories, book, ledger, calls, present, ...}
let totalMs = 0;
const deck = faultDeck(DECK, prng(seedFor(SEED, 'deck')));

function prepareRegion(emulator, spec) {
  const { region, rr } = spec;
  const seeded = emulator.images(region);
  const seededDeletable = seeded.filter(isDeletable).map((i) => i.ImageId);
  const added = Array.from({ length: spec.deletable - seededDeletable.length },
    (_, i) => imageLike(emulator, region, `img-${rr}bulk${String(i + 1).padStart(3, '0')}`, { name: `bulk-${i + 1}`, index: i }));
  addImages(emulator, region, added);

  const byId = new Map(emulator.images(region).map((i) => [i.ImageId, i]));
  const deletable = new Set([...seededDeletable, ...added.map((i) => i.ImageId)]);
  const nonDeletable = new Map(spec.nonDeletable.map((suffix) => {
    const image = byId.get(`img-${rr}${suffix}`);
    assert.ok(image && !isDeletable(image), `img-${rr}${suffix} should be a seeded non-deletable image`);
    return [image.ImageId, image.IsShared ? 'InvalidImageId.InShared' : EXPECTED_CODE[image.ImageState]];
  }));
  const missing = new Set(Array.from({ length: spec.missing }, (_, i) => `img-${rr}gone${String(i + 1).padStart(4, '0')}`));
  for (const id of missing) assert.ok(!byId.has(id), `${id} must not exist`);

  const random = prng(seedFor(SEED, `${region}:order`));
  const input = shuffle([...deletable], random);
  const bad = shuffle([...nonDeletable.keys(), ...missing], random);
  const span = Math.min(input.length, pkg.MAX_IMAGE_IDS_PER_CALL - bad.length);
  for (const id of bad) input.splice(Math.floor(random() * (span + 1)), 0, id);
  return { spec, input, deletable, nonDeletable, missing, before: new Set(emulator.images(region).map((i) => i.ImageId)) };
}

async function runRegion(run) {
  const { spec } = run;
  const { emulator } = running;
  const book = createBook(spec.region);
  run.book = book; // read by the events' `when` while the run goes on
  const plan = faultPlan({
    seed: seedFor(SEED, spec.region),
    deck,
    probability: PROBABILITY,
    retries: RETRIES,
    events: (spec.events ?? []).map((name) => ({ name, lookup: EVENTS[name].lookup, faults: EVENTS[name].faults, when: (call) => EVENTS[name].when(run, call) })),
  });
  const client = new pkg.CvmClient({
    secretId: DEMO_CREDENTIALS[0].secretId,
    secretKey: DEMO_CREDENTIALS[0].secretKey,
    region: spec.region,
    endpoint: running.url,
    timeoutMs: TIMEOUT_MS,
    retries: RETRIES,
    ratePerSecond: RATE,
    fetch: faultingFetch({ plan, book }),
  });
  if (spec.clockOffsetSec) emulator.setClockOffset(spec.clockOffsetSec);
  const started = performance.now();
  const entries = run.input.map((id, i) => ({ id, line: i + 1 }));
  const { ledger, calls } = await deleteInBulk(recordingClient(client, book), entries, { params: {}, dryRun: false, progress: () => {} });
  const bulkMs = performance.now() - started;
  // Let every request reach its end at the emulator (a timed-out one is still applied later)
  // before reading its state, and before the clock offset changes under a delayed request.
  // (A request the client gave up on before the server read it never arrives: that happens only
  // when the process is starved of CPU; such attempts are counted as "not received".)
  const settled = await until(() => apiLog.length === received.size && performance.now() - lastReceivedAt > 300, DELAY_MS + 10_000);
  const outcomes = new Map(apiLog.filter((l) => l.key !== undefined).map((l) => [l.key, l.outcome]));
  for (const attempt of book.attempts) {
    attempt.received = received.has(attempt.key);
    attempt.outcome = outcomes.get(attempt.key); // the emulator's answer (before any fault hid it)
  }
  emulator.setClockOffset(0);
  Object.assign(run, {
    ledger, calls, client, bulkMs, unfired: plan.unfired(), settled, wallMs: performance.now() - started,
    present: new Set(emulator.images(spec.region).map((i) => i.ImageId)),
    clientClockOffsetSec: client.clockOffsetSec,
  });
}

// ---------------------------------------------------------------------------------------------
// Reading the run

const callsWith = (run, id) => run.book.calls.filter((c) => c.ids.includes(id));
const lastCallWith = (run, id) => callsWith(run, id).at(-1);
/** Did some attempt that carried `id` end, per the client, with an unknown outcome? */
const hadUnknownOutcome = (run, id) => unknownAttempts(run, id).length > 0;

/** The attempts carrying `id` that the client's history marks outcomeUnknown: [{call, attempt}]. */
function unknownAttempts(run, id) {
  return callsWith(run, id).flatMap((call) => (call.error?.history ?? [])
    .filter((h) => h.outcomeUnknown)
    .map((h) => ({ call, attempt: h.attempt })));
}

/**
 * Why the ledger itself proves that a lost attempt deleted nothing, or null. DeleteImages is all
 * or nothing: if another id of the same call is reported deleted by a later call, or refused
 * because of its state (IncorrectState, InShared), it was still there after that attempt, so that
 * attempt applied nothing.
 */
function contradiction(run, call, id) {
  const rows = new Map(run.ledger.map((r) => [r.ImageId, r]));
  for (const other of call.ids) {
    if (other === id) continue;
    const row = rows.get(other);
    const laterCall = lastCallWith(run, other);
    if (row.Status === 'deleted' && laterCall.index > call.index) return `${other} of the same call was deleted later by call #${laterCall.index}`;
    if (row.Status === 'failed' && /^InvalidImageId\.(IncorrectState|InShared)$/.test(row.Code)) return `${other} of the same call was refused with ${row.Code}`;
  }
  return null;
}

function describeCall(call) {
  const attempts = call.attempts.map((a) => `${a.attemptInCall}:${a.fault ?? 'none'}`).join(' ');
  const end = call.result ? `ok ${call.result.requestId}` : `${call.error.code}${call.error.probablyDeletedByEarlierAttempt ? ' (flag probablyDeletedByEarlierAttempt)' : ''}`;
  return `call #${call.index} [${call.ids.length} id${call.ids.length > 1 ? 's' : ''}] attempts ${attempts} → ${end}`;
}

function trail(run, id) {
  return callsWith(run, id).map((c) => `    ${describeCall(c)}`).join('\n');
}

/** Problems grouped by the calls that decided the row, so one event reads as one finding. */
function report(problems) {
  const groups = new Map();
  for (const p of problems) {
    const key = `${p.run.spec.region} ${p.what}\n${trail(p.run, p.id)}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(p);
  }
  return [...groups].map(([key, list]) => {
    const [head, ...rest] = key.split('\n');
    const ids = list.map((p) => p.id);
    const sample = list[0];
    return `${head}: ${ids.length} id(s) ${ids.slice(0, 6).join(', ')}${ids.length > 6 ? ', …' : ''}\n`
      + `  ledger: ${JSON.stringify(sample.row)}\n  emulator: ${sample.run.present.has(sample.id) ? 'still has it' : 'does not have it'}\n`
      + `  fault sequence of the calls that carried ${sample.id}:\n${rest.join('\n')}`;
  }).join('\n\n');
}

function checkEach(predicate) {
  const problems = [];
  for (const run of runs) {
    for (const row of run.ledger) {
      const what = predicate(run, row);
      if (what) problems.push({ run, id: row.ImageId, row, what });
    }
  }
  assert.ok(problems.length === 0, `${problems.length} ledger row(s) wrong:\n\n${report(problems)}`);
}

// ---------------------------------------------------------------------------------------------
// The printed summary

function printSummary() {
  const faultCounts = (run) => {
    const counts = Object.fromEntries(KINDS.map((k) => [k, 0]));
    for (const a of run.book.attempts) if (a.fault) counts[kindOf(a.fault)] += 1;
    return counts;
  };
  const logCounts = Object.fromEntries(KINDS.map((k) => [k, 0]));
  for (const line of apiLog) if (line.fault) logCounts[kindOf(line.fault)] += 1;
  const perRegion = runs.map(faultCounts);
  const faultRows = KINDS.map((kind) => ({
    fault: kind,
    applied: APPLIED_KINDS.has(kind) ? 'yes' : 'no',
    ...Object.fromEntries(runs.map((r, i) => [r.spec.region, perRegion[i][kind]])),
    total: perRegion.reduce((n, c) => n + c[kind], 0),
    'emulator log': logCounts[kind],
  }));
  faultRows.push({
    fault: 'TOTAL',
    ...Object.fromEntries(runs.map((r, i) => [r.spec.region, Object.values(perRegion[i]).reduce((a, b) => a + b, 0)])),
    total: faultRows.reduce((n, r) => n + r.total, 0),
    'emulator log': Object.values(logCounts).reduce((a, b) => a + b, 0),
  });

  const callRows = runs.map((run) => {
    const attempts = run.book.attempts.length;
    const skew = skewCount(run, { seen: true });
    const realLimit = apiLog.filter((l) => l.region === run.spec.region && l.outcome === 'RequestLimitExceeded' && !l.fault).length;
    return {
      region: run.spec.region,
      ids: run.input.length,
      calls: run.calls,
      attempts,
      'not received': run.book.attempts.filter((a) => !a.received).length,
      retries: attempts - run.calls - skew,
      'skew re-sends': skew,
      lookups: `${run.book.lookups.filter((c) => c.result).length} ok, ${run.book.lookups.filter((c) => c.error).length} failed`,
      events: run.book.calls.filter((c) => c.event).map((c) => `${c.event} @#${c.index} (${c.ids.length} ids)`).join(', ') || '-',
      'real RLE': realLimit,
      'bulk s': (run.bulkMs / 1000).toFixed(1),
    };
  });

  const outcomeKey = (row) => (row.Status === 'failed' || row.Status === 'probably-deleted' ? `${row.Status} ${row.Code}` : row.Status);
  const outcomeKinds = [...new Set(runs.flatMap((r) => r.ledger.map(outcomeKey)))].sort();
  const outcomeRows = outcomeKinds.map((kind) => ({
    outcome: kind,
    ...Object.fromEntries(runs.map((r) => [r.spec.region, r.ledger.filter((row) => outcomeKey(row) === kind).length])),
    total: runs.reduce((n, r) => n + r.ledger.filter((row) => outcomeKey(row) === kind).length, 0),
  }));
  const regionCols = runs.map((r) => r.spec.region);

  const out = [
    '',
    `bulk delete under faults — seed ${SEED}, timeoutMs ${TIMEOUT_MS}, retries ${RETRIES}, ${RATE} calls/s, p(fault) ${PROBABILITY}`,
    '',
    'faults injected (attempts carrying the fault; "emulator log" counts fault= in its log)',
    textTable(faultRows, ['fault', 'applied', ...regionCols, 'total', 'emulator log']),
    '',
    'calls and attempts (calls: DeleteImages and DescribeImages lookups; retries = attempts − calls − skew re-sends; "not received": gave up before the emulator read it; "real RLE": RequestLimitExceeded from the limiter, not injected)',
    textTable(callRows, ['region', 'ids', 'calls', 'attempts', 'not received', 'retries', 'skew re-sends', 'lookups', 'real RLE', 'bulk s', 'events']),
    '',
    'outcomes (ledger)',
    textTable(outcomeRows, ['outcome', ...regionCols, 'total']),
    '',
    `total time ${(totalMs / 1000).toFixed(1)} s (including the wait for delayed requests to land)`,
    '',
  ];
  console.log(out.join('\n'));
}

/** SignatureExpire answers to this region's requests, from the emulator log (`seen`: those no fault hid from the client). */
function skewCount(run, { seen = false } = {}) {
  return apiLog.filter((l) => l.region === run.spec.region && l.outcome === 'AuthFailure.SignatureExpire' && !(seen && l.fault)).length;
}

// ---------------------------------------------------------------------------------------------
// The suite

describe(`bulk delete of 200 images in 3 regions under injected faults (seed ${SEED})`, () => {
  before(async () => {
    running = await startEmulator({
      port: 0,
      rateLimitPerSec: RATE,
      log: (line) => {
        if (line.startsWith('emulator internal error')) return void emulatorErrors.push(line);
        const parsed = parseLogLine(line);
        parsed.key = attemptContext.getStore()?.key;
        if (!parsed.action.startsWith('__emulator')) apiLog.push(parsed);
      },
    });
    // Before the emulator's handler, so that its work (and its log line) runs in this context.
    running.server.prependListener('request', (req) => {
      const key = req.headers[ATTEMPT_HEADER.toLowerCase()];
      attemptContext.enterWith({ key });
      if (key !== undefined) {
        lastReceivedAt = performance.now();
        received.set(key, lastReceivedAt);
      }
    });
    for (const spec of REGIONS) runs.push(prepareRegion(running.emulator, spec));
    const started = performance.now();
    for (const run of runs) await runRegion(run);
    totalMs = performance.now() - started;
    printSummary();
    if (process.env.FAULTS_TRACE) {
      for (const run of runs) for (const row of run.ledger) if (row.Status !== 'deleted') console.log(`${row.ImageId} ${row.Status} ${row.Code}\n${trail(run, row.ImageId)}`);
    }
  });
  after(() => running?.close());

  test('the setup: 200 deletable images across the 3 regions, plus missing and non-deletable ids', () => {
    assert.equal(runs.reduce((n, r) => n + r.deletable.size, 0), 200);
    for (const run of runs) {
      for (const id of [...run.nonDeletable.keys(), ...run.missing]) assert.ok(run.input.indexOf(id) < pkg.MAX_IMAGE_IDS_PER_CALL, id);
      assert.equal(run.input.length, run.deletable.size + run.nonDeletable.size + run.missing.size);
      assert.equal(new Set(run.input).size, run.input.length, 'no duplicate ids in the input');
    }
  });

  test('the harness worked: the fault planner never threw, every request reached its end at the emulator', () => {
    for (const run of runs) assert.deepEqual(run.book.harnessErrors, [], `${run.spec.region}: errors in the fault planner`);
    assert.deepEqual(emulatorErrors, [], 'the emulator reported internal errors');
    for (const run of runs) assert.ok(run.settled, `${run.spec.region}: the emulator did not finish every request it received`);
    assert.equal(apiLog.length, received.size, 'log lines vs requests received');
    const sent = runs.reduce((n, r) => n + r.book.attempts.length, 0);
    assert.ok(received.size <= sent, `received ${received.size} > sent ${sent}`);
  });

  test('every id appears exactly once in the ledger, none left pending', () => {
    for (const run of runs) {
      const ids = run.ledger.map((r) => r.ImageId);
      assert.equal(ids.length, run.input.length, `${run.spec.region}: ledger rows`);
      assert.deepEqual([...ids].sort(), [...run.input].sort(), `${run.spec.region}: ledger ids`);
      const statuses = new Set(run.ledger.map((r) => r.Status));
      for (const s of statuses) assert.ok(['deleted', 'probably-deleted', 'unknown', 'failed', 'skipped'].includes(s), `${run.spec.region}: status ${s}`);
      const counted = summarize(run.ledger);
      assert.equal(counted.deleted + counted.probablyDeleted + counted.unknown + counted.failed + counted.skipped, run.input.length);
    }
  });

  test('reported deleted or probably-deleted → gone from the emulator; probably-deleted only after an unknown outcome', () => {
    checkEach((run, row) => {
      if (row.Status !== 'deleted' && row.Status !== 'probably-deleted') return null;
      if (run.present.has(row.ImageId)) return `reported ${row.Status} but still in the emulator`;
      if (row.Status === 'deleted' && !run.deletable.has(row.ImageId)) return 'reported deleted but it was never a deletable image';
      if (row.Status === 'probably-deleted' && !hadUnknownOutcome(run, row.ImageId)) {
        return 'reported probably-deleted without any attempt with an unknown outcome';
      }
      return null;
    });
  });

  test('probably-deleted is not contradicted by the ledger itself (DeleteImages is all or nothing)', () => {
    // "Probably deleted by an earlier attempt" is honest when that attempt could have deleted the
    // image as far as the run can tell. It is not when the same ledger shows that the attempt
    // deleted nothing: another id it carried was deleted later, or refused for its state.
    checkEach((run, row) => {
      if (row.Status !== 'probably-deleted') return null;
      const candidates = unknownAttempts(run, row.ImageId);
      const reasons = candidates.map(({ call, attempt }) => `attempt ${attempt} of call #${call.index}: ${contradiction(run, call, row.ImageId)}`);
      if (candidates.some(({ call }) => contradiction(run, call, row.ImageId) === null)) return null;
      const what = run.missing.has(row.ImageId) ? 'never existed' : run.deletable.has(row.ImageId) ? 'was deletable' : 'non-deletable';
      return `(${what}) reported probably-deleted, but every lost attempt that carried it provably deleted nothing — ${reasons.join('; ')}`;
    });
  });

  test('still in the emulator → reported failed with its error code, unknown after a lost answer, or skipped with a reason', () => {
    checkEach((run, row) => {
      if (!run.present.has(row.ImageId)) return null;
      if (row.Status === 'failed' && row.Code) return null;
      // A lost attempt may still be applied by a slow server: still listed settles nothing.
      if (row.Status === 'unknown' && row.Code && hadUnknownOutcome(run, row.ImageId) && /re-run to settle it/.test(row.Note)) return null;
      if (row.Status === 'skipped' && row.Note) return null;
      return `still in the emulator but reported ${row.Status}${row.Code ? ` ${row.Code}` : ' without a code'}`;
    });
  });

  test('gone from the emulator → deleted or probably-deleted; never "failed" without the probably-deleted flag', () => {
    // An image that existed before the run and is gone now was deleted by one of the run's calls.
    // A row saying "failed" for it must at least say that an attempt may have deleted it.
    const flagged = (row) => /probably deleted|outcome unknown|may have been deleted/i.test(row.Note);
    checkEach((run, row) => {
      const existed = run.deletable.has(row.ImageId) || run.nonDeletable.has(row.ImageId);
      if (!existed || run.present.has(row.ImageId)) return null;
      if (row.Status === 'deleted' || row.Status === 'probably-deleted') return null;
      if (row.Status === 'unknown' && flagged(row)) return null;
      if (row.Status === 'failed' && flagged(row)) return null;
      return `deleted in the emulator but reported ${row.Status} ${row.Code} without the probably-deleted flag`;
    });
  });

  test('images not in the input are untouched', () => {
    for (const run of runs) {
      const asked = new Set(run.input);
      const lost = [...run.before].filter((id) => !asked.has(id) && !run.present.has(id));
      assert.deepEqual(lost, [], `${run.spec.region}: images deleted without being asked`);
    }
  });

  test('ids that never existed: failed InvalidImageId.NotFound, or probably-deleted only after an unknown outcome', () => {
    // Honest either way: after an attempt whose answer was lost, "not found" cannot be told apart
    // from "deleted by that attempt" (the engine cannot know the id never existed). Never deleted.
    checkEach((run, row) => {
      if (!run.missing.has(row.ImageId)) return null;
      if (row.Status === 'failed' && row.Code === 'InvalidImageId.NotFound') return null;
      // (Whatever the last call's code: an id whose last call used up its retries after an attempt
      // with an unknown outcome is settled by DescribeImages, which cannot tell the two apart either.)
      if (row.Status === 'probably-deleted' && hadUnknownOutcome(run, row.ImageId)) return null;
      if (row.Status === 'failed' && lastCallWith(run, row.ImageId)?.error && exhausted(lastCallWith(run, row.ImageId))) return null;
      return `never existed, reported ${row.Status} ${row.Code}`;
    });
  });

  test('non-deletable images: still there, failed with InvalidImageId.IncorrectState / InShared', () => {
    // Or with the transient code of a call that used up its retries in an outage (its code is then
    // the last fault's, which is honest: the call did fail for that reason).
    checkEach((run, row) => {
      const expected = run.nonDeletable.get(row.ImageId);
      if (!expected) return null;
      if (!run.present.has(row.ImageId)) return 'a non-deletable image is gone';
      if (row.Status === 'failed' && row.Code === expected) return null;
      const last = lastCallWith(run, row.ImageId);
      if (row.Status === 'failed' && !row.Code.startsWith('InvalidImageId.') && last?.error && exhausted(last)) return null;
      return `expected failed ${expected}, got ${row.Status} ${row.Code}`;
    });
  });

  test('the ledger agrees with the client: each row is the answer of the last call that carried the id', () => {
    // Or, for a row the engine settled by DescribeImages (not sent again), that lookup's answer.
    checkEach((run, row) => {
      const lookup = run.book.lookups.find((c) => c.result && c.result.requestId === row.RequestId);
      if (lookup) {
        if (row.Status !== 'failed' && row.Status !== 'probably-deleted') return `${row.Status} with the RequestId of a DescribeImages lookup`;
        const state = lookup.result.states.get(row.ImageId);
        if (row.Code === 'InvalidImageId.NotFound') return state === undefined ? null : `NotFound, but the lookup found it ${state}`;
        if (row.Code === 'InvalidImageId.IncorrectState') return BUSY.has(state) ? null : `IncorrectState, but the lookup found it ${state}`;
        return `${row.Code} from a lookup`;
      }
      const last = lastCallWith(run, row.ImageId);
      if (!last) return row.Status === 'skipped' ? null : `reported ${row.Status} but never sent`;
      if (row.Status === 'deleted') {
        return last.result && last.result.requestId === row.RequestId ? null : `deleted with RequestId ${row.RequestId}, last call ${describeCall(last)}`;
      }
      if (row.Status === 'failed' || row.Status === 'probably-deleted') {
        return last.error && last.error.code === row.Code ? null : `${row.Status} ${row.Code}, last call ${describeCall(last)}`;
      }
      return null;
    });
  });

  test('the client counts its attempts right, and every planned fault reached the emulator', () => {
    for (const run of runs) {
      const calls = [...run.book.calls, ...run.book.lookups];
      const counted = calls.reduce((n, c) => n + (c.result ? c.result.attempts : c.error.attempts), 0);
      assert.equal(counted, run.book.attempts.length, `${run.spec.region}: attempts reported by the client vs requests sent`);
      for (const call of calls) {
        const reported = call.result ? call.result.attempts : call.error.attempts;
        assert.equal(reported, call.attempts.length, `${run.spec.region}: ${describeCall(call)}`);
      }
    }
    const planned = {};
    const logged = {};
    for (const run of runs) for (const a of run.book.attempts) if (a.fault && a.received) planned[a.fault] = (planned[a.fault] ?? 0) + 1;
    for (const line of apiLog) if (line.fault) logged[line.fault] = (logged[line.fault] ?? 0) + 1;
    assert.deepEqual(logged, planned, 'faults in the emulator log vs faults planned (of the attempts the emulator received)');
  });

  test('the mix covered every fault kind; every scripted event fired, each outage used up a call', () => {
    const seen = new Set(runs.flatMap((r) => r.book.attempts.filter((a) => a.fault).map((a) => kindOf(a.fault))));
    assert.deepEqual(KINDS.filter((k) => !seen.has(k)), [], 'fault kinds never injected');
    // Refused calls were looked up with DescribeImages under the same faults, answered or not.
    const lookups = runs.flatMap((r) => r.book.lookups);
    assert.ok(lookups.some((c) => c.result) && lookups.some((c) => c.error), 'lookups both answered and failed');
    for (const run of runs) {
      // A property of the schedule, not of the product: with another FAULTS_SEED the random faults
      // may use up the call an event was waiting for, leaving its path unexercised.
      assert.deepEqual(run.unfired, [], `${run.spec.region}: scripted events that never found their call with seed ${SEED}`);
      for (const call of run.book.calls.filter((c) => OUTAGE_EVENTS.has(c.event))) {
        assert.ok(call.error && exhausted(call), `${run.spec.region}: ${describeCall(call)}`);
      }
      for (const lookup of run.book.lookups.filter((c) => c.event === 'lookupFails')) {
        assert.ok(lookup.error && exhausted(lookup), `${run.spec.region}: lookup ${describeCall(lookup)}`);
      }
      for (const lookup of run.book.lookups.filter((c) => c.event === 'lookupAnswered')) {
        assert.ok(lookup.result, `${run.spec.region}: lookup ${describeCall(lookup)}`);
      }
    }
  });

  test('10-minute clock offset on one region: SignatureExpire only for requests signed before the client learned the offset, which it keeps', () => {
    // Counting SignatureExpire answers is not enough: a request signed with the local clock whose
    // answer a fault hid (truncated, reset-after, a delay beyond the timeout: the emulator checked
    // the signature, logged SignatureExpire, and the client never read it) is retried, still with
    // the local clock, and answered SignatureExpire again. What must hold: once the client has
    // learned the offset, every request is signed with it, and none is answered SignatureExpire.
    for (const run of runs) {
      const expires = skewCount(run);
      const expired = run.book.attempts.filter((a) => a.outcome === 'AuthFailure.SignatureExpire');
      assert.equal(expired.length, expires, `${run.spec.region}: SignatureExpire log lines matched to their attempts`);
      if (run.spec.clockOffsetSec) {
        const offset = run.clientClockOffsetSec;
        assert.ok(expires >= 1, `${run.spec.region}: no SignatureExpire seen`);
        assert.ok(Math.abs(offset - run.spec.clockOffsetSec) <= 2, `${run.spec.region}: client offset ${offset}`);
        // Signed with the learned offset: the signed time is the local one plus the offset.
        const corrected = (a) => Math.abs(a.signedSec - Math.floor(a.sentAt / 1000) - offset) <= 2;
        const describe = (a) => `#${a.n} (call ${a.lookup ? 'lookup ' : ''}${a.call}, attempt ${a.attemptInCall}, fault ${a.fault ?? 'none'}, signed ${a.signedSec - Math.floor(a.sentAt / 1000)} s ahead)`;
        const first = run.book.attempts.findIndex(corrected);
        assert.ok(first > 0, `${run.spec.region}: no request signed with the learned offset`);
        const relapsed = run.book.attempts.slice(first).filter((a) => !corrected(a));
        assert.deepEqual(relapsed.map(describe), [], `${run.spec.region}: requests signed with the local clock after the offset was learned (the offset was lost)`);
        const late = expired.filter(corrected);
        assert.deepEqual(late.map(describe), [], `${run.spec.region}: SignatureExpire answers to requests signed after the offset was learned`);
        // The client learned from an answer no fault hid.
        assert.ok(expired.some((a) => !a.fault), `${run.spec.region}: no SignatureExpire answer the client could read: ${expired.map(describe).join(', ')}`);
        if (expires > 1) console.log(`${run.spec.region}: ${expires} SignatureExpire answers, all to requests signed before the offset was learned: ${expired.map(describe).join(', ')}`);
      } else {
        assert.equal(expires, 0, `${run.spec.region}: unexpected SignatureExpire`);
        assert.equal(run.clientClockOffsetSec, 0);
      }
      const auth = run.ledger.filter((r) => r.Code.startsWith('AuthFailure'));
      assert.deepEqual(auth, [], `${run.spec.region}: rows failed on authentication`);
    }
  });
});

/** Did the call use up all its attempts (1 + RETRIES, not counting a SignatureExpire re-send)? */
function exhausted(call) {
  const history = call.error?.history ?? [];
  return history.filter((h) => h.code !== 'AuthFailure.SignatureExpire').length === RETRIES + 1;
}
