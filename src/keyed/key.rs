//! The key/value layer: for a value found in an input, the name(s) it is bound to.
//!
//! It understands the syntaxes real files use, in this order:
//! 1. PHP-serialized pairs (`s:7:"wstoken";s:32:"…"`), also inside a SQL value;
//! 2. columns of a table: SQL inserts and COPY rows, CSV/TSV with a header, Markdown tables
//!    ([`super::table`]);
//! 3. assignments and their relatives on the value's own line, found by walking left from the
//!    value over glue (quotes, `=`, `:`, `=>`, `==`, `(`, `+`, escapes) and syntax (types,
//!    keywords, accessors: `const val wsToken: String = "…"`, `Token { get; set; } = "…"`,
//!    `->setToken('…')`, `'&wstoken=' + '…'`, `Authorization: Bearer …`, `Your token: …`),
//!    up to a separator (`,` `;` `&`) once a name is passed;
//! 4. name/value pairs whose value half is a generic field (`value:`, `<string>`): the name is
//!    the pair's `name`/`key` field on the same line or the nearest lines (Helm, Kubernetes
//!    and ECS env lists, Terraform, plists, Postman);
//! 5. a file that holds nothing but the value: its file name is the key.
//!
//! The text left of a value is decoded first ([`super::unescape`]), so keys inside JSON
//! strings, percent-encoded URLs, HTML attributes and quoted-printable e-mails are read as
//! their authors wrote them.

use super::names::Vocabulary;
use super::table::{self, SqlIndex};
use super::unescape::decode_window;
use regex::Regex;
use std::sync::OnceLock;

/// How far left of a value the key finder reads (bytes of the original line).
const WINDOW: usize = 256;
/// How many names the walk collects at most.
const MAX_NAMES: usize = 6;
/// How many lines above a value its block's opener is looked for.
const OPENER_LINES: usize = 200;
/// How many lines before a pair's value its name may stand (and after, half of it): an
/// OpenAPI parameter's `schema:` block may stand between its `name:` and its `example:`.
const PAIR_LINES: usize = 6;

/// The line starts of one input, found once, so that placing a value on its line costs a
/// binary search, not a scan back to the line's start (which is quadratic on a one-line
/// dump with thousands of values).
#[derive(Debug)]
pub struct Lines {
    /// Offsets of every `\n`.
    newlines: Vec<usize>,
    len: usize,
    /// The last answer of [`opener_line`] for each (indentation, whether lists count), and of
    /// the here-document opener search ([`HEREDOC_OPENERS`]): the line asked from and the
    /// line that settled it (see [`Lines::nearest_settling`]).
    openers: std::cell::RefCell<rustc_hash::FxHashMap<OpenerQuestion, OpenerAnswer>>,
    /// [`opener_line`]'s answers by (line index, indentation, whether lists count): one
    /// value's line is asked more than once (a generic name's parent line, then the first
    /// level of its context walk), and a line asked again after later ones is where
    /// [`Lines::nearest_settling`]'s memo of the last answer cannot help.
    opener_answers: std::cell::RefCell<rustc_hash::FxHashMap<OpenerLine, Option<(String, usize)>>>,
    /// Where the input's identifiers occur, for [`names_where_used`] (see [`Uses`]).
    uses: std::cell::RefCell<Uses>,
    /// Whether the input holds a template expression's opener (`{{`), for
    /// [`names_in_templates`]; searched once, when first asked.
    templates: std::cell::OnceCell<bool>,
    /// The input's tables as far as known ([`table::header_column`],
    /// [`table::aligned_column`]).
    headers: table::BlockHeaders,
    /// One bit per `\n`-ended line, set where the line may open a block, by words of 64
    /// lines, each made when first asked ([`Lines::opener_ends`]).
    opener_ends: std::cell::RefCell<OpenerEnds>,
}

/// An [`opener_line`] question: the line index, the block's indentation, whether lists
/// count.
type OpenerLine = (usize, usize, bool);
/// A block-opener question: the indentation of the block, and whether lists count.
type OpenerQuestion = (usize, bool);
/// The answer to an [`OpenerQuestion`]: the line index asked from, and the settling line.
type OpenerAnswer = (usize, Option<usize>);

/// [`Lines::opener_ends`]'s words, and which of them are made.
#[derive(Debug, Default)]
struct OpenerEnds {
    bits: Vec<u64>,
    made: Vec<bool>,
}

impl Lines {
    /// Indexes the line breaks of `buf`.
    pub fn new(buf: &[u8]) -> Lines {
        let newlines = newline_offsets(buf);
        Lines {
            newlines,
            len: buf.len(),
            openers: Default::default(),
            opener_answers: Default::default(),
            uses: Default::default(),
            templates: Default::default(),
            headers: Default::default(),
            opener_ends: Default::default(),
        }
    }

    /// Word `w` of the lines' opener bits: bit `i` set where line `64 * w + i` is ended by a
    /// `\n` of `buf` (the input these lines are of) and its last byte but blanks is one a
    /// block's opener ends in ([`OPENER_ENDS`]). No other line can open a block, so
    /// [`opener_line`] reads only these, skipping 64 lines at a time. Each word is made once,
    /// when first asked: an input is asked about a few blocks, not all its lines.
    fn opener_ends(&self, buf: &[u8], w: usize) -> u64 {
        let mut ends = self.opener_ends.borrow_mut();
        let words = self.newlines.len().div_ceil(64);
        if ends.bits.len() < words {
            ends.bits = vec![0; words];
            ends.made = vec![false; words];
        }
        if w >= words {
            return 0;
        }
        if !ends.made[w] {
            let mut word = 0u64;
            let first = w * 64;
            let mut start = self.start_of_index(first);
            let last = (first + 64).min(self.newlines.len());
            for (bit, &newline) in self.newlines[first..last].iter().enumerate() {
                // Most lines end in a byte that is no blank: one look-up settles them.
                let end = match newline.checked_sub(1).filter(|&e| e >= start) {
                    Some(e) if !buf[e].is_ascii_whitespace() => Some(&buf[e]),
                    _ => buf[start..newline].trim_ascii_end().last(),
                };
                word |= u64::from(end.is_some_and(|&b| ENDS_OPENER[usize::from(b)])) << bit;
                start = newline + 1;
            }
            ends.bits[w] = word;
            ends.made[w] = true;
        }
        ends.bits[w]
    }

    /// The nearest of the [`OPENER_LINES`] lines above line `index` that `settles` (for a
    /// block indented `own`, lists counting or not), or `None`; `among`: where given, the words
    /// of a bit per line (as [`Lines::opener_ends`]) clear for every line that cannot settle,
    /// which is then not asked. Values are asked about in
    /// file order, so the answer for the line asked before is reused: only the lines between
    /// the two are read, not up to 200 lines per value (what `settles` says of a line must
    /// depend on the line, `own` and `lists` only).
    fn nearest_settling(
        &self,
        index: usize,
        (own, lists): (usize, bool),
        among: Option<&dyn Fn(usize) -> u64>,
        settles: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let floor = index.saturating_sub(OPENER_LINES);
        let known = self.openers.borrow().get(&(own, lists)).copied();
        let (scan_to, fallback) = match known {
            Some((asked, found)) if asked <= index && floor <= asked => {
                (asked, found.filter(|&f| f >= floor))
            }
            _ => (floor, None),
        };
        let found = match among {
            Some(word) => last_set(word, scan_to, index, settles),
            None => (scan_to..index).rev().find(|&i| settles(i)),
        }
        .or(fallback);
        self.openers
            .borrow_mut()
            .insert((own, lists), (index, found));
        found
    }

    /// The offset of every `\n`, in order.
    pub fn newlines(&self) -> &[usize] {
        &self.newlines
    }

    /// Start of the line holding `pos`.
    pub fn start_of(&self, pos: usize) -> usize {
        match self.newlines.partition_point(|&n| n < pos) {
            0 => 0,
            i => self.newlines[i - 1] + 1,
        }
    }

    /// The 0-based number of the line holding `pos`.
    pub fn index_of(&self, pos: usize) -> usize {
        self.newlines.partition_point(|&n| n < pos)
    }

    /// Start of line number `index` (0-based, at most the number of lines).
    pub fn start_of_index(&self, index: usize) -> usize {
        match index {
            0 => 0,
            i => self.newlines[i - 1] + 1,
        }
    }

    /// End of the line holding `pos` (its `\n`, or the end of the input).
    pub fn end_of(&self, pos: usize) -> usize {
        let i = self.newlines.partition_point(|&n| n < pos);
        self.newlines.get(i).copied().unwrap_or(self.len)
    }

    /// The text of line number `index` of `buf` (the input these lines are of), without its
    /// line break (`\n` or `\r\n`).
    pub fn text_at<'b>(&self, buf: &'b [u8], index: usize) -> &'b [u8] {
        let s = self.start_of_index(index);
        let line = &buf[s..self.end_of(s)];
        line.strip_suffix(b"\r").unwrap_or(line)
    }
}

/// The offset of every `\n` in `buf`, in order. Lines are short (tens of bytes), so
/// `memchr`'s iterator, which starts a search per line, pays its set-up per line: here each
/// 64-byte block is compared at once into a bit mask ([`newline_mask`]) and its set bits
/// read off.
fn newline_offsets(buf: &[u8]) -> Vec<usize> {
    let mut out = Vec::with_capacity(buf.len() / 32 + 1);
    let (blocks, rest) = buf.as_chunks::<64>();
    for (i, block) in blocks.iter().enumerate() {
        let mut mask = newline_mask(block);
        while mask != 0 {
            out.push(i * 64 + mask.trailing_zeros() as usize);
            mask &= mask - 1;
        }
    }
    let base = blocks.len() * 64;
    out.extend(memchr::memchr_iter(b'\n', rest).map(|p| base + p));
    out
}

/// The `\n` bytes of a 64-byte block as a bit mask (bit `i` set when `block[i]` is one),
/// four SSE2 compares: SSE2 is part of every x86-64 processor.
#[cfg(target_arch = "x86_64")]
fn newline_mask(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    let (quarters, _) = block.as_chunks::<16>();
    quarters
        .iter()
        .enumerate()
        .fold(0u64, |mask, (q, quarter)| {
            // SAFETY: SSE2 is baseline on x86-64; the load reads the 16 bytes `quarter` holds,
            // unaligned.
            let bits = unsafe {
                let bytes = _mm_loadu_si128(quarter.as_ptr().cast());
                _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'\n' as i8)))
            };
            mask | (u64::from(bits as u16) << (q * 16))
        })
}

/// [`newline_mask`] for other processors, byte by byte.
#[cfg(not(target_arch = "x86_64"))]
fn newline_mask(block: &[u8; 64]) -> u64 {
    block
        .iter()
        .enumerate()
        .fold(0u64, |m, (bit, &b)| m | (u64::from(b == b'\n') << bit))
}

/// Where a value's key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A name on the value's own line (assignment, argument, header, prose).
    Assignment,
    /// The name field of a name/value pair.
    Pair,
    /// A column of a SQL insert or COPY block of `table` (lowercase, unquoted), and whether
    /// that table stores Moodle tokens.
    SqlColumn { table: String, token_store: bool },
    /// A column of a CSV/TSV, Markdown or HTML table, whether its header says it stores
    /// Moodle tokens, and the Moodle table its columns are, if they are one's
    /// ([`table::moodle_table_of`]).
    TableColumn {
        token_store: bool,
        /// Each row is a site or a system ([`table::HeaderColumn::rows_are_sites`]).
        rows_are_sites: bool,
        table: Option<&'static str>,
    },
    /// A PHP-serialized key.
    Serialized,
    /// The line that opens the block the value stands in.
    Block,
    /// The name of a file holding only the value.
    FileName,
    /// A record of a site's address and the value, with no name of its own.
    Record,
}

/// The names a value is bound to, nearest first, and how they were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub names: Vec<String>,
    pub source: Source,
    /// A sentence that names the value, read as prose when no name decides
    /// ([`super::names::NameSpec::classify_prose`]): the clause before the value (`here is
    /// the token for the sync user:`), or a comment after it on its line (`// token de
    /// acesso ao webservice`).
    pub prose: Option<String>,
}

impl Key {
    /// A key of `names` (nearest first) found by `source`, with no prose.
    pub fn new(names: Vec<String>, source: Source) -> Key {
        Key {
            names,
            source,
            prose: None,
        }
    }
}

/// Finds the key of a value at `span` (`start..end`) of `buf` (a file named `path`); with
/// `decode`, the text before the value is read with its escapes undone
/// ([`decode_window`]), else as written (`--no-decode`). With `tables_only`, only a table's
/// column is looked for (SQL, CSV/TSV, Markdown, HTML), the rest is not.
#[allow(clippy::too_many_arguments)]
pub fn find(
    v: &Vocabulary,
    buf: &[u8],
    lines: &Lines,
    path: &str,
    sql: &SqlIndex,
    (start, end): (usize, usize),
    decode: bool,
    tables_only: bool,
) -> Option<Key> {
    let ls = lines.start_of(start);
    let mut le = lines.end_of(end);
    if le > ls && buf[le - 1] == b'\r' {
        le -= 1;
    }
    let at = (ls, start, end, le);
    if !tables_only {
        if let Some(mut key) = map_key(v, buf, lines, sql, at) {
            debug_assert_eq!(
                Some(&key),
                find_in(v, buf, lines, path, sql, at, decode, false).as_ref(),
                "the map-key shortcut and the whole search differ at {start}"
            );
            templated(v, buf, lines, (ls, start, le), &mut key);
            return Some(key);
        }
    }
    let mut key = find_in(v, buf, lines, path, sql, at, decode, tables_only);
    if let Some(key) = key.as_mut().filter(|_| !tables_only) {
        templated(v, buf, lines, (ls, start, le), key);
    }
    key
}

/// Adds to `key`, the key of a value that a bare map key alone on its line names
/// (`lms_secret: "…"` under an Ansible play's `vars:`), the names the input passes that
/// variable under in its template expressions (`wstoken: "{{ lms_secret }}"`): a
/// template's variables are defined as YAML keys (Ansible's `vars:` and inventories, Helm's
/// `values.yaml`, Salt pillars) and named by where the template uses them. Only uses inside
/// `{{ … }}` count, so a key's other occurrences (another map's key of the same name) do
/// not name it.
fn templated(
    v: &Vocabulary,
    buf: &[u8],
    lines: &Lines,
    (ls, start, le): (usize, usize, usize),
    key: &mut Key,
) {
    // Template variables are defined as bare YAML keys (`lms_secret: …`): a quoted key
    // (JSON, a PHP or Python map) or a `=>` is no template's variable, and its input is
    // spared the search for `{{`.
    let left = &buf[ls..start];
    if key.source != Source::Assignment
        || matches!(left.trim_ascii_start().first(), Some(b'"' | b'\''))
        || memchr::memchr(b'=', left).is_some()
    {
        return;
    }
    let Some(ident) = map_key_ident(left) else {
        return;
    };
    if key.names.first().map(String::as_str) != Some(ident)
        || !*lines
            .templates
            .get_or_init(|| memchr::memmem::find(buf, b"{{").is_some())
    {
        return;
    }
    let used = names_in_templates(v, buf, lines, ident, (ls, le));
    key.names.extend(used);
}

/// The names a variable is passed under where a template expression uses it (`wstoken:
/// "{{ lms_secret }}"`, `{{ lms_secret | trim }}`, Helm's `{{ .Values.lms_secret }}`):
/// the nearest name left of each such use, at most four (see [`names_where_used`]).
fn names_in_templates(
    v: &Vocabulary,
    buf: &[u8],
    lines: &Lines,
    var: &str,
    line: (usize, usize),
) -> Vec<String> {
    names_at_uses(buf, lines, var, line, |at| {
        let line_start = lines.start_of(at);
        let open = template_opener(&buf[line_start..at])?;
        first_walked_name(
            v,
            &String::from_utf8_lossy(&buf[line_start..line_start + open]),
        )
    })
}

/// The names `name_at` gives the uses of `var` outside its own line `ls..le` (an offset of
/// each use; `None` where a use names nothing), in order, at most four: the loop of
/// [`names_where_used`] and [`names_in_templates`].
fn names_at_uses(
    buf: &[u8],
    lines: &Lines,
    var: &str,
    (ls, le): (usize, usize),
    mut name_at: impl FnMut(usize) -> Option<String>,
) -> Vec<String> {
    let uses = lines.uses.borrow_mut().of(buf, var.as_bytes());
    uses.into_iter()
        .filter(|at| !(ls..le).contains(at))
        .filter_map(&mut name_at)
        .take(4)
        .collect()
}

/// The nearest name [`walk`] reads leftwards from the end of `left`, if any.
fn first_walked_name(v: &Vocabulary, left: &str) -> Option<String> {
    match walk(v, left) {
        Walk::Names(names) => names.into_iter().next(),
        _ => None,
    }
}

/// Where the template expression that `before` (a line's text up to a variable) ends
/// inside opens: the offset of its `{{`, when only blanks, a `-` (whitespace control) and
/// a `.Values.`/`vars.`-style path of identifiers come between it and the variable.
fn template_opener(before: &[u8]) -> Option<usize> {
    let mut i = before.len();
    // A dotted path of identifiers before the variable (`.Values.`, `vars.`, `.Values.lms.`).
    while i > 0 && before[i - 1] == b'.' {
        i -= 1;
        while i > 0 && (before[i - 1].is_ascii_alphanumeric() || before[i - 1] == b'_') {
            i -= 1;
        }
    }
    while i > 0 && matches!(before[i - 1], b' ' | b'\t' | b'-') {
        i -= 1;
    }
    (i >= 2 && &before[i - 2..i] == b"{{").then(|| i - 2)
}

/// [`find`] for a value at `start..end` on its line `ls..le`, every syntax asked in turn.
#[allow(clippy::too_many_arguments)]
fn find_in(
    v: &Vocabulary,
    buf: &[u8],
    lines: &Lines,
    path: &str,
    sql: &SqlIndex,
    (ls, start, end, le): (usize, usize, usize, usize),
    decode: bool,
    tables_only: bool,
) -> Option<Key> {
    let unescape = |b: &[u8]| {
        if decode {
            decode_window(b)
        } else {
            String::from_utf8_lossy(b).into_owned()
        }
    };
    let left = unescape(&buf[start.saturating_sub(WINDOW).max(ls)..start]);

    if let Some(name) = serialized_key(&left) {
        return Some(Key::new(vec![name], Source::Serialized));
    }
    if let Some(c) = sql.column(start, end) {
        if let Some((s, e)) = c.row_name {
            // A name/value table's value: its key is the row's name, as in a pair. A plugin's
            // setting is named by its plugin first (`smsgateway_twilio` / `authtoken`: the
            // SMS gateway's Twilio key, not a Moodle token).
            let text = |(s, e): (usize, usize)| String::from_utf8_lossy(&buf[s..e]).into_owned();
            let name = text((s, e));
            let names = match c.row_plugin {
                Some(plugin) => vec![format!("{}_{name}", text(plugin)), name],
                None => vec![name],
            };
            return Some(Key::new(names, Source::Pair));
        }
        let source = Source::SqlColumn {
            table: c.table.to_string(),
            token_store: c.token_store,
        };
        return Some(Key::new(vec![c.name.to_string()], source));
    }
    if let Some(column) = table::header_column(buf, ls, le, start, Some(&lines.headers))
        .or_else(|| {
            html_cell(&left)
                .then(|| table::html_column(buf, start))
                .flatten()
        })
        .or_else(|| {
            table::is_spreadsheet_text(&left)
                .then(|| table::spreadsheet_column(buf, start))
                .flatten()
        })
        .or_else(|| table::aligned_column(buf, ls, le, start, Some(&lines.headers)))
        .or_else(|| table::placeholder_column(buf, ls, le, start, end, Some(&lines.headers)))
    {
        // A bare `Key` column of a table about tokens (Moodle's own "Security keys" page,
        // a scraped copy of it) is the token column.
        let name = column.name;
        let mut names = match is_bare_key(&name) && html_table_mentions_token(buf, start) {
            true => vec![name, "token".to_string()],
            false => vec![name],
        };
        // A two-column table's row label names the value after the header (which decides
        // first where it says anything).
        names.extend(column.row_label);
        // A cell of prose (a ticket's `Description`: `…, jeton <value>, service …`) names
        // the value in its own words: instead of a column that holds text, after any other
        // column's name (which decides first when it names anything).
        if let Walk::Names(inline) = walk(v, cell_before(&left)) {
            let words = v.words(&names[0]);
            let text_column =
                !words.is_empty() && words.iter().all(|w| v.prose_columns.contains(w));
            if text_column && !inline.is_empty() {
                names.clear();
            }
            names.extend(inline);
        }
        let source = Source::TableColumn {
            token_store: column.token_store,
            rows_are_sites: column.rows_are_sites,
            table: column.table,
        };
        return Some(Key {
            names,
            source,
            prose: row_description(&buf[end..le]),
        });
    }
    if let Some(names) = shared_strings_names(v, buf, start, &left) {
        let source = Source::TableColumn {
            token_store: false,
            rows_are_sites: false,
            table: None,
        };
        return Some(Key::new(names, source));
    }
    if let Some((field, table)) = record_field(buf, lines, (ls, start, le), &left) {
        let source = Source::SqlColumn {
            table: table.to_string(),
            token_store: false,
        };
        return Some(Key::new(vec![field], source));
    }
    if tables_only {
        return None;
    }
    if let Some(column) = positional_param_name(buf, lines, ls, &left) {
        return Some(Key::new(vec![column], Source::Assignment));
    }
    if let Some(variable) = heredoc_field(buf, lines, (ls, start, le)) {
        return Some(Key::new(vec![variable], Source::Assignment));
    }
    // A qualifier's value (`old=…`) is named by the words before it, not by where a
    // variable of that name is used.
    if let Some(key) = qualified_key(v, &left) {
        return Some(key);
    }
    let comment = trailing_comment(&buf[end..le.min(end + COMMENT_MAX)])
        .or_else(|| cell_text_above(buf, lines, (ls, start)))
        .or_else(|| comments_above(buf, lines, ls));
    let mut key = named_on_line(v, buf, lines, path, (ls, start, end, le), &left, &unescape);
    // A value assigned to a variable is also named by how the input uses the variable
    // (`tok <- "…"` then `list(wstoken = tok)`).
    if let Some(k) = key
        .as_mut()
        .filter(|k| k.source == Source::Assignment && !k.names.is_empty())
    {
        if let Some(var) = assigned_variable(&left) {
            k.names
                .extend(names_where_used(v, buf, lines, var, (ls, le), &unescape));
        }
    }
    // A computed key (`[PARAM]: "…"`, `$params[TOKEN_PARAM] = '…'`) is named by the string
    // its constant holds, when the input defines it (`const PARAM = "wstoken"`).
    if let Some(name) = computed_key(buf, &left) {
        match &mut key {
            Some(k) => k.names.insert(0, name),
            None => key = Some(Key::new(vec![name], Source::Assignment)),
        }
    }
    match (key, comment) {
        (Some(mut key), comment) => {
            if key.prose.is_none() {
                key.prose = comment;
            }
            Some(key)
        }
        (None, Some(comment)) => Some(Key {
            names: Vec::new(),
            source: Source::Assignment,
            prose: Some(comment),
        }),
        (None, None) => None,
    }
}

