//! The wasm build itself, under Node and headless Chromium (`wasm-bindgen-test-runner`):
//! Tencent's worked examples through the JavaScript-facing exports, and the boundary's error
//! shapes. On wasm32 only `#[wasm_bindgen_test]` functions run.
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, JSON};
use tencentcloud_cvm_wasm::bindings;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const CASES: [(&str, &str); 3] = [
    (
        include_str!("vectors/example-1-post/context.json"),
        include_str!("vectors/example-1-post/signature.txt"),
    ),
    (
        include_str!("vectors/example-2-signed-action/context.json"),
        include_str!("vectors/example-2-signed-action/signature.txt"),
    ),
    (
        include_str!("vectors/example-3-get/context.json"),
        include_str!("vectors/example-3-get/signature.txt"),
    ),
];

/// The bindings take object arguments as JSON text (written by the package's JS layer).
fn arg(text: &str) -> String {
    text.to_owned()
}

/// ... and return results as JSON text.
fn js(text: String) -> JsValue {
    JSON::parse(&text).expect("result JSON")
}

fn field(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).expect("field")
}

fn text(value: &JsValue, name: &str) -> String {
    field(value, name).as_string().unwrap_or_default()
}

#[wasm_bindgen_test]
fn tencent_worked_examples_sign_byte_exact() {
    for (context, signature) in CASES {
        // Twice: a signing-key cache miss, then a hit.
        for _ in 0..2 {
            let out = bindings::sign_tc3(arg(context)).expect("signs");
            assert_eq!(stage(&out, 1), signature);
        }
    }
    let out = bindings::sign_tc3(arg(CASES[0].0)).expect("signs");
    assert_eq!(
        stage(&out, 0),
        include_str!("vectors/example-1-post/authorization.txt")
    );
    assert_eq!(
        stage(&out, 2),
        include_str!("vectors/example-1-post/canonical-request.txt")
    );
}

#[wasm_bindgen_test]
fn build_returns_what_fetch_needs() {
    let out = bindings::build_delete_images(
        arg(r#"{"ImageIds": ["img-mfih409y"], "DryRun": "True"}"#),
        arg(r#"{"secretId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "secretKey": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
              "region": "ap-guangzhou", "timestamp": 1551113065}"#),
    )
    .expect("builds");
    // url, method, body, header count, the headers as name/value pairs, then the 7 stages.
    let f: Vec<&str> = out.split('\0').collect();
    assert_eq!(f[0], "https://cvm.tencentcloudapi.com/");
    assert_eq!(f[1], "POST");
    assert_eq!(f[2], r#"{"ImageIds":["img-mfih409y"],"DryRun":true}"#);
    let count: usize = f[3].parse().expect("header count");
    let headers: Vec<(&str, &str)> = (0..count).map(|i| (f[4 + 2 * i], f[5 + 2 * i])).collect();
    let header = |name: &str| headers.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    assert_eq!(header("X-TC-Action"), Some("DeleteImages"));
    assert_eq!(header("X-TC-Timestamp"), Some("1551113065"));
    assert_eq!(header("Host"), None);
    let authorization = header("Authorization").expect("Authorization");
    assert!(authorization.starts_with(
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature="
    ));
    // The stages follow: authorization first; 7 fields, each ended by a NUL.
    assert_eq!(f[4 + 2 * count], authorization);
    assert_eq!(f.len(), 4 + 2 * count + 7 + 1);
}

/// Field `i` of a NUL-separated result.
fn stage(text: &str, i: usize) -> &str {
    text.split('\0').nth(i).unwrap_or_default()
}

#[wasm_bindgen_test]
fn validation_errors_name_field_and_code_and_never_the_secret() {
    let err = bindings::build_delete_images(
        arg(r#"{"ImageIds": ["img-a"], "DeleteBindedSnapshot": true}"#),
        arg(
            r#"{"secretId": "AKIDx", "secretKey": "SECRET-NEVER-SHOWN", "region": "ap-guangzhou"}"#,
        ),
    )
    .expect_err("rejects");
    assert_eq!(text(&err, "kind"), "ValidationError");
    assert_eq!(text(&err, "field"), "DeleteBindedSnapshot");
    assert_eq!(text(&err, "code"), "UnknownParameter");
    let err = bindings::build_delete_images(
        arg(r#"{"ImageIds": ["img-a"]}"#),
        arg(r#"{"secretId": "AKIDx", "secretKey": 12345, "region": "ap-guangzhou"}"#),
    )
    .expect_err("rejects");
    assert_eq!(text(&err, "field"), "secretKey");
    assert!(!text(&err, "message").contains("12345"));
    // `undefined` arrives as empty text; a BigInt as the JS layer's marker.
    let err = bindings::validate_delete_images(String::new()).expect_err("rejects");
    assert_eq!(text(&err, "field"), "params");
    let err =
        bindings::sign_tc3(arg(r#"{"timestamp": {"\u0000js": "bigint"}}"#)).expect_err("rejects");
    assert_eq!(text(&err, "field"), "timestamp");
    assert_eq!(text(&err, "code"), "InvalidParameter");
}

#[wasm_bindgen_test]
fn decoding_maps_every_body_to_a_result_or_an_error() {
    let ok = js(bindings::decode_delete_images(
        JsValue::from(200),
        JsValue::from_str(r#"{"Response": {"RequestId": "71e69b56-32be-4412-ab45-49eded6a87be"}}"#),
    )
    .expect("success"));
    assert_eq!(
        text(&ok, "RequestId"),
        "71e69b56-32be-4412-ab45-49eded6a87be"
    );
    for (status, body, code) in [
        (
            200,
            r#"{"Response":{"Error":{"Code":"InvalidImageId.NotFound","Message":"x"},"RequestId":"r"}}"#,
            "InvalidImageId.NotFound",
        ),
        (200, "", "ClientError.InvalidResponse"),
        (200, r#"{"Response": {"Req"#, "ClientError.InvalidResponse"),
        (
            502,
            "<html><title>502</title></html>",
            "ClientError.HttpStatus",
        ),
    ] {
        let err = bindings::decode_delete_images(JsValue::from(status), JsValue::from_str(body))
            .expect_err("fails");
        assert_eq!(text(&err, "kind"), "TencentCloudError");
        assert_eq!(text(&err, "code"), code);
    }
    let err = bindings::decode_delete_images(JsValue::from(99), JsValue::from_str("{}"))
        .expect_err("bad status");
    assert_eq!(text(&err, "kind"), "ValidationError");
}
