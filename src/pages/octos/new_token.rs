use cloudpane_api::mask_secret;
use leptos::prelude::*;

use super::credentials::{save_as_account, Flow};
use crate::components::CopyButton;
use crate::state::use_app;

/// The new API token, shown once: copy it (or reveal it: it is masked until then), read the
/// warning, save it as an Octos account in one click (named after the token). Dismissed, it is
/// gone from the page.
#[component]
pub fn NewTokenPanel(flow: Flow) -> impl IntoView {
    let state = use_app();
    let revealed = RwSignal::new(false);
    // Each new token starts masked (saving it as an account changes nothing there).
    let current = Memo::new(move |_| {
        flow.shown_once
            .with(|s| s.as_ref().map(|s| s.token.clone()))
    });
    Effect::new(move |_| {
        current.track();
        revealed.set(false);
    });
    move || {
        flow.shown_once.get().map(|shown| {
            let token = shown.token.clone();
            let masked = mask_secret(&token);
            let full = token.clone();
            let name = shown.name.clone();
            let save = {
                let (name, token) = (name.clone(), token.clone());
                move |_| {
                    let saved = save_as_account(state.accounts, &name, &token, None);
                    flow.shown_once.update(|s| {
                        if let Some(s) = s {
                            s.saved_as = Some(saved.clone());
                        }
                    });
                    state.announce(format!("Saved as the Octos account {saved}."));
                }
            };
            view! {
                <section class="banner warn new-token" aria-labelledby="octos-new-token-title">
                    <h2 id="octos-new-token-title">{format!("New API token \u{201c}{name}\u{201d}")}</h2>
                    <p><strong>"Copy it now: Octos Cloud will not show it again."</strong>
                        " Treat it like a password: anyone who has it can manage your cloud resources."</p>
                    <p><code class="secret new-token-value">{move || if revealed.get() { full.clone() } else { masked.clone() }}</code>" "
                        <button type="button" aria-pressed=move || revealed.get().to_string()
                            on:click=move |_| revealed.update(|r| *r = !*r)>
                            {move || if revealed.get() { "Hide" } else { "Reveal" }}
                        </button>" "
                        <CopyButton text=Signal::stored(token) label="Copy the new API token"/></p>
                    <p>
                        {match shown.saved_as {
                            Some(account) => view! {
                                <span class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>
                                    {format!("Saved as the Octos account {account}: the console uses it from now on.")}</span>
                            }.into_any(),
                            None => view! {
                                <button type="button" on:click=save>"Save as an Octos account"</button>
                                " "<span class="help">{format!("(named \u{201c}{name}\u{201d}; kept like every account, see Accounts)")}</span>
                            }.into_any(),
                        }}
                    </p>
                    <button type="button" on:click=move |_| {
                        revealed.set(false);
                        flow.shown_once.set(None);
                    }>"I have stored it: forget the token"</button>
                </section>
            }
        })
    }
}
