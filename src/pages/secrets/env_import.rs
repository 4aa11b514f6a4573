use cloudpane_api::netactuate::after_lost_answer::import_row_applied;
use cloudpane_api::netactuate::dotenv::{parse_env, EnvProblem};
use cloudpane_api::netactuate::env_import::{
    preview_counts, preview_import, ImportAction, PreviewRow,
};
use cloudpane_api::netactuate::secret_lists::{list_values, Data, ListValue, SecretListInfo};
use cloudpane_api::netactuate::SecretValue;
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;

use super::list_address::{read_list_to_end, send_to_list};
use super::load::{count, netactuate_untracked};
use crate::components::public_key_files::files_of;
use crate::components::{ErrorSummary, Problem, SendOnce};
use crate::state::use_app;

/// A `.env` file is a few kilobytes; anything much bigger is not one.
const MAX_FILE_BYTES: f64 = 1024.0 * 1024.0;

/// Where one previewed key stands once the import is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowResult {
    /// Not sent yet (or nothing to send for it).
    Waiting,
    Sending,
    Done,
    /// Its answer was lost, and reading the list again found it stored.
    Confirmed,
    Failed(String),
}

impl RowResult {
    /// Stored: nothing more to send for it.
    pub fn is_done(&self) -> bool {
        matches!(self, RowResult::Done | RowResult::Confirmed)
    }
}

/// One key of the preview and its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub row: PreviewRow,
    pub result: RowResult,
}

