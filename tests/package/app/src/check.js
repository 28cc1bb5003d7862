// What every matrix target runs through the package it imported (`cvm`, its namespace or its
// CommonJS exports): Tencent's worked example signed, a ValidationError caught by class, and a
// DeleteImages call sent by CvmClient to the test's emulator at `endpoint` (a DryRun unless
// `deleteImageId` asks for a real deletion). The result is plain data for the test to compare.

// Tencent's first worked example (tests/vectors/example-1-post) and its signature.
const EXAMPLE = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
  service: 'cvm',
  host: 'cvm.tencentcloudapi.com',
  method: 'POST',
  contentType: 'application/json; charset=utf-8',
  payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  timestamp: 1551113065,
};
// The emulator's demo key: it opens nothing but the emulator (emulator/README.md).
const DEMO = { secretId: 'AKIDemulatorDemoPermanentKey00000001', secretKey: 'emulatorDemoPermanentSecret00001' };

export async function check(cvm, { endpoint, deleteImageId } = {}) {
  // The entries for browsers have an init(); it must resolve (at once for the default entry).
  if (typeof cvm.default === 'function') await cvm.default();
  const signature = cvm.signTc3(EXAMPLE).signature;
  let validation = 'no error';
  try {
    cvm.validateDeleteImages({ ImageIds: ['ins-12345678'] });
  } catch (e) {
    validation = e instanceof cvm.ValidationError ? `${e.code} ${e.field}` : `not a ValidationError: ${e}`;
  }
  const client = new cvm.CvmClient({ ...DEMO, region: 'ap-guangzhou', endpoint, retries: 0 });
  const answer = await client.deleteImages(deleteImageId ? { ImageIds: [deleteImageId] } : { ImageIds: ['img-gznorm01'], DryRun: true });
  return {
    version: cvm.VERSION,
    signature,
    validation,
    // The emulator checked the signature and every id; it answers a RequestId (a DryRun deletes nothing).
    deleteImages: typeof answer.RequestId === 'string' && answer.RequestId !== '' ? 'answered' : `no RequestId: ${JSON.stringify(answer)}`,
  };
}
