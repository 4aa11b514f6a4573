use cloudpane_api::netactuate::secrets::{update_secret, SecretSummary};
use cloudpane_api::netactuate::SecretValue;
use cloudpane_api::ANSWER_MAY_BE_LOST;
use leptos::prelude::*;
use serde_json::Value;

use super::load::netactuate_untracked;
use crate::components::{ConfirmDialog, SendOnce};
use crate::state::use_app;
use crate::transport;

/// Replaces a secret's value (open while `secret` is `Some`). Machines already deployed keep
/// the value they got.
#[component]
pub fn UpdateSecretDialog(
    secret: RwSignal<Option<SecretSummary>>,
    on_updated: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let open = RwSignal::new(false);
    let value = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<String>);
    let once = SendOnce::new();
    Effect::new(move |_| {
        if secret.with(Option::is_some) {
            failure.set(None);
            value.set(String::new());
            open.set(true);
        }
    });
    Effect::new(move |_| {
        if !open.get() {
            secret.set(None);
            // The typed value leaves memory with the dialog.
            value.set(String::new());
        }
    });
    let name = move || secret.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default());
    let confirm = move |()| {
        let Some(s) = secret.get_untracked() else {
            return;
        };
        if value.with_untracked(String::is_empty) {
            failure.set(Some("Enter the new value.".into()));
            return;
        }
        let Some((connection, token)) = netactuate_untracked() else {
            return;
        };
        if !once.claim() {
            return;
        }
        let request = update_secret(&token, &s.id, &SecretValue::new(value.get_untracked()));
        leptos::task::spawn_local(async move {
            let result = transport::send::<Value>(&connection, &request).await;
            drop(request);
            once.release();
            match result {
                Ok(_) => {
                    state.announce(format!("The value of {} was updated.", s.name));
                    open.set(false);
                    on_updated.run(());
                }
                Err(e) if e.answer_may_be_lost() => failure.set(Some(format!(
                    "It is not known whether the value was updated. {ANSWER_MAY_BE_LOST}"
                ))),
                Err(e) => failure.set(Some(format!("The value was not updated: {e}"))),
            }
        });
    };
    view! {
        <ConfirmDialog open
            title=Signal::derive(move || format!("Update the value of \u{201c}{}\u{201d}", name()))
            confirm_label="Save value"
            on_confirm=confirm
            busy=Signal::derive(move || once.busy())>
            <label for="update-secret-value">"New value"</label>
            <input id="update-secret-value" type="password" autocomplete="off" spellcheck="false"
                bind:value=value aria-describedby="update-secret-help"/>
            <p id="update-secret-help" class="help">"Replaces the stored value. Machines already deployed keep the value they got until they are redeployed."</p>
            {move || failure.get().map(|m| view! { <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>{m}</p> })}
        </ConfirmDialog>
    }
}
