//! Response decoding: a Tencent envelope into a result or an [`ApiError`], and whatever else a
//! network returns (HTML gateway pages, empty or truncated bodies, 5xx) into an [`ApiError`] with
//! a client-side code, never a panic.
//!
//! Reference §4: success is `{"Response": {…, "RequestId": "…"}}`; failure is
//! `{"Response": {"Error": {"Code": "…", "Message": "…"}, "RequestId": "…"}}`, usually with
//! HTTP 200. The presence of `Error` means failure; branch on `Code`, never on `Message`.
//!
//! One job, though long: decoding an answer (an envelope, an error, or whatever else arrived).

pub mod catalogue;
pub mod shapes;

use std::fmt;

use crate::input::json::{self, Object, ReadError, Value};
use catalogue::client_codes;

/// A failed call. To JavaScript it goes as `{ kind: "TencentCloudError", code, message,
/// requestId, httpStatus, retryable, description }`, rethrown as the package's class.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", rename = "TencentCloudError")]
pub struct ApiError {
    /// Tencent's code, or a `ClientError.*` code of this package.
    pub code: String,
    /// The server's message, or ours.
    pub message: String,
    /// The server's RequestId; empty when there was none.
    pub request_id: String,
    /// HTTP status; 0 when no response arrived.
    pub http_status: u16,
    /// Whether a retry (with backoff) can help.
    pub retryable: bool,
    /// Short description from the catalogue; empty for unknown codes.
    pub description: &'static str,
}

impl ApiError {
    /// An error with the catalogue's description and retry advice for `code`.
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn new(code: &str, message: String, request_id: String, http_status: u16) -> Self {
        let info = catalogue::lookup(code);
        Self {
            code: code.to_owned(),
            message,
            request_id,
            http_status,
            retryable: info.is_some_and(|i| i.retryable),
            description: info.map_or("", |i| i.description),
        }
    }
}

impl fmt::Display for ApiError {
    #[cfg_attr(cvm_size, optimize(size))]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if !self.request_id.is_empty() {
            write!(f, " (RequestId {})", self.request_id)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A successful response.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// The RequestId.
    pub request_id: String,
    /// The `Response` object.
    pub response: Object,
    /// The server answered `DryRunOperation`: the call would have succeeded.
    pub dry_run_operation: bool,
}

impl Success {
    /// The `Response` object as JSON text.
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn response_json(&self) -> String {
        json::to_string(&Value::Object(self.response.clone()))
    }

    /// What `decodeDeleteImages` resolves: the cleaned RequestId, and `DryRunOperation` when
    /// the server answered it.
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn delete_images_result(&self) -> DeleteImagesResult {
        DeleteImagesResult {
            request_id: self.request_id.clone(),
            dry_run_operation: self.dry_run_operation.then_some(true),
        }
    }

    /// What `decodeResponse` resolves: the `Response` object, with `DryRunOperation: true`
    /// when the server answered it.
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn into_api_response(mut self) -> ApiResponse {
        if self.dry_run_operation {
            self.response
                .insert("DryRunOperation".into(), Value::Bool(true));
        }
        ApiResponse(self.response)
    }
}

/// A decoded DeleteImages answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct DeleteImagesResult {
    /// The server's RequestId.
    pub request_id: String,
    /// Present (true) when the call was a DryRun that would have succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "true"))]
    pub dry_run_operation: Option<bool>,
}

/// The `Response` object of any action.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(transparent)]
pub struct ApiResponse(
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(type = "{ RequestId: string; DryRunOperation?: true; [field: string]: unknown }")
    )]
    pub Object,
);

/// Decodes any API 3.0 response from its HTTP status, its body text and that text as parsed by
/// a JSON parser (the runtime's `JSON.parse` in the package, serde_json in native tests):
/// `Err(ReadError::Invalid)` when the text is not JSON. The text itself is read only to describe
/// what arrived instead of an envelope. A redirect (see [`is_redirect`]) is
/// `ClientError.Redirect`, whatever the body says.
#[cfg_attr(cvm_size, optimize(size))]
pub fn decode(
    status: u16,
    body: &str,
    parsed: Result<Value, ReadError>,
) -> Result<Success, ApiError> {
    decode_answer(status, body, parsed, None)
}

