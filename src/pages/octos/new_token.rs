use cloudpane_api::mask_secret;
use leptos::prelude::*;

use super::credentials::{save_as_account, Flow};
use crate::components::{MaskedValue, SecretSource};
use crate::state::use_app;

/// The new API token, shown once: copy it (or reveal it: it is masked until then), read the
/// warning, save it as an Octos account in one click (named after the token). Dismissed, it is
/// gone from the page.
#[component]
pub fn NewTokenPanel(flow: Flow) -> impl IntoView {
    let state = use_app();
    let present = Memo::new(move |_| flow.shown_once.with(Option::is_some));
    let token = Memo::new(move |_| {
        flow.shown_once
            .with(|s| s.as_ref().map(|s| s.token.clone()).unwrap_or_default())
    });
    let name = Memo::new(move |_| {
        flow.shown_once
            .with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default())
    });
    let saved_as = Memo::new(move |_| {
        flow.shown_once
            .with(|s| s.as_ref().and_then(|s| s.saved_as.clone()))
    });
    let save = move |_| {
        let saved = save_as_account(
            state.accounts,
            &name.get_untracked(),
            &token.get_untracked(),
            None,
        );
        flow.shown_once.update(|s| {
            if let Some(s) = s {
                s.saved_as = Some(saved.clone());
            }
        });
        state.announce(format!(
            "Saved as the Octos account {saved}, {}.",
            state.accounts.where_kept()
        ));
    };
    // The widget stays while the token is shown (saving it as an account changes nothing
    // there); a new token (a rotation) masks it again.
    move || {
        present.get().then(|| view! {
            <section class="banner warn new-token" aria-labelledby="octos-new-token-title">
                <h2 id="octos-new-token-title">{move || format!("New API token \u{201c}{}\u{201d}", name.get())}</h2>
                <p><strong>"Copy it now: Octos Cloud will not show it again."</strong>
                    " Treat it like a password: anyone who has it can manage your cloud resources."</p>
                <p class="new-token-value">
                    <MaskedValue source=SecretSource::Held(token.into()) what="the new API token"
                        mask=Signal::derive(move || mask_secret(&token.get()))/>
                </p>
                <p>
                    {move || match saved_as.get() {
                        Some(account) => view! {
                            <span class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>
                                {format!("Saved as the Octos account {account}: the console uses it from now on. It is {}.", state.accounts.where_kept())}</span>
                        }.into_any(),
                        None => view! {
                            <button type="button" on:click=save>"Save as an Octos account"</button>
                            " "<span class="help">{move || format!("(named \u{201c}{}\u{201d}; kept like every account, see Accounts)", name.get())}</span>
                        }.into_any(),
                    }}
                </p>
                <button type="button" on:click=move |_| flow.shown_once.set(None)>
                    "I have stored it: forget the token"
                </button>
            </section>
        })
    }
}
