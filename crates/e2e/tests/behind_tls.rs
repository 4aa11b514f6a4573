//! Self-hosting as a team does it: Debian's nginx terminates TLS (a self-signed certificate made
//! here) with deploy/nginx/cloudpane.conf, the console under `/tools/cloudpane/`, the real proxy
//! behind it with `--base-path /tools/cloudpane`, the sandbox behind that. Headless Chromium,
//! told to accept exactly that certificate, opens the console there and lists the machines.
//! Everything on loopback.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cloudpane_e2e::{port_of, start_proxy, start_sandbox, workspace, Browser, WAIT};
use fantoccini::Locator;

const PREFIX: &str = "/tools/cloudpane";

/// A directory removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "cloudpane-behind-tls-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// nginx in the foreground, stopped when dropped.
struct Nginx(Child);

impl Drop for Nginx {
    /// SIGTERM, so that the master stops its workers (killed outright, it would leave them
    /// running); SIGKILL if it is not gone within 5 s.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn run(program: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e} (scripts/bootstrap.sh installs it)"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A self-signed certificate for `localhost` and 127.0.0.1, and the base64 SHA-256 of its public
/// key (what Chromium's `--ignore-certificate-errors-spki-list` takes).
fn make_certificate(dir: &Path) -> (PathBuf, PathBuf, String) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            // A server's certificate, not a CA's (OpenSSL's default for -x509), which rustls
            // (the test's own client) refuses as a server's.
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "extendedKeyUsage=serverAuth",
            "-keyout",
            key.to_str().unwrap(),
            "-out",
            cert.to_str().unwrap(),
        ],
    );
    let public_key = dir.join("public.der");
    let pem = run(
        "openssl",
        &["x509", "-in", cert.to_str().unwrap(), "-pubkey", "-noout"],
    );
    std::fs::write(dir.join("public.pem"), pem).unwrap();
    run(
        "openssl",
        &[
            "pkey",
            "-pubin",
            "-in",
            dir.join("public.pem").to_str().unwrap(),
            "-outform",
            "der",
            "-out",
            public_key.to_str().unwrap(),
        ],
    );
    let digest = run(
        "openssl",
        &["dgst", "-sha256", "-binary", public_key.to_str().unwrap()],
    );
    std::fs::write(dir.join("spki.sha256"), digest).unwrap();
    let spki = run(
        "openssl",
        &[
            "base64",
            "-A",
            "-in",
            dir.join("spki.sha256").to_str().unwrap(),
        ],
    );
    (
        cert,
        key,
        String::from_utf8(spki).unwrap().trim().to_string(),
    )
}

/// deploy/nginx/cloudpane.conf as shipped, with only what differs on this machine changed:
/// the port, the name, the certificate and the proxy's address; the plain-http redirect server
/// is left out (it would need port 80).
fn nginx_site(port: u16, cert: &Path, key: &Path, proxy_port: u16) -> String {
    let shipped = std::fs::read_to_string(workspace().join("deploy/nginx/cloudpane.conf")).unwrap();
    let https_only = &shipped[..shipped
        .rfind("server {")
        .expect("the redirect server block")];
    let site = https_only
        .replace(
            "    listen 443 ssl;\n    listen [::]:443 ssl;\n",
            &format!("    listen 127.0.0.1:{port} ssl;\n"),
        )
        .replace("server_name console.example.com;", "server_name localhost;")
        .replace(
            "/etc/ssl/certs/console.example.com.pem",
            cert.to_str().unwrap(),
        )
        .replace(
            "/etc/ssl/private/console.example.com.key",
            key.to_str().unwrap(),
        )
        .replace(
            "proxy_pass http://127.0.0.1:8080;",
            &format!("proxy_pass http://127.0.0.1:{proxy_port};"),
        );
    for changed in [
        format!("listen 127.0.0.1:{port} ssl;"),
        format!("proxy_pass http://127.0.0.1:{proxy_port};"),
        cert.display().to_string(),
    ] {
        assert!(
            site.contains(&changed),
            "the shipped file changed shape: {changed}"
        );
    }
    site
}

