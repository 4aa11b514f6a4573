use cloudpane_api::Provider;
use leptos::prelude::*;

use super::credentials::Flow;
use super::current_token::CurrentTokenPanel;
use super::enable_form::EnableForm;
use super::login_form::LoginForm;
use super::new_token::NewTokenPanel;
use super::profile::ProfilePanel;
use super::rotate_and_disable::RotateAndDisable;
use crate::components::PageHeader;
use crate::state::use_app;

/// `/octos/api-access`: log in, enable API access (the token shown once, saved as an account
/// in one click), retrieve it, the profile, rotate and disable.
#[component]
pub fn OctosApiAccessPage() -> impl IntoView {
    let state = use_app();
    // Everything of the flow, the session token included, lives in this page's signals: they
    // go with the page (leaving it, or the console locking, which replaces every page).
    let flow = Flow::new();
    let logged_in = move || flow.session.with(Option::is_some);
    let end_session = move |_| {
        flow.session.set(None);
        state.announce("Session ended: the session token is forgotten.");
    };
    view! {
        <section class="octos-api-access">
            <PageHeader acting_as=Provider::Octos title="Octos API access"
                summary="Enable Octos Cloud API access, see the new token once, retrieve, rotate or disable it."/>
            {move || if logged_in() {
                view! {
                    <p class="notice" role="status">
                        "Logged in: the session token is in this page's memory only. "
                        <button type="button" on:click=end_session>"End the session"</button>
                    </p>
                    <EnableForm flow/>
                }.into_any()
            } else {
                view! { <LoginForm flow/> }.into_any()
            }}
            <NewTokenPanel flow/>
            <CurrentTokenPanel flow/>
            <RotateAndDisable flow/>
            <ProfilePanel flow/>
        </section>
    }
}
