//! `GET /api/v3/servers`: the account's servers.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::bearer;
use crate::request::{ApiRequest, Method};

/// `GET /api/v3/servers` (netactuate-api-access.txt, "Quick Start").
pub fn list_servers(token: &str) -> ApiRequest {
    bearer(Method::Get, "/api/v3/servers", token)
}

/// The answer: `{"data": [server, ...]}` [assumed, NOTES.md]; servers stay raw JSON so fields
/// the model does not know are kept.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ServerList {
    pub data: Vec<Value>,
}

/// A server, with the fields public SDKs read (NOTES.md). The API gives no price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Server {
    /// The server's id (`mbpkgid`), a number or a string.
    #[serde(deserialize_with = "crate::ids::string_or_number")]
    pub mbpkgid: String,
    #[serde(default)]
    pub fqdn: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default)]
    pub ipv6: Option<String>,
    #[serde(default)]
    pub package: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    /// `RUNNING`, `TERMINATED`, ...
    #[serde(default)]
    pub status: Option<String>,
    /// Power: `running`, `stopped`, ...
    #[serde(default)]
    pub state: Option<String>,
}

/// Reads one server object, keeping the provider's JSON as it came.
pub fn read_server(raw: Value) -> Result<(Server, Value), String> {
    let server = Server::deserialize(&raw).map_err(|e| format!("a NetActuate server: {e}"))?;
    Ok((server, raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Provider;

    #[test]
    fn request_matches_the_quick_start() {
        let req = list_servers("tok");
        assert_eq!(req.provider, Provider::NetActuate);
        assert_eq!(req.path_and_query(), "/api/v3/servers");
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
    }

    #[test]
    fn reads_servers_with_numeric_ids() {
        let body = r#"{"data": [{"mbpkgid": 40213, "fqdn": "edge-fra-01.example", "os": "Debian 12 x64",
            "ip": "203.0.113.7", "ipv6": "2001:db8::7", "plan_id": 3, "package": "VR2x1x25", "city": "Frankfurt",
            "location_id": 23, "status": "RUNNING", "state": "running", "installed": 1}]}"#;
        let list: ServerList = serde_json::from_str(body).unwrap();
        let (s, raw) = read_server(list.data[0].clone()).unwrap();
        assert_eq!(s.mbpkgid, "40213");
        assert_eq!(s.status.as_deref(), Some("RUNNING"));
        assert_eq!(raw["plan_id"], 3);
    }
}
