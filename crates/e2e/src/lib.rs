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
    start_sandbox_with(&[])
}

/// The sandbox binary on an ephemeral loopback port, with more arguments
/// (`--frozen-clock`, `--extra-vms 5000`, ...).
pub fn start_sandbox_with(extra_args: &[&str]) -> Server {
    let bin = path_from_env("CLOUDPANE_SANDBOX_BIN", "target/debug/cloudpane-sandbox");
    let mut args: Vec<String> = vec!["--listen".into(), "127.0.0.1:0".into()];
    args.extend(extra_args.iter().map(|a| a.to_string()));
    start_server(bin, &args)
}

/// Calls the sandbox's admin API (`/_sandbox/...`) and returns its JSON answer (`null` for none).
pub async fn sandbox_admin(
    sandbox_url: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let mut req = reqwest::Client::new().request(method, format!("{sandbox_url}/_sandbox{path}"));
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("the sandbox admin API answers");
    assert!(res.status().is_success(), "{path}: {}", res.status());
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}

/// The provider requests the sandbox received whose method is `method` and whose path
/// starts with `path_prefix` (from its request log).
pub async fn sandbox_requests(
    sandbox_url: &str,
    method: &str,
    path_prefix: &str,
) -> Vec<serde_json::Value> {
    let log = sandbox_admin(sandbox_url, reqwest::Method::GET, "/requests", None).await;
    log["requests"]
        .as_array()
        .expect("the request log is a list")
        .iter()
        .filter(|r| {
            r["method"] == method && r["path"].as_str().unwrap_or("").starts_with(path_prefix)
        })
        .cloned()
        .collect()
}

/// A Voltage Park object of the sandbox, read directly (not through the proxy).
pub async fn sandbox_voltagepark(sandbox_url: &str, path: &str) -> serde_json::Value {
    reqwest::Client::new()
        .get(format!("{sandbox_url}/voltagepark{path}"))
        .bearer_auth("demo-voltagepark")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
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
    start_server(
        bin,
        &demo_proxy_args("127.0.0.1:0", sandbox_url, extra_args),
    )
}

/// The proxy's arguments for the demo on `listen`, forwarding to `sandbox_url`, then `extra`.
fn demo_proxy_args(listen: &str, sandbox_url: &str, extra: &[String]) -> Vec<String> {
    let dist = path_from_env("CLOUDPANE_DIST", "dist");
    let mut args: Vec<String> = vec![
        "--listen".into(),
        listen.into(),
        "--dist".into(),
        dist.display().to_string(),
        "--demo".into(),
        "--allow-private-upstreams".into(),
    ];
    for provider in ["voltagepark", "netactuate", "octos"] {
        args.push("--upstream".into());
        args.push(format!("{provider}={sandbox_url}/{provider}"));
    }
    args.extend_from_slice(extra);
    args
}

/// How long a test waits for the page to show something.
pub const WAIT: Duration = Duration::from_secs(30);

/// A chromedriver on a free loopback port and a WebDriver session in headless Chromium.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: TempDir,
    /// Where downloads land.
    pub downloads: PathBuf,
}

/// Fails unless axe-core really ran (many rules passed) and found no violation on `what`.
pub fn assert_accessible(report: AxeReport, what: &str) {
    assert!(
        report.passes > 10,
        "{what}: axe ran only {} rules",
        report.passes
    );
    assert!(
        report.violations.is_empty(),
        "{what}: accessibility violations:\n{}",
        report.violations.join("\n")
    );
}

/// What axe-core found on a page.
#[derive(Debug)]
pub struct AxeReport {
    /// How many rules passed: a run that passed none did not really run.
    pub passes: u64,
    /// One line per violation: rule, impact and the offending elements.
    pub violations: Vec<String>,
}

impl Browser {
    pub async fn start() -> Browser {
        Browser::start_with(&[]).await
    }

