use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use cloudpane_api::machines::{age_label, ssh_command, Machine, MachineFilter, Sort, SortColumn};
use cloudpane_api::voltagepark::gpu_model_label;
use cloudpane_api::words::count;
use leptos::prelude::*;

use super::fleet::{now_ms, Fleet};
use super::page::ROWS_PER_STEP;
use crate::components::{CopyButton, StatusBadge};

/// The machines table: sortable headers, one row per machine, a selection checkbox per row.
/// Rows are keyed by machine and content, so a refresh redraws only rows that changed and the
/// user's selection, scroll position and focus stay.
#[component]
pub fn MachinesTable(
    rows: Memo<Vec<usize>>,
    sort: RwSignal<Sort>,
    selected: RwSignal<HashSet<String>>,
    limit: RwSignal<usize>,
    filter: RwSignal<MachineFilter>,
) -> impl IntoView {
    let fleet = expect_context::<Fleet>();
    let visible = move || {
        fleet.machines.with(|m| {
            rows.with(|r| {
                r.iter()
                    .take(limit.get())
                    .map(|&i| m[i].clone())
                    .collect::<Vec<_>>()
            })
        })
    };
    let total = move || rows.with(Vec::len);
    // A performance mark, `cloudpane:machines-shown`, when rows are first drawn: scripts/bench.sh
    // measures the time from navigation to data with it.
    Effect::new(move |marked: Option<bool>| {
        marked.unwrap_or(false) || (total() > 0 && mark_machines_shown())
    });
    // Checked when every row shown is selected; no keys are built to find out.
    let all_selected = move || {
        selected.with(|s| {
            fleet
                .machines
                .with(|m| rows.with(|r| !r.is_empty() && r.iter().all(|&i| s.contains(m[i].key()))))
        })
    };
    let toggle_all = move |_| {
        let keys: Vec<String> = fleet
            .machines
            .with(|m| rows.with(|r| r.iter().map(|&i| m[i].key().to_string()).collect()));
        if all_selected() {
            selected.update(|s| {
                keys.iter().for_each(|k| {
                    s.remove(k);
                })
            });
        } else {
            selected.update(|s| s.extend(keys));
        }
    };
    let header = move |column: SortColumn| {
        let aria_sort = move || {
            let s = sort.get();
            if s.column != column {
                "none"
            } else if s.descending {
                "descending"
            } else {
                "ascending"
            }
        };
        let arrow = move || {
            let s = sort.get();
            match (s.column == column, s.descending) {
                (false, _) => "",
                (true, false) => " ▲",
                (true, true) => " ▼",
            }
        };
        let class = if column == SortColumn::Hourly {
            "num"
        } else {
            ""
        };
        view! {
            <th scope="col" aria-sort=aria_sort class=class>
                <button type="button" class="sort" on:click=move |_| sort.update(|s| *s = s.toggled(column))>
                    {column.label()}<span aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };
    view! {
        <Show when=move || { total() > 0 } fallback=move || view! {
            <p class="empty" role="status">
                {move || if filter.with(MachineFilter::is_empty) {
                    "No machines yet. Deploy one from the Deploy page."
                } else {
                    "No machine matches these filters."
                }}
            </p>
        }>
            <div class="table-scroll" role="region" aria-label="Machines table" tabindex="0">
                <table class="data-table machines">
                    <caption class="visually-hidden">
                        {move || format!("Machines: {} shown of {}", total().min(limit.get()), total())}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">
                                <input type="checkbox" aria-label="Select every machine shown"
                                    prop:checked=all_selected on:change=toggle_all/>
                            </th>
                            {header(SortColumn::Provider)}
                            {header(SortColumn::Name)}
                            {header(SortColumn::Status)}
                            {header(SortColumn::Gpus)}
                            {header(SortColumn::Location)}
                            {header(SortColumn::Hourly)}
                            {header(SortColumn::Age)}
                            {header(SortColumn::Address)}
                            <th scope="col">"SSH command"</th>
                            {header(SortColumn::Tags)}
                        </tr>
                    </thead>
                    <tbody>
                        <For each=visible key=row_key let:machine>
                            <MachineRow machine selected/>
                        </For>
                    </tbody>
                </table>
            </div>
            <p class="row-count" role="status">
                {move || {
                    let (shown, matching) = (total().min(limit.get()), total());
                    let all = fleet.machines.with(Vec::len);
                    if matching == all {
                        format!("Showing {shown} of {}", count(all, "machine", "machines"))
                    } else {
                        format!("Showing {shown} of the {matching} matching the filter ({} in all)", count(all, "machine", "machines"))
                    }
                }}
                {move || (limit.get() < total()).then(|| view! {
                    " "
                    <button type="button" on:click=move |_| limit.update(|l| *l += ROWS_PER_STEP)>
                        {format!("Show {ROWS_PER_STEP} more")}
                    </button>
                })}
            </p>
        </Show>
    }
}

fn mark_machines_shown() -> bool {
    web_sys::window()
        .and_then(|w| w.performance())
        .is_some_and(|p| p.mark("cloudpane:machines-shown").is_ok())
}

/// A row's identity: the machine and what is shown of it.
fn row_key(m: &Machine) -> (String, u64) {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        &m.name,
        &m.status,
        &m.tags,
        m.hourly.map(|h| h.micros()),
        &m.addresses,
        &m.location,
        m.ssh.len(),
    )
        .hash(&mut h);
    (m.key().to_string(), h.finish())
}

