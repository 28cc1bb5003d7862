//! Request and connection options: each declared once (`input!`), and their rules — the key,
//! the connection (region, endpoint, host, method, language, signature method), the per-call
//! options (timestamp, nonce, version, service). One job: options in, checked options out.

use crate::input::error::{Problems, ValidationCode, ValidationError};
use crate::input::json::{Number, Value};
use crate::input::{self, input, required, Got, ReadValue, Seconds};
use crate::request::endpoint::{Endpoint, DEFAULT_ENDPOINT};
use crate::request::region;
use crate::sign::secret::SecretKey;
use crate::sign::v1::{self as sign_v1, SignMethod};
use crate::sign::{self, Method};

/// CVM's API version.
pub const CVM_VERSION: &str = "2017-03-12";
/// CVM's service name, signed in the credential scope.
pub const CVM_SERVICE: &str = "cvm";

input! {
    /// The options every request and a client share, as callers give them.
    pub struct ConnectionOptionsInput / ConnectionRead {
        /// SecretId.
        secretId: String,
        /// SecretKey. Never returned, printed or put in an error.
        secretKey: String,
        /// Session token of temporary credentials (sent as `X-TC-Token`).
        token?: String,
        /// Region id, e.g. `ap-guangzhou`.
        region: String,
        /// `http(s)://host[:port][/path]`; default `https://cvm.tencentcloudapi.com`.
        endpoint?: String,
        /// The host to sign when it differs from the endpoint's (a proxy); default: the endpoint's.
        host?: String,
        /// Default `POST` (JSON body); `GET` sends the parameters in the query string.
        method?: Method,
        /// `X-TC-Language`.
        language?: Language,
        /// Also sign the `x-tc-action` header.
        signAction?: bool,
        /// `TC3-HMAC-SHA256` (default), or a legacy v1 signature: `HmacSHA256` or `HmacSHA1`.
        signMethod?: SignMethod,
    }
}

input! {
    /// Request options as callers give them. (Describes the input; [`RequestOptions::from_value`]
    /// checks it.)
    pub struct RequestOptionsInput / RequestOptionsRead {
        /// Credentials, region, endpoint and the form of the request.
        ..connection: ConnectionOptionsInput,
        /// Unix seconds; default: now.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
        timestamp?: Seconds => after method,
        /// v1 signatures only: the `Nonce`, 1 to 2147483647; default: random.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
        nonce?: Number,
    }
}

input! {
    /// [`RequestOptionsInput`] of `buildRequest`, for any action.
    pub struct GenericRequestOptionsInput / GenericRequestOptionsRead {
        /// The options of every request.
        ..base: RequestOptionsInput,
        /// API version; default `2017-03-12` (CVM).
        version?: String,
        /// Service signed in the credential scope; default `cvm`.
        service?: String,
    }
}

/// What request options add to the connection options, per call, as read; a client has none.
pub(crate) struct PerCall<'a> {
    timestamp: Got<Seconds>,
    nonce: Got<Number>,
    version: Got<String>,
    service: Got<String>,
    /// The timestamp when none is given.
    now: &'a dyn Fn() -> i64,
}

/// [`PerCall`], checked.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    timestamp: i64,
    nonce: Option<u32>,
    version: String,
    service: String,
}

impl Call {
    /// These per-call options at another time (a client's attempt).
    pub(crate) fn at(&self, timestamp: i64) -> Self {
        Self {
            timestamp,
            ..self.clone()
        }
    }
}

/// What a client gives per call: no timestamp (each attempt stamps its own), the rest of the
/// per-call options as read.
pub(crate) fn client_call(
    nonce: Got<Number>,
    version: Got<String>,
    service: Got<String>,
) -> PerCall<'static> {
    PerCall {
        timestamp: Ok(None),
        nonce,
        version,
        service,
        now: &|| 0,
    }
}

/// `X-TC-Language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Language {
    /// Chinese.
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en-US")]
    EnUs,
}

impl Language {
    /// As sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::EnUs => "en-US",
        }
    }
}

/// `"zh-CN"` or `"en-US"`.
impl ReadValue for Language {
    fn read_value(value: Value, field: &str) -> Result<Self, ValidationError> {
        match String::read_value(value, field)?.as_str() {
            "zh-CN" => Ok(Self::ZhCn),
            "en-US" => Ok(Self::EnUs),
            _ => Err(ValidationError::new(
                field,
                ValidationCode::InvalidParameterValue,
                format!("{field} must be \"zh-CN\" or \"en-US\""),
            )),
        }
    }
}

