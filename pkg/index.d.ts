// Types for tencentcloud-cvm-wasm. Hand-written: every export is described precisely.

/** HTTP method for Tencent Cloud API 3.0 calls. */
export type HttpMethod = 'POST' | 'GET';
/** Language of server error messages (X-TC-Language). */
export type Language = 'zh-CN' | 'en-US';

/** Input to the generic TC3-HMAC-SHA256 signer. */
export interface SignTc3Input {
  secretId: string;
  secretKey: string;
  /** Product name, the first label of the domain, e.g. `cvm`. */
  service: string;
  /** The host that is signed, e.g. `cvm.tencentcloudapi.com`. */
  host: string;
  method: HttpMethod;
  /** Exactly the Content-Type sent, e.g. `application/json`. */
  contentType: string;
  /** GET only: the exact query string sent after `?` (no leading `?`). */
  query?: string;
  /** The exact body sent (empty string for GET). */
  payload: string;
  /** Unix seconds. */
  timestamp: number;
  /** The action, needed when `signAction` is true. */
  action?: string;
  /** Also sign `x-tc-action:<action lower-cased>`. */
  signAction?: boolean;
}

/** Every stage of TC3-HMAC-SHA256, as Tencent's algorithm defines it. */
export interface SignTc3Result {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  credentialScope: string;
  signedHeaders: string;
  hashedPayload: string;
}

/** DeleteImages parameters, Tencent's names. Booleans also accept "True"/"False"/"true"/"false". */
export interface DeleteImagesParams {
  ImageIds: string[];
  DryRun?: boolean | 'True' | 'False' | 'true' | 'false';
  DeleteBindedSnap?: boolean | 'True' | 'False' | 'true' | 'false';
}

/** What `validateDeleteImages` returns: normalised (booleans are booleans). */
export interface NormalizedDeleteImagesParams {
  ImageIds: string[];
  DryRun?: boolean;
  DeleteBindedSnap?: boolean;
}

/** Options for building a signed request. */
export interface RequestOptions {
  secretId: string;
  secretKey: string;
  /** Session token of temporary credentials (sent as X-TC-Token). */
  token?: string;
  /** Region id, e.g. `ap-guangzhou`. */
  region: string;
  /** `http(s)://host[:port][/path]`; default `https://cvm.tencentcloudapi.com`. */
  endpoint?: string;
  /** The host to sign when it differs from the endpoint's (a proxy); default: the endpoint's host. */
  host?: string;
  /** Default `POST` (JSON body); `GET` sends parameters in the query string. */
  method?: HttpMethod;
  /** Unix seconds; default: now. */
  timestamp?: number;
  language?: Language;
  /** Also sign the `x-tc-action` header. */
  signAction?: boolean;
}

/** Options of the generic `buildRequest`. */
export interface GenericRequestOptions extends RequestOptions {
  /** API version; default `2017-03-12` (CVM). */
  version?: string;
  /** Service to sign; default `cvm`. */
  service?: string;
}

/** A signed request: `fetch(req.url, req)` sends exactly what was signed. */
export interface SignedRequest {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  /** Absent for GET. */
  body?: string;
}

/** A successful DeleteImages response. `DryRunOperation` is set when the server answered that code. */
export interface DeleteImagesResult {
  RequestId: string;
  DryRunOperation?: true;
}

/** The `Response` object of any successful API 3.0 call. */
export interface ApiResponse {
  RequestId: string;
  [field: string]: unknown;
}

/** An entry of the error catalogue. */
export interface ErrorInfo {
  code: string;
  description: string;
  retryable: boolean;
  /** True for codes this package knows (DeleteImages' own and the common ones). */
  known: boolean;
}

/** Codes of the validator. */
export type ValidationCode =
  | 'MissingParameter'
  | 'UnknownParameter'
  | 'InvalidParameter'
  | 'InvalidParameterValue'
  | 'InvalidImageId.Malformed'
  | 'InvalidParameterValue.LimitExceeded';

/** Bad input, found before anything was sent. */
export class ValidationError extends Error {
  readonly name: 'ValidationError';
  /** The offending field, e.g. `ImageIds`, `ImageIds.2`, `DryRun`, `region`, `secretKey`. */
  readonly field: string;
  /** The Tencent code the server would answer, where one exists. */
  readonly code: ValidationCode;
}

/**
 * A failed call: a Tencent error envelope, or a transport failure. Client-side codes:
 * `ClientError.InvalidResponse` (a body that is not a Tencent envelope: HTML, empty, truncated JSON),
 * `ClientError.HttpStatus` (a non-2xx status without an envelope), `ClientError.Network`,
 * `ClientError.Timeout`, `ClientError.Aborted`.
 */
export class TencentCloudError extends Error {
  readonly name: 'TencentCloudError';
  readonly code: string;
  /** The server's RequestId; empty when the server gave none. */
  readonly requestId: string;
  /** HTTP status; 0 when no response arrived. */
  readonly httpStatus: number;
  /** Whether a retry (with backoff) could help. */
  readonly retryable: boolean;
  /** Short description from the error catalogue ("" for unknown codes). */
  readonly description: string;
}

/** Package version. */
export const VERSION: string;
/** Most ImageIds accepted in one DeleteImages call. */
export const MAX_IMAGE_IDS_PER_CALL: number;
/** Region ids known to this version (others of the right shape are accepted too). */
export const KNOWN_REGIONS: readonly string[];

export function signTc3(input: SignTc3Input): SignTc3Result;
export function buildDeleteImages(params: DeleteImagesParams, options: RequestOptions): SignedRequest;
export function buildRequest(action: string, params: Record<string, unknown>, options: GenericRequestOptions): SignedRequest;
export function validateDeleteImages(params: DeleteImagesParams): NormalizedDeleteImagesParams;
/** Throws a `ValidationError` (field `region`) unless the region id is well formed. */
export function validateRegion(region: string): string;
export function decodeDeleteImages(status: number, bodyText: string): DeleteImagesResult;
export function decodeResponse(status: number, bodyText: string): ApiResponse;
export function describeError(code: string): ErrorInfo;

/** Whether the region id is in `KNOWN_REGIONS`. */
export function isKnownRegion(region: string): boolean;
/** Full-jitter backoff: `floor(random01 × min(capMs, baseMs × 2^attempt))`. */
export function backoffDelayMs(attempt: number, baseMs: number, capMs: number, random01: number): number;
/** Unix seconds of an IMF-fixdate (`Date` header), or `undefined`. */
export function parseHttpDate(value: string): number | undefined;
/**
 * Sliding-window limiter: at most `limit` requests in any `windowMs`, each counted at its send
 * time while in flight and at its answer time once settled (a server counts arrivals, which lie
 * in between).
 */
export class RateLimiter {
  constructor(limit: number, windowMs: number);
  /** Milliseconds to wait before sending at `nowMs` (0: now). Ask again after waiting. */
  delayMs(nowMs: number): number;
  /** Records a request sent at `nowMs`. */
  commit(nowMs: number): void;
  /** The request sent at `sentAtMs` ended at `answeredAtMs` (answered, failed or abandoned). */
  settle(sentAtMs: number, answeredAtMs: number): void;
}

export * from './client.js';
