//! Browser tests of the one masked-value widget and the raw-JSON view: a value the page holds
//! (a token, a kubeconfig) is not in the page until revealed, is masked again by Hide, by its
//! timer and whenever it changes; a raw answer shows its secret fields hidden, each with its
//! own Reveal.

mod support;

use std::time::Duration;

use cloudpane::components::{MaskedValue, RawJson, SecretSource};
use leptos::prelude::*;
use support::{find, mount, sleep, state_with_account, texts};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const OLD_TOKEN: &str = "9e130f81-aaaa|OldTokenSzVg1D6a5ZZ";
const NEW_TOKEN: &str = "2b7c44d0-bbbb|NewTokenQ9xLw3Rt8Kp";
const CLUSTER_TOKEN: &str = "sandbox-0123456789abcdef";

fn click(host: &web_sys::HtmlElement, label: &str) {
    find::<web_sys::HtmlElement>(host, &format!("button[aria-label='{label}']")).click();
}

#[wasm_bindgen_test]
async fn a_new_value_is_masked_even_when_the_old_one_was_revealed() {
    let token = RwSignal::new(OLD_TOKEN.to_string());
    let (host, handle) = mount(state_with_account(), move || {
        view! { <MaskedValue source=SecretSource::Held(token.into()) what="the new API token"/> }
    });
    assert!(!host.inner_html().contains(OLD_TOKEN));
    assert_eq!(texts(&host, ".mask"), ["••••••••"]);

    click(&host, "Reveal the new API token");
    sleep(50).await;
    assert_eq!(texts(&host, "code.revealed"), [OLD_TOKEN]);

    // A rotation: the page now holds another token. It is not shown until asked for.
    token.set(NEW_TOKEN.to_string());
    leptos::task::tick().await;
    sleep(50).await;
    assert!(
        !host.inner_html().contains(NEW_TOKEN),
        "{}",
        host.inner_html()
    );
    assert!(!host.inner_html().contains(OLD_TOKEN));
    assert_eq!(texts(&host, ".mask"), ["••••••••"]);

    click(&host, "Reveal the new API token");
    sleep(50).await;
    assert_eq!(texts(&host, "code.revealed"), [NEW_TOKEN]);
    click(&host, "Hide the new API token");
    leptos::task::tick().await;
    assert!(!host.inner_html().contains(NEW_TOKEN));
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_revealed_value_masks_itself_when_its_time_is_up() {
    let (host, handle) = mount(state_with_account(), || {
        view! {
            <MaskedValue source=SecretSource::held(OLD_TOKEN) what="the current API token"
                mask=Signal::stored("••••••••a5ZZ".to_string()) reveal_for=Duration::from_millis(300)/>
        }
    });
    assert_eq!(texts(&host, ".mask"), ["••••••••a5ZZ"]);
    click(&host, "Reveal the current API token");
    sleep(100).await;
    assert_eq!(texts(&host, "code.revealed"), [OLD_TOKEN]);
    sleep(400).await;
    assert!(
        !host.inner_html().contains(OLD_TOKEN),
        "masked again after the timer"
    );
    assert_eq!(texts(&host, ".mask"), ["••••••••a5ZZ"]);
    drop(handle);
    host.remove();
}

/// A running bare-metal rental as the sandbox answers it.
fn rental() -> serde_json::Value {
    serde_json::json!({
        "id": "123e4567-e89b-12d3-a456-426614174000",
        "name": "pretrain-cluster",
        "status": "Running",
        "username": "ubuntu",
        "node_networking": [{"public_ip": "68.25.82.82", "private_ip": "192.168.0.1"}],
        "k8s_cluster_id": "123e4567-e89b-12d3-a456-426614174000",
        "kubeconfig": format!("apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: {CLUSTER_TOKEN}\n"),
        "tags": []
    })
}

#[wasm_bindgen_test]
async fn the_raw_json_hides_the_kubeconfig_until_it_is_revealed() {
    let (host, handle) = mount(state_with_account(), || {
        view! { <RawJson value=Signal::stored(rental()) of="pretrain-cluster"/> }
    });
    let html = host.inner_html();
    assert!(!html.contains(CLUSTER_TOKEN), "{html}");
    assert!(!html.contains("apiVersion"), "{html}");
    let raw = texts(&host, "pre.code-block").join("");
    assert!(raw.contains("\"kubeconfig\": \"•••••••• hidden\""), "{raw}");
    assert!(raw.contains("\"username\": \"ubuntu\""), "{raw}");
    assert_eq!(texts(&host, ".hidden-fields code"), ["kubeconfig"]);

    click(&host, "Reveal the kubeconfig field of pretrain-cluster");
    sleep(50).await;
    assert!(texts(&host, "code.revealed")
        .concat()
        .contains(CLUSTER_TOKEN));
    click(&host, "Hide the kubeconfig field of pretrain-cluster");
    leptos::task::tick().await;
    assert!(!host.inner_html().contains(CLUSTER_TOKEN));
    drop(handle);
    host.remove();
}
