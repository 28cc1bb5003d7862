//! A small JSON model, reader and writer.
//!
//! The package needs JSON for three things: parameters that arrive as JavaScript values (built
//! into [`Value`] by the bindings), request bodies (written by [`to_string`]) and response
//! envelopes (read by [`parse`]). serde_json does all three but costs more than half of the
//! `.wasm` (float parsing and printing tables, `BTreeMap`, serde's error formatting: ≈ 60 KB
//! of an optimised ≈ 235 KB build), against a 30 KB gzipped budget for everything a browser
//! downloads. This module keeps numbers as their JSON text, so no float code is linked at all,
//! and keeps object keys in insertion order, as JavaScript does.
//!
//! The reader follows RFC 8259 strictly (it is cross-checked against serde_json in the tests)
//! and limits nesting to [`MAX_DEPTH`] so hostile input cannot exhaust the stack.

use std::fmt::Write as _;

/// Deepest nesting [`parse`] accepts.
pub const MAX_DEPTH: usize = 128;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as its JSON text.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, keys in insertion order.
    Object(Object),
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
}

/// A JSON number as text (always valid JSON number syntax).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    /// An integer.
    pub fn from_i64(n: i64) -> Self {
        Self(n.to_string())
    }

    /// Accepts `text` if it is a JSON number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    pub fn parse(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        let end = scan_number(b, 0).ok()?;
        (end == b.len()).then(|| Self(text.to_owned()))
    }

    /// The value as an integer when the text is one (no fraction or exponent) and fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A JSON object: keys in insertion order; inserting an existing key replaces its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Object(Vec<(String, Value)>);

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
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
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

/// The key of the marker object `{"\u0000js": "<kind>"}` that the package's JavaScript layer
/// writes, via a `JSON.stringify` replacer, in place of values JSON cannot carry (BigInt, Symbol,
/// function, NaN, ±Infinity), so the core can name the field instead of losing the value.
pub const UNSUPPORTED_MARKER: &str = "\u{0}js";

/// The first value JSON could not carry, as `(path, description)`, e.g.
/// `("ImageIds.1", "a BigInt")`; `root` names the top level.
pub fn find_unsupported(value: &Value, root: &str) -> Option<(String, &'static str)> {
    match value {
        Value::Object(o) => {
            if let (1, Some(Value::String(kind))) = (o.len(), o.get(UNSUPPORTED_MARKER)) {
                let described = match kind.as_str() {
                    "bigint" => "a BigInt",
                    "symbol" => "a Symbol",
                    "function" => "a function",
                    "nonfinite" => "NaN or Infinity",
                    _ => "a value JSON cannot carry",
                };
                return Some((root.to_owned(), described));
            }
            o.iter().find_map(|(k, v)| {
                let path = if root.is_empty() {
                    k.to_owned()
                } else {
                    format!("{root}.{k}")
                };
                find_unsupported(v, &path)
            })
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_unsupported(v, &format!("{root}.{i}"))),
        _ => None,
    }
}

/// Why text is not JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// The text ends before the value does (a truncated body).
    Eof,
    /// A byte that cannot stand where it does, at this offset.
    Syntax(usize),
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A `\uD8xx`-style escape without its pair (only in [`parse_strict`]).
    LoneSurrogate,
}

/// Parses one JSON value (surrounded by optional whitespace). Escaped lone surrogates, which
/// `JSON.parse` would keep and a Rust string cannot hold, become U+FFFD.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    parse_with(text, false)
}

/// Like [`parse`], but an escaped lone surrogate is an error: for parameters, which must not be
/// signed with a character silently changed.
pub fn parse_strict(text: &str) -> Result<Value, ParseError> {
    parse_with(text, true)
}

fn parse_with(text: &str, strict: bool) -> Result<Value, ParseError> {
    let mut p = Parser {
        b: text.as_bytes(),
        text,
        i: 0,
        strict,
    };
    let value = p.value(0)?;
    p.skip_ws();
    if p.i < p.b.len() {
        return Err(ParseError::Syntax(p.i));
    }
    Ok(value)
}

