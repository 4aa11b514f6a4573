//! Fields the live answers hold `null` in where the documents show a value (a list, a string):
//! `null` reads as the field's empty value, as an absent field does with `#[serde(default)]`.
//!
//! Use as `#[serde(default, deserialize_with = "crate::nullable::null_as_default")]`.

use serde::{Deserialize, Deserializer};

/// The field's value, or its type's default (empty list, empty text) for `null`.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Tagged {
        #[serde(default, deserialize_with = "super::null_as_default")]
        tags: Vec<String>,
    }

    #[test]
    fn null_and_absent_are_empty_and_a_wrong_type_is_still_an_error() {
        let read = |s: &str| serde_json::from_str::<Tagged>(s).map(|t| t.tags);
        assert_eq!(read(r#"{"tags": null}"#).unwrap(), Vec::<String>::new());
        assert_eq!(read("{}").unwrap(), Vec::<String>::new());
        assert_eq!(read(r#"{"tags": ["a"]}"#).unwrap(), ["a"]);
        assert!(read(r#"{"tags": "a"}"#).is_err());
    }
}
