// Types for tencentcloud-cvm-wasm. What the Rust core defines — inputs, results, the signing
// stages, validation issues — is generated from its types into core.d.ts; this file declares
// only what the package's JavaScript layer adds: error classes, the decoders that parse the body
// text first, constants and the client.
import type {
  ApiResponse,
  DeleteImagesParams,
  DeleteImagesResult,
  ErrorDescription,
  GenericRequestOptionsInput,
  KnownErrorCode,
  Method,
  RequestOptionsInput,
  SignTc3Params,
  SigningOutput,
  ValidationCode,
  ValidationIssue,
} from './core.js';
import type { AttemptRecord } from './client.js';

export * from './core.js';

/** Bad input, found before anything was sent. */
export class ValidationError extends Error {
  readonly name: 'ValidationError';
  /** The first problem's field, e.g. `ImageIds`, `ImageIds.2`, `DryRun`, `region`, `secretKey`. */
  readonly field: string;
  /** The first problem's code: the Tencent code the server would answer, where one exists. */
  readonly code: ValidationCode;
  /** Every problem found in the call, the first one first. */
  readonly issues: ValidationIssue[];
}

/**
 * A failed call: a Tencent error envelope (`code` as Tencent spells it) or a `ClientError.*`.
 * A `CvmClient` call rejects with its subclass `CvmCallError`, which adds `attempts` and `history`.
 */
export class TencentCloudError extends Error {
  readonly name: 'TencentCloudError';
  /**
   * Tencent's code or this package's `ClientError.*`: one of the catalogue's (`KnownErrorCode`,
   * autocompleted in a `switch`), or another a server sends.
   */
  readonly code: KnownErrorCode | (string & {});
  /** The server's RequestId; empty when no envelope arrived. */
  readonly requestId: string;
  /** HTTP status; 0 when no response arrived (or, for `ClientError.Redirect`, a browser's opaque redirect). */
  readonly httpStatus: number;
  /** Whether a retry (with backoff) can help. */
  readonly retryable: boolean;
  /** Short description from the catalogue; empty for unknown codes. */
  readonly description: string;
  /** Set by `CvmClient` (see `CvmCallError`): requests sent. */
  attempts?: number;
  /** Set by `CvmClient` (see `CvmCallError`): each failed attempt. */
  history?: AttemptRecord[];
}

/**
 * Decodes a DeleteImages answer from its HTTP status and body text: the result, or a thrown
 * `TencentCloudError` (the server's error, or `ClientError.InvalidResponse` / `ClientError.HttpStatus`
 * for HTML, empty, truncated or non-envelope bodies, `ClientError.Redirect` for a 3xx or status 0 —
 * a browser's opaque redirect: a signed request is never sent on to where a redirect points).
 */
export function decodeDeleteImages(status: number, bodyText: string): DeleteImagesResult;
/** Decodes any action's answer: the `Response` object, or a thrown `TencentCloudError`. */
export function decodeResponse(status: number, bodyText: string): ApiResponse;

/** Package version. */
export const VERSION: string;
/** Most ImageIds accepted in one DeleteImages call. */
export const MAX_IMAGE_IDS_PER_CALL: number;
/** Region ids known to this version (others of the right shape are accepted too). */
export const KNOWN_REGIONS: readonly string[];
/** Every error code in the catalogue (the `KnownErrorCode` type lists the same). */
export const KNOWN_ERROR_CODES: readonly KnownErrorCode[];

/** Earlier names of the generated types. */
export type HttpMethod = Method;
export type RequestOptions = RequestOptionsInput;
export type GenericRequestOptions = GenericRequestOptionsInput;
export type SignTc3Input = SignTc3Params;
export type SignTc3Result = SigningOutput;
export type NormalizedDeleteImagesParams = DeleteImagesParams;
export type ErrorInfo = ErrorDescription;

export * from './client.js';
