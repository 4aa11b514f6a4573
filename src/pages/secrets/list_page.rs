use cloudpane_api::netactuate::secret_lists::{
    get_secret_list, list_values, Data, ListValue, SecretListInfo,
};
use cloudpane_api::{ApiError, Provider};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::add_value_form::AddValueForm;
use super::env_import::EnvImport;
use super::leave_guard::use_leave_guard;
use super::list_address::{read_list_to_end, send_to_list};
use super::load::{load_lists_and_values, netactuate};
use super::netactuate_error::NetActuateError;
use super::rename_list_form::RenameListForm;
use super::values_table::ValuesTable;
use crate::components::{
    keep_last_good, Loading, NoAccount, PageHeader, StaleNotice, UnreadableRows,
};
use crate::state::{use_app, AppState, Connection};

/// What a list's page works with: the list, its values, and every list and value of the
/// account (keys are unique across it).
#[derive(Debug, Clone, PartialEq)]
pub struct ListData {
    pub list: SecretListInfo,
    pub values: Vec<ListValue>,
    /// The list's values that could not be read (the others are shown as usual).
    pub unreadable: Vec<cloudpane_api::UnreadableRow>,
    pub lists: Vec<SecretListInfo>,
    pub all_values: Vec<ListValue>,
}

/// Reads the list named `name` (from the page's address), its values and the account's lists.
/// The list is addressed the account's way: by name as the document says, and once more by id
/// when by name answers 404 and the account's lists give its id ([`send_to_list`]).
async fn load_list(
    state: AppState,
    c: Connection,
    token: String,
    name: String,
) -> Result<ListData, ApiError> {
    let (lists, all_values) = load_lists_and_values(c.clone(), token.clone()).await?;
    // The list object (with its id) when the account lists it; by name alone otherwise.
    let known = lists
        .iter()
        .find(|l| l.name == name)
        .cloned()
        .unwrap_or(SecretListInfo {
            id: String::new(),
            name: name.clone(),
            values_count: None,
            updated_at: None,
        });
    let (info, values) = futures::future::join(
        send_to_list::<Data<SecretListInfo>>(state, &c, &known, |segment| {
            get_secret_list(&token, segment)
        }),
        read_list_to_end::<Data<cloudpane_api::Rows<ListValue>>>(state, &c, &known, |segment| {
            list_values(&token, segment)
        }),
    )
    .await;
    let values = values?.data;
    Ok(ListData {
        list: info?.data,
        values: values.read,
        unreadable: values.unreadable,
        lists,
        all_values,
    })
}

/// The list's name from the address (`/secrets/lists/:name`), percent-decoded.
fn name_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| {
        let raw = params.with(|p| p.get("name").unwrap_or_default());
        js_sys::decode_uri_component(&raw)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or(raw)
    })
}

/// `/secrets/lists/:name`: one list's values (masked, with reveal and copy), adding, editing
/// and deleting them, renaming the list, and importing a `.env` file with a preview. Leaving
/// with unsaved edits asks first.
#[component]
pub fn SecretListPage() -> impl IntoView {
    let state = use_app();
    let name = name_param();
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        reload.track();
        let (na, name) = (netactuate(), name.get());
        async move {
            let (c, token) = na?;
            Some(load_list(state, c, token, name).await)
        }
    });
    let after_change = Callback::new(move |()| reload.update(|n| *n += 1));
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    // Edits not sent yet, by part of the page.
    let rename_dirty = RwSignal::new(false);
    let add_dirty = RwSignal::new(false);
    let edit_dirty = RwSignal::new(false);
    let import_dirty = RwSignal::new(false);
    let dirty = Signal::derive(move || {
        rename_dirty.get() || add_dirty.get() || edit_dirty.get() || import_dirty.get()
    });
    use_leave_guard(
        dirty,
        "This list has edits that were not saved. Leave the page and lose them?",
    );
    // The last good read, so forms keep their state while the list is read again, and a failed
    // read says since when the table is shown.
    let last = keep_last_good(move || data.get().flatten());
    let current = Memo::new(move |_| last.with(|l| l.as_ref().map(|l| l.value.clone())));
    let ready = move || current.with(Option::is_some);
    let list = Signal::derive(move || current.with(|c| c.as_ref().map(|d| d.list.clone())));
    let values = Signal::derive(move || {
        current.with(|c| c.as_ref().map(|d| d.values.clone()).unwrap_or_default())
    });
    let unreadable_values = Signal::derive(move || {
        current.with(|c| c.as_ref().map(|d| d.unreadable.clone()).unwrap_or_default())
    });
    let lists = Signal::derive(move || {
        current.with(|c| c.as_ref().map(|d| d.lists.clone()).unwrap_or_default())
    });
    let all_values = Signal::derive(move || {
        current.with(|c| c.as_ref().map(|d| d.all_values.clone()).unwrap_or_default())
    });

    let status = move || match data.get() {
        None if !ready() => view! { <Loading what="the list"/> }.into_any(),
        Some(None) => view! { <NoAccount provider=Provider::NetActuate/> }.into_any(),
        Some(Some(Err(error))) => match last.with(|l| l.as_ref().map(|l| l.as_of.clone())) {
            Some(as_of) => view! {
                <StaleNotice what="the list" as_of error on_retry=after_change/>
            }
            .into_any(),
            None => view! { <NetActuateError error on_retry=after_change/> }.into_any(),
        },
        _ => ().into_any(),
    };
    view! {
        <section class="secret-list-page">
            <PageHeader acting_as=Provider::NetActuate title="Secret list"
                summary="One NetActuate secret list: its keys and masked values. Keys are unique across the account."/>
            <p class="page-links"><a href=crate::base_path::app_href("/secrets")>"← All secrets and lists"</a></p>
            <h2 class="list-name">{move || list.get().map(|l| l.name).unwrap_or_else(|| name.get())}</h2>
            {status}
            <Show when=ready>
                <RenameListForm list lists dirty=rename_dirty on_renamed=Callback::new(move |new_name: String| {
                    rename_dirty.set(false);
                    let href = super::load::list_href(&new_name);
                    navigate.with_value(|go| go(&href, leptos_router::NavigateOptions { replace: true, ..Default::default() }));
                    state.announce(format!("The list is now called {new_name}."));
                })/>
                <UnreadableRows rows=unreadable_values of="Values of this list"/>
                <ValuesTable list values lists all_values editing=edit_dirty on_changed=after_change/>
                <AddValueForm list lists all_values dirty=add_dirty on_sent=after_change/>
                <EnvImport list lists all_values dirty=import_dirty on_applied=after_change/>
            </Show>
        </section>
    }
}
