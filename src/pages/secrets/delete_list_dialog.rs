use cloudpane_api::netactuate::secret_lists::{
    delete_secret_list, list_secret_lists, Data, SecretListInfo,
};
use leptos::prelude::*;

use super::delete_dialog::{DeleteDialog, Deleting};
use super::list_address::send_to_list;
use super::load::count;
use crate::state::{use_app, Connection};
use crate::transport;

/// A list about to be deleted and how many values go with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListToDelete {
    /// As listed (its id too: the delete goes by id if by name answers 404).
    pub list: SecretListInfo,
    /// `None` when the values could not be read.
    pub values: Option<usize>,
}

impl ListToDelete {
    /// "its 3 values", or "its values" when not known.
    fn its_values(&self) -> String {
        match self.values {
            Some(n) => format!("its {}", count(n, "value", "values")),
            None => "its values".into(),
        }
    }
}

/// Asks before deleting a list, naming it and how many values go with it.
#[component]
pub fn DeleteListDialog(
    list: RwSignal<Option<ListToDelete>>,
    /// Called with what happened, in words, once it is gone.
    on_deleted: Callback<String>,
) -> impl IntoView {
    let state = use_app();
    let title = move || {
        list.with(|l| match l {
            Some(l) => format!(
                "Delete the list \u{201c}{}\u{201d} and {}?",
                l.list.name,
                l.its_values()
            ),
            None => String::new(),
        })
    };
    view! {
        <DeleteDialog target=list
            title=Signal::derive(title)
            confirm_label="Delete list"
            send=Callback::new(move |(c, token, l): (Connection, String, ListToDelete)| -> Deleting {
                Box::pin(async move {
                    send_to_list(state, &c, &l.list, |list| delete_secret_list(&token, list)).await
                })
            })
            what=|l: &ListToDelete| format!("the list {}", l.list.name)
            id=|l: &ListToDelete| l.list.id.clone()
            listed=|c, token| Box::pin(async move {
                transport::send_netactuate_list::<Data<Vec<SecretListInfo>>>(&c, &list_secret_lists(&token))
                    .await
                    .map(|d| d.data.into_iter().map(|l| l.id).collect())
            })
            on_deleted>
            <p>{move || list.with(|l| l.as_ref().map(|l| format!(
                "{} go with it. Cloud-init scripts that reference them will no longer be filled in on new deploys; machines already deployed keep the values they got.",
                capitalise_its(&l.its_values())
            )))}</p>
        </DeleteDialog>
    }
}

/// "its values" -> "Its values".
fn capitalise_its(words: &str) -> String {
    words.replacen("its", "Its", 1)
}
