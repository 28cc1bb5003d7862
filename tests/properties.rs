//! Property tests of the core: the signer against an independent TC3 implementation (the
//! `hmac-sha256` crate, not the RustCrypto `sha2` + `hmac` the signer uses), the GET and POST wire forms against independent decoders, our JSON against
//! serde_json, and the decoder and validators against arbitrary input (no panics, every error
//! names a field or a code).
//!
//! Budget: each property runs [`CASES`] cases (256 by default; the whole file takes a few seconds
//! on 2 cores in a debug build). `PROPTEST_CASES=5000 cargo test --test properties` runs longer;
//! `PROPTEST_RNG_SEED=<n>` replays one seed (the seed is random per run otherwise).
//! Failures are not persisted to `proptest-regressions/`: a failure found here is minimised into
//! a plain `#[test]` at the end of this file instead.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::HashSet;

use hmac_sha256::{Hash, HMAC};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config as ProptestConfig;

use tencentcloud_cvm_wasm::argument;
use tencentcloud_cvm_wasm::delete_images::{DeleteImagesParams, MAX_IMAGE_IDS_PER_CALL};
use tencentcloud_cvm_wasm::json::{self, Number, Object, Value};
use tencentcloud_cvm_wasm::query;
use tencentcloud_cvm_wasm::request::{self, RequestOptions, SignedRequest};
use tencentcloud_cvm_wasm::response;
use tencentcloud_cvm_wasm::secret::SecretKey;
use tencentcloud_cvm_wasm::sign::{self, Method, SigningKeyCache, SigningParams, MAX_TIMESTAMP};
use tencentcloud_cvm_wasm::sign_input::SignTc3Input;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 256;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ------------------------------------------------------------------------------------------------
// Independent implementations: SHA-256, HMAC, the TC3 chain, the UTC date, RFC 3986 decoding.
// ------------------------------------------------------------------------------------------------

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(data: &[u8]) -> String {
    hex(&Hash::hash(data))
}

fn hmac256(key: &[u8], message: &[u8]) -> Vec<u8> {
    HMAC::mac(message, key).to_vec()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// `yyyy-mm-dd` of a non-negative Unix timestamp, by counting whole years and months.
fn utc_date(timestamp: i64) -> String {
    let mut days = timestamp / 86_400;
    let mut year = 1970;
    loop {
        let len = if is_leap(year) { 366 } else { 365 };
        if days < len {
            break;
        }
        days -= len;
        year += 1;
    }
    let feb = if is_leap(year) { 29 } else { 28 };
    let months = [31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 0;
    while days >= months[month] {
        days -= months[month];
        month += 1;
    }
    format!("{year:04}-{:02}-{:02}", month + 1, days + 1)
}

/// The signer's input, owned.
#[derive(Debug, Clone)]
struct SignCase {
    secret_id: String,
    secret_key: String,
    service: String,
    host: String,
    method: Method,
    content_type: String,
    query: String,
    payload: Vec<u8>,
    timestamp: i64,
    action: Option<String>,
}

impl SignCase {
    fn sign(&self, key: &SecretKey, cache: Option<&mut SigningKeyCache>) -> sign::SigningOutput {
        sign::sign(
            &SigningParams {
                secret_id: &self.secret_id,
                secret_key: key,
                service: &self.service,
                host: &self.host,
                method: self.method,
                content_type: &self.content_type,
                query: &self.query,
                payload: &self.payload,
                timestamp: self.timestamp,
                action: self.action.as_deref(),
            },
            cache,
        )
        .unwrap_or_else(|e| panic!("valid input rejected: {} ({e})", e.field()))
    }
}

/// Every TC3 stage, computed from the spec's text with `hmac-sha256`.
#[derive(Debug, PartialEq, Eq)]
struct Expected {
    canonical_request: String,
    string_to_sign: String,
    credential_scope: String,
    signed_headers: String,
    hashed_payload: String,
    signature: String,
    authorization: String,
}

fn independent_tc3(c: &SignCase) -> Expected {
    let header = |v: &str| v.trim().to_ascii_lowercase();
    let method = match c.method {
        Method::Post => "POST",
        Method::Get => "GET",
    };
    let mut canonical_headers = format!(
        "content-type:{}\nhost:{}\n",
        header(&c.content_type),
        header(&c.host)
    );
    let mut signed_headers = String::from("content-type;host");
    if let Some(action) = &c.action {
        canonical_headers.push_str(&format!("x-tc-action:{}\n", header(action)));
        signed_headers.push_str(";x-tc-action");
    }
    let hashed_payload = sha256_hex(&c.payload);
    let canonical_request = format!(
        "{method}\n/\n{}\n{canonical_headers}\n{signed_headers}\n{hashed_payload}",
        c.query
    );
    let date = utc_date(c.timestamp);
    let credential_scope = format!("{date}/{}/tc3_request", c.service);
    let string_to_sign = format!(
        "TC3-HMAC-SHA256\n{}\n{credential_scope}\n{}",
        c.timestamp,
        sha256_hex(canonical_request.as_bytes())
    );
    let secret_date = hmac256(format!("TC3{}", c.secret_key).as_bytes(), date.as_bytes());
    let secret_service = hmac256(&secret_date, c.service.as_bytes());
    let secret_signing = hmac256(&secret_service, b"tc3_request");
    let signature = hex(&hmac256(&secret_signing, string_to_sign.as_bytes()));
    let authorization = format!(
        "TC3-HMAC-SHA256 Credential={}/{credential_scope}, SignedHeaders={signed_headers}, Signature={signature}",
        c.secret_id
    );
    Expected {
        canonical_request,
        string_to_sign,
        credential_scope,
        signed_headers,
        hashed_payload,
        signature,
        authorization,
    }
}

fn expected_of(out: &sign::SigningOutput) -> Expected {
    Expected {
        canonical_request: out.canonical_request.clone(),
        string_to_sign: out.string_to_sign.clone(),
        credential_scope: out.credential_scope.clone(),
        signed_headers: out.signed_headers.clone(),
        hashed_payload: out.hashed_payload.clone(),
        signature: out.signature.clone(),
        authorization: out.authorization.clone(),
    }
}

/// `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=<h>, Signature=<s>`
/// into `(id, scope, headers, signature)`.
fn parse_authorization(header: &str) -> Option<(String, String, String, String)> {
    let rest = header.strip_prefix("TC3-HMAC-SHA256 Credential=")?;
    let (credential, rest) = rest.split_once(", SignedHeaders=")?;
    let (headers, signature) = rest.split_once(", Signature=")?;
    let mut parts = credential.rsplitn(4, '/');
    let (tail, service, date, id) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if tail != "tc3_request" {
        return None;
    }
    Some((
        id.to_owned(),
        format!("{date}/{service}/{tail}"),
        headers.to_owned(),
        signature.to_owned(),
    ))
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// RFC 3986 percent-decoding, strict: unreserved characters stand for themselves, `%XX` (upper-case
/// hex) for a byte, nothing else may appear; the bytes must be UTF-8.
fn strict_percent_decode(text: &str) -> Result<String, String> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let upper_hex = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    while i < b.len() {
        let c = b[i];
        if is_unreserved(c) {
            out.push(c);
            i += 1;
        } else if c == b'%' {
            let hi = b.get(i + 1).copied().and_then(upper_hex);
            let lo = b.get(i + 2).copied().and_then(upper_hex);
            match (hi, lo) {
                (Some(hi), Some(lo)) => out.push(hi * 16 + lo),
                _ => return Err(format!("bad escape at {i} in {text:?}")),
            }
            i += 3;
        } else {
            return Err(format!("literal {:?} at {i} in {text:?}", char::from(c)));
        }
    }
    String::from_utf8(out).map_err(|e| format!("not UTF-8: {e}"))
}

/// A query string into decoded `(name, value)` pairs (each pair has exactly one `=`).
fn decode_query(query: &str) -> Result<Vec<(String, String)>, String> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    query
        .split('&')
        .map(|pair| {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("no '=' in {pair:?}"))?;
            Ok((strict_percent_decode(name)?, strict_percent_decode(value)?))
        })
        .collect()
}

