//! Helpers for the end-to-end tests: start the real `cloudpane-sandbox` and `cloudpane-proxy`
//! binaries and a headless Chromium on loopback, and stop them when dropped.
//!
//! The binaries and the built app are found through `CLOUDPANE_SANDBOX_BIN`,
//! `CLOUDPANE_PROXY_BIN` and `CLOUDPANE_DIST` (scripts/test.sh sets them), defaulting to
//! `target/debug/...` and `dist/` of the workspace.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn path_from_env(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join(default))
}

/// A child process that is killed when dropped.
pub struct Server {
    child: Child,
    /// The `http://host:port` it printed in its "listening on" line.
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `program` and waits (up to 20 s) for its `listening on http://...` line.
pub fn start_server(program: PathBuf, args: &[String]) -> Server {
    assert!(
        program.exists(),
        "{} is missing: build it first (scripts/test.sh does)",
        program.display()
    );
    let mut child = Command::new(&program)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}", program.display()));
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(at) = line.find("listening on http://") {
                let url = line[at + "listening on ".len()..]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string();
                let _ = tx.send(url);
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(url) => Server { child, url },
        Err(_) => {
            let _ = child.kill();
            panic!(
                "{} did not say where it listens within 20 s",
                program.display()
            );
        }
    }
}

/// The sandbox binary on an ephemeral loopback port.
pub fn start_sandbox() -> Server {
    let bin = path_from_env("CLOUDPANE_SANDBOX_BIN", "target/debug/cloudpane-sandbox");
    start_server(bin, &["--listen".into(), "127.0.0.1:0".into()])
}

/// The proxy binary in demo mode on an ephemeral loopback port, forwarding to `sandbox_url`.
pub fn start_demo_proxy(sandbox_url: &str) -> Server {
    start_proxy(sandbox_url, &[])
}

/// Like [`start_demo_proxy`], with more arguments for the proxy.
pub fn start_proxy(sandbox_url: &str, extra_args: &[String]) -> Server {
    let bin = path_from_env("CLOUDPANE_PROXY_BIN", "target/debug/cloudpane-proxy");
    let dist = path_from_env("CLOUDPANE_DIST", "dist");
    assert!(
        dist.join("index.html").exists(),
        "{} has no index.html: run `trunk build --release --offline`",
        dist.display()
    );
    let mut args: Vec<String> = vec![
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--dist".into(),
        dist.display().to_string(),
        "--demo".into(),
        "--allow-private-upstreams".into(),
    ];
    for provider in ["voltagepark", "netactuate", "octos"] {
        args.push("--upstream".into());
        args.push(format!("{provider}={sandbox_url}/{provider}"));
    }
    args.extend_from_slice(extra_args);
    start_server(bin, &args)
}

/// How long a test waits for the page to show something.
pub const WAIT: Duration = Duration::from_secs(30);

/// A chromedriver on a free loopback port and a WebDriver session in headless Chromium.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: TempDir,
}

impl Browser {
    pub async fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is not installed: run scripts/bootstrap.sh");
        let profile = TempDir::new();
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    format!("--user-data-dir={}", profile.0.display()),
                ]
            }
        });
        let caps: serde_json::Map<String, serde_json::Value> = caps.as_object().unwrap().clone();
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() > deadline => {
                    panic!("could not start a browser session: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    /// Waits up to `timeout` for an element matching `css` whose text contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(elements) = self.client.find_all(Locator::Css(css)).await {
                for el in elements {
                    if let Ok(t) = el.text().await {
                        if t.contains(text) {
                            return t;
                        }
                    }
                }
            }
            if Instant::now() > deadline {
                let body = self.client.source().await.unwrap_or_default();
                panic!("no `{css}` containing {text:?} within {timeout:?}; the page:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Opens `url` and waits for an `h1` holding `heading`.
    pub async fn open(&self, url: &str, heading: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("could not open {url}: {e}"));
        self.wait_for_text("h1", heading, WAIT).await;
    }

    /// Clicks the element `locator` finds.
    pub async fn click(&self, locator: Locator<'_>) {
        let element = self
            .client
            .find(locator)
            .await
            .unwrap_or_else(|e| panic!("nothing to click at {locator:?}: {e}"));
        element.click().await.unwrap();
    }

    /// Types `text` into the field matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no field {css}: {e}"));
        field.send_keys(text).await.unwrap();
    }

    /// Clicks the submit button of the page's form.
    pub async fn submit(&self) {
        self.click(Locator::Css("form button[type=submit]")).await;
    }

    /// Clicks the left navigation's link to `area`.
    pub async fn go_to_area(&self, area: &str) {
        self.click(Locator::XPath(&format!("//nav//a[contains(., '{area}')]")))
            .await;
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let dir =
            std::env::temp_dir().join(format!("cloudpane-e2e-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub use fantoccini;
