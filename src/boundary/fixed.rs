//! The fixed layout: `signTc3`'s common input written by JavaScript straight into a buffer in wasm
//! memory, read here into the same typed fields the general reader produces
//! ([`SignTc3Read`]), so one set of rules ([`crate::sign::tc3_input::SignTc3Input::from_read`])
//! and one signer serve both paths. Its other half is pkg/src/fixed-input.js, which writes this
//! layout only for an input that is exactly the common shape (a plain object with only
//! `signTc3`'s keys, each a string, a safe integer or a boolean as the field wants, or
//! undefined; strings well-formed and short enough) and gives everything else to the general
//! path (the boundary format).
//!
//! Layout of the buffer (little-endian; offsets in bytes):
//!
//! ```text
//! 0   9 × u32  the UTF-8 length of each string field in FIELDS order, or ABSENT (0xFFFF_FFFF)
//!              for a field not given (undefined or not a key)
//! 36  u32      signAction: 0 not given, 1 false, 2 true
//! 40  u32      timestamp: 0 not given, 1 given (the f64 at 48)
//! 44  u32      0
//! 48  f64      timestamp, a safe integer
//! 56  …        the given strings' UTF-8 bytes, back to back in FIELDS order
//! ```
//!
//! FIELDS: secretId, secretKey, service, host, method, contentType, query, payload, action.
//!
//! [`read_sign_tc3`] wipes what it read (the secret key among it) before returning, whatever it
//! found. A layout that does not add up (a buffer shorter than the header, lengths beyond it,
//! bytes that are not UTF-8, a flag out of range: never written by fixed-input.js) is refused as
//! an unreadable input.
//!
//! The answer of a signature (written by [`write_signing_output`]): the seven strings of
//! `SigningOutput` back to back, in its field order, and the byte lengths of the first six in the
//! buffer's first six u32 words.

use zeroize::Zeroize;

use crate::input::error::ValidationError;
use crate::input::json::{Number, Value};
use crate::input::{ReadValue, Seconds};
use crate::sign::tc3_input::SignTc3Read;
use crate::sign::Method;
use crate::sign::SigningOutput;

/// The string fields, in the order of their lengths and bytes.
pub const FIELDS: [&str; 9] = [
    "secretId",
    "secretKey",
    "service",
    "host",
    "method",
    "contentType",
    "query",
    "payload",
    "action",
];

/// A string field's length word when the field is not given.
pub const ABSENT: u32 = u32::MAX;

/// Bytes before the strings.
pub const HEADER: usize = 56;

const SIGN_ACTION: usize = 36;
const TIMESTAMP_GIVEN: usize = 40;
const TIMESTAMP: usize = 48;

fn word(buf: &[u8], at: usize) -> Option<u32> {
    let bytes: [u8; 4] = buf.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_le_bytes(bytes))
}

/// What cannot have come from fixed-input.js: read as the general path reads text that is not
/// the format.
fn unreadable() -> ValidationError {
    ValidationError::wrong_type(
        "input",
        "a plain object",
        "a value that cannot be read as JSON",
    )
}

/// Reads `signTc3`'s fields from `buf` (the layout above) and wipes the bytes it covered.
pub fn read_sign_tc3(buf: &mut [u8]) -> Result<SignTc3Read, ValidationError> {
    let result = read(buf);
    let used = match &result {
        Ok((_, used)) => *used,
        Err(_) => buf.len(),
    };
    if let Some(read) = buf.get_mut(..used) {
        read.zeroize();
    }
    result.map(|(fields, _)| fields)
}

