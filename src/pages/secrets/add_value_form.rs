use cloudpane_api::lost_answer::Checked;
use cloudpane_api::netactuate::after_lost_answer::stored_value;
use cloudpane_api::netactuate::secret_lists::key_case_warning;
use cloudpane_api::netactuate::secret_lists::{
    check_value, create_value, list_values, Data, ListValue, SecretListInfo,
};
use cloudpane_api::netactuate::SecretValue;
use cloudpane_api::ApiError;
use leptos::prelude::*;
use serde_json::Value;

use super::list_address::{read_list_to_end, send_to_list};
use super::load::netactuate_untracked;
use crate::components::{FormMessages, SendOnce, TextField};
use crate::state::use_app;

/// Adds a key/value pair to the list. A key another list holds is named before sending (keys
/// are unique across the account). A refused submit keeps what was typed.
#[component]
pub fn AddValueForm(
    #[prop(into)] list: Signal<Option<SecretListInfo>>,
    #[prop(into)] lists: Signal<Vec<SecretListInfo>>,
    #[prop(into)] all_values: Signal<Vec<ListValue>>,
    /// True while something is typed and not sent.
    dirty: RwSignal<bool>,
    /// Called once a value was sent, whatever came of it: the list is read again.
    on_sent: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let key = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let messages = FormMessages::new("new-value", &["key", "value"]);
    let done = RwSignal::new(None::<String>);
    let once = SendOnce::new();
    Effect::new(move |_| dirty.set(key.with(|k| !k.is_empty()) || value.with(|v| !v.is_empty())));
    // Said as the key is typed, before anything is sent.
    let clash = move || {
        let typed = key.get();
        if typed.trim().is_empty() {
            return None;
        }
        all_values
            .with(|all| lists.with(|l| check_value(typed.trim(), None, None, all, l)))
            .into_iter()
            .next()
            .map(|(_, m)| m)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let typed_key = key.get_untracked().trim().to_string();
        let problems = all_values.with_untracked(|all| {
            lists.with_untracked(|l| {
                value.with_untracked(|v| check_value(&typed_key, Some(v), None, all, l))
            })
        });
        if !problems.is_empty() {
            // The error summary takes focus and links to each field.
            messages.show(problems);
            state.announce("The value was not added: correct the fields marked.");
            return;
        }
        messages.clear();
        let (Some(l), Some((connection, token))) = (list.get_untracked(), netactuate_untracked())
        else {
            return;
        };
        if !once.claim() {
            return;
        }
        let secret = SecretValue::new(value.get_untracked());
        leptos::task::spawn_local(async move {
            // By name, once more by id after a 404 (the SDKs' way).
            let mut result = send_to_list::<Value>(state, &connection, &l, |segment| {
                create_value(&token, segment, &typed_key, &secret)
            })
            .await;
            let mut note = "";
            if result.as_ref().is_err_and(ApiError::answer_may_be_lost) {
                // Never sent again on its own: the list's values say whether it was stored.
                let reread =
                    read_list_to_end::<Data<Vec<ListValue>>>(state, &connection, &l, |segment| {
                        list_values(&token, segment)
                    })
                    .await
                    .map(|d| d.data);
                match Checked::from_reread(reread, |after| {
                    stored_value(&l.id, &typed_key, &secret, &after).map(|_| ())
                }) {
                    Checked::Happened(()) => {
                        result = Ok(Value::Null);
                        note = " Its answer was lost on the way, but NetActuate lists it, so it was not sent again.";
                    }
                    Checked::DidNotHappen => messages.general(format!("{typed_key} was not added: its answer was lost, and NetActuate does not list it. Nothing was added; the form is as you left it.")),
                    Checked::NotKnown(e) => messages.general(format!("Not known whether {typed_key} was added: its answer was lost, and the values could not be read again ({e}). It was not sent again: check the values above before adding it again.")),
                }
            }
            drop(secret);
            once.release();
            match result {
                Ok(_) => {
                    key.set(String::new());
                    value.set(String::new());
                    let said = format!("{typed_key} was added to the list.{note}");
                    state.announce(said.clone());
                    done.set(Some(said));
                }
                Err(e) if e.answer_may_be_lost() => {
                    state.announce("The value's answer was lost; see the message in the form.");
                }
                Err(ApiError::Http(e))
                    if e.status == 422
                        && e.message.as_deref().is_some_and(|m| m.contains("key")) =>
                {
                    messages.field(
                        "key",
                        "Another list already holds that key: keys are unique across the account.",
                    );
                }
                Err(e) => messages.general(format!("The value was not added: {e}")),
            }
            // Whatever happened, the table shows what the list holds now.
            on_sent.run(());
        });
    };
    view! {
        <form class="form add-value" on:submit=submit novalidate aria-labelledby="add-value-title">
            <h3 id="add-value-title">"Add a value"</h3>
            {messages.view_summary()}
            <label for="new-value-key">"Key"</label>
            <input id="new-value-key" type="text" autocomplete="off" spellcheck="false" bind:value=key
                aria-invalid=move || messages.has("key").to_string()
                aria-describedby="new-value-key-help new-value-key-error new-value-key-warning"/>
            <p id="new-value-key-help" class="help">"Letters, digits and _, not starting with a digit. Referenced in cloud-init as ${{secret.KEY}}, case-sensitively."</p>
            <p id="new-value-key-warning" class="help warn-text">
                {move || {
                    let typed = key.get();
                    all_values.with(|all| lists.with(|l| key_case_warning(&typed, None, all, l)))
                        .map(|w| view! { <span aria-hidden="true">"⚠ "</span>{w} })
                }}
            </p>
            <div id="new-value-key-error">
                {move || (!messages.has("key")).then(|| clash().map(|m| view! { <p class="field-error">{m}</p> }))}
                {messages.view_field("key", "new-value-key-messages".into())}
            </div>
            <TextField messages field="value" label="Value" value=value input_type="password"/>
            <button type="submit" disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                {move || if once.busy() { "Adding…" } else { "Add value" }}
            </button>
            {move || done.get().map(|m| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>{m}</p> })}
        </form>
    }
}
