//! Values in tables: the key of a value is the name of its column.
//!
//! - SQL `INSERT INTO t (cols) VALUES (…),(…)`, with the column list, or without it (then the
//!   columns come from a `CREATE TABLE t` in the same input, else, for Moodle's
//!   `external_tokens` and `user_private_key`, from Moodle's own schema), as mysqldump,
//!   phpMyAdmin and pg_dump
//!   `--inserts` write them;
//! - pg_dump `COPY t (cols) FROM stdin;` blocks of tab-separated rows;
//! - CSV/TSV whose header is the first line of the rows' block (or of the input), blank-aligned
//!   text tables, and Markdown tables.
//!
//! SQL and COPY values are indexed once per input ([`SqlIndex`]), so a dump with one
//! million rows on one line costs one pass, not one pass per value.

use regex::bytes::Regex;
use std::sync::OnceLock;

/// One of Moodle's credential tables as its install.xml defines it (`lib/db/install.xml`).
struct MoodleTable {
    name: &'static str,
    /// Its columns, in install.xml's order (the order a dump without a column list writes).
    columns: &'static [&'static str],
    /// The columns that may hold a word as long as a credential (text columns); the
    /// others hold numbers or short names.
    text: &'static [&'static str],
    /// Its credential columns and the length of the values each holds.
    secrets: &'static [(&'static str, usize)],
}

/// Moodle's credential tables: `external_tokens` (web-service tokens; Moodle before 3.2 had
/// no `privatetoken`, its tokens are still in column 1) and `user_private_key` (user keys:
/// RSS feeds, grade export publishing, the app's autologin and QR login, auth_userkey).
const MOODLE_CREDENTIAL_TABLES: &[MoodleTable] = &[
    MoodleTable {
        name: "external_tokens",
        columns: &[
            "id",
            "token",
            "privatetoken",
            "tokentype",
            "userid",
            "externalserviceid",
            "sid",
            "contextid",
            "creatorid",
            "iprestriction",
            "validuntil",
            "timecreated",
            "lastaccess",
            "name",
        ],
        text: &["token", "privatetoken", "sid", "iprestriction", "name"],
        secrets: &[("token", 32), ("privatetoken", 64)],
    },
    MoodleTable {
        name: "user_private_key",
        columns: &[
            "id",
            "script",
            "value",
            "userid",
            "instance",
            "iprestriction",
            "validuntil",
            "timecreated",
        ],
        text: &["value"],
        secrets: &[("value", 32)],
    },
];

/// Moodle's own description of the credential table `name` (prefixed or not), if it is one.
fn moodle_table(name: &str) -> Option<&'static MoodleTable> {
    MOODLE_CREDENTIAL_TABLES
        .iter()
        .find(|t| name.ends_with(t.name))
}

/// Moodle's own columns for the credential table `name`, if it is one.
fn moodle_columns(name: &str) -> Option<Vec<String>> {
    moodle_table(name).map(|t| t.columns.iter().map(|c| c.to_string()).collect())
}

/// A value of a row of a SQL or COPY table.
#[derive(Debug, Clone)]
struct Field {
    start: usize,
    end: usize,
    column: usize,
    table: usize,
    /// In a name/value table, the span of the row's name (see [`Table::pair`]).
    row_name: Option<(usize, usize)>,
    /// In a name/value table of plugin settings, the span of the row's plugin (see
    /// [`Column::row_plugin`]).
    row_plugin: Option<(usize, usize)>,
}

/// A table named by a statement, with its columns when they are known.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Option<Vec<String>>,
    /// For a name/value table (Moodle's `config` and `config_plugins`, `user_preferences`,
    /// WordPress' `options`, any `key`/`value` store): the name column and the value column,
    /// so that a value's key is its row's name (`('local_sync', 'wstoken', '<hex>')`).
    pub pair: Option<(usize, usize)>,
    /// For a name/value table with a `plugin` column (Moodle's `config_plugins`): that
    /// column, whose cell names a row's setting first (see [`Column::row_plugin`]).
    plugin: Option<usize>,
    /// Whether the table stores Moodle tokens: Moodle's `external_tokens`, or any table with
    /// a `privatetoken` column beside its token (the Moodle app's `sites` table, a plugin's
    /// copy), where a `token` column is the web-service token.
    pub token_store: bool,
    /// Its columns are Moodle's install.xml order, assumed for a dump without a column
    /// list (see [`SqlIndex::column`]).
    moodle_order: bool,
}

impl Table {
    fn new(name: String, columns: Option<Vec<String>>) -> Table {
        let pair = columns.as_deref().and_then(pair_columns);
        let plugin = pair.and(columns.as_ref()).and_then(|columns| {
            columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case("plugin"))
        });
        let token_store = name.ends_with("external_tokens")
            || columns.as_deref().is_some_and(|c| {
                c.iter().any(|c| c.to_ascii_lowercase().contains("token")) && stores_tokens(c)
            });
        Table {
            name,
            columns,
            pair,
            plugin,
            token_store,
            moodle_order: false,
        }
    }
}

/// Whether a table's columns say it stores Moodle tokens: a `privatetoken` column (Moodle's
/// pair: the app's `sites` table), or a `token` column beside a site's address (`url`,
/// `siteurl`, `address`, `wwwroot`, `host`: a plugin's table of remote sites), beside a
/// service and a user or a validity (the columns of Moodle's own "Manage tokens" table and
/// its exports, an inventory's `Service shortname`/`Owner`/`Expires`);
/// titles in Moodle's translations too (`rules/data/names.toml`, `[token_store_columns]`).
fn stores_tokens(columns: &[String]) -> bool {
    token_store_shape(columns).is_some()
}

/// How a header says its table stores Moodle tokens ([`stores_tokens`]): `Some(true)` by a
/// site's address with no service or user column (each row a site, or a system: an
/// inventory), `Some(false)` otherwise (Moodle's own token tables, a plugin's sites).
fn token_store_shape(columns: &[String]) -> Option<bool> {
    let v = crate::keyed::names::Vocabulary::builtin();
    let c = &v.token_store_columns;
    let words: Vec<std::rc::Rc<[String]>> = columns.iter().map(|c| v.words(c)).collect();
    let is = |w: &[String], want: &rustc_hash::FxHashSet<String>| {
        w.last().is_some_and(|l| want.contains(l)) || want.contains(&w.join(" "))
    };
    let has = |want: &rustc_hash::FxHashSet<String>| words.iter().any(|w| is(w, want));
    let private_token = words.iter().any(|w| {
        w.ends_with(&["privatetoken".to_string()])
            || w.ends_with(&["private".to_string(), "token".to_string()])
    });
    let service = has(&c.service) && (has(&c.user) || has(&c.valid));
    if private_token || (has(&c.token) && service) {
        return Some(false);
    }
    // Each row a site or a system when no column names a service or a user (whose rows
    // are Moodle services' and accounts' tokens, whatever they are called).
    let rows_are_sites = !has(&c.service) && !has(&c.user);
    (has(&c.token) && has(&c.site)).then_some(rows_are_sites)
}

/// Elements that wrap a value inside a table cell (`<td><code>…`, `<td><span
/// class="x"><tt>…`, the `<td><p style="…">` of tables that Word and OneNote save as HTML):
/// markup, not part of the cell's text.
const INLINE_TAGS: [&str; 13] = [
    "code", "span", "tt", "kbd", "samp", "strong", "b", "em", "i", "pre", "p", "font", "div",
];

/// `text` without the blanks and the opening tags of inline elements at its end (`<td
/// class="c1"><code>` → `<td class="c1">`).
pub fn strip_inline_openers(text: &str) -> &str {
    let mut t = text.trim_end();
    while let Some(open) = t.strip_suffix('>').and_then(|inner| inner.rfind('<')) {
        let tag = &t[open + 1..t.len() - 1];
        let name_len = tag
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len());
        if !INLINE_TAGS
            .iter()
            .any(|n| n.eq_ignore_ascii_case(&tag[..name_len]))
        {
            break;
        }
        t = t[..open].trim_end();
    }
    t
}

/// The name and value columns of a name/value table: one column named like a pair's name
/// (`name`, `key`, `option_name`) and one like its value (`value`, `option_value`), the
/// words of `rules/data/names.toml` (`name_words`, `value_words`); in a table of two
/// columns, one named like a value, the other is the name whatever its header says
/// (`| Item | Value |`, `| 項目 | 値 |`, `Setting;Wert`).
fn pair_columns(columns: &[String]) -> Option<(usize, usize)> {
    let v = crate::keyed::names::Vocabulary::builtin();
    let last_word = |c: &str| v.words(c).last().cloned().unwrap_or_default();
    // A password manager's export: the entry's title names its password.
    let words = |c: &String| v.words(c).join(" ");
    let secret = &v.secret_table;
    let exported = columns
        .iter()
        .position(|c| secret.secret.contains(&words(c)));
    let title = columns
        .iter()
        .position(|c| secret.title.contains(&words(c)));
    if let (Some(value), Some(name)) = (exported, title) {
        return Some((name, value));
    }
    let value = columns
        .iter()
        .position(|c| v.value_words.contains(&last_word(c)))?;
    let name = columns
        .iter()
        .position(|c| v.name_words.contains(&last_word(c)))
        .or_else(|| {
            // A grid's row splits into empty cells before its first `|` and after its last.
            let named: Vec<usize> = (0..columns.len())
                .filter(|&i| !columns[i].trim().is_empty())
                .collect();
            (named.len() == 2).then(|| named[0] + named[1] - value)
        })?;
    Some((name, value))
}

