//! Billing (`/billing`): the hourly burn and the balance's runway, transactions with filters in
//! the URL and a CSV export, the monthly report with its chart of spending by day, costs per
//! machine and per tag, and the comparison with the month before.

mod burn_and_runway;
mod costs_per_machine;
mod costs_per_tag;
mod load;
mod month_compare;
mod monthly_report;
mod page;
mod runway_warning;
mod spending_chart;
mod transactions;

pub use page::{billing_url, BillingPage};
pub use runway_warning::RunwayWarning;
pub use spending_chart::{day_readout, SpendingChart};
