//! DeleteImages: its parameters, the rules they must follow, and their wire forms.
//!
//! Rules (API page "DeleteImages", reference §6): `ImageIds` is a non-empty array of distinct
//! `img-…` ids, at most [`MAX_IMAGE_IDS_PER_CALL`]; `DryRun` and `DeleteBindedSnap` are booleans
//! (the page's own example sends the strings `"True"`, so those are accepted and normalised); any
//! other key is an error, so a typo such as `DeleteBindedSnapshot` never silently does nothing.

use crate::input::json::{Object, Value};

use crate::input::error::{quote, Problems, ValidationCode, ValidationError};
use crate::input::{self, input, read_flag, required, Got, ReadValue};
pub use crate::input::{flag_text, suggest};

/// The action name.
pub const ACTION: &str = "DeleteImages";

/// Most ids accepted in one call. Tencent does not publish the server's limit (reference §6);
/// this package and its emulator use 100, and the CLI's bulk mode splits larger lists.
pub const MAX_IMAGE_IDS_PER_CALL: usize = 100;

/// Longest image id accepted (real ids are 12–13 characters).
pub const MAX_IMAGE_ID_LEN: usize = 128;

input! {
    /// What a bulk deletion sends with every call: DeleteImages' parameters but `ImageIds`.
    pub struct DeleteImagesShared / DeleteImagesSharedRead {
        /// Only check whether the deletion is allowed (the call answers `DryRunOperation`).
        DryRun?: Flag,
        /// Also delete the snapshots bound to the images.
        DeleteBindedSnap?: Flag,
    }
}

input! {
    /// DeleteImages' parameters as callers may give them: the Booleans also as the strings the API
    /// page's own example sends. (Describes the input; [`DeleteImagesParams::from_value`] checks it.)
    pub struct DeleteImagesInput / DeleteImagesRead {
        /// Ids of the images to delete (`img-…`), 1 to 100 distinct ones.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string[]"))]
        ImageIds: ImageIdList,
        /// `DryRun` and `DeleteBindedSnap`.
        ..shared: DeleteImagesShared,
    }
}

/// `ImageIds` as given: an array (each element is checked by the rules).
pub struct ImageIdList(pub Vec<Value>);

impl ReadValue for ImageIdList {
    fn read_value(value: Value, field: &str) -> Result<Self, ValidationError> {
        match value {
            Value::Array(items) => Ok(Self(items)),
            other => Err(ValidationError::wrong_type(
                field,
                "an array of image ids such as [\"img-mfih409y\"]",
                other.kind(),
            )),
        }
    }
}

/// A Boolean parameter: `true`/`false`, or the strings `"True"`/`"False"`/`"true"`/`"false"`.
#[derive(serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum Flag {
    /// A Boolean.
    Bool(bool),
    /// The API page's spelling.
    Text(FlagText),
}

/// A Boolean parameter as read (a wrong string is quoted: parameters are not secret).
impl ReadValue for Flag {
    fn read_value(value: Value, field: &str) -> Result<Self, ValidationError> {
        read_flag(&value, field, true).map(Flag::Bool)
    }
}

impl Flag {
    /// Its meaning.
    pub fn value(&self) -> bool {
        match self {
            Self::Bool(b) => *b,
            Self::Text(FlagText::True | FlagText::LowerTrue) => true,
            Self::Text(FlagText::False | FlagText::LowerFalse) => false,
        }
    }
}

/// The strings accepted for a Boolean parameter.
#[derive(serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum FlagText {
    /// `"True"`.
    True,
    /// `"False"`.
    False,
    /// `"true"`.
    #[serde(rename = "true")]
    LowerTrue,
    /// `"false"`.
    #[serde(rename = "false")]
    LowerFalse,
}

/// Validated, normalised DeleteImages parameters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct DeleteImagesParams {
    /// Ids of the images to delete.
    pub image_ids: Vec<String>,
    /// Only check whether the deletion is allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
    /// Also delete the snapshots bound to the images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete_binded_snap: Option<bool>,
}

impl DeleteImagesParams {
    /// Validates parameters given as a JSON-like value (the shape JavaScript callers pass),
    /// reporting every problem at once.
    pub fn from_value(params: &Value) -> Result<Self, ValidationError> {
        Self::read(params.clone())
    }

