use cloudpane_api::voltagepark::{gpu_model_label, gpu_models, CapacityOrder, CapacityRow};
use leptos::prelude::*;

/// Which GPU to show and in what order.
#[component]
pub fn CapacityControls(
    rows: Vec<CapacityRow>,
    gpu_filter: RwSignal<String>,
    order: RwSignal<CapacityOrder>,
) -> impl IntoView {
    let models = gpu_models(&rows);
    let order_value = move || order.get().slug();
    let set_order =
        move |ev: leptos::ev::Event| order.set(CapacityOrder::from_slug(&event_target_value(&ev)));
    view! {
        <div class="table-controls">
            <label for="capacity-gpu">"GPU"</label>
            <select id="capacity-gpu" prop:value=move || gpu_filter.get()
                on:change=move |ev| gpu_filter.set(event_target_value(&ev))>
                <option value="">"All GPUs"</option>
                {models
                    .into_iter()
                    .map(|m| {
                        // Selected as drawn too: a filter from the address is set before its
                        // option exists.
                        let chosen = gpu_filter.get_untracked() == m;
                        view! { <option value=m.clone() selected=chosen>{gpu_model_label(&m)}</option> }
                    })
                    .collect_view()}
            </select>
            <label for="capacity-order">"Sort by"</label>
            <select id="capacity-order" prop:value=order_value on:change=set_order>
                {[
                    (CapacityOrder::Listed, "Location"),
                    (CapacityOrder::CheapestFirst, "Cheapest $/GPU-hour"),
                    (CapacityOrder::MostGpusFirst, "Most GPUs free"),
                ]
                .into_iter()
                .map(|(o, label)| view! { <option value=o.slug() selected=order.get_untracked() == o>{label}</option> })
                .collect_view()}
            </select>
        </div>
    }
}

/// The capacity of each hostnode: one row per GPU model.
#[component]
pub fn CapacityTable(rows: Vec<CapacityRow>) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Capacity by location">
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
                            let label = if row.region.is_empty() || row.region == row.city {
                                row.city.clone()
                            } else {
                                format!("{}, {}", row.city, row.region)
                            };
                            let href = crate::base_path::app_href(&cloudpane_api::url::href("/locations", &row.location_id));
                            let place = view! { <a href=href>{label}</a> };
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
        </div>
    }
}
