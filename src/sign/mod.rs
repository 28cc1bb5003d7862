//! TC3-HMAC-SHA256, Tencent Cloud API 3.0's signature (reference: "Signature v3").
//!
//! Each stage of the algorithm is a small type whose `Display` prints exactly the spec's string,
//! so tests compare stage by stage and a failure names the stage that diverged:
//!
//! ```text
//! CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
//!                    SignedHeaders \n HashedRequestPayload
//! StringToSign     = "TC3-HMAC-SHA256" \n Timestamp \n CredentialScope \n hex(SHA256(CanonicalRequest))
//! SecretSigning    = HMAC(HMAC(HMAC("TC3" + SecretKey, Date), Service), "tc3_request")
//! Signature        = hex(HMAC(SecretSigning, StringToSign))
//! ```
//!
//! ```
//! use tencentcloud_cvm_wasm::sign::secret::SecretKey;
//! use tencentcloud_cvm_wasm::sign::{sign, Method, SigningParams};
//!
//! let key = SecretKey::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".into());
//! let payload = r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
//! let signed = sign(&SigningParams {
//!     secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
//!     secret_key: &key,
//!     service: "cvm",
//!     host: "cvm.tencentcloudapi.com",
//!     method: Method::Post,
//!     content_type: "application/json; charset=utf-8",
//!     query: "",
//!     payload: payload.as_bytes(),
//!     timestamp: 1551113065,
//!     action: None,
//! }, None).unwrap();
//! assert_eq!(signed.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
//! ```
//!
//! One job: TC3's stages and `sign`; the signing key and its cache are in `key.rs`, the rules of what is signed in `rules.rs`.

mod key;
mod rules;
pub mod secret;
pub mod tc3_input;
pub mod v1;

pub(crate) use key::sha256;
use key::*;
pub use key::{hmac, signing_key_stages, to_hex, SigningKeyCache};
use rules::check;
pub(crate) use rules::{check_host, timestamp, token};

use std::fmt;

use crate::input::error::{ValidationCode, ValidationError};
use crate::sign::secret::SecretKey;

/// The algorithm name, first line of the string to sign and prefix of the Authorization header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// Latest timestamp accepted: 9999-12-31T23:59:59Z (the date must print as `yyyy-mm-dd`).
pub const MAX_TIMESTAMP: i64 = 253_402_300_799;

/// HTTP method of an API 3.0 call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// JSON body, parameters in the body.
    Post,
    /// Parameters in the query string.
    Get,
}

impl Method {
    /// `POST` or `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Post => "POST",
            Self::Get => "GET",
        }
    }

    /// Parses `POST` or `GET` (upper case, as the spec writes them).
    pub fn parse(value: &str, field: &str) -> Result<Self, ValidationError> {
        match value {
            "POST" => Ok(Self::Post),
            "GET" => Ok(Self::Get),
            _ => Err(ValidationError::new(
                field,
                ValidationCode::InvalidParameterValue,
                format!("{field} must be \"POST\" or \"GET\""),
            )),
        }
    }
}

/// `POST` or `GET`, given as a string.
impl crate::input::ReadValue for Method {
    fn read_value(value: crate::input::json::Value, field: &str) -> Result<Self, ValidationError> {
        Self::parse(&String::read_value(value, field)?, field)
    }
}

/// What is signed: the request as it will be sent, the key pair and the time.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    /// SecretId of the key pair.
    pub secret_id: &'a str,
    /// SecretKey of the key pair.
    pub secret_key: &'a SecretKey,
    /// Product, e.g. `cvm`.
    pub service: &'a str,
    /// The `Host` header as signed.
    pub host: &'a str,
    /// The method.
    pub method: Method,
    /// The `Content-Type` header exactly as sent.
    pub content_type: &'a str,
    /// The query string exactly as sent after `?` (empty for POST).
    pub query: &'a str,
    /// The body exactly as sent (empty for GET).
    pub payload: &'a [u8],
    /// Unix seconds, also sent as `X-TC-Timestamp`.
    pub timestamp: i64,
    /// `Some(action)` also signs the header `x-tc-action:<action lower-cased>`.
    pub action: Option<&'a str>,
}

/// A UTC calendar date, printed `yyyy-mm-dd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcDate {
    year: i64,
    month: u32,
    day: u32,
}

impl UtcDate {
    /// The UTC date of a Unix timestamp (Howard Hinnant's `civil_from_days`).
    pub fn from_unix(timestamp: i64) -> Self {
        let z = timestamp.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self { year, month, day }
    }

    /// The (proleptic Gregorian) year.
    pub fn year(&self) -> i64 {
        self.year
    }
}