/// Validated request options.
#[derive(Debug)]
pub struct RequestOptions {
    /// SecretId.
    pub secret_id: String,
    /// SecretKey.
    pub secret_key: SecretKey,
    /// Session token (`X-TC-Token`).
    pub token: Option<String>,
    /// Region id.
    pub region: String,
    /// Where the request goes.
    pub endpoint: Endpoint,
    /// The host signed (and sent in `Host` where the runtime allows).
    pub host: String,
    /// POST or GET.
    pub method: Method,
    /// Unix seconds.
    pub timestamp: i64,
    /// `X-TC-Language`.
    pub language: Option<Language>,
    /// Also sign `x-tc-action`.
    pub sign_action: bool,
    /// TC3 or v1.
    pub sign_method: SignMethod,
    /// v1's `Nonce` when given (otherwise drawn per request).
    pub nonce: Option<u32>,
    /// API version.
    pub version: String,
    /// Service signed in the scope.
    pub service: String,
}

impl RequestOptions {
    /// Validates options given as a JSON-like object, reporting every problem at once. `now`
    /// supplies the timestamp when the caller gave none; `generic` also allows `version` and
    /// `service`. The secret key is moved out of `options`, not copied.
    pub fn from_value(
        options: Value,
        now: impl Fn() -> i64,
        generic: bool,
    ) -> Result<Self, ValidationError> {
        let mut map = input::object(
            options,
            "options",
            "an object such as { secretId, secretKey, region }",
        )?;
        let mut problems = Problems::new();
        let (connection, per_call) = if generic {
            let g = input::read::<GenericRequestOptionsInput>(&mut map, &mut problems);
            let per_call = PerCall {
                timestamp: g.base.timestamp,
                nonce: g.base.nonce,
                version: g.version,
                service: g.service,
                now: &now,
            };
            (g.base.connection, per_call)
        } else {
            let r = input::read::<RequestOptionsInput>(&mut map, &mut problems);
            let per_call = PerCall {
                timestamp: r.timestamp,
                nonce: r.nonce,
                version: Ok(None),
                service: Ok(None),
                now: &now,
            };
            (r.connection, per_call)
        };
        let options = Self::rules(connection, per_call, &mut problems);
        problems.finish(options)
    }

    /// The rules of request options, every problem recorded: the key's first, then the
    /// connection's (and the per-call options' among them).
    fn rules(mut c: ConnectionRead, per_call: PerCall, problems: &mut Problems) -> Option<Self> {
        let (secret_id, secret_key, token) = key_rules(
            take(&mut c.secretId),
            take(&mut c.secretKey),
            take(&mut c.token),
            problems,
        );
        let (connection, call) = Connection::rules(c, Some(per_call), problems)?;
        Some(connection.with_key(call?, secret_id?, secret_key?, token?))
    }
}

/// The connection options, checked: the request options but the key pair, the token and the
/// per-call options; what a client takes from its options.
#[derive(Debug, Clone)]
pub(crate) struct Connection {
    pub(crate) region: String,
    pub(crate) endpoint: Endpoint,
    pub(crate) host: String,
    pub(crate) method: Method,
    pub(crate) language: Option<Language>,
    pub(crate) sign_action: bool,
    pub(crate) sign_method: SignMethod,
}

impl Connection {
    /// Checks every connection option but `secretId`, `secretKey` and `token` (which it
    /// ignores), and the per-call options when there are any (request options; a client has
    /// none), every problem into `problems`, in the order [`RequestOptions::rules`] reports them
    /// after the key's. The connection, and the per-call options checked (`None` without them).
    /// (Not inlined: two callers, one copy.)
    #[inline(never)]
    pub(crate) fn rules(
        c: ConnectionRead,
        mut per_call: Option<PerCall>,
        problems: &mut Problems,
    ) -> Option<(Self, Option<Call>)> {
        let region = problems.check(
            nonempty(c.region, "region").and_then(|r| region::validate(&r, "region").map(|()| r)),
        );
        let endpoint =
            problems.check(c.endpoint.and_then(|e| {
                Endpoint::parse(e.as_deref().unwrap_or(DEFAULT_ENDPOINT), "endpoint")
            }));
        let host = problems.check(c.host.and_then(|h| match h {
            Some(host) => {
                sign::check_host("host", &host)?;
                Ok(Some(host.to_ascii_lowercase()))
            }
            None => Ok(None),
        }));
        let method = problems.check(c.method.map(|m| m.unwrap_or(Method::Post)));
        let timestamp = per_call.as_mut().map(|k| {
            problems.check(take(&mut k.timestamp).and_then(|t| match t {
                None => Ok((k.now)()),
                Some(t) => sign::timestamp(t.0),
            }))
        });
        let language = problems.check(c.language);
        let sign_action = problems.check(c.signAction);
        let sign_method = problems.check(c.signMethod.map(|m| m.unwrap_or(SignMethod::Tc3)));
        let nonce = per_call
            .as_mut()
            .map(|k| problems.check(take(&mut k.nonce).and_then(|n| nonce(n, sign_method))));
        // A v1 signature signs neither headers nor a credential scope: `signAction: true` would be
        // silently dropped, so it is refused (as `nonce` is with TC3).
        if let (Some(Some(true)), Some(method)) = (sign_action, sign_method) {
            problems.check(tc3_only("signAction", method));
        }
        let version = per_call.as_mut().map(|k| {
            problems.check(take(&mut k.version).and_then(|v| {
                let version = v.unwrap_or_else(|| CVM_VERSION.into());
                if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                    return Err(ValidationError::new(
                        "version",
                        ValidationCode::InvalidParameterValue,
                        "version must look like \"2017-03-12\"",
                    ));
                }
                Ok(version)
            }))
        });
        let service = per_call.as_mut().map(|k| {
            problems.check(take(&mut k.service).and_then(|s| match s {
                Some(service) => {
                    if let Some(method) = sign_method {
                        tc3_only("service", method)?;
                    }
                    Ok(service)
                }
                None => Ok(CVM_SERVICE.into()),
            }))
        });
        let call = match per_call {
            None => None,
            Some(_) => Some(Call {
                timestamp: timestamp??,
                nonce: nonce??,
                version: version??,
                service: service??,
            }),
        };
        let endpoint = endpoint?;
        let connection = Self {
            host: host?.unwrap_or_else(|| endpoint.host.clone()),
            region: region?,
            endpoint,
            method: method?,
            language: language?,
            sign_action: sign_action?.unwrap_or(false),
            sign_method: sign_method?,
        };
        Some((connection, call))
    }

    /// The request options with these per-call options, key pair and token.
    pub(crate) fn with_key(
        self,
        call: Call,
        secret_id: String,
        secret_key: SecretKey,
        token: Option<String>,
    ) -> RequestOptions {
        RequestOptions {
            secret_id,
            secret_key,
            token,
            region: self.region,
            endpoint: self.endpoint,
            host: self.host,
            method: self.method,
            timestamp: call.timestamp,
            language: self.language,
            sign_action: self.sign_action,
            sign_method: self.sign_method,
            nonce: call.nonce,
            version: call.version,
            service: call.service,
        }
    }
}

