use cloudpane_api::lost_answer::Checked;
use cloudpane_api::netactuate::after_lost_answer::created_secret;
use cloudpane_api::netactuate::secrets::{
    check_new_secret, create_secret, list_secrets, SecretSummary, SecretsAnswer,
};
use cloudpane_api::netactuate::SecretValue;
use cloudpane_api::ApiError;
use leptos::prelude::*;
use serde_json::Value;

use super::load::netactuate_untracked;
use crate::components::{draft, FormMessages, SendOnce, TextField};
use crate::state::use_app;
use crate::transport;

/// Creates a secret: a name and a value. A name already used is said next to the name, before
/// sending when the list shows it and after NetActuate's 409 otherwise. A refused submit keeps
/// what was typed.
/// The body's fields, in the form's order.
const FIELDS: &[&str] = &["name", "value"];

/// True when the refusal names fields.
fn has_fields(e: &ApiError) -> bool {
    matches!(e, ApiError::Http(h) if !h.fields.is_empty())
}

#[component]
pub fn NewSecretForm(
    /// The secrets listed, for the duplicate check. Tracked.
    #[prop(into)]
    existing: Signal<Vec<SecretSummary>>,
    /// Called once a create was sent, whatever came of it: the list is read again.
    on_sent: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let name = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let messages = FormMessages::new("new-secret", FIELDS);
    let done = RwSignal::new(None::<String>);
    let once = SendOnce::new();
    // The name survives a reload; the value never leaves the field.
    draft::keep_fields("new-secret", vec![name]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        messages.clear();
        let typed_name = name.get_untracked().trim().to_string();
        let problems = existing
            .with_untracked(|e| value.with_untracked(|v| check_new_secret(&typed_name, v, e)));
        if !problems.is_empty() {
            // The error summary takes focus and links to each field.
            messages.show(problems);
            state.announce("The secret was not created: correct the fields marked.");
            return;
        }
        let Some((connection, token)) = netactuate_untracked() else {
            return;
        };
        if !once.claim() {
            return;
        }
        let request = create_secret(
            &token,
            &typed_name,
            &SecretValue::new(value.get_untracked()),
        );
        leptos::task::spawn_local(async move {
            let mut result = transport::send::<Value>(&connection, &request).await;
            drop(request);
            if result.as_ref().is_err_and(ApiError::answer_may_be_lost) {
                // Never sent again on its own: the list says whether it was created.
                let listed = transport::send_netactuate_list::<SecretsAnswer>(
                    &connection,
                    &list_secrets(&token),
                )
                .await
                .map(|l| l.secrets);
                match Checked::from_reread(listed, |l| created_secret(&typed_name, &l).map(|_| ())) {
                    Checked::Happened(()) => result = Ok(Value::Null),
                    Checked::DidNotHappen => messages.general(format!("The secret {typed_name} was not created: its answer was lost, and NetActuate lists no secret of that name. Nothing was created; the form is as you left it.")),
                    Checked::NotKnown(e) => messages.general(format!("Not known whether the secret {typed_name} was created: its answer was lost, and the secrets could not be read again ({e}). It was not sent again: check the table before creating it again.")),
                }
            }
            once.release();
            match result {
                Ok(_) => {
                    name.set(String::new());
                    value.set(String::new());
                    let said = format!("The secret {typed_name} was created.");
                    state.announce(said.clone());
                    done.set(Some(said));
                }
                Err(ApiError::Http(e)) if e.status == 409 => {
                    messages.field("name", "A secret with that name exists.");
                    state.announce("A secret with that name exists; nothing was created.");
                }
                Err(e) if e.answer_may_be_lost() => {
                    state.announce("The secret's answer was lost; see the message in the form.");
                }
                // NetActuate's field errors beside their fields.
                Err(e) if has_fields(&e) => {
                    messages.refusal(&e, FIELDS);
                    state.announce("NetActuate refused the new secret; see the fields marked.");
                }
                Err(e) => {
                    messages.general(format!("The secret was not created: {e}"));
                    state.announce(
                        "NetActuate refused the new secret; see the message in the form.",
                    );
                }
            }
            // Whatever happened, the table shows what NetActuate has now (after a 409, the
            // secret that holds the name).
            on_sent.run(());
        });
    };
    view! {
        <form class="form new-secret" on:submit=submit novalidate aria-labelledby="new-secret-title">
            <h3 id="new-secret-title">"Create a secret"</h3>
            {messages.view_summary()}
            <TextField messages field="name" label="Name" value=name
                help="Unique in the account, e.g. db-password."/>
            <TextField messages field="value" label="Value" value=value input_type="password"
                help="Typed hidden; stored by NetActuate and shown again only when revealed."/>
            <button type="submit" disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                {move || if once.busy() { "Creating…" } else { "Create secret" }}
            </button>
            {move || done.get().map(|m| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>{m}</p> })}
        </form>
    }
}
