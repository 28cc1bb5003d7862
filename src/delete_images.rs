//! DeleteImages: its parameters, the rules they must follow, and their wire forms.
//!
//! Rules (API page "DeleteImages", reference §6): `ImageIds` is a non-empty array of distinct
//! `img-…` ids, at most [`MAX_IMAGE_IDS_PER_CALL`]; `DryRun` and `DeleteBindedSnap` are booleans
//! (the page's own example sends the strings `"True"`, so those are accepted and normalised); any
//! other key is an error, so a typo such as `DeleteBindedSnapshot` never silently does nothing.

use crate::json::{Object, Value};

use crate::error::{quote, Problems, ValidationCode, ValidationError};

/// The action name.
pub const ACTION: &str = "DeleteImages";

/// Most ids accepted in one call. Tencent does not publish the server's limit (reference §6);
/// this package and its emulator use 100, and the CLI's bulk mode splits larger lists.
pub const MAX_IMAGE_IDS_PER_CALL: usize = 100;

/// Longest image id accepted (real ids are 12–13 characters).
pub const MAX_IMAGE_ID_LEN: usize = 128;

const FIELDS: [&str; 3] = ["ImageIds", "DryRun", "DeleteBindedSnap"];
/// The fields a bulk deletion sends with every call.
const SHARED_FIELDS: [&str; 2] = ["DryRun", "DeleteBindedSnap"];

/// DeleteImages' parameters as callers may give them: the Booleans also as the strings the API
/// page's own example sends. (Describes the input; [`DeleteImagesParams::from_value`] checks it.)
#[derive(serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct DeleteImagesInput {
    /// Ids of the images to delete (`img-…`), 1 to 100 distinct ones.
    pub image_ids: Vec<String>,
    /// Only check whether the deletion is allowed (the call answers `DryRunOperation`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<Flag>,
    /// Also delete the snapshots bound to the images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete_binded_snap: Option<Flag>,
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
        let Value::Object(map) = params else {
            return Err(ValidationError::wrong_type(
                "params",
                "an object such as { ImageIds: [\"img-…\"] }",
                params.kind(),
            ));
        };
        let mut problems = Problems::new();
        reject_unknown_keys(map, &FIELDS, &mut problems);
        let image_ids = image_ids(map.get("ImageIds"), &mut problems);
        let dry_run = problems.check(flag(map, "DryRun"));
        let delete_binded_snap = problems.check(flag(map, "DeleteBindedSnap"));
        let params = match (image_ids, dry_run, delete_binded_snap) {
            (Some(image_ids), Some(dry_run), Some(delete_binded_snap)) => Some(Self {
                image_ids,
                dry_run,
                delete_binded_snap,
            }),
            _ => None,
        };
        problems.finish(params)
    }

    /// What a bulk deletion sends with every call: the parameters but `ImageIds` (which must be
    /// absent: the ids are the bulk run's), checked as [`Self::from_value`] checks them. The
    /// result's `image_ids` is empty.
    pub fn shared_from_value(params: &Value) -> Result<Self, ValidationError> {
        let Value::Object(map) = params else {
            return Err(ValidationError::wrong_type(
                "params",
                "an object such as { DryRun: true }",
                params.kind(),
            ));
        };
        let mut problems = Problems::new();
        reject_unknown_keys(map, &SHARED_FIELDS, &mut problems);
        let dry_run = problems.check(flag(map, "DryRun"));
        let delete_binded_snap = problems.check(flag(map, "DeleteBindedSnap"));
        let params = match (dry_run, delete_binded_snap) {
            (Some(dry_run), Some(delete_binded_snap)) => Some(Self {
                image_ids: Vec::new(),
                dry_run,
                delete_binded_snap,
            }),
            _ => None,
        };
        problems.finish(params)
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

fn image_ids(value: Option<&Value>, problems: &mut Problems) -> Option<Vec<String>> {
    let items = match value {
        None | Some(Value::Null) => {
            problems.add(ValidationError::missing("ImageIds"));
            return None;
        }
        Some(Value::Array(items)) => items,
        Some(other) => {
            problems.add(ValidationError::wrong_type(
                "ImageIds",
                "an array of image ids such as [\"img-mfih409y\"]",
                other.kind(),
            ));
            return None;
        }
    };
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
    // Each element is checked; a huge list reports its first problems, not thousands.
    const MAX_REPORTED: usize = 20;
    let mut reported = 0;
    for (i, item) in items.iter().enumerate() {
        let field = format!("ImageIds.{i}");
        let checked = match item {
            Value::String(id) => check_image_id(&field, id).and_then(|()| {
                match ids.iter().position(|seen| seen == id) {
                    Some(first) => Err(ValidationError::new(
                        field.clone(),
                        ValidationCode::InvalidParameterValue,
                        format!("{field} repeats ImageIds.{first} ({})", quote(id)),
                    )),
                    None => Ok(id.clone()),
                }
            }),
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

/// A Boolean parameter: `true`/`false`, or the strings `"True"`/`"False"`/`"true"`/`"false"`.
/// `null` counts as absent.
pub(crate) fn flag(map: &Object, name: &str) -> Result<Option<bool>, ValidationError> {
    read_flag_in(map, name, true)
}

/// The strings a Boolean parameter accepts: `"True"`/`"true"` and `"False"`/`"false"` (the CLI
/// reads its flag values with this rule too).
pub fn flag_text(text: &str) -> Option<bool> {
    match text {
        "True" | "true" => Some(true),
        "False" | "false" => Some(false),
        _ => None,
    }
}

fn read_flag_in(
    map: &Object,
    name: &str,
    quote_value: bool,
) -> Result<Option<bool>, ValidationError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => read_flag(value, name, quote_value).map(Some),
    }
}

/// A Boolean given as `true`/`false` or a string [`flag_text`] accepts; otherwise an error
/// naming `field` (quoting a wrong string only when `quote_value`).
pub(crate) fn read_flag(
    value: &Value,
    field: &str,
    quote_value: bool,
) -> Result<bool, ValidationError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if flag_text(s).is_some() => Ok(flag_text(s) == Some(true)),
        other => {
            let got = match other {
                Value::String(s) if quote_value => format!("the string {}", quote(s)),
                _ => other.kind().to_owned(),
            };
            Err(ValidationError::wrong_type(
                field,
                "true, false, \"True\" or \"False\"",
                &got,
            ))
        }
    }
}

