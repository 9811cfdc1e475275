//! Encoding detection and the streaming decoder, fed in two pieces cut anywhere: the result
//! must not depend on where the stream was cut.
#![no_main]

use libfuzzer_sys::fuzz_target;
use moodleleaks::input::{sniff, StreamDecoder};

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let Ok(encoding) = sniff(rest) else {
        return;
    };
    let decode = |at: usize| {
        let mut d = StreamDecoder::new(encoding);
        let mut out = Vec::new();
        d.feed(&rest[..at], &mut out);
        d.feed(&rest[at..], &mut out);
        d.finish(&mut out);
        out
    };
    let at = usize::from(cut) % (rest.len() + 1);
    assert_eq!(decode(at), decode(rest.len()));
    // The rules' decoders (mobile-launch payloads) on the same bytes.
    let _ = moodleleaks::rules::decode::Decoder::MobileLaunch.decode(rest);
});
