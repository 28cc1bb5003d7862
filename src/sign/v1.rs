//! Legacy signature v1 (`HmacSHA1` / `HmacSHA256`, reference §2): every parameter, the API's own
//! flattened (`ImageIds.0=…`) and the public ones (Action, Region, Timestamp, Nonce, SecretId,
//! SignatureMethod, Token, Version, Language), is signed and sent in the query (GET) or an
//! `application/x-www-form-urlencoded` body (POST):
//!
//! ```text
//! StringToSign = Method + Host + "/" + "?" + name=value&… (sorted by name, bytewise; values raw)
//! Signature    = Base64(HMAC-SHA1|HMAC-SHA256(SecretKey, StringToSign))
//! ```
//!
//! ```
//! use tencentcloud_cvm_wasm::sign::secret::SecretKey;
//! use tencentcloud_cvm_wasm::sign::Method;
//! use tencentcloud_cvm_wasm::sign::v1::{sign, V1Algorithm, V1Params};
//!
//! let key = SecretKey::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".into());
//! let mut pairs: Vec<(String, String)> = [
//!     ("Action", "DescribeInstances"), ("InstanceIds.0", "ins-09dx96dg"), ("Limit", "20"),
//!     ("Nonce", "11886"), ("Offset", "0"), ("Region", "ap-guangzhou"),
//!     ("SecretId", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"), ("Timestamp", "1465185768"),
//!     ("Version", "2017-03-12"),
//! ].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
//! let out = sign(&mut V1Params {
//!     algorithm: V1Algorithm::HmacSha1,
//!     secret_key: &key,
//!     method: Method::Get,
//!     host: "cvm.tencentcloudapi.com",
//!     pairs: &mut pairs,
//! }).unwrap();
//! assert_eq!(out.signature, "EliP9YW3pW28FpsEdkXt/+WcGeI=");
//! ```

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use crate::input::error::{ValidationCode, ValidationError};
use crate::sign::secret::SecretKey;
use crate::sign::Method;

/// How a request is signed: TC3 (the default) or one of the legacy v1 methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum SignMethod {
    /// API 3.0's signature, in the `Authorization` header.
    #[default]
    #[serde(rename = "TC3-HMAC-SHA256")]
    Tc3,
    /// v1 with HMAC-SHA256.
    #[serde(rename = "HmacSHA256")]
    HmacSha256,
    /// v1 with HMAC-SHA1.
    #[serde(rename = "HmacSHA1")]
    HmacSha1,
}

/// A signature method's name, given as a string.
impl crate::input::ReadValue for SignMethod {
    fn read_value(value: crate::input::json::Value, field: &str) -> Result<Self, ValidationError> {
        Self::parse(&String::read_value(value, field)?, field)
    }
}

impl SignMethod {
    /// The names accepted, as written.
    pub const NAMES: [&'static str; 3] = ["TC3-HMAC-SHA256", "HmacSHA256", "HmacSHA1"];

    /// Parses one of [`Self::NAMES`] (exactly as Tencent spells them).
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn parse(value: &str, field: &str) -> Result<Self, ValidationError> {
        match value {
            "TC3-HMAC-SHA256" => Ok(Self::Tc3),
            "HmacSHA256" => Ok(Self::HmacSha256),
            "HmacSHA1" => Ok(Self::HmacSha1),
            _ => Err(ValidationError::new(
                field,
                ValidationCode::InvalidParameterValue,
                format!("{field} must be \"TC3-HMAC-SHA256\" (the default), \"HmacSHA256\" or \"HmacSHA1\""),
            )),
        }
    }

    /// The v1 algorithm, or `None` for TC3.
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn v1(self) -> Option<V1Algorithm> {
        match self {
            Self::Tc3 => None,
            Self::HmacSha256 => Some(V1Algorithm::HmacSha256),
            Self::HmacSha1 => Some(V1Algorithm::HmacSha1),
        }
    }
}

/// The MAC of a v1 signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum V1Algorithm {
    /// HMAC-SHA256, sent as `SignatureMethod=HmacSHA256`.
    #[serde(rename = "HmacSHA256")]
    HmacSha256,
    /// HMAC-SHA1: Tencent's default when `SignatureMethod` is absent, so none is sent (as in
    /// Tencent's worked example).
    #[serde(rename = "HmacSHA1")]
    HmacSha1,
}

