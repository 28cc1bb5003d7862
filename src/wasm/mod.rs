//! The `#[wasm_bindgen]` facade: one convention for everything that crosses.
//!
//! Structured values cross as text in the boundary format ([`crate::boundary`], whose other
//! half is pkg/src/boundary.js): each argument as one string, written by the JavaScript walk that
//! already visits its every value, read here once into the core's [`Value`]; each answer as one
//! string, `o` and the result or `e` and the error object, written from the core's serde types.
//! Strings, numbers and booleans that are arguments or results in their own right cross as
//! wasm-bindgen's own. The TypeScript names in `unchecked_param_type` / `unchecked_return_type`
//! are what the package's JavaScript layer takes and returns around these exports (tsify's
//! declarations of the same types). Errors leave as `{ kind, … }` objects that the JavaScript
//! layer throws as `ValidationError` or `TencentCloudError`. Nothing here decides anything, and
//! no function here can panic on input.
//!
//! One job, though long: the exports, each converting in, calling the core and converting out.

use std::cell::RefCell;

use serde::Serialize;
use wasm_bindgen::prelude::*;
use zeroize::{Zeroize, Zeroizing};

use crate::actions::delete_images::{self, DeleteImagesParams};
use crate::boundary::fixed as fast_input;
use crate::boundary::{self, Arguments, Mode};
use crate::client::call;
use crate::client::credentials;
use crate::client::options::ClientSettings;
use crate::client::policy::{self, RateLimiter as CoreRateLimiter};
use crate::input::error::{Problems, ValidationCode, ValidationError};
use crate::input::json::{self, ReadError, Value};
use crate::request::region;
use crate::request::{self, RequestOptions};
use crate::response::catalogue;
use crate::response::{self, ApiError};
use crate::sign::tc3_input::SignTc3Input;
use crate::sign::{self, SigningKeyCache};
use crate::VERSION;

thread_local! {
    static SIGNING_KEYS: RefCell<SigningKeyCache> = RefCell::new(SigningKeyCache::new());
    /// The fixed layout's buffer (src/boundary/fixed.rs), written by pkg/src/fixed-input.js.
    static FIXED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Non-integer numbers in request bodies are written by JavaScript's Number::toString
/// (JSON.stringify's number form), see [`json::set_float_format`]. Installed by every read of an
/// argument, before anything is built (a `start` function would not run under every loader:
/// wasm-bindgen-test-runner skips it).
fn install_float_format() {
    json::set_float_format(|f| {
        js_sys::Number::from(f)
            .to_string_with_radix(10)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "null".to_owned())
    });
}

// ---- the two directions ----

/// An answer: the result.
fn ok<T: Serialize + ?Sized>(value: &T) -> String {
    boundary::ok(value)
}

/// An answer: the error.
fn fail(e: ValidationError) -> String {
    boundary::error(&e)
}

/// One answer of either kind.
fn answer<T: Serialize>(result: Result<T, ValidationError>) -> String {
    match result {
        Ok(value) => ok(&value),
        Err(e) => fail(e),
    }
}

/// Runs `f`: the body of an export, where `?` ends the call with its error.
fn attempt<T>(f: impl FnOnce() -> Result<T, ValidationError>) -> Result<T, ValidationError> {
    f()
}

/// An argument's text → the core's value model; `field` names the argument in errors. The text
/// is the export's own (wasm-bindgen hands its buffer over) and is wiped here: it may hold a
/// secret key, which must not stay behind in freed memory.
fn read(text: String, field: &str) -> Result<Value, ValidationError> {
    install_float_format();
    let text = Zeroizing::new(text);
    Arguments::new(&text)
        .next(Mode::Lenient)
        .map_err(|e| read_error(e, field))
}