fn start_nginx(dir: &Path, site: &str, port: u16) -> Nginx {
    std::fs::write(dir.join("cloudpane.conf"), site).unwrap();
    let d = dir.display();
    let conf = format!(
        "daemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  \
         proxy_temp_path {d}/proxy;\n  include {d}/cloudpane.conf;\n}}\n"
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let nginx = ["/usr/sbin/nginx", "nginx"]
        .into_iter()
        .find(|p| Command::new(p).arg("-v").output().is_ok())
        .expect("nginx is not installed: run scripts/bootstrap.sh");
    let child = Command::new(nginx)
        .args(["-c", dir.join("nginx.conf").to_str().unwrap()])
        .args(["-e", dir.join("error.log").to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("nginx starts");
    let nginx = Nginx(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "nginx did not listen on {port} within 10 s: {}",
            std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    nginx
}

#[tokio::test(flavor = "multi_thread")]
async fn the_console_works_under_a_prefix_behind_nginx_with_tls() {
    let scratch = Scratch::new();
    let (cert, key, spki) = make_certificate(&scratch.0);
    let port = free_port();
    let origin = format!("https://localhost:{port}");

    let sandbox = start_sandbox();
    let proxy = start_proxy(
        &sandbox.url,
        &[
            "--base-path".into(),
            PREFIX.into(),
            "--allow-origin".into(),
            origin.clone(),
        ],
    );
    let _nginx = start_nginx(
        &scratch.0,
        &nginx_site(port, &cert, &key, port_of(&proxy)),
        port,
    );

    // Over TLS, with that certificate as the only one trusted: the probe and the prefix.
    let https = reqwest::Client::builder()
        .add_root_certificate(
            reqwest::Certificate::from_pem(&std::fs::read(&cert).unwrap()).unwrap(),
        )
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let ready = https
        .get(format!("{origin}{PREFIX}/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let bare = https.get(format!("{origin}{PREFIX}")).send().await.unwrap();
    assert_eq!(bare.status(), 308);
    let location = bare.headers()["location"].to_str().unwrap();
    assert!(location.ends_with(&format!("{PREFIX}/")), "{location}");

    let browser =
        Browser::start_with(&[&format!("--ignore-certificate-errors-spki-list={spki}")]).await;
    browser
        .open(&format!("{origin}{PREFIX}/"), "Machines")
        .await;
    // The demo badge: the app read its configuration under the prefix...
    browser.wait_for_text(".top-bar", "Demo", WAIT).await;
    // ...and every provider's machines came browser -> nginx -> proxy -> sandbox and back.
    for name in [
        "train-llama-8b",
        "pretrain-cluster",
        "edge-fra-01",
        "postgres-primary",
    ] {
        browser.wait_for_text("tbody tr", name, WAIT).await;
    }

    // The navigation stays under the prefix (the router's base)...
    browser.go_to_area("Locations").await;
    browser.wait_for_text("h1", "Locations", WAIT).await;
    let at = browser.client.current_url().await.unwrap();
    assert_eq!(at.path(), format!("{PREFIX}/locations"));
    browser.wait_for_text("tbody tr", "", WAIT).await;
    // ...and so do the pages' own links: back to a machine's page from the table.
    browser
        .open(&format!("{origin}{PREFIX}/machines"), "Machines")
        .await;
    browser.wait_for_text("tbody tr", "edge-fra-01", WAIT).await;
    browser
        .click(Locator::XPath("//tbody//a[contains(., 'edge-fra-01')]"))
        .await;
    let detail = format!("{PREFIX}/machines/netactuate/");
    let deadline = Instant::now() + WAIT;
    loop {
        let at = browser.client.current_url().await.unwrap();
        if at.path().starts_with(&detail) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the link led to {at}, not under {detail}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.wait_for_text("main", "edge-fra-01", WAIT).await;
    // A reload of that deep link comes back through nginx and the proxy.
    browser.reload().await;
    browser.wait_for_text("h1", "Machine", WAIT).await;
    browser.wait_for_text("main", "edge-fra-01", WAIT).await;
    browser.close().await;
}
