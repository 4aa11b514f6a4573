//! The API token's expiry: checking the date a user picks before enabling, and reading the
//! expiry Octos gives back (`"07-02-2025 02:02 PM"`) only to warn. The text is always shown as
//! Octos wrote it; the reading below says which order of day and month it assumed.

pub use crate::calendar::CivilDate as Day;

/// Checks the expiry date chosen before enabling: empty is "never expires" (`Ok(None)`); a
/// date must be after `today` (Octos refuses today and earlier). Returns the `YYYY-MM-DD` text
/// to send, or the reason in words.
pub fn check_chosen_expiry(input: &str, today: Day) -> Result<Option<String>, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let Some(day) = Day::parse(input) else {
        return Err(format!(
            "\u{201c}{input}\u{201d} is not a date: pick one, or leave the field empty for a token that never expires."
        ));
    };
    if day <= today {
        return Err(format!(
            "{} is not in the future: pick a day after today ({}), or leave the field empty for a token that never expires.",
            day.iso(),
            today.iso()
        ));
    }
    Ok(Some(day.iso()))
}

/// Which order of the numbers an expiry was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// `MM-DD-YYYY`, as the document's example (`07-02-2025`) is assumed to be.
    MonthDayYear,
    /// `DD-MM-YYYY`: used only when the first number cannot be a month (`25-02-2026`).
    DayMonthYear,
    /// `YYYY-MM-DD`.
    YearMonthDay,
}

impl Reading {
    pub fn words(self) -> &'static str {
        match self {
            Reading::MonthDayYear => "month-day-year",
            Reading::DayMonthYear => "day-month-year",
            Reading::YearMonthDay => "year-month-day",
        }
    }
}

/// What an expiry means today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiry {
    /// No expiry: the token works until API access is disabled.
    Never,
    /// The day, how it was read, and whole days left (0: today, negative: past).
    On {
        day: Day,
        reading: Reading,
        days_left: i64,
    },
    /// Text that is not a date in any reading: shown as given, no warning possible.
    Unreadable,
}

impl Expiry {
    /// A warning to show beside the expiry, if one is due: expired, or expiring within a week.
    /// It says which reading it assumed, since Octos does not.
    pub fn warning(&self) -> Option<String> {
        let Expiry::On {
            day,
            reading,
            days_left,
        } = self
        else {
            return None;
        };
        let read = format!("(read as {}: {})", reading.words(), day.iso());
        match *days_left {
            d if d < 0 => Some(format!(
                "This token has expired {read}: scripts using it are refused. Rotate it or enable API access again."
            )),
            0 => Some(format!(
                "This token expires today {read}: rotate it before scripts stop working."
            )),
            d if d <= 7 => Some(format!(
                "This token expires in {} {read}: rotate it before scripts stop working.",
                crate::words::count(d as usize, "day", "days")
            )),
            _ => None,
        }
    }
}

/// Reads Octos's `expires_at` (`"07-02-2025 02:02 PM"`, or `null`) relative to `today`. The
/// date part is read as month-day-year; only when that is impossible as day-month-year; a
/// leading four-digit year as year-month-day. Any time after the date is ignored (the warning
/// is by day).
pub fn read_expiry(text: Option<&str>, today: Day) -> Expiry {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Expiry::Never;
    };
    let date = text.split([' ', 'T']).next().unwrap_or_default();
    let nums: Vec<&str> = date.split(['-', '/', '.']).collect();
    let [a, b, c] = nums[..] else {
        return Expiry::Unreadable;
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(a) && all_digits(b) && all_digits(c)) {
        return Expiry::Unreadable;
    }
    let (Ok(a), Ok(b), Ok(c)) = (a.parse::<i32>(), b.parse::<u8>(), c.parse::<i32>()) else {
        return Expiry::Unreadable;
    };
    let small = |n: i32| u8::try_from(n).ok();
    let found = if a >= 1000 {
        small(c)
            .and_then(|c| Day::new(a, b, c))
            .map(|d| (d, Reading::YearMonthDay))
    } else {
        small(a).and_then(|a| {
            Day::new(c, a, b)
                .map(|d| (d, Reading::MonthDayYear))
                .or_else(|| Day::new(c, b, a).map(|d| (d, Reading::DayMonthYear)))
        })
    };
    match found {
        Some((day, reading)) => Expiry::On {
            day,
            reading,
            days_left: today.days_until(day),
        },
        None => Expiry::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Day {
        Day::new(y, m, d).unwrap()
    }

    #[test]
    fn the_documents_example_is_month_day_year() {
        let today = day(2025, 6, 30);
        let e = read_expiry(Some("07-02-2025 02:02 PM"), today);
        assert_eq!(
            e,
            Expiry::On {
                day: day(2025, 7, 2),
                reading: Reading::MonthDayYear,
                days_left: 2
            }
        );
        let w = e.warning().unwrap();
        assert!(w.contains("expires in 2 days"), "{w}");
        assert!(w.contains("read as month-day-year: 2025-07-02"), "{w}");
    }

    #[test]
    fn expired_today_later_never_and_unreadable() {
        let today = day(2026, 11, 26);
        let past = read_expiry(Some("11-25-2026 11:59 PM"), today);
        assert!(past.warning().unwrap().contains("has expired"));
        let now = read_expiry(Some("11-26-2026 11:59 PM"), today);
        assert!(now.warning().unwrap().contains("expires today"));
        let week = read_expiry(Some("12-03-2026 11:59 PM"), today);
        assert!(week.warning().unwrap().contains("in 7 days"));
        let later = read_expiry(Some("12-04-2026 11:59 PM"), today);
        assert!(matches!(later, Expiry::On { days_left: 8, .. }));
        assert_eq!(later.warning(), None);
        assert_eq!(read_expiry(None, today), Expiry::Never);
        assert_eq!(read_expiry(Some("  "), today), Expiry::Never);
        assert_eq!(read_expiry(Some("soon"), today), Expiry::Unreadable);
        assert_eq!(read_expiry(Some("13-13-2026"), today), Expiry::Unreadable);
        assert_eq!(Expiry::Unreadable.warning(), None);
    }

    #[test]
    fn other_orders_say_which_reading_they_used() {
        let today = day(2026, 2, 20);
        let dmy = read_expiry(Some("25-02-2026 10:00 AM"), today);
        assert!(matches!(
            dmy,
            Expiry::On {
                reading: Reading::DayMonthYear,
                days_left: 5,
                ..
            }
        ));
        assert!(dmy.warning().unwrap().contains("day-month-year"));
        let iso = read_expiry(Some("2026-02-21T00:00:00Z"), today);
        assert!(matches!(
            iso,
            Expiry::On {
                reading: Reading::YearMonthDay,
                days_left: 1,
                ..
            }
        ));
        // Across a leap day and a year end.
        assert_eq!(day(2024, 2, 28).days_until(day(2024, 3, 1)), 2);
        assert_eq!(day(2025, 12, 31).days_until(day(2026, 1, 1)), 1);
    }

    #[test]
    fn a_chosen_expiry_must_be_after_today() {
        let today = day(2026, 11, 26);
        assert_eq!(check_chosen_expiry("", today), Ok(None));
        assert_eq!(
            check_chosen_expiry("2026-12-31", today),
            Ok(Some("2026-12-31".into()))
        );
        assert!(check_chosen_expiry("2026-11-26", today)
            .unwrap_err()
            .contains("not in the future"));
        assert!(check_chosen_expiry("2025-01-01", today).is_err());
        assert!(check_chosen_expiry("2026-02-30", today)
            .unwrap_err()
            .contains("not a date"));
    }
}
