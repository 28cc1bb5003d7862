// A deterministic fault schedule and the bookkeeping around it, for the bulk fault suite.
//
// Faults are injected per request with the emulator's own `X-Emulator-Fault` header (not signed,
// so the request stays valid), added by a fetch passed to the real CvmClient through its public
// `fetch` option; the wrapper calls the real global fetch and changes nothing else. Which attempt
// gets which fault is decided by a seeded PRNG per region, so a run is reproducible whatever the
// interleaving, and the wrapper knows exactly which ids each faulted attempt carried.

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed per name (FNV-1a of `${seed}:${name}`), so each region has its own stream. */
export function seedFor(seed, name) {
  let h = 0x811c9dc5;
  for (const c of `${seed}:${name}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

export function shuffle(list, random) {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** The kind a fault name is counted under (`delay:1500` → `delay`). */
export const kindOf = (fault) => (fault.startsWith('delay:') ? 'delay' : fault);

/**
 * Faults after which the emulator has applied the call although the client got no usable answer
 * (README "Fault injection": truncated, reset-after; delay beyond the timeout applies it later).
 */
export const APPLIED_KINDS = new Set(['truncated', 'reset-after', 'delay']);

/**
 * A deck of fault names, drawn one card at a time and reshuffled each time it runs out, so every
 * kind comes up evenly and the first `names.length` draws of a run cover them all. Shared by the
 * regions' plans (the regions run one after the other, so the order of draws is deterministic).
 *
 * `deal(roll, probability)` is asked for every attempt open to a random fault: a card when
 * `roll < probability`, and also whenever the first round's cards still to be dealt are as many
 * as the attempts left of the first `within`: so every kind is injected within the run's first
 * `within` such attempts whatever the seed (coverage by construction, not by the PRNG's luck),
 * and the rest of the run is left to the probability.
 */
export function faultDeck(names, random, { within = 3 * names.length } = {}) {
  let cards = [];
  let firstRound = names.length; // cards of the first round not dealt yet
  let chances = within; // attempts left in which to deal them
  const draw = () => {
    if (cards.length === 0) cards = shuffle(names, random);
    if (firstRound > 0) firstRound -= 1;
    return cards.pop();
  };
  return {
    deal(roll, probability) {
      const due = firstRound > 0 && firstRound >= chances;
      if (chances > 0) chances -= 1;
      return roll < probability || due ? draw() : null;
    },
    /** Kinds of the first round not dealt yet (empty once every kind was injected). */
    undealt: () => firstRound,
  };
}

/**
 * The fault for each attempt of one region's run. Random faults: each attempt is faulted with
 * probability `probability` (this region's own PRNG stream); the kind is the deck's next card
 * (see faultDeck: every kind is dealt early, whatever the seed).
 * Scripted events (an outage, a lost answer, a lookup that fails or one that is answered): each
 * `{name, faults, when, lookup?}` fires once, at the first attempt of the first DeleteImages call
 * (or, with `lookup: true`, DescribeImages lookup) for which `when(call)` holds, and its `faults`
 * hit that many consecutive attempts (overriding the random draw; a `null` fault is an attempt
 * left alone).
 * Random faults never use up a call: once a call has had `retries` faults, its next attempt is
 * left alone. Using up a call is the scripted outages' part, so a random streak cannot end a run
 * early (a region's first call failing for good) and leave an event without its call.
 */
export function faultPlan({ seed, deck, probability, retries, events = [] }) {
  const random = prng(seed);
  const waiting = [...events];
  let active = [];
  return {
    /** `attempt` = {attemptInCall, call: {index, ids}}; answers a fault name or null. */
    next(attempt) {
      if (active.length === 0 && attempt.attemptInCall === 1) {
        const event = waiting.find((e) => Boolean(e.lookup) === Boolean(attempt.call.lookup) && e.when(attempt.call));
        if (event) {
          waiting.splice(waiting.indexOf(event), 1);
          active = [...event.faults];
          attempt.call.event = event.name;
        }
      }
      // Roll for every attempt, scripted or not, so the random stream does not depend on events.
      const roll = random();
      const { call } = attempt;
      let fault;
      if (active.length > 0) fault = active.shift();
      else if ((call.faults ?? 0) < retries) fault = deck.deal(roll, probability);
      else fault = null;
      if (fault) call.faults = (call.faults ?? 0) + 1;
      return fault;
    },
    /** Names of the events that never fired. */
    unfired: () => waiting.map((e) => e.name),
  };
}

/**
 * Bookkeeping of one region's run: every DeleteImages call the bulk engine made (ids, the client's
 * answer or error with its history), every DescribeImages lookup (`lookups`: the same, plus the
 * states found), and every HTTP attempt the client made (ids, the fault injected, what came back).
 */
export function createBook(region) {
  const book = { region, calls: [], lookups: [], attempts: [], current: null, harnessErrors: [] };
  return book;
}

function idsOfBody(body) {
  try {
    const ids = JSON.parse(body).ImageIds;
    return Array.isArray(ids) ? ids : [];
  } catch {
    return [];
  }
}

/** The header naming each attempt (`<region>#<n>`), read by the suite's server-side listener. */
export const ATTEMPT_HEADER = 'X-Fault-Suite-Attempt';

/** A fetch for CvmClient's `fetch` option: real fetch, plus the planned X-Emulator-Fault header. */
export function faultingFetch({ plan, book, realFetch = globalThis.fetch }) {
  return async (url, init) => {
    const call = book.current;
    const ids = idsOfBody(init.body);
    const attemptInCall = call ? call.attempts.length + 1 : 1;
    // signedSec: the time the request was signed for (X-TC-Timestamp), to tell a request signed
    // with the client's learned clock offset from one signed with its local clock.
    const signedSec = Number(init.headers?.['X-TC-Timestamp']);
    const entry = { n: book.attempts.length + 1, call: call?.index ?? 0, lookup: Boolean(call?.lookup), attemptInCall, ids, fault: null, sentAt: Date.now(), signedSec };
    if (call) call.attempts.push(entry);
    book.attempts.push(entry);
    try {
      entry.fault = call ? plan.next({ attemptInCall, call }) : null;
    } catch (error) {
      // Thrown from fetch, it would pass for a network failure: record it for the suite to fail on.
      book.harnessErrors.push(String(error?.stack ?? error));
    }
    // Unsigned, like X-Emulator-Fault: lets the suite see which attempts reached the emulator.
    entry.key = `${book.region}#${entry.n}`;
    const headers = { ...init.headers, [ATTEMPT_HEADER]: entry.key };
    if (entry.fault) headers['X-Emulator-Fault'] = entry.fault;
    try {
      const response = await realFetch(url, { ...init, headers });
      entry.status = response.status;
      return response;
    } catch (error) {
      entry.transportError = error?.cause?.code || error?.name || String(error);
      throw error;
    }
  };
}

/**
 * What deleteInBulk sees as its client: the real one, with each call recorded in `book` (calls
 * for DeleteImages, lookups for DescribeImages, which the engine asks before splitting a refused
 * call and at the end to settle unknown outcomes); answers and errors are passed through
 * untouched. Both get faults from the plan (a lookup never gets a scripted event).
 */
export function recordingClient(client, book) {
  async function recorded(list, call, send) {
    list.push(call);
    book.current = call;
    try {
      const result = await send();
      call.result = { requestId: result.RequestId, attempts: result.attempts };
      if (call.lookup) call.result.states = new Map((result.ImageSet ?? []).map((image) => [image.ImageId, image.ImageState]));
      return result;
    } catch (error) {
      call.error = {
        code: error.code,
        requestId: error.requestId,
        attempts: error.attempts,
        history: error.history ? error.history.map((h) => ({ ...h })) : [],
        probablyDeletedByEarlierAttempt: error.probablyDeletedByEarlierAttempt === true,
      };
      throw error;
    } finally {
      book.current = null;
    }
  }
  return {
    describeImages(params, options) {
      const call = { index: book.lookups.length + 1, lookup: true, ids: [...(params.ImageIds ?? [])], attempts: [], event: null };
      return recorded(book.lookups, call, () => client.describeImages(params, options));
    },
    deleteImages(params, options) {
      const call = { index: book.calls.length + 1, ids: [...params.ImageIds], attempts: [], event: null };
      return recorded(book.calls, call, () => client.deleteImages(params, options));
    },
  };
}

/**
 * One emulator log line → {action, region, status, outcome, fault}.
 * Format (emulator/README.md "Log"): `<ISO time> <method> <action> <region> <status> <code|OK> [fault=<name>] <RequestId> <ms>ms`.
 */
export function parseLogLine(line) {
  const parts = line.split(' ');
  const fault = parts.find((p) => p.startsWith('fault='));
  return { action: parts[2], region: parts[3], status: parts[4], outcome: parts[5], fault: fault ? fault.slice('fault='.length) : null };
}

/** A plain-text table (left-aligned columns). */
export function textTable(rows, columns) {
  const cell = (v) => (v === undefined || v === null ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}
