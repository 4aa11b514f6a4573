//! Browser tests of the NetActuate secrets pages' parts: a masked value is not in the page
//! until revealed, and is masked again when the reveal timer runs out; the `.env` import's
//! preview sends nothing, then one request per change, and a retry sends only the failed ones.

mod support;

use std::time::Duration;

use cloudpane::components::MaskedValue;
use cloudpane::pages::secrets::{
    DeleteListDialog, EnvImport, ListToDelete, RenameListForm, SecretsSection, ValueSource,
    ValuesTable,
};
use cloudpane_api::netactuate::secret_lists::{Data, ListValue, SecretListInfo};
use cloudpane_api::Provider;
use leptos::prelude::*;
use support::{find, mount, sleep, state_with_account, texts, type_into};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const VALUE: &str = "s3cur3-p4ssw0rd-xyz";

/// Replaces `window.fetch` with one that records each call (method, URL and body) and answers
/// `status` and `body`.
fn answer_fetches(status: u16, body: &str) {
    let body = serde_json::to_string(body).unwrap();
    js_sys::eval(&format!(
        r#"window.__calls = window.__calls || [];
           window.fetch = async (input, init) => {{
             const request = new Request(input, init);
             window.__calls.push(request.method + ' ' + new URL(request.url).pathname + ' ' + await request.text());
             return new Response({body}, {{status: {status}}});
           }};"#
    ))
    .unwrap();
}

fn forget_fetches() {
    js_sys::eval("window.__calls = []").unwrap();
}

fn fetches() -> Vec<String> {
    let calls = js_sys::eval("window.__calls || []").unwrap();
    js_sys::Array::from(&calls)
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect()
}

fn state() -> cloudpane::state::AppState {
    let state = state_with_account();
    state.accounts.add(Provider::NetActuate, "edge", "na-token");
    state
}

fn click(host: &web_sys::HtmlElement, css: &str) {
    find::<web_sys::HtmlElement>(host, css).click();
}

/// The button under `host` whose text is `text`.
fn button(host: &web_sys::HtmlElement, text: &str) -> web_sys::HtmlButtonElement {
    use wasm_bindgen::JsCast;
    let all = host.query_selector_all("button").unwrap();
    (0..all.length())
        .filter_map(|i| all.item(i))
        .map(|n| n.unchecked_into::<web_sys::HtmlButtonElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button {text}"))
}

#[wasm_bindgen_test]
async fn a_value_is_not_in_the_page_until_revealed_and_is_masked_again_by_the_timer() {
    forget_fetches();
    answer_fetches(
        200,
        &format!(
            r#"{{"id": 1, "name": "db-password", "value": "{VALUE}", "created_at": "2026-01-15T10:30:00Z"}}"#
        ),
    );
    let (host, handle) = mount(state(), || {
        view! {
            <MaskedValue source=ValueSource::Secret { id: "1".into() }.for_masked_value() what="the value of db-password"
                reveal_for=Duration::from_millis(400)/>
        }
    });
    assert!(!host.inner_html().contains(VALUE));
    assert_eq!(texts(&host, ".mask"), ["••••••••"]);
    assert!(fetches().is_empty(), "nothing is read before a reveal");

    click(
        &host,
        "button[aria-label='Reveal the value of db-password']",
    );
    sleep(100).await;
    assert_eq!(texts(&host, "code.revealed"), [VALUE]);
    assert_eq!(fetches(), ["GET /proxy/netactuate/v3/secrets/1 "]);
    assert!(!document_title_has(VALUE));

    sleep(500).await;
    assert!(
        !host.inner_html().contains(VALUE),
        "masked again after the timer"
    );
    assert_eq!(texts(&host, ".mask"), ["••••••••"]);

    // Hide masks at once.
    click(
        &host,
        "button[aria-label='Reveal the value of db-password']",
    );
    sleep(100).await;
    assert!(host.inner_html().contains(VALUE));
    click(&host, "button[aria-label='Hide the value of db-password']");
    leptos::task::tick().await;
    assert!(!host.inner_html().contains(VALUE));

    // Copy reads it again, but never shows it.
    forget_fetches();
    click(&host, "button[aria-label='Copy the value of db-password']");
    sleep(100).await;
    assert_eq!(fetches(), ["GET /proxy/netactuate/v3/secrets/1 "]);
    assert!(!host.inner_html().contains(VALUE));
    drop(handle);
    host.remove();
}

fn document_title_has(text: &str) -> bool {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .title()
        .contains(text)
}

fn account() -> (SecretListInfo, Vec<SecretListInfo>, Vec<ListValue>) {
    let lists: Vec<SecretListInfo> = serde_json::from_str::<Data<_>>(
        r#"{"data": [{"id": 1, "name": "production"}, {"id": 2, "name": "staging"}, {"id": 3, "name": "imports"}]}"#,
    )
    .unwrap()
    .data;
    let values: Vec<ListValue> = serde_json::from_str::<Data<_>>(
        r#"{"data": [
            {"id": 10, "secret_list_id": 3, "secret_key": "CHANGED", "secret_value": "old-value-1111"},
            {"id": 11, "secret_list_id": 3, "secret_key": "SAME", "secret_value": "same"},
            {"id": 12, "secret_list_id": 2, "secret_key": "STAGING_ONLY", "secret_value": "x"}]}"#,
    )
    .unwrap()
    .data;
    (lists[2].clone(), lists, values)
}

