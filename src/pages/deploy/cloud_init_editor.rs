//! The cloud-init editor of both Voltage Park deploy forms: packages, files to write and
//! commands as rows, a pasted `#cloud-config` document read into them (and the rows shown as
//! one), the provider's verdict while editing, and a warning for NetActuate-style secret
//! references, which Voltage Park would pass on literally.
//!
//! A pasted document is never silently ignored: until "Use this document" reads it into the
//! rows (or it is discarded), the review refuses to open and says why
//! ([`CloudInitRows::document_problem`]); and it is kept in the form's draft.

use std::time::Duration;

use cloudpane_api::voltagepark::cloudinit::{
    find_secret_references, may_hold_a_password, parse_cloud_config, render_cloud_config,
    validate_cloud_init, CloudInit, CloudInitContent, CloudInitTarget, CloudInitValidation,
    WriteFile,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::state::{use_app, Connection};
use crate::transport;

/// How long the editor waits after the last change before asking the provider.
const CHECK_DELAY: Duration = Duration::from_millis(800);

/// The encodings offered for a file's content: the value sent and what the person reads.
const ENCODINGS: [(&str, &str); 3] = [
    ("", "Plain text"),
    ("b64", "Base64 (b64)"),
    ("gzip+b64", "Gzip, then base64 (gzip+b64)"),
];

/// One row of "Files to write", as typed. Optional fields are empty strings here and `None`
/// in what is sent.
#[derive(Clone, Debug, Default, PartialEq)]
struct FileRow {
    id: u64,
    path: String,
    content: String,
    owner: String,
    permissions: String,
    encoding: String,
}

#[derive(Clone, Copy)]
enum Part {
    Path,
    Content,
    Owner,
    Permissions,
    Encoding,
}

impl FileRow {
    fn part(&self, part: Part) -> &String {
        match part {
            Part::Path => &self.path,
            Part::Content => &self.content,
            Part::Owner => &self.owner,
            Part::Permissions => &self.permissions,
            Part::Encoding => &self.encoding,
        }
    }

    fn part_mut(&mut self, part: Part) -> &mut String {
        match part {
            Part::Path => &mut self.path,
            Part::Content => &mut self.content,
            Part::Owner => &mut self.owner,
            Part::Permissions => &mut self.permissions,
            Part::Encoding => &mut self.encoding,
        }
    }

    /// A row just added and not filled in: nothing to send.
    fn is_blank(&self) -> bool {
        [
            &self.path,
            &self.content,
            &self.owner,
            &self.permissions,
            &self.encoding,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    fn to_write_file(&self) -> WriteFile {
        let optional = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        };
        WriteFile {
            path: self.path.trim().to_string(),
            content: self.content.clone(),
            encoding: optional(&self.encoding),
            owner: optional(&self.owner),
            permissions: optional(&self.permissions),
        }
    }
}

/// One command of `runcmd`, as typed.
#[derive(Clone, Debug, PartialEq)]
struct CommandRow {
    id: u64,
    text: String,
}

/// The provider's verdict on the cloud-init being edited.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Nothing to check: no cloud-init will be sent.
    Empty,
    /// A check is waiting for the editing to pause, or for the provider's answer.
    Checking,
    /// The provider accepts it, with its remark if it made one.
    Accepted(Option<String>),
    /// The provider refuses it; its message.
    Refused(String),
    /// The provider could not be asked (network or HTTP error); why.
    Unavailable(String),
}

/// The cloud-init being edited, as rows. Copy, cheap to pass around.
#[derive(Clone, Copy)]
pub struct CloudInitRows {
    /// The packages textarea, one package per line.
    packages: RwSignal<String>,
    files: RwSignal<Vec<FileRow>>,
    commands: RwSignal<Vec<CommandRow>>,
    /// Row ids stay unique across `set`, so a replaced row is a new row on the page.
    next_id: StoredValue<u64>,
    verdict: RwSignal<Verdict>,
    /// Bumped by every check (and every edit): an answer for an older one is ignored.
    check: StoredValue<u64>,
    /// The `#cloud-config` box's text.
    document: RwSignal<String>,
    /// True while the box's text is what the rows were read from or written as ("Use this
    /// document", "Show as YAML"); false once it is typed or pasted into.
    document_applied: RwSignal<bool>,
    /// Why the box's text was not read, shown beside it.
    document_error: RwSignal<Option<String>>,
}

/// The `#cloud-config` box as a draft keeps it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentDraft {
    pub text: String,
    pub applied: bool,
}