    /// [`Self::from_value`], reading (moving) the value.
    pub fn read(params: Value) -> Result<Self, ValidationError> {
        let mut map = input::object(
            params,
            "params",
            "an object such as { ImageIds: [\"img-…\"] }",
        )?;
        let mut problems = Problems::new();
        let f = input::read::<DeleteImagesInput>(&mut map, &mut problems);
        let image_ids = image_ids(f.ImageIds, &mut problems);
        let shared = Self::shared_rules(f.shared, &mut problems);
        let params = match (image_ids, shared) {
            (Some(image_ids), Some(shared)) => Some(Self {
                image_ids,
                ..shared
            }),
            _ => None,
        };
        problems.finish(params)
    }

    /// What a bulk deletion sends with every call: the parameters but `ImageIds` (which must be
    /// absent: the ids are the bulk run's), checked as [`Self::from_value`] checks them. The
    /// result's `image_ids` is empty.
    pub fn shared_from_value(params: Value) -> Result<Self, ValidationError> {
        let mut map = input::object(params, "params", "an object such as { DryRun: true }")?;
        let mut problems = Problems::new();
        let f = input::read::<DeleteImagesShared>(&mut map, &mut problems);
        let params = Self::shared_rules(f, &mut problems);
        problems.finish(params)
    }

    /// The rules of `DryRun` and `DeleteBindedSnap` (`image_ids` left empty).
    fn shared_rules(f: DeleteImagesSharedRead, problems: &mut Problems) -> Option<Self> {
        let dry_run = problems.check(f.DryRun);
        let delete_binded_snap = problems.check(f.DeleteBindedSnap);
        Some(Self {
            image_ids: Vec::new(),
            dry_run: dry_run?.map(|f| f.value()),
            delete_binded_snap: delete_binded_snap?.map(|f| f.value()),
        })
    }

    /// The normalised parameters as JSON, keys in Tencent's spelling.
    pub fn to_value(&self) -> Value {
        let mut map = Object::new();
        map.insert(
            "ImageIds".into(),
            Value::Array(self.image_ids.iter().cloned().map(Value::String).collect()),
        );
        if let Some(b) = self.dry_run {
            map.insert("DryRun".into(), Value::Bool(b));
        }
        if let Some(b) = self.delete_binded_snap {
            map.insert("DeleteBindedSnap".into(), Value::Bool(b));
        }
        Value::Object(map)
    }
}

fn image_ids(got: Got<ImageIdList>, problems: &mut Problems) -> Option<Vec<String>> {
    let items = problems.check(required(got, "ImageIds"))?.0;
    if items.is_empty() {
        problems.add(ValidationError::new(
            "ImageIds",
            ValidationCode::MissingParameter,
            "ImageIds must contain at least one image id",
        ));
        return None;
    }
    let mut ok = true;
    if items.len() > MAX_IMAGE_IDS_PER_CALL {
        problems.add(ValidationError::new(
            "ImageIds",
            ValidationCode::LimitExceeded,
            format!(
                "ImageIds has {} ids; one call accepts at most {MAX_IMAGE_IDS_PER_CALL} (split the list into several calls)",
                items.len()
            ),
        ));
        ok = false;
    }
    let mut ids: Vec<String> = Vec::with_capacity(items.len());
    let repeats = repeats(&items);
    // Each element is checked; a huge list reports its first problems, not thousands.
    const MAX_REPORTED: usize = 20;
    let mut reported = 0;
    for (i, item) in items.iter().enumerate() {
        let field = format!("ImageIds.{i}");
        let checked = match item {
            Value::String(id) => {
                check_image_id(&field, id).and_then(|()| match repeats.get(i).copied().flatten() {
                    Some(first) => Err(ValidationError::new(
                        field.clone(),
                        ValidationCode::InvalidParameterValue,
                        format!("{field} repeats ImageIds.{first} ({})", quote(id)),
                    )),
                    None => Ok(id.clone()),
                })
            }
            other => Err(ValidationError::wrong_type(
                &field,
                "an image id string",
                other.kind(),
            )),
        };
        match checked {
            Ok(id) => ids.push(id),
            Err(e) => {
                ok = false;
                if reported < MAX_REPORTED {
                    problems.add(e);
                }
                reported += 1;
            }
        }
    }
    ok.then_some(ids)
}

