//! Request building: checked options ([`options`]) → endpoint, host and headers; parameters →
//! POST JSON body or GET query; then the TC3 signature over exactly what will be sent. With a v1
//! `signMethod`, every parameter goes in the query (GET) or a form body (POST), signed by
//! [`crate::sign::v1`]. Also the size limits, and the cut of a bulk run's ids into calls. One job
//! (a request from checked parts); the long tail of this file is its tests.

pub mod endpoint;
pub mod options;
pub mod query;
pub mod region;

use crate::input::json::{self, Object, Value};

use crate::actions::delete_images::{self, DeleteImagesParams};
use crate::input::error::{Problems, ValidationCode, ValidationError};
use crate::sign::v1::{self as sign_v1, V1Algorithm, V1Params, V1SigningOutput};
use crate::sign::{self, Method, SigningKeyCache, SigningOutput, SigningParams};

/// `X-TC-RequestClient`: SDKs keep it to `[0-9a-zA-Z-_ ,;.]` and 128 characters (reference §3).
pub const REQUEST_CLIENT: &str = concat!("tencentcloud-cvm-wasm_", env!("CARGO_PKG_VERSION"));
/// Largest GET query string accepted by the API (reference §1).
pub const MAX_GET_BYTES: usize = 32 * 1024;
/// Largest POST body accepted with TC3 (reference §1).
pub const MAX_POST_BYTES: usize = 10 * 1024 * 1024;
/// Content-Type of the POST form.
pub const JSON_CONTENT_TYPE: &str = "application/json";
/// Content-Type of the GET form (and of v1's POST body).
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

pub use options::*;

/// The fetch redirect mode of every request the package builds (see [`SignedRequest::redirect`]).
pub const REDIRECT_MANUAL: &str = "manual";

/// A signed request, ready to send: `fetch(req.url, req)` sends exactly what was signed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct SignedRequest {
    /// Full URL, with the query for GET.
    pub url: String,
    /// The method.
    pub method: Method,
    /// Headers in a stable order.
    #[serde(serialize_with = "headers_as_object")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, string>"))]
    pub headers: Vec<(&'static str, String)>,
    /// The body for POST (JSON; a form with v1); absent for GET.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Always `"manual"`: `fetch(req.url, req)` never follows a redirect, so a signed
    /// request goes to the host it was signed for or nowhere; the 3xx (in browsers an opaque
    /// redirect, status 0) comes back as the answer, which the decoders read as
    /// `ClientError.Redirect`. Not `"error"`: workerd refuses that mode before sending.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "\"manual\""))]
    pub redirect: &'static str,
    /// Every signing stage (for explain views and tests; the package makes it non-enumerable).
    pub signing: RequestSigning,
}

/// The stages of a request's signature: TC3's, or v1's (which has a `signatureMethod`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum RequestSigning {
    /// TC3-HMAC-SHA256.
    Tc3(SigningOutput),
    /// Legacy v1.
    V1(V1SigningOutput),
}

impl RequestSigning {
    /// TC3's stages, or `None` for a v1 signature.
    pub fn tc3(&self) -> Option<&SigningOutput> {
        match self {
            Self::Tc3(s) => Some(s),
            Self::V1(_) => None,
        }
    }

    /// v1's stages, or `None` for TC3.
    pub fn v1(&self) -> Option<&V1SigningOutput> {
        match self {
            Self::Tc3(_) => None,
            Self::V1(s) => Some(s),
        }
    }

    /// The signature (hex for TC3, Base64 for v1).
    pub fn signature(&self) -> &str {
        match self {
            Self::Tc3(s) => &s.signature,
            Self::V1(s) => &s.signature,
        }
    }
}