struct Parser<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
    strict: bool,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Result<u8, ParseError> {
        self.skip_ws();
        self.b.get(self.i).copied().ok_or(ParseError::Eof)
    }

    fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, ParseError> {
        for (k, want) in word.iter().enumerate() {
            match self.b.get(self.i + k) {
                None => return Err(ParseError::Eof),
                Some(got) if got != want => return Err(ParseError::Syntax(self.i + k)),
                Some(_) => {}
            }
        }
        self.i += word.len();
        Ok(value)
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        match self.peek()? {
            b'n' => self.literal(b"null", Value::Null),
            b't' => self.literal(b"true", Value::Bool(true)),
            b'f' => self.literal(b"false", Value::Bool(false)),
            b'"' => self.string().map(Value::String),
            b'[' => self.array(depth + 1),
            b'{' => self.object(depth + 1),
            b'-' | b'0'..=b'9' => {
                let start = self.i;
                match scan_number(self.b, start) {
                    Ok(end) => {
                        self.i = end;
                        let text = self.text.get(start..end).unwrap_or("0");
                        Ok(Value::Number(Number(text.to_owned())))
                    }
                    Err(at) if at >= self.b.len() => Err(ParseError::Eof),
                    Err(at) => Err(ParseError::Syntax(at)),
                }
            }
            _ => Err(ParseError::Syntax(self.i)),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::TooDeep);
        }
        self.i += 1; // '['
        let mut items = Vec::new();
        if self.peek()? == b']' {
            self.i += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(ParseError::Syntax(self.i)),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::TooDeep);
        }
        self.i += 1; // '{'
        let mut object = Object::new();
        if self.peek()? == b'}' {
            self.i += 1;
            return Ok(Value::Object(object));
        }
        loop {
            if self.peek()? != b'"' {
                return Err(ParseError::Syntax(self.i));
            }
            let key = self.string()?;
            if self.peek()? != b':' {
                return Err(ParseError::Syntax(self.i));
            }
            self.i += 1;
            let value = self.value(depth)?;
            object.insert(key, value);
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Ok(Value::Object(object));
                }
                _ => return Err(ParseError::Syntax(self.i)),
            }
        }
    }

    /// A string starting at the opening quote. Escaped lone surrogates become U+FFFD.
    fn string(&mut self) -> Result<String, ParseError> {
        self.i += 1; // '"'
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(&c) = self.b.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // `start..i` holds whole UTF-8 sequences: it stops only at ASCII bytes.
            out.push_str(self.text.get(start..self.i).unwrap_or(""));
            match self.b.get(self.i) {
                None => return Err(ParseError::Eof),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(ParseError::Syntax(self.i)),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let c = *self.b.get(self.i).ok_or(ParseError::Eof)?;
        self.i += 1;
        let decoded = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                if (0xD800..0xDC00).contains(&unit)
                    && self.b.get(self.i..self.i + 2) == Some(b"\\u")
                {
                    let save = self.i;
                    self.i += 2;
                    let low = self.hex4()?;
                    if (0xDC00..0xE000).contains(&low) {
                        let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(c).unwrap_or('\u{FFFD}')
                    } else {
                        self.i = save;
                        self.lone_surrogate()?
                    }
                } else {
                    match char::from_u32(unit) {
                        Some(c) => c,
                        None => self.lone_surrogate()?,
                    }
                }
            }
            _ => return Err(ParseError::Syntax(self.i - 1)),
        };
        out.push(decoded);
        Ok(())
    }

    fn lone_surrogate(&self) -> Result<char, ParseError> {
        if self.strict {
            Err(ParseError::LoneSurrogate)
        } else {
            Ok('\u{FFFD}')
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut n = 0;
        for _ in 0..4 {
            let c = *self.b.get(self.i).ok_or(ParseError::Eof)?;
            let digit = char::from(c)
                .to_digit(16)
                .ok_or(ParseError::Syntax(self.i))?;
            n = n * 16 + digit;
            self.i += 1;
        }
        Ok(n)
    }
}

