//! Request building: options → endpoint, host and headers; parameters → POST JSON body or GET
//! query; then the TC3 signature over exactly what will be sent.

use crate::json::{self, Object, Value};

use crate::delete_images::{self, kind, reject_unknown_keys, DeleteImagesParams};
use crate::endpoint::{Endpoint, DEFAULT_ENDPOINT};
use crate::error::{ValidationCode, ValidationError};
use crate::query;
use crate::region;
use crate::secret::SecretKey;
use crate::sign::{self, Method, SigningKeyCache, SigningOutput, SigningParams, MAX_TIMESTAMP};

/// CVM's API version.
pub const CVM_VERSION: &str = "2017-03-12";
/// CVM's service name, signed in the credential scope.
pub const CVM_SERVICE: &str = "cvm";
/// `X-TC-RequestClient`: SDKs keep it to `[0-9a-zA-Z-_ ,;.]` and 128 characters (reference §3).
pub const REQUEST_CLIENT: &str = concat!("tencentcloud-cvm-wasm_", env!("CARGO_PKG_VERSION"));
/// Largest GET query string accepted by the API (reference §1).
pub const MAX_GET_BYTES: usize = 32 * 1024;
/// Largest POST body accepted with TC3 (reference §1).
pub const MAX_POST_BYTES: usize = 10 * 1024 * 1024;
/// Content-Type of the POST form.
pub const JSON_CONTENT_TYPE: &str = "application/json";
/// Content-Type of the GET form.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Options of every request; `buildRequest` also takes `version` and `service` (the last two).
const OPTION_KEYS: [&str; 12] = [
    "secretId",
    "secretKey",
    "token",
    "region",
    "endpoint",
    "host",
    "method",
    "timestamp",
    "language",
    "signAction",
    "version",
    "service",
];

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
    pub language: Option<&'static str>,
    /// Also sign `x-tc-action`.
    pub sign_action: bool,
    /// API version.
    pub version: String,
    /// Service signed in the scope.
    pub service: String,
}

impl RequestOptions {
    /// Validates options given as a JSON-like object. `now` supplies the timestamp when the
    /// caller gave none; `generic` also allows `version` and `service`. The secret key is moved
    /// out of `options`, not copied.
    pub fn from_value(
        options: Value,
        now: impl FnOnce() -> i64,
        generic: bool,
    ) -> Result<Self, ValidationError> {
        let Value::Object(mut map) = options else {
            return Err(ValidationError::wrong_type(
                "options",
                "an object such as { secretId, secretKey, region }",
                kind(&options),
            ));
        };
        let allowed = if generic {
            &OPTION_KEYS[..]
        } else {
            &OPTION_KEYS[..OPTION_KEYS.len() - 2]
        };
        reject_unknown_keys(&map, allowed)?;
        let secret_id = required_string(&mut map, "secretId")?;
        sign::token("secretId", &secret_id, 128)?;
        let secret_key = SecretKey::new(required_string(&mut map, "secretKey")?);
        let token = optional_string(&mut map, "token")?.filter(|t| !t.is_empty());
        if let Some(token) = &token {
            sign::token("token", token, 8192)?;
        }
        let region = required_string(&mut map, "region")?;
        region::validate(&region, "region")?;
        let endpoint_text = optional_string(&mut map, "endpoint")?;
        let endpoint = Endpoint::parse(
            endpoint_text.as_deref().unwrap_or(DEFAULT_ENDPOINT),
            "endpoint",
        )?;
        let host = match optional_string(&mut map, "host")? {
            Some(host) => {
                crate::endpoint::check_host("host", &host)?;
                host.to_ascii_lowercase()
            }
            None => endpoint.host.clone(),
        };
        let method = match optional_string(&mut map, "method")? {
            Some(m) => Method::parse(&m, "method")?,
            None => Method::Post,
        };
        let timestamp = match map.get("timestamp") {
            None | Some(Value::Null) => now(),
            Some(v) => timestamp(v)?,
        };
        let language = match optional_string(&mut map, "language")?.as_deref() {
            None => None,
            Some("zh-CN") => Some("zh-CN"),
            Some("en-US") => Some("en-US"),
            Some(_) => {
                return Err(ValidationError::new(
                    "language",
                    ValidationCode::InvalidParameterValue,
                    "language must be \"zh-CN\" or \"en-US\"",
                ))
            }
        };
        let sign_action = delete_images::option_flag(&map, "signAction")?.unwrap_or(false);
        let version = optional_string(&mut map, "version")?.unwrap_or_else(|| CVM_VERSION.into());
        if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return Err(ValidationError::new(
                "version",
                ValidationCode::InvalidParameterValue,
                "version must look like \"2017-03-12\"",
            ));
        }
        let service = optional_string(&mut map, "service")?.unwrap_or_else(|| CVM_SERVICE.into());
        Ok(Self {
            secret_id,
            secret_key,
            token,
            region,
            endpoint,
            host,
            method,
            timestamp,
            language,
            sign_action,
            version,
            service,
        })
    }
}

