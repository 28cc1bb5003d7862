// The client's rate limiter against the emulator's (DeleteImages: 10 requests/s, a sliding window
// per SecretId): a burst of 50 concurrent calls must never earn RequestLimitExceeded.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { pkg } from './harness.mjs';

const BURST = 50;
let running;

before(async () => {
  running = await startEmulator({ port: 0, log: null });
});
after(() => running.close());
beforeEach(() => running.emulator.reset());

/** Most timestamps (ms) inside any window [t, t + 1000). */
function maxInAnySecond(times) {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Arrival times (ms) of DeleteImages calls and how many were refused, from the emulator's log. */
function serverView() {
  const lines = running.emulator.logLines().filter((line) => line.split(' ')[2] === 'DeleteImages');
  return {
    arrivals: lines.map((line) => Date.parse(line.split(' ')[0])),
    refused: lines.filter((line) => line.includes('RequestLimitExceeded')).length,
  };
}

function burstOf(client) {
  return Promise.allSettled(Array.from({ length: BURST },
    () => client.deleteImages({ ImageIds: ['img-gznorm01'], DryRun: true })));
}

test(`a burst of ${BURST} concurrent calls stays within 10 per second, zero RequestLimitExceeded`, async (t) => {
  const sends = [];
  const client = new pkg.CvmClient({
    ...DEMO_CREDENTIALS[0],
    region: 'ap-guangzhou',
    endpoint: running.url,
    retries: 0, // a refusal would surface instead of being retried away
    fetch: (url, init) => {
      sends.push(performance.now());
      return fetch(url, init);
    },
  });
  const started = performance.now();
  const outcomes = await burstOf(client);
  const totalMs = performance.now() - started;

  const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason.code);
  const server = serverView();
  const figures = {
    calls: BURST,
    totalMs: Math.round(totalMs),
    firstToLastSendMs: Math.round(Math.max(...sends) - Math.min(...sends)),
    maxSentInAnySecond: maxInAnySecond(sends),
    maxArrivedInAnySecond: maxInAnySecond(server.arrivals),
    requestLimitExceeded: server.refused,
  };
  t.diagnostic(`pacing: ${JSON.stringify(figures)}`);
  console.log(`pacing figures: ${JSON.stringify(figures)}`);

  assert.deepEqual(failures, []);
  assert.ok(outcomes.every((o) => o.value.attempts === 1));
  assert.equal(sends.length, BURST);
  assert.equal(server.refused, 0);
  assert.ok(figures.maxSentInAnySecond <= 10, `sent ${figures.maxSentInAnySecond} in one second`);
  // 50 calls at 10 per second cannot take less than 4 s (10 now, then 10 per second).
  assert.ok(totalMs >= 4000, `${totalMs} ms`);
});

test('control experiment: without pacing the same burst is refused by the emulator', async (t) => {
  const client = new pkg.CvmClient({
    ...DEMO_CREDENTIALS[0], region: 'ap-guangzhou', endpoint: running.url, retries: 0, ratePerSecond: 1000,
  });
  const outcomes = await burstOf(client);
  const refused = outcomes.filter((o) => o.status === 'rejected' && o.reason.code === 'RequestLimitExceeded').length;
  t.diagnostic(`unpaced: ${refused} of ${BURST} refused with RequestLimitExceeded`);
  assert.ok(refused >= BURST - 10, `${refused} refused`);
});
