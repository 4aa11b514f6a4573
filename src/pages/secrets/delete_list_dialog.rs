use cloudpane_api::netactuate::secret_lists::delete_secret_list;
use leptos::prelude::*;
use serde_json::Value;

use super::load::{count, netactuate_untracked};
use crate::components::{ConfirmDialog, SendOnce};
use crate::state::use_app;
use crate::transport;

/// A list about to be deleted: its name and how many values go with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListToDelete {
    pub name: String,
    pub values: usize,
}

/// Asks before deleting a list, naming it and how many values go with it.
#[component]
pub fn DeleteListDialog(
    list: RwSignal<Option<ListToDelete>>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let open = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let once = SendOnce::new();
    Effect::new(move |_| {
        if list.with(Option::is_some) {
            failure.set(None);
            open.set(true);
        }
    });
    Effect::new(move |_| {
        if !open.get() {
            list.set(None);
        }
    });
    let title = move || {
        list.with(|l| match l {
            Some(l) => format!(
                "Delete the list \u{201c}{}\u{201d} and its {}?",
                l.name,
                count(l.values, "value", "values")
            ),
            None => String::new(),
        })
    };
    let confirm = move |()| {
        let (Some(l), Some((connection, token))) = (list.get_untracked(), netactuate_untracked())
        else {
            return;
        };
        if !once.claim() {
            return;
        }
        let request = delete_secret_list(&token, &l.name);
        leptos::task::spawn_local(async move {
            let result = transport::send::<Value>(&connection, &request).await;
            once.release();
            match result {
                Ok(_) => {
                    state.announce(format!("The list {} was deleted.", l.name));
                    open.set(false);
                    on_deleted.run(());
                }
                Err(e) => failure.set(Some(format!("The list was not deleted: {e}"))),
            }
        });
    };
    view! {
        <ConfirmDialog open
            title=Signal::derive(title)
            confirm_label="Delete list"
            on_confirm=confirm
            busy=Signal::derive(move || once.busy())
            danger=true>
            <p>{move || list.with(|l| l.as_ref().map(|l| format!(
                "Its {} go with it. Cloud-init scripts that reference them will no longer be filled in on new deploys; machines already deployed keep the values they got.",
                count(l.values, "value", "values")
            )))}</p>
            {move || failure.get().map(|m| view! { <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>{m}</p> })}
        </ConfirmDialog>
    }
}