fn read_error(e: ReadError, field: &str) -> ValidationError {
    match e {
        ReadError::TooDeep => ValidationError::new(
            field,
            ValidationCode::InvalidParameter,
            format!(
                "{field} is nested more than {} levels deep",
                json::MAX_DEPTH
            ),
        ),
        ReadError::Invalid => ValidationError::wrong_type(
            field,
            "a plain object",
            "a value that cannot be read as JSON",
        ),
    }
}

fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

fn read_options(text: String, generic: bool) -> Result<RequestOptions, ValidationError> {
    RequestOptions::from_value(read(text, "options")?, now_seconds, generic)
}

fn with_cache<T>(f: impl FnOnce(Option<&mut SigningKeyCache>) -> T) -> T {
    SIGNING_KEYS.with(|cache| match cache.try_borrow_mut() {
        Ok(mut cache) => f(Some(&mut cache)),
        Err(_) => f(None),
    })
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

// ---- exports ----

/// Every stage of a TC3-HMAC-SHA256 signature.
#[wasm_bindgen(js_name = signTc3, unchecked_return_type = "SigningOutput")]
pub fn sign_tc3(#[wasm_bindgen(unchecked_param_type = "SignTc3Params")] input: String) -> String {
    answer(attempt(|| {
        let input = SignTc3Input::from_value(read(input, "input")?)?;
        with_cache(|cache| sign::sign(&input.params(), cache))
    }))
}

/// The fixed layout's buffer (src/boundary/fixed.rs), at least `bytes` long (at most 1 MiB): its
/// address in wasm memory, or 0 when it cannot be had.
#[wasm_bindgen(js_name = fixedInput)]
pub fn fixed_input(bytes: u32) -> u32 {
    let bytes = bytes as usize;
    if !(fast_input::HEADER..=1 << 20).contains(&bytes) {
        return 0;
    }
    FIXED.with(|buf| match buf.try_borrow_mut() {
        Ok(mut buf) => {
            if buf.len() < bytes {
                // A new buffer rather than a grown one: nothing of the old is copied (it is
                // wiped after every read anyway).
                buf.zeroize();
                *buf = vec![0; bytes];
            }
            buf.as_ptr() as u32
        }
        Err(_) => 0,
    })
}

/// The module's memory, where fixed-input.js writes the fixed layout.
#[wasm_bindgen(js_name = fixedMemory)]
pub fn fixed_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// `signTc3` of the input fixed-input.js wrote in the fixed layout: the seven strings of the
/// signature (their lengths in the buffer, see src/boundary/fixed.rs), or an answer in the boundary
/// format (`o…` or `e…`).
#[wasm_bindgen(js_name = signTc3Fixed)]
pub fn sign_tc3_fixed() -> String {
    FIXED.with(|buf| {
        let Ok(mut buf) = buf.try_borrow_mut() else {
            return fail(ValidationError::wrong_type(
                "input",
                "a plain object",
                "a value that cannot be read as JSON",
            ));
        };
        let signed = fast_input::read_sign_tc3(&mut buf)
            .and_then(SignTc3Input::from_read)
            .and_then(|input| with_cache(|cache| sign::sign(&input.params(), cache)));
        match signed {
            Ok(output) => {
                fast_input::write_signing_output(&output, &mut buf).unwrap_or_else(|| ok(&output))
            }
            Err(e) => fail(e),
        }
    })
}

/// A DeleteImages call: validated, serialised and signed; every problem of parameters and
/// options reported at once.
#[wasm_bindgen(js_name = buildDeleteImages, unchecked_return_type = "SignedRequest")]
pub fn build_delete_images(
    #[wasm_bindgen(unchecked_param_type = "DeleteImagesInput")] params: String,
    #[wasm_bindgen(unchecked_param_type = "RequestOptionsInput")] options: String,
) -> String {
    answer(attempt(|| {
        let params = read(params, "params");
        let options = read_options(options, false);
        let params = match params {
            Ok(p) => p,
            Err(mut e) => {
                if let Err(o) = options {
                    e.extend(o);
                }
                return Err(e);
            }
        };
        with_cache(|cache| request::build_delete_images_checked(params, options, cache))
    }))
}

/// A call of any CVM action, parameters as given (absent: `{}`).
#[wasm_bindgen(js_name = buildRequest, unchecked_return_type = "SignedRequest")]
pub fn build_request(
    #[wasm_bindgen(unchecked_param_type = "string")] action: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown> | undefined")] params: String,
    #[wasm_bindgen(unchecked_param_type = "GenericRequestOptionsInput")] options: String,
) -> String {
    answer(attempt(|| {
        let mut p = Problems::new();
        let action = p.check(string_arg(&action, "action"));
        let params = p.check(read(params, "params"));
        let options = read_options(options, true);
        match (action, params) {
            (Some(action), Some(params)) if p.is_empty() => {
                with_cache(|cache| request::build_generic(&action, Some(params), options, cache))
            }
            _ => {
                p.check(options);
                p.finish(None)
            }
        }
    }))
}

/// DeleteImages' parameters, validated and normalised (every problem at once).
#[wasm_bindgen(js_name = validateDeleteImages, unchecked_return_type = "DeleteImagesParams")]
#[cfg_attr(cvm_size, optimize(size))]
pub fn validate_delete_images(
    #[wasm_bindgen(unchecked_param_type = "DeleteImagesInput")] params: String,
) -> String {
    answer(read(params, "params").and_then(DeleteImagesParams::read))
}

/// Every problem of a DeleteImages call's parameters and options, found without signing
/// anything (an empty list: the call would be built). For forms that mark each field.
#[wasm_bindgen(js_name = checkDeleteImages, unchecked_return_type = "ValidationIssue[]")]
#[cfg_attr(cvm_size, optimize(size))]
pub fn check_delete_images(
    #[wasm_bindgen(unchecked_param_type = "unknown")] params: String,
    #[wasm_bindgen(unchecked_param_type = "unknown")] options: String,
) -> String {
    let mut p = Problems::new();
    if let Some(params) = p.check(read(params, "params")) {
        p.check(DeleteImagesParams::read(params));
    }
    p.check(read_options(options, false));
    match p.finish(Some(())) {
        Ok(()) => ok::<[(); 0]>(&[]),
        Err(e) => ok(&e.issues().collect::<Vec<_>>()),
    }
}

/// A `CvmClient`'s options, checked once (every problem at once, did-you-mean for typos); the
/// settings come back without the credentials.
#[wasm_bindgen(js_name = checkClientOptions, unchecked_return_type = "ClientSettings")]
#[cfg_attr(cvm_size, optimize(size))]
pub fn check_client_options(
    #[wasm_bindgen(unchecked_param_type = "ClientOptionsInput")] options: String,
) -> String {
    answer(read(options, "options").and_then(ClientSettings::from_value))
}

/// The region, or a `ValidationError` on `region`.
#[wasm_bindgen(js_name = validateRegion, unchecked_return_type = "string")]
#[cfg_attr(cvm_size, optimize(size))]
pub fn validate_region(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> String {
    answer(attempt(|| {
        let r = string_arg(&value, "region")?;
        region::validate(&r, "region")?;
        Ok(r)
    }))
}

/// True for a region this package knows (others of the right form are accepted too).
#[wasm_bindgen(js_name = isKnownRegion)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn is_known_region(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> bool {
    value.as_string().is_some_and(|r| region::is_known(&r))
}

#[cfg_attr(cvm_size, optimize(size))]
fn decode(
    status: JsValue,
    body: JsValue,
    parsed: String,
    redirect_origin: JsValue,
) -> Result<response::Success, String> {
    let status = match status.as_f64() {
        // 0: a browser's opaque redirect (`redirect: 'manual'`), read as ClientError.Redirect.
        Some(s) if s == 0.0 || (s.fract() == 0.0 && (100.0..=599.0).contains(&s)) => s as u16,
        _ => {
            return Err(fail(ValidationError::new(
                "status",
                ValidationCode::InvalidParameter,
                "status must be an HTTP status code (an integer from 100 to 599, or 0 for a browser's opaque redirect)",
            )))
        }
    };
    let body = string_arg(&body, "bodyText").map_err(fail)?;
    // `parsed` is what the runtime's JSON.parse made of the text; `undefined` when it threw.
    let parsed = Arguments::new(&parsed)
        .next_optional(Mode::Strict)
        .and_then(|v| v.ok_or(ReadError::Invalid));
    let redirect_origin = redirect_origin.as_string();
    response::decode_answer(status, &body, parsed, redirect_origin.as_deref())
        .map_err(|e| boundary::error(&e))
}

/// Decodes a DeleteImages answer (the package's `decodeDeleteImages` parses the text first;
/// its client passes where a redirect points, as an origin, when the runtime shows it).
#[wasm_bindgen(js_name = decodeDeleteImagesParsed, unchecked_return_type = "DeleteImagesResult")]
#[cfg_attr(cvm_size, optimize(size))]
pub fn decode_delete_images(
    #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "unknown")] parsed: String,
    #[wasm_bindgen(unchecked_param_type = "string | undefined")] redirect_origin: JsValue,
) -> String {
    match decode(status, body, parsed, redirect_origin) {
        Ok(success) => ok(&success.delete_images_result()),
        Err(e) => e,
    }
}

/// Decodes any action's answer (the package's `decodeResponse` parses the text first).
#[wasm_bindgen(js_name = decodeResponseParsed, unchecked_return_type = "ApiResponse")]
#[cfg_attr(cvm_size, optimize(size))]
pub fn decode_response(
    #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "unknown")] parsed: String,
    #[wasm_bindgen(unchecked_param_type = "string | undefined")] redirect_origin: JsValue,
) -> String {
    match decode(status, body, parsed, redirect_origin) {
        Ok(success) => ok(&success.into_api_response()),
        Err(e) => e,
    }
}

/// Decodes `action`'s answer and checks a successful one against the shape the package
/// declares for that action (see `shapes`); other actions as `decodeResponseParsed`.
#[wasm_bindgen(js_name = decodeActionParsed, unchecked_return_type = "ApiResponse")]
#[cfg_attr(cvm_size, optimize(size))]
pub fn decode_action(
    action: &str,
    #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "unknown")] parsed: String,
    #[wasm_bindgen(unchecked_param_type = "string | undefined")] redirect_origin: JsValue,
) -> String {
    // Read before `decode` takes it (which refuses anything but an HTTP status).
    let http_status = status.as_f64().unwrap_or(0.0) as u16;
    let checked = decode(status, body, parsed, redirect_origin).and_then(|success| {
        response::check_shape(action, http_status, success).map_err(|e| boundary::error(&e))
    });
    match checked {
        Ok(success) => ok(&success.into_api_response()),
        Err(e) => e,
    }
}

/// The declared fields of `action`'s successful answer, nested ones as `ImageSet.*.OsName`
/// (empty for an action without a declared shape): for the package's tests and tables.
#[wasm_bindgen(js_name = answerFields)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn answer_fields(action: &str) -> String {
    ok(&crate::response::shapes::answer_paths(action))
}

