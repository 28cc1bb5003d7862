//! The format values cross the wasm boundary in, both ways: one string per call.
//!
//! Reading a JavaScript object key by key from wasm (a `js_sys` call per key, per value, per
//! type test) cost more than signing it, and building the result object field by field from wasm
//! (serde-wasm-bindgen) cost as much again. So the JavaScript walk that already visits every value
//! of an argument (pkg/src/boundary.js `encode`, which also refuses cycles, Maps, lone surrogates
//! and throwing getters) writes the argument as text, and wasm reads that text once into
//! [`Value`]s ([`Arguments`]); a result (or a thrown error object) is written here from its serde
//! `Serialize` ([`ok`], [`error`]) and read by boundary.js `decode` into plain objects. The two
//! sides are one format, specified here; pkg/src/boundary.js implements the other half.
//!
//! # Format
//!
//! A value is a tag character followed, for some tags, by a payload:
//!
//! | text | value (JavaScript → wasm) | value (wasm → JavaScript) |
//! |---|---|---|
//! | `u` | `undefined` (read as null; absent where an argument may be absent) | `undefined` (serde's `None` and unit) |
//! | `n` | `null` | `null` |
//! | `t`, `f` | `true`, `false` | the same |
//! | `i` `-`? digits | a safe integer (`-0` is `i0`) | a safe integer |
//! | `d` 16 hex digits | any other finite number: its IEEE 754 bits, big-endian | the same |
//! | `N` | `NaN`, `Infinity`, `-Infinity` | — |
//! | `s` length `:` text | a string of *length* UTF-16 code units | the same |
//! | `[` values `]` | an array | an array (serde sequences and tuples) |
//! | `{` (key value)* `}` | a plain object's own enumerable keys (each a string), in `Object.keys` order; a key set to `undefined` is left out | an object (serde maps and structs); a key is a string or `k` index `:` |
//! | `F` | a function | — |
//! | `X` | a value with no JSON form: a Symbol, a BigInt | — |
//!
//! A key written `k` index `:` is [`KEYS`]`[index]` (the same list as boundary.js's `KEYS`): the
//! names of the core's inputs' and answers' fields, headers and envelope. JavaScript sets an
//! answer's properties from its own string constants instead of fresh slices (half the cost of
//! reading a signed request), and wasm keeps an argument's known keys without a copy. Lengths and indexes are decimal; hex digits are `0-9a-f`. A string's length counts UTF-16 code units, as
//! JavaScript's `length` does, so the JavaScript side slices without decoding; its text is the
//! string itself (UTF-8 once inside wasm). Nesting deeper than the JavaScript walk's limit (130)
//! is written `[]`; wasm refuses arrays and objects nested [`MAX_DEPTH`] deep before that.
//!
//! A call's arguments are their values one after another. A call's answer is `o` and the result,
//! or `e` and the error object JavaScript throws (`{ kind, … }`).
//!
//! Reading is total: any text, however malformed, reads as values or as [`ReadError`], never a
//! panic (fuzz/fuzz_targets/boundary.rs). A function or a value with no JSON form nested inside an
//! argument reads as [`Value::Unsupported`], so that the validators name its field; as the
//! argument itself, or anywhere inside a strict value (a parsed response body), it makes the value
//! [`ReadError::Invalid`].
//!
//! One job, though long: the one format, its reader and its writer (the JavaScript half is pkg/src/boundary.js).

pub mod fixed;

use std::borrow::Cow;
use std::fmt;

use serde::ser::{self, Serialize};

use crate::input::json::{Number, Object, ReadError, Unsupported, Value, MAX_DEPTH};

/// Largest integer JavaScript holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

// ---- reading (JavaScript → wasm) ----

/// How values with no JSON form nested inside a value are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Arguments: such a value becomes [`Value::Unsupported`] in place.
    Lenient,
    /// Parsed response bodies: such a value makes the whole value unreadable.
    Strict,
}

/// A call's arguments, read one after another.
pub struct Arguments<'a> {
    text: &'a str,
    pos: usize,
    /// Set once the text is malformed: every later argument is unreadable too.
    broken: bool,
}