impl Default for CloudInitRows {
    fn default() -> Self {
        Self::new()
    }
}

impl CloudInitRows {
    pub fn new() -> Self {
        CloudInitRows {
            packages: RwSignal::new(String::new()),
            files: RwSignal::new(Vec::new()),
            commands: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(1),
            verdict: RwSignal::new(Verdict::Empty),
            check: StoredValue::new(0),
            document: RwSignal::new(String::new()),
            document_applied: RwSignal::new(false),
            document_error: RwSignal::new(None),
        }
    }

    /// The box's text for the form's draft (tracked); empty when it may set a password, which
    /// is never kept in the browser's storage.
    pub fn document_draft(&self) -> DocumentDraft {
        let text = self.document.get();
        if may_hold_a_password(&text) {
            return DocumentDraft::default();
        }
        DocumentDraft {
            text,
            applied: self.document_applied.get(),
        }
    }

    /// Puts a draft's text back in the box.
    pub fn restore_document(&self, draft: DocumentDraft) {
        self.document.set(draft.text);
        self.document_applied.set(draft.applied);
        self.document_error.set(None);
    }

    /// Empties the box.
    pub fn discard_document(&self) {
        self.restore_document(DocumentDraft::default());
    }

    /// Why the review cannot open because of the box: its text cannot be read, or it has not
    /// been used (so the rows, not the document, would be sent). `None` when the box is empty
    /// or its text is what the rows hold. The reason is also shown beside the box.
    pub fn document_problem(&self) -> Option<String> {
        let text = self.document.get_untracked();
        if text.trim().is_empty() || self.document_applied.get_untracked() {
            return None;
        }
        let problem = match parse_cloud_config(&text) {
            Err(e) => format!(
                "The #cloud-config document cannot be read, so it would not be sent: {e} Correct it and press \u{201c}Use this document\u{201d}, or discard it."
            ),
            Ok(_) => "The #cloud-config document is not in use: press \u{201c}Use this document\u{201d} to send it (it replaces the rows), or discard it to send the rows.".to_string(),
        };
        self.document_error.set(Some(problem.clone()));
        Some(problem)
    }

    fn new_id(&self) -> u64 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    /// Replaces every row with `cloud_init`.
    pub fn set(&self, cloud_init: &CloudInit) {
        self.packages.set(cloud_init.packages.join("\n"));
        self.files.set(
            cloud_init
                .write_files
                .iter()
                .map(|f| FileRow {
                    id: self.new_id(),
                    path: f.path.clone(),
                    content: f.content.clone(),
                    owner: f.owner.clone().unwrap_or_default(),
                    permissions: f.permissions.clone().unwrap_or_default(),
                    encoding: f.encoding.clone().unwrap_or_default(),
                })
                .collect(),
        );
        self.commands.set(
            cloud_init
                .runcmd
                .iter()
                .map(|c| CommandRow {
                    id: self.new_id(),
                    text: c.clone(),
                })
                .collect(),
        );
    }

    /// What would be sent (tracked): blank lines, blank rows and empty optional fields left out.
    pub fn get(&self) -> CloudInit {
        CloudInit {
            packages: self.packages.with(|p| package_lines(p)),
            write_files: self.files.with(|f| write_files(f)),
            runcmd: self.commands.with(|c| commands(c)),
        }
    }

    /// [`CloudInitRows::get`] without tracking.
    pub fn get_untracked(&self) -> CloudInit {
        CloudInit {
            packages: self.packages.with_untracked(|p| package_lines(p)),
            write_files: self.files.with_untracked(|f| write_files(f)),
            runcmd: self.commands.with_untracked(|c| commands(c)),
        }
    }