/// For each element, the index of the first element with the same string when it repeats one
/// (`None` for a first occurrence or a value that is not a string). One pass over an
/// open-addressing table keyed by SHA-256 of each string (which no input can be made to collide
/// in): comparing each id with every earlier one was O(n²), and a console handler's 1 MB body of
/// ids held its server for seconds.
fn repeats(items: &[Value]) -> Vec<Option<usize>> {
    const EMPTY: usize = usize::MAX;
    let mut repeats = vec![None; items.len()];
    let mask = (items.len() * 2).next_power_of_two().max(2) - 1;
    let mut slots = vec![EMPTY; mask + 1];
    for (i, item) in items.iter().enumerate() {
        let Some(id) = item.as_str() else { continue };
        let digest = crate::sign::sha256(id.as_bytes());
        let mut at = digest
            .iter()
            .take(8)
            .fold(0usize, |h, b| (h << 8) | usize::from(*b))
            & mask;
        // The table is at most half full: an empty slot is always reached.
        while let Some(slot) = slots.get_mut(at) {
            if *slot == EMPTY {
                *slot = i;
                break;
            }
            let first = *slot;
            if items.get(first).and_then(Value::as_str) == Some(id) {
                if let Some(r) = repeats.get_mut(i) {
                    *r = Some(first);
                }
                break;
            }
            at = (at + 1) & mask;
        }
    }
    repeats
}

