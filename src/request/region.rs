//! Region ids: validated by shape, so a region Tencent opens tomorrow works today.

use crate::input::error::{ValidationCode, ValidationError};

/// CVM regions known to this version (reference §3). Others of the right shape are accepted.
pub const KNOWN_REGIONS: &[&str] = &[
    "ap-bangkok",
    "ap-beijing",
    "ap-chengdu",
    "ap-chongqing",
    "ap-guangzhou",
    "ap-hongkong",
    "ap-jakarta",
    "ap-mumbai",
    "ap-nanjing",
    "ap-seoul",
    "ap-shanghai",
    "ap-shanghai-fsi",
    "ap-shenzhen-fsi",
    "ap-singapore",
    "ap-tokyo",
    "eu-frankfurt",
    "eu-moscow",
    "na-ashburn",
    "na-siliconvalley",
    "na-toronto",
    "sa-saopaulo",
];

/// True for a region in [`KNOWN_REGIONS`].
pub fn is_known(region: &str) -> bool {
    KNOWN_REGIONS.contains(&region)
}

/// Checks a region id's shape: an area code of 2–4 lower-case letters, then one or more
/// `-`-separated lower-case alphanumeric parts (`ap-guangzhou`, `na-siliconvalley`,
/// `ap-shanghai-fsi`); at most 32 characters.
pub fn validate(region: &str, field: &str) -> Result<(), ValidationError> {
    if region.is_empty() {
        return Err(ValidationError::missing(field));
    }
    let mut parts = region.split('-');
    let area_ok = parts
        .next()
        .is_some_and(|a| (2..=4).contains(&a.len()) && a.bytes().all(|b| b.is_ascii_lowercase()));
    let mut rest = 0;
    let rest_ok = parts.all(|p| {
        rest += 1;
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if region.len() > 32 || !area_ok || !rest_ok || rest == 0 {
        return Err(ValidationError::new(
            field,
            ValidationCode::InvalidParameterValue,
            // The value is not echoed: it sits among options beside the secret key.
            format!(
                "{field} must be a region id such as \"ap-guangzhou\" or \"na-siliconvalley\" (lower-case letters and digits in dash-separated parts, at most 32 characters)"
            ),
        ));
    }
    // A well-formed id close to a known one is a typo (`ap-guangzou`), which the API would answer
    // with UnsupportedRegion after signing and sending; an id that merely extends a known one
    // (`ap-guangzhou-open`) or is far from every known one is a region newer than this list.
    if !is_known(region) && !KNOWN_REGIONS.iter().any(|k| region.starts_with(k)) {
        if let Some(known) = suggest(region) {
            return Err(ValidationError::new(
                field,
                ValidationCode::InvalidParameterValue,
                format!("{field} is not a known region id; did you mean \"{known}\"?"),
            ));
        }
    }
    Ok(())
}

/// The known region within two edits of a well-formed `region`, if there is one.
pub fn suggest(region: &str) -> Option<&'static str> {
    let chars: Vec<char> = region.chars().take(40).collect();
    KNOWN_REGIONS
        .iter()
        .map(|k| {
            (
                crate::input::edit_distance(&chars, &k.chars().collect::<Vec<_>>()),
                *k,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_future_regions_pass() {
        for r in KNOWN_REGIONS {
            validate(r, "region").unwrap();
        }
        validate("ap-guangzhou-open", "region").unwrap();
        validate("me-riyadh2", "region").unwrap();
        assert!(!is_known("me-riyadh2"));
    }

    #[test]
    fn a_near_miss_of_a_known_region_gets_a_did_you_mean() {
        for (typo, known) in [
            ("ap-guangzou", "ap-guangzhou"),
            ("ap-singapor", "ap-singapore"),
            ("na-siliconvaley", "na-siliconvalley"),
            ("ap-tokio", "ap-tokyo"),
        ] {
            let err = validate(typo, "region").unwrap_err();
            assert_eq!(err.field(), "region");
            assert_eq!(err.code(), ValidationCode::InvalidParameterValue);
            assert!(
                err.message()
                    .contains(&format!("did you mean \"{known}\"?")),
                "{}",
                err.message()
            );
            assert!(
                !err.message().contains(&format!("\"{typo}\"")),
                "the value is not echoed"
            );
        }
        // New regions, far from every known one or extending one, still pass.
        for fresh in [
            "me-riyadh2",
            "ap-guangzhou-open",
            "eu-paris",
            "ap-shanghai-fsi2",
        ] {
            validate(fresh, "region").unwrap();
        }
    }

    #[test]
    fn malformed_regions_fail_naming_the_field() {
        for bad in [
            "",
            "guangzhou",
            "AP-guangzhou",
            "ap_guangzhou",
            "ap-",
            "-ap",
            "ap--x",
            "ap-guang zhou",
            "a-b",
            "abcde-x",
            "ap-guangzhou\n",
            "ap-广州",
        ] {
            let err = validate(bad, "region").unwrap_err();
            assert_eq!(err.field(), "region", "{bad:?}");
        }
        assert_eq!(
            validate("", "region").unwrap_err().code(),
            ValidationCode::MissingParameter
        );
        let long = format!("ap-{}", "x".repeat(40));
        assert_eq!(
            validate(&long, "region").unwrap_err().code(),
            ValidationCode::InvalidParameterValue
        );
    }
}
