use std::future::Future;
use std::pin::Pin;

use cloudpane_api::lost_answer::{deleted_after_lost_answer, Checked, DeleteAnswer};
use cloudpane_api::ApiError;
use leptos::prelude::*;
use serde_json::Value;

use super::load::netactuate_untracked;
use crate::components::{ConfirmDialog, SendOnce};
use crate::state::{use_app, Connection};

/// Sends the delete of one item and gives its answer: [`crate::transport::send`] for what
/// is addressed by id, [`super::list_address::send_to_list`] for what is addressed by its list
/// (by name, once more by id after a 404).
pub type Deleting = Pin<Box<dyn Future<Output = Result<Value, ApiError>>>>;

/// Reads what is listed now (ids as [`DeleteDialog`]'s `id` gives them), to see whether a
/// delete whose answer was lost happened.
pub type ListedNow =
    fn(Connection, String) -> Pin<Box<dyn Future<Output = Result<Vec<String>, ApiError>>>>;

/// Asks before deleting one NetActuate item (a secret, a list, a list's value): open while
/// `target` holds it, closed by clearing it. Confirming runs `send(connection, token, item)`
/// once. Gone (deleted now, or already: a 404 from every address `send` tried) it closes, calls `on_deleted` with what happened in words,
/// and the page reads the list again. A lost answer is not sent again: `listed` reads the list
/// and says whether it is gone. A refusal stays in the dialog. The children say what deleting
/// it means.
#[component]
pub fn DeleteDialog<T>(
    target: RwSignal<Option<T>>,
    #[prop(into)] title: Signal<String>,
    confirm_label: &'static str,
    send: Callback<(Connection, String, T), Deleting>,
    /// The item in words, in the middle of a sentence: "the secret db-password".
    what: fn(&T) -> String,
    /// The item's id among what `listed` reads.
    id: fn(&T) -> String,
    listed: ListedNow,
    on_deleted: Callback<String>,
    children: ChildrenFn,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    let state = use_app();
    let open = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let once = SendOnce::new();
    Effect::new(move |_| {
        if target.with(Option::is_some) {
            failure.set(None);
            open.set(true);
        }
    });
    Effect::new(move |_| {
        if !open.get() {
            target.set(None);
        }
    });
    let confirm = move |()| {
        let (Some(item), Some((connection, token))) =
            (target.get_untracked(), netactuate_untracked())
        else {
            return;
        };
        if !once.claim() {
            return;
        }
        let sending = send.run((connection.clone(), token.clone(), item.clone()));
        leptos::task::spawn_local(async move {
            let answer = DeleteAnswer::of(sending.await);
            let what = what(&item);
            let gone = match answer {
                DeleteAnswer::Deleted => Ok(format!("{} was deleted.", capitalised(&what))),
                DeleteAnswer::AlreadyGone => Ok(format!(
                    "{} was already deleted: NetActuate no longer has it.",
                    capitalised(&what)
                )),
                DeleteAnswer::Lost => {
                    match deleted_after_lost_answer(&id(&item), listed(connection, token).await) {
                        Checked::Happened(()) => Ok(format!("{} was deleted: its answer was lost on the way, and NetActuate no longer lists it.", capitalised(&what))),
                        Checked::DidNotHappen => Err(format!("{} was not deleted: its answer was lost, and NetActuate still lists it. Deleting again is safe.", capitalised(&what))),
                        Checked::NotKnown(e) => Err(format!("Not known whether {what} was deleted: its answer was lost, and the list could not be read again ({e}). Deleting again is safe: if it is gone, the console says so.")),
                    }
                }
                DeleteAnswer::Refused(e) => {
                    Err(format!("{} was not deleted: {e}", capitalised(&what)))
                }
            };
            once.release();
            match gone {
                Ok(said) => {
                    state.announce(said.clone());
                    open.set(false);
                    on_deleted.run(said);
                }
                Err(said) => failure.set(Some(said)),
            }
        });
    };
    view! {
        <ConfirmDialog open title confirm_label on_confirm=confirm
            busy=Signal::derive(move || once.busy())
            danger=true>
            {children()}
            {move || failure.get().map(|m| view! { <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>{m}</p> })}
        </ConfirmDialog>
    }
}

/// "the secret x" -> "The secret x".
fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