/// Every SQL/COPY value of one input, sorted by position.
#[derive(Debug, Default)]
pub struct SqlIndex {
    fields: Vec<Field>,
    tables: Vec<Table>,
}

/// The column a value sits in: its name and its table.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub name: &'a str,
    pub table: &'a str,
    /// In a name/value table, the span of the value's row name in the input.
    pub row_name: Option<(usize, usize)>,
    /// In a name/value table with a `plugin` column (Moodle's `config_plugins`), the span
    /// of the value's row plugin: Moodle names a plugin's setting by both (`plugin/name`,
    /// `get_config('smsgateway_x', 'authtoken')`), and a third-party service's key is
    /// named by its plugin (`lib/db/install.xml`, table `config_plugins`).
    pub row_plugin: Option<(usize, usize)>,
    /// Whether the table stores Moodle tokens ([`Table::token_store`]).
    pub token_store: bool,
}

fn insert_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r#"(?i)\binsert\s+(?:ignore\s+)?into\s+((?:[`"\[]?[\w$]+[`"\]]?\.)?[`"\[]?[\w$]+[`"\]]?)\s*(\([^)]*\))?\s*values\s*"#,
        )
        .expect("insert regex")
    })
}

fn copy_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r#"(?im)^copy\s+([\w."]+)\s*\(([^)]*)\)\s+from\s+stdin;?[ \t]*\r?$"#)
            .expect("copy regex")
    })
}

/// A query's select list and its table (`SELECT id, token FROM mdl_external_tokens`), as a
/// database shell echoes it above its answer.
fn select_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r#"(?i)\bselect\s+((?:distinct\s+)?[\w.`"\[\]*]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.`"\[\]]+(?:\s+as\s+\w+)?){0,31})\s+from\s+((?:[`"\[]?[\w$]+[`"\]]?\.)?[`"\[{]?[\w$]+[`"\]}]?)"#,
        )
        .expect("select regex")
    })
}

fn create_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r#"(?i)\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?((?:[`"\[]?[\w$]+[`"\]]?\.)?[`"\[]?[\w$]+[`"\]]?)\s*\("#,
        )
        .expect("create regex")
    })
}

/// Strips quoting and a schema prefix: `` `mdl_external_tokens` ``, `public."x"` → bare name.
fn bare(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    let last = s.rsplit('.').next().unwrap_or(&s);
    last.trim_matches(|c| matches!(c, '`' | '"' | '[' | ']' | '{' | '}' | ' '))
        .to_ascii_lowercase()
}

fn column_list(list: &[u8]) -> Vec<String> {
    let inner = list.strip_prefix(b"(").unwrap_or(list);
    let inner = inner.strip_suffix(b")").unwrap_or(inner);
    inner.split(|&b| b == b',').map(bare).collect()
}

impl SqlIndex {
    /// Indexes `buf` when it holds SQL inserts or COPY blocks (cheap to call on any input:
    /// an input without the words `insert` or `copy` is not searched further).
    pub fn build(buf: &[u8]) -> SqlIndex {
        let mut idx = SqlIndex::default();
        let has = |words: &[&[u8]]| words.iter().any(|w| memchr::memmem::find(buf, w).is_some());
        let selects = has(&[b"external_tokens"]) && has(&[b"SELECT", b"select", b"Select"]);
        if !selects && !has(&[b"INSERT", b"insert", b"Insert", b"COPY", b"copy"]) {
            return idx;
        }
        for c in insert_re().captures_iter(buf) {
            let name = bare(&c[1]);
            let columns = match c.get(2) {
                Some(list) => Some(column_list(list.as_bytes())),
                None => create_columns(buf, &name),
            };
            let assumed = columns.is_none();
            let columns = columns.or_else(|| moodle_columns(&name));
            let mut table = Table::new(name, columns);
            table.moodle_order = assumed && table.columns.is_some();
            idx.tables.push(table);
            let table = idx.tables.len() - 1;
            let end = c.get(0).map_or(0, |m| m.end());
            idx.index_tuples(buf, end, table);
        }
        for c in copy_re().captures_iter(buf) {
            let name = bare(&c[1]);
            let columns = Some(column_list(&c[2]));
            idx.tables.push(Table::new(name, columns));
            let table = idx.tables.len() - 1;
            let end = c.get(0).map_or(0, |m| m.end());
            idx.index_copy_rows(buf, end, table);
        }
        if selects {
            // One budget of answer lines for the whole input: a script of many queries
            // reads its lines a bounded number of times, not once per query.
            let mut budget = ANSWER_LINES_MAX;
            for c in select_re().captures_iter(buf) {
                if budget == 0 {
                    break;
                }
                let name = bare(&c[2]);
                // Only Moodle's tables: a query of another table says nothing of its values
                // that the answer's own header (read as a table) would not.
                if !name.starts_with("mdl_") && moodle_table(&name).is_none() {
                    continue;
                }
                let columns = select_list(&c[1]).or_else(|| moodle_columns(&name));
                let Some(columns) = columns else { continue };
                idx.tables.push(Table::new(name, Some(columns)));
                let table = idx.tables.len() - 1;
                let end = c.get(0).map_or(0, |m| m.end());
                idx.index_answer_rows(buf, end, table, &mut budget);
            }
        }
        idx.fields.sort_by_key(|f| f.start);
        idx.fields.dedup_by_key(|f| f.start);
        idx
    }

    /// Records the values of `(…),(…);` tuples from `at`, up to the statement's `;`.
    fn index_tuples(&mut self, buf: &[u8], mut at: usize, table: usize) {
        let (mut depth, mut field_start) = (0usize, at);
        let mut row: Vec<(usize, usize)> = Vec::new();
        let mut quote: Option<u8> = None;
        while at < buf.len() {
            let b = buf[at];
            if let Some(q) = quote {
                if b == b'\\' {
                    at += 2;
                    continue;
                }
                if b == q {
                    if buf.get(at + 1) == Some(&q) {
                        at += 2;
                        continue;
                    }
                    quote = None;
                }
                at += 1;
                continue;
            }
            match b {
                b'\'' | b'"' => quote = Some(b),
                b'(' => {
                    depth += 1;
                    if depth == 1 {
                        row.clear();
                        field_start = at + 1;
                    }
                }
                b',' if depth == 1 => {
                    row.push((field_start, at));
                    field_start = at + 1;
                }
                b')' => {
                    if depth == 1 {
                        row.push((field_start, at));
                        self.push_row(buf, &row, table);
                    }
                    depth = depth.saturating_sub(1);
                }
                b';' if depth == 0 => return,
                _ => {}
            }
            at += 1;
        }
    }

    /// Records the tab-separated values of COPY rows from `at` up to the `\.` line.
    fn index_copy_rows(&mut self, buf: &[u8], at: usize, table: usize) {
        let mut line_start = at;
        while line_start < buf.len() {
            let line_end =
                memchr::memchr(b'\n', &buf[line_start..]).map_or(buf.len(), |p| line_start + p);
            let line = &buf[line_start..line_end];
            if line.starts_with(b"\\.") {
                return;
            }
            let mut field_start = line_start;
            let mut row = Vec::new();
            for part in line.split(|&b| b == b'\t') {
                row.push((field_start, field_start + part.len()));
                field_start += part.len() + 1;
            }
            self.push_row(buf, &row, table);
            line_start = line_end + 1;
        }
    }

    /// Records the rows of a database shell's answer to a query whose statement ends on the
    /// line of `at`: the lines below it (sqlite3's and `psql -A`'s `|`-separated rows,
    /// `mysql -B`'s tab-separated ones, a box's `| … |` rows, a single column's bare values)
    /// whose cells are as many as the query's columns, up to a blank line, a prompt or the
    /// first line that is no such row (a single column's row is one word). Rules
    /// (`+----+`, `----+----`) and the answer's header (its cells are names, too short to
    /// be kept) are passed over. Each line read takes one from `budget`.
    fn index_answer_rows(&mut self, buf: &[u8], at: usize, table: usize, budget: &mut usize) {
        let width = self.tables[table].columns.as_ref().map_or(0, Vec::len);
        let Some(eol) = memchr::memchr(b'\n', &buf[at..]) else {
            return;
        };
        let mut line_start = at + eol + 1;
        while *budget > 0 {
            *budget -= 1;
            if line_start >= buf.len() {
                return;
            }
            let line_end =
                memchr::memchr(b'\n', &buf[line_start..]).map_or(buf.len(), |p| line_start + p);
            let line = &buf[line_start..line_end];
            let text = line.trim_ascii();
            if text.is_empty() || is_prompt(text) {
                return;
            }
            if text
                .iter()
                .all(|b| matches!(b, b'-' | b'+' | b'|' | b'=' | b' '))
            {
                line_start = line_end + 1;
                continue;
            }
            let delim = [b'|', b'\t'].into_iter().find(|d| text.contains(d));
            let mut cells: Vec<(usize, usize)> = match delim {
                Some(d) => {
                    let mut cells = Vec::new();
                    let mut s = line_start;
                    for part in line.split(|&b| b == d) {
                        cells.push((s, s + part.len()));
                        s += part.len() + 1;
                    }
                    cells
                }
                // A single column's value is a word of its own: a line of words (the
                // next statement, prose) ends the answer.
                None if !text.contains(&b' ') => vec![(line_start, line_end)],
                None => return,
            };
            // A box's row (`| 3 | <hex> |`) has an empty cell either side.
            if delim == Some(b'|') {
                let empty = |&(s, e): &(usize, usize)| buf[s..e].trim_ascii().is_empty();
                if cells.len() > width && cells.last().is_some_and(empty) {
                    cells.pop();
                }
                if cells.len() > width && cells.first().is_some_and(empty) {
                    cells.remove(0);
                }
            }
            if cells.len() != width {
                return;
            }
            self.push_row(buf, &cells, table);
            line_start = line_end + 1;
        }
    }