    /// The provider's latest verdict (tracked).
    pub fn verdict(&self) -> Verdict {
        self.verdict.get()
    }

    /// Checks with the provider now (used again right before deploy); updates the verdict.
    pub async fn validate_now(&self, connection: Connection, target: CloudInitTarget) -> Verdict {
        let cloud_init = self.get_untracked();
        let Some(check) = self.next_check() else {
            return Verdict::Empty;
        };
        if cloud_init.is_empty() {
            self.show(Verdict::Empty);
            return Verdict::Empty;
        }
        self.show(Verdict::Checking);
        let request = validate_cloud_init(target, CloudInitContent::Object(cloud_init));
        let verdict = match transport::send::<CloudInitValidation>(&connection, &request).await {
            Ok(answer) if answer.error => Verdict::Refused(
                answer
                    .message
                    .filter(|m| !m.trim().is_empty())
                    .unwrap_or_else(|| "it gave no reason".to_string()),
            ),
            Ok(answer) => Verdict::Accepted(answer.message.filter(|m| !m.trim().is_empty())),
            Err(e) => Verdict::Unavailable(e.to_string()),
        };
        // A newer edit or check started meanwhile: this answer is about an older cloud-init.
        // (`try_`: the editor may be gone by the time the answer comes.)
        if self.check.try_get_value() == Some(check) {
            self.show(verdict.clone());
        }
        verdict
    }

    /// Shows `verdict`, unless it is already shown: the status line is read out on every
    /// change, and "Checking" once per pause is enough. (Quietly nothing once disposed.)
    fn show(&self, verdict: Verdict) {
        if self.verdict.try_with_untracked(|v| *v != verdict) == Some(true) {
            self.verdict.set(verdict);
        }
    }

    /// Starts a new check, making any answer still awaited stale. `None` once disposed.
    fn next_check(&self) -> Option<u64> {
        self.check.try_update_value(|c| {
            *c += 1;
            *c
        })
    }

    fn update_file(&self, id: u64, part: Part, value: String) {
        self.files.update(|files| {
            if let Some(row) = files.iter_mut().find(|r| r.id == id) {
                *row.part_mut(part) = value;
            }
        });
    }

    fn file_part(&self, id: u64, part: Part) -> String {
        self.files.with(|files| {
            files
                .iter()
                .find(|r| r.id == id)
                .map(|r| r.part(part).clone())
                .unwrap_or_default()
        })
    }

    /// 1-based position of a row on the page (0 once removed).
    fn file_number(&self, id: u64) -> usize {
        self.files
            .with(|f| f.iter().position(|r| r.id == id).map_or(0, |i| i + 1))
    }

    fn command_number(&self, id: u64) -> usize {
        self.commands
            .with(|c| c.iter().position(|r| r.id == id).map_or(0, |i| i + 1))
    }

    fn command_text(&self, id: u64) -> String {
        self.commands.with(|c| {
            c.iter()
                .find(|r| r.id == id)
                .map(|r| r.text.clone())
                .unwrap_or_default()
        })
    }
}

fn package_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn write_files(rows: &[FileRow]) -> Vec<WriteFile> {
    rows.iter()
        .filter(|r| !r.is_blank())
        .map(FileRow::to_write_file)
        .collect()
}

fn commands(rows: &[CommandRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| !r.text.trim().is_empty())
        .map(|r| r.text.clone())
        .collect()
}

/// Where a secret reference is, in the person's words: `runcmd.2` -> "command 3".
fn field_in_words(field: &str, cloud_init: &CloudInit) -> String {
    let mut parts = field.split('.');
    let section = parts.next().unwrap_or_default();
    let index: usize = parts.next().and_then(|i| i.parse().ok()).unwrap_or(0);
    let rest = parts.next();
    match (section, rest) {
        ("packages", _) => format!("package {}", index + 1),
        ("runcmd", _) => format!("command {}", index + 1),
        ("write_files", Some(part)) => {
            let path = cloud_init
                .write_files
                .get(index)
                .map(|f| f.path.as_str())
                .filter(|p| !p.is_empty());
            let file = match path {
                Some(path) => format!("file {} ({path})", index + 1),
                None => format!("file {}", index + 1),
            };
            format!("{part} of {file}")
        }
        _ => field.to_string(),
    }
}

