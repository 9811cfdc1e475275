//! Values in tables: the key of a value is the name of its column.
//!
//! - SQL `INSERT INTO t (cols) VALUES (…),(…)`, with the column list, or without it (then the
//!   columns come from a `CREATE TABLE t` in the same input, else, for Moodle's
//!   `external_tokens`, from Moodle's own schema), as mysqldump, phpMyAdmin and pg_dump
//!   `--inserts` write them;
//! - pg_dump `COPY t (cols) FROM stdin;` blocks of tab-separated rows;
//! - CSV/TSV whose first line is a header, and Markdown tables.
//!
//! SQL and COPY values are indexed once per input ([`SqlIndex`]), so a dump with one
//! million rows on one line costs one pass, not one pass per value.

use regex::bytes::Regex;
use std::sync::OnceLock;

/// The column of Moodle's `external_tokens` table, in the order of its install.xml (the order
/// a dump without a column list writes). Moodle before 3.2 had no `privatetoken`; its tokens
/// are still in column 1.
const EXTERNAL_TOKENS_COLUMNS: &[&str] = &[
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
];

/// A value of a row of a SQL or COPY table.
#[derive(Debug, Clone)]
struct Field {
    start: usize,
    end: usize,
    column: usize,
    table: usize,
}

/// A table named by a statement, with its columns when they are known.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Option<Vec<String>>,
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
    last.trim_matches(|c| matches!(c, '`' | '"' | '[' | ']' | ' '))
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
        if !has(&[b"INSERT", b"insert", b"Insert", b"COPY", b"copy"]) {
            return idx;
        }
        for c in insert_re().captures_iter(buf) {
            let name = bare(&c[1]);
            let columns = match c.get(2) {
                Some(list) => Some(column_list(list.as_bytes())),
                None => create_columns(buf, &name).or_else(|| {
                    name.ends_with("external_tokens").then(|| {
                        EXTERNAL_TOKENS_COLUMNS
                            .iter()
                            .map(|s| s.to_string())
                            .collect()
                    })
                }),
            };
            idx.tables.push(Table { name, columns });
            let table = idx.tables.len() - 1;
            let end = c.get(0).map_or(0, |m| m.end());
            idx.index_tuples(buf, end, table);
        }
        for c in copy_re().captures_iter(buf) {
            let name = bare(&c[1]);
            let columns = Some(column_list(&c[2]));
            idx.tables.push(Table { name, columns });
            let table = idx.tables.len() - 1;
            let end = c.get(0).map_or(0, |m| m.end());
            idx.index_copy_rows(buf, end, table);
        }
        idx.fields.sort_by_key(|f| f.start);
        idx
    }

    /// Records the values of `(…),(…);` tuples from `at`, up to the statement's `;`.
    fn index_tuples(&mut self, buf: &[u8], mut at: usize, table: usize) {
        let (mut depth, mut column, mut field_start) = (0usize, 0usize, at);
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
                        column = 0;
                        field_start = at + 1;
                    }
                }
                b',' if depth == 1 => {
                    self.push(buf, field_start, at, column, table);
                    column += 1;
                    field_start = at + 1;
                }
                b')' => {
                    if depth == 1 {
                        self.push(buf, field_start, at, column, table);
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
            for (column, part) in line.split(|&b| b == b'\t').enumerate() {
                self.push(buf, field_start, field_start + part.len(), column, table);
                field_start += part.len() + 1;
            }
            line_start = line_end + 1;
        }
    }

    fn push(&mut self, buf: &[u8], mut start: usize, mut end: usize, column: usize, table: usize) {
        while start < end && matches!(buf[start], b' ' | b'\t' | b'\r' | b'\n' | b'\'' | b'"') {
            start += 1;
        }
        while end > start && matches!(buf[end - 1], b' ' | b'\t' | b'\r' | b'\n' | b'\'' | b'"') {
            end -= 1;
        }
        // Only values long enough to be a credential are worth keeping.
        if end - start >= 32 {
            self.fields.push(Field {
                start,
                end,
                column,
                table,
            });
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
        let name = table.columns.as_ref()?.get(f.column)?;
        Some(Column {
            name,
            table: &table.name,
        })
    }
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
/// `ls..le`, when the input is such a table.
pub fn header_column(buf: &[u8], ls: usize, le: usize, start: usize) -> Option<String> {
    let line = &buf[ls..le];
    if line.trim_ascii_start().starts_with(b"|") {
        return markdown_column(buf, ls, start);
    }
    if ls == 0 {
        return None;
    }
    let header_end = memchr::memchr(b'\n', &buf[..ls]).unwrap_or(ls);
    if header_end >= ls {
        return None;
    }
    let header = buf[..header_end]
        .strip_suffix(b"\r")
        .unwrap_or(&buf[..header_end]);
    let delim = [b'\t', b',', b';']
        .into_iter()
        .find(|&d| memchr::memchr_iter(d, header).count() >= 2)?;
    let names = split_fields(header, delim);
    let fields = split_fields(line, delim);
    if names.len() != fields.len() {
        return None;
    }
    let rel = start - ls;
    let col = fields.iter().position(|&(s, e)| s <= rel && rel < e)?;
    let (s, e) = names[col];
    Some(clean_cell(&header[s..e]))
}

fn markdown_column(buf: &[u8], ls: usize, start: usize) -> Option<String> {
    // The table's first line: walk up while lines start with `|`.
    let mut first = ls;
    while first > 0 {
        let prev_start = memchr::memrchr(b'\n', &buf[..first - 1]).map_or(0, |p| p + 1);
        if !buf[prev_start..first - 1]
            .trim_ascii_start()
            .starts_with(b"|")
        {
            break;
        }
        first = prev_start;
    }
    if first == ls {
        return None;
    }
    let header_end = memchr::memchr(b'\n', &buf[first..]).map_or(buf.len(), |p| first + p);
    let header = &buf[first..header_end];
    let col = memchr::memchr_iter(b'|', &buf[ls..start]).count();
    let cell = header.split(|&b| b == b'|').nth(col)?;
    Some(clean_cell(cell))
}

/// Field spans of a delimited line, quotes respected.
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
            header_column(csv.as_bytes(), ls, csv.len() - 1, at).as_deref(),
            Some("token")
        );

        let md = format!("# x\n\n| User | Token |\n|---|---|\n| a | {t} |\n");
        let at = md.find(t).unwrap();
        let ls = md.rfind("\n| a |").unwrap() + 1;
        assert_eq!(
            header_column(md.as_bytes(), ls, md.len() - 1, at).as_deref(),
            Some("Token")
        );
    }
}