/// Whether an HTTP status is a redirect (any 3xx, or 0: a browser's opaque redirect), which the
/// package never follows.
#[wasm_bindgen(js_name = isRedirectStatus)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn is_redirect_status(status: f64) -> bool {
    status.fract() == 0.0 && (0.0..=599.0).contains(&status) && response::is_redirect(status as u16)
}

/// The catalogue's entry for an error code.
#[wasm_bindgen(js_name = describeError, unchecked_return_type = "ErrorDescription")]
#[cfg_attr(cvm_size, optimize(size))]
pub fn describe_error(#[wasm_bindgen(unchecked_param_type = "string")] code: JsValue) -> String {
    ok(&catalogue::describe(&code.as_string().unwrap_or_default()))
}

/// An error of this package's own (`ClientError.*`) or any code, with the catalogue's
/// description and retry advice: the JavaScript client makes its transport errors here.
#[wasm_bindgen(js_name = clientError)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn client_error(code: &str, message: &str, http_status: u16) -> String {
    ok(&ApiError::new(
        code,
        message.to_owned(),
        String::new(),
        http_status,
    ))
}

/// The HTTP status a console handler answers a failed call with (see the catalogue).
#[wasm_bindgen(js_name = consoleStatus)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn console_status(code: &str) -> u16 {
    catalogue::console_status(code)
}

