//! Where a Markdown document's sections start, for rules whose window ends at one.
//!
//! A rule's `window` says how near its keyword a match must be, in bytes. In a document a
//! heading says more: a README's section about getting a token (`login/token.php`) is not
//! about the development database the next section configures, however near its password
//! stands. A rule with `window_within_section` is searched, in a Markdown file, only within
//! the section of each keyword. Headings are CommonMark's: an ATX heading (up to three
//! blanks, one to six `#`, then a blank or the line's end) or the text line above a setext
//! underline (`===` or `---`), never inside a fenced code block (where `# …` is a shell or
//! Python comment).

/// Whether `path` names a Markdown document (`.md`, `.markdown`, `.mdx`, any case).
pub fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".md", ".markdown", ".mdx"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// The heading lines of the Markdown text `buf`, in order: each line's start offset and
/// its level (1 to 6: `#` to `######`, `===` 1, `---` 2, `<h1>` to `<h6>`). A heading may
/// stand in a block quote or a list item (`> ## …`, `- ## …`). A setext `---` underline
/// is placed on its own line, not on the text above it: that text may be a paragraph's
/// last line (a thematic break under a list or a password line reads the same).
pub fn heading_starts(buf: &[u8]) -> Vec<(usize, u8)> {
    let mut out = Vec::new();
    // An open code fence (its mark) or an HTML `<pre>` block.
    let mut fence: Option<u8> = None;
    let mut pre = false;
    let mut text_above: Option<usize> = None;
    let mut start = 0;
    while start < buf.len() {
        let end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
        let line = buf[start..end]
            .strip_suffix(b"\r")
            .unwrap_or(&buf[start..end]);
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let body = container_content(&line[indent.min(line.len())..]);
        let lower = body.to_ascii_lowercase();
        let fence_mark = (indent <= 3)
            .then(|| body.first().copied())
            .flatten()
            .filter(|&c| (c == b'`' || c == b'~') && body.starts_with(&[c; 3]))
            // A backtick fence's info string holds no backtick (```` ```x``` ```` is code
            // inline, not a fence).
            .filter(|&c| {
                let info = &body[body.iter().take_while(|&&b| b == c).count()..];
                c == b'~' || !info.contains(&b'`')
            });
        match (fence, fence_mark) {
            (None, Some(c)) if !pre => fence = Some(c),
            (Some(open), Some(c)) if open == c => fence = None,
            _ => {}
        }
        let was_pre = pre;
        if fence.is_none() && fence_mark.is_none() {
            if memchr::memmem::find(&lower, b"<pre").is_some() {
                pre = true;
            }
            if memchr::memmem::find(&lower, b"</pre").is_some() {
                pre = false;
            }
        }
        let outside = fence.is_none() && fence_mark.is_none() && !pre && !was_pre;
        if outside && indent <= 3 {
            let hashes = body.iter().take_while(|&&b| b == b'#').count();
            let atx = (1..=6).contains(&hashes)
                && body.get(hashes).is_none_or(|b| *b == b' ' || *b == b'\t');
            let html = lower.len() >= 4
                && lower.starts_with(b"<h")
                && (b'1'..=b'6').contains(&lower[2])
                && matches!(lower[3], b'>' | b' ');
            let trimmed = body.trim_ascii_end();
            let rule = |c: u8| trimmed.len() >= 3 && trimmed.iter().all(|&b| b == c);
            if atx {
                out.push((start, hashes as u8));
            } else if html {
                out.push((start, lower[2] - b'0'));
            } else if rule(b'=') && text_above.is_some() {
                out.extend(text_above.map(|above| (above, 1)));
            } else if rule(b'-') {
                out.push((start, 2));
            }
        }
        text_above = (outside && !line.trim_ascii().is_empty()).then_some(start);
        start = end + 1;
    }
    out
}

/// A line's content inside block quotes and list items: `> `, `- `, `* `, `+ ` and `1. `
/// markers taken off, as often as they nest.
fn container_content(mut line: &[u8]) -> &[u8] {
    loop {
        let rest = line.trim_ascii_start();
        let marker = match rest.first() {
            Some(b'>') => 1,
            Some(b'-' | b'*' | b'+') if rest.get(1) == Some(&b' ') => 2,
            Some(d) if d.is_ascii_digit() => {
                let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                match rest.get(n..n + 2) {
                    Some(b". " | b") ") => n + 2,
                    _ => 0,
                }
            }
            _ => 0,
        };
        if marker == 0 {
            return line;
        }
        line = &rest[marker..];
        if !line.starts_with(b" ") && !line.is_empty() && marker == 1 {
            return line;
        }
        line = line.strip_prefix(b" ").unwrap_or(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading_lines(doc: &[u8]) -> Vec<(String, u8)> {
        heading_starts(doc)
            .into_iter()
            .map(|(s, level)| {
                let e = doc[s..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(doc.len(), |i| s + i);
                (String::from_utf8_lossy(&doc[s..e]).into_owned(), level)
            })
            .collect()
    }

    #[test]
    fn atx_setext_html_quoted_and_listed_headings_outside_fences() {
        let doc = b"# Title\n\ntext\n\n```sh\n# a comment\ncurl x\n```\n\nSetext\n======\n   ## Indented\n#nospace\n~~~\n## in a tilde fence\n~~~\n<h3>Html</h3>\n> ## Quoted\n- ## Listed\n<pre>\n# in pre\n</pre>\n```x``` inline\n## After inline\npassword line\n---\n";
        let want: Vec<(String, u8)> = [
            ("# Title", 1),
            ("Setext", 1),
            ("   ## Indented", 2),
            ("<h3>Html</h3>", 3),
            ("> ## Quoted", 2),
            ("- ## Listed", 2),
            ("## After inline", 2),
            ("---", 2),
        ]
        .iter()
        .map(|(t, l)| (t.to_string(), *l))
        .collect();
        assert_eq!(heading_lines(doc), want);
        assert!(is_markdown("docs/README.MD") && !is_markdown("setup.py"));
    }
}
