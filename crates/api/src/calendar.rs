//! The calendar, once for the whole console: civil dates and months in UTC, RFC 3339 times as
//! the providers write them, month arithmetic and the labels people read. Plain arithmetic
//! (Howard Hinnant's algorithms), checked against the `time` crate in the tests: the app needs
//! day boundaries, month lengths and a strict reader, not a date library in its bundle.

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// A calendar month: what a monthly billing report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u8,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub const SECONDS_PER_DAY: i64 = 86_400;

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1 to 12) of `year`.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl CivilDate {
    /// A valid date, or `None` (`2026-02-30`).
    pub fn new(year: i32, month: u8, day: u8) -> Option<CivilDate> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(CivilDate { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn to_days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (Hinnant's `civil_from_days`).
    pub fn from_days(days: i64) -> CivilDate {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        CivilDate { year, month, day }
    }

    /// The UTC date of `unix` seconds since 1970.
    pub fn from_unix(unix: i64) -> CivilDate {
        CivilDate::from_days(unix.div_euclid(SECONDS_PER_DAY))
    }

    /// Seconds since 1970 at this date's UTC midnight.
    pub fn start_unix(self) -> i64 {
        self.to_days() * SECONDS_PER_DAY
    }

    /// The next day.
    pub fn next(self) -> CivilDate {
        CivilDate::from_days(self.to_days() + 1)
    }

    /// Reads `YYYY-MM-DD`: the billing API's `earliest` / `latest`, a date input's value and
    /// what Octos takes as `expires_at`. Only real days.
    pub fn parse(s: &str) -> Option<CivilDate> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        CivilDate::new(
            i32::try_from(digits(s, 0..4)?).ok()?,
            u8::try_from(digits(s, 5..7)?).ok()?,
            u8::try_from(digits(s, 8..10)?).ok()?,
        )
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: CivilDate) -> i64 {
        other.to_days() - self.to_days()
    }

    /// `2026-11-05`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `Nov 5`.
    pub fn short_label(self) -> String {
        format!(
            "{} {}",
            &MONTH_NAMES[usize::from(self.month - 1)][..3],
            self.day
        )
    }

    pub fn year_month(self) -> YearMonth {
        YearMonth {
            year: self.year,
            month: self.month,
        }
    }
}

impl YearMonth {
    /// A month from 1 to 12, or `None`.
    pub fn new(year: i32, month: u8) -> Option<YearMonth> {
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    /// The UTC month of `unix` seconds since 1970.
    pub fn from_unix(unix: i64) -> YearMonth {
        CivilDate::from_unix(unix).year_month()
    }

    /// Reads `YYYY-MM`, the form the page keeps in its URL.
    pub fn parse(s: &str) -> Option<YearMonth> {
        let s = s.trim();
        if s.len() != 7 || s.as_bytes()[4] != b'-' {
            return None;
        }
        YearMonth::new(
            i32::try_from(digits(s, 0..4)?).ok()?,
            u8::try_from(digits(s, 5..7)?).ok()?,
        )
    }

    /// `2026-11`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `November 2026`.
    pub fn label(self) -> String {
        format!("{} {}", MONTH_NAMES[usize::from(self.month - 1)], self.year)
    }

    pub fn previous(self) -> YearMonth {
        if self.month == 1 {
            YearMonth {
                year: self.year - 1,
                month: 12,
            }
        } else {
            YearMonth {
                month: self.month - 1,
                ..self
            }
        }
    }

    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                month: self.month + 1,
                ..self
            }
        }
    }

    pub fn first_day(self) -> CivilDate {
        CivilDate {
            year: self.year,
            month: self.month,
            day: 1,
        }
    }

    pub fn last_day(self) -> CivilDate {
        CivilDate {
            year: self.year,
            month: self.month,
            day: days_in_month(self.year, self.month),
        }
    }

    /// Every day of the month, in order.
    pub fn days(self) -> impl Iterator<Item = CivilDate> {
        (1..=days_in_month(self.year, self.month)).map(move |day| CivilDate {
            year: self.year,
            month: self.month,
            day,
        })
    }

    /// `[start, end)` of the month in seconds since 1970, UTC.
    pub fn unix_range(self) -> (i64, i64) {
        (
            self.first_day().start_unix(),
            self.next().first_day().start_unix(),
        )
    }
}

/// Seconds since 1970 for an RFC 3339 time such as `2025-05-16T08:45:32.108Z` or
/// `2022-01-01T00:00:00+02:00` (a space for the `T` and no zone, read as UTC, are accepted
/// since providers write both); `None` for anything else, a day that does not exist
/// (`2026-02-31`) or a sign where a digit belongs (`2026-+1-05`) included.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let s = text.trim();
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let date = CivilDate::parse(s.get(..10)?)?;
    let (hour, min, sec) = (digits(s, 11..13)?, digits(s, 14..16)?, digits(s, 17..19)?);
    // 60: a leap second, read as the last second of its minute.
    if hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &fraction[n..];
    }
    let offset = match rest {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let zone = &rest[1..];
            if zone.len() != 5 || zone.as_bytes()[2] != b':' {
                return None;
            }
            let (h, m) = (digits(zone, 0..2)?, digits(zone, 3..5)?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
    };
    Some(date.start_unix() + hour * 3600 + min * 60 + sec.min(59) - offset)
}

