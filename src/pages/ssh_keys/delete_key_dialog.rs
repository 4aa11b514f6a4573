use cloudpane_api::lost_answer::{deleted_after_lost_answer, Checked, DeleteAnswer};
use cloudpane_api::voltagepark::ssh_keys::{delete_org_ssh_key, OrgKeyRow};
use cloudpane_api::Provider;
use leptos::prelude::*;
use serde_json::Value;

use crate::components::{ConfirmDialog, SendOnce};
use crate::state::use_app;
use crate::transport;

/// Asks before deleting `key` (open while it is `Some`), naming it and saying that machines
/// which already have it keep it.
#[component]
pub fn DeleteKeyDialog(
    key: RwSignal<Option<OrgKeyRow>>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let open = RwSignal::new(false);
    let once = SendOnce::new();
    let failure = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if key.with(Option::is_some) {
            failure.set(None);
            open.set(true);
        }
    });
    // Closed (Cancel, Escape or done): forget the key, so the same one can be asked for again.
    Effect::new(move |_| {
        if !open.get() {
            key.set(None);
        }
    });
    let name = Signal::derive(move || {
        key.with(|k| k.as_ref().map(|k| k.name.clone()).unwrap_or_default())
    });
    let confirm = move |()| {
        let (Some(row), Some(connection), Some(account)) = (
            key.get_untracked(),
            state.connection.get_untracked(),
            state.account_for(Provider::VoltagePark),
        ) else {
            return;
        };
        if !once.claim() {
            return;
        }
        let request = delete_org_ssh_key(&account.token, &row.id);
        leptos::task::spawn_local(async move {
            let answer = DeleteAnswer::of(transport::send::<Value>(&connection, &request).await);
            let gone = match answer {
                DeleteAnswer::Deleted => Ok(format!("The SSH key {} was deleted.", row.name)),
                DeleteAnswer::AlreadyGone => Ok(format!(
                    "The SSH key {} was already deleted: Voltage Park no longer has it.",
                    row.name
                )),
                DeleteAnswer::Lost => {
                    // Never sent again on its own: the keys read again say whether it went.
                    let listed =
                        super::page::load_keys(connection, account.token)
                            .await
                            .map(|keys| {
                                keys.listed_ids(|k| &k.id)
                                    .into_iter()
                                    .map(str::to_string)
                                    .collect()
                            });
                    match deleted_after_lost_answer(&row.id, listed) {
                        Checked::Happened(()) => Ok(format!("The SSH key {} was deleted: its answer was lost on the way, and Voltage Park no longer lists it.", row.name)),
                        Checked::DidNotHappen => Err("The key was not deleted: its answer was lost, and Voltage Park still lists it. Deleting again is safe.".to_string()),
                        Checked::NotKnown(e) => Err(format!("Not known whether the key was deleted: its answer was lost, and the keys could not be read again ({e}). Deleting again is safe: if it is gone, the console says so.")),
                    }
                }
                DeleteAnswer::Refused(e) => Err(format!("The key was not deleted: {e}")),
            };
            once.release();
            match gone {
                Ok(said) => {
                    state.announce(said);
                    open.set(false);
                    on_deleted.run(());
                }
                Err(said) => {
                    failure.set(Some(said));
                    state.announce(format!("Deleting the SSH key {} failed.", row.name));
                }
            }
        });
    };
    view! {
        <ConfirmDialog open
            title=Signal::derive(move || format!("Delete the SSH key \u{201c}{}\u{201d}?", name.get()))
            confirm_label="Delete key"
            on_confirm=confirm
            busy=Signal::derive(move || once.busy())
            danger=true>
            {move || key.get().map(|row| view! {
                <p>
                    {row.fingerprint().map(|f| view! { "Fingerprint " <code>{f.to_string()}</code> ". " })}
                    "New machines will no longer be offered this key."
                </p>
                <p>
                    <strong>"Machines that already have it keep it"</strong>
                    ": deleting it here does not remove it from them. To stop it logging in there, remove its line from ~/.ssh/authorized_keys on each machine."
                </p>
            })}
            {move || failure.get().map(|m| view! { <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>{m}</p> })}
        </ConfirmDialog>
    }
}
