//! Timestamps as the providers write them, and ages as a person reads them.

/// Seconds since 1970 for an RFC 3339 time such as `2025-05-16T08:45:32.108Z` or
/// `2022-01-01T00:00:00+02:00`; `None` for anything else.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, min, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = rest[1..].split_once(':')?;
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
        }
    };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + min * 60 + sec - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

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
    fn reads_provider_timestamps() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2022-01-01T00:00:00Z"), Some(1_640_995_200));
        assert_eq!(
            parse_rfc3339("2025-05-16T08:45:32.108Z"),
            Some(1_747_385_132)
        );
        assert_eq!(
            parse_rfc3339("2022-01-01T02:00:00+02:00"),
            Some(1_640_995_200)
        );
        assert_eq!(parse_rfc3339("07-02-2025 02:02 PM"), None);
        assert_eq!(parse_rfc3339("text"), None);
    }

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