/// [`decode`], told where a redirect points when the runtime shows it: `redirect_origin`, the
/// Location resolved against the request's URL and cut to its origin (see [`redirect_error`]).
#[cfg_attr(cvm_size, optimize(size))]
pub fn decode_answer(
    status: u16,
    body: &str,
    parsed: Result<Value, ReadError>,
    redirect_origin: Option<&str>,
) -> Result<Success, ApiError> {
    if is_redirect(status) {
        return Err(redirect_error(status, redirect_origin));
    }
    let ok_status = (200..300).contains(&status);
    let root = match parsed {
        Ok(root) => root,
        Err(e) => return Err(not_an_envelope(status, body, Some(e))),
    };
    let Some(Value::Object(response)) = root.as_object().and_then(|o| o.get("Response")) else {
        return Err(not_an_envelope(status, body, None));
    };
    let request_id = match response.get("RequestId") {
        None => String::new(),
        // Every result carries the RequestId cut and cleaned the same way.
        Some(Value::String(id)) => shorten(id, MAX_REQUEST_ID_CHARS),
        Some(_) => return Err(not_an_envelope(status, body, None)),
    };
    if let Some(error) = response.get("Error") {
        let code = error
            .as_object()
            .and_then(|e| e.get("Code"))
            .and_then(Value::as_str);
        let message = error
            .as_object()
            .and_then(|e| e.get("Message"))
            .and_then(Value::as_str);
        // Tencent's codes are short dotted ASCII names; anything else is not an envelope.
        let Some(code) = code.filter(|c| is_code(c)) else {
            return Err(not_an_envelope(status, body, None));
        };
        if is_reserved(code) {
            return Err(reserved_code(status, code, message, request_id));
        }
        if code == "DryRunOperation" && ok_status && !request_id.is_empty() {
            return Ok(Success {
                request_id,
                response: response.clone(),
                dry_run_operation: true,
            });
        }
        return Err(ApiError::new(
            code,
            shorten(message.unwrap_or_default(), MAX_MESSAGE_CHARS),
            request_id,
            status,
        ));
    }
    if !ok_status {
        return Err(http_status_error(status, body, true, request_id));
    }
    if request_id.is_empty() {
        return Err(ApiError::new(
            client_codes::INVALID_RESPONSE,
            "the response has no RequestId".into(),
            String::new(),
            status,
        ));
    }
    Ok(Success {
        request_id,
        response: response.clone(),
        dry_run_operation: false,
    })
}

/// [`decode_answer`] for `action`, whose successful answer is then checked against the shape
/// this package declares for it ([`crate::response::shapes`]): an answer without a required field, or with
/// a field of another type, is `ClientError.InvalidResponse` naming the field, so a result's type
/// never promises what the answer did not hold. A DryRun's answer (`DryRunOperation`) has no
/// fields to check; actions without a declared shape are decoded as by [`decode_answer`].
#[cfg_attr(cvm_size, optimize(size))]
pub fn decode_action(
    action: &str,
    status: u16,
    body: &str,
    parsed: Result<Value, ReadError>,
    redirect_origin: Option<&str>,
) -> Result<Success, ApiError> {
    check_shape(
        action,
        status,
        decode_answer(status, body, parsed, redirect_origin)?,
    )
}

/// The shape check of [`decode_action`], on an answer [`decode_answer`] took as a success.
#[cfg_attr(cvm_size, optimize(size))]
pub fn check_shape(action: &str, status: u16, success: Success) -> Result<Success, ApiError> {
    if success.dry_run_operation {
        return Ok(success);
    }
    match crate::response::shapes::check_answer(action, &success.response) {
        Ok(()) => Ok(success),
        Err(problem) => Err(ApiError::new(
            client_codes::INVALID_RESPONSE,
            format!("the {action} answer does not have the documented shape: {problem}"),
            success.request_id,
            status,
        )),
    }
}