impl UtcDate {
    fn write_to(&self, out: &mut String) {
        // Years beyond 9999 are ruled out by MAX_TIMESTAMP; digits are pushed directly because
        // this runs on every signature and `fmt` costs more than the hashing.
        let y = self.year.clamp(0, 9999) as u32;
        for d in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
            out.push(digit(d));
        }
        out.push('-');
        out.push(digit(self.month / 10));
        out.push(digit(self.month % 10));
        out.push('-');
        out.push(digit(self.day / 10));
        out.push(digit(self.day % 10));
    }
}

fn digit(d: u32) -> char {
    char::from_digit(d % 10, 10).unwrap_or('0')
}

impl fmt::Display for UtcDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(10);
        self.write_to(&mut s);
        f.write_str(&s)
    }
}

/// `SignedHeaders`: `content-type;host`, plus `;x-tc-action` when the action is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedHeaders {
    with_action: bool,
}

impl SignedHeaders {
    fn as_str(self) -> &'static str {
        if self.with_action {
            "content-type;host;x-tc-action"
        } else {
            "content-type;host"
        }
    }
}

impl fmt::Display for SignedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lower-case hex of a SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HexDigest([u8; 32]);

impl HexDigest {
    /// SHA-256 of `data`.
    pub fn of(data: &[u8]) -> Self {
        Self(sha256(data))
    }
}

impl fmt::Display for HexDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_hex(&self.0))
    }
}

impl fmt::Debug for HexDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HexDigest({self})")
    }
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    // A digest at a time into a buffer, then one append (a `push` per digit, each checking the
    // capacity and encoding a char, was 6 % of a signTc3 call).
    for chunk in bytes.chunks(32) {
        let mut text = [0u8; 64];
        for (pair, &b) in text.chunks_exact_mut(2).zip(chunk) {
            if let [high, low] = pair {
                *high = DIGITS[usize::from(b >> 4)];
                *low = DIGITS[usize::from(b & 0x0f)];
            }
        }
        let digits = text.get(..chunk.len() * 2).unwrap_or_default();
        if let Ok(digits) = std::str::from_utf8(digits) {
            out.push_str(digits);
        }
    }
}

/// The canonical request (spec §1, step 1).
#[derive(Debug, Clone, Copy)]
pub struct CanonicalRequest<'a> {
    method: Method,
    query: &'a str,
    content_type: &'a str,
    host: &'a str,
    action: Option<&'a str>,
    hashed_payload: HexDigest,
}

impl CanonicalRequest<'_> {
    fn write_to(&self, out: &mut String) {
        // CanonicalURI is always "/" in API 3.0; header keys and values are lower-cased and
        // trimmed, sorted by key: content-type < host < x-tc-action.
        out.push_str(self.method.as_str());
        out.push_str("\n/\n");
        out.push_str(self.query);
        out.push('\n');
        push_header(out, "content-type:", self.content_type);
        push_header(out, "host:", self.host);
        if let Some(action) = self.action {
            push_header(out, "x-tc-action:", action);
        }
        out.push('\n');
        out.push_str(
            SignedHeaders {
                with_action: self.action.is_some(),
            }
            .as_str(),
        );
        out.push('\n');
        push_hex(out, &self.hashed_payload.0);
    }
}

impl fmt::Display for CanonicalRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_to(&mut s);
        f.write_str(&s)
    }
}

/// `key:value\n` with the value trimmed and lower-cased (ASCII: the values are checked to be).
fn push_header(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    let start = out.len();
    out.push_str(value.trim());
    if let Some(added) = out.get_mut(start..) {
        added.make_ascii_lowercase();
    }
    out.push('\n');
}

/// `CredentialScope = Date "/" service "/tc3_request"`.
#[derive(Debug, Clone, Copy)]
pub struct CredentialScope<'a> {
    date: UtcDate,
    service: &'a str,
}

impl CredentialScope<'_> {
    fn write_to(&self, out: &mut String) {
        self.date.write_to(out);
        out.push('/');
        out.push_str(self.service);
        out.push_str("/tc3_request");
    }
}

impl fmt::Display for CredentialScope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_to(&mut s);
        f.write_str(&s)
    }
}

/// The string to sign (spec §1, step 2).
#[derive(Debug, Clone, Copy)]
pub struct StringToSign<'a> {
    timestamp: i64,
    scope: CredentialScope<'a>,
    hashed_canonical_request: HexDigest,
}

impl StringToSign<'_> {
    fn write_to(&self, out: &mut String) {
        out.push_str(ALGORITHM);
        out.push('\n');
        push_decimal(out, self.timestamp);
        out.push('\n');
        self.scope.write_to(out);
        out.push('\n');
        push_hex(out, &self.hashed_canonical_request.0);
    }
}

impl fmt::Display for StringToSign<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_to(&mut s);
        f.write_str(&s)
    }
}