/// How many lines around a value its record is read for field names, each way.
const RECORD_LINES: usize = 12;

/// The field of a value in a record of a Moodle table written as an object, array or row
/// (`{"id":"31","script":"rss","value":"…","userid":"7"}` in a phpMyAdmin export,
/// `insert_record('user_private_key', ['script' => 'rss', 'value' => '…', …])`): the field
/// name before the value, when the record's field names are a table's columns
/// ([`table::moodle_table_of`]); with the table. The record is the value's line and the
/// lines around it indented as deep, at most [`RECORD_LINES`] each way.
fn record_field(
    buf: &[u8],
    lines: &Lines,
    (ls, start, le): (usize, usize, usize),
    left: &str,
) -> Option<(String, &'static str)> {
    // The identifier that ends `left` past its glue, asked before any regex runs.
    let glue = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ':' | '=' | '>' | '|');
    let bare = left.trim_end_matches(glue);
    let n = bare
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let ident = &bare[bare.len() - n..];
    if !table::is_record_column(ident) {
        return None;
    }
    let field = field_re().captures(left)?.get(1)?.as_str();
    let depth = indent(&buf[ls..start]);
    let own = lines.index_of(start);
    let last = lines.index_of(buf.len());
    // mysql's vertical output (`\G`) right-aligns its field names: a record's lines share
    // the column of their `:`, not their indentation.
    let colon = memchr::memchr(b':', &buf[ls..start]);
    let same_record = |i: usize| {
        let s = lines.start_of_index(i);
        let line = &buf[s..lines.end_of(s)];
        !line.trim_ascii().is_empty()
            && (indent(line) == depth
                || colon.is_some_and(|c| c > depth && memchr::memchr(b':', line) == Some(c)))
    };
    let mut first = own;
    while first > 0 && own - first < RECORD_LINES && same_record(first - 1) {
        first -= 1;
    }
    let mut end = own;
    while end < last && end - own < RECORD_LINES && same_record(end + 1) {
        end += 1;
    }
    let (s, e) = (
        lines.start_of_index(first),
        lines.end_of(lines.start_of_index(end)),
    );
    let region = &buf[s..e.max(le)];
    // Every column of a table must be written in its record: asked before any field is read.
    if !table::may_hold_record(region) {
        return None;
    }
    let text = String::from_utf8_lossy(region);
    let fields: Vec<&str> = field_names_re()
        .captures_iter(&text)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)).map(|m| m.as_str()))
        .collect();
    let table = table::moodle_table_of(fields.iter().copied())?;
    Some((field.to_string(), table))
}

/// The slot of [`Lines::nearest_settling`]'s memo for here-document openers (`<<EOF`),
/// looked for up to [`OPENER_LINES`] lines above a row: an indentation no block has.
const HEREDOC_OPENERS: OpenerQuestion = (usize::MAX, false);

/// How many lines above a here-document's opener (`done <<EOF`) the loop whose `read` it
/// feeds is looked for (the loop's body stands between them).
const READ_LINES: usize = 30;

/// The shell variable a value is read into, for a value in a row of a here-document that
/// feeds a `read` (`while read -r site tok; do … done <<'EOF'` ⏎ `lms.example.edu <value>` ⏎
/// `EOF`: bulk scripts keep their sites' tokens so): `read` splits each row at blanks (or at
/// the character an `IFS=,` before it gives) into its variables in order, the last taking the
/// rest of the row (bash(1), "read"; the here-document: "Here Documents"). Asked only of a
/// row of bare fields (no quote, `=`, bracket or `$` on its line).
fn heredoc_field(
    buf: &[u8],
    lines: &Lines,
    (ls, start, le): (usize, usize, usize),
) -> Option<String> {
    let row = &buf[ls..le];
    let bare = |b: &u8| {
        !matches!(
            b,
            b'"' | b'\''
                | b'`'
                | b'='
                | b'('
                | b')'
                | b'{'
                | b'}'
                | b'['
                | b']'
                | b'$'
                | b'<'
                | b'>'
                | b';'
        )
    };
    if !row.iter().all(bare) {
        return None;
    }
    let own = lines.index_of(ls);
    let line_at = |i: usize| lines.text_at(buf, i);
    // The nearest opener above (found from the last row asked, not by reading up to
    // [`OPENER_LINES`] lines per value of a long checksum list), with no line between that
    // ends its document.
    let opener = lines.nearest_settling(own, HEREDOC_OPENERS, None, |i| {
        heredoc_delimiter(line_at(i)).is_some()
    })?;
    let delimiter = heredoc_delimiter(line_at(opener))?;
    let closed = (opener + 1..=own).any(|i| line_at(i).trim_ascii() == delimiter);
    if closed {
        return None;
    }
    // The document feeds the command on its opener's line: a `read` there, or the loop that
    // line ends (`done <<EOF`), whose `while read …` stands above it.
    let (variables, separator) = match read_variables(line_at(opener)) {
        Some(read) => read,
        None if ends_loop(line_at(opener)) => (opener.saturating_sub(READ_LINES)..opener)
            .rev()
            .map(line_at)
            .find(|line| loop_condition(line))
            .and_then(read_variables)?,
        None => return None,
    };
    // The value's field: how many fields end before it.
    let before = &buf[ls..start];
    let fields_before = match separator {
        Some(sep) => before.iter().filter(|&&b| b == sep).count(),
        None => before
            .split(u8::is_ascii_whitespace)
            .filter(|f| !f.is_empty())
            .count(),
    };
    let index = fields_before.min(variables.len() - 1);
    Some(variables[index].clone())
}

/// The delimiter word of a here-document a line opens (`<<EOF`, `<<-'END'`, `<< "EOF"`);
/// `None` for a here-string (`<<<`) or no opener.
fn heredoc_delimiter(line: &[u8]) -> Option<&[u8]> {
    let at = memchr::memmem::find(line, b"<<")?;
    let rest = &line[at + 2..];
    if rest.first() == Some(&b'<') {
        return None;
    }
    let rest = rest.strip_prefix(b"-").unwrap_or(rest).trim_ascii_start();
    let (rest, quote) = match rest.first() {
        Some(&q) if q == b'\'' || q == b'"' => (&rest[1..], Some(q)),
        _ => (rest, None),
    };
    let len = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    if len == 0 || quote.is_some_and(|q| rest.get(len) != Some(&q)) {
        return None;
    }
    Some(&rest[..len])
}

/// Whether `line` ends a shell loop (`done <<EOF`, `do …; done <<EOF`).
fn ends_loop(line: &[u8]) -> bool {
    line.split(u8::is_ascii_whitespace)
        .any(|word| word == b"done" || word == b"done;")
}

/// Whether `line` opens a shell loop (`while …`, `until …`), whose condition a here-document
/// after its `done` feeds.
fn loop_condition(line: &[u8]) -> bool {
    let text = line.trim_ascii_start();
    text.starts_with(b"while ") || text.starts_with(b"until ")
}

/// The variables a shell `read` on `line` assigns (`read -r site tok`, `IFS=, read a b`), and
/// the separator an `IFS=` before it sets (`None`: blanks); `None` without a `read` naming
/// one variable at least.
fn read_variables(line: &[u8]) -> Option<(Vec<String>, Option<u8>)> {
    let text = std::str::from_utf8(line).ok()?;
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    let at = words.iter().position(|w| *w == "read")?;
    // `IFS=,` / `IFS=','` / `IFS=$'\t'` just before `read`.
    let separator = words[..at].iter().rev().find_map(|w| {
        let value = w.strip_prefix("IFS=")?;
        let value = value.trim_start_matches('$').trim_matches(['\'', '"']);
        match value {
            "\\t" => Some(b'\t'),
            v if v.len() == 1 => Some(v.as_bytes()[0]),
            _ => None,
        }
    });
    let mut variables = Vec::new();
    let mut options = words[at + 1..].iter();
    while let Some(word) = options.next() {
        if let Some(flag) = word.strip_prefix('-') {
            // An option with its own argument (`-d ''`, `-p "Token: "`, `-t 5`): skipped.
            if matches!(flag, "a" | "d" | "i" | "n" | "N" | "p" | "t" | "u") {
                options.next();
            }
            continue;
        }
        let name = word.trim_end_matches(';');
        let is_name = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !is_name {
            break;
        }
        variables.push(name.to_string());
        if word.ends_with(';') {
            break;
        }
    }
    (!variables.is_empty()).then_some((variables, separator))
}

/// How many lines above a dumped parameter array its query is looked for, and how many
/// lines the query may take.
const QUERY_LINES: usize = 24;

/// The column a positional query parameter is compared with, for a value dumped as the
/// `N`-th element of a parameter array under its query (Moodle's DML debug output, from
/// `moodle_database::query_end`: the SQL with `?` placeholders, then `[array (` and `  0 =>
/// '…',`): the identifier before the query's `N`-th `?` (`t.token = ?` gives `token`).
/// `left`: the value's line before it, ending in `N => '`.
fn positional_param_name(buf: &[u8], lines: &Lines, ls: usize, left: &str) -> Option<String> {
    let index = left
        .trim_end_matches(['\'', '"', ' ', '\t'])
        .strip_suffix("=>")?
        .trim();
    if index.is_empty() || index.len() > 4 || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let index: usize = index.parse().ok()?;
    let line_at = |i: usize| lines.text_at(buf, i);
    let own = lines.index_of(ls);
    let opener = (own.saturating_sub(QUERY_LINES)..own).rev().find(|&i| {
        let line = line_at(i).trim_ascii();
        line.ends_with(b"array (") || line.ends_with(b"array(")
    })?;
    // The query: the lines right above, up to a blank line, the end of an earlier dump
    // (`)]`) or a log entry's first line (`[12-Jun-2024 …] … Debug: …`, `[array (`).
    let mut first = opener;
    while first > 0 && opener - first < QUERY_LINES {
        let above = line_at(first - 1).trim_ascii();
        if above.is_empty() || above.starts_with(b"[") || above.ends_with(b")]") {
            break;
        }
        first -= 1;
    }
    let query =
        String::from_utf8_lossy(&buf[lines.start_of_index(first)..lines.start_of_index(opener)]);
    let at = query.match_indices('?').map(|(i, _)| i).nth(index)?;
    static R: OnceLock<Regex> = OnceLock::new();
    let compared = R.get_or_init(|| {
        Regex::new(r"(?i)([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|<>|!=|<=|>=|<|>|\bLIKE|\bIN\s*\()\s*$")
            .expect("compared column regex")
    });
    compared
        .captures(&query[..at])?
        .get(1)
        .map(|m| m.as_str().to_string())
}

/// The field name that ends `left` (the text before a value): quoted or bare, then `:`, `=>`,
/// `=` or `|` (psql's expanded output), then the value's opening quote.
fn field_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r#"(?-u)["']?([A-Za-z_][A-Za-z0-9_]{0,63})["']?[ \t]*(?::|=>|=|\|)[ \t]*["']?$"#)
            .expect("field regex")
    })
}

/// Field names of a record: quoted or bare names followed by `:` or `=>`, or first on their
/// line before a `|` (psql's expanded output, `value | …`).
fn field_names_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r#"(?m-u)["']?\b([A-Za-z_][A-Za-z0-9_]{0,63})["']?[ \t]*(?::|=>)|^[ \t]*([A-Za-z_][A-Za-z0-9_]{0,63})[ \t]+\|"#)
            .expect("field names regex")
    })
}

/// The key of a value written as the value of a map key alone on its line, the commonest
/// shape by far (`"count": "…"`, `count: …`, `'count' => '…'`, `"count" => "…"`), found
/// without the general search: `None` for any other line, or where the general search could
/// answer differently (a table's column, a name that is syntax, a pair's value field, a
/// bare `key`, a stem's value half). What it returns is exactly what [`find_in`] returns:
/// the left text holds no escape (so decoding leaves it as is), no `;` (no serialized pair),
/// no `<` (no HTML cell), no `=` (no assigned variable), no `[` (no computed key), no `-`
/// (no option), and one identifier (no prose, no chat header); debug builds check it.
fn map_key(
    v: &Vocabulary,
    buf: &[u8],
    lines: &Lines,
    sql: &SqlIndex,
    (ls, start, end, le): (usize, usize, usize, usize),
) -> Option<Key> {
    if start - ls > WINDOW {
        return None;
    }
    let ident = map_key_ident(&buf[ls..start])?;
    // Lowercased on the stack (this runs for every value a map key names).
    let mut scratch = [0u8; 64];
    let owned;
    let lower: &str = match scratch.get_mut(..ident.len()) {
        Some(bytes) => {
            bytes.copy_from_slice(ident.as_bytes());
            bytes.make_ascii_lowercase();
            std::str::from_utf8(bytes).expect("ASCII")
        }
        None => {
            owned = ident.to_ascii_lowercase();
            &owned
        }
    };
    if v.value_words.contains(lower)
        || v.field_value_words.contains(lower)
        || v.syntax.contains(lower)
        || lower == "key"
        || table::is_record_column(ident)
        || sql.column(start, end).is_some()
        || table::header_column(buf, ls, le, start, Some(&lines.headers)).is_some()
        || stem_pair_name(v, buf, lines, (ls, start, le), ident).is_some()
    {
        return None;
    }
    let mut key = Key::new(vec![ident.to_string()], Source::Assignment);
    key.prose = trailing_comment(&buf[end..le.min(end + COMMENT_MAX)]);
    Some(key)
}

/// The identifier of a map key that is all of `left` (the text of a line before its
/// value): blanks, the identifier (ASCII letters, digits and `_`, not starting with a
/// digit) bare or in matching quotes, blanks, `:` or `=>`, blanks, and the value's opening
/// quote if any.
fn map_key_ident(left: &[u8]) -> Option<&str> {
    let blank = |b: &u8| matches!(b, b' ' | b'\t');
    let mut i = left.iter().take_while(|b| blank(b)).count();
    let quote = left.get(i).copied().filter(|&q| q == b'"' || q == b'\'');
    i += usize::from(quote.is_some());
    let s = i;
    i += left[i..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    let ident = &left[s..i];
    if ident.first().is_none_or(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(q) = quote {
        (left.get(i) == Some(&q)).then_some(())?;
        i += 1;
    }
    i += left[i..].iter().take_while(|b| blank(b)).count();
    i += match left.get(i..i + 2) {
        Some(b"=>") => 2,
        _ if left.get(i) == Some(&b':') => 1,
        _ => return None,
    };
    i += left[i..].iter().take_while(|b| blank(b)).count();
    if matches!(left.get(i), Some(b'"' | b'\'')) {
        i += 1;
    }
    (i == left.len()).then(|| std::str::from_utf8(ident).expect("ASCII"))
}

/// The key of a value from its own line and the lines around it (everything but tables):
/// see [`find`].
fn named_on_line(
    v: &Vocabulary,
    buf: &[u8],
    lines: &Lines,
    path: &str,
    (ls, start, end, le): (usize, usize, usize, usize),
    left: &str,
    unescape: &dyn Fn(&[u8]) -> String,
) -> Option<Key> {
    // A chat line holding only its header and the value (`[09:15] luis: <value>`): the
    // value is a message of its own, named by the message above, not by its author.
    let quote = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`');
    if inline_message_header(left).is_some_and(|at| left[at..].chars().all(quote)) {
        let rest = String::from_utf8_lossy(&buf[end..le]);
        if rest.chars().all(quote) {
            // The message above may only answer (`toma, é o do serviço …`): then the one
            // that asked for the value names it.
            return sentence_above(buf, lines, ls)
                .filter(|clause| names_credential(v, clause))
                .or_else(|| message_above(v, buf, lines, ls))
                .map(|clause| Key {
                    names: Vec::new(),
                    source: Source::Assignment,
                    prose: Some(clause),
                });
        }
    }
    // A reply whose words before the value say nothing of it (`klar, neuer ist …`, `here
    // you go: …`): named by the message before it, as a message of the value alone is.
    // A fragment of a message's rich text is read as the message: its answer is final.
    if let Some(clause) = fragment_message(v, buf, (start, end), left) {
        return Some(Key {
            names: Vec::new(),
            source: Source::Assignment,
            prose: clause,
        });
    }
    let reply = inline_message_header(left)
        .filter(|&at| says_nothing(v, &left[at..]))
        .and_then(|_| message_above(v, buf, lines, ls))
        .or_else(|| chat_json_reply(v, buf, lines, ls, left));
    if let Some(clause) = reply {
        return Some(Key {
            names: Vec::new(),
            source: Source::Assignment,
            prose: Some(clause),
        });
    }
    // Prose that a hard wrap cut before the value is read whole.
    let joined = continued_sentence(buf, lines, ls, left);
    let left = joined.as_deref().unwrap_or(left);
    if let Some(clause) = prose_clause(left) {
        return Some(Key {
            names: Vec::new(),
            source: Source::Assignment,
            prose: Some(clause),
        });
    }
    // A default given in the call that defines an option or a setting
    // (`add_argument('-t', '--wstoken',` ⏎ `default='…')`, clap's `#[arg(env =
    // "MOODLE_TOKEN", default_value = "…")]`, Moodle's `new admin_setting_configtext(
    // 'local_sync/token', …, '…')`): the option or the setting names it.
    if let Some(key) = defined_by_call(v, buf, lines, (ls, start), left) {
        return Some(key);
    }
    // An element of an argument vector right after an option element (a container's
    // `args:` list `- "--moodle-token"` ⏎ `- "…"`, `["sync.py", "--token",` ⏎ `"…"]`, a
    // shell line `--token \` ⏎ `…`): the option names it, as `--token …` on one line does.
    if !left.bytes().any(|b| b.is_ascii_alphanumeric()) {
        let named = option_above(buf, lines, ls).and_then(|option| match option.len() {
            1 => long_option(v, buf, start, option),
            _ => Some(option),
        });
        if let Some(name) = named {
            return Some(Key::new(vec![name], Source::Assignment));
        }
    }
    match walk(v, left) {
        Walk::Names(mut names) if !names.is_empty() => {
            // A short option names the value by its long form (`-t <value>`: `--token`).
            // A value field named for its stem (`apiKeyValue: …`) is named by its sibling
            // name field (`apiKeyKey: wstoken`, `header_name: …`), as a pair.
            if let Some(name) = stem_pair_name(v, buf, lines, (ls, start, le), &names[0]) {
                names.insert(0, name);
            }
            if let Some(letter) = short_option(left).filter(|l| *l == names[0]) {
                if let Some(long) = long_option(v, buf, start, letter) {
                    names[0] = long;
                }
            }
            // A label and its value in elements of their own on one line (a Word document's
            // runs, `<w:t>Token: </w:t></w:r><w:r><w:t>…`, which Word splits wherever the
            // formatting changes; HTML's `<b>Token:</b> <code>…`): after the elements' own
            // names, the label names the value as it would in the paragraph's text.
            if left.trim_end().ends_with('>') {
                names.extend(label_before_markup(v, left).unwrap_or_default());
            }
            // A bare `key`/`token` is named by its scope too (`[moodle]` / `key = …`,
            // `<moodle><key>…`): `moodle key`.
            if names.len() == 1 && names[0].eq_ignore_ascii_case("key") {
                if let Some(scope) = parent_key(buf, lines, start) {
                    let scope = identifiers(v, &scope).join("_");
                    if !scope.is_empty() {
                        names.push(format!("{scope}_{}", names[0]));
                    }
                }
            }
            return Some(Key::new(names, Source::Assignment));
        }
        Walk::Pair => {
            if let Some(name) = pair_name(buf, lines, ls, le) {
                return Some(Key::new(vec![name], Source::Pair));
            }
            if let Some(name) = cobol_item(buf, lines, ls, le) {
                return Some(Key::new(vec![name], Source::Assignment));
            }
            // A value field of a map written on one line is named by the map's key
            // (Heroku's `"MOODLE_TOKEN": { "description": "…", "value": "…" }`, HCL's
            // `variable "moodle_token" { default = "…" }`, PHP's `'TOKEN' => ['value' => …`).
            if let Some(head) = inline_map_head(left) {
                let mut names = identifiers(v, head);
                names.reverse();
                if !names.is_empty() {
                    return Some(Key::new(names, Source::Block));
                }
            }
        }
        // Nothing on the line names the value (glue, types, numbers: `- `, `  "`,
        // `string(32) "` of a PHP var_dump): the line above may (`["token"]=>`), unless the
        // value is a list element after the first (named by its list, not by the element
        // above it) or a record of its own (see `site_record` below).
        Walk::Names(_)
            if (!follows_sibling(buf, lines, ls, start) || previous_line_introduces(buf, ls))
                && !site_record(&buf[ls..le], start - ls, end - ls)
                && (markup_only(left) || previous_line_introduces(buf, ls)) =>
        {
            // A sentence above a value alone on its line names it as prose, before the
            // words of the line above are read as names.
            if let Some(key) = sentence_key(buf, lines, (ls, start, end, le)) {
                return Some(key);
            }
            if let Some(names) = introduced_by_previous_line(v, buf, lines, (ls, end, le), unescape)
            {
                return Some(Key::new(names, Source::Assignment));
            }
        }
        Walk::Names(_) => {}
    }
    // Nothing names the value on its line: the block it stands in may
    // (`variable "moodle_token" { default = "…" }`, `moodle_token:` over a `value:`).
    let block = parent_key(buf, lines, start).map(|head| {
        let mut names = identifiers(v, &head);
        names.reverse();
        names
    });
    // A record pairing a site's address with the value (`("https://lms.example", "…")`
    // in a list of sites): the value is that site's token, unless the list is named for
    // digests (`CHECKSUMS = [`).
    if site_record(&buf[ls..le], start - ls, end - ls) {
        let digest = block.iter().flatten().any(|n| {
            v.words(n)
                .iter()
                .any(|w| v.digest_words.contains(w) || v.not_secret_tail.contains(w))
        });
        if !digest {
            return Some(Key::new(vec!["site_token".to_string()], Source::Record));
        }
    }
    if let Some(names) = block.filter(|n| !n.is_empty()) {
        return Some(Key::new(names, Source::Block));
    }
    // A value alone on its line: the sentence above may say what it is.
    if let Some(key) = sentence_key(buf, lines, (ls, start, end, le)) {
        return Some(key);
    }
    if buf.trim_ascii().len() == end - start {
        let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let stem = file.split('.').next().unwrap_or(file);
        return Some(Key::new(vec![stem.to_string()], Source::FileName));
    }
    None
}

/// The key of the map still open at the end of `left` (a line's text before a value) when
/// that map opens on the same line: the text before its `{` (or `[`), back to the field or
/// map it stands in, without its `:`, `=` or `=>` (`"MOODLE_TOKEN"` of `"MOODLE_TOKEN": {
/// "value": "`). Brackets inside double-quoted strings do not count. `None` when no map is
/// open on the line or nothing stands before it.
fn inline_map_head(left: &str) -> Option<&str> {
    // The value's own opening quote is no string of the line's.
    let left = left.trim_end().trim_end_matches(['"', '\'']);
    let b = left.as_bytes();
    let mut depth = 0usize;
    let mut quoted = false;
    let mut open = None;
    for i in (0..b.len()).rev() {
        match b[i] {
            b'"' if i == 0 || b[i - 1] != b'\\' => quoted = !quoted,
            _ if quoted => {}
            b'}' | b']' => depth += 1,
            b'{' | b'[' if depth == 0 => {
                open = Some(i);
                break;
            }
            b'{' | b'[' => depth -= 1,
            _ => {}
        }
    }
    let before = left[..open?].trim_end();
    let before = before
        .strip_suffix("=>")
        .or_else(|| before.strip_suffix([':', '=']))
        .unwrap_or(before)
        .trim_end();
    let field = before
        .rsplit([',', '{', '[', '(', ';'])
        .next()
        .unwrap_or(before)
        .trim();
    (!field.is_empty()).then_some(field)
}

/// The names a label ending in `:` gives a value that markup alone separates from it
/// (`Token: </w:t></w:r><w:r><w:t>`, `<b>Token:</b> <code>`): [`walk`] of the text before
/// the tags, when any were there to drop.
fn label_before_markup(v: &Vocabulary, left: &str) -> Option<Vec<String>> {
    let label = without_trailing_markup(left);
    if label.len() == left.trim_end().len() || !label.ends_with(':') {
        return None;
    }
    match walk(v, label) {
        Walk::Names(names) if !names.is_empty() => Some(names),
        _ => None,
    }
}

/// The letter of a short command-line option right before a value (`-t `, `-t=`, `-t "`),
/// preceded by a blank or the line's start.
fn short_option(left: &str) -> Option<String> {
    let t = left.trim_end_matches(['"', '\'']);
    let t = t.strip_suffix('=').unwrap_or(t.trim_end());
    let b = t.as_bytes();
    let n = b.len();
    let letter =
        (n >= 2 && b[n - 2] == b'-' && b[n - 1].is_ascii_alphabetic()).then(|| b[n - 1])?;
    (n == 2 || matches!(b[n - 3], b' ' | b'\t')).then(|| (letter as char).to_string())
}

/// How far around a value the definition of a short option is looked for, in bytes.
const OPTION_REACH: usize = 64 << 10;

fn option_re() -> &'static regex::bytes::Regex {
    static R: OnceLock<regex::bytes::Regex> = OnceLock::new();
    R.get_or_init(|| {
        regex::bytes::Regex::new(
            r#"(?:^|[\s'"(\[,])-([A-Za-z])["']?\s*[,|]?\s*["']?--([A-Za-z][A-Za-z0-9_-]{1,40})"#,
        )
        .expect("option regex")
    })
}

/// The long option the short option `letter` stands for: as the input defines it near the
/// value at `at` (`add_argument('-t', '--token')`, `.option('-t, --token <token>')`, a usage
/// line `-t|--token`), else by convention (`rules/data/names.toml`, `short_options`).
fn long_option(v: &Vocabulary, buf: &[u8], at: usize, letter: String) -> Option<String> {
    let lo = at.saturating_sub(OPTION_REACH);
    let hi = (at + OPTION_REACH).min(buf.len());
    let defined = option_re()
        .captures_iter(&buf[lo..hi])
        .find(|c| c[1] == *letter.as_bytes())
        .map(|c| String::from_utf8_lossy(&c[2]).into_owned());
    defined.or_else(|| v.short_options.get(&letter).cloned())
}

/// Whether the value at `start..end` of `line` is an element of a bracketed record
/// (`(…)`, `[…]`, `{…}`) that also holds a site address: an `http(s)://` URL whose path names
/// no file (`https://lms.example.edu`, `https://host/moodle`; not `…/moodle-4.5.tgz`), in
/// another element than the value's own.
fn site_record(line: &[u8], start: usize, end: usize) -> bool {
    let open = line[..start]
        .iter()
        .rposition(|&b| matches!(b, b'(' | b'[' | b'{'));
    let close = line[end..]
        .iter()
        .position(|&b| matches!(b, b')' | b']' | b'}'))
        .map(|p| end + p);
    let (Some(open), Some(close)) = (open, close) else {
        return false;
    };
    let record = &line[open + 1..close];
    let value = &line[start..end];
    // Elements only: no assignment or name/value glue inside the record.
    if record
        .iter()
        .any(|&b| matches!(b, b'=' | b'(' | b'[' | b'{'))
    {
        return false;
    }
    record
        .split(|&b| b == b',')
        .map(|e| {
            let quote = |b: &u8| matches!(b, b'"' | b'\'' | b'`');
            let e = e.trim_ascii();
            let from = e.iter().position(|b| !quote(b)).unwrap_or(e.len());
            let to = e.iter().rposition(|b| !quote(b)).map_or(from, |i| i + 1);
            &e[from..to.max(from)]
        })
        .any(|e| {
            // The value's own element is no site beside it (a DSN's `https://<key>@host/…`).
            if memchr::memmem::find(e, value).is_some() {
                return false;
            }
            let Some(rest) = e
                .strip_prefix(b"https://")
                .or_else(|| e.strip_prefix(b"http://"))
            else {
                return false;
            };
            let last = rest.rsplit(|&b| b == b'/').next().unwrap_or(rest);
            rest.contains(&b'.') && (last == rest || !last.contains(&b'.'))
        })
}

fn computed_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r#"\[\s*(?:self::|static::|[A-Za-z_]\w*\.)?([A-Za-z_$][\w$]*)\s*\]\s*(?::|=>|=)?\s*["'`]?$"#)
            .expect("computed key regex")
    })
}