/// The hint an `AuthFailure.SignatureFailure` through a proxy gets (see the catalogue).
#[wasm_bindgen(js_name = signatureHint)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn signature_hint(code: &str, signed_host: &str, url_host: &str) -> Option<String> {
    catalogue::signature_hint(code, signed_host, url_host)
}

/// A credentials provider's answer, checked (every problem at once, fields `credentials.…`, no
/// value in a message): its expiry, if it gave one, and nothing secret.
#[wasm_bindgen(js_name = checkCredentials, unchecked_return_type = "CheckedCredentials")]
#[cfg_attr(cvm_size, optimize(size))]
pub fn check_credentials(
    #[wasm_bindgen(unchecked_param_type = "ProvidedCredentials")] answer_text: String,
    #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
) -> String {
    answer(
        read(answer_text, "credentials")
            .and_then(|answer| credentials::check_answer(answer, now_ms)),
    )
}

/// `cvmRoleCredentials`' options, checked (every problem at once, did-you-mean for typos).
#[wasm_bindgen(js_name = checkCvmRoleOptions, unchecked_return_type = "CvmRoleSettings")]
#[cfg_attr(cvm_size, optimize(size))]
pub fn check_cvm_role_options(
    #[wasm_bindgen(unchecked_param_type = "CvmRoleOptionsInput")] options: String,
) -> String {
    answer(read(options, "options").and_then(credentials::cvm_role_settings))
}

