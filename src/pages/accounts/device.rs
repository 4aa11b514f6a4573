//! How the accounts are kept on this device: remember them behind a passphrase, auto-lock,
//! change the passphrase, stop remembering or forget everything, export and import a backup.

use cloudpane_api::vault::{passphrase_problem, SealedVault, BACKUP_FILE_NAME};
use leptos::prelude::*;

use crate::accounts::{auto_lock_seconds, set_auto_lock_seconds, VaultStatus};
use crate::components::download::download_text;
use crate::components::{ConfirmDialog, FormMessages, TextField};
use crate::state::use_app;
use crate::vault::{VaultError, VaultKey};

#[component]
pub fn OnThisDevice() -> impl IntoView {
    let state = use_app();
    let status = move || state.accounts.status();
    view! {
        <section class="on-this-device" aria-labelledby="device-title">
            <h2 id="device-title">"On this device"</h2>
            <p class="vault-status" role="status">
                {move || match status() {
                    VaultStatus::Unlocked => view! {
                        <span aria-hidden="true">"🔐 "</span>
                        "Remembered on this device, encrypted with your passphrase (PBKDF2-SHA-256, 600,000 rounds; AES-GCM-256). The passphrase itself is never stored."
                    }.into_any(),
                    _ => view! {
                        <span aria-hidden="true">"⏏ "</span>
                        "In this tab's memory only: a reload or closing the tab forgets every account."
                    }.into_any(),
                }}
            </p>
            {move || state.accounts.save_error().map(|e| view! {
                <p class="field-error" role="alert">{format!("The latest change could not be saved on this device: {e}")}</p>
            })}
            {move || match status() {
                VaultStatus::Unlocked => view! {
                    <AutoLockChoice/>
                    <ChangePassphraseForm/>
                    <StopRemembering/>
                }.into_any(),
                _ => view! { <RememberForm/> }.into_any(),
            }}
            <BackupSection/>
        </section>
    }
}

/// The two new-passphrase fields, shared by remembering and changing the passphrase; their
/// problems are `messages`' `passphrase` and `passphrase-again`.
fn new_passphrase_fields(
    messages: FormMessages,
    first: RwSignal<String>,
    second: RwSignal<String>,
) -> impl IntoView {
    view! {
        <TextField messages field="passphrase" label="New passphrase" value=first input_type="password"
            autocomplete="new-password"
            help="At least 10 characters. It cannot be recovered: without it the remembered accounts must be added again."/>
        <TextField messages field="passphrase-again" label="New passphrase again" value=second
            input_type="password" autocomplete="new-password"/>
    }
}

#[component]
fn RememberForm() -> impl IntoView {
    let state = use_app();
    let first = RwSignal::new(String::new());
    let second = RwSignal::new(String::new());
    let messages = FormMessages::new("remember", &["passphrase", "passphrase-again"]);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        messages.clear();
        let passphrase = first.get_untracked();
        if let Some(p) = passphrase_problem(&passphrase, &second.get_untracked()) {
            // The error summary takes focus and links to the field.
            messages.field("passphrase", p);
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = match VaultKey::create(&passphrase).await {
                Ok(key) => state.accounts.remember(key).await,
                Err(e) => Err(e),
            };
            busy.try_set(false);
            match result {
                Ok(()) => {
                    state.announce("Accounts remembered on this device, encrypted.");
                    // This form gives way to the remembered accounts' settings.
                    crate::pages::focus_if_lost(|| document().get_element_by_id("auto-lock"));
                }
                Err(e) => messages.field("passphrase", e.to_string()),
            }
            first.try_set(String::new());
            second.try_set(String::new());
        });
    };
    view! {
        <form class="form" on:submit=submit novalidate aria-labelledby="remember-title">
            <h3 id="remember-title">"Remember on this device"</h3>
            <p>"Keeps these accounts across reloads, encrypted with a passphrase you choose. You will be asked for it when the console opens, and after it locks itself when idle."</p>
            {messages.view_summary()}
            {new_passphrase_fields(messages, first, second)}
            <button type="submit" aria-busy=move || busy.get().to_string()>
                {move || if busy.get() { "Encrypting…" } else { "Remember accounts" }}
            </button>
        </form>
    }
}

const AUTO_LOCK_CHOICES: [(u32, &str); 6] = [
    (60, "after 1 minute idle"),
    (5 * 60, "after 5 minutes idle"),
    (15 * 60, "after 15 minutes idle"),
    (30 * 60, "after 30 minutes idle"),
    (60 * 60, "after 1 hour idle"),
    (0, "never"),
];