/// "2 packages, 1 file, 3 commands" (or "nothing").
fn summary(cloud_init: &CloudInit) -> String {
    let count = |n: usize, one: &str, many: &str| match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    };
    let parts: Vec<String> = [
        count(cloud_init.packages.len(), "package", "packages"),
        count(cloud_init.write_files.len(), "file", "files"),
        count(cloud_init.runcmd.len(), "command", "commands"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(", ")
    }
}

/// Moves focus to the element `id` once it is on the page (after a row is added).
fn focus_soon(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

#[component]
pub fn CloudInitEditor(
    rows: CloudInitRows,
    /// Which deploy the provider checks the cloud-init for.
    target: CloudInitTarget,
    /// Messages the provider's 422 gave for cloud-init fields, shown above the editor.
    #[prop(into)]
    errors: Signal<Vec<String>>,
) -> impl IntoView {
    // Captured now: timers and tasks have no reactive owner to find the context from.
    let state = use_app();
    let current = Memo::new(move |_| rows.get());

    // The provider is asked once the editing pauses, never on every keystroke.
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let cloud_init = current.get();
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
        // Whatever was being checked is now out of date.
        rows.next_check();
        if cloud_init.is_empty() {
            rows.show(Verdict::Empty);
            return;
        }
        rows.show(Verdict::Checking);
        let handle = set_timeout_with_handle(
            move || {
                let Some(connection) = state.connection.try_get_untracked().flatten() else {
                    rows.show(Verdict::Unavailable(
                        "cloudpane is not connected to its proxy".to_string(),
                    ));
                    return;
                };
                leptos::task::spawn_local(async move {
                    rows.validate_now(connection, target).await;
                });
            },
            CHECK_DELAY,
        )
        .ok();
        timer.set_value(handle);
    });
    on_cleanup(move || {
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
    });

    let has_errors = move || errors.with(|e| !e.is_empty());
    let secrets = move || {
        let cloud_init = current.get();
        let found = find_secret_references(&cloud_init);
        (!found.is_empty()).then(|| {
            let items = found
                .into_iter()
                .map(|r| {
                    let place = field_in_words(&r.field, &cloud_init);
                    view! { <li><code>{format!("${{{{secret.{}}}}}", r.key)}</code>" in "{place}</li> }
                })
                .collect_view();
            view! {
                <div class="banner warn cloudinit-secrets" id="cloudinit-secrets">
                    <p><span aria-hidden="true">"⚠ "</span><strong>"Secret references will not be filled in."</strong>
                        " The ${{secret.KEY}} syntax is NetActuate's: Voltage Park does not substitute it, \
                         so this text would reach the machine literally."</p>
                    <ul>{items}</ul>
                </div>
            }
        })
    };

    view! {
        <fieldset class="cloudinit" aria-describedby="cloudinit-errors cloudinit-verdict">
            <legend>"Cloud-init"</legend>
            <div id="cloudinit-errors">
                {move || errors.get().into_iter().map(|m| view! { <p class="field-error">{m}</p> }).collect_view()}
            </div>
            <VerdictLine rows/>
            {secrets}

            <label for="cloudinit-packages">"Packages"</label>
            <textarea id="cloudinit-packages" rows="3" spellcheck="false"
                prop:value=move || rows.packages.get()
                on:input=move |ev| rows.packages.set(event_target_value(&ev))
                aria-invalid=move || has_errors().to_string()
                aria-describedby="cloudinit-packages-help cloudinit-errors"></textarea>
            <p id="cloudinit-packages-help" class="help">
                "One package per line, e.g. " <code>"htop"</code> " or, with a version, " <code>"nvtop=3.0.1-1"</code> "."
            </p>

            <FileRows rows/>
            <CommandRows rows/>
            <DocumentBox rows/>
        </fieldset>
    }
}

