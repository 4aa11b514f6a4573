//! Rule: every setting from flags, environment and a TOML file; `--help` describes each; a bad
//! configuration is refused at start naming the setting. And the runtime configuration JSON.

mod common;

use std::time::Duration;

use cloudpane_proxy::Config;
use common::{binary, client, proxy, temp_dir};

const SETTINGS: &[&str] = &[
    "listen",
    "dist",
    "upstream",
    "allow-origin",
    "allow-private-upstreams",
    "access-key-file",
    "demo",
    "config",
    "max-request-body",
    "connect-timeout",
    "read-timeout",
    "total-timeout",
    "max-concurrent-requests",
    "rate-limit-per-minute",
    "shutdown-grace",
    "log-format",
];

#[test]
fn help_describes_every_setting_and_its_environment_variable() {
    let (code, help, _) = binary::run(&["--help"], &[]);
    assert_eq!(code, 0);
    for setting in SETTINGS {
        assert!(
            help.contains(&format!("--{setting}")),
            "--help lacks --{setting}"
        );
        let env = format!(
            "CLOUDPANE_PROXY_{}",
            setting.to_uppercase().replace('-', "_")
        );
        assert!(help.contains(&env), "--help lacks {env}");
    }
}

type Env = Vec<(&'static str, &'static str)>;

#[test]
fn bad_settings_are_refused_at_start_by_name() {
    let dir = temp_dir("bad-config");
    let typo = dir.join("typo.toml");
    std::fs::write(&typo, "listne = \"127.0.0.1:0\"\n").unwrap();
    let short_key = dir.join("key");
    std::fs::write(&short_key, "short\n").unwrap();
    let cases: Vec<(Vec<String>, Env, &str)> = vec![
        (
            vec!["--listen".into(), "nonsense".into()],
            vec![],
            "`listen`",
        ),
        (
            vec!["--upstream".into(), "aws=https://aws.example".into()],
            vec![],
            "`upstream`",
        ),
        (
            vec!["--upstream".into(), "octos=http://plain.example".into()],
            vec![],
            "`upstream`",
        ),
        (
            vec!["--max-request-body".into(), "lots".into()],
            vec![],
            "`max_request_body`",
        ),
        (
            vec!["--dist".into(), "/nonexistent/dist".into()],
            vec![],
            "`dist`",
        ),
        (
            vec!["--allow-origin".into(), "*".into()],
            vec![],
            "`allow_origin`",
        ),
        (
            vec!["--access-key-file".into(), short_key.display().to_string()],
            vec![],
            "`access_key_file`",
        ),
        (
            vec!["--config".into(), typo.display().to_string()],
            vec![],
            "listne",
        ),
        (
            vec![],
            vec![("CLOUDPANE_PROXY_READ_TIMEOUT", "soon")],
            "`read_timeout`",
        ),
        (
            vec![],
            vec![("CLOUDPANE_PROXY_LISTEN", "0.0.0.0:0")],
            "--access-key-file",
        ),
    ];
    for (args, env, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stdout, stderr) = binary::run(&args, &env);
        assert_eq!(code, 2, "{args:?} {env:?} should be refused: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: nothing printed on stdout");
        assert!(
            stderr.contains(expected),
            "{args:?} {env:?}: `{expected}` not named in: {stderr}"
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_toml_file_is_read_and_flags_override_it() {
    let dir = temp_dir("toml");
    let file = dir.join("proxy.toml");
    std::fs::write(
        &file,
        r#"
listen = "127.0.0.1:9999"
allow_private_upstreams = true
allow_origin = ["https://console.example.com"]
demo = true
max_request_body = "1MiB"
connect_timeout = "2s"
read_timeout = "250ms"
total_timeout = "1m"
max_concurrent_requests = 8
rate_limit_per_minute = 60
shutdown_grace = "5s"
log_format = "json"

[upstream]
octos = "http://127.0.0.1:9090/octos"
"#,
    )
    .unwrap();
    let path = file.display().to_string();
    let config = Config::from_args([
        "cloudpane-proxy",
        "--config",
        &path,
        "--max-concurrent-requests",
        "4",
    ])
    .unwrap();
    assert_eq!(config.listen.port(), 9999);
    assert!(config.allow_private_upstreams && config.demo);
    assert_eq!(config.allow_origins, ["https://console.example.com"]);
    assert_eq!(config.max_request_body, 1 << 20);
    assert_eq!(config.connect_timeout, Duration::from_secs(2));
    assert_eq!(config.read_timeout, Duration::from_millis(250));
    assert_eq!(config.total_timeout, Duration::from_secs(60));
    assert_eq!(
        config.max_concurrent_requests, 4,
        "the flag wins over the file"
    );
    assert_eq!(config.rate_limit_per_minute, Some(60));
    assert_eq!(config.shutdown_grace, Duration::from_secs(5));
    assert_eq!(
        config.upstream(cloudpane_api::Provider::Octos).as_str(),
        "http://127.0.0.1:9090/octos"
    );
    assert_eq!(
        config
            .upstream(cloudpane_api::Provider::VoltagePark)
            .as_str(),
        "https://cloud-api.voltagepark.com/"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn environment_variables_configure_the_binary() {
    let env = [
        ("CLOUDPANE_PROXY_LISTEN", "127.0.0.1:0"),
        ("CLOUDPANE_PROXY_DEMO", "true"),
        ("CLOUDPANE_PROXY_ALLOW_PRIVATE_UPSTREAMS", "true"),
        (
            "CLOUDPANE_PROXY_UPSTREAM",
            "voltagepark=http://127.0.0.1:9/vp,octos=http://127.0.0.1:9/oc",
        ),
    ];
    let proxy = binary::start(&[], &env).await;
    let config: serde_json::Value = client()
        .get(format!("{}/cloudpane-config.json", proxy.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["demo"], true);
    proxy.sigterm();
    assert!(proxy.wait().await.0);
}

#[tokio::test]
async fn the_runtime_config_describes_the_proxy() {
    let plain = proxy(&[]).await;
    let response = client()
        .get(format!("{}/cloudpane-config.json", plain.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    let config: cloudpane_api::RuntimeConfig = response.json().await.unwrap();
    assert_eq!(config.route_prefix, "/proxy");
    assert_eq!(config.providers, cloudpane_api::Provider::ALL);
    assert!(!config.demo && !config.access_key_required && config.demo_accounts.is_empty());
    plain.shutdown().await.unwrap();

    let demo = proxy(&["--demo".to_string()]).await;
    let config: cloudpane_api::RuntimeConfig = client()
        .get(format!("{}/cloudpane-config.json", demo.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(config.demo);
    let tokens: Vec<_> = config
        .demo_accounts
        .iter()
        .map(|a| a.token.as_str())
        .collect();
    assert_eq!(
        tokens,
        ["demo-voltagepark", "demo-netactuate", "demo-octos"]
    );
    demo.shutdown().await.unwrap();
}
