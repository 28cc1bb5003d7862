//! The generic signer's input as JavaScript gives it (`signTc3(input)`), validated.

use crate::input::json::Value;

use crate::input::error::{Problems, ValidationCode, ValidationError};
use crate::input::{self, input, required, Seconds};
use crate::sign::secret::SecretKey;
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

    /// The rules applied to fields as a reader found them (the fixed layout's,
    /// [`crate::boundary::fixed`]): the same rules, problems and order as [`Self::from_value`].
    pub fn from_read(fields: SignTc3Read) -> Result<Self, ValidationError> {
        Self::rules(fields, Problems::new())
    }

    /// Every rule of `signTc3`'s input, in the order its problems are reported.
    fn rules(f: SignTc3Read, mut p: Problems) -> Result<Self, ValidationError> {
        let sign_action = p.check(f.signAction);
        let timestamp =
            p.check(required(f.timestamp, "timestamp").and_then(|t| crate::sign::timestamp(t.0)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::json;

    const PAYLOAD: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn typed() -> SignTc3Params {
        SignTc3Params {
            secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE".into(),
            secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".into(),
            service: "cvm".into(),
            host: "cvm.tencentcloudapi.com".into(),
            method: Method::Post,
            contentType: "application/json; charset=utf-8".into(),
            query: None,
            payload: PAYLOAD.into(),
            timestamp: Seconds(json::Number::Int(1_551_113_065)),
            action: Some("DescribeInstances".into()),
            signAction: Some(false),
        }
    }

    #[test]
    fn typed_fields_go_through_the_same_rules() {
        // The TC3 spec's example (reference): the typed path signs as the JSON path does.
        let mut map = json::Object::new();
        let text = |s: &str| Value::String(s.to_owned());
        map.insert(
            "secretId".into(),
            text("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
        );
        map.insert("secretKey".into(), text("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"));
        map.insert("service".into(), text("cvm"));
        map.insert("host".into(), text("cvm.tencentcloudapi.com"));
        map.insert("method".into(), text("POST"));
        map.insert(
            "contentType".into(),
            text("application/json; charset=utf-8"),
        );
        map.insert("payload".into(), text(PAYLOAD));
        map.insert(
            "timestamp".into(),
            Value::Number(json::Number::Int(1_551_113_065)),
        );
        map.insert("action".into(), text("DescribeInstances"));
        map.insert("signAction".into(), Value::Bool(false));
        let from_value = SignTc3Input::from_value(Value::Object(map)).unwrap();
        let from_fields = SignTc3Input::from_fields(typed()).unwrap();
        let a = crate::sign::sign(&from_value.params(), None).unwrap();
        let b = crate::sign::sign(&from_fields.params(), None).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            a.signature,
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        // The rules, not the reader, refuse these: the typed path reports them too, in order.
        let bad = SignTc3Input::from_fields(SignTc3Params {
            timestamp: Seconds(json::Number::Int(1_551_113_065_000)),
            action: None,
            signAction: Some(true),
            host: String::new(),
            ..typed()
        })
        .unwrap_err();
        let fields: Vec<_> = bad.issues().map(|i| i.field.clone()).collect();
        assert_eq!(fields, ["timestamp", "action"]);
        assert!(bad.message().contains("milliseconds"), "{bad}");
    }

    #[test]
    fn the_key_list_is_the_declared_fields() {
        use crate::input::Declared;
        assert_eq!(
            SignTc3Params::KEYS,
            [
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
                "signAction"
            ]
        );
    }
}
