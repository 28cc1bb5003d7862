// Fault injection, the clock offset and the control endpoints.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createEmulator, FAULT_NAMES, HTTP_SERVER_OPTIONS } from '../../emulator/emulator.mjs';
import { startEmulator } from '../../emulator/server.mjs';
import { call, codeOf, control, imageIds, nowSec, quietEmulator, UUID_V4 } from './support.mjs';

let running;
let port;
before(async () => {
  running = await quietEmulator();
  port = running.port;
});
after(() => running.close());
beforeEach(() => running.emulator.reset());

const DELETE = { ImageIds: ['img-gznorm01'] };
const withFault = (fault, options = {}) => call(port, { params: DELETE, extraHeaders: { 'X-Emulator-Fault': fault }, ...options });
const deleted = () => !imageIds(running.emulator).includes('img-gznorm01');
const isJson = (text) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('faults by header X-Emulator-Fault', () => {
  for (const [fault, status, title] of [['500-html', 500, 'Internal Server Error'], ['502-html', 502, 'Bad Gateway'], ['503-html', 503, 'Service Temporarily Unavailable']]) {
    test(`${fault}: an HTML gateway page, nothing applied`, async () => {
      const answer = await withFault(fault);
      assert.equal(answer.status, status);
      assert.equal(answer.headers['content-type'], 'text/html');
      assert.match(answer.text, new RegExp(`<title>${status} ${title}</title>`));
      assert.equal(deleted(), false);
    });
  }

  test('empty: 200 with no body, nothing applied', async () => {
    const answer = await withFault('empty');
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '');
    assert.equal(deleted(), false);
  });

  test('truncated-before: half a success JSON, nothing applied', async () => {
    const answer = await withFault('truncated-before');
    assert.equal(answer.status, 200);
    assert.ok(answer.text.startsWith('{"Response":{"RequestId":"'), answer.text);
    assert.equal(isJson(answer.text), false);
    assert.equal(deleted(), false);
  });

  test('truncated: the deletion is applied, the answer cut in half', async () => {
    const answer = await withFault('truncated');
    assert.equal(answer.status, 200);
    assert.ok(answer.text.startsWith('{"Response":{"RequestId":"'), answer.text);
    assert.equal(Number(answer.headers['content-length']), answer.text.length);
    assert.equal(isJson(answer.text), false);
    assert.equal(deleted(), true);
  });

  test('reset: the connection dies without an answer, nothing applied', async () => {
    const answer = await withFault('reset');
    assert.ok(answer.error, `expected a connection error, got ${answer.status}`);
    assert.equal(deleted(), false);
  });

  test('reset-after: the deletion is applied, then the connection dies', async () => {
    const answer = await withFault('reset-after');
    assert.ok(answer.error, `expected a connection error, got ${answer.status}`);
    assert.equal(deleted(), true);
  });

  test('delay:<ms>: answers normally after the delay', async () => {
    const started = performance.now();
    const answer = await withFault('delay:150');
    assert.ok(performance.now() - started >= 145);
    assert.equal(codeOf(answer), 'OK');
    assert.equal(deleted(), true);
  });

  test('delay:<ms> across a reset(): the waiting call is dropped (connection reset), not applied to the fresh seed', async () => {
    const pending = withFault('delay:200');
    await new Promise((resolve) => setTimeout(resolve, 50));
    running.emulator.reset();
    const answer = await pending;
    assert.ok(answer.error, `expected a connection error, got ${answer.status}`);
    assert.equal(deleted(), false);
  });

  for (const code of ['InternalError', 'RequestLimitExceeded', 'ServiceUnavailable']) {
    test(`${code}: an API error envelope, nothing applied`, async () => {
      const answer = await withFault(code);
      assert.equal(answer.status, 200);
      assert.equal(codeOf(answer), code);
      assert.match(answer.json.Response.RequestId, UUID_V4);
      assert.equal(deleted(), false);
    });
  }

  test('an unknown fault is the caller\'s mistake: 400, listing the names', async () => {
    for (const fault of ['explode', 'delay:60001', 'delay:-1']) {
      const answer = await withFault(fault);
      assert.equal(answer.status, 400);
      assert.match(answer.json.error, /known: 500-html/);
    }
    assert.equal(deleted(), false);
  });

  test('FAULT_NAMES lists every fault', () => {
    assert.deepEqual([...FAULT_NAMES].sort(), [
      '500-html', '502-html', '503-html', 'InternalError', 'RequestLimitExceeded', 'ServiceUnavailable',
      'delay:<ms>', 'empty', 'reset', 'reset-after', 'truncated', 'truncated-before',
    ].sort());
  });
});