/// `2025-05-16T08:45:32Z`: seconds since 1970 as RFC 3339 in UTC.
pub fn format_rfc3339(unix: i64) -> String {
    let secs = unix.rem_euclid(SECONDS_PER_DAY);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        CivilDate::from_unix(unix).iso(),
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

/// The ASCII digits of `s[range]` as a number; `None` when any is not a digit.
fn digits(s: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let part = s.get(range)?;
    if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// A moment as a person reads it, in the time zone `offset_minutes` east of UTC:
/// `Dec 1, 16:05`, with the year when it is not `this_year` (`Jan 3 2028, 09:00`).
pub fn moment_label(unix: i64, offset_minutes: i32, this_year: i32) -> String {
    let local = unix + i64::from(offset_minutes) * 60;
    let date = CivilDate::from_unix(local);
    let secs = local.rem_euclid(SECONDS_PER_DAY);
    let (h, m) = (secs / 3600, (secs % 3600) / 60);
    if date.year == this_year {
        format!("{}, {h:02}:{m:02}", date.short_label())
    } else {
        format!("{} {}, {h:02}:{m:02}", date.short_label(), date.year)
    }
}

/// `2026-11-05 14:03 UTC`, for tables and exports.
pub fn utc_label(unix: i64) -> String {
    let date = CivilDate::from_unix(unix);
    let secs = unix.rem_euclid(SECONDS_PER_DAY);
    format!(
        "{} {:02}:{:02} UTC",
        date.iso(),
        secs / 3600,
        (secs % 3600) / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> CivilDate {
        CivilDate::new(y, m, day).unwrap()
    }

    #[test]
    fn days_round_trip_across_eras_and_leap_years() {
        assert_eq!(d(1970, 1, 1).to_days(), 0);
        assert_eq!(d(2000, 3, 1).to_days(), 11_017);
        assert_eq!(d(1969, 12, 31).to_days(), -1);
        assert_eq!(CivilDate::from_days(-1), d(1969, 12, 31));
        assert_eq!(CivilDate::from_days(19_782), d(2024, 2, 29));
        for days in -800_000..800_000 {
            if days % 97 == 0 {
                assert_eq!(CivilDate::from_days(days).to_days(), days);
            }
        }
        assert_eq!(d(2024, 2, 28).next(), d(2024, 2, 29));
        assert_eq!(d(2025, 2, 28).next(), d(2025, 3, 1));
        assert_eq!(d(2026, 12, 31).next(), d(2027, 1, 1));
        // 2025-05-16T08:45:32Z, the document's example timestamp.
        assert_eq!(CivilDate::from_unix(1_747_385_132), d(2025, 5, 16));
        assert_eq!(CivilDate::from_unix(-1), d(1969, 12, 31));
    }

    #[test]
    fn month_lengths_and_validity() {
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2026, 11), 30);
        assert_eq!(days_in_month(2026, 12), 31);
        assert_eq!(CivilDate::new(2026, 2, 29), None);
        assert_eq!(CivilDate::new(2026, 13, 1), None);
        assert_eq!(CivilDate::new(2026, 4, 0), None);
    }

    #[test]
    fn parses_and_prints_the_api_date_form() {
        assert_eq!(CivilDate::parse("2024-10-01"), Some(d(2024, 10, 1)));
        assert_eq!(CivilDate::parse("2024-02-30"), None);
        assert_eq!(CivilDate::parse("2024-1-01"), None);
        assert_eq!(CivilDate::parse("2024-10-+1"), None);
        assert_eq!(d(2026, 3, 5).iso(), "2026-03-05");
        assert_eq!(d(2026, 3, 5).short_label(), "Mar 5");
    }

    #[test]
    fn months_step_over_years() {
        let nov = YearMonth::new(2026, 11).unwrap();
        assert_eq!(nov.next().next(), YearMonth::new(2027, 1).unwrap());
        assert_eq!(
            YearMonth::new(2027, 1).unwrap().previous(),
            YearMonth::new(2026, 12).unwrap()
        );
        assert_eq!(nov.label(), "November 2026");
        assert_eq!(nov.iso(), "2026-11");
        assert_eq!(YearMonth::parse("2026-11"), Some(nov));
        assert_eq!(YearMonth::parse("2026-13"), None);
        assert_eq!(YearMonth::parse("26-11"), None);
        assert_eq!(nov.days().count(), 30);
        assert_eq!(nov.last_day(), d(2026, 11, 30));
        let (start, end) = nov.unix_range();
        assert_eq!(end - start, 30 * SECONDS_PER_DAY);
        assert_eq!(YearMonth::from_unix(start), nov);
        assert_eq!(YearMonth::from_unix(end - 1), nov);
        assert_eq!(YearMonth::from_unix(end), nov.next());
    }

    #[test]
    fn moments_read_in_the_viewers_zone() {
        let t = d(2026, 12, 1).start_unix() + 16 * 3600 + 5 * 60;
        assert_eq!(moment_label(t, 0, 2026), "Dec 1, 16:05");
        // Two hours west of UTC is still the same day; ten hours east is the next.
        assert_eq!(moment_label(t, -120, 2026), "Dec 1, 14:05");
        assert_eq!(moment_label(t, 600, 2026), "Dec 2, 02:05");
        assert_eq!(moment_label(t, 0, 2025), "Dec 1 2026, 16:05");
        assert_eq!(utc_label(t), "2026-12-01 16:05 UTC");
    }

    #[test]
    fn rfc3339_reads_the_providers_forms() {
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
        assert_eq!(parse_rfc3339("2022-01-01 00:00:00"), Some(1_640_995_200));
        assert_eq!(format_rfc3339(1_747_385_132), "2025-05-16T08:45:32Z");
        for bad in [
            "07-02-2025 02:02 PM",
            "text",
            "2026-02-31T00:00:00Z",
            "2026-+1-05T00:00:00Z",
            "2026-01-05T24:00:00Z",
            "2026-01-05T10:60:00Z",
            "2026-01-05T10:00:00.Z",
            "2026-01-05T10:00:00+2:00",
            "2026-01-05T10:00:00+02:0a",
            "2026-01-05T10:00:00+24:00",
            "2026-01-05T10-00-00Z",
            "2026-01-05T10:00:00ZZ",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert_eq!(CivilDate::parse("2026-+1-05"), None);
        assert_eq!(YearMonth::parse("2026-+1"), None);
        assert_eq!(d(2024, 2, 28).days_until(d(2024, 3, 1)), 2);
        assert_eq!(d(2025, 12, 31).days_until(d(2026, 1, 1)), 1);
    }

    /// Days, dates and validity agree with the `time` crate over two thousand years around 1970.
    #[test]
    fn dates_agree_with_the_time_crate() {
        use time::{Date, Month};
        const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;
        for days in (-400_000i64..400_000).step_by(37) {
            let ours = CivilDate::from_days(days);
            let theirs = Date::from_julian_day((days + UNIX_EPOCH_JULIAN_DAY) as i32).unwrap();
            assert_eq!(
                (ours.year, ours.month, ours.day),
                (theirs.year(), u8::from(theirs.month()), theirs.day()),
                "day {days}"
            );
            assert_eq!(ours.to_days(), days);
        }
        for year in [1600, 1700, 1900, 1999, 2000, 2023, 2024, 2025, 2100, 2400] {
            for month in 0..=13u8 {
                for day in 0..=32u8 {
                    let theirs = Month::try_from(month)
                        .ok()
                        .and_then(|m| Date::from_calendar_date(year, m, day).ok());
                    let ours = CivilDate::new(year, month, day);
                    assert_eq!(ours.is_some(), theirs.is_some(), "{year}-{month}-{day}");
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    assert_eq!(CivilDate::parse(&text), ours, "{text}");
                }
            }
        }
    }

    /// RFC 3339 reading and writing agree with the `time` crate on generated moments, offsets and
    /// fractions, and both refuse the same impossible times.
    #[test]
    fn rfc3339_agrees_with_the_time_crate() {
        use time::format_description::well_known::Rfc3339;
        use time::{OffsetDateTime, UtcOffset};
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let unix = (next() % 8_000_000_000) as i64 - 2_000_000_000;
            let offset_minutes = (next() % (2 * 14 * 60 + 1)) as i32 - 14 * 60;
            let offset = UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap();
            let moment = OffsetDateTime::from_unix_timestamp(unix)
                .unwrap()
                .to_offset(offset);
            let text = moment.format(&Rfc3339).unwrap();
            assert_eq!(parse_rfc3339(&text), Some(unix), "{text}");
            let utc = OffsetDateTime::from_unix_timestamp(unix).unwrap();
            assert_eq!(format_rfc3339(unix), utc.format(&Rfc3339).unwrap());
        }
        for _ in 0..20_000 {
            let (y, mo, d) = (1990 + next() % 60, next() % 14, next() % 33);
            let (h, mi, s) = (next() % 26, next() % 62, next() % 60);
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
            let theirs = OffsetDateTime::parse(&text, &Rfc3339)
                .ok()
                .map(|t| t.unix_timestamp());
            assert_eq!(parse_rfc3339(&text), theirs, "{text}");
        }
    }
}
