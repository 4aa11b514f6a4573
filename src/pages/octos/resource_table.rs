use cloudpane_api::octos::table::Table;
use leptos::prelude::*;

use crate::components::RawJson;

/// Any Octos list as a table: a column per field (nested values readable), sortable headers,
/// a text filter, and the raw JSON of each row on request.
#[component]
pub fn ResourceTable(
    table: Table,
    /// What the rows are, for the caption and the filter's label: "Networks".
    #[prop(into)]
    what: String,
) -> impl IntoView {
    let table = StoredValue::new(table);
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new(None::<(usize, bool)>);
    let raw_open = RwSignal::new(None::<usize>);
    let shown = Memo::new(move |_| {
        let (q, s) = (query.get(), sort.get());
        table.with_value(|t| t.view(&q, s))
    });
    let total = table.with_value(|t| t.rows.len());
    let columns = table.with_value(|t| t.columns.clone());
    let context = table.with_value(|t| t.context.clone());
    let noun = what.to_lowercase();
    let header = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let label = c.clone();
            let aria_sort = move || match sort.get() {
                Some((col, true)) if col == i => "ascending",
                Some((col, false)) if col == i => "descending",
                _ => "none",
            };
            view! {
                <th scope="col" aria-sort=aria_sort>
                    <button type="button" class="sort" on:click=move |_| sort.update(|s| {
                        *s = match *s {
                            Some((col, true)) if col == i => Some((i, false)),
                            _ => Some((i, true)),
                        }
                    })>{label}</button>
                </th>
            }
        })
        .collect_view();
    let span = columns.len() + 1;
    let rows = move || {
        shown
            .get()
            .into_iter()
            .map(|i| {
                let (cells, name, raw) = table.with_value(|t| (t.rows[i].cells.clone(), t.row_name(i), t.rows[i].raw.clone()));
                let open = move || raw_open.get() == Some(i);
                let raw_id = format!("raw-row-{i}");
                let raw_label = format!("Raw JSON of {name}");
                view! {
                    <tr>
                        {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                        <td>
                            <button type="button" aria-expanded=move || open().to_string() aria-controls=raw_id.clone()
                                aria-label=raw_label
                                on:click=move |_| raw_open.update(|o| *o = if *o == Some(i) { None } else { Some(i) })>
                                "Raw"
                            </button>
                        </td>
                    </tr>
                    <tr id=raw_id hidden=move || !open()>
                        <td colspan=span.to_string()>
                            <RawJson value=Signal::stored(raw) of=name/>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let filter_label = format!("Filter {noun}");
    view! {
        {(!context.is_empty()).then(|| view! {
            <dl class="facts">
                {context.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
        })}
        <div class="table-controls">
            <label for="resource-filter">{filter_label}</label>
            <input id="resource-filter" type="search" autocomplete="off" spellcheck="false" bind:value=query
                aria-describedby="resource-count"/>
            <span id="resource-count" class="row-count" role="status">
                {move || match (shown.with(Vec::len), total) {
                    (_, 0) => format!("No {noun} yet."),
                    (s, t) if s == t => cloudpane_api::words::count(t, "row", "rows"),
                    (s, t) => format!("{s} of {t} rows match"),
                }}
            </span>
        </div>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="resource-caption">
            <table class="data-table resources">
                <caption id="resource-caption" class="visually-hidden">{what}</caption>
                <thead>
                    <tr>
                        {header}
                        <th scope="col"><span class="visually-hidden">"Raw JSON"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
