//! Rename a machine and edit its tags in place. The provider's per-field errors (422) appear
//! next to the field, and what the user typed stays.

use cloudpane_api::form_errors::FormErrors;
use cloudpane_api::lost_answer::Checked;
use cloudpane_api::machines::{details_saved, parse_tags, Machine, MachineKind};
use cloudpane_api::voltagepark::{bare_metal, vms, vms::DetailsPatch};
use cloudpane_api::ApiError;
use leptos::prelude::*;
use serde_json::Value;

use super::load::read_machine;
use crate::components::SendOnce;
use crate::state::use_app;
use crate::transport;

#[component]
pub fn RenameForm(
    /// The machine as last read: the fields start from it, and a save sends what differs.
    #[prop(into)]
    machine: Signal<Machine>,
    after_action: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let (name, tags) = machine.with_untracked(|m| {
        (
            RwSignal::new(m.name.clone()),
            RwSignal::new(m.tags.join(", ")),
        )
    });
    let once = SendOnce::new();
    let field_errors = RwSignal::new(Vec::<(String, String)>::new());
    let general = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let error_for = move |field: &'static str| {
        move || {
            field_errors.with(|e| {
                e.iter()
                    .filter(|(f, _)| f == field)
                    .map(|(_, m)| view! { <p class="field-error" id=format!("edit-{field}-error")>{m.clone()}</p> })
                    .collect_view()
            })
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let m = machine.get_untracked();
        let new_name = name.get_untracked().trim().to_string();
        let new_tags = parse_tags(&tags.get_untracked());
        if new_name.is_empty() {
            field_errors.set(vec![("name".into(), "Give the machine a name.".into())]);
            return;
        }
        let patch = DetailsPatch {
            name: (new_name != m.name).then_some(new_name),
            tags: (new_tags != m.tags).then_some(new_tags),
        };
        if patch == DetailsPatch::default() {
            general.set(Some("Nothing changed.".into()));
            return;
        }
        let (Some(connection), Some(account)) = (
            state.connection.get_untracked(),
            state
                .accounts
                .all_untracked()
                .into_iter()
                .find(|a| a.id == m.account.id),
        ) else {
            return;
        };
        if !once.claim() {
            return;
        }
        let request = match m.kind {
            MachineKind::BareMetal => bare_metal::update_rental(&account.token, &m.id, &patch),
            _ => vms::update_vm(&account.token, &m.id, &patch),
        };
        leptos::task::spawn_local(async move {
            let result = transport::send::<Value>(&connection, &request).await;
            // A lost answer is never sent again: the machine read again says whether it took.
            let lost = match &result {
                Err(e) if e.answer_may_be_lost() => Some(details_saved(
                    &patch,
                    read_machine(&connection, &account, &m).await,
                )),
                _ => None,
            };
            once.release();
            match (result, lost) {
                (Ok(_), _) | (_, Some(Checked::Happened(_))) => {
                    field_errors.set(Vec::new());
                    general.set(None);
                    saved.set(true);
                    state.announce("Name and tags saved.");
                    after_action.run(());
                }
                (_, Some(Checked::DidNotHappen)) => {
                    let said = "Not saved: its answer was lost, and read again the machine still has its old name and tags. Nothing changed; what you typed is kept: save again.";
                    general.set(Some(said.into()));
                    state.announce(said);
                }
                (_, Some(Checked::NotKnown(e))) => {
                    let said = format!("Not known whether the name and tags were saved: its answer was lost, and the machine could not be read again ({e}). It was not sent again: reload the machine before saving again.");
                    general.set(Some(said.clone()));
                    state.announce(said);
                }
                (Err(ApiError::Http(e)), None) if !e.fields.is_empty() => {
                    let placed = FormErrors::place(&e.fields, &["name", "tags"]);
                    field_errors.set(
                        placed
                            .fields
                            .into_iter()
                            .map(|(f, m)| (f.to_string(), m))
                            .collect(),
                    );
                    general.set(Some(if placed.general.is_empty() {
                        e.summary()
                    } else {
                        placed.general.join("; ")
                    }));
                    state.announce("The provider refused the change; see the fields marked.");
                }
                (Err(e), None) => {
                    general.set(Some(e.to_string()));
                    state.announce(format!("Saving failed: {e}"));
                }
            }
        });
    };
    view! {
        <form class="form" on:submit=submit novalidate>
            <h3>"Name and tags"</h3>
            {move || general.get().map(|g| view! { <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>{g}</p> })}
            <label for="edit-name">"Name"</label>
            <input id="edit-name" type="text" bind:value=name
                aria-invalid=move || field_errors.with(|e| e.iter().any(|(f, _)| f == "name")).to_string()
                aria-describedby="edit-name-error"/>
            {error_for("name")}
            <label for="edit-tags">"Tags"</label>
            <input id="edit-tags" type="text" bind:value=tags aria-describedby="edit-tags-help edit-tags-error"/>
            <p id="edit-tags-help" class="help">"Separate tags with commas."</p>
            {error_for("tags")}
            <button type="submit" disabled=move || once.busy()>"Save name and tags"</button>
            {move || saved.get().then(|| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>"Saved."</p> })}
        </form>
    }
}