/// Our JSON value as serde_json's (numbers read by serde_json from their text).
fn to_serde(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::from_str(n.as_str()).expect("number text"),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(o) => {
            serde_json::Value::Object(o.iter().map(|(k, v)| (k.to_owned(), to_serde(v))).collect())
        }
    }
}

fn object(entries: Vec<(String, Value)>) -> Value {
    let mut o = Object::new();
    for (k, v) in entries {
        o.insert(k, v);
    }
    Value::Object(o)
}

fn string(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn number(n: i64) -> Value {
    Value::Number(Number::from_i64(n))
}

// ------------------------------------------------------------------------------------------------
// Strategies.
// ------------------------------------------------------------------------------------------------

/// Any Unix time the signer accepts, with extra weight on the seconds around UTC midnight.
fn timestamp() -> BoxedStrategy<i64> {
    prop_oneof![
        0..=MAX_TIMESTAMP,
        1_500_000_000i64..2_000_000_000,
        (
            (0..=MAX_TIMESTAMP / 86_400),
            select(vec![-1i64, 0, 1, 86_399])
        )
            .prop_map(|(day, offset)| (day * 86_400 + offset).clamp(0, MAX_TIMESTAMP)),
        Just(MAX_TIMESTAMP),
    ]
    .boxed()
}

fn any_text(max: usize) -> BoxedStrategy<String> {
    prop::collection::vec(any::<char>(), 0..max)
        .prop_map(|c| c.into_iter().collect())
        .boxed()
}

fn sign_case() -> BoxedStrategy<SignCase> {
    let secret_key = prop_oneof![
        "[A-Za-z0-9]{32}",
        prop::collection::vec(any::<char>(), 1..48).prop_map(|c| c.into_iter().collect()),
    ];
    let host = prop_oneof![
        Just("cvm.tencentcloudapi.com".to_owned()),
        "[A-Za-z0-9._-]{1,40}(:[1-9][0-9]{0,3})?",
        Just("[::1]:8080".to_owned()),
    ];
    let payload = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        any_text(80).prop_map(String::into_bytes),
    ];
    let method = prop_oneof![Just(Method::Post), Just(Method::Get)];
    (
        (
            "[!-~]{1,64}",
            secret_key,
            prop_oneof![Just("cvm".to_owned()), "[a-z0-9]{1,12}"],
            host,
            method,
            "[ -~]{0,6}[!-~][ -~]{0,30}",
        ),
        (
            r#"[!"$-~]{0,80}"#,
            payload,
            timestamp(),
            proptest::option::of("[A-Za-z0-9]{1,24}"),
        ),
    )
        .prop_map(
            |(
                (secret_id, secret_key, service, host, method, content_type),
                (query, payload, timestamp, action),
            )| SignCase {
                secret_id,
                secret_key,
                service,
                host,
                method,
                content_type,
                query: if method == Method::Get {
                    query
                } else {
                    String::new()
                },
                payload,
                timestamp,
                action,
            },
        )
        .boxed()
}

/// A valid image id: `img-` and characters that are neither whitespace nor control characters,
/// with extra weight on those that need percent-encoding.
fn image_id() -> BoxedStrategy<String> {
    let special = select(
        "&=+%#?/\\:;,@!$'()*[]{}<>\"^`|~-._ 中文字🙂🚀éßΩ\u{200b}\u{feff}\u{fffd}"
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<Vec<_>>(),
    );
    let ch = prop_oneof![
        3 => special,
        3 => prop::char::range('0', 'z'),
        2 => any::<char>(),
    ]
    // Mapped rather than filtered: a filter's rejects add up over 100-id lists.
    .prop_map(|c| {
        if c.is_whitespace() || c.is_control() {
            '~'
        } else {
            c
        }
    });
    prop::collection::vec(ch, 1..30)
        .prop_map(|c| format!("img-{}", c.into_iter().collect::<String>()))
        .boxed()
}

fn distinct_ids(max: usize) -> BoxedStrategy<Vec<String>> {
    prop::collection::vec(image_id(), 1..=max)
        .prop_map(|ids| {
            let mut seen = HashSet::new();
            ids.into_iter()
                .filter(|id| seen.insert(id.clone()))
                .collect()
        })
        .boxed()
}

/// A Boolean parameter as a caller may give it, and what it normalises to.
fn flag_input() -> BoxedStrategy<(Option<Value>, Option<bool>)> {
    prop_oneof![
        Just((None, None)),
        Just((Some(Value::Null), None)),
        any::<bool>().prop_map(|b| (Some(Value::Bool(b)), Some(b))),
        select(vec![
            ("True", true),
            ("False", false),
            ("true", true),
            ("false", false)
        ])
        .prop_map(|(s, b)| (Some(string(s)), Some(b))),
    ]
    .boxed()
}

/// Valid DeleteImages parameters in some key order, and the normalised `(ids, DryRun, DeleteBindedSnap)`.
type Normalised = (Vec<String>, Option<bool>, Option<bool>);

fn delete_images_call(max_ids: usize) -> BoxedStrategy<(Value, Normalised)> {
    (
        distinct_ids(max_ids),
        flag_input(),
        flag_input(),
        any::<u8>(),
    )
        .prop_map(|(ids, (dry_in, dry), (snap_in, snap), order)| {
            let mut entries = vec![(
                "ImageIds".to_owned(),
                Value::Array(ids.iter().map(|s| string(s)).collect()),
            )];
            if let Some(v) = dry_in {
                entries.push(("DryRun".into(), v));
            }
            if let Some(v) = snap_in {
                entries.push(("DeleteBindedSnap".into(), v));
            }
            let len = entries.len();
            entries.rotate_left(usize::from(order) % len);
            if order & 0x80 != 0 {
                entries.reverse();
            }
            (object(entries), (ids, dry, snap))
        })
        .boxed()
}

