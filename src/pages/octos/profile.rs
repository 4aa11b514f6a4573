use cloudpane_api::octos::families::profile;
use cloudpane_api::octos::table::flatten;
use cloudpane_api::secret_fields::mask_secret_fields;
use leptos::prelude::*;
use serde_json::Value;

use super::credentials::Flow;
use super::octos_error::OctosError;
use crate::components::{HiddenFields, Loading};
use crate::state::use_app;

/// The account's profile (`/profile`), every field Octos sends, flattened readably.
#[component]
pub fn ProfilePanel(flow: Flow) -> impl IntoView {
    let state = use_app();
    let reload = RwSignal::new(0u32);
    let found = LocalResource::new(move || {
        reload.track();
        flow.changed.track();
        let connection = state.connection.get();
        let credential = flow.credential();
        async move {
            let (connection, credential) = (connection?, credential?);
            Some(super::send::<Value>(&connection, &profile(&credential)).await)
        }
    });
    let body = move || {
        match found.get() {
        None => view! { <Loading what="the profile"/> }.into_any(),
        Some(None) => view! { <p class="empty">"Log in above, or add an Octos account, to see the profile."</p> }.into_any(),
        Some(Some(Err(error))) => view! {
            <OctosError error on_retry=Callback::new(move |()| reload.update(|n| *n += 1))/>
        }.into_any(),
        Some(Some(Ok(data))) => view! {
            <dl class="facts">
                {flatten(&mask_secret_fields(&data)).into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <HiddenFields value=Signal::stored(data) of="the profile"/>
        }.into_any(),
    }
    };
    view! {
        <section class="octos-profile" aria-labelledby="octos-profile-title">
            <h2 id="octos-profile-title">"Profile"</h2>
            {body}
        </section>
    }
}