/// The name a computed key stands for: for `[PARAM]: "` before a value, the string the
/// input assigns to `PARAM` (`const PARAM = "wstoken"`, `PARAM = 'wstoken'`,
/// `define('PARAM', 'wstoken')`, `const string PARAM = "wstoken";`).
fn computed_key(buf: &[u8], left: &str) -> Option<String> {
    if !left.contains(']') {
        return None;
    }
    // Unbounded in the patterns, checked here: a bounded repeat of a Unicode class compiles
    // to one automaton per count.
    let ident = computed_re().captures(left)?.get(1)?.as_str();
    let ident = ident.trim_start_matches('$');
    if ident.len() > 64 {
        return None;
    }
    let text = String::from_utf8_lossy(buf);
    let quoted = regex::escape(ident);
    let def = Regex::new(&format!(
        r#"(?:\b{quoted}\s*(?::\s*\w+\s*)?=\s*|define\s*\(\s*["']{quoted}["']\s*,\s*)["']([A-Za-z_][\w-]*)["']"#
    ))
    .ok()?;
    def.captures(&text)
        .map(|c| c[1].to_string())
        .filter(|name| name.len() <= 64)
}

/// Whether the line before `ls` ends by introducing a value (`["token"]=>`, `token:`,
/// `TOKEN =`): then a value line that names nothing itself (`string(32) "…"`) is its value.
fn previous_line_introduces(buf: &[u8], ls: usize) -> bool {
    if ls == 0 {
        return false;
    }
    let s = memchr::memrchr(b'\n', &buf[..ls - 1]).map_or(0, |i| i + 1);
    let line = buf[s..ls - 1].trim_ascii_end();
    // A string literal joined to the value's own literal (`"?wstoken="` above `"…"`,
    // `'…&wstoken=' .` above `'…'`) introduces it as well.
    let joined = line
        .strip_suffix(b"+")
        .or_else(|| line.strip_suffix(b"."))
        .unwrap_or(line)
        .trim_ascii_end();
    let literal = [b'"', b'\'', b'`']
        .iter()
        .find_map(|q| joined.strip_suffix(&[*q][..]));
    let introduces = |l: &[u8]| l.ends_with(b"=>") || l.ends_with(b":") || l.ends_with(b"=");
    introduces(line) || literal.is_some_and(|l| l.ends_with(b"=") || l.ends_with(b":"))
}

/// How far before a value the call defining its option or setting is looked for, in bytes.
const CALL_REACH: usize = 2048;

/// The key a value gets from the call it is a default of: the option strings
/// (`'--wstoken'`, commander's `'-t, --token <token>'`) and environment variables (`env =
/// "MOODLE_TOKEN"`, `envvar='…'`) of a call whose argument is `default=…` /
/// `default_value = …` / `Default = …`, or the setting of a Moodle admin setting whose
/// fourth argument the value is (`admin_setting::__construct($name, $visiblename,
/// $description, $defaultsetting)` in Moodle's lib/adminlib.php; `'local_sync/remotetoken'`
/// names it `remotetoken`, and a visible name or description written out, `'Bugsnag project
/// token'`, is its prose). A setting whose name does not say `token` is left to the other
/// syntaxes: Moodle calls its web-service credential a token, and a plugin's `apikey` is
/// the external service's the plugin talks to. `left`: the value's line before it. `None`
/// when the value is no such default or the call names nothing.
fn defined_by_call(
    v: &Vocabulary,
    buf: &[u8],
    lines: &Lines,
    (ls, start): (usize, usize),
    left: &str,
) -> Option<Key> {
    let t = left.trim_end_matches(['"', '\'', '`', ' ']);
    let keyword_default = t
        .strip_suffix('=')
        .or_else(|| t.strip_suffix(':'))
        .and_then(|t| {
            let t = t.trim_end();
            t.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
        })
        .is_some_and(|word| {
            matches!(
                word.to_ascii_lowercase().as_str(),
                "default" | "default_value" | "defaultvalue" | "default_val"
            )
        });
    // Most values are no argument of a call that defines a setting: spared the search (an
    // admin setting's constructor starts at most three lines above its default).
    let lo = start.saturating_sub(CALL_REACH);
    if !keyword_default {
        let above = (0..3).fold(ls, |s, _| if s == 0 { 0 } else { lines.start_of(s - 1) });
        let near = &buf[above.max(lo)..start];
        memchr::memmem::find(near, b"admin_setting_")?;
    }
    let window = &buf[lo..start];
    let open = enclosing_paren(window)?;
    let callee_end = open;
    let callee_start = window[..callee_end]
        .iter()
        .rposition(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.')))
        .map_or(0, |i| i + 1);
    let callee = String::from_utf8_lossy(&window[callee_start..callee_end]).to_ascii_lowercase();
    let args = top_level_args(&window[open + 1..]);
    let literal = |arg: &[u8]| -> Option<String> {
        let a = arg.trim_ascii();
        let q = *a.first().filter(|q| matches!(q, b'"' | b'\'' | b'`'))?;
        (a.len() >= 2 && a[a.len() - 1] == q)
            .then(|| String::from_utf8_lossy(&a[1..a.len() - 1]).into_owned())
    };
    if callee.contains("admin_setting_") && !keyword_default {
        // The value is the fourth argument: three before it, each closed by a comma.
        if args.len() != 4
            || !args[3]
                .trim_ascii()
                .iter()
                .all(|&b| matches!(b, b'"' | b'\''))
        {
            return None;
        }
        let setting = literal(args[0])?;
        let name = setting.rsplit('/').next()?.to_string();
        if !name.to_ascii_lowercase().contains("token") {
            return None;
        }
        let said: Vec<String> = args[1..3].iter().filter_map(|a| literal(a)).collect();
        let mut key = Key::new(vec![name], Source::Assignment);
        key.prose = (!said.is_empty()).then(|| said.join(". "));
        return Some(key);
    }
    if !keyword_default {
        return None;
    }
    let mut long = Vec::new();
    let mut short = None;
    let mut env = Vec::new();
    for arg in &args[..args.len().saturating_sub(1)] {
        let text = String::from_utf8_lossy(arg);
        let (key, value) = match text.split_once('=') {
            Some((k, v)) if !k.contains(['"', '\'']) => (k.trim().to_ascii_lowercase(), v),
            _ => (String::new(), text.as_ref()),
        };
        let Some(value) = literal(value.as_bytes()) else {
            continue;
        };
        if matches!(
            key.as_str(),
            "env" | "envvar" | "env_var" | "auto_envvar_prefix"
        ) {
            env.push(value);
            continue;
        }
        if !(key.is_empty() || key == "names" || key == "name" || key == "long") {
            continue;
        }
        for word in value.split([' ', ',', '|']) {
            if let Some(name) = word.strip_prefix("--").filter(|n| !n.is_empty()) {
                long.push(name.to_string());
            } else if let Some(letter) = word.strip_prefix('-').filter(|n| n.len() == 1) {
                short = Some(letter.to_string());
            } else if key == "long" && !word.is_empty() {
                long.push(word.to_string());
            }
        }
    }
    if long.is_empty() {
        if let Some(letter) = short {
            long.extend(long_option(v, buf, start, letter));
        }
    }
    long.extend(env);
    (!long.is_empty()).then(|| Key::new(long, Source::Assignment))
}

/// The bytes of `text` outside its string literals (`"…"`, `'…'`, `` `…` ``, a backslash
/// escaping the next byte inside the first two), with their offsets; the quotes are inside.
fn outside_literals(text: &[u8]) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    text.iter().enumerate().filter_map(move |(i, &b)| {
        match quote {
            _ if escaped => escaped = false,
            Some(q) if b == b'\\' => escaped = q != b'`',
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if matches!(b, b'"' | b'\'' | b'`') => quote = Some(b),
            None => return Some((i, b)),
        }
        None
    })
}

/// The offset in `text` of the `(` left open at its end, skipping string literals and
/// balanced parentheses; `None` when every parenthesis is closed (inside a literal at the
/// end, the value's own opening quote, the call is still the one open).
fn enclosing_paren(text: &[u8]) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    for (i, b) in outside_literals(text) {
        match b {
            b'(' => open.push(i),
            b')' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

/// The top-level arguments of a call whose text after its `(` is `text` (up to the value),
/// split at commas outside literals and brackets; the last is the part before the value.
fn top_level_args(text: &[u8]) -> Vec<&[u8]> {
    let mut args = Vec::new();
    let (mut depth, mut from) = (0usize, 0);
    for (i, b) in outside_literals(text) {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                args.push(&text[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    args.push(&text[from.min(text.len())..]);
    args
}

/// The option (without its dashes) that the last element of the nearest non-blank line
/// above `ls` is, when it is one: `--moodle-token` or `-t`, bare or quoted, after a list
/// bullet or a comma, before a comma or a shell line continuation (`\`). `None` when that
/// element is anything else (`--moodle-token=…` holds its own value).
fn option_above(buf: &[u8], lines: &Lines, ls: usize) -> Option<String> {
    let mut e = ls.checked_sub(1)?;
    let line = loop {
        let s = lines.start_of(e);
        let line = buf[s..e].trim_ascii();
        if !line.is_empty() {
            break line;
        }
        e = s.checked_sub(1)?;
    };
    let line = line.strip_suffix(b"\\").unwrap_or(line).trim_ascii_end();
    let line = line.strip_suffix(b",").unwrap_or(line).trim_ascii_end();
    let quote = line
        .last()
        .copied()
        .filter(|q| matches!(q, b'"' | b'\'' | b'`'));
    let body = match quote {
        Some(q) => {
            let inner = &line[..line.len() - 1];
            &inner[memchr::memrchr(q, inner)? + 1..]
        }
        None => {
            let at = line
                .iter()
                .rposition(|&b| matches!(b, b' ' | b'\t' | b',' | b'[' | b'('))
                .map_or(0, |i| i + 1);
            &line[at..]
        }
    };
    let name = body
        .strip_prefix(b"--")
        .or_else(|| body.strip_prefix(b"-"))?;
    let is_name = name.first().is_some_and(u8::is_ascii_alphabetic)
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let long = body.starts_with(b"--");
    (is_name && (long || name.len() == 1)).then(|| String::from_utf8_lossy(name).into_owned())
}

/// The data item a COBOL `VALUE` clause on the line `ls..le` gives its value to: the name
/// after the level number on the same line (`05 LMS-SERVICE PIC X(20) VALUE '…'.`), or on
/// the line above when the clause continues it (`05 LMS-WS-TOKEN PIC X(32)` ⏎ `VALUE
/// '…'.`: an entry ends at its period).
fn cobol_item(buf: &[u8], lines: &Lines, ls: usize, le: usize) -> Option<String> {
    fn item(line: &[u8]) -> Option<String> {
        let t = String::from_utf8_lossy(line);
        let mut words = t.split_whitespace();
        let level = words.next()?;
        let level_ok = level.len() == 2
            && level.bytes().all(|b| b.is_ascii_digit())
            && matches!(level.parse::<u8>(), Ok(1..=49 | 66 | 77));
        let name = words.next()?;
        let name_ok = name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && name.bytes().any(|b| b.is_ascii_alphabetic());
        (level_ok && name_ok).then(|| name.to_string())
    }
    if let Some(name) = item(&buf[ls..le]) {
        return Some(name);
    }
    let e = ls.checked_sub(1)?;
    let above = &buf[lines.start_of(e)..e];
    if above.trim_ascii_end().ends_with(b".") {
        return None;
    }
    item(above)
}

/// Whether an identifier the walk collected is a value rather than a name: a long run of
/// letters and digits with digits in it (a token, a hash).
fn is_value_like(ident: &str) -> bool {
    ident.len() >= 16
        && ident.bytes().all(|b| b.is_ascii_alphanumeric())
        && ident.bytes().any(|b| b.is_ascii_digit())
}

/// Whether `name` is a lone generic word (`key`, `Key`, `token`) that its scope may qualify.
fn is_bare_key(name: &str) -> bool {
    ["key", "keys", "token", "tokens"]
        .iter()
        .any(|w| name.trim().eq_ignore_ascii_case(w))
}

/// How far before a table's start its page may say what the table holds, in bytes.
const TABLE_TITLE_REACH: usize = 4096;

/// Whether the HTML table holding `pos` is about tokens: its opening tag, or the page
/// before it (title, heading, the classes of the elements around it, up to
/// [`TABLE_TITLE_REACH`] bytes), says `token` (`webservicestokenui`, `page-user-managetoken`).
fn html_table_mentions_token(buf: &[u8], pos: usize) -> bool {
    // Found in the bytes as written (no lowercased copy of the window per cell: a saved
    // listing may hold thousands of rows); only the table's head and the text before it
    // are lowercased.
    let before = &buf[pos.saturating_sub(64 << 10)..pos];
    let table = [&b"<table"[..], b"<TABLE", b"<Table"]
        .iter()
        .filter_map(|t| memchr::memmem::rfind(before, t))
        .max();
    let Some(table) = table else {
        return false;
    };
    let from = table.saturating_sub(TABLE_TITLE_REACH);
    let head_end = memchr::memchr(b'>', &before[table..]).map_or(before.len(), |e| table + e);
    let head = before[from..head_end].to_ascii_lowercase();
    memchr::memmem::find(&head, b"token").is_some()
}

/// How many lines above a value its wrapped table cell may begin.
const CELL_WRAP_LINES: usize = 3;

/// The longest text before a value in a row of a blank-aligned table, in bytes.
const CELL_ROW_MAX: usize = 512;

/// The text above a value in its own column of a blank-aligned table, when the value is a
/// cell of its own (two blanks or more before it, after the row's first cell) and the
/// lines above hold text starting in the same character column after two blanks: the
/// earlier lines of a wrapped cell (a handover table saved as text, `Seesaw → Moodle  Uses
/// web service token` over `bridge  <value>`), read as a sentence ([`prose_clause`]).
fn cell_text_above(buf: &[u8], lines: &Lines, (ls, start): (usize, usize)) -> Option<String> {
    // A table's row is short: a long line (minified data holding many values) is none, and
    // is not read once per value.
    if start - ls > CELL_ROW_MAX || !buf[ls..start].ends_with(b"  ") {
        return None;
    }
    let left = std::str::from_utf8(&buf[ls..start]).ok()?;
    // The row's first cell on the value's line continues the row's first line (`Seesaw →
    // Moodle` ⏎ `bridge`): a capital there begins a row of its own (`Build  <hash>`).
    if left.trim().is_empty() || left.trim_start().starts_with(char::is_uppercase) {
        return None;
    }
    let column = left.chars().count();
    let mut parts: Vec<String> = Vec::new();
    let mut s = ls;
    // The row's first line must follow a row boundary (a blank line or the table's rule of
    // dashes, as pandoc's multiline tables and Word's text export separate rows): in a
    // table of one-line rows the line above is another row (`Before  Rotate the token`
    // over `Build  <hash>`), not the value's cell.
    let mut bounded = false;
    for _ in 0..=CELL_WRAP_LINES {
        if s == 0 {
            break;
        }
        let e = s - 1;
        s = lines.start_of(e);
        if e - s > 4 * CELL_ROW_MAX {
            break;
        }
        let Ok(line) = std::str::from_utf8(&buf[s..e]) else {
            break;
        };
        let line = line.trim_end_matches('\r');
        let boundary = line.trim().chars().all(|c| c == '-' || c.is_whitespace());
        if boundary {
            bounded = !parts.is_empty();
            break;
        }
        let before: String = line.chars().take(column).collect();
        let text: String = line.chars().skip(column).collect();
        let starts_cell = before.chars().count() == column
            && (before.ends_with("  ") || before.trim().is_empty())
            && text.starts_with(|c: char| !c.is_whitespace());
        if !starts_cell || parts.len() == CELL_WRAP_LINES {
            break;
        }
        parts.push(text.trim_end().to_string());
    }
    if !bounded {
        return None;
    }
    parts.reverse();
    prose_clause(&parts.join(" "))
}

/// How far past a value its comment is read, in bytes: a comment is a short note, and a
/// long line (minified data holding many values) is not read to its end once per value.
const COMMENT_MAX: usize = 512;

/// The text of a comment after a value on its line (`'…'; // token de acesso`, `"…"  #
/// moodle ws token`, `… -- the sync token`), with the closing quote and punctuation between
/// skipped; `None` without one.
fn trailing_comment(after: &[u8]) -> Option<String> {
    let skip = after
        .iter()
        .take_while(|&&b| {
            matches!(
                b,
                b'"' | b'\'' | b'`' | b',' | b';' | b')' | b']' | b'}' | b' ' | b'\t'
            )
        })
        .count();
    let rest = &after[skip..];
    let body = [&b"//"[..], b"#", b"/*", b"--", b"<!--", b"%", b";"]
        .iter()
        .find_map(|open| rest.strip_prefix(*open))?;
    let text = String::from_utf8_lossy(body);
    let text = text
        .trim_end_matches(['*', '/', '-', '>', ' ', '\t'])
        .trim();
    (text.split_whitespace().count() >= 2).then(|| text.to_string())
}

/// How many comment lines directly above a value's line are read as its comment.
const COMMENT_ABOVE_LINES: usize = 3;

/// The comment lines directly above the line at `ls` (at most [`COMMENT_ABOVE_LINES`], no
/// blank line between), read as one sentence, when the nearest ends in `:` and so
/// introduces the line below (`# old token - still live until cutover:` over `# OLD=…`); a
/// comment that ends otherwise (`// see grade token for details.`) is a note of its own.
/// Read only when the value's own names decide nothing ([`Key::prose`]).
fn comments_above(buf: &[u8], lines: &Lines, ls: usize) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut e = ls.checked_sub(1)?;
    for _ in 0..COMMENT_ABOVE_LINES {
        let s = lines.start_of(e);
        if e - s > COMMENT_MAX {
            break;
        }
        let line = buf[s..e].trim_ascii();
        if line.starts_with(b"#!") {
            break;
        }
        let Some(body) = [
            &b"//"[..],
            b"#",
            b"--",
            b"<!--",
            b"%",
            b";",
            b"REM ",
            b"rem ",
        ]
        .iter()
        .find_map(|open| line.strip_prefix(*open)) else {
            break;
        };
        let body = String::from_utf8_lossy(body).trim().to_string();
        if parts.is_empty() && !body.ends_with(':') {
            return None;
        }
        parts.push(body);
        match s.checked_sub(1) {
            Some(above) => e = above,
            None => break,
        }
    }
    parts.reverse();
    let text = parts.join(" ");
    (text.split_whitespace().count() >= 2).then_some(text)
}

/// The text before a value (`left`, on the line starting at `ls`) joined to the line above it
/// when a hard wrap cut one sentence in two there (`pdftotext`, a mail client): the line
/// above ends in a word, or in a word's hyphen (`slož-` ⏎ `ce (<value>)`, rejoined
/// `složce`), and `left` goes on in lowercase; `None` otherwise.
fn continued_sentence(buf: &[u8], lines: &Lines, ls: usize, left: &str) -> Option<String> {
    let rest = left.trim_start();
    // Words and an opening mark before the value, nothing of code's.
    let prose = |c: char| c.is_alphabetic() || matches!(c, ' ' | '(' | '`' | '"' | '\'' | ',');
    // A short clause that refers back (`Es lautet` under `… ein eigenes Token erzeugt.`)
    // is read with the sentence above it, which says what it refers to.
    let referring = refers_back(rest);
    let continues = rest.starts_with(|c: char| c.is_lowercase()) || referring;
    if !continues || !rest.chars().all(prose) || ls == 0 {
        return None;
    }
    // A long line above (minified data) is no sentence: not copied once per value after it.
    let above = &buf[lines.start_of(ls - 1)..ls - 1];
    if above.len() > COMMENT_MAX * 2 {
        return None;
    }
    let above = String::from_utf8_lossy(above);
    let above = above.trim();
    let code = |c: char| matches!(c, '=' | ';' | '{' | '}' | '[' | ']' | '<' | '>' | '$');
    if above.split_whitespace().count() < 3 || above.contains(code) {
        return None;
    }
    let word_before = |t: &str| t.chars().next_back().is_some_and(char::is_alphabetic);
    match above.strip_suffix('-') {
        Some(cut) if word_before(cut) => Some(format!("{cut}{rest}")),
        _ if word_before(above) => Some(format!("{above} {rest}")),
        _ if referring && above.strip_suffix('.').is_some_and(word_before) => {
            Some(format!("{above} {rest}"))
        }
        _ => None,
    }
}

/// Whether `clause` (the words before a value) only refers back to what was said before it:
/// fewer than four words, each one of `names.toml`'s `referring_words` (`that one is`, `Es
/// lautet`, `new one:`).
fn refers_back(clause: &str) -> bool {
    let words: Vec<&str> = clause.split_whitespace().collect();
    !words.is_empty()
        && words.len() < 4
        && words.iter().all(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
            Vocabulary::builtin()
                .referring_words
                .contains(&w.to_lowercase())
        })
}

/// The key of a value whose own key is a qualifier (`old`, `new`, `current`: `names.toml`'s
/// `qualifiers`, words that never name a credential by themselves), written
/// `key=value` or `key: value` after other words on the line: the key says which of
/// something the value is, and those words say what (a rotation log's `rotated token for
/// svc_sync on lms.example.edu old=… new=…`), as the clause of a sentence names its value.
/// The clause is the line's text before the key, less the other qualifiers' pairs before it
/// (`old=…`), each address or host name read as the word `site` (as a sentence reads a
/// link: `lms.example.edu` says nothing of the value), from past the last break of a
/// sentence or a log line's prefix (`. ! ? ] > | :`: `rotate-tokens: plugin checksum
/// changed old=…` speaks of a checksum); it must hold a word. `None` for any other value.
fn qualified_key(v: &Vocabulary, left: &str) -> Option<Key> {
    let quote = |c: char| c.is_whitespace() || matches!(c, '"' | '\'');
    let t = left.trim_end_matches(quote);
    let t = t.strip_suffix(['=', ':'])?.trim_end();
    let n = t
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    let (before, name) = t.split_at(t.len() - n);
    // One qualifier word, any case (asked of every value's key: no split, no allocation).
    let is_qualifier = |name: &str| v.qualifiers.iter().any(|q| q.eq_ignore_ascii_case(name));
    if !before.ends_with(char::is_whitespace) || !is_qualifier(name) {
        return None;
    }
    let mut before = before.trim_end();
    // The qualifiers' pairs before this one (`old=<value> new=`).
    while let Some((rest, last)) = before.rsplit_once(char::is_whitespace) {
        if !last
            .split_once(['=', ':'])
            .is_some_and(|(k, _)| is_qualifier(k))
        {
            break;
        }
        before = rest.trim_end();
    }
    let text = url_re().replace_all(before, "site");
    let text = host_re().replace_all(&text, "site");
    // The message's own clause: past a log line's prefix (`[time]`, `logger:`) and the
    // sentence before it.
    let clause = text[text
        .rfind(['.', '!', '?', ']', '>', '|', ':'])
        .map_or(0, |i| i + 1)..]
        .trim();
    let says = clause
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.chars().any(char::is_alphabetic));
    says.then(|| Key {
        names: vec![name.to_string()],
        source: Source::Assignment,
        prose: Some(clause.to_string()),
    })
}

/// The clause before a value when it is a sentence (`here is the token for the new sync
/// service user:`, `La clave del servicio web … es`, `Schlüssel für den Dienst "X" ist
/// jetzt:`): at least four words after the last sentence break (`.`, `!`, `?`, `]`, `>`,
/// `|`, a list bullet), and none of code's punctuation (`=`, brackets, `$`, `;`, `&`).
fn prose_clause(left: &str) -> Option<String> {
    // A site's address in a sentence (`the token for https://lms.example.edu:`) is one
    // word: its dots and slashes are neither sentence breaks nor code.
    let unlinked;
    let left = if left.contains("://") {
        unlinked = url_re().replace_all(left, "site");
        unlinked.as_ref()
    } else {
        left
    };
    let clause = without_trailing_markup(left);
    // An aside in parentheses (`Reporting dashboard token (service reports_ro):`) is no
    // code: a parenthesis after a blank, holding only words. A gloss of the term
    // (`özel belirteç (privatetoken):`) stays, as words.
    let unaside;
    let clause = if clause.contains(" (") {
        unaside = aside_re().replace_all(clause, |c: &regex::Captures| {
            let aside = &c[0];
            match (is_gloss(aside), aside.chars().count() > ASIDE_MAX) {
                (_, true) => aside.to_string(),
                (true, false) => format!(" {}", aside.trim().trim_matches(['(', ')'])),
                (false, false) => String::new(),
            }
        });
        unaside.as_ref()
    } else {
        clause
    };
    // A sentence ends in a word or a colon before its value, or asks for it (`can you
    // paste the token?` above the reply); code ends in a quote or `=`.
    if !clause.ends_with(|c: char| c == ':' || c == '?' || c.is_alphabetic()) {
        return None;
    }
    let clause = clause
        .strip_suffix(':')
        .or_else(|| clause.strip_suffix('?'))
        .unwrap_or(clause)
        .trim_end();
    let sentence_start = |text: &str| {
        text.rfind(['.', '!', '?', ']', '>', '|', '\n'])
            .map_or(0, |i| i + 1)
    };
    let mut start = sentence_start(clause);
    // A short clause that refers back (`that one is the old token, I rotated it. new one
    // is`) is read with the sentence before it, which says what `one` is.
    let own = &clause[start..];
    let referring = refers_back(own);
    let after_sentence = clause[..start].ends_with(['.', '!', '?'])
        && clause[..start - 1].ends_with(|c: char| c.is_alphanumeric());
    if referring && after_sentence {
        // That sentence begins after the one before it or after the quote that opens the
        // text (a chat export's `"text": "that one is …`).
        let before = &clause[..start - 1];
        start = sentence_start(before).max(before.rfind('"').map_or(0, |i| i + 1));
    }
    let clause = clause[start..].trim_start_matches([' ', '\t', '-', '*', '#']);
    if clause.contains(['=', '(', ')', '{', '}', '[', '$', ';', '&', '<', '\\', '/']) {
        return None;
    }
    // A command line's options (`-u site -t`) are code too.
    let option = |w: &str| {
        w.strip_prefix('-')
            .is_some_and(|o| o.starts_with(|c: char| c.is_ascii_alphabetic() || c == '-'))
    };
    if clause.split_whitespace().any(option) {
        return None;
    }
    let words: Vec<&str> = clause
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let lowercase = words
        .iter()
        .filter(|w| w.chars().all(|c| !c.is_uppercase()))
        .count();
    (words.len() >= 4 && lowercase >= 2).then(|| clause.to_string())
}

/// The longest aside [`aside_re`] drops, in characters (blank and parentheses included): a
/// longer one is more than an aside.
const ASIDE_MAX: usize = 63;

/// An aside in parentheses after a blank, holding only words (letters, digits, blanks,
/// `_`, `-`, `.`, `,`, `'`); its length is checked against [`ASIDE_MAX`] by the caller (a
/// bounded repeat of a Unicode class compiles to one automaton per count).
fn aside_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\s\([\w\s.,'-]+\)").expect("aside regex"))
}

/// A host name written bare (`lms.example-campus.edu`, `moodle.school.org`): labels of
/// letters, digits and `-`, joined by dots, the last one letters only.
fn host_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\b[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b")
            .expect("host regex")
    })
}

/// A web address in text, up to a blank, a quote, a bracket or a trailing colon.
fn url_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r#"https?://[^\s"'()<>]*[^\s"'()<>:.,]"#).expect("URL regex"))
}