/// Valid options for a DeleteImages call.
fn options(method: Method) -> BoxedStrategy<(Value, i64, bool)> {
    (
        "[!-~]{1,40}",
        prop::collection::vec(any::<char>(), 1..40).prop_map(|c| c.into_iter().collect::<String>()),
        select(vec![
            "ap-guangzhou",
            "ap-shanghai-fsi",
            "na-siliconvalley",
            "eu-frankfurt",
        ]),
        timestamp(),
        any::<bool>(),
        proptest::option::of(select(vec!["zh-CN", "en-US"])),
    )
        .prop_map(move |(id, key, region, ts, sign_action, language)| {
            let mut entries = vec![
                ("secretId".to_owned(), string(&id)),
                ("secretKey".to_owned(), Value::String(key)),
                ("region".to_owned(), string(region)),
                ("method".to_owned(), string(method.as_str())),
                ("timestamp".to_owned(), number(ts)),
                ("signAction".to_owned(), Value::Bool(sign_action)),
            ];
            if let Some(l) = language {
                entries.push(("language".to_owned(), string(l)));
            }
            (object(entries), ts, sign_action)
        })
        .boxed()
}

/// Keys the validators know, their near misses, and others.
fn key() -> BoxedStrategy<String> {
    let known = select(vec![
        "ImageIds",
        "DryRun",
        "DeleteBindedSnap",
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
        "contentType",
        "query",
        "payload",
        "action",
    ]);
    let near = select(vec![
        "imageIds",
        "ImageId",
        "ImageIDs",
        "DeleteBindedSnapshot",
        "dryRun",
        "DryRun ",
        "secretid",
        "SecretId",
        "secret_key",
        "Region",
        "endPoint",
        "signaction",
        "",
        "\u{0}js",
        "__proto__",
        "ImageIds.0",
        "Zzzzzzzzzzzz",
    ]);
    prop_oneof![
        4 => known.prop_map(str::to_owned),
        2 => near.prop_map(str::to_owned),
        1 => any_text(12),
    ]
    .boxed()
}

fn number_text() -> BoxedStrategy<String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        timestamp().prop_map(|n| n.to_string()),
        select(vec![
            "0",
            "-0",
            "1",
            "-1",
            "1.5",
            "1e3",
            "1E+2",
            "-1e-7",
            "0.0",
            "99999999999999999999",
            "-99999999999999999999",
            "253402300799",
            "253402300800",
            "253402300799000",
            "253402300800000",
            "1700000000000",
            "1551113065",
            "1e21",
        ])
        .prop_map(str::to_owned),
    ]
    .boxed()
}

fn string_leaf() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(vec![
            "img-mfih409y",
            "img-a",
            "img-",
            "img-a b",
            "IMG-abc",
            "ins-abc",
            "True",
            "False",
            "true",
            "false",
            "yes",
            "POST",
            "GET",
            "post",
            "ap-guangzhou",
            "ap-",
            "AP-guangzhou",
            "https://cvm.tencentcloudapi.com",
            "http://127.0.0.1:8080/prefix",
            "https://user:pw@host/",
            "https://host:0/",
            "cvm.tencentcloudapi.com",
            "localhost:99999",
            "zh-CN",
            "en-US",
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            "cvm",
            "CVM",
            "2017-03-12",
            "application/json",
            "Limit=10&Offset=0",
            "DeleteImages",
            "bigint",
            "nonfinite",
            "",
            " ",
            "\u{0}js",
        ])
        .prop_map(str::to_owned),
        2 => image_id(),
        2 => any_text(16),
    ]
    .boxed()
}

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number_text().prop_map(|t| Value::Number(Number::parse(&t).expect("valid number text"))),
        string_leaf().prop_map(Value::String),
        select(vec!["bigint", "symbol", "function", "nonfinite", "other"])
            .prop_map(|k| object(vec![("\u{0}js".into(), string(k))])),
    ]
    .boxed()
}

/// Arbitrary `json::Value` trees over the keys and values the validators know.
fn value_tree() -> BoxedStrategy<Value> {
    leaf()
        .prop_recursive(4, 48, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..8).prop_map(object),
            ]
        })
        .boxed()
}

/// Objects shaped like DeleteImages parameters, each field valid or not.
fn params_like() -> BoxedStrategy<Value> {
    let ids = prop_oneof![
        3 => prop::collection::vec(prop_oneof![4 => string_leaf().prop_map(Value::String), 1 => leaf()], 0..6)
            .prop_map(Value::Array),
        1 => prop::collection::vec(image_id().prop_map(Value::String), 95..110).prop_map(Value::Array),
        1 => value_tree(),
    ];
    (
        proptest::option::of(ids),
        proptest::option::of(leaf()),
        proptest::option::of(leaf()),
        prop::collection::vec((key(), value_tree()), 0..2),
    )
        .prop_map(|(ids, dry, snap, extra)| {
            let mut entries = Vec::new();
            if let Some(v) = ids {
                entries.push(("ImageIds".to_owned(), v));
            }
            if let Some(v) = dry {
                entries.push(("DryRun".to_owned(), v));
            }
            if let Some(v) = snap {
                entries.push(("DeleteBindedSnap".to_owned(), v));
            }
            entries.extend(extra);
            object(entries)
        })
        .boxed()
}

/// Objects shaped like options, each field valid or not; the secret key is recognisable.
fn options_like() -> BoxedStrategy<(Value, String)> {
    let field = |valid: Vec<&'static str>| {
        proptest::option::of(prop_oneof![
            3 => select(valid).prop_map(string),
            1 => leaf(),
        ])
    };
    (
        (
            field(vec![
                "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                "a",
                "with space",
            ]),
            "[A-Za-z0-9]{24}",
            field(vec!["ap-guangzhou", "na-siliconvalley", "ap-", "x"]),
            field(vec![
                "https://cvm.tencentcloudapi.com",
                "http://localhost:8080/p",
                "https://[::1]:8443",
                "ftp://x",
            ]),
            field(vec![
                "cvm.tencentcloudapi.com",
                "HOST.example:443",
                "bad host",
            ]),
            field(vec!["POST", "GET", "get"]),
        ),
        (
            proptest::option::of(prop_oneof![
                number_text().prop_map(|t| Value::Number(Number::parse(&t).unwrap())),
                leaf()
            ]),
            field(vec!["zh-CN", "en-US", "fr-FR"]),
            field(vec!["true", "False", "maybe"]),
            field(vec!["tok3n", "", "has space"]),
            field(vec!["2017-03-12", "v1"]),
            field(vec!["cvm", "CVM", "cbs"]),
            prop::collection::vec((key(), value_tree()), 0..2),
        ),
    )
        .prop_map(
            |(
                (id, key, region, endpoint, host, method),
                (ts, language, sign_action, token, version, service, extra),
            )| {
                let secret = format!("S3cr3t{key}");
                let mut entries = vec![("secretKey".to_owned(), string(&secret))];
                for (name, v) in [
                    ("secretId", id),
                    ("region", region),
                    ("endpoint", endpoint),
                    ("host", host),
                    ("method", method),
                    ("timestamp", ts),
                    ("language", language),
                    ("signAction", sign_action),
                    ("token", token),
                    ("version", version),
                    ("service", service),
                ] {
                    if let Some(v) = v {
                        entries.push((name.to_owned(), v));
                    }
                }
                for (k, v) in extra {
                    if k != "secretKey" {
                        entries.push((k, v));
                    }
                }
                (object(entries), secret)
            },
        )
        .boxed()
}

