//! A client's call, prepared once and signed per attempt, and what to do after a failed attempt.
//!
//! [`PreparedCall::new`] reads and checks everything a call has that does not change between
//! attempts — the action, its parameters (DeleteImages' by their own rules), the connection
//! (region, endpoint, host, method, language, signature method, version) — once. Each attempt
//! then only [`PreparedCall::sign`]s: the timestamp and the credentials of the moment are
//! stamped in and the request is signed; nothing is validated again but the key, which may have
//! changed since the last attempt.
//!
//! [`CallPolicy::decide`] is the client's policy after a failed attempt, kept here so that the
//! JavaScript client carries decisions out and makes none: re-sign with the server's clock
//! (`AuthFailure.SignatureExpire`, once), refresh a provider's credentials and resend (once),
//! retry after a backoff delay (retryable failures, within the retry budget), or fail — flagging
//! a DeleteImages `InvalidImageId.NotFound` that follows an attempt whose outcome is unknown.

use crate::actions::delete_images::{self, DeleteImagesParams};
use crate::client::policy;
use crate::input;
use crate::input::error::{Problems, ValidationError};
use crate::input::json::{Number, Object, Value};
use crate::request::{self, Call, Connection, GenericRequestOptionsInput, SignedRequest};
use crate::response::catalogue::{self, client_codes};
use crate::sign::{self, SigningKeyCache};

/// The code of a request signed with a clock too far from the server's.
const SIGNATURE_EXPIRE: &str = catalogue::NAMED_CODES.signature_expire;
/// The code of a DeleteImages call naming an image that does not exist (any more).
const IMAGE_NOT_FOUND: &str = catalogue::NAMED_CODES.image_not_found;

/// A call checked once: what each attempt signs.
#[derive(Debug)]
pub struct PreparedCall {
    action: String,
    params: Value,
    connection: Connection,
    call: Call,
}

/// A client's connection — the request options but the key and the timestamp — checked once,
/// when the client is made; each of its calls is prepared over it.
#[derive(Debug, Clone)]
pub struct ClientConnection {
    connection: Connection,
    call: Call,
}

impl ClientConnection {
    /// Checks `connection` (read by the request options' declaration: a client gives neither key
    /// nor timestamp), every problem at once.
    pub fn new(connection: Value) -> Result<Self, ValidationError> {
        let mut problems = Problems::new();
        let checked = Self::read(connection, &mut problems);
        problems.finish(checked)
    }

    fn read(connection: Value, problems: &mut Problems) -> Option<Self> {
        match connection {
            Value::Object(mut map) => {
                let g = input::read::<GenericRequestOptionsInput>(&mut map, problems);
                let per_call = request::client_call(g.base.nonce, g.version, g.service);
                let (connection, call) =
                    Connection::rules(g.base.connection, Some(per_call), problems)?;
                Some(Self {
                    connection,
                    call: call?,
                })
            }
            other => {
                problems.add(ValidationError::wrong_type(
                    "options",
                    "an object",
                    other.kind(),
                ));
                None
            }
        }
    }
}

impl PreparedCall {
    /// Checks a call of `action` with `params` (absent: `{}`) over `connection`, the request
    /// options but the key and the timestamp, reporting every problem at once. DeleteImages'
    /// parameters are checked by its own rules.
    pub fn new(
        action: String,
        params: Option<Value>,
        connection: Value,
    ) -> Result<Self, ValidationError> {
        let mut problems = Problems::new();
        let params = Self::params(&action, params, &mut problems);
        let connection = ClientConnection::read(connection, &mut problems);
        Self::assemble(action, params, connection, problems)
    }

    /// [`PreparedCall::new`] over a connection checked before (a client's, once for all its
    /// calls): only the action and the parameters are checked.
    pub fn over(
        action: String,
        params: Option<Value>,
        connection: &ClientConnection,
    ) -> Result<Self, ValidationError> {
        let mut problems = Problems::new();
        let params = Self::params(&action, params, &mut problems);
        Self::assemble(action, params, Some(connection.clone()), problems)
    }

    /// The action's name and its parameters, checked (DeleteImages' by its own rules).
    fn params(action: &str, params: Option<Value>, problems: &mut Problems) -> Option<Value> {
        problems.check(sign::check_action(action));
        if action == delete_images::ACTION {
            let params = params.unwrap_or_else(|| Value::Object(Object::new()));
            problems
                .check(DeleteImagesParams::from_value(&params))
                .map(|p| p.to_value())
        } else {
            problems.check(request::generic_params(params))
        }
    }

