//! `hash_blocks(n)`: SHA-256 of `n` 64-byte blocks (plus the padding block), with the
//! implementation the build's feature names; returns the first digest byte so nothing is elided.

const BLOCKS_PER_CHUNK: usize = 64;
static DATA: [u8; 64 * BLOCKS_PER_CHUNK] = [0x5a; 64 * BLOCKS_PER_CHUNK];

/// Hashes `n` blocks (a multiple of 64 is exact; others round down to whole chunks).
#[no_mangle]
pub extern "C" fn hash_blocks(n: u32) -> u32 {
    let chunks = n as usize / BLOCKS_PER_CHUNK;
    #[cfg(feature = "sha2")]
    let digest: [u8; 32] = {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for _ in 0..chunks {
            h.update(DATA);
        }
        h.finalize().into()
    };
    #[cfg(all(feature = "hmac-sha256", not(feature = "sha2")))]
    let digest: [u8; 32] = {
        let mut h = hmac_sha256::Hash::new();
        for _ in 0..chunks {
            h.update(DATA);
        }
        h.finalize()
    };
    #[cfg(not(any(feature = "sha2", feature = "hmac-sha256")))]
    let digest = [chunks as u8; 32];
    u32::from(digest[0])
}
