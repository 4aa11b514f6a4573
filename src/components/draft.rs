//! A form's draft, kept in this tab's session storage so a reload loses nothing. Never a
//! password, a secret's value or a token: each form leaves those out of its draft. A public-key
//! field goes in only as `cloudpane_api::ssh_key::AcceptedPublicKeys` (its accepted public keys,
//! checked again when read back), never as typed: a piece of a private key never reaches it.

use serde::{de::DeserializeOwned, Serialize};

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().session_storage().ok().flatten()
}

/// The storage key of the draft of the form `form` (`instant-vm`, `bare-metal`, `new-volume`).
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

/// Keeps the text fields `fields` of the form `form` as its draft: they start from the draft,
/// and every change is kept. Never give it a field that holds a secret value or a token.
pub fn keep_fields(form: &'static str, fields: Vec<leptos::prelude::RwSignal<String>>) {
    use leptos::prelude::*;
    if let Some(saved) = load::<Vec<String>>(form) {
        for (field, value) in fields.iter().zip(saved) {
            field.set(value);
        }
    }
    Effect::new(move |first: Option<()>| {
        let values: Vec<String> = fields.iter().map(|f| f.get()).collect();
        if first.is_some() {
            save(form, &values);
        }
    });
}
