//! "Test connection": one cheap read with the account's token, the outcome in words and an icon.

use cloudpane_api::connection_test::{self, Outcome};
use cloudpane_api::Provider;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::use_app;
use crate::transport;

/// A "Test connection" button for the token `token` of `provider`, and what it found. The
/// outcome describes the provider and token it tested: it goes as soon as either changes (a
/// test still in flight for the old token is dropped), so "Connected" never sits beside a
/// token nobody tested. An empty token is refused here; nothing is sent.
#[component]
pub fn ConnectionTest(
    #[prop(into)] provider: Signal<Provider>,
    /// The token to test; read, never rendered.
    #[prop(into)]
    token: Signal<String>,
    /// What the test is of, for the button's accessible name ("prod", "the new account").
    #[prop(into)]
    what: String,
    /// The id of the token's field, focused when there is no token to test.
    #[prop(optional)]
    field: Option<&'static str>,
) -> impl IntoView {
    let state = use_app();
    let outcome = RwSignal::new(None::<(Provider, Outcome)>);
    let busy = RwSignal::new(false);
    // Bumped whenever the provider or the token changes: an outcome belongs to one generation.
    let generation = RwSignal::new(0u32);
    Effect::new(move |first: Option<()>| {
        provider.track();
        token.track();
        if first.is_some() {
            generation.update(|g| *g += 1);
            outcome.set(None);
            busy.set(false);
        }
    });
    let test = move |_| {
        if busy.get_untracked() {
            return;
        }
        let provider = provider.get_untracked();
        let token = token.get_untracked();
        if let Some(refused) = Outcome::before_sending(&token) {
            state.announce(refused.describe(provider));
            outcome.set(Some((provider, refused)));
            if let Some(input) = field.and_then(|id| document().get_element_by_id(id)) {
                let _ = input.unchecked_into::<web_sys::HtmlElement>().focus();
            }
            return;
        }
        let Some(connection) = state.connection.get_untracked() else {
            outcome.set(Some((provider, Outcome::ProxyUnreachable)));
            return;
        };
        busy.set(true);
        outcome.set(None);
        let tested = generation.get_untracked();
        leptos::task::spawn_local(async move {
            let request = connection_test::request(provider, token.trim());
            let result = transport::send::<serde_json::Value>(&connection, &request).await;
            if generation.try_get_untracked() != Some(tested) {
                return;
            }
            let found = Outcome::from_result(&result);
            state.announce(found.describe(provider));
            outcome.try_set(Some((provider, found)));
            busy.try_set(false);
        });
    };
    view! {
        <span class="connection-test">
            <button type="button" on:click=test aria-busy=move || busy.get().to_string()
                aria-label=format!("Test connection of {what}")>
                {move || if busy.get() { "Testing…" } else { "Test connection" }}
            </button>
            <span role="status" class="connection-outcome">
                {move || outcome.get().map(|(provider, found)| {
                    let (class, icon) = if found.is_ok() { ("ok", "✓") } else { ("problem", "✗") };
                    view! {
                        <span class=format!("outcome {class}")>
                            <span aria-hidden="true">{icon}" "</span>
                            {found.describe(provider)}
                        </span>
                    }
                })}
            </span>
        </span>
    }
}
