//! The generic signer's input as JavaScript gives it (`signTc3(input)`), validated.

use crate::json::{Object, Value};

use crate::delete_images::{kind, option_flag, reject_unknown_keys};
use crate::error::{ValidationCode, ValidationError};
use crate::secret::SecretKey;
use crate::sign::{Method, SigningParams};

const KEYS: [&str; 11] = [
    "secretId",
    "secretKey",
    "service",
    "host",
    "method",
    "contentType",
    "query",
    "payload",
    "timestamp",
    "action",
    "signAction",
];

/// `{ secretId, secretKey, service, host, method, contentType, query?, payload, timestamp,
/// action?, signAction? }`, validated.
#[derive(Debug)]
pub struct SignTc3Input {
    secret_id: String,
    secret_key: SecretKey,
    service: String,
    host: String,
    method: Method,
    content_type: String,
    query: String,
    payload: String,
    timestamp: i64,
    action: Option<String>,
    sign_action: bool,
}

impl SignTc3Input {
    /// Validates the input object; the secret key is moved out, not copied.
    pub fn from_value(input: Value) -> Result<Self, ValidationError> {
        let Value::Object(mut map) = input else {
            return Err(ValidationError::wrong_type(
                "input",
                "an object",
                kind(&input),
            ));
        };
        reject_unknown_keys(&map, &KEYS)?;
        let sign_action = option_flag(&map, "signAction")?.unwrap_or(false);
        let timestamp = match map.get("timestamp") {
            Some(Value::Number(n)) => n.as_i64().ok_or_else(|| {
                ValidationError::new(
                    "timestamp",
                    ValidationCode::InvalidParameterValue,
                    format!("timestamp must be whole Unix seconds, got {}", n.as_str()),
                )
            })?,
            None | Some(Value::Null) => return Err(ValidationError::missing("timestamp")),
            Some(other) => {
                return Err(ValidationError::wrong_type(
                    "timestamp",
                    "Unix seconds (a number)",
                    kind(other),
                ))
            }
        };
        let method = Method::parse(&take(&mut map, "method")?, "method")?;
        let action = take_optional(&mut map, "action")?;
        if sign_action && action.is_none() {
            return Err(ValidationError::new(
                "action",
                ValidationCode::MissingParameter,
                "action is required when signAction is true",
            ));
        }
        Ok(Self {
            secret_id: take(&mut map, "secretId")?,
            secret_key: SecretKey::new(take(&mut map, "secretKey")?),
            service: take(&mut map, "service")?,
            host: take(&mut map, "host")?,
            method,
            content_type: take(&mut map, "contentType")?,
            query: take_optional(&mut map, "query")?.unwrap_or_default(),
            payload: take(&mut map, "payload")?,
            timestamp,
            action,
            sign_action,
        })
    }

    /// The signer's view of this input.
    pub fn params(&self) -> SigningParams<'_> {
        SigningParams {
            secret_id: &self.secret_id,
            secret_key: &self.secret_key,
            service: &self.service,
            host: &self.host,
            method: self.method,
            content_type: &self.content_type,
            query: &self.query,
            payload: self.payload.as_bytes(),
            timestamp: self.timestamp,
            action: if self.sign_action {
                self.action.as_deref()
            } else {
                None
            },
        }
    }
}

fn take(map: &mut Object, name: &str) -> Result<String, ValidationError> {
    take_optional(map, name)?.ok_or_else(|| ValidationError::missing(name))
}

fn take_optional(map: &mut Object, name: &str) -> Result<Option<String>, ValidationError> {
    match map.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(ValidationError::wrong_type(name, "a string", kind(&other))),
    }
}