fn mount_import(applied: RwSignal<u32>) -> (web_sys::HtmlElement, impl Drop) {
    let (list, lists, values) = account();
    mount(state(), move || {
        view! {
            <EnvImport list=Signal::stored(Some(list)) lists=Signal::stored(lists)
                all_values=Signal::stored(values) dirty=RwSignal::new(false)
                on_applied=Callback::new(move |()| applied.update(|n| *n += 1))/>
        }
    })
}

fn paste(host: &web_sys::HtmlElement, text: &str) {
    let area: web_sys::HtmlTextAreaElement = find(host, "#env-text");
    area.set_value(text);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

const ENV: &str = "\u{feff}# deploy settings\r\nexport NEW_KEY=\"fresh value\"\r\nCHANGED=new-value-2222\r\nSAME=same\r\nSTAGING_ONLY=y\r\nnot a pair\r\n";

#[wasm_bindgen_test]
async fn the_import_previews_each_key_sends_only_changes_and_retries_only_failures() {
    forget_fetches();
    answer_fetches(500, r#"{"message": "Server Error"}"#);
    let applied = RwSignal::new(0);
    let (host, handle) = mount_import(applied);
    paste(&host, ENV);
    leptos::task::tick().await;
    button(&host, "Preview import").click();
    leptos::task::tick().await;

    let keys = texts(&host, ".import-rows tbody th");
    assert_eq!(keys, ["NEW_KEY", "CHANGED", "SAME", "STAGING_ONLY"]);
    let changes: Vec<String> = texts(&host, ".import-rows tbody td:nth-of-type(2)")
        .into_iter()
        .map(|t| t.trim_start_matches(['+', '~', '=', '⚠', ' ']).to_string())
        .collect();
    assert_eq!(
        changes,
        ["New", "Changed", "Unchanged", "Held by another list"]
    );
    let details = texts(&host, ".import-rows tbody td:nth-of-type(3)");
    assert!(
        details[1].contains("••••••••1111") && details[1].contains("••••••••2222"),
        "{details:?}"
    );
    assert!(
        details[3].contains("\u{201c}staging\u{201d}"),
        "{details:?}"
    );
    assert!(
        !host.inner_html().contains("new-value-2222")
            || find::<web_sys::HtmlTextAreaElement>(&host, "#env-text")
                .value()
                .contains("new-value-2222")
    );
    let problems = texts(&host, ".import-problems li");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("Line 6:"), "{problems:?}");
    assert!(fetches().is_empty(), "the preview sends nothing");

    // Applying sends one request per change; both fail here.
    button(&host, "Apply 2 changes").click();
    sleep(200).await;
    assert_eq!(
        fetches(),
        [
            r#"POST /proxy/netactuate/api/secrets/lists/imports/values {"secret_key":"NEW_KEY","secret_value":"fresh value"}"#,
            // The key with the value, as every public NetActuate client sends it (issue 27).
            r#"POST /proxy/netactuate/api/secrets/lists/imports/values/10 {"secret_key":"CHANGED","secret_value":"new-value-2222"}"#,
        ]
    );
    let results = texts(&host, ".import-result");
    assert!(
        results[0].starts_with("⚠ Failed") && results[1].starts_with("⚠ Failed"),
        "{results:?}"
    );
    assert_eq!(results[2], "Not sent");
    assert_eq!(texts(&host, ".import-progress label"), ["2 of 2 sent"]);
    // The error summary above the preview has focus and links to each failed row.
    sleep(50).await;
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("import-errors")
    );
    let listed = texts(&host, "#import-errors a");
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed[0].starts_with("NEW_KEY: not imported"), "{listed:?}");
    find::<web_sys::HtmlElement>(&host, "#import-errors a[href='#import-row-1']").click();
    sleep(50).await;
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("import-row-1"),
        "the link moves focus to the row"
    );

    // The first one went through after all: retry sends only what failed.
    forget_fetches();
    answer_fetches(201, r#"{"data": {}}"#);
    button(&host, "Retry the 2 changes that failed").click();
    sleep(200).await;
    assert_eq!(fetches().len(), 2);
    let results = texts(&host, ".import-result");
    assert_eq!(results[..2], ["✓ Done", "✓ Done"]);
    assert!(
        texts(&host, "#import-errors li").is_empty(),
        "no problem left"
    );
    assert!(button(&host, "Nothing to send").disabled());
    assert_eq!(
        find::<web_sys::HtmlTextAreaElement>(&host, "#env-text").value(),
        ""
    );
    assert!(applied.get_untracked() >= 1);
    drop(handle);
    host.remove();
}

