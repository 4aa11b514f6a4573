//! Browser tests of the deploy forms' cloud-init editor and extra public keys field, mounted in
//! headless Chromium.

mod support;

use cloudpane::pages::deploy::cloud_init_editor::{CloudInitEditor, CloudInitRows, Verdict};
use cloudpane::pages::deploy::public_keys_field::{PublicKeys, PublicKeysField};
use cloudpane::state::{AppState, Connection};
use cloudpane_api::voltagepark::cloudinit::{
    render_cloud_config, CloudInit, CloudInitTarget, WriteFile,
};
use cloudpane_api::{Provider, RuntimeConfig};
use leptos::prelude::*;
use support::{find, mount, texts};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A key from crates/api's ssh_key tests, with what `ssh-keygen -lf` printed for it.
const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFtSXz8FCz2+6rrhxP3yqiwxWZ6lC4pMOxSQwktA9Nc user@ed25519-0";
const ED25519_KEYGEN: &str =
    "256 SHA256:XrNwoHEHrksmQra/Z7pwOp0mkx1qUu7Rsf78S/n2tyQ user@ed25519-0 (ED25519)";

/// The throwaway private key of the same tests (never used anywhere).
const PRIVATE_KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBhbUl8/BQs9vuq64cT98qosMVmepQuKTDsUkMJLQPTXAAAAJiy1gIistYC
IgAAAAtzc2gtZWQyNTUxOQAAACBhbUl8/BQs9vuq64cT98qosMVmepQuKTDsUkMJLQPTXA
AAAEBDZkpyGIhnQ/o44e4jfIz2niZ89qnA1+mUZkCTuOBUKWFtSXz8FCz2+6rrhxP3yqiw
xWZ6lC4pMOxSQwktA9NcAAAADnVzZXJAZWQyNTUxOS0wAQIDBAUGBw==
-----END OPENSSH PRIVATE KEY-----
";

const DOCUMENT: &str = "#cloud-config
packages:
  - htop
  - nvtop=3.0.1-1
users:
  - name: alice
write_files:
  - path: /etc/motd
    owner: root:root
    permissions: '0644'
    content: |
      Welcome to the GPU box
runcmd:
  - apt-get update
  - nvidia-smi
";

fn state() -> AppState {
    let state = AppState::new();
    state.connection.set(Some(Connection {
        proxy_base: String::new(),
        config: RuntimeConfig {
            route_prefix: "/proxy".into(),
            providers: Provider::ALL.to_vec(),
            access_key_required: false,
            demo: false,
            demo_accounts: Vec::new(),
        },
        access_key: None,
    }));
    state
}

