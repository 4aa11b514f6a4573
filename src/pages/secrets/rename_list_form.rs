use cloudpane_api::lost_answer::Checked;
use cloudpane_api::netactuate::after_lost_answer::renamed;
use cloudpane_api::netactuate::secret_lists::{
    check_list_name, list_secret_lists, rename_secret_list, Data, SecretListInfo,
};
use cloudpane_api::ApiError;
use leptos::prelude::*;
use serde_json::Value;

use super::load::{focus, netactuate_untracked};
use crate::components::SendOnce;
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
    let error = RwSignal::new(None::<String>);
    let once = SendOnce::new();
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
        let typed = name.get_untracked().trim().to_string();
        if typed == current.name {
            error.set(Some("That is already the list's name.".into()));
            return;
        }
        if let Some(problem) =
            lists.with_untracked(|l| check_list_name(&typed, Some(&current.id), l))
        {
            error.set(Some(problem));
            focus("rename-list-name");
            return;
        }
        error.set(None);
        let Some((connection, token)) = netactuate_untracked() else {
            return;
        };
        if !once.claim() {
            return;
        }
        let request = rename_secret_list(&token, &current.name, &typed);
        leptos::task::spawn_local(async move {
            let mut result = transport::send::<Value>(&connection, &request).await;
            if result.as_ref().is_err_and(ApiError::answer_may_be_lost) {
                // Never sent again on its own: the lists say whether it was renamed.
                let reread = transport::send::<Data<Vec<SecretListInfo>>>(
                    &connection,
                    &list_secret_lists(&token),
                )
                .await
                .map(|d| d.data);
                match Checked::from_reread(reread, |after| renamed(&current.id, &typed, &after).map(|_| ())) {
                    Checked::Happened(()) => result = Ok(Value::Null),
                    Checked::DidNotHappen => error.set(Some(format!("The list was not renamed: its answer was lost, and NetActuate still lists it as \u{201c}{}\u{201d}. Nothing changed; rename it again.", current.name))),
                    Checked::NotKnown(e) => error.set(Some(format!("Not known whether the list was renamed: its answer was lost, and the lists could not be read again ({e}). It was not sent again."))),
                }
            }
            once.release();
            match result {
                Ok(_) => on_renamed.run(typed),
                Err(e) if e.answer_may_be_lost() => {}
                Err(ApiError::Http(e)) if e.status == 422 => {
                    error.set(Some(
                        "A list with that name exists: list names are unique across the account."
                            .into(),
                    ));
                    focus("rename-list-name");
                }
                Err(e) => error.set(Some(format!("The list was not renamed: {e}"))),
            }
        });
    };
    view! {
        <form class="form rename-list" on:submit=submit novalidate aria-labelledby="rename-list-title">
            <h3 id="rename-list-title">"Rename the list"</h3>
            <label for="rename-list-name">"Name"</label>
            <input id="rename-list-name" type="text" autocomplete="off" spellcheck="false" bind:value=name
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby="rename-list-name-error"/>
            <div id="rename-list-name-error">
                {move || error.get().map(|m| view! { <p class="field-error">{m}</p> })}
            </div>
            <button type="submit" disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                {move || if once.busy() { "Renaming…" } else { "Rename" }}
            </button>
        </form>
    }
}