    /// Records the values of one row (raw field spans, in column order) long enough to be a
    /// credential, each with its row's name in a name/value table.
    fn push_row(&mut self, buf: &[u8], row: &[(usize, usize)], table: usize) {
        let row_name = self.tables[table]
            .pair
            .and_then(|(name, _)| row.get(name))
            .map(|&(s, e)| trim_field(buf, s, e));
        let row_plugin = self.tables[table]
            .plugin
            .and_then(|plugin| row.get(plugin))
            .map(|&(s, e)| trim_field(buf, s, e));
        for (column, &(s, e)) in row.iter().enumerate() {
            let (start, end) = trim_field(buf, s, e);
            // Only values long enough to be a credential are worth keeping.
            if end - start >= 32 {
                let in_value_column = self.tables[table].pair.is_some_and(|(_, v)| v == column);
                self.fields.push(Field {
                    start,
                    end,
                    column,
                    table,
                    row_name: row_name.filter(|_| in_value_column),
                    row_plugin: row_plugin.filter(|_| in_value_column),
                });
            }
        }
    }

    /// The column of the value at `start..end`, when it is a whole SQL/COPY value whose
    /// table's columns are known.
    pub fn column(&self, start: usize, end: usize) -> Option<Column<'_>> {
        let i = self
            .fields
            .partition_point(|f| f.start <= start)
            .checked_sub(1)?;
        let f = &self.fields[i];
        if f.start != start || f.end != end {
            return None;
        }
        let table = &self.tables[f.table];
        let mut name: &str = table.columns.as_ref()?.get(f.column)?;
        // A dump of another Moodle version or tool may order the columns otherwise: a value
        // as long as a credential that falls on a column that cannot hold it (a number, a
        // script's name) is the table's credential of that length.
        if table.moodle_order {
            if let Some(t) = moodle_table(&table.name).filter(|t| !t.text.contains(&name)) {
                if let Some((secret, _)) = t.secrets.iter().find(|(_, len)| *len == end - start) {
                    name = secret;
                }
            }
        }
        Some(Column {
            name,
            table: &table.name,
            row_name: f.row_name,
            row_plugin: f.row_plugin,
            token_store: table.token_store,
        })
    }
}

/// Most lines of query answers read in one input, all its queries together.
const ANSWER_LINES_MAX: usize = 100_000;

/// A select list's column names (the column for `t.x AS y`: its table's column is what
/// says what it holds), or `None` for `*` (the table's own columns, when known, stand for
/// it).
fn select_list(list: &[u8]) -> Option<Vec<String>> {
    let text = String::from_utf8_lossy(list).to_ascii_lowercase();
    let text = text
        .strip_prefix("distinct")
        .map_or(text.as_str(), str::trim_start);
    let names: Vec<String> = text
        .split(',')
        .map(|item| {
            let item = item.trim();
            let name = item.split(" as ").next().unwrap_or(item);
            bare(name.trim().as_bytes())
        })
        .collect();
    (!names.iter().any(|n| n.contains('*'))).then_some(names)
}

/// Whether a line is a database shell's prompt or a new statement (`sqlite> `, `mysql> `,
/// `moodle=> `, `moodle=# `), which ends the answer above it.
fn is_prompt(line: &[u8]) -> bool {
    let word = line
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    let rest = &line[word..];
    (word > 0
        && (rest.starts_with(b"> ")
            || rest.starts_with(b"=> ")
            || rest.starts_with(b"=# ")
            || rest == b">"))
        || line.starts_with(b"(")
}

/// A field's span without the blanks and quotes around it.
fn trim_field(buf: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && matches!(buf[start], b' ' | b'\t' | b'\r' | b'\n' | b'\'' | b'"') {
        start += 1;
    }
    while end > start && matches!(buf[end - 1], b' ' | b'\t' | b'\r' | b'\n' | b'\'' | b'"') {
        end -= 1;
    }
    (start, end)
}

/// The column names of `CREATE TABLE name (…)` in `buf`, in order.
fn create_columns(buf: &[u8], name: &str) -> Option<Vec<String>> {
    let c = create_re()
        .captures_iter(buf)
        .find(|c| bare(&c[1]) == name)?;
    let mut at = c.get(0)?.end();
    let mut columns = Vec::new();
    let mut depth = 1;
    let mut item_start = at;
    while at < buf.len() && depth > 0 {
        match buf[at] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b',' if depth == 1 => {
                columns.extend(column_name(&buf[item_start..at]));
                item_start = at + 1;
            }
            _ => {}
        }
        if depth == 0 {
            columns.extend(column_name(&buf[item_start..at]));
        }
        at += 1;
    }
    (!columns.is_empty()).then_some(columns)
}

/// The column a `CREATE TABLE` item defines, or `None` for keys and constraints.
fn column_name(item: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(item);
    let first = text.split_whitespace().next()?;
    let upper = first.to_ascii_uppercase();
    if matches!(
        upper.as_str(),
        "PRIMARY" | "KEY" | "UNIQUE" | "CONSTRAINT" | "INDEX" | "FOREIGN" | "CHECK" | "FULLTEXT"
    ) {
        return None;
    }
    Some(bare(first.as_bytes()))
}

/// The header name of the CSV/TSV or Markdown table column holding `start` on the line
/// `ls..le`, when the input is such a table. A CSV/TSV header is the first line of the
/// row's block ([`block_header`]: a title or a breadcrumb may stand above it), else the
/// input's first line; `headers` remembers the blocks of one input (none: nothing kept).
pub fn header_column(
    buf: &[u8],
    ls: usize,
    le: usize,
    start: usize,
    headers: Option<&BlockHeaders>,
) -> Option<HeaderColumn> {
    // Each question splits the row: a line longer than any table's row (minified data
    // holding many values) is none, and is not split once per value.
    if le - ls > TABLE_ROW_MAX {
        return None;
    }
    let line = &buf[ls..le];
    if line.trim_ascii_start().starts_with(b"|") {
        if let Some(column) = wiki_column(buf, ls, le, start) {
            return Some(column);
        }
    }
    if memchr::memchr(b'|', line).is_some() {
        if let Some(column) = grid_column(buf, ls, le, start) {
            return Some(column);
        }
    }
    if ls == 0 {
        return None;
    }
    let row = line.strip_suffix(b"\r").unwrap_or(line);
    let (header, delim) = match block_header(buf, ls, row, start - ls, headers) {
        Some(found) => found,
        None => first_line_header(buf, ls)?,
    };
    let names = split_fields(header, delim);
    let fields = split_fields(line, delim);
    if names.len() != fields.len() {
        return None;
    }
    // A header names columns: short cells without a pair's or an object's punctuation. A
    // JSON Lines file or a log has commas too, and its first line is a record, not a header.
    if !names.iter().all(|&(s, e)| is_delimited_name(&header[s..e])) {
        return None;
    }
    let rel = start - ls;
    let col = fields.iter().position(|&(s, e)| s <= rel && rel < e)?;
    // A name/value export (`name,value` / `wstoken,<hex>`): the key is the row's name.
    let header_names: Vec<String> = names
        .iter()
        .map(|&(s, e)| clean_cell(&header[s..e]))
        .collect();
    if let Some((n, v)) = pair_columns(&header_names) {
        if v == col {
            let (s, e) = fields[n];
            return Some(HeaderColumn::named(clean_cell(&line[s..e])));
        }
    }
    // A CSV of two columns: the row's first field may label the value.
    let label = (header_names.len() == 2).then(|| {
        let cells: Vec<&[u8]> = fields.iter().map(|&(s, e)| &line[s..e]).collect();
        two_column_label(&header_names, col, &cells)
    });
    Some(HeaderColumn::of(&header_names, col).labelled(label.flatten()))
}

/// A value's column in a table with a header row (CSV/TSV, Markdown, HTML).
#[derive(Debug, Clone)]
pub struct HeaderColumn {
    /// The header of the value's column (or, in a name/value export, the row's name).
    pub name: String,
    /// Whether the header says the table stores Moodle tokens ([`stores_tokens`]).
    pub token_store: bool,
    /// Whether each row is a site or a system of its own: the header names a token column
    /// and a site's address, and no service or user ([`token_store_shape`]). A row of such
    /// a table that names another service holds that service's key.
    pub rows_are_sites: bool,
    /// The Moodle table whose columns the header's are ([`moodle_table_of`]).
    pub table: Option<&'static str>,
    /// In a table of two columns, the first cell of the value's row when the value is in
    /// the second: a label that names it where the header does not (`| Item | Detail |`
    /// over `| Token | … |`; Basque `| Datua | Balioa |` over `| **Token balioa** | … |`).
    pub row_label: Option<String>,
}

