// A browser consumer of the package's web entry, type-checked against pkg/web.d.ts.
import init, { buildDeleteImages, decodeDeleteImages, TencentCloudError, ValidationError, KNOWN_REGIONS } from 'tencentcloud-cvm-wasm/web';

await init();
await init(new URL('/assets/tencentcloud_cvm_wasm_bg.wasm', 'https://example.com'));
await init(fetch('/assets/tencentcloud_cvm_wasm_bg.wasm'));
await init(new Uint8Array(8));

const req = buildDeleteImages({ ImageIds: ['img-mfih409y'], DryRun: true }, {
  secretId: 'AKIDexample',
  secretKey: 'key',
  region: KNOWN_REGIONS[0] ?? 'ap-guangzhou',
  endpoint: 'http://localhost:8080/proxy',
  host: 'cvm.tencentcloudapi.com',
});
try {
  const res = await fetch(req.url, req);
  console.log(decodeDeleteImages(res.status, await res.text()).RequestId);
} catch (e) {
  if (e instanceof TencentCloudError || e instanceof ValidationError) console.error(e.code, e.message);
}

// (init(42) cannot be rejected: lib.dom's WebAssembly.Module is an empty interface.)
// @ts-expect-error: init resolves to nothing
const nothing: number = await init();
// @ts-expect-error: loadCredentials is Node only
import('tencentcloud-cvm-wasm/web').then((web) => web.loadCredentials());
console.log(nothing);

export {};
