//! The matcher and scanner on arbitrary bytes, as every source hands them over.
#![no_main]

use libfuzzer_sys::fuzz_target;
use moodleleaks::scan::Scanner;
use std::sync::LazyLock;

static SCANNER: LazyLock<Scanner> =
    LazyLock::new(|| Scanner::new(moodleleaks::rules::builtin().unwrap()).unwrap());

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = moodleleaks::input::prepare(data) {
        let found = SCANNER.scan("fuzz", &text);
        for f in &found.findings {
            assert!(f.line >= 1 && f.column >= 1);
        }
    }
});
