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

/// What a reader found for one field: `Ok(None)` absent (or null), `Ok(Some(value))` a value of
/// the field's type, `Err` a value of another type.
pub type Read<T> = Result<Option<T>, ValidationError>;

/// `signTc3`'s input read into typed fields, before any rule is applied: what both readers
/// produce — the general one from a [`Value`] ([`SignTc3Fields::from_object`]) and the
/// fixed-layout one ([`crate::fast_input`]) — so that both go through the one
/// [`SignTc3Input::from_fields`].
pub struct SignTc3Fields {
    /// Problems of reading found before any field (unknown keys).
    pub unknown: Problems,
    /// `secretId`.
    pub secret_id: Read<String>,
    /// `secretKey`, wrapped as soon as it is read.
    pub secret_key: Read<SecretKey>,
    /// `service`.
    pub service: Read<String>,
    /// `host`.
    pub host: Read<String>,
    /// `method`, as given (the rules parse it).
    pub method: Read<String>,
    /// `contentType`.
    pub content_type: Read<String>,
    /// `query`.
    pub query: Read<String>,
    /// `payload`.
    pub payload: Read<String>,
    /// `timestamp`: whole seconds in range (read by `request::timestamp`).
    pub timestamp: Read<i64>,
    /// `action`.
    pub action: Read<String>,
    /// `signAction`.
    pub sign_action: Read<bool>,
}

impl SignTc3Fields {
    /// The general reader: the fields of an input object (the secret key is moved out, not
    /// copied).
    pub fn from_object(mut map: Object) -> Self {
        let mut unknown = Problems::new();
        reject_unknown_keys(&map, &KEYS, &mut unknown);
        Self {
            unknown,
            sign_action: option_flag(&map, "signAction"),
            timestamp: match map.get("timestamp") {
                None | Some(Value::Null) => Ok(None),
                Some(v) => crate::request::timestamp(v).map(Some),
            },
            method: take_optional(&mut map, "method"),
            action: take_optional(&mut map, "action"),
            secret_id: take_optional(&mut map, "secretId"),
            secret_key: take_optional(&mut map, "secretKey").map(|k| k.map(SecretKey::new)),
            service: take_optional(&mut map, "service"),
            host: take_optional(&mut map, "host"),
            content_type: take_optional(&mut map, "contentType"),
            query: take_optional(&mut map, "query"),
            payload: take_optional(&mut map, "payload"),
        }
    }
}

impl SignTc3Input {
    /// Validates the input object, reporting every problem at once; the secret key is moved
    /// out, not copied.
    pub fn from_value(input: Value) -> Result<Self, ValidationError> {
        let Value::Object(map) = input else {
            return Err(ValidationError::wrong_type(
                "input",
                "an object",
                input.kind(),
            ));
        };
        Self::from_fields(SignTc3Fields::from_object(map))
    }

    /// The rules: every problem of the fields at once, in one order whichever reader read them.
    pub fn from_fields(f: SignTc3Fields) -> Result<Self, ValidationError> {
        let mut p = f.unknown;
        let sign_action = p.check(f.sign_action);
        let timestamp = p.check(required(f.timestamp, "timestamp"));
        let method =
            p.check(required(f.method, "method").and_then(|m| Method::parse(&m, "method")));
        let action = p.check(f.action);
        if let (Some(Some(true)), Some(None)) = (sign_action, &action) {
            p.add(ValidationError::new(
                "action",
                ValidationCode::MissingParameter,
                "action is required when signAction is true",
            ));
        }
        let secret_id = p.check(required(f.secret_id, "secretId"));
        let secret_key = p.check(required(f.secret_key, "secretKey"));
        let service = p.check(required(f.service, "service"));
        let host = p.check(required(f.host, "host"));
        let content_type = p.check(required(f.content_type, "contentType"));
        let query = p.check(f.query);
        let payload = p.check(required(f.payload, "payload"));
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

fn required<T>(field: Read<T>, name: &str) -> Result<T, ValidationError> {
    field?.ok_or_else(|| ValidationError::missing(name))
}

fn take_optional(map: &mut Object, name: &str) -> Result<Option<String>, ValidationError> {
    match map.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(ValidationError::wrong_type(name, "a string", other.kind())),
    }
}
