//! One account in the table: its token masked until revealed, in use or not, test, forget.

use cloudpane_api::Provider;
use leptos::prelude::*;

use super::connection_test::ConnectionTest;
use crate::accounts::Account;
use crate::components::{ConfirmDialog, MaskedValue, SecretSource};
use crate::state::use_app;

#[component]
pub fn AccountRow(account: Account) -> impl IntoView {
    let state = use_app();
    let confirming = RwSignal::new(false);
    let (id, provider) = (account.id, account.provider);
    // The account's token as it is now (a rotation replaces it): a new one is masked again.
    let token_now = Signal::derive(move || {
        state
            .accounts
            .all()
            .into_iter()
            .find(|a| a.id == id)
            .map(|a| a.token)
            .unwrap_or_default()
    });
    let masked = Signal::derive(move || cloudpane_api::mask_secret(&token_now.get()));
    let token = StoredValue::new(account.token.clone());
    let name = account.name.clone();
    let active = move || state.accounts.active(provider).is_some_and(|a| a.id == id);
    let what = format!("{} account {}", provider.display_name(), account.name);
    let forget_title = format!(
        "Forget the {} account \u{201c}{}\u{201d}?",
        provider.display_name(),
        name
    );
    view! {
        <tr>
            <td>{provider.display_name()}</td>
            <td>{account.name.clone()}</td>
            <td>
                <MaskedValue source=SecretSource::Held(token_now) what=format!("the token of {what}") mask=masked/>
            </td>
            <td>
                {if account.disabled {
                    view! {
                        <span class="outcome problem token-disabled"><span aria-hidden="true">"✗ "</span>
                            {format!("Not used: {} no longer accepts this token (disabled from this console)", provider.display_name())}</span>
                    }.into_any()
                } else {
                    view! {
                        <Show when=active fallback=move || view! {
                            <button type="button" class="link" on:click=move |_| state.accounts.set_active(provider, id)>"Use"</button>
                        }>
                            <span><span aria-hidden="true">"✓ "</span>"In use"</span>
                        </Show>
                    }.into_any()
                }}
            </td>
            <td>
                {(provider == Provider::VoltagePark).then(|| view! { <VmLoginCell account=account.clone()/> })}
            </td>
            <td>
                <ConnectionTest provider=Signal::stored(provider) what=what.clone()
                    token=Signal::derive(move || token.get_value())/>
            </td>
            <td>
                <button type="button" on:click=move |_| confirming.set(true)>"Forget"</button>
                <ConfirmDialog open=confirming title=forget_title confirm_label="Forget account" danger=true
                    on_confirm=move |_| {
                        confirming.set(false);
                        state.accounts.remove(id);
                        state.announce("Account forgotten.");
                    }>
                    <p>{format!("Its token is removed from this console{}. The token itself stays valid at {}.",
                        if state.accounts.status() == crate::accounts::VaultStatus::Unlocked { " and from this device" } else { "" },
                        provider.display_name())}</p>
                </ConfirmDialog>
            </td>
        </tr>
    }
}

/// The login name for an account's VMs: Voltage Park's API does not give one. A name Linux
/// would not accept is refused beside the field, with what was typed kept.
#[component]
fn VmLoginCell(account: Account) -> impl IntoView {
    let state = use_app();
    let id = account.id;
    let value = RwSignal::new(account.vm_login.clone().unwrap_or_default());
    let saved = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let input = NodeRef::<leptos::html::Input>::new();
    let input_id = format!("vm-login-{id}");
    let error_id = format!("{input_id}-error");
    view! {
        <form class="inline-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let typed = value.get_untracked();
            match cloudpane_api::machines::login_name_problem(&typed) {
                Some(p) => {
                    problem.set(Some(format!("Not saved: {p}")));
                    if let Some(field) = input.get_untracked() {
                        let _ = field.focus();
                    }
                }
                None => {
                    problem.set(None);
                    state.accounts.set_vm_login(id, &typed);
                    saved.set(true);
                }
            }
        }>
            <label for=input_id.clone() class="visually-hidden">{format!("VM login name for {}", account.name)}</label>
            <input id=input_id type="text" size="10" placeholder=cloudpane_api::machines::DEFAULT_VM_USER
                node_ref=input autocomplete="off" spellcheck="false"
                aria-invalid=move || problem.with(Option::is_some).to_string()
                aria-describedby=error_id.clone()
                bind:value=value on:input=move |_| saved.set(false)/>
            " "
            <button type="submit">"Save"</button>
            {move || saved.get().then(|| view! { <span role="status">" ✓ Saved"</span> })}
            <span id=error_id role="alert">
                {move || problem.get().map(|p| view! { <span class="field-error">{p}</span> })}
            </span>
        </form>
    }
}
