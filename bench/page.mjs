// In-page half of the Chromium benchmark (bench/browser.mjs drives it): the package's browser
// build (/pkg/web.js) against the aws4fetch-style WebCrypto signer, with the same harness as Node.
import init, { signTc3, buildDeleteImages } from '/pkg/web.js';
import { createWebCryptoSigner } from '/bench/webcrypto-signer.mjs';
import { measure, sinkValue } from '/bench/harness.mjs';

async function browserVersion() {
  try {
    const data = await navigator.userAgentData.getHighEntropyValues(['fullVersionList']);
    const entry = data.fullVersionList.find((b) => /Chrom/i.test(b.brand));
    if (entry) return `${entry.brand} ${entry.version}`;
  } catch {
    // fall through to the user agent
  }
  return navigator.userAgent;
}

/**
 * Checks agreement, then measures. `input` is the signTc3 input; `expected` the Authorization
 * the package produced in Node; `vectors` Tencent's examples ({ input, signature }).
 */
window.runBench = async ({ input, expected, vectors, buildParams, buildOptions, config }) => {
  const t0 = performance.now();
  await init();
  const initMs = performance.now() - t0;
  const webCrypto = createWebCryptoSigner();
  const webCryptoUncached = createWebCryptoSigner({ cache: false });
  const checks = [];
  const check = (what, got, want) => checks.push({ what, ok: got === want, got, want });
  for (const v of vectors) {
    check(`browser signTc3 reproduces ${v.name}`, signTc3(v.input).signature, v.signature);
    check(`browser WebCrypto reproduces ${v.name}`, (await webCrypto(v.input)).signature, v.signature);
  }
  check('browser signTc3 = Node signTc3 (DeleteImages POST)', signTc3(input).authorization, expected);
  check('browser WebCrypto (cached) = Node signTc3', (await webCrypto(input)).authorization, expected);
  check('browser WebCrypto (cached, 2nd call) = Node signTc3', (await webCrypto(input)).authorization, expected);
  check('browser WebCrypto (uncached) = Node signTc3', (await webCryptoUncached(input)).authorization, expected);
  check('browser buildDeleteImages Authorization = Node signTc3',
    buildDeleteImages(buildParams, buildOptions).headers.Authorization, expected);
  if (checks.some((c) => !c.ok)) return { checks, results: [] };

  const results = await measure([
    { name: 'signTc3 (wasm)', fn: () => signTc3(input) },
    { name: 'WebCrypto, aws4fetch-style (key cache)', fn: () => webCrypto(input), async: true },
    { name: 'WebCrypto, no key cache', fn: () => webCryptoUncached(input), async: true },
    { name: 'buildDeleteImages (wasm)', fn: () => buildDeleteImages(buildParams, buildOptions) },
  ], config);
  return {
    checks,
    results,
    initMs,
    sink: sinkValue(),
    version: await browserVersion(),
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
};
window.benchReady = true;
