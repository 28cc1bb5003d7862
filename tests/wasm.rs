//! The wasm build itself, under Node and headless Chromium (`wasm-bindgen-test-runner`):
//! Tencent's worked examples through the JavaScript-facing exports, JavaScript values in (plain
//! objects, and what JSON has no form for: functions, NaN, huge BigInts, cycles), results and
//! `{ kind, … }` errors out. On wasm32 only `#[wasm_bindgen_test]` functions run.
//!
//! The exports take and give text in the boundary format (src/boundary/mod.rs); [`bindings`] below
//! calls them as the package's JavaScript layer does, through pkg/src/boundary.js itself.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// The exports as pkg/src/core.js calls them: each argument written by boundary.js's walk (which
/// refuses what the package refuses before wasm: cycles, Maps, Sets, lone surrogates), each
/// answer read back by boundary.js into plain objects, an `e` answer as `Err`.
mod bindings {
    use js_sys::Function;
    use tencentcloud_cvm_wasm::wasm as raw;
    use wasm_bindgen::prelude::*;

    pub(crate) use raw::{credentials_rejected, is_redirect_status, outcome_unknown};

    #[wasm_bindgen(module = "/pkg/src/boundary.js")]
    extern "C" {
        #[wasm_bindgen(js_name = createEncoder)]
        fn create_encoder(unreadable: &Function, is_own: &Function) -> Function;
        #[wasm_bindgen(js_name = encodeParsed)]
        fn encode_parsed(value: &JsValue) -> String;
        #[wasm_bindgen(js_name = decodeValue)]
        pub(crate) fn decode_value(text: &str, at: u32) -> JsValue;
    }

    thread_local! {
        static ENCODE: Function = create_encoder(
            // core.js's ValidationError, as the plain `{ kind, … }` object wasm's errors are.
            &Function::new_with_args(
                "field, why, code",
                "code = code === undefined ? 'InvalidParameter' : code; const message = `${field} ${why}`; \
                 return { kind: 'ValidationError', field, code, message, issues: [{ field, code, message }] };",
            ),
            &Function::new_with_args("e", "return Boolean(e) && e.kind === 'ValidationError';"),
        );
    }

    /// An argument's text, or the error the JavaScript walk throws.
    pub(crate) fn encode(value: &JsValue, root: &str) -> Result<String, JsValue> {
        ENCODE
            .with(|f| f.call2(&JsValue::NULL, value, &JsValue::from_str(root)))
            .map(|text| text.as_string().unwrap_or_default())
    }

    fn answer(text: String) -> Result<JsValue, JsValue> {
        let value = decode_value(&text, 1);
        if text.starts_with('e') {
            Err(value)
        } else {
            Ok(value)
        }
    }

    fn parsed(value: &JsValue) -> String {
        if value.is_undefined() {
            "u".to_owned()
        } else {
            encode_parsed(value)
        }
    }

    pub(crate) fn sign_tc3(input: JsValue) -> Result<JsValue, JsValue> {
        answer(raw::sign_tc3(encode(&input, "input")?))
    }

    pub(crate) fn build_delete_images(
        params: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let params = encode(&params, "params")?;
        answer(raw::build_delete_images(
            params,
            encode(&options, "options")?,
        ))
    }

    pub(crate) fn build_request(
        action: JsValue,
        params: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let params = encode(&params, "params")?;
        answer(raw::build_request(
            action,
            params,
            encode(&options, "options")?,
        ))
    }

    pub(crate) fn validate_delete_images(params: JsValue) -> Result<JsValue, JsValue> {
        answer(raw::validate_delete_images(encode(&params, "params")?))
    }

    pub(crate) fn check_delete_images(params: JsValue, options: JsValue) -> JsValue {
        let both =
            encode(&params, "params").and_then(|p| encode(&options, "options").map(|o| (p, o)));
        match both {
            Ok((p, o)) => decode_value(&raw::check_delete_images(p, o), 1),
            Err(e) => js_sys::Reflect::get(&e, &"issues".into()).unwrap_or(e),
        }
    }

    pub(crate) fn check_client_options(options: JsValue) -> Result<JsValue, JsValue> {
        answer(raw::check_client_options(encode(&options, "options")?))
    }

    pub(crate) fn check_credentials(provided: JsValue, now_ms: f64) -> Result<JsValue, JsValue> {
        answer(raw::check_credentials(
            encode(&provided, "credentials")?,
            now_ms,
        ))
    }

