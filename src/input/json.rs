//! The JSON model of parameters and responses, and the writer of request bodies.
//!
//! Values arrive through serde from JSON text (`serde_json`: native tests and fuzzers) or, in the
//! .wasm, as boundary-format text read by [`crate::boundary`] (tests/wasm.rs checks that reading
//! against [`read_lenient`] over serde-wasm-bindgen). [`Value`]'s `Deserialize` is written by hand
//! rather than derived so that it can keep going past a value JavaScript has but JSON has not (a
//! function, a Symbol, NaN): such a value becomes [`Value::Unsupported`] and the validators name
//! its field, instead of the whole argument failing with serde's path-less message. Nesting is
//! limited to [`MAX_DEPTH`], so a deep or cyclic object cannot exhaust the stack.
//!
//! The writer produces what `JSON.stringify` would for the same value: request bodies are these
//! bytes, hashed and sent as they are.
//!
//! One job, though long: the value model (its reading, its JSON text, its float form).

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt::{self, Write as _};
use std::sync::OnceLock;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 128;

/// A JSON value, or the mark of a JavaScript value that has no JSON form.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null` (and JavaScript's `undefined`).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, keys in insertion order.
    Object(Object),
    /// A value JSON cannot carry; validators reject it by its field's name.
    Unsupported(Unsupported),
}

/// What kind of value JSON could not carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    /// `NaN`, `Infinity` or `-Infinity`.
    NonFinite,
    /// A Symbol, a BigInt: anything without a JSON form but a function.
    NoJsonForm,
    /// A function: no JSON form either, but what a provider option (`credentials`, `fetch`)
    /// takes, so told apart from a Symbol or a BigInt (which JSON cannot carry and no option takes).
    Function,
}

impl Unsupported {
    /// For messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::NonFinite => "NaN or Infinity",
            Self::NoJsonForm => "a value with no JSON form (a Symbol or BigInt)",
            Self::Function => "a function (a value with no JSON form)",
        }
    }
}

impl Value {
    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Self::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The JavaScript-ish name of the value's type, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "a boolean",
            Self::Number(_) => "a number",
            Self::String(_) => "a string",
            Self::Array(_) => "an array",
            Self::Object(_) => "an object",
            Self::Unsupported(u) => u.describe(),
        }
    }
}

/// A finite JSON number: integers stay exact (BigInts within 64 bits arrive as integers too).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A signed integer.
    Int(i64),
    /// An unsigned integer beyond `i64::MAX`.
    UInt(u64),
    /// Any other finite number.
    Float(f64),
}

impl Number {
    /// The value as an integer, when it is a whole number that fits.
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Self::Int(n) => Some(n),
            Self::UInt(n) => i64::try_from(n).ok(),
            // 2^63 is exactly representable: anything below it in magnitude converts exactly.
            Self::Float(f) if f.fract() == 0.0 && f.abs() < 9.223_372_036_854_776e18 => {
                Some(f as i64)
            }
            Self::Float(_) => None,
        }
    }

    /// The number's JSON text.
    pub fn to_json(self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(self, out: &mut String) {
        let _ = match self {
            Self::Int(n) => write!(out, "{n}"),
            Self::UInt(n) => write!(out, "{n}"),
            Self::Float(f) => write_float(f, out),
        };
    }
}

/// Writes a number that is not a safe whole number as ECMA-262 Number::toString does (which is
/// what `JSON.stringify` writes): shortest round-trip digits, in decimal notation from 1e-6 up to
/// 1e21 and in exponent notation (`1e+21`, `1.5e-7`) outside.
pub type FloatFormat = fn(f64) -> String;

static FLOAT_FORMAT: OnceLock<FloatFormat> = OnceLock::new();

/// Sets how non-integer numbers are written (once; later calls are ignored). The wasm build
/// borrows JavaScript's own Number::toString, which is JSON.stringify's number form by
/// definition, instead of linking Rust's float formatting (≈ 15 KB of the .wasm); native builds
/// default to the ryu crate's digits in the same layout.
pub fn set_float_format(format: FloatFormat) {
    let _ = FLOAT_FORMAT.set(format);
}

fn write_float(f: f64, out: &mut String) -> fmt::Result {
    if f == 0.0 {
        out.push('0');
        return Ok(());
    }
    if let Some(n) = Number::Float(f)
        .as_i64()
        .filter(|n| n.unsigned_abs() < 1 << 53)
    {
        return write!(out, "{n}");
    }
    match FLOAT_FORMAT.get() {
        Some(format) => out.push_str(&format(f)),
        None => default_float(f, out)?,
    }
    Ok(())
}

