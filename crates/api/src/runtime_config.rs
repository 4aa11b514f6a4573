//! The small JSON document the proxy serves at [`RUNTIME_CONFIG_PATH`] and the app reads at start.

use serde::{Deserialize, Serialize};

use crate::Provider;

/// Where the proxy serves the runtime configuration, relative to the app's origin.
pub const RUNTIME_CONFIG_PATH: &str = "/cloudpane-config.json";

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
    fn missing_optional_fields_default_to_off() {
        let config: RuntimeConfig =
            serde_json::from_str(r#"{"route_prefix":"/proxy","providers":["octos"]}"#).unwrap();
        assert!(!config.demo && !config.access_key_required && config.demo_accounts.is_empty());
    }
}
