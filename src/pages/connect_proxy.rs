use leptos::prelude::*;

use crate::components::PageHeader;
use crate::state::{use_app, Connection};
use crate::transport;

/// Shown when the app is served without a proxy beside it: asks where the proxy is.
#[component]
pub fn ConnectProxy(#[prop(into)] reason: String) -> impl IntoView {
    let state = use_app();
    let url = RwSignal::new(String::new());
    let access_key = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
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
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <PageHeader title="Connect to a proxy" summary="cloudpane reaches the providers through a cloudpane proxy."/>
        <p>"The proxy's configuration could not be loaded: " {reason} "."</p>
        <form class="form" on:submit=move |ev| {
            ev.prevent_default();
            connect.dispatch((url.get_untracked(), access_key.get_untracked()));
        }>
            <label for="proxy-url">"Proxy address"</label>
            <input id="proxy-url" type="url" required placeholder="https://proxy.example.com"
                bind:value=url aria-describedby="proxy-url-help"/>
            <p id="proxy-url-help" class="help">"Where your team runs cloudpane-proxy."</p>
            <label for="proxy-key">"Access key (if the proxy requires one)"</label>
            <input id="proxy-key" type="password" autocomplete="off" bind:value=access_key/>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <button type="submit" disabled=move || connect.pending().get()>"Connect"</button>
        </form>
    }
}
