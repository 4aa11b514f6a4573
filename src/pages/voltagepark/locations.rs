use cloudpane_api::voltagepark::{
    capacity_rows, gpu_model_label, list_locations, CapacityRow, Location, LOCATIONS_PAGE_MAX,
};
use cloudpane_api::{Page, PageRequest, Provider};
use leptos::prelude::*;

use crate::components::{ErrorPanel, Loading, PageHeader};
use crate::state::use_app;
use crate::transport;

/// Voltage Park locations and the capacity and prices of their hostnodes.
#[component]
pub fn LocationsPage() -> impl IntoView {
    let state = use_app();
    let page = RwSignal::new(PageRequest::first(LOCATIONS_PAGE_MAX));
    let locations = LocalResource::new(move || {
        let request = page.get();
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (Some(connection), Some(account)) = (connection, account) else {
                return None;
            };
            Some(
                transport::send::<Page<Location>>(
                    &connection,
                    &list_locations(&account.token, request),
                )
                .await,
            )
        }
    });
    let has_account = move || state.account_for(Provider::VoltagePark).is_some();

    view! {
        <PageHeader title="Locations" summary="Voltage Park: where GPUs are free right now and what they cost per GPU-hour."/>
        <Show when=has_account fallback=|| view! { <NoAccount provider=Provider::VoltagePark/> }>
            {move || match locations.get() {
                None | Some(None) => view! { <Loading what="locations"/> }.into_any(),
                Some(Some(Err(error))) => {
                    view! { <ErrorPanel error on_retry=move |_| locations.refetch()/> }.into_any()
                }
                Some(Some(Ok(result))) => view! { <LocationsResult result page/> }.into_any(),
            }}
        </Show>
    }
}

#[component]
fn LocationsResult(result: Page<Location>, page: RwSignal<PageRequest>) -> impl IntoView {
    if result.results.is_empty() && !result.has_previous {
        return view! {
            <p class="empty" role="status">"Voltage Park reports no locations with capacity right now. Check again later."</p>
        }
        .into_any();
    }
    let rows = capacity_rows(&result.results);
    let label = page
        .get_untracked()
        .range_label(result.results.len(), result.total_result_count);
    view! {
        <CapacityTable rows/>
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

/// The capacity of each hostnode: one row per GPU model.
#[component]
pub fn CapacityTable(rows: Vec<CapacityRow>) -> impl IntoView {
    view! {
        <table class="data-table">
            <caption class="visually-hidden">"Voltage Park capacity by location and hostnode"</caption>
            <thead>
                <tr>
                    <th scope="col">"Location"</th>
                    <th scope="col">"Country"</th>
                    <th scope="col">"GPU"</th>
                    <th scope="col" class="num">"GPUs free"</th>
                    <th scope="col" class="num">"$/GPU-hour"</th>
                    <th scope="col" class="num">"vCPUs free"</th>
                    <th scope="col" class="num">"RAM free"</th>
                    <th scope="col" class="num">"Storage free"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let place = if row.region.is_empty() || row.region == row.city {
                            row.city.clone()
                        } else {
                            format!("{}, {}", row.city, row.region)
                        };
                        match row.gpu_model {
                            Some(model) => view! {
                                <tr>
                                    <td>{place}</td>
                                    <td>{row.country}</td>
                                    <td>{gpu_model_label(&model)}</td>
                                    <td class="num">{row.gpus_free}</td>
                                    <td class="num">{row.per_gpu_hour.map_or("—".to_string(), |m| m.to_cents_string())}</td>
                                    <td class="num">{row.vcpus_free}</td>
                                    <td class="num">{format!("{} GB", row.ram_gb_free)}</td>
                                    <td class="num">{format!("{} GB", row.storage_gb_free)}</td>
                                </tr>
                            }
                            .into_any(),
                            None => view! {
                                <tr class="no-capacity">
                                    <td>{place}</td>
                                    <td>{row.country}</td>
                                    <td colspan="6">"No GPUs free at this location"</td>
                                </tr>
                            }
                            .into_any(),
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// Shown when a page needs an account of `provider` and there is none.
#[component]
pub fn NoAccount(provider: Provider) -> impl IntoView {
    view! {
        <p class="empty" role="status">
            {format!("Add a {provider} account to see this page. ")}
            <a href="/accounts">"Add an account"</a>
        </p>
    }
}