fn read(buf: &[u8]) -> Result<(SignTc3Read, usize), ValidationError> {
    if buf.len() < HEADER {
        return Err(unreadable());
    }
    let mut at = HEADER;
    let mut strings: [Option<&str>; 9] = [None; 9];
    for (i, slot) in strings.iter_mut().enumerate() {
        let n = word(buf, i * 4).ok_or_else(unreadable)?;
        if n == ABSENT {
            continue;
        }
        let end = at.checked_add(n as usize).ok_or_else(unreadable)?;
        let bytes = buf.get(at..end).ok_or_else(unreadable)?;
        *slot = Some(std::str::from_utf8(bytes).map_err(|_| unreadable())?);
        at = end;
    }
    let sign_action = match word(buf, SIGN_ACTION) {
        Some(0) => None,
        Some(1) => Some(false),
        Some(2) => Some(true),
        _ => return Err(unreadable()),
    };
    let timestamp = match word(buf, TIMESTAMP_GIVEN) {
        Some(0) => Ok(None),
        Some(1) => {
            let bytes: [u8; 8] = buf
                .get(TIMESTAMP..TIMESTAMP + 8)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(unreadable)?;
            let t = f64::from_le_bytes(bytes);
            // A safe integer, as the general path reads one (`i` in the boundary format).
            if t.fract() != 0.0 || t.abs() > 9_007_199_254_740_991.0 {
                return Err(unreadable());
            }
            Ok(Some(Seconds(Number::Int(t as i64))))
        }
        _ => return Err(unreadable()),
    };
    // Copied only now that nothing can fail (a copy of the secret key dropped on an error would
    // not be wiped), each once, the secret key straight into the wrapper that wipes it.
    let [secret_id, secret_key, service, host, method, content_type, query, payload, action] =
        strings.map(|s| s.map(str::to_owned));
    let fields = SignTc3Read {
        secretId: Ok(secret_id),
        secretKey: Ok(secret_key),
        service: Ok(service),
        host: Ok(host),
        method: <Method as ReadValue>::read(method.map(Value::String), "method"),
        contentType: Ok(content_type),
        query: Ok(query),
        payload: Ok(payload),
        timestamp,
        action: Ok(action),
        signAction: Ok(sign_action),
    };
    Ok((fields, at))
}

