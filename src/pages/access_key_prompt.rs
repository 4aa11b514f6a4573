use leptos::prelude::*;

use crate::components::{FormMessages, PageHeader, TextField};
use crate::state::use_app;

/// Asks for the proxy's access key, when the proxy says it requires one. An empty key is refused
/// in the form's error summary (it takes focus) and beside the field.
#[component]
pub fn AccessKeyPrompt() -> impl IntoView {
    let state = use_app();
    let key = RwSignal::new(String::new());
    let messages = FormMessages::new("access", &["key"]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        messages.clear();
        let value = key.get_untracked();
        if value.trim().is_empty() {
            messages.field("key", "Enter the access key your team set on the proxy.");
            return;
        }
        state.set_access_key(Some(value.trim().to_string()));
    };
    view! {
        <PageHeader title="Proxy access key" summary="This proxy only forwards requests that carry its access key."/>
        <form class="form" on:submit=submit novalidate>
            {messages.view_summary()}
            <TextField messages field="key" label="Access key" value=key input_type="password"
                help="Ask whoever runs the proxy. It stays in this tab's memory and is sent only to the proxy."/>
            <button type="submit">"Continue"</button>
        </form>
    }
}
