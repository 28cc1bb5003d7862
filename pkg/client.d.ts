// Types of CvmClient (pkg/src/client.js), the package's JavaScript layer. Referenced from index.d.ts.
import type {
  ApiResponse,
  ClientOptionsInput,
  CvmRoleOptionsInput,
  DeleteImagesInput,
  DeleteImagesResult,
  DescribeImageSharePermissionResponse,
  DescribeImagesResponse,
  Image,
  KnownErrorCode,
  Language,
  Method,
  ProvidedCredentials,
} from './core.js';
import { TencentCloudError } from './index.js';

/** A credentials provider as the official SDK shapes one (its `DynamicCredential`). */
export interface CredentialsProvider {
  getCredential(): ProvidedCredentials | Promise<ProvidedCredentials>;
}

/**
 * `credentials`: a key `{ secretId, secretKey, token? }`, or a provider of changing ones (a
 * function or a `CredentialsProvider`), asked again `refreshMarginMs` before the `expiration` it
 * gave, or before every attempt when it gave none.
 */
export type CvmCredentials =
  | { secretId: string; secretKey: string; token?: string }
  | (() => ProvidedCredentials | Promise<ProvidedCredentials>)
  | CredentialsProvider;

/**
 * Constructor options: those of `buildDeleteImages` but `timestamp` (the client takes the time
 * itself) plus the client's own (generated from the core's `ClientOptionsInput`). The key is
 * either `secretId`/`secretKey`/`token` or `credentials`, not both. Every problem throws one
 * `ValidationError` listing them all, with a did-you-mean for a mistyped name. The secret key is
 * kept in a private field: never enumerable, never printed, never in an error.
 */
export type CvmClientOptions =
  | ClientOptionsInput
  | (Omit<ClientOptionsInput, 'secretId' | 'secretKey' | 'token' | 'credentials'> & {
      secretId?: undefined;
      secretKey?: undefined;
      token?: undefined;
      credentials: CvmCredentials;
    });

/** Options of `cvmRoleCredentials` (generated from the core's `CvmRoleOptionsInput`). */
export type CvmRoleCredentialsOptions = CvmRoleOptionsInput;

/**
 * A provider of the temporary key of the CAM role bound to this CVM instance, read from the
 * instance metadata service (`…/latest/meta-data/cam/security-credentials/<role>`), for
 * `new CvmClient({ credentials: cvmRoleCredentials(), region })`. `getCredential()` rejects with a
 * `TencentCloudError` `ClientError.Credentials` saying what went wrong (off a CVM instance, no role
 * bound, an answer that is not `Code: "Success"`); bad options throw `ValidationError` (the core
 * checks them: unknown keys with a did-you-mean, every problem at once).
 */
export declare function cvmRoleCredentials(options?: CvmRoleCredentialsOptions): CredentialsProvider;

/** Options of one call. */
export interface CallOptions {
  /** Aborting rejects the call with `ClientError.Aborted`, whether it is waiting or in flight. */
  signal?: AbortSignal;
}

export interface RequestCallOptions extends CallOptions {
  /** API version; default `2017-03-12`. */
  version?: string;
}

/** One attempt of a call that failed, for debugging. */
export interface AttemptRecord {
  /** 1-based. */
  attempt: number;
  code: KnownErrorCode | (string & {});
  /** 0 when no response arrived. */
  httpStatus: number;
  /** "" when the server gave none. */
  requestId: string;
  /** True when the server may have applied the request although no usable answer came back. */
  outcomeUnknown: boolean;
}

/**
 * What a `CvmClient` call rejects with when the call failed (besides a `ValidationError` for bad
 * parameters, thrown before anything is sent): `e instanceof CvmCallError` narrows to it (it is a
 * `TencentCloudError` too).
 */
