//! Browser tests of the SSH keys page's add form: the key checker's messages, a private key
//! taken out of the field and never sent, and the provider's refusal kept at its field.

mod support;

use cloudpane::pages::ssh_keys::AddKeysForm;
use cloudpane_api::voltagepark::ssh_keys::OrgSshKey;
use leptos::prelude::*;
use support::{find, mount, sleep, state_with_account, texts, type_into};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A key from crates/api's ssh_key fixtures, with what `ssh-keygen -lf` printed for it.
const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFtSXz8FCz2+6rrhxP3yqiwxWZ6lC4pMOxSQwktA9Nc user@ed25519-0";
const ED25519_KEYGEN: &str =
    "256 SHA256:XrNwoHEHrksmQra/Z7pwOp0mkx1qUu7Rsf78S/n2tyQ user@ed25519-0 (ED25519)";
const RSA: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC/MJI7mAuFXFi5vu03c+NmSmoFL1f+4ZX2kQJOlUVK92NeQpOzQbNcRdLaEjuqz4k2F6BQQ98AFm682SjUV6/qy0yskl66sPjis+HBo3AezdCSfti9E5nF31rETg6GcShNEKXurB9C4zBOWHcZ/kehKaCEWuU9z3IfDVKL3ZumBVM3oA1rN6Isg4VaYXuoGaLpxICNf3rjF4sCh1TSqSCcjt7pfw+rgWf8beYWblX3ZdvOlC1AuC78iRTkonjqqCOMJbCG3MqCuTuL2krqfGi8oePh+rJDctiwNtY6u2WktXisRrgoeOiLAxX+c0vKj6FJAGcsU4CmsUcevGaiOVzz user@rsa-2048";

/// The throwaway private key of the same tests (never used anywhere).
const PRIVATE_KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBhbUl8/BQs9vuq64cT98qosMVmepQuKTDsUkMJLQPTXAAAAJiy1gIistYC
IgAAAAtzc2gtZWQyNTUxOQAAACBhbUl8/BQs9vuq64cT98qosMVmepQuKTDsUkMJLQPTXA
AAAEBDZkpyGIhnQ/o44e4jfIz2niZ89qnA1+mUZkCTuOBUKWFtSXz8FCz2+6rrhxP3yqiw
xWZ6lC4pMOxSQwktA9NcAAAADnVzZXJAZWQyNTUxOS0wAQIDBAUGBw==
-----END OPENSSH PRIVATE KEY-----
";

/// Replaces `window.fetch` with one that records each call (method, URL, headers, body) and
/// answers `status` and `body`.
fn answer_fetches(status: u16, body: &str) {
    let body = serde_json::to_string(body).unwrap();
    js_sys::eval(&format!(
        r#"window.__calls = [];
           window.fetch = async (input, init) => {{
             const request = new Request(input, init);
             window.__calls.push(request.method + ' ' + request.url + ' x-api-token=' + request.headers.get('x-api-token') + ' ' + await request.text());
             return new Response({body}, {{status: {status}}});
           }};"#
    ))
    .unwrap();
}

fn fetches() -> Vec<String> {
    let calls = js_sys::eval("window.__calls").unwrap();
    js_sys::Array::from(&calls)
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect()
}

fn type_into_area(area: &web_sys::HtmlTextAreaElement, text: &str) {
    area.set_value(text);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn existing() -> Vec<OrgSshKey> {
    vec![OrgSshKey {
        id: "k1".into(),
        name: "alice-laptop".into(),
        content: RSA.into(),
    }]
}

fn mount_form(added: RwSignal<u32>) -> (web_sys::HtmlElement, impl Drop) {
    mount(state_with_account(), move || {
        view! {
            <AddKeysForm existing=Signal::stored(existing())
                on_added=Callback::new(move |()| added.update(|n| *n += 1))/>
        }
    })
}

fn submit_button(host: &web_sys::HtmlElement) -> web_sys::HtmlButtonElement {
    find(host, "button[type=submit]")
}

#[wasm_bindgen_test]
async fn the_checker_speaks_as_the_user_types() {
    answer_fetches(201, "{}");
    let added = RwSignal::new(0);
    let (host, _handle) = mount_form(added);
    let name: web_sys::HtmlInputElement = find(&host, ".key-draft input[type=text]");
    let content: web_sys::HtmlTextAreaElement = find(&host, ".key-draft textarea");

    type_into(&name, "a@");
    type_into_area(&content, "hello world");
    leptos::task::tick().await;
    let errors = texts(&host, ".key-draft .field-error").join(" | ");
    assert!(errors.contains("at least 3 characters"), "{errors}");
    assert!(
        errors.contains("does not look like an SSH public key"),
        "{errors}"
    );
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));

    // A name already used and a key already there: each says which.
    type_into(&name, "alice-laptop");
    type_into_area(&content, RSA);
    leptos::task::tick().await;
    let errors = texts(&host, ".key-draft .field-error").join(" | ");
    assert!(
        errors.contains("already has a key named \u{201c}alice-laptop\u{201d}"),
        "{errors}"
    );
    assert!(
        errors.contains("already in the organization, as \u{201c}alice-laptop\u{201d}"),
        "{errors}"
    );

    // A good key: its fingerprint as ssh-keygen prints it, and no message.
    type_into(&name, "build box");
    type_into_area(&content, ED25519);
    leptos::task::tick().await;
    assert!(texts(&host, ".key-draft .field-error").is_empty());
    let status = texts(&host, ".key-draft .key-ok").join("");
    assert!(status.contains(ED25519_KEYGEN), "{status}");
    assert_eq!(
        content.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
    assert!(fetches().is_empty(), "nothing is sent while typing");
    host.remove();
}