/// The provider's verdict in words with an icon.
#[component]
fn VerdictLine(rows: CloudInitRows) -> impl IntoView {
    view! {
        <p id="cloudinit-verdict" class="cloudinit-verdict" role="status">
            {move || match rows.verdict() {
                Verdict::Empty => view! {
                    <span class="muted">"No cloud-init: nothing will be sent, nothing to check."</span>
                }.into_any(),
                Verdict::Checking => view! {
                    <span class="muted"><span class="spinner" aria-hidden="true"></span>" Checking with Voltage Park…"</span>
                }.into_any(),
                Verdict::Accepted(remark) => view! {
                    <span class="verdict-ok"><span aria-hidden="true">"✓ "</span>"Voltage Park accepts this cloud-init."
                        {remark.map(|r| format!(" {r}"))}</span>
                }.into_any(),
                Verdict::Refused(message) => view! {
                    <span class="verdict-refused"><span aria-hidden="true">"⚠ "</span>
                        {format!("Voltage Park refuses this cloud-init: {message}")}</span>
                }.into_any(),
                Verdict::Unavailable(reason) => view! {
                    <span class="verdict-unknown"><span aria-hidden="true">"? "</span>
                        {format!("The cloud-init could not be checked: Voltage Park could not be asked ({reason}). It will be checked again before the deploy.")}</span>
                }.into_any(),
            }}
        </p>
    }
}

#[component]
fn FileRows(rows: CloudInitRows) -> impl IntoView {
    let add = move |_| {
        let id = rows.new_id();
        rows.files.update(|f| {
            f.push(FileRow {
                id,
                ..FileRow::default()
            })
        });
        focus_soon(format!("cloudinit-file-{id}-path"));
    };
    view! {
        <h4 class="cloudinit-heading">"Files to write"</h4>
        <p class="help">"Written before the commands run."</p>
        <For each=move || rows.files.with(|f| f.iter().map(|r| r.id).collect::<Vec<_>>()) key=|id| *id let:id>
            <FileRowView rows id/>
        </For>
        <button type="button" id="cloudinit-add-file" class="cloudinit-add" on:click=add>"Add a file"</button>
    }
}

