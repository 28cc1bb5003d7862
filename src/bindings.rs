//! The `#[wasm_bindgen]` facade: JSON text and scalars in, core calls, JSON text out.
//!
//! Object arguments arrive as one JSON string each (written by the package's JavaScript layer,
//! see [`crate::argument`]) and results leave as one JSON string, because each value that
//! crosses the boundary costs a call and a UTF-8 conversion: for `signTc3` this halves the time
//! of passing fields one by one. Errors leave as plain `{ kind, … }` objects that the JavaScript
//! layer rethrows as `ValidationError` or `TencentCloudError`. Nothing here decides anything,
//! and no function here can panic on input.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use zeroize::Zeroize;

use crate::argument;
use crate::error::{ValidationCode, ValidationError};
use crate::json::{self, Value};
use crate::policy::{self, RateLimiter as CoreRateLimiter};
use crate::request::{self, RequestOptions, SignedRequest};
use crate::response::{self, ApiError};
use crate::sign::{self, SigningKeyCache, SigningOutput};
use crate::sign_input::SignTc3Input;
use crate::{catalogue, delete_images, region};

thread_local! {
    static SIGNING_KEYS: RefCell<SigningKeyCache> = RefCell::new(SigningKeyCache::new());
}

type JsonResult = Result<String, JsValue>;

// ---- errors → JavaScript values ----

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (name, value) in fields {
        let _ = Reflect::set(&obj, &JsValue::from_str(name), value);
    }
    obj.into()
}

fn validation_error(e: ValidationError) -> JsValue {
    object(&[
        ("kind", "ValidationError".into()),
        ("field", e.field().into()),
        ("code", e.code().as_str().into()),
        ("message", e.message().into()),
    ])
}

fn api_error(e: &ApiError) -> JsValue {
    object(&[
        ("kind", "TencentCloudError".into()),
        ("code", e.code.as_str().into()),
        ("message", e.message.as_str().into()),
        ("requestId", e.request_id.as_str().into()),
        ("httpStatus", e.http_status.into()),
        ("retryable", e.retryable.into()),
        ("description", e.description.into()),
    ])
}

// ---- results → NUL-separated fields ----
//
// Signed requests and signing stages leave as fields joined by NUL: none of them can hold one (the
// stages and headers are validated printable ASCII, the URL is percent-encoded, the body is our
// JSON, which escapes control characters), and splitting on NUL costs JavaScript a fraction of
// `JSON.parse` on text full of escaped newlines. The JavaScript layer (pkg/src/core.js,
// `stagesFrom` and `signedRequest`) reads the same layout:
//   stages:  authorization, signature, canonicalRequest, stringToSign, credentialScope,
//            signedHeaders, hashedPayload
//   request: url, method, body ("" for GET), header count N, N × (name, value), then the stages

const SEP: char = '\0';

fn push_fields(out: &mut String, fields: &[&str]) {
    for field in fields {
        out.push_str(field);
        out.push(SEP);
    }
}

fn push_stages(out: &mut String, s: &SigningOutput) {
    push_fields(
        out,
        &[
            &s.authorization,
            &s.signature,
            &s.canonical_request,
            &s.string_to_sign,
            &s.credential_scope,
            &s.signed_headers,
            &s.hashed_payload,
        ],
    );
}

fn request_text(r: &SignedRequest) -> String {
    let mut out =
        String::with_capacity(r.url.len() + r.body.as_ref().map_or(0, String::len) + 1024);
    let count = r.headers.len().to_string();
    push_fields(
        &mut out,
        &[
            &r.url,
            r.method.as_str(),
            r.body.as_deref().unwrap_or(""),
            &count,
        ],
    );
    for (name, value) in &r.headers {
        push_fields(&mut out, &[name, value]);
    }
    push_stages(&mut out, &r.signing);
    out
}

// ---- arguments ----

fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

fn options_arg(mut text: String, generic: bool) -> Result<RequestOptions, ValidationError> {
    let value = argument::read(&text, "options");
    // The options carry the secret key: wipe this copy once parsed.
    text.zeroize();
    RequestOptions::from_value(value?, now_seconds, generic)
}

fn string_arg(value: &JsValue, field: &str) -> Result<String, ValidationError> {
    value.as_string().ok_or_else(|| {
        ValidationError::wrong_type(
            field,
            "a string",
            if value.is_undefined() {
                "undefined"
            } else {
                "another type"
            },
        )
    })
}

