use cloudpane_api::lost_answer::{deleted_after_lost_answer, Checked, DeleteAnswer};
use cloudpane_api::voltagepark::storage::{
    delete_volume, group_thousands, list_volumes, Volume, VOLUMES_PAGE_MAX,
};
use cloudpane_api::Provider;
use leptos::prelude::*;
use serde_json::Value;

use crate::components::{ConfirmDialog, SendOnce};
use crate::state::use_app;
use crate::transport;

/// Asks before deleting `volume` (open while it is `Some`): its data goes with it, so its name
/// must be typed. A refusal (still attached) is shown in the dialog.
#[component]
pub fn DeleteVolumeDialog(
    volume: RwSignal<Option<Volume>>,
    /// (id, name) of the organization's rentals. Tracked.
    #[prop(into)]
    rentals: Signal<Vec<(String, String)>>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let open = RwSignal::new(false);
    let once = SendOnce::new();
    let failure = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if volume.with(Option::is_some) {
            failure.set(None);
            open.set(true);
        }
    });
    Effect::new(move |_| {
        if !open.get() {
            volume.set(None);
        }
    });
    let name = Signal::derive(move || {
        volume.with(|v| v.as_ref().map(|v| v.name.clone()).unwrap_or_default())
    });
    let confirm = move |()| {
        let (Some(v), Some(connection), Some(account)) = (
            volume.get_untracked(),
            state.connection.get_untracked(),
            state.account_for(Provider::VoltagePark),
        ) else {
            return;
        };
        if !once.claim() {
            return;
        }
        let request = delete_volume(&account.token, &v.id);
        leptos::task::spawn_local(async move {
            let answer = DeleteAnswer::of(transport::send::<Value>(&connection, &request).await);
            let gone = match answer {
                DeleteAnswer::Deleted => Ok(format!("Volume {} deleted.", v.name)),
                DeleteAnswer::AlreadyGone => Ok(format!(
                    "Volume {} was already deleted: Voltage Park no longer has it.",
                    v.name
                )),
                DeleteAnswer::Lost => {
                    // Never sent again on its own: the volumes read again say whether it went.
                    let token = account.token.clone();
                    let list = |p| list_volumes(&token, p);
                    let listed = transport::send_every_page(&connection, &list, VOLUMES_PAGE_MAX)
                        .await
                        .map(|all| {
                            all.into_iter()
                                .filter_map(|raw| serde_json::from_value::<Volume>(raw).ok())
                                .map(|v| v.id)
                                .collect()
                        });
                    match deleted_after_lost_answer(&v.id, listed) {
                        Checked::Happened(()) => Ok(format!("Volume {} deleted: its answer was lost on the way, and Voltage Park no longer lists it.", v.name)),
                        Checked::DidNotHappen => Err(format!("The volume was not deleted: its answer was lost, and Voltage Park still lists {}. Deleting again is safe.", v.name)),
                        Checked::NotKnown(e) => Err(format!("Not known whether the volume was deleted: its answer was lost, and the volumes could not be read again ({e}). Deleting again is safe: if it is gone, the console says so.")),
                    }
                }
                DeleteAnswer::Refused(e) => {
                    let said = match &e {
                        cloudpane_api::ApiError::Http(h) => {
                            h.message.clone().unwrap_or_else(|| h.summary())
                        }
                        other => other.to_string(),
                    };
                    let attached = !v.order_ids.is_empty() || said.contains("attached");
                    Err(if attached {
                        format!("Voltage Park refused: {said} Detach the volume from its rentals (Change, then Attached to) or terminate them first.")
                    } else {
                        format!("The volume was not deleted: {said}")
                    })
                }
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
                    state.announce(format!("Deleting volume {} failed.", v.name));
                }
            }
        });
    };
    view! {
        <ConfirmDialog open
            title=Signal::derive(move || format!("Delete the volume \u{201c}{}\u{201d}?", name.get()))
            confirm_label="Delete volume"
            on_confirm=confirm
            busy=Signal::derive(move || once.busy())
            type_to_confirm=name
            danger=true>
            {move || volume.get().map(|v| {
                let size = v.size_in_gb.map(|s| format!("{} GB", group_thousands(s))).unwrap_or_else(|| "its".into());
                let names = rentals.get();
                let attached: Vec<String> = v.order_ids.iter().map(|id| cloudpane_api::voltagepark::storage::rental_name(id, &names)).collect();
                view! {
                    <p>{format!("Everything stored on it ({size}) is erased and cannot be recovered. Billing for it stops.")}</p>
                    {(!attached.is_empty()).then(|| view! {
                        <p class="warn-text">{format!("It is still attached to {}: detach it first.", attached.join(", "))}</p>
                    })}
                }
            })}
            {move || failure.get().map(|m| view! { <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>{m}</p> })}
        </ConfirmDialog>
    }
}