/// Imports a `.env` file into the list: pasted or dropped, read here, then a preview of what
/// each key would do (new, changed with a masked diff, unchanged, held by another list) and of
/// the lines that could not be read. Nothing is sent before "Apply"; then one request per
/// change, with a progress bar and each row's result; failed rows can be retried alone.
#[component]
pub fn EnvImport(
    #[prop(into)] list: Signal<Option<SecretListInfo>>,
    #[prop(into)] lists: Signal<Vec<SecretListInfo>>,
    #[prop(into)] all_values: Signal<Vec<ListValue>>,
    /// True while pasted text has not been applied.
    dirty: RwSignal<bool>,
    on_applied: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let text = RwSignal::new(String::new());
    let notes = RwSignal::new(Vec::<String>::new());
    let rows = RwSignal::new(None::<Vec<ImportRow>>);
    let problems = RwSignal::new(Vec::<EnvProblem>::new());
    let progress = RwSignal::new(None::<(usize, usize)>);
    // The rows that failed in the last apply, for the error summary (it takes focus and links
    // to each row).
    let failures = RwSignal::new(Vec::<Problem>::new());
    let once = SendOnce::new();
    Effect::new(move |_| dirty.set(text.with(|t| !t.trim().is_empty())));

    let preview = move || {
        let Some(l) = list.get_untracked() else {
            return;
        };
        let parsed = parse_env(&text.get_untracked());
        let previewed = all_values.with_untracked(|all| {
            lists.with_untracked(|ls| preview_import(&parsed.entries, &l.id, all, ls))
        });
        let (new, changed, unchanged, held) = preview_counts(&previewed);
        state.announce(format!(
            "Preview: {new} new, {changed} changed, {unchanged} unchanged, {held} held by another list, {} not read.",
            count(parsed.problems.len(), "line", "lines")
        ));
        problems.set(parsed.problems);
        progress.set(None);
        failures.set(Vec::new());
        rows.set(Some(
            previewed
                .into_iter()
                .map(|row| ImportRow {
                    row,
                    result: RowResult::Waiting,
                })
                .collect(),
        ));
    };

    // Sends the rows that need it and have not succeeded: all at first, the failed ones on retry.
    let apply = move |_| {
        let (Some(l), Some((connection, token))) = (list.get_untracked(), netactuate_untracked())
        else {
            return;
        };
        let todo: Vec<usize> = rows.with_untracked(|r| {
            r.iter()
                .flatten()
                .enumerate()
                .filter(|(_, r)| r.row.action.sends() && !r.result.is_done())
                .map(|(i, _)| i)
                .collect()
        });
        if todo.is_empty() || !once.claim() {
            return;
        }
        let total = todo.len();
        progress.set(Some((0, total)));
        failures.set(Vec::new());
        leptos::task::spawn_local(async move {
            let mut failed = 0;
            // Rows whose answer was lost: never sent again on their own; the list read again
            // once at the end says whether each was stored.
            let mut lost = Vec::new();
            for (n, i) in todo.into_iter().enumerate() {
                let Some(row) = rows.with_untracked(|r| {
                    r.as_ref()
                        .and_then(|r| r.get(i))
                        .filter(|r| r.row.action.sends())
                        .map(|r| r.row.clone())
                }) else {
                    continue;
                };
                set_result(rows, i, RowResult::Sending);
                // By name, once more by id after a 404 (the SDKs' way).
                let result = send_to_list::<Value>(state, &connection, &l, |segment| {
                    row.request(&token, segment)
                        .expect("a row that sends has a request")
                })
                .await;
                drop(row);
                match result {
                    Ok(_) => set_result(rows, i, RowResult::Done),
                    Err(e) if e.answer_may_be_lost() => lost.push(i),
                    Err(e) => {
                        failed += 1;
                        set_result(rows, i, RowResult::Failed(e.to_string()));
                    }
                }
                let _ = progress.try_set(Some((n + 1, total)));
            }
            if !lost.is_empty() {
                let reread =
                    read_list_to_end::<Data<Vec<ListValue>>>(state, &connection, &l, |segment| {
                        list_values(&token, segment)
                    })
                    .await
                    .map(|d| d.data);
                for i in lost {
                    let Some(row) = rows.with_untracked(|r| {
                        r.as_ref().and_then(|r| r.get(i)).map(|r| r.row.clone())
                    }) else {
                        continue;
                    };
                    let result = match &reread {
                        Ok(after) if import_row_applied(&row, &l.id, after) => RowResult::Confirmed,
                        Ok(_) => RowResult::Failed("its answer was lost, and NetActuate does not list it: nothing was stored.".into()),
                        Err(e) => RowResult::Failed(format!("its answer was lost, and the list could not be read again ({e}): check the values above before retrying.")),
                    };
                    if !result.is_done() {
                        failed += 1;
                    }
                    set_result(rows, i, result);
                }
            }
            once.release();
            let message = if failed == 0 {
                // Everything is in the list: the pasted values leave the page and memory.
                text.set(String::new());
                rows.update(|r| {
                    for row in r.iter_mut().flatten() {
                        row.row.value = SecretValue::default();
                    }
                });
                format!(
                    "Import applied: {} sent.",
                    count(total, "change", "changes")
                )
            } else {
                failures.set(rows.with_untracked(failed_rows));
                format!(
                    "Import applied with failures: {} of {total} failed. Retry sends only those.",
                    failed
                )
            };
            state.announce(message);
            on_applied.run(());
        });
    };

    let read_files = move |files: Vec<web_sys::File>| {
        leptos::task::spawn_local(async move {
            let mut said = Vec::new();
            for file in files.into_iter().take(1) {
                let name = file.name();
                if file.size() > MAX_FILE_BYTES {
                    said.push(format!(
                        "{name} is too big to be a .env file; it was not read."
                    ));
                    continue;
                }
                match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(t) => {
                        text.set(t.as_string().unwrap_or_default());
                        rows.set(None);
                        said.push(format!(
                            "{name} was read. Preview it before anything is sent."
                        ));
                    }
                    Err(_) => said.push(format!("{name} could not be read.")),
                }
            }
            notes.set(said);
        });
    };
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        read_files(files_of(ev.data_transfer().and_then(|d| d.files())));
    };
    let on_chosen = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files = files_of(input.files());
        input.set_value("");
        read_files(files);
    };

    let to_send = move || {
        rows.with(|r| {
            r.iter()
                .flatten()
                .filter(|r| r.row.action.sends() && !r.result.is_done())
                .count()
        })
    };
    let any_failed = move || {
        rows.with(|r| {
            r.iter()
                .flatten()
                .any(|r| matches!(r.result, RowResult::Failed(_)))
        })
    };

    view! {
        <section class="env-import" aria-labelledby="env-import-title">
            <h3 id="env-import-title">"Import a .env file"</h3>
            <label for="env-text">"Paste KEY=value lines"</label>
            <textarea id="env-text" rows="6" spellcheck="false" autocomplete="off" class="code"
                prop:value=move || text.get()
                on:input=move |ev| { text.set(event_target_value(&ev)); rows.set(None); }
                aria-describedby="env-text-help"></textarea>
            <p id="env-text-help" class="help">
                "KEY=value, export KEY=value, quoted and multi-line quoted values, # comments. Read here in the browser; nothing is sent until you apply the preview."
            </p>
            <div class="drop-zone" class:dragging=move || dragging.get()
                on:dragenter=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop>
                <label for="env-file">"Or choose a .env file"</label>
                <input id="env-file" type="file" accept=".env,text/plain" on:change=on_chosen aria-describedby="env-file-notes"/>
                <span class="help">" or drop it here."</span>
                <div id="env-file-notes" role="status">
                    {move || notes.get().into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}
                </div>
            </div>
            <div class="form-actions">
                <button type="button" on:click=move |_| preview()
                    disabled=move || once.busy() || text.with(|t| t.trim().is_empty())>"Preview import"</button>
            </div>
            <ErrorSummary id="import-errors" problems=failures/>
            {move || rows.with(Option::is_some).then(|| view! {
                <ImportPreview rows problems/>
                {move || progress.get().map(|(done, total)| view! {
                    <div class="import-progress">
                        <label for="import-progress">{format!("{done} of {total} sent")}</label>
                        <progress id="import-progress" max=total.to_string() value=done.to_string()></progress>
                    </div>
                })}
                <div class="form-actions">
                    <button type="button" class="primary" on:click=apply
                        disabled=move || once.busy() || to_send() == 0>
                        {move || match (once.busy(), any_failed(), to_send()) {
                            (true, _, _) => "Sending…".to_string(),
                            (false, true, n) => format!("Retry the {} that failed", count(n, "change", "changes")),
                            (false, false, 0) => "Nothing to send".to_string(),
                            (false, false, n) => format!("Apply {}", count(n, "change", "changes")),
                        }}
                    </button>
                </div>
            })}
        </section>
    }
}

