//! Property test on stable (no fuzzing toolchain needed): random buffers mixing Moodle
//! keywords, escapes, CRLF, long lines and invalid UTF-8 around planted tokens, through the
//! real library path (input decoding, matcher, scanner). Properties: no panic, no hang
//! (every case under a deadline), and every planted token is still found.

mod common;

use common::Rng;

use moodleleaks::input;
use moodleleaks::scan::Scanner;
use std::time::{Duration, Instant};

/// Fragments the junk is made of: keywords of every rule, their syntax, escapes, bytes that
/// are not UTF-8 (never NUL: that makes a buffer binary, a deliberate skip).
const FRAGMENTS: &[&[u8]] = &[
    b"wstoken=",
    b"token=",
    b"privatetoken",
    b"moodlemobile://token=",
    b"login/token.php?username=a&password=",
    b"webservice/rest/server.php?",
    b"tokenpluginfile.php/",
    b"external_tokens",
    b"MOODLE_",
    b"moodle",
    b"https://lms.example.edu/",
    b"http://",
    b"\\u0000",
    b"\\x1b[31m",
    b"\x1b]0;t\x07",
    b"%3D",
    b"\"",
    b"'",
    b" ",
    b"\t",
    b"\r\n",
    b"\n",
    b"\r",
    b"\xff\xfe",
    b"\xc3",
    b"\xe2\x82",
    b"\xf0\x9f\x98\x80",
    b"0123456789abcdef",
    b"ABCDEFabcdef",
    b"=",
    b"&",
    b"base64,",
];

/// Number of random buffers per run.
const CASES: usize = 400;

#[test]
fn random_inputs_never_panic_or_hang_and_planted_tokens_are_found() {
    let scanner = Scanner::new(moodleleaks::rules::builtin().unwrap()).unwrap();
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut slowest = Duration::ZERO;
    for case in 0..CASES {
        let mut buf: Vec<u8> = Vec::new();
        let mut planted = Vec::new();
        for _ in 0..rng.below(40) + 1 {
            match rng.below(10) {
                0 => {
                    let t = common::token(&format!("prop-scan-{case}-{}", planted.len()));
                    buf.extend_from_slice(format!("\nMOODLE_TOKEN={t}\n").as_bytes());
                    planted.push(t);
                }
                1 => {
                    // A long line of one fragment.
                    let f = FRAGMENTS[rng.below(FRAGMENTS.len())];
                    for _ in 0..rng.below(3000) {
                        buf.extend_from_slice(f);
                    }
                }
                _ => {
                    for _ in 0..rng.below(30) {
                        buf.extend_from_slice(FRAGMENTS[rng.below(FRAGMENTS.len())]);
                    }
                }
            }
        }
        if let Some(dir) = std::env::var_os("PROP_SCAN_DUMP") {
            // For investigating a slow or failing case with the release binary.
            std::fs::write(
                std::path::Path::new(&dir).join(format!("case-{case}")),
                &buf,
            )
            .unwrap();
        }
        let started = Instant::now();
        let text = input::prepare(&buf).expect("no NUL, so never binary");
        let found = scanner.scan("p", &text);
        let took = started.elapsed();
        slowest = slowest.max(took);
        assert!(took < Duration::from_secs(20), "case {case} took {took:?}");
        for t in &planted {
            assert!(
                found.findings.iter().any(|f| &f.secret == t),
                "case {case}: planted token not found in {:?}",
                String::from_utf8_lossy(&buf)
            );
        }
    }
    eprintln!("slowest case: {slowest:?}");
}
