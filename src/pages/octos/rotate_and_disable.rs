use cloudpane_api::octos::api_access::{access_token, disable, enable, CurrentToken, NewToken};
use cloudpane_api::octos::expiry::{check_chosen_expiry, read_expiry, Expiry};
use cloudpane_api::{ApiError, Provider};
use leptos::prelude::*;

use super::credentials::{save_as_account, Flow, ShownToken};
use super::octos_error::OctosError;
use crate::components::{ConfirmDialog, SendOnce};
use crate::state::{use_app, Connection};

/// Rotate (disable, then enable with the same name and expiry, and update the saved account)
/// and Disable, each behind a confirmation.
#[component]
pub fn RotateAndDisable(flow: Flow) -> impl IntoView {
    let state = use_app();
    let disable_open = RwSignal::new(false);
    let rotate_open = RwSignal::new(false);
    let once = SendOnce::new();
    let outcome = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<ApiError>);
    let name = RwSignal::new(String::new());
    let expiry = RwSignal::new(String::new());
    let rotate_error = RwSignal::new(None::<String>);

    let confirm_disable = move |()| {
        let (Some(connection), Some(credential)) =
            (state.connection.get_untracked(), flow.credential())
        else {
            return;
        };
        if !once.claim() {
            return;
        }
        failed.set(None);
        leptos::task::spawn_local(async move {
            // The token that stops working: read first when acting with the session.
            let old = match flow.session.get_untracked() {
                Some(_) => flow.token_now(&connection).await,
                None => Some(credential.clone()),
            };
            let result = super::send::<serde_json::Value>(&connection, &disable(&credential)).await;
            once.release();
            disable_open.set(false);
            match result {
                Ok(_) => {
                    flow.retire(old.as_deref());
                    flow.shown_once.set(None);
                    flow.bump();
                    let said = "API access is disabled: every script using the token now gets 401 (refused). Enable it again for a new token.";
                    outcome.set(Some(said.into()));
                    state.announce(said);
                }
                Err(error) => {
                    failed.set(Some(error));
                    state.announce("API access was not disabled.");
                }
            }
        });
    };

    // Opening Rotate fills in the name and expiry the token has, as far as the page knows.
    let open_rotate = move |_| {
        rotate_error.set(None);
        let (n, e) = flow.last_choice.get_untracked().unwrap_or_else(|| {
            let account = state
                .accounts
                .active(Provider::Octos)
                .map(|a| a.name)
                .unwrap_or_default();
            (account, None)
        });
        name.set(n);
        expiry.set(e.unwrap_or_default());
        rotate_open.set(true);
        if flow.last_choice.get_untracked().is_none() {
            let (Some(connection), Some(session)) = (
                state.connection.get_untracked(),
                flow.session.get_untracked(),
            ) else {
                return;
            };
            leptos::task::spawn_local(async move {
                if let Ok(current) =
                    super::send::<CurrentToken>(&connection, &access_token(&session)).await
                {
                    if let Expiry::On { day, days_left, .. } =
                        read_expiry(current.expires_at.as_deref(), super::today())
                    {
                        if days_left > 0 {
                            expiry.set(day.iso());
                        }
                    }
                }
            });
        }
    };

    let confirm_rotate = move |()| {
        let typed = name.get_untracked().trim().to_string();
        let chosen = check_chosen_expiry(&expiry.get_untracked(), super::today());
        let chosen = match (typed.is_empty(), chosen) {
            (true, _) => {
                rotate_error.set(Some(
                    "Give the token a name (the current one's, to keep it).".into(),
                ));
                return;
            }
            (false, Err(e)) => {
                rotate_error.set(Some(e));
                return;
            }
            (false, Ok(c)) => c,
        };
        rotate_error.set(None);
        let (Some(connection), Some(session)) = (
            state.connection.get_untracked(),
            flow.session.get_untracked(),
        ) else {
            return;
        };
        if !once.claim() {
            return;
        }
        failed.set(None);
        leptos::task::spawn_local(async move {
            let result = rotate(&connection, &session, &typed, chosen.as_deref()).await;
            once.release();
            rotate_open.set(false);
            match result {
                Ok((old, new)) => {
                    flow.retire(old.as_deref());
                    flow.last_choice.set(Some((typed.clone(), chosen)));
                    // The account that held the old token (or bears the name) gets the new one.
                    let holder = state.accounts.listed_untracked().into_iter().find(|a| {
                        a.provider == Provider::Octos
                            && (old.as_deref() == Some(a.token.as_str()) || a.name == typed)
                    });
                    let saved_as = holder
                        .map(|_| save_as_account(state.accounts, &typed, &new, old.as_deref()));
                    let said = match &saved_as {
                        Some(a) => format!("Token rotated: the old token is refused from now on, and the Octos account {a} holds the new one."),
                        None => "Token rotated: the old token is refused from now on. The new token is shown once below.".to_string(),
                    };
                    flow.shown_once.set(Some(ShownToken {
                        name: typed,
                        token: new,
                        saved_as,
                    }));
                    flow.bump();
                    outcome.set(Some(said.clone()));
                    state.announce(said);
                }
                Err(error) => {
                    failed.set(Some(error));
                    flow.bump();
                    state.announce("The token was not rotated.");
                }
            }
        });
    };

    let logged_in = move || flow.session.with(Option::is_some);
    view! {
        <section class="octos-danger" aria-labelledby="octos-danger-title">
            <h2 id="octos-danger-title">"Rotate or disable"</h2>
            <p class="help">"If you suspect the token leaked, rotate it (a new token, the old one refused) or disable API access."</p>
            <p>
                <button type="button" disabled=move || !logged_in() on:click=open_rotate>"Rotate the token…"</button>
                " "
                <button type="button" class="danger" disabled=move || flow.credential().is_none()
                    on:click=move |_| disable_open.set(true)>"Disable API access…"</button>
            </p>
            <p class="help" hidden=logged_in>"Rotating needs a session: log in above."</p>
            {move || outcome.get().map(|m| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>{m}</p> })}
            {move || failed.get().map(|error| view! { <OctosError error/> })}
            <ConfirmDialog open=disable_open title="Disable API access?" confirm_label="Disable API access"
                danger=true busy=Signal::derive(move || once.busy()) on_confirm=Callback::new(confirm_disable)>
                <p><strong>"Every script using the API token stops working"</strong>" at once: Octos Cloud will refuse it (401). A saved Octos account with this token stops working too."</p>
                <p>"Enabling API access again gives a new token."</p>
            </ConfirmDialog>
            <ConfirmDialog open=rotate_open title="Rotate the API token?" confirm_label="Rotate the token"
                danger=true busy=Signal::derive(move || once.busy()) on_confirm=Callback::new(confirm_rotate)>
                <p>"API access is disabled, then enabled again with the same name and expiry. "
                    <strong>"Every script using the current token stops working"</strong>
                    "; the new token is shown once, and the saved Octos account is updated."</p>
                <div class="form">
                    <label for="octos-rotate-name">"Token name"</label>
                    <input id="octos-rotate-name" type="text" autocomplete="off" bind:value=name/>
                    <label for="octos-rotate-expiry">"Date of expiry (empty: never expires)"</label>
                    <input id="octos-rotate-expiry" type="date" bind:value=expiry aria-describedby="octos-rotate-error"/>
                    <p id="octos-rotate-error" class="field-error" hidden=move || rotate_error.with(Option::is_none)>
                        {move || rotate_error.get().unwrap_or_default()}
                    </p>
                </div>
            </ConfirmDialog>
        </section>
    }
}

/// Disable, then enable with `name` and `expiry`: the old token (if it could be read) and the
/// new one. Disabling when API access was already off is not a failure here.
async fn rotate(
    connection: &Connection,
    session: &str,
    name: &str,
    expiry: Option<&str>,
) -> Result<(Option<String>, String), ApiError> {
    let old = super::send::<CurrentToken>(connection, &access_token(session))
        .await
        .ok()
        .map(|c| c.token);
    match super::send::<serde_json::Value>(connection, &disable(session)).await {
        Ok(_) => {}
        Err(ApiError::Http(e)) if e.status == 400 && old.is_none() => {}
        Err(error) => return Err(error),
    }
    let new = super::send::<NewToken>(connection, &enable(session, name, expiry)).await?;
    Ok((old, new.token))
}
