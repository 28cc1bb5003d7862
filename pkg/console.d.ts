// Types of `tencentcloud-cvm-wasm/console` (pkg/src/console*.js): a web console's server handler
// (sign or forward mode), its Node adapter, scoped temporary keys from STS, the page's client for
// sign mode and the Vite plugin.
import type { ProvidedCredentials } from './core.js';
import type {
  ApiCallResult,
  CallOptions,
  CvmClientOptions,
  CvmCredentials,
  DeleteImagesCallResult,
  DescribeImagesCallResult,
  DescribeImagesParams,
  RequestCallOptions,
} from './client.js';
import type { DeleteImagesInput } from './core.js';

/** What `authorize` is asked about: the call (sign mode, forward mode) or `{ credentials: true }` (GET …/credentials). */
export interface ConsoleCall {
  action?: string;
  params?: Record<string, unknown>;
  region?: string;
  credentials?: true;
  /** With `credentials`: the actions the temporary key will allow (a `federationToken`'s policy). */
  actions?: string[];
}

/** The console's own check of the request (its session cookie, a header): only `true` lets the call through. */
export type ConsoleAuthorize = (request: Request, call: ConsoleCall) => boolean | Promise<boolean>;

/** What both modes take. */
export interface ConsoleCommonOptions {
  /** The URL path the console answers at (default `/cvm`); `<path>/credentials` serves `temporaryCredentials`. */
  path?: string;
  /** Actions the page may call (default DescribeImages, DescribeImageSharePermission, DeleteImages); others get 403 and never reach upstream. */
  allowActions?: string[];
  /** Host names besides 127.0.0.1, localhost and [::1] (any port) the console answers: `name` (any port) or `name:port`. */
  allowedHosts?: string[];
  /** Largest request body read (default 1 MiB); larger is 413. */
  maxBodyBytes?: number;
  /** Serves `GET <path>/credentials` behind `authorize`: e.g. `federationToken({ … })`. */
  temporaryCredentials?: () => Promise<ProvidedCredentials>;
}

/**
 * `sign` (the default): the server signs with `credentials` (or `secretId`/`secretKey`) and the
 * CvmClient options given (region, endpoint, host, method, timeoutMs, retries, ratePerSecond, …).
 * `authorize` is required: without it anyone who reaches the path would spend the server's key.
 */
export type ConsoleSignOptions = ConsoleCommonOptions & CvmClientOptions & {
  mode?: 'sign';
  authorize: ConsoleAuthorize;
};

/** `forward`: the page signs (a temporary key; `signAction: true`) and the handler forwards to `upstream`. */
export interface ConsoleForwardOptions extends ConsoleCommonOptions {
  mode: 'forward';
  /** The one upstream (default `https://cvm.tencentcloudapi.com`; a path is kept, e.g. an emulator's mount); the page signs for its host. */
  upstream?: string;
  /** Upstream time limit (default 30000 ms). */
  timeoutMs?: number;
  authorize?: ConsoleAuthorize;
}

export type ConsoleHandlerOptions = ConsoleSignOptions | ConsoleForwardOptions;

/** A web-platform handler. `handles(pathname)` says whether a path is the console's. */
export interface ConsoleHandler {
  (request: Request): Promise<Response>;
  readonly handles: (pathname: string) => boolean;
  readonly path: string;
  readonly mode: 'sign' | 'forward';
}

/** The console's server handler; bad options throw `ValidationError` naming the option. */
export declare function consoleHandler(options: ConsoleHandlerOptions): ConsoleHandler;

/** Minimal shapes of Node's `http.IncomingMessage` and `http.ServerResponse` the adapter uses. */
export interface NodeRequestLike {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  on(event: string, listener: (...args: any[]) => void): unknown;
  resume?(): unknown;
}
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(body?: Uint8Array): unknown;
  on?(event: string, listener: (...args: any[]) => void): unknown;
  destroy?(): unknown;
  readonly writableEnded?: boolean;
}

/** A Node `http` listener (Express/Koa/Fastify/Connect): with `next`, other paths go on to it. */
export declare function toNodeListener(
  handler: (request: Request) => Promise<Response>,
): (req: NodeRequestLike, res: NodeResponseLike, next?: (error?: unknown) => void) => Promise<void>;

/** Options of `federationToken`. */
export interface FederationTokenOptions {
  /** A permanent key (STS refuses temporary ones). */
  credentials: { secretId: string; secretKey: string };
  /** The only actions the temporary key may call (the CAM policy's `cvm:<Action>`). */
  allowActions: string[];
  /** CAM resources (default `["*"]`), e.g. `qcs::cvm:ap-guangzhou:uin/100000000001:image/*`. */
  resources?: string[];
  /** The region STS is called in. */
  region: string;
  /** Lifetime of each temporary key (default 1800 s). */
  durationSeconds?: number;
  /** The federated caller's name (default `cvm-console`). */
  name?: string;
  /** STS endpoint (default `https://sts.tencentcloudapi.com`). */
  endpoint?: string;
  host?: string;
  /** Keep a key until this long before it expires (default 300000 ms). */
  refreshMarginMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A provider of scoped temporary keys, as CvmClient's `credentials` takes one; `policy`: the CAM policy sent. */
export interface FederationTokenProvider {
  (): Promise<{ secretId: string; secretKey: string; token: string; expiration: number }>;
  readonly policy: { version: '2.0'; statement: { effect: 'allow'; action: string[]; resource: string[] }[] };
}

/**
 * STS GetFederationToken with a policy allowing `allowActions` only (on `resources`, default `*`: `region` is
 * where STS is called, not a scope), cached until `refreshMarginMs` before expiry by STS's clock.
 */
export declare function federationToken(options: FederationTokenOptions): FederationTokenProvider;

/** Options of `ConsoleClient`. */
export interface ConsoleClientOptions {
  /** The console path (default `/cvm`, resolved against the page's location) or an http(s) URL. */
  endpoint?: string;
  /** The region the calls name; default the server's. */
  region?: string;
  timeoutMs?: number;
  /** Extra request headers (e.g. a CSRF token the console's `authorize` checks). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/** The page's client of a console in sign mode: CvmClient's methods, errors and results, and no key. */
export declare class ConsoleClient {
  constructor(options?: ConsoleClientOptions);
  readonly endpoint: string;
  readonly region: string | undefined;
  readonly timeoutMs: number;
  deleteImages(params: DeleteImagesInput, options?: CallOptions): Promise<DeleteImagesCallResult>;
  describeImages(params?: DescribeImagesParams, options?: CallOptions): Promise<DescribeImagesCallResult>;
  request(action: string, params?: Record<string, unknown>, options?: RequestCallOptions): Promise<ApiCallResult>;
}

/** A Vite plugin (the shape Vite takes; no dependency on Vite's types). */
export interface CvmConsolePlugin {
  name: string;
  configureServer(server: { middlewares: { use(fn: (req: any, res: any, next: (error?: unknown) => void) => void): unknown } }): void;
  configurePreviewServer(server: { middlewares: { use(fn: (req: any, res: any, next: (error?: unknown) => void) => void): unknown } }): void;
}

/** The console handler in `vite dev` and `vite preview`. */
export declare function cvmConsole(options: ConsoleHandlerOptions): CvmConsolePlugin;

export type { CvmCredentials };
