use cloudpane_api::octos::api_access::{
    access_token, enable, enable_checked, CurrentToken, EnableChecked, NewToken, TokenBefore,
};
use cloudpane_api::octos::expiry::{check_chosen_expiry, Day};
use cloudpane_api::ApiError;
use leptos::prelude::*;

use super::credentials::{Flow, ShownToken};
use super::octos_error::OctosError;
use crate::components::{FormMessages, SendOnce, TextField};
use crate::state::use_app;
use NoToken::{Lost, Refused};

/// The day after `today`, as the date picker's earliest choice.
fn tomorrow(today: Day) -> String {
    today.next().iso()
}

/// Step 2: enable API access with a token name and an optional expiry date (a past date is
/// refused here, before anything is sent). Sent as a multipart form with the session token.
#[component]
pub fn EnableForm(flow: Flow) -> impl IntoView {
    let state = use_app();
    let name = RwSignal::new(String::new());
    let expiry = RwSignal::new(String::new());
    let messages = FormMessages::new("octos-token", &["name", "expiry"]);
    let failed = RwSignal::new(None::<ApiError>);
    // What a lost answer turned out to be, when no token came of it.
    let lost = RwSignal::new(None::<String>);
    let enabled = RwSignal::new(None::<String>);
    let once = SendOnce::new();
    // The token's name and expiry survive a reload (the token itself is never kept).
    crate::components::draft::keep_fields("octos-enable", vec![name, expiry]);
    let button = NodeRef::<leptos::html::Button>::new();
    let min = tomorrow(super::today());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failed.set(None);
        lost.set(None);
        enabled.set(None);
        messages.clear();
        let typed_name = name.get_untracked().trim().to_string();
        if typed_name.is_empty() {
            messages.field(
                "name",
                "Give the token a name, e.g. the script or team that will use it.",
            );
        }
        let chosen = check_chosen_expiry(&expiry.get_untracked(), super::today());
        if let Err(e) = &chosen {
            messages.field("expiry", e.clone());
        }
        // The error summary takes focus and links to each field.
        let (Ok(chosen), false) = (chosen, typed_name.is_empty()) else {
            state.announce("API access was not enabled: correct the fields marked.");
            return;
        };
        let (Some(connection), Some(session)) = (
            state.connection.get_untracked(),
            flow.session.get_untracked(),
        ) else {
            return;
        };
        if !once.claim() {
            return;
        }
        let request = enable(&session, &typed_name, chosen.as_deref());
        leptos::task::spawn_local(async move {
            // The token before, to tell a new one from it if the answer is lost.
            let before = TokenBefore::from_answer(
                super::send::<CurrentToken>(&connection, &access_token(&session)).await,
            );
            // Enabling again replaces the token Octos holds now: no account uses that one again.
            let old = match &before {
                TokenBefore::Token(token) => Some(token.clone()),
                _ => None,
            };
            let result = super::send::<NewToken>(&connection, &request).await;
            let outcome = match result {
                Ok(new) => Ok((new.token, None, true)),
                Err(error) if error.answer_may_be_lost() => {
                    // Never sent again on its own (it would replace the token): Octos says
                    // whether there is a new token, and hands it over.
                    let after =
                        super::send::<CurrentToken>(&connection, &access_token(&session)).await;
                    match enable_checked(&before, after) {
                        EnableChecked::Enabled(current) => Ok((current.token, Some("Its answer was lost on the way, so the console retrieved the new token from Octos Cloud."), true)),
                        EnableChecked::TokenFound(current) => Ok((current.token, Some("Its answer was lost on the way; the console retrieved the token Octos Cloud has now. The one before could not be read to compare, so this is most likely the new one."), false)),
                        EnableChecked::NotEnabled => Err(Lost("API access was not enabled: its answer was lost, and Octos Cloud has no new token. Nothing changed; you can enable it again.".to_string())),
                        EnableChecked::NotKnown(e) => Err(Lost(format!("Not known whether API access was enabled: its answer was lost, and the token could not be retrieved ({e}). It was not sent again: retrieve the current token below before enabling again, since enabling again replaces the token."))),
                    }
                }
                Err(error) => Err(Refused(error)),
            };
            once.release();
            // The button lost focus while it was disabled.
            crate::pages::focus_if_lost(move || button.get_untracked().map(Into::into));
            match outcome {
                Ok((token, note, replaced)) => {
                    if replaced {
                        flow.retire(old.as_deref());
                    }
                    flow.last_choice.set(Some((typed_name.clone(), chosen)));
                    flow.shown_once.set(Some(ShownToken {
                        name: typed_name,
                        token,
                        saved_as: None,
                    }));
                    flow.bump();
                    let said = match note {
                        Some(note) => format!("API access is enabled. {note} It is shown once below: save it as an account or copy it."),
                        None => "API access enabled. The new token is shown once below.".to_string(),
                    };
                    state.announce(said.clone());
                    enabled.set(Some(said));
                }
                Err(Lost(said)) => {
                    state.announce(said.clone());
                    lost.set(Some(said));
                }
                Err(Refused(error)) => {
                    failed.set(Some(error));
                    state.announce("Octos Cloud did not enable API access.");
                }
            }
        });
    };
    let no_expiry = move || expiry.with(|e| e.trim().is_empty());
    view! {
        <form class="form octos-enable" on:submit=submit novalidate aria-labelledby="octos-enable-title">
            <h2 id="octos-enable-title">"2. Enable API access"</h2>
            <p class="help">"Enabling gives a new token. If API access is already on, the new token replaces the old one: scripts using the old one stop working."</p>
            {messages.view_summary()}
            <TextField messages field="name" label="Token name" value=name/>
            <label for="octos-token-expiry">"Date of expiry (optional)"</label>
            <input id="octos-token-expiry" type="date" min=min bind:value=expiry
                aria-invalid=move || messages.has("expiry").to_string()
                aria-describedby="octos-token-expiry-help octos-token-expiry-error"/>
            <p id="octos-token-expiry-help" class="help">
                {move || if no_expiry() {
                    "No expiry: this token will work until API access is disabled.".to_string()
                } else {
                    format!("The token stops working after {}.", expiry.get())
                }}
            </p>
            {messages.view_field("expiry", "octos-token-expiry-error".into())}
            {move || lost.get().map(|m| view! { <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>{m}</p> })}
            {move || failed.get().map(|error| view! { <OctosError error/> })}
            <button type="submit" node_ref=button disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                {move || if once.busy() { "Enabling…" } else { "Enable API access" }}
            </button>
            {move || enabled.get().map(|m| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>{m}</p> })}
        </form>
    }
}

/// How an enable ended without a token to show.
enum NoToken {
    /// Its answer was lost; what reading the token again said, in words.
    Lost(String),
    /// Octos Cloud (or the proxy) refused it.
    Refused(ApiError),
}
