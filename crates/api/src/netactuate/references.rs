//! `${{secret.KEY}}` references in a cloud-init script (netactuate-secret-lists-api.txt,
//! "Referencing in cloud-init"). NetActuate substitutes them at deploy time, case-sensitively;
//! the console only finds and checks them, and never substitutes a value itself.

/// One reference found in a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The key, case as written.
    pub key: String,
    /// Byte range of the whole `${{...}}` in the script.
    pub start: usize,
    pub end: usize,
    /// The 1-based line it is on.
    pub line: usize,
    /// Written with spaces inside the braces (`${{ secret.KEY }}`); the document shows none.
    pub spaced: bool,
}

/// Every `${{secret.KEY}}` in `script`, in order. Spaces inside the braces are tolerated (and
/// noted); `${{...}}` that is not a secret, or has no key, is not a reference.
pub fn find_references(script: &str) -> Vec<Reference> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(rel) = script[from..].find("${{") {
        let start = from + rel;
        let inner_start = start + 3;
        let Some(close) = script[inner_start..].find("}}") else {
            break;
        };
        let inner_raw = &script[inner_start..inner_start + close];
        let inner = inner_raw.trim();
        match inner.strip_prefix("secret.") {
            Some(key) if !key.is_empty() && !inner_raw.contains('\n') => {
                let end = inner_start + close + 2;
                found.push(Reference {
                    key: key.to_string(),
                    start,
                    end,
                    line: script[..start].matches('\n').count() + 1,
                    spaced: inner.len() != inner_raw.len(),
                });
                from = end;
            }
            _ => from = inner_start,
        }
    }
    found
}

/// What the account says about one reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceStatus {
    /// A list holds the key (named when known).
    Found { list: Option<String> },
    /// No value has this key; `suggestion` is a key that differs only by case.
    Missing { suggestion: Option<String> },
}

/// A reference with its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedReference {
    pub reference: Reference,
    pub status: ReferenceStatus,
}

impl CheckedReference {
    /// The verdict in words.
    pub fn describe(&self) -> String {
        let key = &self.reference.key;
        let mut out = match &self.status {
            ReferenceStatus::Found { list: Some(list) } => {
                format!("{key} exists (in the list \u{201c}{list}\u{201d}).")
            }
            ReferenceStatus::Found { list: None } => format!("{key} exists."),
            ReferenceStatus::Missing {
                suggestion: Some(s),
            } => format!(
                "{key} is missing. Did you mean {s}? The syntax is case-sensitive."
            ),
            ReferenceStatus::Missing { suggestion: None } => format!(
                "{key} is missing: no secret list of the account holds it, so NetActuate cannot fill it in."
            ),
        };
        if self.reference.spaced {
            out.push_str(" It is written with spaces inside the braces; NetActuate documents ${{secret.KEY}} without them.");
        }
        out
    }

    pub fn is_missing(&self) -> bool {
        matches!(self.status, ReferenceStatus::Missing { .. })
    }
}

/// Checks every reference of `script` against the account's keys, given as (key, list name).
pub fn check_references(script: &str, keys: &[(String, Option<String>)]) -> Vec<CheckedReference> {
    find_references(script)
        .into_iter()
        .map(|reference| {
            let status = match keys.iter().find(|(k, _)| *k == reference.key) {
                Some((_, list)) => ReferenceStatus::Found { list: list.clone() },
                None => ReferenceStatus::Missing {
                    suggestion: keys
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(&reference.key))
                        .map(|(k, _)| k.clone()),
                },
            };
            CheckedReference { reference, status }
        })
        .collect()
}

/// A script cut into plain text and references, for highlighting: (text, index of the
/// reference in `checked` or `None` for plain text).
pub fn segments<'a>(
    script: &'a str,
    checked: &[CheckedReference],
) -> Vec<(&'a str, Option<usize>)> {
    let mut out = Vec::new();
    let mut at = 0;
    for (i, c) in checked.iter().enumerate() {
        let r = &c.reference;
        if r.start > at {
            out.push((&script[at..r.start], None));
        }
        out.push((&script[r.start..r.end], Some(i)));
        at = r.end;
    }
    if at < script.len() {
        out.push((&script[at..], None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Vec<(String, Option<String>)> {
        vec![
            ("API_KEY".into(), Some("production".into())),
            ("DB_PASSWORD".into(), Some("production".into())),
        ]
    }

    #[test]
    fn finds_the_documents_example_and_its_place() {
        let script = "#!/bin/sh\nKEY=${{secret.API_KEY}}\necho done\n";
        let found = find_references(script);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, "API_KEY");
        assert_eq!(found[0].line, 2);
        assert_eq!(&script[found[0].start..found[0].end], "${{secret.API_KEY}}");
        assert!(!found[0].spaced);
    }

    #[test]
    fn other_templates_and_empty_keys_are_not_references() {
        let found =
            find_references("A=${{ secret.X }} B=${{other.Y}} C=${{secret.}} D=${{secret.Z}}${{");
        let keys: Vec<(&str, bool)> = found.iter().map(|r| (r.key.as_str(), r.spaced)).collect();
        assert_eq!(keys, [("X", true), ("Z", false)]);
        assert!(find_references("${{secret.A\n}}").is_empty());
    }

    #[test]
    fn existing_missing_and_case_only_differences() {
        let script = "a=${{secret.API_KEY}}\nb=${{secret.MISSING}}\nc=${{secret.db_password}}\n";
        let checked = check_references(script, &keys());
        assert_eq!(
            checked[0].status,
            ReferenceStatus::Found {
                list: Some("production".into())
            }
        );
        assert_eq!(
            checked[1].status,
            ReferenceStatus::Missing { suggestion: None }
        );
        assert_eq!(
            checked[2].status,
            ReferenceStatus::Missing {
                suggestion: Some("DB_PASSWORD".into())
            }
        );
        assert!(checked[2].describe().contains("Did you mean DB_PASSWORD?"));
        assert!(checked[1].is_missing() && !checked[0].is_missing());
    }

    #[test]
    fn segments_cover_the_whole_script() {
        let script = "x ${{secret.API_KEY}} y";
        let checked = check_references(script, &keys());
        let parts = segments(script, &checked);
        assert_eq!(
            parts,
            [("x ", None), ("${{secret.API_KEY}}", Some(0)), (" y", None)]
        );
        assert_eq!(parts.iter().map(|p| p.0).collect::<String>(), script);
    }
}
