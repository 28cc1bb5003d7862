//! `CvmClient`'s options: checked here, once, when a client is made, so the JavaScript client
//! keeps no rules of its own. The result carries every setting the client needs and no secret.

use crate::credentials::{self, DEFAULT_REFRESH_MARGIN_MS};
use crate::delete_images::{option_flag, reject_unknown_keys};
use crate::error::{Problems, ValidationCode, ValidationError};
use crate::json::{Number, Unsupported, Value};
use crate::request::{Connection, ConnectionOptionsInput, Language, RequestOptions, OPTION_KEYS};
use crate::sign::Method;
use crate::sign_v1::SignMethod;

/// Keys of the request options a client takes (all but `timestamp`, `nonce`, `version` and
/// `service`, which are per call).
const REQUEST_KEYS: [&str; 10] = [
    "secretId",
    "secretKey",
    "token",
    "region",
    "endpoint",
    "host",
    "method",
    "language",
    "signAction",
    "signMethod",
];

const CLIENT_KEYS: [&str; 7] = [
    "credentials",
    "refreshMarginMs",
    "timeoutMs",
    "retries",
    "ratePerSecond",
    "correctClockSkew",
    "fetch",
];

/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
/// Default number of retries after the first attempt.
pub const DEFAULT_RETRIES: u32 = 3;
/// DeleteImages allows 10 requests per second (API page).
pub const DEFAULT_RATE_PER_SECOND: u32 = 10;
/// Most retries accepted.
pub const MAX_RETRIES: u32 = 100;
/// Timers take at most 2^31 − 1 ms (about 24.8 days); a longer timeout means that longest one
/// (a larger delay would fire at once in Node).
pub const MAX_TIMER_MS: f64 = 2_147_483_647.0;
/// The pacing window: one second plus a margin for a server clock that ticks coarsely. The
/// limiter counts each request at its answer time, so latency cannot squeeze 11 arrivals into
/// one second of the server's.
pub const PACING_WINDOW_MS: f64 = 1_050.0;
/// Full-jitter backoff: base and cap.
pub const BACKOFF_BASE_MS: f64 = 200.0;
/// Longest backoff.
pub const BACKOFF_CAP_MS: f64 = 5_000.0;

/// `new CvmClient(options)` as callers give them. (Describes the input;
/// [`ClientSettings::from_value`] checks it.)
#[derive(serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ClientOptionsInput {
    /// The request options (but `timestamp`, which is taken per attempt).
    #[serde(flatten)]
    pub connection: ConnectionOptionsInput,
    /// Instead of `secretId`/`secretKey`/`token`: those three as an object, or a provider of
    /// changing credentials: a function or an object with `getCredential()` (the official SDK's
    /// shape) resolving `{ secretId, secretKey, token?, expiration? }`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(
            type = "{ secretId: string; secretKey: string; token?: string } | (() => ProvidedCredentials | Promise<ProvidedCredentials>) | { getCredential(): ProvidedCredentials | Promise<ProvidedCredentials> }"
        )
    )]
    pub credentials: Option<()>,
    /// A provider's credentials are refreshed this many milliseconds before they expire
    /// (default 300000, five minutes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_margin_ms: Option<f64>,
    /// Per-attempt timeout in milliseconds (default 10000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<f64>,
    /// Retries after the first attempt, for retryable failures only (default 3; 0 turns them off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// Most requests started per second by this client (default 10, the API's limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_per_second: Option<u32>,
    /// Learn the server's clock from `AuthFailure.SignatureExpire` and retry once (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct_clock_skew: Option<bool>,
    /// The `fetch` to use (default: the global one); always called with `redirect: "manual"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "typeof fetch"))]
    pub fetch: Option<()>,
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

/// The request options' credential keys, which `credentials` replaces.
const KEY_OPTIONS: [&str; 3] = ["secretId", "secretKey", "token"];