/// ryu's shortest round-trip digits (ties to even, as ECMA-262 breaks them; Rust's own
/// formatter breaks some the other way), laid out as Number::toString lays them out (ECMA-262
/// §6.1.6.1.20): `n` is the decimal exponent with value = 0.d₁d₂…dₖ × 10ⁿ.
#[cfg(not(target_arch = "wasm32"))]
fn default_float(f: f64, out: &mut String) -> fmt::Result {
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format_finite(f.abs());
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let point = mantissa.find('.').unwrap_or(mantissa.len());
    let all: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let lead = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_matches('0');
    let k = digits.len() as i32;
    let n = point as i32 - lead as i32 + exponent;
    if f < 0.0 {
        out.push('-');
    }
    let zeros = |count: i32, out: &mut String| {
        for _ in 0..count.max(0) {
            out.push('0');
        }
    };
    if k <= n && n <= 21 {
        out.push_str(digits);
        zeros(n - k, out);
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        zeros(-n, out);
        out.push_str(digits);
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        write!(out, "e{}{}", if n >= 1 { "+" } else { "-" }, (n - 1).abs())?;
    }
    Ok(())
}

/// The wasm build sets [`set_float_format`] when it starts; this is never reached there.
#[cfg(target_arch = "wasm32")]
fn default_float(_: f64, out: &mut String) -> fmt::Result {
    out.push_str("null");
    Ok(())
}

/// A JSON object: keys in insertion order; inserting an existing key replaces its value. A key
/// the program itself names (a field of a known input, read by [`crate::boundary`]) is kept
/// without a copy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object(Vec<(Cow<'static, str>, Value)>);

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }

    /// Sets `key` (replacing an earlier value, keeping its place).
    pub fn insert(&mut self, key: String, value: Value) {
        self.insert_key(Cow::Owned(key), value);
    }

    /// [`Object::insert`], for a key that may be a constant.
    pub fn insert_key(&mut self, key: Cow<'static, str>, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_ref())
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The first value JSON cannot carry, as `(path, kind)`, e.g. `("Filters.0.Values.1", …)`;
/// `root` names the top level.
pub fn find_unsupported(value: &Value, root: &str) -> Option<(String, Unsupported)> {
    match value {
        Value::Unsupported(kind) => Some((root.to_owned(), *kind)),
        Value::Object(o) => o.iter().find_map(|(k, v)| {
            // An empty key is shown `""`, as the unknown-key check shows it, never as no field.
            let k = if k.is_empty() { "\"\"" } else { k };
            let path = if root.is_empty() {
                k.to_owned()
            } else {
                format!("{root}.{k}")
            };
            find_unsupported(v, &path)
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_unsupported(v, &format!("{root}.{i}"))),
        _ => None,
    }
}

// ---- reading, through any serde Deserializer ----

/// Why a value could not be read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadError {
    /// Nested deeper than [`MAX_DEPTH`] (or cyclic).
    TooDeep,
    /// The value (or the text it came from) is not readable as JSON.
    Invalid,
}

/// Reads a value from any serde deserializer, e.g. `serde_json::Deserializer` for text.
pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, ReadError> {
    read_with(deserializer, false)
}

/// Reads a JavaScript value (`serde_wasm_bindgen::Deserializer`): what has no JSON form becomes
/// [`Value::Unsupported`] in place, so the validators can name its field. The .wasm reads its
/// arguments as boundary-format text instead ([`crate::boundary`]); tests/wasm.rs checks that
/// reading against this one.
pub fn read_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, ReadError> {
    read_with(deserializer, true)
}

fn read_with<'de, D: Deserializer<'de>>(
    deserializer: D,
    lenient: bool,
) -> Result<Value, ReadError> {
    let too_deep = Cell::new(false);
    ValueSeed {
        depth: 0,
        lenient,
        too_deep: &too_deep,
    }
    .deserialize(deserializer)
    .map_err(|_: D::Error| {
        if too_deep.get() {
            ReadError::TooDeep
        } else {
            ReadError::Invalid
        }
    })
}

impl<'de> de::Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let too_deep = Cell::new(false);
        ValueSeed {
            depth: 0,
            lenient: false,
            too_deep: &too_deep,
        }
        .deserialize(deserializer)
    }
}

#[derive(Clone, Copy)]
struct ValueSeed<'a> {
    depth: usize,
    lenient: bool,
    /// Set when the limit was hit, so that error is passed up rather than marked in place.
    too_deep: &'a Cell<bool>,
}

