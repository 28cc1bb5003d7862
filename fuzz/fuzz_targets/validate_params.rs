//! Any bytes as argument text → `json::parse` / `argument::read` → `DeleteImagesParams::from_value`,
//! `RequestOptions::from_value` and the builder: never a panic, every error names a field, valid
//! parameters obey DeleteImages' rules and normalise idempotently, our JSON writer and reader
//! round-trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencentcloud_cvm_wasm::delete_images::{DeleteImagesParams, MAX_IMAGE_IDS_PER_CALL};
use tencentcloud_cvm_wasm::json::{self, Value};
use tencentcloud_cvm_wasm::request::{self, RequestOptions};
use tencentcloud_cvm_wasm::{argument, sign_input::SignTc3Input};

const OPTIONS: [&str; 2] = [
    r#"{"secretId":"AKIDEXAMPLE","secretKey":"k","region":"ap-guangzhou","timestamp":1551113065}"#,
    r#"{"secretId":"AKIDEXAMPLE","secretKey":"k","region":"ap-guangzhou","timestamp":1551113065,"method":"GET","signAction":true}"#,
];

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
                    RequestOptions::from_value(json::parse(text).unwrap(), || 0, false).unwrap();
                match request::build_delete_images(value, &options, None) {
                    Ok(req) => assert!(req.signing.authorization.starts_with("TC3-HMAC-SHA256 ")),
                    Err(e) => assert_eq!(
                        (e.field(), e.code().as_str()),
                        ("params", "RequestSizeLimitExceeded")
                    ),
                }
            }
        }
        Err(e) => {
            assert!(!e.field().is_empty(), "error without a field: {e:?}");
            assert!(!e.message().is_empty());
        }
    }
}

fn check_options(value: &Value) {
    let params = json::parse(r#"{"ImageIds":["img-mfih409y"],"DryRun":"True"}"#).unwrap();
    for generic in [false, true] {
        match RequestOptions::from_value(value.clone(), || 1_551_113_065, generic) {
            Ok(options) => match request::build_delete_images(&params, &options, None) {
                Ok(_) => {}
                Err(e) => assert!(!e.field().is_empty(), "error without a field: {e:?}"),
            },
            Err(e) => assert!(!e.field().is_empty(), "error without a field: {e:?}"),
        }
    }
    match SignTc3Input::from_value(value.clone()) {
        Ok(input) => {
            if let Err(e) = tencentcloud_cvm_wasm::sign::sign(&input.params(), None) {
                assert!(!e.field().is_empty(), "error without a field: {e:?}");
            }
        }
        Err(e) => assert!(!e.field().is_empty(), "error without a field: {e:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(value) = json::parse(&text) {
        let written = json::to_string(&value);
        assert_eq!(json::parse(&written).as_ref(), Ok(&value), "{written}");
        check_params(&value);
    }
    match argument::read(&text, "params") {
        Ok(value) => {
            check_params(&value);
            check_options(&value);
        }
        Err(e) => assert!(!e.field().is_empty(), "error without a field: {e:?}"),
    }
});
