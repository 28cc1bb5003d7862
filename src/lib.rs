//! Tencent Cloud CVM `DeleteImages` from JavaScript anywhere.
//!
//! The core of the `tencentcloud-cvm-wasm` npm package, free of wasm types so that `cargo test`
//! checks it natively:
//!
//! - [`input`]: every input JavaScript gives, each declared once (`input!`): its fields,
//!   its `.d.ts`, its key list (did-you-mean) and its reader;
//! - [`sign`]: TC3-HMAC-SHA256, one type per stage of the algorithm, with a signing-key cache;
//! - [`sign_v1`]: the legacy v1 signatures (HmacSHA1, HmacSHA256);
//! - [`request`]: options, endpoints and headers; the POST JSON and GET query forms ([`query`]);
//! - [`delete_images`]: DeleteImages' parameters and validation rules;
//! - [`response`] and [`catalogue`]: envelope decoding, error codes, retry advice;
//! - [`shapes`]: the declared shapes of successful answers, which the decoder checks;
//! - [`policy`]: backoff and pacing arithmetic for the JavaScript client.
//!
//! The `#[wasm_bindgen]` facade (`bindings`, wasm32 only) converts JavaScript values and errors
//! and does nothing else.

// The wasm build (scripts/build.mjs, which already builds std under RUSTC_BOOTSTRAP) sets
// `cvm_size`: cold functions are then compiled for size (`#[optimize(size)]`), hot ones as the
// profile says.
#![cfg_attr(cvm_size, feature(optimize_attribute))]

pub mod boundary;
pub mod call;
pub mod catalogue;
pub mod client_options;
pub mod credentials;
pub mod delete_images;
pub mod endpoint;
pub mod error;
pub mod fast_input;
pub mod input;
pub mod json;
pub mod policy;
pub mod query;
pub mod region;
pub mod request;
pub mod response;
pub mod secret;
pub mod shapes;
pub mod sign;
pub mod sign_input;
pub mod sign_v1;

#[cfg(target_arch = "wasm32")]
pub mod bindings;

mod allocator;

/// This package's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
