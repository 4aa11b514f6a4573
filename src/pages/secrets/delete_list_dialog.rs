use cloudpane_api::netactuate::secret_lists::delete_secret_list;
use leptos::prelude::*;

use super::delete_dialog::DeleteDialog;
use super::load::count;

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
    view! {
        <DeleteDialog target=list
            title=Signal::derive(title)
            confirm_label="Delete list"
            request=Callback::new(|(token, l): (String, ListToDelete)| delete_secret_list(&token, &l.name))
            deleted=|l: &ListToDelete| format!("The list {} was deleted.", l.name)
            not_deleted="The list was not deleted"
            on_deleted>
            <p>{move || list.with(|l| l.as_ref().map(|l| format!(
                "Its {} go with it. Cloud-init scripts that reference them will no longer be filled in on new deploys; machines already deployed keep the values they got.",
                count(l.values, "value", "values")
            )))}</p>
        </DeleteDialog>
    }
}
