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

/// Something that looks meant as a reference but is not one NetActuate fills in: it would
/// reach the machine as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// The 1-based line it is on.
    pub line: usize,
    /// As written (up to the end of the line, at most 60 characters).
    pub text: String,
    /// What is wrong, and the right way.
    pub why: String,
}

/// How a `secret.` is opened on its line.
enum Opening {
    /// `${{`, as the document writes it.
    Full,
    /// `${`: one brace.
    OneBrace,
    /// `{{` without the `$`.
    NoDollar,
}

/// Every `secret.` on a line opened like a reference (`${{`, `${`, `{{`) that is not a whole,
/// valid `${{secret.KEY}}`: not closed with `}}` on its line, no key, a key no list can hold,
/// one brace, or no `$`.
pub fn find_malformed(script: &str) -> Vec<Malformed> {
    const RIGHT: &str = "NetActuate fills in ${{secret.KEY}}, written exactly so";
    let mut found = Vec::new();
    for (index, line) in script.lines().enumerate() {
        let mut from = 0;
        while let Some(rel) = line[from..].find("secret.") {
            let at = from + rel;
            from = at + "secret.".len();
            let before = line[..at].trim_end();
            let (opening, start) = if before.ends_with("${{") {
                (Opening::Full, before.len() - 3)
            } else if before.ends_with("${") {
                (Opening::OneBrace, before.len() - 2)
            } else if before.ends_with("{{") {
                (Opening::NoDollar, before.len() - 2)
            } else {
                continue;
            };
            let rest = &line[from..];
            let why = match opening {
                Opening::OneBrace => Some(format!("it opens with one brace: {RIGHT}.")),
                Opening::NoDollar => Some(format!("it has no $ before {{{{: {RIGHT}.")),
                Opening::Full => match rest.find("}}") {
                    None => Some(format!("it is not closed with }}}} on its line: {RIGHT}.")),
                    Some(close) => {
                        let key = rest[..close].trim();
                        if key.is_empty() {
                            Some(format!("it names no key: {RIGHT}."))
                        } else {
                            super::secret_key::key_problem(key)
                        }
                    }
                },
            };
            if let Some(why) = why {
                let end = rest.find("}}").map_or(line.len(), |c| from + c + 2);
                found.push(Malformed {
                    line: index + 1,
                    text: line[start..end].chars().take(60).collect(),
                    why,
                });
            }
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
/// One whose key no list can hold is left to [`find_malformed`].
pub fn check_references(script: &str, keys: &[(String, Option<String>)]) -> Vec<CheckedReference> {
    find_references(script)
        .into_iter()
        .filter(|r| super::secret_key::key_problem(&r.key).is_none())
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
    fn malformed_references_are_errors_not_silence() {
        let script = "a=${{secret.DB_PASSWORD}\nb=${secret.API_KEY}\nc={{secret.API_KEY}}\nd=${{secret.}}\ne=${{secret.DB-PASS}}\nf=${{secret.API_KEY}} secret.word\n";
        let bad = find_malformed(script);
        let lines: Vec<usize> = bad.iter().map(|m| m.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5], "{bad:?}");
        assert_eq!(bad[0].text, "${{secret.DB_PASSWORD}");
        assert!(
            bad[0]
                .why
                .starts_with("it is not closed with }} on its line"),
            "{}",
            bad[0].why
        );
        assert!(bad[1].why.contains("one brace"));
        assert!(bad[2].why.contains("no $"));
        assert!(bad[3].why.contains("names no key"));
        assert!(
            bad[4].why.contains("holds \u{201c}-\u{201d}"),
            "{}",
            bad[4].why
        );
        // Only the whole one on line 6 is checked as a reference; the malformed ones are not.
        let keys: Vec<String> = check_references(script, &keys())
            .into_iter()
            .map(|c| c.reference.key)
            .collect();
        assert_eq!(keys, ["API_KEY"]);
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