/// Moodle tables recognised by their columns wherever their rows are written (CSV, psql
/// output, JSON exports, PHP arrays), and the columns that together say so (Moodle's
/// `lib/db/install.xml`).
const RECORD_TABLES: [(&str, &[&str]); 1] = [("user_private_key", &["script", "value", "userid"])];

/// The Moodle table whose row has the field names `fields` (any case): the first of
/// [`RECORD_TABLES`] whose columns they all include.
pub fn moodle_table_of<'f>(
    fields: impl IntoIterator<Item = &'f str> + Clone,
) -> Option<&'static str> {
    RECORD_TABLES.iter().find_map(|&(table, columns)| {
        columns
            .iter()
            .all(|c| {
                fields
                    .clone()
                    .into_iter()
                    .any(|f| f.eq_ignore_ascii_case(c))
            })
            .then_some(table)
    })
}

/// Whether `text` holds every column name of one of [`RECORD_TABLES`] (any case): what a
/// record of that table must, checked before its fields are parsed.
pub fn may_hold_record(text: &[u8]) -> bool {
    RECORD_TABLES.iter().any(|(_, columns)| {
        columns
            .iter()
            .all(|c| super::key::find_ignore_case(text, c.as_bytes()).is_some())
    })
}

/// Whether `field` is a column by which [`RECORD_TABLES`] recognises a row.
pub fn is_record_column(field: &str) -> bool {
    RECORD_TABLES
        .iter()
        .any(|(_, columns)| columns.iter().any(|c| field.eq_ignore_ascii_case(c)))
}

impl HeaderColumn {
    fn of(header: &[String], col: usize) -> HeaderColumn {
        let name = header[col].clone();
        // Only a token column's table needs its header read as a whole.
        let shape = if name.to_ascii_lowercase().contains("token") {
            token_store_shape(header)
        } else {
            None
        };
        let table = moodle_table_of(header.iter().map(String::as_str));
        HeaderColumn {
            name,
            token_store: shape.is_some(),
            rows_are_sites: shape == Some(true) && table.is_none(),
            table,
            row_label: None,
        }
    }

    /// The column named `name` by a row's own cell or a header that says nothing more
    /// (a name/value table's row name, a two-cell row's first cell).
    fn named(name: String) -> HeaderColumn {
        HeaderColumn {
            name,
            token_store: false,
            rows_are_sites: false,
            table: None,
            row_label: None,
        }
    }

    /// The column with `label` as its row's label (see [`HeaderColumn::row_label`]).
    fn labelled(mut self, label: Option<String>) -> HeaderColumn {
        self.row_label = label;
        self
    }
}

/// The first cell of a row of two named columns (`cells`: the header's, blanks around a
/// grid's outer bars included) when the value is in the second (`index`), from the row's
/// `fields`: see [`HeaderColumn::row_label`].
fn two_column_label(cells: &[String], index: usize, fields: &[&[u8]]) -> Option<String> {
    let named: Vec<usize> = (0..cells.len())
        .filter(|&i| !cells[i].trim().is_empty())
        .collect();
    (named.len() == 2 && named[1] == index)
        .then(|| fields.get(named[0]).map(|f| clean_cell(f)))
        .flatten()
        .filter(|label| !label.is_empty())
}

/// How far back an HTML cell looks for its row and its table's header row.
const HTML_REACH: usize = 64 << 10;

/// The header of the HTML table column whose `<td>` holds `start`: the text of the header
/// row's `<th>` at the same index (`<th>Token</th>…` over `<td><hex></td>…`, as Moodle's
/// "Manage tokens" page and wiki exports show tokens). Attributes such as `colspan` are not
/// followed.
pub fn html_column(buf: &[u8], start: usize) -> Option<HeaderColumn> {
    let lo = start.saturating_sub(HTML_REACH);
    let before = buf[lo..start].to_ascii_lowercase();
    let row = memchr::memmem::rfind(&before, b"<tr")?;
    // The value's own cell: the last cell opened in its row, with nothing but text after.
    let cells = |text: &[u8]| {
        memchr::memmem::find_iter(text, b"<t")
            .filter(|&i| matches!(text.get(i + 2), Some(b'd' | b'h')))
            .filter(|&i| matches!(text.get(i + 3), Some(b'>' | b' ' | b'\t' | b'\n')))
            .count()
    };
    let index = cells(&before[row..]).checked_sub(1)?;
    let cell_open = memchr::memmem::rfind(&before[row..], b"<td")? + row;
    let inside = &before[cell_open..];
    let opened = memchr::memchr(b'>', inside)?;
    let cell_text = std::str::from_utf8(&inside[opened + 1..]).ok()?;
    if strip_inline_openers(cell_text).contains('<') {
        return None;
    }
    // The header row: the nearest row before this one holding `<th` cells; in a table with
    // none (Word's and OneNote's HTML, whose titles are bold `<td>`s), the table's first row.
    let table = memchr::memmem::rfind(&before[..row], b"<table");
    let after_table = |i: &usize| table.is_none_or(|t| *i > t);
    let th_row = memchr::memmem::rfind_iter(&before[..row], b"<th")
        .find(|&th| matches!(before.get(th + 3), Some(b'>' | b' ' | b'\t' | b'\n')))
        .filter(after_table)
        .and_then(|th| memchr::memmem::rfind(&before[..th], b"<tr"))
        .filter(after_table);
    let header_row = match th_row {
        Some(r) => r,
        None => {
            let table = table?;
            let first = table + memchr::memmem::find(&before[table..row], b"<tr")?;
            (first < row).then_some(first)?
        }
    };
    let header_end =
        memchr::memmem::find(&before[header_row..row], b"</tr").map_or(row, |e| header_row + e);
    let header = &before[header_row..header_end];
    let mut cells = Vec::new();
    let mut at = 0;
    let cell_at = |i: usize| {
        matches!(header.get(i + 2), Some(b'd' | b'h'))
            && matches!(header.get(i + 3), Some(b'>' | b' ' | b'\t' | b'\n'))
    };
    while let Some(i) = memchr::memmem::find(&header[at..], b"<t") {
        let open = at + i;
        at = open + 2;
        if !cell_at(open) {
            continue; // `<thead>`, `<tbody>`
        }
        let text_start = open + memchr::memchr(b'>', &header[open..])? + 1;
        let text_end = memchr::memmem::find(&header[text_start..], b"</t")
            .map_or(header.len(), |e| text_start + e);
        // The original bytes (not lowercased) of the header cell, without its markup.
        let raw = &buf[lo + header_row + text_start..lo + header_row + text_end];
        cells.push(clean_cell(&without_tags(raw)));
    }
    (index < cells.len()).then(|| HeaderColumn::of(&cells, index))
}

/// `raw` without its tags (`<p><b>Token</b></p>` → `Token`).
fn without_tags(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut in_tag = false;
    for &b in raw {
        match b {
            b'<' => in_tag = true,
            b'>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(b),
            _ => {}
        }
    }
    out
}

/// How many lines above a row of a blank-aligned table its header line is looked for, not
/// counting the table's other rows (lines with a cell in the value's column).
const ALIGNED_HEADER_LINES: usize = 8;

/// The cells of a line of a blank-aligned table (`Token   User   Service`: a screen's copy,
/// OCR of a screenshot, a command's columns) as (first char column, text): runs of text
/// separated by two blanks or more (or a tab).
fn aligned_cells(line: &str) -> Vec<(usize, String)> {
    let mut cells = Vec::new();
    let chars = literal_body(line);
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() {
            let gap = chars[i] == '\t'
                || (chars[i] == ' ' && chars.get(i + 1).is_some_and(|c| c.is_whitespace()));
            if gap {
                break;
            }
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        cells.push((start, text.trim_end().to_string()));
    }
    cells
}

/// The characters of `line`, with the string literal it may be written in blanked out (same
/// columns): a notebook keeps a printed table's lines as JSON strings (`"0  41  <value>
/// …\n",`), and the quote and the escaped line break are no cells of the table.
fn literal_body(line: &str) -> Vec<char> {
    let mut chars: Vec<char> = line.chars().collect();
    let first = chars.iter().position(|c| !c.is_whitespace());
    let Some(first) = first.filter(|&f| chars[f] == '"') else {
        return chars;
    };
    let tail: &[char] = &chars[first + 1..];
    let ends = ["\\n\",", "\\n\"", "\",", "\""];
    let cut = ends.iter().find_map(|e| {
        let e: Vec<char> = e.chars().collect();
        let trimmed = tail.iter().rposition(|c| !c.is_whitespace())? + 1;
        tail[..trimmed]
            .ends_with(&e)
            .then(|| first + 1 + trimmed - e.len())
    });
    if let Some(cut) = cut {
        chars[first] = ' ';
        chars[cut..].iter_mut().for_each(|c| *c = ' ');
    }
    chars
}

/// The longest line read as a table's row, in bytes (a dump's row of a Moodle table is a
/// few hundred bytes; an extended `INSERT` is read by [`SqlIndex`], not as a row).
const TABLE_ROW_MAX: usize = 16 << 10;