/// Arbitrary serde_json values (finite floats, full-range integers, any strings).
fn serde_value() -> BoxedStrategy<serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::String),
        any_text(8).prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(any_text(6), inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

// ------------------------------------------------------------------------------------------------
// Signing.
// ------------------------------------------------------------------------------------------------

thread_local! {
    /// A cache shared by every case of a run, so hits, misses and evictions all happen.
    static SHARED_CACHE: RefCell<SigningKeyCache> = RefCell::new(SigningKeyCache::new());
}

proptest! {
    #![proptest_config(config())]

    /// Every stage equals the independent implementation; cached = uncached; the Authorization
    /// header parses back into its parts.
    #[test]
    fn signing_matches_an_independent_tc3(case in sign_case()) {
        let key = SecretKey::new(case.secret_key.clone());
        let plain = case.sign(&key, None);
        let want = independent_tc3(&case);
        prop_assert_eq!(&expected_of(&plain), &want);

        // Deterministic, and the cache changes nothing (miss, hit, shared LRU cache).
        let mut cache = SigningKeyCache::new();
        prop_assert_eq!(&case.sign(&key, Some(&mut cache)), &plain);
        prop_assert_eq!(&case.sign(&key, Some(&mut cache)), &plain);
        prop_assert_eq!(&case.sign(&key, None), &plain);
        let shared = SHARED_CACHE.with(|c| case.sign(&key, Some(&mut c.borrow_mut())));
        prop_assert_eq!(&shared, &plain);

        // Stage consistency, each against independent SHA-256.
        let last = plain.string_to_sign.rsplit('\n').next().unwrap();
        prop_assert_eq!(last, sha256_hex(plain.canonical_request.as_bytes()));
        prop_assert_eq!(&plain.hashed_payload, &sha256_hex(&case.payload));
        prop_assert!(plain.canonical_request.ends_with(&plain.hashed_payload));
        let date = utc_date(case.timestamp);
        let prefix = format!("{date}/");
        prop_assert!(plain.credential_scope.starts_with(&prefix));

        let (id, scope, headers, signature) = parse_authorization(&plain.authorization)
            .ok_or_else(|| TestCaseError::fail(format!("unparsable {:?}", plain.authorization)))?;
        prop_assert_eq!(id, case.secret_id.clone());
        prop_assert_eq!(scope, plain.credential_scope.clone());
        prop_assert_eq!(headers, plain.signed_headers.clone());
        prop_assert_eq!(signature, plain.signature.clone());
    }

    /// Two keys of one SecretId interleaved through one cache: a rotated key never signs with the
    /// other key's derived material.
    #[test]
    fn the_cache_never_mixes_keys_dates_or_services(
        case in sign_case(),
        other_key in "[A-Za-z0-9]{1,40}",
        day_shift in prop_oneof![Just(0i64), Just(1), Just(-1)],
        other_service in prop_oneof![Just("cvm".to_owned()), "[a-z]{1,6}"],
    ) {
        let mut other = case.clone();
        other.secret_key = other_key;
        other.service = other_service;
        other.timestamp = (case.timestamp + day_shift * 86_400).clamp(0, MAX_TIMESTAMP);
        let (k1, k2) = (SecretKey::new(case.secret_key.clone()), SecretKey::new(other.secret_key.clone()));
        let mut cache = SigningKeyCache::new();
        for _ in 0..2 {
            prop_assert_eq!(&case.sign(&k1, Some(&mut cache)), &case.sign(&k1, None));
            prop_assert_eq!(&other.sign(&k2, Some(&mut cache)), &other.sign(&k2, None));
        }
        prop_assert_eq!(case.sign(&k1, Some(&mut cache)).signature, independent_tc3(&case).signature);
        prop_assert_eq!(other.sign(&k2, Some(&mut cache)).signature, independent_tc3(&other).signature);
        prop_assert!(cache.len() <= SigningKeyCache::CAPACITY);
    }

    /// Arbitrary strings in every field never panic the signer: it rejects with a named field, or
    /// signs exactly as the independent implementation does.
    #[test]
    fn signing_arbitrary_input_never_panics(
        secret_id in prop_oneof![any_text(20), "[!-~]{1,20}"],
        secret_key in any_text(20),
        service in prop_oneof![any_text(8), "[a-z0-9]{1,8}"],
        host in prop_oneof![any_text(20), "[a-z0-9.:\\[\\]_-]{1,20}"],
        post in any::<bool>(),
        content_type in prop_oneof![any_text(20), "[ -~]{0,20}"],
        query in prop_oneof![any_text(20), "[!-~]{0,20}"],
        payload in prop::collection::vec(any::<u8>(), 0..64),
        timestamp in prop_oneof![any::<i64>(), -2i64..2, (MAX_TIMESTAMP - 2)..(MAX_TIMESTAMP + 2)],
        action in proptest::option::of(prop_oneof![any_text(8), "[A-Za-z0-9]{0,8}"]),
    ) {
        let case = SignCase {
            secret_id,
            secret_key,
            service,
            host,
            method: if post { Method::Post } else { Method::Get },
            content_type,
            query,
            payload,
            timestamp,
            action,
        };
        let key = SecretKey::new(case.secret_key.clone());
        let params = SigningParams {
            secret_id: &case.secret_id,
            secret_key: &key,
            service: &case.service,
            host: &case.host,
            method: case.method,
            content_type: &case.content_type,
            query: &case.query,
            payload: &case.payload,
            timestamp: case.timestamp,
            action: case.action.as_deref(),
        };
        let plain = sign::sign(&params, None);
        let mut cache = SigningKeyCache::new();
        prop_assert_eq!(&sign::sign(&params, Some(&mut cache)), &plain);
        match plain {
            Err(e) => {
                prop_assert!(!e.field().is_empty(), "{:?}", e);
                prop_assert!(!e.message().is_empty());
            }
            Ok(out) => prop_assert_eq!(expected_of(&out), independent_tc3(&case)),
        }
    }
}

#[test]
fn credential_scope_dates_at_known_boundaries() {
    let table = [
        (0, "1970-01-01"),
        (86_399, "1970-01-01"),
        (86_400, "1970-01-02"),
        (68_169_599, "1972-02-28"),
        (68_169_600, "1972-02-29"),
        (946_684_799, "1999-12-31"),
        (946_684_800, "2000-01-01"),
        (951_782_399, "2000-02-28"),
        (951_782_400, "2000-02-29"),
        (951_868_799, "2000-02-29"),
        (951_868_800, "2000-03-01"),
        (978_307_199, "2000-12-31"),
        (978_307_200, "2001-01-01"),
        (1_539_084_154, "2018-10-09"),
        (1_551_113_065, "2019-02-25"),
        (1_709_251_199, "2024-02-29"),
        (1_709_251_200, "2024-03-01"),
        (4_107_542_399, "2100-02-28"),
        (4_107_542_400, "2100-03-01"),
        (253_402_214_399, "9999-12-30"),
        (253_402_214_400, "9999-12-31"),
        (MAX_TIMESTAMP, "9999-12-31"),
    ];
    let key = SecretKey::new("k".into());
    for (timestamp, date) in table {
        assert_eq!(
            utc_date(timestamp),
            date,
            "the test's own calendar at {timestamp}"
        );
        let out = sign::sign(
            &SigningParams {
                secret_id: "id",
                secret_key: &key,
                service: "cvm",
                host: "cvm.tencentcloudapi.com",
                method: Method::Post,
                content_type: "application/json",
                query: "",
                payload: b"{}",
                timestamp,
                action: None,
            },
            None,
        )
        .unwrap();
        assert_eq!(out.credential_scope, format!("{date}/cvm/tc3_request"));
    }
}

// ------------------------------------------------------------------------------------------------
// Request building: GET query and POST body.
// ------------------------------------------------------------------------------------------------

/// The request checked the way a server would: recompute the canonical request from what is
/// sent (method, query, body, headers) and the signature from the secret, independently.
fn verify_like_a_server(req: &SignedRequest, key: &str, host: &str) -> Result<(), TestCaseError> {
    let header = |name: &str| {
        req.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    let auth = header("Authorization").ok_or_else(|| TestCaseError::fail("no Authorization"))?;
    let (secret_id, _, signed_headers, signature) = parse_authorization(&auth)
        .ok_or_else(|| TestCaseError::fail(format!("unparsable {auth:?}")))?;
    let timestamp: i64 = header("X-TC-Timestamp").unwrap().parse().unwrap();
    let case = SignCase {
        secret_id,
        secret_key: key.to_owned(),
        service: "cvm".into(),
        host: host.to_owned(),
        method: req.method,
        content_type: header("Content-Type").unwrap(),
        query: req
            .url
            .split_once('?')
            .map(|(_, q)| q.to_owned())
            .unwrap_or_default(),
        payload: req.body.clone().unwrap_or_default().into_bytes(),
        timestamp,
        action: signed_headers
            .ends_with(";x-tc-action")
            .then(|| header("X-TC-Action").unwrap()),
    };
    let want = independent_tc3(&case);
    prop_assert_eq!(&signature, &want.signature);
    prop_assert_eq!(&auth, &want.authorization);
    prop_assert_eq!(&req.signing.canonical_request, &want.canonical_request);
    Ok(())
}

fn expected_pairs((ids, dry, snap): &Normalised) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (format!("ImageIds.{i}"), id.clone()))
        .collect();
    if let Some(b) = dry {
        pairs.push(("DryRun".into(), b.to_string()));
    }
    if let Some(b) = snap {
        pairs.push(("DeleteBindedSnap".into(), b.to_string()));
    }
    pairs
}

