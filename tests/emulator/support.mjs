// Helpers for the emulator suites: raw TC3-signed requests built with the emulator's independent
// test signer, sent with node:http (so Host and every header are exactly what the test says).
import http from 'node:http';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { startEmulator } from '../../emulator/server.mjs';
import { signTc3ForTests } from '../../emulator/tc3-verify.mjs';

export const [PERMANENT, TEMPORARY] = DEMO_CREDENTIALS;
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const nowSec = () => Math.floor(Date.now() / 1000);

/** RFC 3986 percent-encoding with upper-case hex (what API 3.0 GET expects). */
export function encodeRfc3986(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A GET query from params: arrays flattened as Name.N, objects as Name.Key, booleans as true/false. */
export function flattenQuery(params, prefix = '') {
  const pairs = [];
  for (const [key, value] of Object.entries(params)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') pairs.push(flattenQuery(value, name));
    else pairs.push(`${encodeRfc3986(name)}=${encodeRfc3986(String(value))}`);
  }
  return pairs.filter(Boolean).join('&');
}

/**
 * A signed request for the emulator on `port`: {method, path, headers, body}. Anything can be
 * overridden, and `tamper` edits the request AFTER signing.
 */
export function signedRequest({
  port,
  action = 'DeleteImages',
  params = {},
  method = 'POST',
  credential = PERMANENT,
  region = 'ap-guangzhou',
  timestamp = nowSec(),
  version = '2017-03-12',
  host = `127.0.0.1:${port}`,
  contentType = method === 'GET' ? 'application/x-www-form-urlencoded' : 'application/json',
  rawQuery = method === 'GET' ? flattenQuery(params) : '',
  body = method === 'GET' ? '' : JSON.stringify(params),
  path = '/',
  token = credential.token,
  signAction = false,
  extraHeaders = {},
  tamper = (request) => request,
}) {
  const signed = signTc3ForTests({
    secretId: credential.secretId,
    secretKey: credential.secretKey,
    method,
    host,
    contentType,
    rawQuery,
    body,
    timestamp,
    action,
    signAction,
  });
  const headers = {
    Host: host,
    'Content-Type': contentType,
    'X-TC-Action': action,
    'X-TC-Version': version,
    'X-TC-Timestamp': String(timestamp),
    'X-TC-Region': region,
    Authorization: signed.authorization,
    ...(token != null && { 'X-TC-Token': token }), // token: null sends none, even for a temporary key
    ...extraHeaders,
  };
  return tamper({ method, path: rawQuery ? `${path}?${rawQuery}` : path, headers, body });
}

/**
 * Sends a raw request on a fresh connection; headers set to undefined are left out. Resolves
 * {status, headers, text, json} or, when the connection dies without an answer, {error}.
 */
export function send(port, { method, path, headers: given, body = '' }) {
  const headers = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  return new Promise((resolve) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', (error) => resolve({ error }));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode, headers: response.headers, text, json });
      });
    });
    request.on('error', (error) => resolve({ error }));
    request.end(body);
  });
}

/** Signs and sends; options as signedRequest (port is filled in). */
export function call(port, options = {}) {
  return send(port, signedRequest({ port, ...options }));
}

/** The error code of an answer, or 'OK' for a success envelope. */
export function codeOf(answer) {
  if (!answer.json?.Response) throw new Error(`not an API envelope: ${answer.status} ${answer.error ?? answer.text}`);
  return answer.json.Response.Error?.Code ?? 'OK';
}

/** A JSON request to a control endpoint. */
export async function control(port, name, { method = 'GET', body, prefix = '' } = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers = payload ? { 'Content-Type': 'application/json' } : {};
  return send(port, { method, path: `${prefix}/__emulator/${name}`, headers, body: payload });
}

/** An emulator on a free port for one suite, quiet, reset before each test by the suite. */
export async function quietEmulator(options = {}) {
  return startEmulator({ log: null, ...options });
}

export const imageIds = (emulator, region = 'ap-guangzhou') => emulator.images(region).map((image) => image.ImageId);
export const snapshotIds = (emulator, region = 'ap-guangzhou') => emulator.snapshots(region).map((s) => s.SnapshotId);
