//! Helpers shared by the integration tests: synthetic tokens (derived from labels, so no
//! token literal is ever committed in test code), temp trees and the real binary.
#![allow(dead_code)]

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use std::path::Path;

/// A synthetic 32-hex token, the same for the same label in every run.
pub fn token(label: &str) -> String {
    let d = Sha256::digest(format!("moodleleaks-test-token:{label}").as_bytes());
    d.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// A synthetic 64-alphanumeric private token.
pub fn private_token(label: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::new();
    let mut i = 0u32;
    while out.len() < 64 {
        let d = Sha256::digest(format!("moodleleaks-test-private:{label}:{i}").as_bytes());
        out.extend(d.iter().map(|b| ALPHABET[*b as usize % 62] as char));
        i += 1;
    }
    out.truncate(64);
    out
}

/// Writes `files` (path, contents) under `root`, creating folders.
pub fn write_tree(root: &Path, files: &[(&str, &[u8])]) {
    for (p, c) in files {
        let path = root.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, c).unwrap();
    }
}

/// The real binary, with colour and the user's environment kept out.
pub fn moodleleaks() -> Command {
    let mut c = Command::cargo_bin("moodleleaks").unwrap();
    c.env_remove("NO_COLOR").env("MOODLELEAKS_TEST", "1");
    c
}

/// The JSON report of `scan --format json --show-secrets` over `dir`, with `extra` flags.
pub fn scan_json(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--show-secrets"])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    json(&out.stdout)
}

/// Parses a `--format json` report.
pub fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("valid JSON report")
}

/// A small deterministic generator (xorshift64*): property tests without a dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn word(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}
