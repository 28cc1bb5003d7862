// An ES module TypeScript consumer (a .mts file, module node16): `import` resolves the package
// through the exports map's node/import branch, node.d.ts for the types and node.mjs at runtime;
// 'tencentcloud-cvm-wasm/web' is the browser entry (web.d.ts, web.js) whose default export is init.
// tests/package/types.test.mjs installs the packed tarball into an app, compiles this with tsc
// (tsconfig.node16.json) and runs the output with node: the checks below throw if the runtime
// disagrees with the types. The @ts-expect-error lines prove that wrong usage is rejected.
import cvm, {
  buildDeleteImages,
  CvmCallError,
  CvmClient,
  decodeDeleteImages,
  KNOWN_ERROR_CODES,
  describeError,
  loadCredentials,
  signTc3,
  TencentCloudError,
  ValidationError,
  type ClientOptionsInput,
  type CvmClientOptions,
  type DeleteImagesInput,
  type DeleteImagesParams,
  type Image,
  type KnownErrorCode,
  type NormalizedDeleteImagesParams,
  type SignedRequest,
  type SignTc3Input,
  type SignTc3Params,
  type SignTc3Result,
  type SigningOutput,
  type ValidationIssue,
} from 'tencentcloud-cvm-wasm';
import init, { buildDeleteImages as buildInBrowser, KNOWN_REGIONS } from 'tencentcloud-cvm-wasm/web';

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`node-consumer.mts: ${what}`);
}

// ---- the default exports ----
// Node's ES entry: the default export is the API object, the same functions as the named exports.
check(typeof cvm === 'object' && cvm.buildDeleteImages === buildDeleteImages && cvm.loadCredentials === loadCredentials, 'the default export is the API object');
// The browser entry: the default export is init, which loads the WebAssembly module.
const loading: (input?: URL | BufferSource) => Promise<void> = init;
check(typeof loading === 'function', 'the web entry\'s default export is init');
try {
  buildInBrowser({ ImageIds: ['img-mfih409y'] }, { secretId: 'a', secretKey: 'b', region: 'ap-guangzhou' });
  check(false, 'the web entry needs init first');
} catch (e) {
  check(e instanceof Error && e.message.includes('init'), `the web entry says to call init: ${String(e)}`);
}
check(KNOWN_REGIONS.includes('ap-guangzhou'), 'the web entry\'s constants are there before init');

// ---- the signer, under its current and earlier type names ----
const signInput: SignTc3Params = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
  service: 'cvm',
  host: 'cvm.tencentcloudapi.com',
  method: 'POST',
  contentType: 'application/json; charset=utf-8',
  payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  timestamp: 1551113065,
};
const earlierName: SignTc3Input = signInput;
const stages: SigningOutput = signTc3(earlierName);
const sameStages: SignTc3Result = stages;
// Tencent's documented example signature.
check(sameStages.signature === '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168', `signTc3 reproduces Tencent's example: ${stages.signature}`);

// ---- DeleteImages: input, normalised parameters, signed request ----
const input: DeleteImagesInput = { ImageIds: ['img-mfih409y'], DeleteBindedSnap: 'false' };
const normalised: DeleteImagesParams = cvm.validateDeleteImages(input);
const earlier: NormalizedDeleteImagesParams = normalised;
check(earlier.DeleteBindedSnap === false, 'validateDeleteImages normalises "false"');
const req: SignedRequest = buildDeleteImages(input, { secretId: 'AKIDexample', secretKey: 'secret', region: 'ap-guangzhou', method: 'GET', timestamp: 1_700_000_000 });
check(req.method === 'GET' && req.body === undefined && req.url.includes('ImageIds.0=img-mfih409y'), `GET puts the parameters in the query: ${req.url}`);
check('signedHeaders' in req.signing && req.signing.signedHeaders === 'content-type;host', 'the signing stages are there (non-enumerable)');
const v1: SignedRequest = buildDeleteImages(input, { secretId: 'AKIDexample', secretKey: 'secret', region: 'ap-guangzhou', signMethod: 'HmacSHA1', nonce: 11886, timestamp: 1_700_000_000 });
check('signatureMethod' in v1.signing && v1.signing.signatureMethod === 'HmacSHA1' && v1.signing.stringToSign.startsWith('POSTcvm.tencentcloudapi.com/?Action=DeleteImages&'), 'a v1 request has v1 stages');
try {
  buildDeleteImages({ ImageIds: [] }, { secretId: '', secretKey: 'secret', region: 'ap-guangzhou' });
  check(false, 'bad input is rejected');
} catch (e) {
  if (!(e instanceof ValidationError)) throw e;
  const fields: string[] = e.issues.map((issue: ValidationIssue) => issue.field);
  check(fields.includes('ImageIds') && fields.includes('secretId'), `every issue at once: ${fields.join(', ')}`);
}