/// The column of a blank-aligned table holding the value at `start` on its line
/// `ls..le`: the value is a cell of its own (two blanks or more, or a line end, either
/// side) and a header line above, with as many cells or more, all of them names, has a cell
/// starting in the same character column (the text of Moodle's "Manage tokens" table copied
/// off the screen or read from a screenshot). The header is looked for up to
/// [`ALIGNED_HEADER_LINES`] lines above, the table's other rows not counted, so a long
/// table's last row finds it; `headers` remembers the rows asked about (none: nothing kept).
pub fn aligned_column(
    buf: &[u8],
    ls: usize,
    le: usize,
    start: usize,
    headers: Option<&BlockHeaders>,
) -> Option<HeaderColumn> {
    if le - ls > TABLE_ROW_MAX {
        return None;
    }
    let line = std::str::from_utf8(&buf[ls..le]).ok()?;
    let row = aligned_cells(line);
    if row.len() < 3 {
        return None;
    }
    let column = std::str::from_utf8(&buf[ls..start]).ok()?.chars().count();
    let cell = row.iter().find(|(c, _)| *c == column)?;
    let span = (column, column + cell.1.chars().count());
    let cells_min = row.len().min(3);
    let header = aligned_header(buf, ls, span, cells_min, headers);
    if let Some(h) = headers {
        h.aligned.set(Some((ls, header)));
    }
    aligned_header_at(buf, header?, span, cells_min)
}

/// The column of a list of blank-separated records (`https://lms.example.org  <value>`, a
/// script's list of sites) that a comment line above names by placeholders, one per field
/// and in order (`# sites for the update script: <wwwroot> <token of svc_updates>`), as
/// usage lines and config templates name the fields of a line. The rows between the value's
/// line and the comment all split into as many fields; the value is a field of its own.
/// The header is looked for up to [`PLACEHOLDER_ROWS`] rows above; `headers` remembers the
/// row asked before, so a list's rows asked in order read each line once.
pub fn placeholder_column(
    buf: &[u8],
    ls: usize,
    le: usize,
    start: usize,
    end: usize,
    headers: Option<&BlockHeaders>,
) -> Option<HeaderColumn> {
    if le - ls > PLACEHOLDER_ROW_MAX {
        return None;
    }
    let fields = |line: &[u8]| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < line.len() {
            if line[i].is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let s = i;
            while i < line.len() && !line[i].is_ascii_whitespace() {
                i += 1;
            }
            out.push((s, i));
        }
        out
    };
    let row = fields(&buf[ls..le]);
    let col = row
        .iter()
        .position(|&(s, e)| ls + s == start && ls + e == end)?;
    let count = row.len();
    if !(2..=PLACEHOLDER_FIELDS_MAX).contains(&count) {
        return None;
    }
    let known = headers
        .and_then(|h| h.placeholders.get())
        .filter(|&(_, n, _)| n == count);
    let mut top = ls;
    let mut header = None;
    for _ in 0..PLACEHOLDER_ROWS {
        if let Some((_, _, found)) = known.filter(|&(asked, _, _)| asked == top && asked < ls) {
            header = found;
            break;
        }
        if top == 0 {
            break;
        }
        let above_end = top - 1;
        let above_start = memchr::memrchr(b'\n', &buf[..above_end]).map_or(0, |n| n + 1);
        let above = &buf[above_start..above_end];
        let above = above.strip_suffix(b"\r").unwrap_or(above);
        if above.len() > PLACEHOLDER_ROW_MAX {
            break;
        }
        // A comment (its marker stripped by `uncommented`) ends the rows: the header.
        if uncommented(above).len() != above.len() {
            header = Some(above_start);
            break;
        }
        if fields(above).len() != count {
            break;
        }
        top = above_start;
    }
    if let Some(h) = headers {
        h.placeholders.set(Some((ls, count, header)));
    }
    let header = header?;
    let line_end = memchr::memchr(b'\n', &buf[header..]).map_or(buf.len(), |n| header + n);
    let names = placeholders(std::str::from_utf8(&buf[header..line_end]).ok()?);
    (names.len() == count).then(|| HeaderColumn::of(&names, col))
}

/// The placeholders of `line`, in order: the texts inside `<…>` (letters, digits, blanks and
/// `_-.` only: not markup, whose tags hold `=` or `/`).
fn placeholders(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(['<', '>']) else {
            break;
        };
        let inner = &after[..close];
        let named = after[close..].starts_with('>')
            && inner.chars().any(char::is_alphabetic)
            && (inner.chars()).all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'));
        if named {
            out.push(inner.trim().to_string());
        }
        rest = &after[close..];
    }
    out
}

/// How many rows above a value [`placeholder_column`] reads for its header comment.
const PLACEHOLDER_ROWS: usize = 200;

/// The longest line [`placeholder_column`] reads as a row or a header, in bytes.
const PLACEHOLDER_ROW_MAX: usize = 1 << 10;

/// The most fields a row under a placeholder header may have.
const PLACEHOLDER_FIELDS_MAX: usize = 8;

/// Whether a cell at character column `at` holding `text` stands over or under a cell
/// spanning `(start, end)` columns: both start in the same column (text, left-aligned), or
/// both end in the same one (pandas' and `psql`'s right-aligned columns).
fn aligned_with((at, text): &(usize, String), (start, end): (usize, usize)) -> bool {
    *at == start || at + text.chars().count() == end
}

/// The header line `begin..` of a blank-aligned table read for the value in character
/// columns `span`: a cell stands over it ([`aligned_with`]; a cell starting with the value's
/// first), every cell is a name (no digit, a letter, at most 40 characters) and there are
/// `cells_min` cells or more.
fn aligned_header_at(
    buf: &[u8],
    begin: usize,
    span: (usize, usize),
    cells_min: usize,
) -> Option<HeaderColumn> {
    let end = memchr::memchr(b'\n', &buf[begin..]).map_or(buf.len(), |n| begin + n);
    let text = std::str::from_utf8(&buf[begin..end])
        .ok()?
        .trim_end_matches('\r');
    let cells = aligned_cells(text);
    let index = cells
        .iter()
        .position(|c| c.0 == span.0)
        .or_else(|| cells.iter().position(|c| aligned_with(c, span)))?;
    let names = cells.iter().all(|(_, t)| {
        t.chars().count() <= 40
            && t.chars().any(char::is_alphabetic)
            && !t.chars().any(|c| c.is_ascii_digit())
    });
    if cells.len() < cells_min || !names {
        return None;
    }
    let titles: Vec<String> = cells.into_iter().map(|(_, t)| t).collect();
    Some(HeaderColumn::of(&titles, index))
}

/// [`aligned_column`]'s search for the header line of a row starting at `ls` whose value's
/// cell spans character columns `span` (`cells_min`: how many cells a header holds at
/// least): where it starts. The row asked about before (any column) ends the search with its
/// answer, so a table's rows asked in order cost one pass, however wide or long it is.
fn aligned_header(
    buf: &[u8],
    ls: usize,
    span: (usize, usize),
    cells_min: usize,
    headers: Option<&BlockHeaders>,
) -> Option<usize> {
    let known = headers.and_then(|h| h.aligned.get());
    let (mut above, mut other_lines) = (ls, 0);
    loop {
        if above == 0 || other_lines == ALIGNED_HEADER_LINES {
            return None;
        }
        let end = above - 1;
        let begin = memchr::memrchr(b'\n', &buf[..end]).map_or(0, |i| i + 1);
        above = begin;
        if let Some((_, answer)) = known.filter(|&(asked, _)| asked == begin) {
            return answer;
        }
        if end - begin > TABLE_ROW_MAX {
            return None;
        }
        let text = std::str::from_utf8(&buf[begin..end])
            .ok()?
            .trim_end_matches('\r');
        if text.trim().is_empty() {
            return None;
        }
        let cells = aligned_cells(text);
        if !cells.iter().any(|c| aligned_with(c, span)) {
            other_lines += 1;
            continue;
        }
        if aligned_header_at(buf, begin, span, cells_min).is_some() {
            return Some(begin);
        }
        // Another row of the table (a line of fewer cells counts as another line).
        if cells.len() < cells_min {
            other_lines += 1;
        }
    }
}

/// The tags of one spreadsheet XML dialect, lowercase and without their `>`.
struct SheetTags {
    table: &'static [u8],
    row: &'static [u8],
    row_end: &'static [u8],
    cell: &'static [u8],
    cell_end: &'static [u8],
    text: &'static [u8],
    /// The cell attribute that gives its column by reference (`r="C2"`), where the
    /// dialect has one: a row may leave its empty cells out, so the reference, not the
    /// count of cells before, says which header is the cell's.
    reference: Option<&'static [u8]>,
}

/// Excel's "XML Spreadsheet 2003" (SpreadsheetML: `<Table>`, `<Row>`, `<Cell><Data>`),
/// OpenDocument's spreadsheets (an `.ods`'s `content.xml` or a flat `.fods`:
/// `<table:table>`, `<table:table-row>`, `<table:table-cell><text:p>`, OpenDocument 1.3
/// part 3, §9.1) and an xlsx's worksheets whose cells hold their text inline
/// (`xl/worksheets/sheet1.xml`: `<sheetData>`, `<row>`, `<c r="C2" t="inlineStr"><is><t>`,
/// ECMA-376 part 1, §18.3.1; a cell that points into the shared strings holds no text of
/// its own, see `shared_strings_names` in `key.rs`).
const SHEET_DIALECTS: [SheetTags; 3] = [
    SheetTags {
        table: b"<table",
        row: b"<row",
        row_end: b"</row",
        cell: b"<cell",
        cell_end: b"</cell",
        text: b"<data",
        reference: None,
    },
    SheetTags {
        table: b"<table:table",
        row: b"<table:table-row",
        row_end: b"</table:table-row",
        cell: b"<table:table-cell",
        cell_end: b"</table:table-cell",
        text: b"<text:p",
        reference: None,
    },
    SheetTags {
        table: b"<sheetdata",
        row: b"<row",
        row_end: b"</row",
        cell: b"<c",
        cell_end: b"</c>",
        text: b"<t",
        reference: Some(b" r=\""),
    },
];

