//! `GET /api/v3/servers`: the account's servers.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::bearer;
use crate::request::{ApiRequest, Method};

/// `GET /api/v3/servers` (netactuate-api-access.txt, "Quick Start").
pub fn list_servers(token: &str) -> ApiRequest {
    bearer(Method::Get, "/api/v3/servers", token)
}

/// The answer: its servers, out of whichever envelope they came in (`{"data": [...]}` as
/// assumed in NOTES.md, v3's `{code, data: {data, meta}}`, v2's `{result, data}`, a bare array:
/// [`super::answer`]); servers stay raw JSON so fields the model does not know are kept.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerList {
    pub data: Vec<Value>,
}

impl<'de> Deserialize<'de> for ServerList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::answer::Items::deserialize(d).map(|items| ServerList { data: items.0 })
    }
}

impl super::ListAnswer for ServerList {
    fn item_count(&self) -> usize {
        self.data.len()
    }

    fn join(&mut self, later: Self) {
        self.data.extend(later.data);
    }
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
    /// Power: `UP`, `DOWN`, `running`, `stopped`, ...
    #[serde(default)]
    pub state: Option<String>,
    /// The OS image's id. These five are in the public SDKs' server object (Go, Rust, Python,
    /// Terraform), a number or a string there, and absent or `null` on some servers.
    #[serde(default, deserialize_with = "crate::ids::optional_string_or_number")]
    pub os_id: Option<String>,
    /// The billing package the server is on.
    #[serde(default, deserialize_with = "crate::ids::optional_string_or_number")]
    pub package_billing: Option<String>,
    /// The usage contract it is billed under (a number in the SDKs).
    #[serde(default, deserialize_with = "crate::ids::optional_string_or_number")]
    pub contract_id: Option<String>,
    #[serde(default, deserialize_with = "crate::ids::optional_string_or_number")]
    pub cloud_pool_id: Option<String>,
    #[serde(default, deserialize_with = "crate::ids::optional_string_or_number")]
    pub vpc_id: Option<String>,
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
        // Absent, the SDKs' extra fields are simply unknown.
        assert_eq!((s.os_id, s.contract_id, s.vpc_id), (None, None, None));
    }

    #[test]
    fn reads_the_sdks_server_object_in_the_v3_envelope() {
        // The server as NetActuate's public SDKs (Go `gona`, Rust, Python) and its Terraform
        // provider read it: `os_id`, `package_billing`, `contract_id` (a number),
        // `cloud_pool_id`, `vpc_id`, `status` "RUNNING" and `state` "UP".
        let body = r#"{"code":200,"message":"OK","data":{"meta":{"limit":25,"offset":0,"total":2},"data":[
            {"mbpkgid":"40214","fqdn":"edge-ams-02.example","os":"Ubuntu 24.04","os_id":145,"ip":"198.51.100.20",
             "ipv6":null,"package":"VR4x2x50","package_billing":"Usage Billing","contract_id":7731,
             "cloud_pool_id":12,"vpc_id":null,"city":"Amsterdam","location_id":4,"status":"RUNNING","state":"UP","installed":1},
            {"mbpkgid":40215,"fqdn":null,"os_id":"145","contract_id":null,"status":"TERMINATED","state":"DOWN"}]}}"#;
        let list: ServerList = serde_json::from_str(body).unwrap();
        assert_eq!(list.data.len(), 2);
        let (s, _) = read_server(list.data[0].clone()).unwrap();
        assert_eq!(s.mbpkgid, "40214");
        assert_eq!(s.os_id.as_deref(), Some("145"));
        assert_eq!(s.package_billing.as_deref(), Some("Usage Billing"));
        assert_eq!(s.contract_id.as_deref(), Some("7731"));
        assert_eq!(s.cloud_pool_id.as_deref(), Some("12"));
        assert_eq!(s.vpc_id, None);
        assert_eq!(s.ipv6, None);
        assert_eq!(
            (s.status.as_deref(), s.state.as_deref()),
            (Some("RUNNING"), Some("UP"))
        );
        let (t, _) = read_server(list.data[1].clone()).unwrap();
        assert_eq!(t.os_id.as_deref(), Some("145"));
        assert_eq!((t.fqdn, t.contract_id), (None, None));
        // v2's `{result, data}` and a bare array are lists of servers too.
        for body in [
            r#"{"result":"success","message":null,"meta":[],"data":[{"mbpkgid":1}]}"#,
            r#"[{"mbpkgid":1}]"#,
        ] {
            let list: ServerList = serde_json::from_str(body).unwrap();
            assert_eq!(list.data.len(), 1, "{body}");
        }
    }
}
