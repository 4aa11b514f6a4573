use cloudpane_api::ApiRequest;
use leptos::prelude::*;
use serde_json::Value;

use super::load::netactuate_untracked;
use crate::components::{ConfirmDialog, SendOnce};
use crate::state::use_app;
use crate::transport;

/// Asks before deleting one NetActuate item (a secret, a list, a list's value): open while
/// `target` holds it, closed by clearing it. Confirming sends `request(token, item)` once,
/// announces `deleted(item)` and calls `on_deleted`; a failure stays in the dialog, after
/// `not_deleted`. The children say what deleting it means.
#[component]
pub fn DeleteDialog<T>(
    target: RwSignal<Option<T>>,
    #[prop(into)] title: Signal<String>,
    confirm_label: &'static str,
    request: Callback<(String, T), ApiRequest>,
    deleted: fn(&T) -> String,
    not_deleted: &'static str,
    on_deleted: Callback<()>,
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
        let request = request.run((token, item.clone()));
        leptos::task::spawn_local(async move {
            let result = transport::send::<Value>(&connection, &request).await;
            once.release();
            match result {
                Ok(_) => {
                    state.announce(deleted(&item));
                    open.set(false);
                    on_deleted.run(());
                }
                Err(e) => failure.set(Some(format!("{not_deleted}: {e}"))),
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