impl V1Algorithm {
    /// The `SignatureMethod` parameter to send: `None` for HmacSHA1, the default.
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn signature_method_param(self) -> Option<&'static str> {
        match self {
            Self::HmacSha256 => Some("HmacSHA256"),
            Self::HmacSha1 => None,
        }
    }
}

/// The public parameters of a v1 request; an API parameter of one of these names would collide.
pub const PUBLIC_PARAMS: [&str; 10] = [
    "Action",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "SignatureMethod",
    "Token",
    "Version",
    "Language",
    "Signature",
];

/// What a v1 signature covers.
#[derive(Debug)]
pub struct V1Params<'a> {
    /// HMAC-SHA1 or HMAC-SHA256.
    pub algorithm: V1Algorithm,
    /// SecretKey of the key pair.
    pub secret_key: &'a SecretKey,
    /// GET or POST.
    pub method: Method,
    /// The host signed.
    pub host: &'a str,
    /// Every parameter but `Signature` (values not encoded); sorted in place by name.
    pub pairs: &'a mut Vec<(String, String)>,
}

/// A v1 signature's stages (never the key).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct V1SigningOutput {
    /// `HmacSHA1` or `HmacSHA256`.
    pub signature_method: V1Algorithm,
    /// `METHOD` + host + `/?` + the sorted `name=value` pairs, values not encoded.
    pub string_to_sign: String,
    /// Base64 of the HMAC, sent (URL-encoded) as the `Signature` parameter.
    pub signature: String,
}

/// Sorts the pairs by name (bytewise: `InstanceIds.2` after `InstanceIds.12`) and signs them.
#[cfg_attr(cvm_size, optimize(size))]
pub fn sign(p: &mut V1Params<'_>) -> Result<V1SigningOutput, ValidationError> {
    if p.secret_key.expose().is_empty() {
        return Err(ValidationError::new(
            "secretKey",
            ValidationCode::MissingParameter,
            "secretKey must be a non-empty string",
        ));
    }
    sort_by_name(p.pairs);
    // Two parameters of one name (`ImageIds: [..]` beside `"ImageIds.0"`) would be signed in an
    // arbitrary order and refused by the server: named here instead.
    if let Some([(name, _), _]) = p
        .pairs
        .windows(2)
        .find(|w| matches!(w, [a, b] if a.0 == b.0))
    {
        return Err(ValidationError::new(
            format!("params.{name}"),
            ValidationCode::InvalidParameter,
            format!("params.{name} is given twice once the parameters are flattened (e.g. an array beside a key with a dot)"),
        ));
    }
    let length: usize = p.pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut string_to_sign = String::with_capacity(p.host.len() + 8 + length);
    string_to_sign.push_str(p.method.as_str());
    string_to_sign.push_str(p.host);
    string_to_sign.push_str("/?");
    for (i, (name, value)) in p.pairs.iter().enumerate() {
        if i > 0 {
            string_to_sign.push('&');
        }
        string_to_sign.push_str(name);
        string_to_sign.push('=');
        string_to_sign.push_str(value);
    }
    let key = p.secret_key.expose().as_bytes();
    let message = string_to_sign.as_bytes();
    let signature = match p.algorithm {
        V1Algorithm::HmacSha256 => base64(&crate::sign::hmac(key, message)),
        V1Algorithm::HmacSha1 => base64(&hmac_sha1(key, message).ok_or_else(|| {
            ValidationError::new(
                "secretKey",
                ValidationCode::InvalidParameterValue,
                "secretKey cannot key HMAC-SHA1",
            )
        })?),
    };
    Ok(V1SigningOutput {
        signature_method: p.algorithm,
        string_to_sign,
        signature,
    })
}

/// HMAC-SHA1 (RFC 2104); `None` never happens (HMAC takes keys of any length). The MAC's
/// states are wiped when dropped (`zeroize` feature).
#[cfg_attr(cvm_size, optimize(size))]
fn hmac_sha1(key: &[u8], message: &[u8]) -> Option<[u8; 20]> {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).ok()?;
    mac.update(message);
    Some(mac.finalize().into_bytes().into())
}