    pub(crate) fn decode_response(
        status: JsValue,
        body: JsValue,
        parsed_body: JsValue,
        redirect_origin: JsValue,
    ) -> Result<JsValue, JsValue> {
        answer(raw::decode_response(
            status,
            body,
            parsed(&parsed_body),
            redirect_origin,
        ))
    }

    pub(crate) fn decode_delete_images(
        status: JsValue,
        body: JsValue,
        parsed_body: JsValue,
        redirect_origin: JsValue,
    ) -> Result<JsValue, JsValue> {
        answer(raw::decode_delete_images(
            status,
            body,
            parsed(&parsed_body),
            redirect_origin,
        ))
    }

    pub(crate) fn describe_error(code: JsValue) -> JsValue {
        decode_value(&raw::describe_error(code), 1)
    }
}

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

const OPTIONS: &str = r#"{"secretId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "secretKey": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    "region": "ap-guangzhou", "timestamp": 1551113065}"#;

/// A JavaScript value from JSON text, as `JSON.parse` makes it.
fn js(text: &str) -> JsValue {
    JSON::parse(text).expect("JSON")
}

/// A JavaScript value from an expression, for what JSON cannot write (functions, NaN,
/// `undefined`, BigInts, cycles, key order with numbers).
fn eval(expression: &str) -> JsValue {
    Function::new_no_args(&format!("return ({expression});"))
        .call0(&JsValue::NULL)
        .expect("expression")
}

fn field(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).expect("field")
}

fn text(value: &JsValue, name: &str) -> String {
    let v = field(value, name);
    v.as_string()
        .unwrap_or_else(|| panic!("{name} is not a string: {v:?}"))
}

