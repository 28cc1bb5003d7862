//! The generic signer's input as JavaScript gives it (`signTc3(input)`), validated.

use crate::json::Value;

use crate::error::{Problems, ValidationCode, ValidationError};
use crate::input::{self, input, required, Seconds};
use crate::secret::SecretKey;
use crate::sign::{Method, SigningParams};

input! {
    /// `signTc3`'s input as callers give it. (Describes the input; [`SignTc3Input::from_value`]
    /// checks it.)
    pub struct SignTc3Params / SignTc3Read {
        /// SecretId.
        secretId: String,
        /// SecretKey. Never returned, printed or put in an error.
        secretKey: String,
        /// Product name, the first label of the domain, e.g. `cvm`.
        service: String,
        /// The host that is signed, e.g. `cvm.tencentcloudapi.com`.
        host: String,
        /// `POST` or `GET`.
        method: Method,
        /// Exactly the Content-Type sent, e.g. `application/json`.
        contentType: String,
        /// GET only: the exact query string sent after `?` (no leading `?`).
        query?: String,
        /// The exact body sent (empty for GET).
        payload: String,
        /// Unix seconds.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
        timestamp: Seconds,
        /// The action, needed when `signAction` is true.
        action?: String,
        /// Also sign `x-tc-action:<action lower-cased>`.
        signAction?: bool,
    }
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
        let mut map = input::object(input, "input", "an object")?;
        let mut p = Problems::new();
        let fields = input::read::<SignTc3Params>(&mut map, &mut p);
        Self::rules(fields, p)
    }

    /// The rules applied to typed fields (a caller that read them some other way goes through
    /// the same rules as [`Self::from_value`]); the secret key is moved, not copied.
    pub fn from_fields(fields: SignTc3Params) -> Result<Self, ValidationError> {
        Self::rules(fields.into(), Problems::new())
    }

    /// Every rule of `signTc3`'s input, in the order its problems are reported.
    fn rules(f: SignTc3Read, mut p: Problems) -> Result<Self, ValidationError> {
        let sign_action = p.check(f.signAction);
        let timestamp = p
            .check(required(f.timestamp, "timestamp").and_then(|t| crate::request::timestamp(t.0)));
        let method = p.check(required(f.method, "method"));
        let action = p.check(f.action);
        if let (Some(Some(true)), Some(None)) = (sign_action, &action) {
            p.add(ValidationError::new(
                "action",
                ValidationCode::MissingParameter,
                "action is required when signAction is true",
            ));
        }
        let secret_id = p.check(required(f.secretId, "secretId"));
        let secret_key = p.check(required(f.secretKey, "secretKey").map(SecretKey::new));
        let service = p.check(required(f.service, "service"));
        let host = p.check(required(f.host, "host"));
        let content_type = p.check(required(f.contentType, "contentType"));
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
