//! Browser tests of NetActuate lists that come in pages (the provider's public SDKs: v3's
//! `meta: {limit, offset, total}`, v2's Laravel paginator): every page is read, the items on a
//! later page show like those on the first, and a later page that fails never leaves part of the
//! list on screen as if it were all of it.

mod support;

use cloudpane::pages::secrets::SecretsSection;
use cloudpane_api::Provider;
use leptos::prelude::*;
use support::{mount, sleep, state_with_account, texts};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Replaces `window.fetch` with one that records each call (method, path and query) and answers
/// by the request's query: `pages` maps a query (`""` for none) to (status, body); any other
/// query gets a 404.
fn answer_pages(pages: &[(&str, u16, &str)]) {
    let cases: Vec<String> = pages
        .iter()
        .map(|(query, status, body)| {
            format!(
                "{}: [{status}, {}]",
                serde_json::to_string(query).unwrap(),
                serde_json::to_string(body).unwrap()
            )
        })
        .collect();
    js_sys::eval(&format!(
        r#"window.__calls = [];
           const pages = {{{}}};
           window.fetch = async (input, init) => {{
             const url = new URL(new Request(input, init).url);
             // The browser's fetch helper (gloo-net) ends a query it did not build with "&".
             const search = url.search.replace(/&$/, '');
             window.__calls.push(url.pathname + search);
             const [status, body] = pages[search] || [404, '{{"code":404,"message":"Not found","data":null}}'];
             return new Response(body, {{status}});
           }};"#,
        cases.join(", ")
    ))
    .unwrap();
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

/// v3's paged list as the Go SDK `gona` reads it: `{code, data: {data, meta}}`, 2 secrets a page
/// of 3.
const FIRST_PAGE: &str = r#"{"code":200,"message":"OK","data":{"data":[
    {"id":1,"name":"db-password"},{"id":2,"name":"api-key"}],
    "meta":{"limit":2,"offset":0,"total":3}}}"#;
const SECOND_PAGE: &str = r#"{"code":200,"message":"OK","data":{"data":[
    {"id":3,"name":"on-the-second-page"}],
    "meta":{"limit":2,"offset":2,"total":3}}}"#;

#[wasm_bindgen_test]
async fn a_secret_on_the_second_page_is_listed() {
    answer_pages(&[
        ("", 200, FIRST_PAGE),
        ("?offset=2&limit=2", 200, SECOND_PAGE),
    ]);
    let (host, handle) = mount(state(), || view! { <SecretsSection/> });
    sleep(300).await;
    assert_eq!(
        texts(&host, "table.secrets tbody th"),
        ["db-password", "api-key", "on-the-second-page"]
    );
    assert_eq!(texts(&host, ".row-count"), ["3 secrets"]);
    assert_eq!(
        fetches(),
        [
            "/proxy/netactuate/v3/secrets",
            "/proxy/netactuate/v3/secrets?offset=2&limit=2"
        ]
    );
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_laravel_paginator_is_read_page_by_page() {
    let page = |current: u32, id: u32, name: &str| {
        format!(
            r#"{{"result":"success","message":null,"meta":[],"data":{{"paginator":{{
                "current_page":{current},"data":[{{"id":{id},"name":"{name}"}}],
                "last_page":2,"per_page":1,"total":2}}}}}}"#
        )
    };
    let (first, second) = (page(1, 1, "db-password"), page(2, 9, "page-two-secret"));
    answer_pages(&[("", 200, &first), ("?page=2", 200, &second)]);
    let (host, handle) = mount(state(), || view! { <SecretsSection/> });
    sleep(300).await;
    assert_eq!(
        texts(&host, "table.secrets tbody th"),
        ["db-password", "page-two-secret"]
    );
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_second_page_that_fails_shows_no_part_of_the_list_as_all_of_it() {
    answer_pages(&[
        ("", 200, FIRST_PAGE),
        (
            "?offset=2&limit=2",
            500,
            r#"{"code":500,"message":"Server Error","data":null}"#,
        ),
    ]);
    let (host, handle) = mount(state(), || view! { <SecretsSection/> });
    sleep(300).await;
    assert!(
        texts(&host, "table.secrets tbody th").is_empty(),
        "the first page alone is not shown as the list"
    );
    let said = texts(&host, "[role=alert]").join(" ");
    assert!(
        said.contains("Only part of the list could be read (the first page came back)")
            && said.contains("(500)"),
        "{said}"
    );
    drop(handle);
    host.remove();
}
