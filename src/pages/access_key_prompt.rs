use leptos::prelude::*;

use crate::components::PageHeader;
use crate::state::use_app;

/// Asks for the proxy's access key, when the proxy says it requires one.
#[component]
pub fn AccessKeyPrompt() -> impl IntoView {
    let state = use_app();
    let key = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = key.get_untracked();
        if value.trim().is_empty() {
            error.set(Some("Enter the access key your team set on the proxy."));
            return;
        }
        error.set(None);
        state.set_access_key(Some(value.trim().to_string()));
    };
    view! {
        <PageHeader title="Proxy access key" summary="This proxy only forwards requests that carry its access key."/>
        <form class="form" on:submit=submit novalidate>
            <label for="access-key">"Access key"</label>
            <input id="access-key" type="password" autocomplete="off" bind:value=key
                aria-describedby="access-key-help"/>
            <p id="access-key-help" class="help">
                "Ask whoever runs the proxy. It stays in this tab's memory and is sent only to the proxy."
            </p>
            {move || error.get().map(|e| view! { <p class="field-error" id="access-key-error" role="alert">{e}</p> })}
            <button type="submit">"Continue"</button>
        </form>
    }
}
