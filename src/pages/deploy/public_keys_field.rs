//! Extra SSH public keys for one machine: typed, pasted, or read from dropped or chosen `.pub`
//! files, each checked in the browser (type, SHA256 fingerprint, comment, as `ssh-keygen -lf`
//! prints them). Private key material (a whole key or any piece of one) is refused and taken
//! out of the field at once, so it can reach no request; a draft keeps only the field's accepted
//! public keys ([`AcceptedPublicKeys`]), whatever the field holds.

use cloudpane_api::ssh_key::{
    find_private_key, parse_public_keys, AcceptedPublicKeys, KeyLine, SshKeyError,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::public_key_files::{files_of, read_public_key_files};

/// The extra public keys of a deploy form.
#[derive(Clone, Copy)]
pub struct PublicKeys {
    text: RwSignal<String>,
    /// Why something was just taken out of the field or not read in (a private key).
    refused: RwSignal<Option<String>>,
}

impl Default for PublicKeys {
    fn default() -> Self {
        Self::new()
    }
}

impl PublicKeys {
    pub fn new() -> Self {
        PublicKeys {
            text: RwSignal::new(String::new()),
            refused: RwSignal::new(None),
        }
    }

    /// What a draft keeps of the field: its accepted public keys only. Tracked.
    pub fn draft(&self) -> AcceptedPublicKeys {
        self.text.with(|text| AcceptedPublicKeys::from_field(text))
    }

    /// Puts a draft's keys back into the field.
    pub fn restore(&self, draft: AcceptedPublicKeys) {
        self.text.set(draft.into());
    }

    pub fn clear(&self) {
        self.text.set(String::new());
        self.refused.set(None);
    }

    /// The keys to send (one OpenSSH line each) or why they cannot be sent. Tracked.
    pub fn lines(&self) -> Result<Vec<String>, String> {
        self.text.with(|text| match parse_public_keys(text) {
            Err(e) => Err(e.to_string()),
            Ok(lines) => {
                let mut keys = Vec::new();
                let mut problems = Vec::new();
                for KeyLine {
                    line_number,
                    result,
                } in lines
                {
                    match result {
                        Ok(key) => keys.push(key.line),
                        Err(e) => problems.push(format!("Line {line_number}: {e}")),
                    }
                }
                if problems.is_empty() {
                    Ok(keys)
                } else {
                    Err(problems.join(" "))
                }
            }
        })
    }

    /// Takes `text` as the field's new content, unless it holds private key material: then only
    /// its complete public key lines are kept and the refusal is said. True when it was taken
    /// as it is.
    fn accept(&self, text: String) -> bool {
        match find_private_key(&text) {
            None => {
                self.text.set(text);
                true
            }
            Some(format) => {
                let kept: String = AcceptedPublicKeys::from_field(&text).into();
                let count = kept.lines().count();
                self.text.set(kept);
                self.refused.set(Some(format!(
                    "{} It was removed from the field{}.",
                    SshKeyError::PrivateKey(format),
                    match count {
                        0 => String::new(),
                        1 => ", with everything else but the 1 complete public key".to_string(),
                        n => format!(", with everything else but the {n} complete public keys"),
                    }
                )));
                false
            }
        }
    }
}

/// `text` with `more` appended on a line of its own.
fn appended(text: &str, more: &str) -> String {
    let mut out = text.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(more.trim_end_matches(['\r', '\n']));
    out.push('\n');
    out
}

/// Reads `files` and appends them to the field; a file holding a private key is not read in
/// (and its name is said).
async fn read_files(keys: PublicKeys, files: Vec<web_sys::File>) {
    let (read, refused) = read_public_key_files(files).await;
    for (_, text) in read {
        let current = keys.text.get_untracked();
        keys.accept(appended(&current, &text));
    }
    keys.refused
        .set((!refused.is_empty()).then(|| refused.join(" ")));
}

#[component]
pub fn PublicKeysField(
    keys: PublicKeys,
    /// The provider's 422 messages for `ssh_keys`.
    #[prop(into)]
    errors: Signal<Vec<String>>,
) -> impl IntoView {
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if keys.accept(value) {
            keys.refused.set(None);
        } else if let Some(el) = textarea.get_untracked() {
            // Out of the page's field at once, not only out of the signal.
            el.set_value(&keys.text.get_untracked());
        }
    };
    // However the text got there (a draft, the form), a private key does not stay.
    Effect::new(move |_| {
        let text = keys.text.get();
        if find_private_key(&text).is_some() {
            keys.accept(text);
        }
    });
    let checked = Memo::new(move |_| keys.text.with(|t| parse_public_keys(t)));
    let bad_lines = move || {
        checked.with(|c| match c {
            Ok(lines) => lines.iter().any(|l| l.result.is_err()),
            Err(_) => true,
        })
    };
    let invalid = move || (bad_lines() || errors.with(|e| !e.is_empty())).to_string();

    let dragging = RwSignal::new(false);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let files = files_of(ev.data_transfer().and_then(|d| d.files()));
        leptos::task::spawn_local(read_files(keys, files));
    };
    let on_chosen = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files = files_of(input.files());
        // So that choosing the same file again reads it again.
        input.set_value("");
        leptos::task::spawn_local(read_files(keys, files));
    };

    let key_list = move || {
        checked.with(|c| match c {
            Ok(lines) if lines.is_empty() => None,
            Ok(lines) => Some(
                lines
                    .iter()
                    .map(|l| match &l.result {
                        Ok(key) => view! {
                            <li class="key-ok">
                                <span aria-hidden="true">"✓ "</span>
                                {format!("Line {}: ", l.line_number)}
                                <code>{key.ssh_keygen_line()}</code>
                            </li>
                        }
                        .into_any(),
                        Err(e) => view! {
                            <li class="key-bad">
                                <span aria-hidden="true">"⚠ "</span>
                                {format!("Line {}: {e}", l.line_number)}
                            </li>
                        }
                        .into_any(),
                    })
                    .collect_view(),
            ),
            // Only for an instant: the field never keeps a private key.
            Err(e) => Some(vec![
                view! { <li class="key-bad">{e.to_string()}</li> }.into_any()
            ]),
        })
    };

    view! {
        <div class="public-keys">
            <label for="public-keys">"Extra public keys (this machine only)"</label>
            <textarea id="public-keys" node_ref=textarea rows="3" spellcheck="false" autocomplete="off"
                prop:value=move || keys.text.get()
                on:input=on_input
                aria-invalid=invalid
                aria-describedby="public-keys-help public-keys-refused public-keys-error public-keys-list"></textarea>
            <p id="public-keys-help" class="help">
                "One OpenSSH public key per line: the contents of a .pub file, such as "
                <code>"ssh-ed25519 AAAAC3Nza… you@laptop"</code>". Never the private key (the file without .pub)."
            </p>
            <div id="public-keys-refused">
                {move || keys.refused.get().map(|m| view! {
                    <p class="field-error" role="alert">{m}</p>
                })}
            </div>
            <div id="public-keys-error">
                {move || errors.get().into_iter().map(|m| view! { <p class="field-error">{m}</p> }).collect_view()}
            </div>
            <div class="drop-zone" class:dragging=move || dragging.get()
                on:dragenter=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop>
                <label for="public-keys-files">"Add .pub files"</label>
                <input id="public-keys-files" type="file" multiple accept=".pub,text/plain" on:change=on_chosen/>
                <span class="help">" or drop them here; their keys are added to the field."</span>
            </div>
            <ul id="public-keys-list" class="key-list">{key_list}</ul>
        </div>
    }
}