/// Writes a signature's answer (see the module's documentation): the seven strings, returned,
/// and the first six's lengths in `buf`; `None` when it cannot (a string not ASCII, which the
/// signer's checks rule out, or a buffer under 24 bytes): the caller answers in the general
/// format then.
pub fn write_signing_output(out: &SigningOutput, buf: &mut [u8]) -> Option<String> {
    let parts = [
        &out.authorization,
        &out.signature,
        &out.canonical_request,
        &out.string_to_sign,
        &out.credential_scope,
        &out.signed_headers,
        &out.hashed_payload,
    ];
    // bench/levers.mjs's `boundary-answer`: what this answer saves over the boundary format's.
    if cfg!(lever_boundary_answer) || !parts.iter().all(|s| s.is_ascii()) {
        return None;
    }
    let lengths = buf.get_mut(..24)?;
    for (slot, part) in lengths.chunks_exact_mut(4).zip(parts) {
        slot.copy_from_slice(&(part.len() as u32).to_le_bytes());
    }
    let mut text = String::with_capacity(parts.iter().map(|s| s.len()).sum());
    for part in parts {
        text.push_str(part);
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::json::Object;
    use crate::input::Declared;
    use crate::sign::tc3_input::SignTc3Params;

    #[test]
    fn the_layout_holds_exactly_the_declared_fields() {
        // The layout's order is its own (strings first), its fields the declaration's: a field
        // added to `SignTc3Params` fails here until the layout (and fixed-input.js) carries it.
        let mut layout: Vec<&str> = FIELDS
            .iter()
            .copied()
            .chain(["timestamp", "signAction"])
            .collect();
        let mut declared: Vec<&str> = SignTc3Params::KEYS.to_vec();
        layout.sort_unstable();
        declared.sort_unstable();
        assert_eq!(layout, declared);
    }
    use crate::sign::sign;
    use crate::sign::tc3_input::SignTc3Input;

    /// The layout as fixed-input.js writes it.
    fn layout(strings: [Option<&str>; 9], sign_action: u32, timestamp: Option<f64>) -> Vec<u8> {
        let mut buf = vec![0u8; HEADER];
        for (i, s) in strings.iter().enumerate() {
            let n = s.map_or(ABSENT, |s| s.len() as u32);
            buf[i * 4..i * 4 + 4].copy_from_slice(&n.to_le_bytes());
            buf.extend_from_slice(s.unwrap_or_default().as_bytes());
        }
        buf[36..40].copy_from_slice(&sign_action.to_le_bytes());
        buf[40..44].copy_from_slice(&u32::from(timestamp.is_some()).to_le_bytes());
        buf[48..56].copy_from_slice(&timestamp.unwrap_or(0.0).to_le_bytes());
        buf
    }

    fn object(strings: [Option<&str>; 9], sign_action: u32, timestamp: Option<f64>) -> Value {
        let mut o = Object::new();
        for (name, s) in FIELDS.iter().zip(strings) {
            if let Some(s) = s {
                o.insert((*name).to_owned(), Value::String(s.to_owned()));
            }
        }
        if sign_action > 0 {
            o.insert("signAction".into(), Value::Bool(sign_action == 2));
        }
        if let Some(t) = timestamp {
            o.insert("timestamp".into(), Value::Number(Number::Int(t as i64)));
        }
        Value::Object(o)
    }

    fn outcome(input: Result<SignTc3Input, ValidationError>) -> String {
        match input.and_then(|i| sign(&i.params(), None)) {
            Ok(out) => out.authorization,
            Err(e) => format!("{e:?}"),
        }
    }

    const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    #[test]
    fn reads_what_the_general_path_reads_and_wipes_it() {
        let valid = [
            Some("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
            Some(KEY),
            Some("cvm"),
            Some("cvm.tencentcloudapi.com"),
            Some("POST"),
            Some("application/json"),
            None,
            Some("{\"Name\":\"未命名\"}"),
            Some("DeleteImages"),
        ];
        let mut missing = valid;
        missing[1] = None;
        missing[4] = Some("PUT");
        for (strings, flag, ts) in [
            (valid, 2, Some(1_551_113_065.0)),
            (valid, 0, Some(-1.0)),
            (valid, 1, None),
            (missing, 2, Some(253_402_300_800.0)),
            ([None; 9], 0, None),
        ] {
            let mut buf = layout(strings, flag, ts);
            buf.extend_from_slice(b"after");
            let fast = read_sign_tc3(&mut buf).and_then(SignTc3Input::from_read);
            let general = SignTc3Input::from_value(object(strings, flag, ts));
            assert_eq!(outcome(fast), outcome(general));
            assert!(buf[..buf.len() - 5].iter().all(|&b| b == 0));
            assert_eq!(&buf[buf.len() - 5..], b"after");
        }
    }

    #[test]
    fn refuses_and_wipes_a_layout_that_does_not_add_up() {
        let good = layout([Some(KEY); 9], 0, Some(1.0));
        let mut cases = vec![good[..HEADER - 1].to_vec(), good[..good.len() - 1].to_vec()];
        // Nothing past the flags is needed without a timestamp: still a whole header or nothing.
        cases.push(layout([None; 9], 0, None)[..50].to_vec());
        let mut bad_flag = good.clone();
        bad_flag[36] = 3;
        let mut bad_time = good.clone();
        bad_time[48..56].copy_from_slice(&0.5f64.to_le_bytes());
        let mut not_utf8 = good.clone();
        not_utf8[HEADER] = 0xff;
        let mut huge = good.clone();
        huge[0..4].copy_from_slice(&(u32::MAX - 1).to_le_bytes());
        cases.extend([bad_flag, bad_time, not_utf8, huge]);
        for mut buf in cases {
            assert!(read_sign_tc3(&mut buf).is_err());
            assert!(buf.iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn the_answer_splits_back_into_the_seven_strings() {
        let mut buf = layout(
            [
                Some("AKID"),
                Some(KEY),
                Some("cvm"),
                Some("cvm.tencentcloudapi.com"),
                Some("GET"),
                Some("application/x-www-form-urlencoded"),
                Some("Limit=1"),
                Some(""),
                None,
            ],
            0,
            Some(1_551_113_065.0),
        );
        let input = read_sign_tc3(&mut buf).and_then(SignTc3Input::from_read);
        let out = input.and_then(|i| sign(&i.params(), None)).unwrap();
        let text = write_signing_output(&out, &mut buf).unwrap();
        let mut at = 0;
        let mut parts = Vec::new();
        for i in 0..6 {
            let n = word(&buf, i * 4).unwrap() as usize;
            parts.push(&text[at..at + n]);
            at += n;
        }
        parts.push(&text[at..]);
        assert_eq!(
            parts,
            [
                &out.authorization,
                &out.signature,
                &out.canonical_request,
                &out.string_to_sign,
                &out.credential_scope,
                &out.signed_headers,
                &out.hashed_payload
            ]
        );
        assert!(write_signing_output(&out, &mut [0u8; 23]).is_none());
    }
}
