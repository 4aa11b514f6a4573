//! The console end to end: headless Chromium loads the release app from the real proxy, which
//! forwards to the real sandbox. Each test checks something only the whole path can show.

use cloudpane_api::voltagepark::gpu_model_label;
use cloudpane_api::Money;
use cloudpane_e2e::{
    sandbox_voltagepark, start_demo_proxy, start_proxy, start_sandbox, workspace, Browser, WAIT,
};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread")]
async fn locations_page_lists_the_sandbox_hostnodes_through_the_proxy() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    // The sandbox's first page of locations, asked for directly (not through the proxy).
    let expected = sandbox_voltagepark(&sandbox.url, "/api/v1/locations/?limit=15").await;
    let first = &expected["results"][0];
    let city = first["city"]
        .as_str()
        .expect("the sandbox seeds locations")
        .to_string();
    let node = &first["hostnodes"][0];
    let (model, price) = node["pricing"]["per_gpu_hr"]
        .as_object()
        .unwrap()
        .iter()
        .next()
        .unwrap();
    // Displayed the way the console displays them; money parsed as a decimal, never a float.
    let cents = Money::parse(price.as_str().unwrap())
        .expect("a decimal price")
        .to_cents_string();
    let gpu_label = gpu_model_label(model);

    let browser = Browser::start().await;
    browser
        .open(&format!("{}/locations", proxy.url), "Locations")
        .await;
    // The demo badge proves the app read the proxy's runtime config...
    browser.wait_for_text(".top-bar", "Demo", WAIT).await;
    // ...and this row proves the request went browser -> proxy -> sandbox and back.
    let row = browser.wait_for_text("tbody tr", &city, WAIT).await;
    assert!(row.contains(&gpu_label), "row {row:?} lacks {gpu_label}");
    let table = browser.wait_for_text("table", &cents, WAIT).await;
    assert!(table.contains(&cents));
    // The token never appears in the address bar or the title.
    let url = browser.client.current_url().await.unwrap();
    assert!(!url.as_str().contains("demo-voltagepark"));
    assert!(!browser
        .client
        .title()
        .await
        .unwrap()
        .contains("demo-voltagepark"));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_area_has_a_page_in_the_navigation() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/machines", proxy.url), "Machines")
        .await;
    for area in [
        "Machines",
        "Deploy",
        "SSH keys",
        "Secrets",
        "Storage",
        "Billing",
        "Locations",
        "Octos",
        "Accounts",
    ] {
        browser.wait_for_text("nav.side-nav a", area, WAIT).await;
    }
    // Client-side navigation to another area keeps the app loaded and shows that area's page.
    browser.go_to_area("Accounts").await;
    browser.wait_for_text("h1", "Accounts", WAIT).await;
    // Demo accounts are listed with their tokens masked.
    let table = browser.wait_for_text("table", "Voltage Park", WAIT).await;
    assert!(
        !table.contains("demo-voltagepark"),
        "token shown unmasked: {table}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_proxy_with_an_access_key_is_usable_once_the_key_is_entered() {
    let sandbox = start_sandbox();
    let dir = std::env::temp_dir().join(format!("cloudpane-e2e-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_file = dir.join("access-key");
    std::fs::write(&key_file, "e2e-access-key-0123456789\n").unwrap();
    let proxy = start_proxy(
        &sandbox.url,
        &["--access-key-file".into(), key_file.display().to_string()],
    );

    let browser = Browser::start().await;
    browser
        .open(&format!("{}/locations", proxy.url), "Proxy access key")
        .await;
    // A wrong key: the proxy refuses it and the page says it was the proxy's key, not the token.
    browser.type_into("#access-key", "not-the-key").await;
    browser.submit().await;
    browser
        .wait_for_text("[role=alert]", "access key", WAIT)
        .await;

    browser
        .click(Locator::XPath(
            "//button[contains(., 'Enter the access key again')]",
        ))
        .await;
    browser
        .type_into("#access-key", "e2e-access-key-0123456789")
        .await;
    browser.submit().await;
    browser.wait_for_text("tbody tr", "H100", WAIT).await;
    browser.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_provider_error_is_explained_and_retry_recovers() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let http = reqwest::Client::new();
    // The sandbox's fault knob: Voltage Park's locations fail with a 503 until cleared.
    let faults = format!("{}/_sandbox/faults", sandbox.url);
    let rule = serde_json::json!({"fail": [{"method": "GET", "path": "/voltagepark/api/v1/locations/", "status": 503}]});
    let set = http.put(&faults).json(&rule).send().await.unwrap();
    assert!(
        set.status().is_success(),
        "setting the fault: {}",
        set.status()
    );

    let browser = Browser::start().await;
    browser
        .open(&format!("{}/locations", proxy.url), "Locations")
        .await;
    let alert = browser.wait_for_text("[role=alert]", "503", WAIT).await;
    assert!(
        alert.to_lowercase().contains("retry"),
        "the error says what to do: {alert}"
    );

    let cleared = http.delete(&faults).send().await.unwrap();
    assert!(cleared.status().is_success());
    browser.click(Locator::XPath("//button[.='Retry']")).await;
    browser.wait_for_text("tbody tr", "H100", WAIT).await;
    browser.close().await;
}

/// The app hosted as plain static files elsewhere asks where the proxy is, then works across
/// origins through the proxy's CORS answers.
#[tokio::test(flavor = "multi_thread")]
async fn the_app_on_a_static_host_connects_to_a_proxy_on_another_origin() {
    let sandbox = start_sandbox();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let static_origin = format!("http://127.0.0.1:{port}");
    let dist = std::env::var("CLOUDPANE_DIST")
        .unwrap_or_else(|_| workspace().join("dist").display().to_string());
    let mut static_host = std::process::Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            "--directory",
            &dist,
            &port.to_string(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3 serves the static files");
    let proxy = start_proxy(
        &sandbox.url,
        &["--allow-origin".into(), static_origin.clone()],
    );

    let browser = Browser::start().await;
    // The static host may take a moment to listen.
    for _ in 0..50 {
        if browser
            .client
            .goto(&format!("{static_origin}/"))
            .await
            .is_ok()
            && browser
                .client
                .source()
                .await
                .unwrap_or_default()
                .contains("cloudpane")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser
        .wait_for_text("h1", "Connect to a proxy", WAIT)
        .await;
    browser.type_into("#proxy-url", &proxy.url).await;
    browser.submit().await;
    browser.wait_for_text(".top-bar", "Demo", WAIT).await;
    browser.go_to_area("Locations").await;
    browser.wait_for_text("tbody tr", "H100", WAIT).await;
    browser.close().await;
    let _ = static_host.kill();
    let _ = static_host.wait();
}
