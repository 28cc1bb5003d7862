// A browser consumer built with a bundler (moduleResolution bundler, no "node" condition):
// 'tencentcloud-cvm-wasm' resolves to the default entry outside Node (browser.d.ts, browser.js: the
// .wasm inside, init() resolves at once) and 'tencentcloud-cvm-wasm/web' to web.d.ts, web.js
// (init(url?) fetches the .wasm); both default exports are init, with one signature. Type-checked (never run) by tests/package/types.test.mjs
// in an app where the packed tarball is installed (tsconfig.bundler.json).
import init, {
  buildDeleteImages,
  checkDeleteImages,
  CvmClient,
  decodeDeleteImages,
  describeError,
  TencentCloudError,
  ValidationError,
  KNOWN_REGIONS,
  type CvmClientOptions,
  type DeleteImagesInput,
  type SignedRequest,
  type ValidationIssue,
} from 'tencentcloud-cvm-wasm';
import initWeb, { buildDeleteImages as buildFromWeb, signTc3, type RequestSigning } from 'tencentcloud-cvm-wasm/web';

await init();
await initWeb(new URL('/assets/tencentcloud_cvm_wasm_bg.wasm', 'https://example.com'));
await init(fetch('/assets/tencentcloud_cvm_wasm_bg.wasm'));
await init(new Uint8Array(8));
const sameInit: typeof init = initWeb;

const input: DeleteImagesInput = { ImageIds: ['img-mfih409y'], DryRun: true };
const options = {
  secretId: 'AKIDexample',
  secretKey: 'key',
  region: KNOWN_REGIONS[0] ?? 'ap-guangzhou',
  endpoint: 'http://localhost:8080/proxy',
  host: 'cvm.tencentcloudapi.com',
};
const problems: ValidationIssue[] = checkDeleteImages(input, options);
if (problems.length > 0) console.error(problems.map((p) => `${p.field}: ${p.message}`));
const req: SignedRequest = buildDeleteImages(input, options);
const signing: RequestSigning = buildFromWeb(input, options).signing;
console.log(req.signing.signature === signing.signature, signTc3 === undefined, sameInit);
try {
  const res = await fetch(req.url, req);
  console.log(decodeDeleteImages(res.status, await res.text()).RequestId);
} catch (e) {
  if (e instanceof ValidationError) console.error(e.issues.map((issue) => issue.code));
  if (e instanceof TencentCloudError) console.error(e.code, describeError(e.code).retryable);
}
const clientOptions: CvmClientOptions = { ...options, language: 'zh-CN', fetch: (url, init) => fetch(url, init) };
const client = new CvmClient(clientOptions);
console.log((await client.deleteImages({ ImageIds: ['img-mfih409y'] })).attempts);

// (init(42) cannot be rejected: lib.dom's WebAssembly.Module is an empty interface.)
// @ts-expect-error: init resolves to nothing
const nothing: number = await init();
// @ts-expect-error: loadCredentials is Node only
import('tencentcloud-cvm-wasm').then((web) => web.loadCredentials());
// @ts-expect-error: loadCredentials is Node only
import('tencentcloud-cvm-wasm/web').then((web) => web.loadCredentials());
// @ts-expect-error: ImageIds is a list of strings
buildDeleteImages({ ImageIds: 'img-mfih409y' }, options);
// @ts-expect-error: image ids are strings
buildFromWeb({ ImageIds: [1, 2] }, options);
// @ts-expect-error: unknown client option (timeoutMs)
new CvmClient({ ...options, timeout: 1000 });
console.log(nothing);

export {};
