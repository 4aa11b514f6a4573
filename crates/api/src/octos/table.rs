//! A table from JSON of any shape, for Octos answers the document gives no schema for: rows are
//! found in the data, each row's fields flattened into columns (nested objects as `a.b`, lists
//! and deeper values in a readable form), then sorted and filtered. Nothing is dropped: every
//! field becomes a column (or sits in the readable form of its parent), and the raw JSON of each
//! row is kept for a raw view.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::secret_fields::mask_secret_fields;

/// How deep nested objects become their own columns (`a.b.c`); deeper ones are shown readably.
const COLUMN_DEPTH: usize = 2;

/// Keys under which a wrapped list is looked for, in order, before any other list of objects.
const LIST_KEYS: [&str; 6] = ["data", "items", "results", "records", "rows", "list"];

/// One row: its cells (one per column, "" where the row has no such field; secret fields
/// hidden) and its JSON as it came.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    pub raw: Value,
}

/// Rows and their columns, plus any fields around the list (totals, paging) flattened.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// Fields beside the list when the list was wrapped (`{"total": 3, "items": [...]}`).
    pub context: Vec<(String, String)>,
}

impl Table {
    /// Builds the table of an envelope's `data`, whatever its shape.
    pub fn from_data(data: &Value) -> Table {
        let (items, context) = find_rows(data);
        // Cells are what the filter searches too: a secret is neither shown nor searchable.
        let flat: Vec<Vec<(String, String)>> = items
            .iter()
            .map(|item| flatten(&mask_secret_fields(item)))
            .collect();
        let mut columns: Vec<String> = Vec::new();
        for row in &flat {
            for (k, _) in row {
                if !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
        // What identifies a row first, when present.
        for key in ["name", "id"] {
            if let Some(i) = columns.iter().position(|c| c == key) {
                let c = columns.remove(i);
                columns.insert(0, c);
            }
        }
        let rows = flat
            .into_iter()
            .zip(items)
            .map(|(fields, raw)| Row {
                cells: columns
                    .iter()
                    .map(|c| {
                        fields
                            .iter()
                            .find(|(k, _)| k == c)
                            .map(|(_, v)| v.clone())
                            .unwrap_or_default()
                    })
                    .collect(),
                raw,
            })
            .collect();
        Table {
            columns,
            rows,
            context,
        }
    }

    /// The indexes of the rows to show: those with `query` in any cell (case-insensitive; an
    /// empty query keeps all), sorted by column `sort` (`(column, ascending)`), numbers as
    /// numbers and empty cells last. The order is stable.
    pub fn view(&self, query: &str, sort: Option<(usize, bool)>) -> Vec<usize> {
        let query = query.trim().to_lowercase();
        let mut shown: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                query.is_empty()
                    || self.rows[i]
                        .cells
                        .iter()
                        .any(|c| c.to_lowercase().contains(&query))
            })
            .collect();
        if let Some((column, ascending)) = sort.filter(|(c, _)| *c < self.columns.len()) {
            shown.sort_by(|&a, &b| {
                let (x, y) = (&self.rows[a].cells[column], &self.rows[b].cells[column]);
                match (x.is_empty(), y.is_empty()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    (false, false) => {
                        let o = compare_cells(x, y);
                        if ascending {
                            o
                        } else {
                            o.reverse()
                        }
                    }
                }
            });
        }
        shown
    }

    /// A short name for row `i` in words ("web-net", "#7", "row 3"), for labels.
    pub fn row_name(&self, i: usize) -> String {
        let raw = &self.rows[i].raw;
        ["name", "title", "subject", "hostname", "id"]
            .iter()
            .find_map(|k| match raw.get(*k) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(Value::Number(n)) => Some(format!("#{n}")),
                _ => None,
            })
            .unwrap_or_else(|| format!("row {}", i + 1))
    }
}

