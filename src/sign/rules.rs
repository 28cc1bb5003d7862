//! The rules of what is signed: a request's strings (no control characters, tokens in their
//! character set), the host and the timestamp — checked before anything is hashed, and shared by
//! the request builders.

use super::{check_action, SigningParams, MAX_TIMESTAMP};
use crate::input::error::{ValidationCode, ValidationError};
use crate::input::json::Number;

/// Rejects what cannot be put in the headers or the scope: control characters would split a
/// header, a space in the SecretId would break the Authorization grammar.
pub(super) fn check(p: &SigningParams<'_>) -> Result<(), ValidationError> {
    token("secretId", p.secret_id, 128)?;
    if p.secret_key.expose().is_empty() {
        return Err(ValidationError::new(
            "secretKey",
            ValidationCode::MissingParameter,
            "secretKey must be a non-empty string",
        ));
    }
    if p.service.is_empty()
        || p.service.len() > 64
        || !p
            .service
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return Err(ValidationError::new(
            "service",
            ValidationCode::InvalidParameterValue,
            "service must be a product name of lower-case letters and digits, such as \"cvm\"",
        ));
    }
    check_host("host", p.host)?;
    header_value("contentType", p.content_type)?;
    if let Some(action) = p.action {
        check_action(action)?;
    }
    if !(0..=MAX_TIMESTAMP).contains(&p.timestamp) {
        return Err(ValidationError::new(
            "timestamp",
            ValidationCode::InvalidParameterValue,
            format!(
                "timestamp must be Unix seconds between 0 and {MAX_TIMESTAMP}, got {}",
                p.timestamp
            ),
        ));
    }
    if p.query.bytes().any(|b| b <= b' ' || b == b'#' || b >= 0x7f) {
        return Err(ValidationError::new(
            "query",
            ValidationCode::InvalidParameterValue,
            "query must be percent-encoded: no spaces, control characters, '#' or raw non-ASCII",
        ));
    }
    Ok(())
}

/// A non-empty printable-ASCII value without spaces (SecretId, token).
pub(crate) fn token(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(ValidationError::new(
            field,
            ValidationCode::MissingParameter,
            format!("{field} must be a non-empty string"),
        ));
    }
    if value.len() > max || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ValidationError::new(
            field,
            ValidationCode::InvalidParameterValue,
            format!("{field} must be at most {max} printable ASCII characters without spaces"),
        ));
    }
    Ok(())
}

/// A non-empty header value of printable ASCII (spaces allowed).
pub(super) fn header_value(field: &str, value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() || !value.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return Err(ValidationError::new(
            field,
            ValidationCode::InvalidParameterValue,
            format!("{field} must be a non-empty header value of printable ASCII"),
        ));
    }
    Ok(())
}

// ---- the rules of what is signed that requests share: the host and the timestamp ----

/// A host as it appears in `Host`: a DNS name or IP, an optional port.
pub(crate) fn check_host(field: &str, host: &str) -> Result<(), ValidationError> {
    let ok_char =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'[' | b']');
    let (name, port) = split_port(host);
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n))
    });
    if name.is_empty() || host.len() > 255 || !host.bytes().all(ok_char) || !port_ok {
        return Err(ValidationError::new(
            field,
            ValidationCode::InvalidParameterValue,
            format!(
                "{field} must be a host name with an optional port, such as \"cvm.tencentcloudapi.com\""
            ),
        ));
    }
    Ok(())
}

/// Splits `name:port`, keeping IPv6 literals (`[::1]:8080`) whole.
pub(super) fn split_port(host: &str) -> (&str, Option<&str>) {
    if let Some(end) = host.rfind(']') {
        let (name, rest) = host.split_at(end + 1);
        return (name, rest.strip_prefix(':'));
    }
    match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    }
}

/// A timestamp option: whole Unix seconds from 0 to [`MAX_TIMESTAMP`].
pub(crate) fn timestamp(n: Number) -> Result<i64, ValidationError> {
    let bad =
        |why: String| ValidationError::new("timestamp", ValidationCode::InvalidParameterValue, why);
    let Some(t) = n.as_i64() else {
        return Err(bad(
            "timestamp must be whole Unix seconds (e.g. Math.floor(Date.now() / 1000)), got a fraction or a number beyond 64 bits".into(),
        ));
    };
    if t > MAX_TIMESTAMP && t / 1000 <= MAX_TIMESTAMP {
        return Err(bad(format!(
            "timestamp must be Unix seconds; {t} looks like milliseconds (divide by 1000)"
        )));
    }
    if !(0..=MAX_TIMESTAMP).contains(&t) {
        return Err(bad(format!(
            "timestamp must be Unix seconds between 0 and {MAX_TIMESTAMP}, got {t}"
        )));
    }
    Ok(t)
}
