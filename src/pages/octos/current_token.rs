use cloudpane_api::octos::api_access::{access_token, CurrentToken};
use cloudpane_api::octos::expiry::{read_expiry, Expiry};
use cloudpane_api::{mask_secret, ApiError};
use leptos::prelude::*;

use super::credentials::Flow;
use super::octos_error::OctosError;
use crate::components::{MaskedValue, SecretSource};
use crate::state::use_app;

/// The current API token, retrieved on request: masked until revealed, with copy, its expiry as
/// Octos wrote it, and a warning when it has expired or expires within a week.
#[component]
pub fn CurrentTokenPanel(flow: Flow) -> impl IntoView {
    let state = use_app();
    let asked = RwSignal::new(false);
    let current = LocalResource::new(move || {
        flow.changed.track();
        let ask = asked.get();
        let connection = state.connection.get();
        let credential = flow.credential();
        async move {
            if !ask {
                return None;
            }
            let (connection, credential) = (connection?, credential?);
            Some(super::send::<CurrentToken>(&connection, &access_token(&credential)).await)
        }
    });
    let body = move || {
        if !asked.get() {
            return None;
        }
        Some(match current.get() {
            None => view! { <crate::components::Loading what="the current API token"/> }.into_any(),
            Some(None) => view! { <p class="empty">"Log in above, or add an Octos account, to retrieve the token."</p> }.into_any(),
            Some(Some(Err(ApiError::Http(e)))) if e.status == 404 && !e.from_proxy => view! {
                <p class="notice" role="status">"API access is not enabled: there is no token. Enable it above (log in first)."</p>
            }.into_any(),
            Some(Some(Err(error))) => view! { <OctosError error/> }.into_any(),
            // Each answer is a new widget: a token read again starts masked.
            Some(Some(Ok(found))) => token_view(found).into_any(),
        })
    };
    view! {
        <section class="octos-current-token" aria-labelledby="octos-current-title">
            <h2 id="octos-current-title">"Current token"</h2>
            <p class="help">"Retrieved with the session while logged in, otherwise with the Octos account in use."</p>
            <button type="button" on:click=move |_| {
                if asked.get_untracked() { current.refetch() } else { asked.set(true) }
            }>"Retrieve the current token"</button>
            {body}
        </section>
    }
}

fn token_view(found: CurrentToken) -> impl IntoView {
    let masked = mask_secret(&found.token);
    let expiry = read_expiry(found.expires_at.as_deref(), super::today());
    let expires = match (&found.expires_at, &expiry) {
        (None, _) | (_, Expiry::Never) => {
            "Never: this token works until API access is disabled.".to_string()
        }
        (Some(text), _) => text.clone(),
    };
    let warning = expiry.warning();
    view! {
        <dl class="facts">
            <dt>"Token"</dt>
            <dd class="current-token-value">
                <MaskedValue source=SecretSource::held(found.token) what="the current API token"
                    mask=Signal::stored(masked)/>
            </dd>
            <dt>"Expires"</dt>
            <dd class="token-expiry">{expires}</dd>
        </dl>
        {warning.map(|w| view! {
            <p class="banner warn token-warning" role="status"><span aria-hidden="true">"⚠ "</span>{w}</p>
        })}
    }
}
