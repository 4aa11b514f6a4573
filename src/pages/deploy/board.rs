//! The capacity board (`/deploy`): the person says what they need and sees every way to get it
//! right now, cheapest first, each with a Deploy link to the right form, filled in.

use cloudpane_api::deploy_board::{board, gpu_models, Need, Offer, OfferKind};
use cloudpane_api::voltagepark::gpu_model_label;
use cloudpane_api::Provider;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::catalog::{use_catalog, Catalog, UnreadableCatalog};
use crate::components::{ErrorPanel, Loading, NoAccount, PageHeader};
use crate::state::use_app;

#[component]
pub fn DeployBoardPage() -> impl IntoView {
    let state = use_app();
    let catalog = use_catalog();
    let has_account = move || state.account_for(Provider::VoltagePark).is_some();
    // Kept here, so a refresh of the catalog keeps what the person asked for; and in the
    // address, so Back and a reload do too.
    let query = use_query_map();
    let need = RwSignal::new(query.with_untracked(|q| Need::from_query(|k| q.get(k))));
    Effect::new(move |_| {
        let url = need.with(|n| cloudpane_api::url::with_query("/deploy", &n.to_query()));
        crate::pages::replace_address(&url);
    });
    view! {
        <PageHeader acting_as=Provider::VoltagePark title="Deploy" summary="Voltage Park: where the GPUs you need can start right now, cheapest first, with the price before anything else."/>
        <Show when=has_account fallback=|| view! { <NoAccount provider=Provider::VoltagePark/> }>
            {move || match catalog.get() {
                None | Some(None) => view! { <Loading what="presets and bare-metal locations"/> }.into_any(),
                Some(Some(Err(error))) => view! { <ErrorPanel error on_retry=move |_| catalog.refetch()/> }.into_any(),
                Some(Some(Ok(found))) => {
                    let found = StoredValue::new(found);
                    view! {
                        <NeedForm need models=found.with_value(|c| gpu_models(&c.presets, &c.bare_metal))/>
                        {move || found.with_value(|c| view! { <Offers catalog=c.clone() need=need.get()/> })}
                        <UnreadableCatalog catalog=found.get_value()/>
                        <p class="help">
                            <button type="button" class="link" on:click=move |_| catalog.refetch()>"Check again"</button>
                            " Capacity changes by the minute; each form checks the price again before you deploy."
                        </p>
                    }
                    .into_any()
                }
            }}
        </Show>
    }
}