fn required_string(map: &mut Object, name: &str) -> Result<String, ValidationError> {
    optional_string(map, name)?.ok_or_else(|| ValidationError::missing(name))
}

/// Takes a string option out of the map (moving it, so secrets are not copied).
fn optional_string(map: &mut Object, name: &str) -> Result<Option<String>, ValidationError> {
    match map.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        // Never quote the value: it may be a secret put in the wrong place.
        Some(other) => Err(ValidationError::wrong_type(name, "a string", kind(&other))),
    }
}

fn timestamp(value: &Value) -> Result<i64, ValidationError> {
    let bad =
        |why: String| ValidationError::new("timestamp", ValidationCode::InvalidParameterValue, why);
    let Value::Number(n) = value else {
        return Err(ValidationError::wrong_type(
            "timestamp",
            "Unix seconds (a number)",
            kind(value),
        ));
    };
    let Some(t) = n.as_i64() else {
        return Err(bad(format!(
            "timestamp must be whole Unix seconds (e.g. Math.floor(Date.now() / 1000)), got {}",
            n.as_str()
        )));
    };
    if t > MAX_TIMESTAMP && t / 1000 <= MAX_TIMESTAMP {
        return Err(bad(format!(
            "timestamp must be Unix seconds; {t} looks like milliseconds (divide by 1000)"
        )));
    }
    if !(0..=MAX_TIMESTAMP).contains(&t) {
        return Err(bad(format!(
            "timestamp must be Unix seconds between 0 and {MAX_TIMESTAMP}, got {t}"
        )));
    }
    Ok(t)
}

/// A signed request, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// Full URL, with the query for GET.
    pub url: String,
    /// The method.
    pub method: Method,
    /// Headers in a stable order.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body for POST.
    pub body: Option<String>,
    /// Every signing stage (for explain views and tests).
    pub signing: SigningOutput,
}

/// Builds and signs a call of `action` with already-validated JSON `params`.
///
/// The headers carry no `Host`: `fetch` (browsers and Node alike) sets it from the URL and
/// ignores one given, so the URL's host is what arrives. When the signed host differs (option
/// `host`), the proxy in between must send that host upstream.
pub fn build(
    action: &str,
    params: &Value,
    options: &RequestOptions,
    cache: Option<&mut SigningKeyCache>,
) -> Result<SignedRequest, ValidationError> {
    if action.is_empty() || action.len() > 64 || !action.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(ValidationError::new(
            "action",
            ValidationCode::InvalidParameterValue,
            "action must be an API name of letters and digits, such as \"DescribeImages\"",
        ));
    }
    let (url, content_type, query, body) = match options.method {
        Method::Post => {
            let body = json::to_string(params);
            if body.len() > MAX_POST_BYTES {
                return Err(too_large(format!(
                    "the POST body is {} bytes; the API accepts at most {MAX_POST_BYTES}",
                    body.len()
                )));
            }
            (
                options.endpoint.url.clone(),
                JSON_CONTENT_TYPE,
                String::new(),
                Some(body),
            )
        }
        Method::Get => {
            let query = query::encode(&query::flatten(params));
            if query.len() > MAX_GET_BYTES {
                return Err(too_large(format!(
                    "the GET query is {} bytes; the API accepts at most {MAX_GET_BYTES} (use POST)",
                    query.len()
                )));
            }
            (
                format!("{}?{query}", options.endpoint.url),
                FORM_CONTENT_TYPE,
                query,
                None,
            )
        }
    };
    let signing = sign::sign(
        &SigningParams {
            secret_id: &options.secret_id,
            secret_key: &options.secret_key,
            service: &options.service,
            host: &options.host,
            method: options.method,
            content_type,
            query: &query,
            payload: body.as_deref().unwrap_or("").as_bytes(),
            timestamp: options.timestamp,
            action: options.sign_action.then_some(action),
        },
        cache,
    )?;
    let mut headers = Vec::with_capacity(10);
    headers.push(("Authorization", signing.authorization.clone()));
    headers.push(("Content-Type", content_type.to_owned()));
    headers.push(("X-TC-Action", action.to_owned()));
    headers.push(("X-TC-Version", options.version.clone()));
    headers.push(("X-TC-Timestamp", options.timestamp.to_string()));
    headers.push(("X-TC-Region", options.region.clone()));
    if let Some(token) = &options.token {
        headers.push(("X-TC-Token", token.clone()));
    }
    if let Some(language) = options.language {
        headers.push(("X-TC-Language", language.to_owned()));
    }
    headers.push(("X-TC-RequestClient", REQUEST_CLIENT.to_owned()));
    Ok(SignedRequest {
        url,
        method: options.method,
        headers,
        body,
        signing,
    })
}

