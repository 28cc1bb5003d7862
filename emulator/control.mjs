// Control endpoints: how tests and the demo page steer the emulator. JSON, no authentication
// (the emulator listens on loopback only). Recognised by the LAST path segments
// `__emulator/<name>`, so they work under any mount prefix (/__emulator/state, /emulator/__emulator/state).
import { readBody } from './http-io.mjs';

const CONTROL_PATH = /\/__emulator\/([^/]*)\/?$/;
const MAX_CONTROL_BODY_BYTES = 1024 * 1024;

/** The control endpoint a path names, or null for an API call. */
export function controlEndpointName(path) {
  return CONTROL_PATH.exec(path)?.[1] ?? null;
}

function clockView(emulator) {
  return { offsetSec: emulator.clockOffsetSec, now: emulator.nowSec(), date: new Date(emulator.nowSec() * 1000).toUTCString() };
}

// "<METHOD> <name>" → (emulator, request) → JSON. A TypeError thrown here is the caller's mistake (400).
const ROUTES = new Map([
  ['GET state', (emulator, { query }) => emulator.state(query.get('region') ?? undefined)],
  ['POST reset', (emulator) => (emulator.reset(), { ok: true })],
  ['GET faults', (emulator) => ({ faults: emulator.pendingFaults() })],
  ['POST faults', (emulator, { body }) => (emulator.queueFaults(body.faults), { faults: emulator.pendingFaults() })],
  ['DELETE faults', (emulator) => (emulator.clearFaults(), { faults: [] })],
  ['GET clock', (emulator) => clockView(emulator)],
  ['POST clock', (emulator, { body }) => (emulator.setClockOffset(body.offsetSec), clockView(emulator))],
  ['GET log', (emulator) => ({ lines: emulator.logLines() })],
  ['GET role', (emulator) => emulator.role.view()],
  ['POST role', (emulator, { body }) => (emulator.role.configure(body), emulator.role.view())],
]);
const NAMES = new Set([...ROUTES.keys()].map((route) => route.split(' ')[1]));

async function jsonBody(req) {
  const { bytes, tooLarge } = await readBody(req, MAX_CONTROL_BODY_BYTES);
  if (tooLarge) throw new TypeError('the body is too large');
  if (bytes.length === 0) return {};
  let body;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new TypeError('the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TypeError('the body must be a JSON object');
  return body;
}

/** Answers a control request: {status, json}. */
export async function answerControl(name, req, rawQuery, emulator) {
  const route = ROUTES.get(`${req.method} ${name}`);
  if (!route) {
    return NAMES.has(name)
      ? { status: 405, json: { error: `${req.method} is not allowed on __emulator/${name}` } }
      : { status: 404, json: { error: `no control endpoint __emulator/${name}; known: ${[...NAMES].join(', ')}` } };
  }
  try {
    const body = req.method === 'POST' ? await jsonBody(req) : {};
    return { status: 200, json: route(emulator, { query: new URLSearchParams(rawQuery), body }) };
  } catch (error) {
    if (error instanceof TypeError) return { status: 400, json: { error: error.message } };
    throw error;
  }
}
