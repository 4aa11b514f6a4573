//! Browser test of the transport's form bodies: enabling Octos API access goes out as the
//! browser's multipart `FormData` (as the document's `curl -F`), with the session token in the
//! Authorization header and nothing in the URL.

mod support;

use cloudpane::state::Connection;
use cloudpane::transport;
use cloudpane_api::octos::api_access::{enable, NewToken};
use cloudpane_api::octos::read_envelope;
use cloudpane_api::{Provider, RuntimeConfig};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Replaces `window.fetch` with one that records each call (method, URL, Content-Type,
/// Authorization and the body as text) and answers `status` and `body`.
fn answer_fetches(status: u16, body: &str) {
    let body = serde_json::to_string(body).unwrap();
    js_sys::eval(&format!(
        r#"window.__calls = [];
           window.fetch = async (input, init) => {{
             const request = new Request(input, init);
             window.__calls.push({{
               line: request.method + ' ' + request.url,
               type: request.headers.get('content-type') || '',
               auth: request.headers.get('authorization') || '',
               body: await request.text(),
             }});
             return new Response({body}, {{status: {status}}});
           }};"#
    ))
    .unwrap();
}

fn call(field: &str) -> String {
    js_sys::eval(&format!("window.__calls[0].{field}"))
        .unwrap()
        .as_string()
        .unwrap()
}

fn connection() -> Connection {
    Connection {
        proxy_base: String::new(),
        config: RuntimeConfig {
            route_prefix: "/proxy".into(),
            providers: Provider::ALL.to_vec(),
            access_key_required: false,
            demo: false,
            demo_accounts: Vec::new(),
        },
        access_key: None,
    }
}

#[wasm_bindgen_test]
async fn enabling_sends_a_multipart_form() {
    answer_fetches(
        200,
        r#"{"status":"Success","message":"API enabled successfully","data":{"message":"API enabled successfully","token":"9e13|abc"}}"#,
    );
    let req = enable("1|session", "My API Token", Some("2026-12-31"));
    let (status, body) = transport::exchange_form(&connection(), &req).await.unwrap();
    let new: NewToken = read_envelope(status, &body).unwrap();
    assert_eq!(new.token, "9e13|abc");

    let line = call("line");
    assert!(line.starts_with("POST "), "{line}");
    assert!(
        line.ends_with("/proxy/octos/backend/api/profile/api/enable"),
        "nothing but the path in the URL: {line}"
    );
    let content_type = call("type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    assert_eq!(call("auth"), "Bearer 1|session");
    let sent = call("body");
    assert!(
        sent.contains("name=\"token_name\"\r\n\r\nMy API Token\r\n"),
        "{sent}"
    );
    assert!(
        sent.contains("name=\"expires_at\"\r\n\r\n2026-12-31\r\n"),
        "{sent}"
    );
}

#[wasm_bindgen_test]
async fn an_error_status_with_200_is_an_error() {
    answer_fetches(
        200,
        r#"{"status":"Error","message":"Token name already taken","data":null}"#,
    );
    let req = enable("1|session", "dup", None);
    let (status, body) = transport::exchange_form(&connection(), &req).await.unwrap();
    let refused = read_envelope::<NewToken>(status, &body).unwrap_err();
    assert!(
        refused.to_string().contains("Token name already taken"),
        "{refused}"
    );
    // No expiry chosen: only the name is sent.
    assert!(!call("body").contains("expires_at"));
}
