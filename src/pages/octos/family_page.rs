use cloudpane_api::octos::families::{find_family, list_family};
use cloudpane_api::octos::table::Table;
use cloudpane_api::{ApiRequest, Provider};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::Value;

use super::octos_error::OctosError;
use super::resource_table::ResourceTable;
use crate::components::{Loading, NoAccount, PageHeader};
use crate::state::use_app;

/// `/octos/{family}`: one family of the quick reference as a read-only table.
#[component]
pub fn OctosFamilyPage() -> impl IntoView {
    let params = use_params_map();
    let family = move || params.with(|p| p.get("page").and_then(|slug| find_family(&slug)));
    move || {
        match family() {
        Some(f) => view! {
            <section class="octos-family">
                <PageHeader acting_as=Provider::Octos title=format!("{} (Octos)", f.title)
                    summary=format!("Read-only: every field Octos Cloud sends (GET {}), sortable and filterable, with each row's raw JSON.", f.api_path())/>
                <p><a href=crate::base_path::app_href("/octos")>"All Octos resources"</a></p>
                <FamilyTable what=f.title request=move |token: &str| list_family(f, token)/>
            </section>
        }.into_any(),
        None => view! {
            <section>
                <PageHeader title="Not an Octos resource" summary="This address names no family of Octos Cloud resources."/>
                <p><a href=crate::base_path::app_href("/octos")>"See every Octos resource family"</a></p>
            </section>
        }.into_any(),
    }
    }
}

/// Loads one Octos list with the account in use and shows it with [`ResourceTable`].
#[component]
pub fn FamilyTable(
    #[prop(into)] what: String,
    request: impl Fn(&str) -> ApiRequest + Send + Sync + 'static,
) -> impl IntoView {
    let state = use_app();
    let reload = RwSignal::new(0u32);
    let request = StoredValue::new(request);
    let data = LocalResource::new(move || {
        reload.track();
        let connection = state.connection.get();
        let account = state.account_for(Provider::Octos);
        let req = account
            .as_ref()
            .map(|a| request.with_value(|r| r(&a.token)));
        async move {
            let (connection, req) = (connection?, req?);
            Some(super::send::<Value>(&connection, &req).await)
        }
    });
    let what = StoredValue::new(what);
    move || match data.get() {
        None => view! { <Loading what=what.get_value().to_lowercase()/> }.into_any(),
        Some(None) => view! { <NoAccount provider=Provider::Octos/> }.into_any(),
        Some(Some(Err(error))) => view! {
            <OctosError error on_retry=Callback::new(move |()| reload.update(|n| *n += 1))/>
        }
        .into_any(),
        Some(Some(Ok(value))) => view! {
            <ResourceTable table=Table::from_data(&value) what=what.get_value()/>
        }
        .into_any(),
    }
}