/// The CAM role name in a metadata answer, or `undefined` when it holds none.
#[wasm_bindgen(js_name = cvmRoleName)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn cvm_role_name(text: &str) -> Option<String> {
    credentials::role_name(text)
}

/// Whether `code` says rotated credentials were refused (see the catalogue).
#[wasm_bindgen(js_name = credentialsRejected)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn credentials_rejected(code: &str) -> bool {
    catalogue::credentials_rejected(code)
}

/// Whether the server may have applied a request that failed with `code` (see the catalogue).
#[wasm_bindgen(js_name = outcomeUnknown)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn outcome_unknown(code: &str, http_status: u16, not_sent: bool) -> bool {
    catalogue::outcome_unknown(code, http_status, not_sent)
}

/// The CLI's bulk mode: how to treat a refused call of many ids (see the catalogue).
#[wasm_bindgen(js_name = batchAdvice)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn batch_advice(code: &str) -> String {
    ok(&catalogue::batch_advice(code))
}

/// A list of strings written by boundary.js `encodeStrings` (anything else reads as none).
#[cfg_attr(cvm_size, optimize(size))]
fn strings(value: Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The CLI's bulk mode: the lengths of the DeleteImages calls to cut `ids` into, by the size of
/// the requests (`params`: what every call sends besides `ImageIds`; `reserve`: bytes left for
/// what the signature adds). See `request::chunk_delete_images`.
#[wasm_bindgen(js_name = chunkImageIds, unchecked_return_type = "Uint32Array")]
#[cfg_attr(cvm_size, optimize(size))]
pub fn chunk_image_ids(
    #[wasm_bindgen(unchecked_param_type = "string[]")] ids: String,
    #[wasm_bindgen(unchecked_param_type = "unknown")] params: String,
    #[wasm_bindgen(js_name = isGet)] is_get: bool,
    reserve: u32,
) -> String {
    answer(attempt(|| {
        let ids = strings(
            Arguments::new(&ids)
                .next(Mode::Strict)
                .unwrap_or(Value::Null),
        );
        let shared = DeleteImagesParams::shared_from_value(read(params, "params")?)?;
        let method = if is_get {
            sign::Method::Get
        } else {
            sign::Method::Post
        };
        let lengths = request::chunk_delete_images(&ids, &shared, method, reserve as usize);
        Ok(lengths.into_iter().map(|n| n as u32).collect::<Vec<_>>())
    }))
}

/// The CLI's bulk plan, in one crossing for every id: for each id (a list written by
/// boundary.js `encodeStrings`), the code of DeleteImages' rule it breaks on its own
/// (`InvalidImageId.Malformed`), or `undefined` when it may be sent.
#[wasm_bindgen(js_name = checkImageIds, unchecked_return_type = "(string | undefined)[]")]
pub fn check_image_ids(#[wasm_bindgen(unchecked_param_type = "string[]")] ids: String) -> String {
    let ids = strings(
        Arguments::new(&ids)
            .next(Mode::Strict)
            .unwrap_or(Value::Null),
    );
    let codes: Vec<Option<ValidationCode>> = ids
        .iter()
        .map(|id| {
            delete_images::check_image_id("ImageIds.0", id)
                .err()
                .map(|e| e.code())
        })
        .collect();
    ok(&codes)
}

/// Whether DeleteImages refuses an image in this state.
#[wasm_bindgen(js_name = isBusyImageState)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn is_busy_image_state(state: &str) -> bool {
    catalogue::is_busy_image_state(state)
}

