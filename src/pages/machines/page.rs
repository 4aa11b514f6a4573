//! `/machines`: every machine of every account in one table.

use std::collections::HashSet;

use cloudpane_api::machines::{filtered, sorted, Coverage, MachineFilter, Sort, Totals};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::action_notices::Notices;
use super::filters::FilterBar;
use super::fleet::{now_ms, Fleet};
use super::guard::stopped_but_billed;
use super::later_parts::{account_failures, action_outcomes, toolbar, ToolbarInputs};
use super::notify::Notifier;
use super::table::MachinesTable;
use crate::components::{clock_time, Freshness, LazyWidget, Loading, PageHeader, RefreshLine};
use crate::state::use_app;

/// How many rows are drawn at first; "Show more" adds as many again. Two screens' worth: a
/// keystroke in the search field redraws up to this many rows, and with 5,000 machines drawing
/// 100 took the slowest keystrokes past 60 ms (scripts/bench.sh); 50 keeps them near one frame.
pub const ROWS_PER_STEP: usize = 50;

/// The machines page.
#[component]
pub fn MachinesPage() -> impl IntoView {
    let state = use_app();
    let query = use_query_map();
    let (initial_filter, initial_sort) = query.with_untracked(|q| {
        (
            MachineFilter::from_query(|k| q.get(k)),
            q.get("sort")
                .and_then(|s| Sort::from_query(&s))
                .unwrap_or_default(),
        )
    });
    let filter = RwSignal::new(initial_filter);
    let sort = RwSignal::new(initial_sort);
    let selected = RwSignal::new(HashSet::<String>::new());
    let limit = RwSignal::new(ROWS_PER_STEP);
    let tick = RwSignal::new(now_ms());

    // The view lives in the URL, so a link or a reload shows the same rows.
    Effect::new(move |_| {
        let url = machines_url(&filter.get(), sort.get());
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&crate::base_path::app_href(&url)),
            );
        }
    });

    let fleet = Fleet::new();
    provide_context(fleet);
    fleet.refresh();
    fleet.keep_fresh(tick);
    // Re-list when accounts are added or removed.
    Effect::new(move |first: Option<()>| {
        state.accounts.all();
        if first.is_some() {
            fleet.refresh();
        }
    });
    provide_context(Notices::new());
    let notifier = Notifier::new();
    Effect::new(move |_| fleet.machines.with(|m| notifier.observe(m)));

    // Sorted when the machines or the sort change; a keystroke in the search only filters.
    let order = Memo::new(move |_| fleet.machines.with(|m| sorted(m, sort.get())));
    let rows = Memo::new(move |_| {
        fleet
            .machines
            .with(|m| order.with(|o| filter.with(|f| filtered(m, o, f))))
    });
    let totals = Memo::new(move |_| fleet.machines.with(|m| rows.with(|r| Totals::of(m, r))));
    let has_accounts = move || !state.accounts.all().is_empty();
    provide_context(ToolbarInputs {
        rows,
        selected,
        notifier,
    });

    view! {
        <PageHeader title="Machines" summary="Every machine of every account: what runs, where, what it costs, how to get in."/>
        <Show when=has_accounts fallback=|| view! {
            <p class="empty" role="status">"No accounts yet. "<a href=crate::base_path::app_href("/accounts")>"Add an account"</a>" to see its machines."</p>
        }>
            <Show when=move || fleet.loaded.get() fallback=|| view! { <Loading what="machines"/> }>
                <div class="machines-summary" aria-live="off">
                    <TotalsLine totals filter/>
                    <UpdatedLine fleet/>
                </div>
                <LazyWidget load=crate::page_loader!(account_failures)/>
                <LazyWidget load=crate::page_loader!(stopped_but_billed)/>
                <FilterBar filter limit/>
                <div class="table-toolbar">
                    <LazyWidget load=crate::page_loader!(toolbar)/>
                </div>
                <LazyWidget load=crate::page_loader!(action_outcomes)/>
                <MachinesTable rows sort selected limit filter/>
            </Show>
        </Show>
    }
}

/// "12 machines shown · $41.25/hour · $990.00/day"; a sum that leaves a list out, or counts
/// one from an older answer, says it is incomplete and which lists.
#[component]
fn TotalsLine(totals: Memo<Totals>, filter: RwSignal<MachineFilter>) -> impl IntoView {
    let fleet = expect_context::<Fleet>();
    let coverage = Memo::new(move |_| {
        let provider = filter.with(|f| f.provider);
        fleet.accounts.with(|all| Coverage::of(all, provider))
    });
    let why = move || {
        coverage.with(|c| c.explain(clock_time)).map(|why| {
            view! {
                <span class="warn-text">
                    <span aria-hidden="true">" ⚠"</span>
                    {format!(" {why}")}
                </span>
            }
        })
    };
    view! {
        <p class="totals" data-testid="totals">
            {move || {
                let t = totals.get();
                let machines = format!("{} shown", cloudpane_api::words::count(t.machines, "machine", "machines"));
                let (hourly, daily) = coverage.with(|c| (c.amount(t.hourly), c.amount(t.daily)));
                view! {
                    <span>{machines}</span>
                    " · "
                    <strong class="total-hourly">{format!("{hourly}/hour")}</strong>
                    " · "
                    <strong class="total-daily">{format!("{daily}/day")}</strong>
                    {(t.unpriced > 0).then(|| format!(" · {} without a price from their provider", t.unpriced))}
                    {why()}
                    <span class="muted">" (storage volumes are billed apart: see Billing)"</span>
                }
            }}
        </p>
    }
}

/// "Updated 12 s ago", and the Refresh button (the shared line, on the fleet's own clock).
#[component]
fn UpdatedLine(fleet: Fleet) -> impl IntoView {
    let freshness = Freshness {
        updated_at: fleet.updated_at,
        refreshing: fleet.refreshing,
    };
    view! {
        <RefreshLine freshness what="the machines list" on_refresh=Callback::new(move |()| fleet.refresh())/>
    }
}

/// `/machines?provider=voltagepark&q=train&sort=-hourly`.
pub fn machines_url(filter: &MachineFilter, sort: Sort) -> String {
    let mut q = filter.to_query();
    if sort != Sort::default() {
        q.push(("sort", sort.to_query()));
    }
    cloudpane_api::url::with_query("/machines", &q)
}
