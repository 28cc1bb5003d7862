// A realistic Node consumer of the package in a bundled Node app (moduleResolution bundler with the
// "node" condition, as esbuild --platform=node or webpack target node resolve it: node.d.ts), type-
// checked (never run) by tests/package/types.test.mjs in an app where the packed tarball is
// installed (tsconfig.bundler-node.json). The `@ts-expect-error` lines prove that wrong usage is
// rejected.
import {
  buildDeleteImages,
  buildRequest,
  CredentialsError,
  CvmClient,
  cvmRoleCredentials,
  decodeDeleteImages,
  decodeResponse,
  describeError,
  isKnownRegion,
  KNOWN_REGIONS,
  loadCredentials,
  MAX_IMAGE_IDS_PER_CALL,
  signTc3,
  TencentCloudError,
  validateDeleteImages,
  validateRegion,
  ValidationError,
  VERSION,
  type ClientOptionsInput,
  CvmCallError,
  type KnownErrorCode,
  type CvmClientOptions,
  type CredentialsProvider,
  type CvmRoleCredentialsOptions,
  type ProvidedCredentials,
  type DeleteImagesInput,
  type DeleteImagesParams,
  type DeleteImagesResult,
  type ErrorDescription,
  type ErrorInfo,
  type NormalizedDeleteImagesParams,
  type RequestOptions,
  type RequestOptionsInput,
  type SignedRequest,
  type SigningOutput,
  type SignMethod,
  type V1SigningOutput,
  type SignTc3Input,
  type SignTc3Params,
  type SignTc3Result,
  type ValidationCode,
  type ValidationIssue,
} from 'tencentcloud-cvm-wasm';

// ---- credentials ----
const creds = loadCredentials({ env: { TENCENTCLOUD_SECRET_ID: 'AKIDexample', TENCENTCLOUD_SECRET_KEY: 'key' } });
const region: string = validateRegion(creds.region ?? 'ap-guangzhou');
const source: string = creds.source;
const options: RequestOptionsInput = {
  secretId: creds.secretId,
  secretKey: creds.secretKey,
  region,
  method: 'POST',
  language: 'en-US',
  signAction: true,
  endpoint: 'https://cvm.intl.tencentcloudapi.com',
};
if (creds.token !== undefined) options.token = creds.token;
const earlierOptions: RequestOptions = options;

// ---- the generic signer ----
const signInput: SignTc3Params = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
  service: 'cvm',
  host: 'cvm.tencentcloudapi.com',
  method: 'GET',
  contentType: 'application/x-www-form-urlencoded',
  query: 'Limit=10&Offset=0',
  payload: '',
  timestamp: 1539084154,
};
const earlierInput: SignTc3Input = signInput;
const stages: SigningOutput = signTc3(earlierInput);
const earlierStages: SignTc3Result = stages;
const authorization: string = stages.authorization;
const canonical: string[] = [earlierStages.canonicalRequest, stages.stringToSign, stages.credentialScope, stages.signedHeaders, stages.hashedPayload, stages.signature];

// ---- build, send with fetch, decode ----
async function deleteImages(ids: string[], dryRun: boolean): Promise<DeleteImagesResult> {
  const params: DeleteImagesInput = { ImageIds: ids, DryRun: dryRun, DeleteBindedSnap: 'False' };
  const normalized: DeleteImagesParams = validateDeleteImages(params);
  const snapshots: boolean | undefined = normalized.DeleteBindedSnap;
  const earlier: NormalizedDeleteImagesParams = normalized;
  const req: SignedRequest = buildDeleteImages(earlier, options);
  const signature: string = req.signing.signature;
  // fetch(req.url, req) follows no redirect: the request says so, typed as exactly that.
  const redirect: 'manual' = req.redirect;
  console.log(snapshots, signature, redirect);
  // A legacy v1 signature: its stages have a signatureMethod (TC3's have a canonical request).
  const signMethod: SignMethod = 'HmacSHA1';
  const v1 = buildDeleteImages(earlier, { ...options, signMethod, nonce: 11886 });
  if ('signatureMethod' in v1.signing) {
    const stages: V1SigningOutput = v1.signing;
    console.log(stages.signatureMethod === 'HmacSHA256', stages.stringToSign);
  } else {
    console.log(v1.signing.canonicalRequest);
  }
  const res = await fetch(req.url, req);
  const result = decodeDeleteImages(res.status, await res.text());
  if (result.DryRunOperation === true) console.log('would have been deleted', result.RequestId);
  return result;
}