/// A Boolean parameter's text form (`True`/`true`/`False`/`false`), or `undefined`.
#[wasm_bindgen(js_name = flagText)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn flag_text(text: &str) -> Option<bool> {
    delete_images::flag_text(text)
}

/// An RFC 3339 date-time (`client::time::rfc3339_ms`'s rule) as milliseconds since 1970, or
/// `undefined`: the one reader of such times, for the CLI's CreatedTime as for an expiration.
#[wasm_bindgen(js_name = rfc3339Ms)]
pub fn rfc3339_ms(text: &str) -> Option<f64> {
    crate::client::time::rfc3339_ms(text)
}

/// The closest of `candidates` to `input` (did-you-mean), if any is close.
#[wasm_bindgen(js_name = suggestName)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn suggest_name(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "string[]")] candidates: String,
) -> Option<String> {
    let candidates = strings(
        Arguments::new(&candidates)
            .next(Mode::Strict)
            .unwrap_or(Value::Null),
    );
    let names: Vec<&str> = candidates.iter().map(String::as_str).collect();
    delete_images::suggest(input, &names).map(str::to_owned)
}

/// Full-jitter backoff: a delay in `[0, min(cap, base · 2^attempt))`.
#[wasm_bindgen(js_name = backoffDelayMs)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn backoff_delay_ms(
    attempt: f64,
    #[wasm_bindgen(js_name = baseMs)] base_ms: f64,
    #[wasm_bindgen(js_name = capMs)] cap_ms: f64,
    random01: f64,
) -> f64 {
    let attempt = if attempt.is_finite() && attempt > 0.0 {
        attempt.min(1000.0) as u32
    } else {
        0
    };
    policy::backoff_delay_ms(attempt, base_ms, cap_ms, random01)
}

/// An HTTP date (`Date` header) as Unix seconds, or `undefined`.
#[wasm_bindgen(js_name = parseHttpDate)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn parse_http_date(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
) -> Option<f64> {
    crate::client::time::parse_http_date(&value.as_string()?, now_seconds()).map(|s| s as f64)
}

/// A sliding-window rate limiter: `new RateLimiter(limit, windowMs)`, then `delayMs(now)`,
/// `commit(now)` when sending and `settle(sentAt, answeredAt)` when the answer arrives.
#[wasm_bindgen]
pub struct RateLimiter(CoreRateLimiter);

