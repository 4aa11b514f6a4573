//! Billing: what the account spends per hour now, its balance, the billing log and the monthly
//! reports. The arithmetic on them lives in [`crate::billing`].
//!
//! Voltage Park has no balance endpoint: the balance is the current month's report's
//! `balance_at_period_end` ([`MonthlyReport::balance`]).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::bearer;
use crate::billing::filter::TransactionFilter;
use crate::billing::{Entry, LinkedInstance, TransactionKind};
use crate::calendar::parse_rfc3339;
use crate::money::lenient_money;
use crate::request::{ApiRequest, Method};
use crate::url::path;
use crate::Money;
use crate::PageRequest;
use crate::Rows;

/// Answer of `GET /api/v1/billing/hourly-rate`: what all active rentals cost per hour together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourlyRate {
    pub rate_hourly: Money,
}

/// Answer of `GET /api/v1/billing/reports/{year}/{month}/transactions`.
///
/// Amounts the document's example holds as `"text"` are kept as unknown (`None`) rather than
/// failing the whole report; a transaction that cannot be read is kept apart ([`Rows`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthlyReport {
    #[serde(default)]
    pub transactions: Rows<Transaction>,
    #[serde(default, with = "lenient_money")]
    pub balance_at_period_start: Option<Money>,
    #[serde(default, with = "lenient_money")]
    pub balance_delta_in_period: Option<Money>,
    #[serde(default, with = "lenient_money")]
    pub balance_at_period_end: Option<Money>,
}

/// One entry of the billing log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    pub id: String,
    #[serde(default, with = "lenient_money")]
    pub total_amount: Option<Money>,
    /// ISO 8601, e.g. `2025-05-16T08:45:32.108Z`.
    #[serde(default)]
    pub timestamp_creation: Option<String>,
    #[serde(default)]
    pub timestamp_completion: Option<String>,
    #[serde(default)]
    pub details: Option<TransactionDetails>,
    /// The part of `total_amount` that falls into the reported period.
    #[serde(default, with = "lenient_money")]
    pub period_amount: Option<Money>,
    /// Fields the document does not describe.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a transaction was for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionDetails {
    /// `charge`, `payout`, `stripe_deposit`, `storage_charge`, `storage_payout`,
    /// `baremetal_charge`, `baremetal_payout` or `other` (provider-docs/NOTES.md).
    #[serde(rename = "type")]
    pub kind: String,
    /// The machine or volume charged, as the provider describes it (its shape varies with
    /// the kind of instance).
    #[serde(default)]
    pub linked_instance: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MonthlyReport {
    /// The account's balance: what was left at the end of the report's period (for the
    /// current month: now). `None` when the provider sent no readable amount.
    pub fn balance(&self) -> Option<Money> {
        self.balance_at_period_end
    }
}

