//! The global allocator on wasm32: talc, which makes a smaller .wasm than std's dlmalloc at the same
//! speed, without growing memory over 100,000 signatures (bench/levers.mjs measures all three).
//! Without the `talc` feature, std's dlmalloc.
//!
//! talc is built without realloc in place: a realloc allocates, copies and frees. The block it
//! leaves is wiped first — wasm-bindgen's glue reallocates (twice) every argument string that is
//! not ASCII, and a scan of wasm memory found such an argument's whole text, a secret key in it,
//! in the freed block (tests/hostile/memory-scan.test.mjs).

// wasm32-unknown-unknown without the `atomics` target feature runs one thread, which
// `WasmDynamicTalc` requires.
#[cfg(all(target_arch = "wasm32", feature = "talc"))]
#[global_allocator]
static ALLOCATOR: WipingRealloc = WipingRealloc(talc::wasm::new_wasm_dynamic_allocator());

#[cfg(all(target_arch = "wasm32", feature = "talc"))]
struct WipingRealloc(talc::wasm::WasmDynamicTalc);

#[cfg(all(target_arch = "wasm32", feature = "talc"))]
// SAFETY: every call is passed on to talc with the caller's own arguments; `realloc` is the
// trait's default (allocate, copy the smaller size, free) with the old block wiped before it is
// freed, while it is still the caller's.
unsafe impl std::alloc::GlobalAlloc for WipingRealloc {
    // Out of line, so talc's code is linked once (inlined into `realloc` too, it cost 12 KB).
    #[inline(never)]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.alloc(layout) }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `new_size` with the old alignment is a valid layout (the caller's contract);
        // `ptr` is valid for `layout.size()` bytes and the new block for `new_size`, and they do
        // not overlap (both live at once).
        unsafe {
            let new_layout =
                std::alloc::Layout::from_size_align_unchecked(new_size, layout.align());
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                zeroize::Zeroize::zeroize(std::slice::from_raw_parts_mut(ptr, layout.size()));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}
