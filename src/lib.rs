//! Tencent Cloud CVM `DeleteImages` from JavaScript anywhere: the core of the
//! `tencentcloud-cvm-wasm` npm package, free of wasm types so that `cargo test` checks it
//! natively. This file is the map; ARCHITECTURE.md at the repository's root is the tour.
//!
//! One way through: an argument crosses from JavaScript as one string in the [`boundary`]
//! format and is read once into [`input::json`]'s values; each input's one declaration
//! ([`input`]) reads its fields, rejects unknown keys with a did-you-mean and collects every
//! problem ([`input::error`]); the rules turn the fields into validated types — [`actions`] for
//! an action's parameters, [`request`] for the connection — from which [`request`] builds the
//! body or query and [`sign`] signs exactly what is sent. An answer is decoded by [`response`]
//! (envelope, the catalogue of codes, the declared shapes). The JavaScript client's call is
//! prepared once and signed per attempt, and what follows a failed attempt is decided by
//! [`client`]; JavaScript carries decisions out.
//!
//! | room | job | must not know |
//! |---|---|---|
//! | [`input`] | the value model, the one reader of every input, problems, did-you-mean | any action, any option's meaning |
//! | [`boundary`] | the text format arguments and answers cross the wasm boundary in; `signTc3`'s fixed layout | what the values mean |
//! | [`sign`] | TC3 (stages, key cache), v1, the secret key | endpoints, actions, JSON bodies |
//! | [`request`] | connection options, endpoint, region, body, query, size limits, building | what an answer means |
//! | [`actions`] | each action's parameters and rules | how requests are signed or sent |
//! | [`response`] | decoding answers, the error catalogue, declared answer shapes | the request that was sent |
//! | [`client`] | client settings, credentials answers, prepared calls, decisions, pacing | I/O, timers (JavaScript's) |
//! | `wasm` (wasm32 only) | the `#[wasm_bindgen]` exports: convert in, call the core, convert out | any rule of its own |
//!
//! Imports point one way (`tests/node/import-circles.test.mjs` fails on a circle between modules
//! or rooms): `input` knows no other room; `sign` and `response` know only `input`; `actions`
//! knows `input` (and `sign`'s SHA-256); `request` knows `actions`, `sign` and `input`; `boundary` knows `input` (and
//! `sign`'s input, which its fixed layout reads); `client` may use any of them; only `wasm` knows
//! wasm-bindgen.

// The wasm build (scripts/build.mjs, which already builds std under RUSTC_BOOTSTRAP) sets
// `cvm_size`: cold functions are then compiled for size (`#[optimize(size)]`), hot ones as the
// profile says.
#![cfg_attr(cvm_size, feature(optimize_attribute))]

pub mod actions;
pub mod boundary;
pub mod client;
pub mod input;
pub mod request;
pub mod response;
pub mod sign;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

mod allocator;

/// This package's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