impl Transaction {
    /// The provider's note on it, meant for the customer (`note_public`): live answers (Aug 2026)
    /// carry one on transactions of type `other`. Read from the details or the transaction.
    pub fn note(&self) -> Option<&str> {
        let in_details = self
            .details
            .as_ref()
            .and_then(|d| d.extra.get("note_public"));
        in_details
            .or_else(|| self.extra.get("note_public"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty())
    }

    /// The transaction read: timestamps in seconds, its kind and what it is linked to.
    pub fn entry(&self) -> Entry {
        let details = self.details.as_ref();
        Entry {
            id: self.id.clone(),
            amount: self.total_amount,
            period_amount: self.period_amount,
            created: self.timestamp_creation.as_deref().and_then(parse_rfc3339),
            completed: self.timestamp_completion.as_deref().and_then(parse_rfc3339),
            kind: details.map_or(TransactionKind::Other, |d| {
                TransactionKind::from_detail_type(&d.kind)
            }),
            linked: details
                .and_then(|d| d.linked_instance.as_ref())
                .and_then(LinkedInstance::read),
        }
    }
}

/// The largest page of transactions asked for at once (the document sets no maximum).
pub const TRANSACTIONS_PAGE_MAX: u32 = 100;

/// `GET /api/v1/billing/transactions`: one page of the billing log, newest first, filtered by
/// `types` (the parameter repeated for each), `earliest` and `latest` (`YYYY-MM-DD`).
pub fn transactions(token: &str, filter: &TransactionFilter, page: PageRequest) -> ApiRequest {
    let mut req = bearer(Method::Get, "/api/v1/billing/transactions", token)
        .query("limit", page.limit.clamp(1, TRANSACTIONS_PAGE_MAX))
        .query("offset", page.offset);
    for t in &filter.types {
        req = req.query("types", t.query_value());
    }
    if let Some(d) = filter.earliest {
        req = req.query("earliest", d.iso());
    }
    if let Some(d) = filter.latest {
        req = req.query("latest", d.iso());
    }
    req
}

/// `GET /api/v1/billing/hourly-rate`: the current rate of all active rentals.
pub fn hourly_rate(token: &str) -> ApiRequest {
    bearer(Method::Get, "/api/v1/billing/hourly-rate", token)
}

/// `GET /api/v1/billing/reports/{year}/{month}/transactions`: a month's billing log and
/// balances. `month` is 1 to 12; ask for the current month to learn the balance.
pub fn monthly_report(token: &str, year: u16, month: u8) -> ApiRequest {
    bearer(
        Method::Get,
        path(
            "/api/v1/billing/reports/{}/{}/transactions",
            &[&year.to_string(), &month.to_string()],
        ),
        token,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_response, Provider};

    /// The response example of the monthly billing log in voltage-park-on-demand-api.txt.
    const DOC_REPORT: &str = r#"{
      "transactions": [
        {
          "id": "123e4567-e89b-12d3-a456-426614174000",
          "total_amount": "text",
          "timestamp_creation": "2025-05-16T08:45:32.108Z",
          "timestamp_completion": "2025-05-16T08:45:32.108Z",
          "details": {
            "type": "charge",
            "linked_instance": {
              "type": "virtual_machine_instance",
              "id": "123e4567-e89b-12d3-a456-426614174000",
              "virtual_machine_id": "123e4567-e89b-12d3-a456-426614174000",
              "timestamp_creation": "2025-05-16T08:45:32.108Z",
              "timestamp_deletion": "2025-05-16T08:45:32.108Z"
            }
          },
          "period_amount": "text"
        }
      ],
      "balance_at_period_start": "text",
      "balance_delta_in_period": "text",
      "balance_at_period_end": "text"
    }"#;

