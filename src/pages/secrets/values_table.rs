use cloudpane_api::lost_answer::Checked;
use cloudpane_api::netactuate::after_lost_answer::edit_saved;
use cloudpane_api::netactuate::secret_lists::{
    check_value, delete_value, get_value, list_all_values, list_values, update_value,
    value_field_errors, Data, ListValue, SecretListInfo,
};
use cloudpane_api::netactuate::SecretValue;
use cloudpane_api::ApiError;
use leptos::prelude::*;
use serde_json::Value;

use super::delete_dialog::{DeleteDialog, Deleting};
use super::list_address::{read_list_to_end, send_to_list};
use super::load::{count, netactuate_untracked};
use super::value_source::ValueSource;
use crate::components::{FormMessages, MaskedValue, SendOnce, TextField};
use crate::state::{use_app, Connection};
use crate::transport;

/// The list's values: key, masked value (reveal, copy), Edit (key and value) and Delete.
#[component]
pub fn ValuesTable(
    #[prop(into)] list: Signal<Option<SecretListInfo>>,
    #[prop(into)] values: Signal<Vec<ListValue>>,
    #[prop(into)] lists: Signal<Vec<SecretListInfo>>,
    #[prop(into)] all_values: Signal<Vec<ListValue>>,
    /// True while an edit has changes not saved.
    editing: RwSignal<bool>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let edit_id = RwSignal::new(None::<String>);
    let to_delete = RwSignal::new(None::<ListValue>);
    let outcome = RwSignal::new(None::<String>);
    let list_name = move || list.with(|l| l.as_ref().map(|l| l.name.clone()).unwrap_or_default());
    let rows = move || values.get();
    view! {
        <section class="values-section" aria-labelledby="values-title">
            <h3 id="values-title">"Values"</h3>
            <p class="row-count" role="status">{move || values.with(|v| if v.is_empty() {
                "The list holds no values yet. Add one or import a .env file below.".to_string()
            } else {
                count(v.len(), "value", "values")
            })}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="list-values-caption">
                <table class="data-table list-values">
                    <caption id="list-values-caption" class="visually-hidden">"The list's values"</caption>
                    <thead><tr>
                        <th scope="col">"Key"</th>
                        <th scope="col">"Value"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>
                        // A changed value is a new row: its masked value starts masked again.
                        <For each=rows key=move |v| (v.id.clone(), v.secret_key.clone(), list_name(), v.secret_value.expose().to_string()) let:v>
                            {
                                let id = v.id.clone();
                                let is_editing = {
                                    let id = StoredValue::new(id.clone());
                                    move || id.with_value(|id| edit_id.with(|e| e.as_deref() == Some(id.as_str())))
                                };
                                let for_delete = v.clone();
                                let key = v.secret_key.clone();
                                let source = ValueSource::ListValue { list: list.get_untracked().unwrap_or_default(), id: id.clone() };
                                view! {
                                    <tr>
                                        <th scope="row"><code>{key.clone()}</code></th>
                                        <td><MaskedValue source=source.for_masked_value() what=format!("the value of {key}")/></td>
                                        <td class="row-actions">
                                            <button type="button" aria-label=format!("Edit {key}")
                                                aria-expanded=move || is_editing().to_string()
                                                on:click={
                                                    let id = id.clone();
                                                    move |_| edit_id.set(Some(id.clone()))
                                                }>"Edit"</button>
                                            " "
                                            <button type="button" class="danger" aria-label=format!("Delete {key}")
                                                on:click=move |_| {
                                                    outcome.set(None);
                                                    to_delete.set(Some(for_delete.clone()));
                                                }>"Delete"</button>
                                        </td>
                                    </tr>
                                    <Show when=is_editing>
                                        <tr class="edit-row">
                                            <td colspan="3">
                                                <EditValueForm value=v.clone() list lists all_values dirty=editing
                                                    on_done=Callback::new(move |saved: bool| {
                                                        edit_id.set(None);
                                                        editing.set(false);
                                                        if saved { on_changed.run(()); }
                                                    })/>
                                            </td>
                                        </tr>
                                    </Show>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
            {move || outcome.get().map(|m| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>{m}</p> })}
            <DeleteValueDialog value=to_delete list on_deleted=Callback::new(move |said| {
                outcome.set(Some(said));
                on_changed.run(());
            })/>
        </section>
    }
}

/// Edits one value's key and/or value. An empty value field keeps the stored value.
#[component]
fn EditValueForm(
    value: ListValue,
    #[prop(into)] list: Signal<Option<SecretListInfo>>,
    #[prop(into)] lists: Signal<Vec<SecretListInfo>>,
    #[prop(into)] all_values: Signal<Vec<ListValue>>,
    dirty: RwSignal<bool>,
    /// Called with true once saved, false when cancelled.
    on_done: Callback<bool>,
) -> impl IntoView {
    let state = use_app();
    let original_key = value.secret_key.clone();
    let key = RwSignal::new(original_key.clone());
    let new_value = RwSignal::new(String::new());
    let once = SendOnce::new();
    let id = value.id.clone();
    let messages = FormMessages::new(format!("edit-value-{id}"), &["key", "value"]);
    {
        let original_key = original_key.clone();
        Effect::new(move |_| {
            dirty.set(key.with(|k| *k != original_key) || new_value.with(|v| !v.is_empty()));
        });
    }
    let submit = {
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let typed_key = key.get_untracked().trim().to_string();
            let typed_value = new_value.get_untracked();
            let key_changed = typed_key != original_key;
            if !key_changed && typed_value.is_empty() {
                on_done.run(false);
                return;
            }
            let problems = all_values.with_untracked(|all| {
                lists.with_untracked(|l| {
                    check_value(
                        &typed_key,
                        (!typed_value.is_empty()).then_some(typed_value.as_str()),
                        Some(&id),
                        all,
                        l,
                    )
                })
            });
            // The error summary takes focus and links to each field.
            messages.show(problems);
            if messages.has_untracked() {
                return;
            }
            let (Some(l), Some((connection, token))) =
                (list.get_untracked(), netactuate_untracked())
            else {
                return;
            };
            if !once.claim() {
                return;
            }
            let secret = (!typed_value.is_empty()).then(|| SecretValue::new(typed_value));
            let id = id.clone();
            leptos::task::spawn_local(async move {
                // NetActuate is always sent the key with the value (the document's only body,
                // and every public client's): when only the key changes, the stored value is
                // read first and sent again as it is.
                let sent_value = match &secret {
                    Some(typed) => typed.clone(),
                    None => {
                        let stored =
                            send_to_list::<Data<ListValue>>(state, &connection, &l, |segment| {
                                get_value(&token, segment, &id)
                            })
                            .await;
                        // An answer without the value must not send an empty one in its place.
                        let stored = stored.map(|d| d.data.secret_value).and_then(|v| {
                            if v.is_empty() {
                                Err(ApiError::Decode("NetActuate's answer held no value".into()))
                            } else {
                                Ok(v)
                            }
                        });
                        match stored {
                            Ok(stored) => stored,
                            Err(e) => {
                                once.release();
                                messages.show(vec![("", format!("Not saved, and nothing was sent: NetActuate takes the new key together with the value, and the stored value could not be read ({e}). Type the value as well, or try again."))]);
                                return;
                            }
                        }
                    }
                };
                // By name, once more by id after a 404 (the SDKs' way).
                let mut result = send_to_list::<Value>(state, &connection, &l, |segment| {
                    update_value(&token, segment, &id, &typed_key, &sent_value)
                })
                .await;
                drop(sent_value);
                let mut note = "";
                if result.as_ref().is_err_and(ApiError::answer_may_be_lost) {
                    // Never sent again on its own: the list's values say whether it was saved.
                    let reread = read_list_to_end::<Data<Vec<ListValue>>>(
                        state,
                        &connection,
                        &l,
                        |segment| list_values(&token, segment),
                    )
                    .await
                    .map(|d| d.data);
                    let sent_key = key_changed.then_some(typed_key.as_str());
                    match Checked::from_reread(reread, |after| {
                        edit_saved(&id, sent_key, secret.as_ref(), &after).then_some(())
                    }) {
                        Checked::Happened(()) => {
                            result = Ok(Value::Null);
                            note = " Its answer was lost on the way, but NetActuate lists it as sent.";
                        }
                        Checked::DidNotHappen => messages.show(vec![("", "Not saved: its answer was lost, and NetActuate still lists the key and value as they were. Nothing changed; save again.".into())]),
                        Checked::NotKnown(e) => messages.show(vec![("", format!("Not known whether it was saved: its answer was lost, and the values could not be read again ({e}). Cancel to see the list as it is now."))]),
                    }
                }
                drop(secret);
                once.release();
                match result {
                    Ok(_) => {
                        state.announce(format!("{typed_key} was saved.{note}"));
                        new_value.set(String::new());
                        on_done.run(true);
                    }
                    Err(e) if e.answer_may_be_lost() => {}
                    Err(e) if !value_field_errors(&e).is_empty() => {
                        let mut said = vec![("", format!("Not saved: {e}"))];
                        said.extend(value_field_errors(&e));
                        messages.show(said);
                    }
                    Err(ApiError::Http(e))
                        if e.status == 422
                            && e.message.as_deref().is_some_and(|m| m.contains("key")) =>
                    {
                        messages.show(vec![("key", "Another list already holds that key: keys are unique across the account.".into())]);
                    }
                    Err(e) => messages.show(vec![("", format!("Not saved: {e}"))]),
                }
            });
        }
    };
    view! {
        <form class="form inline-form edit-value" on:submit=submit novalidate aria-label=format!("Edit {}", value.secret_key)>
            {messages.view_summary()}
            <TextField messages field="key" label="Key" value=key/>
            <TextField messages field="value" label="New value" value=new_value input_type="password"
                help="Leave empty to keep the stored value."/>
            <div class="form-actions">
                <button type="button" on:click=move |_| on_done.run(false)>"Cancel"</button>
                <button type="submit" disabled=move || once.busy()>{move || if once.busy() { "Saving…" } else { "Save" }}</button>
            </div>
        </form>
    }
}

