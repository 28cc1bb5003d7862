// A local stand-in for cvm.tencentcloudapi.com: DeleteImages, DescribeImages and
// DescribeImageSharePermission over Tencent Cloud API 3.0 (TC3-signed GET and POST), with an image store, the rate limit, a skewable clock and
// fault injection. `handle` is a node:http handler usable under any path prefix.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MAX_POST_BODY_BYTES, runApiCall } from './api-call.mjs';
import { ApiError, errorEnvelope, successEnvelope } from './api-error.mjs';
import { answerControl, controlEndpointName } from './control.mjs';
import { createRoleIssuer, metadataRequest } from './cvm-metadata.mjs';
import { answerWithFault, createFaultQueue, parseFault, RESET } from './faults.mjs';
import { jsonAnswer, readBody, send, splitTarget } from './http-io.mjs';
import { completeImage, createImageStore, REGIONS } from './image-store.mjs';
import { createRateLimiter } from './rate-limiter.mjs';
import { createStsIssuer } from './sts.mjs';
import { describeV1 } from './v1-verify.mjs';

export { MAX_IMAGE_IDS_PER_CALL } from './actions/delete-images.mjs';
export { FAULT_NAMES } from './faults.mjs';

/**
 * Key pairs the emulator accepts by default. [0] is permanent; [1] is temporary (STS-like) and
 * needs X-TC-Token. They open nothing but this emulator.
 */
export const DEMO_CREDENTIALS = Object.freeze([
  Object.freeze({ secretId: 'AKIDemulatorDemoPermanentKey00000001', secretKey: 'emulatorDemoPermanentSecret00001' }),
  Object.freeze({
    secretId: 'AKIDemulatorDemoTemporaryKey00000002',
    secretKey: 'emulatorDemoTemporarySecret00002',
    token: 'emulatorDemoSessionToken00000002',
  }),
]);

/**
 * node:http server options a host server needs so that GET queries up to the API's 32 KB limit
 * reach the handler (node's default header limit is 16 KB and would answer 431 itself).
 */
export const HTTP_SERVER_OPTIONS = Object.freeze({ maxHeaderSize: 64 * 1024 });

const LOG_LINES_KEPT = 500;
const MAX_CLOCK_OFFSET_SEC = 1e9;

/** Header text as a log field: printable ASCII only, bounded (the values are the client's). */
function logField(value) {
  if (value === undefined || value === '') return '-';
  return String(value).replace(/[^\x21-\x7e]/g, '?').slice(0, 64);
}

function checkOffset(seconds, name) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || Math.abs(seconds) > MAX_CLOCK_OFFSET_SEC) {
    throw new TypeError(`${name} must be a finite number of seconds within ±${MAX_CLOCK_OFFSET_SEC}`);
  }
  return seconds;
}

