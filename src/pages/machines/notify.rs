//! Opt-in browser notifications while the console is open: a machine reaching Running, or
//! going Outbid, Relocating or Failed.

use std::collections::HashMap;

use cloudpane_api::machines::Machine;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Notifier {
    enabled: RwSignal<bool>,
    last: StoredValue<HashMap<String, String>>,
    refused: RwSignal<bool>,
}

impl Notifier {
    pub fn new() -> Self {
        Notifier {
            enabled: RwSignal::new(false),
            last: StoredValue::new(HashMap::new()),
            refused: RwSignal::new(false),
        }
    }

    /// Compares `machines` with what was seen last and notifies of the changes that matter.
    pub fn observe(&self, machines: &[Machine]) {
        let first = self.last.with_value(HashMap::is_empty);
        let mut seen = HashMap::with_capacity(machines.len());
        for m in machines {
            let before = self.last.with_value(|l| l.get(m.key()).cloned());
            // A change of a machine seen before: rows that arrive later (their list answered
            // after another) are not changes.
            if !first
                && self.enabled.get_untracked()
                && before.as_deref().is_some_and(|b| b != m.status.as_str())
            {
                if let Some(what) = worth_telling(&m.status) {
                    let body = format!(
                        "{} ({} · {}) is {what}.",
                        m.name,
                        m.provider.display_name(),
                        m.account.name
                    );
                    let options = web_sys::NotificationOptions::new();
                    options.set_body(&body);
                    let _ = web_sys::Notification::new_with_options("cloudpane", &options);
                }
            }
            seen.insert(m.key().to_string(), m.status.clone());
        }
        self.last.set_value(seen);
    }
}

impl Default for Notifier {
    fn default() -> Self {
        Self::new()
    }
}

fn worth_telling(status: &str) -> Option<&'static str> {
    match status {
        "Running" => Some("running"),
        "Outbid" => Some("outbid: it lost its spot price"),
        "Relocating" => Some("being relocated"),
        "Failed" => Some("failed"),
        _ => None,
    }
}

/// The opt-in checkbox; asks the browser for permission when ticked.
#[component]
pub fn NotifyToggle(notifier: Notifier) -> impl IntoView {
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        if !on {
            notifier.enabled.set(false);
            return;
        }
        let Ok(promise) = web_sys::Notification::request_permission() else {
            notifier.refused.set(true);
            return;
        };
        leptos::task::spawn_local(async move {
            let answer = wasm_bindgen_futures::JsFuture::from(promise).await;
            let granted = answer.ok().and_then(|v| v.as_string()).as_deref() == Some("granted");
            notifier.enabled.set(granted);
            notifier.refused.set(!granted);
        });
    };
    view! {
        <label class="inline">
            <input type="checkbox" prop:checked=move || notifier.enabled.get() on:change=toggle/>
            " Notify me of status changes"
        </label>
        {move || notifier.refused.get().then(|| view! {
            <span class="muted" role="status">" The browser did not allow notifications."</span>
        })}
    }
}