/// `text` without the markup that closes a sentence and opens its value: HTML tags
/// (`flow:</p><p><code>`), Markdown code and emphasis marks (`token: **\``), and the
/// spaces between.
fn without_trailing_markup(text: &str) -> &str {
    let mut text = text.trim_end();
    loop {
        let stripped = if text.ends_with('>') {
            match text.rfind('<') {
                // A tag: a name or `/` after `<`, no `<` or `>` inside.
                Some(i)
                    if text[i + 1..text.len() - 1].chars().all(|c| c != '>')
                        && text[i + 1..]
                            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') =>
                {
                    &text[..i]
                }
                _ => text,
            }
        } else {
            text.trim_end_matches(['`', '*', '_'])
        };
        let stripped = stripped.trim_end();
        if stripped.len() == text.len() {
            return text;
        }
        text = stripped;
    }
}

/// How many lines above a value alone on its line its sentence may be.
const SENTENCE_ABOVE_LINES: usize = 4;

/// How many lines a sentence above a value may be wrapped over.
const SENTENCE_WRAP_LINES: usize = 3;

/// The sentence that introduces a value standing alone on its line (a chat message of its
/// own after the message that says what it is, a paragraph after its label): the nearest
/// paragraph above, past a chat message's header (`[14.11.2023 21:13] anna`,
/// `anna — 21:13`), its last lines joined when the sentence is wrapped and asides in
/// parentheses dropped (`…on our Moodle⏎(service "Partner sync"):`), when it reads as prose
/// ([`prose_clause`]).
fn sentence_above(buf: &[u8], lines: &Lines, ls: usize) -> Option<String> {
    let mut e = ls.checked_sub(1)?;
    let mut paragraph: Vec<String> = Vec::new();
    for _ in 0..SENTENCE_ABOVE_LINES + SENTENCE_WRAP_LINES {
        let s = lines.start_of(e);
        let line = String::from_utf8_lossy(&buf[s..e]);
        // A quoted e-mail's lines read without their quote marks (`> Here is the token:`).
        let text = line.trim().trim_start_matches(['>', ' ', '\t']);
        let header = is_message_header(text);
        if text.is_empty() || header {
            if !paragraph.is_empty() {
                break;
            }
        } else if paragraph.is_empty() && is_fence(text) {
            // The value's own code block (`{noformat}`, a Markdown fence): the sentence is
            // above its opening line.
        } else if let Some(at) = inline_message_header(text) {
            // A chat message (`[09:14] dana: can you paste the token?`): its text is a
            // paragraph of its own.
            paragraph.push(text[at..].to_string());
            break;
        } else if !paragraph.is_empty() && text.ends_with([':', '.', '!', '?']) {
            // A line ending its own sentence (a quoted mail's `On … wrote:`, a paragraph's
            // last line) is no part of the one below it.
            break;
        } else {
            paragraph.push(text.to_string());
            if paragraph.len() == SENTENCE_WRAP_LINES {
                break;
            }
        }
        e = match s.checked_sub(1) {
            Some(e) => e,
            None => break,
        };
    }
    paragraph.reverse();
    let paragraph = super::unescape::html_text(&paragraph.join(" ")).into_owned();
    prose_clause(&without_asides(&paragraph))
}

/// The key of a value alone on its line `ls..le` that the sentence above names (see
/// [`sentence_above`]): that sentence, read as prose.
fn sentence_key(
    buf: &[u8],
    lines: &Lines,
    (ls, start, end, le): (usize, usize, usize, usize),
) -> Option<Key> {
    if !alone_on_line(buf, (ls, start, end, le))
        && !wrapped_into_sentence(buf, (ls, start, end, le))
    {
        return None;
    }
    sentence_above(buf, lines, ls).map(|clause| Key {
        names: Vec::new(),
        source: Source::Assignment,
        prose: Some(clause),
    })
}

/// Whether the value at `start..end` opens its line `ls..le` in the middle of a sentence that
/// a hard wrap cut before it: the line above ends in a word (no `.`, `:`, `!`, `?`) and the
/// sentence goes on after the value (`…contained the private token` ⏎ `<value> which allows
/// the holder…`, as `pdftotext` and mail clients wrap paragraphs), in words or an aside.
fn wrapped_into_sentence(buf: &[u8], (ls, start, end, le): (usize, usize, usize, usize)) -> bool {
    let opens_line = buf[ls..start].iter().all(|b| matches!(b, b' ' | b'\t'));
    let rest = &buf[end..le];
    // The sentence goes on in a word, or in an aside about the value (`<value> (utilisateur
    // technique « sf_connector »).`).
    let goes_on = rest.first() == Some(&b' ')
        && rest
            .trim_ascii_start()
            .first()
            .is_some_and(|&b| b.is_ascii_lowercase() || b == b'(');
    // The line right above (not past a blank line), its trailing blanks aside.
    let above = &buf[..ls.saturating_sub(1)];
    let kept = above.len()
        - above
            .iter()
            .rev()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\r'))
            .count();
    let cut = ls > 0
        && above[..kept]
            .last()
            .is_some_and(|b| b.is_ascii_alphabetic());
    opens_line && goes_on && cut
}

/// Whether the value at `start..end` stands alone on its line `ls..le` (spaces and quotes
/// around it at most).
fn alone_on_line(buf: &[u8], (ls, start, end, le): (usize, usize, usize, usize)) -> bool {
    // Markup around a lone value is short; a long line holds more than the value.
    if (start - ls) + (le - end) > COMMENT_MAX * 2 {
        return false;
    }
    // Around it, only blanks, quotes, code marks, complete markup tags (`<pre><code>`) and,
    // first on the line, a quoted e-mail's quote marks (`> `).
    let wrapping = |text: &[u8]| {
        let text = String::from_utf8_lossy(text);
        let mut rest = text.as_ref();
        let mut bare = String::new();
        while let Some(open) = rest.find('<') {
            let Some(close) = rest[open..].find('>').map(|c| open + c) else {
                break;
            };
            bare.push_str(&rest[..open]);
            rest = &rest[close + 1..];
        }
        bare.push_str(rest);
        bare.chars()
            .all(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '`'))
    };
    let left = &buf[ls..start];
    let quote_marks = left
        .iter()
        .take_while(|b| matches!(b, b'>' | b' ' | b'\t'))
        .count();
    wrapping(&left[quote_marks..]) && wrapping(&buf[end..le])
}

/// The variable a value is assigned to on its line (`tok <- "`, `KEY = "`, `$t = '`,
/// `let t := "`, a notebook cell's `"KEY = "`): its identifier, `$` included; `None` for a
/// key of a map or object (`"key": "`, `'key' => '`).
fn assigned_variable(left: &str) -> Option<&str> {
    let t = left.trim_end_matches(['"', '\'', '`', ' ', '\t']);
    let t = t
        .strip_suffix("<-")
        .or_else(|| t.strip_suffix(":="))
        .or_else(|| {
            t.strip_suffix('=')
                .filter(|r| !r.ends_with(['=', '!', '<', '>']))
        })?
        .trim_end();
    let start = t
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        .last()
        .map(|(i, _)| i)?;
    let ident = &t[start..];
    let first = ident.trim_start_matches('$').chars().next()?;
    let before = t[..start].chars().next_back();
    (first.is_ascii_alphabetic() || first == '_')
        .then_some(ident)
        .filter(|_| {
            before.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | ';' | '{' | ',' | '"'))
        })
}

/// How many uses of a variable are read for the names it is passed under.
const USES_READ: usize = 64;

/// How many variables' uses are searched for directly, each with a search of the whole input,
/// before [`Uses`] indexes every identifier of it once: a few assignments (the usual input)
/// cost a few searches, ten thousand distinct ones (a 100,000-line `.env`) one pass, not ten
/// thousand.
const DIRECT_SEARCHES: usize = 8;

/// Whether `b` continues an identifier, as [`names_where_used`] delimits a variable's uses.
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Where a variable is used in one input: searched for directly for the first
/// [`DIRECT_SEARCHES`] variables, then through an index of every identifier's first
/// [`USES_READ`] occurrences, built once, so that the cost stays linear in the input
/// whatever the number of variables.
#[derive(Debug, Default)]
struct Uses {
    searches: usize,
    /// Each identifier's hash ([`rustc_hash::FxHasher`]) and the offsets of its first
    /// occurrences; two identifiers sharing a hash share a list, which the caller's
    /// comparison sorts out.
    index: Option<rustc_hash::FxHashMap<u64, Vec<usize>>>,
}

impl Uses {
    fn hash(ident: &[u8]) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        ident.hash(&mut h);
        h.finish()
    }

    /// The offsets where `var` (identifier bytes only) occurs in `buf` as a whole
    /// identifier, in order, at most [`USES_READ`] of them.
    fn of(&mut self, buf: &[u8], var: &[u8]) -> Vec<usize> {
        // A variable assigned without its sigil is used with it (a shell's or a Jenkinsfile's
        // `WS='…'` read as `$WS`, a Makefile's `$(WS)`): a `$` before it still starts it.
        let sigil_added = |at: usize| {
            buf[at - 1] == b'$' && !var.starts_with(b"$") && (at < 2 || !is_ident_byte(buf[at - 2]))
        };
        let whole = |at: usize| {
            (at == 0 || !is_ident_byte(buf[at - 1]) || sigil_added(at))
                && buf.get(at + var.len()).is_none_or(|&b| !is_ident_byte(b))
        };
        if self.index.is_none() && self.searches < DIRECT_SEARCHES {
            self.searches += 1;
            return memchr::memmem::find_iter(buf, var)
                .filter(|&at| whole(at))
                .take(USES_READ)
                .collect();
        }
        let index = self.index.get_or_insert_with(|| {
            let mut index: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
            let mut at = 0;
            while at < buf.len() {
                if !is_ident_byte(buf[at]) {
                    at += 1;
                    continue;
                }
                let end = buf[at..]
                    .iter()
                    .position(|&b| !is_ident_byte(b))
                    .map_or(buf.len(), |n| at + n);
                let found = index.entry(Uses::hash(&buf[at..end])).or_default();
                if found.len() < USES_READ {
                    found.push(at);
                }
                at = end;
            }
            index
        });
        let bare = index.get(&Uses::hash(var)).into_iter().flatten().copied();
        // The index holds a sigil as part of its identifier (`$WS`).
        let with_sigil = match var.starts_with(b"$") {
            true => None,
            false => index.get(&Uses::hash(&[b"$", var].concat())),
        };
        let sigiled = with_sigil.into_iter().flatten().map(|&at| at + 1);
        let mut found: Vec<usize> = bare
            .chain(sigiled)
            .filter(|&at| buf[at..].starts_with(var) && whole(at))
            .collect();
        found.sort_unstable();
        found.truncate(USES_READ);
        found
    }
}

/// The names a variable is passed under where the input uses it (`wstoken = tok`,
/// `{'wstoken': KEY}`, `->setToken($t)`): the nearest name left of each use, at most four.
/// A value assigned to a short or generic variable is named by how it is used.
fn names_where_used(
    v: &Vocabulary,
    buf: &[u8],
    lines: &Lines,
    var: &str,
    line: (usize, usize),
    unescape: &dyn Fn(&[u8]) -> String,
) -> Vec<String> {
    names_at_uses(buf, lines, var, line, |at| {
        // An argument of a format call is named by the text before the placeholder it
        // fills (`Sprintf("%s/…?wstoken=%s", root, tok)`).
        format_argument_name(v, buf, at)
            .or_else(|| first_walked_name(v, &unescape(&buf[lines.start_of(at)..at])))
    })
}

/// How far before a variable's use its format call is looked for, in bytes.
const FORMAT_REACH: usize = 1024;

/// The name an argument at `at` of a format call is passed under: the text of the format
/// string before the placeholder the argument fills (`fmt.Sprintf("%s/…?wstoken=%s&…",
/// root, tok)`, `sprintf('…&wstoken=%s', $t)`, `String.Format("…wstoken={0}", tok)`,
/// `"…?wstoken=%s" % (tok,)`, `"…?wstoken={}".format(tok)`), read by [`walk`]. `None`
/// when `at` is no argument of such a call or the placeholders do not say.
fn format_argument_name(v: &Vocabulary, buf: &[u8], at: usize) -> Option<String> {
    let lo = at.saturating_sub(FORMAT_REACH);
    let before = std::str::from_utf8(&buf[lo..at]).ok()?;
    // The call's open parenthesis: the nearest one not closed before the argument,
    // skipping string literals.
    let b = before.as_bytes();
    let (mut depth, mut i, mut open) = (0usize, b.len(), None);
    while i > 0 {
        i -= 1;
        match b[i] {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' if depth > 0 => depth -= 1,
            b'(' => {
                open = Some(i);
                break;
            }
            b'[' | b'{' => return None,
            q @ (b'"' | b'\'') => {
                // Back over the literal to its opening quote.
                let start = b[..i].iter().rposition(|&c| c == q)?;
                i = start;
            }
            _ => {}
        }
    }
    let open = open?;
    let args = split_arguments(&before[open + 1..]);
    // The format string: the call's first argument, or the literal before `% (` and
    // `.format(`.
    let head = before[..open].trim_end();
    let (format, index) = if let Some(fmt) = head
        .strip_suffix('%')
        .or_else(|| head.strip_suffix(".format"))
        .and_then(|h| trailing_literal(h.trim_end()))
    {
        (fmt, args.len() - 1)
    } else {
        let first = trailing_literal(args.first()?.trim()).filter(|_| args.len() >= 2)?;
        (first, args.len() - 2)
    };
    let prefix = placeholder_prefix(format, index)?;
    // A format that builds another service's address (`https://api.dropbox.…?token=%s`)
    // names that service's parameter.
    if v.names_other_service(&v.words(prefix)) {
        return None;
    }
    match walk(v, prefix) {
        Walk::Names(names) => names.into_iter().next(),
        Walk::Pair => None,
    }
}

