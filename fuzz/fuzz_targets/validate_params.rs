//! Any bytes as argument text → `json::read` (over serde_json, its depth limit off so the core's
//! 128 levels are what is fuzzed) → every validator: `DeleteImagesParams::from_value`,
//! `RequestOptions::from_value` (both option sets), `SignTc3Input::from_value`,
//! `ClientSettings::from_value`, `credentials::check_answer` / `cvm_role_settings` and the
//! checked builders. Never a panic; every problem is
//! complete (a field, a code, a message; the first is the error's own); a secret key is never
//! quoted; valid parameters obey DeleteImages' rules and normalise idempotently; parameter and
//! option problems are reported together, parameters first; our JSON writer is a fixed point of
//! reading its own text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencentcloud_cvm_wasm::client::options::ClientSettings;
use tencentcloud_cvm_wasm::client::credentials;
use tencentcloud_cvm_wasm::actions::delete_images::{DeleteImagesParams, MAX_IMAGE_IDS_PER_CALL};
use tencentcloud_cvm_wasm::input::error::ValidationError;
use tencentcloud_cvm_wasm::input::json::{self, Object, ReadError, Value};
use tencentcloud_cvm_wasm::request::{self, RequestOptions};
use tencentcloud_cvm_wasm::sign::tc3_input::SignTc3Input;

const OPTIONS: [&str; 2] = [
    r#"{"secretId":"AKIDEXAMPLE","secretKey":"k","region":"ap-guangzhou","timestamp":1551113065}"#,
    r#"{"secretId":"AKIDEXAMPLE","secretKey":"k","region":"ap-guangzhou","timestamp":1551113065,"method":"GET","signAction":true}"#,
];

/// The text as `JSON.parse` would read it: one value, nothing after it.
fn parse(text: &str) -> Result<Value, ReadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = json::read(&mut de)?;
    de.end().map_err(|_| ReadError::Invalid)?;
    Ok(value)
}

/// A secret no message has a reason to contain.
const CANARY: &str = "CANARY-9f2c-SECRET";

/// The options with their secret key replaced by [`CANARY`], and so every other option that held
/// the same string (a secret put in the wrong place); `None` when there is no string secret key
/// or a key names the canary itself (unknown keys are quoted).
fn with_canary(value: &Value) -> Option<Value> {
    let o = value.as_object()?;
    let secret = o.get("secretKey")?.as_str()?;
    if o.keys().any(|k| k.contains("CANARY")) {
        return None;
    }
    let mut out = Object::new();
    for (k, v) in o.iter() {
        let v = match v {
            Value::String(s) if s == secret => Value::String(CANARY.into()),
            v => v.clone(),
        };
        out.insert(k.to_owned(), v);
    }
    Some(Value::Object(out))
}

fn check_error(e: &ValidationError, secret: Option<&str>) {
    let issues: Vec<_> = e.issues().collect();
    assert_eq!(
        (
            issues[0].field.as_str(),
            issues[0].code,
            issues[0].message.as_str()
        ),
        (e.field(), e.code(), e.message())
    );
    for i in &issues {
        assert!(!i.field.is_empty(), "a problem without a field: {e:?}");
        assert!(!i.message.is_empty(), "a problem without a message: {e:?}");
        if let Some(secret) = secret {
            assert!(
                !i.message.contains(secret) && !i.field.contains(secret),
                "the secret is quoted: {i:?}"
            );
        }
    }
}

fn issues(e: &ValidationError) -> Vec<(String, &'static str)> {
    e.issues()
        .map(|i| (i.field.clone(), i.code.as_str()))
        .collect()
}

