//! Region ids: validated by shape, so a region Tencent opens tomorrow works today.

use crate::error::{ValidationCode, ValidationError};

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
    Ok(())
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
