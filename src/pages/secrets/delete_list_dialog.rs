use cloudpane_api::netactuate::secret_lists::{
    delete_secret_list, list_secret_lists, Data, SecretListInfo,
};
use leptos::prelude::*;

use super::delete_dialog::DeleteDialog;
use super::load::count;
use crate::transport;

/// A list about to be deleted: its name and how many values go with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListToDelete {
    pub name: String,
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
    let title = move || {
        list.with(|l| match l {
            Some(l) => format!(
                "Delete the list \u{201c}{}\u{201d} and {}?",
                l.name,
                l.its_values()
            ),
            None => String::new(),
        })
    };
    view! {
        <DeleteDialog target=list
            title=Signal::derive(title)
            confirm_label="Delete list"
            request=Callback::new(|(token, l): (String, ListToDelete)| delete_secret_list(&token, &l.name))
            what=|l: &ListToDelete| format!("the list {}", l.name)
            id=|l: &ListToDelete| l.name.clone()
            listed=|c, token| Box::pin(async move {
                transport::send::<Data<Vec<SecretListInfo>>>(&c, &list_secret_lists(&token))
                    .await
                    .map(|d| d.data.into_iter().map(|l| l.name).collect())
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
