use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use cloudpane_api::netactuate::SecretValue;
use leptos::html;
use leptos::prelude::*;

use crate::state::use_app;

/// How long a revealed value stays shown.
pub const REVEAL_FOR: Duration = Duration::from_secs(30);

/// A read of a secret: its value, or why it could not be read, in words.
pub type SecretRead = Pin<Box<dyn Future<Output = Result<SecretValue, String>>>>;

/// Where a masked value's clear text comes from when it is revealed or copied.
#[derive(Clone)]
pub enum SecretSource {
    /// The page holds it already (a token just issued, a rental's kubeconfig). A new value
    /// masks it again.
    Held(Signal<String>),
    /// Read on request (one GET by id), so it is in memory only while shown or being copied.
    Read(Rc<dyn Fn() -> SecretRead>),
}

impl SecretSource {
    /// A value the page already holds, that never changes.
    pub fn held(value: impl Into<String>) -> Self {
        SecretSource::Held(Signal::stored(value.into()))
    }

    /// A value read by `read` each time it is revealed or copied.
    pub fn read<F: Future<Output = Result<SecretValue, String>> + 'static>(
        read: impl Fn() -> F + 'static,
    ) -> Self {
        SecretSource::Read(Rc::new(move || Box::pin(read())))
    }

    fn get(&self) -> SecretRead {
        match self {
            SecretSource::Held(value) => Box::pin(std::future::ready(Ok(SecretValue::new(
                value.get_untracked(),
            )))),
            SecretSource::Read(read) => read(),
        }
    }
}

/// A secret, masked: a fixed row of dots (or `mask`), the value not in the page. Reveal shows
/// it until Hide, [`REVEAL_FOR`] later, a new value, or leaving the page (the widget is
/// unmounted then, and the value with it; a lock replaces every page). Copy writes it to the
/// clipboard without showing it.
#[component]
pub fn MaskedValue(
    source: SecretSource,
    /// What the value is, for the buttons' names and what is announced: "the value of
    /// db-password", "the new API token".
    #[prop(into)]
    what: String,
    /// What shows while masked, when more than dots helps (a token's last four characters).
    #[prop(optional, into)]
    mask: Option<Signal<String>>,
    /// Shown as a block of lines (a kubeconfig) rather than in the line of text.
    #[prop(optional)]
    block: bool,
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
        let _ = note.try_set(None);
    };
    on_cleanup(move || {
        if let Some(Some(handle)) = timer.try_get_value() {
            handle.clear();
        }
    });
    if let SecretSource::Held(value) = &source {
        let value = *value;
        // Not on its first run: that one may come after a Reveal already clicked.
        Effect::new(move |first_run_done: Option<()>| {
            value.track();
            if first_run_done.is_some() {
                hide();
            }
        });
    }
    let source = StoredValue::new_local(source);
    let reveal_button = NodeRef::<html::Button>::new();
    let hide_button = NodeRef::<html::Button>::new();
    let copy_button = NodeRef::<html::Button>::new();
    // `back_to`: where focus goes once the answer is in, if it fell to the page meanwhile (the
    // button is disabled while busy, and Reveal gives way to Hide): the first still shown.
    let fetch =
        move |then: fn(SecretValue, RwSignal<Option<SecretValue>>, RwSignal<Option<String>>),
              back_to: [NodeRef<html::Button>; 2]| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            note.set(None);
            let read = source.with_value(SecretSource::get);
            leptos::task::spawn_local(async move {
                let result = read.await;
                let _ = busy.try_set(false);
                match result {
                    Ok(value) => then(value, shown, note),
                    Err(e) => {
                        let said =
                            format!("Could not read the value: {e} Reveal or Copy tries again.");
                        let _ = note.try_set(Some(said.clone()));
                        // Said about that moment: it goes once it is no longer news.
                        set_timeout(
                            move || {
                                if note.try_get_untracked().flatten().as_deref() == Some(&said) {
                                    let _ = note.try_set(None);
                                }
                            },
                            reveal_for,
                        );
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
    let shown_for = format!(
        "{} is shown for {} seconds.",
        capitalised(&what),
        reveal_for.as_secs()
    );
    let reveal = move |_| {
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
        state.announce(shown_for.clone());
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
    let reveal_label = format!("Reveal {what}");
    let hide_label = format!("Hide {what}");
    let copy_label = format!("Copy {what}");
    let mask = move || mask.map_or_else(|| "••••••••".to_string(), |m| m.get());
    view! {
        <span class="masked-value">
            {move || match shown.get() {
                None => view! {
                    <span class="mask" aria-hidden="true">{mask}</span>
                    <span class="visually-hidden">"hidden"</span>
                    " "
                    <button type="button" node_ref=reveal_button aria-label=reveal_label.clone() on:click=reveal.clone()
                        disabled=move || busy.get()>"Reveal"</button>
                }.into_any(),
                Some(value) => view! {
                    {if block {
                        view! { <pre class="code-block revealed">{value.expose().to_string()}</pre> }.into_any()
                    } else {
                        view! { <code class="revealed">{value.expose().to_string()}</code> }.into_any()
                    }}
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

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