fn too_large(message: String) -> ValidationError {
    ValidationError::new("params", ValidationCode::RequestSizeLimitExceeded, message)
}

/// Validates, serialises and signs a DeleteImages call.
pub fn build_delete_images(
    params: &Value,
    options: &RequestOptions,
    cache: Option<&mut SigningKeyCache>,
) -> Result<SignedRequest, ValidationError> {
    let params = DeleteImagesParams::from_value(params)?;
    build(delete_images::ACTION, &params.to_value(), options, cache)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(extra: &str) -> RequestOptions {
        let text = format!(
            r#"{{"secretId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "secretKey": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                "region": "ap-guangzhou", "timestamp": 1551113065 {extra}}}"#
        );
        RequestOptions::from_value(json::parse(&text).unwrap(), || 0, true).unwrap()
    }

    fn option_error(extra: &str) -> ValidationError {
        let text = format!(
            r#"{{"secretId": "AKIDx", "secretKey": "s", "region": "ap-guangzhou" {extra}}}"#
        );
        RequestOptions::from_value(json::parse(&text).unwrap(), || 0, false).unwrap_err()
    }

    fn params(text: &str) -> Value {
        json::parse(text).unwrap()
    }

    fn header<'a>(req: &'a SignedRequest, name: &str) -> Option<&'a str> {
        req.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn post_sends_the_json_it_signs() {
        let req = build_delete_images(
            &params(r#"{"ImageIds": ["img-mfih409y"], "DryRun": "True"}"#),
            &options(""),
            None,
        )
        .unwrap();
        assert_eq!(req.url, "https://cvm.tencentcloudapi.com/");
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"ImageIds":["img-mfih409y"],"DryRun":true}"#)
        );
        assert_eq!(
            req.signing.hashed_payload,
            crate::sign::HexDigest::of(req.body.as_deref().unwrap().as_bytes()).to_string()
        );
        let names: Vec<&str> = req.headers.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "Authorization",
                "Content-Type",
                "X-TC-Action",
                "X-TC-Version",
                "X-TC-Timestamp",
                "X-TC-Region",
                "X-TC-RequestClient"
            ]
        );
        assert_eq!(header(&req, "X-TC-Version"), Some("2017-03-12"));
        assert_eq!(
            header(&req, "Authorization"),
            Some(req.signing.authorization.as_str())
        );
        let client = header(&req, "X-TC-RequestClient").unwrap();
        assert!(
            client
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_ ,;.".contains(&b))
                && client.len() <= 128
        );
    }

    #[test]
    fn get_signs_exactly_the_query_it_sends() {
        let req = build_delete_images(
            &params(r#"{"ImageIds": ["img-a&b=c", "img-未"]}"#),
            &options(
                r#", "method": "GET", "token": "tok", "language": "en-US", "signAction": true"#,
            ),
            None,
        )
        .unwrap();
        let query = "ImageIds.0=img-a%26b%3Dc&ImageIds.1=img-%E6%9C%AA";
        assert_eq!(req.url, format!("https://cvm.tencentcloudapi.com/?{query}"));
        assert!(req.body.is_none());
        assert!(req
            .signing
            .canonical_request
            .starts_with(&format!("GET\n/\n{query}\n")));
        assert!(req
            .signing
            .canonical_request
            .contains("\nx-tc-action:deleteimages\n"));
        assert_eq!(header(&req, "Content-Type"), Some(FORM_CONTENT_TYPE));
        assert_eq!(header(&req, "X-TC-Token"), Some("tok"));
        assert_eq!(header(&req, "X-TC-Language"), Some("en-US"));
    }

    #[test]
    fn a_proxy_signs_the_real_host() {
        let req = build_delete_images(
            &params(r#"{"ImageIds": ["img-a"]}"#),
            &options(r#", "endpoint": "http://127.0.0.1:8080/proxy/cvm.tencentcloudapi.com", "host": "cvm.tencentcloudapi.com""#),
            None,
        )
        .unwrap();
        assert_eq!(
            req.url,
            "http://127.0.0.1:8080/proxy/cvm.tencentcloudapi.com"
        );
        assert!(req
            .signing
            .canonical_request
            .contains("\nhost:cvm.tencentcloudapi.com\n"));
        let local = build_delete_images(
            &params(r#"{"ImageIds": ["img-a"]}"#),
            &options(r#", "endpoint": "http://127.0.0.1:8080/emulator""#),
            None,
        )
        .unwrap();
        assert!(local
            .signing
            .canonical_request
            .contains("\nhost:127.0.0.1:8080\n"));
    }

    #[test]
    fn size_limits_are_enforced_before_sending() {
        let big = format!(r#"{{"Blob": "{}"}}"#, "x".repeat(MAX_GET_BYTES));
        let e = build(
            "DescribeImages",
            &params(&big),
            &options(r#", "method": "GET""#),
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), ValidationCode::RequestSizeLimitExceeded);
        assert!(build("DescribeImages", &params(&big), &options(""), None).is_ok());
        let huge = format!(r#"{{"Blob": "{}"}}"#, "x".repeat(MAX_POST_BYTES));
        let e = build("DescribeImages", &params(&huge), &options(""), None).unwrap_err();
        assert_eq!(e.code(), ValidationCode::RequestSizeLimitExceeded);
    }

    #[test]
    fn options_are_checked_and_never_quote_secrets() {
        use ValidationCode::*;
        for (extra, field, code) in [
            (
                r#", "timestamp": 1551113065000"#,
                "timestamp",
                InvalidParameterValue,
            ),
            (r#", "timestamp": 1.5"#, "timestamp", InvalidParameterValue),
            (r#", "timestamp": -1"#, "timestamp", InvalidParameterValue),
            (r#", "timestamp": "now""#, "timestamp", InvalidParameter),
            (r#", "method": "PUT""#, "method", InvalidParameterValue),
            (
                r#", "language": "fr-FR""#,
                "language",
                InvalidParameterValue,
            ),
            (
                r#", "endpoint": "ftp://x""#,
                "endpoint",
                InvalidParameterValue,
            ),
            (r#", "secretkey": "x""#, "secretkey", UnknownParameter),
            (r#", "version": "2017-03-12""#, "version", UnknownParameter),
            (
                r#", "signAction": "TOPSECRET""#,
                "signAction",
                InvalidParameter,
            ),
        ] {
            let e = option_error(extra);
            assert_eq!((e.field(), e.code()), (field, code), "{extra}");
            assert!(!e.message().contains("TOPSECRET"), "{e}");
        }
        assert!(option_error(r#", "timestamp": 1551113065000"#)
            .message()
            .contains("milliseconds"));
        let e = RequestOptions::from_value(
            json::parse(r#"{"secretId": "AKIDx", "secretKey": 42, "region": "ap-guangzhou"}"#)
                .unwrap(),
            || 0,
            false,
        )
        .unwrap_err();
        assert_eq!(
            (e.field(), e.message()),
            ("secretKey", "secretKey must be a string, got a number")
        );
        let e = RequestOptions::from_value(
            json::parse(r#"{"secretKey": "k", "region": "ap-guangzhou"}"#).unwrap(),
            || 0,
            false,
        )
        .unwrap_err();
        assert_eq!((e.field(), e.code()), ("secretId", MissingParameter));
        let debug = format!("{:?}", options(""));
        assert!(!debug.contains("Gu5t9x"), "{debug}");
    }

    #[test]
    fn the_timestamp_defaults_to_now() {
        let o = RequestOptions::from_value(
            json::parse(r#"{"secretId": "AKIDx", "secretKey": "k", "region": "ap-guangzhou"}"#)
                .unwrap(),
            || 1_700_000_000,
            false,
        )
        .unwrap();
        assert_eq!(o.timestamp, 1_700_000_000);
    }
}