/// Numbers compare as numbers, anything else as case-insensitive text.
fn compare_cells(x: &str, y: &str) -> Ordering {
    match (x.parse::<f64>(), y.parse::<f64>()) {
        (Ok(a), Ok(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
        _ => x.to_lowercase().cmp(&y.to_lowercase()),
    }
}

/// The list of rows in `data`, and the fields beside it when it was wrapped in an object.
fn find_rows(data: &Value) -> (Vec<Value>, Vec<(String, String)>) {
    match data {
        Value::Null => (Vec::new(), Vec::new()),
        Value::Array(items) => (items.clone(), Vec::new()),
        Value::Object(map) => {
            let list_key = LIST_KEYS
                .iter()
                .find(|k| map.get(**k).is_some_and(Value::is_array))
                .map(|k| k.to_string())
                .or_else(|| {
                    // Otherwise the one list of objects, if there is exactly one.
                    let lists: Vec<&String> = map
                        .iter()
                        .filter(|(_, v)| {
                            v.as_array()
                                .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_object))
                        })
                        .map(|(k, _)| k)
                        .collect();
                    (lists.len() == 1).then(|| lists[0].clone())
                });
            match list_key {
                Some(key) => {
                    let items = map[&key].as_array().cloned().unwrap_or_default();
                    let rest: Map<String, Value> = map
                        .iter()
                        .filter(|(k, _)| **k != key)
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    (items, flatten(&mask_secret_fields(&Value::Object(rest))))
                }
                // One object that is not a wrapper: a one-row table.
                None => (vec![data.clone()], Vec::new()),
            }
        }
        scalar => (vec![scalar.clone()], Vec::new()),
    }
}

/// A row's fields as (column, readable value): nested objects become `parent.child` columns up
/// to [`COLUMN_DEPTH`]; anything else is shown with [`readable`]. A row that is not an object
/// is one `value` column.
pub fn flatten(row: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match row {
        Value::Object(map) => flatten_into(map, "", 1, &mut out),
        other => out.push(("value".to_string(), readable(other))),
    }
    out
}

fn flatten_into(
    map: &Map<String, Value>,
    prefix: &str,
    depth: usize,
    out: &mut Vec<(String, String)>,
) {
    for (key, value) in map {
        let column = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) if depth < COLUMN_DEPTH && !inner.is_empty() => {
                flatten_into(inner, &column, depth + 1, out)
            }
            other => out.push((column, readable(other))),
        }
    }
}

