//! Ids and similar fields that a provider writes as a number in one place and a string in
//! another (`mbpkgid`, Octos VM ids, `sub_order`): read either, keep a string.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A required string-or-number field.
pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected a number or a string, found {other}"
        ))),
    }
}

/// An optional string-or-number field: `null`, absent or anything else is `None`.
pub(crate) fn optional_string_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}
