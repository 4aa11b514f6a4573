//! The items of a list that could not be read (`cloudpane_api::rows`): how many, each by its
//! name or id and why, and its JSON as it came on request, secret fields masked ([`RawJson`]).
//! Shown beside the table of the rows that could be read, which stay as usual.

use cloudpane_api::rows::{unreadable_summary, UnreadableRow};
use leptos::prelude::*;
use serde_json::Value;

use super::RawJson;

/// "⚠ 1 row could not be read" and a table of those rows; nothing when there are none.
#[component]
pub fn UnreadableRows(
    /// The rows that could not be read.
    #[prop(into)]
    rows: Signal<Vec<UnreadableRow>>,
    /// Which list they are of, as a title: "Voltage Park · prod bare-metal rentals", "SSH keys".
    #[prop(into)]
    of: String,
) -> impl IntoView {
    let of = StoredValue::new(of);
    move || {
        let rows = rows.get();
        (!rows.is_empty()).then(|| {
            let title = format!("{}: {}", of.get_value(), unreadable_summary(rows.len()));
            let region = title.clone();
            view! {
                <section class="unreadable-rows banner warn" aria-label=region>
                    <p class="error-title">
                        <span aria-hidden="true">"⚠ "</span>{title}
                    </p>
                    <p class="help">
                        "The provider sent these in a shape the console does not read; the other rows are shown as usual."
                    </p>
                    <table class="data-table compact">
                        <thead><tr>
                            <th scope="col">"Name or id"</th>
                            <th scope="col">"Why it could not be read"</th>
                            <th scope="col">"As sent"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! { <UnreadableRowLine row/> }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        })
    }
}

/// One unreadable row, its raw JSON behind a Show button.
#[component]
fn UnreadableRowLine(row: UnreadableRow) -> impl IntoView {
    let label = row.label();
    let shown = RwSignal::new(false);
    let raw = Signal::derive({
        let raw = row.raw.clone();
        move || Value::clone(&raw)
    });
    let button_label = format!("raw JSON of {label}");
    let of = label.clone();
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td>{row.reason}</td>
            <td>
                <button type="button" aria-expanded=move || shown.get().to_string()
                    aria-label=move || format!("{} {button_label}", if shown.get() { "Hide" } else { "Show" })
                    on:click=move |_| shown.update(|s| *s = !*s)>
                    {move || if shown.get() { "Hide JSON" } else { "Show JSON" }}
                </button>
                {move || shown.get().then(|| view! { <RawJson value=raw of=of.clone()/> })}
            </td>
        </tr>
    }
}