/// Is `status` a redirect? Any 3xx, and 0: what a browser's fetch with `redirect: 'manual'`
/// shows of one (an opaque redirect hides its status and Location). The package never follows a
/// redirect (the requests it builds say `redirect: "manual"`): a signed request goes to the host
/// it was signed for or nowhere.
#[cfg_attr(cvm_size, optimize(size))]
pub fn is_redirect(status: u16) -> bool {
    status == 0 || (300..400).contains(&status)
}

/// `ClientError.Redirect` (not retryable) for a redirect answered with `status`, naming where it
/// points when `origin` is given and is an origin (`scheme://host[:port]`): anything more (a
/// path, a query, userinfo) is left out rather than repeated, as a Location may carry anything.
#[cfg_attr(cvm_size, optimize(size))]
pub fn redirect_error(status: u16, origin: Option<&str>) -> ApiError {
    let target = origin
        .filter(|o| is_origin(o))
        .map_or(String::new(), |o| format!(" to {o}"));
    let what = if status == 0 {
        "a redirect (opaque: the browser hides its status and target)".to_owned()
    } else {
        let reason = reason(status);
        let sep = if reason.is_empty() { "" } else { " " };
        format!("HTTP {status}{sep}{reason}{target}")
    };
    ApiError::new(
        client_codes::REDIRECT,
        format!(
            "the server answered {what}, which is not followed: a signed request goes only to the host it was signed for"
        ),
        String::new(),
        status,
    )
}

/// `scheme://authority`, and nothing after the authority; short, printable ASCII.
#[cfg_attr(cvm_size, optimize(size))]
fn is_origin(text: &str) -> bool {
    let Some((scheme, authority)) = text.split_once("://") else {
        return false;
    };
    text.len() <= 300
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
        && !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'/' | b'?' | b'#' | b'@' | b'\\'))
}

/// Longest server message kept in an error (the rest is cut, marked with `…`).
pub const MAX_MESSAGE_CHARS: usize = 500;
const MAX_REQUEST_ID_CHARS: usize = 128;

#[cfg_attr(cvm_size, optimize(size))]
fn is_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 128
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-')
}

