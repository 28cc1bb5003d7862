//! Tencent's published TC3 worked examples (tests/vectors/<case>/), checked stage by stage so a
//! failure names the stage that diverged. Each case folder holds the signer's input
//! (`context.json`, the `signTc3` input shape) and whichever stages Tencent published. The `v1-`
//! cases are legacy v1 signatures: their `context.json` is `buildRequest`'s input
//! (`{ action, params, options }`).

use std::fs;
use std::path::Path;

use tencentcloud_cvm_wasm::input::json;
use tencentcloud_cvm_wasm::request::query;
use tencentcloud_cvm_wasm::request::{self, RequestOptions};
use tencentcloud_cvm_wasm::sign::secret::SecretKey;
use tencentcloud_cvm_wasm::sign::tc3_input::SignTc3Input;
use tencentcloud_cvm_wasm::sign::{sign, signing_key_stages, to_hex, SigningKeyCache, UtcDate};

fn expected(case: &str, stage: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(case)
        .join(stage);
    fs::read_to_string(path).ok()
}

/// JSON text into the core's value model, through serde_json (as the native tests read it).
fn read_json(text: &str) -> json::Value {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = json::read(&mut de).expect("JSON");
    de.end().expect("one JSON value");
    value
}

fn check_case(case: &str) {
    let context = expected(case, "context.json").expect("context.json");
    let value = read_json(&context);
    let input = SignTc3Input::from_value(value.clone()).unwrap();
    let field = |name: &str| value.as_object().unwrap().get(name).unwrap().clone();
    let out = sign(&input.params(), None).unwrap();
    let mut checked = 0;
    let mut stage = |name: &str, got: &str| {
        if let Some(want) = expected(case, name) {
            assert_eq!(got, want, "{case}: {name} didn't match");
            checked += 1;
        }
    };
    stage("hashed-payload.txt", &out.hashed_payload);
    stage("canonical-request.txt", &out.canonical_request);
    stage(
        "hashed-canonical-request.txt",
        out.string_to_sign.rsplit('\n').next().unwrap(),
    );
    stage("string-to-sign.txt", &out.string_to_sign);
    stage("signature.txt", &out.signature);
    stage("authorization.txt", &out.authorization);
    let secret = SecretKey::new(field("secretKey").as_str().unwrap().to_owned());
    let json::Value::Number(timestamp) = field("timestamp") else {
        panic!("timestamp")
    };
    let date = UtcDate::from_unix(timestamp.as_i64().unwrap());
    let keys = signing_key_stages(&secret, date, field("service").as_str().unwrap());
    stage("secret-date.txt", &to_hex(&keys[0]));
    stage("secret-service.txt", &to_hex(&keys[1]));
    stage("secret-signing.txt", &to_hex(&keys[2]));
    assert!(checked >= 2, "{case}: only {checked} stages on disk");
    assert!(
        expected(case, "signature.txt").is_some(),
        "{case}: no signature"
    );

    // The cache gives the same answer, on a miss and on a hit.
    let mut cache = SigningKeyCache::new();
    for _ in 0..2 {
        let cached = sign(&input.params(), Some(&mut cache)).unwrap();
        assert_eq!(cached, out, "{case}: cached signature differs");
    }
}

#[test]
fn example_1_post() {
    check_case("example-1-post");
}

#[test]
fn example_2_signed_action() {
    check_case("example-2-signed-action");
}

#[test]
fn example_3_get() {
    check_case("example-3-get");
}

/// Tencent's GET example built from parameters (`{"Limit": 10, "Offset": 0}`) rather than from
/// its query string: the builder's query, content type and host are the example's.
#[test]
fn example_3_through_the_builder() {
    let options = RequestOptions::from_value(
        read_json(
            r#"{"secretId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "secretKey": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                "region": "ap-guangzhou", "timestamp": 1539084154, "method": "GET"}"#,
        ),
        || 0,
        true,
    );
    let params = read_json(r#"{"Limit": 10, "Offset": 0}"#);
    let req = request::build_generic("DescribeInstances", Some(params), options, None).unwrap();
    assert_eq!(
        req.url,
        "https://cvm.tencentcloudapi.com/?Limit=10&Offset=0"
    );
    assert_eq!(
        req.signing.tc3().unwrap().signature,
        expected("example-3-get", "signature.txt").unwrap()
    );
}

/// A v1 case through the request builder: the string to sign and the signature are Tencent's, and
/// the URL carries exactly the signed parameters plus `Signature`, encoded.
fn check_v1_case(case: &str) {
    let context = read_json(&expected(case, "context.json").expect("context.json"));
    let field = |name: &str| context.as_object().unwrap().get(name).unwrap().clone();
    let options = RequestOptions::from_value(field("options"), || 0, true);
    let action = field("action").as_str().unwrap().to_owned();
    let req = request::build_generic(&action, Some(field("params")), options, None).unwrap();
    let v1 = req.signing.v1().expect("a v1 signature");
    let string_to_sign = expected(case, "string-to-sign.txt").unwrap();
    assert_eq!(v1.string_to_sign, string_to_sign, "{case}: string to sign");
    let signature = expected(case, "signature.txt").unwrap();
    assert_eq!(v1.signature, signature, "{case}: signature");
    let (_, signed) = string_to_sign.split_once('?').unwrap();
    let mut want = String::new();
    for pair in signed
        .split('&')
        .chain([format!("Signature={signature}").as_str()])
    {
        let (name, value) = pair.split_once('=').unwrap();
        if !want.is_empty() {
            want.push('&');
        }
        query::percent_encode(name, &mut want);
        want.push('=');
        query::percent_encode(value, &mut want);
    }
    assert_eq!(req.url, format!("https://cvm.tencentcloudapi.com/?{want}"));
    // Another key does not reproduce it (the comparison can fail).
    let mut other = field("options");
    if let json::Value::Object(o) = &mut other {
        o.insert("secretKey".into(), json::Value::String("x".into()));
    }
    let req = request::build_generic(
        &action,
        Some(field("params")),
        RequestOptions::from_value(other, || 0, true),
        None,
    )
    .unwrap();
    assert_ne!(req.signing.signature(), signature);
}

#[test]
fn v1_example_get_hmacsha1() {
    check_v1_case("v1-example-get-hmacsha1");
}

#[test]
fn every_case_folder_has_a_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut cases: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    cases.sort();
    assert_eq!(
        cases,
        [
            "example-1-post",
            "example-2-signed-action",
            "example-3-get",
            "v1-example-get-hmacsha1"
        ]
    );
}