export function createEmulator(options = {}) {
  const {
    clockOffsetSec = 0,
    now = () => Date.now(),
    rateLimitPerSec = 10,
    credentials = DEMO_CREDENTIALS,
    seed = true,
    seedFamilies = false,
    log = (line) => console.log(line),
    roleName,
    roleLifetimeSec,
  } = options;
  if (typeof now !== 'function') throw new TypeError('now must be a function returning milliseconds');
  if (!(rateLimitPerSec > 0)) throw new TypeError('rateLimitPerSec must be a positive number (Infinity turns it off)');
  if (!Array.isArray(credentials) || !credentials.every((c) => typeof c?.secretId === 'string' && typeof c?.secretKey === 'string')) {
    throw new TypeError('credentials must be an array of {secretId, secretKey, token?}');
  }
  if (log !== null && typeof log !== 'function') throw new TypeError('log must be a function or null');

  let offsetSec = checkOffset(clockOffsetSec, 'clockOffsetSec');
  const store = createImageStore({ seed: Boolean(seed), families: Boolean(seedFamilies), now });
  const faults = createFaultQueue();
  const limiter = createRateLimiter({ limit: rateLimitPerSec, now });
  const recentLines = [];

  /** The emulator's clock, in ms, including the offset: what it verifies against and puts in Date. */
  const clockMs = () => now() + offsetSec * 1000;
  const nowSec = () => Math.floor(clockMs() / 1000);
  // The instance metadata service's CAM role: temporary keys, accepted until they expire.
  const role = createRoleIssuer({ nowSec, roleName, lifetimeSec: roleLifetimeSec });
  // STS GetFederationToken: policy-scoped temporary keys, accepted until they expire.
  const sts = createStsIssuer({ nowSec });

  // One line per request. Never the Authorization header, a key, a token or a body: only what
  // identifies the exchange.
  function record({ method, action, region, status, outcome, fault, requestId, started }) {
    const parts = [
      new Date(now()).toISOString(),
      logField(method),
      logField(action),
      logField(region),
      status,
      outcome,
      ...(fault ? [`fault=${fault.name}`] : []),
      requestId ?? '-',
      `${Math.round(performance.now() - started)}ms`,
    ];
    const line = parts.join(' ');
    recentLines.push(line);
    if (recentLines.length > LOG_LINES_KEPT) recentLines.shift();
    log?.(line);
  }

  let resets = 0; // reset() calls so far: the era of a call

  // `language`: of the error messages (X-TC-Language, or a v1 request's Language parameter).
  function answerCall(call, requestId, language) {
    try {
      const issued = [...role.keys(), ...sts.keys()];
      const known = issued.length > 0 ? [...credentials, ...issued] : credentials;
      const fields = runApiCall(call, { nowSec, credentials: known, limiter, store, sts });
      return jsonAnswer(successEnvelope(fields, requestId));
    } catch (error) {
      if (error instanceof ApiError) return jsonAnswer(errorEnvelope(error, requestId, language));
      // A bug of ours answers like the real service would, and is reported (without request data).
      log?.(`emulator internal error: ${error?.stack ?? error}`);
      return jsonAnswer(errorEnvelope({ code: 'InternalError', message: 'An internal error has occurred.' }, requestId, language));
    }
  }

  async function handleApiCall(req, res, rawQuery, started) {
    const requestId = randomUUID();
    const { method, headers } = req;
    const exchange = { method, action: headers['x-tc-action'], region: headers['x-tc-region'], requestId, started };
    const { bytes, tooLarge } = await readBody(req, MAX_POST_BODY_BYTES);
    // A v1 request carries its action and region as parameters.
    const v1 = exchange.action === undefined ? describeV1({ method, headers, rawQuery, body: bytes }) : null;
    if (v1) Object.assign(exchange, { action: v1.action, region: v1.region });

    let fault;
    try {
      const asked = headers['x-emulator-fault'];
      fault = asked !== undefined ? parseFault(asked) : faults.take(exchange.action);
    } catch (error) {
      send(res, { status: 400, contentType: 'application/json', body: JSON.stringify({ error: error.message }) }, clockMs());
      record({ ...exchange, status: 400, outcome: 'bad-fault' });
      return;
    }

    const call = { method, headers, rawQuery, body: bytes, bodyTooLarge: tooLarge };
    // A call still waiting (a delay fault) when reset() runs belongs to the world before it: it is
    // dropped, never applied to the fresh one (an aborted client's delayed DeleteImages would
    // otherwise delete from the next test's seed).
    const era = resets;
    const language = headers['x-tc-language'] ?? v1?.language;
    const process = () => (era === resets ? answerCall(call, requestId, language) : RESET);
    const answer = fault ? await answerWithFault(fault, requestId, process) : process();
    if (answer === RESET) {
      res.destroy();
      record({ ...exchange, status: '-', outcome: 'reset', fault });
      return;
    }
    send(res, answer, clockMs());
    record({ ...exchange, status: answer.status, outcome: answer.outcome, fault });
  }

  async function handle(req, res) {
    const started = performance.now();
    const { path, rawQuery } = splitTarget(req.url ?? '/');
    const control = controlEndpointName(path);
    const metadata = control === null ? metadataRequest(path) : null;
    try {
      if (metadata !== null) {
        const answer = role.answer(req.method, metadata);
        send(res, answer, clockMs());
        record({ method: req.method, action: 'metadata/cam', status: answer.status, outcome: answer.outcome, started });
        return;
      }
      if (control === null) {
        await handleApiCall(req, res, rawQuery, started);
        return;
      }
      const { status, json } = await answerControl(control, req, rawQuery, emulator);
      send(res, { status, contentType: 'application/json', body: JSON.stringify(json) }, clockMs());
      record({ method: req.method, action: `__emulator/${control}`, status, outcome: 'control', started });
    } catch (error) {
      // Never crash the server on one exchange: a client that went away, or a bug of ours.
      if (!res.headersSent && !res.destroyed) {
        send(res, { status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'emulator failure' }) }, clockMs());
      } else {
        res.destroy();
      }
      record({ method: req.method, status: '-', outcome: `aborted:${logField(error?.message)}`, started });
    }
  }

  function regionState(region) {
    const regionStore = store.existing(region);
    return { images: regionStore?.images() ?? [], snapshots: regionStore?.snapshots() ?? [] };
  }

  const emulator = {
    handle,
    /** Region ids the emulator answers for. */
    regions: REGIONS,
    credentials,
    /** Copies of a region's images (DescribeImages shape, plus IsShared). */
    images: (region) => regionState(region).images,
    /** Copies of a region's snapshot store. */
    snapshots: (region) => regionState(region).snapshots,
    /**
     * Adds images to a region (for tests that need more than the seed): records shaped like
     * DescribeImages' ImageSet entries; `ImageId` (`img-` + 8 or more lower-case alphanumerics)
     * and `ImageState` are required, the rest default. A reset drops them.
     */
    addImages(region, records) {
      if (!REGIONS.includes(region)) throw new TypeError(`addImages: unknown region ${region}`);
      const regionStore = store.region(region);
      for (const record of records) {
        if (!/^img-[a-z0-9]{8,}$/.test(record?.ImageId ?? '') || typeof record.ImageState !== 'string') {
          throw new TypeError('addImages: each image needs an ImageId of the form img-xxxxxxxx and an ImageState');
        }
        if (regionStore.image(record.ImageId)) throw new TypeError(`addImages: ${record.ImageId} exists already`);
      }
      for (const record of records) {
        regionStore.addImage(structuredClone(completeImage(record)));
      }
    },
    /** {region, images, snapshots}, or {regions: {name: {images, snapshots}}} for all non-empty ones. */
    state(region) {
      if (region !== undefined) return { region, ...regionState(region) };
      return { regions: Object.fromEntries(store.occupiedRegions().map((name) => [name, regionState(name)])) };
    },
    /** Back to the seed, no faults, empty rate windows, the clock offset given at creation. */
    reset() {
      resets += 1;
      store.reset();
      faults.clear();
      limiter.reset();
      role.reset();
      sts.reset();
      offsetSec = clockOffsetSec;
    },
    /** The CAM role of the metadata path: `view()` → {roleName, lifetimeSec, issued, active}; `configure({roleName?, lifetimeSec?, revoke?})`. */
    role: { view: () => role.view(), configure: (settings) => role.configure(settings) },
    /** STS GetFederationToken: `view()` → {issued, active}. */
    sts: { view: () => sts.view() },
    get clockOffsetSec() {
      return offsetSec;
    },
    setClockOffset(seconds) {
      offsetSec = checkOffset(seconds, 'offsetSec');
    },
    /** The emulator clock in Unix seconds (the one signatures are checked against). */
    nowSec,
    /** Queues `fault` for the next `times` API requests (of `action` only, if given). */
    setFault(fault, { times = 1, action } = {}) {
      faults.add([{ fault, times, ...(action !== undefined && { action }) }]);
    },
    /** Queues [{fault, times?, action?}, …], all or none. */
    queueFaults: (list) => faults.add(list),
    pendingFaults: () => faults.list(),
    clearFaults: () => faults.clear(),
    /** The recent request log lines, oldest first. */
    logLines: () => [...recentLines],
  };
  return emulator;
}
