use cloudpane_api::form_errors::FormErrors;
use cloudpane_api::ssh_key::AcceptedPublicKeys;
use cloudpane_api::voltagepark::ssh_keys::{
    add_org_ssh_key, check_new_keys, drafts_from_file, CheckedDraft, KeyDraft, OrgSshKey,
};
use cloudpane_api::{ApiError, Provider};
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;

use super::key_draft_fields::{DraftRow, KeyDraftFields};
use crate::components::public_key_files::{files_of, read_public_key_files};
use crate::components::{draft, ErrorSummary, Problem, SendOnce};
use crate::state::use_app;
use crate::transport;

const DRAFT: &str = "new-ssh-keys";

/// Adds one key or several (one name each): pasted, or read from dropped or chosen `.pub`
/// files. Each is checked here before anything is sent; private key material never stays in a
/// field. Keys the provider accepts leave the form; the others stay, marked.
#[component]
pub fn AddKeysForm(
    /// The organization's keys, for the duplicate checks. Tracked.
    #[prop(into)]
    existing: Signal<Vec<OrgSshKey>>,
    on_added: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    // The keys being added survive a reload: names, and of each key field only what was
    // accepted as a public key.
    let saved: Vec<(String, AcceptedPublicKeys)> = draft::load(DRAFT).unwrap_or_default();
    let rows = RwSignal::new(if saved.is_empty() {
        vec![DraftRow::new(KeyDraft::default())]
    } else {
        saved.into_iter().map(DraftRow::restored).collect()
    });
    Effect::new(move |first: Option<()>| {
        let kept: Vec<(String, AcceptedPublicKeys)> =
            rows.with(|r| r.iter().map(DraftRow::kept).collect());
        if first.is_some() {
            draft::save(DRAFT, &kept);
        }
    });
    let tried = RwSignal::new(false);
    let once = SendOnce::new();
    let button = NodeRef::<leptos::html::Button>::new();
    let notes = RwSignal::new(Vec::<String>::new());
    let outcome = RwSignal::new(None::<String>);
    // What the last submit found wrong, for the error summary (set on submit only: it takes
    // focus, so it never follows the typing).
    let problems = RwSignal::new(Vec::<Problem>::new());
    let checked = Memo::new(move |_| {
        let drafts: Vec<KeyDraft> = rows.with(|r| r.iter().map(DraftRow::draft).collect());
        existing.with(|e| check_new_keys(&drafts, e))
    });

    let add_files = move |files: Vec<web_sys::File>| {
        leptos::task::spawn_local(async move {
            let (read, said) = read_public_key_files(files).await;
            // A file of several keys gives a row to each.
            for draft in read
                .iter()
                .flat_map(|(name, text)| drafts_from_file(name, text))
            {
                let blank = rows.with_untracked(|r| r.iter().position(DraftRow::is_blank));
                match blank {
                    Some(i) => rows.with_untracked(|r| {
                        r[i].name.set(draft.name);
                        r[i].accept_content(draft.content);
                    }),
                    None => rows.update(|r| r.push(DraftRow::new(draft))),
                }
            }
            notes.set(said);
        });
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
        add_files(files);
    };
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        add_files(files_of(ev.data_transfer().and_then(|d| d.files())));
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        tried.set(true);
        let all = rows.get_untracked();
        let checks = checked.get_untracked();
        let mut to_send = Vec::new();
        let mut found = Vec::new();
        for (index, (row, check)) in all.iter().zip(&checks).enumerate() {
            match check.to_request(&row.draft_untracked()) {
                Some(body) => to_send.push((*row, body)),
                None => found.extend(check_problems(index + 1, row, check)),
            }
        }
        if !found.is_empty() {
            // The summary takes focus and links to each field.
            problems.set(found);
            return;
        }
        problems.set(Vec::new());
        let (Some(connection), Some(account)) = (
            state.connection.get_untracked(),
            state.account_for(Provider::VoltagePark),
        ) else {
            return;
        };
        if !once.claim() {
            return;
        }
        leptos::task::spawn_local(async move {
            let mut added = Vec::new();
            let mut refused = 0;
            // Lost answers whose outcome the list read again could not tell.
            let mut not_known = 0;
            for (row, body) in to_send {
                let request = add_org_ssh_key(&account.token, &body);
                match transport::send::<Value>(&connection, &request).await {
                    Ok(_) => {
                        added.push(body.name);
                        rows.update(|r| r.retain(|x| x.id != row.id));
                    }
                    Err(error) if error.answer_may_be_lost() => {
                        // Never sent again on its own: the list says whether it was added.
                        let listed =
                            super::page::load_keys(connection.clone(), account.token.clone()).await;
                        match listed {
                            Ok(keys) if keys.read.iter().any(|k| k.name == body.name) => {
                                added.push(body.name);
                                rows.update(|r| r.retain(|x| x.id != row.id));
                            }
                            // A key listed but unreadable may be this one: not known.
                            Ok(keys)
                                if !keys
                                    .unreadable
                                    .iter()
                                    .any(|u| u.could_be_named(&body.name)) =>
                            {
                                refused += 1;
                                row.server.set(vec![(String::new(), "Not added: its answer was lost, and Voltage Park lists no key of that name. Nothing was added; add it again.".into())]);
                            }
                            Ok(_) => {
                                not_known += 1;
                                row.server.set(vec![(String::new(), "Not known whether it was added: its answer was lost, and Voltage Park lists a key that could not be read, which may be this one. It was not sent again: look at the list before adding it again.".into())]);
                            }
                            Err(e) => {
                                not_known += 1;
                                row.server.set(vec![(String::new(), format!("Not known whether it was added: its answer was lost, and the keys could not be read again ({e}). It was not sent again: reload the list before adding it again."))]);
                            }
                        }
                    }
                    Err(error) => {
                        refused += 1;
                        row.server.set(refusal(&error));
                    }
                }
            }
            once.release();
            let refusals: Vec<Problem> = rows.with_untracked(|r| {
                r.iter()
                    .enumerate()
                    .flat_map(|(i, row)| server_problems(i + 1, row))
                    .collect()
            });
            if refusals.is_empty() {
                // The button lost focus while it was disabled.
                crate::pages::focus_if_lost(move || button.get_untracked().map(Into::into));
            } else {
                problems.set(refusals);
            }
            if rows.with_untracked(Vec::is_empty) {
                rows.set(vec![DraftRow::new(KeyDraft::default())]);
                tried.set(false);
            }
            let mut message = match (added.len(), refused) {
                (0, 0) => String::new(),
                (0, _) => "No key was added: see the messages by each key.".to_string(),
                (n, 0) => format!("Added {}: {}.", plural(n), added.join(", ")),
                (n, r) => format!(
                    "Added {}: {}. {} not added: see the messages by {}.",
                    plural(n),
                    added.join(", "),
                    plural(r),
                    if r == 1 { "it" } else { "each" }
                ),
            };
            if not_known > 0 {
                let unknown = format!(
                    "Not known whether {} {} added: see the messages by {}.",
                    plural(not_known),
                    if not_known == 1 { "was" } else { "were" },
                    if not_known == 1 { "it" } else { "each" }
                );
                message = [message, unknown].join(" ").trim().to_string();
            }
            state.announce(message.clone());
            outcome.set(Some(message));
            if !added.is_empty() {
                on_added.run(());
            }
        });
    };

    // Several keys pasted into one row: the first stays in it (named after its comment when
    // the row has no name yet), each other gets a row of its own at the end.
    let on_several = Callback::new(move |(id, drafts): (u32, Vec<KeyDraft>)| {
        let Some(at) = rows.with_untracked(|r| r.iter().position(|x| x.id == id)) else {
            return;
        };
        let n = drafts.len();
        let mut drafts = drafts.into_iter();
        if let Some(first) = drafts.next() {
            let row = rows.with_untracked(|r| r[at]);
            if row.name.with_untracked(|n| n.trim().is_empty()) {
                row.name.set(first.name);
            }
            row.accept_content(first.content);
        }
        rows.update(|r| r.extend(drafts.map(DraftRow::new)));
        state.announce(format!(
            "{} pasted: each has its own row, named after its comment.",
            plural(n)
        ));
    });
    let count = move || rows.with(Vec::len);
    view! {
        <form class="form add-keys" on:submit=submit novalidate aria-labelledby="add-keys-title">
            <h2 id="add-keys-title">"Add keys"</h2>
            <ErrorSummary id="add-keys-errors" problems/>
            <p id="new-key-name-help" class="help">"Name: 3 to 64 letters, digits, hyphens or spaces, not used by another key."</p>
            <p id="new-key-content-help" class="help">
                "Public key: one line such as "<code>"ssh-ed25519 AAAAC3Nza… you@laptop"</code>
                ", the contents of a .pub file; several keys pasted at once get a row each. Never the private key (the file without .pub): it is refused and never sent."
            </p>
            <For each=move || rows.get().into_iter().enumerate() key=|(_, r)| r.id let:item>
                {
                    let (index, row) = item;
                    let checked = Signal::derive(move || {
                        let at = rows.with(|r| r.iter().position(|x| x.id == row.id));
                        at.and_then(|i| checked.with(|c| c.get(i).cloned()))
                    });
                    let on_remove = Signal::derive(move || {
                        (count() > 1).then(|| Callback::new(move |id: u32| rows.update(|r| r.retain(|x| x.id != id))))
                    });
                    view! { <KeyDraftFields row number=index + 1 checked tried on_remove on_several/> }
                }
            </For>
            <div class="drop-zone" class:dragging=move || dragging.get()
                on:dragenter=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop>
                <label for="new-key-files">"Add .pub files"</label>
                <input id="new-key-files" type="file" multiple accept=".pub,text/plain" on:change=on_chosen
                    aria-describedby="new-key-files-help new-key-files-notes"/>
                <span id="new-key-files-help" class="help">" or drop them here: a row for each key, named after its comment."</span>
                <div id="new-key-files-notes">
                    {move || notes.get().into_iter().map(|m| view! { <p class="field-error" role="alert">{m}</p> }).collect_view()}
                </div>
            </div>
            <div class="form-actions">
                <button type="button" on:click=move |_| rows.update(|r| r.push(DraftRow::new(KeyDraft::default())))>
                    "Add another key"
                </button>
                <button type="submit" node_ref=button disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                    {move || match (once.busy(), count()) {
                        (true, _) => "Adding…".to_string(),
                        (false, 1) => "Add key".to_string(),
                        (false, n) => format!("Add {n} keys"),
                    }}
                </button>
            </div>
            {move || outcome.get().map(|m| view! { <p class="outcome" role="status">{m}</p> })}
        </form>
    }
}

