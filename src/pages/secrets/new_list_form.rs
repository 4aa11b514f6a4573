use cloudpane_api::netactuate::secret_lists::{
    check_list_name, create_secret_list, delete_secret_list, rename_secret_list, Data,
    SecretListInfo,
};
use cloudpane_api::ApiError;
use leptos::prelude::*;
use serde_json::Value;

use super::load::{focus, list_href, netactuate_untracked};
use crate::components::SendOnce;
use crate::state::use_app;
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
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<(String, String)>);
    let once = SendOnce::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let typed = name.get_untracked().trim().to_string();
        if let Some(problem) = existing.with_untracked(|l| check_list_name(&typed, None, l)) {
            error.set(Some(problem));
            focus("new-list-name");
            return;
        }
        error.set(None);
        let Some((connection, token)) = netactuate_untracked() else {
            return;
        };
        if !once.claim() {
            return;
        }
        leptos::task::spawn_local(async move {
            let created =
                transport::send::<Data<SecretListInfo>>(&connection, &create_secret_list(&token))
                    .await;
            let outcome = match created {
                Err(e) => Err(format!("The list was not created: {e}")),
                Ok(list) => {
                    let rename = rename_secret_list(&token, &list.data.name, &typed);
                    match transport::send::<Value>(&connection, &rename).await {
                        Ok(_) => Ok(()),
                        Err(e) => {
                            let _ = transport::send::<Value>(
                                &connection,
                                &delete_secret_list(&token, &list.data.name),
                            )
                            .await;
                            Err(refusal(&e))
                        }
                    }
                }
            };
            once.release();
            match outcome {
                Ok(()) => {
                    name.set(String::new());
                    state.announce(format!("The list {typed} was created."));
                    done.set(Some((typed.clone(), list_href(&typed))));
                    on_created.run(());
                }
                Err(message) => {
                    error.set(Some(message));
                    state.announce("The list was not created; see the message by its name.");
                    focus("new-list-name");
                }
            }
        });
    };
    view! {
        <form class="form new-list" on:submit=submit novalidate aria-labelledby="new-list-title">
            <h3 id="new-list-title">"Create a list"</h3>
            <label for="new-list-name">"Name"</label>
            <input id="new-list-name" type="text" autocomplete="off" spellcheck="false" bind:value=name
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby="new-list-name-error"/>
            <div id="new-list-name-error">
                {move || error.get().map(|m| view! { <p class="field-error">{m}</p> })}
            </div>
            <button type="submit" disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                {move || if once.busy() { "Creating…" } else { "Create list" }}
            </button>
            {move || done.get().map(|(n, href)| view! {
                <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>
                    "The list " <a href=href>{n}</a> " was created: open it to add values or import a .env file."</p>
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
