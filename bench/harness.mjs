// A small benchmark harness shared by Node and the benchmark page (no Node imports).
//
// measure(cases, config) runs every case side by side: a warm-up that also calibrates a batch size
// (so one timed batch lasts about `roundMs`), then `rounds` rounds in which each case runs one
// batch, the case order rotating every round so no case always runs first after another. The
// result per case is the median ns/op over the rounds, with the min/max for the spread.
// A case is `{ name, fn, async? }`; `fn` returns something (kept in a sink so work is not elided).

const now = () => performance.now();

export const FULL = Object.freeze({ rounds: 15, roundMs: 60, warmupMs: 300 });
/** CI mode: one tiny round, fixed batch, no calibration. */
export const QUICK = Object.freeze({ rounds: 1, roundMs: 0, warmupMs: 0, fixedBatch: 20 });

let sink = 0;
function consume(value) {
  if (value && typeof value === 'object') {
    const a = value.authorization ?? value.headers?.Authorization ?? value.RequestId;
    sink = (sink + (typeof a === 'string' ? a.length : 1)) | 0;
  } else if (typeof value === 'string') {
    sink = (sink + value.length) | 0;
  } else {
    sink = (sink + 1) | 0;
  }
}
export function sinkValue() {
  return sink;
}

async function runBatch(c, n) {
  const fn = c.fn;
  if (c.async) {
    const t0 = now();
    for (let i = 0; i < n; i++) consume(await fn());
    return now() - t0;
  }
  const t0 = now();
  for (let i = 0; i < n; i++) consume(fn());
  return now() - t0;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Warm-up plus calibration: runs doubling batches until `warmupMs` is spent; returns ms per op. */
async function warmUp(c, warmupMs) {
  let n = 1;
  let spent = 0;
  let last = { n: 1, ms: 0 };
  while (spent < warmupMs) {
    const ms = await runBatch(c, n);
    spent += ms;
    last = { n, ms };
    if (ms < warmupMs / 4) n *= 2;
  }
  return last.ms / last.n;
}

export async function measure(cases, config = FULL) {
  const { rounds, roundMs, warmupMs, fixedBatch } = config;
  const batches = [];
  for (const c of cases) {
    if (fixedBatch) {
      await runBatch(c, 1);
      batches.push(c.batch ?? fixedBatch);
    } else {
      const msPerOp = await warmUp(c, c.warmupMs ?? warmupMs);
      batches.push(Math.max(1, Math.round((c.roundMs ?? roundMs) / Math.max(msPerOp, 1e-6))));
    }
  }
  const samples = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (k + r) % cases.length;
      const ms = await runBatch(cases[i], batches[i]);
      samples[i].push((ms * 1e6) / batches[i]);
    }
  }
  return cases.map((c, i) => {
    const medianNs = median(samples[i]);
    return {
      name: c.name,
      medianNs,
      opsPerSec: 1e9 / medianNs,
      minNs: Math.min(...samples[i]),
      maxNs: Math.max(...samples[i]),
      rounds,
      batch: batches[i],
      samplesNs: samples[i],
    };
  });
}
