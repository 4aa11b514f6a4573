//! Reading a `.env` file for import into a secret list: `KEY=value`, `export KEY=value`, single
//! and double quotes, escapes and multi-line quoted values in double quotes, multi-line single
//! quotes, comments and blank lines. A line that cannot be read is reported by its number,
//! never dropped silently.

use super::SecretValue;

/// One `KEY=value` read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub key: String,
    pub value: SecretValue,
    /// The 1-based line the entry starts on.
    pub line: usize,
}

/// A line that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvProblem {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for EnvProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Line {}: {}", self.line, self.message)
    }
}

/// What a `.env` text holds: the entries in file order (a key set twice keeps its last value,
/// at its last line) and the lines that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedEnv {
    pub entries: Vec<EnvEntry>,
    pub problems: Vec<EnvProblem>,
}

/// Reads a `.env` text. Messages never quote a value (it may be a secret), only keys.
pub fn parse_env(text: &str) -> ParsedEnv {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = ParsedEnv::default();
    let mut i = 0;
    while i < lines.len() {
        let number = i + 1;
        let line = lines[i];
        i += 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let body = trimmed
            .strip_prefix("export")
            .filter(|r| r.starts_with([' ', '\t']))
            .map(str::trim_start)
            .unwrap_or(trimmed);
        let Some((raw_key, rest)) = body.split_once('=') else {
            out.problems.push(EnvProblem {
                line: number,
                message: "no \u{201c}=\u{201d}: expected KEY=value".into(),
            });
            continue;
        };
        let key = raw_key.trim();
        if let Some(why) = key_problem(key) {
            out.problems.push(EnvProblem {
                line: number,
                message: why,
            });
            continue;
        }
        let rest = rest.trim_start_matches([' ', '\t']);
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                // The value runs to the matching quote, possibly on a later line.
                let mut source = rest[1..].to_string();
                let mut next = i;
                loop {
                    match closing_quote(&source, q) {
                        Some((value, after)) => {
                            let after = after.trim();
                            if !after.is_empty() && !after.starts_with('#') {
                                break Err(format!(
                                    "{key}: unexpected text after the closing quote"
                                ));
                            }
                            i = next;
                            break Ok(value);
                        }
                        None if next < lines.len() => {
                            source.push('\n');
                            source.push_str(lines[next]);
                            next += 1;
                        }
                        None => {
                            break Err(format!(
                                "{key}: the {} quote opened here is never closed",
                                if q == '"' { "double" } else { "single" }
                            ))
                        }
                    }
                }
            }
            _ => Ok(unquoted(rest)),
        };
        match value {
            Ok(value) if value.is_empty() => out.problems.push(EnvProblem {
                line: number,
                message: format!("{key} has no value (NetActuate stores no empty values)"),
            }),
            Ok(value) => {
                if let Some(earlier) = out.entries.iter().position(|e| e.key == key) {
                    let was = out.entries.remove(earlier);
                    out.problems.push(EnvProblem {
                        line: was.line,
                        message: format!(
                            "{key} is set again on line {number}; that later value is used"
                        ),
                    });
                }
                out.entries.push(EnvEntry {
                    key: key.to_string(),
                    value: SecretValue::new(value),
                    line: number,
                });
            }
            Err(message) => out.problems.push(EnvProblem {
                line: number,
                message,
            }),
        }
    }
    out.problems.sort_by_key(|p| p.line);
    out
}

/// Why `key` cannot be a key (the rule of [`super::secret_key`]); an empty one is said in the
/// file's terms.
fn key_problem(key: &str) -> Option<String> {
    if key.is_empty() {
        return Some("no key before \u{201c}=\u{201d}".into());
    }
    super::secret_key::key_problem(key)
}

/// An unquoted value: up to a comment (` #`), without surrounding spaces.
fn unquoted(rest: &str) -> String {
    let mut end = rest.len();
    let bytes = rest.as_bytes();
    for (at, b) in bytes.iter().enumerate() {
        if *b == b'#' && (at == 0 || bytes[at - 1] == b' ' || bytes[at - 1] == b'\t') {
            end = at;
            break;
        }
    }
    rest[..end].trim().to_string()
}

