//! Named decoders: turn a captured value into the credentials it carries. A decoder that
//! cannot make sense of the value rejects the match, which is how a random base64 string
//! after `://token=` stays silent.

use super::validate::{looks_random_alnum, looks_random_hex};
use crate::finding::Kind;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde::Deserialize;

/// A decoder named in a rule file's `decoder` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decoder {
    /// `<scheme>://token=<base64 of siteid:::wstoken[:::privatetoken]>`.
    MobileLaunch,
}

/// How a rule's secret is written in its input when not as itself, named in a rule file's
/// `secret_encoding` field: the finding is reported at the written text, with the secret as
/// the site reads it (the password a user types, which is what must be changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretEncoding {
    /// A URL query parameter's value, read as PHP fills `$_GET` (`urldecode`: `%XX` is the
    /// byte XX, `+` a space; a `%` not followed by two hex digits stays as written).
    Query,
    /// Percent-encoding alone (`%XX` is the byte XX; `+` stays): a base64 payload written
    /// into a URL (`moodlemobile://token=…%3D`), whose `+` is its own.
    Percent,
}

impl SecretEncoding {
    /// The secret `written` (the captured bytes) stands for: decoded when the decoding is
    /// UTF-8 without control characters (an escape sequence or a line break decoded from
    /// `%1B`, `%0A` would reach a terminal or split a report's line), else the bytes as
    /// written (lossily).
    pub fn decode(self, written: &[u8]) -> String {
        let decoded = self.decode_any(written);
        if decoded.chars().any(char::is_control) {
            return String::from_utf8_lossy(written).into_owned();
        }
        decoded
    }

    /// [`Self::decode`] before the check for control characters.
    fn decode_any(self, written: &[u8]) -> String {
        let bytes: std::borrow::Cow<[u8]> = match self {
            SecretEncoding::Query => written
                .iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect::<Vec<u8>>()
                .into(),
            SecretEncoding::Percent => written.into(),
        };
        match percent_encoding::percent_decode(&bytes).decode_utf8() {
            Ok(decoded) => decoded.into_owned(),
            Err(_) => String::from_utf8_lossy(written).into_owned(),
        }
    }
}

/// A credential found inside a decoded value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub kind: Kind,
    pub secret: String,
}

impl Decoder {
    /// The credentials inside `value`, or `None` when it is not a well-formed payload.
    pub fn decode(self, value: &[u8]) -> Option<Vec<Decoded>> {
        match self {
            Decoder::MobileLaunch => decode_mobile_launch(value),
        }
    }
}

const INDIFFERENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
/// Base64 with the standard alphabet, padded or not.
pub(crate) const STANDARD: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::STANDARD, INDIFFERENT);
/// Base64 with the URL-safe alphabet, padded or not.
pub(crate) const URL_SAFE: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::URL_SAFE, INDIFFERENT);

/// Decodes `value` as standard or URL-safe base64, padded or not.
pub(crate) fn base64_decode(value: &[u8]) -> Option<Vec<u8>> {
    STANDARD
        .decode(value)
        .or_else(|_| URL_SAFE.decode(value))
        .ok()
}

fn decode_mobile_launch(value: &[u8]) -> Option<Vec<Decoded>> {
    let unescaped: Vec<u8> = percent_encoding::percent_decode(value).collect();
    let bytes = STANDARD
        .decode(&unescaped)
        .or_else(|_| URL_SAFE.decode(&unescaped))
        .ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let mut parts = text.split(":::");
    let site_id = parts.next()?;
    let wstoken = parts.next()?;
    let private = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let is_hex32 = |s: &str| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_hex32(site_id) || !is_hex32(wstoken) || !looks_random_hex(wstoken.as_bytes()) {
        return None;
    }
    let mut out = vec![Decoded {
        kind: Kind::Wstoken,
        secret: wstoken.to_string(),
    }];
    if let Some(p) = private {
        let ok = p.len() == 64 && p.bytes().all(|b| b.is_ascii_alphanumeric());
        if ok && looks_random_alnum(p.as_bytes()) {
            out.push(Decoded {
                kind: Kind::Privatetoken,
                secret: p.to_string(),
            });
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_standard_urlsafe_padded_and_percent_encoded() {
        let payload = "9f2c4e1d8a7b6c5d4e3f2a1b0c9d8e7f:::c8ff1654a992bc683c2c7901b1aa1d97";
        let std = base64::engine::general_purpose::STANDARD.encode(payload);
        let pct = std.replace('=', "%3D");
        let nopad = std.trim_end_matches('=').to_string();
        for v in [std, pct, nopad] {
            let d = Decoder::MobileLaunch.decode(v.as_bytes()).expect(&v);
            assert_eq!(d[0].secret, "c8ff1654a992bc683c2c7901b1aa1d97");
        }
    }

    #[test]
    fn rejects_text_that_is_not_a_payload() {
        let v = base64::engine::general_purpose::STANDARD.encode("hello world, not a payload");
        assert!(Decoder::MobileLaunch.decode(v.as_bytes()).is_none());
    }
}

#[cfg(test)]
mod secret_encoding_tests {
    use super::SecretEncoding;

    #[test]
    fn a_query_value_is_read_as_php_reads_it() {
        let q = |s: &str| SecretEncoding::Query.decode(s.as_bytes());
        assert_eq!(q("kasztan%2B6169%40Lms"), "kasztan+6169@Lms");
        assert_eq!(q("Libellule%2357%26R9K"), "Libellule#57&R9K");
        assert_eq!(q("two+words"), "two words");
        assert_eq!(q("100%sure%2"), "100%sure%2");
        assert_eq!(q("plain-P4ss!"), "plain-P4ss!");
        // Not UTF-8 once decoded, or holding a control character: the text as written.
        assert_eq!(q("caf%E9"), "caf%E9");
        assert_eq!(q("x%1B%5B31my"), "x%1B%5B31my");
        assert_eq!(q("a%0Ab"), "a%0Ab");
        let p = |s: &str| SecretEncoding::Percent.decode(s.as_bytes());
        assert_eq!(p("YWJj+ZGVm%3D%3D"), "YWJj+ZGVm==");
    }
}
