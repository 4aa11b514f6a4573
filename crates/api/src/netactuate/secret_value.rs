//! A secret's value, kept out of logs and panic messages.

use serde::{Deserialize, Deserializer};

/// A secret value. It has no `Display`, and its `Debug` never shows it, so it cannot slip into
/// a log line, an error or a panic message; [`SecretValue::expose`] is the one way to read it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretValue(String);

impl SecretValue {
    pub fn new(value: impl Into<String>) -> Self {
        SecretValue(value.into())
    }

    /// The value itself: for the request that stores it, the clipboard, or a revealed cell.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many characters it has (for the import preview's masked diff).
    pub fn char_count(&self) -> usize {
        self.0.chars().count()
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretValue(••••)")
    }
}

impl<'de> Deserialize<'de> for SecretValue {
    /// A string; a number or a boolean (a provider may store `1234` as a number) is read as its
    /// JSON text; `null` is empty.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(SecretValue(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let v = SecretValue::new("hunter2");
        assert!(!format!("{v:?}").contains("hunter2"));
        assert_eq!(v.expose(), "hunter2");
        let n: SecretValue = serde_json::from_str("1234").unwrap();
        assert_eq!(n.expose(), "1234");
    }
}