/// The rules of a key (request options', a `CvmClient`'s `credentials`', a provider's answer):
/// `secretId`, `secretKey` and an optional `token` (empty means none), problems recorded; the
/// secret key is moved into [`SecretKey`], not copied.
pub(crate) fn key_rules(
    secret_id: Got<String>,
    secret_key: Got<String>,
    token: Got<String>,
    problems: &mut Problems,
) -> (Option<String>, Option<SecretKey>, Option<Option<String>>) {
    let secret_id = problems.check(
        nonempty(secret_id, "secretId")
            .and_then(|id| sign::token("secretId", &id, 128).map(|()| id)),
    );
    let secret_key = problems.check(nonempty(secret_key, "secretKey").map(SecretKey::new));
    let token = problems.check(token.and_then(|t| {
        let t = t.filter(|t| !t.is_empty());
        if let Some(token) = &t {
            sign::token("token", token, 8192)?;
        }
        Ok(t)
    }));
    (secret_id, secret_key, token)
}

/// A string option that must be there and not be empty.
fn nonempty(got: Got<String>, name: &str) -> Result<String, ValidationError> {
    match required(got, name)? {
        s if s.is_empty() => Err(ValidationError::new(
            name,
            ValidationCode::MissingParameter,
            format!("{name} is required (got an empty string)"),
        )),
        s => Ok(s),
    }
}

/// The field's reading, leaving it absent (to move one field out of a read struct).
pub(crate) fn take<T>(got: &mut Got<T>) -> Got<T> {
    std::mem::replace(got, Ok(None))
}

/// An option only TC3 uses (`signAction: true`, `service`): refused with a v1 `signMethod`.
fn tc3_only(field: &str, method: SignMethod) -> Result<(), ValidationError> {
    if method.v1().is_none() {
        return Ok(());
    }
    Err(ValidationError::new(
        field,
        ValidationCode::InvalidParameter,
        format!("{field} is only used by TC3-HMAC-SHA256 signatures, not with a v1 signMethod"),
    ))
}

/// The `nonce` option: absent, or a whole number in 1..=[`sign_v1::MAX_NONCE`] with a v1
/// `signMethod` (TC3 has no nonce: one given there is a mistake, not ignored).
fn nonce(n: Option<Number>, method: Option<SignMethod>) -> Result<Option<u32>, ValidationError> {
    let Some(n) = n else {
        return Ok(None);
    };
    let n = n
        .as_i64()
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| (1..=sign_v1::MAX_NONCE).contains(n))
        .ok_or_else(|| {
            ValidationError::new(
                "nonce",
                ValidationCode::InvalidParameterValue,
                format!("nonce must be an integer from 1 to {}", sign_v1::MAX_NONCE),
            )
        })?;
    if method == Some(SignMethod::Tc3) {
        return Err(ValidationError::new(
            "nonce",
            ValidationCode::InvalidParameter,
            "nonce is only sent with a v1 signature (signMethod \"HmacSHA256\" or \"HmacSHA1\")",
        ));
    }
    Ok(Some(n))
}