#[wasm_bindgen_test]
async fn a_private_key_leaves_the_field_at_once_and_is_never_sent() {
    answer_fetches(201, "{}");
    let added = RwSignal::new(0);
    let (host, _handle) = mount_form(added);
    let name: web_sys::HtmlInputElement = find(&host, ".key-draft input[type=text]");
    let content: web_sys::HtmlTextAreaElement = find(&host, ".key-draft textarea");
    type_into(&name, "my laptop");
    type_into_area(&content, PRIVATE_KEY);
    leptos::task::tick().await;
    assert_eq!(content.value(), "", "the private key is out of the field");
    let said = texts(&host, ".key-draft [role=alert]").join(" ");
    assert!(said.contains("not a public key. It was refused"), "{said}");
    assert!(said.contains("removed from the field"), "{said}");

    submit_button(&host).click();
    sleep(50).await;
    assert!(fetches().is_empty(), "nothing sent: {:?}", fetches());
    let errors = texts(&host, ".key-draft .field-error").join(" | ");
    assert!(errors.contains("Paste a public key"), "{errors}");
    assert_eq!(added.get_untracked(), 0);
    // The error summary at the top takes focus and links to the key's field.
    sleep(50).await;
    assert_summary_has_focus_and_links(&host, &content.id(), "Key 1: Paste a public key");
    host.remove();
}

/// The form's error summary has focus and holds a link to the field `field_id` whose text
/// starts with `says`.
fn assert_summary_has_focus_and_links(host: &web_sys::HtmlElement, field_id: &str, says: &str) {
    let focused = document().active_element().map(|e| e.id());
    assert_eq!(focused.as_deref(), Some("add-keys-errors"));
    let link: web_sys::HtmlElement = find(host, &format!("#add-keys-errors a[href='#{field_id}']"));
    let text = link.text_content().unwrap_or_default();
    assert!(text.starts_with(says), "{text}");
}

#[wasm_bindgen_test]
async fn a_good_key_is_sent_once_with_the_documented_header_and_body() {
    answer_fetches(
        201,
        r#"{"id": "k2", "name": "build box", "content": "ssh-ed25519 AAAA"}"#,
    );
    let added = RwSignal::new(0);
    let (host, _handle) = mount_form(added);
    let name: web_sys::HtmlInputElement = find(&host, ".key-draft input[type=text]");
    let content: web_sys::HtmlTextAreaElement = find(&host, ".key-draft textarea");
    type_into(&name, " build box ");
    type_into_area(&content, &format!("  {ED25519}\n"));
    leptos::task::tick().await;
    submit_button(&host).click();
    submit_button(&host).click();
    sleep(50).await;
    let calls = fetches();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(
        calls[0].starts_with("POST ")
            && calls[0].contains("/proxy/voltagepark/api/v1/organization/ssh-keys"),
        "{}",
        calls[0]
    );
    assert!(
        calls[0].contains("x-api-token=secret-token"),
        "{}",
        calls[0]
    );
    let body = calls[0]
        .split_once(" {")
        .map(|(_, b)| format!("{{{b}"))
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"name": "build box", "content": ED25519})
    );
    assert_eq!(added.get_untracked(), 1);
    // The form is ready for the next key.
    let content: web_sys::HtmlTextAreaElement = find(&host, ".key-draft textarea");
    assert_eq!(content.value(), "");
    assert!(texts(&host, ".add-keys .outcome")
        .join("")
        .contains("Added 1 key: build box."));
    host.remove();
}

