//! Any bytes as an HTTP answer → `response::decode`: never a panic; success only for a 2xx with
//! a non-empty RequestId, otherwise an error with a non-empty code and message. The body text is
//! parsed first, as the package does with `JSON.parse` (here serde_json, its depth limit off so
//! the core's 128 levels are what is fuzzed); a body that is not JSON is described from its text
//! alone (truncated, invalid, HTML, empty…).
//!
//! Input: `NNN` (ASCII status 100–599) then the body, so seeds read as `200{"Response": …}`;
//! otherwise two bytes of status (mapped into 100..=599) then the body. The body is read as
//! lossy UTF-8, as `Response.text()` does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencentcloud_cvm_wasm::input::json::{self, ReadError, Value};
use tencentcloud_cvm_wasm::response;

/// The text as `JSON.parse` would read it: one value, nothing after it.
fn parse(text: &str) -> Result<Value, ReadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = json::read(&mut de)?;
    de.end().map_err(|_| ReadError::Invalid)?;
    Ok(value)
}

fn split(data: &[u8]) -> (u16, &[u8]) {
    if let (Some(head), Some(rest)) = (data.get(..3), data.get(3..)) {
        if head.iter().all(u8::is_ascii_digit) {
            let n = head.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
            if (100..=599).contains(&n) {
                return (n, rest);
            }
        }
    }
    match data {
        [a, b, rest @ ..] => (100 + u16::from_le_bytes([*a, *b]) % 500, rest),
        _ => (200, data),
    }
}

fuzz_target!(|data: &[u8]| {
    let (status, body) = split(data);
    let body = String::from_utf8_lossy(body);
    let parsed = parse(&body);
    let was_json = parsed.is_ok();
    match response::decode(status, &body, parsed) {
        Ok(ok) => {
            assert!((200..300).contains(&status), "success with HTTP {status}");
            assert!(
                !ok.request_id.is_empty(),
                "success without a RequestId: {body:?}"
            );
            assert!(was_json, "success from a body that is not JSON: {body:?}");
            let text = ok.response_json();
            assert!(parse(&text).is_ok(), "response_json is not JSON: {text}");
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                "serde_json rejects response_json: {text}"
            );
        }
        Err(e) => {
            assert!(!e.code.is_empty(), "error without a code: {body:?}");
            // A server's envelope may carry no Message (and any code, even a `ClientError.*`
            // one); what was not JSON is always described.
            assert!(
                !e.message.is_empty() || was_json,
                "error without a message: {body:?}"
            );
            assert_eq!(e.http_status, status);
            // What is not JSON is never called JSON ("HTTP 200 with JSON without a Response
            // object"; the first " with " follows the status and its reason phrase).
            let what = e.message.split_once(" with ").map_or("", |(_, what)| what);
            assert!(
                was_json || !what.starts_with("JSON without a Response"),
                "{e:?} for {body:?}"
            );
            let _ = e.to_string();
        }
    }
});
