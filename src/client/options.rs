//! `CvmClient`'s options: checked here, once, when a client is made, so the JavaScript client
//! keeps no rules of its own. The result carries every setting the client needs and no secret.

use crate::client::credentials::{self, DEFAULT_REFRESH_MARGIN_MS};
pub use crate::client::policy::MAX_TIMER_MS;
use crate::input::error::{Problems, ValidationCode, ValidationError};
use crate::input::json::{Number, Value};
use crate::input::{self, given, input, is_function, number};
use crate::request::{key_rules, take, Connection, ConnectionOptionsInput, Language};
use crate::sign::v1::SignMethod;
use crate::sign::Method;

/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
/// Default number of retries after the first attempt.
pub const DEFAULT_RETRIES: u32 = 3;
/// DeleteImages allows 10 requests per second (API page).
pub const DEFAULT_RATE_PER_SECOND: u32 = 10;
/// Most retries accepted.
pub const MAX_RETRIES: u32 = 100;
/// The pacing window: one second plus a margin for a server clock that ticks coarsely. The
/// limiter counts each request at its answer time, so latency cannot squeeze 11 arrivals into
/// one second of the server's.
pub const PACING_WINDOW_MS: f64 = 1_050.0;
/// Full-jitter backoff: base and cap.
pub const BACKOFF_BASE_MS: f64 = 200.0;
/// Longest backoff.
pub const BACKOFF_CAP_MS: f64 = 5_000.0;

input! {
    /// `new CvmClient(options)` as callers give them. (Describes the input;
    /// [`ClientSettings::from_value`] checks it.)
    pub struct ClientOptionsInput / ClientOptionsRead {
        /// The request options (but `timestamp`, which is taken per attempt).
        ..connection: ConnectionOptionsInput,
        /// Instead of `secretId`/`secretKey`/`token`: those three as an object, or a provider of
        /// changing credentials: a function or an object with `getCredential()` (the official SDK's
        /// shape) resolving `{ secretId, secretKey, token?, expiration? }`.
        #[cfg_attr(
            target_arch = "wasm32",
            tsify(
                type = "{ secretId: string; secretKey: string; token?: string } | (() => ProvidedCredentials | Promise<ProvidedCredentials>) | { getCredential(): ProvidedCredentials | Promise<ProvidedCredentials> }"
            )
        )]
        credentials?: Value,
        /// A provider's credentials are refreshed this many milliseconds before they expire
        /// (default 300000, five minutes).
        #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
        refreshMarginMs?: Option<Number>,
        /// Per-attempt timeout in milliseconds (default 10000).
        #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
        timeoutMs?: Number,
        /// Retries after the first attempt, for retryable failures only (default 3; 0 turns them off).
        #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
        retries?: Number,
        /// Most requests started per second by this client (default 10, the API's limit).
        #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
        ratePerSecond?: Number,
        /// Learn the server's clock from `AuthFailure.SignatureExpire` and retry once (default true).
        correctClockSkew?: bool,
        /// The `fetch` to use (default: the global one); always called with `redirect: "manual"`.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "typeof fetch"))]
        fetch?: Value,
    }
}

/// A client's checked settings: everything but the credentials and `fetch`, which the client
/// keeps itself.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ClientSettings {
    /// Where the credentials come from.
    pub credentials: CredentialsSource,
    /// A provider's credentials are refreshed this long before they expire.
    pub refresh_margin_ms: f64,
    /// Region id.
    pub region: String,
    /// The endpoint as given (absent: the default one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The signed host as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// POST or GET.
    pub method: Method,
    /// `X-TC-Language`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// Also sign `x-tc-action`.
    pub sign_action: bool,
    /// TC3 (default) or a v1 signature.
    pub sign_method: SignMethod,
    /// Per-attempt timeout, clamped to [`MAX_TIMER_MS`].
    pub timeout_ms: f64,
    /// Retries after the first attempt.
    pub retries: u32,
    /// Pacing: at most this many requests per window.
    pub rate_per_second: u32,
    /// The pacing window.
    pub pacing_window_ms: f64,
    /// Backoff base.
    pub backoff_base_ms: f64,
    /// Backoff cap.
    pub backoff_cap_ms: f64,
    /// Clock-skew correction on.
    pub correct_clock_skew: bool,
}

/// Where a client's credentials come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum CredentialsSource {
    /// `secretId`, `secretKey` and `token` among the options.
    Options,
    /// A `credentials` object `{ secretId, secretKey, token? }`.
    Object,
    /// A `credentials` provider (a function; the client makes one of an object with
    /// `getCredential()`).
    Provider,
}

