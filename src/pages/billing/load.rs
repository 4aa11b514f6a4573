//! What the billing page reads from Voltage Park: the hourly rate, monthly reports, the billing
//! log, and the machines and volumes the log's lines are linked to (for their names and tags).

use cloudpane_api::billing::filter::TransactionFilter;
use cloudpane_api::billing::{Entry, LinkedInstance, LinkedKind, YearMonth};
use cloudpane_api::machines::Machine;
use cloudpane_api::voltagepark::billing::{
    hourly_rate, monthly_report, transactions, HourlyRate, MonthlyReport, Transaction,
    TRANSACTIONS_PAGE_MAX,
};
use cloudpane_api::voltagepark::storage::{list_volumes, Volume, VOLUMES_PAGE_MAX};
use cloudpane_api::{ApiError, Money, Page, Rows};
use serde_json::Value;

use crate::accounts::Account;
use crate::pages::machines::load::load_account_lists;
use crate::state::Connection;
use crate::transport;

/// Now, in seconds since 1970, by the browser's clock.
pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// The viewer's time zone, in minutes east of UTC.
pub fn local_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// The current month, UTC (what the provider's monthly reports are cut by).
pub fn this_month() -> YearMonth {
    YearMonth::from_unix(now_unix())
}

/// The current burn and balance.
#[derive(Debug, Clone, PartialEq)]
pub struct Balance {
    pub hourly: Money,
    /// The current month's `balance_at_period_end`; `None` when the report gives none.
    pub balance: Option<Money>,
}

/// Reads the hourly rate and this month's report's balance, together.
pub async fn load_balance(connection: &Connection, token: &str) -> Result<Balance, ApiError> {
    let month = this_month();
    let (rate, report) = futures::future::join(
        transport::send::<HourlyRate>(connection, &hourly_rate(token)),
        load_report(connection, token, month),
    )
    .await;
    Ok(Balance {
        hourly: rate?.rate_hourly,
        balance: report?.balance(),
    })
}

/// One month's report.
pub async fn load_report(
    connection: &Connection,
    token: &str,
    month: YearMonth,
) -> Result<MonthlyReport, ApiError> {
    transport::send(
        connection,
        &monthly_report(token, month.year as u16, month.month),
    )
    .await
}

/// One page of the billing log: its transactions (those that could not be read apart) and
/// where the page is in the log.
#[derive(Debug, Clone, PartialEq)]
pub struct TransactionsPage {
    pub rows: Rows<Transaction>,
    pub total_result_count: u64,
    pub has_next: bool,
}

/// One page of the billing log as `filter` asks.
pub async fn load_transactions_page(
    connection: &Connection,
    token: &str,
    filter: &TransactionFilter,
) -> Result<TransactionsPage, ApiError> {
    let page: Page<Value> = transport::send(
        connection,
        &transactions(token, filter, filter.page_request()),
    )
    .await?;
    Ok(TransactionsPage {
        rows: Rows::from_values(page.results),
        total_result_count: page.total_result_count,
        has_next: page.has_next,
    })
}

/// Every transaction `filter` selects, all pages (for the export and the lifetime costs),
/// those that could not be read apart.
pub async fn load_all_transactions(
    connection: &Connection,
    token: &str,
    filter: &TransactionFilter,
) -> Result<Rows<Entry>, ApiError> {
    let request = |p| transactions(token, filter, p);
    let all = transport::send_every_page(connection, &request, TRANSACTIONS_PAGE_MAX).await?;
    Ok(Rows::<Transaction>::from_values(all).map(|t| t.entry()))
}

/// The organization's machines and volumes, to name and tag what the billing log links to.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub machines: Vec<Machine>,
    pub volumes: Vec<Volume>,
}

impl Inventory {
    fn machine(&self, linked: &LinkedInstance) -> Option<&Machine> {
        matches!(linked.kind, LinkedKind::Vm | LinkedKind::BareMetal)
            .then(|| self.machines.iter().find(|m| m.id == linked.id))
            .flatten()
    }

    /// The name of what `linked` points at, when it still exists.
    pub fn name_of(&self, linked: &LinkedInstance) -> Option<String> {
        match linked.kind {
            LinkedKind::Storage => self
                .volumes
                .iter()
                .find(|v| v.id == linked.id)
                .map(|v| v.name.clone()),
            _ => self.machine(linked).map(|m| m.name.clone()),
        }
    }

    /// Its page in the console, when it has one.
    pub fn href_of(&self, linked: &LinkedInstance) -> Option<String> {
        match linked.kind {
            LinkedKind::Storage => self
                .volumes
                .iter()
                .any(|v| v.id == linked.id)
                .then(|| "/storage".to_string()),
            _ => self.machine(linked).map(Machine::detail_path),
        }
    }

    /// A machine's tags (volumes have none).
    pub fn tags_of(&self, kind: &LinkedKind, id: &str) -> Vec<String> {
        let linked = LinkedInstance {
            kind: kind.clone(),
            id: id.to_string(),
            deleted: None,
        };
        self.machine(&linked)
            .map(|m| m.tags.clone())
            .unwrap_or_default()
    }

    /// A name, or a stand-in that says the thing is gone.
    pub fn label_of(&self, linked: &LinkedInstance) -> String {
        self.name_of(linked)
            .unwrap_or_else(|| format!("{} (no longer listed)", linked.short_label()))
    }
}

/// Lists the account's machines and volumes. A part that fails is left empty: names are a
/// convenience here, the billing figures stand without them.
pub async fn load_inventory(connection: &Connection, account: &Account) -> Inventory {
    let token = account.token.clone();
    let volumes_request = |p| list_volumes(&token, p);
    let (machines, volumes) = futures::future::join(
        load_account_lists(connection, account),
        transport::send_every_page(connection, &volumes_request, VOLUMES_PAGE_MAX),
    )
    .await;
    Inventory {
        // Each list on its own: the rentals still name their costs when the VM list fails.
        machines: machines
            .into_iter()
            .filter_map(|(_, list)| list.ok())
            .flat_map(|rows| rows.read)
            .collect(),
        volumes: volumes
            .unwrap_or_default()
            .into_iter()
            .filter_map(|raw| serde_json::from_value(raw).ok())
            .collect(),
    }
}
