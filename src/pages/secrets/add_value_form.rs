use cloudpane_api::lost_answer::Checked;
use cloudpane_api::netactuate::after_lost_answer::stored_value;
use cloudpane_api::netactuate::secret_lists::{
    check_value, create_value, list_values, Data, ListValue, SecretListInfo,
};
use cloudpane_api::netactuate::SecretValue;
use cloudpane_api::ApiError;
use leptos::prelude::*;
use serde_json::Value;

use super::load::{focus, netactuate_untracked};
use crate::components::SendOnce;
use crate::state::use_app;
use crate::transport;

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
    let errors = RwSignal::new(Vec::<(&'static str, String)>::new());
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
        if let Some((field, _)) = problems.first() {
            focus(&format!("new-value-{field}"));
            errors.set(problems);
            state.announce("The value was not added: correct the fields marked.");
            return;
        }
        errors.set(Vec::new());
        let (Some(l), Some((connection, token))) = (list.get_untracked(), netactuate_untracked())
        else {
            return;
        };
        if !once.claim() {
            return;
        }
        let secret = SecretValue::new(value.get_untracked());
        let request = create_value(&token, &l.name, &typed_key, &secret);
        leptos::task::spawn_local(async move {
            let mut result = transport::send::<Value>(&connection, &request).await;
            drop(request);
            let mut note = "";
            if result.as_ref().is_err_and(ApiError::answer_may_be_lost) {
                // Never sent again on its own: the list's values say whether it was stored.
                let reread = transport::send::<Data<Vec<ListValue>>>(
                    &connection,
                    &list_values(&token, &l.name),
                )
                .await
                .map(|d| d.data);
                match Checked::from_reread(reread, |after| {
                    stored_value(&l.id, &typed_key, &secret, &after).map(|_| ())
                }) {
                    Checked::Happened(()) => {
                        result = Ok(Value::Null);
                        note = " Its answer was lost on the way, but NetActuate lists it, so it was not sent again.";
                    }
                    Checked::DidNotHappen => errors.set(vec![("", format!("{typed_key} was not added: its answer was lost, and NetActuate does not list it. Nothing was added; the form is as you left it."))]),
                    Checked::NotKnown(e) => errors.set(vec![("", format!("Not known whether {typed_key} was added: its answer was lost, and the values could not be read again ({e}). It was not sent again: check the values above before adding it again."))]),
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
                    errors.set(vec![(
                        "key",
                        "Another list already holds that key: keys are unique across the account."
                            .into(),
                    )]);
                    focus("new-value-key");
                }
                Err(e) => errors.set(vec![("", format!("The value was not added: {e}"))]),
            }
            // Whatever happened, the table shows what the list holds now.
            on_sent.run(());
        });
    };
    let messages = move |field: &'static str| {
        move || {
            errors.with(|e| {
                e.iter()
                    .filter(|(f, _)| *f == field)
                    .map(|(_, m)| view! { <p class="field-error">{m.clone()}</p> })
                    .collect_view()
            })
        }
    };
    view! {
        <form class="form add-value" on:submit=submit novalidate aria-labelledby="add-value-title">
            <h3 id="add-value-title">"Add a value"</h3>
            <div role="alert" class="general-errors">{messages("")}</div>
            <label for="new-value-key">"Key"</label>
            <input id="new-value-key" type="text" autocomplete="off" spellcheck="false" bind:value=key
                aria-describedby="new-value-key-help new-value-key-error"/>
            <p id="new-value-key-help" class="help">"Referenced in cloud-init as ${{secret.KEY}}, case-sensitively."</p>
            <div id="new-value-key-error">
                {move || errors.with(|e| e.is_empty()).then(|| clash().map(|m| view! { <p class="field-error">{m}</p> }))}
                {messages("key")}
            </div>
            <label for="new-value-value">"Value"</label>
            <input id="new-value-value" type="password" autocomplete="off" spellcheck="false" bind:value=value
                aria-describedby="new-value-value-error"/>
            <div id="new-value-value-error">{messages("value")}</div>
            <button type="submit" disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                {move || if once.busy() { "Adding…" } else { "Add value" }}
            </button>
            {move || done.get().map(|m| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>{m}</p> })}
        </form>
    }
}