/// The top-level arguments of a call's argument text (`"a, b", x, f(y, z), ` → the format
/// literal, `x`, `f(y, z)` and the empty argument being written), split at commas outside
/// brackets and string literals.
fn split_arguments(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let (mut out, mut depth, mut from, mut quote) = (Vec::new(), 0usize, 0, None);
    let mut i = 0;
    while i < b.len() {
        match (quote, b[i]) {
            (Some(_), b'\\') => i += 1,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, q @ (b'"' | b'\'')) => quote = Some(q),
            (None, b'(' | b'[' | b'{') => depth += 1,
            (None, b')' | b']' | b'}') => depth = depth.saturating_sub(1),
            (None, b',') if depth == 0 => {
                out.push(&text[from..i]);
                from = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&text[from..]);
    out
}

/// The content of the string literal `text` is (`"…"` or `'…'`, with an optional prefix
/// such as `f` or `@`), or that ends it.
fn trailing_literal(text: &str) -> Option<&str> {
    let q = *text.as_bytes().last()?;
    if q != b'"' && q != b'\'' {
        return None;
    }
    let inner = &text[..text.len() - 1];
    let start = inner.rfind(q as char)?;
    Some(&inner[start + 1..])
}

/// The text of `format` before its placeholder number `index` (0-based): printf's
/// conversions (`%s`, `%v`, `%d`, `%-8s`; `%%` is none) or braces (`{}` in order, `{2}` by
/// number); `None` when it has fewer.
fn placeholder_prefix(format: &str, index: usize) -> Option<&str> {
    let b = format.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if b.get(i + 1) == Some(&b'%') => i += 1,
            b'%' => {
                let conv = b[i + 1..]
                    .iter()
                    .position(|c| c.is_ascii_alphabetic())
                    .filter(|&p| {
                        b[i + 1..i + 1 + p].iter().all(|c| {
                            c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b' ' | b'#')
                        })
                    });
                if conv.is_some() {
                    if n == index {
                        return Some(&format[..i]);
                    }
                    n += 1;
                }
            }
            b'{' => {
                let close = b[i + 1..].iter().position(|&c| c == b'}')?;
                let inner = &format[i + 1..i + 1 + close];
                let number = match inner {
                    "" => Some(n),
                    _ => inner
                        .split(':')
                        .next()
                        .and_then(|d| d.parse::<usize>().ok()),
                };
                if number == Some(index) {
                    return Some(&format[..i]);
                }
                if inner.is_empty() {
                    n += 1;
                }
                i += close + 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `text` without its asides in parentheses (`(service "Partner sync")`), but for glosses
/// of its term (`özel belirteç (privatetoken)`: see [`is_gloss`]), kept as words.
fn without_asides(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        if is_gloss(&rest[open + 1..close]) {
            out.push_str(&rest[open + 1..close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether `line` is a chat export's message header: a time (`21:13`, or `10.16` after a
/// date, as WhatsApp writes it in locales that separate hours with a dot: `05/11/24 10.16 -
/// Dimas`), a date however many parts it is written in (KakaoTalk's mobile export: `2024.
/// 11. 5. 오전 9:51, 김민수`) and at most three other words (a name).
fn is_message_header(line: &str) -> bool {
    let has_time = has_dotted_time_after_date(line)
        || line.as_bytes().windows(5).any(|w| {
            w[0].is_ascii_digit()
                && w[1].is_ascii_digit()
                && w[2] == b':'
                && w[3].is_ascii_digit()
                && w[4].is_ascii_digit()
        })
        || line.as_bytes().windows(4).any(|w| {
            !w[0].is_ascii_digit() && w[1].is_ascii_digit() && w[2] == b':' && w[3].is_ascii_digit()
        });
    // The words that are neither a date's or a time's parts (`2024.`, `11.`, `9:51,`, `—`)
    // nor a half of the day (`PM`, KakaoTalk's `오전`): a name's, three at most.
    let other_words = line
        .split_whitespace()
        .filter(|w| {
            let w = w.trim_matches(|c: char| c.is_ascii_punctuation());
            !(w.is_empty()
                || w.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_punctuation())
                || DAY_HALVES.iter().any(|h| w.eq_ignore_ascii_case(h)))
        })
        .count();
    has_time && other_words <= 3
}

/// How chat exports write the half of the day beside a 12-hour time: English, and Korean,
/// Japanese and Chinese as KakaoTalk, LINE and WeChat write them (`[오후 2:30]`, `午後3:15`).
const DAY_HALVES: [&str; 8] = ["am", "pm", "오전", "오후", "午前", "午後", "上午", "下午"];

/// Whether `line` holds a date (`05/11/24`, `5.11.2024`, `2024-11-05`) followed by a time
/// written with a dot (`10.16`): a chat header's time in locales that write it so. A dotted
/// pair of numbers alone is as likely a version or an amount.
fn has_dotted_time_after_date(line: &str) -> bool {
    let is_date = |w: &str| {
        let w = w.trim_end_matches(',');
        let parts: Vec<&str> = w.split(['/', '.', '-']).collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    };
    let is_dotted_time = |w: &str| {
        w.split_once('.').is_some_and(|(h, m)| {
            (1..=2).contains(&h.len())
                && m.len() == 2
                && h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())
        })
    };
    let words = line.split_whitespace();
    (words.clone().zip(words.skip(1))).any(|(date, time)| is_date(date) && is_dotted_time(time))
}

/// Where the text of a chat message starts on a line that carries its header inline, after
/// a message header (a time and at most a few words, [`is_message_header`]) written as chat
/// exports write it:
/// - ended by the first `: ` (`[09:15] Luis Romero: …`, `10:02 anna: …`, WhatsApp's
///   `[05/11/2024, 09:13:02] Juma Mwinyi: …`);
/// - in brackets, ended by `] ` (KakaoTalk's PC export: `[김민수] [오전 9:51] …`);
/// - in tab-separated fields, ended by the second tab (LINE's export: `09:58⇥สมชาย⇥…`).
///
/// A message's author is a person: a timestamp before a name that names a credential is a
/// log's (GitHub Actions' raw log prints its step's `env:` as `2024-11-05T02:00:14.66Z
/// MOODLE_TOKEN: …`), and the name is the value's key.
fn inline_message_header(line: &str) -> Option<usize> {
    // A header starts with its time (`10:02 anna:`) or a bracket (`[09:15] luis:`).
    if !line
        .trim_start()
        .starts_with(|c: char| c == '[' || c.is_ascii_digit())
    {
        return None;
    }
    let head = &line[..floor_boundary(line, MESSAGE_HEADER_MAX)];
    let colon = line.find(": ").map(|at| (at, at + 2));
    let bracket = head
        .match_indices("] ")
        .nth(1)
        .map(|(at, _)| (at + 1, at + 2));
    let tab = head.match_indices('\t').nth(1).map(|(at, _)| (at, at + 1));
    [colon, bracket, tab]
        .into_iter()
        .flatten()
        .find_map(|(end, text)| {
            let header = line[..end].trim();
            let author = header.rsplit(char::is_whitespace).next().unwrap_or(header);
            (is_message_header(header) && !names_credential(Vocabulary::builtin(), author))
                .then_some(text)
        })
}

/// How far into a line a bracketed or tab-separated message header is looked for, in bytes.
const MESSAGE_HEADER_MAX: usize = 96;

/// The largest char boundary of `s` at or below `at`.
fn floor_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Whether `text` (a chat message's words before a value) says nothing of the value: at
/// most five words, none naming a credential (in any language), a digest, metadata, a
/// negation or another service, and no code or address (`klar, neuer ist`, `sure:`, `voilà`).
fn says_nothing(v: &Vocabulary, text: &str) -> bool {
    if text.contains(['=', '{', '(', '[', '$', '/', '<']) || names_credential(v, text) {
        return false;
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    // Its words as the vocabulary reads them too: another language's `checksum` (Persian
    // `چک‌سام`) says something as the English word does.
    let read = v.words(text);
    words.len() <= 5
        && !words.iter().chain(read.iter()).any(|w| {
            v.digest_words.contains(w)
                || v.not_secret_tail.contains(w)
                || v.negations.contains(w)
                || v.other_services.contains(w)
        })
}

/// How many chat messages above a value the one that names it is looked for.
const MESSAGES_ABOVE: usize = 3;

/// The text of the nearest chat message above `ls` that names a credential, among the
/// [`MESSAGES_ABOVE`] lines right above it that carry their header inline (`[11.03.2024
/// 14:02] Albrecht, Sabine: Kannst du mir den Schlüssel … schicken? Der alte läuft heute
/// ab.`, over a reply `toma, é o do serviço …`): the whole message, read as prose. `None`
/// past a message that names a digest.
fn message_above(v: &Vocabulary, buf: &[u8], lines: &Lines, ls: usize) -> Option<String> {
    let mut e = ls.checked_sub(1)?;
    for _ in 0..MESSAGES_ABOVE {
        let s = lines.start_of(e);
        let line = String::from_utf8_lossy(&buf[s..e.min(s + MESSAGE_READ)]);
        let text = line.trim();
        let at = inline_message_header(text)?;
        if names_credential(v, &text[at..]) {
            return Some(text[at..].to_string());
        }
        // A message about a digest (`백업 파일 체크섬 보내드려요`) is what the value answers:
        // the messages before it name something else.
        if (v.words(&text[at..]).iter()).any(|w| v.digest_words.contains(w)) {
            return None;
        }
        e = s.checked_sub(1)?;
    }
    None
}

/// How much of a line above is read for a chat message, in bytes.
const MESSAGE_READ: usize = 4096;

/// How far into an input its `<sst` root is looked for, in bytes.
const SST_HEAD: usize = 1024;

/// Most shared strings read before a value, in bytes.
const SST_REACH: usize = 16 << 10;

/// The names of a value that is a whole string of an xlsx's shared-strings table
/// (`xl/sharedStrings.xml`: `<sst>` of `<si><t>…</t></si>`, ECMA-376 part 1 §18.4): the
/// table keeps each distinct cell text once, in the order the sheet first shows it, so its
/// header's titles come before the rows' values but no row says which column a value is in.
/// The titles before the value that name a credential (`Token`, `Private token`) name it,
/// in order, each rule taking the one it knows. `None` for any other input.
fn shared_strings_names(
    v: &Vocabulary,
    buf: &[u8],
    start: usize,
    left: &str,
) -> Option<Vec<String>> {
    let head = &buf[..buf.len().min(SST_HEAD)];
    memchr::memmem::find(head, b"<sst")?;
    let t = left.trim_end();
    let open = t.rfind('<')?;
    if !(t.ends_with('>') && (t[open..].starts_with("<t>") || t[open..].starts_with("<t "))) {
        return None;
    }
    let lo = start.saturating_sub(SST_REACH);
    let before = String::from_utf8_lossy(&buf[lo..start]);
    let titles: Vec<&str> = before
        .split("<t")
        .filter_map(|piece| {
            let text = piece.split_once('>')?.1;
            let text = text.split('<').next()?.trim();
            (!text.is_empty() && text.len() <= 64).then_some(text)
        })
        .collect();
    // A column of digests beside the token column (`MD5`, `Checksum`): which column a
    // value is in cannot be told, so none is named.
    let digest = |t: &&str| v.words(t).iter().any(|w| v.digest_words.contains(w));
    if titles.iter().any(digest) {
        return None;
    }
    let names: Vec<String> = titles
        .into_iter()
        .filter(|t| names_credential(v, t))
        .take(MAX_NAMES)
        .map(str::to_string)
        .collect();
    (!names.is_empty()).then_some(names)
}

/// Whether `text` names a credential: one of its words, as the vocabulary splits and
/// translates them (`moodletoken`, `accessKey`, `Schlüssel`, `访问令牌`), is a credential
/// word (`secretaria` is not `secret`, `keyboard` not `key`).
fn names_credential(v: &Vocabulary, text: &str) -> bool {
    const CREDENTIAL: [&str; 17] = [
        "token",
        "tokens",
        "wstoken",
        "privatetoken",
        "key",
        "keys",
        "apikey",
        "secret",
        "secrets",
        "password",
        "passwort",
        "passwd",
        "pass",
        "auth",
        "bearer",
        "credential",
        "credentials",
    ];
    v.words(text)
        .iter()
        .any(|w| CREDENTIAL.contains(&w.as_str()))
}

/// Fields that hold a message's text in chat exports: Slack's `text`, Discord's and
/// Teams' `content`, Mattermost's `message`, Rocket.Chat's `msg`.
const MESSAGE_FIELDS: [&str; 4] = ["text", "content", "message", "msg"];

/// How many lines above a JSON chat message the message before it is looked for.
const MESSAGE_ABOVE_LINES: usize = 40;

/// The text of the message before a JSON chat export's message whose text starts with the
/// value, after words that say nothing of it (`"text": "\`…\`  (servicio …)"` under
/// `"text": "te paso el token del web service de Moodle:"`): the nearest line above with the
/// same field, its string, read as prose. `left`: the value's line before it.
fn chat_json_reply(
    v: &Vocabulary,
    buf: &[u8],
    lines: &Lines,
    ls: usize,
    left: &str,
) -> Option<String> {
    let (field, at) = message_field(left, MESSAGE_FIELD_REACH)?;
    // The value stands inside the message's string, not in a field after it.
    let before = &left[at..];
    if string_end(before) < before.len()
        || !says_nothing(v, before.trim_matches(['`', '*', '_', ' ']))
    {
        return None;
    }
    message_text_above(buf, lines, ls, &field)
}

/// The string of the nearest line above the line at `ls` (at most [`MESSAGE_ABOVE_LINES`]
/// up) that is the chat message text field `field` (`"text": "…"`), its escapes undone.
fn message_text_above(buf: &[u8], lines: &Lines, ls: usize, field: &str) -> Option<String> {
    let mut e = ls.checked_sub(1)?;
    for _ in 0..MESSAGE_ABOVE_LINES {
        let s = lines.start_of(e);
        let line = String::from_utf8_lossy(&buf[s..e.min(s + MESSAGE_READ)]);
        if let Some((_, text_at)) = message_field(&line, MESSAGE_READ).filter(|(f, _)| f == field) {
            let text = &line[text_at..];
            return Some(decode_window(&text.as_bytes()[..string_end(text)]));
        }
        e = s.checked_sub(1)?;
    }
    None
}

/// How far before a value, in bytes, the message text field holding it is looked for: a
/// reply whose words say nothing of the value is short, and a long line (a minified
/// export) is not read whole for each of its values.
const MESSAGE_FIELD_REACH: usize = 512;

/// The last chat message text field of `line` that holds a string (`"text": "…`, the field
/// starting the line of a pretty-printed export, or inside a JSON Lines record:
/// Rocket.Chat's `{"_id": …, "msg": "…", "u": …}`), looked for in its last `reach` bytes,
/// and the offset of the string's text in the line.
fn message_field(line: &str, reach: usize) -> Option<(String, usize)> {
    let mut from = line.len().saturating_sub(reach);
    while !line.is_char_boundary(from) {
        from += 1;
    }
    let mut found = None;
    for (at, _) in line[from..].match_indices('"') {
        let rest = &line[from + at + 1..];
        let Some(field) = MESSAGE_FIELDS
            .iter()
            .find(|f| rest.strip_prefix(**f).is_some_and(|r| r.starts_with('"')))
        else {
            continue;
        };
        let text = rest[field.len() + 1..]
            .trim_start()
            .strip_prefix(':')
            .map(str::trim_start)
            .and_then(|after| after.strip_prefix('"'));
        if let Some(text) = text {
            found = Some((field.to_string(), line.len() - text.len()));
        }
    }
    found
}

/// Where the JSON string whose text starts `text` ends: its first quote no backslash
/// escapes, else the end of `text` (a line cut short).
fn string_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    text.len()
}

/// Fields whose array holds a message's rich text as fragments: Telegram's export (`text`,
/// `text_entities`), Slack's `rich_text` blocks (`elements`), Atlassian's document format
/// and ProseMirror (`content`).
const FRAGMENT_ARRAYS: [&str; 4] = ["text", "text_entities", "elements", "content"];

/// How far before a rich-text fragment, in bytes, the array holding it and the message
/// before it are looked for (a minified export is one long line: never the whole line).
const FRAGMENT_REACH: usize = 4096;

/// The words that name a value which is a fragment of a message's rich text, a JSON object
/// with a `type` whose `text` is the value (Telegram's export: `"text": ["It should be ",
/// {"type": "code", "text": "…"}, …]`; Slack's `{"type": "text", "text": "…", "style":
/// {"code": true}}`; Atlassian's `{"type": "text", "text": "…", "marks": …}`, fields in any
/// order): `None` when the value is no such fragment; else the message's fragments before
/// it, read as one clause (from the last fragment that is itself a value), or, when they
/// say nothing of it (`It should be`), the message before this one when that message names
/// a credential (`Some(None)` when it does not: a fragment is read as its message, and
/// nothing else names it). `left`: the value's line before it.
fn fragment_message(
    v: &Vocabulary,
    buf: &[u8],
    (start, end): (usize, usize),
    left: &str,
) -> Option<Option<String>> {
    use regex::bytes::Regex as BytesRegex;
    // Asked first, for every value: it is the string of a `text` field.
    let bare = left
        .strip_suffix('"')?
        .trim_end()
        .strip_suffix(':')?
        .trim_end();
    if !bare.ends_with("\"text\"") {
        return None;
    }
    let first = start.saturating_sub(FRAGMENT_REACH);
    let region = &buf[first..start];
    // The object the value is the text of, and its type (before the text or after it).
    let brace = open_brace(region)?;
    static TYPE: OnceLock<BytesRegex> = OnceLock::new();
    let typed = TYPE.get_or_init(|| BytesRegex::new(r#""type"\s*:\s*""#).expect("type"));
    let after = &buf[end..(end + 256).min(buf.len())];
    let object_rest = &after[..memchr::memchr(b'}', after).unwrap_or(after.len())];
    if !typed.is_match(&region[brace..]) && !typed.is_match(object_rest) {
        return None;
    }
    // The array holding the fragment: the last `"<field>": [` of a fragment field before it;
    // in a long array, the fragments within reach (from the first object boundary in it).
    static ARRAY: OnceLock<BytesRegex> = OnceLock::new();
    let array = ARRAY.get_or_init(|| BytesRegex::new(r#""([A-Za-z_]+)"\s*:\s*\["#).expect("array"));
    let opener = array
        .captures_iter(&region[..brace])
        .filter(|c| FRAGMENT_ARRAYS.iter().any(|f| f.as_bytes() == &c[1]))
        .last()
        .and_then(|c| c.get(0))
        .map(|m| (m.start(), m.end()));
    let (opener_start, fragments_from) = match opener {
        Some(found) => found,
        None if first > 0 => {
            let boundary = memchr::memmem::find(&region[..brace], b"},")?;
            (boundary, boundary + 2)
        }
        None => return None,
    };
    // The text of the fragments before the value: bare strings and `text` fields' strings
    // (other fields' names and values, `type`, `plain`, are left out), from the last one
    // that is itself a value (`md5 is <code>…</code> and the Moodle token is …`).
    static STRING: OnceLock<BytesRegex> = OnceLock::new();
    let string =
        STRING.get_or_init(|| BytesRegex::new(r#""((?:[^"\\]|\\.)*)"(\s*:)?"#).expect("string"));
    // The fragments' words from `from` on, the fragments that are themselves values left out.
    let fragment_text = |from: usize| {
        let mut said = String::new();
        let mut field: Option<&[u8]> = None;
        for c in string.captures_iter(&region[from..brace]) {
            let text = c.get(1).map_or(&b""[..], |m| m.as_bytes());
            if c.get(2).is_some() {
                field = Some(text);
            } else if field.take().is_none_or(|f| f == b"text") && !looks_like_value(text) {
                said.push_str(&decode_window(text));
            }
        }
        said
    };
    // Read from the last value before this one (found backwards: in a long array of labels
    // and values, only the last label is read, not every fragment within reach).
    let since = last_value_end(&region[fragments_from..brace]).map_or(fragments_from, |e| {
        // Past the value's closing quote, so that the strings after it pair up.
        fragments_from + e + usize::from(region.get(fragments_from + e) == Some(&b'"'))
    });
    let said = fragment_text(since);
    let said = said.trim();
    if !said.is_empty() && !says_nothing(v, said) {
        return Some(Some(said.to_string()));
    }
    // A list after one label (`tokens: kiosk <code>…</code>, display <code>…</code>`): the
    // words since the value before say nothing, the message's first words name them all.
    if since > fragments_from {
        let whole = fragment_text(fragments_from);
        if names_credential(v, &whole) {
            return Some(Some(whole.trim().to_string()));
        }
    }
    // A reply that says nothing of the value: the message before this one, the nearest
    // message text before the message's own object, when it names a credential. Texts
    // that say nothing (`, same as yesterday.`, a value) are passed over; one that says
    // something else (`The backup's md5 is`) ends the search.
    // Past reach of the array's start, the message before it is too.
    if opener.is_none() {
        return Some(None);
    }
    let message = open_brace(&region[..opener_start]).unwrap_or(opener_start);
    static TEXT: OnceLock<BytesRegex> = OnceLock::new();
    let text_re = TEXT.get_or_init(|| {
        BytesRegex::new(r#""(?:text|content|message|msg)"\s*:\s*"((?:[^"\\]|\\.)*)""#)
            .expect("text")
    });
    let texts: Vec<String> = text_re
        .captures_iter(&region[..message])
        .filter_map(|c| c.get(1).map(|m| decode_window(m.as_bytes())))
        .collect();
    for text in texts.iter().rev() {
        let text = text.trim();
        if names_credential(v, text) {
            return Some(Some(text.to_string()));
        }
        if !text.is_empty() && !says_nothing(v, text) {
            break;
        }
    }
    Some(None)
}

/// The offset in `text` of the `{` still open at its end (braces inside strings are not
/// told apart: a fragment's text seldom holds one).
fn open_brace(text: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &b) in text.iter().enumerate().rev() {
        match b {
            b'}' => depth += 1,
            b'{' if depth == 0 => return Some(i),
            b'{' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The offset just past the last run in `text` of 16 or more letters and digits holding a
/// digit (the last fragment that is itself a value), read backwards.
fn last_value_end(text: &[u8]) -> Option<usize> {
    let (mut run, mut digit) = (0usize, false);
    for (i, &b) in text.iter().enumerate().rev() {
        if b.is_ascii_alphanumeric() {
            run += 1;
            digit |= b.is_ascii_digit();
        } else {
            if run >= 16 && digit {
                return Some(i + 1 + run);
            }
            (run, digit) = (0, false);
        }
    }
    (run >= 16 && digit).then_some(run)
}

/// Whether a fragment's text is itself a value (a run of 16 or more letters and digits
/// holding a digit), not words.
fn looks_like_value(text: &[u8]) -> bool {
    text.split(|b| !b.is_ascii_alphanumeric())
        .any(|run| run.len() >= 16 && run.iter().any(u8::is_ascii_digit))
}

/// Whether `text` (a trimmed line) only opens or closes a block of code or preformatted
/// text: a Markdown fence, Jira's `{noformat}`/`{code…}`, BBCode's `[code]`, HTML's `<pre>`.
fn is_fence(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.starts_with("```")
        || t.starts_with("~~~")
        || t == "{noformat}"
        || (t.starts_with("{code") && t.ends_with('}'))
        || matches!(
            t.as_str(),
            "[code]" | "[/code]" | "<pre>" | "</pre>" | "<pre><code>"
        )
}

/// Whether the line at `ls` (value at `start`) is a list element following a sibling: the
/// nearest non-blank line above starts the same way (same indentation, and `-`, a quote or
/// a value) so it is not the line that names the list.
fn follows_sibling(buf: &[u8], lines: &Lines, ls: usize, start: usize) -> bool {
    if ls == 0 {
        return false;
    }
    // The first character's kind: a bullet, a quote, a digit (`1 => …`) or a letter.
    let kind = |c: u8| match c {
        b'0'..=b'9' => b'0',
        b'"' | b'\'' | b'`' => b'"',
        c if c.is_ascii_alphabetic() => b'a',
        c => c,
    };
    let shape = |line: &[u8]| {
        let indent = line
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        let first = line.get(indent).copied().map(kind);
        (indent, first)
    };
    let (indent, first) = shape(&buf[ls..start.max(ls)]);
    let mut e = ls - 1;
    loop {
        let s = lines.start_of(e);
        let line = &buf[s..e];
        if !line.trim_ascii().is_empty() {
            let (pi, pf) = shape(line);
            let element = |c: Option<u8>| {
                matches!(c, Some(b'-' | b'"' | b'\'' | b'`'))
                    || c.is_some_and(|c| c.is_ascii_alphanumeric())
            };
            return pi == indent
                && pf == first
                && element(pf)
                && !line.trim_ascii_end().ends_with(b":");
        }
        if s == 0 {
            return false;
        }
        e = s - 1;
    }
}

/// A value alone on its line (an e-mail, a ticket, a YAML block scalar) is named by the
/// line that introduces it: the nearest non-blank line of the two above, read from its end
/// (`Here is the token for it:`).
fn introduced_by_previous_line(
    v: &Vocabulary,
    buf: &[u8],
    lines: &Lines,
    (ls, end, le): (usize, usize, usize),
    unescape: &dyn Fn(&[u8]) -> String,
) -> Option<Vec<String>> {
    let glue = |b: &u8| !b.is_ascii_alphanumeric();
    // Nothing after the value but glue, or its literal joined to the next one (`'…' . '&…'`),
    // or the rest of a URL wrapped right before the value (`…&wstoken=` ⏎ `<value>&a=1`).
    let rest = &buf[end..le];
    let above = buf[..ls.saturating_sub(1)].trim_ascii_end();
    let url_goes_on = rest.first() == Some(&b'&') && above.ends_with(b"=");
    let joined_on = rest
        .first()
        .is_some_and(|q| matches!(q, b'"' | b'\'' | b'`'))
        && rest[1..]
            .trim_ascii_start()
            .first()
            .is_some_and(|c| matches!(c, b'.' | b'+'));
    if !(rest.iter().all(glue) || closing_markup_only(rest) || joined_on || url_goes_on) || ls == 0
    {
        return None;
    }
    let mut e = ls - 1;
    for _ in 0..2 {
        let s = lines.start_of(e);
        let line = &buf[s..e];
        if !line.trim_ascii().is_empty() {
            // A chat message's header (`[21:13] anna`) names its author, not the value; a
            // sentence names it as prose (see `sentence_above`), not word by word.
            let text = String::from_utf8_lossy(line);
            if is_message_header(text.trim()) || prose_clause(text.trim()).is_some() {
                return None;
            }
            // Markup closing the line (`token:</p>`) is no part of what it says.
            let line = unescape(line);
            return match walk(v, without_trailing_markup(&line)) {
                // A line whose only "name" is a value of its own (`1 => '<hex>',`) is a
                // sibling, not the line that names this one.
                Walk::Names(names)
                    if !names.is_empty() && !names.iter().all(|n| is_value_like(n)) =>
                {
                    Some(names)
                }
                _ => None,
            };
        }
        if s == 0 {
            return None;
        }
        e = s - 1;
    }
    None
}

/// The opening quote of a quoted label of two to six words (letters, digits, spaces, `-`
/// and `_` only) whose closing quote is at `close` in `left`.
fn quoted_label(left: &str, close: usize) -> Option<usize> {
    let quote = *left.as_bytes().get(close)?;
    if !matches!(quote, b'"' | b'\'') {
        return None;
    }
    let open = left[..close].rfind(quote as char)?;
    let label = &left[open + 1..close];
    let words = label.split_whitespace().count();
    let plain = label
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'));
    (plain && (2..=6).contains(&words) && label.len() <= 80).then_some(open)
}

/// The text of a table cell before its value: `left` (the row before the value) after its
/// last field delimiter, so that no other cell's text is read as the value's name (a cell
/// of prose may hold commas: what precedes the last one is left out too). In an HTML or
/// XML row a tag's `>` ends the cells before (`<td>BrightPath</td><td><value>`).
fn cell_before(left: &str) -> &str {
    left.rfind([',', ';', '\t', '|', '>'])
        .map_or(left, |at| &left[at + 1..])
}

/// The longest text of a row's cells after a value read as what they say of it.
const ROW_DESCRIPTION_MAX: usize = 200;

/// The text of a table row's cells after a value (`after`: to the line's end), markup and
/// cell separators taken out, when it holds words: an inventory's `Kind`, `Notes` or `Qué
/// es` cell says what the value is (`md5 of old token (audit only)`, `mailgun api key`,
/// `BigBlueButton shared secret (not Moodle)`, `private token`), as a comment after an
/// assignment does. `None` when nothing but markup, separators or other values follow.
fn row_description(after: &[u8]) -> Option<String> {
    if after.len() > 4 * ROW_DESCRIPTION_MAX {
        return None;
    }
    let after = String::from_utf8_lossy(after);
    let mut text = String::new();
    let mut in_tag = false;
    for c in after_cell(&after)?.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if in_tag => {}
            '|' | '\t' | ',' | ';' | '`' | '"' | '\'' => text.push(' '),
            _ => text.push(c),
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = text
        .split(' ')
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2);
    (words.count() >= 2 && text.len() <= ROW_DESCRIPTION_MAX).then_some(text)
}

/// The row after the cell that a value ends (`rest`: the text right after the value): its
/// closing quote and markup, then a cell separator or a closing `</td>`/`</th>`. `None` when
/// the cell goes on after the value (a cell of prose: `token d9d7… - sha256(token)=…`, whose
/// words after the value are its own, not a description of it).
fn after_cell(rest: &str) -> Option<&str> {
    let mut r = rest;
    loop {
        r = r.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`'));
        if let Some(next) = r.strip_prefix(['|', '\t', ',', ';']) {
            return Some(next);
        }
        if !r.starts_with("</") {
            return None;
        }
        let end = r.find('>')? + 1;
        let tag = r[..end].to_ascii_lowercase();
        r = &r[end..];
        if tag.starts_with("</td") || tag.starts_with("</th") {
            return Some(r);
        }
    }
}

/// What walking left from a value found.
enum Walk {
    /// Candidate names, nearest first.
    Names(Vec<String>),
    /// The nearest name is a pair's value field: look for the pair's name field.
    Pair,
}

/// Whether `c` (a byte of the text, as a char) may be part of a name: ASCII letters, digits,
/// `_$@.-/`, and every byte of a non-ASCII character (`Schlüssel`, `トークン`; punctuation such
/// as a full-width colon is split off later, by [`Vocabulary::words`]).
fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '@' | '.' | '-' | '/') || c >= '\u{80}'
}

/// Where the parameter list of a closure ends `text` starts (`|_|`, `|err|`, `|_: VarError|`,
/// `||`), when `text` ends with one that opens a call's argument or a block (`(`, `,` or `{`
/// before it, blanks apart): a logical or (`a || "…"`) has an operand before it instead.
fn closure_params_before(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let close = b.len().checked_sub(1)?;
    let open = b[..close]
        .iter()
        .rposition(|&c| c == b'|')
        .filter(|&o| close - o <= 40)?;
    let params_ok = b[open + 1..close]
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b' ' | b'&' | b','));
    let before = b[..open].trim_ascii_end();
    (params_ok && matches!(before.last(), Some(b'(' | b',' | b'{'))).then_some(open)
}

/// Walks left over `left` (the decoded text before a value, on its line) collecting names.
fn walk(v: &Vocabulary, left: &str) -> Walk {
    let b = left.as_bytes();
    let mut pos = b.len();
    let mut names = Vec::new();
    // Where the last name pushed starts: a word just before a bare `token` qualifies it.
    let mut last_start = usize::MAX;
    // The owner of `<word> <of> <owner>`, once the `of` word is read: the next word left
    // is the one it qualifies.
    let mut of_pending: Option<String> = None;
    loop {
        // Glue, separators and line ends.
        while pos > 0 {
            let c = b[pos - 1] as char;
            if c == '\n' {
                return Walk::Names(with_owner(names, of_pending));
            }
            if is_ident(c) {
                break;
            }
            if c == '}' {
                if let Some(open) = accessor_block(&left[..pos]) {
                    pos = open;
                    continue;
                }
            }
            // An aside between a label and its value (`Token usługi (usługa `x`,
            // użytkownik `y`): …`, `Token (service a, user b): …`) says more about the
            // value; the label before it names it.
            // An aside that says what the value is not (`Token (md5): …`, `Token (Stripe):
            // …`) is read as before, its words first.
            if c == ')' && names.is_empty() {
                if let Some(open) = aside_before(&left[..pos]) {
                    let words = v.words(&left[open..pos]);
                    let disqualifies = words.iter().any(|w| {
                        v.not_secret_tail.contains(w)
                            || v.digest_words.contains(w)
                            || v.other_services.contains(w)
                    });
                    // A gloss giving the label's term in English or Moodle's own word
                    // (`özel belirteç (privatetoken): …`, `clé (token) : …`) names the value
                    // too, as plainly as the label.
                    let glosses = is_gloss(&left[open..pos]);
                    if !disqualifies && !glosses {
                        pos = open;
                        continue;
                    }
                }
            }
            // A formatting element's opening tag (`<p style="…">`, ODF's `<text:span
            // text:style-name="T1">`) is markup around the value: its attributes name
            // nothing, but its `id` (`<code id="copytoken_826511">`, the token Moodle shows
            // once when it creates one), which names the element's content.
            if c == '>' {
                if let Some(open) = formatting_tag_before(&left[..pos]) {
                    if let Some(id) = element_id(&left[open..pos]) {
                        names.push(id.to_string());
                        last_start = open;
                        if names.len() >= MAX_NAMES {
                            return Walk::Names(with_owner(names, of_pending));
                        }
                    }
                    pos = open;
                    continue;
                }
            }
            // A data element's opening tag with attributes (`<string name="lms_ws_key"
            // translatable="false">`, KeePass's `<Value ProtectInMemory="True">`): its
            // content is named by its `name` or `key` attribute and the element; the other
            // attributes are settings of the element, not names of its content.
            if c == '>' && names.is_empty() {
                if let Some(resume) = data_tag_before(&left[..pos]) {
                    pos = resume;
                    continue;
                }
            }
            // A closure's parameters before the value it gives (Rust's
            // `unwrap_or_else(|_| "…")`, Ruby's `{ |e| "…" }`) name nothing: the call they
            // are passed to and what it is called on name the value.
            if c == '|' && names.is_empty() {
                if let Some(open) = closure_params_before(&left[..pos]) {
                    pos = open;
                    continue;
                }
            }
            if matches!(c, ',' | ';' | '&' | '|' | '?') && !names.is_empty() {
                return Walk::Names(with_owner(names, of_pending));
            }
            // A quoted label of several words (`array('Rollbar access token', '…')`,
            // `add('Moodle web service token', '…')`) is one name: its words qualify each
            // other, so `Rollbar` says whose token it is.
            if let Some(open) = quoted_label(left, pos - 1) {
                names.extend(of_pending.take());
                names.push(left[open + 1..pos - 1].to_string());
                if names.len() >= MAX_NAMES {
                    return Walk::Names(with_owner(names, of_pending));
                }
                pos = open;
                continue;
            }
            pos -= 1;
        }
        if pos == 0 {
            return Walk::Names(with_owner(names, of_pending));
        }
        let end = pos;
        while pos > 0 && is_ident(b[pos - 1] as char) {
            pos -= 1;
        }
        // A URL's scheme (`https` of `https://…`) names nothing.
        if left[end..].starts_with("://") {
            continue;
        }
        let ident = left[pos..end].trim_matches(|c| matches!(c, '.' | '-' | '/' | '$' | '@'));
        // A YAML anchor or alias between key and value (`KEY: &anchor value`) names nothing.
        let yaml_anchor = pos > 0
            && matches!(b[pos - 1], b'&' | b'*')
            && (pos == 1 || matches!(b[pos - 2], b' ' | b':'))
            && b.get(end) == Some(&b' ');
        if yaml_anchor {
            pos -= 1;
            continue;
        }
        // Path-like runs (`https://host/x`) and numbers are not names.
        if ident.is_empty()
            || ident.bytes().all(|c| c.is_ascii_digit())
            || left[pos..end].contains("//")
        {
            if names.len() >= MAX_NAMES {
                return Walk::Names(with_owner(names, of_pending));
            }
            continue;
        }
        // Another value further left (`wstoken=<value> … rid=<value>`): the names before it
        // are its own, not this value's.
        if !names.is_empty() && looks_like_value(ident.as_bytes()) {
            return Walk::Names(with_owner(names, of_pending));
        }
        let last_word = ident.rsplit(['.', '/']).next().unwrap_or(ident);
        // `<string>` (a plist's value element) is a pair's value half; `String` is a type.
        let xml_tag = pos > 0 && b[pos - 1] == b'<';
        let lower = last_word.to_ascii_lowercase();
        // `example:` / `default:` as a field of its own, first on its line.
        let field = v.field_value_words.contains(&lower)
            && left[..pos].trim_start_matches([' ', '\t', '-']).is_empty()
            && left[end..].trim_start().starts_with(':');
        if names.is_empty()
            && (v.value_words.contains(&lower) || field || (xml_tag && lower == "string"))
        {
            return Walk::Pair;
        }
        // An HTML formatting element around the value (`<pre><code>…`) names nothing.
        if xml_tag && left[end..].starts_with('>') && HTML_FORMATTING.contains(&lower.as_str()) {
            continue;
        }
        if v.is_syntax(last_word) {
            continue;
        }
        // A keyword argument passing the call's default (`default_var="…"`) names nothing.
        if names.is_empty() && default_argument(v, left, (pos, end)) {
            continue;
        }
        // `<word> <of> <owner>` (`token do webservice: …`): the owner qualifies the word
        // before it, as `webservice token` would (see `of_words`).
        let blanks_to_last = |end: usize| {
            left.get(end..last_start)
                .is_some_and(|between| between.bytes().all(|c| c == b' '))
        };
        if names.len() == 1
            && blanks_to_last(end)
            && v.of_words.contains(&lower)
            && of_pending.is_none()
        {
            of_pending = Some(names.pop().expect("one name"));
            last_start = pos;
            continue;
        }
        if let Some(owner) = of_pending.take() {
            if blanks_to_last(end) {
                names.push(format!("{owner} {ident}"));
                last_start = pos;
                continue;
            }
            names.push(owner);
        }
        // A word right before a lone `token`/`key`, a space apart, says whose it is
        // (`csrf token=…`, `Moodle token: …`): one name of two words.
        let qualifies = names.len() == 1
            && is_bare_key(&names[0])
            && last_start > end
            && left[end..last_start].bytes().all(|c| c == b' ');
        if qualifies {
            names[0] = format!("{ident} {}", names[0]);
            last_start = pos;
            continue;
        }
        // A word right after a lone `token` word in another language, a space apart, says
        // which token in that language's order (`Jeton privé`, `token privato`, `chave
        // privada`), and so does a Moodle word after `token` in any language (Indonesian and
        // Malay put the owner after the noun: `Token webservice`, `Token Moodle`): one name
        // of two words.
        let translated = |w: &str| v.translations.contains_key(w.to_lowercase().as_str());
        let owner_after = |w: &str| {
            v.moodle_words.contains(w.to_lowercase().as_str()) || v.is_moodle(&v.words(w))
        };
        let qualified_after = names.last().is_some_and(|last| {
            !last.contains(' ')
                && last_start > end
                && left[end..last_start].bytes().all(|c| c == b' ')
                && matches!(&v.words(ident)[..], [w] if w == "token")
                && (translated(ident) || translated(last) || owner_after(last))
        });
        if qualified_after {
            let qualifier = names.pop().expect("a name");
            // The owner goes first, as English writes it (`webservice Token`).
            let name = if owner_after(&qualifier) {
                format!("{qualifier} {ident}")
            } else {
                format!("{ident} {qualifier}")
            };
            names.push(name);
            last_start = pos;
            continue;
        }
        names.push(ident.to_string());
        last_start = pos;
        if names.len() >= MAX_NAMES {
            return Walk::Names(with_owner(names, of_pending));
        }
    }
}

/// Whether the identifier at `start..end` of `left` is a call's keyword argument (after `(`
/// or `,`, before a lone `=`) whose words are all [`Vocabulary::default_argument_words`].
fn default_argument(v: &Vocabulary, left: &str, (start, end): (usize, usize)) -> bool {
    let after = left[end..].trim_start();
    let before = left[..start].trim_end();
    after.starts_with('=')
        && !after.starts_with("==")
        && (before.ends_with('(') || before.ends_with(','))
        && v.words(&left[start..end])
            .iter()
            .all(|w| v.default_argument_words.contains(w))
}

/// `names` with the owner of an unfinished `<of> <owner>` (see `of_words`) back in front, as
/// the name it was read as.
fn with_owner(mut names: Vec<String>, owner: Option<String>) -> Vec<String> {
    if let Some(owner) = owner {
        names.insert(0, owner);
    }
    names
}

/// The name an opening tag's `id` attribute gives its element (`<code id="copytoken_826511"
/// class="mr-2">` gives `copytoken`): the id without a trailing number and its separator;
/// `None` without an id or when no letter is left.
fn element_id(tag: &str) -> Option<&str> {
    let at = [" id=\"", " id='", "\tid=\"", "\tid='"]
        .iter()
        .find_map(|a| tag.find(a).map(|i| i + a.len()))?;
    let quote = tag.as_bytes()[at - 1] as char;
    let value = &tag[at..at + tag[at..].find(quote)?];
    let name = value
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches(['_', '-', ':', '.']);
    name.chars().any(|c| c.is_alphabetic()).then_some(name)
}

/// The words an aside may gloss a label with, naming the value itself (see [`walk`]).
const GLOSS_WORDS: [&str; 5] = ["token", "wstoken", "privatetoken", "private", "key"];

/// Whether an aside's text (without its parentheses) glosses a label in English or Moodle's
/// own words: one or two words, each of [`GLOSS_WORDS`] (`token`, `private token`).
fn is_gloss(aside: &str) -> bool {
    let words: Vec<String> = aside
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    (1..=2).contains(&words.len()) && words.iter().all(|w| GLOSS_WORDS.contains(&w.as_str()))
}

/// The opening tag with attributes that ends `text`, of an element other than a formatting
/// one (`<string name="lms_ws_key" translatable="false">`, `<Value ProtectInMemory="True">`):
/// where the walk resumes, reading its `name` or `key` attribute's value and the element's
/// name but no other attribute: the end of that value, or of the element's name. `None`
/// for a tag without attributes (`<token>`, read as it is) and any other text.
fn data_tag_before(text: &str) -> Option<usize> {
    let inner = text.strip_suffix('>')?;
    let open = inner.rfind('<')?;
    let tag = &inner[open + 1..];
    if tag.contains('>') || tag.ends_with('/') || formatting_tag_before(text).is_some() {
        return None;
    }
    let name_len = tag.find(|c: char| c.is_ascii_whitespace())?;
    let name = &tag[..name_len];
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-:.".contains(&b))
    {
        return None;
    }
    let naming_end = [" name=\"", " key=\"", " name='", " key='"]
        .iter()
        .find_map(|a| tag.find(a).map(|i| i + a.len()))
        .and_then(|at| {
            let quote = tag.as_bytes()[at - 1] as char;
            tag[at..].find(quote).map(|e| at + e)
        });
    Some(open + 1 + naming_end.unwrap_or(name_len))
}

/// Where the aside in parentheses that ends `text` starts (its blank before `(`), when it
/// is prose's: a blank, then `(`, text without parentheses or a line break, then `)`, with
/// a word before the blank and only a separator (`:`, `=`), blanks, quotes or emphasis
/// between `)` and the value. A call's arguments (`f(x)`) have no blank before `(`.
fn aside_before(text: &str) -> Option<usize> {
    let inner = text.strip_suffix(')')?;
    let open = inner.rfind(['(', ')', '\n'])?;
    if inner.as_bytes()[open] != b'(' || open == 0 || inner.as_bytes()[open - 1] != b' ' {
        return None;
    }
    let before = text[..open - 1].trim_end();
    before
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '*' || c == '_')
        .then_some(open - 1)
}

/// Where the opening tag that ends `text` starts, when it opens an element of
/// [`HTML_FORMATTING`], with or without attributes and a namespace prefix (`<code
/// class="mr-2">`, `<text:span text:style-name="T1">`); `None` for any other text.
fn formatting_tag_before(text: &str) -> Option<usize> {
    let inner = text.strip_suffix('>')?;
    let open = inner.rfind('<')?;
    let tag = &inner[open + 1..];
    if tag.contains('>') {
        return None;
    }
    let name_len = tag
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(tag.len());
    let name = &tag[..name_len];
    let local = match name.split_once(':') {
        Some((prefix, local)) if prefix.bytes().all(|b| b.is_ascii_alphanumeric()) => local,
        Some(_) => return None,
        None => name,
    };
    let lower = local.to_ascii_lowercase();
    (!local.is_empty() && HTML_FORMATTING.contains(&lower.as_str())).then_some(open)
}

/// Whether `left` (the text of a line before its value) holds no letter or digit but in the
/// opening tags of formatting elements (`<blockquote>`, `<p class="x"><code>`) and the
/// quote marks of a reply (`&gt; `, `> `).
fn markup_only(left: &str) -> bool {
    if !left.bytes().any(|b| b.is_ascii_alphanumeric()) {
        return true;
    }
    let mut text = left;
    loop {
        text =
            text.trim_start_matches(|c: char| !c.is_ascii_alphanumeric() && c != '<' && c != '&');
        if let Some(rest) = text.strip_prefix("&gt;") {
            text = rest;
            continue;
        }
        let tag_end = text.find('>').map(|e| e + 1);
        let is_tag =
            |e: &usize| text.starts_with('<') && formatting_tag_before(&text[..*e]) == Some(0);
        match tag_end.filter(is_tag) {
            Some(e) => text = &text[e..],
            None => return !text.bytes().any(|b| b.is_ascii_alphanumeric()),
        }
    }
}

/// Whether `rest` (the text of a line after its value) holds no letter or digit but in the
/// closing tags of formatting elements (`</code></blockquote>`).
fn closing_markup_only(rest: &[u8]) -> bool {
    let text = String::from_utf8_lossy(rest);
    let mut rest = text.as_ref();
    while let Some(open) = rest.find("</") {
        if rest[..open].chars().any(char::is_alphanumeric) {
            return false;
        }
        let Some(close) = rest[open..].find('>').map(|c| open + c) else {
            return false;
        };
        let name = rest[open + 2..close].trim().to_ascii_lowercase();
        if !HTML_FORMATTING.contains(&name.as_str()) {
            return false;
        }
        rest = &rest[close + 1..];
    }
    !rest.chars().any(char::is_alphanumeric)
}

/// HTML elements that format text rather than name it: as the tags around a value they are
/// markup, not its key (an XML element such as `<token>` is a key).
const HTML_FORMATTING: [&str; 14] = [
    "code",
    "pre",
    "tt",
    "kbd",
    "samp",
    "b",
    "strong",
    "em",
    "i",
    "span",
    "p",
    "div",
    "mark",
    "blockquote",
];

/// C#/Kotlin accessor blocks between a property name and its initialiser
/// (`Token { get; set; } = "…"`): the start of the block, to step over it.
fn accessor_block(left: &str) -> Option<usize> {
    let open = left.rfind('{')?;
    let inner = &left[open + 1..left.len() - 1];
    inner
        .split(|c: char| c == ';' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .all(|w| {
            matches!(
                w,
                "get" | "set" | "init" | "private" | "protected" | "internal" | "public"
            )
        })
        .then_some(open)
}

fn serialized_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r#"s:\d+:"([^"]+)";s:\d+:"$"#).expect("serialized regex"))
}

/// The key of a PHP-serialized string value: `…s:7:"wstoken";s:32:"` before the value.
fn serialized_key(left: &str) -> Option<String> {
    // The key's length is checked here, not in the pattern (see `computed_key`).
    serialized_re()
        .captures(left)
        .map(|c| c[1].to_string())
        .filter(|name| name.len() <= 64)
}

/// The longest name a name/value pair's name field gives, in bytes: a longer field is text.
const PAIR_NAME_MAX: usize = 128;

/// A pair's name field on one line (`"name": "ws token"`, `<Key>Password</Key>`, KeePass's
/// custom field `<Key>Token privado</Key>`, a Zabbix
/// export's `<macro>{$LMS.WSKEY}</macro>`: any name word as an element, JMeter's
/// `name="Argument.name">wstoken<`, `--parameter-name wstoken`), its name in groups 1 to 5.
/// Unbounded repeats, checked against [`PAIR_NAME_MAX`] after: a bounded repeat of a
/// Unicode class compiles to one automaton per count, a startup cost every run pays.
fn pair_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        // The name fields are `names.toml`'s `name_words`, longest first.
        let mut fields: Vec<&String> = Vocabulary::builtin().name_words.iter().collect();
        fields.sort_by_key(|w| (std::cmp::Reverse(w.len()), w.as_str()));
        let fields = fields
            .iter()
            .map(|w| regex::escape(w))
            .collect::<Vec<_>>()
            .join("|");
        Regex::new(&format!(
            r#"(?i)(?:name=["'][\w.-]*name["']>\s*([^<\s]+)\s*<|["']?\b(?:{fields})["']?\s*(?::|=>|=)\s*(?:"([^"\n<>]+)"|["']?([^"',}}\s]+))|<(?:{fields})>\s*([^<\s](?:[^<\n]*[^<\s])?)\s*</(?:{fields})>|--(?:name|key|parameter-name)\s+["']?([^"'\s]+))"#,
        ))
        .expect("pair regex")
    })
}

/// The words one of which every match of [`pair_re`] holds (`names.toml`'s `name_words`),
/// matched in any ASCII case: a cheap test that spares most lines the pattern.
fn pair_words() -> &'static aho_corasick::AhoCorasick {
    static A: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    A.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&Vocabulary::builtin().name_words)
            .expect("pair words")
    })
}

/// The name field of the pair whose value is on line `ls..le`: on that line, else on the
/// nearest of the [`PAIR_LINES`] lines before, else of the half as many lines after.
fn pair_name(buf: &[u8], lines: &Lines, ls: usize, le: usize) -> Option<String> {
    let name_in = |s: usize, e: usize| {
        // Every branch of the pattern needs one of the name words: an ASCII line without
        // any is not searched (most lines; a non-ASCII one may fold case otherwise).
        let bytes = &buf[s..e];
        if bytes.is_ascii() && !pair_words().is_match(bytes) {
            return None;
        }
        let line = String::from_utf8_lossy(bytes);
        // A field that is itself a pair's value half (`name="Argument.value"` on the
        // value's own line) names nothing.
        let value_field = |n: &str| n.to_ascii_lowercase().ends_with("value");
        pair_re()
            .captures_iter(&line)
            .filter_map(|c| {
                (1..=5)
                    .find_map(|g| c.get(g))
                    .map(|m| m.as_str().to_string())
            })
            .filter(|n| !value_field(n) && n.len() <= PAIR_NAME_MAX)
            .last()
    };
    if let Some(n) = name_in(ls, le) {
        return Some(n);
    }
    // The lines after the value's, as spans, at most half as many as are read before it.
    let lines_after = || {
        std::iter::successors(Some((le, le)), |&(_, e)| {
            let s = e + 1;
            (s < buf.len()).then(|| (s, lines.end_of(s)))
        })
        .skip(1)
        .take(PAIR_LINES / 2)
    };
    // An SQL statement that sets a name/value table's value goes on after the value's line
    // (`UPDATE mdl_config_plugins SET value = '…'` ⏎ `  WHERE … AND name = '…';`, its
    // continuation indented as SQL is written): its `WHERE` clause names the row, up to the
    // statement's `;`.
    if sets_a_column(&buf[ls..le]) {
        for (s, e) in lines_after() {
            if let Some(n) = name_in(s, e) {
                return Some(n);
            }
            if memchr::memchr(b';', &buf[s..e]).is_some() {
                break;
            }
        }
    }
    // The pair's fields are siblings: a name on another line counts at the value's own
    // indentation (a list item's `- ` included), and a line indented less ends the pair
    // (`"MOODLE_TOKEN": {` above a `"value":` is its block, not a field beside it).
    let own = indent(&buf[ls..le]);
    let sibling = |s: usize, e: usize| match indent(&buf[s..e]) {
        i if i == own => Some(name_in(s, e)),
        i if i < own && !buf[s..e].trim_ascii().is_empty() => None,
        _ => Some(None),
    };
    let mut s = ls;
    for _ in 0..PAIR_LINES {
        if s == 0 {
            break;
        }
        let e = s - 1;
        s = lines.start_of(e);
        match sibling(s, e) {
            Some(Some(n)) => return Some(n),
            Some(None) => {}
            // The element enclosing the value's own names it by its attribute (.NET's
            // `<setting name="Token" serializeAs="String">` over `<value>…</value>`).
            None if is_start_tag(buf[s..e].trim_ascii()) => return name_in(s, e),
            None => break,
        }
    }
    for (s, e) in lines_after() {
        match sibling(s, e) {
            Some(Some(n)) => return Some(n),
            Some(None) => {}
            None => break,
        }
    }
    None
}

/// Whether `line` is an SQL `UPDATE … SET` (or the `SET` line of one) whose statement does
/// not end on it (the line does not end in `;`).
fn sets_a_column(line: &[u8]) -> bool {
    let t = line.trim_ascii_start();
    let starts = |word: &[u8]| {
        t.get(..word.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(word))
    };
    let update_set =
        starts(b"update ") && memchr::memmem::find(&t.to_ascii_lowercase(), b" set ").is_some();
    (update_set || starts(b"set ")) && !line.trim_ascii_end().ends_with(b";")
}

/// Whether `line` (trimmed) is one element's start tag alone: `<name …>`, not an end tag,
/// an empty element (`…/>`), a declaration or a comment.
fn is_start_tag(line: &[u8]) -> bool {
    line.len() > 2
        && line[0] == b'<'
        && line[1].is_ascii_alphabetic()
        && line.ends_with(b">")
        && !line.ends_with(b"/>")
        && memchr::memchr(b'<', &line[1..]).is_none()
}

/// How far from a value, in bytes, its stem's name field is looked for.
const STEM_REACH: usize = 4096;

/// The name of a value whose own field is a stem's value half (`apiKeyValue`,
/// `header_value`, `paramValue`): the value of the stem's name half (`apiKeyKey`,
/// `header_name`, `paramName`) on the value's line or within [`PAIR_LINES`] lines of it
/// (and [`STEM_REACH`] bytes of the value at `start`), as
/// Grafana datasources (`apiKeyKey`/`apiKeyValue`) and request builders write a parameter.
fn stem_pair_name(
    v: &Vocabulary,
    buf: &[u8],
    lines: &Lines,
    (ls, start, le): (usize, usize, usize),
    field: &str,
) -> Option<String> {
    // A pair may be numbered (Grafana's `secureQueryName1` / `secureQueryValue1`): the same
    // number ends both halves.
    let digits = field.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (field, number) = field.split_at(field.len() - digits);
    // The field ends in a value word, as its last word must (a test without splitting it).
    let ends_with = |w: &String| {
        let (f, w) = (field.as_bytes(), w.as_bytes());
        f.len() > w.len() && f[f.len() - w.len()..].eq_ignore_ascii_case(w)
    };
    // The value words by their last byte, lowercased: most fields end in a byte no value
    // word ends in, and the rest are compared with the few that do (this runs for every
    // value a map key names).
    static BY_LAST_BYTE: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    let by_last_byte = BY_LAST_BYTE.get_or_init(|| {
        let mut buckets = vec![Vec::new(); 256];
        for w in &v.value_words {
            if let Some(&b) = w.as_bytes().last() {
                buckets[usize::from(b.to_ascii_lowercase())].push(w.clone());
            }
        }
        buckets
    });
    let last = field.as_bytes().last()?.to_ascii_lowercase();
    if !by_last_byte[usize::from(last)].iter().any(ends_with) {
        return None;
    }
    let words = v.words(field);
    if words.len() < 2 || !words.last().is_some_and(|w| v.value_words.contains(w)) {
        return None;
    }
    let last = words.last()?;
    let cut = field.len().checked_sub(last.len())?;
    if !field.is_char_boundary(cut) || !field[cut..].eq_ignore_ascii_case(last) {
        return None;
    }
    let stem = field[..cut].trim_end_matches(['_', '-']);
    if stem.is_empty() {
        return None;
    }
    let from = (0..PAIR_LINES).fold(ls, |s, _| if s == 0 { 0 } else { lines.start_of(s - 1) });
    let to = (0..PAIR_LINES).fold(le, |e, _| {
        if e + 1 >= buf.len() {
            e
        } else {
            lines.end_of(e + 1)
        }
    });
    // Bounded in bytes too, so a one-line dump does not read its whole line per value.
    let from = from.max(start.saturating_sub(STEM_REACH));
    let to = to.min(start + STEM_REACH).max(from);
    let window = &buf[from..to];
    let stem = stem.as_bytes();
    // Each occurrence of the stem (no regex compiled per value: this runs for every value
    // whose field is a stem's value half).
    let mut at = 0;
    while let Some(found) = find_ignore_case(&window[at..], stem) {
        let start = at + found;
        at = start + 1;
        if start > 0 && (window[start - 1].is_ascii_alphanumeric() || window[start - 1] == b'_') {
            continue; // inside a longer word
        }
        let mut i = start + stem.len();
        if matches!(window.get(i), Some(b'_' | b'-')) {
            i += 1;
        }
        let half = [&b"name"[..], b"key"].into_iter().find(|h| {
            window
                .get(i..i + h.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(h))
        });
        let Some(half) = half else {
            continue;
        };
        i += half.len();
        if window.get(i..i + number.len()) != Some(number.as_bytes()) {
            continue; // `headerName2` for `headerValue1`
        }
        i += number.len();
        if window.get(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue; // `apiKeyKeyboard`
        }
        let skip = |i: &mut usize, set: &[u8]| {
            while window.get(*i).is_some_and(|b| set.contains(b)) {
                *i += 1;
            }
        };
        skip(&mut i, b"\"'");
        skip(&mut i, b" \t");
        match window.get(i..i + 2) {
            Some(b"=>") => i += 2,
            _ if matches!(window.get(i), Some(b':' | b'=')) => i += 1,
            _ => continue,
        }
        skip(&mut i, b" \t");
        skip(&mut i, b"\"'");
        let value_end = window[i..]
            .iter()
            .position(|b| matches!(b, b'"' | b'\'' | b',' | b'}') || b.is_ascii_whitespace())
            .map_or(window.len(), |e| i + e);
        if (1..=128).contains(&(value_end - i)) {
            return Some(String::from_utf8_lossy(&window[i..value_end]).into_owned());
        }
    }
    None
}

/// The URLs written in `line`, as byte spans of it: each `://` with the scheme's letters
/// before it and everything up to the next blank, quote or angle bracket after it.
pub fn urls(line: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    memchr::memmem::find_iter(line, b"://").map(move |at| {
        let start = at
            - line[..at]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
                .count();
        let end = line[at..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>'))
            .map_or(line.len(), |e| at + e);
        (start, end)
    })
}

/// The first offset of `needle` in `hay`, ASCII case-insensitively. Only the places where
/// the needle's first byte stands (either case, found by `memchr2`) are compared: this
/// searches the lines around every value whose field is a pair's value half.
pub(super) fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    let mut candidates = memchr::memchr2_iter(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        &hay[..=last_start],
    );
    candidates.find(|&i| hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest))
}

/// The line that opens the block holding `pos` (YAML, pretty-printed JSON, Python dicts,
/// HCL and Go blocks, TOML/INI `[sections]`): the nearest line above with less indentation
/// that ends in `:`, `{` or `(`, or the nearest section header; its text before the opener
/// (`datadog`, `"athmovil"`, `variable "moodle_token"`, `var Default = &MoodleClient`).
/// Reads at most 200 lines back.
pub fn parent_key(buf: &[u8], lines: &Lines, pos: usize) -> Option<String> {
    opener_line(buf, lines, pos, true).map(|(head, _)| head)
}

/// The line that opens the block holding `pos` (see [`parent_key`]) and its offset, for
/// the enclosing keys that give context.
pub fn parent_line(buf: &[u8], lines: &Lines, pos: usize) -> Option<(String, usize)> {
    opener_line(buf, lines, pos, true)
}

/// The opener of the block holding `pos` and the offset of its line; `lists`: a line
/// opening a list (`[`) counts.
fn opener_line(buf: &[u8], lines: &Lines, pos: usize, lists: bool) -> Option<(String, usize)> {
    let index = lines.index_of(pos);
    let ls = lines.start_of_index(index);
    let own = indent(&buf[ls..pos]);
    let text_of = |i: usize| {
        let (s, e) = (lines.start_of_index(i), lines.start_of_index(i + 1) - 1);
        let line = buf[s..e].strip_suffix(b"\r").unwrap_or(&buf[s..e]);
        (s, line, line.trim_ascii())
    };
    if let Some(known) = lines.opener_answers.borrow().get(&(index, own, lists)) {
        return known.clone();
    }
    let settles = |i: usize| {
        // Most lines above a value are indented as deep as it and are no section header:
        // `opener_of` says `Not` of them, known here without its reading of the line.
        let line = &buf[lines.start_of_index(i)..lines.start_of_index(i + 1) - 1];
        if indented_at_least(line, own) && line.trim_ascii_start().first() != Some(&b'[') {
            return false;
        }
        opener_of(text_of(i), own, lists) != Opener::Not
    };
    let answer = lines
        .nearest_settling(
            index,
            (own, lists),
            Some(&|w| lines.opener_ends(buf, w)),
            settles,
        )
        .and_then(|found| match opener_of(text_of(found), own, lists) {
            Opener::Head(head) => Some((head, text_of(found).0)),
            _ => None,
        });
    let mut answers = lines.opener_answers.borrow_mut();
    if answers.len() >= OPENER_ANSWERS {
        answers.clear();
    }
    answers.insert((index, own, lists), answer.clone());
    answer
}

/// The bytes a line that opens a block ends in, blanks aside: a section header's `]`, an
/// element's `>`, `:`, `{`, `(`, `[` (see [`opener_of`]). Most lines of code end in none.
const OPENER_ENDS: [u8; 6] = [b']', b'>', b':', b'{', b'(', b'['];

/// [`OPENER_ENDS`] as a table by byte.
const ENDS_OPENER: [bool; 256] = super::byte_set(&OPENER_ENDS);

/// The greatest `i` in `lo..hi` whose bit is set (bit `i % 64` of `word(i / 64)`) and for
/// which `f(i)` holds, asking `f` from the top down, of set bits only.
fn last_set(
    word: &dyn Fn(usize) -> u64,
    lo: usize,
    hi: usize,
    mut f: impl FnMut(usize) -> bool,
) -> Option<usize> {
    let mut end = hi;
    while end > lo {
        let w = (end - 1) / 64;
        let word_lo = (w * 64).max(lo);
        let mut bits = word(w);
        let top = end - w * 64;
        if top < 64 {
            bits &= (1u64 << top) - 1;
        }
        bits &= !0u64 << (word_lo - w * 64);
        while bits != 0 {
            let b = 63 - bits.leading_zeros() as usize;
            if f(w * 64 + b) {
                return Some(w * 64 + b);
            }
            bits &= !(1u64 << b);
        }
        end = word_lo;
    }
    None
}

/// How many [`opener_line`] answers one input keeps at most (a bound on memory for inputs
/// of very many values).
const OPENER_ANSWERS: usize = 4096;

/// What a line above a value says of the block the value stands in.
#[derive(Debug, PartialEq, Eq)]
enum Opener {
    /// Nothing: the search goes on above it.
    Not,
    /// It opens the block, with this head.
    Head(String),
    /// It would open the block but names nothing (a lone `{`): the block has no key.
    Nameless,
}

/// What `(offset, line, trimmed line)` says of a block indented `own` below it: a section
/// header (`[moodle]`) at any indentation, else a line indented less that opens an element
/// or ends in `:`, `{`, `(` (or `[`, with `lists`).
fn opener_of((_, line, text): (usize, &[u8], &[u8]), own: usize, lists: bool) -> Opener {
    if text.is_empty() || text.starts_with(b"#") || text.starts_with(b"//") {
        return Opener::Not;
    }
    if text.starts_with(b"[") && text.ends_with(b"]") && !text.contains(&b',') {
        return Opener::Head(String::from_utf8_lossy(&text[1..text.len() - 1]).into_owned());
    }
    if indent(line) >= own {
        return Opener::Not;
    }
    if let Some(tag) = xml_open_tag(text) {
        return Opener::Head(tag.to_string());
    }
    let Some(head) = text
        .strip_suffix(b":")
        .or_else(|| text.strip_suffix(b"{"))
        .or_else(|| text.strip_suffix(b"("))
        .or_else(|| text.strip_suffix(b"[").filter(|_| lists))
    else {
        return Opener::Not;
    };
    let head = String::from_utf8_lossy(head);
    let head = head
        .trim()
        .trim_end_matches([':', '=', ' '])
        .trim_start_matches(['-', ' ']);
    // A signature's head is its name (`fn main() -> Result<(), Box<dyn Error>> {`, `def
    // sync(client: Session):`): its parameters' and result's types own nothing inside it.
    let head = match head.find('(') {
        Some(open) if open > 0 => head[..open].trim_end(),
        _ => head,
    };
    match head.is_empty() {
        true => Opener::Nameless,
        false => Opener::Head(head.to_string()),
    }
}

/// The name of the element whose start tag is still open at the end of `before` (the text
/// of a line before a value: `  <moodle url="https://…" token="`), if any.
pub fn open_element(before: &[u8]) -> Option<&str> {
    let open = memchr::memrchr(b'<', before)?;
    let tag = &before[open + 1..];
    if tag.contains(&b'>') || !tag.first()?.is_ascii_alphabetic() {
        return None;
    }
    let len = tag
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':' | b'.'))
        .count();
    // A name, then attributes: a blank must follow it (the value is an attribute's).
    if !tag.get(len).is_some_and(|b| b.is_ascii_whitespace()) {
        return None;
    }
    std::str::from_utf8(&tag[..len]).ok()
}

/// Whether `buf` may import anything by name (it holds `import` or `require(`): only such
/// inputs are asked [`imported_from`], which builds a regex per name. Searched once per
/// input by the caller, never once per value.
pub fn imports_anything(buf: &[u8]) -> bool {
    let holds = |w: &[u8]| memchr::memmem::find(buf, w).is_some();
    holds(b"import") || holds(b"require(")
}

/// Every name `buf` imports by name, with the module it comes from (the first import of a
/// name wins): Python's `from datadog import initialize` (also as a notebook's JSON source
/// line), JavaScript's `import { init } from '@sentry/node'` and `const { init } =
/// require('@sentry/node')`. Built once per input (a regex per name asked was quadratic in
/// an input of many names); callers ask [`imports_anything`] first. The bytes are searched
/// as they are, never validated or copied whole.
pub fn imported_names(buf: &[u8]) -> rustc_hash::FxHashMap<String, String> {
    static R: OnceLock<regex::bytes::Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        regex::bytes::Regex::new(
            r#"(?m)^\s*"?from\s+([\w.]+)\s+import\s+([^\n]*)|import\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']|\{([^}]*)\}\s*=\s*require\(\s*["']([^"']+)["']"#,
        )
        .expect("imports")
    });
    let mut names = rustc_hash::FxHashMap::default();
    for c in re.captures_iter(buf) {
        let (list, module) = match (c.get(1), c.get(4), c.get(6)) {
            (Some(module), _, _) => (c.get(2), module),
            (_, Some(module), _) => (c.get(3), module),
            (_, _, Some(module)) => (c.get(5), module),
            _ => continue,
        };
        let module = String::from_utf8_lossy(module.as_bytes()).into_owned();
        let list = list.map_or(&b""[..], |m| m.as_bytes());
        for name in list.split(|b| !(b.is_ascii_alphanumeric() || *b == b'_')) {
            if let Ok(name) = std::str::from_utf8(name) {
                if !name.is_empty() && !names.contains_key(name) {
                    names.insert(name.to_string(), module.clone());
                }
            }
        }
    }
    names
}

/// Whether `line`'s [`indent`] is at least `own`: its first `own` bytes are all
/// indentation. Read without an early exit, so that the lines of one block (asked with the
/// same `own`, line after line) cost no mispredicted branch where their text starts.
fn indented_at_least(line: &[u8], own: usize) -> bool {
    line.get(..own).is_some_and(|head| {
        head.iter()
            .fold(true, |all, &c| all & matches!(c, b' ' | b'\t' | b'-'))
    })
}

/// The indentation of a line for block structure: its leading blanks and list dashes.
pub fn indent(line: &[u8]) -> usize {
    line.iter()
        .take_while(|&&c| c == b' ' || c == b'\t' || c == b'-')
        .count()
}

/// The name of an element a line only opens (`<moodle>`, `<moodle env="prod">`), for the
/// lines indented under it; `None` for closing, self-closing and complete elements. A
/// namespace prefix is left out: it names the vocabulary the element belongs to (ODF's
/// `<office:text>`, SOAP's `<soap:Body>`), not whose the values under it are.
fn xml_open_tag(text: &[u8]) -> Option<&str> {
    let inner = text.strip_prefix(b"<")?.strip_suffix(b">")?;
    if inner.starts_with(b"/") || inner.ends_with(b"/") || inner.contains(&b'<') {
        return None;
    }
    let name_len = inner
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':'))
        .count();
    if name_len == 0 || !inner[0].is_ascii_alphabetic() {
        return None;
    }
    let name = std::str::from_utf8(&inner[..name_len]).ok()?;
    Some(
        name.rsplit(':')
            .next()
            .filter(|l| !l.is_empty())
            .unwrap_or(name),
    )
}

