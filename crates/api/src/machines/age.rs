//! Ages as a person reads them (timestamps are read by `crate::calendar`).

/// How long ago, in the two largest units: `40 s`, `12 min`, `5 h 3 min`, `33 d 5 h`.
pub fn age_label(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age_label(40), "40 s");
        assert_eq!(age_label(12 * 60 + 5), "12 min");
        assert_eq!(age_label(5 * 3600), "5 h");
        assert_eq!(age_label(5 * 3600 + 180), "5 h 3 min");
        assert_eq!(age_label(33 * 86_400 + 5 * 3600 + 59), "33 d 5 h");
        assert_eq!(age_label(-3), "0 s");
    }
}
