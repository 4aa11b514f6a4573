use cloudpane_api::ssh_key::{find_private_key, AcceptedPublicKeys, SshKeyError};
use cloudpane_api::voltagepark::ssh_keys::{split_keys, CheckedDraft, KeyDraft};
use leptos::prelude::*;

/// One key being added: its fields, and what the provider said about it when it was sent.
#[derive(Clone, Copy)]
pub struct DraftRow {
    /// For element ids; unique within the page.
    pub id: u32,
    pub name: RwSignal<String>,
    pub content: RwSignal<String>,
    /// Why the content was just emptied (it held a private key).
    pub refused: RwSignal<Option<String>>,
    /// The provider's refusal, as (field, message); "" for the key as a whole.
    pub server: RwSignal<Vec<(String, String)>>,
}

impl DraftRow {
    pub fn new(draft: KeyDraft) -> Self {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(1);
        DraftRow {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            name: RwSignal::new(draft.name),
            content: RwSignal::new(draft.content),
            refused: RwSignal::new(None),
            server: RwSignal::new(Vec::new()),
        }
    }

    /// A row from what a draft kept of it.
    pub fn restored((name, key): (String, AcceptedPublicKeys)) -> Self {
        DraftRow::new(KeyDraft {
            name,
            content: key.text().trim_end().to_string(),
        })
    }

    /// What a draft keeps of the row: its name, and its key only as far as it is an accepted
    /// public key. Tracked.
    pub fn kept(&self) -> (String, AcceptedPublicKeys) {
        (
            self.name.get(),
            self.content.with(|c| AcceptedPublicKeys::from_field(c)),
        )
    }

    /// The draft as typed. Tracked.
    pub fn draft(&self) -> KeyDraft {
        KeyDraft {
            name: self.name.get(),
            content: self.content.get(),
        }
    }

    pub fn is_blank(&self) -> bool {
        self.name.with_untracked(|n| n.trim().is_empty())
            && self.content.with_untracked(|c| c.trim().is_empty())
    }

    /// Takes `text` as the key's content, unless it holds private key material: then the field
    /// is emptied and the reason kept. True when it was taken.
    pub fn accept_content(&self, text: String) -> bool {
        self.server
            .update(|s| s.retain(|(f, _)| f != "content" && !f.is_empty()));
        match find_private_key(&text) {
            None => {
                self.refused.set(None);
                self.content.set(text);
                true
            }
            Some(format) => {
                self.content.set(String::new());
                self.refused.set(Some(format!(
                    "{} It was removed from the field.",
                    SshKeyError::PrivateKey(format)
                )));
                false
            }
        }
    }

    pub fn name_id(&self) -> String {
        format!("new-key-{}-name", self.id)
    }

    pub fn content_id(&self) -> String {
        format!("new-key-{}-content", self.id)
    }
}

/// The name and key fields of one key being added, with its fingerprint once the key reads
/// and each problem next to its field.
#[component]
pub fn KeyDraftFields(
    row: DraftRow,
    /// 1-based, for the legend ("Key 2").
    number: usize,
    /// The checks of this draft. Tracked.
    #[prop(into)]
    checked: Signal<Option<CheckedDraft>>,
    /// True once the user tried to send: every problem shows, even of empty fields.
    #[prop(into)]
    tried: Signal<bool>,
    /// Takes the key out of the form; `None` for the only one.
    #[prop(into)]
    on_remove: Signal<Option<Callback<u32>>>,
    /// Several keys pasted into this row's field: the row's id and one draft per key.
    on_several: Callback<(u32, Vec<KeyDraft>)>,
) -> impl IntoView {
    let (name_id, content_id) = (row.name_id(), row.content_id());
    let name_error_id = format!("{name_id}-error");
    let content_error_id = format!("{content_id}-error");
    let content_status_id = format!("{content_id}-status");
    let messages = move |field: &'static str| {
        let shown = move || {
            tried.get()
                || match field {
                    "name" => row.name.with(|n| !n.is_empty()),
                    _ => row.content.with(|c| !c.trim().is_empty()),
                }
        };
        Signal::derive(move || {
            let mut out: Vec<String> = if shown() {
                checked.with(|c| {
                    c.iter()
                        .flat_map(|c| c.problems.iter())
                        .filter(|p| p.field == field)
                        .map(|p| p.message.clone())
                        .collect()
                })
            } else {
                Vec::new()
            };
            row.server
                .with(|s| out.extend(s.iter().filter(|(f, _)| f == field).map(|(_, m)| m.clone())));
            out
        })
    };
    let name_messages = messages("name");
    let content_messages = messages("content");
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let on_content = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        // Several keys: one row each (a private key is never split: it is refused whole).
        if let Some(drafts) = split_keys(&text, None) {
            on_several.run((row.id, drafts));
            return;
        }
        if !row.accept_content(text) {
            // Out of the page's field at once, not only out of the signal.
            if let Some(el) = textarea.get_untracked() {
                el.set_value("");
            }
        }
    };
    let keygen_line = move || {
        checked.with(|c| {
            c.as_ref()
                .and_then(|c| c.key.as_ref())
                .map(|k| k.ssh_keygen_line())
        })
    };
    let general = move || {
        row.server.with(|s| {
            s.iter()
                .filter(|(f, _)| f.is_empty())
                .map(|(_, m)| view! { <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>{m.clone()}</p> })
                .collect_view()
        })
    };
    view! {
        <fieldset class="key-draft">
            <legend>{format!("Key {number}")}</legend>
            {general}
            <label for=name_id.clone()>"Name"</label>
            <input id=name_id type="text" autocomplete="off" spellcheck="false" maxlength="80"
                prop:value=move || row.name.get()
                on:input=move |ev| {
                    row.server.update(|s| s.retain(|(f, _)| f != "name" && !f.is_empty()));
                    row.name.set(event_target_value(&ev));
                }
                aria-invalid=move || name_messages.with(|m| !m.is_empty()).to_string()
                aria-describedby=format!("{name_error_id} new-key-name-help")/>
            <div id=name_error_id.clone()>
                {move || name_messages.get().into_iter().map(|m| view! { <p class="field-error">{m}</p> }).collect_view()}
            </div>
            <label for=content_id.clone()>"Public key"</label>
            <textarea id=content_id node_ref=textarea rows="3" spellcheck="false" autocomplete="off"
                class="key-content"
                prop:value=move || row.content.get()
                on:input=on_content
                aria-invalid=move || content_messages.with(|m| !m.is_empty()).to_string()
                aria-describedby=format!("{content_error_id} {content_status_id} new-key-content-help")></textarea>
            <div id=content_error_id>
                {move || row.refused.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                {move || content_messages.get().into_iter().map(|m| view! { <p class="field-error">{m}</p> }).collect_view()}
            </div>
            <p id=content_status_id class="key-ok">
                {move || keygen_line().map(|line| view! {
                    <span aria-hidden="true">"✓ "</span>"Reads as "<code>{line}</code>
                })}
            </p>
            {move || on_remove.get().map(|remove| view! {
                <button type="button" class="link" on:click=move |_| remove.run(row.id)>
                    {format!("Remove key {number} from the form")}
                </button>
            })}
        </fieldset>
    }
}
