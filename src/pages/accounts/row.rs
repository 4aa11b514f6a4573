//! One account in the table: its token masked until revealed, in use or not, test, forget.

use std::time::Duration;

use cloudpane_api::Provider;
use leptos::prelude::*;

use super::connection_test::ConnectionTest;
use crate::accounts::Account;
use crate::components::ConfirmDialog;
use crate::state::use_app;

/// A revealed token hides again on its own after this long.
const REVEAL_FOR: Duration = Duration::from_secs(30);

#[component]
pub fn AccountRow(account: Account) -> impl IntoView {
    let state = use_app();
    let revealed = RwSignal::new(false);
    let hide_timer = StoredValue::new_local(None::<TimeoutHandle>);
    let confirming = RwSignal::new(false);
    let (id, provider) = (account.id, account.provider);
    let masked = account.masked_token();
    let token = StoredValue::new(account.token.clone());
    let name = account.name.clone();
    let active = move || state.accounts.active(provider).is_some_and(|a| a.id == id);
    let toggle = move |_| {
        if let Some(timer) = hide_timer.get_value() {
            timer.clear();
        }
        let now = !revealed.get_untracked();
        revealed.set(now);
        if now {
            let timer = set_timeout_with_handle(
                move || {
                    revealed.try_set(false);
                },
                REVEAL_FOR,
            )
            .ok();
            hide_timer.set_value(timer);
        }
    };
    on_cleanup(move || {
        if let Some(timer) = hide_timer.try_get_value().flatten() {
            timer.clear();
        }
    });
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
                // The token is in the page only while revealed.
                <code class="secret">{move || if revealed.get() { token.get_value() } else { masked.clone() }}</code>
                " "
                <button type="button" class="link" aria-pressed=move || revealed.get().to_string()
                    aria-label=format!("Reveal the token of {what}") on:click=toggle>
                    {move || if revealed.get() { "Hide" } else { "Reveal" }}
                </button>
            </td>
            <td>
                <Show when=active fallback=move || view! {
                    <button type="button" class="link" on:click=move |_| state.accounts.set_active(provider, id)>"Use"</button>
                }>
                    <span><span aria-hidden="true">"✓ "</span>"In use"</span>
                </Show>
            </td>
            <td>
                {(provider == Provider::VoltagePark).then(|| view! { <VmLoginCell account=account.clone()/> })}
            </td>
            <td>
                <ConnectionTest provider=Signal::stored(provider) what=what.clone()
                    token=Callback::new(move |_| token.get_value())/>
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

/// The login name for an account's VMs: Voltage Park's API does not give one.
#[component]
fn VmLoginCell(account: Account) -> impl IntoView {
    let state = use_app();
    let id = account.id;
    let value = RwSignal::new(account.vm_login.clone().unwrap_or_default());
    let saved = RwSignal::new(false);
    let input_id = format!("vm-login-{id}");
    view! {
        <form class="inline-form" on:submit=move |ev| {
            ev.prevent_default();
            state.accounts.set_vm_login(id, &value.get_untracked());
            saved.set(true);
        }>
            <label for=input_id.clone() class="visually-hidden">{format!("VM login name for {}", account.name)}</label>
            <input id=input_id type="text" size="10" placeholder=cloudpane_api::machines::DEFAULT_VM_USER
                bind:value=value on:input=move |_| saved.set(false)/>
            " "
            <button type="submit">"Save"</button>
            {move || saved.get().then(|| view! { <span role="status">" ✓ Saved"</span> })}
        </form>
    }
}
