use std::time::Duration;

use cloudpane_api::netactuate::SecretValue;
use cloudpane_api::Provider;
use leptos::html;
use leptos::prelude::*;

use super::value_source::ValueSource;
use crate::state::use_app;

/// How long a revealed value stays shown.
pub const REVEAL_FOR: Duration = Duration::from_secs(30);

/// A secret value, masked: a fixed row of dots (the value is not in the page while masked).
/// Reveal reads it by id and shows it until Hide, [`REVEAL_FOR`] later, leaving the page or a
/// lock (the page is unmounted then, and the value with it). Copy reads it and writes it to the
/// clipboard without showing it.
#[component]
pub fn MaskedValue(
    source: ValueSource,
    /// What the value belongs to, for the buttons' names ("db-password").
    #[prop(into)]
    name: String,
    /// How long it stays revealed; [`REVEAL_FOR`] unless a test says otherwise.
    #[prop(optional)]
    reveal_for: Option<Duration>,
) -> impl IntoView {
    let state = use_app();
    let shown = RwSignal::new(None::<SecretValue>);
    let busy = RwSignal::new(false);
    let note = RwSignal::new(None::<String>);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let reveal_for = reveal_for.unwrap_or(REVEAL_FOR);
    let clear_timer = move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    let hide = move || {
        clear_timer();
        let _ = shown.try_set(None);
    };
    on_cleanup(move || {
        if let Some(Some(handle)) = timer.try_get_value() {
            handle.clear();
        }
    });
    let source = StoredValue::new(source);
    let reveal_button = NodeRef::<html::Button>::new();
    let hide_button = NodeRef::<html::Button>::new();
    let copy_button = NodeRef::<html::Button>::new();
    // `back_to`: where focus goes once the answer is in, if it fell to the page meanwhile (the
    // button is disabled while busy, and Reveal gives way to Hide): the first still shown.
    let fetch =
        move |then: fn(SecretValue, RwSignal<Option<SecretValue>>, RwSignal<Option<String>>),
              back_to: [NodeRef<html::Button>; 2]| {
            let (Some(connection), Some(account)) = (
                state.connection.get_untracked(),
                state.account_for(Provider::NetActuate),
            ) else {
                return;
            };
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            note.set(None);
            let source = source.get_value();
            leptos::task::spawn_local(async move {
                let result = source.fetch(&connection, &account.token).await;
                let _ = busy.try_set(false);
                match result {
                    Ok(value) => then(value, shown, note),
                    Err(e) => {
                        let _ = note.try_set(Some(format!("Could not read the value: {e}")));
                    }
                }
                crate::pages::focus_if_lost(move || {
                    back_to
                        .iter()
                        .filter_map(|b| b.get_untracked())
                        .find(|b| b.is_connected())
                        .map(Into::into)
                });
            });
        };
    let name_for_reveal = name.clone();
    let reveal = move |_| {
        let name = name_for_reveal.clone();
        fetch(
            |value, shown, _| {
                let _ = shown.try_set(Some(value));
            },
            [hide_button, reveal_button],
        );
        // The timer starts now; a slow answer only shortens how long the value shows.
        clear_timer();
        if let Ok(handle) = set_timeout_with_handle(hide, reveal_for) {
            timer.set_value(Some(handle));
        }
        state.announce(format!(
            "The value of {name} is shown for {} seconds.",
            reveal_for.as_secs()
        ));
    };
    let copy = move |_| {
        fetch(
            |value, _, note| {
                let promise = window().navigator().clipboard().write_text(value.expose());
                drop(value);
                leptos::task::spawn_local(async move {
                    let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                    let _ = note.try_set(Some(
                        if ok {
                            "Copied to the clipboard."
                        } else {
                            "Copying failed: the browser refused the clipboard."
                        }
                        .to_string(),
                    ));
                });
            },
            [copy_button; 2],
        );
    };
    let reveal_label = format!("Reveal the value of {name}");
    let hide_label = format!("Hide the value of {name}");
    let copy_label = format!("Copy the value of {name}");
    view! {
        <span class="masked-value">
            {move || match shown.get() {
                None => view! {
                    <span class="mask" aria-hidden="true">"••••••••"</span>
                    <span class="visually-hidden">"hidden"</span>
                    " "
                    <button type="button" node_ref=reveal_button aria-label=reveal_label.clone() on:click=reveal.clone()
                        disabled=move || busy.get()>"Reveal"</button>
                }.into_any(),
                Some(value) => view! {
                    <code class="revealed">{value.expose().to_string()}</code>
                    " "
                    <button type="button" node_ref=hide_button aria-label=hide_label.clone() on:click=move |_| {
                        hide();
                        crate::pages::focus_if_lost(move || reveal_button.get_untracked().map(Into::into));
                    }>"Hide"</button>
                }.into_any(),
            }}
            " "
            <button type="button" node_ref=copy_button aria-label=copy_label on:click=copy disabled=move || busy.get()>"Copy"</button>
            <span class="masked-note" role="status">{move || note.get()}</span>
        </span>
    }
}