impl<'a> Arguments<'a> {
    /// The arguments written in `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            pos: 0,
            broken: false,
        }
    }

    /// The next argument; `undefined` reads as [`Value::Null`]. An argument nested too deep or
    /// unreadable is skipped whole, so the next one is read from where it starts.
    pub fn next(&mut self, mode: Mode) -> Result<Value, ReadError> {
        self.next_optional(mode).map(|v| v.unwrap_or(Value::Null))
    }

    /// The next argument, `None` when it is `undefined`.
    pub fn next_optional(&mut self, mode: Mode) -> Result<Option<Value>, ReadError> {
        if self.broken {
            return Err(ReadError::Invalid);
        }
        let start = self.pos;
        if self.peek() == Some(b'u') {
            self.pos += 1;
            return Ok(None);
        }
        match self.value(0, mode) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                self.pos = start;
                if self.skip().is_err() {
                    self.broken = true;
                }
                Err(e)
            }
        }
    }

    /// True when every argument has been read and nothing follows.
    pub fn is_done(&self) -> bool {
        !self.broken && self.pos == self.text.len()
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn take(&mut self) -> Result<u8, ReadError> {
        let b = self.peek().ok_or(ReadError::Invalid)?;
        self.pos += 1;
        Ok(b)
    }

    fn value(&mut self, depth: usize, mode: Mode) -> Result<Value, ReadError> {
        let unsupported = |kind| {
            if depth > 0 && mode == Mode::Lenient {
                Ok(Value::Unsupported(kind))
            } else {
                Err(ReadError::Invalid)
            }
        };
        match self.take()? {
            b'u' | b'n' => Ok(Value::Null),
            b't' => Ok(Value::Bool(true)),
            b'f' => Ok(Value::Bool(false)),
            b'i' => self.integer().map(|n| Value::Number(Number::Int(n))),
            b'd' => {
                let f = f64::from_bits(self.bits()?);
                Ok(if f.is_finite() {
                    Value::Number(Number::Float(f))
                } else {
                    Value::Unsupported(Unsupported::NonFinite)
                })
            }
            b'N' => Ok(Value::Unsupported(Unsupported::NonFinite)),
            b's' => self.string().map(str::to_owned).map(Value::String),
            b'F' => unsupported(Unsupported::Function),
            b'X' => unsupported(Unsupported::NoJsonForm),
            b'[' => {
                if depth >= MAX_DEPTH {
                    return Err(ReadError::TooDeep);
                }
                let mut items = Vec::new();
                while self.peek() != Some(b']') {
                    items.push(self.value(depth + 1, mode)?);
                }
                self.pos += 1;
                Ok(Value::Array(items))
            }
            b'{' => {
                if depth >= MAX_DEPTH {
                    return Err(ReadError::TooDeep);
                }
                let mut object = Object::new();
                while self.peek() != Some(b'}') {
                    let key: Cow<'static, str> = match self.take()? {
                        b's' => Cow::Owned(self.string()?.to_owned()),
                        b'k' => Cow::Borrowed(self.known_key()?),
                        _ => return Err(ReadError::Invalid),
                    };
                    let value = self.value(depth + 1, mode)?;
                    object.insert_key(key, value);
                }
                self.pos += 1;
                Ok(Value::Object(object))
            }
            _ => Err(ReadError::Invalid),
        }
    }

    /// Decimal digits (at least one, at most what a safe integer needs).
    fn digits(&mut self) -> Result<u64, ReadError> {
        let mut n: u64 = 0;
        let mut count = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(b - b'0')))
                .ok_or(ReadError::Invalid)?;
            self.pos += 1;
            count += 1;
        }
        if count == 0 {
            return Err(ReadError::Invalid);
        }
        Ok(n)
    }

    fn integer(&mut self) -> Result<i64, ReadError> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let n = i64::try_from(self.digits()?).map_err(|_| ReadError::Invalid)?;
        Ok(if negative { -n } else { n })
    }

    fn bits(&mut self) -> Result<u64, ReadError> {
        let hex = self
            .text
            .get(self.pos..self.pos + 16)
            .ok_or(ReadError::Invalid)?;
        let bits = u64::from_str_radix(hex, 16).map_err(|_| ReadError::Invalid)?;
        if hex.starts_with('+') {
            return Err(ReadError::Invalid);
        }
        self.pos += 16;
        Ok(bits)
    }

    /// A key of [`KEYS`] by its index, after its `k`.
    fn known_key(&mut self) -> Result<&'static str, ReadError> {
        let i = usize::try_from(self.digits()?).map_err(|_| ReadError::Invalid)?;
        if self.take()? != b':' {
            return Err(ReadError::Invalid);
        }
        KEYS.get(i).copied().ok_or(ReadError::Invalid)
    }

    /// A string's length and text, after its `s`.
    fn string(&mut self) -> Result<&'a str, ReadError> {
        let units = usize::try_from(self.digits()?).map_err(|_| ReadError::Invalid)?;
        if self.take()? != b':' {
            return Err(ReadError::Invalid);
        }
        let rest = self.text.get(self.pos..).ok_or(ReadError::Invalid)?;
        // ASCII (the usual case): one byte per code unit.
        let end = match rest.as_bytes().get(..units) {
            Some(bytes) if bytes.is_ascii() => units,
            _ => {
                let mut counted = 0;
                let mut end = 0;
                for c in rest.chars() {
                    if counted >= units {
                        break;
                    }
                    counted += c.len_utf16();
                    end += c.len_utf8();
                }
                if counted != units {
                    return Err(ReadError::Invalid);
                }
                end
            }
        };
        let s = rest.get(..end).ok_or(ReadError::Invalid)?;
        self.pos += end;
        Ok(s)
    }

    /// Skips one value without building it (any depth, no recursion).
    fn skip(&mut self) -> Result<(), ReadError> {
        let mut open = 0usize;
        loop {
            match self.take()? {
                b'u' | b'n' | b't' | b'f' | b'N' | b'F' | b'X' => {}
                b'i' => {
                    self.integer()?;
                }
                b'd' => {
                    self.bits()?;
                }
                b's' => {
                    self.string()?;
                }
                // A key, not a value: the object's value follows.
                b'k' => {
                    self.known_key()?;
                    continue;
                }
                b'[' | b'{' => open += 1,
                b']' | b'}' => open = open.checked_sub(1).ok_or(ReadError::Invalid)?,
                _ => return Err(ReadError::Invalid),
            }
            if open == 0 {
                return Ok(());
            }
        }
    }
}