fn keys(value: &JsValue) -> Vec<String> {
    Object::keys(value.unchecked_ref::<Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect()
}

fn stringify(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().as_string().unwrap()
}

/// `(field, code)` of every issue of a thrown `ValidationError`, after checking its shape.
fn issues(err: &JsValue) -> Vec<(String, String)> {
    assert_eq!(text(err, "kind"), "ValidationError", "{}", stringify(err));
    let list: Array = field(err, "issues").dyn_into().expect("issues is an array");
    let all: Vec<(String, String, String)> = list
        .iter()
        .map(|i| (text(&i, "field"), text(&i, "code"), text(&i, "message")))
        .collect();
    assert!(!all.is_empty());
    assert_eq!(
        (text(err, "field"), text(err, "code"), text(err, "message")),
        all[0].clone(),
        "the error is its first issue"
    );
    all.into_iter().map(|(f, c, _)| (f, c)).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
        .collect()
}

#[wasm_bindgen_test]
fn tencent_worked_examples_sign_byte_exact() {
    for (context, signature) in CASES {
        // Twice: a signing-key cache miss, then a hit.
        for _ in 0..2 {
            let out = bindings::sign_tc3(js(context)).expect("signs");
            assert_eq!(text(&out, "signature"), signature);
        }
    }
    let out = bindings::sign_tc3(js(CASES[0].0)).expect("signs");
    assert_eq!(
        keys(&out),
        [
            "authorization",
            "signature",
            "canonicalRequest",
            "stringToSign",
            "credentialScope",
            "signedHeaders",
            "hashedPayload"
        ]
    );
    assert_eq!(
        text(&out, "authorization"),
        include_str!("vectors/example-1-post/authorization.txt")
    );
    assert_eq!(
        text(&out, "canonicalRequest"),
        include_str!("vectors/example-1-post/canonical-request.txt")
    );
    assert_eq!(
        text(&out, "stringToSign"),
        include_str!("vectors/example-1-post/string-to-sign.txt")
    );
}

/// Tencent's GET example, built from parameters rather than from its query string.
#[wasm_bindgen_test]
fn the_builder_reproduces_tencents_get_example() {
    let req = bindings::build_request(
        JsValue::from_str("DescribeInstances"),
        js(r#"{"Limit": 10, "Offset": 0}"#),
        js(r#"{"secretId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "secretKey": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
              "region": "ap-guangzhou", "timestamp": 1539084154, "method": "GET"}"#),
    )
    .expect("builds");
    assert_eq!(
        text(&req, "url"),
        "https://cvm.tencentcloudapi.com/?Limit=10&Offset=0"
    );
    assert!(field(&req, "body").is_undefined());
    let signing = field(&req, "signing");
    assert_eq!(
        text(&signing, "signature"),
        include_str!("vectors/example-3-get/signature.txt")
    );
}

/// Tencent's v1 worked example (HmacSHA1), and a v1 request whose Nonce comes from
/// `crypto.getRandomValues` (getrandom's JavaScript backend).
#[wasm_bindgen_test]
fn v1_signatures_reproduce_tencents_example_and_draw_nonces() {
    let context = js(include_str!("vectors/v1-example-get-hmacsha1/context.json"));
    let req = bindings::build_request(
        field(&context, "action"),
        field(&context, "params"),
        field(&context, "options"),
    )
    .expect("builds");
    let signing = field(&req, "signing");
    assert_eq!(
        text(&signing, "stringToSign"),
        include_str!("vectors/v1-example-get-hmacsha1/string-to-sign.txt")
    );
    assert_eq!(
        text(&signing, "signature"),
        include_str!("vectors/v1-example-get-hmacsha1/signature.txt")
    );
    let options = r#"{"secretId": "AKIDx", "secretKey": "k", "region": "ap-guangzhou", "signMethod": "HmacSHA256"}"#;
    let nonces: Vec<String> = (0..4)
        .map(|_| {
            let req =
                bindings::build_request(JsValue::from_str("DescribeImages"), js("{}"), js(options))
                    .expect("builds");
            let s = text(&field(&req, "signing"), "stringToSign");
            let nonce = s
                .split('&')
                .find_map(|p| p.strip_prefix("Nonce="))
                .expect("Nonce");
            assert!(nonce.parse::<u32>().is_ok_and(|n| n >= 1), "{nonce}");
            nonce.to_owned()
        })
        .collect();
    assert!(nonces.iter().any(|n| *n != nonces[0]), "{nonces:?}");
}

#[wasm_bindgen_test]
fn build_returns_what_fetch_needs() {
    let req = bindings::build_delete_images(
        js(r#"{"ImageIds": ["img-mfih409y"], "DryRun": "True"}"#),
        js(OPTIONS),
    )
    .expect("builds");
    assert_eq!(
        keys(&req),
        ["url", "method", "headers", "body", "redirect", "signing"],
        "{}",
        stringify(&req)
    );
    assert_eq!(text(&req, "url"), "https://cvm.tencentcloudapi.com/");
    assert_eq!(text(&req, "method"), "POST");
    // fetch(req.url, req) follows no redirect: a signed request goes to its host or nowhere.
    assert_eq!(text(&req, "redirect"), "manual");
    let body = text(&req, "body");
    assert_eq!(body, r#"{"ImageIds":["img-mfih409y"],"DryRun":true}"#);
    // Headers are a plain object, as `fetch(url, req)` takes them.
    let headers = field(&req, "headers");
    assert_eq!(
        Object::get_prototype_of(&headers),
        Object::get_prototype_of(&Object::new())
    );
    assert_eq!(
        keys(&headers),
        [
            "Authorization",
            "Content-Type",
            "X-TC-Action",
            "X-TC-Version",
            "X-TC-Timestamp",
            "X-TC-Region",
            "X-TC-RequestClient"
        ]
    );
    assert_eq!(text(&headers, "X-TC-Action"), "DeleteImages");
    assert_eq!(text(&headers, "X-TC-Timestamp"), "1551113065");
    assert_eq!(text(&headers, "Content-Type"), "application/json");
    let authorization = text(&headers, "Authorization");
    assert!(authorization.starts_with(
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature="
    ));
    assert_eq!(
        text(&field(&req, "signing"), "authorization"),
        authorization
    );
    // The signer (checked against Tencent's examples above) signs the same body the same way.
    let input = js(OPTIONS);
    for (k, v) in [
        ("service", "cvm"),
        ("host", "cvm.tencentcloudapi.com"),
        ("method", "POST"),
        ("contentType", "application/json"),
        ("payload", body.as_str()),
    ] {
        Reflect::set(&input, &k.into(), &v.into()).unwrap();
    }
    Reflect::delete_property(input.unchecked_ref::<Object>(), &"region".into()).unwrap();
    let signed = bindings::sign_tc3(input).expect("signs");
    assert_eq!(text(&signed, "authorization"), authorization);
}

/// The generic POST body is `JSON.stringify(params)`, byte for byte: key order, escapes, and
/// numbers in JavaScript's own text (1e+21, 1.5e-7, 2**60 with its shortest digits, -0).
/// (Members set to `undefined` are the package's to drop: its snapshot does, as JSON does.)
#[wasm_bindgen_test]
fn a_post_body_is_json_stringify_of_the_params() {
    // No set-up: the bindings install JavaScript's number formatting themselves.
    let params = eval(
        r#"{ "z": 1, "a": [1.5, 1e21, 1.5e-7, 0.000001, 2 ** 60, -(2 ** 62), 2 ** 53, -0, 0.1 + 0.2, 123456789],
             "2": "numeric key first", "s": "é\u0001\n\"\\\u2028🙂", "nested": { "deep": [[[null, true, false]]] },
             "Filters": [{ "Name": "image-type", "Values": ["PRIVATE_IMAGE"] }] }"#,
    );
    let req = bindings::build_request(
        JsValue::from_str("DescribeImages"),
        params.clone(),
        js(OPTIONS),
    )
    .expect("builds");
    assert_eq!(text(&req, "body"), stringify(&params));
}

#[wasm_bindgen_test]
fn a_validation_error_carries_every_issue() {
    let err = bindings::build_delete_images(
        eval(
            r#"{ "ImageIds": ["img-a", "bad", 7, "img-a", 2n ** 70n], "DryRun": NaN, "DeleteBindedSnapshot": true }"#,
        ),
        eval(
            r#"{ "secretId": "AKIDx", "secretKey": 12345, "region": "SECRET-NEVER-SHOWN", "endpoint": "SECRET-NEVER-SHOWN",
                 "signAction": "SECRET-NEVER-SHOWN", "timeoutMs": 1, "fetch": () => 1 }"#,
        ),
    )
    .expect_err("rejects");
    assert_eq!(
        issues(&err),
        pairs(&[
            ("DeleteBindedSnapshot", "UnknownParameter"),
            ("ImageIds.1", "InvalidImageId.Malformed"),
            ("ImageIds.2", "InvalidParameter"),
            ("ImageIds.3", "InvalidParameterValue"),
            ("ImageIds.4", "InvalidParameter"),
            ("DryRun", "InvalidParameter"),
            ("timeoutMs", "UnknownParameter"),
            ("fetch", "UnknownParameter"),
            ("secretKey", "InvalidParameter"),
            ("region", "InvalidParameterValue"),
            ("endpoint", "InvalidParameterValue"),
            ("signAction", "InvalidParameter"),
        ])
    );
    let all = stringify(&err);
    assert!(all.contains("did you mean DeleteBindedSnap?"), "{all}");
    assert!(
        all.contains(
            "DryRun must be true, false, \\\"True\\\" or \\\"False\\\", got NaN or Infinity"
        ),
        "{all}"
    );
    assert!(
        !all.contains("SECRET-NEVER-SHOWN") && !all.contains("12345"),
        "{all}"
    );

    // A function where a value belongs is named by its field.
    let err = bindings::validate_delete_images(eval(
        r#"{ "ImageIds": ["img-a"], "DryRun": () => true }"#,
    ))
    .expect_err("rejects");
    assert_eq!(issues(&err), pairs(&[("DryRun", "InvalidParameter")]));
    assert!(
        text(&err, "message").contains("no JSON form"),
        "{}",
        stringify(&err)
    );
    // No argument at all, and a cycle (refused by the JavaScript walk before wasm, not a hang;
    // wasm's own depth limit: arguments_are_read_as_serde_wasm_bindgen_read_their_snapshot).
    let err = bindings::validate_delete_images(JsValue::UNDEFINED).expect_err("rejects");
    assert_eq!(issues(&err), pairs(&[("params", "InvalidParameter")]));
    let err = bindings::validate_delete_images(eval(
        r#"(() => { const p = { "ImageIds": ["img-a"] }; p.self = p; return p; })()"#,
    ))
    .expect_err("rejects");
    assert_eq!(issues(&err), pairs(&[("self", "InvalidParameter")]));
    assert!(text(&err, "message").contains("refers to itself (a cycle)"));
    // checkDeleteImages lists the same issues without throwing, and nothing for a good call.
    let list = bindings::check_delete_images(js(r#"{"ImageIds": ["x"]}"#), js("{}"));
    assert_eq!(
        Array::from(&list)
            .iter()
            .map(|i| (text(&i, "field"), text(&i, "code")))
            .collect::<Vec<_>>(),
        pairs(&[
            ("ImageIds.0", "InvalidImageId.Malformed"),
            ("secretId", "MissingParameter"),
            ("secretKey", "MissingParameter"),
            ("region", "MissingParameter"),
        ])
    );
    let none = bindings::check_delete_images(js(r#"{"ImageIds": ["img-a"]}"#), js(OPTIONS));
    assert_eq!(Array::from(&none).length(), 0);
}

#[wasm_bindgen_test]
fn client_options_are_checked_in_the_core() {
    let settings = bindings::check_client_options(eval(
        r#"{ "secretId": "AKIDx", "secretKey": "SECRET-NEVER-SHOWN", "region": "ap-guangzhou", "timeoutMs": 1e12,
             "fetch": (url, init) => fetch(url, init) }"#,
    ))
    .expect("accepts");
    assert_eq!(
        field(&settings, "timeoutMs").as_f64(),
        Some(2_147_483_647.0)
    );
    assert_eq!(field(&settings, "retries").as_f64(), Some(3.0));
    assert_eq!(field(&settings, "ratePerSecond").as_f64(), Some(10.0));
    assert_eq!(field(&settings, "correctClockSkew").as_bool(), Some(true));
    assert!(
        !stringify(&settings).contains("SECRET"),
        "{}",
        stringify(&settings)
    );
    let err = bindings::check_client_options(js(
        r#"{"secretId": "AKIDx", "secretKey": "SECRET-NEVER-SHOWN", "region": "ap-guangzhou", "timeoutMS": 5, "retries": 101}"#,
    ))
    .expect_err("rejects");
    assert_eq!(
        issues(&err),
        pairs(&[
            ("timeoutMS", "UnknownParameter"),
            ("retries", "InvalidParameterValue")
        ])
    );
    assert!(stringify(&err).contains("did you mean timeoutMs?"));
}

#[wasm_bindgen_test]
fn credentials_providers_cross_as_functions_and_their_answers_are_checked() {
    let settings = bindings::check_client_options(eval(
        r#"{ "region": "ap-guangzhou", "credentials": async () => ({}), "refreshMarginMs": 1000 }"#,
    ))
    .expect("accepts a function");
    assert_eq!(
        field(&settings, "credentials").as_string().as_deref(),
        Some("provider")
    );
    assert_eq!(field(&settings, "refreshMarginMs").as_f64(), Some(1000.0));
    let checked = bindings::check_credentials(
        js(r#"{"secretId": "AKIDx", "secretKey": "SECRET-NEVER-SHOWN", "token": "t", "expiration": "2025-12-01T10:05:00Z"}"#),
        1_764_583_200_000.0,
    )
    .expect("accepts");
    assert_eq!(
        field(&checked, "expiresAtMs").as_f64(),
        Some(1_764_583_500_000.0)
    );
    let err = bindings::check_credentials(
        js(r#"{"secretKey": "SECRET-NEVER-SHOWN", "expiration": 1764583500}"#),
        1_764_583_200_000.0,
    )
    .expect_err("rejects");
    assert_eq!(
        issues(&err),
        pairs(&[
            ("credentials.secretId", "MissingParameter"),
            ("credentials.expiration", "InvalidParameterValue")
        ])
    );
    assert!(!stringify(&err).contains("SECRET"));
    assert!(bindings::credentials_rejected("AuthFailure.TokenFailure"));
    assert!(!bindings::credentials_rejected(
        "AuthFailure.SignatureFailure"
    ));
}

#[wasm_bindgen_test]
fn decoding_maps_every_body_to_a_result_or_an_error() {
    let decode = |status: u32, body: &str| {
        // What the package does: JSON.parse the text first; `undefined` when it throws.
        let parsed = JSON::parse(body).unwrap_or(JsValue::UNDEFINED);
        bindings::decode_response(
            JsValue::from(status),
            JsValue::from_str(body),
            parsed,
            JsValue::UNDEFINED,
        )
    };
    let ok = decode(
        200,
        r#"{"Response": {"ImageSet": [], "RequestId": "71e69b56-32be-4412-ab45-49eded6a87be"}}"#,
    )
    .expect("success");
    assert_eq!(
        stringify(&ok),
        r#"{"ImageSet":[],"RequestId":"71e69b56-32be-4412-ab45-49eded6a87be"}"#
    );
    let dry =
        r#"{"Response":{"Error":{"Code":"DryRunOperation","Message":"ok"},"RequestId":"r-3"}}"#;
    let ok = bindings::decode_delete_images(
        JsValue::from(200),
        JsValue::from_str(dry),
        js(dry),
        JsValue::UNDEFINED,
    )
    .expect("a dry run is a success");
    assert_eq!(
        stringify(&ok),
        r#"{"RequestId":"r-3","DryRunOperation":true}"#
    );
    for (status, body, code, needle) in [
        (
            200,
            r#"{"Response":{"Error":{"Code":"InvalidImageId.NotFound","Message":"x"},"RequestId":"r"}}"#,
            "InvalidImageId.NotFound",
            "x",
        ),
        (200, "", "ClientError.InvalidResponse", "an empty body"),
        (
            200,
            r#"{"Response": {"Req"#,
            "ClientError.InvalidResponse",
            "truncated JSON",
        ),
        (200, "{a:1}", "ClientError.InvalidResponse", "invalid JSON"),
        (
            200,
            r#"{"x":1}"#,
            "ClientError.InvalidResponse",
            "JSON without a Response object",
        ),
        (
            502,
            "<html><title>502</title></html>",
            "ClientError.HttpStatus",
            "HTTP 502 Bad Gateway",
        ),
    ] {
        let err = decode(status, body).expect_err("fails");
        assert_eq!(text(&err, "kind"), "TencentCloudError");
        assert_eq!(text(&err, "code"), code);
        assert!(
            text(&err, "message").contains(needle),
            "{}",
            stringify(&err)
        );
        assert_eq!(field(&err, "httpStatus").as_f64(), Some(f64::from(status)));
        assert!(field(&err, "retryable").as_bool().is_some());
    }
    let deep = format!(
        r#"{{"Response": {{"RequestId": "r", "X": {}1{}}}}}"#,
        "[".repeat(500),
        "]".repeat(500)
    );
    let err = decode(200, &deep).expect_err("too deep");
    assert!(
        text(&err, "message").contains("nested"),
        "{}",
        stringify(&err)
    );
    let err = bindings::decode_response(
        JsValue::from(99),
        JsValue::from_str("{}"),
        js("{}"),
        JsValue::UNDEFINED,
    )
    .expect_err("bad status");
    assert_eq!(issues(&err), pairs(&[("status", "InvalidParameter")]));
}

/// A redirect — any 3xx, or 0 (a browser's opaque redirect) — is ClientError.Redirect, not
/// retryable, whatever the body; the client's origin of the Location is named, nothing more.
#[wasm_bindgen_test]
fn a_redirect_decodes_as_client_error_redirect() {
    let envelope = r#"{"Response":{"RequestId":"r-1"}}"#;
    for status in [0u32, 301, 302, 303, 307, 308] {
        for body in ["", envelope] {
            let parsed = JSON::parse(body).unwrap_or(JsValue::UNDEFINED);
            for decoded in [
                bindings::decode_response(
                    JsValue::from(status),
                    JsValue::from_str(body),
                    parsed.clone(),
                    JsValue::UNDEFINED,
                ),
                bindings::decode_delete_images(
                    JsValue::from(status),
                    JsValue::from_str(body),
                    parsed.clone(),
                    JsValue::UNDEFINED,
                ),
            ] {
                let err = decoded.expect_err("a redirect is an error");
                assert_eq!(text(&err, "kind"), "TencentCloudError");
                assert_eq!(text(&err, "code"), "ClientError.Redirect");
                assert_eq!(field(&err, "retryable").as_bool(), Some(false));
                assert_eq!(field(&err, "httpStatus").as_f64(), Some(f64::from(status)));
            }
        }
        assert!(bindings::is_redirect_status(f64::from(status)));
    }
    for status in [
        200.0,
        404.0,
        502.0,
        299.0,
        400.0,
        1.0,
        -0.5,
        307.5,
        f64::NAN,
    ] {
        assert!(!bindings::is_redirect_status(status), "{status}");
    }
    let named = |origin: &str| {
        let err = bindings::decode_response(
            JsValue::from(307),
            JsValue::from_str(""),
            JsValue::UNDEFINED,
            JsValue::from_str(origin),
        )
        .expect_err("a redirect");
        text(&err, "message")
    };
    assert!(named("https://other.example:8443").contains("to https://other.example:8443,"));
    assert!(!named("https://other.example/secret?q=1").contains("secret"));
}

#[wasm_bindgen_test]
fn the_catalogue_answers_from_the_core() {
    let d = bindings::describe_error(JsValue::from_str("RequestLimitExceeded"));
    assert_eq!(field(&d, "retryable").as_bool(), Some(true));
    assert_eq!(field(&d, "known").as_bool(), Some(true));
    assert!(bindings::outcome_unknown("ClientError.Timeout", 0, false));
    assert!(!bindings::outcome_unknown("ClientError.Network", 0, true));
    assert!(!bindings::outcome_unknown(
        "InvalidImageId.NotFound",
        200,
        false
    ));
}

/// The package's argument walk as it was before the boundary format (pkg/src/core.js `snapshot`):
/// a copy of plain data that wasm then read object by object. Kept here as the reference the
/// boundary format's reading is checked against.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function oldSnapshot(value, root) {
  const NO_JSON_FORM = Symbol('no JSON form');
  const unreadable = (field, why, code = 'InvalidParameter') => {
    const message = `${field} ${why}`;
    return { kind: 'ValidationError', field, code, message, issues: [{ field, code, message }] };
  };
  let nodes = 0;
  const ancestors = [];
  const child = (where, key) => (where === root ? String(key) : `${where}.${key}`);
  function copy(v, where) {
    if (typeof v === 'string') {
      if (!v.isWellFormed()) throw unreadable(where, 'contains a string with an unpaired UTF-16 surrogate', 'InvalidParameterValue');
      return v;
    }
    if (typeof v === 'bigint' || v instanceof BigInt) return NO_JSON_FORM;
    if (typeof v !== 'object' || v === null) return v;
    if (v instanceof Map || v instanceof Set) {
      throw unreadable(where, `is a ${v instanceof Map ? 'Map' : 'Set'}; pass a plain ${v instanceof Map ? 'object (Object.fromEntries(map))' : 'array ([...set])'}`);
    }
    if (v instanceof Date && Number.isNaN(v.getTime())) throw unreadable(where, 'is an invalid Date');
    if (typeof v.toJSON === 'function') return copy(v.toJSON(), where);
    if (v instanceof String) return copy(String(v), where);
    if (v instanceof Number) return Number(v);
    if (v instanceof Boolean) return v.valueOf();
    if (ancestors.length >= 130) return [];
    if (ancestors.includes(v)) throw unreadable(where, 'refers to itself (a cycle)');
    if (++nodes > 100000) throw unreadable(root, `has more than 100000 objects and arrays`);
    ancestors.push(v);
    let out;
    if (Array.isArray(v)) {
      out = new Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = copy(v[i], child(where, i));
    } else {
      out = Object.create(null);
      for (const key of Object.keys(v)) {
        const item = v[key];
        if (item !== undefined) out[key] = copy(item, child(where, key));
      }
    }
    ancestors.pop();
    return out;
  }
  try {
    return copy(value, root);
  } catch (e) {
    if (e && e.kind === 'ValidationError') throw e;
    const why = e && typeof e.message === 'string' ? `: ${e.message.slice(0, 200)}` : '';
    throw unreadable(root, `could not be read${why}`);
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = oldSnapshot, catch)]
    fn old_snapshot(value: &JsValue, root: &str) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen_test]
fn arguments_are_read_as_serde_wasm_bindgen_read_their_snapshot() {
    use tencentcloud_cvm_wasm::boundary::{Arguments, Mode};
    use tencentcloud_cvm_wasm::input::json;
    // Independent truth: the package's old walk (a copy), then serde-wasm-bindgen's Deserializer
    // into json's serde visitor. Both modes, every kind of value; what the walk refuses (cycles,
    // Maps, Sets, invalid Dates, lone surrogates) it refuses with the same error.
    let depth = |n: usize| format!("JSON.parse('{}{}')", "[".repeat(n), "]".repeat(n));
    let mut cases: Vec<String> = [
        "null",
        "undefined",
        "true",
        "false",
        "0",
        "-0",
        "7",
        "-7",
        "1.5",
        "2 ** 53 - 1",
        "2 ** 53",
        "-(2 ** 53)",
        "1e300",
        "5e-324",
        "NaN",
        "Infinity",
        "-Infinity",
        "''",
        "'x'",
        "'h\u{e9}llo \u{1f600}'",
        "'lone \\uD800'",
        "[]",
        "[1, 'a', null, undefined, [2, [3]], {}]",
        "[1, , 3]",
        "{}",
        "{ a: 1, b: { c: [true, 1.25] } }",
        "{ 2: 'a', 1: 'b', x: 'c', '': 'd' }",
        "{ a: undefined, b: 1 }",
        "Object.assign(Object.create(null), { __proto__: 1 })",
        "JSON.parse('{\"__proto__\": {\"a\": 1}}')",
        "new Proxy({ b: 1, 1: 'one', a: 2, 0: 'zero' }, { ownKeys: () => ['b', '1', 'a', '0'] })",
        "() => 1",
        "Symbol('s')",
        "[() => 1, Symbol('x'), NaN, 5]",
        "{ f() {}, s: Symbol(), n: 1 }",
        "1n",
        "-5n",
        "2n ** 63n",
        "2n ** 64n - 1n",
        "2n ** 64n",
        "-(2n ** 63n) - 1n",
        "[1n, 2n ** 70n, Object(3n)]",
        "{ big: 2n ** 70n, ok: 1 }",
        "new Map([['a', 1], ['b', [2]]])",
        "new Map([[1, 'a']])",
        "{ m: new Map([[1, 'a']]), n: new Map([['k', () => 1]]) }",
        "new Set([1])",
        "{ s: new Set([1]) }",
        "new Uint8Array([1, 2])",
        "{ u: new Uint8Array([1]) }",
        "new ArrayBuffer(2)",
        "[new ArrayBuffer(2)]",
        "new Int32Array(2)",
        "{ i: new Int32Array(2) }",
        "new Date(0)",
        "{ d: new Date(NaN) }",
        "/x/",
        "new Error('e')",
        "new String('s')",
        "new Number(1)",
        "new Boolean(false)",
        "[new String('s'), new Number(NaN), new Boolean(true)]",
        "{ toJSON: () => ({ a: [1, 'b'] }) }",
        "{ x: { toJSON: () => undefined } }",
        "{ [Symbol.iterator]: 1 }",
        "{ o: { [Symbol.iterator]() {} } }",
        "Object.assign(() => 1, { a: 1 })",
        "{ get g() { throw new Error('getter'); } }",
        "(() => { const a = []; a.push(a); return a; })()",
        "(() => { const o = {}; o.o = o; return o; })()",
        "(() => { const o = { ok: [] }; o.ok.push({ deep: o }); return { x: 1, o }; })()",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    cases.extend([127, 128, 129, 130, 131, 400].map(depth));
    cases.push(format!("{{ a: 1, deep: {} }}", depth(128)));
    for case in &cases {
        let value = eval(case);
        let old = old_snapshot(&value, "arg");
        let new = bindings::encode(&value, "arg");
        match (old, new) {
            (Err(old), Err(new)) => assert_eq!(stringify(&old), stringify(&new), "{case}"),
            (Ok(copy), Ok(text)) => {
                for mode in [Mode::Lenient, Mode::Strict] {
                    let de = serde_wasm_bindgen::Deserializer::from(copy.clone());
                    let want = if mode == Mode::Lenient {
                        json::read_lenient(de)
                    } else {
                        json::read(de)
                    };
                    // The root itself is never lenient (the old reader refused a function or a
                    // Symbol as the argument); serde cannot tell a function from a Symbol, the
                    // boundary can (issue 21): both are values with no JSON form.
                    let want = match want {
                        Ok(json::Value::Unsupported(json::Unsupported::NoJsonForm)) => {
                            Err(json::ReadError::Invalid)
                        }
                        w => w,
                    };
                    assert_eq!(
                        Arguments::new(&text).next(mode).map(without_functions),
                        want,
                        "{case} ({mode:?}): {text}"
                    );
                }
            }
            (old, new) => panic!("{case}: the old walk gave {old:?}, the new one {new:?}"),
        }
    }
    // Nested functions (only they) are read as functions.
    use json::{Unsupported, Value};
    let text = bindings::encode(&eval("[() => 1, Symbol('s'), 1n << 70n, class {}]"), "arg")
        .expect("writes");
    assert_eq!(
        Arguments::new(&text).next(Mode::Lenient),
        Ok(Value::Array(vec![
            Value::Unsupported(Unsupported::Function),
            Value::Unsupported(Unsupported::NoJsonForm),
            Value::Unsupported(Unsupported::NoJsonForm),
            Value::Unsupported(Unsupported::Function),
        ]))
    );
}

/// `value` with every `Unsupported::Function` read as `Unsupported::NoJsonForm`.
fn without_functions(
    value: tencentcloud_cvm_wasm::input::json::Value,
) -> tencentcloud_cvm_wasm::input::json::Value {
    use tencentcloud_cvm_wasm::input::json::{Unsupported, Value};
    match value {
        Value::Unsupported(Unsupported::Function) => Value::Unsupported(Unsupported::NoJsonForm),
        Value::Array(items) => Value::Array(items.into_iter().map(without_functions).collect()),
        Value::Object(object) => {
            let mut out = tencentcloud_cvm_wasm::input::json::Object::new();
            for (k, v) in object.iter() {
                out.insert(k.to_owned(), without_functions(v.clone()));
            }
            Value::Object(out)
        }
        other => other,
    }
}
