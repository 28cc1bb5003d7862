// A CommonJS TypeScript consumer (a .cts file, module node16): `require` resolves the package through
// the exports map's node/require branch, node.d.cts for the types and node.cjs at runtime.
// tests/package/types.test.mjs installs the packed tarball into an app, compiles this with tsc
// (tsconfig.node16.json) and runs the output with node: the checks below throw if the runtime
// disagrees with the types. The @ts-expect-error lines prove that wrong usage is rejected (tsc
// reports an unused one).
import cvm = require('tencentcloud-cvm-wasm');
// esModuleInterop (on under module node16): the default import of a CommonJS module is module.exports.
import interopDefault from 'tencentcloud-cvm-wasm';
import {
  buildDeleteImages,
  CvmCallError,
  CvmClient,
  TencentCloudError,
  describeError,
  loadCredentials,
  CredentialsError,
  ValidationError,
  type CvmClientOptions,
  type DeleteImagesInput,
  type DeleteImagesParams,
  type ErrorDescription,
  type KnownErrorCode,
  type LoadedCredentials,
  type RequestOptionsInput,
  type SignedRequest,
  type SigningOutput,
  type ValidationIssue,
} from 'tencentcloud-cvm-wasm';

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`node-consumer.cts: ${what}`);
}

// ---- credentials (Node only) ----
const creds: LoadedCredentials = loadCredentials({ env: { TENCENTCLOUD_SECRET_ID: 'AKIDexample', TENCENTCLOUD_SECRET_KEY: 'secret' }, home: '/nonexistent' });
check(creds.secretId === 'AKIDexample' && creds.source === 'env', 'loadCredentials reads the given environment');
try {
  loadCredentials({ env: {}, home: '/nonexistent' });
  check(false, 'loadCredentials finds nothing');
} catch (e) {
  if (!(e instanceof CredentialsError)) throw e;
  const searched: string[] = e.searched;
  check(e.code === 'CredentialsNotFound' && searched.length > 0, 'CredentialsError says where it looked');
}

// ---- build a signed DeleteImages request ----
const options: RequestOptionsInput = { secretId: creds.secretId, secretKey: creds.secretKey, region: creds.region ?? 'ap-guangzhou', timestamp: 1_700_000_000 };
const input: DeleteImagesInput = { ImageIds: ['img-mfih409y', 'img-3jy8mnxq'], DryRun: 'True' };
const req: SignedRequest = buildDeleteImages(input, options);
// TC3 stages, or v1's (which have a signatureMethod): narrowed before TC3's own fields are read.
if ('signatureMethod' in req.signing) throw new Error('a TC3 request has TC3 stages');
const signing: SigningOutput = req.signing;
check(req.method === 'POST' && req.url === 'https://cvm.tencentcloudapi.com/', 'the request goes to the default endpoint');
check(req.headers['Authorization'] === signing.authorization && /^[0-9a-f]{64}$/.test(signing.signature), 'the request carries its signature');
check(req.body === '{"ImageIds":["img-mfih409y","img-3jy8mnxq"],"DryRun":true}', `the body is normalised: ${req.body}`);
const normalised: DeleteImagesParams = cvm.validateDeleteImages(input);
check(normalised.DryRun === true, 'validateDeleteImages normalises "True"');

// ---- every validation problem at once ----
try {
  buildDeleteImages({ ImageIds: ['not-an-image', 'img-a', 'img-a'] }, { ...options, region: 'Mars' });
  check(false, 'bad input is rejected');
} catch (e) {
  if (!(e instanceof ValidationError)) throw e;
  const issues: ValidationIssue[] = e.issues;
  check(issues.length === 3 && e.field === issues[0]!.field && e.code === issues[0]!.code, `ValidationError lists every issue: ${JSON.stringify(issues)}`);
  check(issues.some((issue) => issue.field === 'region'), 'the options are checked with the parameters');
  // @ts-expect-error: issues are objects, not strings
  const asStrings: string[] = e.issues;
  check(typeof asStrings[0] === 'object', 'issues are objects');
}

// ---- the error catalogue ----
const info: ErrorDescription = describeError('RequestLimitExceeded');
check(info.known && info.retryable, 'RequestLimitExceeded is known and retryable');

// ---- the client, with a stub fetch ----
const clientOptions: CvmClientOptions = {
  secretId: creds.secretId,
  secretKey: creds.secretKey,
  region: 'ap-guangzhou',
  retries: 0,
  timeoutMs: 2000,
  fetch: async () => new Response('{"Response":{"RequestId":"req-cts"}}', { status: 200 }),
};
const client = new CvmClient(clientOptions);
check(client.region === 'ap-guangzhou' && client.retries === 0, 'the client keeps its options');

// ---- the CommonJS entry has no default export: not in its types, not at runtime ----
// @ts-expect-error: node.d.cts declares no default export
check(cvm.default === undefined, 'require(…).default is undefined');
check(cvm.buildDeleteImages === buildDeleteImages, 'import = require and named imports see one module');
check(interopDefault === cvm, 'the esModuleInterop default import is module.exports');

// ---- wrong usage is rejected (type-checked, never run) ----
export function wrongUsage(): void {
  // @ts-expect-error: ImageIds is a list of strings
  buildDeleteImages({ ImageIds: 'img-mfih409y' }, options);
  // @ts-expect-error: image ids are strings
  buildDeleteImages({ ImageIds: [42] }, options);
  // @ts-expect-error: unknown option key (retries, not retry)
  new CvmClient({ ...clientOptions, retry: 2 });
  // @ts-expect-error: unknown request option key (region, not regoin)
  buildDeleteImages(input, { ...options, regoin: 'ap-guangzhou' });
  // @ts-expect-error: DryRun is a boolean or "True"/"False"/"true"/"false"
  buildDeleteImages({ ImageIds: ['img-mfih409y'], DryRun: 'yes' }, options);
}

// ---- results and errors as typed as the inputs (type-checked; run by node-consumer.mts) ----
export async function typedResults(c: CvmClient): Promise<string[]> {
  const { ImageSet } = await c.describeImages({ Limit: 100 });
  const names = ImageSet.map((i) => i.OsName.toUpperCase());
  for await (const page of c.paginateDescribeImages({}, { pageSize: 50 })) names.push(`${page.Offset}+${page.ImageSet.length}/${page.TotalCount}`);
  try {
    await c.deleteImages({ ImageIds: ['img-mfih409y'] });
  } catch (e) {
    if (e instanceof CvmCallError) {
      names.push(...e.history.map((h) => h.requestId));
      switch (e.code) {
        case 'InvalidImageId.NotFound':
        case 'ClientError.Aborted':
          break;
        default:
          names.push(e.code);
      }
    } else if (e instanceof TencentCloudError) {
      // Outside a client call (decodeResponse) there may be no history.
      names.push(String(e.history?.length ?? 0));
    }
  }
  // @ts-expect-error: a typo of InvalidImageId.NotFound is no known error code
  names.push('InvalidImageId.NotFund' satisfies KnownErrorCode);
  return names;
}

async function main(): Promise<void> {
  const done = await client.deleteImages({ ImageIds: ['img-mfih409y'] });
  const attempts: number = done.attempts;
  check(done.RequestId === 'req-cts' && attempts === 1, `the client call resolves: ${JSON.stringify(done)}`);
  console.log('node-consumer.cts ok');
}

// A rejection is unhandled: node prints it and exits with status 1.
void main();