/// A JSON value as a person reads it: text as it is, `yes`/`no`, `—` for null, lists joined
/// with commas (objects in them as `{key: value, …}`), objects as `key: value, …`.
pub fn readable(value: &Value) -> String {
    match value {
        Value::Null => "—".to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "none".to_string(),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|v| match v {
                    Value::Object(_) => format!("{{{}}}", readable(v)),
                    other => readable(other),
                })
                .collect();
            let separator = if items.iter().any(Value::is_object) {
                "; "
            } else {
                ", "
            };
            parts.join(separator)
        }
        Value::Object(map) if map.is_empty() => "—".to_string(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                Value::Object(_) if !v.as_object().is_some_and(Map::is_empty) => {
                    format!("{k}: {{{}}}", readable(v))
                }
                other => format!("{k}: {}", readable(other)),
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_fields_are_hidden_in_cells_and_context_and_not_searchable() {
        let data = json!({
            "total": 2,
            "token": "9e130f81-aaaa|SzVg1D6a5ZZ",
            "items": [
                {"id": 1, "name": "web", "access": {"password": "hunter22-web"}},
                {"id": 2, "name": "db", "api_token_name": "ci"}
            ]
        });
        let table = Table::from_data(&data);
        let cells: Vec<&String> = table.rows.iter().flat_map(|r| &r.cells).collect();
        assert!(cells.iter().any(|c| *c == crate::secret_fields::HIDDEN));
        assert!(cells.iter().all(|c| !c.contains("hunter22")));
        assert!(
            cells.iter().any(|c| *c == "ci"),
            "a token's name is no secret"
        );
        assert!(table
            .context
            .iter()
            .all(|(_, v)| !v.contains("SzVg1D6a5ZZ")));
        assert!(table.view("hunter22", None).is_empty());
        assert_eq!(table.rows[0].raw["access"]["password"], "hunter22-web");
    }

    #[test]
    fn nested_values_flatten_readably() {
        let row = json!({
            "id": 7,
            "name": "web-net",
            "cidr": "10.0.0.0/24",
            "project": {"id": 1, "name": "production", "owner": {"email": "a@b.c", "team": {"x": 1}}},
            "tags": ["a", "b"],
            "rules": [{"port": 22, "proto": "tcp"}, {"port": 443}],
            "public": false,
            "deleted_at": null,
            "empty": [],
            "meta": {}
        });
        let flat = flatten(&row);
        let get = |k: &str| flat.iter().find(|(c, _)| c == k).map(|(_, v)| v.as_str());
        assert_eq!(get("project.name"), Some("production"));
        assert_eq!(get("project.owner"), Some("email: a@b.c, team: {x: 1}"));
        assert_eq!(get("tags"), Some("a, b"));
        assert_eq!(get("rules"), Some("{port: 22, proto: tcp}; {port: 443}"));
        assert_eq!(get("public"), Some("no"));
        assert_eq!(get("deleted_at"), Some("—"));
        assert_eq!(get("empty"), Some("none"));
        assert_eq!(get("meta"), Some("—"));
        // Every leaf of the row is in some cell: nothing dropped.
        let all: String = flat.iter().map(|(k, v)| format!("{k}={v} ")).collect();
        for leaf in ["10.0.0.0/24", "a@b.c", "tcp", "443", "web-net"] {
            assert!(all.contains(leaf), "{leaf} missing from {all}");
        }
    }

    #[test]
    fn rows_of_any_shape_become_a_table() {
        // A list of objects with different fields: the union of columns, name and id first.
        let t = Table::from_data(&json!([
            {"size_gb": 100, "name": "data-1", "id": "a"},
            {"name": "data-2", "id": "b", "attached_to": "vm-1"}
        ]));
        assert_eq!(t.columns, ["id", "name", "size_gb", "attached_to"]);
        assert_eq!(t.rows[0].cells, ["a", "data-1", "100", ""]);
        assert_eq!(t.rows[1].cells, ["b", "data-2", "", "vm-1"]);
        assert_eq!(t.row_name(1), "data-2");

        // A wrapped, paged list keeps its paging fields as context.
        let t = Table::from_data(&json!({"total": 2, "page": 1, "items": [{"id": 1}, {"id": 2}]}));
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.row_name(0), "#1");
        assert!(t.context.contains(&("total".to_string(), "2".to_string())));

        // One object (a summary, e.g. billing) is a one-row table.
        let t = Table::from_data(&json!({"balance": "12.50", "currency": "USD"}));
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.columns, ["balance", "currency"]);

        // Scalars, a list of scalars, null: still no crash and no loss.
        let t = Table::from_data(&json!(["a", 1, null, {"k": "v"}]));
        assert_eq!(t.columns, ["value", "k"]);
        assert_eq!(t.rows.len(), 4);
        assert_eq!(t.rows[3].cells, ["", "v"]);
        assert_eq!(Table::from_data(&json!("ok")).rows[0].cells, ["ok"]);
        assert!(Table::from_data(&Value::Null).rows.is_empty());
        assert!(Table::from_data(&json!({})).rows.len() == 1);
        // The raw JSON of each row is kept as it came.
        let raw = json!({"deep": {"a": {"b": {"c": [1, {"d": 2}]}}}});
        let t = Table::from_data(&json!([raw.clone()]));
        assert_eq!(t.rows[0].raw, raw);
        assert_eq!(t.columns, ["deep.a"]);
        assert_eq!(t.rows[0].cells[0], "b: {c: 1; {d: 2}}");
    }

    #[test]
    fn sorting_and_filtering() {
        let t = Table::from_data(&json!([
            {"name": "b", "size": 20},
            {"name": "a", "size": 100},
            {"name": "C"},
            {"name": "d", "size": 3}
        ]));
        let size = t.columns.iter().position(|c| c == "size").unwrap();
        // Numbers as numbers; the empty cell last either way.
        assert_eq!(t.view("", Some((size, true))), [3, 0, 1, 2]);
        assert_eq!(t.view("", Some((size, false))), [1, 0, 3, 2]);
        // Text case-insensitively.
        assert_eq!(t.view("", Some((0, true))), [1, 0, 2, 3]);
        assert_eq!(t.view("", None), [0, 1, 2, 3]);
        assert_eq!(t.view(" c ", None), [2]);
        assert_eq!(t.view("10", None), [1]);
        assert!(t.view("zzz", None).is_empty());
        // A column out of range is ignored rather than panicking.
        assert_eq!(t.view("", Some((99, true))), [0, 1, 2, 3]);
    }
}
