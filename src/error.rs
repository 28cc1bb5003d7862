//! Validation errors: bad input found before anything is sent.

use std::fmt::{self, Write as _};

/// The Tencent error code a validation failure corresponds to: the code the server would answer
/// for the same mistake, so callers can branch on one set of codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationCode {
    /// A required field is absent.
    MissingParameter,
    /// A field that the API (or this option set) does not define.
    UnknownParameter,
    /// A field of the wrong type or shape.
    InvalidParameter,
    /// A field of the right type with a value that is not allowed.
    InvalidParameterValue,
    /// An image id that is not of the `img-…` form.
    InvalidImageIdMalformed,
    /// More values than one call accepts.
    LimitExceeded,
    /// A request larger than the API accepts (GET 32 KB, POST 10 MB).
    RequestSizeLimitExceeded,
}

impl ValidationCode {
    /// The code as Tencent spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissingParameter => "MissingParameter",
            Self::UnknownParameter => "UnknownParameter",
            Self::InvalidParameter => "InvalidParameter",
            Self::InvalidParameterValue => "InvalidParameterValue",
            Self::InvalidImageIdMalformed => "InvalidImageId.Malformed",
            Self::LimitExceeded => "InvalidParameterValue.LimitExceeded",
            Self::RequestSizeLimitExceeded => "RequestSizeLimitExceeded",
        }
    }
}

/// Bad input: which field, the Tencent code, and a message a person understands.
///
/// Messages never contain a secret: fields holding one are named, never quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    field: String,
    code: ValidationCode,
    message: String,
}

impl ValidationError {
    /// A new error about `field`.
    pub fn new(field: impl Into<String>, code: ValidationCode, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    /// `field` is required and absent.
    pub fn missing(field: &str) -> Self {
        Self::new(
            field,
            ValidationCode::MissingParameter,
            format!("{field} is required"),
        )
    }

    /// `field` has the wrong type: `expected` says what it must be.
    pub fn wrong_type(field: &str, expected: &str, got: &str) -> Self {
        Self::new(
            field,
            ValidationCode::InvalidParameter,
            format!("{field} must be {expected}, got {got}"),
        )
    }

    /// The offending field, e.g. `ImageIds.2`, `DryRun`, `region`, `secretKey`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The Tencent code.
    pub fn code(&self) -> ValidationCode {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValidationError {}

/// Quotes user input for an error message, cut to a readable length.
pub(crate) fn quote(value: &str) -> String {
    const MAX_CHARS: usize = 48;
    let mut out = String::from("\"");
    let mut chars = value.chars();
    for c in chars.by_ref().take(MAX_CHARS) {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_cuts_long_input_and_escapes_controls() {
        assert_eq!(quote("img-1"), "\"img-1\"");
        assert_eq!(quote("a\nb"), "\"a\\nb\"");
        let long = "x".repeat(10_000);
        assert_eq!(quote(&long).chars().count(), 48 + 3);
    }
}