/// The end of a JSON number starting at `i`, or where it stopped being one.
fn scan_number(b: &[u8], mut i: usize) -> Result<usize, usize> {
    let digits = |i: usize| {
        let mut j = i;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j > i {
            Ok(j)
        } else {
            Err(j)
        }
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match b.get(i) {
        Some(b'0') => i + 1,
        Some(b'1'..=b'9') => digits(i)?,
        _ => return Err(i),
    };
    if b.get(i) == Some(&b'.') {
        i = digits(i + 1)?;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        i = digits(i)?;
    }
    Ok(i)
}

/// Writes a value as compact JSON (`JSON.stringify` style).
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(n.as_str()),
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
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escape);
        }
        plain_from = i + 1;
    }
    out.push_str(s.get(plain_from..).unwrap_or(""));
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_keep_order_and_number_text() {
        let text = r#"{"b":1,"a":[true,false,null,-0.5e+10,"x\"\\\n\u0001é"],"c":{}}"#;
        let value = parse(text).unwrap();
        assert_eq!(
            value.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["b", "a", "c"]
        );
        assert_eq!(
            to_string(&value),
            r#"{"b":1,"a":[true,false,null,-0.5e+10,"x\"\\\n\u0001é"],"c":{}}"#
        );
    }

    #[test]
    fn escapes_decode_including_surrogate_pairs() {
        assert_eq!(
            parse(r#""\u672a\ud83d\ude42\/""#).unwrap(),
            Value::String("未🙂/".into())
        );
        assert_eq!(
            parse(r#""\ud83d x""#).unwrap(),
            Value::String("\u{FFFD} x".into())
        );
        assert_eq!(
            parse(r#""\ude42""#).unwrap(),
            Value::String("\u{FFFD}".into())
        );
    }

    #[test]
    fn truncation_is_told_apart_from_garbage() {
        for cut in [
            r#"{"Response": {"RequestId": "#,
            "[1,2",
            "\"abc",
            "-",
            "1.",
            "1e",
            "tru",
            "{\"a\"",
            "\"\\u12",
        ] {
            assert_eq!(parse(cut), Err(ParseError::Eof), "{cut}");
        }
        for bad in [
            "<html>",
            "{a:1}",
            "[1,]",
            "01",
            "1.e5",
            "nul1",
            "\"\u{1}\"",
            "{} x",
            "+1",
            "[1 2]",
            "\"\\x\"",
        ] {
            assert!(matches!(parse(bad), Err(ParseError::Syntax(_))), "{bad}");
        }
        assert_eq!(parse(""), Err(ParseError::Eof));
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(parse(&deep), Err(ParseError::TooDeep));
        let hostile = "[".repeat(1_000_000);
        assert_eq!(parse(&hostile), Err(ParseError::TooDeep));
    }

    #[test]
    fn numbers_are_validated_and_kept_as_text() {
        assert_eq!(Number::parse("100").unwrap().as_i64(), Some(100));
        assert_eq!(Number::parse("1e21").unwrap().as_i64(), None);
        assert_eq!(Number::parse("1.5").unwrap().as_i64(), None);
        for bad in ["", "NaN", "Infinity", "1e", "--1", "1 "] {
            assert!(Number::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn agrees_with_serde_json_on_a_corpus() {
        let corpus = [
            r#"{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"r"}}"#,
            r#"[1,-2.5,3e-7,"\u00e9\t",{"k":[null,true]}]"#,
            r#"  {"a" : { "b" : [ ] } }  "#,
            "\"\\ud800\"",
            "[1,]",
            "{\"a\":1,}",
            "[01]",
            "1.",
            "\"\t\"",
            "[\"\\u00zz\"]",
        ];
        for text in corpus {
            let ours = parse(text);
            let theirs = serde_json::from_str::<serde_json::Value>(text);
            assert_eq!(
                ours.is_ok(),
                theirs.is_ok() || text == "\"\\ud800\"",
                "{text}"
            );
            if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
                let reparsed: serde_json::Value = serde_json::from_str(&to_string(&ours)).unwrap();
                assert_eq!(reparsed, theirs, "{text}");
            }
        }
    }
}