#[wasm_bindgen]
impl RateLimiter {
    /// At most `limit` sends in any `window_ms`.
    #[wasm_bindgen(constructor)]
    #[cfg_attr(cvm_size, optimize(size))]
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
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn delay_ms(&mut self, now_ms: f64) -> f64 {
        self.0.delay_ms(now_ms)
    }

    /// Records a request sent at `now_ms`.
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn commit(&mut self, now_ms: f64) {
        self.0.commit(now_ms);
    }

    /// The request sent at `sent_ms` was answered or given up on at `answered_ms`.
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn settle(&mut self, sent_ms: f64, answered_ms: f64) {
        self.0.settle(sent_ms, answered_ms);
    }
}

/// A client's call, checked once ([`call::PreparedCall`]) with its retry policy
/// ([`call::CallPolicy`]): `sign` per attempt, `decide` after a failed one, `free` at the end.
#[wasm_bindgen(js_name = PreparedCall)]
pub struct PreparedCallJs {
    call: call::PreparedCall,
    policy: call::CallPolicy,
}

#[wasm_bindgen(js_class = PreparedCall)]
impl PreparedCallJs {
    /// Checks `action`, `params` (boundary text; absent: `{}`) and `connection` (the request
    /// options but key and timestamp) at once; throws the error answer (a string) when any is
    /// wrong. The policy's settings are the client's, checked at its construction.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] action: JsValue,
        params: String,
        connection: String,
        retries: f64,
        #[wasm_bindgen(js_name = correctClockSkew)] correct_clock_skew: bool,
        provider: bool,
        #[wasm_bindgen(js_name = backoffBaseMs)] backoff_base_ms: f64,
        #[wasm_bindgen(js_name = backoffCapMs)] backoff_cap_ms: f64,
    ) -> Result<PreparedCallJs, JsValue> {
        let mut p = Problems::new();
        let action = p.check(string_arg(&action, "action"));
        let params = p.check(read(params, "params"));
        let connection = p.check(read(connection, "options"));
        let prepared = match (action, params, connection) {
            (Some(action), Some(params), Some(connection)) if p.is_empty() => {
                call::PreparedCall::new(action, Some(params), connection)
            }
            _ => p.finish(None),
        };
        with_policy(
            prepared,
            retries,
            correct_clock_skew,
            provider,
            backoff_base_ms,
            backoff_cap_ms,
        )
    }

    /// As the constructor, over a client's connection checked once (`ClientConnection`): only
    /// `action` and `params` are checked.
    #[allow(clippy::too_many_arguments)]
    pub fn over(
        connection: &ClientConnectionJs,
        #[wasm_bindgen(unchecked_param_type = "string")] action: JsValue,
        params: String,
        retries: f64,
        #[wasm_bindgen(js_name = correctClockSkew)] correct_clock_skew: bool,
        provider: bool,
        #[wasm_bindgen(js_name = backoffBaseMs)] backoff_base_ms: f64,
        #[wasm_bindgen(js_name = backoffCapMs)] backoff_cap_ms: f64,
    ) -> Result<PreparedCallJs, JsValue> {
        let mut p = Problems::new();
        let action = p.check(string_arg(&action, "action"));
        let params = p.check(read(params, "params"));
        let prepared = match (action, params) {
            (Some(action), Some(params)) if p.is_empty() => {
                call::PreparedCall::over(action, Some(params), &connection.0)
            }
            _ => p.finish(None),
        };
        with_policy(
            prepared,
            retries,
            correct_clock_skew,
            provider,
            backoff_base_ms,
            backoff_cap_ms,
        )
    }

    /// One attempt's request, signed at `timestamp` (Unix seconds) with this key: an answer
    /// holding what is sent (no signing stages).
    pub fn sign(
        &self,
        timestamp: f64,
        #[wasm_bindgen(js_name = secretId)] secret_id: String,
        #[wasm_bindgen(js_name = secretKey)] secret_key: String,
        token: Option<String>,
    ) -> String {
        match with_cache(|cache| {
            self.call
                .sign(timestamp, secret_id, secret_key, token, cache)
        }) {
            Ok(request) => ok(&call::Sendable::from(&request)),
            Err(e) => fail(e),
        }
    }

    /// What follows a failed attempt (an answer holding a [`call::Decision`]). `server_sec`: the
    /// server's clock from the answer's `Date` (NaN: none).
    #[allow(clippy::too_many_arguments)]
    pub fn decide(
        &mut self,
        code: &str,
        #[wasm_bindgen(js_name = httpStatus)] http_status: f64,
        retryable: bool,
        #[wasm_bindgen(js_name = notSent)] not_sent: bool,
        #[wasm_bindgen(js_name = serverSec)] server_sec: f64,
        #[wasm_bindgen(js_name = nowSec)] now_sec: f64,
        random01: f64,
    ) -> String {
        let whole = |n: f64| (n.is_finite()).then(|| n.floor() as i64);
        ok(&self.policy.decide(&call::Failure {
            code,
            http_status: if (0.0..=65535.0).contains(&http_status) {
                http_status as u16
            } else {
                0
            },
            retryable,
            not_sent,
            server_sec: whole(server_sec),
            now_sec: whole(now_sec).unwrap_or(0),
            random01,
        }))
    }
}

