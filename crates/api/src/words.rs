//! Counts in words, written once: "1 key", "3 keys", "0 keys".

/// `n` and the noun that goes with it: `count(1, "key", "keys")` is "1 key", any other number
/// takes `many` ("0 keys", "2 keys").
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_takes_the_singular_every_other_number_the_plural() {
        assert_eq!(count(0, "key", "keys"), "0 keys");
        assert_eq!(count(1, "key", "keys"), "1 key");
        assert_eq!(count(2, "package", "packages"), "2 packages");
        assert_eq!(count(1, "line was", "lines were"), "1 line was");
        assert_eq!(count(12_000, "row", "rows"), "12000 rows");
    }
}