impl ClientSettings {
    /// Checks a client's options, reporting every problem at once; unknown keys get a
    /// did-you-mean.
    pub fn from_value(options: Value) -> Result<Self, ValidationError> {
        let mut map = input::object(
            options,
            "options",
            "an object such as { secretId, secretKey, region }",
        )?;
        let mut p = Problems::new();
        let f = input::read::<ClientOptionsInput>(&mut map, &mut p);
        let c = f.connection;
        let endpoint = c.endpoint.as_ref().ok().cloned().flatten();
        let host = c.host.as_ref().ok().cloned().flatten();
        let timeout_ms = p
            .check(number(
                f.timeoutMs,
                "timeoutMs",
                DEFAULT_TIMEOUT_MS,
                false,
                0.0,
                true,
            ))
            .map(|t| t.min(MAX_TIMER_MS));
        let retries = p.check(number(
            f.retries,
            "retries",
            DEFAULT_RETRIES.into(),
            true,
            0.0,
            false,
        ));
        let rate = p.check(number(
            f.ratePerSecond,
            "ratePerSecond",
            DEFAULT_RATE_PER_SECOND.into(),
            true,
            1.0,
            false,
        ));
        if matches!(retries, Some(r) if r > f64::from(MAX_RETRIES)) {
            p.add(ValidationError::new(
                "retries",
                ValidationCode::InvalidParameterValue,
                format!("retries must be at most {MAX_RETRIES}"),
            ));
        }
        let correct_clock_skew = p.check(f.correctClockSkew);
        let source = match f.credentials {
            Ok(None) => Some(CredentialsSource::Options),
            // A function (the client makes one of an object with getCredential()). A Symbol or a
            // BigInt, which JSON cannot carry either, is no provider: check_static names it.
            Ok(Some(given)) if is_function(&given) => Some(CredentialsSource::Provider),
            Ok(Some(given)) => p
                .check(credentials::check_static(given))
                .map(|()| CredentialsSource::Object),
            Err(e) => p.check(Err(e)),
        };
        // Given (even if wrong): the key options must not be there too.
        if source != Some(CredentialsSource::Options) {
            for (key, is_given) in [
                ("secretId", given(&c.secretId)),
                ("secretKey", given(&c.secretKey)),
                ("token", given(&c.token)),
            ] {
                if is_given {
                    p.add(ValidationError::new(
                        key,
                        ValidationCode::InvalidParameter,
                        format!("{key} cannot be given with credentials (give one or the other)"),
                    ));
                }
            }
        }
        let margin_given = matches!(f.refreshMarginMs, Ok(Some(_)) | Err(_));
        let refresh_margin_ms = p.check(number(
            f.refreshMarginMs.map(Option::flatten),
            "refreshMarginMs",
            DEFAULT_REFRESH_MARGIN_MS,
            false,
            0.0,
            false,
        ));
        if margin_given && source != Some(CredentialsSource::Provider) {
            p.add(ValidationError::new(
                "refreshMarginMs",
                ValidationCode::InvalidParameter,
                "refreshMarginMs applies only to a credentials provider (credentials: a function or an object with getCredential())",
            ));
        }
        match f.fetch {
            Ok(None) => {}
            Ok(Some(fetch)) if is_function(&fetch) => {}
            Ok(Some(other)) => p.add(ValidationError::wrong_type(
                "fetch",
                "a function",
                other.kind(),
            )),
            Err(e) => p.add(e),
        }
        // The request options' rules check the rest (no timestamp yet); the key pair with them
        // when the options give it, otherwise it was checked above (an object) or is per answer
        // of the provider (credentials::check_answer), and the key options are not read.
        let mut c = c;
        if source == Some(CredentialsSource::Options) {
            // Checked, then dropped: the client keeps the key itself.
            drop(key_rules(
                take(&mut c.secretId),
                take(&mut c.secretKey),
                take(&mut c.token),
                &mut p,
            ));
        }
        let request = Connection::rules(c, None, &mut p)
            .map(|(c, _)| (c.region, c.method, c.language, c.sign_action, c.sign_method));
        let settings = (|| {
            let (region, method, language, sign_action, sign_method) = request?;
            Some(Self {
                credentials: source?,
                refresh_margin_ms: refresh_margin_ms?,
                region,
                endpoint,
                host,
                method,
                language,
                sign_action,
                sign_method,
                timeout_ms: timeout_ms?,
                // Both were checked to be whole numbers in range above.
                retries: retries? as u32,
                rate_per_second: (rate?.min(1e6)) as u32,
                pacing_window_ms: PACING_WINDOW_MS,
                backoff_base_ms: BACKOFF_BASE_MS,
                backoff_cap_ms: BACKOFF_CAP_MS,
                correct_clock_skew: correct_clock_skew?.unwrap_or(true),
            })
        })();
        p.finish(settings)
    }
}
