//! Quoting for a POSIX shell: the one place the console writes text that a shell will read (the
//! SSH command, cloud-init's `runcmd` lines, the review's curl command).

use std::borrow::Cow;

/// `arg` as one shell word: as it is when it holds only characters no shell treats specially,
/// otherwise in single quotes (`a b` -> `'a b'`, `it's` -> `'it'\''s'`, the empty word -> `''`).
pub fn quote(arg: &str) -> Cow<'_, str> {
    let plain = !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%^".contains(&b));
    if plain {
        Cow::Borrowed(arg)
    } else {
        Cow::Owned(single_quoted(arg))
    }
}

/// Arguments joined into one command line, each quoted as needed:
/// `["echo", "a b", "it's"]` -> `echo 'a b' 'it'\''s'`.
pub fn join<S: AsRef<str>>(args: &[S]) -> String {
    args.iter()
        .map(|a| quote(a.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` in single quotes whatever it holds: nothing inside is expanded.
pub fn single_quoted(text: &str) -> String {
    format!("'{}'", single_quoted_text(text))
}

/// `text` to sit between single quotes: each `'` closed, escaped and reopened.
pub fn single_quoted_text(text: &str) -> String {
    text.replace('\'', r"'\''")
}

/// `text` escaped to sit between double quotes without being expanded (for the parts of a word
/// that sit beside a `$VARIABLE` the shell must expand).
pub fn double_quoted_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(join(&["ls", "-l", "/root"]), "ls -l /root");
        assert_eq!(
            join(&["echo", "a b", "it's", "", "$HOME"]),
            r"echo 'a b' 'it'\''s' '' '$HOME'"
        );
        assert_eq!(quote("ubuntu@203.0.113.7"), "ubuntu@203.0.113.7");
        assert_eq!(quote("me;rm -rf ~"), "'me;rm -rf ~'");
    }

    #[test]
    fn double_quoted_parts_are_not_expanded() {
        assert_eq!(double_quoted_text("a$b`c\"d\\"), "a\\$b\\`c\\\"d\\\\");
    }

    /// Every quoted word reads back, through a real `sh`, as exactly the text it came from.
    #[test]
    #[cfg(unix)]
    fn a_real_shell_reads_back_every_word() {
        let words = [
            "plain",
            "a b",
            "it's",
            "",
            "$HOME",
            "`id`",
            "x\"y",
            "back\\slash",
            "new\nline",
            "*",
            "~",
            "émoji ✓",
        ];
        let script = format!("printf '%s\\0' {}", join(&words));
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .output()
            .expect("sh runs");
        let read: Vec<String> = out
            .stdout
            .split(|b| *b == 0)
            .map(|w| String::from_utf8(w.to_vec()).unwrap())
            .collect();
        assert_eq!(&read[..words.len()], &words[..], "{script}");
    }
}