pub(crate) fn headers_as_object<S: serde::Serializer>(
    headers: &[(&'static str, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(headers.iter().map(|(k, v)| (*k, v)))
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
    sign::check_action(action)?;
    if let Some(algorithm) = options.sign_method.v1() {
        return build_v1(action, params, options, algorithm);
    }
    let (url, content_type, query, body) = match options.method {
        Method::Post => {
            let body = json::to_string(params);
            check_size(Method::Post, &body)?;
            (
                options.endpoint.url.clone(),
                JSON_CONTENT_TYPE,
                String::new(),
                Some(body),
            )
        }
        Method::Get => {
            let query = query::encode(&query::flatten(params));
            check_size(Method::Get, &query)?;
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
        headers.push(("X-TC-Language", language.as_str().to_owned()));
    }
    headers.push(("X-TC-RequestClient", REQUEST_CLIENT.to_owned()));
    Ok(SignedRequest {
        url,
        method: options.method,
        headers,
        body,
        redirect: REDIRECT_MANUAL,
        signing: RequestSigning::Tc3(signing),
    })
}

/// A v1 request: the API's parameters flattened as for GET, the public parameters beside them,
/// all signed and then sent, encoded, in the query (GET) or a form body (POST). Only Content-Type
/// goes in a header: v1 has no `X-TC-*` headers and no `Authorization`.
fn build_v1(
    action: &str,
    params: &Value,
    options: &RequestOptions,
    algorithm: V1Algorithm,
) -> Result<SignedRequest, ValidationError> {
    let mut pairs = query::flatten(params);
    let mut problems = Problems::new();
    for (name, _) in &pairs {
        let top = name.split('.').next().unwrap_or(name);
        if sign_v1::PUBLIC_PARAMS.contains(&top) {
            problems.add(ValidationError::new(
                format!("params.{top}"),
                ValidationCode::InvalidParameter,
                format!("params.{top} is a public parameter of v1 signatures; it cannot be an API parameter too"),
            ));
        }
    }
    problems.finish(Some(()))?;
    let nonce = match options.nonce {
        Some(n) => n,
        None => sign_v1::random_nonce()?,
    };
    let mut add = |name: &str, value: &str| push_pair(&mut pairs, name, value);
    add("Action", action);
    add("Version", &options.version);
    add("Region", &options.region);
    add("Timestamp", &decimal(options.timestamp));
    add("Nonce", &decimal(nonce.into()));
    add("SecretId", &options.secret_id);
    if let Some(method) = algorithm.signature_method_param() {
        add("SignatureMethod", method);
    }
    if let Some(token) = &options.token {
        add("Token", token);
    }
    if let Some(language) = options.language {
        add("Language", language.as_str());
    }
    let signing = sign_v1::sign(&mut V1Params {
        algorithm,
        secret_key: &options.secret_key,
        method: options.method,
        host: &options.host,
        pairs: &mut pairs,
    })?;
    pairs.push(("Signature".to_owned(), signing.signature.clone()));
    let encoded = query::encode(&pairs);
    check_size(options.method, &encoded)?;
    let (url, body) = match options.method {
        Method::Get => (format!("{}?{encoded}", options.endpoint.url), None),
        Method::Post => (options.endpoint.url.clone(), Some(encoded)),
    };
    Ok(SignedRequest {
        url,
        method: options.method,
        headers: vec![("Content-Type", FORM_CONTENT_TYPE.to_owned())],
        body,
        redirect: REDIRECT_MANUAL,
        signing: RequestSigning::V1(signing),
    })
}

/// Appends a parameter: out of line, as inlined at each of `build_v1`'s calls its two
/// allocations cost 0.6 KB of .wasm.
#[inline(never)]
fn push_pair(pairs: &mut Vec<(String, String)>, name: &str, value: &str) {
    pairs.push((name.to_owned(), value.to_owned()));
}

fn decimal(n: i64) -> String {
    let mut out = String::with_capacity(12);
    sign::push_decimal(&mut out, n);
    out
}

/// The size limit of what `method` sends: the GET query or the POST body (out of line: both
/// request forms check it).
#[inline(never)]
/// The size rule for a call's parameters alone, before anything is signed: a TC3 request sends
/// exactly the parameters' JSON body (POST) or query (GET), so a call that could never be sent
/// is refused when it is prepared. (A v1 request adds its public parameters: [`build`] checks.)
pub(crate) fn check_params_size(
    params: &Value,
    connection: &Connection,
) -> Result<(), ValidationError> {
    if connection.sign_method.v1().is_some() {
        return Ok(());
    }
    match connection.method {
        Method::Post => check_size(Method::Post, &json::to_string(params)),
        Method::Get => check_size(Method::Get, &query::encode(&query::flatten(params))),
    }
}

fn check_size(method: Method, sent: &str) -> Result<(), ValidationError> {
    let message = match method {
        Method::Get if sent.len() > MAX_GET_BYTES => format!(
            "the GET query is {} bytes; the API accepts at most {MAX_GET_BYTES} (use POST)",
            sent.len()
        ),
        Method::Post if sent.len() > MAX_POST_BYTES => format!(
            "the POST body is {} bytes; the API accepts at most {MAX_POST_BYTES}",
            sent.len()
        ),
        _ => return Ok(()),
    };
    Err(ValidationError::new(
        "params",
        ValidationCode::RequestSizeLimitExceeded,
        message,
    ))
}

/// Where to cut a bulk deletion of `ids` into DeleteImages calls: the lengths of consecutive
/// chunks, each of at most [`delete_images::MAX_IMAGE_IDS_PER_CALL`] ids and small enough that
/// its request — `shared` with these ids, sent as `method` sends it (the GET query, the POST
/// body) — stays `reserve` bytes under the API's size limit (what the signature adds to the same
/// query or body: v1's public parameters). Sizes are exactly those [`build`] checks (a test
/// builds every chunk); an id too long to fit even alone gets a chunk of its own.
pub fn chunk_delete_images(
    ids: &[String],
    shared: &DeleteImagesParams,
    method: Method,
    reserve: usize,
) -> Vec<usize> {
    let limit = match method {
        Method::Get => MAX_GET_BYTES,
        Method::Post => MAX_POST_BYTES,
    }
    .saturating_sub(reserve);
    let empty = DeleteImagesParams {
        image_ids: Vec::new(),
        ..shared.clone()
    }
    .to_value();
    // The request with no id, and what the first id adds beyond its own `cost + 1`: a GET query
    // joins pairs with `&` (none before the first pair of all), a JSON array its items with `,`.
    let (empty_len, first_saves) = match method {
        Method::Get => {
            let pairs = query::flatten(&empty);
            (query::encode(&pairs).len(), usize::from(pairs.is_empty()))
        }
        Method::Post => (json::to_string(&empty).len(), 1),
    };
    let mut scratch = String::new();
    let mut cost = |index: usize, id: &str| -> usize {
        scratch.clear();
        match method {
            // `ImageIds.N=<id, percent-encoded>`: the name is all unreserved characters.
            Method::Get => {
                sign::push_decimal(&mut scratch, index as i64);
                "ImageIds.=".len() + scratch.len() + query::encoded_len(id)
            }
            Method::Post => {
                json::write_string(id, &mut scratch);
                scratch.len()
            }
        }
    };
    let mut chunks = Vec::new();
    let (mut count, mut size) = (0usize, empty_len);
    for id in ids {
        let mut added = cost(count, id) + 1 - if count == 0 { first_saves } else { 0 };
        if count > 0 && (count == delete_images::MAX_IMAGE_IDS_PER_CALL || size + added > limit) {
            chunks.push(count);
            (count, size) = (0, empty_len);
            added = cost(0, id) + 1 - first_saves;
        }
        count += 1;
        size += added;
    }
    if count > 0 {
        chunks.push(count);
    }
    chunks
}

/// Builds a call of any action with parameters as given: they must be an object (absent means
/// `{}`) of values JSON can carry. Action, parameters and options are checked together, so every
/// problem is reported at once.
pub fn build_generic(
    action: &str,
    params: Option<Value>,
    options: Result<RequestOptions, ValidationError>,
    cache: Option<&mut SigningKeyCache>,
) -> Result<SignedRequest, ValidationError> {
    let mut problems = Problems::new();
    problems.check(sign::check_action(action));
    let params = problems.check(generic_params(params));
    let options = problems.check(options);
    match (params, options) {
        (Some(params), Some(options)) if problems.is_empty() => {
            build(action, &params, &options, cache)
        }
        _ => problems.finish(None),
    }
}

/// The parameters of a call of any action, as given: an object (absent means `{}`) of values
/// JSON can carry.
pub(crate) fn generic_params(params: Option<Value>) -> Result<Value, ValidationError> {
    match params {
        None => Ok(Value::Object(Object::new())),
        Some(Value::Object(map)) => {
            let params = Value::Object(map);
            match json::find_unsupported(&params, "") {
                Some((field, kind)) => Err(ValidationError::wrong_type(
                    &field,
                    "a JSON value (string, number, boolean, null, array or object)",
                    kind.describe(),
                )),
                None => Ok(params),
            }
        }
        Some(other) => Err(ValidationError::wrong_type(
            "params",
            "an object",
            other.kind(),
        )),
    }
}

/// Validates, serialises and signs a DeleteImages call; parameter and option problems are
/// reported together.
pub fn build_delete_images_checked(
    params: Value,
    options: Result<RequestOptions, ValidationError>,
    cache: Option<&mut SigningKeyCache>,
) -> Result<SignedRequest, ValidationError> {
    let mut problems = Problems::new();
    let params = problems.check(DeleteImagesParams::read(params));
    let options = problems.check(options);
    match (params, options) {
        (Some(params), Some(options)) => {
            build(delete_images::ACTION, &params.to_value(), &options, cache)
        }
        _ => problems.finish(None),
    }
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
            req.signing.tc3().unwrap().hashed_payload,
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
            Some(req.signing.tc3().unwrap().authorization.as_str())
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
            .tc3()
            .unwrap()
            .canonical_request
            .starts_with(&format!("GET\n/\n{query}\n")));
        assert!(req
            .signing
            .tc3()
            .unwrap()
            .canonical_request
            .contains("\nx-tc-action:deleteimages\n"));
        assert_eq!(header(&req, "Content-Type"), Some(FORM_CONTENT_TYPE));
        assert_eq!(header(&req, "X-TC-Token"), Some("tok"));
        assert_eq!(header(&req, "X-TC-Language"), Some("en-US"));
    }

    #[test]
    fn every_request_says_it_follows_no_redirect() {
        for extra in [
            "",
            r#", "method": "GET""#,
            r#", "signMethod": "HmacSHA256""#,
            r#", "signMethod": "HmacSHA1", "method": "GET""#,
        ] {
            let req =
                build_delete_images(&params(r#"{"ImageIds": ["img-a"]}"#), &options(extra), None)
                    .unwrap();
            assert_eq!(req.redirect, "manual", "{extra}");
        }
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
            .tc3()
            .unwrap()
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
            .tc3()
            .unwrap()
            .canonical_request
            .contains("\nhost:127.0.0.1:8080\n"));
    }

    /// The size [`build`] checks for DeleteImages `params`: the GET query or the POST body.
    fn sent_len(params: &DeleteImagesParams, method: Method) -> usize {
        match method {
            Method::Get => query::encode(&query::flatten(&params.to_value())).len(),
            Method::Post => json::to_string(&params.to_value()).len(),
        }
    }

    #[test]
    fn bulk_chunks_are_as_large_as_the_size_limit_allows_and_no_larger() {
        // Ids of 1 to 128 bytes, ASCII or three-byte characters (`%XX` three times in a query)
        // or characters JSON escapes, from a fixed-seed generator.
        let mut seed = 0x2545_f491_u64;
        let mut next = move |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % n
        };
        let alphabet = ["a", "Z", "9", "-", "中", "\"", "~", "/"];
        let mut cases = 0;
        for round in 0..60 {
            let ids: Vec<String> = (0..next(400) + 1)
                .map(|i| {
                    let mut id = format!("img-{i}");
                    let len = 4 + next(124) as usize;
                    while id.len() < len {
                        id.push_str(alphabet[next(alphabet.len() as u64) as usize]);
                    }
                    while id.len() > delete_images::MAX_IMAGE_ID_LEN {
                        id.pop();
                    }
                    id
                })
                .collect();
            let method = if round % 2 == 0 {
                Method::Get
            } else {
                Method::Post
            };
            let limit = match method {
                Method::Get => MAX_GET_BYTES,
                Method::Post => MAX_POST_BYTES,
            };
            // POST's 10 MB is out of reach of 100 ids: a reserve brings its limit within reach.
            let reserve = match method {
                Method::Get => [0, 1000, 20_000][round % 3],
                Method::Post => MAX_POST_BYTES - 3000 - 200 * (round % 7),
            };
            let shared = DeleteImagesParams {
                image_ids: Vec::new(),
                dry_run: [None, Some(true), Some(false)][round % 3],
                delete_binded_snap: [None, Some(false)][round % 2],
            };
            let lengths = chunk_delete_images(&ids, &shared, method, reserve);
            assert_eq!(lengths.iter().sum::<usize>(), ids.len());
            let mut start = 0;
            for &n in &lengths {
                let chunk = |n: usize| DeleteImagesParams {
                    image_ids: ids[start..start + n].to_vec(),
                    ..shared.clone()
                };
                assert!((1..=delete_images::MAX_IMAGE_IDS_PER_CALL).contains(&n));
                assert!(sent_len(&chunk(n), method) <= limit - reserve);
                if n < delete_images::MAX_IMAGE_IDS_PER_CALL && start + n < ids.len() {
                    // Cut by size: one more id would not have fitted.
                    assert!(sent_len(&chunk(n + 1), method) > limit - reserve);
                }
                if method == Method::Get && reserve == 0 {
                    let built = build_delete_images(
                        &chunk(n).to_value(),
                        &options(r#", "method": "GET""#),
                        None,
                    );
                    assert!(built.is_ok(), "{:?}", built.err());
                }
                start += n;
                cases += 1;
            }
        }
        assert!(cases > 100, "{cases} chunks");
        // The issue's case: 100 ids of 40 three-byte characters overflow a GET query (37 KB).
        let ids: Vec<String> = (0..100)
            .map(|i| format!("img-{}{i:02}", "中".repeat(40)))
            .collect();
        let shared = DeleteImagesParams {
            image_ids: Vec::new(),
            dry_run: None,
            delete_binded_snap: None,
        };
        assert_eq!(chunk_delete_images(&ids, &shared, Method::Get, 0), [86, 14]);
        assert_eq!(chunk_delete_images(&ids, &shared, Method::Post, 0), [100]);
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
    fn v1_post_sends_the_form_it_signs_and_nothing_else() {
        let req = build_delete_images(
            &params(r#"{"ImageIds": ["img-b", "img-a&b"], "DryRun": true}"#),
            &options(
                r#", "signMethod": "HmacSHA256", "nonce": 7, "token": "tok", "language": "en-US""#,
            ),
            None,
        )
        .unwrap();
        let v1 = req.signing.v1().unwrap();
        assert_eq!(
            v1.string_to_sign,
            "POSTcvm.tencentcloudapi.com/?Action=DeleteImages&DryRun=true&ImageIds.0=img-b\
             &ImageIds.1=img-a&b&Language=en-US&Nonce=7&Region=ap-guangzhou\
             &SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&SignatureMethod=HmacSHA256\
             &Timestamp=1551113065&Token=tok&Version=2017-03-12"
        );
        assert_eq!(req.url, "https://cvm.tencentcloudapi.com/");
        let body = req.body.as_deref().unwrap();
        assert!(body
            .starts_with("Action=DeleteImages&DryRun=true&ImageIds.0=img-b&ImageIds.1=img-a%26b&"));
        let mut signature = String::from("&Signature=");
        query::percent_encode(&v1.signature, &mut signature);
        assert!(body.ends_with(&signature), "{body}");
        assert_eq!(
            req.headers,
            [("Content-Type", FORM_CONTENT_TYPE.to_owned())]
        );
        assert!(!v1.string_to_sign.contains("Gu5t9x") && !body.contains("Gu5t9x"));
    }

    #[test]
    fn v1_refuses_what_only_tc3_signs() {
        let generic = |extra: &str| {
            let text = format!(
                r#"{{"secretId": "AKIDx", "secretKey": "s", "region": "ap-guangzhou", "signMethod": "HmacSHA1" {extra}}}"#
            );
            RequestOptions::from_value(json::parse(&text).unwrap(), || 0, true)
        };
        let e = generic(r#", "service": "cbs""#).unwrap_err();
        assert_eq!(
            (e.field(), e.code()),
            ("service", ValidationCode::InvalidParameter)
        );
        assert!(e.message().contains("v1"), "{e}");
        assert!(generic(r#", "signAction": false"#).is_ok());
        assert!(generic("").is_ok());
        assert_eq!(options(r#", "service": "cbs""#).service, "cbs");
    }

    #[test]
    fn v1_refuses_a_name_given_twice_after_flattening() {
        let v1 = options(r#", "signMethod": "HmacSHA1", "nonce": 1"#);
        let e = build(
            "DescribeImages",
            &params(r#"{"ImageIds": ["a"], "ImageIds.0": "b"}"#),
            &v1,
            None,
        )
        .unwrap_err();
        assert_eq!(
            (e.field(), e.code()),
            ("params.ImageIds.0", ValidationCode::InvalidParameter)
        );
        let ok = build(
            "DescribeImages",
            &params(r#"{"ImageIds": ["a"], "ImageIds.1": "b"}"#),
            &v1,
            None,
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn v1_options_are_checked() {
        use ValidationCode::*;
        for (extra, field, code) in [
            (
                r#", "signMethod": "hmacsha1""#,
                "signMethod",
                InvalidParameterValue,
            ),
            (r#", "signMethod": 1"#, "signMethod", InvalidParameter),
            (
                r#", "signMethod": "HmacSHA1", "nonce": 0"#,
                "nonce",
                InvalidParameterValue,
            ),
            (
                r#", "signMethod": "HmacSHA1", "nonce": 2147483648"#,
                "nonce",
                InvalidParameterValue,
            ),
            (
                r#", "signMethod": "HmacSHA1", "nonce": 1.5"#,
                "nonce",
                InvalidParameterValue,
            ),
            (
                r#", "signMethod": "HmacSHA1", "nonce": "1""#,
                "nonce",
                InvalidParameter,
            ),
            (r#", "nonce": 5"#, "nonce", InvalidParameter),
            (
                r#", "signMethod": "HmacSHA256", "signAction": true"#,
                "signAction",
                InvalidParameter,
            ),
            (
                r#", "signmethod": "HmacSHA1""#,
                "signmethod",
                UnknownParameter,
            ),
        ] {
            let e = option_error(extra);
            assert_eq!((e.field(), e.code()), (field, code), "{extra}");
        }
        assert!(option_error(r#", "signmethod": "HmacSHA1""#)
            .message()
            .contains("signMethod"));
        let collide = build(
            "DescribeImages",
            &params(r#"{"Nonce": 1, "Filters": [{"Name": "x"}]}"#),
            &options(r#", "signMethod": "HmacSHA1""#),
            None,
        )
        .unwrap_err();
        assert_eq!(
            (collide.field(), collide.code()),
            ("params.Nonce", InvalidParameter)
        );
    }

    #[test]
    fn v1_draws_a_fresh_nonce_and_keeps_size_limits() {
        let nonce = |req: &SignedRequest| {
            let s = &req.signing.v1().unwrap().string_to_sign;
            s.split('&')
                .find_map(|p| p.strip_prefix("Nonce="))
                .unwrap()
                .parse::<u32>()
                .unwrap()
        };
        let o = options(r#", "signMethod": "HmacSHA1", "method": "GET""#);
        let a = build_delete_images(&params(r#"{"ImageIds": ["img-a"]}"#), &o, None).unwrap();
        let b = build_delete_images(&params(r#"{"ImageIds": ["img-a"]}"#), &o, None).unwrap();
        assert!(nonce(&a) >= 1 && nonce(&b) >= 1);
        assert_ne!((nonce(&a), &a.url), (nonce(&b), &b.url));
        assert!(!a
            .signing
            .v1()
            .unwrap()
            .string_to_sign
            .contains("SignatureMethod"));
        let big = format!(r#"{{"Blob": "{}"}}"#, "x".repeat(MAX_GET_BYTES));
        let e = build("DescribeImages", &params(&big), &o, None).unwrap_err();
        assert_eq!(e.code(), ValidationCode::RequestSizeLimitExceeded);
        let post = options(r#", "signMethod": "HmacSHA1""#);
        assert!(build("DescribeImages", &params(&big), &post, None).is_ok());
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
