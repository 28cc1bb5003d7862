//! The global allocator on wasm32: talc, which makes a smaller .wasm than std's dlmalloc at the same
//! speed, without growing memory over 100,000 signatures (bench/levers.mjs measures all three).
//! Without the `talc` feature, std's dlmalloc.

// wasm32-unknown-unknown without the `atomics` target feature runs one thread, which
// `WasmDynamicTalc` requires.
#[cfg(all(target_arch = "wasm32", feature = "talc"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
