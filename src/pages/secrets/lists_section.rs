use cloudpane_api::netactuate::secret_lists::{ListValue, SecretListInfo};
use cloudpane_api::netactuate::secrets::short_time;
use cloudpane_api::ApiError;
use leptos::prelude::*;

use super::delete_list_dialog::{DeleteListDialog, ListToDelete};
use super::last_read::LastRead;
use super::load::{count, list_href};
use super::new_list_form::NewListForm;
use crate::components::LastGood;

/// The account's secret lists: each opens by name; create (named as typed) and delete. Read
/// again after every change; a failed read keeps the rows last read, saying since when.
#[component]
pub fn ListsSection(
    /// The lists as read (`None` while loading). Tracked.
    #[prop(into)]
    lists: Signal<Option<Result<Vec<SecretListInfo>, ApiError>>>,
    last_lists: Memo<Option<LastGood<Vec<SecretListInfo>>>>,
    /// Every value, for the counts (as last read).
    last_values: Memo<Option<LastGood<Vec<ListValue>>>>,
    /// Reads them again.
    on_changed: Callback<()>,
) -> impl IntoView {
    let to_delete = RwSignal::new(None::<ListToDelete>);
    let outcome = RwSignal::new(None::<String>);
    let known = Signal::derive(move || {
        last_lists.with(|l| l.as_ref().map(|l| l.value.clone()).unwrap_or_default())
    });
    let table = move || {
        let read = LastRead {
            read: lists.get(),
            last: last_lists.get(),
        };
        read.view("the secret lists", on_changed, move |lists| {
            if lists.is_empty() {
                return view! {
                    <p class="empty" role="status">"The account has no secret lists yet. Create one below."</p>
                }
                .into_any();
            }
            let values = last_values.get().map(|v| v.value);
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="lists-caption">
                    <table class="data-table secret-lists">
                        <caption id="lists-caption" class="visually-hidden">"The account's secret lists"</caption>
                        <thead><tr>
                            <th scope="col">"List"</th>
                            <th scope="col">"Values"</th>
                            <th scope="col">"Updated"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr></thead>
                        <tbody>
                            {lists.into_iter().map(|l| {
                                let held = values.as_ref().map(|v| v.iter().filter(|v| v.secret_list_id == l.id).count());
                                let listed = l.clone();
                                view! {
                                    <tr>
                                        <th scope="row"><a href=crate::base_path::app_href(&list_href(&l.name))>{l.name.clone()}</a></th>
                                        <td>{held.map(|n| count(n, "value", "values")).unwrap_or_else(|| "not known".into())}</td>
                                        <td>{short_time(l.updated_at.as_deref())}</td>
                                        <td>
                                            <button type="button" class="danger" aria-label=format!("Delete the list {}", l.name)
                                                on:click=move |_| {
                                                    outcome.set(None);
                                                    to_delete.set(Some(ListToDelete { list: listed.clone(), values: held }));
                                                }>
                                                "Delete"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        })
    };
    view! {
        <section class="lists-section" aria-labelledby="lists-title">
            <h2 id="lists-title">"Secret lists"</h2>
            <p class="help">"Key/value pairs that cloud-init scripts reference as ${{secret.KEY}}. Keys are unique across the account. Open a list to edit its values or import a .env file."</p>
            {table}
            {move || outcome.get().map(|m| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>{m}</p> })}
            <NewListForm existing=known on_created=on_changed/>
            <DeleteListDialog list=to_delete on_deleted=Callback::new(move |said| {
                outcome.set(Some(said));
                on_changed.run(());
            })/>
        </section>
    }
}