/// `ClientError.*` codes are this package's own: what they advise (retry, outcome unknown, the
/// caller aborted) is the package's judgement of what happened on the way, never a server's say.
#[cfg_attr(cvm_size, optimize(size))]
fn is_reserved(code: &str) -> bool {
    let prefix = client_codes::RESERVED_PREFIX;
    code.strip_prefix(prefix.trim_end_matches('.'))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// An envelope whose code is one of ours: an invalid response (its advice and outcome), the
/// server's code and message kept in ours.
#[cfg_attr(cvm_size, optimize(size))]
fn reserved_code(status: u16, code: &str, message: Option<&str>, request_id: String) -> ApiError {
    let mut text = format!(
        "HTTP {status} with an error envelope whose code {code} is reserved for this package's own errors"
    );
    if let Some(message) = message.filter(|m| !m.is_empty()) {
        text.push_str(": ");
        text.push_str(&shorten(message, MAX_MESSAGE_CHARS));
    }
    ApiError::new(client_codes::INVALID_RESPONSE, text, request_id, status)
}

/// At most `max` characters of `text`, control characters replaced by spaces.
#[cfg_attr(cvm_size, optimize(size))]
fn shorten(text: &str, max: usize) -> String {
    // One pass, without `Chars::nth` (whose character counting costs 1.4 KB of wasm).
    let mut out = String::with_capacity(text.len().min(max * 4) + 3);
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

#[cfg_attr(cvm_size, optimize(size))]
fn not_an_envelope(status: u16, body: &str, error: Option<ReadError>) -> ApiError {
    if !(200..300).contains(&status) {
        return http_status_error(status, body, error.is_none(), String::new());
    }
    let what = match error {
        Some(ReadError::TooDeep) => {
            format!("JSON nested more than {} levels deep", json::MAX_DEPTH)
        }
        Some(ReadError::Invalid) => describe_body(body, false),
        None => describe_body(body, true),
    };
    ApiError::new(
        client_codes::INVALID_RESPONSE,
        format!("HTTP {status} with {what} instead of a Tencent Cloud API response"),
        String::new(),
        status,
    )
}

#[cfg_attr(cvm_size, optimize(size))]
fn http_status_error(status: u16, body: &str, is_json: bool, request_id: String) -> ApiError {
    let what = describe_body(body, is_json);
    let mut err = ApiError::new(
        client_codes::HTTP_STATUS,
        format!("HTTP {status} {} with {what}", reason(status)),
        request_id,
        status,
    );
    // A gateway's 5xx or a 429 is transient; other statuses will answer the same again.
    err.retryable = status >= 500 || status == 429;
    err
}

/// How much of a non-JSON body's first line an error quotes.
const MAX_TEXT_LINE_CHARS: usize = 400;

/// A short, safe description of a body that is not an envelope.
#[cfg_attr(cvm_size, optimize(size))]
fn describe_body(body: &str, is_json: bool) -> String {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return "an empty body".into();
    }
    let lower_head: String = trimmed
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower_head.starts_with('<') {
        return match html_title(trimmed) {
            Some(title) => format!("an HTML page ({})", crate::input::error::quote(&title)),
            None => "an HTML page".into(),
        };
    }
    if trimmed.starts_with(['{', '[']) {
        return if is_json {
            "JSON without a Response object".into()
        } else if is_unclosed(trimmed) {
            format!("truncated JSON ({} bytes)", body.len())
        } else {
            "invalid JSON".into()
        };
    }
    // The first line whole (up to a bound): a proxy's or server's one-line reason, such as the
    // local servers' Host check, carries its fix at its end.
    format!(
        "a non-JSON body {}",
        crate::input::error::quote_line(trimmed, MAX_TEXT_LINE_CHARS)
    )
}

/// True when an object or array opened at the start of `text` is still open at its end (or a
/// string in it is): the text is a cut-off prefix of a JSON document, not a malformed one. Every
/// proper prefix of a JSON object or array ends unclosed, so a truncated body is always told
/// apart from garbage, without a JSON parser.
#[cfg_attr(cvm_size, optimize(size))]
fn is_unclosed(text: &str) -> bool {
    let mut depth: usize = 0;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => match depth.checked_sub(1) {
                Some(0) | None => return false,
                Some(d) => depth = d,
            },
            _ => {}
        }
    }
    in_string || depth > 0
}

#[cfg_attr(cvm_size, optimize(size))]
fn html_title(html: &str) -> Option<String> {
    let head = html.get(..html.len().min(4096)).unwrap_or(html);
    let lower = head.to_ascii_lowercase();
    let start = find(&lower, "<title>")? + "<title>".len();
    let end = start + find(lower.get(start..)?, "</title>")?;
    Some(head.get(start..end)?.trim().to_owned())
}

/// Where `needle` first occurs in `text`, by a plain scan: `str::find`'s two-way searcher costs
/// 2.5 KB of .wasm, for a look at most 4 KB into an error page.
#[cfg_attr(cvm_size, optimize(size))]
fn find(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|window| window == needle.as_bytes())
}

