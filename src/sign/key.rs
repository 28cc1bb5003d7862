//! The signing key: TC3's derivation chain (`SecretDate` → `SecretService` → `SecretSigning`),
//! HMAC-SHA256 and SHA-256 kept out of line, and the cache of derived keys found by a fingerprint
//! of the secret (never the secret in clear), with the stack wiped after hashing key material.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use super::{push_hex, UtcDate};
use crate::sign::secret::SecretKey;

/// `SecretSigning`, ready to MAC: the keyed `Hmac<Sha256>` holds the SHA-256 states after
/// absorbing `key ⊕ ipad` and `key ⊕ opad` (RFC 2104) and is cloned per signature, so a signature
/// costs no key-dependent compression at all. Its states are wiped on drop (`zeroize` feature).
#[derive(Clone)]
pub(super) struct SigningKey(Hmac<Sha256>);

impl SigningKey {
    pub(super) fn derive(secret: &SecretKey, date: UtcDate, service: &str) -> Self {
        let stages = Zeroizing::new(signing_key_stages(secret, date, service));
        // As after the fingerprint: the chain's first HMAC hashed the key (⊕ ipad/opad).
        wipe_stack();
        Self(keyed(&stages[2]))
    }

    /// Consumes the key: a cached key is cloned once per signature, here.
    pub(super) fn sign(self, message: &[u8]) -> [u8; 32] {
        mac(self.0, message)
    }
}

// The hashing goes through these three functions, kept out of line: inlined, LLVM copies
// SHA-256's update and finalisation into every caller, for about 6 KB more .wasm and no speed.

/// SHA-256 of `data`.
#[inline(never)]
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Finishes a keyed HMAC over `message`.
#[inline(never)]
pub(super) fn mac(mut mac: Hmac<Sha256>, message: &[u8]) -> [u8; 32] {
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// What finds a key's cache entry: SHA-256 of the key, so the key itself is never kept.
pub(super) fn fingerprint(secret: &SecretKey) -> [u8; 32] {
    // bench/levers.mjs's `no-fingerprint` (never shipped: it keeps the key in clear in the cache)
    // measures what the hashing and wiping cost.
    if cfg!(lever_no_fingerprint) {
        let mut clear = [0u8; 32];
        for (c, k) in clear.iter_mut().zip(secret.expose().bytes()) {
            *c = k;
        }
        return clear;
    }
    let fingerprint = sha256(secret.expose().as_bytes());
    // The hashing left words of the secret in its frames (the shadow stack is wasm memory, where
    // a scan after a cache hit found them): overwritten before anything else runs.
    wipe_stack();
    fingerprint
}

/// Overwrites the stack below the caller's frame, where a callee that hashed secret material
/// just ran: SHA-256's compression keeps words of its block in locals that nothing wipes (the
/// frames of a cache hit's fingerprint were the one place a scan of wasm memory found bytes of
/// the secret after a call). Volatile writes (`zeroize`), so they are not optimised away.
#[inline(never)]
pub(super) fn wipe_stack() {
    let mut area = [0u64; STACK_WIPE_WORDS];
    area.zeroize();
}

/// Words of stack [`wipe_stack`] overwrites: 1 KB (the words a scan found lay within 256 bytes).
pub(super) const STACK_WIPE_WORDS: usize = 128;

/// HMAC-SHA256 keyed with `key`: the key padded with zeros to one 64-byte block, or hashed first
/// when longer (RFC 2104 §2), so that `Hmac::new` takes it whole and cannot fail.
#[inline(never)]
pub(super) fn keyed(key: &[u8]) -> Hmac<Sha256> {
    let mut block = Zeroizing::new([0u8; 64]);
    if key.len() > block.len() {
        let digest = Zeroizing::new(sha256(key));
        for (b, k) in block.iter_mut().zip(digest.iter()) {
            *b = *k;
        }
    } else {
        for (b, k) in block.iter_mut().zip(key) {
            *b = *k;
        }
    }
    let block: &[u8; 64] = &block;
    Hmac::new(block.into())
}

/// The three derived keys of the chain (`SecretDate`, `SecretService`, `SecretSigning`), for
/// conformance tests against Tencent's published intermediate values.
pub fn signing_key_stages(secret: &SecretKey, date: UtcDate, service: &str) -> [[u8; 32]; 3] {
    let mut tc3_key = Zeroizing::new(String::from("TC3"));
    tc3_key.push_str(secret.expose());
    let mut date_text = String::with_capacity(10);
    date.write_to(&mut date_text);
    let secret_date = hmac(tc3_key.as_bytes(), date_text.as_bytes());
    let secret_service = hmac(&secret_date, service.as_bytes());
    let secret_signing = hmac(&secret_service, b"tc3_request");
    [secret_date, secret_service, secret_signing]
}

/// Lower-case hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

/// HMAC-SHA256(key, message).
pub fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    mac(keyed(key), message)
}

/// A small cache of derived signing keys: the derivation (14 SHA-256 compressions, against 8 for
/// the rest of a DeleteImages signature) changes only per UTC day, service and key pair.
///
/// Entries are found by a SHA-256 fingerprint of the secret key, never by the key in clear, so a
/// rotated key (same SecretId, new SecretKey) can never be signed with the old key's material.
/// The fingerprint is one of a hit's 8 compressions (about 0.2 µs in wasm); anything cheaper
/// would need collision resistance from a keyed function whose key an attacker cannot know, and
/// wasm32-unknown-unknown has no randomness to draw one from without calling into JavaScript.
#[derive(Default)]
pub struct SigningKeyCache {
    pub(super) entries: Vec<CacheEntry>,
}

pub(super) struct CacheEntry {
    pub(super) fingerprint: [u8; 32],
    pub(super) date: UtcDate,
    pub(super) service: String,
    pub(super) key: SigningKey,
}

impl SigningKeyCache {
    /// Most entries kept; the least recently used one goes first.
    pub const CAPACITY: usize = 8;

    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of cached keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The key for this secret, day and service, moved to (or derived into) the front; the least
    /// recently used entry goes when the cache is full.
    pub(super) fn get_or_derive(
        &mut self,
        secret: &SecretKey,
        date: UtcDate,
        service: &str,
    ) -> SigningKey {
        let fingerprint = fingerprint(secret);
        let found = self
            .entries
            .iter()
            .position(|e| e.fingerprint == fingerprint && e.date == date && e.service == service);
        match found.and_then(|i| self.entries.get_mut(..=i)) {
            // A hit on the front entry (one key pair in use) moves nothing.
            Some(recent) => recent.rotate_right(1),
            None => {
                self.entries.truncate(Self::CAPACITY - 1);
                let key = SigningKey::derive(secret, date, service);
                let service = service.to_owned();
                self.entries.insert(
                    0,
                    CacheEntry {
                        fingerprint,
                        date,
                        service,
                        key,
                    },
                );
            }
        }
        match self.entries.first() {
            Some(entry) => entry.key.clone(),
            None => SigningKey::derive(secret, date, service), // not reached: just inserted
        }
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKeyCache({} entries)", self.entries.len())
    }
}