fn status_arg(status: &JsValue) -> Result<u16, ValidationError> {
    match status.as_f64() {
        Some(s) if s.fract() == 0.0 && (100.0..=599.0).contains(&s) => Ok(s as u16),
        _ => Err(ValidationError::new(
            "status",
            ValidationCode::InvalidParameter,
            "status must be an HTTP status code (an integer from 100 to 599)",
        )),
    }
}

fn with_cache<T>(f: impl FnOnce(Option<&mut SigningKeyCache>) -> T) -> T {
    SIGNING_KEYS.with(|cache| match cache.try_borrow_mut() {
        Ok(mut cache) => f(Some(&mut cache)),
        Err(_) => f(None),
    })
}

// ---- exports ----

/// `signTc3(inputJson)`: every stage of a TC3-HMAC-SHA256 signature, NUL-separated.
#[wasm_bindgen(js_name = signTc3)]
pub fn sign_tc3(mut input: String) -> JsonResult {
    let value = argument::read(&input, "input");
    input.zeroize();
    let run = || -> Result<String, ValidationError> {
        let input = SignTc3Input::from_value(value?)?;
        let out = with_cache(|cache| sign::sign(&input.params(), cache))?;
        let mut text = String::with_capacity(1024);
        push_stages(&mut text, &out);
        Ok(text)
    };
    run().map_err(validation_error)
}

/// `buildDeleteImages(paramsJson, optionsJson)`: validated, serialised, signed (request fields,
/// then the stages).
#[wasm_bindgen(js_name = buildDeleteImages)]
pub fn build_delete_images(params: String, options: String) -> JsonResult {
    let run = || -> Result<String, ValidationError> {
        let params = argument::read(&params, "params")?;
        let options = options_arg(options, false)?;
        let req = with_cache(|cache| request::build_delete_images(&params, &options, cache))?;
        Ok(request_text(&req))
    };
    run().map_err(validation_error)
}

/// `buildRequest(action, paramsJson, optionsJson)`: any CVM action, parameters as given.
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(action: JsValue, params: String, options: String) -> JsonResult {
    let run = || -> Result<String, ValidationError> {
        let action = string_arg(&action, "action")?;
        let params = if params.is_empty() {
            Value::Object(json::Object::new())
        } else {
            argument::read(&params, "params")?
        };
        if params.as_object().is_none() {
            return Err(ValidationError::wrong_type(
                "params",
                "an object",
                delete_images::kind(&params),
            ));
        }
        let options = options_arg(options, true)?;
        let req = with_cache(|cache| request::build(&action, &params, &options, cache))?;
        Ok(request_text(&req))
    };
    run().map_err(validation_error)
}

/// `validateDeleteImages(paramsJson)`: the normalised parameters, as JSON.
#[wasm_bindgen(js_name = validateDeleteImages)]
pub fn validate_delete_images(params: String) -> JsonResult {
    let run = || -> Result<String, ValidationError> {
        let params =
            delete_images::DeleteImagesParams::from_value(&argument::read(&params, "params")?)?;
        Ok(json::to_string(&params.to_value()))
    };
    run().map_err(validation_error)
}

/// `validateRegion(region)`: the region, or a `ValidationError` on `region`.
#[wasm_bindgen(js_name = validateRegion)]
pub fn validate_region(value: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, ValidationError> {
        let r = string_arg(&value, "region")?;
        region::validate(&r, "region")?;
        Ok(JsValue::from_str(&r))
    };
    run().map_err(validation_error)
}

/// `isKnownRegion(region)`.
#[wasm_bindgen(js_name = isKnownRegion)]
pub fn is_known_region(value: JsValue) -> bool {
    value.as_string().is_some_and(|r| region::is_known(&r))
}

fn decode(status: &JsValue, body: &JsValue) -> Result<response::Success, JsValue> {
    let status = status_arg(status).map_err(validation_error)?;
    let body = string_arg(body, "bodyText").map_err(validation_error)?;
    response::decode(status, &body).map_err(|e| api_error(&e))
}

/// `decodeDeleteImages(status, bodyText)`: `{"RequestId"}` JSON, or a thrown error.
#[wasm_bindgen(js_name = decodeDeleteImages)]
pub fn decode_delete_images(status: JsValue, body: JsValue) -> JsonResult {
    let ok = decode(&status, &body)?;
    let mut o = json::Object::new();
    o.insert("RequestId".into(), Value::String(ok.request_id));
    if ok.dry_run_operation {
        o.insert("DryRunOperation".into(), Value::Bool(true));
    }
    Ok(json::to_string(&Value::Object(o)))
}

