// Types of loadCredentials (pkg/src/credentials.cjs), Node only. Referenced from node.d.ts.

export interface LoadCredentialsOptions {
  /** Explicit credentials win over everything else. */
  secretId?: string;
  secretKey?: string;
  token?: string;
  region?: string;
  /** Profile name; when given, it wins over the environment. Default `default`. */
  profile?: string;
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Default `os.homedir()`. */
  home?: string;
  /** INI file; default `<home>/.tencentcloud/credentials`. Giving it works like naming a profile. */
  file?: string;
}

export interface LoadedCredentials {
  secretId: string;
  secretKey: string;
  token?: string;
  /**
   * Explicit argument, then TENCENTCLOUD_REGION, then the profile's `region`, then tccli's
   * `<profile>.configure` (the profile's region applies whichever source the keys came from).
   */
  region?: string;
  /** `arguments`, `env`, or `profile:<name> (<file>)`. */
  source: string;
}

export type CredentialsErrorCode =
  | 'CredentialsNotFound'
  | 'CredentialsIncomplete'
  | 'CredentialsFileMalformed'
  | 'ProfileNotFound'
  /** An unknown option (with a did-you-mean) or an option of the wrong type. */
  | 'InvalidArgument'
  | 'InvalidProfile';

/** Never contains a secret: it names places, files, lines and keys, not values. */
export declare class CredentialsError extends Error {
  readonly name: 'CredentialsError';
  readonly code: CredentialsErrorCode;
  /** Every place looked in, in order (for CredentialsNotFound / ProfileNotFound). */
  readonly searched: string[];
  readonly file?: string;
  /** 1-based line of a malformed INI file. */
  readonly line?: number;
}

/**
 * Finds credentials: explicit arguments; else an explicitly named profile (or `file`); else the
 * environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN or
 * TENCENTCLOUD_TOKEN, TENCENTCLOUD_REGION); else `[default]` of ~/.tencentcloud/credentials (keys
 * secret_id, secret_key, token, region); else tccli's ~/.tencentcloud/<profile>.credential.
 * Throws `CredentialsError` listing every place it looked when nothing is found.
 */
export declare function loadCredentials(options?: LoadCredentialsOptions): LoadedCredentials;