/// Whether the text before a value ends in an HTML table cell's opening tag (`<td>`,
/// `<td class="c0">`), with blanks at most between it and the value.
fn html_cell(left: &str) -> bool {
    let t = table::strip_inline_openers(left);
    // Bytes, not `str` slices: the tag's text may hold characters of several bytes.
    let b = t.as_bytes();
    t.ends_with('>')
        && t.rfind('<')
            .is_some_and(|i| b.len() - i >= 4 && b[i..i + 3].eq_ignore_ascii_case(b"<td"))
}

/// The identifiers of `text` that may be names (syntax words and numbers left out), in order.
pub fn identifiers(v: &Vocabulary, text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')))
        .map(|w| w.trim_matches(|c| matches!(c, '.' | '-' | '/')))
        .filter(|w| !w.is_empty() && !w.bytes().all(|b| b.is_ascii_digit()) && !v.is_syntax(w))
        .map(str::to_string)
        .collect()
}

/// The keys a line gives values to (`['client' => 'x', 'lms_url' => '…']`, `{"lms_url":
/// "…"}`, `lms_url = …`): each identifier, bare or quoted, followed by `=>`, `:` or `=`
/// (not `::`, `://` or `==`).
pub fn keys_on_line(line: &str) -> Vec<&str> {
    let b = line.as_bytes();
    let mut keys = Vec::new();
    for (i, &c) in b.iter().enumerate() {
        let sep = match c {
            b'=' => !matches!(b.get(i + 1), Some(b'=')) && (i == 0 || b[i - 1] != b'='),
            b':' => !matches!(b.get(i + 1), Some(b':' | b'/')) && (i == 0 || b[i - 1] != b':'),
            _ => false,
        };
        if !sep {
            continue;
        }
        let mut e = i;
        while e > 0 && b[e - 1] == b' ' {
            e -= 1;
        }
        if e > 0 && matches!(b[e - 1], b'"' | b'\'') {
            e -= 1;
        }
        let mut s = e;
        while s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'_') {
            s -= 1;
        }
        if s < e {
            keys.push(&line[s..e]);
        }
    }
    keys
}