/// A non-negative integer in decimal (timestamps are checked to be in 0..=MAX_TIMESTAMP).
pub(crate) fn push_decimal(out: &mut String, n: i64) {
    let n = n.unsigned_abs();
    if n >= 10 {
        // The leading digits first; at most 19 deep. (A digit buffer filled from the end is
        // unrolled by LLVM into 0.9 KB of .wasm.)
        push_decimal(out, (n / 10) as i64);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The one rule for an action name (API 3.0 names are PascalCase, e.g. `DescribeImages`): an
/// upper-case ASCII letter, then letters and digits, at most 64 in all.
pub fn check_action(action: &str) -> Result<(), ValidationError> {
    let ok = action.len() <= 64
        && action
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_uppercase())
        && action.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            "action",
            ValidationCode::InvalidParameterValue,
            "action must be an API name: an upper-case letter, then letters and digits, such as \"DescribeImages\"",
        ))
    }
}

/// Every stage of one signature, as strings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SigningOutput {
    /// The `Authorization` header value.
    pub authorization: String,
    /// Lower-case hex signature.
    pub signature: String,
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// `yyyy-mm-dd/service/tc3_request`.
    pub credential_scope: String,
    /// `content-type;host[;x-tc-action]`.
    pub signed_headers: String,
    /// hex(SHA-256(payload)).
    pub hashed_payload: String,
}

