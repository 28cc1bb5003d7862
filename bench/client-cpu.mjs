// The client's own CPU per call (issue 18): `CvmClient.deleteImages` with an injected fetch that
// answers at once with a canned Response, against that fetch alone (creating the Response and
// reading its text, the same work the client's call makes it do), interleaved in one
// `measure()`; the difference is what the client costs per call beyond the transport. For
// scale, `buildDeleteImages` + `decodeDeleteImages` alone (the core's build and decode of the
// same call, what any caller pays). Used by bench/bench.mjs (section 8) and runnable alone:
// `node bench/client-cpu.mjs [--quick]`.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL, QUICK, measure } from './harness.mjs';

const ANSWER = JSON.stringify({ Response: { RequestId: 'f2a1c5e4-0000-4000-8000-000000000001' } });
const DATE = 'Mon, 07 Dec 2026 12:00:00 GMT';
const KEY = Object.freeze({ secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' });
const PARAMS = Object.freeze({ ImageIds: Object.freeze(['img-mfih409y']) });

/** The fetch the client is given: a canned answer, no I/O. */
function instantFetch() {
  return Promise.resolve(new Response(ANSWER, { status: 200, headers: { 'content-type': 'application/json', date: DATE } }));
}

/** The cases: client call, the fetch alone, the core's build + decode alone. */
export function clientCpuCases(pkg) {
  const client = new pkg.CvmClient({ ...KEY, region: 'ap-guangzhou', retries: 0, ratePerSecond: 1_000_000, fetch: instantFetch });
  return [
    { name: 'CvmClient.deleteImages (instant fetch)', fn: () => client.deleteImages(PARAMS), async: true },
    { name: 'the instant fetch alone (+ text())', fn: async () => (await instantFetch()).text(), async: true },
    {
      name: 'buildDeleteImages + decodeDeleteImages',
      fn: () => {
        pkg.buildDeleteImages(PARAMS, { ...KEY, region: 'ap-guangzhou' });
        return pkg.decodeDeleteImages(200, ANSWER);
      },
    },
  ];
}

/** Runs the cases; returns { results, clientCpuNs } (client call minus the fetch alone). */
export async function clientCpu(pkg, config = FULL) {
  const cases = clientCpuCases(pkg);
  // Each case once before timing: a case that throws fails here, not in the middle of a round.
  for (const c of cases) await c.fn();
  const results = await measure(cases, config);
  const [call, fetchAlone] = results;
  return { results, clientCpuNs: call.medianNs - fetchAlone.medianNs };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const require = createRequire(import.meta.url);
  const pkg = require('../pkg/node.cjs');
  const { results, clientCpuNs } = await clientCpu(pkg, process.argv.includes('--quick') ? QUICK : FULL);
  for (const r of results) console.log(`${r.name.padEnd(42)} ${(r.medianNs / 1000).toFixed(2).padStart(8)} µs`);
  console.log(`${'client CPU per call (call − fetch alone)'.padEnd(42)} ${(clientCpuNs / 1000).toFixed(2).padStart(8)} µs`);
}
