//! A chosen month: balance at start, change and end; spending by day as a chart and a table;
//! the comparison with the month before; and what each machine and tag cost.

use cloudpane_api::billing::costs::costs_per_instance;
use cloudpane_api::billing::daily::daily_spending;
use cloudpane_api::billing::{Entry, YearMonth};
use cloudpane_api::voltagepark::billing::MonthlyReport;
use cloudpane_api::{ApiError, Money, Provider};
use leptos::prelude::*;

use super::costs_per_machine::CostsPerMachine;
use super::costs_per_tag::CostsPerTag;
use super::load::{load_report, this_month, Inventory};
use super::month_compare::MonthCompare;
use super::spending_chart::SpendingChart;
use crate::components::{ErrorPanel, Loading, UnreadableRows};
use crate::state::use_app;

/// The months offered: this one and the eleven before it.
fn month_choices() -> Vec<YearMonth> {
    std::iter::successors(Some(this_month()), |m| Some(m.previous()))
        .take(12)
        .collect()
}

fn entries(report: &MonthlyReport) -> Vec<Entry> {
    report.transactions.read.iter().map(|t| t.entry()).collect()
}

fn amount(m: Option<Money>) -> String {
    m.map_or_else(|| "unknown".to_string(), Money::to_cents_string)
}

#[component]
pub fn MonthlyReportSection(
    month: RwSignal<YearMonth>,
    #[prop(into)] inventory: Signal<Inventory>,
    /// Every transaction of the organization (for the costs over a whole life), once read.
    #[prop(into)]
    lifetime: Signal<Option<Result<Vec<Entry>, ApiError>>>,
) -> impl IntoView {
    let state = use_app();
    let retry = RwSignal::new(0u32);
    let reports = LocalResource::new(move || {
        retry.track();
        super::page::track_refresh();
        let m = month.get();
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            let (this, before) = futures::future::join(
                load_report(&connection, &account.token, m),
                load_report(&connection, &account.token, m.previous()),
            )
            .await;
            Some(this.and_then(|t| before.map(|b| (m, t, b))))
        }
    });

    let body = move || match reports.get() {
        None => view! { <Loading what="the monthly report"/> }.into_any(),
        Some(None) => ().into_any(),
        Some(Some(Err(error))) => {
            view! { <ErrorPanel error on_retry=move |()| retry.update(|n| *n += 1)/> }.into_any()
        }
        Some(Some(Ok((m, report, previous)))) => {
            let this_entries = entries(&report);
            let spending = daily_spending(&this_entries, m);
            let previous_spending = daily_spending(&entries(&previous), m.previous());
            let month_label = m.label();
            let unreadable = report.transactions.unreadable.clone();
            let unreadable_of = format!("Transactions of {month_label}");
            let costs_view = {
                let month_label = month_label.clone();
                move || {
                    let inventory = inventory.get();
                    let (all, note) = match lifetime.get() {
                        Some(Ok(all)) => (all, None),
                        Some(Err(e)) => (Vec::new(), Some(format!("The whole billing log could not be read ({e}): whole-life costs show this month only."))),
                        None => (Vec::new(), Some("Reading the whole billing log for whole-life costs…".to_string())),
                    };
                    let costs = costs_per_instance(&this_entries, &all);
                    view! {
                        {note.map(|n| view! { <p class="muted" role="status">{n}</p> })}
                        <CostsPerMachine costs=costs.clone() inventory=inventory.clone() month_label=month_label.clone()/>
                        <CostsPerTag costs inventory month_label=month_label.clone()/>
                    }
                }
            };
            view! {
                <dl class="facts billing-figures report-balances">
                    <dt>"Balance at start"</dt><dd id="report-start">{amount(report.balance_at_period_start)}</dd>
                    <dt>"Change in the month"</dt><dd id="report-delta">{amount(report.balance_delta_in_period)}</dd>
                    <dt>{if m == this_month() { "Balance now" } else { "Balance at end" }}</dt>
                    <dd id="report-end">{amount(report.balance_at_period_end)}</dd>
                    <dt>"Spent on machines and storage"</dt><dd>{spending.total().to_cents_string()}</dd>
                </dl>
                <UnreadableRows rows=unreadable of=unreadable_of/>
                <SpendingChart spending=spending.clone()/>
                <h3>"Compared with the month before"</h3>
                <MonthCompare this=spending previous=previous_spending/>
                <h3>"Cost per machine and per tag"</h3>
                {costs_view}
            }
            .into_any()
        }
    };

    view! {
        <section class="billing-report" aria-labelledby="report-title">
            <h2 id="report-title">"Monthly report"</h2>
            <label for="report-month" class="report-month">"Month"
                <select id="report-month"
                    on:change=move |ev| {
                        if let Some(m) = YearMonth::parse(&event_target_value(&ev)) {
                            month.set(m);
                        }
                    }>
                    {move || {
                        let mut choices = month_choices();
                        let chosen = month.get();
                        if !choices.contains(&chosen) {
                            choices.push(chosen);
                        }
                        choices.into_iter().map(|m| view! {
                            <option value=m.iso() selected=m == chosen>{m.label()}</option>
                        }).collect_view()
                    }}
                </select>
            </label>
            {body}
        </section>
    }
}
