//! Runs the real `cloudpane-proxy` binary.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct ProxyProcess {
    pub child: Child,
    pub url: String,
    /// The metrics URL, when the binary was started with a metrics address.
    pub metrics_url: Option<String>,
}

/// Starts the binary with `args` and `env`, and waits for its "listening on" line.
pub async fn start(args: &[String], env: &[(&str, &str)]) -> ProxyProcess {
    start_expecting(args, env, false).await
}

/// Starts the binary with a metrics address in `args`, `env` or its TOML file, and waits for
/// its "listening on" and "metrics on" lines.
pub async fn start_with_metrics(args: &[String], env: &[(&str, &str)]) -> ProxyProcess {
    start_expecting(args, env, true).await
}

async fn start_expecting(args: &[String], env: &[(&str, &str)], metrics: bool) -> ProxyProcess {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudpane-proxy"))
        .args(args)
        .envs(env.iter().copied())
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
        .await
        .expect("the proxy printed its address in time")
        .unwrap()
        .expect("a line on stdout");
    let url = line
        .strip_prefix("cloudpane-proxy listening on ")
        .expect(&line)
        .trim()
        .to_string();
    let metrics_url = if metrics {
        let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
            .await
            .expect("the proxy printed its metrics address in time")
            .unwrap()
            .expect("a second line on stdout");
        let url = line
            .strip_prefix("cloudpane-proxy metrics on ")
            .expect(&line);
        Some(url.trim().to_string())
    } else {
        None
    };
    ProxyProcess {
        child,
        url,
        metrics_url,
    }
}

impl ProxyProcess {
    pub fn sigterm(&self) {
        let pid = self.child.id().unwrap() as libc::pid_t;
        // SAFETY: sends a signal to the child this test started; no memory is involved.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    }

    /// Waits (bounded) for the process to exit and returns its success and its stderr.
    pub async fn wait(mut self) -> (bool, String) {
        let mut stderr = self.child.stderr.take().unwrap();
        let status = tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .expect("the proxy exited in time")
            .unwrap();
        let mut text = String::new();
        stderr.read_to_string(&mut text).await.unwrap();
        (status.success(), text)
    }
}

/// Runs the binary to completion (for flags that make it exit) and returns exit code, stdout
/// and stderr.
pub fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cloudpane-proxy"))
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}
