//! Lists read row by row: one item whose JSON does not fit its model never hides the others.
//!
//! A provider's list answer is read item by item. Each item that reads is kept as its model;
//! each that does not is kept as an [`UnreadableRow`]: its name and id when those can be read,
//! why it could not be read, and its JSON exactly as it came (shown only on request, through
//! [`crate::secret_fields::mask_secret_fields`]). Pages show the read rows as usual and the
//! unreadable ones with the shared `UnreadableRows` component ("1 row could not be read").
//!
//! How to use it for a list:
//! - a serde model, items as `Vec<Value>` (e.g. from `send_every_page`):
//!   `Rows::<OrgSshKey>::from_values(items)`;
//! - a reader of your own (it keeps the raw JSON, maps to a row type):
//!   `Rows::read_each(items, |raw| read_vm(raw.clone()).map(...))`;
//! - a list inside a typed answer: declare the field as `Rows<T>` instead of `Vec<T>`; it reads
//!   a JSON array (or `null` / absent, with `#[serde(default)]`, as no rows);
//! - [`Rows::map`] turns read rows into another type; [`Rows::from`] a `Vec` all read.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The fields an unreadable item's id is looked for in, in order: most providers' `id`,
/// NetActuate's servers' `mbpkgid`, its secrets' `secret_id`.
pub const ID_FIELDS: &[&str] = &["id", "mbpkgid", "secret_id", "uuid"];

/// The fields an unreadable item's name is looked for in, in order: `name` (most objects),
/// `fqdn` and `hostname` (servers), `secret_key` (a secret list's value: its name, never its
/// value), `token_name` (Octos tokens), `label`.
pub const NAME_FIELDS: &[&str] = &[
    "name",
    "fqdn",
    "hostname",
    "secret_key",
    "token_name",
    "label",
];

/// A list item that could not be read as its model.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadableRow {
    /// Its id, when one of [`ID_FIELDS`] holds text or a number.
    pub id: Option<String>,
    /// Its name, when one of [`NAME_FIELDS`] holds text or a number.
    pub name: Option<String>,
    /// Why it could not be read, in the reader's words.
    pub reason: String,
    /// The item exactly as the provider sent it. It may hold secrets: show it only through
    /// [`crate::secret_fields::mask_secret_fields`].
    pub raw: Arc<Value>,
}

fn text_of(raw: &Value, fields: &[&str]) -> Option<String> {
    fields.iter().find_map(|f| match raw.get(*f)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

impl UnreadableRow {
    /// `raw` could not be read, because of `reason`.
    pub fn new(raw: Value, reason: impl Into<String>) -> UnreadableRow {
        UnreadableRow {
            id: text_of(&raw, ID_FIELDS),
            name: text_of(&raw, NAME_FIELDS),
            reason: reason.into(),
            raw: Arc::new(raw),
        }
    }

    /// Whether this row could be the item named `name`: it has that name, or no readable name.
    /// Checks after a lost answer ("was the key added?") cannot rule such a row out.
    pub fn could_be_named(&self, name: &str) -> bool {
        self.name.as_deref().is_none_or(|n| n == name)
    }

    /// What the row is called on screen: `train-1 (id vm-1)`, `train-1`, `id vm-1`, or
    /// `a row without a name or id`.
    pub fn label(&self) -> String {
        match (&self.name, &self.id) {
            (Some(name), Some(id)) if name != id => format!("{name} (id {id})"),
            (Some(name), _) => name.clone(),
            (None, Some(id)) => format!("id {id}"),
            (None, None) => "a row without a name or id".to_string(),
        }
    }
}

/// A list's rows: those read as `T`, and those that could not be.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows<T> {
    pub read: Vec<T>,
    pub unreadable: Vec<UnreadableRow>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            read: Vec::new(),
            unreadable: Vec::new(),
        }
    }
}

impl<T> From<Vec<T>> for Rows<T> {
    /// Rows all read.
    fn from(read: Vec<T>) -> Self {
        Rows {
            read,
            unreadable: Vec::new(),
        }
    }
}

impl<T> FromIterator<T> for Rows<T> {
    /// Rows all read.
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Rows::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T> Rows<T> {
    /// Reads each item with `read`; an item it refuses (with why) is kept as unreadable.
    pub fn read_each(
        items: impl IntoIterator<Item = Value>,
        mut read: impl FnMut(&Value) -> Result<T, String>,
    ) -> Rows<T> {
        let mut rows = Rows::default();
        for raw in items {
            match read(&raw) {
                Ok(row) => rows.read.push(row),
                Err(reason) => rows.unreadable.push(UnreadableRow::new(raw, reason)),
            }
        }
        rows
    }

    /// The read rows turned into `U`; the unreadable ones kept.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Rows<U> {
        Rows {
            read: self.read.into_iter().map(f).collect(),
            unreadable: self.unreadable,
        }
    }