#[component]
fn AutoLockChoice() -> impl IntoView {
    let state = use_app();
    let current = auto_lock_seconds();
    let chosen = RwSignal::new(current.to_string());
    let custom = (!AUTO_LOCK_CHOICES.iter().any(|(s, _)| *s == current))
        .then(|| view! { <option value=current.to_string()>{format!("after {current} seconds idle")}</option> });
    view! {
        <div class="auto-lock">
            <label for="auto-lock">"Lock automatically"</label>
            <select id="auto-lock" bind:value=chosen aria-describedby="auto-lock-help" on:change=move |_| {
                if let Ok(seconds) = chosen.get_untracked().parse() {
                    set_auto_lock_seconds(seconds);
                }
            }>
                {custom}
                {AUTO_LOCK_CHOICES.iter().map(|(s, label)| view! {
                    <option value=s.to_string() selected=*s == current>{*label}</option>
                }).collect_view()}
            </select>
            <p id="auto-lock-help" class="help">"Only your own typing, clicking and scrolling count as activity; the pages' refreshes do not."</p>
            <button type="button" on:click=move |_| {
                state.accounts.lock();
                state.announce("Accounts locked.");
            }><span aria-hidden="true">"🔒 "</span>"Lock now"</button>
        </div>
    }
}

#[component]
fn ChangePassphraseForm() -> impl IntoView {
    let state = use_app();
    let current = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let second = RwSignal::new(String::new());
    let messages = FormMessages::new("change", &["current", "passphrase", "passphrase-again"]);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        done.set(false);
        messages.clear();
        let new = first.get_untracked();
        if let Some(p) = passphrase_problem(&new, &second.get_untracked()) {
            // The error summary takes focus and links to the field.
            messages.field("passphrase", p);
            return;
        }
        busy.set(true);
        let old = current.get_untracked();
        leptos::task::spawn_local(async move {
            let result = state.accounts.change_passphrase(&old, &new).await;
            busy.try_set(false);
            match result {
                Ok(()) => {
                    current.try_set(String::new());
                    first.try_set(String::new());
                    second.try_set(String::new());
                    done.try_set(true);
                    state.announce("Passphrase changed; the accounts were encrypted again.");
                }
                Err(VaultError::WrongPassphrase) => messages.field(
                    "current",
                    "That is not the current passphrase; nothing was changed.",
                ),
                Err(e) => messages.field("passphrase", e.to_string()),
            }
        });
    };
    view! {
        <form class="form" on:submit=submit novalidate aria-labelledby="change-title">
            <h3 id="change-title">"Change the passphrase"</h3>
            {messages.view_summary()}
            <TextField messages field="current" label="Current passphrase" value=current
                input_type="password" autocomplete="current-password"/>
            {new_passphrase_fields(messages, first, second)}
            <button type="submit" aria-busy=move || busy.get().to_string()>
                {move || if busy.get() { "Encrypting…" } else { "Change passphrase" }}
            </button>
            <span role="status">{move || done.get().then_some(" ✓ Changed: the accounts are encrypted with the new passphrase.")}</span>
        </form>
    }
}

#[component]
fn StopRemembering() -> impl IntoView {
    let state = use_app();
    let stopping = RwSignal::new(false);
    let forgetting = RwSignal::new(false);
    let count = move || state.accounts.listed().len();
    view! {
        <div class="vault-exit">
            <button type="button" on:click=move |_| stopping.set(true)>"Stop remembering…"</button>
            " "
            <button type="button" class="danger" on:click=move |_| forgetting.set(true)>"Forget everything on this device…"</button>
        </div>
        <ConfirmDialog open=stopping title="Stop remembering the accounts on this device?"
            confirm_label="Stop remembering" on_confirm=move |_| {
                stopping.set(false);
                state.accounts.stop_remembering();
                state.announce("The accounts are no longer remembered on this device.");
            }>
            <p>{move || format!("The encrypted record of {} is deleted from this browser. The accounts stay usable in this tab until it is closed or reloaded.", plural(count()))}</p>
        </ConfirmDialog>
        <ConfirmDialog open=forgetting title="Forget everything on this device?"
            confirm_label="Forget everything" danger=true type_to_confirm="forget" on_confirm=move |_| {
                forgetting.set(false);
                state.accounts.forget_everything();
                state.add_demo_accounts();
                state.announce("Every account was forgotten on this device.");
            }>
            <p>{move || {
                let names: Vec<String> = state.accounts.listed().iter().map(|a| format!("{} \u{201c}{}\u{201d}", a.provider.display_name(), a.name)).collect();
                format!("Forgets {} and their tokens, from this tab and from this browser: {}. The tokens stay valid at the providers.", plural(count()), names.join(", "))
            }}</p>
        </ConfirmDialog>
    }
}

