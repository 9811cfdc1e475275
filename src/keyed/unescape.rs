//! The text before a value as its author wrote it: escapes undone.
//!
//! A key often reaches a repository inside another format: a JSON string (`\"wstoken\": \"…`,
//! `\u0026wstoken=` in a Go or Docker JSON log, `\/` in URLs), a percent-encoded URL
//! parameter (`wstoken%3D…`), an HTML attribute (`&amp;wstoken=`), a quoted-printable e-mail
//! (`wstoken=3D…`). The value itself (32 hex or 64 alphanumerics) never contains an escape,
//! so its position in the original bytes is exact; only the text *before* it, where the key
//! finder looks for a name, needs decoding. Decoding that short window (not the whole
//! buffer) keeps plain files at no extra cost, and every finding keeps its original line and
//! column.

/// Decodes JSON/JS string escapes, percent-encoding, HTML entities and quoted-printable
/// `=XX` in `bytes`, up to twice (for doubly encoded text), and returns the result as text.
/// A decoded line break (`\n` in a JSON string, `%0A`) stays a `\n`, so the key finder stops
/// at it as it stops at a real one. Invalid escapes are kept as written.
pub fn decode_window(bytes: &[u8]) -> String {
    // Most windows hold no escape at all: nothing to decode.
    if !bytes
        .iter()
        .any(|&b| matches!(b, b'\\' | b'%' | b'&' | b'='))
    {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let once = decode_once(bytes);
    let text = if once.len() != bytes.len() {
        decode_once(&once)
    } else {
        once
    };
    String::from_utf8_lossy(&text).into_owned()
}

/// `text` with its HTML character references read as HTML5 defines them (`&quot;` → `"`,
/// `&#8217;` → `’`, `&nbsp;` → a no-break space; the names from quick-xml's table of HTML5
/// entities): prose saved as HTML (an e-mail's HTML part, a saved page) reads as its author
/// wrote it. Anything else, a bare `&` included, is kept as written.
pub fn html_text(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        // The longest HTML5 entity name is 31 bytes (`&CounterClockwiseContourIntegral;`).
        let semi = after.bytes().take(40).position(|b| b == b';');
        let read = semi.and_then(|semi| {
            let name = &after[..semi];
            let decoded = match name.strip_prefix('#') {
                Some(number) => {
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => number.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                        .filter(|c| !c.is_control())
                        .map(String::from)
                }
                None => quick_xml::escape::resolve_html5_entity(name).map(String::from),
            };
            decoded.map(|d| (d, semi + 1))
        });
        match read {
            Some((decoded, used)) => {
                out.push_str(&decoded);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn hex_byte(s: &[u8]) -> Option<u8> {
    Some(hex_val(*s.first()?)? << 4 | hex_val(*s.get(1)?)?)
}

fn decode_once(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let rest = &b[i + 1..];
        match c {
            b'\\' if !rest.is_empty() => {
                let (decoded, used) = match rest[0] {
                    b'u' if rest.len() >= 5 => match (hex_byte(&rest[1..3]), hex_byte(&rest[3..5]))
                    {
                        (Some(0), Some(x)) if x.is_ascii() => (Some(x), 5),
                        _ => (None, 0),
                    },
                    b'x' if rest.len() >= 3 => (hex_byte(&rest[1..3]).filter(u8::is_ascii), 3),
                    b'n' | b'r' => (Some(b'\n'), 1),
                    b't' => (Some(b' '), 1),
                    b'"' | b'\'' | b'/' | b'\\' | b'`' => (Some(rest[0]), 1),
                    _ => (None, 0),
                };
                match decoded {
                    Some(x) => {
                        out.push(x);
                        i += 1 + used;
                    }
                    None => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            b'%' | b'=' => match hex_byte(rest).filter(|x| x.is_ascii() && is_escapable(*x, c)) {
                Some(x) => {
                    out.push(if x == b'\r' { b'\n' } else { x });
                    i += 3;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            b'&' => match entity(rest) {
                Some((x, used)) => {
                    out.push(x);
                    i += 1 + used;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Quoted-printable only encodes `=` and non-printable bytes; reading any `=XX` as QP would
/// turn `a=2F` in a plain query string into `a/`. Percent-encoding may encode anything.
fn is_escapable(x: u8, via: u8) -> bool {
    via == b'%' || x == b'=' || x == b'\n' || x == b'\r' || x == b'\t'
}

/// An HTML entity after `&`: the byte and how many bytes it used (`amp;` → `&`, 4). Only
/// entities of ASCII characters: the ones URLs and keys are written with.
pub(crate) fn entity(rest: &[u8]) -> Option<(u8, usize)> {
    const NAMED: &[(&[u8], u8)] = &[
        (b"amp;", b'&'),
        (b"quot;", b'"'),
        (b"apos;", b'\''),
        (b"lt;", b'<'),
        (b"gt;", b'>'),
        (b"equals;", b'='),
        (b"sol;", b'/'),
        (b"colon;", b':'),
        (b"quest;", b'?'),
        (b"num;", b'#'),
        (b"percnt;", b'%'),
        // A no-break space (`Jeton du service web&nbsp;: …`, as French typography and
        // Confluence write it) is a blank to the key finder.
        (b"nbsp;", b' '),
    ];
    // Most `&`s start no entity (`&&`, `&wstoken=`): a byte no entity starts with is
    // answered before the names are compared (this runs at every `&` of a view's input).
    const STARTS: [bool; 256] = {
        let mut starts = [false; 256];
        starts[b'#' as usize] = true;
        let mut i = 0;
        while i < NAMED.len() {
            starts[NAMED[i].0[0] as usize] = true;
            i += 1;
        }
        starts
    };
    if !rest.first().is_some_and(|&b| STARTS[usize::from(b)]) {
        return None;
    }
    if let Some((name, x)) = NAMED.iter().find(|(n, _)| rest.starts_with(n)) {
        return Some((*x, name.len()));
    }
    let body = rest.strip_prefix(b"#")?;
    let end = body.iter().position(|&b| b == b';')?;
    let digits = std::str::from_utf8(&body[..end]).ok()?;
    let n = match digits.strip_prefix(['x', 'X']) {
        Some(h) => u32::from_str_radix(h, 16).ok()?,
        None => digits.parse().ok()?,
    };
    u8::try_from(n)
        .ok()
        .filter(u8::is_ascii)
        .map(|x| (x, end + 2))
}

#[cfg(test)]
mod tests {
    use super::decode_window;

    #[test]
    fn html_text_reads_character_references_and_keeps_the_rest() {
        use super::html_text;
        assert_eq!(
            html_text("the &quot;Library sync&quot; service&#8217;s token&nbsp;:"),
            "the \"Library sync\" service\u{2019}s token\u{a0}:"
        );
        assert_eq!(
            html_text("R&D &unknown; &#x41; &#0; &"),
            "R&D &unknown; A &#0; &"
        );
        assert_eq!(html_text("plain"), "plain");
    }

    #[test]
    fn undoes_each_encoding() {
        assert_eq!(
            decode_window(br#"\"MOODLE_TOKEN = \""#),
            r#""MOODLE_TOKEN = ""#
        );
        assert_eq!(decode_window(br"json\u0026wstoken="), "json&wstoken=");
        assert_eq!(decode_window(b"a%26wstoken%3D"), "a&wstoken=");
        assert_eq!(decode_window(b"a%2526wstoken%253D"), "a&wstoken=");
        assert_eq!(decode_window(b"x&amp;wstoken="), "x&wstoken=");
        assert_eq!(decode_window(b"&#38;wstoken&#x3D;"), "&wstoken=");
        assert_eq!(decode_window(b"wstoken=3D"), "wstoken=");
        assert_eq!(decode_window(br"a\nwstoken"), "a\nwstoken");
        // Not an escape: kept as written.
        assert_eq!(decode_window(b"a=2F&b%zz"), "a=2F&b%zz");
    }
}
