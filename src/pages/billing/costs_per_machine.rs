//! Cost so far per machine and volume, from the transactions' `linked_instance`: in the chosen
//! month and over each one's whole life.

use cloudpane_api::billing::costs::InstanceCost;
use cloudpane_api::billing::LinkedInstance;
use leptos::prelude::*;

use super::load::Inventory;

#[component]
pub fn CostsPerMachine(
    costs: Vec<InstanceCost>,
    inventory: Inventory,
    #[prop(into)] month_label: String,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="machine-costs-caption">
            <table class="costs-per-machine">
                <caption id="machine-costs-caption">"Cost so far per machine and volume"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"Tags"</th>
                        <th scope="col" class="num">{month_label}</th>
                        <th scope="col" class="num">"Whole life"</th>
                    </tr>
                </thead>
                <tbody>
                    {if costs.is_empty() {
                        view! { <tr><td colspan="5" class="muted">"No charges are linked to a machine or volume."</td></tr> }.into_any()
                    } else {
                        costs.into_iter().map(|c| {
                            let linked = LinkedInstance { kind: c.kind.clone(), id: c.id.clone(), deleted: None };
                            let label = inventory.label_of(&linked);
                            let name = match inventory.href_of(&linked) {
                                Some(href) => view! { <a href=crate::base_path::app_href(&href)>{label}</a> }.into_any(),
                                None => view! { <span class="muted">{label}</span> }.into_any(),
                            };
                            let tags = inventory.tags_of(&c.kind, &c.id).join(", ");
                            view! {
                                <tr data-id=c.id.clone()>
                                    <th scope="row">{name}</th>
                                    <td>{c.kind.label().to_string()}</td>
                                    <td>{if tags.is_empty() { "—".to_string() } else { tags }}</td>
                                    <td class="num">{c.month.to_cents_string()}</td>
                                    <td class="num">{c.lifetime.to_cents_string()}</td>
                                </tr>
                            }
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}