#[component]
fn MachineRow(machine: Machine, selected: RwSignal<HashSet<String>>) -> impl IntoView {
    let fleet = expect_context::<Fleet>();
    let key = machine.key().to_string();
    let key_for_toggle = key.clone();
    let checked = move || selected.with(|s| s.contains(&key));
    let toggle = move |_| {
        let k = key_for_toggle.clone();
        selected.update(|s| {
            if !s.remove(&k) {
                s.insert(k);
            }
        })
    };
    let created_at = machine.created_at;
    let age = move || {
        fleet.updated_at.get();
        created_at.map_or("—".to_string(), |at| {
            age_label((now_ms() / 1000.0) as i64 - at)
        })
    };
    let gpus = machine.gpus.as_ref().map_or("—".to_string(), |g| {
        format!("{} × {}", g.count, gpu_model_label(&g.model))
    });
    let ssh = machine.ssh.first().cloned();
    let more_ssh = machine.ssh.len().saturating_sub(1);
    let name = machine.name.clone();
    view! {
        <tr>
            <td>
                <input type="checkbox" aria-label=format!("Select {}", machine.name)
                    prop:checked=checked on:change=toggle/>
            </td>
            <td>{machine.provider.display_name()}<br/><span class="muted">{machine.account.name.clone()}</span></td>
            <td><a href=crate::base_path::app_href(&machine.detail_path())>{machine.name.clone()}</a><br/><span class="muted">{machine.kind.label()}</span></td>
            <td><StatusBadge state=machine.state status=machine.status.clone()/></td>
            <td>{gpus}</td>
            <td>{machine.location.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="num">{machine.hourly.map_or("not given".to_string(), |h| h.to_rate_string())}</td>
            <td>{age}</td>
            <td>{machine.addresses.first().cloned().unwrap_or_else(|| "—".into())}</td>
            <td class="ssh">
                {match ssh {
                    Some(t) => {
                        let command = ssh_command(&t);
                        let title = t.source.explain();
                        view! {
                            <code title=title>{command.clone()}</code>
                            " "
                            <CopyButton text=command label=format!("Copy SSH command for {name}")/>
                            {(more_ssh > 0).then(|| view! { <span class="muted">{format!(" +{more_ssh} more nodes")}</span> })}
                        }.into_any()
                    }
                    None => view! { <span class="muted">"—"</span> }.into_any(),
                }}
            </td>
            <td class="tags">{machine.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span>" " }).collect_view()}</td>
        </tr>
    }
}
