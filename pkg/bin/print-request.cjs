'use strict';
// --print-request (one job): the signed request exactly as it would be sent, with the strings the
// signature is made of, as the core made them when it signed; a secret never, a session token
// masked.

const { createHash } = require('node:crypto');
const { planLines } = require('./output.cjs');

// planned) comes first, and the request is the first call's.
function printSignedRequest(request, output, bulkPlan) {
  if (request.signing.signatureMethod) return printV1Request(request, output, bulkPlan);
  // The stages the request was signed with, as the core made them (not signed again). What is
  // checked here: the Authorization sent is the one signed, and the payload hashed in the
  // canonical request is the body sent (node:crypto's SHA-256, not the core's).
  const signed = request.signing;
  const payloadHash = createHash('sha256').update(request.body || '', 'utf8').digest('hex');
  const headers = { ...request.headers };
  if (headers['X-TC-Token']) headers['X-TC-Token'] = `<session token, ${headers['X-TC-Token'].length} characters, not shown>`;
  const consistent = signed.authorization === request.headers.Authorization
    && signed.canonicalRequest.endsWith(`\n${payloadHash}`);
  if (output === 'json') {
    const report = {
      ...(bulkPlan && { plan: bulkPlan }),
      request: { method: request.method, url: request.url, headers, body: request.body },
      canonicalRequest: signed.canonicalRequest,
      stringToSign: signed.stringToSign,
      credentialScope: signed.credentialScope,
      signedHeaders: signed.signedHeaders,
      signature: signed.signature,
      consistent,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const out = bulkPlan ? [...planLines(bulkPlan), '', '--- the first request ---'] : [];
    out.push(`${request.method} ${request.url}`);
    for (const [name, value] of Object.entries(headers)) out.push(`${name}: ${value}`);
    out.push('', request.body || '', '', '--- canonical request ---', signed.canonicalRequest, '',
      '--- string to sign ---', signed.stringToSign, '');
    process.stdout.write(`${out.join('\n')}\n`);
  }
  if (!consistent) {
    process.stderr.write('tccvm: warning: the request sent differs from the one signed (its Authorization or its payload hash)\n');
  }
}

// --print-request of a v1 request (tencent-api-3.md §2): the request, the string to sign and the
// signature from the core's signer. The session token is a parameter here: it is masked by name,
// in the parameters the request carries (encoded `name=value` pairs, where `&` and `=` never occur
// inside a name or value), never by searching text, so a parameter value containing `&Token=`
// cannot hide the real one. The string to sign shown is those pairs, decoded, after the core's
// prefix; it is checked to be the core's string before masking.
const TOKEN_SHOWN = '<session token, not shown>';
function printV1Request(request, output, bulkPlan) {
  const [base, query = ''] = request.method === 'GET' ? request.url.split(/\?(.*)/s) : [request.url];
  const encoded = request.method === 'GET' ? query : request.body;
  const pairs = encoded.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  const masked = pairs.map(([name, value]) => `${name}=${name === 'Token' ? TOKEN_SHOWN : value}`).join('&');
  const shown = {
    method: request.method,
    url: request.method === 'GET' ? `${base}?${masked}` : request.url,
    headers: request.headers,
    body: request.method === 'GET' ? request.body : masked,
  };
  const { signatureMethod, signature, stringToSign: signed } = request.signing;
  const decoded = pairs.filter(([name]) => name !== 'Signature').map(([name, value]) => [decodeURIComponent(name), decodeURIComponent(value)]);
  const tail = decoded.map(([name, value]) => `${name}=${value}`).join('&');
  const consistent = signed.endsWith(tail);
  const stringToSign = consistent
    ? signed.slice(0, signed.length - tail.length) + decoded.map(([name, value]) => `${name}=${name === 'Token' ? TOKEN_SHOWN : value}`).join('&')
    : '(not shown: the parameters sent differ from those signed)';
  if (!consistent) process.stderr.write('tccvm: warning: the parameters of the request differ from the string the core signed\n');
  if (output === 'json') {
    process.stdout.write(`${JSON.stringify({ ...(bulkPlan && { plan: bulkPlan }), request: shown, signatureMethod, stringToSign, signature, consistent }, null, 2)}\n`);
    return;
  }
  const out = bulkPlan ? [...planLines(bulkPlan), '', '--- the first request ---'] : [];
  out.push(`${shown.method} ${shown.url}`);
  for (const [name, value] of Object.entries(shown.headers)) out.push(`${name}: ${value}`);
  out.push('', shown.body || '', '', `--- string to sign (${signatureMethod}) ---`, stringToSign, '', `signature: ${signature}`, '');
  process.stdout.write(`${out.join('\n')}\n`);
}

function nowSec() {
  return Math.floor(Date.now() / 1000);
}

module.exports = { printSignedRequest, nowSec };
