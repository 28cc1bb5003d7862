//! Credentials that change: what a `CvmClient`'s credentials provider may answer, when that
//! answer expires, and which refusals of the API mean "these credentials were rotated, fetch new
//! ones". The JavaScript client calls the provider and keeps the answer; the rules are here.

use crate::client::policy::MAX_TIMER_MS;
use crate::input::error::{Problems, ValidationCode, ValidationError};
use crate::input::json::{Number, Value};
use crate::input::{self, input, number};
use crate::request::endpoint::Endpoint;
use crate::request::key_rules;

/// Default: credentials are refreshed five minutes before they expire.
pub const DEFAULT_REFRESH_MARGIN_MS: f64 = 300_000.0;

/// An expiry below this many milliseconds (March 1973) is taken for Unix seconds given by mistake.
const SMALLEST_MS: f64 = 1e11;

input! {
    /// A key given as an object: a client's static `credentials`, and what a provider answers.
    pub struct StaticCredentials / StaticCredentialsRead {
        /// SecretId (of temporary credentials: `TmpSecretId`).
        secretId: String,
        /// SecretKey. Never returned, printed or put in an error.
        secretKey: String,
        /// Session token of temporary credentials (sent as `X-TC-Token`).
        token?: String,
    }
}

input! {
    /// What a credentials provider returns (a function's result, or `getCredential()`'s).
    /// (Describes the input; [`check_answer`] checks it.)
    pub struct ProvidedCredentials / ProvidedCredentialsRead {
        /// The key.
        ..key: StaticCredentials,
        /// When they expire: a `Date`, milliseconds since 1970, or an ISO 8601 / RFC 3339 string
        /// with a zone (`2026-12-01T10:00:00Z`). Absent: the client asks the provider again before
        /// every attempt (the provider caches, as the official SDK's providers do).
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Date | number | string"))]
        expiration?: Value,
    }
}

/// A provider's answer, checked: only what is not secret.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CheckedCredentials {
    /// When the credentials expire, in milliseconds since 1970; absent when the answer gave no
    /// expiration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<f64>,
}

/// Checks a provider's answer with the rules of request options' `secretId`, `secretKey` and
/// `token`, plus its `expiration`, which must be later than `now_ms`. Every problem at once,
/// fields named `credentials.…`; no message contains a value.
pub fn check_answer(answer: Value, now_ms: f64) -> Result<CheckedCredentials, ValidationError> {
    let expected = "an object { secretId, secretKey, token?, expiration? }";
    let mut map = input::object(answer, "credentials", expected)?;
    let mut p = Problems::new();
    let f = input::read::<ProvidedCredentials>(&mut map, &mut p);
    let key = key_checked(f.key, &mut p);
    let expires_at_ms = p.check(f.expiration.and_then(|expiration| match expiration {
        None => Ok(None),
        Some(value) => expiry_ms(&value).and_then(|ms| {
            if ms > now_ms {
                Ok(Some(ms))
            } else {
                Err(ValidationError::new(
                    "expiration",
                    ValidationCode::InvalidParameterValue,
                    "expiration is not in the future: the provider answered expired credentials",
                ))
            }
        }),
    }));
    p.finish(key.and(expires_at_ms))
        .map(|expires_at_ms| CheckedCredentials { expires_at_ms })
        .map_err(|e| e.within("credentials"))
}

/// The static `credentials` object of a client: `{ secretId, secretKey, token? }`, checked like
/// request options (fields named `credentials.…`).
pub(crate) fn check_static(value: Value) -> Result<(), ValidationError> {
    let expected = "a function returning credentials, an object with getCredential(), or { secretId, secretKey, token? }";
    let mut map = input::object(value, "credentials", expected)?;
    let mut p = Problems::new();
    let f = input::read::<StaticCredentials>(&mut map, &mut p);
    let key = key_checked(f, &mut p);
    p.finish(key).map_err(|e| e.within("credentials"))
}

/// The key's rules; `Some` when it passed them (the key itself is dropped: the client keeps it).
fn key_checked(key: StaticCredentialsRead, p: &mut Problems) -> Option<()> {
    let (secret_id, secret_key, token) = key_rules(key.secretId, key.secretKey, key.token, p);
    secret_id.and(secret_key).and(token).map(drop)
}

/// The instance metadata service of a CVM instance.
pub const DEFAULT_METADATA_URL: &str = "http://metadata.tencentyun.com";
/// Under the metadata URL: `GET` answers the bound role's name; `GET <role>` its temporary key.
pub const ROLE_CREDENTIALS_PATH: &str = "/latest/meta-data/cam/security-credentials/";
/// Default timeout of one metadata request: the service is on the instance's own link.
pub const DEFAULT_METADATA_TIMEOUT_MS: f64 = 3_000.0;

