//! Rename a machine and edit its tags in place. A refused save puts the error summary at the top
//! (it takes focus) and the provider's per-field errors (422) next to their fields; what the user
//! typed stays.

use cloudpane_api::lost_answer::Checked;
use cloudpane_api::machines::{details_saved, parse_tags, Machine, MachineKind};
use cloudpane_api::voltagepark::{bare_metal, vms, vms::DetailsPatch};
use leptos::prelude::*;
use serde_json::Value;

use super::load::read_machine;
use crate::components::{FormMessages, SendOnce, TextField};
use crate::state::use_app;
use crate::transport;

/// The body's fields, in the form's order.
const FIELDS: &[&str] = &["name", "tags"];

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
    let messages = FormMessages::new("edit", FIELDS);
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        messages.clear();
        let m = machine.get_untracked();
        let new_name = name.get_untracked().trim().to_string();
        let new_tags = parse_tags(&tags.get_untracked());
        if new_name.is_empty() {
            // The error summary takes focus and links to the field.
            messages.field("name", "Give the machine a name.");
            return;
        }
        let sent: Vec<&'static str> = [new_name != m.name, new_tags != m.tags]
            .into_iter()
            .zip(FIELDS)
            .filter_map(|(changed, field)| changed.then_some(*field))
            .collect();
        let patch = DetailsPatch {
            name: (new_name != m.name).then_some(new_name),
            tags: (new_tags != m.tags).then_some(new_tags),
        };
        if patch == DetailsPatch::default() {
            messages.general("Nothing changed.");
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
                    saved.set(true);
                    state.announce("Name and tags saved.");
                    after_action.run(());
                }
                (_, Some(Checked::DidNotHappen)) => {
                    let said = "Not saved: its answer was lost, and read again the machine still has its old name and tags. Nothing changed; what you typed is kept: save again.";
                    messages.general(said);
                    state.announce(said);
                }
                (_, Some(Checked::NotKnown(e))) => {
                    let said = format!("Not known whether the name and tags were saved: its answer was lost, and the machine could not be read again ({e}). It was not sent again: reload the machine before saving again.");
                    messages.general(said.clone());
                    state.announce(said);
                }
                (Err(error), None) => {
                    // Its fields' errors beside them, the rest above; what was typed stays.
                    messages.refusal(&error, &sent);
                    state.announce(format!(
                        "{} refused the change; see the messages in the form.",
                        m.provider
                    ));
                }
            }
        });
    };
    view! {
        <form class="form" on:submit=submit novalidate>
            <h3>"Name and tags"</h3>
            {messages.view_summary()}
            <TextField messages field="name" label="Name" value=name/>
            <TextField messages field="tags" label="Tags" value=tags help="Separate tags with commas."/>
            <button type="submit" disabled=move || once.busy()>"Save name and tags"</button>
            {move || saved.get().then(|| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>"Saved."</p> })}
        </form>
    }
}