/// Whether `left` (a line's text before a value) ends in a spreadsheet cell's text element
/// (`<Data ss:Type="String">`, `<text:p>`), as [`spreadsheet_column`] reads.
pub fn is_spreadsheet_text(left: &str) -> bool {
    let t = left.trim_end().as_bytes();
    t.ends_with(b">")
        && memchr::memrchr(b'<', t).is_some_and(|i| {
            let tag = t[i..].to_ascii_lowercase();
            SHEET_DIALECTS.iter().any(|d| {
                tag.starts_with(d.text)
                    && matches!(tag.get(d.text.len()), Some(b'>' | b' ' | b'\t'))
            })
        })
}

/// The header of the spreadsheet XML column (see [`SHEET_DIALECTS`]) whose cell holds
/// `start`: the text of the cell at the same index in the table's first row. Cells placed by
/// `ss:Index` or repeated by `table:number-columns-repeated` are counted once.
pub fn spreadsheet_column(buf: &[u8], start: usize) -> Option<HeaderColumn> {
    let lo = start.saturating_sub(HTML_REACH);
    let before = buf[lo..start].to_ascii_lowercase();
    let is_tag = |text: &[u8], i: usize, len: usize| {
        matches!(text.get(i + len), Some(b'>' | b' ' | b'\t' | b'\n' | b'\r'))
    };
    let rfind_tag = |text: &[u8], tag: &[u8]| {
        memchr::memmem::rfind_iter(text, tag).find(|&i| is_tag(text, i, tag.len()))
    };
    let find_tag = |text: &[u8], tag: &[u8]| {
        memchr::memmem::find_iter(text, tag).find(|&i| is_tag(text, i, tag.len()))
    };
    SHEET_DIALECTS.iter().find_map(|d| {
        let row = rfind_tag(&before, d.row)?;
        let cells_in = |text: &[u8]| {
            memchr::memmem::find_iter(text, d.cell)
                .filter(|&i| is_tag(text, i, d.cell.len()))
                .count()
        };
        let index = cells_in(&before[row..]).checked_sub(1)?;
        // The value's cell's column by reference, where the dialect gives one.
        let column_of = |text: &[u8], open: usize| {
            let r = d.reference?;
            let tag_end = memchr::memchr(b'>', &text[open..]).map_or(text.len(), |e| open + e);
            let at = open + memchr::memmem::find(&text[open..tag_end], r)? + r.len();
            let letters = text[at..tag_end]
                .iter()
                .take_while(|b| b.is_ascii_alphabetic());
            Some(letters.copied().collect::<Vec<u8>>())
        };
        let own_cell = memchr::memmem::rfind_iter(&before[row..], d.cell)
            .find(|&i| is_tag(&before[row..], i, d.cell.len()))
            .map(|i| row + i)?;
        let own_column = column_of(&before, own_cell);
        let table = rfind_tag(&before[..row], d.table)?;
        let header_row = table + find_tag(&before[table..row], d.row)?;
        let header_end = memchr::memmem::find(&before[header_row..row], d.row_end)
            .map_or(row, |e| header_row + e);
        let header = &before[header_row..header_end];
        let mut cells = Vec::new();
        // By reference, the header cell of the value's column.
        let mut own_index = None;
        let mut at = 0;
        while let Some(i) = memchr::memmem::find(&header[at..], d.cell) {
            let open = at + i;
            at = open + d.cell.len();
            if !is_tag(header, open, d.cell.len()) {
                continue;
            }
            if own_column.is_some() && column_of(header, open) == own_column {
                own_index = Some(cells.len());
            }
            let cell_end = memchr::memmem::find(&header[open..], d.cell_end)
                .map_or(header.len(), |e| open + e);
            let text = memchr::memmem::find(&header[open..cell_end], d.text)
                .and_then(|t| {
                    memchr::memchr(b'>', &header[open + t..cell_end]).map(|g| open + t + g + 1)
                })
                .map(|text_start| {
                    let text_end = memchr::memchr(b'<', &header[text_start..cell_end])
                        .map_or(cell_end, |e| text_start + e);
                    clean_cell(&buf[lo + header_row + text_start..lo + header_row + text_end])
                })
                .unwrap_or_default();
            cells.push(text);
        }
        let index = match own_column {
            Some(_) => own_index?,
            None => index,
        };
        (index < cells.len()).then(|| HeaderColumn::of(&cells, index))
    })
}

/// The column of a `|`-delimited table's cell holding `start` on the row line `ls..le`,
/// named by the header's cell at the same index. Three ways to write the header: above a
/// separator line (`| Token | User |` over `|---|---|`: Markdown, psql's aligned output);
/// as a Jira wiki header (`||Service||Token||` over `|sis_sync|{{…}}|` rows); or as the
/// first line of the block of lines with as many fields as the row, when its cells are
/// three names or more (`id|script|value|userid` over `88|rss|…|412`: psql's unaligned
/// output).
fn grid_column(buf: &[u8], ls: usize, le: usize, start: usize) -> Option<HeaderColumn> {
    let row = &buf[ls..le];
    let index = memchr::memchr_iter(b'|', &buf[ls..start]).count();
    if index == 0 && memchr::memchr(b'|', &buf[start..le]).is_none() {
        return None;
    }
    let fields: Vec<&[u8]> = row.split(|&b| b == b'|').collect();
    let header_of = |cells: Vec<String>| -> Option<HeaderColumn> {
        if cells.len() != fields.len() || index >= cells.len() {
            return None;
        }
        // A name/value table (`| Parameter | Value |`): the key is the row's name.
        if let Some((n, v)) = pair_columns(&cells) {
            if v == index {
                return Some(HeaderColumn::named(clean_cell(fields[n])));
            }
        }
        let label = two_column_label(&cells, index, &fields);
        Some(HeaderColumn::of(&cells, index).labelled(label))
    };
    // Up from the value's row, over the rows above it, to the separator under the header.
    let mut end = ls;
    let mut separator = false;
    // The topmost line so far of the block of lines with the row's field count.
    let mut top: Option<&[u8]> = None;
    for _ in 0..GRID_LINES {
        if end == 0 {
            break;
        }
        let s = memchr::memrchr(b'\n', &buf[..end - 1]).map_or(0, |p| p + 1);
        let line = buf[s..end - 1]
            .strip_suffix(b"\r")
            .unwrap_or(&buf[s..end - 1]);
        end = s;
        if is_grid_separator(line) {
            separator = true;
            continue;
        }
        if !line.contains(&b'|') {
            break;
        }
        if separator {
            // The header: its cells by the same `|` count as the row's.
            return header_of(line.split(|&b| b == b'|').map(clean_cell).collect());
        }
        let trimmed = line.trim_ascii();
        if trimmed.starts_with(b"||") {
            // A Jira header: `||` between its cells, one `|` between the rows'.
            return header_of(
                split_on(trimmed, b"||")
                    .into_iter()
                    .map(clean_cell)
                    .collect(),
            );
        }
        if line.split(|&b| b == b'|').count() != fields.len() {
            break;
        }
        top = Some(line);
    }
    // No separator: the block's first line is its header when its cells are all names and
    // there are three or more (two are a name and its value, as psql's expanded output and
    // settings tables write them).
    let top = top?;
    let cells: Vec<&[u8]> = top.split(|&b| b == b'|').collect();
    let names = cells.iter().filter(|c| !c.trim_ascii().is_empty()).count();
    if names < 3 || !cells.iter().all(|c| is_column_name(c)) {
        return None;
    }
    header_of(cells.into_iter().map(clean_cell).collect())
}

/// Whether a header cell of a table without a separator line is a column's name: empty (the
/// edge of `|a|b|`), or a letter then letters, digits, `_`, `-`, `.` or spaces, at most 64
/// bytes (never a value: no digits first, no `:`, `=`, `/` or quotes).
fn is_column_name(cell: &[u8]) -> bool {
    let t = cell.trim_ascii();
    t.is_empty()
        || (t.len() <= 64
            && t[0].is_ascii_alphabetic()
            && t.iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' ')))
}