    /// A session with more Chromium arguments, e.g. `--blink-settings=preferredColorScheme=0`
    /// for the dark colour scheme.
    pub async fn start_with(extra_args: &[&str]) -> Browser {
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
        let downloads = profile.0.join("downloads");
        std::fs::create_dir_all(&downloads).unwrap();
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ]
        .iter()
        .map(|a| a.to_string())
        .collect();
        args.push(format!("--user-data-dir={}", profile.0.display()));
        args.extend(extra_args.iter().map(|a| a.to_string()));
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false
                },
                "args": args
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
            downloads,
        }
    }

    /// Runs axe-core's WCAG 2.2 A/AA rules (and the 2.0 / 2.1 ones) on the page as it is now.
    pub async fn axe(&self) -> AxeReport {
        let path = workspace().join("tools/axe/node_modules/axe-core/axe.min.js");
        let axe = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run scripts/bootstrap.sh", path.display()));
        self.client.execute(&axe, vec![]).await.unwrap();
        let result = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}})
                      .then(r => done({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html)}))}))
                      .catch(e => done({passes: 0, violations: [{id: 'axe-error', impact: String(e), nodes: []}]}));"#,
                vec![],
            )
            .await
            .unwrap();
        AxeReport {
            passes: result["passes"].as_u64().unwrap_or(0),
            violations: result["violations"]
                .as_array()
                .map(|v| v.iter().map(|v| v.to_string()).collect())
                .unwrap_or_default(),
        }
    }

    /// Waits up to `timeout` for a file named `name` to be fully downloaded, and reads it.
    pub async fn downloaded(&self, name: &str, timeout: Duration) -> String {
        let path = self.downloads.join(name);
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(text) = std::fs::read_to_string(&path) {
                if !text.is_empty() {
                    return text;
                }
            }
            if Instant::now() > deadline {
                let found: Vec<_> = std::fs::read_dir(&self.downloads)
                    .map(|d| d.flatten().map(|e| e.file_name()).collect())
                    .unwrap_or_default();
                panic!("{name} was not downloaded within {timeout:?}; found {found:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until no element matching `css` holds `text`.
    pub async fn wait_for_text_gone(&self, css: &str, text: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let mut present = false;
            if let Ok(elements) = self.client.find_all(Locator::Css(css)).await {
                for el in elements {
                    if el.text().await.is_ok_and(|t| t.contains(text)) {
                        present = true;
                        break;
                    }
                }
            }
            if !present {
                return;
            }
            if Instant::now() > deadline {
                panic!("`{css}` still holds {text:?} after {timeout:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
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

    /// Clicks the enabled button whose text is exactly `text`.
    pub async fn click_button(&self, text: &str) {
        self.click(Locator::XPath(&format!(
            "//button[normalize-space()='{text}' and not(@disabled)]"
        )))
        .await;
    }

    /// Replaces a field's text as a paste would: the value is set, then `input` and `change`
    /// fire. (WebDriver's typing is slow and appends to what is there.) Waits up to `WAIT` for
    /// the field: a page whose code or data is still arriving may not show it yet.
    pub async fn set_field(&self, css: &str, text: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self
                .client
                .execute(
                    "const f = document.querySelector(arguments[0]); if (!f) { return false; }
                     f.focus(); f.value = arguments[1];
                     f.dispatchEvent(new Event('input', {bubbles: true}));
                     f.dispatchEvent(new Event('change', {bubbles: true}));
                     return true;",
                    vec![serde_json::json!(css), serde_json::json!(text)],
                )
                .await
                .unwrap_or_else(|e| panic!("setting field {css}: {e}"));
            if found == serde_json::Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                let body = self.client.source().await.unwrap_or_default();
                panic!("no field {css} within {WAIT:?}; the page:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
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

    /// Ends the WebDriver session; dropping the browser then stops chromedriver.
    /// The `value` of the form field `css` (empty when it has none).
    pub async fn value_of(&self, css: &str) -> String {
        self.client
            .execute(
                "return document.querySelector(arguments[0]).value;",
                vec![serde_json::json!(css)],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    /// A test that fails before `close` still stops its chromedriver (and so its Chromium).
    fn drop(&mut self) {
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

// --- fault helpers ---

/// The port a server listens on, from the URL it printed.
pub fn port_of(server: &Server) -> u16 {
    server
        .url
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {}", server.url))
}

/// The proxy binary in demo mode on `127.0.0.1:port`, forwarding to `sandbox_url`: a new
/// proxy where a stopped one was, as after a restart. Retries for a few seconds while the port
/// is still being released.
pub fn start_proxy_on(port: u16, sandbox_url: &str, extra_args: &[String]) -> Server {
    let bin = path_from_env("CLOUDPANE_PROXY_BIN", "target/debug/cloudpane-proxy");
    let args = demo_proxy_args(&format!("127.0.0.1:{port}"), sandbox_url, extra_args);
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpListener::bind(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "port {port} stays taken");
        std::thread::sleep(Duration::from_millis(100));
    }
    start_server(bin, &args)
}

/// Puts the sandbox back as seeded, with no faults and an empty request log.
pub async fn sandbox_reset(sandbox_url: &str) {
    sandbox_admin(sandbox_url, reqwest::Method::DELETE, "/faults", None).await;
    sandbox_admin(sandbox_url, reqwest::Method::POST, "/reset", None).await;
}

/// Sets the sandbox's faults (`PUT /_sandbox/faults`), replacing any set before.
pub async fn sandbox_faults(sandbox_url: &str, faults: serde_json::Value) {
    sandbox_admin(sandbox_url, reqwest::Method::PUT, "/faults", Some(faults)).await;
}

impl Browser {
    /// Reloads the page, as the person pressing F5 would.
    pub async fn reload(&self) {
        self.client.refresh().await.expect("the page reloads");
    }

    /// This tab's session storage as one string (drafts live there), for checking that no
    /// secret value or token was kept.
    pub async fn session_storage(&self) -> String {
        self.client
            .execute(
                "try { return JSON.stringify(Object.assign({}, sessionStorage)); } catch (e) { return ''; }",
                vec![],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Empties this tab's session storage (drafts, a deploy in flight), so that a case starts
    /// clean.
    pub async fn clear_session_storage(&self) {
        let _ = self
            .client
            .execute("try { sessionStorage.clear(); } catch (e) {}", vec![])
            .await;
    }

    /// Waits for a spinner that says in words what is under way: a loading line with a
    /// spinner, or a busy button (it spins beside its words). Returns the words.
    pub async fn wait_for_spinner_with_words(&self, words: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self
                .client
                .execute(
                    r#"const want = arguments[0];
                       const spinning = [...document.querySelectorAll('.loading, button[aria-busy="true"]')].filter(e => {
                         const spins = e.querySelector('.spinner') ||
                           getComputedStyle(e, '::before').animationName === 'spin';
                         return spins && e.offsetParent !== null && e.textContent.includes(want);
                       });
                       return spinning.length ? spinning[0].textContent : null;"#,
                    vec![serde_json::json!(words)],
                )
                .await
                .unwrap();
            if let Some(text) = found.as_str() {
                return text.to_string();
            }
            if Instant::now() > deadline {
                let body = self.client.source().await.unwrap_or_default();
                panic!("no spinner saying {words:?} within {WAIT:?}; the page:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Proves the page is not frozen: real key presses into the field `css` show up in it at
    /// once (within a second); the field is then put back as it was.
    pub async fn still_responds(&self, css: &str) {
        let before = self.value_of(css).await;
        let typed = tokio::time::timeout(Duration::from_secs(1), async {
            self.type_into(css, "zq").await;
            loop {
                if self.value_of(css).await.ends_with("zq") {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await;
        assert!(
            typed.is_ok(),
            "typing into {css} took over a second: the page is frozen"
        );
        self.set_field(css, &before).await;
    }

    /// Proves the page is not frozen where nothing can be typed: the control `css` takes the
    /// focus at once (within a second).
    pub async fn still_takes_focus(&self, css: &str) {
        let focused = tokio::time::timeout(
            Duration::from_secs(1),
            self.client.execute(
                "const e = document.querySelector(arguments[0]); e.focus(); return document.activeElement === e;",
                vec![serde_json::json!(css)],
            ),
        )
        .await;
        assert!(
            matches!(focused, Ok(Ok(serde_json::Value::Bool(true)))),
            "{css} did not take the focus within a second: {focused:?}"
        );
    }

    /// The text of the page's main region.
    pub async fn main_text(&self) -> String {
        self.client
            .find(Locator::Css("main"))
            .await
            .expect("the page has a main region")
            .text()
            .await
            .unwrap_or_default()
    }

    /// Saves what the person sees now as `<name>.png` in the folder `CLOUDPANE_SCREENSHOTS`
    /// names, for a closing note or a review; does nothing when it is not set.
    pub async fn snap(&self, name: &str) {
        let Some(dir) = std::env::var_os("CLOUDPANE_SCREENSHOTS") else {
            return;
        };
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::create_dir_all(&dir).expect("the screenshot folder");
        std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), png).expect("saved");
    }
}

// --- keyboard helpers ---
// For the keyboard-only journeys (tests/keyboard_journeys.rs): keys go to whatever has focus, as
// a person's would. Nothing is clicked and no script moves focus; scripts only read what has it.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

/// What has keyboard focus, as a person (or a screen reader) would name it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Focused {
    /// Lower-case tag name: `button`, `a`, `input`, `body`...
    pub tag: String,
    pub id: String,
    /// Its name: `aria-label`, else its label's text, else its own text (trimmed).
    pub name: String,
    /// Its `outline-style`, `outline-width` and `box-shadow`, as computed now.
    pub outline: String,
    pub outline_width: String,
    pub box_shadow: String,
}

impl Focused {
    /// True when `target` names it: `#id` by id, anything else by a name containing it.
    pub fn is(&self, target: &str) -> bool {
        if self.is_lost() {
            return false;
        }
        match target.strip_prefix('#') {
            Some(id) => self.id == id,
            None => self.name.contains(target),
        }
    }

    /// True when focus is nowhere in particular (`<body>`, or nothing).
    pub fn is_lost(&self) -> bool {
        matches!(self.tag.as_str(), "" | "body" | "html")
    }

    /// True when a focus indicator is drawn: an outline or a box shadow.
    pub fn is_visible(&self) -> bool {
        let outline = self.outline != "none"
            && self
                .outline_width
                .trim_end_matches("px")
                .parse::<f64>()
                .is_ok_and(|w| w > 0.0);
        outline || (!self.box_shadow.is_empty() && self.box_shadow != "none")
    }
}

const DESCRIBE_FOCUS: &str = r#"
    const el = document.activeElement;
    if (!el) return {tag: '', id: '', name: '', outline: 'none', outline_width: '0px', box_shadow: 'none'};
    const label = el === document.body ? '' : el.getAttribute('aria-label')
        || (el.labels && el.labels.length ? el.labels[0].innerText : '')
        || el.innerText || '';
    const style = getComputedStyle(el);
    return {tag: el.tagName.toLowerCase(), id: el.id || '', name: label.trim().replace(/\s+/g, ' '),
            outline: style.outlineStyle, outline_width: style.outlineWidth, box_shadow: style.boxShadow};
"#;

impl Browser {
    async fn keys(&self, actions: Vec<KeyAction>) {
        let mut sequence = KeyActions::new("keyboard".to_string());
        for action in actions {
            sequence = sequence.then(action);
        }
        self.client
            .perform_actions(sequence)
            .await
            .unwrap_or_else(|e| panic!("the keys were not pressed: {e}"));
    }

    /// Presses and releases `key` where focus is.
    pub async fn press(&self, key: Key) {
        let value = char::from(key);
        self.keys(vec![KeyAction::Down { value }, KeyAction::Up { value }])
            .await;
    }

    /// Presses `key` with Shift held (Shift+Tab).
    pub async fn press_shift(&self, key: Key) {
        let shift = char::from(Key::Shift);
        let value = char::from(key);
        self.keys(vec![
            KeyAction::Down { value: shift },
            KeyAction::Down { value },
            KeyAction::Up { value },
            KeyAction::Up { value: shift },
        ])
        .await;
    }

    /// Types `text` into whatever has focus, key by key.
    pub async fn type_keys(&self, text: &str) {
        let actions = text
            .chars()
            .flat_map(|value| [KeyAction::Down { value }, KeyAction::Up { value }])
            .collect();
        self.keys(actions).await;
    }

    /// What has focus now.
    pub async fn focused(&self) -> Focused {
        let found = self
            .client
            .execute(DESCRIBE_FOCUS, vec![])
            .await
            .unwrap_or_else(|e| panic!("could not read what has focus: {e}"));
        serde_json::from_value(found).expect("a description of the focused element")
    }

    /// The name of what has focus (see [`Focused::name`]).
    pub async fn focused_text(&self) -> String {
        self.focused().await.name
    }

    /// True when `target` has focus (see [`Focused::is`]).
    pub async fn focus_is(&self, target: &str) -> bool {
        self.focused().await.is(target)
    }

    /// Presses Tab until `target` has focus (see [`Focused::is`]); fails after `max_tabs`.
    pub async fn tab_to(&self, target: &str, max_tabs: usize) -> Focused {
        self.tab_until(|f| f.is(target), target, max_tabs, false)
            .await
    }

    /// Presses Shift+Tab until `target` has focus; fails after `max_tabs`.
    pub async fn shift_tab_to(&self, target: &str, max_tabs: usize) -> Focused {
        self.tab_until(|f| f.is(target), target, max_tabs, true)
            .await
    }

    /// Presses Tab (Shift+Tab when `backwards`) until what has focus satisfies `wanted`;
    /// fails after `max_tabs`, listing what it went through. `what` names the target.
    pub async fn tab_until(
        &self,
        wanted: impl Fn(&Focused) -> bool,
        what: &str,
        max_tabs: usize,
        backwards: bool,
    ) -> Focused {
        let mut seen = Vec::new();
        for _ in 0..max_tabs {
            if backwards {
                self.press_shift(Key::Tab).await;
            } else {
                self.press(Key::Tab).await;
            }
            let now = self.focused().await;
            if wanted(&now) {
                return now;
            }
            seen.push(format!("{} #{} {:?}", now.tag, now.id, now.name));
        }
        panic!(
            "{what} not reached in {max_tabs} tabs; focus went through:\n{}",
            seen.join("\n")
        );
    }

    /// Waits up to `timeout` for `target` to have focus (see [`Focused::is`]).
    pub async fn wait_for_focus(&self, target: &str, timeout: Duration) -> Focused {
        let deadline = Instant::now() + timeout;
        loop {
            let now = self.focused().await;
            if now.is(target) {
                return now;
            }
            if Instant::now() > deadline {
                panic!("{target} did not get focus within {timeout:?}; focus is on {now:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Fails unless something in particular has focus and draws a visible focus indicator.
    pub async fn assert_focus_visible(&self, what: &str) -> Focused {
        let now = self.focused().await;
        assert!(!now.is_lost(), "{what}: focus fell to the page: {now:?}");
        assert!(
            now.is_visible(),
            "{what}: the focused control shows no focus indicator: {now:?}"
        );
        now
    }

    /// Grants `permissions` (CDP permission types, e.g. `clipboardReadWrite`) to `origin`, and
    /// denies it every other, through chromedriver's CDP endpoint.
    pub async fn grant_permission(&self, permissions: &[&str], origin: &str) {
        self.client
            .issue_cmd(CdpCommand {
                cmd: "Browser.grantPermissions",
                params: serde_json::json!({ "permissions": permissions, "origin": origin }),
            })
            .await
            .unwrap_or_else(|e| panic!("could not grant {permissions:?} to {origin}: {e}"));
    }

    /// What the clipboard holds (needs `clipboardReadWrite`, see [`Browser::grant_permission`]).
    pub async fn clipboard_text(&self) -> String {
        let read = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 navigator.clipboard.readText().then(t => done({text: t}), e => done({error: String(e)}));",
                vec![],
            )
            .await
            .unwrap();
        match read["text"].as_str() {
            Some(text) => text.to_string(),
            None => panic!("the clipboard could not be read: {}", read["error"]),
        }
    }
}

/// A Chrome DevTools Protocol command, sent through chromedriver (`/goog/cdp/execute`).
#[derive(Debug)]
struct CdpCommand {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(
        &self,
        base_url: &reqwest::Url,
        session_id: Option<&str>,
    ) -> Result<reqwest::Url, <reqwest::Url as std::str::FromStr>::Err> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &reqwest::Url) -> (reqwest::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (reqwest::Method::POST, Some(body.to_string()))
    }
}