export declare class CvmCallError extends TencentCloudError {
  /** Requests sent (0 when aborted before the first). */
  attempts: number;
  /** Each failed attempt, the last one last. */
  history: AttemptRecord[];
  /**
   * DeleteImages only: set on `InvalidImageId.NotFound` when an earlier attempt of the same call got
   * no usable answer (timeout, connection lost, truncated body, 5xx): that attempt probably deleted
   * the images. It stays an error because it cannot be proven (an id may never have existed).
   */
  probablyDeletedByEarlierAttempt?: true;
}

export type DeleteImagesCallResult = DeleteImagesResult & {
  /** Requests sent, including retries and a clock-skew re-sign. */
  attempts: number;
};

export type ApiCallResult = ApiResponse & { attempts: number };

export interface DescribeImagesParams {
  ImageIds?: string[];
  Filters?: { Name: string; Values: string[] }[];
  Offset?: number;
  Limit?: number;
  InstanceType?: string;
}

/** A DescribeImages answer: `ImageSet` and `TotalCount` are always there (the decoder checks). */
export type DescribeImagesCallResult = DescribeImagesResponse & { attempts: number };

export interface DescribeImageSharePermissionParams {
  ImageId: string;
}

export type DescribeImageSharePermissionCallResult = DescribeImageSharePermissionResponse & { attempts: number };

/** Options of `paginateDescribeImages` and `listImages`. */
export interface PaginationOptions extends CallOptions {
  /** Each page's `Limit` (1 to 100); default `params.Limit`, else 100. */
  pageSize?: number;
}

/** One page of `paginateDescribeImages`: a DescribeImages answer, its `ImageSet` holding only images not yielded before. */
export type DescribeImagesPage = DescribeImagesCallResult & {
  /** The `Offset` this page was asked from. */
  Offset: number;
  /** True once a page of this run showed that the set changed (images added or removed meanwhile). */
  setChanged: boolean;
};

/** An async iterable of a paginated listing (`for await`), each item once, with what the run saw. */
export interface Paginated<T> extends AsyncIterable<T> {
  /** True once a page of the current run showed the set changed under it. */
  readonly setChanged: boolean;
  /** DescribeImages calls the current run made. */
  readonly requests: number;
}

export declare class CvmClient {
  constructor(options: CvmClientOptions);
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly host: string | undefined;
  readonly method: Method;
  readonly language: Language | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly pacing: Readonly<{ ratePerSecond: number; windowMs: number }>;
  /** Seconds added to the local clock when signing; learned from `AuthFailure.SignatureExpire`. */
  readonly clockOffsetSec: number;
  /**
   * Milliseconds the server's clock is ahead of the local one (negative: behind), from the `Date`
   * header of the latest answer that carried one (1 s resolution); `undefined` until then.
   */
  readonly serverClockOffsetMs: number | undefined;

  /** Rejects with `ValidationError` (nothing sent) or `CvmCallError`. */
  deleteImages(params: DeleteImagesInput, options?: CallOptions): Promise<DeleteImagesCallResult>;
  describeImages(params?: DescribeImagesParams, options?: CallOptions): Promise<DescribeImagesCallResult>;
  describeImageSharePermission(params: DescribeImageSharePermissionParams, options?: CallOptions): Promise<DescribeImageSharePermissionCallResult>;
  /**
   * DescribeImages page by page (Offset and Limit handled): no image is yielded twice, images
   * that move between pages are still found, and `setChanged` says if the set changed meanwhile.
   * Aborting `options.signal` rejects the iteration with `ClientError.Aborted`.
   */
  paginateDescribeImages(params?: DescribeImagesParams, options?: PaginationOptions): Paginated<DescribeImagesPage>;
  /** Every image of the listing, one at a time, through `paginateDescribeImages`. */
  listImages(params?: DescribeImagesParams, options?: PaginationOptions): Paginated<Image>;
  /** Any API 3.0 action of the endpoint's service. */
  request(action: string, params?: Record<string, unknown>, options?: RequestCallOptions): Promise<ApiCallResult>;
}
