// The HTTP edge: reading a request's bytes and writing an answer. An "answer" is what the emulator
// decided to send — {status, contentType, body, outcome} — kept apart from the socket so that
// faults can spoil it (truncate it, or drop it) after it was decided.

export function splitTarget(target) {
  const question = target.indexOf('?');
  return question === -1
    ? { path: target, rawQuery: '' }
    : { path: target.slice(0, question), rawQuery: target.slice(question + 1) };
}

/**
 * Reads the whole body. Past `limit` bytes the rest is drained and dropped, so that the client
 * still gets an answer (RequestSizeLimitExceeded) instead of a broken pipe.
 */
export function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let ended = false;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      ended = true;
      resolve({ bytes: Buffer.concat(chunks), tooLarge: size > limit });
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!ended) reject(new Error('the client closed the connection before the body ended'));
    });
  });
}

/** An API 3.0 envelope as an answer: HTTP 200 JSON whatever the outcome (§4). */
export function jsonAnswer(envelope) {
  return {
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify(envelope),
    outcome: envelope.Response.Error?.Code ?? 'OK',
  };
}

/** Writes an answer. `dateMs` is the emulator clock, so the Date header carries its offset. */
export function send(res, { status, contentType, body }, dateMs) {
  if (res.destroyed || res.writableEnded) return;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': bytes.length,
    Date: new Date(dateMs).toUTCString(),
  });
  res.end(bytes);
}

/** Starts `server` listening on `host:port` (0 = a free port); resolves `{ port, url }`. */
export async function listen(server, port, host) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  return { port: actualPort, url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}` };
}
