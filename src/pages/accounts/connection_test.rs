//! "Test connection": one cheap read with the account's token, the outcome in words and an icon.

use cloudpane_api::connection_test::{self, Outcome};
use cloudpane_api::Provider;
use leptos::prelude::*;

use crate::state::use_app;
use crate::transport;

/// A "Test connection" button for the token `token()` of `provider()`, and what it found.
#[component]
pub fn ConnectionTest(
    #[prop(into)] provider: Signal<Provider>,
    /// Read when the button is pressed; never rendered.
    token: Callback<(), String>,
    /// What the test is of, for the button's accessible name ("prod", "the new account").
    #[prop(into)]
    what: String,
) -> impl IntoView {
    let state = use_app();
    let outcome = RwSignal::new(None::<(Provider, Outcome)>);
    let busy = RwSignal::new(false);
    let test = move |_| {
        if busy.get_untracked() {
            return;
        }
        let provider = provider.get_untracked();
        let token = token.run(());
        let Some(connection) = state.connection.get_untracked() else {
            outcome.set(Some((provider, Outcome::ProxyUnreachable)));
            return;
        };
        busy.set(true);
        outcome.set(None);
        leptos::task::spawn_local(async move {
            let request = connection_test::request(provider, &token);
            let result = transport::send::<serde_json::Value>(&connection, &request).await;
            let found = Outcome::from_result(provider, &result);
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
