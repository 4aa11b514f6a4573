//! How long the prepaid balance lasts at the current hourly burn, as a duration and a date, and
//! whether it is under the 48-hour hold a new deploy needs (the deploy forms' rule,
//! [`crate::estimate::check_balance`]).

use crate::calendar::moment_label;
use crate::estimate::{check_balance, runway_text, HOLD_HOURS};
use crate::Money;

/// The balance's runway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runway {
    /// Nothing is billed per hour: the balance is not being spent.
    NotSpending,
    /// The balance is zero or below.
    Exhausted,
    Lasts {
        /// Whole seconds the balance lasts at the rate.
        seconds: i64,
        /// When it runs out, in seconds since 1970.
        until: i64,
    },
}

impl Runway {
    /// `balance` at `hourly` per hour, from `now` (seconds since 1970).
    pub fn of(balance: Money, hourly: Money, now: i64) -> Runway {
        if hourly.micros() <= 0 {
            return Runway::NotSpending;
        }
        if balance.micros() <= 0 {
            return Runway::Exhausted;
        }
        let seconds = (i128::from(balance.micros()) * 3600 / i128::from(hourly.micros())) as i64;
        Runway::Lasts {
            seconds,
            until: now + seconds,
        }
    }

    /// Whole hours left; `None` when not spending.
    pub fn hours(self) -> Option<u64> {
        match self {
            Runway::NotSpending => None,
            Runway::Exhausted => Some(0),
            Runway::Lasts { seconds, .. } => Some((seconds / 3600) as u64),
        }
    }

    /// `lasts 6 days 4 hours, until Dec 1, 16:00`, the date in the zone `offset_minutes` east
    /// of UTC.
    pub fn sentence(self, offset_minutes: i32, this_year: i32) -> String {
        match self {
            Runway::NotSpending => "not being spent: nothing is billed by the hour now".into(),
            Runway::Exhausted => "used up: add funds before anything else runs".into(),
            Runway::Lasts { seconds, until } => format!(
                "lasts {}, until {}",
                runway_text((seconds / 3600) as u64),
                moment_label(until, offset_minutes, this_year)
            ),
        }
    }
}

/// True when the balance cannot hold 48 hours of the current rate: a new deploy would be
/// refused, and the balance runs out within two days.
pub fn under_hold(balance: Money, hourly: Money) -> bool {
    hourly.micros() > 0 && !check_balance(balance, hourly, Money::ZERO).covers
}

/// What a new deploy needs held at the current rate (48 hours of it).
pub fn hold_now(hourly: Money) -> Money {
    hourly * HOLD_HOURS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::CivilDate;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn runway_is_a_duration_and_a_date() {
        let now = CivilDate::new(2026, 11, 25).unwrap().start_unix() + 12 * 3600;
        // $148 at $1/hour: 148 hours = 6 days 4 hours, until Dec 1, 16:00.
        let r = Runway::of(m("148"), m("1"), now);
        assert_eq!(r.hours(), Some(148));
        assert_eq!(
            r.sentence(0, 2026),
            "lasts 6 days 4 hours, until Dec 1, 16:00"
        );
        // Exact to the second: $1 at $2.50/hour is 24 minutes.
        assert_eq!(
            Runway::of(m("1"), m("2.5"), now),
            Runway::Lasts {
                seconds: 1440,
                until: now + 1440
            }
        );
        assert_eq!(
            Runway::of(m("1"), m("2.5"), now).sentence(0, 2026),
            "lasts less than an hour, until Nov 25, 12:24"
        );
        assert_eq!(Runway::of(m("10"), Money::ZERO, now), Runway::NotSpending);
        assert_eq!(Runway::of(m("-3"), m("1"), now), Runway::Exhausted);
        assert_eq!(Runway::of(m("-3"), m("1"), now).hours(), Some(0));
    }

    #[test]
    fn spending_a_day_shrinks_the_runway_by_a_day() {
        let now = CivilDate::new(2026, 11, 25).unwrap().start_unix();
        let rate = m("41.37");
        let before = Runway::of(m("30000"), rate, now).hours().unwrap();
        let after = Runway::of(m("30000") - rate * 24, rate, now + 86_400)
            .hours()
            .unwrap();
        assert_eq!(before - after, 24);
    }

    #[test]
    fn the_warning_uses_the_deploy_forms_48_hour_rule() {
        assert!(!under_hold(m("96"), m("2")));
        assert!(under_hold(m("95.99"), m("2")));
        assert!(!under_hold(m("5"), Money::ZERO));
        assert_eq!(hold_now(m("2")), m("96"));
    }
}
