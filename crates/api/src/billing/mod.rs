//! The billing page's arithmetic, in exact [`Money`]: transaction kinds, spending per day,
//! the balance's runway, costs per machine and per tag, month-on-month comparison, the
//! transactions filter kept in the URL, and the CSV export.
//!
//! Everything reads [`Entry`]: one Voltage Park transaction with its timestamps, kind and
//! linked instance already read ([`crate::voltagepark::billing::Transaction::entry`]).

pub mod compare;
pub mod costs;
pub mod csv;
pub mod daily;
pub mod filter;
pub mod kinds;
pub mod runway;

pub use crate::calendar::{CivilDate, YearMonth};
pub use kinds::{Direction, LinkedInstance, LinkedKind, SpendKind, TransactionKind, TypeFilter};

use crate::Money;

/// One transaction, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    /// The whole amount; negative for a charge. `None` when the provider sent no amount.
    pub amount: Option<Money>,
    /// The part of `amount` inside a monthly report's period.
    pub period_amount: Option<Money>,
    /// Seconds since 1970.
    pub created: Option<i64>,
    pub completed: Option<i64>,
    pub kind: TransactionKind,
    pub linked: Option<LinkedInstance>,
}

impl Entry {
    /// What it cost: the charge as a positive amount, a payout as a negative one; zero for a
    /// deposit or an unreadable amount.
    pub fn spent(&self) -> Money {
        match (self.kind.spend_kind(), self.amount) {
            (Some(_), Some(a)) => Money::ZERO - a,
            _ => Money::ZERO,
        }
    }
}
