//! Validation errors: bad input found before anything is sent. One error carries every problem
//! found in one call ([`ValidationIssue`]s), so a form can mark all its fields at once.

use std::fmt::{self, Write as _};

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The Tencent error code a validation failure corresponds to: the code the server would answer
/// for the same mistake, so callers can branch on one set of codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
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
    #[serde(rename = "InvalidImageId.Malformed")]
    InvalidImageIdMalformed,
    /// More values than one call accepts.
    #[serde(rename = "InvalidParameterValue.LimitExceeded")]
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

/// One problem: which field, the Tencent code, and a message a person understands.
///
/// Messages never contain a secret: fields holding one are named, never quoted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ValidationIssue {
    /// The offending field, e.g. `ImageIds.2`, `DryRun`, `region`, `secretKey`.
    pub field: String,
    /// The Tencent code the server would answer for the same mistake.
    pub code: ValidationCode,
    /// What is wrong, for a person.
    pub message: String,
}

/// Bad input: every problem found, the first one first (its field, code and message are the
/// error's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    first: ValidationIssue,
    more: Vec<ValidationIssue>,
}

impl ValidationError {
    /// A new error about `field`.
    pub fn new(field: impl Into<String>, code: ValidationCode, message: impl Into<String>) -> Self {
        Self {
            first: ValidationIssue {
                field: field.into(),
                code,
                message: message.into(),
            },
            more: Vec::new(),
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

    /// The first problem's field, e.g. `ImageIds.2`, `DryRun`, `region`, `secretKey`.
    pub fn field(&self) -> &str {
        &self.first.field
    }

    /// The first problem's Tencent code.
    pub fn code(&self) -> ValidationCode {
        self.first.code
    }

    /// The first problem's message.
    pub fn message(&self) -> &str {
        &self.first.message
    }

    /// Every problem, the first one first.
    pub fn issues(&self) -> impl Iterator<Item = &ValidationIssue> {
        std::iter::once(&self.first).chain(&self.more)
    }

    /// The same problems about fields inside `parent` (`secretId` → `credentials.secretId`);
    /// a message that starts with its field's name names the new one.
    pub fn within(self, parent: &str) -> Self {
        let nest = |issue: ValidationIssue| {
            let field = if issue.field.is_empty() {
                parent.to_owned()
            } else {
                format!("{parent}.{}", issue.field)
            };
            let message = match issue.message.strip_prefix(issue.field.as_str()) {
                Some(rest) if !issue.field.is_empty() => format!("{field}{rest}"),
                _ => format!("{parent}: {}", issue.message),
            };
            ValidationIssue {
                field,
                code: issue.code,
                message,
            }
        };
        Self {
            first: nest(self.first),
            more: self.more.into_iter().map(nest).collect(),
        }
    }

    /// Adds the problems of `other` after these.
    pub fn extend(&mut self, other: ValidationError) {
        self.more.push(other.first);
        self.more.extend(other.more);
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.first.message)
    }
}

/// To JavaScript: `{ kind: "ValidationError", field, code, message, issues }`, which the package
/// rethrows as its `ValidationError` class.
impl Serialize for ValidationError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ValidationError", 5)?;
        s.serialize_field("kind", "ValidationError")?;
        s.serialize_field("field", &self.first.field)?;
        s.serialize_field("code", &self.first.code)?;
        s.serialize_field("message", &self.first.message)?;
        s.serialize_field("issues", &self.issues().collect::<Vec<_>>())?;
        s.end()
    }
}

/// Collects the problems of several checks, so one call reports all of them.
#[derive(Debug, Default)]
pub struct Problems(Option<ValidationError>);

impl Problems {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of a passed check; a failed one is recorded and gives `None`.
    pub fn check<T>(&mut self, result: Result<T, ValidationError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(e);
                None
            }
        }
    }

    /// Records a problem.
    pub fn add(&mut self, e: ValidationError) {
        match &mut self.0 {
            Some(all) => all.extend(e),
            None => self.0 = Some(e),
        }
    }

    /// True when nothing failed.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// `Ok(value)` when nothing failed (and `value` is there), else every problem.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, ValidationError> {
        match (self.0, value) {
            (None, Some(v)) => Ok(v),
            (Some(e), _) => Err(e),
            // A check gave no value without recording why: a bug, reported rather than hidden.
            (None, None) => Err(ValidationError::new(
                "",
                ValidationCode::InvalidParameter,
                "the input could not be validated",
            )),
        }
    }
}

impl std::error::Error for ValidationError {}

/// Quotes user input for an error message, cut to a readable length.
pub(crate) fn quote(value: &str) -> String {
    quote_chars(value, 48)
}

/// The first line of `value`, quoted as [`quote`] does, at most `max` characters.
pub(crate) fn quote_line(value: &str, max: usize) -> String {
    let line = value.split(['\n', '\r']).next().unwrap_or_default();
    let mut out = quote_chars(line, max);
    if line.len() < value.trim_end().len() && !out.ends_with("…\"") {
        out.pop();
        out.push_str("…\"");
    }
    out
}

fn quote_chars(value: &str, max: usize) -> String {
    let mut out = String::from("\"");
    let mut chars = value.chars();
    for c in chars.by_ref().take(max) {
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

    #[test]
    fn quote_line_keeps_a_whole_first_line_and_marks_what_follows() {
        let line = format!("403: {} --allowed-host NAME", "y".repeat(200));
        assert_eq!(quote_line(&format!("{line}\n"), 400), format!("\"{line}\""));
        assert_eq!(
            quote_line(&format!("{line}\nmore"), 400),
            format!("\"{line}…\"")
        );
        assert_eq!(quote_line(&"z".repeat(500), 400).chars().count(), 400 + 3);
    }
}
