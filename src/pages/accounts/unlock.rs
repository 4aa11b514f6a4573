//! The unlock screen, shown instead of every page while remembered accounts are locked. It is
//! part of the first load: it is what a reload shows first.

use leptos::prelude::*;

use crate::components::{ConfirmDialog, FormMessages};
use crate::state::use_app;
use crate::vault::VaultError;

#[component]
pub fn UnlockScreen() -> impl IntoView {
    let state = use_app();
    let passphrase = RwSignal::new(String::new());
    let messages = FormMessages::new("unlock", &["passphrase"]);
    let busy = RwSignal::new(false);
    let forgetting = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        messages.clear();
        let typed = passphrase.get_untracked();
        if typed.is_empty() {
            // The error summary takes focus and links to the field.
            messages.field(
                "passphrase",
                "Type the passphrase you chose when you remembered these accounts.",
            );
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match state.accounts.unlock(&typed).await {
                Ok(()) => {
                    state.add_demo_accounts();
                    state.announce("Accounts unlocked.");
                    // This screen, whose field had focus, gives way to the page.
                    crate::pages::focus_if_lost(|| None);
                }
                Err(e) => {
                    if e == VaultError::WrongPassphrase {
                        passphrase.try_set(String::new());
                    }
                    if !busy.is_disposed() {
                        messages.field("passphrase", e.to_string());
                    }
                    busy.try_set(false);
                }
            }
        });
    };
    view! {
        <section class="unlock" aria-labelledby="unlock-title">
            <h1 id="unlock-title"><span aria-hidden="true">"🔒 "</span>"Accounts locked"</h1>
            {move || state.accounts.locked_after_idle().map(|idle| view! {
                <p class="notice lock-reason"><span aria-hidden="true">"⏲ "</span>
                    {cloudpane_api::vault::idle_lock_message(idle)}
                    " Every token left this page's memory; the passphrase brings them back."</p>
            })}
            <p>"Your accounts are remembered on this device, encrypted. Enter the passphrase to use them; until then nothing is sent to any provider."</p>
            <form class="form" on:submit=submit novalidate>
                {messages.view_summary()}
                <label for="unlock-passphrase">"Passphrase"</label>
                <input id="unlock-passphrase" node_ref=input type="password" autocomplete="current-password"
                    bind:value=passphrase aria-invalid=move || messages.has("passphrase").to_string()
                    aria-describedby="unlock-passphrase-error"/>
                {messages.view_field("passphrase", "unlock-passphrase-error".into())}
                <button type="submit" aria-busy=move || busy.get().to_string()>
                    {move || if busy.get() { "Unlocking…" } else { "Unlock" }}
                </button>
            </form>
            <p class="help">"Forgot the passphrase? It cannot be recovered: the accounts can only be forgotten and added again."</p>
            <button type="button" class="link" on:click=move |_| forgetting.set(true)>"Forget the saved accounts…"</button>
            <ConfirmDialog open=forgetting title="Forget the saved accounts on this device?"
                confirm_label="Forget saved accounts" danger=true type_to_confirm="forget"
                on_confirm=move |_| {
                    forgetting.set(false);
                    state.accounts.forget_everything();
                    state.add_demo_accounts();
                    state.announce("The saved accounts were forgotten on this device.");
                }>
                <p>"Every account remembered on this device, with its encrypted token, is deleted from this browser. The providers' tokens themselves stay valid; you will need them again to add the accounts."</p>
            </ConfirmDialog>
        </section>
    }
}
