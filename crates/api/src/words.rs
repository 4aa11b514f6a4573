//! Counts and sentence ends in words, written once: "1 key", "3 keys", "0 keys"; one full stop.

/// `n` and the noun that goes with it: `count(1, "key", "keys")` is "1 key", any other number
/// takes `many` ("0 keys", "2 keys").
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `text` as the end of a sentence: with a full stop unless it already ends with one (or with
/// `?`, `!`), so a message that quotes another never ends "..".
pub fn full_stop(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '?', '!']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_ends_with_one_full_stop() {
        assert_eq!(full_stop("the proxy is busy"), "the proxy is busy.");
        assert_eq!(full_stop("Retry in a moment."), "Retry in a moment.");
        assert_eq!(full_stop("Is it there? "), "Is it there?");
    }

    #[test]
    fn one_takes_the_singular_every_other_number_the_plural() {
        assert_eq!(count(0, "key", "keys"), "0 keys");
        assert_eq!(count(1, "key", "keys"), "1 key");
        assert_eq!(count(2, "package", "packages"), "2 packages");
        assert_eq!(count(1, "line was", "lines were"), "1 line was");
        assert_eq!(count(12_000, "row", "rows"), "12000 rows");
    }
}
