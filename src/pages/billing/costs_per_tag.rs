//! Cost so far per tag: the machines carrying each tag, in the chosen month and over their
//! whole lives.

use cloudpane_api::billing::costs::{costs_per_tag, InstanceCost};
use leptos::prelude::*;

use super::load::Inventory;

#[component]
pub fn CostsPerTag(
    costs: Vec<InstanceCost>,
    inventory: Inventory,
    #[prop(into)] month_label: String,
) -> impl IntoView {
    let rows = costs_per_tag(&costs, |c| inventory.tags_of(&c.kind, &c.id));
    view! {
        <table class="costs-per-tag">
            <caption>"Cost so far per tag"</caption>
            <thead>
                <tr>
                    <th scope="col">"Tag"</th>
                    <th scope="col" class="num">"Machines"</th>
                    <th scope="col" class="num">{month_label}</th>
                    <th scope="col" class="num">"Whole life"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <th scope="row">{r.tag.unwrap_or_else(|| "No tag (volumes, machines no longer listed)".into())}</th>
                        <td class="num">{r.instances}</td>
                        <td class="num">{r.month.to_cents_string()}</td>
                        <td class="num">{r.lifetime.to_cents_string()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <p class="help">"A machine with several tags counts under each, so the rows can add up to more than the whole."</p>
    }
}