/// What the person needs: GPU model, how many GPUs, InfiniBand or not.
#[component]
fn NeedForm(need: RwSignal<Need>, models: Vec<String>) -> impl IntoView {
    let gpus_text = RwSignal::new(need.get_untracked().gpus.to_string());
    let gpus_error = move || {
        let text = gpus_text.get();
        match text.trim().parse::<u32>() {
            Ok(n) if n >= 1 => None,
            _ => Some("Enter a whole number of GPUs, 1 or more."),
        }
    };
    view! {
        <form class="need-form" aria-label="What you need" on:submit=|ev| ev.prevent_default()>
            <div>
                <label for="need-gpu">"GPU model"</label>
                <select id="need-gpu" on:change=move |ev| {
                    let model = event_target_value(&ev);
                    need.update(|n| n.gpu_model = (!model.is_empty()).then_some(model));
                }>
                    <option value="">"Any model"</option>
                    {models.into_iter().map(|m| {
                        let label = gpu_model_label(&m);
                        view! { <option value=m.clone() selected=need.get_untracked().gpu_model.as_deref() == Some(m.as_str())>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="need-gpus">"GPUs"</label>
                <input id="need-gpus" type="number" min="1" step="1" inputmode="numeric" bind:value=gpus_text
                    aria-invalid=move || gpus_error().is_some().to_string() aria-describedby="need-gpus-error"
                    on:input=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                            if n >= 1 { need.update(|x| x.gpus = n); }
                        }
                    }/>
                <p id="need-gpus-error" class="field-error" hidden=move || gpus_error().is_none()>{gpus_error}</p>
            </div>
            <label class="inline">
                <input type="checkbox" prop:checked=move || need.with(|n| n.infiniband)
                    on:change=move |ev| need.update(|n| n.infiniband = event_target_checked(&ev))/>
                "InfiniBand between nodes (bare metal only)"
            </label>
        </form>
    }
}

/// The offers for the need, or what comes closest.
#[component]
fn Offers(catalog: Catalog, need: Need) -> impl IntoView {
    let result = board(&need, &catalog.presets, &catalog.bare_metal);
    let asked = need_text(&need);
    if result.offers.is_empty() {
        return view! {
            <section aria-labelledby="closest-title">
                <p class="empty" role="status"><span aria-hidden="true">"∅ "</span>{format!("Nothing can start with {asked} right now.")}</p>
                {(!result.closest.is_empty()).then(|| view! {
                    <h2 id="closest-title" class="section-title">"What comes closest"</h2>
                    <OfferTable catalog=catalog.clone() offers=result.closest.iter().map(|c| (Some(c.how), c.offer.clone())).collect()/>
                })}
            </section>
        }
        .into_any();
    }
    let count = result.offers.len();
    view! {
        <p class="row-count" role="status">{format!("{} to get {asked} now, cheapest first.", cloudpane_api::words::count(count, "way", "ways"))}</p>
        <OfferTable catalog offers=result.offers.into_iter().map(|o| (None, o)).collect()/>
    }
    .into_any()
}

/// "8 × H100 SXM5 80GB on InfiniBand", "1 GPU of any model".
fn need_text(need: &Need) -> String {
    let network = if need.infiniband {
        " on InfiniBand"
    } else {
        ""
    };
    match need.gpu_model.as_deref() {
        Some(model) => format!("{} × {}{network}", need.gpus, gpu_model_label(model)),
        None => format!(
            "{} of any model{network}",
            cloudpane_api::words::count(need.gpus as usize, "GPU", "GPUs")
        ),
    }
}

#[component]
fn OfferTable(catalog: Catalog, offers: Vec<(Option<&'static str>, Offer)>) -> impl IntoView {
    let closest = offers.iter().any(|(how, _)| how.is_some());
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Ways to deploy">
            <table class="data-table offers">
                <thead><tr>
                    {closest.then(|| view! { <th scope="col">"Instead"</th> })}
                    <th scope="col">"Deploy as"</th>
                    <th scope="col">"GPUs"</th>
                    <th scope="col">"Where"</th>
                    <th scope="col" class="num">"$/hour"</th>
                    <th scope="col" class="num">"$/GPU-hour"</th>
                    <th scope="col" class="num">"$/day"</th>
                    <th scope="col" class="num">"Hold (48 h)"</th>
                    <th scope="col"><span class="visually-hidden">"Action"</span></th>
                </tr></thead>
                <tbody>
                    {offers.into_iter().map(|(how, offer)| view! { <OfferRow catalog=catalog.clone() how offer/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn OfferRow(catalog: Catalog, how: Option<&'static str>, offer: Offer) -> impl IntoView {
    let gpus = format!("{} × {}", offer.gpus, gpu_model_label(&offer.gpu_model));
    let (kind, place, href) = match &offer.kind {
        OfferKind::InstantVm {
            preset_id,
            location_ids,
            vcpus,
            ram_gb,
            ..
        } => (
            format!("Instant VM · {vcpus} vCPUs, {ram_gb} GB RAM"),
            location_ids
                .iter()
                .enumerate()
                .map(|(i, id)| view! { {(i > 0).then_some("; ")}{place_link(&catalog, id)} })
                .collect_view()
                .into_any(),
            cloudpane_api::url::with_query("/deploy/instant-vm", &[("preset", preset_id.as_str())]),
        ),
        OfferKind::BareMetal {
            location_id,
            network,
            nodes,
            gpus_per_node,
            gpus_free,
        } => (
            format!(
                "Bare metal · {} of {gpus_per_node}",
                cloudpane_api::words::count(*nodes as usize, "node", "nodes")
            ),
            view! {
                {place_link(&catalog, location_id)}
                {format!(" · {} · {gpus_free} GPUs free", network.label())}
            }
            .into_any(),
            cloudpane_api::url::with_query(
                "/deploy/bare-metal",
                &[
                    ("location", location_id.clone()),
                    ("network", network.as_str().to_string()),
                    ("gpus", offer.gpus.to_string()),
                ],
            ),
        ),
    };
    let estimate = offer.estimate();
    let money = move |f: fn(&cloudpane_api::estimate::CostEstimate) -> cloudpane_api::Money| {
        estimate
            .as_ref()
            .map_or("price not given".to_string(), |e| f(e).to_cents_string())
    };
    let per_gpu = offer
        .per_gpu_hour()
        .map_or("price not given".to_string(), |m| m.to_cents_string());
    let label = format!("Deploy {gpus} as {kind}");
    view! {
        <tr>
            {how.map(|h| view! { <td>{h}</td> })}
            <td>{kind}</td>
            <td>{gpus}</td>
            <td>{place}</td>
            <td class="num">{money(|e| e.per_hour)}</td>
            <td class="num">{per_gpu}</td>
            <td class="num">{money(|e| e.per_day)}</td>
            <td class="num">{money(|e| e.hold)}</td>
            <td>
                {if estimate.is_some() {
                    view! { <a class="button-link" href=crate::base_path::app_href(&href) aria-label=label>"Deploy"</a> }.into_any()
                } else {
                    view! { <span class="muted">"No price: not deployable here"</span> }.into_any()
                }}
            </td>
        </tr>
    }
}

/// A location's name, linking to its page.
fn place_link(catalog: &Catalog, location_id: &str) -> impl IntoView {
    let href = crate::base_path::app_href(&cloudpane_api::url::href("/locations", location_id));
    view! { <a href=href>{catalog.place(location_id)}</a> }
}
