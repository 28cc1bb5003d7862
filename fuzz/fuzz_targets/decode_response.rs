//! Any bytes as an HTTP answer → `response::decode`: never a panic; success only for a 2xx with
//! a non-empty RequestId, otherwise an error with a non-empty code.
//!
//! Input: `NNN` (ASCII status 100–599) then the body, so seeds read as `200{"Response": …}`;
//! otherwise two bytes of status (mapped into 100..=599) then the body. The body is read as
//! lossy UTF-8, as `Response.text()` does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencentcloud_cvm_wasm::{json, response};

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
    match response::decode(status, &body) {
        Ok(ok) => {
            assert!((200..300).contains(&status), "success with HTTP {status}");
            assert!(
                !ok.request_id.is_empty(),
                "success without a RequestId: {body:?}"
            );
            let text = ok.response_json();
            assert!(
                json::parse(&text).is_ok(),
                "response_json is not JSON: {text}"
            );
        }
        Err(e) => {
            assert!(!e.code.is_empty(), "error without a code: {body:?}");
            assert_eq!(e.http_status, status);
            let _ = e.to_string();
        }
    }
});
