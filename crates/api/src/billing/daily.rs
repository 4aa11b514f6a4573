//! Spending per day of a month, by kind: each charge is spread over the days it covers, in
//! proportion to the time it covers in each (a charge from 22:00 to 02:00 puts half on each
//! day), to the millionth of a dollar, the parts adding up exactly to the charge.

use super::{Entry, SpendKind};
use crate::calendar::{CivilDate, YearMonth, SECONDS_PER_DAY};
use crate::Money;

/// One day's spending, by [`SpendKind`] (indexed by [`SpendKind::index`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySpend {
    pub date: CivilDate,
    pub by_kind: [Money; 3],
}

impl DaySpend {
    pub fn total(&self) -> Money {
        self.by_kind.iter().copied().sum()
    }

    pub fn of(&self, kind: SpendKind) -> Money {
        self.by_kind[kind.index()]
    }
}

/// A month's spending, day by day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailySpending {
    pub month: YearMonth,
    /// Every day of the month, in order, days without spending included.
    pub days: Vec<DaySpend>,
}

impl DailySpending {
    pub fn total_of(&self, kind: SpendKind) -> Money {
        self.days.iter().map(|d| d.of(kind)).sum()
    }

    pub fn total(&self) -> Money {
        self.days.iter().map(DaySpend::total).sum()
    }

    /// The largest day's total (for the chart's scale); zero when nothing was spent.
    pub fn largest_day(&self) -> Money {
        self.days
            .iter()
            .map(DaySpend::total)
            .max()
            .unwrap_or(Money::ZERO)
            .max(Money::ZERO)
    }
}

/// The chart's dollar axis for days up to `largest`: a round step (1, 2 or 5 times a power of
/// ten, in cents at least) and the number of steps (at least one) that reach `largest`.
pub fn axis_step(largest: Money) -> (Money, u32) {
    let cents = (largest.micros().max(0) + 9_999) / 10_000;
    if cents == 0 {
        return (Money::from_micros(10_000), 1);
    }
    // At most five steps.
    let rough = (cents + 4) / 5;
    let mut power = 1i64;
    while power * 10 <= rough {
        power *= 10;
    }
    let step = [1, 2, 5, 10]
        .into_iter()
        .map(|f| f * power)
        .find(|s| *s >= rough)
        .unwrap_or(10 * power);
    let steps = ((cents + step - 1) / step).max(1) as u32;
    (Money::from_micros(step * 10_000), steps)
}

/// Spreads `micros` over `[from, to)` by the seconds that fall on each day: `(day, micros)`
/// parts that add up to exactly `micros` (the last part takes what rounding left).
pub fn spread_over_days(micros: i64, from: i64, to: i64) -> Vec<(CivilDate, i64)> {
    if to <= from {
        return vec![(CivilDate::from_unix(from), micros)];
    }
    let span = i128::from(to - from);
    let mut parts = Vec::new();
    let mut given = 0i64;
    let mut start = from;
    while start < to {
        let day = CivilDate::from_unix(start);
        let end = (day.start_unix() + SECONDS_PER_DAY).min(to);
        let part = if end == to {
            micros - given
        } else {
            (i128::from(micros) * i128::from(end - from) / span) as i64 - given
        };
        given += part;
        parts.push((day, part));
        start = end;
    }
    parts
}

