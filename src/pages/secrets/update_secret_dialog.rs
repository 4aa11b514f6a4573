use cloudpane_api::lost_answer::Checked;
use cloudpane_api::netactuate::after_lost_answer::secret_updated;
use cloudpane_api::netactuate::secrets::{
    get_secret, update_secret, SecretSummary, SecretWithValue,
};
use cloudpane_api::netactuate::SecretValue;
use cloudpane_api::ApiError;
use leptos::prelude::*;
use serde_json::Value;

use super::load::netactuate_untracked;
use crate::components::{ConfirmDialog, FormMessages, SendOnce, TextField};
use crate::state::use_app;
use crate::transport;

/// Replaces a secret's value (open while `secret` is `Some`). Machines already deployed keep
/// the value they got.
#[component]
pub fn UpdateSecretDialog(
    secret: RwSignal<Option<SecretSummary>>,
    /// Called with what happened, in words, once the value is stored.
    on_updated: Callback<String>,
) -> impl IntoView {
    let state = use_app();
    let open = RwSignal::new(false);
    let value = RwSignal::new(String::new());
    let messages = FormMessages::new("update-secret", &["value"]);
    let once = SendOnce::new();
    Effect::new(move |_| {
        if secret.with(Option::is_some) {
            messages.clear();
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
        messages.clear();
        if value.with_untracked(String::is_empty) {
            // The error summary takes focus and links to the field.
            messages.field("value", "Enter the new value.");
            return;
        }
        let Some((connection, token)) = netactuate_untracked() else {
            return;
        };
        if !once.claim() {
            return;
        }
        let sent = SecretValue::new(value.get_untracked());
        let request = update_secret(&token, &s.id, &sent);
        leptos::task::spawn_local(async move {
            let mut result = transport::send::<Value>(&connection, &request).await;
            drop(request);
            let mut note = "";
            if result.as_ref().is_err_and(ApiError::answer_may_be_lost) {
                // Never sent again on its own: the secret read again says whether it changed.
                let reread =
                    transport::send::<SecretWithValue>(&connection, &get_secret(&token, &s.id))
                        .await;
                match Checked::from_reread(reread, |now| secret_updated(&sent, &now).then_some(())) {
                    Checked::Happened(()) => {
                        result = Ok(Value::Null);
                        note = " Its answer was lost on the way, but NetActuate holds the new value.";
                    }
                    Checked::DidNotHappen => messages.general("The value was not updated: its answer was lost, and NetActuate still holds the old value. Nothing changed; save again."),
                    Checked::NotKnown(e) => messages.general(format!("Not known whether the value was updated: its answer was lost, and the secret could not be read again ({e}). It was not sent again.")),
                }
            }
            drop(sent);
            once.release();
            match result {
                Ok(_) => {
                    let said = format!("The value of {} was updated.{note}", s.name);
                    state.announce(said.clone());
                    open.set(false);
                    on_updated.run(said);
                }
                Err(e) if e.answer_may_be_lost() => {}
                Err(e) if matches!(&e, ApiError::Http(h) if !h.fields.is_empty()) => {
                    messages.refusal(&e, &["value"])
                }
                Err(e) => messages.general(format!("The value was not updated: {e}")),
            }
        });
    };
    view! {
        <ConfirmDialog open
            title=Signal::derive(move || format!("Update the value of \u{201c}{}\u{201d}", name()))
            confirm_label="Save value"
            on_confirm=confirm
            busy=Signal::derive(move || once.busy())>
            {messages.view_summary()}
            <TextField messages field="value" label="New value" value=value input_type="password"
                help="Replaces the stored value. Machines already deployed keep the value they got until they are redeployed."/>
        </ConfirmDialog>
    }
}