fn secret_of(options: &Value) -> String {
    options
        .as_object()
        .and_then(|o| o.get("secretKey"))
        .and_then(Value::as_str)
        .unwrap()
        .to_owned()
}

proptest! {
    #![proptest_config(config())]

    /// The GET query decodes, strictly, to exactly the normalised parameters, uses only unreserved
    /// characters and upper-case `%XX`, is what was signed, and verifies independently.
    #[test]
    fn get_query_round_trips((params, normalised) in delete_images_call(12), (opts, ts, sign_action) in options(Method::Get)) {
        let secret = secret_of(&opts);
        let options = RequestOptions::from_value(opts, || 0, false).unwrap();
        prop_assert_eq!(options.timestamp, ts);
        prop_assert_eq!(options.sign_action, sign_action);
        let req = request::build_delete_images(&params, &options, None).unwrap();
        let (base, query) = req.url.split_once('?').unwrap();
        prop_assert_eq!(base, "https://cvm.tencentcloudapi.com/");
        prop_assert!(req.body.is_none());
        for component in query.split(['&', '=']) {
            let mut bytes = component.bytes();
            while let Some(b) = bytes.next() {
                if b == b'%' {
                    let (h, l) = (bytes.next(), bytes.next());
                    let upper = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(&c));
                    prop_assert!(upper(h) && upper(l), "bad escape in {}", query);
                } else {
                    prop_assert!(is_unreserved(b), "literal {:?} in {}", char::from(b), query);
                }
            }
        }
        let pairs = decode_query(query).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&pairs, &expected_pairs(&normalised));
        prop_assert_eq!(req.signing.canonical_request.split('\n').nth(2), Some(query));
        prop_assert_eq!(&req.signing.hashed_payload, &sha256_hex(b""));
        prop_assert_eq!(
            req.headers.iter().find(|(n, _)| *n == "Content-Type").map(|(_, v)| v.as_str()),
            Some(request::FORM_CONTENT_TYPE)
        );
        verify_like_a_server(&req, &secret, "cvm.tencentcloudapi.com")?;
    }

    /// The POST body is byte-for-byte what was hashed and signed, and parses to the normalised
    /// parameters in Tencent's key order.
    #[test]
    fn post_body_is_what_was_signed((params, normalised) in delete_images_call(12), (opts, _, _) in options(Method::Post)) {
        let secret = secret_of(&opts);
        let options = RequestOptions::from_value(opts, || 0, false).unwrap();
        let req = request::build_delete_images(&params, &options, None).unwrap();
        prop_assert_eq!(&req.url, "https://cvm.tencentcloudapi.com/");
        let body = req.body.clone().unwrap();
        prop_assert_eq!(&req.signing.hashed_payload, &sha256_hex(body.as_bytes()));
        prop_assert!(req.signing.canonical_request.ends_with(&sha256_hex(body.as_bytes())));
        let (ids, dry, snap) = &normalised;
        let mut want = serde_json::Map::new();
        want.insert("ImageIds".into(), serde_json::json!(ids));
        if let Some(b) = dry {
            want.insert("DryRun".into(), serde_json::json!(b));
        }
        if let Some(b) = snap {
            want.insert("DeleteBindedSnap".into(), serde_json::json!(b));
        }
        let got: serde_json::Value = serde_json::from_str(&body).map_err(|e| TestCaseError::fail(format!("{e}: {body}")))?;
        prop_assert_eq!(got, serde_json::Value::Object(want));
        let ours = json::parse(&body).unwrap();
        let keys: Vec<&str> = ours.as_object().unwrap().keys().collect();
        let mut want_keys = vec!["ImageIds"];
        if dry.is_some() { want_keys.push("DryRun"); }
        if snap.is_some() { want_keys.push("DeleteBindedSnap"); }
        prop_assert_eq!(keys, want_keys);
        verify_like_a_server(&req, &secret, "cvm.tencentcloudapi.com")?;
    }

    /// Many ids: the GET form is built, or refused as too large exactly when the encoded query is
    /// over the API's limit.
    #[test]
    fn get_size_limit_is_exact((params, normalised) in delete_images_call(MAX_IMAGE_IDS_PER_CALL), (opts, _, _) in options(Method::Get)) {
        let options = RequestOptions::from_value(opts, || 0, false).unwrap();
        let encoded_len: usize = expected_pairs(&normalised)
            .iter()
            .map(|(k, v)| {
                let enc = |s: &str| s.bytes().map(|b| if is_unreserved(b) { 1 } else { 3 }).sum::<usize>();
                enc(k) + 1 + enc(v)
            })
            .sum::<usize>()
            + expected_pairs(&normalised).len().saturating_sub(1);
        match request::build_delete_images(&params, &options, None) {
            Ok(req) => {
                prop_assert!(encoded_len <= request::MAX_GET_BYTES);
                prop_assert_eq!(req.url.split_once('?').unwrap().1.len(), encoded_len);
            }
            Err(e) => {
                prop_assert!(encoded_len > request::MAX_GET_BYTES, "{}", e);
                prop_assert_eq!(e.field(), "params");
            }
        }
    }

    /// `encode(pairs)` decodes back to the pairs for any strings (spaces, `&=+%#?/`, emoji, …).
    #[test]
    fn percent_encoding_round_trips(pairs in prop::collection::vec((any_text(12), any_text(24)), 0..6)) {
        let encoded = query::encode(&pairs);
        let decoded = decode_query(&encoded).map_err(TestCaseError::fail)?;
        prop_assert_eq!(decoded, pairs);
    }

    /// `flatten` of any parameter tree matches an independent flattening, and `build` of any
    /// tree as GET signs a query of unreserved characters and `%XX` only.
    #[test]
    fn generic_get_flattens_any_tree(params in value_tree(), (opts, _, _) in options(Method::Get)) {
        fn walk(name: String, v: &Value, out: &mut Vec<(String, String)>) {
            match v {
                Value::Null => {}
                Value::Bool(b) => out.push((name, if *b { "true" } else { "false" }.into())),
                Value::Number(n) => out.push((name, n.as_str().into())),
                Value::String(s) => out.push((name, s.clone())),
                Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        walk(format!("{name}.{i}"), x, out);
                    }
                }
                Value::Object(o) => {
                    for (k, x) in o.iter() {
                        walk(format!("{name}.{k}"), x, out);
                    }
                }
            }
        }
        let mut want = Vec::new();
        if let Value::Object(o) = &params {
            for (k, v) in o.iter() {
                walk(k.to_owned(), v, &mut want);
            }
        }
        prop_assert_eq!(&query::flatten(&params), &want);
        let options = RequestOptions::from_value(opts, || 0, true).unwrap();
        let req = request::build("DescribeImages", &params, &options, None).unwrap();
        let query = req.url.split_once('?').unwrap().1;
        let decoded = decode_query(query).map_err(TestCaseError::fail)?;
        prop_assert_eq!(decoded, want);
    }
}

