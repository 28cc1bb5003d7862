//! Any bytes as the fixed layout (src/boundary/fixed.rs, written by pkg/src/fixed-input.js) →
//! `read_sign_tc3`. Never a panic; the bytes it covered are wiped whatever it found (all of them
//! when it refuses); it refuses exactly the layouts that do not add up, as this target's own
//! reading of the layout says; and what it reads signs (or fails) exactly as the general path's
//! reading of the same values does (`SignTc3Input::from_value` on the object they make).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencentcloud_cvm_wasm::boundary::fixed::{self as fast_input, ABSENT, FIELDS, HEADER};
use tencentcloud_cvm_wasm::input::json::{Number, Object, Value};
use tencentcloud_cvm_wasm::sign::{sign, SigningOutput};
use tencentcloud_cvm_wasm::sign::tc3_input::SignTc3Input;

fn word(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// This target's reading of the layout: the object the values make, and the bytes covered.
fn oracle(b: &[u8]) -> Option<(Object, usize)> {
    if b.len() < HEADER {
        return None;
    }
    let mut object = Object::new();
    let mut at = HEADER;
    for (i, name) in FIELDS.iter().enumerate() {
        let n = word(b, 4 * i)?;
        if n == ABSENT {
            continue;
        }
        let bytes = b.get(at..at.checked_add(n as usize)?)?;
        object.insert((*name).to_owned(), Value::String(String::from_utf8(bytes.to_vec()).ok()?));
        at += n as usize;
    }
    match word(b, 36)? {
        0 => {}
        1 => object.insert("signAction".into(), Value::Bool(false)),
        2 => object.insert("signAction".into(), Value::Bool(true)),
        _ => return None,
    }
    match word(b, 40)? {
        0 => {}
        1 => {
            let t = f64::from_le_bytes(b.get(48..56)?.try_into().ok()?);
            if t.fract() != 0.0 || t.abs() > 9_007_199_254_740_991.0 {
                return None;
            }
            object.insert("timestamp".into(), Value::Number(Number::Int(t as i64)));
        }
        _ => return None,
    }
    Some((object, at))
}

fn signed(input: Result<SignTc3Input, impl std::fmt::Debug>) -> Result<SigningOutput, String> {
    match input {
        Ok(input) => sign(&input.params(), None).map_err(|e| format!("{e:?}")),
        Err(e) => Err(format!("{e:?}")),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut buf = data.to_vec();
    let expected = oracle(data);
    let fields = fast_input::read_sign_tc3(&mut buf);
    match (&expected, fields) {
        (None, Ok(_)) => panic!("read a layout that does not add up"),
        (None, Err(_)) => assert!(buf.iter().all(|&b| b == 0), "a refused layout was not wiped"),
        (Some(_), Err(e)) => panic!("refused a layout that adds up: {e:?}"),
        (Some((object, used)), Ok(fields)) => {
            assert!(buf[..*used].iter().all(|&b| b == 0), "what was read was not wiped");
            assert_eq!(&buf[*used..], &data[*used..], "bytes past the layout were touched");
            let fast = signed(SignTc3Input::from_read(fields));
            let general = signed(SignTc3Input::from_value(Value::Object(object.clone())));
            assert_eq!(fast, general);
            if let Ok(output) = fast {
                let mut answer = vec![0u8; 24];
                if let Some(text) = fast_input::write_signing_output(&output, &mut answer) {
                    let mut parts = Vec::new();
                    let mut at = 0;
                    for i in 0..6 {
                        let n = word(&answer, 4 * i).unwrap() as usize;
                        parts.push(&text[at..at + n]);
                        at += n;
                    }
                    parts.push(&text[at..]);
                    assert_eq!(parts[0], output.authorization);
                    assert_eq!(parts[2], output.canonical_request);
                    assert_eq!(parts[6], output.hashed_payload);
                }
            }
        }
    }
});