#[cfg_attr(cvm_size, optimize(size))]
fn reason(status: u16) -> &'static str {
    match status {
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_held_to_its_actions_shape() {
        let answer = |action: &str, body: &str| {
            decode_action(action, 200, body, crate::input::json::parse(body), None)
        };
        let thin =
            r#"{"Response":{"ImageSet":[{"ImageId":"img-1"}],"TotalCount":1,"RequestId":"r-1"}}"#;
        let e = answer("DescribeImages", thin).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.request_id.as_str()),
            ("ClientError.InvalidResponse", "r-1")
        );
        assert!(
            e.message.contains("ImageSet.0.OsName is missing"),
            "{}",
            e.message
        );
        // Other actions, and the generic decoder, take it as it is.
        assert!(answer("DescribeInstances", thin).is_ok());
        assert!(decode_text(200, thin).is_ok());
        let dry =
            r#"{"Response":{"Error":{"Code":"DryRunOperation","Message":"ok"},"RequestId":"r-2"}}"#;
        assert!(answer("DeleteImages", dry).unwrap().dry_run_operation);
        assert!(answer("DeleteImages", r#"{"Response":{"RequestId":"r-3"}}"#).is_ok());
    }

    #[test]
    fn find_agrees_with_str_find() {
        for text in [
            "",
            "<title>",
            "ab<title>x</title>",
            "<titl",
            "<<title><title>",
            "é<title>é",
        ] {
            for needle in ["<title>", "</title>", "é"] {
                assert_eq!(find(text, needle), text.find(needle), "{text} {needle}");
            }
        }
    }

    fn decode_text(status: u16, body: &str) -> Result<Success, ApiError> {
        decode(status, body, crate::input::json::parse(body))
    }

    #[test]
    fn success_gives_the_request_id_and_the_response() {
        let body = r#"{"Response": {"RequestId": "71e69b56-32be-4412-ab45-49eded6a87be"}}"#;
        let ok = decode_text(200, body).unwrap();
        assert_eq!(ok.request_id, "71e69b56-32be-4412-ab45-49eded6a87be");
        assert_eq!(
            ok.response_json(),
            r#"{"RequestId":"71e69b56-32be-4412-ab45-49eded6a87be"}"#
        );
        assert!(!ok.dry_run_operation);
    }

    #[test]
    fn error_envelopes_carry_code_message_request_id_and_advice() {
        let body = r#"{"Response":{"Error":{"Code":"InvalidImageId.IncorrectState","Message":"state CREATING"},"RequestId":"r-1"}}"#;
        let e = decode_text(200, body).unwrap_err();
        assert_eq!(e.code, "InvalidImageId.IncorrectState");
        assert_eq!(e.message, "state CREATING");
        assert_eq!(e.request_id, "r-1");
        assert_eq!(e.http_status, 200);
        assert!(!e.retryable);
        assert!(e.description.contains("state"));
        let limit = r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"r-2"}}"#;
        assert!(decode_text(200, limit).unwrap_err().retryable);
    }

    #[test]
    fn dry_run_operation_is_a_success_signal() {
        let body =
            r#"{"Response":{"Error":{"Code":"DryRunOperation","Message":"ok"},"RequestId":"r-3"}}"#;
        let ok = decode_text(200, body).unwrap();
        assert!(ok.dry_run_operation);
        assert_eq!(ok.request_id, "r-3");
    }

    /// Issue 21, defect 8: `ClientError.` codes are this package's own. A server (or anything
    /// posing as one) that sends one does not get to drive the client's retry advice with it: the
    /// envelope is an invalid response, the server's code kept in the message.
    #[test]
    fn a_server_sent_client_error_code_is_an_invalid_response() {
        for (status, code) in [
            (200, "ClientError.Network"),
            (200, "ClientError.Aborted"),
            (200, "ClientError.Credentials"),
            (200, "ClientError.InvalidResponse"),
            (200, "ClientError.SomethingNew"),
            (500, "ClientError.HttpStatus"),
            (400, "ClientError.Timeout"),
            (200, "ClientError"),
        ] {
            let body = format!(
                r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"trust me"}},"RequestId":"r-9"}}}}"#
            );
            let e = decode_text(status, &body).unwrap_err();
            let invalid = ApiError::new(
                "ClientError.InvalidResponse",
                String::new(),
                String::new(),
                status,
            );
            assert_eq!(e.code, "ClientError.InvalidResponse", "{code}");
            assert_eq!(
                (
                    e.retryable,
                    e.description,
                    e.http_status,
                    e.request_id.as_str()
                ),
                (invalid.retryable, invalid.description, status, "r-9"),
                "{code}"
            );
            assert!(e.message.contains(code), "{}", e.message);
            assert!(e.message.contains("trust me"), "{}", e.message);
        }
        // Only the exact prefix is reserved.
        for code in [
            "ClientErrorX.Network",
            "clienterror.Network",
            "InternalError.ClientError",
        ] {
            let body = format!(r#"{{"Response":{{"Error":{{"Code":"{code}"}},"RequestId":"r"}}}}"#);
            assert_eq!(decode_text(200, &body).unwrap_err().code, code);
        }
    }

    #[test]
    fn hostile_bodies_become_client_errors() {
        let cases: &[(u16, &str, &str, bool, &str)] = &[
            (
                200,
                "",
                "ClientError.InvalidResponse",
                true,
                "an empty body",
            ),
            (
                200,
                "   \n",
                "ClientError.InvalidResponse",
                true,
                "an empty body",
            ),
            (
                200,
                r#"{"Response": {"RequestId": "#,
                "ClientError.InvalidResponse",
                true,
                "truncated JSON",
            ),
            (
                200,
                r#"{"Data": 1}"#,
                "ClientError.InvalidResponse",
                true,
                "without a Response",
            ),
            (
                200,
                r#"{"Response": 5}"#,
                "ClientError.InvalidResponse",
                true,
                "",
            ),
            (
                200,
                r#"{"Response": {}}"#,
                "ClientError.InvalidResponse",
                true,
                "no RequestId",
            ),
            (
                200,
                r#"{"Response": {"Error": {"Code": 5}}}"#,
                "ClientError.InvalidResponse",
                true,
                "",
            ),
            (
                200,
                "<html><head><title>Captive portal</title></head></html>",
                "ClientError.InvalidResponse",
                true,
                "Captive portal",
            ),
            (
                502,
                "<html><title>502 Bad Gateway</title></html>",
                "ClientError.HttpStatus",
                true,
                "HTTP 502 Bad Gateway",
            ),
            (
                503,
                "Service Unavailable",
                "ClientError.HttpStatus",
                true,
                "non-JSON body",
            ),
            (
                404,
                "not found",
                "ClientError.HttpStatus",
                false,
                "HTTP 404",
            ),
            (429, "", "ClientError.HttpStatus", true, "HTTP 429"),
            (
                500,
                r#"{"Response": {"RequestId": "r"}}"#,
                "ClientError.HttpStatus",
                true,
                "HTTP 500",
            ),
            (
                200,
                "[1,2",
                "ClientError.InvalidResponse",
                true,
                "truncated",
            ),
            (
                200,
                "\u{0}\u{1}binary",
                "ClientError.InvalidResponse",
                true,
                "non-JSON",
            ),
        ];
        for (status, body, code, retryable, needle) in cases {
            let e = decode_text(*status, body).unwrap_err();
            assert_eq!(e.code, *code, "{status} {body:?}");
            assert_eq!(e.retryable, *retryable, "{status} {body:?}");
            assert_eq!(e.http_status, *status);
            assert!(
                e.message.contains(needle),
                "{:?} lacks {needle:?}",
                e.message
            );
            assert!(!e.description.is_empty());
        }
    }

    #[test]
    fn huge_or_odd_server_text_is_cut_or_refused() {
        let long = "x".repeat(10_000_000);
        let body = format!(
            r#"{{"Response":{{"Error":{{"Code":"InternalError","Message":"{long}"}},"RequestId":"r"}}}}"#
        );
        let e = decode_text(200, &body).unwrap_err();
        assert_eq!(e.code, "InternalError");
        assert_eq!(e.message.chars().count(), MAX_MESSAGE_CHARS + 1);
        let body = format!(
            r#"{{"Response":{{"Error":{{"Code":"{long}","Message":"m"}},"RequestId":"r"}}}}"#
        );
        assert_eq!(
            decode_text(200, &body).unwrap_err().code,
            "ClientError.InvalidResponse"
        );
        let body =
            r#"{"Response":{"Error":{"Code":"Internal\nError","Message":"a\nb"},"RequestId":"r"}}"#;
        assert_eq!(
            decode_text(200, body).unwrap_err().code,
            "ClientError.InvalidResponse"
        );
        let body =
            r#"{"Response":{"Error":{"Code":"InternalError","Message":"a\nb"},"RequestId":"r"}}"#;
        assert_eq!(decode_text(200, body).unwrap_err().message, "a b");
    }

    #[test]
    fn a_redirect_is_never_a_result_and_names_only_the_origin() {
        let envelope = r#"{"Response":{"RequestId":"r-1"}}"#;
        let error_envelope =
            r#"{"Response":{"Error":{"Code":"InternalError","Message":"m"},"RequestId":"r-2"}}"#;
        for status in [0, 300, 301, 302, 303, 304, 305, 306, 307, 308, 399] {
            for body in [
                "",
                envelope,
                error_envelope,
                "<html><title>Moved</title></html>",
            ] {
                let e = decode_text(status, body).unwrap_err();
                assert_eq!(e.code, "ClientError.Redirect", "{status} {body}");
                assert!(!e.retryable);
                assert_eq!(e.http_status, status);
                assert!(e.request_id.is_empty());
                assert!(!e.description.is_empty());
                assert!(e.message.contains("not followed"), "{}", e.message);
            }
        }
        assert!(decode_text(307, "")
            .unwrap_err()
            .message
            .contains("HTTP 307 Temporary Redirect"));
        assert!(decode_text(0, "").unwrap_err().message.contains("opaque"));
        for status in [200, 299, 400, 500, 599, 100, 199] {
            assert!(!is_redirect(status));
            if let Err(e) = decode_text(status, "") {
                assert_ne!(e.code, "ClientError.Redirect");
            }
        }
        let named = |origin: &str| {
            decode_answer(307, "", Err(ReadError::Invalid), Some(origin))
                .unwrap_err()
                .message
        };
        assert!(named("https://other.example:8443").contains(" to https://other.example:8443,"));
        assert!(named("http://[::1]:9000").contains(" to http://[::1]:9000,"));
        for not_an_origin in [
            "https://other.example/path?secret=1",
            "https://user:pass@other.example",
            "https://other.example?q",
            "https://other.example#f",
            "/relative/path",
            "other.example",
            "https://",
            "://x",
            "1http://x",
            "https://a b",
            "https://a\\b",
            "https://é.example",
        ] {
            assert_eq!(
                named(not_an_origin),
                decode_text(307, "").unwrap_err().message,
                "{not_an_origin}"
            );
        }
        // Not a redirect: the origin is ignored.
        let e = decode_answer(502, "", Err(ReadError::Invalid), Some("https://x")).unwrap_err();
        assert_eq!(e.code, "ClientError.HttpStatus");
    }

    #[test]
    fn an_envelope_with_a_5xx_keeps_the_servers_code() {
        let body =
            r#"{"Response":{"Error":{"Code":"InternalError","Message":"boom"},"RequestId":"r-9"}}"#;
        let e = decode_text(500, body).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.http_status, e.retryable),
            ("InternalError", 500, true)
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(
            decode_text(200, &deep).unwrap_err().code,
            "ClientError.InvalidResponse"
        );
        let body = format!(
            r#"{{"Response": {{"RequestId": "r", "X": {}1{}}}}}"#,
            "[".repeat(5000),
            "]".repeat(5000)
        );
        let e = decode_text(200, &body).unwrap_err();
        assert_eq!(e.code, "ClientError.InvalidResponse");
        assert!(e.message.contains("nested"), "{}", e.message);
        let unclosed = format!(
            r#"{{"Response": {{"RequestId": "r", "X": {}"#,
            "[".repeat(100_000)
        );
        assert_eq!(
            decode_text(200, &unclosed).unwrap_err().code,
            "ClientError.InvalidResponse"
        );
    }
}