async function describeNormalImages(): Promise<number> {
  const req = buildRequest('DescribeImages', { Limit: 10, Filters: [{ Name: 'image-state', Values: ['NORMAL'] }] }, { ...options, method: 'GET', version: '2017-03-12' });
  const headers: Record<string, string> = req.headers;
  const res = await fetch(req.url, { method: req.method, headers, redirect: req.redirect });
  const response = decodeResponse(res.status, await res.text());
  const requestId: string = response.RequestId;
  console.log(requestId);
  return typeof response['TotalCount'] === 'number' ? response['TotalCount'] : 0;
}

function report(e: unknown): string {
  if (e instanceof ValidationError) {
    const code: ValidationCode = e.code;
    const issues: ValidationIssue[] = e.issues;
    return `bad ${e.field} (${code}): ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`;
  }
  if (e instanceof TencentCloudError) {
    const info: ErrorDescription = describeError(e.code);
    const earlierInfo: ErrorInfo = info;
    console.log(earlierInfo.known);
    const status: number = e.httpStatus;
    const retry: boolean = e.retryable || info.retryable;
    return `${e.code} [${e.requestId || 'no RequestId'}] HTTP ${status} ${e.description} retry=${retry}`;
  }
  if (e instanceof CredentialsError) {
    return `${e.code}: looked in ${e.searched.join(', ')}`;
  }
  return String(e);
}

// ---- the client ----
async function withClient(ids: string[]): Promise<void> {
  const clientOptions: ClientOptionsInput = { ...options, retries: 2, timeoutMs: 5000, ratePerSecond: 10, correctClockSkew: true };
  const client = new CvmClient(clientOptions satisfies CvmClientOptions);
  const controller = new AbortController();
  for (let i = 0; i < ids.length; i += MAX_IMAGE_IDS_PER_CALL) {
    try {
      const done = await client.deleteImages({ ImageIds: ids.slice(i, i + MAX_IMAGE_IDS_PER_CALL) }, { signal: controller.signal });
      const attempts: number = done.attempts;
      console.log(done.RequestId, attempts);
    } catch (e) {
      if (e instanceof CvmCallError) {
        const lost: boolean = e.history.some((h) => h.outcomeUnknown);
        if (e.probablyDeletedByEarlierAttempt) console.log('probably deleted already', lost);
        switch (e.code) {
          case 'InvalidImageId.IncorrectState':
          case 'InvalidImageId.InShared':
            console.log('kept', e.attempts);
            break;
          case 'RequestLimitExceeded':
            console.log('slow down');
            break;
          default:
        }
      }
      console.error(report(e));
    }
  }
  const page = await client.describeImages({ Limit: 100, Filters: [{ Name: 'image-type', Values: ['PRIVATE_IMAGE'] }] });
  const names: string[] = page.ImageSet.map((image) => `${image.ImageName} ${image.OsName.toUpperCase()}`);
  const total: number = page.TotalCount;
  const pages = client.paginateDescribeImages({ Filters: [{ Name: 'image-type', Values: ['PRIVATE_IMAGE'] }] }, { pageSize: 50, signal: controller.signal });
  for await (const p of pages) console.log(p.Offset, p.ImageSet.length, p.setChanged, total);
  const listing = client.listImages();
  for await (const image of listing) console.log(image.ImageId, image.SnapshotSet?.map((s) => s.SnapshotId), listing.setChanged);
  const shared = await client.describeImageSharePermission({ ImageId: 'img-a' });
  console.log(shared.SharePermissionSet.map((p) => p.AccountId));
  const any = await client.request('DescribeRegions', {});
  console.log(names, any.RequestId, client.clockOffsetSec, client.pacing.ratePerSecond);
}