#[cfg(test)]
mod tests {

    /// The first-byte search finds what comparing at every offset finds: either case of a
    /// letter, a needle that starts with a non-letter, at the very end, and none at all.
    #[test]
    fn case_blind_search_equals_comparing_at_every_offset() {
        let naive = |hay: &[u8], needle: &[u8]| {
            (needle.len() <= hay.len() && !needle.is_empty())
                .then(|| {
                    (0..=hay.len() - needle.len())
                        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
                })
                .flatten()
        };
        let hay = b"xMoDuLe_value: a, module: b, _x-Mod, mod\nMODULE";
        for needle in [
            &b"module"[..],
            b"MODULE",
            b"mod",
            b"_x-",
            b"-mod",
            b"le",
            b"e",
            b"moduleX",
            b"",
            b"\nmodule",
        ] {
            assert_eq!(
                super::find_ignore_case(hay, needle),
                naive(hay, needle),
                "{needle:?}"
            );
        }
        assert_eq!(super::find_ignore_case(b"ab", b"abc"), None);
    }

    /// The key of a map written on one line is the head of its open `{` or `[`, whatever
    /// strings and closed maps stand between them and the value.
    #[test]
    fn a_map_on_one_line_is_named_by_its_key() {
        let cases = [
            (
                r#"  "MOODLE_TOKEN": { "description": "a {b} c", "value": ""#,
                Some(r#""MOODLE_TOKEN""#),
            ),
            (
                r#"{"env": {"MOODLE_TOKEN": { "value": ""#,
                Some(r#""MOODLE_TOKEN""#),
            ),
            ("  wstoken: {value: ", Some("wstoken")),
            (
                r#"variable "moodle_token" { default = ""#,
                Some(r#"variable "moodle_token""#),
            ),
            ("  'TOKEN' => ['value' => '", Some("'TOKEN'")),
            (r#"  "x": {"a": 1}, "value": ""#, None),
            (r#"setup({ value: ""#, None),
            ("value = ", None),
        ];
        for (left, head) in cases {
            assert_eq!(super::inline_map_head(left), head, "{left}");
        }
    }

    /// The identifier index answers as the direct search does (whole identifiers only, in
    /// order, at most [`super::USES_READ`]), for variables asked after it is built.
    #[test]
    fn variable_uses_from_the_index_equal_the_direct_search() {
        let mut text = String::new();
        for i in 0..300 {
            text.push_str(&format!(
                "tok{} = $tok{} + tok{}x; tok = f(tok, a$tok)\n",
                i % 7,
                i % 5,
                i
            ));
        }
        let buf = text.as_bytes();
        let vars = [
            "tok", "$tok1", "tok3", "tok1x", "a$tok", "f", "tok42", "absent", "x",
        ];
        let direct: Vec<Vec<usize>> = vars
            .iter()
            .map(|v| super::Uses::default().of(buf, v.as_bytes()))
            .collect();
        let mut uses = super::Uses::default();
        for v in vars.iter().cycle().take(super::DIRECT_SEARCHES) {
            uses.of(buf, v.as_bytes());
        }
        assert!(uses.index.is_none());
        for (v, want) in vars.iter().zip(&direct) {
            assert_eq!(&uses.of(buf, v.as_bytes()), want, "{v}");
        }
        assert!(uses.index.is_some());
        assert_eq!(direct[0].len(), super::USES_READ);
        assert!(direct[7].is_empty() && !direct[5].is_empty());
    }

    /// The SSE2 block reading finds the newlines `memchr` finds: every length around the
    /// 64-byte blocks, newlines at every position, `\r\n` and none.
    #[test]
    fn newline_offsets_are_memchrs() {
        let mut next = crate::testing::xorshift(0x1f2e_3d4c_5b6a_7988);
        for len in (0..200).chain([1000, 4096, 4097]) {
            for density in [2, 7, 64, 1000] {
                let buf: Vec<u8> = (0..len)
                    .map(|_| match next() % density {
                        0 => b'\n',
                        1 => b'\r',
                        _ => b'a' + (next() % 26) as u8,
                    })
                    .collect();
                let want: Vec<usize> = memchr::memchr_iter(b'\n', &buf).collect();
                assert_eq!(newline_offsets(&buf), want, "{len} {density}");
            }
        }
    }

    /// The opener-line search that reads only lines whose bit is set answers as reading
    /// every line does: random lines, ends and indentation, every question window.
    #[test]
    fn opener_lines_read_by_their_ends_are_the_lines_read_one_by_one() {
        let mut next = crate::testing::xorshift(0x5eed_0f0e_11e5_2024);
        for len in [0usize, 1, 5, 63, 64, 65, 129, 300] {
            let text: String = (0..len)
                .map(|_| {
                    let indent = " ".repeat((next() % 6) as usize);
                    let body = ["key", "[moodle]", "- item", "<site a=\"b\">", "x = 1", ""]
                        [(next() % 6) as usize];
                    let end = [":", "{", "(", "[", ",", ";", " ", "\r", ": \r", ""]
                        [(next() % 10) as usize];
                    format!("{indent}{body}{end}\n")
                })
                .collect();
            let buf = text.as_bytes();
            let lines = super::Lines::new(buf);
            let word = |w: usize| lines.opener_ends(buf, w);
            for lo in 0..=len {
                for hi in lo..=len {
                    let settles = |i: usize| next_bit(i, len) == 0;
                    let read_all = (lo..hi).rev().find(|&i| {
                        super::OPENER_ENDS.contains(&buf_line_end(buf, i)) && settles(i)
                    });
                    assert_eq!(
                        super::last_set(&word, lo, hi, settles),
                        read_all,
                        "{len} {lo} {hi}"
                    );
                }
            }
        }
        // Whether line `i` settles: a fixed pseudo-random choice per line.
        fn next_bit(i: usize, len: usize) -> usize {
            (i * 7 + len) % 3
        }
        // The last byte but blanks of line `i` (0 when it has none).
        fn buf_line_end(buf: &[u8], i: usize) -> u8 {
            let line = buf.split(|&b| b == b'\n').nth(i).unwrap_or_default();
            line.trim_ascii_end().last().copied().unwrap_or(0)
        }
    }

    #[test]
    fn line_index_finds_every_line_break() {
        for len in [0usize, 1, 63, 64, 65, 130, 1000] {
            let buf: Vec<u8> = (0..len)
                .map(|i| {
                    if i % 7 == 3 || i % 64 == 63 {
                        b'\n'
                    } else {
                        b'x'
                    }
                })
                .collect();
            let lines = Lines::new(&buf);
            let want: Vec<usize> = memchr::memchr_iter(b'\n', &buf).collect();
            assert_eq!(lines.newlines, want, "{len}");
        }
    }
    use super::*;

    /// The block-opener search skips a line that ends in no opener's last byte without
    /// asking `opener_of`: every line `opener_of` reads as an opener ends in one.
    #[test]
    fn every_opener_ends_in_an_opener_byte() {
        let heads = ["", "  ", "\t", "- ", "    "];
        let bodies = [
            "moodle:",
            "moodle: ",
            "[moodle]",
            "[a, b]",
            "<moodle>",
            "<moodle env=\"x\">",
            "def f(a):",
            "fn main() {",
            "call(",
            "items = [",
            "x = 1",
            "# moodle:",
            "// a {",
            "}",
            "</moodle>",
            "<br/>",
            "a: b",
            "key =>",
            "{",
            "(",
            "[",
            ":",
            "f(x) {  ",
            "moodle:\r",
            "<a><b>",
        ];
        for head in heads {
            for body in bodies {
                let line = format!("{head}{body}");
                let line = line.as_bytes();
                let text = line.strip_suffix(b"\r").unwrap_or(line).trim_ascii();
                for own in 0..6 {
                    for lists in [false, true] {
                        if opener_of((0, line, text), own, lists) != Opener::Not {
                            let last = line.trim_ascii_end().last();
                            assert!(
                                matches!(last, Some(b']' | b'>' | b':' | b'{' | b'(' | b'[')),
                                "{body:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    fn names(line: &str) -> Vec<String> {
        let v = Vocabulary::builtin();
        let buf = format!("{line}a1b2c3d4e5f60718293a4b5c6d7e8f90\"\n"); // moodleleaks:allow
        let start = line.len();
        let sql = SqlIndex::build(buf.as_bytes());
        find(
            v,
            buf.as_bytes(),
            &Lines::new(buf.as_bytes()),
            "f",
            &sql,
            (start, start + 32),
            true,
            false,
        )
        .map(|k| k.names)
        .unwrap_or_default()
    }

    #[test]
    fn walks_over_types_accessors_and_glue() {
        assert_eq!(names("    const val wsToken: String = \"")[0], "wsToken");
        assert_eq!(names("    moodle_token: str = \"")[0], "moodle_token");
        assert_eq!(
            names("    public string Token { get; set; } = \"")[0],
            "Token"
        );
        assert_eq!(names("$client->setToken('")[0], "setToken");
        assert_eq!(names("url = base + '&wstoken=' + '")[0], "wstoken");
        assert_eq!(names("http POST $SITE wstoken==")[0], "wstoken");
        assert_eq!(names("-H 'Authorization: Bearer ")[0], "Authorization");
        assert_eq!(names(r#""log": "GET /x?a=1\u0026wstoken="#)[0], "wstoken");
        // A sentence is read as prose (see `sentences_comments_records_and_computed_keys`).
        assert!(names("token obtained for svc_sync: ").is_empty());
        // A word right before a bare `token` qualifies it: one name.
        assert_eq!(names("Your token: "), ["Your token"]);
        assert_eq!(
            names("DEBUG auth: csrf token="),
            ["csrf token", "auth", "DEBUG"]
        );
        // A separator after a name ends the walk: `user` is not bound to `token`.
        assert_eq!(names(r#"{"token": "abc", "user": ""#), ["user"]);
    }

    #[test]
    fn pairs_serialized_values_and_file_names() {
        let t = "a1b2c3d4e5f60718293a4b5c6d7e8f90"; // moodleleaks:allow
                                                    // The key of the first `t` in `text`, scanned as a file named `path`.
        let key_of = |text: &str, path: &str| {
            let at = text.find(t).unwrap();
            let lines = Lines::new(text.as_bytes());
            let sql = SqlIndex::default();
            let v = Vocabulary::builtin();
            find(
                v,
                text.as_bytes(),
                &lines,
                path,
                &sql,
                (at, at + 32),
                true,
                false,
            )
            .unwrap()
        };
        let k = key_of(
            &format!("env:\n  - name: MOODLE_WS_TOKEN\n    value: \"{t}\"\n"),
            "f",
        );
        assert_eq!(
            (k.names[0].as_str(), k.source),
            ("MOODLE_WS_TOKEN", Source::Pair)
        );
        let k = key_of(
            &format!("<key>MoodleWSToken</key>\n<string>{t}</string>\n"),
            "f",
        );
        assert_eq!(k.names[0], "MoodleWSToken");
        let k = key_of(&format!("a:1:{{s:7:\"wstoken\";s:32:\"{t}\";}}"), "f");
        assert_eq!(
            (k.names[0].as_str(), k.source),
            ("wstoken", Source::Serialized)
        );
        let k = key_of(&format!("{t}\n"), "secrets/moodle_wstoken.txt");
        assert_eq!(
            (k.names[0].as_str(), k.source),
            ("moodle_wstoken", Source::FileName)
        );
    }

    #[test]
    fn sentences_comments_records_and_computed_keys() {
        assert!(prose_clause("here is the token for the new sync service user: ").is_some());
        assert!(prose_clause("[09:51] Anna: Schlüssel für den Dienst \"X\" ist jetzt: ").is_some());
        assert_eq!(
            prose_clause("Your token: "),
            None,
            "too short: the walk reads it"
        );
        assert_eq!(prose_clause("$config['ws_token'] = '"), None, "code");
        // Markup between the sentence and its value is not part of either.
        assert_eq!(
            prose_clause("\"<div><p>Moodle token for the Power Automate flow:</p><p><code>")
                .as_deref(),
            Some("Moodle token for the Power Automate flow")
        );
        assert_eq!(
            prose_clause("- the new token for the sync service: **`").as_deref(),
            Some("the new token for the sync service")
        );
        assert_eq!(
            without_asides("on our Moodle (service \"X\"):"),
            "on our Moodle :"
        );
        assert_eq!(quoted_label("array('Rollbar access token', '", 27), Some(6));
        assert_eq!(quoted_label("f('x', '", 4), None);
        assert_eq!(assigned_variable("tok <- \""), Some("tok"));
        assert_eq!(assigned_variable("    $t = '"), Some("$t"));
        assert_eq!(assigned_variable("KEY = \""), Some("KEY"));
        assert_eq!(assigned_variable("\"key\": \""), None);
        assert_eq!(assigned_variable("'key' => '"), None);
        assert_eq!(assigned_variable("if a == \""), None);
        assert_eq!(assigned_variable("    \"KEY = \""), Some("KEY"));
        assert!(is_message_header("[14.11.2023 21:13] anna"));
        assert!(is_message_header("anna — 9:05 PM"));
        assert!(!is_message_header(
            "see the job at 21:13 in the runbook for the token"
        ));
        assert!(is_message_header("2024. 11. 5. 오전 9:51, 김민수"));
        assert!(is_message_header("05/11/24 10.16 - Dimas Pratama"));
        assert!(!is_message_header("version 10.16 of the plugin"));
        assert_eq!(
            trailing_comment(b"'; //token de acesso ao webservice").as_deref(),
            Some("token de acesso ao webservice")
        );
        assert_eq!(
            trailing_comment(b"\"  # moodle ws token").as_deref(),
            Some("moodle ws token")
        );
        assert_eq!(trailing_comment(b"\","), None);
        let line = b"    (\"https://campus-a.example.edu\", \"90d86bc5\"),";
        let at = line.windows(8).position(|w| w == b"90d86bc5").unwrap();
        assert!(site_record(line, at, at + 8));
        let download = b"(\"https://download.example.org/moodle-4.5.tgz\", \"90d86bc5\"),";
        let at = download.windows(8).position(|w| w == b"90d86bc5").unwrap();
        assert!(
            !site_record(download, at, at + 8),
            "a file's URL: a checksum list"
        );
        let js = b"const PARAM = \"wstoken\";\nconst q = { [PARAM]: \"";
        assert_eq!(
            computed_key(js, "const q = { [PARAM]: \"").as_deref(),
            Some("wstoken")
        );
        let php = b"define('WS_PARAM', 'wstoken');\n$params[WS_PARAM] = '";
        assert_eq!(
            computed_key(php, "$params[WS_PARAM] = '").as_deref(),
            Some("wstoken")
        );
        assert_eq!(computed_key(b"x", "$params[UNDEFINED] = '"), None);
    }

    #[test]
    fn list_elements_after_the_first_are_named_by_their_list() {
        let y = b"tokens:\n  - aaaa\n  - bbbb\n";
        let lines = Lines::new(y);
        assert!(!follows_sibling(y, &lines, 8, 12), "the first element");
        assert!(follows_sibling(y, &lines, 17, 21), "the second");
    }

    #[test]
    fn a_calls_arguments_are_split_outside_literals_and_brackets() {
        let text = br#"new admin_setting_configtext('local_x/token', 'Token, (the one)', get_string('d', 'local_x'), '"#;
        let open = enclosing_paren(text).unwrap();
        assert_eq!(&text[..open], b"new admin_setting_configtext");
        let args: Vec<&[u8]> = top_level_args(&text[open + 1..]);
        assert_eq!(
            args,
            vec![
                &b"'local_x/token'"[..],
                b" 'Token, (the one)'",
                b" get_string('d', 'local_x')",
                b" '",
            ]
        );
        // An escaped quote stays inside its literal; a closed call is no enclosing one.
        assert_eq!(enclosing_paren(br#"f("a\"(", "#), Some(1));
        assert_eq!(enclosing_paren(b"f(a) + g(b) "), None);
    }

    #[test]
    fn parent_keys_by_indentation_and_sections() {
        let y = b"moodle:\n  url: x\ndatadog:\n  apiKey: \"v\"\n";
        assert_eq!(
            parent_key(y, &Lines::new(y), y.len() - 4).as_deref(),
            Some("datadog")
        );
        let j = b"{\n  \"athmovil\": {\n    \"privateToken\": \"v\"\n  }\n}";
        assert_eq!(
            parent_key(j, &Lines::new(j), 30).as_deref(),
            Some("\"athmovil\"")
        );
        let go = b"var Default = &MoodleClient{\n\tToken: \"v\",\n}";
        assert_eq!(
            parent_key(go, &Lines::new(go), 33).as_deref(),
            Some("var Default = &MoodleClient")
        );
        let ini = b"[moodle]\ntoken = v\n";
        assert_eq!(
            parent_key(ini, &Lines::new(ini), 12).as_deref(),
            Some("moodle")
        );
    }

    #[test]
    fn map_keys_are_read_by_the_shortcut_as_the_whole_search_reads_them() {
        let v = Vocabulary::builtin();
        let value = "a1b2c3d4e5f60718293a4b5c6d7e8f90"; // moodleleaks:allow
        let key_at = |line: &str| {
            let above = "<?php\napiKeyKey: wstoken\n";
            let buf = format!("{above}{line}{value}\" // sync token\n");
            let (ls, start) = (above.len(), above.len() + line.len());
            let lines = Lines::new(buf.as_bytes());
            let sql = SqlIndex::build(buf.as_bytes());
            let b = buf.as_bytes();
            let at = (ls, start, start + 32, buf.len() - 1);
            let short = map_key(v, b, &lines, &sql, at);
            let whole = find_in(v, b, &lines, "f", &sql, at, true, false);
            (short, whole)
        };
        for line in [
            "    \"count\": \"",
            "  count: \"",
            "count:",
            "'moodle_token' => '",
            "\t\"ws_token\" : \"",
            "  secretValue_x: \"",
        ] {
            let (short, whole) = key_at(line);
            let short = short.unwrap_or_else(|| panic!("shortcut declined {line:?}"));
            assert_eq!(Some(&short), whole.as_ref(), "{line:?}");
            assert_eq!(short.prose.as_deref(), Some("sync token"), "{line:?}");
        }
        // Where the general search may read the line otherwise, the shortcut declines: a
        // pair's value field, syntax, a bare `key`, a stem's value half, an assignment (its
        // variable's uses name it), an escape, a second name, an option, a computed key.
        for line in [
            "  value: \"",
            "  example: \"",
            "  string: \"",
            "  key: \"",
            "  apiKeyValue: \"",
            "  tok = \"",
            "  \\\"count\\\": \\\"",
            "  moodle token: \"",
            "  -t: \"",
            "  [KEY]: \"",
        ] {
            assert_eq!(key_at(line).0, None, "{line:?}");
        }
    }

    #[test]
    fn block_openers_asked_in_file_order_are_the_ones_a_fresh_search_finds() {
        // Blocks, sections, comments, lone braces and long runs of lines without an opener,
        // asked value by value in file order on one line index (so the memo of the answer
        // before is used) and each on a fresh one.
        let mut text = String::from("[moodle]\n");
        for i in 0..400 {
            match i % 37 {
                0 => text.push_str("datadog:\n"),
                5 => text.push_str("  {\n"),
                9 => text.push_str("# comment:\n"),
                20 if i > 200 => text.push_str("[other]\n"),
                _ => {}
            }
            text.push_str(&format!("{}k{i}: v\n", " ".repeat(2 * (i % 3))));
        }
        let buf = text.as_bytes();
        let shared = Lines::new(buf);
        for pos in memchr::memchr_iter(b'k', buf) {
            let fresh = Lines::new(buf);
            assert_eq!(
                parent_line(buf, &shared, pos),
                parent_line(buf, &fresh, pos),
                "at {pos}"
            );
        }
    }
}