#[wasm_bindgen_test]
async fn the_providers_refusal_stays_at_its_field_with_the_input() {
    answer_fetches(
        422,
        r#"{"detail": [{"loc": ["body", "content"], "msg": "Value error, content is not an SSH public key", "type": "value_error"}]}"#,
    );
    let added = RwSignal::new(0);
    let (host, _handle) = mount_form(added);
    let name: web_sys::HtmlInputElement = find(&host, ".key-draft input[type=text]");
    let content: web_sys::HtmlTextAreaElement = find(&host, ".key-draft textarea");
    type_into(&name, "build box");
    type_into_area(&content, ED25519);
    leptos::task::tick().await;
    submit_button(&host).click();
    sleep(50).await;
    assert_eq!(fetches().len(), 1);
    let content_errors = texts(&host, "[id$=-content-error] .field-error").join(" | ");
    assert!(
        content_errors
            .contains("Voltage Park refused it: Value error, content is not an SSH public key"),
        "{content_errors}"
    );
    let content: web_sys::HtmlTextAreaElement = find(&host, ".key-draft textarea");
    assert_eq!(content.value(), ED25519, "the input is kept");
    assert_eq!(name.value(), "build box");
    assert_eq!(added.get_untracked(), 0);
    sleep(50).await;
    assert_summary_has_focus_and_links(
        &host,
        &content.id(),
        "Key 1: Voltage Park refused it: Value error",
    );
    host.remove();
}

/// Chooses files in the form's file field, as the file picker would.
fn choose_files(files: &[(&str, &str)]) {
    let list = serde_json::to_string(files).unwrap();
    js_sys::eval(&format!(
        r#"const dt = new DataTransfer();
           for (const [name, text] of {list}) dt.items.add(new File([text], name));
           const input = document.querySelector('#new-key-files');
           input.files = dt.files;
           input.dispatchEvent(new Event('change', {{bubbles: true}}));"#
    ))
    .unwrap();
}

#[wasm_bindgen_test]
async fn chosen_pub_files_become_named_keys_and_a_private_key_file_is_not_read() {
    answer_fetches(201, "{}");
    let added = RwSignal::new(0);
    let (host, _handle) = mount_form(added);
    choose_files(&[
        ("id_ed25519.pub", &format!("{ED25519}\n")),
        ("id_ed25519", PRIVATE_KEY),
        ("build.pub", RSA),
    ]);
    sleep(100).await;
    let names: Vec<String> = {
        let list = host
            .query_selector_all(".key-draft input[type=text]")
            .unwrap();
        (0..list.length())
            .map(|i| {
                list.item(i)
                    .unwrap()
                    .unchecked_into::<web_sys::HtmlInputElement>()
                    .value()
            })
            .collect()
    };
    // The first file fills the empty key; the next public one gets a key of its own.
    assert_eq!(names, ["user-ed25519-0", "user-rsa-2048"]);
    let contents: Vec<String> = {
        let list = host.query_selector_all(".key-draft textarea").unwrap();
        (0..list.length())
            .map(|i| {
                list.item(i)
                    .unwrap()
                    .unchecked_into::<web_sys::HtmlTextAreaElement>()
                    .value()
            })
            .collect()
    };
    assert_eq!(contents, [ED25519, RSA]);
    assert!(!contents.iter().any(|c| c.contains("PRIVATE")));
    let notes = texts(&host, "#new-key-files-notes").join(" ");
    assert!(
        notes.contains("id_ed25519: This is an OpenSSH private key"),
        "{notes}"
    );
    assert!(notes.contains("It was not read into the form."), "{notes}");
    assert_eq!(
        find::<web_sys::HtmlButtonElement>(&host, "button[type=submit]")
            .text_content()
            .unwrap(),
        "Add 2 keys"
    );
    assert!(fetches().is_empty());
    host.remove();
}

#[wasm_bindgen_test]
async fn the_keys_page_says_how_old_its_list_is_and_refreshes_it() {
    answer_fetches(
        200,
        r#"{"results":[],"total_result_count":0,"has_previous":false,"has_next":false}"#,
    );
    let (host, _handle) = mount(state_with_account(), || {
        view! { <leptos_router::components::Router><cloudpane::pages::SshKeysPage/></leptos_router::components::Router> }
    });
    sleep(100).await;
    let line = find::<web_sys::HtmlElement>(&host, ".updated")
        .text_content()
        .unwrap_or_default();
    assert!(line.starts_with("Updated "), "{line}");
    let reads = fetches().len();
    assert_eq!(reads, 1, "{:?}", fetches());
    find::<web_sys::HtmlElement>(&host, ".updated button").click();
    sleep(100).await;
    assert_eq!(fetches().len(), 2, "Refresh reads the keys again");
    host.remove();
}

