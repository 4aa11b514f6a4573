use cloudpane_api::machines::{MachineFilter, MachineKind, MachineState};
use cloudpane_api::Provider;
use leptos::prelude::*;

use super::fleet::Fleet;
use super::page::ROWS_PER_STEP;

/// Provider, status, kind, tag and free text. Every change shows the first rows again.
#[component]
pub fn FilterBar(filter: RwSignal<MachineFilter>, limit: RwSignal<usize>) -> impl IntoView {
    let fleet = expect_context::<Fleet>();
    let tags = move || {
        fleet.machines.with(|m| {
            let mut tags: Vec<String> = m.iter().flat_map(|m| m.tags.iter().cloned()).collect();
            tags.sort();
            tags.dedup();
            tags
        })
    };
    let change = move |f: &dyn Fn(&mut MachineFilter)| {
        filter.update(|filter| f(filter));
        limit.set(ROWS_PER_STEP);
    };
    view! {
        <form class="filter-bar" role="search" aria-label="Filter machines" on:submit=|ev| ev.prevent_default()>
            <label for="filter-text">"Search"</label>
            <input id="filter-text" type="search" placeholder="name, address, GPU, tag…"
                prop:value=move || filter.with(|f| f.text.clone())
                on:input=move |ev| { let v = event_target_value(&ev); change(&|f| f.text = v.clone()) }/>
            <label for="filter-provider">"Provider"</label>
            <select id="filter-provider" prop:value=move || filter.with(|f| f.provider.map(|p| p.slug()).unwrap_or_default())
                on:change=move |ev| { let v = event_target_value(&ev); change(&|f| f.provider = v.parse::<Provider>().ok()) }>
                <option value="">"All"</option>
                {Provider::ALL.iter().map(|p| view! { <option value=p.slug()>{p.display_name()}</option> }).collect_view()}
            </select>
            <label for="filter-status">"Status"</label>
            <select id="filter-status" prop:value=move || filter.with(|f| f.state.map(|s| s.slug()).unwrap_or_default())
                on:change=move |ev| { let v = event_target_value(&ev); change(&|f| f.state = MachineState::from_slug(&v)) }>
                <option value="">"All"</option>
                {MachineState::ALL.iter().map(|s| view! { <option value=s.slug()>{s.label()}</option> }).collect_view()}
            </select>
            <label for="filter-kind">"Kind"</label>
            <select id="filter-kind" prop:value=move || filter.with(|f| f.kind.map(|k| k.slug()).unwrap_or_default())
                on:change=move |ev| { let v = event_target_value(&ev); change(&|f| f.kind = MachineKind::from_slug(&v)) }>
                <option value="">"All"</option>
                {MachineKind::ALL.iter().map(|k| view! { <option value=k.slug()>{k.label()}</option> }).collect_view()}
            </select>
            <label for="filter-tag">"Tag"</label>
            <select id="filter-tag" prop:value=move || filter.with(|f| f.tag.clone().unwrap_or_default())
                on:change=move |ev| { let v = event_target_value(&ev); change(&|f| f.tag = (!v.is_empty()).then(|| v.clone())) }>
                <option value="">"All"</option>
                {move || tags().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
            </select>
            {move || (!filter.with(MachineFilter::is_empty)).then(|| view! {
                <button type="button" on:click=move |_| change(&|f| *f = MachineFilter::default())>"Clear filters"</button>
            })}
        </form>
    }
}