    /// The ids of every item listed, read or not (those of unreadable items when readable): for
    /// "is it still listed?" after a lost answer.
    pub fn listed_ids<'a>(&'a self, id: impl Fn(&'a T) -> &'a str) -> Vec<&'a str> {
        self.read
            .iter()
            .map(id)
            .chain(self.unreadable.iter().filter_map(|u| u.id.as_deref()))
            .collect()
    }

    /// How many items the list held, read or not.
    pub fn len(&self) -> usize {
        self.read.len() + self.unreadable.len()
    }

    /// True when the list held no item at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T: DeserializeOwned> Rows<T> {
    /// Reads each item as the serde model `T`.
    pub fn from_values(items: impl IntoIterator<Item = Value>) -> Rows<T> {
        Rows::read_each(items, |raw| T::deserialize(raw).map_err(|e| e.to_string()))
    }
}

/// "1 row could not be read", "3 rows could not be read".
pub fn unreadable_summary(count: usize) -> String {
    format!(
        "{} not be read",
        crate::words::count(count, "row could", "rows could")
    )
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Rows<T> {
    /// A JSON array, read item by item; `null` is no rows (providers send `null` for an empty
    /// list). Anything else is an error, as it would be for a `Vec`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Option::<Vec<Value>>::deserialize(d)?;
        Ok(Rows::from_values(items.unwrap_or_default()))
    }
}

impl<T: Serialize> Serialize for Rows<T> {
    /// The read rows, then the unreadable ones as they came.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for row in &self.read {
            seq.serialize_element(row)?;
        }
        for row in &self.unreadable {
            seq.serialize_element(row.raw.as_ref())?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Key {
        id: String,
        name: String,
    }

    #[test]
    fn an_item_that_does_not_fit_is_kept_apart_and_the_others_are_read() {
        let rows = Rows::<Key>::from_values(vec![
            json!({"id": "k1", "name": "laptop"}),
            json!({"id": "k2", "name": null}),
            json!({"id": "k3", "name": "ci"}),
        ]);
        assert_eq!(
            rows.read.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(),
            ["k1", "k3"]
        );
        assert_eq!(rows.unreadable.len(), 1);
        let bad = &rows.unreadable[0];
        assert_eq!(bad.label(), "id k2");
        assert!(bad.reason.contains("null"), "{}", bad.reason);
        assert_eq!(bad.raw["id"], "k2");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows.listed_ids(|k| &k.id), ["k1", "k3", "k2"]);
        assert!(bad.could_be_named("anything"), "its name could not be read");
        assert_eq!(
            unreadable_summary(rows.unreadable.len()),
            "1 row could not be read"
        );
        assert_eq!(unreadable_summary(2), "2 rows could not be read");
    }

    #[test]
    fn an_unreadable_row_is_named_by_what_can_be_read_of_it() {
        let label = |v: Value| UnreadableRow::new(v, "why").label();
        assert_eq!(label(json!({"id": "v1", "name": "train"})), "train (id v1)");
        assert_eq!(
            label(json!({"mbpkgid": 40213, "fqdn": "edge-1"})),
            "edge-1 (id 40213)"
        );
        assert_eq!(
            label(json!({"secret_key": "DB_URL", "secret_value": "x"})),
            "DB_URL"
        );
        assert_eq!(label(json!({"name": {"first": "x"}, "id": 7})), "id 7");
        assert_eq!(label(json!("just text")), "a row without a name or id");
        assert_eq!(label(json!({"id": "same", "name": "same"})), "same");
        let named = UnreadableRow::new(json!({"name": "train"}), "why");
        assert!(named.could_be_named("train") && !named.could_be_named("infer"));
    }

    #[test]
    fn a_list_field_reads_row_by_row_and_null_is_no_rows() {
        #[derive(Deserialize, Serialize)]
        struct Answer {
            #[serde(default)]
            keys: Rows<Key>,
        }
        let a: Answer =
            serde_json::from_value(json!({"keys": [{"id": "k1", "name": "a"}, 5]})).unwrap();
        assert_eq!(a.keys.read.len(), 1);
        assert_eq!(a.keys.unreadable[0].label(), "a row without a name or id");
        // Written back as it came.
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            json!({"keys": [{"id": "k1", "name": "a"}, 5]})
        );
        let none: Answer = serde_json::from_value(json!({"keys": null})).unwrap();
        assert!(none.keys.is_empty());
        let absent: Answer = serde_json::from_value(json!({})).unwrap();
        assert!(absent.keys.is_empty());
        assert!(serde_json::from_value::<Answer>(json!({"keys": "x"})).is_err());
    }

    #[test]
    fn a_reader_of_its_own_and_map_keep_the_unreadable_rows() {
        let rows = Rows::read_each(vec![json!(1), json!("two"), json!(3)], |v| {
            v.as_u64().ok_or_else(|| "not a number".to_string())
        })
        .map(|n| n * 10);
        assert_eq!(rows.read, [10, 30]);
        assert_eq!(rows.unreadable[0].reason, "not a number");
        assert_eq!(Rows::from(vec![1]).unreadable.len(), 0);
    }
}