/// The value of every field matching `css`, in the page's order.
fn values(host: &web_sys::HtmlElement, css: &str) -> Vec<String> {
    let list = host.query_selector_all(css).unwrap();
    (0..list.length())
        .map(|i| {
            let el = list.item(i).unwrap();
            match el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                Some(area) => area.value(),
                None => el.unchecked_into::<web_sys::HtmlInputElement>().value(),
            }
        })
        .collect()
}

#[wasm_bindgen_test]
async fn two_pasted_keys_become_two_rows_and_a_private_key_among_them_is_still_refused() {
    answer_fetches(201, "{}");
    let added = RwSignal::new(0);
    let (host, _handle) = mount_form(added);
    let content: web_sys::HtmlTextAreaElement = find(&host, ".key-draft textarea");
    type_into_area(&content, &format!("{ED25519}\n{RSA}\n"));
    leptos::task::tick().await;
    sleep(20).await;
    assert_eq!(values(&host, ".key-draft textarea"), [ED25519, RSA]);
    assert_eq!(
        values(&host, ".key-draft input[type=text]"),
        ["user-ed25519-0", "user-rsa-2048"]
    );
    let errors = texts(&host, ".key-draft .field-error").join(" | ");
    assert!(
        !errors.contains("does not look like an SSH public key"),
        "{errors}"
    );
    assert_eq!(submit_button(&host).text_content().unwrap(), "Add 2 keys");

    // Two keys and a private key pasted at once: refused whole, nothing split or kept.
    let content: web_sys::HtmlTextAreaElement = find(&host, ".key-draft textarea");
    type_into_area(&content, &format!("{ED25519}\n{RSA}\n{PRIVATE_KEY}"));
    leptos::task::tick().await;
    let contents = values(&host, ".key-draft textarea");
    assert_eq!(contents.len(), 2, "{contents:?}");
    assert_eq!(contents[0], "");
    assert!(!contents.iter().any(|c| c.contains("PRIVATE")));
    let errors = texts(&host, ".key-draft .field-error").join(" | ");
    assert!(
        errors.contains("It was removed from the field."),
        "{errors}"
    );
    assert!(fetches().is_empty());
    host.remove();
}

#[wasm_bindgen_test]
async fn a_chosen_file_of_several_keys_gives_a_row_to_each() {
    answer_fetches(201, "{}");
    let added = RwSignal::new(0);
    let (host, _handle) = mount_form(added);
    choose_files(&[("team.pub", &format!("{ED25519}\n# the build box\n{RSA}\n"))]);
    sleep(100).await;
    assert_eq!(values(&host, ".key-draft textarea"), [ED25519, RSA]);
    assert_eq!(
        values(&host, ".key-draft input[type=text]"),
        ["user-ed25519-0", "user-rsa-2048"]
    );
    // Each is checked on its own: the second is already the organization's (existing()).
    let errors = texts(&host, ".key-draft .field-error");
    assert_eq!(
        errors.len(),
        1,
        "only the organization's own key is marked: {errors:?}"
    );
    assert!(
        errors[0].contains("already in the organization"),
        "{errors:?}"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn a_failed_refresh_keeps_the_keys_and_says_so() {
    answer_fetches(
        200,
        &format!(
            r#"{{"results":[{{"id":"k1","name":"alice-laptop","content":"{ED25519}"}}],"total_result_count":1,"has_previous":false,"has_next":false}}"#
        ),
    );
    let (host, _handle) = mount(state_with_account(), || {
        view! { <leptos_router::components::Router><cloudpane::pages::SshKeysPage/></leptos_router::components::Router> }
    });
    sleep(100).await;
    assert!(host.text_content().unwrap().contains("alice-laptop"));
    answer_fetches(503, r#"{"detail":"busy"}"#);
    find::<web_sys::HtmlElement>(&host, ".updated button").click();
    sleep(150).await;
    let text = host.text_content().unwrap();
    assert!(text.contains("alice-laptop"), "the rows stay: {text}");
    assert!(text.contains("could not refresh the SSH keys"), "{text}");
    host.remove();
}
