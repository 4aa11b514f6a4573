use cloudpane_api::voltagepark::ssh_keys::OrgKeyRow;
use leptos::prelude::*;

use crate::components::CopyButton;

/// The keys as a table: name, type, fingerprint, comment, the start of the key, Delete.
#[component]
pub fn KeyTable(
    #[prop(into)] rows: Signal<Vec<OrgKeyRow>>,
    /// Asks to delete a key (the page confirms first).
    on_delete: Callback<OrgKeyRow>,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="keys-caption">
            <table class="data-table ssh-keys">
                <caption id="keys-caption" class="visually-hidden">"The organization's SSH keys"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Fingerprint (SHA256)"</th>
                        <th scope="col">"Comment"</th>
                        <th scope="col">"Key"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|r| r.id.clone() let:row>
                        {key_row(row, on_delete)}
                    </For>
                </tbody>
            </table>
        </div>
    }
}

fn key_row(row: OrgKeyRow, on_delete: Callback<OrgKeyRow>) -> impl IntoView {
    let name = row.name.clone();
    let fingerprint = match &row.key {
        Ok(key) => {
            let fp = key.fingerprint.clone();
            view! {
                <code class="fingerprint-value">{fp.clone()}</code>
                " "
                <CopyButton text=Signal::stored(fp) label=format!("Copy the fingerprint of {name}")/>
            }
            .into_any()
        }
        Err(e) => view! {
            <span class="key-bad"><span aria-hidden="true">"⚠ "</span>{format!("Not a valid public key: {e}")}</span>
        }
        .into_any(),
    };
    let type_cell = match &row.key {
        Ok(_) => row.type_label(),
        Err(_) => "Unreadable".to_string(),
    };
    let comment = match row.comment() {
        "" => view! { <span class="muted">"none"</span> }.into_any(),
        c => c.to_string().into_any(),
    };
    let delete_label = format!("Delete {}", row.name);
    view! {
        <tr>
            <th scope="row">{row.name.clone()}</th>
            <td>{type_cell}</td>
            <td class="fingerprint-cell">{fingerprint}</td>
            <td>{comment}</td>
            <td><code class="key-start">{row.key_start.clone()}</code></td>
            <td>
                <button type="button" class="danger" aria-label=delete_label
                    on:click=move |_| on_delete.run(row.clone())>
                    "Delete"
                </button>
            </td>
        </tr>
    }
}
