//! Parameters → `query::flatten` / `query::encode` (and the GET builder): the query holds only
//! unreserved characters and `%XX` with upper-case hex, and decodes (strictly, RFC 3986) back to
//! exactly the flattened pairs; DeleteImages ids come back as `ImageIds.N=<id>`.
//!
//! Numbers are written as JavaScript's `String(n)` writes them; the reference here is ECMA-262
//! Number::toString built from ryu's shortest digits (through serde_json).
//!
//! Input: JSON text when it starts with `{` (readable seeds: parameter objects, read through
//! `json::read` over serde_json), otherwise an `arbitrary` structure (a parameter tree, raw
//! pairs, or DeleteImages ids).
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use tencentcloud_cvm_wasm::input::json::{self, Number, Object, ReadError, Value};
use tencentcloud_cvm_wasm::request::query;
use tencentcloud_cvm_wasm::request::{self, RequestOptions};

#[derive(Arbitrary, Debug)]
enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Arr(Vec<Tree>),
    Obj(Vec<(String, Tree)>),
}

#[derive(Arbitrary, Debug)]
enum Input {
    Params(Vec<(String, Tree)>),
    Pairs(Vec<(String, String)>),
    Ids(Vec<String>, Option<bool>, Option<bool>),
}

fn to_value(tree: &Tree, depth: usize) -> Value {
    match tree {
        Tree::Null => Value::Null,
        Tree::Bool(b) => Value::Bool(*b),
        Tree::Int(n) => Value::Number(Number::Int(*n)),
        // A halfway tie is left out: natively the core writes it with Rust's tie-break, not
        // ECMA-262's (a known difference; the wasm build uses JavaScript's own).
        Tree::Float(f) if f.is_finite() && !is_tie(*f) => Value::Number(Number::Float(*f)),
        Tree::Float(_) => Value::Null,
        Tree::Str(s) => Value::String(s.clone()),
        _ if depth > 32 => Value::Null,
        Tree::Arr(items) => Value::Array(items.iter().map(|t| to_value(t, depth + 1)).collect()),
        Tree::Obj(entries) => object(entries, depth + 1),
    }
}

fn object(entries: &[(String, Tree)], depth: usize) -> Value {
    let mut o = Object::new();
    for (k, t) in entries {
        o.insert(k.clone(), to_value(t, depth));
    }
    Value::Object(o)
}

/// The text as `JSON.parse` would read it: one value, nothing after it.
fn parse(text: &str) -> Result<Value, ReadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = json::read(&mut de)?;
    de.end().map_err(|_| ReadError::Invalid)?;
    Ok(value)
}

/// ECMA-262 Number::toString of a finite number, from ryu's shortest digits: the `k` digits and
/// the exponent `n` with digits × 10^(n−k) = x, then the spec's four layouts.
fn js_number(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    let ryu = serde_json::to_string(&f).unwrap();
    let (sign, body) = match ryu.strip_prefix('-') {
        Some(body) => ("-", body),
        None => ("", ryu.as_str()),
    };
    let (mantissa, exponent) = match body.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap()),
        None => (body, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut e10 = exponent - frac_part.len() as i32;
    let all = format!("{int_part}{frac_part}");
    let mut digits = all.trim_start_matches('0').to_owned();
    while digits.ends_with('0') {
        digits.pop();
        e10 += 1;
    }
    let (k, n) = (digits.len() as i32, e10 + digits.len() as i32);
    let text = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let rest = if k > 1 {
            format!(".{}", &digits[1..])
        } else {
            String::new()
        };
        let e = n - 1;
        format!(
            "{}{rest}e{}{}",
            &digits[..1],
            if e < 0 { '-' } else { '+' },
            e.abs()
        )
    };
    format!("{sign}{text}")
}

