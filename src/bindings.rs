//! The `#[wasm_bindgen]` facade: JavaScript values in, core calls, JavaScript values out.
//!
//! Nothing here decides anything: it converts arguments (naming the field when a value cannot
//! be represented), calls the core, and turns results into plain objects and errors into plain
//! `{ kind, … }` objects that the package's JavaScript layer rethrows as `ValidationError` or
//! `TencentCloudError`. No function here can panic on input.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::ValidationError;
use crate::json::{self, Number, Value};
use crate::policy::{self, RateLimiter as CoreRateLimiter};
use crate::request::{self, RequestOptions, SignedRequest};
use crate::response::{self, ApiError};
use crate::sign::{self, SigningKeyCache, SigningOutput};
use crate::sign_input::SignTc3Input;
use crate::{catalogue, delete_images, region};

thread_local! {
    static SIGNING_KEYS: RefCell<SigningKeyCache> = RefCell::new(SigningKeyCache::new());
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
}

/// Deepest nesting accepted in parameters.
const MAX_DEPTH: u32 = 32;
/// Most values (array items and object fields, all levels) accepted in one argument.
const MAX_NODES: usize = 20_000;

type JsResult = Result<JsValue, JsValue>;

// ---- JavaScript values → JSON values ----

struct Walker {
    nodes: usize,
}

impl Walker {
    fn convert(value: &JsValue, path: &str) -> Result<Value, ValidationError> {
        let mut walker = Walker { nodes: 0 };
        match walker.walk(value, path, 0)? {
            Some(v) => Ok(v),
            None => Err(ValidationError::wrong_type(path, "an object", "undefined")),
        }
    }