// ---- writing (wasm → JavaScript) ----

/// Keys written as `k` and an index into this list (pkg/src/boundary.js `KEYS` is the
/// same list, in the same order: a test checks).
pub const KEYS: [&str; 79] = [
    "kind",
    "field",
    "code",
    "message",
    "issues",
    "url",
    "method",
    "headers",
    "body",
    "redirect",
    "signing",
    "authorization",
    "signature",
    "canonicalRequest",
    "stringToSign",
    "credentialScope",
    "signedHeaders",
    "hashedPayload",
    "signatureMethod",
    "Authorization",
    "Content-Type",
    "Host",
    "X-TC-Action",
    "X-TC-Version",
    "X-TC-Timestamp",
    "X-TC-Region",
    "X-TC-RequestClient",
    "X-TC-Token",
    "X-TC-Language",
    "requestId",
    "httpStatus",
    "retryable",
    "description",
    "Response",
    "RequestId",
    "Error",
    "Code",
    "Message",
    "ImageIds",
    "DryRun",
    "DeleteBindedSnap",
    "DryRunOperation",
    "known",
    "split",
    "lookUp",
    "refused",
    "stop",
    "shared",
    "credentials",
    "refreshMarginMs",
    "region",
    "endpoint",
    "host",
    "language",
    "signAction",
    "signMethod",
    "timeoutMs",
    "retries",
    "ratePerSecond",
    "pacingWindowMs",
    "backoffBaseMs",
    "backoffCapMs",
    "correctClockSkew",
    "secretId",
    "secretKey",
    "token",
    "expiration",
    "expiresAtMs",
    "roleName",
    "rolesUrl",
    "service",
    "contentType",
    "query",
    "payload",
    "timestamp",
    "action",
    "nonce",
    "fetch",
    "metadataUrl",
];

/// Buckets of [`KEYS`] indexes by a cheap hash of a key, built once: a key is looked up in its
/// bucket only (a key whose bucket is full is written as a string: still correct).
struct KeyIndex([[u8; 4]; 128]);

impl KeyIndex {
    const EMPTY: u8 = u8::MAX;

    fn bucket(key: &str) -> usize {
        let bytes = key.as_bytes();
        let first = bytes.first().copied().unwrap_or(0) as usize;
        let last = bytes.last().copied().unwrap_or(0) as usize;
        (bytes.len().wrapping_mul(31) ^ first ^ (last << 2)) % 128
    }

    fn new() -> Self {
        let mut buckets = [[Self::EMPTY; 4]; 128];
        for (i, key) in KEYS.iter().enumerate() {
            if let Some(bucket) = buckets.get_mut(Self::bucket(key)) {
                if let Some(slot) = bucket.iter_mut().find(|s| **s == Self::EMPTY) {
                    *slot = i as u8;
                }
            }
        }
        Self(buckets)
    }