/// `f` is exactly halfway between the two nearest decimals of its shortest length (its exact
/// expansion is those digits and a 5).
fn is_tie(f: f64) -> bool {
    if f == 0.0 {
        return false;
    }
    let exact = format!("{:.1100e}", f.abs());
    let exact = exact.split('e').next().unwrap().replace('.', "");
    let shortest = js_number(f.abs());
    let shortest = shortest.split('e').next().unwrap().replace('.', "");
    let exact = exact.trim_end_matches('0');
    exact.len() == shortest.trim_matches('0').len() + 1 && exact.ends_with('5')
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Strict RFC 3986 decoding: unreserved characters literal, `%XX` upper-case hex, nothing else.
fn decode_component(text: &str) -> String {
    let b = text.as_bytes();
    let hex = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'F' => c - b'A' + 10,
        _ => panic!("not upper-case hex {:?} in {text:?}", char::from(c)),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let (hi, lo) = (b.get(i + 1).copied(), b.get(i + 2).copied());
            let (Some(hi), Some(lo)) = (hi, lo) else {
                panic!("cut escape in {text:?}")
            };
            out.push(hex(hi) * 16 + hex(lo));
            i += 3;
        } else {
            assert!(
                is_unreserved(b[i]),
                "literal {:?} in {text:?}",
                char::from(b[i])
            );
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("percent-decoded bytes are UTF-8")
}

fn decode_query(query: &str) -> Vec<(String, String)> {
    if query.is_empty() {
        return Vec::new();
    }
    query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').expect("name=value");
            (decode_component(name), decode_component(value))
        })
        .collect()
}

/// The flattening written out independently: `a.0`, `a.b`, nulls left out.
fn flatten(name: String, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Null | Value::Unsupported(_) => {}
        Value::Bool(b) => out.push((name, b.to_string())),
        Value::Number(Number::Int(n)) => out.push((name, n.to_string())),
        Value::Number(Number::UInt(n)) => out.push((name, n.to_string())),
        Value::Number(Number::Float(f)) => out.push((name, js_number(*f))),
        Value::String(s) => out.push((name, s.clone())),
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                flatten(format!("{name}.{i}"), x, out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o.iter() {
                flatten(format!("{name}.{k}"), x, out);
            }
        }
    }
}

fn options() -> RequestOptions {
    let text = r#"{"secretId":"AKIDEXAMPLE","secretKey":"k","region":"ap-guangzhou","timestamp":1551113065,"method":"GET"}"#;
    RequestOptions::from_value(parse(text).unwrap(), || 0, true).unwrap()
}

fn check_pairs(pairs: &[(String, String)]) -> String {
    let encoded = query::encode(pairs);
    assert_eq!(decode_query(&encoded), pairs);
    encoded
}

fn check_params(params: &Value) {
    let mut want = Vec::new();
    if let Value::Object(o) = params {
        for (k, v) in o.iter() {
            flatten(k.to_owned(), v, &mut want);
        }
    }
    let pairs = query::flatten(params);
    assert_eq!(pairs, want);
    let encoded = check_pairs(&pairs);
    match request::build("DescribeImages", params, &options(), None) {
        Ok(req) => assert_eq!(
            req.url.split_once('?').map(|(_, q)| q),
            Some(encoded.as_str())
        ),
        Err(e) => assert_eq!(e.field(), "params"),
    }
    if let Ok(req) = request::build_delete_images(params, &options(), None) {
        let decoded = decode_query(req.url.split_once('?').unwrap().1);
        let normalised =
            tencentcloud_cvm_wasm::actions::delete_images::DeleteImagesParams::from_value(params).unwrap();
        let mut want: Vec<(String, String)> = normalised
            .image_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (format!("ImageIds.{i}"), id.clone()))
            .collect();
        if let Some(b) = normalised.dry_run {
            want.push(("DryRun".into(), b.to_string()));
        }
        if let Some(b) = normalised.delete_binded_snap {
            want.push(("DeleteBindedSnap".into(), b.to_string()));
        }
        assert_eq!(decoded, want);
    }
}

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'{') {
        if let Ok(value) = parse(&String::from_utf8_lossy(data)) {
            check_params(&value);
        }
        return;
    }
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    match input {
        Input::Params(entries) => check_params(&object(&entries, 0)),
        Input::Pairs(pairs) => {
            check_pairs(&pairs);
        }
        Input::Ids(ids, dry, snap) => {
            let mut o = Object::new();
            o.insert(
                "ImageIds".into(),
                Value::Array(ids.into_iter().map(Value::String).collect()),
            );
            if let Some(b) = dry {
                o.insert("DryRun".into(), Value::Bool(b));
            }
            if let Some(b) = snap {
                o.insert(
                    "DeleteBindedSnap".into(),
                    Value::String(if b { "True" } else { "False" }.into()),
                );
            }
            check_params(&Value::Object(o));
        }
    }
});
