use cloudpane_api::netactuate::secrets::{delete_secret, SecretSummary};
use leptos::prelude::*;

use super::delete_dialog::{DeleteDialog, Deleting};
use super::load::load_secrets;
use crate::state::Connection;
use crate::transport;

/// Asks before deleting a secret (open while `secret` is `Some`), naming it and saying that
/// machines already deployed keep its value.
#[component]
pub fn DeleteSecretDialog(
    secret: RwSignal<Option<SecretSummary>>,
    /// Called with what happened, in words, once it is gone.
    on_deleted: Callback<String>,
) -> impl IntoView {
    let name = move || secret.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default());
    view! {
        <DeleteDialog target=secret
            title=Signal::derive(move || format!("Delete the secret \u{201c}{}\u{201d}?", name()))
            confirm_label="Delete secret"
            send=Callback::new(|(c, token, s): (Connection, String, SecretSummary)| -> Deleting {
                Box::pin(async move { transport::send(&c, &delete_secret(&token, &s.id)).await })
            })
            what=|s: &SecretSummary| format!("the secret {}", s.name)
            id=|s: &SecretSummary| s.id.clone()
            listed=|c, token| Box::pin(async move {
                load_secrets(c, token).await.map(|all| {
                    all.listed_ids(|s| &s.id).into_iter().map(str::to_string).collect()
                })
            })
            on_deleted>
            <p>"NetActuate deletes it permanently."</p>
            <p><strong>"Machines already deployed with its value keep it"</strong>
                ": the value stays on them until they are redeployed."</p>
        </DeleteDialog>
    }
}
