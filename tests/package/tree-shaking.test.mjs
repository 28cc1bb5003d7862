// A page that imports only what it uses gets only that: bundled by esbuild from the default browser
// entry, a page importing buildDeleteImages and decodeDeleteImages carries no CvmClient, no CVM
// role provider and no fetch wrapper (each made /* @__PURE__ */ where it is exported), while a page
// importing CvmClient does carry it — so the check can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const BROWSER_ENTRY = fileURLToPath(new URL('../../pkg/browser.js', import.meta.url));
// Texts only the client and the role provider hold (the transport, which only they use, goes with them).
const CLIENT_ONLY = ['the credentials provider did not answer', 'the CVM metadata service'];

async function bundle(imports) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tree-shaking-'));
  const page = path.join(dir, 'page.mjs');
  writeFileSync(page, `import { ${imports.join(', ')} } from ${JSON.stringify(BROWSER_ENTRY)};\nconsole.log(${imports.join(', ')});\n`);
  const result = await build({ entryPoints: [page], bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent' });
  return result.outputFiles[0].text;
}

test('a page importing only buildDeleteImages and decodeDeleteImages bundles no client, role provider or transport', async () => {
  const lean = await bundle(['buildDeleteImages', 'decodeDeleteImages']);
  const found = CLIENT_ONLY.filter((text) => lean.includes(text));
  assert.deepEqual(found, [], 'client code in a page that does not import it');
  const full = await bundle(['buildDeleteImages', 'CvmClient', 'cvmRoleCredentials']);
  assert.ok(full.includes(CLIENT_ONLY[0]) && full.includes(CLIENT_ONLY[1]), 'the marker texts are the client\'s and the role provider\'s');
});

// The other exports and the wasm-bindgen glue only they call are dropped too: the glue calls each
// wasm export by name, and KNOWN_ERROR_CODES is a list of the catalogue's codes.
const OTHER_EXPORTS = ['signTc3', 'checkClientOptions', 'checkCvmRoleOptions', 'chunkImageIds', 'describeError', 'ratelimiter_new', 'AuthFailure.InvalidAuthorization'];

test('a page importing only buildDeleteImages and decodeDeleteImages bundles no other export, nor the glue behind them', async () => {
  const lean = await bundle(['buildDeleteImages', 'decodeDeleteImages']);
  assert.deepEqual(OTHER_EXPORTS.filter((text) => lean.includes(text)), [], 'other exports in a page that does not import them');
  assert.ok(lean.includes('buildDeleteImages') && lean.includes('decodeDeleteImagesParsed'), 'the glue of the imported exports stays');
  const all = await bundle(['signTc3', 'describeError', 'RateLimiter', 'KNOWN_ERROR_CODES', 'CvmClient']);
  assert.deepEqual(OTHER_EXPORTS.filter((text) => !all.includes(text)), [], 'the marker texts are in a page that imports those exports');
});