describe('queued faults (POST __emulator/faults)', () => {
  test('used up in order by matching requests, with times and an action filter', async () => {
    const queued = await control(port, 'faults', {
      method: 'POST',
      body: { faults: [{ fault: '502-html', times: 2, action: 'DeleteImages' }, { fault: 'ServiceUnavailable' }] },
    });
    assert.equal(queued.status, 200);
    assert.deepEqual(queued.json.faults, [{ fault: '502-html', times: 2, action: 'DeleteImages' }, { fault: 'ServiceUnavailable', times: 1 }]);

    // DescribeImages skips the DeleteImages-only entry and takes the next one.
    assert.equal(codeOf(await call(port, { action: 'DescribeImages', params: {} })), 'ServiceUnavailable');
    assert.equal(codeOf(await call(port, { action: 'DescribeImages', params: {} })), 'OK');
    assert.equal((await call(port, { params: DELETE })).status, 502);
    assert.deepEqual((await control(port, 'faults')).json.faults, [{ fault: '502-html', times: 1, action: 'DeleteImages' }]);
    assert.equal((await call(port, { params: DELETE })).status, 502);
    assert.equal(codeOf(await call(port, { params: DELETE })), 'OK');
  });

  test('a header fault wins and leaves the queue alone', async () => {
    running.emulator.setFault('InternalError');
    assert.equal(codeOf(await withFault('ServiceUnavailable')), 'ServiceUnavailable');
    assert.deepEqual(running.emulator.pendingFaults(), [{ fault: 'InternalError', times: 1 }]);
  });

  test('an invalid list is refused whole', async () => {
    for (const body of [{ faults: [{ fault: 'empty' }, { fault: 'nope' }] }, { faults: [{ fault: 'empty', times: 0 }] }, { faults: 'empty' }, { faults: [{ fault: 'empty', extra: 1 }] }]) {
      const answer = await control(port, 'faults', { method: 'POST', body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(typeof answer.json.error, 'string');
    }
    assert.deepEqual((await control(port, 'faults')).json.faults, []);
  });

  test('DELETE clears the queue, and so does reset', async () => {
    running.emulator.setFault('empty', { times: 3 });
    assert.deepEqual((await control(port, 'faults', { method: 'DELETE' })).json.faults, []);
    running.emulator.setFault('empty');
    await control(port, 'reset', { method: 'POST' });
    assert.equal(codeOf(await call(port, { params: DELETE })), 'OK');
  });
});

describe('clock offset', () => {
  test('POST __emulator/clock moves the clock the signature is checked against, and the Date header', async () => {
    const set = await control(port, 'clock', { method: 'POST', body: { offsetSec: 3600 } });
    assert.equal(set.json.offsetSec, 3600);
    assert.ok(Math.abs(set.json.now - (nowSec() + 3600)) <= 2);

    const stale = await call(port, { params: DELETE });
    assert.equal(codeOf(stale), 'AuthFailure.SignatureExpire');
    // A client corrects its skew from the Date header and succeeds.
    const serverSec = Math.floor(Date.parse(stale.headers.date) / 1000);
    assert.ok(Math.abs(serverSec - (nowSec() + 3600)) <= 2);
    assert.equal(codeOf(await call(port, { params: DELETE, timestamp: serverSec })), 'OK');
  });

  test('the clockOffsetSec option, restored by reset', async () => {
    const skewed = await startEmulator({ log: null, clockOffsetSec: -400 });
    try {
      assert.equal(codeOf(await call(skewed.port, { params: DELETE })), 'AuthFailure.SignatureExpire');
      skewed.emulator.setClockOffset(0);
      assert.equal(codeOf(await call(skewed.port, { params: DELETE })), 'OK');
      skewed.emulator.reset();
      assert.equal(skewed.emulator.clockOffsetSec, -400);
    } finally {
      await skewed.close();
    }
  });

  test('a bad offset is refused', async () => {
    for (const offsetSec of ['60', null, Infinity, 1e12]) {
      const answer = await control(port, 'clock', { method: 'POST', body: { offsetSec } });
      assert.equal(answer.status, 400);
    }
    assert.throws(() => running.emulator.setClockOffset(NaN), TypeError);
  });
});

describe('control endpoints', () => {
  test('GET state for a region: images and snapshots', async () => {
    const answer = await control(port, 'state?region=ap-shanghai');
    assert.equal(answer.status, 200);
    assert.equal(answer.json.region, 'ap-shanghai');
    assert.equal(answer.json.images.length, 11);
    assert.deepEqual(answer.json.snapshots.map((s) => s.SnapshotId).sort(), ['snap-shfree01', 'snap-shnorm2d', 'snap-shnorm2s', 'snap-shnorm3s', 'snap-shshar1s']);
  });

  test('GET state without a region: every region that holds something', async () => {
    const answer = await control(port, 'state');
    assert.deepEqual(Object.keys(answer.json.regions).sort(), ['ap-beijing', 'ap-guangzhou', 'ap-shanghai']);
  });

  test('POST reset brings the seed back', async () => {
    await call(port, { params: { ImageIds: ['img-gznorm01'], DeleteBindedSnap: true } });
    assert.equal(deleted(), true);
    assert.deepEqual((await control(port, 'reset', { method: 'POST' })).json, { ok: true });
    assert.equal(deleted(), false);
  });

  test('unknown endpoints 404, wrong methods 405, bad JSON 400', async () => {
    assert.equal((await control(port, 'nothing')).status, 404);
    assert.equal((await control(port, 'reset')).status, 405);
    const bad = await control(port, 'clock', { method: 'POST' });
    assert.equal(bad.status, 400); // {} has no offsetSec
  });

  test('work under any mount prefix, beside API calls on the same prefix', async () => {
    const emulator = createEmulator({ log: null });
    const server = createServer(HTTP_SERVER_OPTIONS, (req, res) => {
      if (req.url.startsWith('/emulator/')) emulator.handle(req, res);
      else res.writeHead(404).end();
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const mountedPort = server.address().port;
    try {
      const state = await control(mountedPort, 'state?region=ap-beijing', { prefix: '/emulator' });
      assert.equal(state.json.images.length, 11);
      const answer = await call(mountedPort, { params: { ImageIds: ['img-bjnorm01'] }, region: 'ap-beijing', path: '/emulator/' });
      assert.equal(codeOf(answer), 'OK');
      assert.equal(emulator.images('ap-beijing').length, 10);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
