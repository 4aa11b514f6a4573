//! Browser test of the proxy access key prompt.

mod support;

use cloudpane::pages::AccessKeyPrompt;
use cloudpane::state::{AppState, Connection};
use cloudpane_api::{Provider, RuntimeConfig};
use leptos::prelude::*;
use support::{find, mount, submit, type_into};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_key_is_asked_for_kept_in_memory_and_required() {
    let state = AppState::new();
    state.connect(Connection {
        proxy_base: String::new(),
        config: RuntimeConfig {
            route_prefix: "/proxy".into(),
            providers: Provider::ALL.to_vec(),
            access_key_required: true,
            demo: false,
            demo_accounts: Vec::new(),
        },
        access_key: None,
    });
    assert!(state.needs_access_key());

    let (host, _handle) = mount(state, || view! { <AccessKeyPrompt/> });
    submit(&host).await;
    assert!(
        host.query_selector("#access-key-error").unwrap().is_some(),
        "an empty key is refused with a message"
    );
    assert!(state.needs_access_key());

    let input: web_sys::HtmlInputElement = find(&host, "#access-key");
    assert_eq!(input.type_(), "password", "the key is masked while typed");
    type_into(&input, "team-key-123");
    submit(&host).await;
    assert!(!state.needs_access_key());
    let key = state
        .connection
        .with_untracked(|c| c.as_ref().unwrap().access_key.clone());
    assert_eq!(key.as_deref(), Some("team-key-123"));
    host.remove();
}
