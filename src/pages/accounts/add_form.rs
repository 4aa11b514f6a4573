//! Adding an account: provider, name, token, how the provider issues one, and a test first.

use cloudpane_api::connection_test::how_to_get_a_token;
use cloudpane_api::Provider;
use leptos::prelude::*;

use super::connection_test::ConnectionTest;
use crate::components::{ErrorSummary, Problem};
use crate::state::use_app;

#[component]
pub fn AddAccountForm() -> impl IntoView {
    let state = use_app();
    let provider = RwSignal::new(Provider::VoltagePark.slug().to_string());
    let chosen = Signal::derive(move || {
        provider
            .get()
            .parse::<Provider>()
            .unwrap_or(Provider::VoltagePark)
    });
    let name = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    // The provider and name survive a reload; the token never leaves the field.
    crate::components::draft::keep_fields("new-account", vec![provider, name]);
    let errors = RwSignal::new(Vec::<(&'static str, &'static str)>::new());
    let error_for = move |field: &'static str| {
        move || {
            errors.with(|e| {
                e.iter().find(|(f, _)| *f == field).map(
                    |(_, m)| view! { <p class="field-error" id=format!("{field}-error")>{*m}</p> },
                )
            })
        }
    };
    let described = move |field: &'static str| {
        move || {
            let has_error = errors.with(|e| e.iter().any(|(f, _)| *f == field));
            if has_error {
                format!("{field}-help {field}-error")
            } else {
                format!("{field}-help")
            }
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let typed_name = name.get_untracked();
        let p = chosen.get_untracked();
        if typed_name.trim().is_empty() {
            problems.push((
                "account-name",
                "Give the account a name, such as prod or research.",
            ));
        } else if state
            .accounts
            .all_untracked()
            .iter()
            .any(|a| a.provider == p && a.name.eq_ignore_ascii_case(typed_name.trim()))
        {
            problems.push((
                "account-name",
                "This provider already has an account by that name; choose another.",
            ));
        }
        if token.get_untracked().trim().is_empty() {
            problems.push(("account-token", "Paste the provider's API token."));
        }
        if problems.is_empty() {
            state.accounts.add(p, &typed_name, &token.get_untracked());
            state.announce(format!(
                "{} account {} added.",
                p.display_name(),
                typed_name.trim()
            ));
            name.set(String::new());
            token.set(String::new());
        }
        errors.set(problems);
    };
    let remembered = move || state.accounts.status() == crate::accounts::VaultStatus::Unlocked;
    let problems = Signal::derive(move || {
        errors.with(|e| e.iter().map(|(field, m)| Problem::at(*field, *m)).collect())
    });
    view! {
        <form class="form add-account" on:submit=submit novalidate>
            <h2>"Add an account"</h2>
            <ErrorSummary id="account-errors" problems/>
            <label for="account-provider">"Provider"</label>
            <select id="account-provider" bind:value=provider aria-describedby="account-provider-help">
                {Provider::ALL.iter().map(|p| view! { <option value=p.slug()>{p.display_name()}</option> }).collect_view()}
            </select>
            <p id="account-provider-help" class="help">{move || how_to_get_a_token(chosen.get())}</p>
            <label for="account-name">"Name"</label>
            <input id="account-name" type="text" bind:value=name aria-describedby=described("account-name")
                aria-invalid=move || errors.with(|e| e.iter().any(|(f, _)| *f == "account-name")).to_string()/>
            <p id="account-name-help" class="help">"How you tell this account apart, e.g. prod or research."</p>
            {error_for("account-name")}
            <label for="account-token">"API token"</label>
            <input id="account-token" type="password" autocomplete="off" spellcheck="false" bind:value=token
                aria-describedby=described("account-token")
                aria-invalid=move || errors.with(|e| e.iter().any(|(f, _)| *f == "account-token")).to_string()/>
            <p id="account-token-help" class="help">
                {move || if remembered() {
                    "Remembered on this device, encrypted with your passphrase."
                } else {
                    "Kept in memory only; gone when you close the tab, unless you remember the accounts below."
                }}
            </p>
            {error_for("account-token")}
            <div class="form-actions">
                <ConnectionTest provider=chosen what="the new account" token field="account-token"/>
                <button type="submit">"Add account"</button>
            </div>
        </form>
    }
}
