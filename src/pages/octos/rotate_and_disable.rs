use cloudpane_api::octos::api_access::{access_token, disable, enable, CurrentToken, NewToken};
use cloudpane_api::octos::expiry::{check_chosen_expiry, read_expiry, Expiry};
use cloudpane_api::octos::rotation::{lost_disable_said, DisableChecked, Rotation};
use cloudpane_api::{ApiError, Provider};
use leptos::prelude::*;

use super::credentials::{save_as_account, Flow, ShownToken};
use super::octos_error::OctosError;
use crate::components::{ConfirmDialog, SendOnce};
use crate::state::{use_app, Connection};

/// A rotation that disabled the old token but has no new one yet: what finishing it enables.
#[derive(Clone)]
struct Unfinished {
    name: String,
    expiry: Option<String>,
    old: Option<String>,
}

/// Rotate (disable, then enable with the same name and expiry, and update the saved account)
/// and Disable, each behind a confirmation. A step whose answer was lost is checked by reading
/// the token again, and told as found; a rotation left half done (disabled, no new token) says
/// so and offers to finish it.
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
    // What happened when it is not a plain success nor a plain refusal, in words.
    let problem = RwSignal::new(None::<String>);
    let unfinished = RwSignal::new(None::<Unfinished>);

    // A rotation that ended with a new token: the old one retired, the new one saved to the
    // account that held the old one (or bears the name) and shown once.
    let rotated = move |typed: String,
                        chosen: Option<String>,
                        old: Option<String>,
                        new: String,
                        said: String| {
        flow.retire(old.as_deref());
        flow.last_choice.set(Some((typed.clone(), chosen)));
        let holder = state.accounts.listed_untracked().into_iter().find(|a| {
            a.provider == Provider::Octos
                && (old.as_deref() == Some(a.token.as_str()) || a.name == typed)
        });
        let saved_as =
            holder.map(|_| save_as_account(state.accounts, &typed, &new, old.as_deref()));
        let said = match &saved_as {
            Some(a) => format!("{said} The Octos account {a} holds the new one."),
            None => format!("{said} The new token is shown once below."),
        };
        flow.shown_once.set(Some(ShownToken {
            name: typed,
            token: new,
            saved_as,
        }));
        unfinished.set(None);
        problem.set(None);
        flow.bump();
        outcome.set(Some(said.clone()));
        state.announce(said);
    };

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
            // A lost answer: the token read again says whether it happened. Never sent twice.
            let lost = match &result {
                Err(e) if e.answer_may_be_lost() => Some(lost_disable_said(
                    super::send::<CurrentToken>(&connection, &access_token(&credential)).await,
                )),
                _ => None,
            };
            once.release();
            disable_open.set(false);
            problem.set(None);
            match (result, lost) {
                (Ok(_), _) | (Err(_), Some((DisableChecked::Disabled, _))) => {
                    flow.retire(old.as_deref());
                    flow.shown_once.set(None);
                    unfinished.set(None);
                    flow.bump();
                    let said = "API access is disabled: every script using the token now gets 401 (refused). Enable it again for a new token.";
                    outcome.set(Some(said.into()));
                    state.announce(said);
                }
                (Err(_), Some((_, said))) => {
                    flow.bump();
                    problem.set(Some(said.clone()));
                    state.announce(said);
                }
                (Err(error), None) => {
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

    // Says how a rotation (or its finishing) ended, and keeps what finishing it needs.
    let settle =
        move |rotation: Rotation, typed: String, chosen: Option<String>, old: Option<String>| {
            match rotation {
                Rotation::Done { ref new, .. } => {
                    let said = rotation.describe();
                    rotated(typed, chosen, old, new.clone(), said);
                }
                other => {
                    if other.old_token_refused() {
                        flow.retire(old.as_deref());
                    }
                    unfinished.set(other.can_finish().then_some(Unfinished {
                        name: typed,
                        expiry: chosen,
                        old,
                    }));
                    flow.bump();
                    let said = other.describe();
                    problem.set(Some(said.clone()));
                    state.announce(said);
                }
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
        outcome.set(None);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let (old, rotation) = rotate(&connection, &session, &typed, chosen.as_deref()).await;
            once.release();
            rotate_open.set(false);
            settle(rotation, typed, chosen, old);
        });
    };

    // Finishing a half-done rotation: enable a new token with the name and expiry chosen.
    let finish = move |_| {
        let (Some(connection), Some(session), Some(left)) = (
            state.connection.get_untracked(),
            flow.session.get_untracked(),
            unfinished.get_untracked(),
        ) else {
            return;
        };
        if !once.claim() {
            return;
        }
        failed.set(None);
        leptos::task::spawn_local(async move {
            let rotation =
                finish_enable(&connection, &session, &left.name, left.expiry.as_deref()).await;
            once.release();
            settle(rotation, left.name, left.expiry, left.old);
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
            {move || problem.get().map(|m| view! { <p class="outcome problem" role="alert"><span aria-hidden="true">"⚠ "</span>{m}</p> })}
            {move || unfinished.with(Option::is_some).then(|| view! {
                <p>
                    <button type="button" disabled=move || once.busy() || !logged_in() on:click=finish>
                        "Finish the rotation: enable a new token"
                    </button>
                    " "<span class="help" hidden=logged_in>"Log in above to finish it."</span>
                </p>
            })}
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

/// Disable, then enable with `name` and `expiry`: the old token (if it could be read) and how
/// it ended. Disabling when API access was already off is not a failure here. A step whose
/// answer was lost is followed by reading the token again, never by sending it again.
async fn rotate(
    connection: &Connection,
    session: &str,
    name: &str,
    expiry: Option<&str>,
) -> (Option<String>, Rotation) {
    let old = super::send::<CurrentToken>(connection, &access_token(session))
        .await
        .ok()
        .map(|c| c.token);
    let disabled = match super::send::<serde_json::Value>(connection, &disable(session)).await {
        Ok(_) => Ok(()),
        Err(ApiError::Http(e)) if e.status == 400 && old.is_none() => Ok(()),
        Err(error) => Err(error),
    };
    let reread = match &disabled {
        Err(e) if e.answer_may_be_lost() => {
            Some(super::send::<CurrentToken>(connection, &access_token(session)).await)
        }
        _ => None,
    };
    if let Err(ended) = Rotation::after_disable(disabled, reread) {
        return (old, ended);
    }
    (old, finish_enable(connection, session, name, expiry).await)
}

/// The enable step of a rotation (API access being off by then), checked when its answer was
/// lost.
async fn finish_enable(
    connection: &Connection,
    session: &str,
    name: &str,
    expiry: Option<&str>,
) -> Rotation {
    let enabled = super::send::<NewToken>(connection, &enable(session, name, expiry))
        .await
        .map(|n| n.token);
    let reread = match &enabled {
        Err(e) if e.answer_may_be_lost() => {
            Some(super::send::<CurrentToken>(connection, &access_token(session)).await)
        }
        _ => None,
    };
    Rotation::after_enable(enabled, reread)
}