impl ValueSeed<'_> {
    fn child(self) -> Self {
        Self {
            depth: self.depth + 1,
            ..self
        }
    }

    /// A child the deserializer could not read: in lenient mode (JavaScript values, where each
    /// element is taken before it is read, so reading goes on past it) it becomes `Unsupported`
    /// unless the depth limit is what failed; otherwise (text) the error stands.
    fn unreadable<E>(self, e: E) -> Result<Value, E> {
        if self.lenient && !self.too_deep.get() {
            Ok(Value::Unsupported(Unsupported::NoJsonForm))
        } else {
            Err(e)
        }
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(Number::Int(n)))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(match i64::try_from(n) {
            Ok(n) => Number::Int(n),
            Err(_) => Number::UInt(n),
        }))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(if f.is_finite() {
            Value::Number(Number::Float(f))
        } else {
            Value::Unsupported(Unsupported::NonFinite)
        })
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        if self.depth >= MAX_DEPTH {
            self.too_deep.set(true);
            return Err(de::Error::custom("too deep"));
        }
        let mut items = Vec::new();
        loop {
            match seq.next_element_seed(self.child()) {
                Ok(Some(v)) => items.push(v),
                Ok(None) => return Ok(Value::Array(items)),
                Err(e) => items.push(self.unreadable(e)?),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        if self.depth >= MAX_DEPTH {
            self.too_deep.set(true);
            return Err(de::Error::custom("too deep"));
        }
        let mut object = Object::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = match map.next_value_seed(self.child()) {
                Ok(v) => v,
                Err(e) => self.unreadable(e)?,
            };
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

// ---- writing ----

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null | Value::Unsupported(_) => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(Number::Int(n)) => serializer.serialize_i64(*n),
            Value::Number(Number::UInt(n)) => serializer.serialize_u64(*n),
            Value::Number(Number::Float(f)) => serializer.serialize_f64(*f),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(object) => object.serialize(serializer),
        }
    }
}

/// A `__proto__` key is left out: set on a JavaScript object it would replace the object's
/// prototype instead of adding a key (no Tencent response has one).
impl Serialize for Object {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in self.iter().filter(|(k, _)| *k != "__proto__") {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Writes a value as compact JSON (`JSON.stringify` style). Validators reject
/// [`Value::Unsupported`] before anything is written; should one get here it is written `null`.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null | Value::Unsupported(_) => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => n.write(out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(object) => {
            out.push('{');
            for (i, (key, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(item, out);
            }
            out.push('}');
        }
    }
}

/// A JSON string: `"` and `\` escaped, control characters as `\n`-style or `\u00XX` escapes,
/// everything else as UTF-8 (what `JSON.stringify` does). Runs of plain bytes are copied whole:
/// this runs for every string of every result.
pub fn write_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push('"');
    let mut plain_from = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // Escaped bytes are ASCII, so `plain_from..i` lies on character boundaries.
        out.push_str(s.get(plain_from..i).unwrap_or(""));
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        plain_from = i + 1;
    }
    out.push_str(s.get(plain_from..).unwrap_or(""));
    out.push('"');
}

/// JSON text through serde_json, for the unit tests.
#[cfg(test)]
pub(crate) fn parse(text: &str) -> Result<Value, ReadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    // Our own limit is the one under test (serde_json's would stop at 128 first).
    de.disable_recursion_limit();
    let value = read(&mut de)?;
    de.end().map_err(|_| ReadError::Invalid)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_keep_key_order() {
        let text = r#"{"b":1,"a":[true,false,null,-0.5,"x\"\\\n\u0001é"],"c":{}}"#;
        let value = parse(text).unwrap();
        assert_eq!(
            value.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["b", "a", "c"]
        );
        assert_eq!(to_string(&value), text);
    }

    #[test]
    fn numbers_are_written_as_json_stringify_writes_them() {
        for (n, want) in [
            (Number::Int(-42), "-42"),
            (Number::UInt(u64::MAX), "18446744073709551615"),
            (Number::Float(0.1), "0.1"),
            (Number::Float(-0.0), "0"),
            (Number::Float(1e20), "100000000000000000000"),
            (Number::Float(1e21), "1e+21"),
            (Number::Float(1.5e-7), "1.5e-7"),
            (Number::Float(0.000001), "0.000001"),
            (Number::Float(123.456), "123.456"),
            (Number::Float(5.0), "5"),
        ] {
            let mut out = String::new();
            n.write(&mut out);
            assert_eq!(out, want, "{n:?}");
        }
    }

    #[test]
    fn depth_is_limited_and_told_apart() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(parse(&deep), Err(ReadError::TooDeep));
        assert_eq!(parse("{"), Err(ReadError::Invalid));
    }

    #[test]
    fn unsupported_values_are_found_by_path() {
        let mut inner = Object::new();
        inner.insert(
            "b".into(),
            Value::Array(vec![
                Value::Null,
                Value::Unsupported(Unsupported::NonFinite),
            ]),
        );
        let mut outer = Object::new();
        outer.insert("a".into(), Value::Object(inner));
        assert_eq!(
            find_unsupported(&Value::Object(outer), ""),
            Some(("a.b.1".to_owned(), Unsupported::NonFinite))
        );
    }
}