    fn find(&self, key: &str) -> Option<usize> {
        let bucket = self.0.get(Self::bucket(key))?;
        bucket
            .iter()
            .take_while(|i| **i != Self::EMPTY)
            .map(|i| usize::from(*i))
            .find(|i| KEYS.get(*i) == Some(&key))
    }
}

static KEY_INDEX: std::sync::OnceLock<KeyIndex> = std::sync::OnceLock::new();

/// A call's answer: its result.
pub fn ok<T: Serialize + ?Sized>(value: &T) -> String {
    answer('o', value)
}

/// A call's answer: the error object JavaScript throws.
pub fn error<T: Serialize + ?Sized>(value: &T) -> String {
    answer('e', value)
}

fn answer<T: Serialize + ?Sized>(tag: char, value: &T) -> String {
    // A signed request's answer is about 1.4 KB: room for it at once, no regrowing.
    let mut writer = Writer(String::with_capacity(2048));
    writer.0.push(tag);
    match value.serialize(&mut writer) {
        Ok(()) => writer.0,
        // As serde-wasm-bindgen's failures were read: `undefined` (our types never fail: they hold
        // only strings, booleans, safe integers, finite numbers, sequences and maps).
        Err(WriteError) => format!("{tag}u"),
    }
}

/// Writes serde values in the format above.
struct Writer(String);

/// A value the format cannot carry (an integer beyond 2^53, as serde-wasm-bindgen refused it).
#[derive(Debug)]
struct WriteError;

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value the boundary cannot carry")
    }
}

impl std::error::Error for WriteError {}

impl ser::Error for WriteError {
    fn custom<T: fmt::Display>(_: T) -> Self {
        WriteError
    }
}

impl Writer {
    fn integer(&mut self, n: i64) -> Result<(), WriteError> {
        if n.unsigned_abs() > MAX_SAFE_INTEGER as u64 {
            return Err(WriteError);
        }
        self.0.push('i');
        if n < 0 {
            self.0.push('-');
        }
        self.decimal(n.unsigned_abs());
        Ok(())
    }

    fn decimal(&mut self, n: u64) {
        if n < 10 {
            self.0.push(char::from(b'0' + n as u8));
            return;
        }
        // Lengths and indexes fit 32 bits: 32-bit division is one instruction in wasm, where
        // 64-bit division by 10 goes through a 128-bit multiply.
        match u32::try_from(n) {
            Ok(n) => self.decimal32(n),
            Err(_) => self.decimal64(n),
        }
    }

