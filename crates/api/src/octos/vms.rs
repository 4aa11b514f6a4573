//! `GET /backend/api/virtual-machines`: the account's VMs.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::bearer;
use crate::request::{ApiRequest, Method};

/// `GET /backend/api/virtual-machines` (octos-cloud-api-setup.txt, "Authenticating requests").
pub fn list_vms(token: &str) -> ApiRequest {
    bearer(Method::Get, "/backend/api/virtual-machines", token)
}

/// An Octos VM. The document does not describe the object: `id`, `name`, `status`, `ip`,
/// `project` are assumed (NOTES.md); every other field is kept in the raw JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OctosVm {
    #[serde(deserialize_with = "crate::ids::string_or_number")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

/// Reads one VM object, keeping the provider's JSON as it came.
pub fn read_vm(raw: Value) -> Result<(OctosVm, Value), String> {
    let vm = OctosVm::deserialize(&raw).map_err(|e| format!("an Octos VM: {e}"))?;
    Ok((vm, raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::octos::Envelope;
    use crate::Provider;

    #[test]
    fn request_and_envelope() {
        let req = list_vms("tok");
        assert_eq!(req.provider, Provider::Octos);
        assert_eq!(req.path, "/backend/api/virtual-machines");
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
        let body = r#"{"status":"Success","message":"Ok","data":[{"id":7,"name":"web-1","status":"Running",
            "ip":"198.51.100.4","project":"production","vcpus":4,"created_at":"2025-01-02T03:04:05Z"}]}"#;
        let env: Envelope<Vec<Value>> = serde_json::from_str(body).unwrap();
        let (vm, raw) = read_vm(env.data[0].clone()).unwrap();
        assert_eq!(vm.id, "7");
        assert_eq!(vm.project.as_deref(), Some("production"));
        assert_eq!(raw["vcpus"], 4);
    }
}
