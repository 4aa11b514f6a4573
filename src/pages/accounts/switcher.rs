//! The header's account switcher and lock button. Part of the first load, so kept small.

use cloudpane_api::Provider;
use leptos::html;
use leptos::prelude::*;

use crate::accounts::VaultStatus;
use crate::state::use_app;

/// Shows the account in use for each provider; opens a list to change it in one click.
#[component]
pub fn AccountSwitcher() -> impl IntoView {
    let state = use_app();
    let open = RwSignal::new(false);
    let button = NodeRef::<html::Button>::new();
    let in_use = move || {
        Provider::ALL
            .iter()
            .filter_map(|p| state.accounts.active(*p).map(|a| (*p, a.name)))
            .collect::<Vec<_>>()
    };
    let close = move || {
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let providers = move || {
        let all = state.accounts.all();
        Provider::ALL
            .iter()
            .copied()
            .filter(|p| all.iter().any(|a| a.provider == *p))
            .map(|p| {
                (
                    p,
                    all.iter()
                        .filter(|a| a.provider == p)
                        .cloned()
                        .collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="account-switcher" on:keydown=move |ev| {
            if ev.key() == "Escape" && open.get_untracked() {
                ev.prevent_default();
                close();
            }
        }>
            <Show when=move || !state.accounts.all().is_empty() fallback=|| view! {
                <a class="accounts-link" href=crate::base_path::app_href("/accounts")>"No accounts"</a>
            }>
                <button type="button" node_ref=button class="switcher-button" aria-expanded=move || open.get().to_string()
                    aria-controls="account-switcher-panel" on:click=move |_| open.update(|o| *o = !*o)>
                    <span class="visually-hidden">"Accounts in use: "</span>
                    {move || in_use().into_iter().map(|(p, name)| view! {
                        <span class="in-use"><span class="provider">{p.display_name()}</span>" "{name}</span>
                    }).collect_view()}
                    <span aria-hidden="true">" ▾"</span>
                </button>
            </Show>
            <Show when=move || open.get()>
                <div id="account-switcher-panel" class="switcher-panel">
                    {move || providers().into_iter().map(|(p, accounts)| {
                        let group = format!("switch-{}", p.slug());
                        view! {
                            <fieldset>
                                <legend>{p.display_name()}</legend>
                                {accounts.into_iter().map(|a| {
                                    let id = a.id;
                                    let name = a.name.clone();
                                    let input_id = format!("{group}-{id}");
                                    let checked = move || state.accounts.active(p).is_some_and(|x| x.id == id);
                                    view! {
                                        <div class="choice">
                                            <input type="radio" id=input_id.clone() name=group.clone() prop:checked=checked
                                                on:change=move |_| {
                                                    state.accounts.set_active(p, id);
                                                    state.announce(format!("{} now acts as {}.", p.display_name(), name));
                                                }/>
                                            <label for=input_id>{a.name.clone()}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                        }
                    }).collect_view()}
                    <a href=crate::base_path::app_href("/accounts") on:click=move |_| open.set(false)>"Manage accounts"</a>
                </div>
            </Show>
        </div>
    }
}

/// Drops the key and every token from memory; shown while remembered accounts are open.
#[component]
pub fn LockButton() -> impl IntoView {
    let state = use_app();
    view! {
        <Show when=move || state.accounts.status() == VaultStatus::Unlocked>
            <button type="button" class="lock-button" on:click=move |_| {
                state.accounts.lock();
                state.announce("Accounts locked.");
            }>
                <span aria-hidden="true">"🔒 "</span>"Lock"
            </button>
        </Show>
    }
}