/// An image id: `img-` and at least one more character, no whitespace or control characters.
/// The server's exact rule is not published (reference §6), so anything else of that form is
/// left for the server to judge.
pub fn check_image_id(field: &str, id: &str) -> Result<(), ValidationError> {
    let malformed = |why: &str| {
        ValidationError::new(
            field,
            ValidationCode::InvalidImageIdMalformed,
            format!(
                "{field} must be an image id such as \"img-mfih409y\" ({why}), got {}",
                quote(id)
            ),
        )
    };
    let Some(rest) = id.strip_prefix("img-") else {
        return Err(malformed("it starts with \"img-\""));
    };
    if rest.is_empty() {
        return Err(malformed("\"img-\" and more"));
    }
    if id.len() > MAX_IMAGE_ID_LEN {
        return Err(malformed("at most 128 bytes"));
    }
    if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(malformed("no spaces or control characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeat_names_the_element_it_repeats_even_after_a_rejected_one() {
        // Before: the index among the ids accepted so far ("repeats ImageIds.0", which was "bad").
        let e = DeleteImagesParams::from_value(&json(
            r#"{"ImageIds": ["bad", "img-aaaa", 7, "img-aaaa", "img-bbbb", "img-aaaa"]}"#,
        ))
        .unwrap_err();
        let messages: Vec<&str> = e.issues().map(|i| i.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("ImageIds.3 repeats ImageIds.1 ")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("ImageIds.5 repeats ImageIds.1 ")),
            "{messages:?}"
        );
        assert_eq!(
            repeats(&[
                json(r#""a""#),
                json("1"),
                json(r#""a""#),
                json(r#""b""#),
                json(r#""a""#)
            ]),
            [None, None, Some(0), None, Some(0)]
        );
    }

    fn json(text: &str) -> Value {
        crate::input::json::parse(text).unwrap()
    }

    fn ids_value(ids: Vec<String>) -> Value {
        let mut map = Object::new();
        map.insert(
            "ImageIds".into(),
            Value::Array(ids.into_iter().map(Value::String).collect()),
        );
        Value::Object(map)
    }

    fn err(params: Value) -> ValidationError {
        DeleteImagesParams::from_value(&params).unwrap_err()
    }

    #[test]
    fn normalises_the_pages_string_booleans() {
        let p = DeleteImagesParams::from_value(&json(
            r#"{"ImageIds": ["img-mfih409y"], "DryRun": "True", "DeleteBindedSnap": "false"}"#,
        ))
        .unwrap();
        assert_eq!(p.dry_run, Some(true));
        assert_eq!(p.delete_binded_snap, Some(false));
        assert_eq!(
            p.to_value(),
            json(r#"{"ImageIds": ["img-mfih409y"], "DryRun": true, "DeleteBindedSnap": false}"#)
        );
    }

    #[test]
    fn each_rule_names_its_field_and_code() {
        use ValidationCode::*;
        let cases = [
            (json(r#"[]"#), "params", InvalidParameter),
            (json(r#""img-1""#), "params", InvalidParameter),
            (json(r#"{}"#), "ImageIds", MissingParameter),
            (json(r#"{"ImageIds": null}"#), "ImageIds", MissingParameter),
            (json(r#"{"ImageIds": []}"#), "ImageIds", MissingParameter),
            (
                json(r#"{"ImageIds": "img-abc"}"#),
                "ImageIds",
                InvalidParameter,
            ),
            (
                json(r#"{"ImageIds": ["img-a", 7]}"#),
                "ImageIds.1",
                InvalidParameter,
            ),
            (
                json(r#"{"ImageIds": ["ins-abc"]}"#),
                "ImageIds.0",
                InvalidImageIdMalformed,
            ),
            (
                json(r#"{"ImageIds": ["img-"]}"#),
                "ImageIds.0",
                InvalidImageIdMalformed,
            ),
            (
                json(r#"{"ImageIds": ["img-a b"]}"#),
                "ImageIds.0",
                InvalidImageIdMalformed,
            ),
            (
                json(r#"{"ImageIds": ["IMG-abc"]}"#),
                "ImageIds.0",
                InvalidImageIdMalformed,
            ),
            (
                json(r#"{"ImageIds": ["img-a", "img-b", "img-a"]}"#),
                "ImageIds.2",
                InvalidParameterValue,
            ),
            (
                json(r#"{"ImageIds": ["img-a"], "DryRun": 1}"#),
                "DryRun",
                InvalidParameter,
            ),
            (
                json(r#"{"ImageIds": ["img-a"], "DryRun": "yes"}"#),
                "DryRun",
                InvalidParameter,
            ),
            (
                json(r#"{"ImageIds": ["img-a"], "DeleteBindedSnap": []}"#),
                "DeleteBindedSnap",
                InvalidParameter,
            ),
            (
                json(r#"{"ImageIds": ["img-a"], "DeleteBindedSnapshot": true}"#),
                "DeleteBindedSnapshot",
                UnknownParameter,
            ),
            (
                json(r#"{"imageIds": ["img-a"]}"#),
                "imageIds",
                UnknownParameter,
            ),
        ];
        for (params, field, code) in cases {
            let e = err(params.clone());
            assert_eq!((e.field(), e.code()), (field, code), "{params:?} → {e}");
        }
    }

    #[test]
    fn an_empty_key_is_named_and_not_matched() {
        let e = err(json(r#"{"ImageIds": ["img-a"], "": 1}"#));
        assert_eq!(
            (e.field(), e.code()),
            ("\"\"", ValidationCode::UnknownParameter)
        );
        assert!(!e.message().contains("did you mean"), "{e}");
    }

    #[test]
    fn unknown_keys_suggest_the_right_name() {
        let e = err(json(
            r#"{"ImageIds": ["img-a"], "DeleteBindedSnapshot": true}"#,
        ));
        assert!(
            e.message().contains("did you mean DeleteBindedSnap?"),
            "{e}"
        );
        let e = err(json(r#"{"imageIds": ["img-a"]}"#));
        assert!(e.message().contains("did you mean ImageIds?"), "{e}");
        let e = err(json(r#"{"ImageIds": ["img-a"], "Zzzzzzzzzz": 1}"#));
        assert!(
            e.message()
                .contains("known: ImageIds, DryRun, DeleteBindedSnap"),
            "{e}"
        );
    }

    #[test]
    fn the_limit_is_checked_before_each_id() {
        let ids: Vec<String> = (0..=MAX_IMAGE_IDS_PER_CALL)
            .map(|i| format!("img-{i:08}"))
            .collect();
        let e = err(ids_value(ids));
        assert_eq!(e.code(), ValidationCode::LimitExceeded);
        let ok: Vec<String> = (0..MAX_IMAGE_IDS_PER_CALL)
            .map(|i| format!("img-{i:08}"))
            .collect();
        assert!(DeleteImagesParams::from_value(&ids_value(ok)).is_ok());
    }

    #[test]
    fn unicode_ids_of_the_right_form_are_left_to_the_server() {
        let p = DeleteImagesParams::from_value(&json(r#"{"ImageIds": ["img-ünïcødé&=?/中"]}"#))
            .unwrap();
        assert_eq!(p.image_ids, ["img-ünïcødé&=?/中"]);
    }

    #[test]
    fn messages_quote_input_but_cut_it_short() {
        let long = format!("ins-{}", "x".repeat(100_000));
        let e = err(ids_value(vec![long]));
        assert!(e.message().len() < 200, "{}", e.message().len());
    }
}
