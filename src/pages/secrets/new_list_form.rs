use cloudpane_api::lost_answer::Checked;
use cloudpane_api::netactuate::after_lost_answer::{new_lists, renamed, NewLists};
use cloudpane_api::netactuate::secret_lists::{
    check_list_name, create_secret_list, delete_secret_list, list_secret_lists, rename_secret_list,
    Data, SecretListInfo,
};
use cloudpane_api::ApiError;
use leptos::prelude::*;
use serde_json::Value;

use super::list_address::send_to_list;
use super::load::{list_href, netactuate_untracked};
use crate::components::{FormMessages, SendOnce, TextField};
use crate::state::{use_app, AppState, Connection};
use crate::transport;

/// Creates a list the documented way: `POST /api/secrets/lists` with no payload (NetActuate
/// names it), then a rename to the name typed. If the rename is refused, the empty list just
/// made is deleted again, so nothing is left half done.
#[component]
pub fn NewListForm(
    #[prop(into)] existing: Signal<Vec<SecretListInfo>>,
    on_created: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let name = RwSignal::new(String::new());
    let messages = FormMessages::new("new-list", &["name"]);
    // The list made: its name, its page, and how its creation was confirmed when its answer
    // was lost on the way.
    let done = RwSignal::new(None::<(String, String, Option<String>)>);
    let once = SendOnce::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        messages.clear();
        let typed = name.get_untracked().trim().to_string();
        if let Some(problem) = existing.with_untracked(|l| check_list_name(&typed, None, l)) {
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
            let outcome = create_named_list(state, &connection, &token, &typed).await;
            once.release();
            match outcome {
                Ok(note) => {
                    name.set(String::new());
                    state.announce(format!("The list {typed} was created."));
                    done.set(Some((typed.clone(), list_href(&typed), note)));
                    on_created.run(());
                }
                Err(message) => {
                    messages.field("name", message);
                    state.announce("The list was not created; see the message by its name.");
                    // A lost answer may have left a list behind: the table shows what there is.
                    on_created.run(());
                }
            }
        });
    };
    view! {
        <form class="form new-list" on:submit=submit novalidate aria-labelledby="new-list-title">
            <h3 id="new-list-title">"Create a list"</h3>
            {messages.view_summary()}
            <TextField messages field="name" label="Name" value=name/>
            <button type="submit" disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                {move || if once.busy() { "Creating…" } else { "Create list" }}
            </button>
            {move || done.get().map(|(n, href, note)| view! {
                <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>
                    "The list " <a href=crate::base_path::app_href(&href)>{n}</a> " was created: open it to add values or import a .env file."
                    {note.map(|n| view! { " " {n} })}</p>
            })}
        </form>
    }
}

/// NetActuate's refusal of the name, in words.
fn refusal(error: &ApiError) -> String {
    match error {
        ApiError::Http(e) if e.status == 422 => {
            "A list with that name exists: list names are unique across the account.".into()
        }
        other => format!("The list was not created: {other}"),
    }
}

/// Creates a list and names it `name`: the lists read first (to tell the new one apart if the
/// create's answer is lost), the create, then the rename. A lost answer is never sent again:
/// the lists are read again and say what happened. `Ok` holds how a lost answer was confirmed.
async fn create_named_list(
    state: AppState,
    connection: &Connection,
    token: &str,
    name: &str,
) -> Result<Option<String>, String> {
    let read_lists = || async {
        transport::send_netactuate_list::<Data<Vec<SecretListInfo>>>(
            connection,
            &list_secret_lists(token),
        )
        .await
        .map(|d| d.data)
    };
    let before = read_lists().await.map_err(|e| {
        format!("The list was not created: the lists could not be read first, and nothing was sent. {e}")
    })?;
    let mut note = None;
    let list = match transport::send::<Data<SecretListInfo>>(connection, &create_secret_list(token))
        .await
    {
        Ok(list) => list.data,
        Err(e) if e.answer_may_be_lost() => {
            match read_lists().await.map(|after| new_lists(&before, &after)) {
                Ok(NewLists::One(list)) => {
                    note = Some("Its answer was lost on the way, but NetActuate lists the new list, so it was not sent again.".to_string());
                    list
                }
                Ok(NewLists::None) => {
                    return Err("The list was not created: its answer was lost, and NetActuate lists no new list. Nothing was created; you can create it again.".into())
                }
                Ok(NewLists::Several(names)) => {
                    return Err(format!(
                        "Not known which list was created: its answer was lost, and NetActuate now lists several new lists ({}). Nothing was renamed: open them to see which is empty before creating another.",
                        names.join(", ")
                    ))
                }
                Err(e) => {
                    return Err(format!("Not known whether the list was created: its answer was lost, and the lists could not be read again ({e}). Check the lists above before creating it again."))
                }
            }
        }
        Err(e) => return Err(format!("The list was not created: {e}")),
    };
    let rename = send_to_list::<Value>(state, connection, &list, |segment| {
        rename_secret_list(token, segment, name)
    });
    match rename.await {
        Ok(_) => Ok(note),
        Err(e) if e.answer_may_be_lost() => {
            let after = read_lists().await;
            match Checked::from_reread(after, |after| renamed(&list.id, name, &after).cloned()) {
                Checked::Happened(_) => Ok(Some("Naming it lost its answer on the way, but NetActuate lists it under this name.".into())),
                Checked::DidNotHappen => Err(format!(
                    "A list was created as \u{201c}{}\u{201d}, but naming it lost its answer and NetActuate still lists it under that name: rename it on its page.",
                    list.name
                )),
                Checked::NotKnown(e) => Err(format!(
                    "A list was created as \u{201c}{}\u{201d}; naming it lost its answer and the lists could not be read again ({e}). Check its name in the table above.",
                    list.name
                )),
            }
        }
        Err(e) => {
            // Nothing left half done: the empty list just made goes again.
            let _ = send_to_list::<Value>(state, connection, &list, |segment| {
                delete_secret_list(token, segment)
            })
            .await;
            Err(refusal(&e))
        }
    }
}
