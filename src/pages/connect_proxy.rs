use leptos::prelude::*;

use crate::components::{FormMessages, PageHeader, TextField};
use crate::state::{use_app, Connection};
use crate::transport;

/// Shown when the app is served without a proxy beside it: asks where the proxy is. What went
/// wrong is said in the form's error summary (it takes focus) and beside the address.
#[component]
pub fn ConnectProxy(#[prop(into)] reason: String) -> impl IntoView {
    let state = use_app();
    let url = RwSignal::new(String::new());
    let access_key = RwSignal::new(String::new());
    let messages = FormMessages::new("proxy", &["url", "key"]);
    let connect = Action::new_local(move |(base, key): &(String, String)| {
        let (base, key) = (base.trim().trim_end_matches('/').to_string(), key.clone());
        async move {
            match transport::load_runtime_config(&base).await {
                Ok(config) => {
                    let access_key = (!key.is_empty()).then_some(key);
                    state.connect(Connection {
                        proxy_base: base,
                        config,
                        access_key,
                    });
                }
                Err(e) => messages.field("url", e),
            }
        }
    });
    view! {
        <PageHeader title="Connect to a proxy" summary="cloudpane reaches the providers through a cloudpane proxy."/>
        <p>"The proxy's configuration could not be loaded: " {reason} "."</p>
        <form class="form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            messages.clear();
            let typed = url.get_untracked();
            if typed.trim().is_empty() {
                messages.field("url", "Enter the proxy's address, e.g. https://proxy.example.com.");
                return;
            }
            connect.dispatch((typed, access_key.get_untracked()));
        }>
            {messages.view_summary()}
            <TextField messages field="url" label="Proxy address" value=url input_type="url"
                help="Where your team runs cloudpane-proxy, e.g. https://proxy.example.com."/>
            <TextField messages field="key" label="Access key (if the proxy requires one)"
                value=access_key input_type="password"/>
            <button type="submit" disabled=move || connect.pending().get()>"Connect"</button>
        </form>
    }
}
