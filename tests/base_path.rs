//! Browser test of the app under a path prefix: with `<base href="/tools/cloudpane/">` (what the
//! proxy's `--base-path` writes into index.html), the router's base and the app's plain links
//! carry the prefix, and browser paths are read without it.

mod support;

use cloudpane::base_path::{app_href, app_path, base_path};
use cloudpane::components::NoAccount;
use cloudpane_api::Provider;
use leptos::prelude::*;
use support::{find, mount, state_with_account};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Puts the `<base>` element in the page, as index.html has it, before the app reads it.
fn serve_under(prefix: &str) {
    let document = web_sys::window().unwrap().document().unwrap();
    let base = document.create_element("base").unwrap();
    base.set_attribute("href", prefix).unwrap();
    let head = document.head().unwrap();
    head.insert_before(&base, head.first_child().as_ref())
        .unwrap();
}

#[wasm_bindgen_test]
async fn links_and_paths_follow_the_base_href() {
    serve_under("/tools/cloudpane/");
    assert_eq!(base_path(), "/tools/cloudpane");
    assert_eq!(app_href("/"), "/tools/cloudpane/");
    assert_eq!(
        app_path("/tools/cloudpane/secrets/lists/prod"),
        "/secrets/lists/prod"
    );

    let (host, _handle) = mount(state_with_account(), || {
        view! { <NoAccount provider=Provider::Octos/> }
    });
    let link = find::<web_sys::HtmlAnchorElement>(&host, "a");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/tools/cloudpane/accounts")
    );
    // What the browser follows: the same host, under the prefix.
    assert!(
        link.href().ends_with("/tools/cloudpane/accounts"),
        "{}",
        link.href()
    );
}
