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

/// The start offsets of the heading lines of the Markdown text `buf`, in order.
pub fn heading_starts(buf: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut fence: Option<u8> = None;
    // The start of the previous line when it held text a setext underline would make a
    // heading of.
    let mut text_above: Option<usize> = None;
    let mut start = 0;
    while start < buf.len() {
        let end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
        let line = buf[start..end]
            .strip_suffix(b"\r")
            .unwrap_or(&buf[start..end]);
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let body = &line[indent.min(line.len())..];
        let fence_mark = (indent <= 3)
            .then(|| body.first().copied())
            .flatten()
            .filter(|&c| (c == b'`' || c == b'~') && body.starts_with(&[c; 3]));
        match (fence, fence_mark) {
            (None, Some(c)) => fence = Some(c),
            (Some(open), Some(c)) if open == c => fence = None,
            _ => {}
        }
        let outside = fence.is_none() && fence_mark.is_none();
        if outside && indent <= 3 {
            let hashes = body.iter().take_while(|&&b| b == b'#').count();
            let atx = (1..=6).contains(&hashes)
                && body.get(hashes).is_none_or(|b| *b == b' ' || *b == b'\t');
            let trimmed = body.trim_ascii_end();
            let underline = trimmed.len() >= 3
                && (trimmed.iter().all(|&b| b == b'=') || trimmed.iter().all(|&b| b == b'-'));
            if atx {
                out.push(start);
            } else if let Some(above) = text_above.filter(|_| underline) {
                out.push(above);
            }
        }
        text_above = (outside && !line.trim_ascii().is_empty()).then_some(start);
        start = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atx_and_setext_headings_outside_fences() {
        let doc = b"# Title\n\ntext\n\n```sh\n# a comment\ncurl x\n```\n\nSetext\n------\n   ## Indented\n#nospace\n~~~\n## in a tilde fence\n~~~\n";
        let starts = heading_starts(doc);
        let lines: Vec<&str> = starts
            .iter()
            .map(|&s| {
                let e = doc[s..].iter().position(|&b| b == b'\n').unwrap() + s;
                std::str::from_utf8(&doc[s..e]).unwrap()
            })
            .collect();
        assert_eq!(lines, vec!["# Title", "Setext", "   ## Indented"]);
        assert!(is_markdown("docs/README.MD") && !is_markdown("setup.py"));
    }
}
