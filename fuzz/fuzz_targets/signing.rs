//! The signer on arbitrary input: `sign` never panics, rejects with a named field or signs; with
//! a (persistent, LRU) `SigningKeyCache` the output is identical to without one; a signature equals
//! an independent TC3 chain (`hmac` + `sha2`).
//!
//! Input: JSON text when it starts with `{` (`SignTc3Input`, the `signTc3(input)` shape, read
//! through `json::read` over serde_json; seeds are Tencent's worked examples), otherwise an `arbitrary` structure, optionally tidied so most
//! inputs pass validation and reach the hashing.
#![no_main]

use std::cell::RefCell;

use arbitrary::{Arbitrary, Unstructured};
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use tencentcloud_cvm_wasm::input::json::{self, ReadError, Value};
use tencentcloud_cvm_wasm::sign::secret::SecretKey;
use tencentcloud_cvm_wasm::sign::{
    sign, Method, SigningKeyCache, SigningOutput, SigningParams, MAX_TIMESTAMP,
};
use tencentcloud_cvm_wasm::sign::tc3_input::SignTc3Input;

#[derive(Arbitrary, Debug)]
struct Input {
    tidy: bool,
    secret_id: String,
    secret_key: String,
    service: String,
    host: String,
    post: bool,
    content_type: String,
    query: String,
    payload: Vec<u8>,
    timestamp: i64,
    action: Option<String>,
}

thread_local! {
    static CACHE: RefCell<SigningKeyCache> = RefCell::new(SigningKeyCache::new());
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// `yyyy-mm-dd` by counting years and months.
fn utc_date(timestamp: i64) -> String {
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let (mut days, mut year) = (timestamp / 86_400, 1970);
    while days >= if leap(year) { 366 } else { 365 } {
        days -= if leap(year) { 366 } else { 365 };
        year += 1;
    }
    let months = [
        31,
        if leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 0;
    while days >= months[month] {
        days -= months[month];
        month += 1;
    }
    format!("{year:04}-{:02}-{:02}", month + 1, days + 1)
}

/// The spec's stages, independently: canonical request, string to sign, signature.
fn independent(p: &SigningParams<'_>, secret_key: &str, out: &SigningOutput) {
    let header = |v: &str| v.trim().to_ascii_lowercase();
    let mut headers = format!(
        "content-type:{}\nhost:{}\n",
        header(p.content_type),
        header(p.host)
    );
    let mut signed = String::from("content-type;host");
    if let Some(action) = p.action {
        headers.push_str(&format!("x-tc-action:{}\n", header(action)));
        signed.push_str(";x-tc-action");
    }
    let hashed_payload = hex(&Sha256::digest(p.payload));
    let canonical = format!(
        "{}\n/\n{}\n{headers}\n{signed}\n{hashed_payload}",
        p.method.as_str(),
        p.query
    );
    let date = utc_date(p.timestamp);
    let scope = format!("{date}/{}/tc3_request", p.service);
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{}\n{scope}\n{}",
        p.timestamp,
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let k = hmac256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k = hmac256(&k, p.service.as_bytes());
    let k = hmac256(&k, b"tc3_request");
    let signature = hex(&hmac256(&k, to_sign.as_bytes()));
    assert_eq!(out.hashed_payload, hashed_payload);
    assert_eq!(out.canonical_request, canonical);
    assert_eq!(out.string_to_sign, to_sign);
    assert_eq!(out.credential_scope, scope);
    assert_eq!(out.signed_headers, signed);
    assert_eq!(out.signature, signature);
    assert_eq!(
        out.authorization,
        format!(
            "TC3-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={signature}",
            p.secret_id
        )
    );
}

fn check(params: &SigningParams<'_>, secret_key: &str) {
    let plain = sign(params, None);
    let mut fresh = SigningKeyCache::new();
    assert_eq!(sign(params, Some(&mut fresh)), plain);
    assert_eq!(sign(params, Some(&mut fresh)), plain);
    let shared = CACHE.with(|c| sign(params, Some(&mut c.borrow_mut())));
    assert_eq!(shared, plain);
    match plain {
        Ok(out) => independent(params, secret_key, &out),
        Err(e) => assert!(!e.field().is_empty(), "error without a field: {e:?}"),
    }
}

fn keep(s: &str, ok: impl Fn(char) -> bool, default: &str) -> String {
    let kept: String = s.chars().filter(|&c| ok(c)).take(64).collect();
    if kept.is_empty() {
        default.to_owned()
    } else {
        kept
    }
}

/// The text as `JSON.parse` would read it: one value, nothing after it.
fn parse(text: &str) -> Result<Value, ReadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = json::read(&mut de)?;
    de.end().map_err(|_| ReadError::Invalid)?;
    Ok(value)
}

fn from_json(text: &str) {
    let Ok(value) = parse(text) else { return };
    let secret_key = value
        .as_object()
        .and_then(|o| o.get("secretKey"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    match SignTc3Input::from_value(value) {
        Ok(input) => check(&input.params(), &secret_key),
        Err(e) => assert!(!e.field().is_empty(), "error without a field: {e:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'{') {
        from_json(&String::from_utf8_lossy(data));
        return;
    }
    let Ok(mut input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    if input.tidy {
        input.secret_id = keep(&input.secret_id, |c| c.is_ascii_graphic(), "AKIDEXAMPLE");
        input.service = keep(
            &input.service,
            |c| c.is_ascii_lowercase() || c.is_ascii_digit(),
            "cvm",
        );
        input.host = keep(
            &input.host,
            |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'),
            "cvm.tencentcloudapi.com",
        );
        input.content_type = keep(
            &input.content_type,
            |c| matches!(c, ' '..='~'),
            "application/json",
        );
        if input.content_type.trim().is_empty() {
            input.content_type = "application/json".into();
        }
        input.query = keep(&input.query, |c| matches!(c, '!'..='~') && c != '#', "");
        input.timestamp = input.timestamp.rem_euclid(MAX_TIMESTAMP + 1);
        input.action = input
            .action
            .map(|a| keep(&a, |c| c.is_ascii_alphanumeric(), "DeleteImages"));
        if input.secret_key.is_empty() {
            input.secret_key = "k".into();
        }
    }
    let key = SecretKey::new(input.secret_key.clone());
    let params = SigningParams {
        secret_id: &input.secret_id,
        secret_key: &key,
        service: &input.service,
        host: &input.host,
        method: if input.post {
            Method::Post
        } else {
            Method::Get
        },
        content_type: &input.content_type,
        query: &input.query,
        payload: &input.payload,
        timestamp: input.timestamp,
        action: input.action.as_deref(),
    };
    check(&params, &input.secret_key);
});