fn check_params(value: &Value) {
    match DeleteImagesParams::from_value(value) {
        Ok(p) => {
            assert!(!p.image_ids.is_empty() && p.image_ids.len() <= MAX_IMAGE_IDS_PER_CALL);
            for (i, id) in p.image_ids.iter().enumerate() {
                assert!(
                    id.starts_with("img-") && id.len() > 4 && id.len() <= 128,
                    "{id:?}"
                );
                assert!(
                    !id.chars().any(|c| c.is_whitespace() || c.is_control()),
                    "{id:?}"
                );
                assert!(!p.image_ids[..i].contains(id), "repeated {id:?}");
            }
            assert_eq!(
                DeleteImagesParams::from_value(&p.to_value()).as_ref(),
                Ok(&p)
            );
            for text in OPTIONS {
                let options =
                    RequestOptions::from_value(parse(text).unwrap(), || 0, false).unwrap();
                match request::build_delete_images(value, &options, None) {
                    Ok(req) => assert!(req.signing.tc3().is_some_and(|s| s.authorization.starts_with("TC3-HMAC-SHA256 "))),
                    Err(e) => assert_eq!(
                        (e.field(), e.code().as_str()),
                        ("params", "RequestSizeLimitExceeded")
                    ),
                }
            }
        }
        Err(e) => {
            check_error(&e, None);
            // At most: the unknown keys, the count, 20 ids and the two flags.
            let unknown = value.as_object().map_or(0, |o| o.len());
            assert!(e.issues().count() <= unknown + 1 + 20 + 2, "{e:?}");
        }
    }
}

fn check_options(value: &Value, secret: Option<&str>) {
    let params = parse(r#"{"ImageIds":["img-mfih409y"],"DryRun":"True"}"#).unwrap();
    for generic in [false, true] {
        match RequestOptions::from_value(value.clone(), || 1_551_113_065, generic) {
            Ok(options) => match request::build_delete_images(&params, &options, None) {
                Ok(_) => {}
                Err(e) => check_error(&e, secret),
            },
            Err(e) => check_error(&e, secret),
        }
    }
    match SignTc3Input::from_value(value.clone()) {
        Ok(input) => {
            if let Err(e) = tencentcloud_cvm_wasm::sign::sign(&input.params(), None) {
                check_error(&e, secret);
            }
        }
        Err(e) => check_error(&e, secret),
    }
    match ClientSettings::from_value(value.clone()) {
        Ok(s) => {
            assert!(
                s.timeout_ms > 0.0 && s.timeout_ms <= 2_147_483_647.0,
                "{s:?}"
            );
            assert!(s.retries <= 100 && s.rate_per_second >= 1, "{s:?}");
        }
        Err(e) => check_error(&e, secret),
    }
    // A credentials provider's answer and cvmRoleCredentials' options: the same promises.
    match credentials::check_answer(value.clone(), 1_764_583_200_000.0) {
        Ok(c) => assert!(c.expires_at_ms.is_none_or(|ms| ms > 1_764_583_200_000.0), "{c:?}"),
        Err(e) => check_error(&e, secret),
    }
    match credentials::cvm_role_settings(value.clone()) {
        Ok(s) => assert!(s.roles_url.ends_with(credentials::ROLE_CREDENTIALS_PATH), "{s:?}"),
        Err(e) => check_error(&e, secret),
    }
}

/// Parameters and options checked together: the parameters' problems, then the options'.
fn check_together(params: &Value, options: &Value) {
    let now = || 1_551_113_065;
    let p = DeleteImagesParams::from_value(params);
    let o = RequestOptions::from_value(options.clone(), now, false);
    let both = request::build_delete_images_checked(
        params.clone(),
        RequestOptions::from_value(options.clone(), now, false),
        None,
    );
    match (&p, &o) {
        (Ok(_), Ok(o)) => assert_eq!(both, request::build_delete_images(params, o, None)),
        _ => {
            let mut want = Vec::new();
            if let Err(e) = &p {
                want.extend(issues(e));
            }
            if let Err(e) = &o {
                want.extend(issues(e));
            }
            assert_eq!(issues(&both.unwrap_err()), want);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(value) = parse(&text) else { return };
    // Our writer's text reads back to the same text (floats are read exactly: float_roundtrip).
    let written = json::to_string(&value);
    let again = parse(&written).unwrap_or_else(|e| panic!("{e:?}: {written}"));
    assert_eq!(json::to_string(&again), written);
    check_params(&value);
    check_options(&value, None);
    if let Some(canaried) = with_canary(&value) {
        check_options(&canaried, Some(CANARY));
    }
    // The value as parameters beside fixed options, and as options beside itself as parameters.
    check_together(&value, &parse(OPTIONS[1]).unwrap());
    check_together(&value, &value);
});
