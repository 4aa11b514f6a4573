//! Browser test of the proxy access key prompt.

use cloudpane::pages::AccessKeyPrompt;
use cloudpane::state::{AppState, Connection};
use cloudpane_api::{Provider, RuntimeConfig};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
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

    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        provide_context(state);
        view! { <AccessKeyPrompt/> }
    });
    let form: web_sys::HtmlFormElement = host
        .query_selector("form")
        .unwrap()
        .unwrap()
        .unchecked_into();
    form.request_submit().unwrap();
    leptos::task::tick().await;
    assert!(
        host.query_selector("#access-key-error").unwrap().is_some(),
        "an empty key is refused with a message"
    );
    assert!(state.needs_access_key());

    let input: web_sys::HtmlInputElement = host
        .query_selector("#access-key")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(input.type_(), "password", "the key is masked while typed");
    input.set_value("team-key-123");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    form.request_submit().unwrap();
    leptos::task::tick().await;
    assert!(!state.needs_access_key());
    let key = state
        .connection
        .with_untracked(|c| c.as_ref().unwrap().access_key.clone());
    assert_eq!(key.as_deref(), Some("team-key-123"));
    host.remove();
}
