use cloudpane_api::netactuate::secrets::{delete_secret, SecretSummary};
use leptos::prelude::*;
use serde_json::Value;

use super::load::netactuate_untracked;
use crate::components::{ConfirmDialog, SendOnce};
use crate::state::use_app;
use crate::transport;

/// Asks before deleting a secret (open while `secret` is `Some`), naming it and saying that
/// machines already deployed keep its value.
#[component]
pub fn DeleteSecretDialog(
    secret: RwSignal<Option<SecretSummary>>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let open = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let once = SendOnce::new();
    Effect::new(move |_| {
        if secret.with(Option::is_some) {
            failure.set(None);
            open.set(true);
        }
    });
    Effect::new(move |_| {
        if !open.get() {
            secret.set(None);
        }
    });
    let name = move || secret.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default());
    let confirm = move |()| {
        let (Some(s), Some((connection, token))) = (secret.get_untracked(), netactuate_untracked())
        else {
            return;
        };
        if !once.claim() {
            return;
        }
        let request = delete_secret(&token, &s.id);
        leptos::task::spawn_local(async move {
            let result = transport::send::<Value>(&connection, &request).await;
            once.release();
            match result {
                Ok(_) => {
                    state.announce(format!("The secret {} was deleted.", s.name));
                    open.set(false);
                    on_deleted.run(());
                }
                Err(e) => failure.set(Some(format!("The secret was not deleted: {e}"))),
            }
        });
    };
    view! {
        <ConfirmDialog open
            title=Signal::derive(move || format!("Delete the secret \u{201c}{}\u{201d}?", name()))
            confirm_label="Delete secret"
            on_confirm=confirm
            busy=Signal::derive(move || once.busy())
            danger=true>
            <p>"NetActuate deletes it permanently."</p>
            <p><strong>"Machines already deployed with its value keep it"</strong>
                ": the value stays on them until they are redeployed."</p>
            {move || failure.get().map(|m| view! { <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>{m}</p> })}
        </ConfirmDialog>
    }
}
