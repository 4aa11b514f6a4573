use cloudpane_api::netactuate::secrets::{delete_secret, SecretSummary};
use leptos::prelude::*;

use super::delete_dialog::DeleteDialog;

/// Asks before deleting a secret (open while `secret` is `Some`), naming it and saying that
/// machines already deployed keep its value.
#[component]
pub fn DeleteSecretDialog(
    secret: RwSignal<Option<SecretSummary>>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let name = move || secret.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default());
    view! {
        <DeleteDialog target=secret
            title=Signal::derive(move || format!("Delete the secret \u{201c}{}\u{201d}?", name()))
            confirm_label="Delete secret"
            request=Callback::new(|(token, s): (String, SecretSummary)| delete_secret(&token, &s.id))
            deleted=|s: &SecretSummary| format!("The secret {} was deleted.", s.name)
            not_deleted="The secret was not deleted"
            on_deleted>
            <p>"NetActuate deletes it permanently."</p>
            <p><strong>"Machines already deployed with its value keep it"</strong>
                ": the value stays on them until they are redeployed."</p>
        </DeleteDialog>
    }
}
