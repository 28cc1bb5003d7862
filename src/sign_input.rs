//! The generic signer's input as JavaScript gives it (`signTc3(input)`), validated.

use crate::json::{Object, Value};

use crate::delete_images::{option_flag, reject_unknown_keys};
use crate::error::{Problems, ValidationCode, ValidationError};
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

/// `signTc3`'s input as callers give it. (Describes the input; [`SignTc3Input::from_value`]
/// checks it.)
#[derive(serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SignTc3Params {
    /// SecretId.
    pub secret_id: String,
    /// SecretKey. Never returned, printed or put in an error.
    pub secret_key: String,
    /// Product name, the first label of the domain, e.g. `cvm`.
    pub service: String,
    /// The host that is signed, e.g. `cvm.tencentcloudapi.com`.
    pub host: String,
    /// `POST` or `GET`.
    pub method: Method,
    /// Exactly the Content-Type sent, e.g. `application/json`.
    pub content_type: String,
    /// GET only: the exact query string sent after `?` (no leading `?`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The exact body sent (empty for GET).
    pub payload: String,
    /// Unix seconds.
    pub timestamp: i64,
    /// The action, needed when `signAction` is true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Also sign `x-tc-action:<action lower-cased>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_action: Option<bool>,
}

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
    /// Validates the input object, reporting every problem at once; the secret key is moved
    /// out, not copied.
    pub fn from_value(input: Value) -> Result<Self, ValidationError> {
        let Value::Object(mut map) = input else {
            return Err(ValidationError::wrong_type(
                "input",
                "an object",
                input.kind(),
            ));
        };
        let mut p = Problems::new();
        reject_unknown_keys(&map, &KEYS, &mut p);
        let sign_action = p.check(option_flag(&map, "signAction"));
        let timestamp = p.check(match map.get("timestamp") {
            None | Some(Value::Null) => Err(ValidationError::missing("timestamp")),
            Some(v) => crate::request::timestamp(v),
        });
        let method = p.check(take(&mut map, "method").and_then(|m| Method::parse(&m, "method")));
        let action = p.check(take_optional(&mut map, "action"));
        if let (Some(Some(true)), Some(None)) = (sign_action, &action) {
            p.add(ValidationError::new(
                "action",
                ValidationCode::MissingParameter,
                "action is required when signAction is true",
            ));
        }
        let secret_id = p.check(take(&mut map, "secretId"));
        let secret_key = p.check(take(&mut map, "secretKey").map(SecretKey::new));
        let service = p.check(take(&mut map, "service"));
        let host = p.check(take(&mut map, "host"));
        let content_type = p.check(take(&mut map, "contentType"));
        let query = p.check(take_optional(&mut map, "query"));
        let payload = p.check(take(&mut map, "payload"));
        let input = (|| {
            Some(Self {
                secret_id: secret_id?,
                secret_key: secret_key?,
                service: service?,
                host: host?,
                method: method?,
                content_type: content_type?,
                query: query?.unwrap_or_default(),
                payload: payload?,
                timestamp: timestamp?,
                action: action?,
                sign_action: sign_action?.unwrap_or(false),
            })
        })();
        p.finish(input)
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
        Some(other) => Err(ValidationError::wrong_type(name, "a string", other.kind())),
    }
}
