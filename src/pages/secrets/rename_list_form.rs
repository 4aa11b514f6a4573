use cloudpane_api::lost_answer::Checked;
use cloudpane_api::netactuate::after_lost_answer::renamed;
use cloudpane_api::netactuate::secret_lists::{
    check_list_name, list_secret_lists, rename_secret_list, Data, SecretListInfo,
};
use cloudpane_api::ApiError;
use leptos::prelude::*;
use serde_json::Value;

use super::list_address::send_to_list;
use super::load::netactuate_untracked;
use crate::components::{FormMessages, SendOnce, TextField};
use crate::state::use_app;
use crate::transport;

/// Renames the list (`POST /api/secrets/lists/{secretList}` `{name}`); names are unique across
/// the account.
#[component]
pub fn RenameListForm(
    #[prop(into)] list: Signal<Option<SecretListInfo>>,
    #[prop(into)] lists: Signal<Vec<SecretListInfo>>,
    /// True while the name typed differs from the list's.
    dirty: RwSignal<bool>,
    on_renamed: Callback<String>,
) -> impl IntoView {
    let name = RwSignal::new(list.get_untracked().map(|l| l.name).unwrap_or_default());
    let messages = FormMessages::new("rename-list", &["name"]);
    let once = SendOnce::new();
    let state = use_app();
    Effect::new(move |_| {
        let differs = list.with(|l| {
            l.as_ref()
                .is_some_and(|l| name.with(|n| n.trim() != l.name))
        });
        dirty.set(differs);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(current) = list.get_untracked() else {
            return;
        };
        messages.clear();
        let typed = name.get_untracked().trim().to_string();
        if typed == current.name {
            messages.field("name", "That is already the list's name.");
            return;
        }
        if let Some(problem) =
            lists.with_untracked(|l| check_list_name(&typed, Some(&current.id), l))
        {
            // The error summary takes focus and links to the field.
            messages.field("name", problem);
            return;
        }
        let Some((connection, token)) = netactuate_untracked() else {
            return;
        };
        if !once.claim() {
            return;
        }
        leptos::task::spawn_local(async move {
            let mut result = send_to_list::<Value>(state, &connection, &current, |list| {
                rename_secret_list(&token, list, &typed)
            })
            .await;
            if result.as_ref().is_err_and(ApiError::answer_may_be_lost) {
                // Never sent again on its own: the lists say whether it was renamed.
                let reread = transport::send_netactuate_list::<Data<Vec<SecretListInfo>>>(
                    &connection,
                    &list_secret_lists(&token),
                )
                .await
                .map(|d| d.data);
                match Checked::from_reread(reread, |after| renamed(&current.id, &typed, &after).map(|_| ())) {
                    Checked::Happened(()) => result = Ok(Value::Null),
                    Checked::DidNotHappen => messages.general(format!("The list was not renamed: its answer was lost, and NetActuate still lists it as \u{201c}{}\u{201d}. Nothing changed; rename it again.", current.name)),
                    Checked::NotKnown(e) => messages.general(format!("Not known whether the list was renamed: its answer was lost, and the lists could not be read again ({e}). It was not sent again.")),
                }
            }
            once.release();
            match result {
                Ok(_) => on_renamed.run(typed),
                Err(e) if e.answer_may_be_lost() => {}
                Err(ApiError::Http(e)) if e.status == 422 => {
                    messages.field(
                        "name",
                        "A list with that name exists: list names are unique across the account.",
                    );
                }
                Err(e) => messages.general(format!("The list was not renamed: {e}")),
            }
        });
    };
    view! {
        <form class="form rename-list" on:submit=submit novalidate aria-labelledby="rename-list-title">
            <h3 id="rename-list-title">"Rename the list"</h3>
            {messages.view_summary()}
            <TextField messages field="name" label="Name" value=name/>
            <button type="submit" disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                {move || if once.busy() { "Renaming…" } else { "Rename" }}
            </button>
        </form>
    }
}
