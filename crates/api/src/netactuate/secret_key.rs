//! What a secret-list key may be: one rule for the Add value form, the `.env` import and the
//! reference checker. A key is what `${{secret.KEY}}` names in a cloud-init script
//! (netactuate-secret-lists-api.txt, "Referencing in cloud-init"); the document shows
//! `API_KEY` and says references are case-sensitive, and nothing more. The console takes the
//! safe side: the names every shell and `.env` file take as variables (letters, digits and
//! underscores, not starting with a digit), so a key written anywhere can be referenced.

/// The longest key the console accepts.
pub const KEY_MAX_CHARS: usize = 255;

/// Why `key` cannot be a key, in words; `None` when it can.
pub fn key_problem(key: &str) -> Option<String> {
    if key.is_empty() {
        return Some("Enter a key.".into());
    }
    if key.chars().count() > KEY_MAX_CHARS {
        return Some(format!("A key has at most {KEY_MAX_CHARS} characters."));
    }
    let shown: String = key.chars().take(40).collect();
    if key.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!(
            "\u{201c}{shown}\u{201d} starts with a digit: a key starts with a letter or _, so that ${{{{secret.KEY}}}} can name it."
        ));
    }
    if let Some(bad) = key
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        let what = match bad {
            ' ' => "a space".to_string(),
            c => format!("\u{201c}{c}\u{201d}"),
        };
        return Some(format!(
            "\u{201c}{shown}\u{201d} holds {what}: a key is letters, digits and _ only (for example DB_PASSWORD), so that ${{{{secret.KEY}}}} can name it."
        ));
    }
    None
}

/// The key among `others` that differs from `key` only by case, if any: references are
/// case-sensitive, so the two are two different values, which is rarely what was meant.
pub fn case_twin<'a>(key: &str, others: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    others
        .into_iter()
        .find(|other| *other != key && other.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_what_a_reference_can_name() {
        for good in ["API_KEY", "DB_PASSWORD", "_private", "a1", "X"] {
            assert_eq!(key_problem(good), None, "{good}");
        }
        // The walk's cases: a space, a whole reference, a digit first, a dash, a dot.
        for bad in [
            "my key",
            "${{secret.X}}",
            "1BAD",
            "KEY-WITH-DASH",
            "a.b",
            "",
            &"K".repeat(256),
        ] {
            assert!(key_problem(bad).is_some(), "{bad:?}");
        }
        assert!(key_problem("my key").unwrap().contains("holds a space"));
        assert!(key_problem("1BAD").unwrap().contains("starts with a digit"));
    }

    #[test]
    fn keys_that_differ_only_by_case_are_found() {
        let keys = ["DB_PASSWORD", "API_KEY"];
        assert_eq!(case_twin("db_password", keys), Some("DB_PASSWORD"));
        assert_eq!(case_twin("DB_PASSWORD", keys), None);
        assert_eq!(case_twin("OTHER", keys), None);
    }
}
