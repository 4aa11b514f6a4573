use cloudpane_api::octos::session::{login, Session};
use cloudpane_api::ApiError;
use leptos::prelude::*;

use super::credentials::Flow;
use super::octos_error::OctosError;
use crate::components::{FormMessages, SendOnce, TextField};
use crate::state::use_app;

/// Step 1: log in with e-mail and password for a session token, kept in this page's memory.
/// A wrong password says so; the e-mail stays typed.
#[component]
pub fn LoginForm(flow: Flow) -> impl IntoView {
    let state = use_app();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let messages = FormMessages::new("octos", &["email", "password"]);
    let failed = RwSignal::new(None::<ApiError>);
    let once = SendOnce::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        messages.clear();
        failed.set(None);
        let (e, p) = (email.get_untracked(), password.get_untracked());
        if e.trim().is_empty() {
            messages.field("email", "Enter the e-mail of your Octos Cloud account.");
        }
        if p.is_empty() {
            messages.field(
                "password",
                "Enter the password of your Octos Cloud account.",
            );
        }
        // The error summary takes focus and links to each field.
        if messages.has_untracked() {
            return;
        }
        let Some(connection) = state.connection.get_untracked() else {
            return;
        };
        if !once.claim() {
            return;
        }
        let request = login(&e, &p);
        leptos::task::spawn_local(async move {
            let result = super::send::<Session>(&connection, &request).await;
            once.release();
            match result {
                Ok(session) => {
                    password.set(String::new());
                    flow.session.set(Some(session.token));
                    state.announce("Logged in to Octos Cloud.");
                    // The login form is gone: on to the next step's first field.
                    crate::pages::focus_if_lost(|| {
                        document().get_element_by_id("octos-token-name")
                    });
                }
                Err(ApiError::Http(e)) if e.status == 401 && !e.from_proxy => {
                    password.set(String::new());
                    messages.field("password", "The e-mail or the password is wrong: Octos Cloud refused them. Nothing else changed.");
                    state.announce("Login refused: wrong e-mail or password.");
                }
                Err(error) => {
                    failed.set(Some(error));
                    state.announce("Login failed.");
                }
            }
        });
    };
    view! {
        <form class="form octos-login" on:submit=submit novalidate aria-labelledby="octos-login-title">
            <h2 id="octos-login-title">"1. Log in to Octos Cloud"</h2>
            <p class="help">"The session token Octos gives back is kept in this page's memory only, to enable API access; it is dropped when you leave this page, end the session or lock the console."</p>
            {messages.view_summary()}
            <TextField messages field="email" label="E-mail" value=email input_type="email" autocomplete="username"/>
            <TextField messages field="password" label="Password" value=password input_type="password"
                autocomplete="current-password"/>
            {move || failed.get().map(|error| view! { <OctosError error/> })}
            <button type="submit" disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                {move || if once.busy() { "Logging in…" } else { "Log in" }}
            </button>
        </form>
    }
}