    fn decimal32(&mut self, mut n: u32) {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        loop {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        if let Ok(text) = std::str::from_utf8(digits.get(i..).unwrap_or_default()) {
            self.0.push_str(text);
        }
    }

    fn decimal64(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        let digits = digits.get(i..).unwrap_or_default();
        // ASCII digits: always UTF-8.
        if let Ok(text) = std::str::from_utf8(digits) {
            self.0.push_str(text);
        }
    }

    fn float(&mut self, f: f64) {
        // Whole numbers (not -0) as integers: shorter, and no bit decoding on the other side.
        if f.fract() == 0.0
            && f.abs() <= MAX_SAFE_INTEGER as f64
            && !(f == 0.0 && f.is_sign_negative())
        {
            self.0.push('i');
            if f < 0.0 {
                self.0.push('-');
            }
            self.decimal(f.abs() as u64);
            return;
        }
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.0.push('d');
        let bits = f.to_bits();
        for shift in (0..16).rev() {
            let nibble = (bits >> (shift * 4)) & 0xf;
            self.0.push(char::from(HEX[nibble as usize]));
        }
    }

    /// An object's key: its [`KEYS`] index when it has one.
    fn key(&mut self, key: &str) {
        match KEY_INDEX.get_or_init(KeyIndex::new).find(key) {
            Some(i) => {
                self.0.push('k');
                self.decimal(i as u64);
                self.0.push(':');
            }
            None => self.string(key),
        }
    }

    fn string(&mut self, s: &str) {
        // UTF-16 code units: one per UTF-8 sequence, two for a four-byte one (ASCII: one a byte).
        let units: usize = if s.is_ascii() {
            s.len()
        } else {
            s.bytes()
                .map(|b| usize::from(b & 0xc0 != 0x80) + usize::from(b >= 0xf0))
                .sum()
        };
        self.0.push('s');
        self.decimal(units as u64);
        self.0.push(':');
        self.0.push_str(s);
    }
}

impl ser::Serializer for &mut Writer {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), WriteError> {
        self.0.push(if v { 't' } else { 'f' });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), WriteError> {
        self.integer(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), WriteError> {
        self.integer(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), WriteError> {
        self.integer(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), WriteError> {
        self.integer(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), WriteError> {
        self.integer(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), WriteError> {
        self.integer(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), WriteError> {
        self.integer(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), WriteError> {
        self.integer(i64::try_from(v).map_err(|_| WriteError)?)
    }
    fn serialize_f32(self, v: f32) -> Result<(), WriteError> {
        self.float(v.into());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), WriteError> {
        self.float(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), WriteError> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), WriteError> {
        self.0.push('[');
        for &b in v {
            self.integer(b.into())?;
        }
        self.0.push(']');
        Ok(())
    }
    fn serialize_none(self) -> Result<(), WriteError> {
        self.0.push('u');
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), WriteError> {
        self.0.push('u');
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), WriteError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), WriteError> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.0.push('{');
        self.key(variant);
        value.serialize(&mut *self)?;
        self.0.push('}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, WriteError> {
        self.0.push('[');
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, WriteError> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, WriteError> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, WriteError> {
        self.0.push('{');
        self.key(variant);
        self.0.push('[');
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, WriteError> {
        self.0.push('{');
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, WriteError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, WriteError> {
        self.0.push('{');
        self.key(variant);
        self.0.push('{');
        Ok(self)
    }
}

impl ser::SerializeSeq for &mut Writer {
    type Ok = ();
    type Error = WriteError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), WriteError> {
        self.0.push(']');
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Writer {
    type Ok = ();
    type Error = WriteError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), WriteError> {
        self.0.push(']');
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Writer {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), WriteError> {
        self.0.push(']');
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut Writer {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), WriteError> {
        self.0.push_str("]}");
        Ok(())
    }
}

impl ser::SerializeMap for &mut Writer {
    type Ok = ();
    type Error = WriteError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WriteError> {
        key.serialize(MapKey(self))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), WriteError> {
        self.0.push('}');
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Writer {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.key(key);
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), WriteError> {
        self.0.push('}');
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Writer {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.key(key);
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), WriteError> {
        self.0.push_str("}}");
        Ok(())
    }
}

/// A map's key: a string (as serde-wasm-bindgen's objects took only string keys).
struct MapKey<'a>(&'a mut Writer);

impl MapKey<'_> {
    fn refuse(self) -> Result<(), WriteError> {
        Err(WriteError)
    }
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = ser::Impossible<(), WriteError>;
    type SerializeTuple = ser::Impossible<(), WriteError>;
    type SerializeTupleStruct = ser::Impossible<(), WriteError>;
    type SerializeTupleVariant = ser::Impossible<(), WriteError>;
    type SerializeMap = ser::Impossible<(), WriteError>;
    type SerializeStruct = ser::Impossible<(), WriteError>;
    type SerializeStructVariant = ser::Impossible<(), WriteError>;

    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        self.0.key(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), WriteError> {
        self.0.key(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), WriteError> {
        self.0.key(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_i8(self, _: i8) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_i16(self, _: i16) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_i32(self, _: i32) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_i64(self, _: i64) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_u8(self, _: u8) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_u16(self, _: u16) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_u32(self, _: u32) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_u64(self, _: u64) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_f32(self, _: f32) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_f64(self, _: f64) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_none(self) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_unit(self) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), WriteError> {
        self.refuse()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, WriteError> {
        Err(WriteError)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, WriteError> {
        Err(WriteError)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, WriteError> {
        Err(WriteError)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, WriteError> {
        Err(WriteError)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, WriteError> {
        Err(WriteError)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, WriteError> {
        Err(WriteError)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, WriteError> {
        Err(WriteError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Vec<Result<Value, ReadError>> {
        let mut args = Arguments::new(text);
        let mut out = Vec::new();
        while !args.is_done() && out.len() < 8 {
            out.push(args.next(Mode::Lenient));
        }
        out
    }

    #[test]
    fn reads_every_tag() {
        let text = "{s1:au s1:bn s1:ct s1:df s1:ei-42 s1:gd3ff8000000000000 s1:hN s2:ijs3:x\u{e9}y s1:k[FX] k2:s1:z}"
            .replace(' ', "");
        let v = Arguments::new(&text).next(Mode::Lenient).unwrap();
        let o = v.as_object().unwrap();
        assert_eq!(o.get("a"), Some(&Value::Null));
        assert_eq!(o.get("c"), Some(&Value::Bool(true)));
        assert_eq!(o.get("e"), Some(&Value::Number(Number::Int(-42))));
        assert_eq!(o.get("g"), Some(&Value::Number(Number::Float(1.5))));
        assert_eq!(
            o.get("h"),
            Some(&Value::Unsupported(Unsupported::NonFinite))
        );
        assert_eq!(o.get("ij"), Some(&Value::String("x\u{e9}y".into())));
        assert_eq!(
            o.get("k"),
            Some(&Value::Array(vec![
                Value::Unsupported(Unsupported::Function),
                Value::Unsupported(Unsupported::NoJsonForm)
            ]))
        );
        assert_eq!(o.get("code"), Some(&Value::String("z".into())));
    }

    #[test]
    fn string_lengths_count_utf16_units() {
        // U+1F600 is two code units, four UTF-8 bytes.
        let v = Arguments::new("s3:\u{1f600}a").next(Mode::Lenient);
        assert_eq!(v, Ok(Value::String("\u{1f600}a".into())));
        assert_eq!(
            Arguments::new("s1:\u{1f600}").next(Mode::Lenient),
            Err(ReadError::Invalid)
        );
    }

    #[test]
    fn the_argument_itself_cannot_be_a_function_and_strict_values_hold_none() {
        assert_eq!(
            Arguments::new("F").next(Mode::Lenient),
            Err(ReadError::Invalid)
        );
        assert_eq!(
            Arguments::new("[X]").next(Mode::Strict),
            Err(ReadError::Invalid)
        );
        assert_eq!(Arguments::new("u").next_optional(Mode::Strict), Ok(None));
    }

    #[test]
    fn a_failed_argument_is_skipped_whole() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let got = read_all(&format!("{deep}[X]i7"));
        assert_eq!(
            got,
            vec![
                Err(ReadError::TooDeep),
                Ok(Value::Array(vec![Value::Unsupported(
                    Unsupported::NoJsonForm
                )])),
                Ok(Value::Number(Number::Int(7))),
            ]
        );
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(Arguments::new(&ok).next(Mode::Strict).is_ok());
    }

    #[test]
    fn malformed_text_is_unreadable() {
        for text in [
            "",
            "[",
            "{i1i2}",
            "s5:ab",
            "d12",
            "i",
            "i99999999999999999999",
            "q",
            "d+fffffffffffffff",
        ] {
            assert_eq!(
                Arguments::new(text).next(Mode::Lenient),
                Err(ReadError::Invalid),
                "{text}"
            );
        }
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Sample {
        http_status: u16,
        name: &'static str,
        missing: Option<u8>,
        ratio: f64,
        minus_zero: f64,
        list: Vec<(u8, bool)>,
    }

    #[test]
    fn every_key_has_its_index_and_boundary_js_the_same_list() {
        for (i, key) in KEYS.iter().enumerate() {
            assert_eq!(
                KEY_INDEX.get_or_init(KeyIndex::new).find(key),
                Some(i),
                "{key}"
            );
        }
        assert_eq!(
            KEY_INDEX.get_or_init(KeyIndex::new).find("httpStatusX"),
            None
        );
        let list: Vec<String> = KEYS.iter().map(|k| format!("'{k}'")).collect();
        let js = include_str!("../../pkg/src/boundary.js");
        let want = format!("export const KEYS = Object.freeze([{}]);", list.join(", "));
        assert!(
            js.contains(&want),
            "pkg/src/boundary.js should hold\n{want}"
        );
    }

    #[test]
    fn writes_serde_values() {
        let text = ok(&Sample {
            http_status: 200,
            name: "\u{1f600}é",
            missing: None,
            ratio: 0.5,
            minus_zero: -0.0,
            list: vec![(1, true)],
        });
        assert_eq!(
            text,
            "o{k30:i200s4:names3:\u{1f600}és7:missingus5:ratiod3fe0000000000000s9:minusZerod8000000000000000s4:list[[i1t]]}"
        );
        assert_eq!(error(&u64::MAX), "eu");
        assert_eq!(ok(&-12345i64), "oi-12345");
        assert_eq!(ok(&1e15), "oi1000000000000000");
    }
}