// ------------------------------------------------------------------------------------------------
// JSON against serde_json.
// ------------------------------------------------------------------------------------------------

/// Characters that matter to a JSON reader, for mutating valid documents.
fn json_mutation() -> BoxedStrategy<(u16, Option<char>)> {
    let ch = select(
        "{}[]\",:\\ \t\n0123456789-+.eEtrufalsn/bu\u{0}\u{1f}\u{7f}é🙂"
            .chars()
            .collect::<Vec<_>>(),
    );
    (any::<u16>(), proptest::option::of(ch)).boxed()
}

proptest! {
    #![proptest_config(config())]

    /// serde_json's output (compact and pretty) parses to the same value, and our output of it
    /// parses in serde_json to the same value.
    #[test]
    fn json_agrees_with_serde(v in serde_value()) {
        for text in [serde_json::to_string(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap()] {
            // serde_json's reading of its own text (without `float_roundtrip` a float may come
            // back one ULP off `v`, so `v` itself is not the reference).
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let ours = json::parse(&text).map_err(|e| TestCaseError::fail(format!("{e:?} on {text}")))?;
            prop_assert_eq!(&to_serde(&ours), &v);
            prop_assert_eq!(&json::parse_strict(&text).unwrap(), &ours);
            let written = json::to_string(&ours);
            let back: serde_json::Value = serde_json::from_str(&written)
                .map_err(|e| TestCaseError::fail(format!("{e} on {written}")))?;
            prop_assert_eq!(&back, &v);
            // Our writer is a fixed point of our reader.
            prop_assert_eq!(json::to_string(&json::parse(&written).unwrap()), written);
        }
    }

    /// Our own values (keys in any order, numbers as text) write JSON that serde_json reads as the
    /// same value.
    #[test]
    fn json_to_string_is_valid_json(v in value_tree()) {
        let written = json::to_string(&v);
        let back: serde_json::Value = serde_json::from_str(&written)
            .map_err(|e| TestCaseError::fail(format!("{e} on {written}")))?;
        prop_assert_eq!(back, to_serde(&v));
        prop_assert_eq!(json::parse(&written).unwrap(), v);
    }

    /// Valid documents, cut short or with characters inserted or deleted: whenever serde_json
    /// accepts, we accept the same value; when only we accept, it is for a documented reason
    /// (numbers out of f64 range, lone surrogates).
    #[test]
    fn json_mutations_agree_with_serde(v in serde_value(), edits in prop::collection::vec(json_mutation(), 1..4), cut in any::<u16>()) {
        let mut chars: Vec<char> = serde_json::to_string(&v).unwrap().chars().collect();
        for (at, ch) in edits {
            let at = usize::from(at) % (chars.len() + 1);
            match ch {
                Some(c) => chars.insert(at, c),
                None if at < chars.len() => { chars.remove(at); }
                None => {}
            }
        }
        if cut % 4 == 0 {
            chars.truncate(usize::from(cut) % (chars.len() + 1));
        }
        let text: String = chars.into_iter().collect();
        let ours = json::parse(&text);
        let theirs = serde_json::from_str::<serde_json::Value>(&text);
        match (&ours, &theirs) {
            (Ok(o), Ok(t)) => prop_assert_eq!(&to_serde(o), t, "{}", text),
            (Err(_), Err(_)) => {}
            (Err(e), Ok(_)) => prop_assert!(false, "we reject ({:?}) what serde_json accepts: {:?}", e, text),
            (Ok(_), Err(e)) => {
                let why = e.to_string();
                prop_assert!(why.contains("out of range") || why.contains("surrogate"),
                    "we accept what serde_json rejects ({}): {:?}", why, text);
            }
        }
    }

    /// Arbitrary text (any bytes made valid UTF-8) never panics the reader.
    #[test]
    fn json_parse_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256), text in any::<String>()) {
        for t in [String::from_utf8_lossy(&bytes).into_owned(), text] {
            let lenient = json::parse(&t);
            let strict = json::parse_strict(&t);
            if let Ok(v) = &strict {
                prop_assert_eq!(Ok(v), lenient.as_ref());
            }
            if lenient.is_ok() && strict.is_err() {
                prop_assert_eq!(strict, Err(json::ParseError::LoneSurrogate));
            }
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Response decoding.
// ------------------------------------------------------------------------------------------------

/// Envelope-like bodies: well-formed, with odd field types, or not envelopes at all.
fn envelope() -> BoxedStrategy<Value> {
    let request_id = proptest::option::of(prop_oneof![
        3 => "[a-f0-9-]{0,36}".prop_map(Value::String),
        1 => leaf(),
    ]);
    let code = prop_oneof![
        3 => select(vec![
            "InvalidImageId.NotFound",
            "RequestLimitExceeded",
            "DryRunOperation",
            "DryRunOperation",
            "InternalError",
            "AuthFailure.SignatureFailure",
            "",
            "Unknown.Code",
        ])
        .prop_map(string),
        1 => leaf(),
    ];
    let error = proptest::option::of(prop_oneof![
        4 => (proptest::option::of(code), proptest::option::of(leaf())).prop_map(|(c, m)| {
            let mut e = vec![];
            if let Some(c) = c { e.push(("Code".to_owned(), c)); }
            if let Some(m) = m { e.push(("Message".to_owned(), m)); }
            object(e)
        }),
        1 => leaf(),
    ]);
    (
        request_id,
        error,
        prop::collection::vec((key(), value_tree()), 0..2),
        0u8..8,
    )
        .prop_map(|(id, error, extra, shape)| {
            let mut inner = extra;
            if let Some(e) = error {
                inner.push(("Error".into(), e));
            }
            if let Some(id) = id {
                inner.push(("RequestId".into(), id));
            }
            let response = object(inner);
            match shape {
                0 => response,
                1 => object(vec![("response".into(), response)]),
                2 => Value::Array(vec![object(vec![("Response".into(), response)])]),
                _ => object(vec![("Response".into(), response)]),
            }
        })
        .boxed()
}

/// Tencent's error codes: `InvalidImageId.NotFound`, `AuthFailure.SignatureFailure`, …
/// A RequestId the decoder passes on as sent (longer ones are cut, control characters cleaned).
fn plain_request_id(id: &str) -> bool {
    id.chars().count() <= 128 && !id.chars().any(char::is_control)
}

fn looks_like_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn check_decoded(status: u16, body: &str) -> Result<(), TestCaseError> {
    match response::decode(status, body) {
        Ok(ok) => {
            prop_assert!((200..300).contains(&status), "success with HTTP {}", status);
            prop_assert!(
                !ok.request_id.is_empty(),
                "success without RequestId: {:?}",
                body
            );
            let _: serde_json::Value = serde_json::from_str(&ok.response_json()).unwrap();
        }
        Err(e) => {
            prop_assert!(!e.code.is_empty(), "empty code for {} {:?}", status, body);
            prop_assert_eq!(e.http_status, status);
            prop_assert!(!e.message.is_empty() || !body.is_empty());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Any bytes (lossy UTF-8), any status: no panic; success only for 2xx with a RequestId, or an
    /// error with a code.
    #[test]
    fn decoder_never_panics_on_bytes(status in 100u16..=599, bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_decoded(status, &String::from_utf8_lossy(&bytes))?;
    }

    /// Envelope-shaped bodies, whole or cut short: same invariants, and a well-formed error
    /// envelope keeps the server's code and RequestId (reference §4).
    #[test]
    fn decoder_reads_envelopes(status in prop_oneof![Just(200u16), 100u16..=599], body in envelope(), cut in any::<u16>()) {
        let text = json::to_string(&body);
        check_decoded(status, &text)?;
        let cut_at = usize::from(cut) % (text.len() + 1);
        if let Some(prefix) = text.get(..cut_at) {
            check_decoded(status, prefix)?;
        }
        let response = body.as_object().and_then(|o| o.get("Response")).and_then(Value::as_object);
        let Some(response) = response else { return Ok(()) };
        let id = match response.get("RequestId") {
            None => "",
            Some(Value::String(s)) => s.as_str(),
            Some(_) => return Ok(()),
        };
        let code = response.get("Error").and_then(Value::as_object).and_then(|e| e.get("Code")).and_then(Value::as_str);
        match (code, response::decode(status, &text)) {
            (Some(""), _) | (None, _) if response.get("Error").is_some() => {}
            (Some("DryRunOperation"), Ok(ok)) => {
                prop_assert!((200..300).contains(&status));
                prop_assert!(!id.is_empty());
                prop_assert!(ok.dry_run_operation);
                if plain_request_id(id) {
                    prop_assert_eq!(ok.request_id, id);
                }
            }
            (Some(code), Err(e)) => {
                // DryRunOperation is a success only with HTTP 2xx and a RequestId.
                prop_assert!(
                    code != "DryRunOperation" || !(200..300).contains(&status) || id.is_empty()
                );
                // A code of Tencent's form (dotted ASCII names) is kept as sent, with a plain
                // RequestId; anything else may be replaced by a client code or cleaned up.
                if looks_like_code(code) {
                    prop_assert_eq!(e.code, code);
                    if plain_request_id(id) {
                        prop_assert_eq!(e.request_id, id);
                    }
                }
            }
            (None, Ok(ok)) => {
                prop_assert!((200..300).contains(&status));
                if plain_request_id(id) {
                    prop_assert_eq!(ok.request_id, id);
                }
                prop_assert!(!ok.dry_run_operation);
            }
            (None, Err(e)) => {
                prop_assert!(id.is_empty() || !(200..300).contains(&status), "{:?}", e);
            }
            (Some(code), Ok(ok)) => prop_assert!(false, "{} decoded as success {:?}", code, ok),
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Validators.
// ------------------------------------------------------------------------------------------------

fn check_params(params: &Value) -> Result<(), TestCaseError> {
    match DeleteImagesParams::from_value(params) {
        Ok(p) => {
            prop_assert!(!p.image_ids.is_empty() && p.image_ids.len() <= MAX_IMAGE_IDS_PER_CALL);
            let distinct: HashSet<&String> = p.image_ids.iter().collect();
            prop_assert_eq!(distinct.len(), p.image_ids.len());
            for id in &p.image_ids {
                prop_assert!(
                    id.starts_with("img-") && id.len() > 4 && id.len() <= 128,
                    "{:?}",
                    id
                );
                prop_assert!(
                    !id.chars().any(|c| c.is_whitespace() || c.is_control()),
                    "{:?}",
                    id
                );
            }
            // Normalisation is idempotent.
            prop_assert_eq!(DeleteImagesParams::from_value(&p.to_value()).unwrap(), p);
        }
        Err(e) => {
            prop_assert!(
                !e.field().is_empty(),
                "error without a field: {:?} for {}",
                e,
                json::to_string(params)
            );
            prop_assert!(!e.message().is_empty());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// DeleteImages parameters: no panic on any tree; valid results obey the rules; every error
    /// names a field.
    #[test]
    fn params_validation_never_panics(tree in value_tree(), shaped in params_like()) {
        check_params(&tree)?;
        check_params(&shaped)?;
    }

    /// Options (both option sets) and the signer's input: no panic on any tree, every error
    /// names a field, the secret key is never quoted; whatever validates also builds or fails
    /// with a named field.
    #[test]
    fn options_validation_never_panics(
        tree in value_tree(),
        (shaped, secret) in options_like(),
        params in prop_oneof![params_like(), value_tree()],
        generic in any::<bool>(),
    ) {
        for options in [tree.clone(), shaped] {
            match RequestOptions::from_value(options.clone(), || 1_551_113_065, generic) {
                Ok(o) => {
                    prop_assert!((0..=MAX_TIMESTAMP).contains(&o.timestamp));
                    match request::build_delete_images(&params, &o, None) {
                        Ok(req) => prop_assert!(req.signing.authorization.starts_with("TC3-HMAC-SHA256 Credential=")),
                        Err(e) => {
                            prop_assert!(!e.field().is_empty(), "{:?}", e);
                            prop_assert!(!e.message().contains(&secret));
                        }
                    }
                }
                Err(e) => {
                    prop_assert!(!e.field().is_empty(), "error without a field: {:?} for {}", e, json::to_string(&options));
                    prop_assert!(!e.message().contains(&secret), "{}", e.message());
                }
            }
        }
        match SignTc3Input::from_value(tree) {
            Ok(input) => {
                let mut cache = SigningKeyCache::new();
                let plain = sign::sign(&input.params(), None);
                prop_assert_eq!(&sign::sign(&input.params(), Some(&mut cache)), &plain);
                if let Err(e) = plain {
                    prop_assert!(!e.field().is_empty(), "{:?}", e);
                }
            }
            Err(e) => prop_assert!(!e.field().is_empty(), "{:?}", e),
        }
    }

    /// Arguments as text (what the JavaScript layer passes): no panic, errors name a field.
    #[test]
    fn argument_read_never_panics(tree in value_tree(), bytes in prop::collection::vec(any::<u8>(), 0..128)) {
        for text in [json::to_string(&tree), String::from_utf8_lossy(&bytes).into_owned()] {
            match argument::read(&text, "params") {
                Ok(v) => check_params(&v)?,
                Err(e) => prop_assert!(!e.field().is_empty(), "{:?} for {:?}", e, text),
            }
        }
    }
}

/// The GET size limit at its exact boundary: a query of `MAX_GET_BYTES` bytes is built, one byte
/// more is refused (the random lists above rarely get that close).
#[test]
fn get_size_limit_at_the_boundary() {
    let options = RequestOptions::from_value(
        json::parse(
            r#"{"secretId":"AKIDEXAMPLE","secretKey":"k","region":"ap-guangzhou","method":"GET","timestamp":1551113065}"#,
        )
        .unwrap(),
        || 0,
        false,
    )
    .unwrap();
    let encoded_len = |ids: &[String]| {
        ids.iter()
            .enumerate()
            .map(|(i, id)| {
                format!("ImageIds.{i}=").len()
                    + id.bytes()
                        .map(|b| if is_unreserved(b) { 1 } else { 3 })
                        .sum::<usize>()
            })
            .sum::<usize>()
            + ids.len()
            - 1
    };
    // 100 ids of `img-NN` + 33 × 中 (9 bytes each once encoded), then ASCII padding up to the limit.
    let mut ids: Vec<String> = (0..MAX_IMAGE_IDS_PER_CALL)
        .map(|i| format!("img-{i:02}{}", "中".repeat(33)))
        .collect();
    assert!(encoded_len(&ids) < request::MAX_GET_BYTES);
    let mut i = 0;
    while encoded_len(&ids) < request::MAX_GET_BYTES {
        if ids[i].len() < 128 {
            ids[i].push('a');
        } else {
            i += 1;
        }
    }
    assert_eq!(encoded_len(&ids), request::MAX_GET_BYTES);
    let params = |ids: &[String]| {
        object(vec![(
            "ImageIds".into(),
            Value::Array(ids.iter().map(|s| string(s)).collect()),
        )])
    };
    let req = request::build_delete_images(&params(&ids), &options, None).unwrap();
    assert_eq!(
        req.url.split_once('?').unwrap().1.len(),
        request::MAX_GET_BYTES
    );
    while ids[i].len() >= 128 {
        i += 1;
    }
    ids[i].push('a');
    let e = request::build_delete_images(&params(&ids), &options, None).unwrap_err();
    assert_eq!(
        (e.field(), e.code().as_str()),
        ("params", "RequestSizeLimitExceeded")
    );
}

// ------------------------------------------------------------------------------------------------
// Failures found by the properties above, minimised, kept as regression tests.
// ------------------------------------------------------------------------------------------------

/// Found by `params_validation_never_panics`, `options_validation_never_panics` and
/// `argument_read_never_panics`: an unknown key that is the empty string (`{"": null}`, which
/// `JSON.stringify({"": null})` produces) is reported with an empty field name, so the error
/// names no field (and the hint suggests the first known name, since "" prefixes every name).
#[test]
fn regression_empty_unknown_key_names_a_field() {
    let e = DeleteImagesParams::from_value(&object(vec![
        ("ImageIds".into(), Value::Array(vec![string("img-a")])),
        (String::new(), Value::Null),
    ]))
    .unwrap_err();
    assert_eq!(e.code().as_str(), "UnknownParameter");
    assert!(!e.field().is_empty(), "{e:?}");

    let e = RequestOptions::from_value(
        object(vec![
            ("secretId".into(), string("AKIDEXAMPLE")),
            ("secretKey".into(), string("k")),
            ("region".into(), string("ap-guangzhou")),
            (String::new(), Value::Null),
        ]),
        || 0,
        false,
    )
    .unwrap_err();
    assert!(!e.field().is_empty(), "{e:?}");

    let e = SignTc3Input::from_value(object(vec![(String::new(), Value::Null)])).unwrap_err();
    assert!(!e.field().is_empty(), "{e:?}");
}

/// Found by `decoder_reads_envelopes`: `DryRunOperation` without a RequestId (absent or empty)
/// decodes as a success with an empty `request_id`, where every other success without a
/// RequestId is `ClientError.InvalidResponse` ("the response has no RequestId").
#[test]
fn regression_dry_run_operation_needs_a_request_id() {
    for body in [
        r#"{"Response":{"Error":{"Code":"DryRunOperation","Message":"ok"}}}"#,
        r#"{"Response":{"Error":{"Code":"DryRunOperation","Message":"ok"},"RequestId":""}}"#,
    ] {
        match response::decode(200, body) {
            Ok(ok) => panic!(
                "{body} decoded as success with RequestId {:?}",
                ok.request_id
            ),
            Err(e) => assert!(!e.code.is_empty()),
        }
    }
    // With a RequestId it is the success signal it should be.
    let ok = response::decode(
        200,
        r#"{"Response":{"Error":{"Code":"DryRunOperation","Message":"ok"},"RequestId":"r"}}"#,
    )
    .unwrap();
    assert!(ok.dry_run_operation);
}
