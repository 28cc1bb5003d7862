//! Arguments as the JavaScript layer hands them over: JSON text written by `JSON.stringify`
//! with a replacer that marks what JSON cannot carry (see [`json::UNSUPPORTED_MARKER`]).
//!
//! One string per argument crosses the boundary instead of one call per field, and every check
//! of shape and type stays here, in the core.

use crate::error::{ValidationCode, ValidationError};
use crate::json::{self, ParseError, Value};

/// Reads the argument called `name`; empty text stands for `undefined`.
pub fn read(text: &str, name: &str) -> Result<Value, ValidationError> {
    if text.is_empty() {
        return Err(ValidationError::wrong_type(name, "an object", "undefined"));
    }
    let value = json::parse_strict(text).map_err(|e| match e {
        ParseError::LoneSurrogate => ValidationError::new(
            name,
            ValidationCode::InvalidParameterValue,
            format!("{name} contains a string with an unpaired UTF-16 surrogate"),
        ),
        ParseError::TooDeep => ValidationError::new(
            name,
            ValidationCode::InvalidParameter,
            format!("{name} is nested more than {} levels deep", json::MAX_DEPTH),
        ),
        ParseError::Eof | ParseError::Syntax(_) => ValidationError::new(
            name,
            ValidationCode::InvalidParameter,
            format!("{name} is not valid JSON"),
        ),
    })?;
    if let Some((path, kind)) = json::find_unsupported(&value, "") {
        let field = if path.is_empty() { name } else { &path };
        return Err(ValidationError::wrong_type(
            field,
            "a JSON value (string, number, boolean, null, array or object)",
            kind,
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsupported_values_are_named_by_path() {
        let e = read(r#"{"ImageIds":["img-a",{"\u0000js":"bigint"}]}"#, "params").unwrap_err();
        assert_eq!(
            (e.field(), e.code()),
            ("ImageIds.1", ValidationCode::InvalidParameter)
        );
        assert!(e.message().contains("a BigInt"), "{e}");
        let e = read(r#"{"\u0000js":"function"}"#, "params").unwrap_err();
        assert_eq!(e.field(), "params");
        let e = read(r#"{"DryRun":{"\u0000js":"nonfinite"}}"#, "params").unwrap_err();
        assert_eq!(e.field(), "DryRun");
        assert!(e.message().contains("NaN"));
    }

    #[test]
    fn undefined_deep_and_broken_text_are_errors() {
        assert_eq!(read("", "options").unwrap_err().field(), "options");
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(read(&deep, "params")
            .unwrap_err()
            .message()
            .contains("nested"));
        assert!(read(r#""\udc00""#, "params")
            .unwrap_err()
            .message()
            .contains("surrogate"));
        assert!(read("{", "params").is_err());
        assert!(read(r#"{"a":1}"#, "params").is_ok());
    }
}