/// The preview's rows that failed, each linked to its row: "DB_URL: …".
fn failed_rows(rows: &Option<Vec<ImportRow>>) -> Vec<Problem> {
    rows.iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, r)| match &r.result {
            RowResult::Failed(m) => Some(Problem::at(
                row_id(i),
                format!("{}: not imported: {m}", r.row.key),
            )),
            _ => None,
        })
        .collect()
}

/// The id of the preview's row `i` (its key cell, which takes focus from the error summary).
fn row_id(i: usize) -> String {
    format!("import-row-{i}")
}

fn set_result(rows: RwSignal<Option<Vec<ImportRow>>>, i: usize, result: RowResult) {
    let _ = rows.try_update(|r| {
        if let Some(row) = r.as_mut().and_then(|r| r.get_mut(i)) {
            row.result = result;
        }
    });
}

/// The preview: what each key would do, and the lines that were not read.
#[component]
pub fn ImportPreview(
    rows: RwSignal<Option<Vec<ImportRow>>>,
    #[prop(into)] problems: Signal<Vec<EnvProblem>>,
) -> impl IntoView {
    let summary = move || {
        rows.with(|r| {
            let previewed: Vec<PreviewRow> = r.iter().flatten().map(|r| r.row.clone()).collect();
            let (new, changed, unchanged, held) = preview_counts(&previewed);
            format!(
                "{new} new, {changed} changed, {unchanged} unchanged, {held} held by another list."
            )
        })
    };
    view! {
        <div class="import-preview">
            <h4>"Preview"</h4>
            <p class="row-count" role="status">{summary}</p>
            {move || problems.with(|p| (!p.is_empty()).then(|| view! {
                <div class="banner warn import-problems">
                    <p><span aria-hidden="true">"⚠ "</span>{format!("{} not read, and not imported:", count(p.len(), "line was", "lines were"))}</p>
                    <ul>{p.iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view()}</ul>
                </div>
            }))}
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="import-caption">
                <table class="data-table import-rows">
                    <caption id="import-caption" class="visually-hidden">"What the import does to each key"</caption>
                    <thead><tr>
                        <th scope="col">"Key"</th>
                        <th scope="col">"Line"</th>
                        <th scope="col">"Change"</th>
                        <th scope="col">"Details"</th>
                        <th scope="col">"Result"</th>
                    </tr></thead>
                    <tbody>
                        {move || rows.get().unwrap_or_default().into_iter().enumerate().map(|(i, r)| {
                            let (icon, class) = match r.row.action {
                                ImportAction::New => ("+", "import-new"),
                                ImportAction::Changed { .. } => ("~", "import-changed"),
                                ImportAction::Unchanged => ("=", "import-unchanged"),
                                ImportAction::HeldByAnotherList { .. } => ("⚠", "import-held"),
                            };
                            let result = match (&r.result, r.row.action.sends()) {
                                (_, false) => "Not sent".to_string(),
                                (RowResult::Waiting, true) => "Waiting".to_string(),
                                (RowResult::Sending, true) => "Sending…".to_string(),
                                (RowResult::Done, true) => "✓ Done".to_string(),
                                (RowResult::Confirmed, true) => "✓ Done: its answer was lost, but NetActuate lists it".to_string(),
                                (RowResult::Failed(m), true) => format!("⚠ Failed: {m}"),
                            };
                            view! {
                                <tr class=class>
                                    <th scope="row" id=row_id(i) tabindex="-1"><code>{r.row.key.clone()}</code></th>
                                    <td>{r.row.line}</td>
                                    <td><span aria-hidden="true">{icon}" "</span>{r.row.action.label()}</td>
                                    <td>{r.row.describe()}</td>
                                    <td class="import-result">{result}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