/// `decodeResponse(status, bodyText)`: the `Response` object of any action as JSON, or a
/// thrown error.
#[wasm_bindgen(js_name = decodeResponse)]
pub fn decode_response(status: JsValue, body: JsValue) -> JsonResult {
    let mut ok = decode(&status, &body)?;
    if ok.dry_run_operation {
        ok.response
            .insert("DryRunOperation".into(), Value::Bool(true));
    }
    Ok(json::to_string(&Value::Object(ok.response)))
}

/// `describeError(code)`: the catalogue entry.
#[wasm_bindgen(js_name = describeError)]
pub fn describe_error(code: JsValue) -> JsValue {
    let code = code.as_string().unwrap_or_default();
    let info = catalogue::lookup(&code);
    object(&[
        ("code", code.as_str().into()),
        ("description", info.map_or("", |i| i.description).into()),
        ("retryable", info.is_some_and(|i| i.retryable).into()),
        ("known", catalogue::is_known(&code).into()),
    ])
}

/// The closest of `candidates` to `input` (did-you-mean), if any is close.
#[wasm_bindgen(js_name = suggestName)]
pub fn suggest_name(input: &str, candidates: Vec<String>) -> Option<String> {
    let names: Vec<&str> = candidates.iter().map(String::as_str).collect();
    delete_images::closest(input, &names).map(str::to_owned)
}

/// `backoffDelayMs(attempt, baseMs, capMs, random01)`: full-jitter backoff.
#[wasm_bindgen(js_name = backoffDelayMs)]
pub fn backoff_delay_ms(attempt: f64, base_ms: f64, cap_ms: f64, random01: f64) -> f64 {
    let attempt = if attempt.is_finite() && attempt > 0.0 {
        attempt.min(1000.0) as u32
    } else {
        0
    };
    policy::backoff_delay_ms(attempt, base_ms, cap_ms, random01)
}

/// `parseHttpDate(value)`: Unix seconds, or `undefined`. Any of RFC 9110's three forms; the
/// clock only resolves the RFC 850 form's two-digit year.
#[wasm_bindgen(js_name = parseHttpDate)]
pub fn parse_http_date(value: JsValue) -> Option<f64> {
    policy::parse_http_date(&value.as_string()?, now_seconds()).map(|s| s as f64)
}

/// A sliding-window rate limiter: `new RateLimiter(limit, windowMs)`, then `delayMs(now)`,
/// `commit(now)` when sending and `settle(sentAt, answeredAt)` when the answer arrives.
#[wasm_bindgen]
pub struct RateLimiter(CoreRateLimiter);

#[wasm_bindgen]
impl RateLimiter {
    /// At most `limit` sends in any `window_ms`.
    #[wasm_bindgen(constructor)]
    pub fn new(limit: f64, window_ms: f64) -> RateLimiter {
        let limit = if limit.is_finite() && limit >= 1.0 {
            limit.min(1e6) as u32
        } else {
            1
        };
        RateLimiter(CoreRateLimiter::new(limit, window_ms))
    }

    /// Milliseconds to wait before a request may be sent (0: now).
    #[wasm_bindgen(js_name = delayMs)]
    pub fn delay_ms(&mut self, now_ms: f64) -> f64 {
        self.0.delay_ms(now_ms)
    }

    /// Records a request sent at `now_ms`.
    pub fn commit(&mut self, now_ms: f64) {
        self.0.commit(now_ms);
    }

    /// The request sent at `sent_ms` was answered or given up on at `answered_ms`.
    pub fn settle(&mut self, sent_ms: f64, answered_ms: f64) {
        self.0.settle(sent_ms, answered_ms);
    }
}

/// Constants for the JavaScript layer (read once by the build and inlined).
#[wasm_bindgen(js_name = constants)]
pub fn constants() -> JsValue {
    let regions = Array::new();
    for r in region::KNOWN_REGIONS {
        regions.push(&JsValue::from_str(r));
    }
    object(&[
        ("VERSION", crate::VERSION.into()),
        (
            "MAX_IMAGE_IDS_PER_CALL",
            (delete_images::MAX_IMAGE_IDS_PER_CALL as u32).into(),
        ),
        ("KNOWN_REGIONS", regions.into()),
        ("REQUEST_CLIENT", request::REQUEST_CLIENT.into()),
        ("UNSUPPORTED_MARKER", json::UNSUPPORTED_MARKER.into()),
    ])
}