// ---- changing credentials ----
const roleOptions: CvmRoleCredentialsOptions = { metadataUrl: 'http://127.0.0.1:9001', timeoutMs: 1000 };
const role: CredentialsProvider = cvmRoleCredentials(roleOptions);
const fromRole = new CvmClient({ credentials: role, region: 'ap-guangzhou', refreshMarginMs: 60_000 });
const fromFunction = new CvmClient({
  credentials: async (): Promise<ProvidedCredentials> => ({ secretId: 'AKIDx', secretKey: 'k', token: 't', expiration: new Date() }),
  region: 'ap-guangzhou',
});
const fromObject = new CvmClient({ credentials: { secretId: 'AKIDx', secretKey: 'k' }, region: 'ap-guangzhou' });
console.log(fromRole, fromFunction, fromObject);
// @ts-expect-error: credentials is a key object or a provider, not a string
new CvmClient({ credentials: 'AKIDx', region: 'ap-guangzhou' });
// @ts-expect-error: a provider answers secretId and secretKey
new CvmClient({ credentials: async () => ({ secretId: 'AKIDx' }), region: 'ap-guangzhou' });

const known: boolean = isKnownRegion('me-riyadh2') || KNOWN_REGIONS.includes('ap-guangzhou');
console.log(VERSION, authorization, canonical, known, source, earlierOptions, deleteImages, describeNormalImages, withClient);

// ---- wrong usage is rejected ----
// @ts-expect-error: the method is 'POST' or 'GET'
buildDeleteImages({ ImageIds: ['img-a'] }, { ...options, method: 'PUT' });
// @ts-expect-error: ImageIds is required
buildDeleteImages({ DryRun: true }, options);
// @ts-expect-error: image ids are strings
buildDeleteImages({ ImageIds: [42] }, options);
// @ts-expect-error: ImageIds is a list
buildDeleteImages({ ImageIds: 'img-a' }, options);
// @ts-expect-error: DryRun is a boolean or "True"/"False"/"true"/"false"
buildDeleteImages({ ImageIds: ['img-a'], DryRun: 'yes' }, options);
// @ts-expect-error: the option is DeleteBindedSnap
buildDeleteImages({ ImageIds: ['img-a'], DeleteBindedSnapshot: true }, options);
// @ts-expect-error: language is 'zh-CN' or 'en-US'
buildDeleteImages({ ImageIds: ['img-a'] }, { ...options, language: 'fr-FR' });
// @ts-expect-error: region is required
buildDeleteImages({ ImageIds: ['img-a'] }, { secretId: 'a', secretKey: 'b' });
// @ts-expect-error: signTc3 needs a timestamp
signTc3({ secretId: 'a', secretKey: 'b', service: 'cvm', host: 'h', method: 'POST', contentType: 'application/json', payload: '' });
// @ts-expect-error: the status comes first, as a number
decodeDeleteImages('{"Response":{}}', 200);
// @ts-expect-error: CvmClient needs a region
new CvmClient({ secretId: 'a', secretKey: 'b' });
// @ts-expect-error: unknown client option (retries)
new CvmClient({ ...options, retry: 2 });
// @ts-expect-error: the normalised parameters hold Booleans only
export const notNormalised: DeleteImagesParams = { ImageIds: ['img-a'], DryRun: 'True' };
// @ts-expect-error: issues are objects
export const issueTexts: string[] = new ValidationError().issues;
// @ts-expect-error: a typo of InvalidImageId.NotFound is no known error code
export const typo = 'InvalidImageId.NotFund' satisfies KnownErrorCode;
export const spelled = 'InvalidImageId.NotFound' satisfies KnownErrorCode;
// @ts-expect-error: fields of errors are read-only
new ValidationError().field = 'x';