/// The value up to the closing `quote` in `source` and what follows it. Double quotes read
/// escapes (`\n`, `\r`, `\t`, `\"`, `\\`, `\$`); single quotes take everything literally.
fn closing_quote(source: &str, quote: char) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = source.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            c if c == quote => return Some((value, &source[at + 1..])),
            '\\' if quote == '"' => match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 'r')) => value.push('\r'),
                Some((_, 't')) => value.push('\t'),
                Some((_, e @ ('"' | '\\' | '$' | '\''))) => value.push(e),
                Some((_, other)) => {
                    value.push('\\');
                    value.push(other);
                }
                None => value.push('\\'),
            },
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &ParsedEnv) -> Vec<(&str, &str, usize)> {
        p.entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.expose(), e.line))
            .collect()
    }

    #[test]
    fn plain_and_exported_pairs_comments_and_blank_lines() {
        let p = parse_env("# a comment\n\nA=1\nexport B=two words\n  C = spaced  \nD=x # note\nE=a#b\nexported=1\n");
        assert_eq!(
            pairs(&p),
            [
                ("A", "1", 3),
                ("B", "two words", 4),
                ("C", "spaced", 5),
                ("D", "x", 6),
                ("E", "a#b", 7),
                ("exported", "1", 8)
            ]
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
    }

    #[test]
    fn quotes_and_escapes() {
        let p = parse_env(
            "A=\"a b # not a comment\"\nB='single $X \\n'\nC=\"line\\nnext \\\"q\\\" \\\\ \\$HOME\"\nD=\"x\" # trailing comment\n",
        );
        assert_eq!(
            pairs(&p),
            [
                ("A", "a b # not a comment", 1),
                ("B", "single $X \\n", 2),
                ("C", "line\nnext \"q\" \\ $HOME", 3),
                ("D", "x", 4)
            ]
        );
        assert!(p.problems.is_empty());
    }

    #[test]
    fn multi_line_quoted_values() {
        let p = parse_env("KEY=\"-----BEGIN-----\nabc\n-----END-----\"\nNEXT=1\nS='a\nb'\n");
        assert_eq!(
            pairs(&p),
            [
                ("KEY", "-----BEGIN-----\nabc\n-----END-----", 1),
                ("NEXT", "1", 4),
                ("S", "a\nb", 5)
            ]
        );
    }

    #[test]
    fn windows_line_endings_and_a_bom() {
        let p = parse_env("\u{feff}A=1\r\nB=\"x\r\ny\"\r\n# c\r\nC=3\r\n");
        assert_eq!(pairs(&p), [("A", "1", 1), ("B", "x\ny", 2), ("C", "3", 5)]);
        assert!(p.problems.is_empty());
        // An old Mac file: lone carriage returns.
        assert_eq!(
            pairs(&parse_env("A=1\rB=2")),
            [("A", "1", 1), ("B", "2", 2)]
        );
    }

    #[test]
    fn invalid_lines_are_reported_by_number() {
        let p = parse_env("A=1\njust words\n=nokey\n1BAD=x\nD=\nE=\"x\" junk\nB=\"open\nC=2\n");
        let problems: Vec<(usize, &str)> = p
            .problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(problems.len(), 6, "{problems:?}");
        assert_eq!(problems[0].0, 2);
        assert!(problems[0].1.contains("expected KEY=value"));
        assert_eq!(problems[1].0, 3);
        assert_eq!(problems[2].0, 4);
        assert!(problems[2].1.contains("1BAD"));
        // The same rule as the Add value form's: a dash is refused here too.
        let dashed = parse_env("KEY-WITH-DASH=x\n");
        assert!(dashed.entries.is_empty());
        assert!(dashed.problems[0]
            .message
            .contains("holds \u{201c}-\u{201d}"));
        assert_eq!(problems[3].0, 5);
        assert!(problems[3].1.contains("no value"));
        assert_eq!(
            problems[4],
            (6, "E: unexpected text after the closing quote")
        );
        assert_eq!(
            problems[5],
            (7, "B: the double quote opened here is never closed")
        );
        // The lines after an unclosed quote are still read.
        assert_eq!(pairs(&p), [("A", "1", 1), ("C", "2", 8)]);
        assert_eq!(
            p.problems[0].to_string(),
            "Line 2: no \u{201c}=\u{201d}: expected KEY=value"
        );
    }

    #[test]
    fn a_key_set_twice_keeps_the_last_value_and_says_so() {
        let p = parse_env("A=1\nB=2\nA=3\n");
        assert_eq!(pairs(&p), [("B", "2", 2), ("A", "3", 3)]);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].line, 1);
        assert!(p.problems[0].message.contains("line 3"));
    }

    #[test]
    fn messages_never_quote_values() {
        let p = parse_env("A=\"hunter2\" oops\nB=\"s3cret\n");
        for problem in &p.problems {
            assert!(!problem.message.contains("hunter2") && !problem.message.contains("s3cret"));
        }
    }
}
