use cloudpane_api::netactuate::secret_lists::{
    list_by_id, list_name, search_values, ListValue, SecretListInfo,
};
use cloudpane_api::ApiError;
use leptos::prelude::*;

use super::last_read::LastRead;
use super::load::{count, list_href};
use super::value_source::ValueSource;
use crate::components::{LastGood, MaskedValue};

/// Every value of every list, searchable by key; values stay masked. Its own read: when it
/// fails, it says so with Retry (keeping the rows last read, and since when).
#[component]
pub fn AllValuesSection(
    /// Every value as read (`None` while loading). Tracked.
    #[prop(into)]
    values: Signal<Option<Result<Vec<ListValue>, ApiError>>>,
    last_values: Memo<Option<LastGood<Vec<ListValue>>>>,
    /// The lists as last read, for the names.
    last_lists: Memo<Option<LastGood<Vec<SecretListInfo>>>>,
    /// Reads them again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let body = move || {
        let read = LastRead {
            read: values.get(),
            last: last_values.get(),
        };
        read.view("the values", on_retry, move |values| {
            let lists = last_lists.get().map(|l| l.value).unwrap_or_default();
            let total = values.len();
            let (values, lists) = (StoredValue::new(values), StoredValue::new(lists));
            let rows = move || {
                query.with(|q| {
                    values.with_value(|values| {
                        search_values(values, q)
                            .into_iter()
                            .map(|v| {
                                (
                                    v.clone(),
                                    lists.with_value(|l| list_name(&v.secret_list_id, l)),
                                    lists.with_value(|l| list_by_id(&v.secret_list_id, l)),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                })
            };
            view! {
                <div class="table-controls">
                    <label for="value-search">"Search by key"</label>
                    <input id="value-search" type="search" autocomplete="off" spellcheck="false"
                        bind:value=query aria-describedby="value-count"/>
                    <span id="value-count" class="row-count" role="status">
                        {move || {
                            let shown = rows().len();
                            if shown == total { count(total, "value", "values") } else { format!("{shown} of {total} values match") }
                        }}
                    </span>
                </div>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="values-caption">
                    <table class="data-table all-values">
                        <caption id="values-caption" class="visually-hidden">"Every value of every list"</caption>
                        <thead><tr>
                            <th scope="col">"Key"</th>
                            <th scope="col">"List"</th>
                            <th scope="col">"Value"</th>
                        </tr></thead>
                        <tbody>
                            // A changed value is a new row: its masked value starts masked again.
                            <For each=rows key=|(v, name, _)| (v.id.clone(), v.secret_key.clone(), v.secret_value.expose().to_string(), name.clone()) let:row>
                                {
                                    let (v, name, list) = row;
                                    view! {
                                        <tr>
                                            <th scope="row"><code>{v.secret_key.clone()}</code></th>
                                            <td><a href=crate::base_path::app_href(&list_href(&name))>{name.clone()}</a></td>
                                            <td><MaskedValue source=ValueSource::ListValue { list, id: v.id.clone() }.for_masked_value() what=format!("the value of {}", v.secret_key)/></td>
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        })
    };
    view! {
        <section class="all-values-section" aria-labelledby="all-values-title">
            <h2 id="all-values-title">"All values"</h2>
            <p class="help">"Every key of every list, masked. Reveal or copy one at a time."</p>
            {body}
        </section>
    }
}