/// Like [`answer_fetches`], with one answer for GETs and another for every other method.
fn answer_fetches_by_method(get: (u16, &str), other: (u16, &str)) {
    let (get_body, other_body) = (
        serde_json::to_string(get.1).unwrap(),
        serde_json::to_string(other.1).unwrap(),
    );
    js_sys::eval(&format!(
        r#"window.__calls = window.__calls || [];
           window.fetch = async (input, init) => {{
             const request = new Request(input, init);
             window.__calls.push(request.method + ' ' + new URL(request.url).pathname + ' ' + await request.text());
             return request.method === 'GET'
               ? new Response({get_body}, {{status: {}}})
               : new Response({other_body}, {{status: {}}});
           }};"#,
        get.0, other.0
    ))
    .unwrap();
}

/// The values table of the list "imports" (its values CHANGED and SAME), editing CHANGED.
async fn edit_changed() -> (web_sys::HtmlElement, impl Drop) {
    let (list, lists, all) = account();
    let values: Vec<ListValue> = all
        .iter()
        .filter(|v| v.secret_list_id == "3")
        .cloned()
        .collect();
    let (host, handle) = mount(state(), move || {
        view! {
            <ValuesTable list=Signal::stored(Some(list)) values=Signal::stored(values)
                lists=Signal::stored(lists) all_values=Signal::stored(all)
                editing=RwSignal::new(false) on_changed=Callback::new(|()| {})/>
        }
    });
    button(&host, "Edit").click();
    leptos::task::tick().await;
    (host, handle)
}

