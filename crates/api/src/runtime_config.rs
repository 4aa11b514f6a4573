//! The small JSON document the proxy serves at [`RUNTIME_CONFIG_PATH`] and the app reads at start.

use serde::{Deserialize, Serialize};

use crate::Provider;

/// Where the proxy serves the runtime configuration, relative to the app's origin.
pub const RUNTIME_CONFIG_PATH: &str = "/cloudpane-config.json";

/// Where the app reads the runtime configuration of the proxy at `proxy_base` (its address as
/// the user gave it, perhaps with a path prefix; `""` for the proxy that served the app, whose
/// configuration is then beside the app, relative to the page's `<base href>`).
pub fn config_url(proxy_base: &str) -> String {
    let base = proxy_base.trim_end_matches('/');
    if base.is_empty() {
        RUNTIME_CONFIG_PATH.trim_start_matches('/').to_string()
    } else {
        format!("{base}{RUNTIME_CONFIG_PATH}")
    }
}

/// What goes before a proxy route (`{route_prefix}/{provider}/...`, the route prefix being a
/// path from the proxy's origin, its base path included): the origin of `proxy_base`, or `""`
/// for the proxy that served the app.
pub fn routes_origin(proxy_base: &str) -> &str {
    let Some(scheme_end) = proxy_base.find("://") else {
        return "";
    };
    let after = scheme_end + 3;
    match proxy_base[after..].find(['/', '?', '#']) {
        Some(path_start) => &proxy_base[..after + path_start],
        None => proxy_base,
    }
}

/// The header the browser sends the proxy's access key in, when the proxy requires one.
pub const ACCESS_KEY_HEADER: &str = "x-cloudpane-access-key";

/// What the proxy tells the app about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeConfig {
    /// Path prefix of the proxy routes, e.g. `/proxy`: a provider is reached at
    /// `{route_prefix}/{provider}/{path}`.
    pub route_prefix: String,
    /// The providers this proxy routes.
    pub providers: Vec<Provider>,
    /// Whether every proxied request must carry [`ACCESS_KEY_HEADER`].
    #[serde(default)]
    pub access_key_required: bool,
    /// True when the proxy points at the built-in sandbox and the app should offer the demo accounts.
    #[serde(default)]
    pub demo: bool,
    /// Ready-made accounts for the sandbox; empty unless `demo` is set.
    #[serde(default)]
    pub demo_accounts: Vec<DemoAccount>,
}

/// An account the demo signs in with; its token is one the sandbox accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub provider: Provider,
    pub name: String,
    pub token: String,
}

impl DemoAccount {
    /// The demo account for `provider`, holding the token the sandbox accepts for it.
    pub fn for_provider(provider: Provider) -> Self {
        DemoAccount {
            provider,
            name: "Demo".to_string(),
            token: provider.demo_token().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_config_round_trips_through_json() {
        let config = RuntimeConfig {
            route_prefix: "/proxy".into(),
            providers: Provider::ALL.to_vec(),
            access_key_required: false,
            demo: true,
            demo_accounts: Provider::ALL
                .iter()
                .map(|p| DemoAccount::for_provider(*p))
                .collect(),
        };
        let json = serde_json::to_value(&config).unwrap();
        assert_eq!(json["providers"][0], "voltagepark");
        assert_eq!(json["demo_accounts"][2]["token"], "demo-octos");
        let back: RuntimeConfig = serde_json::from_value(json).unwrap();
        assert_eq!(back, config);
    }

    #[test]
    fn the_configuration_and_the_routes_follow_the_proxys_address() {
        // Served by the proxy: beside the app, wherever its <base href> is.
        assert_eq!(config_url(""), "cloudpane-config.json");
        assert_eq!(routes_origin(""), "");
        // A proxy elsewhere, at the root or under a prefix: the route prefix it sends
        // (`/tools/cloudpane/proxy`) is a path from its origin, so only the origin goes before it.
        assert_eq!(
            config_url("https://proxy.example/tools/cloudpane/"),
            "https://proxy.example/tools/cloudpane/cloudpane-config.json"
        );
        assert_eq!(
            routes_origin("https://proxy.example/tools/cloudpane"),
            "https://proxy.example"
        );
        assert_eq!(
            routes_origin("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            config_url("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/cloudpane-config.json"
        );
    }

    #[test]
    fn missing_optional_fields_default_to_off() {
        let config: RuntimeConfig =
            serde_json::from_str(r#"{"route_prefix":"/proxy","providers":["octos"]}"#).unwrap();
        assert!(!config.demo && !config.access_key_required && config.demo_accounts.is_empty());
    }
}
