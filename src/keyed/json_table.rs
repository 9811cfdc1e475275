//! Tables written as JSON: a query tool's result (Metabase's `{"rows": [[…]], "cols":
//! [{"name": …}]}`, Elasticsearch SQL's `columns`/`rows`, a data frame's `fields`/`values`)
//! or a sheet's `values` whose first row is its header (the Google Sheets API). A value in a
//! row array has no key of its own: its column's name, at the same index in the column list,
//! names it.

use rustc_hash::FxHashMap;
use serde_json::Value;

/// Largest input parsed as a JSON table, in bytes.
const JSON_TABLE_MAX: usize = 8 << 20;

/// How deep the search for tables goes into nested objects and arrays.
const DEPTH_MAX: usize = 16;

/// Keys under which a table's rows stand (arrays of arrays).
const ROW_KEYS: [&str; 4] = ["rows", "values", "data", "records"];

/// Keys under which a table's column names stand (strings, or objects with a name).
const COLUMN_KEYS: [&str; 5] = ["cols", "columns", "fields", "headers", "schema"];

/// Keys of a column object that hold its name, in order of preference.
const NAME_KEYS: [&str; 4] = ["name", "display_name", "label", "text"];

/// Whether `lower` (an input, ASCII-lowercased) may hold a JSON table: a row key and a column
/// key in quotes, or a `values` array (a sheet). Asked before any parse.
pub fn may_hold(lower: &[u8]) -> bool {
    let has = |w: &str| memchr::memmem::find(lower, format!("\"{w}\"").as_bytes()).is_some();
    lower.len() <= JSON_TABLE_MAX
        && lower.first().is_some_and(|b| matches!(b, b'{' | b'['))
        && (ROW_KEYS.iter().any(|w| has(w)) && COLUMN_KEYS.iter().any(|w| has(w)) || has("values"))
}

/// The column name of each string cell of the JSON tables in `buf`, by the cell's text: a
/// value found in the input is looked up by what it is. Empty when `buf` is no JSON or holds
/// no table. A text in two columns keeps the first column met.
pub fn columns_by_value(buf: &[u8]) -> FxHashMap<String, String> {
    let mut out = FxHashMap::default();
    if let Ok(doc) = serde_json::from_slice::<Value>(buf) {
        collect(&doc, 0, &mut out);
    }
    out
}

/// Walks `node` for tables, recording their cells' columns into `out`.
fn collect(node: &Value, depth: usize, out: &mut FxHashMap<String, String>) {
    if depth > DEPTH_MAX {
        return;
    }
    match node {
        Value::Object(map) => {
            let rows = ROW_KEYS.iter().find_map(|k| map.get(*k)?.as_array());
            let names = COLUMN_KEYS.iter().find_map(|k| column_names(map.get(*k)?));
            match (rows, names) {
                (Some(rows), Some(names)) => record(rows, &names, out),
                // A sheet's values: the first row is its header.
                (Some(rows), None) if map.contains_key("values") => {
                    if let Some(header) = rows.first().and_then(column_names) {
                        record(&rows[1..], &header, out);
                    }
                }
                _ => {}
            }
            for child in map.values() {
                collect(child, depth + 1, out);
            }
        }
        Value::Array(items) => {
            for child in items {
                collect(child, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// The names of a column list: strings, or objects holding a name ([`NAME_KEYS`]); `None`
/// when any entry is neither.
fn column_names(node: &Value) -> Option<Vec<String>> {
    node.as_array()?
        .iter()
        .map(|c| match c {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => NAME_KEYS
                .iter()
                .find_map(|k| o.get(*k)?.as_str().map(str::to_string)),
            _ => None,
        })
        .collect()
}

/// Records each string cell of `rows` (arrays) under the name of its column in `names`.
fn record(rows: &[Value], names: &[String], out: &mut FxHashMap<String, String>) {
    for row in rows.iter().filter_map(Value::as_array) {
        for (cell, name) in row.iter().zip(names) {
            if let Some(text) = cell.as_str() {
                out.entry(text.to_string()).or_insert_with(|| name.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_by_their_columns() {
        let metabase = br#"{"data": {"rows": [["svc", "abc", 1]], "cols": [{"name": "username"}, {"name": "token"}, {"name": "validuntil"}]}}"#;
        let found = columns_by_value(metabase);
        assert_eq!(found.get("abc").map(String::as_str), Some("token"));
        assert_eq!(found.get("svc").map(String::as_str), Some("username"));
        let sheet = br#"{"range": "A1:B2", "values": [["School", "Token"], ["North", "def"]]}"#;
        assert_eq!(
            columns_by_value(sheet).get("def").map(String::as_str),
            Some("Token")
        );
        assert!(columns_by_value(b"{\"rows\": [[\"x\"]]}").is_empty());
        assert!(columns_by_value(b"not json").is_empty());
    }
}