input! {
    /// `cvmRoleCredentials(options)` as callers give them. (Describes the input;
    /// [`cvm_role_settings`] checks it.)
    pub struct CvmRoleOptionsInput / CvmRoleOptionsRead {
        /// The CAM role; default: the one the metadata service names (the role bound to the instance).
        roleName?: String,
        /// The metadata service, `http(s)://host[:port][/path]`; default
        /// `http://metadata.tencentyun.com` (an emulator's URL in tests).
        metadataUrl?: String,
        /// Per metadata request, in milliseconds (default 3000).
        #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
        timeoutMs?: Number,
    }
}

/// `cvmRoleCredentials`' checked options.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CvmRoleSettings {
    /// The role, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// `<metadataUrl>/latest/meta-data/cam/security-credentials/`: the role's name; append the
    /// role for its key.
    pub roles_url: String,
    /// Per metadata request, clamped to the longest timer.
    pub timeout_ms: f64,
}

/// Checks `cvmRoleCredentials`' options, every problem at once, did-you-mean for unknown keys.
pub fn cvm_role_settings(options: Value) -> Result<CvmRoleSettings, ValidationError> {
    let mut map = input::object(options, "options", "an object such as { roleName }")?;
    let mut p = Problems::new();
    let f = input::read::<CvmRoleOptionsInput>(&mut map, &mut p);
    let role_name = p.check(f.roleName.and_then(|name| match name {
        None => Ok(None),
        Some(name) => role_name(&name).map(Some).ok_or_else(|| {
            ValidationError::new(
                "roleName",
                ValidationCode::InvalidParameterValue,
                "roleName must be a CAM role name: 1 to 128 letters, digits and + = , . @ _ -",
            )
        }),
    }));
    let roles_url = p.check(f.metadataUrl.and_then(|url| {
        Endpoint::parse(
            url.as_deref().unwrap_or(DEFAULT_METADATA_URL),
            "metadataUrl",
        )
    }));
    let timeout_ms = p.check(number(
        f.timeoutMs,
        "timeoutMs",
        DEFAULT_METADATA_TIMEOUT_MS,
        false,
        0.0,
        true,
    ));
    let settings = (|| {
        Some(CvmRoleSettings {
            role_name: role_name?,
            roles_url: format!(
                "{}{ROLE_CREDENTIALS_PATH}",
                roles_url?.url.trim_end_matches('/')
            ),
            timeout_ms: timeout_ms?.min(MAX_TIMER_MS),
        })
    })();
    p.finish(settings)
}