fn plural(n: usize) -> String {
    cloudpane_api::words::count(n, "account", "accounts")
}

#[component]
fn BackupSection() -> impl IntoView {
    let state = use_app();
    let export_problem = RwSignal::new(None::<String>);
    let export = move |_| {
        let outcome = match state.accounts.stored_backup() {
            Some(text) => download_text(BACKUP_FILE_NAME, &text, "application/json"),
            None => Err("remember the accounts first: the backup is their encrypted record".into()),
        };
        match outcome {
            Ok(()) => {
                export_problem.set(None);
                state.announce("Encrypted backup saved.");
            }
            Err(e) => export_problem.set(Some(format!(
                "No backup was made: {}",
                cloudpane_api::words::full_stop(&e.to_string())
            ))),
        }
    };
    let sealed = RwSignal::new(None::<SealedVault>);
    let passphrase = RwSignal::new(String::new());
    let messages = FormMessages::new("import", &["file", "passphrase"]);
    // Why the file just chosen cannot be imported: said beside the field at once, and in the
    // error summary when the form is sent.
    let file_problem = RwSignal::new(None::<String>);
    let imported = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let choose = move |ev: leptos::ev::Event| {
        imported.set(None);
        messages.clear();
        file_problem.set(None);
        sealed.set(None);
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            match text.ok().and_then(|t| t.as_string()) {
                None => {
                    file_problem.try_set(Some("The file could not be read.".into()));
                }
                Some(text) => match SealedVault::from_json(&text) {
                    Ok(s) => {
                        sealed.try_set(Some(s));
                    }
                    Err(e) => {
                        file_problem.try_set(Some(e.to_string()));
                    }
                },
            }
        });
    };
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        messages.clear();
        let Some(record) = sealed.get_untracked() else {
            // The error summary takes focus and links to the field.
            let said = file_problem
                .get_untracked()
                .unwrap_or_else(|| "Choose a backup file first.".into());
            file_problem.set(None);
            messages.field("file", said);
            return;
        };
        busy.set(true);
        let typed = passphrase.get_untracked();
        leptos::task::spawn_local(async move {
            let result = VaultKey::unlock(&typed, &record).await;
            busy.try_set(false);
            match result {
                Ok((_, contents)) => {
                    let total = contents.accounts.len();
                    let added = state.accounts.merge(contents);
                    let message = format!(
                        "Imported {} from the backup{}.",
                        plural(added),
                        if added < total {
                            format!(" ({} already here)", total - added)
                        } else {
                            String::new()
                        }
                    );
                    state.announce(message.clone());
                    imported.try_set(Some(message));
                    passphrase.try_set(String::new());
                }
                // What was typed stays, to be corrected.
                Err(VaultError::WrongPassphrase) => {
                    messages.field("passphrase", VaultError::WrongPassphrase.to_string())
                }
                Err(e) => messages.field("file", e.to_string()),
            }
        });
    };
    view! {
        <section class="backup" aria-labelledby="backup-title">
            <h3 id="backup-title">"Encrypted backup"</h3>
            <p>"Move your accounts to another browser without retyping tokens: the backup file is the same encrypted record, opened with the same passphrase."</p>
            <button type="button" on:click=export disabled=move || state.accounts.status() != VaultStatus::Unlocked
                aria-describedby="export-help">"Export encrypted backup"</button>
            <p id="export-help" class="help">{move || if state.accounts.status() == VaultStatus::Unlocked {
                "Saves cloudpane-accounts.vault.json: no token in it is readable without the passphrase."
            } else {
                "Remember the accounts on this device first: the backup is their encrypted record."
            }}</p>
            {move || export_problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            <form class="form" on:submit=import novalidate aria-labelledby="import-title">
                <h4 id="import-title">"Import a backup"</h4>
                {messages.view_summary()}
                <label for="import-file">"Backup file"</label>
                <input id="import-file" type="file" accept=".json,application/json" on:change=choose
                    aria-describedby="import-file-error import-file-note"
                    aria-invalid=move || (messages.has("file") || file_problem.with(Option::is_some)).to_string()/>
                {messages.view_field("file", "import-file-error".into())}
                <div id="import-file-note" role="alert">
                    {move || file_problem.get().map(|p| view! { <p class="field-error">{p}</p> })}
                </div>
                <TextField messages field="passphrase" label="The backup's passphrase" value=passphrase
                    input_type="password"/>
                <button type="submit" aria-busy=move || busy.get().to_string()>
                    {move || if busy.get() { "Decrypting…" } else { "Import accounts" }}
                </button>
                <span role="status">{move || imported.get().map(|m| format!(" ✓ {m}"))}</span>
            </form>
        </section>
    }
}
