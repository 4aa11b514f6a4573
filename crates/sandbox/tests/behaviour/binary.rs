use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Starts the real binary on port 0, reads the printed address, calls it, stops it with SIGTERM.
#[tokio::test]
async fn binary_prints_its_address_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudpane-sandbox"))
        .args(["--listen", "127.0.0.1:0", "--frozen-clock"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    });
    let line = tokio::time::timeout(Duration::from_secs(20), line)
        .await
        .expect("prints in time")
        .unwrap()
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("cloudpane-sandbox listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_string();
    assert!(
        base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
        "{base}"
    );

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .build()
        .unwrap();
    let r = client
        .get(format!("{base}/voltagepark/api/v1/locations/"))
        .bearer_auth("demo-voltagepark")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "clean exit on SIGTERM: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("did not stop on SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Flags with a bound are refused before the sandbox starts.
#[test]
fn binary_refuses_more_than_20000_extra_vms() {
    let out = Command::new(env!("CARGO_BIN_EXE_cloudpane-sandbox"))
        .args(["--listen", "127.0.0.1:0", "--extra-vms", "20001"])
        .output()
        .expect("binary runs");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "no listening line");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--extra-vms"), "{stderr}");
}

/// `--drop` closes the chosen request's connection with no answer, quietly.
#[tokio::test]
async fn binary_drops_the_connection_named_by_the_flag() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudpane-sandbox"))
        .args(["--listen", "127.0.0.1:0", "--frozen-clock"])
        .args(["--drop", "GET /voltagepark/api/v1/locations=before"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    });
    let line = tokio::time::timeout(Duration::from_secs(20), line)
        .await
        .expect("prints in time")
        .unwrap()
        .unwrap();
    let base = line.trim().rsplit(' ').next().unwrap().to_string();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .build()
        .unwrap();
    let dropped = client
        .get(format!("{base}/voltagepark/api/v1/locations/"))
        .bearer_auth("demo-voltagepark")
        .send()
        .await;
    assert!(dropped.is_err(), "{dropped:?}");
    let other = client
        .get(format!("{base}/voltagepark/api/v1/virtual-machines/"))
        .bearer_auth("demo-voltagepark")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.trim().is_empty(), "nothing printed: {stderr}");
}

/// `--shapes` picks the reading: each mode answers the same request its own way, and an unknown
/// mode is refused before the sandbox starts.
#[tokio::test]
async fn binary_answers_in_the_shapes_named_by_the_flag() {
    let out = Command::new(env!("CARGO_BIN_EXE_cloudpane-sandbox"))
        .args(["--listen", "127.0.0.1:0", "--shapes", "recorded"])
        .output()
        .expect("binary runs");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "no listening line");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("document-only") && stderr.contains("live"),
        "{stderr}"
    );

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .build()
        .unwrap();
    // (mode, status of the current catalogue, JSON type of a bare-metal price)
    for (mode, catalogue, price_is_string) in [
        ("document", 200, false),
        ("document-only", 404, false),
        ("live", 200, true),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cloudpane-sandbox"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--frozen-clock",
                "--shapes",
                mode,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("binary starts");
        let stdout = child.stdout.take().unwrap();
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).map(|_| line)
        });
        let line = tokio::time::timeout(Duration::from_secs(20), line)
            .await
            .expect("prints in time")
            .unwrap()
            .unwrap();
        let base = line.trim().rsplit(' ').next().unwrap().to_string();
        let current = client
            .get(format!(
                "{base}/voltagepark/api/v1/virtual-machines/instant/locations"
            ))
            .bearer_auth("demo-voltagepark")
            .send()
            .await
            .unwrap();
        assert_eq!(current.status(), catalogue, "{mode}");
        let sites: serde_json::Value = client
            .get(format!("{base}/voltagepark/api/v1/bare-metal/locations"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            sites["results"][0]["gpu_price_ethernet"].is_string(),
            price_is_string,
            "{mode}: {sites}"
        );
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
