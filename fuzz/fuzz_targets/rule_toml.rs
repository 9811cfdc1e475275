//! Rule files: parsing and compiling any text must give a rule or a one-line error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match moodleleaks::rules::Rule::from_toml("fuzz.toml", text) {
        Ok(rule) => {
            // A loaded rule never matches the empty string.
            let scanner = moodleleaks::scan::Scanner::new(vec![rule]).unwrap();
            let _ = scanner.scan("f", text.as_bytes());
        }
        Err(e) => assert!(!format!("{e:#}").contains('\n'), "{e:#}"),
    }
});
