//! A Voltage Park location's own page (`/locations/:id`) and a hostnode's (`/hostnodes/:id`):
//! what is free there now and at what price, read straight from `GET /locations/{id}` and
//! `GET /hostnodes/{id}`.

use cloudpane_api::voltagepark::locations::{get_hostnode, get_location};
use cloudpane_api::voltagepark::{gpu_model_label, HostNode, Location};
use cloudpane_api::Provider;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::{ErrorPanel, Facts, Loading, NoAccount, PageHeader};
use crate::state::use_app;
use crate::transport;

#[component]
pub fn LocationPage() -> impl IntoView {
    let state = use_app();
    let params = use_params_map();
    let location = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            Some(transport::send::<Location>(&connection, &get_location(&account.token, &id)).await)
        }
    });
    let has_account = move || state.account_for(Provider::VoltagePark).is_some();
    view! {
        <PageHeader acting_as=Provider::VoltagePark title="Location" summary="Voltage Park: a location's hostnodes, what is free on each and what it costs."/>
        <p><a href=crate::base_path::app_href("/locations")>"← All locations"</a>" · "<a href=crate::base_path::app_href("/deploy")>"Deploy"</a></p>
        <Show when=has_account fallback=|| view! { <NoAccount provider=Provider::VoltagePark/> }>
            {move || match location.get() {
                None | Some(None) => view! { <Loading what="the location"/> }.into_any(),
                Some(Some(Err(error))) => view! { <ErrorPanel error on_retry=move |_| location.refetch()/> }.into_any(),
                Some(Some(Ok(l))) => view! {
                    <h2>{l.label()}</h2>
                    <Facts rows=vec![
                        ("City", l.city.clone()),
                        ("Region", l.region.clone()),
                        ("Country", l.country.clone()),
                        ("Hostnodes with capacity", l.hostnodes.len().to_string()),
                        ("Id", l.id.clone()),
                    ]/>
                    <HostnodeTable hostnodes=l.hostnodes/>
                }.into_any(),
            }}
        </Show>
    }
}

#[component]
fn HostnodeTable(hostnodes: Vec<HostNode>) -> impl IntoView {
    if hostnodes.is_empty() {
        return view! { <p class="empty" role="status">"No hostnode here has capacity right now."</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Hostnodes">
            <table class="data-table">
                <thead><tr>
                    <th scope="col">"Hostnode"</th>
                    <th scope="col">"GPUs free"</th>
                    <th scope="col" class="num">"vCPUs free"</th>
                    <th scope="col" class="num">"RAM free"</th>
                    <th scope="col" class="num">"Storage free"</th>
                </tr></thead>
                <tbody>
                    {hostnodes.into_iter().map(|h| {
                        let gpus = gpu_text(&h);
                        let short: String = h.id.chars().take(8).collect();
                        view! {
                            <tr>
                                <td><a href=crate::base_path::app_href(&cloudpane_api::url::href("/hostnodes", &h.id))>{format!("Hostnode {short}")}</a></td>
                                <td>{gpus}</td>
                                <td class="num">{h.available_resources.vcpu_count}</td>
                                <td class="num">{format!("{} GB", h.available_resources.ram_gb)}</td>
                                <td class="num">{format!("{} GB", h.available_resources.storage_gb)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn gpu_text(h: &HostNode) -> String {
    let offers = h.gpu_offers();
    if offers.is_empty() {
        return "none".into();
    }
    offers
        .into_iter()
        .map(|(model, count, price)| {
            let price = price.map_or("no price".to_string(), |p| {
                format!("{}/GPU-hour", p.to_rate_string())
            });
            format!("{count} × {} · {price}", gpu_model_label(&model))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[component]
pub fn HostnodePage() -> impl IntoView {
    let state = use_app();
    let params = use_params_map();
    let hostnode = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            Some(transport::send::<HostNode>(&connection, &get_hostnode(&account.token, &id)).await)
        }
    });
    let has_account = move || state.account_for(Provider::VoltagePark).is_some();
    view! {
        <PageHeader acting_as=Provider::VoltagePark title="Hostnode" summary="Voltage Park: one hostnode's free resources and prices."/>
        <Show when=has_account fallback=|| view! { <NoAccount provider=Provider::VoltagePark/> }>
            {move || match hostnode.get() {
                None | Some(None) => view! { <Loading what="the hostnode"/> }.into_any(),
                Some(Some(Err(error))) => view! { <ErrorPanel error on_retry=move |_| hostnode.refetch()/> }.into_any(),
                Some(Some(Ok(h))) => {
                    let p = &h.pricing;
                    view! {
                        <p><a href=crate::base_path::app_href(&cloudpane_api::url::href("/locations", &h.location_id))>"← Its location"</a></p>
                        <Facts rows=vec![
                            ("GPUs free", gpu_text(&h)),
                            ("vCPUs free", h.available_resources.vcpu_count.to_string()),
                            ("RAM free", format!("{} GB", h.available_resources.ram_gb)),
                            ("Storage free", format!("{} GB", h.available_resources.storage_gb)),
                            ("Per vCPU-hour", p.per_vcpu_hr.to_string()),
                            ("Per GB of RAM per hour", p.per_gb_ram_hr.to_string()),
                            ("Per GB of disk per hour", p.per_gb_storage_hr.to_string()),
                            ("Ports free", h.available_ports.len().to_string()),
                            ("Id", h.id.clone()),
                        ]/>
                    }.into_any()
                }
            }}
        </Show>
    }
}