/// Signs a request. With a cache, the derived key is reused across calls of the same day,
/// service and key pair; the result is identical either way.
pub fn sign(
    params: &SigningParams<'_>,
    cache: Option<&mut SigningKeyCache>,
) -> Result<SigningOutput, ValidationError> {
    check(params)?;
    let hashed_payload = HexDigest::of(params.payload);
    let mut canonical_request = String::with_capacity(
        200 + params.query.len() + params.host.len() + params.content_type.len(),
    );
    CanonicalRequest {
        method: params.method,
        query: params.query,
        content_type: params.content_type,
        host: params.host,
        action: params.action,
        hashed_payload,
    }
    .write_to(&mut canonical_request);
    let scope = CredentialScope {
        date: UtcDate::from_unix(params.timestamp),
        service: params.service,
    };
    let mut string_to_sign = String::with_capacity(160);
    StringToSign {
        timestamp: params.timestamp,
        scope,
        hashed_canonical_request: HexDigest::of(canonical_request.as_bytes()),
    }
    .write_to(&mut string_to_sign);
    let key = match cache {
        Some(cache) => cache.get_or_derive(params.secret_key, scope.date, params.service),
        None => SigningKey::derive(params.secret_key, scope.date, params.service),
    };
    let mut signature = String::with_capacity(64);
    push_hex(&mut signature, &key.sign(string_to_sign.as_bytes()));
    let signed_headers = SignedHeaders {
        with_action: params.action.is_some(),
    }
    .as_str();
    let mut credential_scope = String::with_capacity(40);
    scope.write_to(&mut credential_scope);
    let mut authorization = String::with_capacity(200);
    for part in [
        ALGORITHM,
        " Credential=",
        params.secret_id,
        "/",
        &credential_scope,
        ", SignedHeaders=",
        signed_headers,
        ", Signature=",
        &signature,
    ] {
        authorization.push_str(part);
    }
    // The canonical request ends with it.
    let hashed_payload_hex = match canonical_request
        .len()
        .checked_sub(64)
        .and_then(|at| canonical_request.get(at..))
    {
        Some(hex) => hex.to_owned(),
        None => to_hex(&hashed_payload.0), // not reached: 64 digits were just written
    };
    Ok(SigningOutput {
        authorization,
        signature,
        canonical_request,
        string_to_sign,
        credential_scope,
        signed_headers: signed_headers.to_owned(),
        hashed_payload: hashed_payload_hex,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(UtcDate::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(UtcDate::from_unix(1_551_113_065).to_string(), "2019-02-25");
        assert_eq!(UtcDate::from_unix(1_539_084_154).to_string(), "2018-10-09");
        assert_eq!(UtcDate::from_unix(951_782_400).to_string(), "2000-02-29");
        assert_eq!(UtcDate::from_unix(86_399).to_string(), "1970-01-01");
        assert_eq!(UtcDate::from_unix(86_400).to_string(), "1970-01-02");
        assert_eq!(UtcDate::from_unix(MAX_TIMESTAMP).to_string(), "9999-12-31");
    }

    fn params<'a>(key: &'a SecretKey, timestamp: i64) -> SigningParams<'a> {
        SigningParams {
            secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            secret_key: key,
            service: "cvm",
            host: "cvm.tencentcloudapi.com",
            method: Method::Post,
            content_type: "application/json",
            query: "",
            payload: br#"{"ImageIds":["img-mfih409y"]}"#,
            timestamp,
            action: None,
        }
    }

    #[test]
    fn the_cache_follows_the_utc_date() {
        let key = SecretKey::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".into());
        let mut cache = SigningKeyCache::new();
        // 2019-02-25T23:59:59Z, then one second later: a new day, a new signing key.
        for t in [1_551_139_199, 1_551_139_200, 1_551_139_199] {
            let cached = sign(&params(&key, t), Some(&mut cache)).unwrap();
            let fresh = sign(&params(&key, t), None).unwrap();
            assert_eq!(cached, fresh, "timestamp {t}");
        }
        assert_eq!(cache.len(), 2);
        assert!(sign(&params(&key, 1_551_139_200), None)
            .unwrap()
            .credential_scope
            .starts_with("2019-02-26/"));
    }

    #[test]
    fn a_rotated_key_is_never_signed_with_the_old_keys_material() {
        let old = SecretKey::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".into());
        let new = SecretKey::new("rotated-secret-key-0000000000000".into());
        let mut cache = SigningKeyCache::new();
        let t = 1_551_113_065;
        let before = sign(&params(&old, t), Some(&mut cache)).unwrap();
        let after = sign(&params(&new, t), Some(&mut cache)).unwrap();
        assert_ne!(before.signature, after.signature);
        assert_eq!(after, sign(&params(&new, t), None).unwrap());
        assert_eq!(before, sign(&params(&old, t), Some(&mut cache)).unwrap());
    }

    #[test]
    fn the_cache_stays_bounded() {
        let mut cache = SigningKeyCache::new();
        for i in 0..3 * SigningKeyCache::CAPACITY {
            let key = SecretKey::new(format!("secret-{i}"));
            let cached = sign(&params(&key, 1_551_113_065), Some(&mut cache)).unwrap();
            assert_eq!(cached, sign(&params(&key, 1_551_113_065), None).unwrap());
        }
        assert_eq!(cache.len(), SigningKeyCache::CAPACITY);
        assert_eq!(format!("{cache:?}"), "SigningKeyCache(8 entries)");
    }

    #[test]
    fn a_hit_moves_its_key_to_the_front_and_the_least_recently_used_goes() {
        let keys: Vec<SecretKey> = (0..=SigningKeyCache::CAPACITY)
            .map(|i| SecretKey::new(format!("secret-{i}")))
            .collect();
        let cached = |cache: &SigningKeyCache, key: &SecretKey| {
            let fingerprint = sha256(key.expose().as_bytes());
            cache
                .entries
                .iter()
                .position(|e| e.fingerprint == fingerprint)
        };
        let mut cache = SigningKeyCache::new();
        let t = 1_551_113_065;
        for key in &keys[..SigningKeyCache::CAPACITY] {
            sign(&params(key, t), Some(&mut cache)).unwrap();
        }
        // keys[0] is the least recently used; a hit on it moves it to the front, signing with
        // its own key, not the front entry's.
        assert_eq!(
            cached(&cache, &keys[0]),
            Some(SigningKeyCache::CAPACITY - 1)
        );
        let hit = sign(&params(&keys[0], t), Some(&mut cache)).unwrap();
        assert_eq!(hit, sign(&params(&keys[0], t), None).unwrap());
        assert_eq!(cached(&cache, &keys[0]), Some(0));
        // A new key then evicts keys[1], now the least recently used.
        sign(
            &params(&keys[SigningKeyCache::CAPACITY], t),
            Some(&mut cache),
        )
        .unwrap();
        assert_eq!(cached(&cache, &keys[1]), None);
        assert_eq!(cached(&cache, &keys[0]), Some(1));
        assert_eq!(cache.len(), SigningKeyCache::CAPACITY);
    }

    #[test]
    fn messages_name_the_numbers_with_their_sign() {
        let key = SecretKey::new("k".into());
        for (t, got) in [(-5, "got -5"), (MAX_TIMESTAMP + 1, "got 253402300800")] {
            let e = sign(&params(&key, t), None).unwrap_err();
            assert_eq!(e.field(), "timestamp");
            assert!(
                e.message().contains(" and 253402300799, "),
                "{}",
                e.message()
            );
            assert!(e.message().ends_with(got), "{}", e.message());
        }
        let e = token("secretId", &"A".repeat(129), 128).unwrap_err();
        assert!(
            e.message().contains("at most 128 printable"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac(b"Jefe", b"what do ya want for nothing?");
        let hex = to_hex(&mac);
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn hmac_hashes_keys_longer_than_a_block_rfc_4231_case_6() {
        let mac = hmac(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            to_hex(&mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        // A key of exactly one block is used as is, not hashed.
        assert_ne!(hmac(&[0xaa; 64], b"m"), hmac(&sha256(&[0xaa; 64]), b"m"));
    }
}
