//! Any bytes as boundary-format text (src/boundary/mod.rs) → `Arguments`, in both modes, argument
//! after argument. Never a panic, whatever the text; reading stops (every later argument
//! unreadable) rather than running past the end; a value read is written back by the answer
//! writer to a fixed point (writing, reading and writing again gives the same text); written
//! values are self-delimiting (two in a row read as two).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencentcloud_cvm_wasm::boundary::{self, Arguments, Mode};
use tencentcloud_cvm_wasm::input::json::Value;

/// A value written as an answer, without its `o`.
fn written(value: &Value) -> String {
    let text = boundary::ok(value);
    text.get(1..).unwrap_or_default().to_owned()
}

fn check(value: &Value) {
    let once = written(value);
    let mut args = Arguments::new(&once);
    let again = args.next(Mode::Lenient).expect("what the writer wrote reads back");
    assert!(args.is_done(), "{once}");
    assert_eq!(written(&again), once);
    let twice = format!("{once}{once}");
    let mut args = Arguments::new(&twice);
    assert_eq!(args.next(Mode::Lenient).as_ref(), Ok(&again));
    assert_eq!(args.next(Mode::Lenient).as_ref(), Ok(&again));
    assert!(args.is_done());
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for mode in [Mode::Lenient, Mode::Strict] {
        let mut args = Arguments::new(&text);
        for _ in 0..4 {
            match args.next_optional(mode) {
                Ok(Some(value)) => check(&value),
                Ok(None) => {}
                Err(_) => {}
            }
            if args.is_done() {
                break;
            }
        }
    }
});
