//! The GET form: parameters flattened to `Name.N` / `Name.Field` pairs and percent-encoded.
//!
//! API 3.0 GET requests carry the action's parameters in the query string: arrays become
//! `ImageIds.0=…&ImageIds.1=…`, nested objects `Filters.0.Name=…`. Values are encoded as RFC 3986
//! with upper-case hex (reference §1, GET), and the canonical query string is exactly the query
//! string sent, so the same string is both signed and put in the URL.

use crate::input::json::Value;
use std::fmt::Write as _;

/// Flattens JSON parameters into `(name, value)` pairs, in the parameters' key order.
/// `null` values are left out, as an absent optional parameter.
pub fn flatten(params: &Value) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if let Value::Object(map) = params {
        for (key, value) in map.iter() {
            flatten_into(key.to_owned(), value, &mut pairs);
        }
    }
    pairs
}

fn flatten_into(name: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null | Value::Unsupported(_) => {}
        Value::Bool(b) => out.push((name, b.to_string())),
        Value::Number(n) => out.push((name, n.to_json())),
        Value::String(s) => out.push((name, s.clone())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten_into(format!("{name}.{i}"), item, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map.iter() {
                flatten_into(format!("{name}.{key}"), item, out);
            }
        }
    }
}

/// Percent-encodes per RFC 3986: unreserved characters (`A–Z a–z 0–9 - _ . ~`) stay, every
/// other UTF-8 byte becomes `%XX` with upper-case hex.
pub fn percent_encode(value: &str, out: &mut String) {
    for b in value.bytes() {
        if unreserved(b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// The length of `value` once percent-encoded (without encoding it).
pub fn encoded_len(value: &str) -> usize {
    value
        .bytes()
        .map(|b| if unreserved(b) { 1 } else { 3 })
        .sum()
}

/// RFC 3986's unreserved characters, which stay as they are.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// The query string: `name=value` pairs, both sides encoded, joined with `&`.
pub fn encode(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode(name, &mut out);
        out.push('=');
        percent_encode(value, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_and_objects_flatten_with_indices() {
        let params = crate::input::json::parse(
            r#"{"DryRun": true, "Filters": [{"Name": "image-state", "Values": ["NORMAL"]}],
                "ImageIds": ["img-a", "img-b"], "Limit": 10, "Skip": null}"#,
        )
        .unwrap();
        let pairs = flatten(&params);
        let got: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            got,
            [
                "DryRun=true",
                "Filters.0.Name=image-state",
                "Filters.0.Values.0=NORMAL",
                "ImageIds.0=img-a",
                "ImageIds.1=img-b",
                "Limit=10"
            ]
        );
    }

    #[test]
    fn encoding_is_rfc_3986_with_upper_case_hex() {
        let mut out = String::new();
        percent_encode("a b+c/d?e=f&g~h_i.j-k*'()!:@é中🙂", &mut out);
        assert_eq!(
            out,
            "a%20b%2Bc%2Fd%3Fe%3Df%26g~h_i.j-k%2A%27%28%29%21%3A%40%C3%A9%E4%B8%AD%F0%9F%99%82"
        );
        let q = encode(&[("ImageIds.0".into(), "img-x y".into())]);
        assert_eq!(q, "ImageIds.0=img-x%20y");
    }
}