/// A prepared call with the client's retry policy, or its error answer thrown (a string).
fn with_policy(
    prepared: Result<call::PreparedCall, ValidationError>,
    retries: f64,
    correct_clock_skew: bool,
    provider: bool,
    backoff_base_ms: f64,
    backoff_cap_ms: f64,
) -> Result<PreparedCallJs, JsValue> {
    let call = prepared.map_err(|e| JsValue::from_str(&fail(e)))?;
    let retries = if retries.is_finite() && retries > 0.0 {
        retries.min(f64::from(u32::MAX)) as u32
    } else {
        0
    };
    let policy = call::CallPolicy::new(
        retries,
        correct_clock_skew,
        provider,
        backoff_base_ms,
        backoff_cap_ms,
        call.action(),
    );
    Ok(PreparedCallJs { call, policy })
}

/// A client's connection checked once ([`call::ClientConnection`]), for its calls.
#[wasm_bindgen(js_name = ClientConnection)]
pub struct ClientConnectionJs(call::ClientConnection);

#[wasm_bindgen(js_class = ClientConnection)]
impl ClientConnectionJs {
    /// Checks the request options but key and timestamp (boundary text); throws the error
    /// answer (a string) when any is wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(connection: String) -> Result<ClientConnectionJs, JsValue> {
        read(connection, "options")
            .and_then(call::ClientConnection::new)
            .map(ClientConnectionJs)
            .map_err(|e| JsValue::from_str(&fail(e)))
    }
}

/// The package's constants, read once by the build and inlined in every entry.
#[derive(Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
struct Constants {
    version: &'static str,
    max_image_ids_per_call: usize,
    known_regions: &'static [&'static str],
    request_client: &'static str,
    known_error_codes: Vec<&'static str>,
    describe_images_max_limit: u64,
    error_codes: catalogue::NamedCodes,
}

/// Constants for the JavaScript layer (an answer in the boundary format).
#[wasm_bindgen(js_name = constants)]
#[cfg_attr(cvm_size, optimize(size))]
pub fn constants() -> String {
    ok(&Constants {
        version: VERSION,
        max_image_ids_per_call: delete_images::MAX_IMAGE_IDS_PER_CALL,
        known_regions: region::KNOWN_REGIONS,
        request_client: request::REQUEST_CLIENT,
        known_error_codes: catalogue::known_codes().collect(),
        describe_images_max_limit: crate::response::shapes::DESCRIBE_IMAGES_MAX_LIMIT,
        error_codes: catalogue::NAMED_CODES,
    })
}
