use leptos::prelude::*;

use super::credentials::{save_as_account, Flow};
use crate::components::CopyButton;
use crate::state::use_app;

/// The new API token, shown once: copy it, read the warning, save it as an Octos account in one
/// click (named after the token). Dismissed, it is gone from the page.
#[component]
pub fn NewTokenPanel(flow: Flow) -> impl IntoView {
    let state = use_app();
    move || {
        flow.shown_once.get().map(|shown| {
            let token = shown.token.clone();
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
                    <p><code class="secret new-token-value">{token.clone()}</code>" "
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
                    <button type="button" on:click=move |_| flow.shown_once.set(None)>"I have stored it: hide the token"</button>
                </section>
            }
        })
    }
}
