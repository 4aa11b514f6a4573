//! A month's spending beside the month before, by kind.

use super::daily::DailySpending;
use super::SpendKind;
use crate::Money;

/// One line of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `None` for the total.
    pub kind: Option<SpendKind>,
    pub this_month: Money,
    pub previous_month: Money,
}

impl Change {
    pub fn difference(&self) -> Money {
        self.this_month - self.previous_month
    }

    /// `+12.5%`, `-3.0%`, `no change`; `new` when the previous month spent nothing.
    pub fn percent_label(&self) -> String {
        let (now, before) = (self.this_month.micros(), self.previous_month.micros());
        if before == 0 {
            return if now == 0 {
                "no change".into()
            } else {
                "new".into()
            };
        }
        // Tenths of a percent, rounded half away from zero, in integers.
        let diff = i128::from(now - before) * 1000;
        let b = i128::from(before.abs());
        let tenths = (diff.abs() + b / 2) / b;
        if tenths == 0 {
            return "no change".into();
        }
        let sign = if diff < 0 { "-" } else { "+" };
        format!("{sign}{}.{}%", tenths / 10, tenths % 10)
    }

    /// `up`, `down` or `same`, for words beside the arrow.
    pub fn direction_word(&self) -> &'static str {
        match self.this_month.cmp(&self.previous_month) {
            std::cmp::Ordering::Greater => "up",
            std::cmp::Ordering::Less => "down",
            std::cmp::Ordering::Equal => "same",
        }
    }
}

/// Each kind, then the total, this month against the previous.
pub fn compare_months(this: &DailySpending, previous: &DailySpending) -> Vec<Change> {
    let mut rows: Vec<Change> = SpendKind::ALL
        .into_iter()
        .map(|kind| Change {
            kind: Some(kind),
            this_month: this.total_of(kind),
            previous_month: previous.total_of(kind),
        })
        .collect();
    rows.push(Change {
        kind: None,
        this_month: this.total(),
        previous_month: previous.total(),
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::daily::daily_spending;
    use crate::billing::{Entry, TransactionKind, YearMonth};

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn change(now: &str, before: &str) -> Change {
        Change {
            kind: None,
            this_month: m(now),
            previous_month: m(before),
        }
    }

    #[test]
    fn percentages_are_exact_tenths() {
        assert_eq!(change("112.5", "100").percent_label(), "+12.5%");
        assert_eq!(change("97", "100").percent_label(), "-3.0%");
        assert_eq!(change("100", "100").percent_label(), "no change");
        assert_eq!(change("100.0001", "100").percent_label(), "no change");
        assert_eq!(change("5", "0").percent_label(), "new");
        assert_eq!(change("0", "0").percent_label(), "no change");
        assert_eq!(change("2", "3").percent_label(), "-33.3%");
        assert_eq!(change("2", "3").difference(), m("-1"));
        assert_eq!(change("2", "3").direction_word(), "down");
    }

    #[test]
    fn compares_each_kind_and_the_total() {
        let nov = YearMonth::new(2026, 11).unwrap();
        let oct = nov.previous();
        let charge = |kind, amount: &str, month: YearMonth| Entry {
            id: amount.into(),
            amount: Money::parse(amount),
            period_amount: None,
            created: Some(month.unix_range().0 + 3600),
            completed: Some(month.unix_range().0 + 7200),
            kind,
            linked: None,
        };
        let this = daily_spending(
            &[
                charge(TransactionKind::VmCharge, "-30", nov),
                charge(TransactionKind::StorageCharge, "-1", nov),
            ],
            nov,
        );
        let before = daily_spending(&[charge(TransactionKind::VmCharge, "-20", oct)], oct);
        let rows = compare_months(&this, &before);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].kind, Some(SpendKind::Vms));
        assert_eq!(rows[0].percent_label(), "+50.0%");
        assert_eq!(rows[1].percent_label(), "no change");
        assert_eq!(rows[2].percent_label(), "new");
        assert_eq!(
            (rows[3].this_month, rows[3].previous_month),
            (m("31"), m("20"))
        );
    }
}