/// Records every key outside `allowed`, suggesting the closest allowed name.
pub(crate) fn reject_unknown_keys(map: &Object, allowed: &[&str], problems: &mut Problems) {
    for key in map.keys() {
        if allowed.contains(&key) {
            continue;
        }
        let hint = closest(key, allowed)
            .map(|name| format!("; did you mean {name}?"))
            .unwrap_or_else(|| format!("; known: {}", allowed.join(", ")));
        let shown: String = if key.is_empty() {
            "\"\"".to_owned()
        } else {
            key.chars().take(64).collect()
        };
        problems.add(ValidationError::new(
            shown,
            ValidationCode::UnknownParameter,
            format!("unknown parameter {}{hint}", quote(key)),
        ));
    }
}

/// The name among `candidates` closest to `input`, for did-you-mean hints anywhere (parameters,
/// options, CLI flags).
pub fn suggest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    closest(input, candidates)
}

/// The allowed name closest to `key` (case-insensitive edit distance ≤ 3, or one name a prefix
/// of the other, as in `DeleteBindedSnapshot`), if any.
pub(crate) fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    // Only the first 64 characters of `key` count, and names longer than 256 bytes are never
    // suggested: both bound the work on hostile input.
    let key: Vec<char> = key
        .chars()
        .take(64)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    allowed
        .iter()
        .filter(|name| name.len() <= 256)
        .map(|name| {
            let name_chars: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
            let prefix =
                key.len() >= 3 && (key.starts_with(&name_chars) || name_chars.starts_with(&key));
            let d = edit_distance(&key, &name_chars);
            let d = if prefix { d.min(3) } else { d };
            // Rewriting a whole name is no likeness ("" is 3 edits from "yes").
            (if d < name_chars.len() { d } else { usize::MAX }, *name)
        })
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

pub(crate) fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        crate::json::parse(text).unwrap()
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
    fn closest_suggests_any_list_of_names() {
        // The CLI's flags, without their dashes (pkg/bin/tccvm.cjs asks through `suggestName`).
        let flags = [
            "ImageIds",
            "image-ids",
            "DryRun",
            "dry-run",
            "DeleteBindedSnap",
            "yes",
        ];
        assert_eq!(
            closest("DeleteBindedSnapshot", &flags),
            Some("DeleteBindedSnap")
        );
        assert_eq!(closest("dryrun", &flags), Some("DryRun"));
        assert_eq!(closest("imageid", &flags), Some("ImageIds"));
        assert_eq!(closest("frobnicate", &flags), None);
        assert_eq!(closest("", &flags), None);
        assert_eq!(closest("no", &flags), None);
        assert_eq!(closest("ye", &flags), Some("yes"));
        assert_eq!(closest("DryRun", &[]), None);
        // Hostile sizes stay cheap: the key is cut to 64 characters, long names are skipped.
        let long = "x".repeat(1 << 20);
        assert_eq!(closest(&long, &flags), None);
        assert_eq!(closest("xxx", &[long.as_str()]), None);
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