/// Replaces `window.fetch` with one that records each call and answers 200 with `body`.
fn answer_fetches(body: &str) {
    let body = serde_json::to_string(body).unwrap();
    js_sys::eval(&format!(
        r#"window.__calls = [];
           window.fetch = async (input, init) => {{
             const request = new Request(input, init);
             window.__calls.push(request.method + ' ' + request.url + ' ' + await request.text());
             return new Response({body}, {{status: 200}});
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

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Lets the view react, including the `value` properties tachys sets in a later microtask.
async fn settle() {
    leptos::task::tick().await;
    sleep(0).await;
}

/// Puts `text` into the textarea as a paste would (the value, then an `input` event).
fn paste_into(area: &web_sys::HtmlTextAreaElement, text: &str) {
    area.set_value(text);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

/// Clicks the button under `host` whose text is `label`.
fn click(host: &web_sys::HtmlElement, label: &str) {
    let buttons = host.query_selector_all("button").unwrap();
    (0..buttons.length())
        .map(|i| {
            buttons
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>()
        })
        .find(|b| b.text_content().unwrap_or_default() == label)
        .unwrap_or_else(|| panic!("no button {label}"))
        .click();
}

fn mount_editor(rows: CloudInitRows) -> (web_sys::HtmlElement, impl Drop) {
    mount(state(), move || {
        view! { <CloudInitEditor rows target=CloudInitTarget::InstantVm errors=Signal::stored(Vec::new())/> }
    })
}

#[wasm_bindgen_test]
async fn a_pasted_cloud_config_fills_the_rows_and_says_what_is_dropped() {
    answer_fetches(r#"{"error": false, "message": null}"#);
    let rows = CloudInitRows::new();
    let (host, _handle) = mount_editor(rows);
    let yaml: web_sys::HtmlTextAreaElement = find(&host, "#cloudinit-yaml");

    // A document that cannot be read loses nothing.
    paste_into(&yaml, "#!/bin/bash\necho hi\n");
    click(&host, "Use this document");
    settle().await;
    assert!(rows.get_untracked().is_empty());
    let error = texts(&host, "#cloudinit-yaml-error").join("");
    assert!(error.contains("shell script"), "{error}");
    assert_eq!(yaml.value(), "#!/bin/bash\necho hi\n");

    paste_into(&yaml, DOCUMENT);
    click(&host, "Use this document");
    settle().await;
    let expected = CloudInit {
        packages: vec!["htop".into(), "nvtop=3.0.1-1".into()],
        write_files: vec![WriteFile {
            path: "/etc/motd".into(),
            content: "Welcome to the GPU box\n".into(),
            encoding: None,
            owner: Some("root:root".into()),
            permissions: Some("0644".into()),
        }],
        runcmd: vec!["apt-get update".into(), "nvidia-smi".into()],
    };
    assert_eq!(rows.get_untracked(), expected);
    assert!(texts(&host, "#cloudinit-yaml-error").is_empty());
    let packages: web_sys::HtmlTextAreaElement = find(&host, "#cloudinit-packages");
    assert_eq!(packages.value(), "htop\nnvtop=3.0.1-1");
    let path: web_sys::HtmlInputElement = find(&host, ".cloudinit-file input[type=text]");
    assert_eq!(path.value(), "/etc/motd");
    let remove: web_sys::HtmlElement = find(&host, ".cloudinit-file .cloudinit-remove");
    assert_eq!(
        remove.get_attribute("aria-label").as_deref(),
        Some("Remove file /etc/motd")
    );
    let commands = host
        .query_selector_all(".cloudinit-command textarea")
        .unwrap();
    assert_eq!(commands.length(), 2);
    let notices = texts(&host, ".cloudinit-notices li");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("\"users\" will be dropped"),
        "{notices:?}"
    );

    // Editing a row changes what would be sent; the YAML view shows the rows.
    let first: web_sys::HtmlTextAreaElement = find(&host, ".cloudinit-command textarea");
    paste_into(&first, "apt-get update -y");
    click(&host, "Show as YAML");
    settle().await;
    let mut edited = expected.clone();
    edited.runcmd[0] = "apt-get update -y".into();
    assert_eq!(rows.get_untracked(), edited);
    assert_eq!(yaml.value(), render_cloud_config(&edited));

    // Removing the file leaves the rest.
    remove.click();
    settle().await;
    assert!(rows.get_untracked().write_files.is_empty());
    assert_eq!(rows.get_untracked().runcmd.len(), 2);
    host.remove();
}

#[wasm_bindgen_test]
async fn the_provider_is_asked_once_the_editing_pauses_and_its_verdict_shown() {
    answer_fetches(r#"{"error": true, "message": "runcmd entry 2 is not valid"}"#);
    let rows = CloudInitRows::new();
    let (host, _handle) = mount_editor(rows);
    settle().await;
    assert_eq!(untrack(|| rows.verdict()), Verdict::Empty);
    let packages: web_sys::HtmlTextAreaElement = find(&host, "#cloudinit-packages");
    for typed in ["h", "ht", "htop"] {
        paste_into(&packages, typed);
        settle().await;
        sleep(100).await;
    }
    assert_eq!(untrack(|| rows.verdict()), Verdict::Checking);
    assert!(
        fetches().is_empty(),
        "not on every keystroke: {:?}",
        fetches()
    );
    sleep(1200).await;
    let calls = fetches();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].contains("validate/cloudinit"), "{calls:?}");
    assert!(
        calls[0].contains(r#""content":{"packages":["htop"]}"#),
        "{calls:?}"
    );
    assert_eq!(
        untrack(|| rows.verdict()),
        Verdict::Refused("runcmd entry 2 is not valid".into())
    );
    let status = texts(&host, "[role=status]#cloudinit-verdict").join("");
    assert!(
        status.contains("refuses") && status.contains("runcmd entry 2 is not valid"),
        "{status}"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn an_answer_about_an_older_cloud_init_is_ignored() {
    // The check of "old" is answered late, after the check of what replaced it.
    js_sys::eval(
        r#"window.fetch = async (input, init) => {
             const body = await new Request(input, init).text();
             if (body.includes('"old"')) {
               await new Promise(done => setTimeout(done, 300));
               return new Response('{"error": true, "message": "old is refused"}', {status: 200});
             }
             return new Response('{"error": false, "message": null}', {status: 200});
           };"#,
    )
    .unwrap();
    let connection = state().connection.get_untracked().unwrap();
    let rows = CloudInitRows::new();
    rows.set(&CloudInit {
        packages: vec!["old".into()],
        ..CloudInit::default()
    });
    let first = connection.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let verdict = rows.validate_now(first, CloudInitTarget::BareMetal).await;
        assert_eq!(verdict, Verdict::Refused("old is refused".into()));
    });
    sleep(50).await;
    rows.set(&CloudInit {
        packages: vec!["new".into()],
        ..CloudInit::default()
    });
    let verdict = rows
        .validate_now(connection, CloudInitTarget::BareMetal)
        .await;
    assert_eq!(verdict, Verdict::Accepted(None));
    sleep(500).await;
    assert_eq!(untrack(|| rows.verdict()), Verdict::Accepted(None));
}

#[wasm_bindgen_test]
async fn a_netactuate_secret_reference_is_flagged_with_where_it_is() {
    answer_fetches(r#"{"error": false, "message": null}"#);
    let rows = CloudInitRows::new();
    let (host, _handle) = mount_editor(rows);
    rows.set(&CloudInit {
        runcmd: vec![
            "nvidia-smi".into(),
            "curl -H 'Authorization: ${{secret.API_KEY}}' https://example.com".into(),
        ],
        ..CloudInit::default()
    });
    settle().await;
    let warning = texts(&host, ".cloudinit-secrets").join("");
    assert!(
        warning.contains("${{secret.API_KEY}} in command 2"),
        "{warning}"
    );
    assert!(
        warning.contains("NetActuate") && warning.contains("literally"),
        "{warning}"
    );
    host.remove();
}

fn mount_keys(keys: PublicKeys) -> (web_sys::HtmlElement, impl Drop) {
    mount(state(), move || {
        view! { <PublicKeysField keys errors=Signal::stored(Vec::new())/> }
    })
}

#[wasm_bindgen_test]
async fn a_pasted_public_key_is_listed_with_its_fingerprint() {
    let keys = PublicKeys::new();
    let (host, _handle) = mount_keys(keys);
    let area: web_sys::HtmlTextAreaElement = find(&host, "#public-keys");
    paste_into(&area, &format!("{ED25519}\nnot a key\n"));
    settle().await;
    let listed = texts(&host, "#public-keys-list li");
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(
        listed[0].contains(&format!("Line 1: {ED25519_KEYGEN}")),
        "{listed:?}"
    );
    assert!(listed[1].starts_with("⚠ Line 2: "), "{listed:?}");
    assert!(untrack(|| keys.lines())
        .unwrap_err()
        .starts_with("Line 2: "));
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(
        host.query_selector("[role=alert]").unwrap().is_none(),
        "a bad line is not an alert"
    );

    paste_into(&area, ED25519);
    settle().await;
    assert_eq!(untrack(|| keys.lines()), Ok(vec![ED25519.to_string()]));
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("false"));
    host.remove();
}

#[wasm_bindgen_test]
async fn a_pasted_private_key_is_refused_and_removed_from_the_field() {
    let keys = PublicKeys::new();
    let (host, _handle) = mount_keys(keys);
    let area: web_sys::HtmlTextAreaElement = find(&host, "#public-keys");
    paste_into(&area, &format!("{ED25519}\n{PRIVATE_KEY}"));
    settle().await;
    let alert = texts(&host, "[role=alert]").join("");
    assert!(
        alert.contains("private key") && alert.contains("must never leave your computer"),
        "{alert}"
    );
    assert!(alert.contains("removed from the field"), "{alert}");
    for shown in [area.value(), untrack(|| keys.draft()).into()] {
        assert_eq!(shown, format!("{ED25519}\n"));
    }
    let sent = untrack(|| keys.lines()).unwrap();
    assert_eq!(sent, [ED25519]);
    for part in PRIVATE_KEY.lines() {
        assert!(sent.iter().all(|l| !l.contains(part)), "{part} is kept");
    }
    host.remove();
}

#[wasm_bindgen_test]
async fn dropped_files_add_their_keys_but_a_private_key_file_is_not_read_in() {
    let keys = PublicKeys::new();
    let (host, _handle) = mount_keys(keys);
    let drop = format!(
        r#"(() => {{
            const dt = new DataTransfer();
            dt.items.add(new File([{public}], "id_ed25519.pub", {{type: "text/plain"}}));
            dt.items.add(new File([{private}], "id_ed25519", {{type: "text/plain"}}));
            document.querySelector(".drop-zone").dispatchEvent(
                new DragEvent("drop", {{dataTransfer: dt, bubbles: true, cancelable: true}}));
        }})()"#,
        public = serde_json::to_string(&format!("{ED25519}\n")).unwrap(),
        private = serde_json::to_string(PRIVATE_KEY).unwrap(),
    );
    js_sys::eval(&drop).unwrap();
    sleep(200).await;
    assert_eq!(untrack(|| keys.lines()), Ok(vec![ED25519.to_string()]));
    let alert = texts(&host, "[role=alert]").join("");
    assert!(
        alert.contains("id_ed25519: ") && alert.contains("not read into the form"),
        "{alert}"
    );
    let area: web_sys::HtmlTextAreaElement = find(&host, "#public-keys");
    assert!(!area.value().contains("PRIVATE"));
    host.remove();
}
