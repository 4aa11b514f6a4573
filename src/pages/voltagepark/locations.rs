use cloudpane_api::voltagepark::{
    arrange_capacity, capacity_rows, list_locations, CapacityOrder, CapacityView, Location,
    LOCATIONS_PAGE_MAX,
};
use cloudpane_api::{Page, PageRequest, Provider, Rows};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::capacity_table::{CapacityControls, CapacityTable};
use crate::components::{
    keep_last_good, ErrorPanel, Freshness, Loading, NoAccount, PageHeader, RefreshLine,
    StaleNotice, UnreadableRows,
};
use crate::state::use_app;
use crate::transport;

/// Voltage Park locations and the capacity and prices of their hostnodes.
#[component]
pub fn LocationsPage() -> impl IntoView {
    let state = use_app();
    // The filter, the order and the page live in the address, so Back and a reload keep them.
    let asked = use_query_map().with_untracked(|q| CapacityView::from_query(|k| q.get(k)));
    let page = RwSignal::new(PageRequest {
        offset: asked.offset,
        ..PageRequest::first(LOCATIONS_PAGE_MAX)
    });
    let reload = RwSignal::new(0u32);
    let freshness = Freshness::new();
    let locations = LocalResource::new(move || {
        reload.track();
        let request = page.get();
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (Some(connection), Some(account)) = (connection, account) else {
                return None;
            };
            freshness.started();
            let answer = transport::send::<Page<serde_json::Value>>(
                &connection,
                &list_locations(&account.token, request),
            )
            .await;
            freshness.arrived(&answer);
            // One location that cannot be read is said, and the others shown.
            Some(answer.map(|page| {
                let rows = Rows::<Location>::from_values(page.results);
                let read = Page {
                    results: rows.read,
                    total_result_count: page.total_result_count,
                    has_previous: page.has_previous,
                    has_next: page.has_next,
                };
                (read, rows.unreadable)
            }))
        }
    });
    let last = keep_last_good(move || {
        let offset = page.with_untracked(|p| p.offset);
        locations
            .get()
            .flatten()
            .map(|r| r.map(|(result, unreadable)| (result, unreadable, offset)))
    });
    let has_account = move || state.account_for(Provider::VoltagePark).is_some();
    // Kept here, so a refresh or another page keeps the user's filter and order.
    let gpu_filter = RwSignal::new(asked.gpu_model);
    let order = RwSignal::new(asked.order);
    Effect::new(move |_| {
        let view = CapacityView {
            gpu_model: gpu_filter.get(),
            order: order.get(),
            offset: page.with(|p| p.offset),
        };
        crate::pages::replace_address(&cloudpane_api::url::with_query(
            "/locations",
            &view.to_query(),
        ));
    });

    view! {
        <PageHeader acting_as=Provider::VoltagePark title="Locations" summary="Voltage Park: where GPUs are free right now and what they cost per GPU-hour."/>
        <Show when=has_account fallback=|| view! { <NoAccount provider=Provider::VoltagePark/> }>
            // Capacity changes by the minute.
            <RefreshLine freshness what="the locations" on_refresh=Callback::new(move |()| reload.update(|n| *n += 1))/>
            {move || match locations.get() {
                None | Some(None) => view! { <Loading what="locations"/> }.into_any(),
                // A failed refresh of the same page keeps its rows, saying since when and why.
                Some(Some(Err(error))) => match last.get().filter(|l| l.value.2 == page.with_untracked(|p| p.offset)) {
                    Some(good) => {
                        let (result, unreadable, _) = good.value;
                        view! {
                            <StaleNotice what="the locations" as_of=good.as_of error
                                on_retry=Callback::new(move |()| reload.update(|n| *n += 1))/>
                            <UnreadableRows rows=Signal::stored(unreadable) of="Voltage Park locations on this page"/>
                            <LocationsResult result page gpu_filter order/>
                        }
                        .into_any()
                    }
                    None => view! { <ErrorPanel error on_retry=move |_| locations.refetch()/> }.into_any(),
                },
                Some(Some(Ok((result, unreadable)))) => {
                    // Read now, so the memo holds this page when a later read fails (it is lazy).
                    last.with(|_| ());
                    view! {
                        <UnreadableRows rows=Signal::stored(unreadable) of="Voltage Park locations on this page"/>
                        <LocationsResult result page gpu_filter order/>
                    }
                    .into_any()
                }
            }}
        </Show>
    }
}

/// One page of locations: the GPU filter, the order, the capacity table and the pager.
#[component]
pub fn LocationsResult(
    result: Page<Location>,
    page: RwSignal<PageRequest>,
    gpu_filter: RwSignal<String>,
    order: RwSignal<CapacityOrder>,
) -> impl IntoView {
    if result.results.is_empty() && !result.has_previous {
        return view! {
            <p class="empty" role="status">"Voltage Park reports no locations with capacity right now. Check again later."</p>
        }
        .into_any();
    }
    let rows = StoredValue::new(capacity_rows(&result.results));
    let label = page
        .get_untracked()
        .range_label(result.results.len(), result.total_result_count);
    view! {
        <CapacityControls rows=rows.get_value() gpu_filter order/>
        {move || {
            let model = gpu_filter.get();
            let model = (!model.is_empty()).then_some(model.as_str());
            view! { <CapacityTable rows=rows.with_value(|r| arrange_capacity(r, model, order.get()))/> }
        }}
        <nav class="pager" aria-label="Locations pages">
            <button type="button" disabled=!result.has_previous on:click=move |_| page.update(|p| *p = p.previous())>
                "Previous"
            </button>
            <span aria-live="polite">{format!("Locations {label}")}</span>
            <button type="button" disabled=!result.has_next on:click=move |_| page.update(|p| *p = p.next())>
                "Next"
            </button>
        </nav>
    }
    .into_any()
}