/// Sorts by name, bytewise: a heapsort, O(n log n) in a few hundred bytes of code where std's
/// sorts would add 3–6 KB to the .wasm (names are unique, so stability does not matter).
#[cfg_attr(cvm_size, optimize(size))]
fn sort_by_name(pairs: &mut [(String, String)]) {
    #[cfg_attr(cvm_size, optimize(size))]
    fn name(pairs: &[(String, String)], i: usize) -> &[u8] {
        pairs.get(i).map_or(&[], |(name, _)| name.as_bytes())
    }
    // Moves `root` down the max-heap held in `pairs[..end]`; `end <= pairs.len()`.
    #[cfg_attr(cvm_size, optimize(size))]
    fn sift_down(pairs: &mut [(String, String)], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && name(pairs, child) < name(pairs, child + 1) {
                child += 1;
            }
            if name(pairs, root) >= name(pairs, child) {
                return;
            }
            pairs.swap(root, child);
            root = child;
        }
    }
    let len = pairs.len();
    for start in (0..len / 2).rev() {
        sift_down(pairs, start, len);
    }
    for end in (1..len).rev() {
        pairs.swap(0, end);
        sift_down(pairs, 0, end);
    }
}

/// Standard Base64 (RFC 4648 §4) with `=` padding.
#[cfg_attr(cvm_size, optimize(size))]
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextet = |n: u32, shift: u32| char::from(ALPHABET[((n >> shift) & 63) as usize]);
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sextet(n, 18));
        out.push(sextet(n, 12));
        out.push(if chunk.len() > 1 { sextet(n, 6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(n, 0) } else { '=' });
    }
    out
}

/// Largest nonce drawn (and accepted): 2^31 − 1, a positive integer in any server's int.
pub const MAX_NONCE: u32 = i32::MAX as u32;

/// A random nonce in 1..=[`MAX_NONCE`], from the platform's CSPRNG (`crypto.getRandomValues` in
/// wasm).
#[cfg_attr(cvm_size, optimize(size))]
pub fn random_nonce() -> Result<u32, ValidationError> {
    let n = getrandom::u32().map_err(|_| {
        ValidationError::new(
            "nonce",
            ValidationCode::MissingParameter,
            "no random source for the v1 Nonce (crypto.getRandomValues): pass the nonce option",
        )
    })?;
    Ok((n & MAX_NONCE).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
        assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn hmac_sha1_matches_rfc_2202() {
        let hex = |b: &[u8]| crate::sign::to_hex(b);
        assert_eq!(
            hex(&hmac_sha1(b"Jefe", b"what do ya want for nothing?").unwrap()),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        // A key longer than a block is hashed first (case 6).
        assert_eq!(
            hex(&hmac_sha1(
                &[0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )
            .unwrap()),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }

    #[test]
    fn names_sort_bytewise() {
        let key = SecretKey::new("k".into());
        let mut pairs: Vec<(String, String)> = ["InstanceIds.2", "InstanceIds.12", "Action", "a"]
            .iter()
            .map(|k| (k.to_string(), "v".to_string()))
            .collect();
        let out = sign(&mut V1Params {
            algorithm: V1Algorithm::HmacSha256,
            secret_key: &key,
            method: Method::Post,
            host: "h",
            pairs: &mut pairs,
        })
        .unwrap();
        assert_eq!(
            out.string_to_sign,
            "POSTh/?Action=v&InstanceIds.12=v&InstanceIds.2=v&a=v"
        );
        assert_eq!(out.signature.len(), 44);
    }

    #[test]
    fn the_heapsort_agrees_with_std() {
        let mut seed = 7u32;
        for len in 0..40 {
            let mut pairs: Vec<(String, String)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (format!("P.{}", seed % 50), i.to_string())
                })
                .collect();
            let mut want = pairs.clone();
            want.sort_by(|a, b| a.0.cmp(&b.0));
            sort_by_name(&mut pairs);
            let names = |v: &[(String, String)]| v.iter().map(|p| p.0.clone()).collect::<Vec<_>>();
            assert_eq!(names(&pairs), names(&want), "{len}");
        }
    }

    #[test]
    fn nonces_are_positive_and_vary() {
        let draws: Vec<u32> = (0..8).map(|_| random_nonce().unwrap()).collect();
        assert!(draws.iter().all(|&n| (1..=MAX_NONCE).contains(&n)));
        assert!(draws.iter().any(|&n| n != draws[0]));
    }

    #[test]
    fn sign_methods_parse_exactly() {
        assert_eq!(
            SignMethod::parse("HmacSHA1", "signMethod").unwrap(),
            SignMethod::HmacSha1
        );
        assert!(SignMethod::parse("hmacsha1", "signMethod").is_err());
        assert_eq!(SignMethod::default().v1(), None);
    }
}
