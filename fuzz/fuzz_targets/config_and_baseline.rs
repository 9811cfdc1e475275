//! `.moodleleaks.toml` and baseline files: any content gives a config/baseline or a
//! one-line error naming the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("moodleleaks-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(&config, data).unwrap();
    if let Err(e) = moodleleaks::config::Config::load(&config) {
        assert!(!format!("{e:#}").contains('\n'), "{e:#}");
    }
    let baseline = dir.join("baseline.json");
    std::fs::write(&baseline, data).unwrap();
    if let Err(e) = moodleleaks::suppress::Baseline::load(&baseline) {
        assert!(!format!("{e:#}").contains('\n'), "{e:#}");
    }
});