    fn assemble(
        action: String,
        params: Option<Value>,
        connection: Option<ClientConnection>,
        mut problems: Problems,
    ) -> Result<Self, ValidationError> {
        // A call too large to send is refused now, before a credentials provider is asked or a
        // pacing slot taken.
        if let (Some(params), Some(c)) = (&params, &connection) {
            problems.check(request::check_params_size(params, &c.connection));
        }
        let call = (|| {
            let ClientConnection { connection, call } = connection?;
            Some(Self {
                action,
                params: params?,
                connection,
                call,
            })
        })();
        problems.finish(call)
    }

    /// The action.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// Signs one attempt at `timestamp` (Unix seconds) with this key; the secret key is moved in
    /// and wiped when the request is signed.
    pub fn sign(
        &self,
        timestamp: f64,
        secret_id: String,
        secret_key: String,
        token: Option<String>,
        cache: Option<&mut SigningKeyCache>,
    ) -> Result<SignedRequest, ValidationError> {
        let mut problems = Problems::new();
        let (secret_id, secret_key, token) = request::key_rules(
            Ok(Some(secret_id)),
            Ok(Some(secret_key)),
            Ok(token),
            &mut problems,
        );
        let timestamp = problems.check(crate::sign::timestamp(Number::Float(timestamp)));
        let options = (|| {
            Some(self.connection.clone().with_key(
                self.call.at(timestamp?),
                secret_id?,
                secret_key?,
                token?,
            ))
        })();
        let options = problems.finish(options)?;
        request::build(&self.action, &self.params, &options, cache)
    }
}

/// What an attempt sends: a [`SignedRequest`] without its signing stages, which a client never
/// reads (they cost a third of a signed request's answer).
#[derive(Debug, serde::Serialize)]
pub struct Sendable<'a> {
    /// Full URL.
    pub url: &'a str,
    /// The method.
    pub method: sign::Method,
    /// Headers, in the request's order.
    #[serde(serialize_with = "headers")]
    pub headers: &'a [(&'static str, String)],
    /// The body (POST).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<&'a str>,
    /// Always `"manual"`.
    pub redirect: &'static str,
}

impl<'a> From<&'a SignedRequest> for Sendable<'a> {
    fn from(r: &'a SignedRequest) -> Self {
        Self {
            url: &r.url,
            method: r.method,
            headers: &r.headers,
            body: r.body.as_deref(),
            redirect: r.redirect,
        }
    }
}

/// `serialize_with` hands a reference to the field: the signed request's own writer of headers.
fn headers<S: serde::Serializer>(
    headers: &&[(&'static str, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    request::headers_as_object(headers, serializer)
}

/// The client's settings that decide what follows a failed attempt, and what the call has used.
#[derive(Debug, Clone, PartialEq)]
pub struct CallPolicy {
    retries: u32,
    correct_clock_skew: bool,
    provider: bool,
    backoff_base_ms: f64,
    backoff_cap_ms: f64,
    delete: bool,
    retries_used: u32,
    skew_corrected: bool,
    credentials_refreshed: bool,
    earlier_outcome_unknown: bool,
}

/// What the client does after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Next {
    /// Wait `delayMs`, then send again (signed afresh).
    Retry,
    /// Re-sign with the clock offset `clockOffsetSec` and send again at once.
    Resign,
    /// Drop the provider's credentials, ask for new ones and send again at once.
    Refresh,
    /// Give up: the call fails with this attempt's error.
    Fail,
}

/// The decision after a failed attempt.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// What to do.
    pub next: Next,
    /// [`Next::Retry`]: milliseconds to wait first.
    pub delay_ms: f64,
    /// [`Next::Resign`]: seconds to add to the local clock when signing from now on.
    pub clock_offset_sec: f64,
    /// Could the server have applied the attempt although no usable answer came back?
    pub outcome_unknown: bool,
    /// [`Next::Fail`] of a DeleteImages `InvalidImageId.NotFound` after an attempt whose
    /// outcome was unknown: that attempt probably deleted the images.
    pub probably_deleted: bool,
}

