// CvmClient: sends signed CVM API 3.0 calls with a per-attempt timeout, safe retries, pacing and
// clock-skew correction. An ES module that imports nothing but its siblings: it gets the core and
// the runtime's timers and transport (fetch that never follows a redirect, transport.js) as
// arguments (see api.js). A call is checked once by the core into a prepared call; each attempt
// only stamps the time and key and signs; what follows a failed attempt (re-sign, refresh the
// key, retry after a delay, fail) is the core's decision, which this file carries out with
// timers, the limiter and the credentials provider. It runs unchanged in Node and in browsers,
// so it touches nothing but `core`, `runtime`, AbortController/AbortSignal and plain JavaScript;
// the codes it raises are the catalogue's (codes.js), the caller's signal is handled by
// aborts.js, paging by paginate.js. Long, but one job: a call's attempt loop (credentials,
// pacing, signing, one exchange, carrying out the decision after it).
import { CODES } from './codes.js';
import { createAborts } from './aborts.js';
import { createPaginate } from './paginate.js';

export function createClient(core, runtime) {
  // What each code means and whether it is retryable is the core's catalogue's call
  // (core.internal.clientError fills both in).
  const CLIENT_CODES = CODES;
  // A provider's error message, in ClientError.Credentials, is cut to this length.
  const MAX_CAUSE_CHARS = 500;

  const { clientError, checkCredentials, prepareCall } = core.internal;
  const { describeCause } = runtime.transport;

  // `credentials` as a function to call, if it is a provider: a function, or an object with
  // getCredential() (the official SDK's DynamicCredential; its method may be on a prototype, where
  // the core, which sees own properties only, cannot find it).
  function providerOf(credentials) {
    if (typeof credentials === 'function') return credentials;
    let getCredential;
    try {
      getCredential = credentials !== null && typeof credentials === 'object' ? credentials.getCredential : undefined;
    } catch (e) {
      // A throwing getter or proxy trap.
      const why = e && typeof e.message === 'string' ? `: ${e.message.slice(0, 200)}` : '';
      throw new core.ValidationError({ field: 'credentials', code: 'InvalidParameter', message: `credentials could not be read${why}` });
    }
    return typeof getCredential === 'function' ? () => getCredential.call(credentials) : undefined;
  }

  // A failed refresh, shared by the calls that waited for it; each turns it into its own error.
  class CredentialsFailure {
    constructor(why, cause) {
      this.why = why;
      this.cause = cause;
    }

    toError() {
      const error = clientError(CLIENT_CODES.credentials, this.why);
      if (this.cause !== undefined) error.cause = this.cause;
      return error;
    }
  }

  // What a call rejects with (a TencentCloudError with attempts and history): core.js defines it,
  // so every entry and the console client share one class.
  const { CvmCallError } = core;

  const { abortable, abortedError, checkNotAborted, sleep, requireSignal } = createAborts(core, runtime);
  const paginate = createPaginate(core, { checkNotAborted, requireSignal });

  class CvmClient {
    // Credentials live in private fields: JSON.stringify and util.inspect never see them.
    // Static credentials, or the last ones a provider gave: { secretId, secretKey, token,
    // expiresAtMs, generation }.
    #key;
    // A provider: () => credentials (or a promise of them); #refreshing is its pending answer,
    // shared by every call that needs it.
    #provider;
    #refreshing;
    #generation = 0;
    #refreshMarginMs;
    #fetch;
    #limiter;
    #clockOffsetSec = 0;
    // Server time − local time (ms), from the Date header of the latest answer that had one.
    #serverOffsetMs;
    // The request options but key and timestamp (checked at construction), and the retry
    // policy's settings: what every call is prepared with.
    #connection;
    #checkedConnection;
    #policy;

    constructor(options) {
      // Every option is checked by the core at once (ValidationError naming each, with a
      // did-you-mean for typos; `credentials` and `fetch` must be functions where they are not
      // plain data); the settings come back without the credentials.
      // In a page, an endpoint given as a path ("/cvm") is resolved against `location`.
      options = core.internal.resolveEndpoint(options);
      const provider = options !== null && typeof options === 'object' ? providerOf(options.credentials) : undefined;
      const settings = core.internal.checkClientOptions(provider ? { ...options, credentials: provider } : options);
      if (settings.credentials === 'provider') {
        this.#provider = provider;
        this.#refreshMarginMs = settings.refreshMarginMs;
      } else {
        const { secretId, secretKey, token } = settings.credentials === 'object' ? options.credentials : options;
        this.#key = { secretId, secretKey, token: token || undefined, generation: 0 };
      }
      this.region = settings.region;
      this.endpoint = settings.endpoint;
      this.host = settings.host;
      this.method = settings.method;
      this.language = settings.language;
      this.timeoutMs = settings.timeoutMs;
      this.retries = settings.retries;
      // A fetch of the caller's own is still called through the transport (never following a
      // redirect); undefined: the runtime's.
      this.#fetch = options.fetch || undefined;
      const connection = { region: settings.region, method: settings.method };
      if (settings.endpoint !== undefined) connection.endpoint = settings.endpoint;
      if (settings.host !== undefined) connection.host = settings.host;
      if (settings.language !== undefined) connection.language = settings.language;
      if (settings.signAction !== undefined) connection.signAction = settings.signAction;
      if (settings.signMethod !== undefined) connection.signMethod = settings.signMethod;
      this.#connection = Object.freeze(connection);
      // Checked once more as the connection every call is prepared over (calls that name their
      // own version use the options above).
      this.#checkedConnection = core.internal.clientConnection(connection);
      this.#policy = Object.freeze({
        retries: settings.retries,
        correctClockSkew: settings.correctClockSkew,
        provider: this.#provider !== undefined,
        backoffBaseMs: settings.backoffBaseMs,
        backoffCapMs: settings.backoffCapMs,
      });
      // One limiter per client: all its concurrent calls (and their retries) share the budget.
      this.#limiter = new core.RateLimiter(settings.ratePerSecond, settings.pacingWindowMs);
      this.pacing = Object.freeze({ ratePerSecond: settings.ratePerSecond, windowMs: settings.pacingWindowMs });
      // The settings were validated once; make them read-only so that stays true.
      for (const name of ['region', 'endpoint', 'host', 'method', 'language', 'timeoutMs', 'retries', 'pacing']) {
        Object.defineProperty(this, name, { writable: false, configurable: false });
      }
    }

    /** Seconds added to the local clock when signing, learned from AuthFailure.SignatureExpire. */
    get clockOffsetSec() {
      return this.#clockOffsetSec;
    }

    /**
     * Milliseconds the server's clock is ahead of the local one (negative: behind), from the
     * `Date` header of the latest answer that carried one (1 s resolution); `undefined` until then.
     * For measuring ages against the server's "now" (the CLI's prune-images does) rather than a
     * local clock that may be wrong.
     */
    get serverClockOffsetMs() {
      return this.#serverOffsetMs;
    }

    /** DeleteImages. Resolves `{ RequestId, attempts, DryRunOperation? }`; throws TencentCloudError. */
    async deleteImages(params, callOptions = {}) {
      const signal = requireSignal(callOptions);
      // Checked once, before pacing or sending anything: a ValidationError costs no request.
      const call = this.#prepare('DeleteImages', params);
      return this.#call(call, signal, (status, text, redirectOrigin) => core.internal.decodeDeleteImages(status, text, redirectOrigin));
    }

    /** DescribeImages (read-only, idempotent), through the generic path. */
    describeImages(params = {}, callOptions = {}) {
      return this.request('DescribeImages', params, callOptions);
    }

    /** DescribeImageSharePermission: the accounts an image is shared with. */
    describeImageSharePermission(params, callOptions = {}) {
      return this.request('DescribeImageSharePermission', params, callOptions);
    }

    /**
     * DescribeImages page by page: an async iterable of pages (each a DescribeImages answer whose
     * ImageSet holds only images not yielded before, plus `Offset` and `setChanged`). See
     * `paginate` below for how a set that changes between pages is handled.
     */
    paginateDescribeImages(params = {}, options = {}) {
      return paginate(this, params, options);
    }

    /** Every image DescribeImages lists for `params`, one at a time, each once (see `paginate`). */
    listImages(params = {}, options = {}) {
      const pages = paginate(this, params, options);
      return {
        get setChanged() {
          return pages.setChanged;
        },
        get requests() {
          return pages.requests;
        },
        async *[Symbol.asyncIterator]() {
          for await (const page of pages) yield* page.ImageSet;
        },
      };
    }

    /** Any API 3.0 action of the endpoint's service. Resolves the `Response` object plus `attempts`. */
    async request(action, params = {}, callOptions = {}) {
      const signal = requireSignal(callOptions);
      const version = callOptions ? callOptions.version : undefined;
      // DeleteImages always goes through its own path (its decoder and NotFound honesty).
      if (action === 'DeleteImages' && version === undefined) return this.deleteImages(params, callOptions);
      // Action, parameters and version are the core's to check, once, before pacing or sending
      // anything: a ValidationError costs no request.
      const call = this.#prepare(action, params, version);
      // A successful answer of an action whose shape the core declares is checked against it.
      return this.#call(call, signal, (status, text, redirectOrigin) => core.internal.decodeAction(action, status, text, redirectOrigin));
    }

    // A call checked once by the core; each attempt only stamps the time and key and signs.
    #prepare(action, params, version) {
      const connection = version === undefined ? this.#checkedConnection : { ...this.#connection, version };
      return prepareCall(action, params, connection, this.#policy);
    }

    // The credentials for an attempt: static ones, or a provider's while they are fresh (more than
    // the refresh margin before their expiry; without an expiration, the provider is asked for
    // every attempt). One refresh at a time: concurrent calls wait for the same answer, and a
    // failed refresh fails only the calls that waited for it.
    #credentials(signal) {
      const key = this.#key;
      if (!this.#provider) return key;
      if (key && key.expiresAtMs !== undefined && runtime.now() < key.expiresAtMs - this.#refreshMarginMs) return key;
      if (!this.#refreshing) {
        this.#refreshing = this.#refresh().finally(() => {
          this.#refreshing = undefined;
        });
      }
      return abortable(this.#refreshing, signal, 'while waiting for credentials');
    }

    // Drops the credentials of `generation` (refused by the server), unless newer ones replaced them.
    #forget(generation) {
      if (this.#key && this.#key.generation === generation) this.#key = undefined;
    }

    async #refresh() {
      let answer;
      let timer;
      try {
        const provider = this.#provider; // called as a plain function, not a method of the client
        // A provider that never answers must not hold every later call: after timeoutMs this
        // refresh fails (and the next call asks again).
        const deadline = new Promise((resolve, reject) => {
          timer = runtime.setTimeout(() => reject(new CredentialsFailure(`the credentials provider did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
        });
        answer = await Promise.race([Promise.resolve().then(provider), deadline]);
      } catch (cause) {
        if (cause instanceof CredentialsFailure) throw cause;
        // The provider's own ClientError.Credentials (cvmRoleCredentials) says it all.
        const why = cause instanceof core.TencentCloudError && cause.code === CLIENT_CODES.credentials
          ? withoutPrefix(cause.message, `${CLIENT_CODES.credentials}: `)
          : `the credentials provider failed: ${describeCause(cause).slice(0, MAX_CAUSE_CHARS)}`;
        throw new CredentialsFailure(why, cause);
      } finally {
        runtime.clearTimeout(timer);
      }
      // One snapshot of the answer is both checked and kept: a getter or Proxy answering
      // differently on a second read cannot slip unchecked values in.
      let checked;
      try {
        checked = checkCredentials(answer, runtime.now());
      } catch (invalid) {
        if (!(invalid instanceof core.ValidationError)) throw invalid;
        // The core's messages name fields, never values.
        throw new CredentialsFailure(`the credentials provider answered unusable credentials: ${invalid.issues.map((i) => i.message).join('; ')}`, invalid);
      }
      const { secretId, secretKey, token } = checked.credentials;
      this.#generation += 1;
      this.#key = {
        secretId,
        secretKey,
        token: token || undefined,
        expiresAtMs: checked.expiresAtMs,
        generation: this.#generation,
      };
      // Without an expiration the answer serves the calls that waited for it, then is asked again.
      const key = this.#key;
      if (key.expiresAtMs === undefined) this.#key = undefined;
      return key;
    }

    // The attempt loop. Every attempt waits for a pacing slot, is signed afresh (a retry reuses
    // nothing of the previous request but the checked call) and is recorded in `history`. What
    // follows a failed attempt is the core's decision; this loop carries it out.
    async #call(call, signal, decode) {
      const history = [];
      const fail = (error) => {
        if (error instanceof core.TencentCloudError) return new CvmCallError(error, history);
        error.attempts = history.length;
        error.history = history;
        return error;
      };
      try {
        for (;;) {
          let key;
          try {
            checkNotAborted(signal, 'before sending');
            // Wait until the limiter allows a request, asking again after each wait: concurrent
            // calls wake in turn and only one of them takes a freed slot. The credentials are taken
            // once a slot is free (they stay fresh through the wait); if getting them took a while,
            // the slot is asked for again.
            do {
              for (let wait = this.#limiter.delayMs(runtime.now()); wait > 0; wait = this.#limiter.delayMs(runtime.now())) {
                await sleep(wait, signal, 'while waiting for the rate limiter');
              }
              key = await this.#credentials(signal);
            } while (this.#limiter.delayMs(runtime.now()) > 0);
          } catch (stop) {
            throw fail(stop instanceof CredentialsFailure ? stop.toError() : stop);
          }
          const attempt = history.length + 1;
          const sentAt = runtime.now();
          this.#limiter.commit(sentAt);
          let outcome;
          try {
            let request;
            try {
              request = call.sign(Math.floor(sentAt / 1000) + this.#clockOffsetSec, key);
            } catch (refused) {
              // Refused before this attempt was sent; earlier ones may have been: the error
              // carries the call's attempts and history, like any other end of a call.
              throw fail(refused);
            }
            outcome = await this.#attempt(request, signal, decode);
          } finally {
            // Always settled, or the request would count against the budget for ever.
            this.#limiter.settle(sentAt, runtime.now());
          }
          const serverSec = outcome.serverDate ? core.parseHttpDate(outcome.serverDate) : undefined;
          if (serverSec !== undefined) this.#serverOffsetMs = serverSec * 1000 - runtime.now();
          if (outcome.ok) return { ...outcome.value, attempts: attempt };

          const { error } = outcome;
          const decision = call.decide({
            code: error.code,
            httpStatus: error.httpStatus,
            retryable: error.retryable,
            notSent: outcome.notSent,
            serverSec,
            nowSec: Math.floor(runtime.now() / 1000),
            random01: runtime.random(),
          });
          history.push({ attempt, code: error.code, httpStatus: error.httpStatus, requestId: error.requestId, outcomeUnknown: decision.outcomeUnknown });
          switch (decision.next) {
            case 'resign':
              this.#clockOffsetSec = decision.clockOffsetSec;
              continue;
            case 'refresh':
              this.#forget(key.generation);
              continue;
            case 'retry':
              try {
                await sleep(decision.delayMs, signal, 'while waiting to retry');
              } catch (abort) {
                throw fail(abort);
              }
              continue;
            default:
              if (decision.probablyDeleted) {
                // An earlier attempt may have deleted the images and lost its answer. We cannot
                // prove it (an id may also never have existed), so this stays an error, flagged.
                error.probablyDeletedByEarlierAttempt = true;
                error.message += ' (an earlier attempt got no usable answer and probably deleted the images;'
                  + ' check with DescribeImages)';
              }
              throw fail(error);
          }
        }
      } finally {
        call.free();
      }
    }

    // One HTTP exchange. Resolves { ok, value } or { ok: false, error, serverDate?, notSent? };
    // rejects only on programming errors.
    async #attempt(request, signal, decode) {
      // Never follows a redirect: a signed request goes to the host it was signed for or nowhere;
      // the 3xx (in browsers an opaque redirect) is decoded as ClientError.Redirect.
      const sent = await runtime.transport.send(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      }, { fetch: this.#fetch, timeoutMs: this.timeoutMs, signal, read: 'text' });
      const { response } = sent;

      if (sent.why === 'not-a-response') {
        // An injected fetch that resolved something other than a Response: a programming error,
        // which the same fetch would repeat.
        const error = clientError(CLIENT_CODES.network, 'fetch resolved something that is not a Response');
        error.retryable = false;
        return { ok: false, error, notSent: true };
      }
      const serverDate = response ? runtime.transport.header(response, 'date') || undefined : undefined;
      if (!sent.ok) {
        const error = sent.why === 'timeout' ? clientError(CLIENT_CODES.timeout, `no complete answer within ${this.timeoutMs} ms`)
          : sent.why === 'aborted' ? abortedError('while the request was in flight')
            : sent.stage === 'connect' ? clientError(CLIENT_CODES.network, `the request to ${where(request.url)} failed: ${describeCause(sent.cause)}`)
              : clientError(CLIENT_CODES.network, `the connection broke while reading the response: ${describeCause(sent.cause)}`, response.status);
        return sent.stage === 'connect' ? { ok: false, error, notSent: sent.why !== 'timeout' && sent.notSent } : { ok: false, error, serverDate };
      }

      try {
        return { ok: true, value: decode(response.status, sent.body, runtime.transport.redirectOrigin(response, request.url)), serverDate };
      } catch (error) {
        if (!(error instanceof core.TencentCloudError)) throw error;
        // A signature refused behind a proxy: name the host signed and the host sent to.
        const urlHost = hostOf(request.url);
        const hint = urlHost === undefined ? undefined : core.internal.signatureHint(error.code, this.host ?? urlHost, urlHost);
        if (hint) error.message += ` (${hint})`;
        return { ok: false, error, serverDate };
      }
    }
  }

  /** Scheme, host, port and path of a URL — never its query, which may carry a v1 signature. */
  const where = (url) => runtime.transport.where(url, 'the endpoint');

  function withoutPrefix(text, prefix) {
    return text.startsWith(prefix) ? text.slice(prefix.length) : text;
  }

  function hostOf(url) {
    try {
      return new URL(url).host;
    } catch {
      return undefined;
    }
  }

  return { CvmClient, CvmCallError };
}