impl ClientSettings {
    /// Checks a client's options, reporting every problem at once; unknown keys get a
    /// did-you-mean.
    pub fn from_value(options: Value) -> Result<Self, ValidationError> {
        let Value::Object(mut map) = options else {
            return Err(ValidationError::wrong_type(
                "options",
                "an object such as { secretId, secretKey, region }",
                options.kind(),
            ));
        };
        let mut p = Problems::new();
        let allowed: Vec<&str> = REQUEST_KEYS.iter().chain(&CLIENT_KEYS).copied().collect();
        reject_unknown_keys(&map, &allowed, &mut p);
        let endpoint = map
            .get("endpoint")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let host = map.get("host").and_then(Value::as_str).map(str::to_owned);
        let timeout_ms = p
            .check(number(
                &map,
                "timeoutMs",
                DEFAULT_TIMEOUT_MS,
                false,
                0.0,
                true,
            ))
            .map(|t| t.min(MAX_TIMER_MS));
        let retries = p.check(number(
            &map,
            "retries",
            DEFAULT_RETRIES.into(),
            true,
            0.0,
            false,
        ));
        let rate = p.check(number(
            &map,
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
        let correct_clock_skew = p.check(option_flag(&map, "correctClockSkew"));
        let source = match map.remove("credentials") {
            None | Some(Value::Null) => Some(CredentialsSource::Options),
            // A function (the client makes one of an object with getCredential()). A Symbol or a
            // BigInt, which JSON cannot carry either, is no provider: check_static names it.
            Some(Value::Unsupported(Unsupported::Function)) => Some(CredentialsSource::Provider),
            Some(given) => p
                .check(credentials::check_static(given))
                .map(|()| CredentialsSource::Object),
        };
        // Given (even if wrong): the key options must not be there too.
        if source != Some(CredentialsSource::Options) {
            for key in KEY_OPTIONS
                .iter()
                .filter(|k| !matches!(map.get(k), None | Some(Value::Null)))
            {
                p.add(ValidationError::new(
                    *key,
                    ValidationCode::InvalidParameter,
                    format!("{key} cannot be given with credentials (give one or the other)"),
                ));
            }
        }
        let refresh_margin_ms = p.check(number(
            &map,
            "refreshMarginMs",
            DEFAULT_REFRESH_MARGIN_MS,
            false,
            0.0,
            false,
        ));
        if map.get("refreshMarginMs").is_some() && source != Some(CredentialsSource::Provider) {
            p.add(ValidationError::new(
                "refreshMarginMs",
                ValidationCode::InvalidParameter,
                "refreshMarginMs applies only to a credentials provider (credentials: a function or an object with getCredential())",
            ));
        }
        match map.remove("fetch") {
            None | Some(Value::Null) | Some(Value::Unsupported(Unsupported::Function)) => {}
            Some(other) => p.add(ValidationError::wrong_type(
                "fetch",
                "a function",
                other.kind(),
            )),
        }
        // The request options are checked with the rules of every request (no timestamp yet).
        for key in OPTION_KEYS.iter().filter(|k| !REQUEST_KEYS.contains(k)) {
            map.remove(key);
        }
        // The request options' rules check the rest; the key pair with them when the options
        // give it, otherwise it was checked above (an object) or is per answer of the provider
        // (credentials::check_answer).
        let request = if source == Some(CredentialsSource::Options) {
            RequestOptions::read(&mut map, &|| 0, &mut p)
                .map(|r| (r.region, r.method, r.language, r.sign_action, r.sign_method))
        } else {
            Connection::read(&mut map, &|| 0, &mut p)
                .map(|c| (c.region, c.method, c.language, c.sign_action, c.sign_method))
        };
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

/// A number option: absent or null gives `default`; otherwise finite, whole when `integer`,
/// and at least (or, when `exclusive`, more than) `min`.
pub(crate) fn number(
    map: &crate::json::Object,
    name: &str,
    default: f64,
    integer: bool,
    min: f64,
    exclusive: bool,
) -> Result<f64, ValidationError> {
    let n = match map.get(name) {
        None | Some(Value::Null) => return Ok(default),
        Some(Value::Number(n)) => match *n {
            Number::Int(i) => i as f64,
            Number::UInt(u) => u as f64,
            Number::Float(f) => f,
        },
        Some(other) => return Err(ValidationError::wrong_type(name, "a number", other.kind())),
    };
    let whole = n.fract() == 0.0;
    let in_range = if exclusive { n > min } else { n >= min };
    if (integer && !whole) || !in_range {
        let kind = if integer { "an integer" } else { "a number" };
        let op = if exclusive { ">" } else { ">=" };
        return Err(ValidationError::new(
            name,
            ValidationCode::InvalidParameterValue,
            format!("{name} must be {kind} {op} {}", min as i64),
        ));
    }
    Ok(n)
}
