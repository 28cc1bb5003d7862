// Fault injection: the failures a real client meets between it and cvm.tencentcloudapi.com.
// Off unless asked for, per request (header X-Emulator-Fault) or queued (POST …/__emulator/faults).
import { errorEnvelope, successEnvelope } from './api-error.mjs';
import { jsonAnswer } from './http-io.mjs';

/** Marks "destroy the socket, answer nothing". */
export const RESET = Symbol('reset');

const MAX_DELAY_MS = 60_000;
const MAX_TIMES = 10_000;

const GATEWAY_PAGES = new Map([
  ['500-html', [500, 'Internal Server Error']],
  ['502-html', [502, 'Bad Gateway']],
  ['503-html', [503, 'Service Temporarily Unavailable']],
]);

const API_ERRORS = new Map([
  ['InternalError', 'An internal error has occurred. Retry your request, but if the problem persists, contact us.'],
  ['RequestLimitExceeded', 'Your request rate exceeds the frequency limit. Please reduce the frequency of calls.'],
  ['ServiceUnavailable', 'The service is temporarily unavailable. Please try again later.'],
]);

/** Every fault name; `delay:<ms>` stands for delay:0 … delay:60000. */
export const FAULT_NAMES = Object.freeze([
  ...GATEWAY_PAGES.keys(),
  'empty',
  'truncated',
  'truncated-before',
  'delay:<ms>',
  'reset',
  'reset-after',
  ...API_ERRORS.keys(),
]);
const PLAIN_FAULTS = new Set(FAULT_NAMES.filter((name) => name !== 'delay:<ms>'));

/** Validates a fault name; returns {name, delayMs?} or throws a TypeError that lists the names. */
export function parseFault(text) {
  const delay = typeof text === 'string' ? /^delay:(\d{1,5})$/.exec(text) : null;
  if (delay && Number(delay[1]) <= MAX_DELAY_MS) return { name: text, delayMs: Number(delay[1]) };
  if (PLAIN_FAULTS.has(text)) return { name: text };
  throw new TypeError(`unknown fault ${JSON.stringify(text)}; known: ${FAULT_NAMES.join(', ')} (delay at most ${MAX_DELAY_MS} ms)`);
}

/** Faults waiting for the next matching API requests; entries are used up in order. */
export function createFaultQueue() {
  let entries = [];

  function parseEntry(entry) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new TypeError('each fault must be an object {fault, times?, action?}');
    }
    const { fault, times = 1, action, ...rest } = entry;
    const extra = Object.keys(rest);
    if (extra.length > 0) throw new TypeError(`unknown fault field ${extra[0]}`);
    if (!Number.isInteger(times) || times < 1 || times > MAX_TIMES) {
      throw new TypeError(`times must be an integer from 1 to ${MAX_TIMES}`);
    }
    if (action !== undefined && typeof action !== 'string') throw new TypeError('action must be a string');
    return { fault: parseFault(fault), remaining: times, action };
  }

  return {
    /** Appends all the entries, or none if one is invalid. */
    add(list) {
      if (!Array.isArray(list)) throw new TypeError('faults must be an array');
      entries.push(...list.map(parseEntry));
    },
    /** The fault for a request calling `action`, used up; null when none waits for it. */
    take(action) {
      const entry = entries.find((candidate) => candidate.action === undefined || candidate.action === action);
      if (!entry) return null;
      entry.remaining -= 1;
      if (entry.remaining === 0) entries = entries.filter((candidate) => candidate !== entry);
      return entry.fault;
    },
    list() {
      return entries.map(({ fault, remaining, action }) => ({ fault: fault.name, times: remaining, ...(action && { action }) }));
    },
    clear() {
      entries = [];
    },
  };
}

function gatewayPage(status, reason) {
  const title = `${status} ${reason}`;
  return {
    status,
    contentType: 'text/html',
    body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n`,
    outcome: title,
  };
}

/** The first half of the bytes, sent as if complete (Content-Length matches): invalid JSON. */
function truncated(answer) {
  const bytes = Buffer.from(answer.body, 'utf8');
  return { ...answer, body: bytes.subarray(0, Math.floor(bytes.length / 2)) };
}

function sleep(ms) {
  // unref: a pending delay must not keep a test process alive after the server closed.
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * The answer under a fault. `process()` runs the real API call (applying it) and returns its
 * answer. Faults named *-before, the gateway pages, `empty`, `reset` and the API error codes answer
 * without applying anything; `truncated` and `reset-after` apply the call and then lose the answer,
 * the "unknown outcome" a client must handle; `delay:<ms>` waits, then applies and answers normally.
 */
export async function answerWithFault(fault, requestId, process) {
  if (fault.delayMs !== undefined) {
    await sleep(fault.delayMs);
    return process();
  }
  if (GATEWAY_PAGES.has(fault.name)) return gatewayPage(...GATEWAY_PAGES.get(fault.name));
  if (API_ERRORS.has(fault.name)) {
    return jsonAnswer(errorEnvelope({ code: fault.name, message: API_ERRORS.get(fault.name) }, requestId));
  }
  switch (fault.name) {
    case 'empty':
      return { status: 200, contentType: 'application/json', body: '', outcome: 'empty' };
    case 'truncated-before':
      return truncated(jsonAnswer(successEnvelope({}, requestId)));
    case 'truncated':
      return truncated(process());
    case 'reset':
      return RESET;
    case 'reset-after':
      process();
      return RESET;
    default:
      throw new Error(`fault ${fault.name} has no behaviour`);
  }
}