/// The column of a MediaWiki table cell holding `start` on the row line `ls..le` (`| Token
/// || <code>…</code>`, cells split by `||`, or one cell per `|` line after a `|-`): named by
/// the header line's cell at the same index (`! Parameter !! Wert`, `!` lines), or, in a
/// table without a header, a two-cell row's first cell names its second (a name/value
/// table, as wiki pages write a service's settings).
fn wiki_column(buf: &[u8], ls: usize, le: usize, start: usize) -> Option<HeaderColumn> {
    let cells_of = |line: &[u8], sep: &[u8]| -> Vec<String> {
        let t = line.trim_ascii();
        split_on(t.get(1..).unwrap_or_default(), sep)
            .into_iter()
            .map(clean_cell)
            .collect()
    };
    // Up from the value's line: the row's earlier cell lines, then (past other rows) the
    // header's `!` lines, then the table's opener.
    let mut row: Vec<String> = Vec::new();
    let mut header: Vec<String> = Vec::new();
    let (mut in_row, mut opened) = (true, false);
    let mut end = ls;
    for _ in 0..GRID_LINES {
        if end == 0 {
            break;
        }
        let s = memchr::memrchr(b'\n', &buf[..end - 1]).map_or(0, |p| p + 1);
        let line = buf[s..end - 1].trim_ascii();
        end = s;
        if line.starts_with(b"{|") {
            opened = true;
            break;
        }
        if line.starts_with(b"!") {
            let mut cells = cells_of(line, b"!!");
            cells.append(&mut header);
            header = cells;
            in_row = false;
            continue;
        }
        if !header.is_empty() {
            // Above the header: the table's caption, then its opener.
            if line.starts_with(b"|+") {
                continue;
            }
            break;
        }
        if line.starts_with(b"|}") || !line.starts_with(b"|") {
            return None;
        }
        if line.starts_with(b"|-") || line.starts_with(b"|+") {
            in_row = false;
            continue;
        }
        if in_row {
            let mut cells = cells_of(line, b"||");
            cells.append(&mut row);
            row = cells;
        }
    }
    if !opened {
        return None;
    }
    // The value's own line: its cells before the value's, and its own.
    let own = &buf[ls..le];
    let bar = ls + own.iter().position(|&b| b == b'|')?;
    let index = row.len() + split_on(&buf[bar + 1..start], b"||").len() - 1;
    row.extend(cells_of(own, b"||"));
    let cells = row;
    if header.is_empty() {
        // No header: a two-cell row's first cell names its second.
        return (cells.len() == 2 && index == 1).then(|| HeaderColumn::named(cells[0].clone()));
    }
    if header.len() != cells.len() || index >= cells.len() {
        return None;
    }
    if let Some((n, v)) = pair_columns(&header) {
        if v == index {
            return Some(HeaderColumn::named(cells[n].clone()));
        }
    }
    Some(HeaderColumn::of(&header, index))
}

/// `line` split at every `sep`.
fn split_on<'a>(line: &'a [u8], sep: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut from = 0;
    for at in memchr::memmem::find_iter(line, sep) {
        if at >= from {
            out.push(&line[from..at]);
            from = at + sep.len();
        }
    }
    out.push(&line[from..]);
    out
}

/// How many lines above a grid row its header may stand.
const GRID_LINES: usize = 2000;

/// A grid's rule line: `|---|:--:|`, `+----+------+`, `----+-----` (Markdown, MySQL, psql).
fn is_grid_separator(line: &[u8]) -> bool {
    let t = line.trim_ascii();
    t.len() >= 3
        && t.iter().any(|&b| b == b'-' || b == b'=')
        && t.iter()
            .all(|&b| matches!(b, b'-' | b'=' | b'+' | b'|' | b':' | b' ' | b'\t'))
}

/// Field spans of a delimited line, quotes respected.
/// Whether `cell` can be a column's name in a CSV/TSV header: short, without a pair's or
/// an object's punctuation.
fn is_delimited_name(cell: &[u8]) -> bool {
    cell.len() <= 64 && !cell.iter().any(|b| matches!(b, b':' | b'{' | b'}' | b'='))
}

/// Whether `cell` of a block's first line reads as a column's name, so that the line is a
/// header rather than code or data: once unquoted, empty or a letter (any script) then
/// letters, digits, blanks and `_ - . / # &`, and no run of eight or more letters and
/// digits with a digit in it (a hash, an id, a date's year and day written together).
fn is_header_cell(cell: &[u8]) -> bool {
    let text = clean_cell(cell);
    let name_like = text.chars().next().is_none_or(char::is_alphabetic)
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | '/' | '#' | '&'));
    name_like
        && !cell
            .split(|b| !b.is_ascii_alphanumeric())
            .any(|run| run.len() >= 8 && run.iter().any(u8::is_ascii_digit))
}

/// The input's first line as a CSV/TSV header (the rule before [`block_header`], kept for
/// a table whose rows do not all split alike): its delimiter is the first of tab, comma and
/// semicolon it holds twice.
fn first_line_header(buf: &[u8], ls: usize) -> Option<(&[u8], u8)> {
    let header_end = memchr::memchr(b'\n', &buf[..ls]).unwrap_or(ls);
    if header_end >= ls {
        return None;
    }
    let header = buf[..header_end]
        .strip_suffix(b"\r")
        .unwrap_or(&buf[..header_end]);
    Some((header, delimiter_of(header)?))
}

/// The delimiter a CSV/TSV line splits at: the first of tab, comma and semicolon it holds
/// twice or more (three fields at least).
fn delimiter_of(line: &[u8]) -> Option<u8> {
    delimiter_in(delimiter_counts(line))
}

/// The delimiters a table's row may split at, in the order they are tried.
const DELIMITERS: [u8; 3] = [b'\t', b',', b';'];

/// How many of each of [`DELIMITERS`] `line` holds, and then how many colons: one pass (a
/// row is short; four counting searches cost more than the row).
fn delimiter_counts(line: &[u8]) -> [usize; 4] {
    // One pass that adds each byte's entry of a table: a delimiter's entry is 1 in its own
    // 16-bit lane of a `u64`, any other byte's is 0. No branch per byte (a `match` per byte
    // mispredicted at nearly every delimiter, and this runs on the line of every value a
    // map key names); a lane cannot overflow within a chunk of `u16::MAX` bytes.
    const LANES: [u64; 256] = {
        let mut t = [0u64; 256];
        t[b'\t' as usize] = 1;
        t[b',' as usize] = 1 << 16;
        t[b';' as usize] = 1 << 32;
        t[b':' as usize] = 1 << 48;
        t
    };
    let mut counts = [0usize; 4];
    for chunk in line.chunks(usize::from(u16::MAX)) {
        let packed: u64 = chunk.iter().map(|&b| LANES[usize::from(b)]).sum();
        for (lane, count) in counts.iter_mut().enumerate() {
            *count += usize::from((packed >> (16 * lane)) as u16);
        }
    }
    counts
}

/// [`delimiter_of`] for a line's [`delimiter_counts`].
fn delimiter_in(counts: [usize; 4]) -> Option<u8> {
    DELIMITERS
        .into_iter()
        .zip(counts)
        .find(|&(_, n)| n >= 2)
        .map(|(d, _)| d)
}

/// The colon of a colon-separated record (`/etc/passwd`, PostgreSQL's `.pgpass`, a
/// `host:service:token` file of sites): two colons or more, none of the other delimiters
/// ([`DELIMITERS`] come first: a CSV row's URL holds colons) and no blank (such records are
/// written without: a YAML pair, a log line's time or a sentence has them), given the
/// row's [`delimiter_counts`]. Asked only of a row, whose block must then have a header
/// that splits alike ([`block_header`]), as PostgreSQL's documentation writes one above the
/// rows (`hostname:port:database:username:password`, libpq's "The Password File").
fn colon_delimiter(row: &[u8], counts: [usize; 4]) -> Option<u8> {
    let record = counts[..3] == [0, 0, 0] && counts[3] >= 2;
    (record && !row.trim_ascii().contains(&b' ')).then_some(b':')
}

/// `header` without a comment's marker before its first cell (`# host:service:token`,
/// `// site,token`, `-- id;token`): a header is often kept as a comment, so that the
/// program reading the rows skips it.
fn uncommented(header: &[u8]) -> &[u8] {
    let t = header.trim_ascii_start();
    [&b"#"[..], b"//", b"--"]
        .iter()
        .find_map(|marker| t.strip_prefix(*marker))
        .map_or(header, <[u8]>::trim_ascii_start)
}

/// The delimiter of a two-column CSV/TSV row (`moodle_mobile_app,<value>`): the first of
/// tab, comma and semicolon it holds exactly once, with no other of them, between two
/// cells that hold something, the value at `value_at` (an offset in `row`) a cell of its
/// own; `counts`: the row's [`delimiter_counts`]. Asked only of a row, whose block must then
/// have a header of two short names ([`block_header`]).
fn pair_delimiter(row: &[u8], counts: [usize; 4], value_at: usize) -> Option<u8> {
    let d = match [counts[0], counts[1], counts[2]] {
        [1, 0, 0] => DELIMITERS[0],
        [0, 1, 0] => DELIMITERS[1],
        [0, 0, 1] => DELIMITERS[2],
        _ => return None,
    };
    // Both cells hold something: a line of code or data ending in its delimiter (`"key":
    // "value",`, `'key' => '…';`) is no row, and is not walked up as one.
    let at = memchr::memchr(d, row)?;
    let (left, right) = (&row[..at], &row[at + 1..]);
    if left.trim_ascii().is_empty() || right.trim_ascii().is_empty() {
        return None;
    }
    // The value is a cell of its own (at most quoted): `f(a, "…")` or `"key": "…",` is code.
    let cell = if value_at > at { right } else { left };
    let cell = cell.trim_ascii();
    let cell = cell
        .strip_prefix(b"\"")
        .and_then(|c| c.strip_suffix(b"\""))
        .unwrap_or(cell);
    cell.iter().all(u8::is_ascii_alphanumeric).then_some(d)
}