impl DraftRow {
    fn draft_untracked(&self) -> KeyDraft {
        KeyDraft {
            name: self.name.get_untracked(),
            content: self.content.get_untracked(),
        }
    }
}

fn plural(n: usize) -> String {
    cloudpane_api::words::count(n, "key", "keys")
}

/// The form's own findings on key `number`, each linked to its field: "Key 2: …".
fn check_problems(number: usize, row: &DraftRow, check: &CheckedDraft) -> Vec<Problem> {
    check
        .problems
        .iter()
        .map(|p| {
            let id = match p.field.as_str() {
                "name" => row.name_id(),
                _ => row.content_id(),
            };
            Problem::at(id, format!("Key {number}: {}", p.message))
        })
        .collect()
}

/// What Voltage Park (or a lost answer) said of key `number`, each at its field; about the key
/// as a whole, at its key field.
fn server_problems(number: usize, row: &DraftRow) -> Vec<Problem> {
    row.server.with_untracked(|said| {
        said.iter()
            .map(|(field, message)| {
                let id = match field.as_str() {
                    "name" => row.name_id(),
                    _ => row.content_id(),
                };
                Problem::at(id, format!("Key {number}: {message}"))
            })
            .collect()
    })
}

/// The provider's refusal of one key, by field: a 422 at its fields, a 400 (a name taken
/// meanwhile) at the name when it speaks of it, anything else for the key as a whole.
fn refusal(error: &ApiError) -> Vec<(String, String)> {
    match error {
        ApiError::Http(e) if !e.fields.is_empty() => {
            let placed = FormErrors::place(&e.fields, &["name", "content"]);
            let mut out: Vec<(String, String)> = placed
                .fields
                .into_iter()
                .map(|(f, m)| (f.to_string(), format!("Voltage Park refused it: {m}")))
                .collect();
            out.extend(placed.general.into_iter().map(|m| (String::new(), m)));
            out
        }
        // A refused token or the provider's own failure is about no field: say it whole.
        ApiError::Http(e) if !e.may_concern_a_field() => vec![(String::new(), e.summary())],
        ApiError::Http(e) => {
            let said = e.message.clone().unwrap_or_else(|| e.summary());
            let field = if said.to_lowercase().contains("name") {
                "name"
            } else {
                ""
            };
            vec![(
                field.to_string(),
                format!("Voltage Park refused it: {said}"),
            )]
        }
        other => vec![(String::new(), format!("Not added: {other}"))],
    }
}