/// Asks before deleting one value, naming its key and its list.
#[component]
fn DeleteValueDialog(
    value: RwSignal<Option<ListValue>>,
    #[prop(into)] list: Signal<Option<SecretListInfo>>,
    on_deleted: Callback<String>,
) -> impl IntoView {
    let state = use_app();
    let key = move || value.with(|v| v.as_ref().map(|v| v.secret_key.clone()).unwrap_or_default());
    let list_name = move || list.with(|l| l.as_ref().map(|l| l.name.clone()).unwrap_or_default());
    view! {
        <DeleteDialog target=value
            title=Signal::derive(move || format!("Delete the key \u{201c}{}\u{201d} from the list \u{201c}{}\u{201d}?", key(), list_name()))
            confirm_label="Delete key"
            send=Callback::new(move |(c, token, v): (Connection, String, ListValue)| -> Deleting {
                let l = list.get_untracked().unwrap_or_default();
                Box::pin(async move {
                    send_to_list(state, &c, &l, |list| delete_value(&token, list, &v.id)).await
                })
            })
            what=|v: &ListValue| format!("the key {}", v.secret_key)
            id=|v: &ListValue| v.id.clone()
            listed=|c, token| Box::pin(async move {
                transport::send_netactuate_list::<Data<Vec<ListValue>>>(&c, &list_all_values(&token))
                    .await
                    .map(|d| d.data.into_iter().map(|v| v.id).collect())
            })
            on_deleted>
            <p>{move || format!("Cloud-init scripts that reference ${{{{secret.{}}}}} will not be filled in on new deploys. Machines already deployed keep the value they got.", key())}</p>
        </DeleteDialog>
    }
}