    /// `None` for `undefined` (an absent optional field).
    fn walk(
        &mut self,
        value: &JsValue,
        path: &str,
        depth: u32,
    ) -> Result<Option<Value>, ValidationError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(ValidationError::new(
                path,
                crate::error::ValidationCode::InvalidParameterValue,
                format!("{path} holds more than {MAX_NODES} values"),
            ));
        }
        if value.is_undefined() {
            return Ok(None);
        }
        if value.is_null() {
            return Ok(Some(Value::Null));
        }
        if let Some(b) = value.as_bool() {
            return Ok(Some(Value::Bool(b)));
        }
        if let Some(x) = value.as_f64() {
            return number(value, x, path).map(Some);
        }
        if value.is_string() {
            return string(value, path).map(|s| Some(Value::String(s)));
        }
        if value.is_bigint() || value.is_symbol() || value.is_function() {
            let kind = if value.is_bigint() {
                "a BigInt"
            } else if value.is_symbol() {
                "a Symbol"
            } else {
                "a function"
            };
            return Err(ValidationError::wrong_type(path, "a JSON value", kind));
        }
        if depth >= MAX_DEPTH {
            return Err(ValidationError::new(
                path,
                crate::error::ValidationCode::InvalidParameter,
                format!("{path} is nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        if Array::is_array(value) {
            let len = get(value, &JsValue::from_str("length"), path)?
                .as_f64()
                .unwrap_or(0.0);
            if !(0.0..=MAX_NODES as f64).contains(&len) {
                return Err(ValidationError::new(
                    path,
                    crate::error::ValidationCode::InvalidParameterValue,
                    format!("{path} holds more than {MAX_NODES} values"),
                ));
            }
            let mut items = Vec::with_capacity(len as usize);
            for i in 0..len as u32 {
                let item_path = format!("{path}.{i}");
                let item = get(value, &JsValue::from(i), &item_path)?;
                match self.walk(&item, &item_path, depth + 1)? {
                    Some(v) => items.push(v),
                    None => {
                        return Err(ValidationError::wrong_type(
                            &item_path,
                            "a value",
                            "undefined",
                        ))
                    }
                }
            }
            return Ok(Some(Value::Array(items)));
        }
        let keys = object_keys(value).map_err(|e| thrown(path, &e))?;
        let mut map = json::Object::new();
        for key in keys.iter() {
            let name = key.as_string().unwrap_or_default();
            let field = if depth == 0 {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            let item = get(value, &key, &field)?;
            if let Some(v) = self.walk(&item, &field, depth + 1)? {
                map.insert(name, v);
            }
        }
        Ok(Some(Value::Object(map)))
    }
}

fn get(target: &JsValue, key: &JsValue, path: &str) -> Result<JsValue, ValidationError> {
    Reflect::get(target, key).map_err(|e| thrown(path, &e))
}

/// A getter or proxy trap threw while reading the argument.
fn thrown(path: &str, error: &JsValue) -> ValidationError {
    let detail = Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .map(|m| format!(": {}", crate::error::quote(&m)))
        .unwrap_or_default();
    ValidationError::new(
        path,
        crate::error::ValidationCode::InvalidParameter,
        format!("{path} could not be read (a getter or proxy threw{detail})"),
    )
}

/// A JavaScript number as JSON text: integers directly, other numbers as JavaScript prints
/// them (`Number.prototype.toString`, which is also what `JSON.stringify` writes).
fn number(value: &JsValue, x: f64, path: &str) -> Result<Value, ValidationError> {
    const SAFE: f64 = 9_007_199_254_740_991.0;
    if !x.is_finite() {
        return Err(ValidationError::wrong_type(
            path,
            "a finite number",
            "NaN or Infinity",
        ));
    }
    if x.fract() == 0.0 && x.abs() <= SAFE {
        return Ok(Value::Number(Number::from_i64(x as i64)));
    }
    let text = value
        .unchecked_ref::<js_sys::Number>()
        .to_string_with_radix(10)
        .ok()
        .and_then(|t| t.as_string())
        .and_then(|t| Number::parse(&t));
    text.map(Value::Number).ok_or_else(|| {
        ValidationError::wrong_type(path, "a finite number", "an unprintable number")
    })
}

fn string(value: &JsValue, path: &str) -> Result<String, ValidationError> {
    let s = value.as_string().unwrap_or_default();
    // The UTF-8 conversion replaces lone surrogates with U+FFFD; refuse them rather than sign a
    // silently changed value. Only strings with a U+FFFD need the (slower) check.
    if s.contains('\u{FFFD}') && !is_well_formed(value) {
        return Err(ValidationError::new(
            path,
            crate::error::ValidationCode::InvalidParameterValue,
            format!("{path} contains an unpaired UTF-16 surrogate"),
        ));
    }
    Ok(s)
}

/// `String.prototype.isWellFormed` where the runtime has it (older browsers: assume yes).
fn is_well_formed(value: &JsValue) -> bool {
    let Ok(method) = Reflect::get(value, &JsValue::from_str("isWellFormed")) else {
        return true;
    };
    let Some(method) = method.dyn_ref::<js_sys::Function>() else {
        return true;
    };
    method
        .call0(value)
        .map_or(true, |r| r.as_bool() != Some(false))
}

fn string_arg(value: &JsValue, path: &str) -> Result<String, ValidationError> {
    if !value.is_string() {
        let got = if value.is_undefined() {
            "undefined"
        } else {
            js_kind(value)
        };
        return Err(ValidationError::wrong_type(path, "a string", got));
    }
    string(value, path)
}

fn js_kind(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_bigint() {
        "a BigInt"
    } else if value.is_symbol() {
        "a Symbol"
    } else if value.is_function() {
        "a function"
    } else if Array::is_array(value) {
        "an array"
    } else {
        "an object"
    }
}

// ---- results and errors → JavaScript values ----

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

fn signing_object(s: &SigningOutput) -> JsValue {
    object(&[
        ("authorization", s.authorization.as_str().into()),
        ("signature", s.signature.as_str().into()),
        ("canonicalRequest", s.canonical_request.as_str().into()),
        ("stringToSign", s.string_to_sign.as_str().into()),
        ("credentialScope", s.credential_scope.as_str().into()),
        ("signedHeaders", s.signed_headers.as_str().into()),
        ("hashedPayload", s.hashed_payload.as_str().into()),
    ])
}

fn request_object(r: &SignedRequest) -> JsValue {
    let headers = Object::new();
    for (name, value) in &r.headers {
        let _ = Reflect::set(
            &headers,
            &JsValue::from_str(name),
            &JsValue::from_str(value),
        );
    }
    let mut fields = vec![
        ("url", JsValue::from_str(&r.url)),
        ("method", r.method.as_str().into()),
        ("headers", headers.into()),
    ];
    if let Some(body) = &r.body {
        fields.push(("body", body.as_str().into()));
    }
    let obj = object(&fields);
    // The signing stages ride along, not enumerable, so `fetch(req.url, req)` and
    // `JSON.stringify(req)` see only the request; explain views read `req.signing`.
    let descriptor = object(&[
        ("value", signing_object(&r.signing)),
        ("enumerable", false.into()),
    ]);
    let target: &Object = obj.unchecked_ref();
    let descriptor: &Object = descriptor.unchecked_ref();
    Object::define_property(target, &JsValue::from_str("signing"), descriptor);
    obj
}

fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

fn status_arg(status: &JsValue) -> Result<u16, ValidationError> {
    match status.as_f64() {
        Some(s) if s.fract() == 0.0 && (100.0..=599.0).contains(&s) => Ok(s as u16),
        _ => Err(ValidationError::new(
            "status",
            crate::error::ValidationCode::InvalidParameter,
            "status must be an HTTP status code (an integer from 100 to 599)",
        )),
    }
}

fn sign_with_cache(
    f: impl FnOnce(&mut SigningKeyCache) -> Result<SignedRequest, ValidationError>,
) -> Result<SignedRequest, ValidationError> {
    SIGNING_KEYS.with(|cache| match cache.try_borrow_mut() {
        Ok(mut cache) => f(&mut cache),
        Err(_) => f(&mut SigningKeyCache::new()),
    })
}

// ---- exports ----

/// `signTc3(input)`: every stage of a TC3-HMAC-SHA256 signature.
#[wasm_bindgen(js_name = signTc3)]
pub fn sign_tc3(input: JsValue) -> JsResult {
    let run = || -> Result<JsValue, ValidationError> {
        let input = SignTc3Input::from_value(Walker::convert(&input, "input")?)?;
        let out = SIGNING_KEYS.with(|cache| match cache.try_borrow_mut() {
            Ok(mut cache) => sign::sign(&input.params(), Some(&mut cache)),
            Err(_) => sign::sign(&input.params(), None),
        })?;
        Ok(signing_object(&out))
    };
    run().map_err(validation_error)
}

/// `buildDeleteImages(params, options)`: validated, serialised, signed.
#[wasm_bindgen(js_name = buildDeleteImages)]
pub fn build_delete_images(params: JsValue, options: JsValue) -> JsResult {
    let run = || -> Result<JsValue, ValidationError> {
        let params = Walker::convert(&params, "params")?;
        let options =
            RequestOptions::from_value(Walker::convert(&options, "options")?, now_seconds, false)?;
        let req =
            sign_with_cache(|cache| request::build_delete_images(&params, &options, Some(cache)))?;
        Ok(request_object(&req))
    };
    run().map_err(validation_error)
}

/// `buildRequest(action, params, options)`: any CVM action, parameters as given.
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(action: JsValue, params: JsValue, options: JsValue) -> JsResult {
    let run = || -> Result<JsValue, ValidationError> {
        let action = string_arg(&action, "action")?;
        let params = match Walker::convert(&params, "params") {
            Err(_) if params.is_undefined() => Value::Object(json::Object::new()),
            other => other?,
        };
        if params.as_object().is_none() {
            return Err(ValidationError::wrong_type(
                "params",
                "an object",
                delete_images::kind(&params),
            ));
        }
        let options =
            RequestOptions::from_value(Walker::convert(&options, "options")?, now_seconds, true)?;
        let req = sign_with_cache(|cache| request::build(&action, &params, &options, Some(cache)))?;
        Ok(request_object(&req))
    };
    run().map_err(validation_error)
}

/// `validateDeleteImages(params)`: the normalised parameters.
#[wasm_bindgen(js_name = validateDeleteImages)]
pub fn validate_delete_images(params: JsValue) -> JsResult {
    let run = || -> Result<JsValue, ValidationError> {
        let params =
            delete_images::DeleteImagesParams::from_value(&Walker::convert(&params, "params")?)?;
        let ids = Array::new();
        for id in &params.image_ids {
            ids.push(&JsValue::from_str(id));
        }
        let mut fields = vec![("ImageIds", JsValue::from(ids))];
        if let Some(b) = params.dry_run {
            fields.push(("DryRun", b.into()));
        }
        if let Some(b) = params.delete_binded_snap {
            fields.push(("DeleteBindedSnap", b.into()));
        }
        Ok(object(&fields))
    };
    run().map_err(validation_error)
}

/// `validateRegion(region)`: the region, or a `ValidationError` on `region`.
#[wasm_bindgen(js_name = validateRegion)]
pub fn validate_region(value: JsValue) -> JsResult {
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

fn decode(status: JsValue, body: JsValue) -> Result<(String, String, bool), JsValue> {
    let status = status_arg(&status).map_err(validation_error)?;
    let body = string_arg(&body, "bodyText").map_err(validation_error)?;
    match response::decode(status, &body) {
        Ok(ok) => Ok((
            ok.request_id.clone(),
            ok.response_json(),
            ok.dry_run_operation,
        )),
        Err(e) => Err(api_error(&e)),
    }
}

/// `decodeDeleteImages(status, bodyText)`: `{ RequestId }` or a thrown error.
#[wasm_bindgen(js_name = decodeDeleteImages)]
pub fn decode_delete_images(status: JsValue, body: JsValue) -> JsResult {
    let (request_id, _, dry_run) = decode(status, body)?;
    let mut fields = vec![("RequestId", JsValue::from_str(&request_id))];
    if dry_run {
        fields.push(("DryRunOperation", true.into()));
    }
    Ok(object(&fields))
}

/// `decodeResponse(status, bodyText)`: the `Response` object of any action, or a thrown error.
#[wasm_bindgen(js_name = decodeResponse)]
pub fn decode_response(status: JsValue, body: JsValue) -> JsResult {
    let (_, response, dry_run) = decode(status, body)?;
    let value = js_sys::JSON::parse(&response)?;
    if dry_run {
        let _ = Reflect::set(&value, &JsValue::from_str("DryRunOperation"), &true.into());
    }
    Ok(value)
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

/// `parseHttpDate(value)`: Unix seconds, or `undefined`.
#[wasm_bindgen(js_name = parseHttpDate)]
pub fn parse_http_date(value: JsValue) -> Option<f64> {
    policy::parse_http_date(&value.as_string()?).map(|s| s as f64)
}

/// A sliding-window rate limiter (`new RateLimiter(limit, windowMs)`; `reserve(nowMs)`).
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

    /// Reserves the next slot; returns the milliseconds to wait before sending.
    pub fn reserve(&mut self, now_ms: f64) -> f64 {
        self.0.reserve(now_ms)
    }
}

/// Constants for the JavaScript layer.
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
    ])
}
