//! Did-you-mean: unknown keys reported with the closest known name (parameters, options, CLI
//! flags), by a bounded, case-insensitive edit distance.

use crate::input::error::{quote, Problems, ValidationCode, ValidationError};
use crate::input::json::Object;

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
