use cloudpane_api::netactuate::secret_lists::SecretListInfo;
use cloudpane_api::netactuate::secrets::short_time;
use leptos::prelude::*;

use super::delete_list_dialog::{DeleteListDialog, ListToDelete};
use super::load::{count, list_href, AccountLists};
use super::netactuate_error::NetActuateError;
use super::new_list_form::NewListForm;
use crate::components::Loading;

/// The account's secret lists: each opens by name; create (named as typed) and delete.
#[component]
pub fn ListsSection(
    /// Lists and every value, as read (`None` while loading). Tracked.
    #[prop(into)]
    data: Signal<AccountLists>,
    /// Reads them again.
    on_changed: Callback<()>,
) -> impl IntoView {
    let to_delete = RwSignal::new(None::<ListToDelete>);
    let known = Memo::new(move |prev: Option<&Vec<SecretListInfo>>| match data.get() {
        Some(Ok((lists, _))) => lists,
        _ => prev.cloned().unwrap_or_default(),
    });
    let table = move || {
        match data.get() {
        None => view! { <Loading what="the secret lists"/> }.into_any(),
        Some(Err(error)) => view! { <NetActuateError error on_retry=on_changed/> }.into_any(),
        Some(Ok((lists, _))) if lists.is_empty() => view! {
            <p class="empty" role="status">"The account has no secret lists yet. Create one below."</p>
        }
        .into_any(),
        Some(Ok((lists, values))) => view! {
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
                            let held = values.iter().filter(|v| v.secret_list_id == l.id).count();
                            let name = l.name.clone();
                            view! {
                                <tr>
                                    <th scope="row"><a href=list_href(&l.name)>{l.name.clone()}</a></th>
                                    <td>{count(held, "value", "values")}</td>
                                    <td>{short_time(l.updated_at.as_deref())}</td>
                                    <td>
                                        <button type="button" class="danger" aria-label=format!("Delete the list {}", l.name)
                                            on:click=move |_| to_delete.set(Some(ListToDelete { name: name.clone(), values: held }))>
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
        .into_any(),
    }
    };
    view! {
        <section class="lists-section" aria-labelledby="lists-title">
            <h2 id="lists-title">"Secret lists"</h2>
            <p class="help">"Key/value pairs that cloud-init scripts reference as ${{secret.KEY}}. Keys are unique across the account. Open a list to edit its values or import a .env file."</p>
            {table}
            <NewListForm existing=known on_created=on_changed/>
            <DeleteListDialog list=to_delete on_deleted=on_changed/>
        </section>
    }
}
