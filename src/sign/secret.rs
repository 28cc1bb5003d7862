//! The secret key: redacted in `Debug`, wiped from memory when dropped.

use std::fmt;
use zeroize::Zeroizing;

/// A SecretKey of a Tencent Cloud API key pair.
///
/// It is only ever read by the signer ([`crate::sign`]); `Debug` prints `SecretKey(***)` and the
/// bytes are overwritten with zeros on drop.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<String>);

impl SecretKey {
    /// Wraps a secret key (the string is moved, not copied).
    pub fn new(key: String) -> Self {
        Self(Zeroizing::new(key))
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let key = SecretKey::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".to_owned());
        let shown = format!("{key:?} {key:#?}");
        assert!(!shown.contains("Gu5t"), "{shown}");
        assert_eq!(format!("{key:?}"), "SecretKey(***)");
    }
}
