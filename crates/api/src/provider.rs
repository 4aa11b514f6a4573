//! The three providers cloudpane talks to.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A provider, named as it appears in proxy routes (`/proxy/{provider}/...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    VoltagePark,
    NetActuate,
    Octos,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::VoltagePark, Provider::NetActuate, Provider::Octos];

    /// The route name used by the proxy and the sandbox.
    pub fn slug(self) -> &'static str {
        match self {
            Provider::VoltagePark => "voltagepark",
            Provider::NetActuate => "netactuate",
            Provider::Octos => "octos",
        }
    }

    /// The name a user knows the provider by.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::VoltagePark => "Voltage Park",
            Provider::NetActuate => "NetActuate",
            Provider::Octos => "Octos Cloud",
        }
    }

    /// The provider's real API origin (see provider-docs/NOTES.md).
    pub fn default_base_url(self) -> &'static str {
        match self {
            Provider::VoltagePark => "https://cloud-api.voltagepark.com",
            Provider::NetActuate => "https://api.netactuate.com",
            Provider::Octos => "https://cloud.octosinfra.com",
        }
    }

    /// The token the built-in sandbox accepts for this provider.
    pub fn demo_token(self) -> &'static str {
        match self {
            Provider::VoltagePark => "demo-voltagepark",
            Provider::NetActuate => "demo-netactuate",
            Provider::Octos => "demo-octos",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// A provider name that is not one of the three.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown provider `{0}` (expected voltagepark, netactuate or octos)")]
pub struct UnknownProvider(pub String);

impl FromStr for Provider {
    type Err = UnknownProvider;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Provider::ALL
            .into_iter()
            .find(|p| p.slug() == s)
            .ok_or_else(|| UnknownProvider(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_parse_back() {
        for p in Provider::ALL {
            assert_eq!(p.slug().parse::<Provider>().unwrap(), p);
            assert_eq!(serde_json::to_value(p).unwrap(), p.slug());
        }
        assert!("aws".parse::<Provider>().is_err());
    }
}