/// How an attempt failed, as the client saw it.
#[derive(Debug, Clone, Copy)]
pub struct Failure<'a> {
    /// The error's code.
    pub code: &'a str,
    /// The HTTP status (0: none).
    pub http_status: u16,
    /// Is the error retryable (the decoder's or the client's judgement)?
    pub retryable: bool,
    /// Did the connection error prove that nothing reached a server?
    pub not_sent: bool,
    /// The server's clock (Unix seconds) from the answer's `Date`, if it had one.
    pub server_sec: Option<i64>,
    /// The local clock, Unix seconds.
    pub now_sec: i64,
    /// A number in [0, 1) for the backoff's jitter.
    pub random01: f64,
}

impl CallPolicy {
    /// A fresh call's policy.
    pub fn new(
        retries: u32,
        correct_clock_skew: bool,
        provider: bool,
        backoff_base_ms: f64,
        backoff_cap_ms: f64,
        action: &str,
    ) -> Self {
        Self {
            retries,
            correct_clock_skew,
            provider,
            backoff_base_ms,
            backoff_cap_ms,
            delete: action == delete_images::ACTION,
            retries_used: 0,
            skew_corrected: false,
            credentials_refreshed: false,
            earlier_outcome_unknown: false,
        }
    }

    /// What follows `failure`; records what it uses up.
    pub fn decide(&mut self, failure: &Failure<'_>) -> Decision {
        let outcome_unknown =
            catalogue::outcome_unknown(failure.code, failure.http_status, failure.not_sent);
        let decision = |next| Decision {
            next,
            delay_ms: 0.0,
            clock_offset_sec: 0.0,
            outcome_unknown,
            probably_deleted: false,
        };
        if failure.code == client_codes::ABORTED {
            return decision(Next::Fail);
        }
        // Reference §5: SignatureExpire is retried once, re-signed with the server's clock. It does
        // not count against `retries`: the server refused before acting, so resending is safe.
        // A server clock that no request can be signed at (a `Date` before 1970 or after 9999) is
        // no clock to correct by: the call fails with the refusal instead.
        let server_clock = failure
            .server_sec
            .filter(|s| (0..=sign::MAX_TIMESTAMP).contains(s));
        if failure.code == SIGNATURE_EXPIRE && self.correct_clock_skew && !self.skew_corrected {
            if let Some(server) = server_clock {
                self.skew_corrected = true;
                return Decision {
                    clock_offset_sec: (server - failure.now_sec) as f64,
                    ..decision(Next::Resign)
                };
            }
        }
        // A provider's credentials that the server refuses as expired or unknown were probably
        // rotated: new ones, sent once more (refused before acting: safe, not a retry).
        if self.provider
            && !self.credentials_refreshed
            && catalogue::credentials_rejected(failure.code)
        {
            self.credentials_refreshed = true;
            return decision(Next::Refresh);
        }
        // An earlier attempt may have deleted the images and lost its answer; it cannot be proved
        // (an id may never have existed), so this stays an error, flagged.
        let probably_deleted =
            self.delete && failure.code == IMAGE_NOT_FOUND && self.earlier_outcome_unknown;
        if self.retries_used >= self.retries || !failure.retryable {
            return Decision {
                probably_deleted,
                ..decision(Next::Fail)
            };
        }
        if outcome_unknown {
            self.earlier_outcome_unknown = true;
        }
        let delay_ms = policy::backoff_delay_ms(
            self.retries_used,
            self.backoff_base_ms,
            self.backoff_cap_ms,
            failure.random01,
        );
        self.retries_used += 1;
        Decision {
            delay_ms,
            ..decision(Next::Retry)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::error::ValidationCode;
    use crate::input::json;

    const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    fn connection(text: &str) -> Value {
        json::parse(text).unwrap()
    }

    fn failure(code: &str) -> Failure<'_> {
        Failure {
            code,
            http_status: 200,
            retryable: catalogue::describe(code).retryable,
            not_sent: false,
            server_sec: None,
            now_sec: 1_000,
            random01: 0.5,
        }
    }

    #[test]
    fn a_prepared_call_signs_what_a_build_signs() {
        let params = json::parse(r#"{"ImageIds": ["img-mfih409y"]}"#).unwrap();
        let call = PreparedCall::new(
            "DeleteImages".into(),
            Some(params.clone()),
            connection(r#"{"region": "ap-guangzhou"}"#),
        )
        .unwrap();
        let signed = call
            .sign(1_551_113_065.0, ID.into(), KEY.into(), None, None)
            .unwrap();
        let options = json::parse(&format!(
            r#"{{"secretId": "{ID}", "secretKey": "{KEY}", "region": "ap-guangzhou", "timestamp": 1551113065}}"#
        ))
        .unwrap();
        let options = request::RequestOptions::from_value(options, || 0, false).unwrap();
        let built = request::build_delete_images(&params, &options, None).unwrap();
        assert_eq!(signed, built);
        // A second attempt with another key and time signs afresh.
        let again = call
            .sign(
                1_551_113_099.0,
                ID.into(),
                "other".into(),
                Some("tok".into()),
                None,
            )
            .unwrap();
        assert_ne!(again.signing.signature(), built.signing.signature());
        assert!(again
            .headers
            .iter()
            .any(|(k, v)| *k == "X-TC-Token" && v == "tok"));
    }

    #[test]
    fn a_call_over_a_checked_connection_signs_as_one_checked_with_it() {
        let text = r#"{"region": "ap-guangzhou", "method": "GET", "language": "en-US"}"#;
        let checked = ClientConnection::new(connection(text)).unwrap();
        let params = json::parse(r#"{"ImageIds": ["img-mfih409y"]}"#).unwrap();
        let over =
            PreparedCall::over("DeleteImages".into(), Some(params.clone()), &checked).unwrap();
        let new = PreparedCall::new("DeleteImages".into(), Some(params), connection(text)).unwrap();
        let sign = |c: &PreparedCall| c.sign(1_551_113_065.0, ID.into(), KEY.into(), None, None);
        assert_eq!(sign(&over).unwrap(), sign(&new).unwrap());
        // Only the parameters are checked then; a bad connection is refused once, up front.
        let e = PreparedCall::over("DeleteImages".into(), None, &checked).unwrap_err();
        assert_eq!(
            e.issues().next().map(|i| i.field.as_str()),
            Some("ImageIds")
        );
        assert!(ClientConnection::new(connection(r#"{"region": "Ap Guangzhou!"}"#)).is_err());
    }

    #[test]
    fn every_problem_of_a_call_is_reported_at_once() {
        let e = PreparedCall::new(
            "DeleteImages".into(),
            Some(json::parse(r#"{"ImageIds": ["nope"], "DryRn": true}"#).unwrap()),
            connection(r#"{"region": "Ap Guangzhou!", "method": "PUT"}"#),
        )
        .unwrap_err();
        let fields: Vec<&str> = e.issues().map(|i| i.field.as_str()).collect();
        for f in ["ImageIds.0", "DryRn", "region", "method"] {
            assert!(fields.contains(&f), "{f} not in {fields:?}");
        }
        let e = PreparedCall::new(
            "describe images".into(),
            None,
            connection(r#"{"region": "ap-guangzhou"}"#),
        )
        .unwrap_err();
        assert_eq!(e.issues().next().map(|i| i.field.as_str()), Some("action"));
    }

    #[test]
    fn a_call_too_large_to_send_is_refused_when_prepared() {
        let ids: Vec<String> = (0..40).map(|i| format!("\"img-{i:0>1000}\"")).collect();
        let params = json::parse(&format!(r#"{{"ImageIds": [{}]}}"#, ids.join(","))).unwrap();
        let get = PreparedCall::new(
            "DescribeImages".into(),
            Some(params.clone()),
            connection(r#"{"region": "ap-guangzhou", "method": "GET"}"#),
        )
        .unwrap_err();
        assert_eq!(get.code(), ValidationCode::RequestSizeLimitExceeded);
        // The same parameters fit a POST body.
        assert!(PreparedCall::new(
            "DescribeImages".into(),
            Some(params),
            connection(r#"{"region": "ap-guangzhou"}"#)
        )
        .is_ok());
    }

    #[test]
    fn a_bad_key_or_timestamp_of_an_attempt_is_a_validation_error_without_the_secret() {
        let call = PreparedCall::new(
            "DescribeImages".into(),
            None,
            connection(r#"{"region": "ap-guangzhou"}"#),
        )
        .unwrap();
        let e = call
            .sign(-1.0, String::new(), "s3cr3t-key".into(), None, None)
            .unwrap_err();
        let text = format!("{e:?} {e}");
        assert!(!text.contains("s3cr3t-key"));
        let fields: Vec<&str> = e.issues().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["secretId", "timestamp"]);
    }

    #[test]
    fn signature_expire_resigns_once_with_the_servers_clock() {
        let mut p = CallPolicy::new(0, true, false, 100.0, 1_000.0, "DeleteImages");
        let f = Failure {
            server_sec: Some(1_600),
            ..failure(SIGNATURE_EXPIRE)
        };
        let d = p.decide(&f);
        assert_eq!((d.next, d.clock_offset_sec), (Next::Resign, 600.0));
        // Once only; without a server clock, or with correction off, it fails.
        assert_eq!(p.decide(&f).next, Next::Fail);
        let mut off = CallPolicy::new(3, false, false, 100.0, 1_000.0, "DeleteImages");
        assert_eq!(off.decide(&f).next, Next::Fail);
        let mut no_date = CallPolicy::new(3, true, false, 100.0, 1_000.0, "DeleteImages");
        assert_eq!(no_date.decide(&failure(SIGNATURE_EXPIRE)).next, Next::Fail);
        // A server clock no request can be signed at (year 1, or past 9999) is not taken.
        for server in [-62_135_596_800, -1, sign::MAX_TIMESTAMP + 1] {
            let mut p = CallPolicy::new(3, true, false, 100.0, 1_000.0, "DeleteImages");
            let f = Failure {
                server_sec: Some(server),
                ..failure(SIGNATURE_EXPIRE)
            };
            assert_eq!(p.decide(&f).next, Next::Fail, "server clock {server}");
        }
    }

    #[test]
    fn rejected_credentials_of_a_provider_are_refreshed_once() {
        let mut p = CallPolicy::new(0, true, true, 100.0, 1_000.0, "DescribeImages");
        let f = failure("AuthFailure.SecretIdNotFound");
        assert_eq!(p.decide(&f).next, Next::Refresh);
        assert_eq!(p.decide(&f).next, Next::Fail);
        let mut static_key = CallPolicy::new(0, true, false, 100.0, 1_000.0, "DescribeImages");
        assert_eq!(static_key.decide(&f).next, Next::Fail);
    }

    #[test]
    fn retryable_failures_are_retried_within_the_budget_with_backoff() {
        let mut p = CallPolicy::new(2, true, false, 100.0, 1_000.0, "DeleteImages");
        let f = failure("RequestLimitExceeded");
        let first = p.decide(&f);
        let second = p.decide(&f);
        assert_eq!((first.next, second.next), (Next::Retry, Next::Retry));
        assert_eq!(
            first.delay_ms,
            policy::backoff_delay_ms(0, 100.0, 1_000.0, 0.5)
        );
        assert_eq!(
            second.delay_ms,
            policy::backoff_delay_ms(1, 100.0, 1_000.0, 0.5)
        );
        assert_eq!(p.decide(&f).next, Next::Fail);
        let mut q = CallPolicy::new(2, true, false, 100.0, 1_000.0, "DeleteImages");
        assert_eq!(q.decide(&failure("InvalidParameter")).next, Next::Fail);
        assert_eq!(q.decide(&failure(client_codes::ABORTED)).next, Next::Fail);
    }

    #[test]
    fn not_found_after_an_unknown_outcome_is_flagged_as_probably_deleted() {
        let mut p = CallPolicy::new(3, true, false, 100.0, 1_000.0, "DeleteImages");
        let timeout = Failure {
            http_status: 0,
            retryable: true,
            ..failure(client_codes::TIMEOUT)
        };
        let d = p.decide(&timeout);
        assert!(d.outcome_unknown && d.next == Next::Retry);
        let d = p.decide(&failure(IMAGE_NOT_FOUND));
        assert_eq!((d.next, d.probably_deleted), (Next::Fail, true));
        // Not after a refusal that proves nothing was applied, and not for other actions.
        let mut q = CallPolicy::new(3, true, false, 100.0, 1_000.0, "DeleteImages");
        q.decide(&failure("RequestLimitExceeded"));
        assert!(!q.decide(&failure(IMAGE_NOT_FOUND)).probably_deleted);
        let mut r = CallPolicy::new(3, true, false, 100.0, 1_000.0, "DescribeImages");
        r.decide(&timeout);
        assert!(!r.decide(&failure(IMAGE_NOT_FOUND)).probably_deleted);
        // A network error that proves nothing was sent is not unknown.
        let mut s = CallPolicy::new(3, true, false, 100.0, 1_000.0, "DeleteImages");
        let refused = Failure {
            http_status: 0,
            retryable: true,
            not_sent: true,
            ..failure(client_codes::NETWORK)
        };
        assert!(!s.decide(&refused).outcome_unknown);
        assert!(!s.decide(&failure(IMAGE_NOT_FOUND)).probably_deleted);
    }
}
