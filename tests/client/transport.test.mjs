// transport.send: the package's one timed exchange. It forces `redirect: 'manual'`, and tells a
// timeout, the caller's abort and a network failure apart (at connect and while reading the body);
// network failures are classed by one table (not sent / unreachable) that CvmClient and
// cvmRoleCredentials both read. Truth: fetch stubs that behave as undici does (an AbortError when
// the signal aborts, a TypeError whose `cause.code` says why a connection failed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTransport, classifyNetworkError, concat } from '../../pkg/src/transport.js';

const core = { internal: { isRedirectStatus: (s) => s >= 300 && s <= 399 } };
const transport = createTransport(core, () => Promise.reject(new Error('the default fetch must not be used here')));

const abortError = () => Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
/** A fetch that never answers until its signal aborts. */
const hanging = (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(abortError())));
const netError = (code) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
/** A Response whose body never ends until the signal aborts. */
const stalledBody = (_url, init) => Promise.resolve({ status: 200, headers: new Headers(), text: () => hanging(_url, init) });

test('redirect is always manual and the signal is the transport\'s own', async () => {
  let seen;
  const sent = await transport.send('https://x.test/', { method: 'POST', redirect: 'follow' }, {
    fetch: (url, init) => {
      seen = init;
      return Promise.resolve(new Response('hi', { status: 200 }));
    },
    read: 'text',
  });
  assert.equal(seen.redirect, 'manual');
  assert.equal(seen.method, 'POST');
  assert.ok(seen.signal instanceof AbortSignal);
  assert.deepEqual([sent.ok, sent.body, sent.response.status], [true, 'hi', 200]);
});

test('a timeout, the caller\'s abort and a network failure are reported apart, at connect and at read', async () => {
  const timedOut = await transport.send('https://x.test/', {}, { fetch: hanging, timeoutMs: 20 });
  assert.deepEqual([timedOut.ok, timedOut.why, timedOut.stage], [false, 'timeout', 'connect']);

  const caller = new AbortController();
  setTimeout(() => caller.abort(), 10);
  const aborted = await transport.send('https://x.test/', {}, { fetch: hanging, timeoutMs: 5000, signal: caller.signal });
  assert.deepEqual([aborted.why, aborted.stage], ['aborted', 'connect']);

  const refused = await transport.send('https://x.test/', {}, { fetch: () => Promise.reject(netError('ECONNREFUSED')), timeoutMs: 5000 });
  assert.deepEqual([refused.why, refused.stage, refused.code, refused.notSent, refused.unreachable], ['network', 'connect', 'ECONNREFUSED', true, true]);

  const readTimeout = await transport.send('https://x.test/', {}, { fetch: stalledBody, timeoutMs: 20, read: 'text' });
  assert.deepEqual([readTimeout.why, readTimeout.stage, readTimeout.response.status], ['timeout', 'read', 200]);

  const junk = await transport.send('https://x.test/', {}, { fetch: () => Promise.resolve({ nope: true }), read: 'text' });
  assert.deepEqual([junk.ok, junk.why], [false, 'not-a-response']);
});

test('one table of network-error classes: a reset is unreachable but not proof that nothing was sent', () => {
  const cases = {
    ECONNREFUSED: [true, true], ENOTFOUND: [true, true], EAI_AGAIN: [true, true], EHOSTUNREACH: [true, true], ENETUNREACH: [true, true],
    ECONNRESET: [false, true], UND_ERR_SOCKET: [false, false],
  };
  for (const [code, [notSent, unreachable]] of Object.entries(cases)) {
    assert.deepEqual(classifyNetworkError(netError(code)), { code, notSent, unreachable }, code);
  }
  assert.deepEqual(classifyNetworkError(new TypeError('Failed to fetch')), { code: undefined, notSent: false, unreachable: false });
});

test('the timer is cleared and the caller\'s listener removed when the exchange ends', async () => {
  const cleared = [];
  const timers = { setTimeout: (fn, ms) => ({ fn, ms }), clearTimeout: (t) => cleared.push(t) };
  const t2 = createTransport(core, () => Promise.resolve(new Response('ok')), timers);
  let listeners = 0;
  const signal = { aborted: false, addEventListener: () => { listeners += 1; }, removeEventListener: () => { listeners -= 1; } };
  const sent = await t2.send('https://x.test/', {}, { timeoutMs: 1000, signal, read: 'text' });
  assert.equal(sent.body, 'ok');
  assert.equal(cleared.length, 1);
  assert.equal(cleared[0].ms, 1000);
  assert.equal(listeners, 0);
});

test('concat joins byte chunks', () => {
  assert.deepEqual([...concat([Uint8Array.of(1, 2), Uint8Array.of(), Uint8Array.of(3)], 3)], [1, 2, 3]);
});