    #[test]
    fn reads_the_documented_hourly_rate() {
        let rate: HourlyRate =
            read_response(Provider::VoltagePark, 200, r#"{"rate_hourly": "2.500000"}"#).unwrap();
        assert_eq!(rate.rate_hourly, Money::parse("2.5").unwrap());
    }

    #[test]
    fn reads_the_documented_report_and_its_balance() {
        let report: MonthlyReport = read_response(Provider::VoltagePark, 200, DOC_REPORT).unwrap();
        let t = &report.transactions.read[0];
        assert_eq!(t.details.as_ref().unwrap().kind, "charge");
        assert_eq!(
            t.details
                .as_ref()
                .unwrap()
                .linked_instance
                .as_ref()
                .unwrap()["type"],
            "virtual_machine_instance"
        );
        // The example's amounts are placeholders.
        assert_eq!(t.total_amount, None);
        assert_eq!(report.balance(), None);

        let real = DOC_REPORT
            .replace(
                r#""total_amount": "text""#,
                r#""total_amount": "-12.500000""#,
            )
            .replace(
                r#""balance_at_period_end": "text""#,
                r#""balance_at_period_end": "487.500000""#,
            );
        let report: MonthlyReport = serde_json::from_str(&real).unwrap();
        assert_eq!(report.balance(), Money::parse("487.5"));
        assert_eq!(
            report.transactions.read[0].total_amount,
            Money::parse("-12.5")
        );
    }

    #[test]
    fn the_transactions_list_repeats_types_and_sends_dates() {
        use crate::billing::{CivilDate, TypeFilter};
        let filter = TransactionFilter {
            types: vec![TypeFilter::VirtualMachine, TypeFilter::Baremetal],
            earliest: CivilDate::new(2024, 10, 1),
            latest: CivilDate::new(2024, 10, 26),
            page: 2,
        };
        let req = transactions("tok", &filter, filter.page_request());
        assert_eq!(req.path, "/api/v1/billing/transactions");
        assert_eq!(
            req.path_and_query(),
            "/api/v1/billing/transactions?limit=25&offset=25&types=virtual_machine&types=baremetal&earliest=2024-10-01&latest=2024-10-26"
        );
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
        let all = transactions(
            "tok",
            &TransactionFilter::default(),
            PageRequest::first(500),
        );
        assert_eq!(
            all.path_and_query(),
            "/api/v1/billing/transactions?limit=100&offset=0"
        );
    }

    #[test]
    fn a_documented_transaction_reads_as_an_entry() {
        let real = DOC_REPORT.replace(
            r#""total_amount": "text""#,
            r#""total_amount": "-12.500000""#,
        );
        let report: MonthlyReport = serde_json::from_str(&real).unwrap();
        let e = report.transactions.read[0].entry();
        assert_eq!(e.kind, TransactionKind::VmCharge);
        assert_eq!(e.amount, Money::parse("-12.5"));
        assert_eq!(e.period_amount, None);
        assert_eq!(e.created, Some(1_747_385_132));
        let linked = e.linked.clone().unwrap();
        assert_eq!(linked.id, "123e4567-e89b-12d3-a456-426614174000");
        assert_eq!(e.spent(), Money::parse("12.5").unwrap());
    }

    /// Transactions as live answers (Aug 2026) have them: `linked_instance` variants (a VM by
    /// `virtual_machine_id`, a rental by `baremetal_rental_id`, a volume of type
    /// `storage_block_instance`) and `type: "other"` with `note_public`.
    #[test]
    fn reads_the_live_transaction_variants() {
        use crate::billing::LinkedKind;
        let live = r#"{"results": [
          {"id": "t1", "total_amount": "-15.270000", "timestamp_creation": "2026-08-03T10:00:00Z",
           "details": {"type": "charge", "linked_instance": {"type": "virtual_machine_instance",
             "id": "inst-1", "virtual_machine_id": "vm-1"}}},
          {"id": "t2", "total_amount": "-17.600000", "timestamp_creation": "2026-08-03T11:00:00Z",
           "details": {"type": "baremetal_charge", "linked_instance": {"type": "baremetal_rental_instance",
             "id": "inst-2", "baremetal_rental_id": "r-1"}}},
          {"id": "t3", "total_amount": "-0.017408", "timestamp_creation": "2026-08-03T12:00:00Z",
           "details": {"type": "storage_charge", "linked_instance": {"type": "storage_block_instance",
             "id": "vol-1"}}},
          {"id": "t4", "total_amount": "25.000000", "timestamp_creation": "2026-08-04T09:00:00Z",
           "details": {"type": "other", "note_public": "Credit for the Aug 2 outage", "linked_instance": null}}
        ], "total_result_count": 4, "has_previous": false, "has_next": false}"#;
        let page: crate::Page<Value> = read_response(Provider::VoltagePark, 200, live).unwrap();
        let rows = Rows::<Transaction>::from_values(page.results);
        assert!(rows.unreadable.is_empty());
        let linked: Vec<_> = rows
            .read
            .iter()
            .map(|t| t.entry().linked.map(|l| (l.kind, l.id)))
            .collect();
        assert_eq!(
            linked,
            [
                Some((LinkedKind::Vm, "vm-1".to_string())),
                Some((LinkedKind::BareMetal, "r-1".to_string())),
                Some((LinkedKind::Storage, "vol-1".to_string())),
                None
            ]
        );
        assert_eq!(rows.read[3].entry().kind, TransactionKind::Other);
        assert_eq!(rows.read[3].note(), Some("Credit for the Aug 2 outage"));
        assert_eq!(rows.read[0].note(), None);
    }

    #[test]
    fn requests_use_the_documented_paths_and_bearer() {
        let req = hourly_rate("tok");
        assert_eq!(req.path, "/api/v1/billing/hourly-rate");
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
        let req = monthly_report("tok", 2024, 10);
        assert_eq!(req.method, Method::Get);
        assert_eq!(req.path, "/api/v1/billing/reports/2024/10/transactions");
    }
}
