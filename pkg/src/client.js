// CvmClient: sends signed CVM API 3.0 calls with a per-attempt timeout, safe retries, pacing and
// clock-skew correction. An ES module that imports nothing: it gets the core and the runtime's
// timers and transport (fetch that never follows a redirect, transport.js) as arguments (see
// api.js). The policy arithmetic (backoff, rate limiting, HTTP dates) and everything about the
// wire format come from the Rust core; this file only does I/O and decides what to do next.
// It runs unchanged in Node and in browsers, so it touches nothing but `core`, `runtime`,
// AbortController/AbortSignal and plain JavaScript.
export function createClient(core, runtime) {
  // Client-side codes this file raises; what each means and whether it is retryable is the
  // core's catalogue's call (core.internal.clientError fills both in).
  const CLIENT_CODES = Object.freeze({
    network: 'ClientError.Network',
    timeout: 'ClientError.Timeout',
    aborted: 'ClientError.Aborted',
    credentials: 'ClientError.Credentials',
  });
  // A provider's error message, in ClientError.Credentials, is cut to this length.
  const MAX_CAUSE_CHARS = 500;

  // Connection errors that prove the request never reached a server (Node's undici exposes them as
  // `error.cause.code`; browsers tell nothing, so there every network failure counts as unknown).
  const NOT_SENT_CAUSES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

  const { clientError, checkCredentials, prepareCall } = core.internal;

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

  // Resolves `promise`, or rejects with ClientError.Aborted as soon as the caller aborts.
  function abortable(promise, signal, stage) {
    if (!signal) return promise;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortedError(stage));
      const onAbort = () => reject(abortedError(stage));
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  function abortedError(stage) {
    return clientError(CLIENT_CODES.aborted, `the caller aborted the call ${stage}`);
  }

  function checkNotAborted(signal, stage) {
    if (signal && signal.aborted) throw abortedError(stage);
  }

  // Waits `ms`, rejecting with ClientError.Aborted as soon as the caller aborts.
  function sleep(ms, signal, stage) {
    return new Promise((resolve, reject) => {
      if (signal && signal.aborted) return reject(abortedError(stage));
      if (!(ms > 0)) return resolve();
      const onAbort = () => {
        runtime.clearTimeout(timer);
        reject(abortedError(stage));
      };
      const timer = runtime.setTimeout(() => {
        if (signal) signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      if (signal) signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  function requireSignal(callOptions) {
    const signal = callOptions ? callOptions.signal : undefined;
    if (signal === undefined || signal === null) return undefined;
    if (typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
      throw new TypeError('CvmClient: option `signal` must be an AbortSignal');
    }
    return signal;
  }

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
      const connection = version === undefined ? this.#connection : { ...this.#connection, version };
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
          ? cause.message.replace(/^ClientError\.Credentials: /, '')
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
            const request = call.sign(Math.floor(sentAt / 1000) + this.#clockOffsetSec, key);
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
      const controller = new AbortController();
      let timedOut = false;
      const timer = runtime.setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.timeoutMs);
      const onCallerAbort = () => controller.abort();
      if (signal) signal.addEventListener('abort', onCallerAbort, { once: true });

      const interrupted = (fallback) => {
        if (timedOut) {
          return clientError(CLIENT_CODES.timeout, `no complete answer within ${this.timeoutMs} ms`);
        }
        if (signal && signal.aborted) return abortedError('while the request was in flight');
        return fallback();
      };

      try {
        let response;
        try {
          // Never follows a redirect: a signed request goes to the host it was signed for or
          // nowhere; the 3xx (in browsers an opaque redirect) is decoded as ClientError.Redirect.
          response = await runtime.transport.send(request.url, {
            method: request.method,
            headers: request.headers,
            body: request.body,
            signal: controller.signal,
          }, this.#fetch);
        } catch (cause) {
          const causeCode = cause && cause.cause && cause.cause.code;
          const notSent = !timedOut && NOT_SENT_CAUSES.has(causeCode);
          const error = interrupted(() => clientError(CLIENT_CODES.network,
            `the request to ${where(request.url)} failed: ${describeCause(cause)}`));
          return { ok: false, error, notSent };
        }

        if (!response || typeof response.status !== 'number' || typeof response.text !== 'function') {
          // An injected fetch that resolved something other than a Response: a programming error,
          // which the same fetch would repeat.
          const error = clientError(CLIENT_CODES.network, 'fetch resolved something that is not a Response');
          error.retryable = false;
          return { ok: false, error, notSent: true };
        }
        const serverDate = response.headers && typeof response.headers.get === 'function'
          ? response.headers.get('date') || undefined : undefined;
        let text;
        try {
          text = await response.text();
        } catch (cause) {
          const error = interrupted(() => clientError(CLIENT_CODES.network,
            `the connection broke while reading the response: ${describeCause(cause)}`, response.status));
          return { ok: false, error, serverDate };
        }

        try {
          return { ok: true, value: decode(response.status, text, runtime.transport.redirectOrigin(response, request.url)), serverDate };
        } catch (error) {
          if (!(error instanceof core.TencentCloudError)) throw error;
          // A signature refused behind a proxy: name the host signed and the host sent to.
          const urlHost = hostOf(request.url);
          const hint = urlHost === undefined ? undefined : core.internal.signatureHint(error.code, this.host ?? urlHost, urlHost);
          if (hint) error.message += ` (${hint})`;
          return { ok: false, error, serverDate };
        }
      } finally {
        runtime.clearTimeout(timer);
        if (signal) signal.removeEventListener('abort', onCallerAbort);
      }
    }
  }

  // How many times one run steps back to find where it was before it goes on without (the set
  // then changes faster than it can be read; `setChanged` says so).
  const MAX_STEP_BACKS = 20;
  // Pages in a row that bring no image not seen before: a server that ignores Offset (or whose
  // TotalCount lies) would otherwise be asked until the cursor reaches TotalCount.
  const MAX_BARREN_PAGES = MAX_STEP_BACKS + 2;

  /**
   * DescribeImages by Offset and Limit, for a set that may change between pages. Each page after
   * the first is asked from one image before where the previous one ended: that image (the
   * anchor) must come first. If it does not, images before it were added or removed: found
   * further on, the page goes on after it; not found at all, the run steps back a page and looks
   * for it there (so an image that slid back into a page already read is still seen). Images
   * already yielded are never yielded again (by ImageId), and `setChanged` is true once any page
   * showed the set changed (the anchor moved, or TotalCount differs from the page before).
   * Abortable with `options.signal`; `options.pageSize` (default the largest page) is each page's
   * Limit.
   */
  function paginate(client, params, options) {
    const signal = requireSignal(options);
    const [pageSize, field] = options && options.pageSize !== undefined && options.pageSize !== null ? [options.pageSize, 'pageSize']
      : params && params.Limit !== undefined && params.Limit !== null ? [params.Limit, 'params.Limit'] : [core.internal.describeImagesMaxLimit, 'pageSize'];
    // A page must hold the anchor and something new: 2 at least (a page of one could skip an image
    // unnoticed), the API's largest page at most.
    const maxPage = core.internal.describeImagesMaxLimit;
    if (!Number.isSafeInteger(pageSize) || pageSize < 2 || pageSize > maxPage) {
      throw new core.ValidationError({ field, code: 'InvalidParameterValue', message: `${field} must be a whole number from 2 to ${maxPage} when listing page by page` });
    }
    const state = { setChanged: false, requests: 0 };
    async function* pages() {
      state.setChanged = false;
      state.requests = 0;
      const start = params && Number.isSafeInteger(params.Offset) && params.Offset > 0 ? params.Offset : 0;
      const seen = new Set();
      let cursor = start;
      let anchor;
      let total;
      let stepBacks = 0;
      let yielded = 0;
      let barren = 0;
      for (;;) {
        checkNotAborted(signal, 'between pages');
        // (A page of one cannot hold the anchor and something new: no overlap then.)
        const overlap = anchor !== undefined && cursor > start && pageSize > 1 ? 1 : 0;
        const offset = cursor - overlap;
        const answer = await client.describeImages({ ...params, Offset: offset, Limit: pageSize }, { signal });
        state.requests += 1;
        const set = answer.ImageSet;
        if (!Array.isArray(set)) {
          // (A DryRunOperation answer, or a server's odd one: no list to page through.)
          throw core.internal.clientError('ClientError.InvalidResponse', 'DescribeImages answered without an ImageSet: nothing to list page by page');
        }
        if (total !== undefined && answer.TotalCount !== total) state.setChanged = true;
        let fresh = set;
        if (overlap === 1 && (set.length === 0 || set[0].ImageId !== anchor)) {
          state.setChanged = true;
          const at = set.findIndex((image) => image.ImageId === anchor);
          if (at >= 0) {
            fresh = set.slice(at + 1);
          } else if (stepBacks < MAX_STEP_BACKS) {
            // Images before the anchor went away: it slid back towards the start. Look a page back.
            stepBacks += 1;
            cursor = Math.max(start, offset - (pageSize - 1));
            total = answer.TotalCount;
            continue;
          }
        } else if (overlap === 1) {
          fresh = set.slice(1);
        }
        const images = fresh.filter((image) => !seen.has(image.ImageId));
        for (const image of images) seen.add(image.ImageId);
        // A page that ends where the one before did brings nothing further: the listing ends.
        const stuck = offset + set.length <= cursor;
        cursor = offset + set.length;
        if (set.length > 0) anchor = set[set.length - 1].ImageId;
        total = answer.TotalCount;
        barren = images.length === 0 ? barren + 1 : 0;
        if (barren >= MAX_BARREN_PAGES) state.setChanged = true;
        const last = set.length === 0 || stuck || cursor >= answer.TotalCount || barren >= MAX_BARREN_PAGES;
        if (images.length > 0 || (yielded === 0 && last)) {
          yielded += 1;
          yield { ...answer, ImageSet: images, Offset: offset, setChanged: state.setChanged };
        }
        if (last) return;
      }
    }
    return {
      /** True once a page showed that the set changed during this run. */
      get setChanged() {
        return state.setChanged;
      },
      /** DescribeImages calls made by this run. */
      get requests() {
        return state.requests;
      },
      [Symbol.asyncIterator]: pages,
    };
  }

  /** Scheme, host, port and path of a URL — never its query, which may carry a v1 signature. */
  function where(url) {
    try {
      const u = new URL(url);
      return `${u.origin}${u.pathname}`;
    } catch {
      return 'the endpoint';
    }
  }

  function hostOf(url) {
    try {
      return new URL(url).host;
    } catch {
      return undefined;
    }
  }

  // Network errors in Node wrap the useful part in `cause` (e.g. ECONNRESET); never echo request data.
  function describeCause(error) {
    if (!error) return 'unknown error';
    const inner = error.cause && (error.cause.code || error.cause.message);
    return inner ? `${error.message} (${inner})` : String(error.message || error);
  }

  return { CvmClient, CvmCallError };
}