#[component]
fn FileRowView(rows: CloudInitRows, id: u64) -> impl IntoView {
    let field_id = move |part: &str| format!("cloudinit-file-{id}-{part}");
    let value = move |part: Part| move || rows.file_part(id, part);
    let set = move |part: Part| {
        move |ev: leptos::ev::Event| rows.update_file(id, part, event_target_value(&ev))
    };
    let number = move || rows.file_number(id);
    let path = Memo::new(move |_| rows.file_part(id, Part::Path));
    let missing_path = Memo::new(move |_| {
        rows.files.with(|f| {
            f.iter()
                .find(|r| r.id == id)
                .is_some_and(|r| r.path.trim().is_empty() && !r.is_blank())
        })
    });
    let remove_label = move || {
        let path = path.get();
        if path.trim().is_empty() {
            format!("Remove file {}", number())
        } else {
            format!("Remove file {}", path.trim())
        }
    };
    let remove = move |_| {
        rows.files.update(|f| f.retain(|r| r.id != id));
        focus_soon("cloudinit-add-file".to_string());
    };
    let encoding = Memo::new(move |_| rows.file_part(id, Part::Encoding));
    let encoding_options = move || {
        let current = encoding.get();
        let mut options: Vec<(String, String)> = ENCODINGS
            .iter()
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .collect();
        // An encoding from a pasted document that the list does not name stays selectable.
        if !ENCODINGS.iter().any(|(v, _)| *v == current) {
            options.push((current.clone(), current.clone()));
        }
        options
            .into_iter()
            .map(|(v, l)| {
                let selected = v == current;
                view! { <option value=v selected=selected>{l}</option> }
            })
            .collect_view()
    };
    view! {
        <fieldset class="cloudinit-row cloudinit-file">
            <legend>{move || format!("File {}", number())}</legend>
            <label for=field_id("path")>"Path"</label>
            <input id=field_id("path") type="text" spellcheck="false" placeholder="/etc/motd"
                prop:value=value(Part::Path) on:input=set(Part::Path)
                aria-invalid=move || missing_path.get().to_string()
                aria-describedby=field_id("path-error")/>
            {move || missing_path.get().then(|| view! {
                <p class="field-error" id=field_id("path-error")>"Give the file a path, e.g. /etc/motd."</p>
            })}
            <label for=field_id("content")>"Content"</label>
            <textarea id=field_id("content") rows="4" spellcheck="false"
                prop:value=value(Part::Content) on:input=set(Part::Content)></textarea>
            <div class="cloudinit-file-meta">
                <span>
                    <label for=field_id("owner")>"Owner"</label>
                    <input id=field_id("owner") type="text" spellcheck="false" placeholder="root:root"
                        prop:value=value(Part::Owner) on:input=set(Part::Owner)
                        aria-describedby=field_id("owner-help")/>
                    <span class="help" id=field_id("owner-help")>"user:group; empty for root:root"</span>
                </span>
                <span>
                    <label for=field_id("permissions")>"Permissions"</label>
                    <input id=field_id("permissions") type="text" spellcheck="false" inputmode="numeric" placeholder="0644"
                        prop:value=value(Part::Permissions) on:input=set(Part::Permissions)
                        aria-describedby=field_id("permissions-help")/>
                    <span class="help" id=field_id("permissions-help")>"octal, e.g. 0644; empty for cloud-init's default"</span>
                </span>
                <span>
                    <label for=field_id("encoding")>"Encoding"</label>
                    <select id=field_id("encoding") on:change=set(Part::Encoding)>{encoding_options}</select>
                </span>
            </div>
            <button type="button" class="cloudinit-remove" aria-label=remove_label on:click=remove>"Remove"</button>
        </fieldset>
    }
}

#[component]
fn CommandRows(rows: CloudInitRows) -> impl IntoView {
    let add = move |_| {
        let id = rows.new_id();
        rows.commands.update(|c| {
            c.push(CommandRow {
                id,
                text: String::new(),
            })
        });
        focus_soon(format!("cloudinit-command-{id}"));
    };
    view! {
        <h4 class="cloudinit-heading">"Commands"</h4>
        <p class="help" id="cloudinit-commands-help">"Run once, at first boot, in this order, by a shell. A command may span lines."</p>
        <ol class="cloudinit-commands">
            <For each=move || rows.commands.with(|c| c.iter().map(|r| r.id).collect::<Vec<_>>()) key=|id| *id let:id>
                <CommandRowView rows id/>
            </For>
        </ol>
        <button type="button" id="cloudinit-add-command" class="cloudinit-add" on:click=add>"Add a command"</button>
    }
}

#[component]
fn CommandRowView(rows: CloudInitRows, id: u64) -> impl IntoView {
    let input_id = format!("cloudinit-command-{id}");
    let number = move || rows.command_number(id);
    let text = Memo::new(move |_| rows.command_text(id));
    let remove_label = move || {
        let text = text.get();
        let first = text.lines().next().unwrap_or_default().trim();
        if first.is_empty() {
            format!("Remove command {}", number())
        } else {
            let short: String = first.chars().take(40).collect();
            let more = if short.len() < first.len() { "…" } else { "" };
            format!("Remove command {}: {short}{more}", number())
        }
    };
    let set = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        rows.commands.update(|c| {
            if let Some(row) = c.iter_mut().find(|r| r.id == id) {
                row.text = value;
            }
        });
    };
    let remove = move |_| {
        rows.commands.update(|c| c.retain(|r| r.id != id));
        focus_soon("cloudinit-add-command".to_string());
    };
    view! {
        <li class="cloudinit-row cloudinit-command">
            <label for=input_id.clone()>{move || format!("Command {}", number())}</label>
            <textarea id=input_id spellcheck="false" aria-describedby="cloudinit-commands-help"
                rows=move || if text.get().contains('\n') { "2" } else { "1" }
                prop:value=move || text.get() on:input=set></textarea>
            <button type="button" class="cloudinit-remove" aria-label=remove_label on:click=remove>"Remove"</button>
        </li>
    }
}

