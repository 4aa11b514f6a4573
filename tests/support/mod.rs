//! Helpers shared by the browser tests: mount a view with the app's state, find, type, submit.
#![allow(dead_code)] // each test file uses a different subset

use cloudpane::state::{AppState, Connection};
use cloudpane_api::{Provider, RuntimeConfig};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Mounts `view` into a fresh element of the page, with `state` as the app's state, as in a new
/// tab: this session's storage (the forms' drafts) is cleared first, so one test's typing never
/// shows up in the next test's form. Keep the returned handle alive for as long as the view
/// should stay mounted; remove the host after.
pub fn mount<V: IntoView + 'static>(
    state: AppState,
    view: impl FnOnce() -> V + 'static,
) -> (web_sys::HtmlElement, impl Drop) {
    let window = web_sys::window().unwrap();
    if let Ok(Some(session)) = window.session_storage() {
        session.clear().unwrap();
    }
    let document = window.document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        provide_context(state);
        view()
    });
    (host, handle)
}

/// The first element under `host` matching `css`, as `T`; panics naming `css` if there is none.
pub fn find<T: JsCast>(host: &web_sys::HtmlElement, css: &str) -> T {
    host.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {css}"))
        .unchecked_into()
}

/// Types `text` into the input as a user would (the value, then an `input` event).
pub fn type_into(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

/// Submits the first form under `host` and lets the view react.
pub async fn submit(host: &web_sys::HtmlElement) {
    find::<web_sys::HtmlFormElement>(host, "form")
        .request_submit()
        .unwrap();
    leptos::task::tick().await;
}

/// The text of every element under `host` matching `css`.
pub fn texts(host: &web_sys::HtmlElement, css: &str) -> Vec<String> {
    let list = host.query_selector_all(css).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

/// The app's state with a proxy connection and one Voltage Park account, "prod".
pub fn state_with_account() -> AppState {
    let state = AppState::new();
    state.connection.set(Some(Connection {
        proxy_base: String::new(),
        config: RuntimeConfig {
            route_prefix: "/proxy".into(),
            providers: Provider::ALL.to_vec(),
            access_key_required: false,
            demo: false,
            demo_accounts: Vec::new(),
        },
        access_key: None,
    }));
    state
        .accounts
        .add(Provider::VoltagePark, "prod", "secret-token");
    state
}

/// Waits `ms` milliseconds, letting the page run.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Puts `url` in the address bar (no reload), as a link or Back would have left it, before a
/// page that reads its address is mounted.
pub fn at_address(url: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        .unwrap();
}

/// The address bar's path and query.
pub fn address() -> String {
    let location = web_sys::window().unwrap().location();
    format!(
        "{}{}",
        location.pathname().unwrap(),
        location.search().unwrap()
    )
}