// ---- decoding an error answer ----
try {
  decodeDeleteImages(400, '{"Response":{"Error":{"Code":"InvalidImageId.NotFound","Message":"no"},"RequestId":"req-1"}}');
  check(false, 'an error envelope throws');
} catch (e) {
  if (!(e instanceof TencentCloudError)) throw e;
  check(e.code === 'InvalidImageId.NotFound' && e.requestId === 'req-1' && !e.retryable, 'TencentCloudError carries the envelope');
  check(describeError(e.code).known, 'the code is in the catalogue');
}

// ---- the client, with a stub fetch that fails ----
const clientOptions: ClientOptionsInput = {
  secretId: 'AKIDexample',
  secretKey: 'secret',
  region: 'ap-guangzhou',
  language: 'en-US',
  retries: 0,
  fetch: async () => new Response('{"Response":{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"no"},"RequestId":"req-2"}}', { status: 200 }),
};
const sameOptions: CvmClientOptions = clientOptions;
const client = new CvmClient(sameOptions);
try {
  await client.deleteImages({ ImageIds: ['img-mfih409y'] });
  check(false, 'the call fails');
} catch (e) {
  if (!(e instanceof TencentCloudError)) throw e;
  const call: CvmCallError = e as CvmCallError;
  check(call.code === 'AuthFailure.SecretIdNotFound' && call.attempts === 1 && call.history.length === 1, `CvmCallError: ${call.code} ${call.attempts}`);
}

// ---- results and errors as typed as the inputs ----
const IMAGE = {
  ImageId: 'img-mfih409y', OsName: 'TencentOS Server 3.1', ImageType: 'PRIVATE_IMAGE', CreatedTime: '2024-06-01T08:00:00Z',
  ImageName: 'web', ImageDescription: '', ImageSize: 50, Architecture: 'x86_64', ImageState: 'NORMAL', Platform: 'TencentOS',
  ImageCreator: '100000000001', ImageSource: 'CREATE_IMAGE', SomethingNew: 1,
};
const lister = new CvmClient({
  ...clientOptions,
  fetch: async () => new Response(JSON.stringify({ Response: { ImageSet: [IMAGE], TotalCount: 1, RequestId: 'req-3' } }), { status: 200 }),
});
const { ImageSet, TotalCount } = await lister.describeImages();
const osNames: string[] = ImageSet.map((i) => i.OsName.toUpperCase());
check(osNames[0] === 'TENCENTOS SERVER 3.1' && TotalCount === 1 && ImageSet[0]?.SomethingNew === 1, `a typed ImageSet, extra fields kept: ${osNames.join()}`);
const listed: Image[] = [];
for await (const image of lister.listImages({}, { pageSize: 10 })) listed.push(image);
check(listed.length === 1 && listed[0]?.ImageSize === 50, 'listImages yields typed images');
function advice(code: TencentCloudError['code']): string {
  switch (code) {
    case 'InvalidImageId.NotFound':
      return 'gone already';
    case 'AuthFailure.SecretIdNotFound':
    case 'AuthFailure.SignatureFailure':
      return 'check the key';
    case 'ClientError.Timeout':
      return 'outcome unknown';
    default:
      return code;
  }
}
try {
  await client.deleteImages({ ImageIds: ['img-mfih409y'] });
  check(false, 'the call fails');
} catch (e) {
  if (!(e instanceof CvmCallError)) throw e;
  const codes: string[] = e.history.map((h) => h.code);
  check(e instanceof TencentCloudError && e.attempts === 1 && codes[0] === 'AuthFailure.SecretIdNotFound', `CvmCallError narrows: ${codes.join()}`);
  check(advice(e.code) === 'check the key', 'a switch on the code');
}
const known: KnownErrorCode = 'InvalidImageId.NotFound';
check(KNOWN_ERROR_CODES.includes(known) && KNOWN_ERROR_CODES.includes('ClientError.Aborted'), 'KNOWN_ERROR_CODES is the catalogue');

// ---- wrong usage is rejected (type-checked, never run) ----
export async function wrongUsage(): Promise<void> {
  // @ts-expect-error: ImageIds is a list of strings
  buildDeleteImages({ ImageIds: 'img-mfih409y' }, { secretId: 'a', secretKey: 'b', region: 'ap-guangzhou' });
  // @ts-expect-error: image ids are strings
  buildDeleteImages({ ImageIds: [42] }, { secretId: 'a', secretKey: 'b', region: 'ap-guangzhou' });
  // @ts-expect-error: unknown option key (timeoutMs, not timeout)
  new CvmClient({ ...clientOptions, timeout: 5000 });
  // @ts-expect-error: the signer's method is 'POST' or 'GET'
  signTc3({ ...signInput, method: 'PATCH' });
  // @ts-expect-error: the Node entry's default export is the API object, not init
  await cvm();
  // @ts-expect-error: a typo of InvalidImageId.NotFound is no known error code
  const typo = 'InvalidImageId.NotFund' satisfies KnownErrorCode;
  // @ts-expect-error: the browser entry has no loadCredentials
  await import('tencentcloud-cvm-wasm/web').then((web) => web.loadCredentials());
  // @ts-expect-error: ImageSize is a number
  const size: string = ImageSet[0]!.ImageSize;
  console.log(typo, size);
}

console.log('node-consumer.mts ok');