/// A CAM role name (1 to 128 of letters, digits and `+=,.@_-`), as given or as the metadata
/// service answers it (surrounding white space dropped); `None` for anything else.
pub fn role_name(text: &str) -> Option<String> {
    let name = text.trim();
    let ok = (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
    ok.then(|| name.to_owned())
}

/// `expiration` as milliseconds since 1970.
fn expiry_ms(value: &Value) -> Result<f64, ValidationError> {
    let bad = |why: &str| {
        ValidationError::new(
            "expiration",
            ValidationCode::InvalidParameterValue,
            format!("expiration {why}"),
        )
    };
    match value {
        Value::Number(n) => {
            let ms = match *n {
                Number::Int(i) => i as f64,
                Number::UInt(u) => u as f64,
                Number::Float(f) => f,
            };
            if ms < SMALLEST_MS {
                Err(bad(
                    "must be milliseconds since 1970 (this looks like Unix seconds: multiply by 1000)",
                ))
            } else {
                Ok(ms)
            }
        }
        Value::String(s) => crate::client::time::rfc3339_ms(s).ok_or_else(|| {
            bad("must be an ISO 8601 date-time with a zone, such as 2026-12-01T10:00:00Z")
        }),
        other => Err(ValidationError::wrong_type(
            "expiration",
            "a Date, milliseconds since 1970 or an ISO 8601 string",
            other.kind(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::time::*;
    use crate::input::json::Object;

    fn object(pairs: &[(&str, Value)]) -> Value {
        let mut map = Object::new();
        for (k, v) in pairs {
            map.insert((*k).to_owned(), v.clone());
        }
        Value::Object(map)
    }
    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }
    const NOW: f64 = 1_764_583_200_000.0; // 2025-12-01T10:00:00Z

    #[test]
    fn rfc3339_matches_the_calendar() {
        // Independent truth: `new Date('2025-12-01T10:00:00Z').getTime()` and friends.
        assert_eq!(rfc3339_ms("2025-12-01T10:00:00Z"), Some(NOW));
        assert_eq!(rfc3339_ms("2025-12-01T18:00:00+08:00"), Some(NOW));
        assert_eq!(rfc3339_ms("2025-12-01T10:00:00.250Z"), Some(NOW + 250.0));
        assert_eq!(rfc3339_ms("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(
            rfc3339_ms("2024-02-29T00:00:00Z"),
            Some(1_709_164_800_000.0)
        );
        for bad in [
            "2025-02-29T00:00:00Z",
            "2025-12-01T10:00:00",
            "2025-12-01",
            "2025-13-01T00:00:00Z",
            "2025-12-01T24:00:00Z",
            "2025-12-01T10:00:00+0800",
            "2025-12-01T10:00:00Zjunk",
            "",
            "１２３４-12-01T10:00:00Z",
        ] {
            assert_eq!(rfc3339_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_answer_with_every_form_of_expiration() {
        let base = [
            ("secretId", s("AKIDtmp")),
            ("secretKey", s("tmpkey")),
            ("token", s("tok")),
        ];
        let with = |e: Value| {
            let mut pairs = base.to_vec();
            pairs.push(("expiration", e));
            check_answer(object(&pairs), NOW)
        };
        assert_eq!(
            with(Value::Number(Number::Float(NOW + 1000.0))).map(|c| c.expires_at_ms),
            Ok(Some(NOW + 1000.0))
        );
        assert_eq!(
            with(s("2025-12-01T10:05:00Z")).map(|c| c.expires_at_ms),
            Ok(Some(NOW + 300_000.0))
        );
        assert_eq!(
            check_answer(object(&base), NOW).map(|c| c.expires_at_ms),
            Ok(None)
        );
        let seconds = with(Value::Number(Number::Int(1_764_583_500))).unwrap_err();
        assert_eq!(seconds.field(), "credentials.expiration");
        assert!(seconds.message().contains("Unix seconds"), "{seconds}");
        let past = with(s("2025-12-01T09:59:59Z")).unwrap_err();
        assert!(past.message().contains("expired"), "{past}");
        assert_eq!(
            with(Value::Bool(true)).unwrap_err().field(),
            "credentials.expiration"
        );
    }

    #[test]
    fn a_bad_answer_names_every_field_and_no_value() {
        let e = check_answer(
            object(&[
                ("secretKey", s("canary-SECRET-value")),
                ("token", Value::Number(Number::Int(5))),
                ("expiraton", s("x")),
            ]),
            NOW,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.issues().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "credentials.expiraton",
                "credentials.secretId",
                "credentials.token"
            ]
        );
        assert!(e
            .issues()
            .any(|i| i.message.contains("did you mean expiration")));
        assert!(e.message().starts_with("credentials"));
        assert!(!format!("{e:?}").contains("canary"));
        let not_object = check_answer(s("AKID"), NOW).unwrap_err();
        assert_eq!(not_object.field(), "credentials");
    }

    #[test]
    fn cvm_role_options() {
        let defaults = cvm_role_settings(object(&[])).unwrap();
        assert_eq!(
            defaults,
            CvmRoleSettings {
                role_name: None,
                roles_url:
                    "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/"
                        .into(),
                timeout_ms: 3000.0,
            }
        );
        let given = cvm_role_settings(object(&[
            ("roleName", s("my-role@x")),
            ("metadataUrl", s("http://127.0.0.1:9001/emu/")),
            ("timeoutMs", Value::Number(Number::Float(1e12))),
        ]))
        .unwrap();
        assert_eq!(given.role_name.as_deref(), Some("my-role@x"));
        assert_eq!(
            given.roles_url,
            "http://127.0.0.1:9001/emu/latest/meta-data/cam/security-credentials/"
        );
        assert_eq!(given.timeout_ms, MAX_TIMER_MS);
        let e = cvm_role_settings(object(&[
            ("rolename", s("x")),
            ("roleName", s("a/b")),
            ("metadataUrl", s("http://user:SECRET@host")),
            ("timeoutMs", Value::Number(Number::Int(0))),
        ]))
        .unwrap_err();
        let fields: Vec<&str> = e.issues().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["rolename", "roleName", "metadataUrl", "timeoutMs"]);
        assert!(e.message().contains("did you mean roleName"));
        assert!(!format!("{e:?}").contains("SECRET"));
        assert_eq!(cvm_role_settings(s("x")).unwrap_err().field(), "options");
        assert_eq!(
            role_name(" emulator-cvm-role\n"),
            Some("emulator-cvm-role".into())
        );
        assert_eq!(role_name("<html>"), None);
        assert_eq!(role_name(&"r".repeat(129)), None);
    }

    #[test]
    fn static_credentials_take_no_expiration() {
        assert_eq!(
            check_static(object(&[("secretId", s("AKID")), ("secretKey", s("k"))])),
            Ok(())
        );
        let e = check_static(object(&[
            ("secretId", s("AKID")),
            ("secretKey", s("k")),
            ("expiration", s("2025-12-01T10:00:00Z")),
        ]))
        .unwrap_err();
        assert_eq!(e.field(), "credentials.expiration");
        assert_eq!(check_static(s("x")).unwrap_err().field(), "credentials");
    }
}