/// What one input's tables (CSV/TSV blocks, blank-aligned tables) are known to be, so that
/// the rows of a table, asked about in order, find their header by reading the lines since
/// the row asked before, not every line up to the header again.
#[derive(Debug, Default)]
pub struct BlockHeaders {
    /// For a delimiter and a number of fields: the start of the row asked last and the start
    /// of the first line of its block.
    last: std::cell::RefCell<rustc_hash::FxHashMap<(u8, usize), (usize, usize)>>,
    /// The start of the blank-aligned table row asked about last and of the header line
    /// found for it ([`aligned_column`]).
    aligned: std::cell::Cell<Option<(usize, Option<usize>)>>,
    /// The start of the row asked about last under a placeholder header, its number of
    /// fields, and the start of the header found for it ([`placeholder_column`]).
    placeholders: std::cell::Cell<Option<(usize, usize, Option<usize>)>>,
}

/// The header of the CSV/TSV block holding the row `row` (starting at `ls`, without its
/// line break): the first line of the run of lines above it, with no blank line between,
/// that split into as many fields as the row does, for the first of tab, comma and
/// semicolon the row holds twice (or the one it holds once: [`pair_delimiter`]; or colons
/// only: [`colon_delimiter`]), when that line, without a comment's marker ([`uncommented`]),
/// reads as a header (column names: [`is_header_cell`]). A title, a breadcrumb or a blank
/// line may stand above it (a report's export, a copy of Moodle's Manage tokens page).
fn block_header<'b>(
    buf: &'b [u8],
    ls: usize,
    row: &[u8],
    value_at: usize,
    headers: Option<&BlockHeaders>,
) -> Option<(&'b [u8], u8)> {
    let counts = delimiter_counts(row);
    let delim = delimiter_in(counts)
        .or_else(|| pair_delimiter(row, counts, value_at))
        .or_else(|| colon_delimiter(row, counts))?;
    let count = split_fields(row, delim).len();
    let known = headers.and_then(|h| h.last.borrow().get(&(delim, count)).copied());
    // Walk up line by line while the lines split alike.
    let mut top = ls;
    while top > 0 {
        if let Some((asked, first)) = known.filter(|&(asked, _)| asked == top) {
            debug_assert!(first <= asked);
            top = first;
            break;
        }
        let end = top - 1;
        let start = memchr::memrchr(b'\n', &buf[..end]).map_or(0, |n| n + 1);
        let above = &buf[start..end];
        let above = above.strip_suffix(b"\r").unwrap_or(above);
        if end - start > TABLE_ROW_MAX
            || above.trim_ascii().is_empty()
            || split_fields(above, delim).len() != count
        {
            break;
        }
        top = start;
    }
    if let Some(h) = headers {
        h.last.borrow_mut().insert((delim, count), (ls, top));
    }
    if top == ls {
        return None;
    }
    let end = memchr::memchr(b'\n', &buf[top..]).map_or(buf.len(), |n| top + n);
    let header = &buf[top..end];
    let header = uncommented(header.strip_suffix(b"\r").unwrap_or(header));
    let cells = split_fields(header, delim);
    // Two columns split at one delimiter, as a clause of prose may: their names are short.
    let short = |cell: &[u8]| count > 2 || clean_cell(cell).split_whitespace().count() <= 5;
    let reads_as_header = cells.iter().all(|&(s, e)| {
        let cell = &header[s..e];
        is_delimited_name(cell) && is_header_cell(cell) && short(cell)
    }) && cells
        .iter()
        .any(|&(s, e)| header[s..e].iter().any(u8::is_ascii_alphabetic));
    reads_as_header.then_some((header, delim))
}

fn split_fields(line: &[u8], delim: u8) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, &b) in line.iter().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delim && !quoted {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, line.len()));
    out
}

fn clean_cell(cell: &[u8]) -> String {
    String::from_utf8_lossy(cell)
        .trim()
        .trim_matches(|c| matches!(c, '"' | '\'' | '`' | '*'))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_counted_as_a_byte_by_byte_count_does() {
        let naive = |line: &[u8]| {
            [b'\t', b',', b';', b':'].map(|d| line.iter().filter(|&&b| b == d).count())
        };
        let mut next = crate::testing::xorshift(0x51_7CC1_B727_220A);
        let alphabet = b"\t,;:a \"|\n";
        for len in [0, 1, 7, 64, 1000, 65_534, 65_535, 65_536, 200_000] {
            let line: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() >> 8) as usize % alphabet.len()])
                .collect();
            assert_eq!(delimiter_counts(&line), naive(&line), "{len}");
        }
        // One delimiter throughout: a lane fills to its chunk's length and no further.
        let commas = vec![b','; 150_000];
        assert_eq!(delimiter_counts(&commas), [0, 150_000, 0, 0]);
    }

    #[test]
    fn colons_split_a_row_only_where_no_other_delimiter_does() {
        let colon = |row: &str| colon_delimiter(row.as_bytes(), delimiter_counts(row.as_bytes()));
        assert_eq!(colon("lms.example.edu:svc:abc"), Some(b':'));
        // One colon is a pair (`key: value`), not a record of columns.
        assert_eq!(colon("token: abc"), None);
        // Blanks: a YAML pair holding a URL, a log line's time.
        assert_eq!(colon("url: https://lms.example.edu:8443"), None);
        assert_eq!(colon("12:00:05 sync token abc"), None);
        // A CSV row's URL holds colons: the comma splits it.
        let csv = "https://lms.example.edu:8443/x,svc,abc";
        assert_eq!(colon(csv), None);
        assert_eq!(delimiter_in(delimiter_counts(csv.as_bytes())), Some(b','));
        assert_eq!(uncommented(b"# host:service:token"), b"host:service:token");
        assert_eq!(uncommented(b"  //site,token"), b"site,token");
        assert_eq!(uncommented(b"host:token"), b"host:token");
    }

    #[test]
    fn sql_values_get_their_column_with_or_without_a_column_list() {
        let t = "a1b2c3d4e5f60718293a4b5c6d7e8f90"; // moodleleaks:allow
        let with =
            format!("INSERT INTO `mdl_external_tokens` (`id`,`token`) VALUES (1,'{t}'),(2,'{t}');");
        let idx = SqlIndex::build(with.as_bytes());
        let at = with.find(t).unwrap();
        let c = idx.column(at, at + 32).unwrap();
        assert_eq!((c.name, c.table), ("token", "mdl_external_tokens"));

        let without = format!("INSERT INTO `mdl_external_tokens` VALUES (1,'{t}','x');");
        let idx = SqlIndex::build(without.as_bytes());
        let at = without.find(t).unwrap();
        assert_eq!(idx.column(at, at + 32).unwrap().name, "token");

        let other = format!("INSERT INTO `mdl_backup_controllers` VALUES (1,'{t}');");
        let idx = SqlIndex::build(other.as_bytes());
        let at = other.find(t).unwrap();
        assert!(idx.column(at, at + 32).is_none());
    }

    #[test]
    fn copy_rows_and_csv_headers() {
        let t = "a1b2c3d4e5f60718293a4b5c6d7e8f90"; // moodleleaks:allow
        let copy =
            format!("COPY public.mdl_external_tokens (id, token) FROM stdin;\n3\t{t}\n\\.\n");
        let idx = SqlIndex::build(copy.as_bytes());
        let at = copy.find(t).unwrap();
        assert_eq!(idx.column(at, at + 32).unwrap().name, "token");

        let csv = format!("id,name,token,validuntil\n1,\"a, b\",{t},0\n");
        let at = csv.find(t).unwrap();
        let ls = csv.find('\n').unwrap() + 1;
        assert_eq!(
            header_column(csv.as_bytes(), ls, csv.len() - 1, at, None)
                .map(|c| (c.name, c.token_store)),
            Some(("token".to_string(), false))
        );

        let md = format!("# x\n\n| User | Token |\n|---|---|\n| a | {t} |\n");
        let at = md.find(t).unwrap();
        let ls = md.rfind("\n| a |").unwrap() + 1;
        assert_eq!(
            header_column(md.as_bytes(), ls, md.len() - 1, at, None).map(|c| c.name),
            Some("Token".to_string())
        );

        // Text grids: MySQL's boxed output and psql's aligned output name columns too.
        let column_of = |text: &str| {
            let at = text.find(t).unwrap();
            let ls = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let le = text[at..].find('\n').map_or(text.len(), |i| at + i);
            header_column(text.as_bytes(), ls, le, at, None).map(|c| c.name)
        };
        let mysql = format!(
            "+----+----------------------------------+\n| id | token                            |\n+----+----------------------------------+\n|  1 | {t} |\n+----+----------------------------------+\n"
        );
        assert_eq!(column_of(&mysql).as_deref(), Some("token"));
        let psql = format!(" id | token \n----+-------\n  1 | {t}\n");
        assert_eq!(column_of(&psql).as_deref(), Some("token"));
        let pairs = format!("| Setting | Value |\n|---|---|\n| wstoken | {t} |\n");
        assert_eq!(column_of(&pairs).as_deref(), Some("wstoken"));
        // Code with a `|` is no grid.
        assert_eq!(column_of(&format!("x = a || \"{t}\"\n")), None);

        // Moodle's token table layout (token, service, user) or a site's address beside the
        // token says the table stores tokens; a token column alone does not.
        let store = |header: &[&str]| {
            stores_tokens(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>())
        };
        assert!(store(&["Token", "User", "Service", "Valid until"]));
        assert!(store(&["id", "siteUrl", "token", "info"]));
        assert!(store(&["id", "token", "privateToken"]));
        assert!(!store(&["id", "token", "validuntil"]));
        assert!(!store(&["Key", "Last modified", "ETag"]));
    }
}