/// The rows as one `#cloud-config` document: paste one in, or see the rows written as one.
#[component]
fn DocumentBox(rows: CloudInitRows) -> impl IntoView {
    let (text, error) = (rows.document, rows.document_error);
    let notices = RwSignal::new(Vec::<String>::new());
    let outcome = RwSignal::new(None::<String>);
    let use_document = move |_| {
        outcome.set(None);
        let yaml = text.get_untracked();
        if yaml.trim().is_empty() {
            error.set(Some("Paste a #cloud-config document first.".to_string()));
            return;
        }
        match parse_cloud_config(&yaml) {
            Ok(parsed) => {
                rows.set(&parsed.cloud_init);
                rows.document_applied.set(true);
                error.set(None);
                notices.set(parsed.notices.iter().map(ToString::to_string).collect());
                outcome.set(Some(format!(
                    "The rows now hold the document: {}.",
                    summary(&parsed.cloud_init)
                )));
            }
            // The rows and the pasted text stay as they were.
            Err(e) => {
                error.set(Some(e.to_string()));
                notices.set(Vec::new());
            }
        }
    };
    let show_yaml = move |_| {
        text.set(render_cloud_config(&rows.get_untracked()));
        rows.document_applied.set(true);
        error.set(None);
        notices.set(Vec::new());
        outcome.set(Some(
            "The box shows the rows as a #cloud-config document; edit it and use it, or copy it."
                .to_string(),
        ));
    };
    let discard = move |_| {
        rows.discard_document();
        notices.set(Vec::new());
        outcome.set(Some(
            "The document is discarded; the rows above are what is sent.".to_string(),
        ));
        focus_soon("cloudinit-yaml".to_string());
    };
    // A pasted document not yet used, or one with an error, is unfolded to be seen (after a
    // reload too: the draft keeps it). Only ever opened here: the person folds it.
    let details = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        let pending = text.with(|t| !t.trim().is_empty()) && !rows.document_applied.get();
        if pending || error.with(Option::is_some) {
            if let Some(d) = details.get() {
                let _ = d.set_attribute("open", "");
            }
        }
    });
    let kept_out = move || text.with(|t| may_hold_a_password(t));
    view! {
        <details class="cloudinit-document" node_ref=details>
            <summary>"Paste #cloud-config, or show the rows as YAML"</summary>
            <label for="cloudinit-yaml">"#cloud-config document"</label>
            <textarea id="cloudinit-yaml" class="code-block" rows="10" spellcheck="false"
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    rows.document_applied.set(false);
                }
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby="cloudinit-yaml-help cloudinit-yaml-error"></textarea>
            <p id="cloudinit-yaml-help" class="help">
                "Voltage Park takes packages, write_files and runcmd; anything else is listed and left out. \
                 Using a document replaces the rows above; until then the review will not open with a document here."
                {move || kept_out().then_some(" This document sets a password, so the draft does not keep it.")}
            </p>
            {move || error.get().map(|e| view! {
                <p class="field-error" id="cloudinit-yaml-error" role="alert">{e}</p>
            })}
            <div class="cloudinit-document-actions">
                <button type="button" on:click=use_document>"Use this document"</button>
                <button type="button" on:click=show_yaml>"Show as YAML"</button>
                <button type="button" on:click=discard disabled=move || text.with(String::is_empty)>"Discard the document"</button>
            </div>
            <p class="outcome" role="status">{move || outcome.get()}</p>
            {move || (!notices.with(Vec::is_empty)).then(|| view! {
                <div class="cloudinit-notices">
                    <p>"Read with these changes:"</p>
                    <ul>{notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                </div>
            })}
        </details>
    }
}
