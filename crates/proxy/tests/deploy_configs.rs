//! The proxy settings shipped in deploy/ (the systemd unit's proxy.toml, the Kubernetes
//! ConfigMap's) are ones the proxy accepts, with the paths that exist only on a real install
//! given by flags (flags win over the file). scripts/check-deploy.sh checks the rest of deploy/.

mod common;

use std::path::{Path, PathBuf};

use cloudpane_proxy::Config;
use common::temp_dir;

fn deploy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy")
}

/// The settings in `toml`, with `--dist` and `--access-key-file` pointing at files made here.
fn load(name: &str, toml: &str) -> Config {
    let dir = temp_dir(name);
    let file = dir.join("proxy.toml");
    std::fs::write(&file, toml).unwrap();
    let key = dir.join("access-key");
    std::fs::write(&key, "deploy-test-access-key-0123456789").unwrap();
    let config = Config::from_args([
        "cloudpane-proxy",
        "--config",
        file.to_str().unwrap(),
        "--dist",
        dir.to_str().unwrap(),
        "--access-key-file",
        key.to_str().unwrap(),
    ])
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    std::fs::remove_dir_all(dir).ok();
    config
}

#[test]
fn the_systemd_units_settings_are_accepted() {
    let toml = std::fs::read_to_string(deploy_dir().join("systemd/proxy.toml")).unwrap();
    let config = load("systemd", &toml);
    assert_eq!(config.base_path, "/tools/cloudpane");
    assert!(config.listen.ip().is_loopback());
    assert_eq!(
        config.metrics_listen,
        Some("127.0.0.1:9091".parse().unwrap())
    );
    assert_eq!(config.allow_origins, ["https://console.example.com"]);
}

#[test]
fn the_kubernetes_configmaps_settings_are_accepted() {
    let yaml = std::fs::read_to_string(deploy_dir().join("kubernetes/configmap.yaml")).unwrap();
    // The block under `proxy.toml: |`, its indentation taken off.
    let mut lines = yaml
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("proxy.toml: |"));
    let header = lines.next().expect("a proxy.toml block");
    let indent = header.len() - header.trim_start().len() + 2;
    let toml: String = lines
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= indent)
        .map(|l| format!("{}\n", l.get(indent..).unwrap_or("")))
        .collect();
    let config = load("kubernetes", &toml);
    assert_eq!(config.base_path, "/tools/cloudpane");
    assert!(config.listen.ip().is_unspecified());
    assert_eq!(config.metrics_listen, Some("0.0.0.0:9091".parse().unwrap()));
    assert!(config.access_key.is_some());
    let deployment =
        std::fs::read_to_string(deploy_dir().join("kubernetes/deployment.yaml")).unwrap();
    for probe in [
        "path: /healthz",
        "path: /readyz",
        "containerPort: 8080",
        "containerPort: 9091",
    ] {
        assert!(deployment.contains(probe), "the Deployment has {probe}");
    }
}