/// What the month's transactions spent each day, by kind. A charge's amount is its
/// `period_amount` (its part inside the month), spread over the month's part of its
/// `[creation, completion)`; without one, its whole amount spread over its whole time, the days
/// outside the month left out.
/// Deposits are not spending; payouts count against their kind.
pub fn daily_spending(entries: &[Entry], month: YearMonth) -> DailySpending {
    let mut days: Vec<DaySpend> = month
        .days()
        .map(|date| DaySpend {
            date,
            by_kind: [Money::ZERO; 3],
        })
        .collect();
    let (month_start, month_end) = month.unix_range();
    for e in entries {
        let Some(kind) = e.kind.spend_kind() else {
            continue;
        };
        let Some(created) = e.created else {
            continue;
        };
        let completed = e.completed.unwrap_or(created).max(created);
        // The period amount is the month's part: spread it over the month's part of the
        // charge's time. Without it, the whole charge is spread and the month keeps its days.
        let (amount, from, to) = match (e.period_amount, e.amount) {
            (Some(part), _) => {
                let from = created.clamp(month_start, month_end - 1);
                (part, from, completed.clamp(from, month_end))
            }
            (None, Some(whole)) => (whole, created, completed),
            (None, None) => continue,
        };
        for (date, micros) in spread_over_days(-amount.micros(), from, to) {
            let index = usize::try_from(date.to_days() - month.first_day().to_days());
            if let Some(day) = index.ok().and_then(|i| days.get_mut(i)) {
                day.by_kind[kind.index()] = day.by_kind[kind.index()] + Money::from_micros(micros);
            }
        }
    }
    DailySpending { month, days }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::TransactionKind;

    fn date(y: i32, m: u8, d: u8) -> CivilDate {
        CivilDate::new(y, m, d).unwrap()
    }

    fn at(d: CivilDate, hour: i64) -> i64 {
        d.start_unix() + hour * 3600
    }

    fn entry(kind: TransactionKind, amount: &str, from: i64, to: i64) -> Entry {
        Entry {
            id: format!("{from}"),
            amount: Money::parse(amount),
            period_amount: None,
            created: Some(from),
            completed: Some(to),
            kind,
            linked: None,
        }
    }

    #[test]
    fn a_charge_is_spread_by_the_time_it_covers_each_day() {
        let nov3 = date(2026, 11, 3);
        // 22:00 to 04:00: two hours on the 3rd, four on the 4th.
        let parts = spread_over_days(6_000_000, at(nov3, 22), at(nov3, 28));
        assert_eq!(parts, [(nov3, 2_000_000), (date(2026, 11, 4), 4_000_000)]);
        // Thirds that do not divide evenly still add up to the whole.
        let parts = spread_over_days(1_000_000, at(nov3, 0), at(nov3, 72));
        assert_eq!(parts.len(), 3);
        assert_eq!(parts.iter().map(|p| p.1).sum::<i64>(), 1_000_000);
        assert_eq!(parts[0].1, 333_333);
        // A moment (no duration) falls on its day.
        assert_eq!(spread_over_days(5, at(nov3, 5), at(nov3, 5)), [(nov3, 5)]);
    }

    #[test]
    fn days_add_up_by_kind_and_deposits_are_not_spending() {
        let nov = YearMonth::new(2026, 11).unwrap();
        let d1 = date(2026, 11, 1);
        let d30 = date(2026, 11, 30);
        let entries = [
            entry(TransactionKind::VmCharge, "-24", at(d1, 0), at(d1, 24)),
            entry(
                TransactionKind::BareMetalCharge,
                "-35.2",
                at(d1, 12),
                at(d1, 36),
            ),
            entry(
                TransactionKind::StorageCharge,
                "-0.1",
                at(d30, 23),
                at(d30, 24),
            ),
            entry(TransactionKind::VmPayout, "4", at(d1, 6), at(d1, 6)),
            entry(TransactionKind::Deposit, "1000", at(d1, 1), at(d1, 1)),
            // The part of October's charge that ran into November is November's, not the
            // part before.
            entry(TransactionKind::VmCharge, "-10", at(d1, -5), at(d1, 5)),
        ];
        let daily = daily_spending(&entries, nov);
        assert_eq!(daily.days.len(), 30);
        let m = |s| Money::parse(s).unwrap();
        assert_eq!(daily.days[0].of(SpendKind::Vms), m("24") - m("4") + m("5"));
        assert_eq!(daily.days[0].of(SpendKind::BareMetal), m("17.6"));
        assert_eq!(daily.days[1].of(SpendKind::BareMetal), m("17.6"));
        assert_eq!(daily.days[29].of(SpendKind::Storage), m("0.1"));
        assert_eq!(daily.days[15].total(), Money::ZERO);
        assert_eq!(daily.total_of(SpendKind::BareMetal), m("35.2"));
        assert_eq!(daily.total(), m("25") + m("35.2") + m("0.1"));
        assert_eq!(daily.largest_day(), m("42.6"));
    }

    #[test]
    fn the_axis_steps_are_round_and_reach_the_largest_day() {
        let m = |s| Money::parse(s).unwrap();
        assert_eq!(axis_step(m("987.65")), (m("200"), 5));
        assert_eq!(axis_step(m("1000")), (m("200"), 5));
        assert_eq!(axis_step(m("1000.01")), (m("500"), 3));
        assert_eq!(axis_step(m("42.6")), (m("10"), 5));
        assert_eq!(axis_step(m("0.03")), (m("0.01"), 3));
        assert_eq!(axis_step(Money::ZERO), (m("0.01"), 1));
        for cents in [1i64, 7, 99, 100, 101, 12_345, 99_999_999] {
            let largest = Money::from_micros(cents * 10_000);
            let (step, n) = axis_step(largest);
            assert!(step * n >= largest, "{cents}");
            assert!(n <= 5, "{cents}: {n} steps");
        }
    }

    #[test]
    fn the_period_amount_is_what_the_month_spent() {
        let nov = YearMonth::new(2026, 11).unwrap();
        let d1 = date(2026, 11, 1);
        let mut e = entry(TransactionKind::VmCharge, "-10", at(d1, -5), at(d1, 5));
        e.period_amount = Money::parse("-5");
        let daily = daily_spending(&[e], nov);
        assert_eq!(daily.total(), Money::parse("5").unwrap());
        // Nothing readable: nothing counted, nothing failed.
        let mut none = entry(TransactionKind::VmCharge, "x", at(d1, 1), at(d1, 2));
        none.amount = None;
        assert_eq!(daily_spending(&[none], nov).total(), Money::ZERO);
    }
}
