//! A deploy form's draft, kept in this tab's session storage so a reload loses nothing. Never
//! the password (the form leaves it out of the draft) and never a token (drafts hold only what
//! the form shows).

use serde::{de::DeserializeOwned, Serialize};

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().session_storage().ok().flatten()
}

/// The storage key of the draft of the form `form` (`instant-vm`, `bare-metal`).
fn key(form: &str) -> String {
    format!("cloudpane.draft.{form}")
}

pub fn load<T: DeserializeOwned>(form: &str) -> Option<T> {
    let text = storage()?.get_item(&key(form)).ok()??;
    serde_json::from_str(&text).ok()
}

pub fn save<T: Serialize>(form: &str, draft: &T) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(draft)) {
        let _ = storage.set_item(&key(form), &text);
    }
}

pub fn discard(form: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(form));
    }
}
