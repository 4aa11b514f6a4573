//! `/billing`: the burn and the balance's runway, the transactions, the monthly report with its
//! chart, costs per machine and per tag, and the comparison with the month before.

use cloudpane_api::billing::filter::TransactionFilter;
use cloudpane_api::billing::YearMonth;
use cloudpane_api::Provider;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::burn_and_runway::BurnAndRunway;
use super::load::{load_all_transactions, load_balance, load_inventory, this_month};
use super::monthly_report::MonthlyReportSection;
use super::transactions::Transactions;
use crate::components::{ErrorPanel, Freshness, Loading, NoAccount, PageHeader, RefreshLine};
use crate::state::use_app;

/// The page's URL for a transactions filter and a report month (defaults left out).
pub fn billing_url(filter: &TransactionFilter, month: YearMonth) -> String {
    let mut q = filter.to_query();
    if month != this_month() {
        q.push(("month", month.iso()));
    }
    cloudpane_api::url::with_query("/billing", &q)
}

/// Every read of the page listens to this: Refresh (or `r`) reads them all again.
#[derive(Clone, Copy)]
pub struct BillingRefresh(pub RwSignal<u32>);

/// Tracks the page's Refresh, where there is one (the sections are also shown alone in tests).
pub fn track_refresh() {
    if let Some(BillingRefresh(n)) = use_context::<BillingRefresh>() {
        n.track();
    }
}

#[component]
pub fn BillingPage() -> impl IntoView {
    let state = use_app();
    let query = use_query_map();
    let (initial_filter, initial_month) = query.with_untracked(|q| {
        (
            TransactionFilter::from_query(|k| q.get(k)),
            q.get("month")
                .and_then(|m| YearMonth::parse(&m))
                .unwrap_or_else(this_month),
        )
    });
    let filter = RwSignal::new(initial_filter);
    let month = RwSignal::new(initial_month);
    // The filters and the month live in the URL, so a link or a reload shows the same view.
    Effect::new(move |_| {
        let url = billing_url(&filter.get(), month.get());
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&crate::base_path::app_href(&url)),
            );
        }
    });

    let retry = RwSignal::new(0u32);
    let refreshes = BillingRefresh(RwSignal::new(0));
    provide_context(refreshes);
    let freshness = Freshness::new();
    let balance = LocalResource::new(move || {
        retry.track();
        track_refresh();
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            freshness.started();
            let read = load_balance(&connection, &account.token).await;
            freshness.arrived(&read);
            Some(read)
        }
    });
    let inventory = LocalResource::new(move || {
        track_refresh();
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            Some(load_inventory(&connection, &account).await)
        }
    });
    let lifetime = LocalResource::new(move || {
        track_refresh();
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            Some(
                load_all_transactions(&connection, &account.token, &TransactionFilter::default())
                    .await
                    // Whole-life costs from what could be read (the log itself lists the rest).
                    .map(|rows| rows.read),
            )
        }
    });
    let inventory = Signal::derive(move || inventory.get().flatten().unwrap_or_default());
    let lifetime = Signal::derive(move || lifetime.get().flatten());
    let has_account = move || state.account_for(Provider::VoltagePark).is_some();

    let burn = move || match balance.get() {
        None => view! { <Loading what="the hourly rate and the balance"/> }.into_any(),
        Some(None) => ().into_any(),
        Some(Some(Err(error))) => {
            view! { <ErrorPanel error on_retry=move |()| retry.update(|n| *n += 1)/> }.into_any()
        }
        Some(Some(Ok(balance))) => view! { <BurnAndRunway balance inventory/> }.into_any(),
    };

    view! {
        <section class="billing-page">
            <PageHeader acting_as=Provider::VoltagePark title="Billing"
                summary="Voltage Park's prepaid balance: what is spent per hour now and how long the balance lasts, the transactions, and each month's spending."/>
            <Show when=has_account fallback=|| view! { <NoAccount provider=Provider::VoltagePark/> }>
                <RefreshLine freshness what="the balance, the transactions and the reports"
                    on_refresh=Callback::new(move |()| refreshes.0.update(|n| *n += 1))/>
                {burn}
                <MonthlyReportSection month inventory lifetime/>
                <Transactions filter inventory/>
            </Show>
        </section>
    }
}