#[wasm_bindgen_test]
async fn renaming_a_key_sends_the_stored_value_with_it() {
    forget_fetches();
    answer_fetches_by_method(
        (
            200,
            r#"{"code":200,"data":{"id":10,"secret_list_id":3,"secret_key":"CHANGED","secret_value":"stored-value-3333"}}"#,
        ),
        (200, r#"{"code":200,"data":{}}"#),
    );
    let (host, handle) = edit_changed().await;
    type_into(&find(&host, "#edit-value-10-key"), "RENAMED");
    find::<web_sys::HtmlFormElement>(&host, "form.edit-value")
        .request_submit()
        .unwrap();
    sleep(200).await;
    // NetActuate always gets both fields (the document's only body, every public SDK's): the
    // stored value is read and sent again with the new key, and shown nowhere.
    assert_eq!(
        fetches(),
        [
            "GET /proxy/netactuate/api/secrets/lists/imports/values/10 ",
            r#"POST /proxy/netactuate/api/secrets/lists/imports/values/10 {"secret_key":"RENAMED","secret_value":"stored-value-3333"}"#,
        ]
    );
    assert!(!host.inner_html().contains("stored-value-3333"));
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_refusal_inside_a_200_shows_its_field_error_at_the_field() {
    forget_fetches();
    // NetActuate's v3 envelope: a 200 whose `code` is 422, with `fields` (its public SDKs).
    answer_fetches_by_method(
        (200, r#"{"code":200,"data":{}}"#),
        (
            200,
            r#"{"code":422,"message":"The given data was invalid.","data":null,"fields":{"secret_key":["The secret key has already been taken."]}}"#,
        ),
    );
    let (host, handle) = edit_changed().await;
    type_into(&find(&host, "#edit-value-10-value"), "new-value-4444");
    find::<web_sys::HtmlFormElement>(&host, "form.edit-value")
        .request_submit()
        .unwrap();
    sleep(200).await;
    assert_eq!(fetches().len(), 1, "{:?}", fetches());
    let at_key = texts(&host, "#edit-value-10-key-error .field-error");
    assert_eq!(at_key, ["The secret key has already been taken."]);
    // Both in the error summary at the top of the form, the field's linked to it.
    let above = texts(&host, "#edit-value-10-errors li");
    assert!(
        above
            .iter()
            .any(|m| m.starts_with("Not saved") && m.contains("(422)")),
        "{above:?}"
    );
    assert_eq!(
        texts(&host, "#edit-value-10-errors a[href='#edit-value-10-key']"),
        ["The secret key has already been taken."]
    );
    // Nothing typed is lost: the form is still open with the value typed.
    assert_eq!(
        find::<web_sys::HtmlInputElement>(&host, "#edit-value-10-value").value(),
        "new-value-4444"
    );
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn one_unreadable_secret_never_hides_the_others() {
    forget_fetches();
    // v3's envelope, and one secret whose name is not text.
    answer_fetches(
        200,
        r#"{"code":200,"message":"OK","data":{"secrets":[
            {"id":1,"name":"db-password","created_at":"2026-01-15T10:30:00Z"},
            {"id":2,"name":{"en":"odd"}},
            {"id":3,"name":"api-key"}]}}"#,
    );
    let (host, handle) = mount(state(), || view! { <SecretsSection/> });
    sleep(200).await;
    assert_eq!(
        texts(&host, "table.secrets tbody th"),
        ["db-password", "api-key"]
    );
    let banner = texts(&host, ".unreadable-rows .error-title").join(" ");
    assert!(
        banner.contains("Secrets: 1 row could not be read"),
        "{banner}"
    );
    let listed = texts(&host, ".unreadable-rows tbody").join(" ");
    assert!(listed.contains("id 2"), "{listed}");
    drop(handle);
    host.remove();
}

/// Replaces `window.fetch` with an account whose NetActuate answers lists by id only (as every
/// public SDK addresses them): by name (`imports`), 404; by id (`3`), the value 10 on a GET and
/// an empty success otherwise.
fn lists_answer_by_id_only() {
    js_sys::eval(
        r#"window.__calls = [];
           window.fetch = async (input, init) => {
             const request = new Request(input, init);
             const path = new URL(request.url).pathname;
             window.__calls.push(request.method + ' ' + path + ' ' + await request.text());
             if (path.includes('/lists/imports')) {
               return new Response('{"code":404,"message":"Secret list not found","data":null}', {status: 404});
             }
             if (request.method === 'GET' && path.endsWith('/lists/3/values/10')) {
               return new Response('{"code":200,"data":{"id":10,"secret_list_id":3,"secret_key":"CHANGED","secret_value":"stored-value-3333"}}', {status: 200});
             }
             return new Response('{"code":200,"message":"OK","data":{}}', {status: 200});
           };"#,
    )
    .unwrap();
}

#[wasm_bindgen_test]
async fn every_call_naming_a_list_is_tried_once_by_id_after_a_404_by_name() {
    // Reveal: the value is read by name, then by id, and shown.
    lists_answer_by_id_only();
    let (list, lists, all) = account();
    let values: Vec<ListValue> = all
        .iter()
        .filter(|v| v.secret_list_id == "3")
        .cloned()
        .collect();
    let table = {
        let (list, lists, all, values) = (list.clone(), lists.clone(), all.clone(), values.clone());
        move || {
            let (list, lists, all, values) =
                (list.clone(), lists.clone(), all.clone(), values.clone());
            view! {
                <ValuesTable list=Signal::stored(Some(list)) values=Signal::stored(values)
                    lists=Signal::stored(lists) all_values=Signal::stored(all)
                    editing=RwSignal::new(false) on_changed=Callback::new(|()| {})/>
            }
        }
    };
    let (host, handle) = mount(state(), table.clone());
    click(&host, "button[aria-label='Reveal the value of CHANGED']");
    sleep(200).await;
    assert_eq!(
        fetches(),
        [
            "GET /proxy/netactuate/api/secrets/lists/imports/values/10 ",
            "GET /proxy/netactuate/api/secrets/lists/3/values/10 ",
        ]
    );
    assert_eq!(texts(&host, "code.revealed"), ["stored-value-3333"]);
    drop(handle);
    host.remove();

    // Delete a value (a new account state: nothing remembered): a 404 by name is not "already
    // deleted" until by id says so too; by id it is deleted.
    lists_answer_by_id_only();
    let (host, handle) = mount(state(), table);
    button(&host, "Delete").click();
    leptos::task::tick().await;
    button(&host, "Delete key").click();
    sleep(200).await;
    assert_eq!(
        fetches(),
        [
            "DELETE /proxy/netactuate/api/secrets/lists/imports/values/10 ",
            "DELETE /proxy/netactuate/api/secrets/lists/3/values/10 ",
        ]
    );
    let said = texts(&host, ".outcome").join(" ");
    assert_eq!(said, "✓ The key CHANGED was deleted.");
    drop(handle);
    host.remove();

    // Rename the list.
    lists_answer_by_id_only();
    let renamed = RwSignal::new(None::<String>);
    let (host, handle) = mount(state(), move || {
        let (list, lists) = (list.clone(), lists.clone());
        view! {
            <RenameListForm list=Signal::stored(Some(list)) lists=Signal::stored(lists)
                dirty=RwSignal::new(false) on_renamed=Callback::new(move |n| renamed.set(Some(n)))/>
        }
    });
    type_into(&find(&host, "#rename-list-name"), "imported");
    find::<web_sys::HtmlFormElement>(&host, "form.rename-list")
        .request_submit()
        .unwrap();
    sleep(200).await;
    assert_eq!(
        fetches(),
        [
            r#"POST /proxy/netactuate/api/secrets/lists/imports {"name":"imported"}"#,
            r#"POST /proxy/netactuate/api/secrets/lists/3 {"name":"imported"}"#,
        ]
    );
    assert_eq!(renamed.get_untracked().as_deref(), Some("imported"));
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_list_deleted_is_already_gone_only_when_by_id_says_so_too() {
    // Every address answers 404: tried by name, then by id, and only then "already deleted".
    forget_fetches();
    answer_fetches(
        404,
        r#"{"code":404,"message":"Secret list not found","data":null}"#,
    );
    let (list, _, _) = account();
    let target = RwSignal::new(None::<ListToDelete>);
    let said = RwSignal::new(None::<String>);
    let (host, handle) = mount(state(), move || {
        view! { <DeleteListDialog list=target on_deleted=Callback::new(move |s| said.set(Some(s)))/> }
    });
    target.set(Some(ListToDelete {
        list,
        values: Some(1),
    }));
    sleep(50).await;
    button(&host, "Delete list").click();
    sleep(200).await;
    assert_eq!(
        fetches(),
        [
            "DELETE /proxy/netactuate/api/secrets/lists/imports ",
            "DELETE /proxy/netactuate/api/secrets/lists/3 ",
        ]
    );
    assert_eq!(
        said.get_untracked().as_deref(),
        Some("The list imports was already deleted: NetActuate no longer has it.")
    );
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_list_not_found_by_name_is_tried_once_by_id_and_remembered() {
    forget_fetches();
    // This account's NetActuate answers lists by id only (as every public SDK addresses them):
    // by name, 404.
    lists_answer_by_id_only();
    let (host, handle) = edit_changed().await;
    type_into(&find(&host, "#edit-value-10-value"), "new-value-5555");
    find::<web_sys::HtmlFormElement>(&host, "form.edit-value")
        .request_submit()
        .unwrap();
    sleep(200).await;
    assert_eq!(
        fetches(),
        [
            r#"POST /proxy/netactuate/api/secrets/lists/imports/values/10 {"secret_key":"CHANGED","secret_value":"new-value-5555"}"#,
            r#"POST /proxy/netactuate/api/secrets/lists/3/values/10 {"secret_key":"CHANGED","secret_value":"new-value-5555"}"#,
        ],
        "once by name, then once by id"
    );
    assert!(
        host.query_selector("form.edit-value").unwrap().is_none(),
        "saved: the form closed"
    );
    // The account's lists go by id from now on: the next edit is sent once, by id.
    forget_fetches();
    button(&host, "Edit").click();
    leptos::task::tick().await;
    type_into(&find(&host, "#edit-value-10-value"), "new-value-6666");
    find::<web_sys::HtmlFormElement>(&host, "form.edit-value")
        .request_submit()
        .unwrap();
    sleep(200).await;
    assert_eq!(
        fetches(),
        [
            r#"POST /proxy/netactuate/api/secrets/lists/3/values/10 {"secret_key":"CHANGED","secret_value":"new-value-6666"}"#
        ]
    );
    drop(handle);
    host.remove();
}
