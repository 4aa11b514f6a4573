//! Instant VMs: list (paged), get, rename and tag, power, terminate.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::bearer;
use crate::money::lenient_money;
use crate::request::{ApiRequest, Method};
use crate::url::path;
use crate::{Money, PageRequest};

/// The most VMs `GET /api/v1/virtual-machines/` returns in one page.
pub const VMS_PAGE_MAX: u32 = 100;

/// An instant VM as `GET /api/v1/virtual-machines/{id}` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vm {
    pub id: String,
    #[serde(default)]
    pub hostnode_id: Option<String>,
    /// `ondem`, `spot` or `subscription`.
    #[serde(rename = "type", default)]
    pub vm_type: Option<String>,
    /// `Running`, `Stopped`, `StoppedDisassociated`, `Terminated`, `Outbid`, `Relocating`.
    pub status: String,
    pub name: String,
    #[serde(default)]
    pub resources: Option<VmResources>,
    #[serde(default)]
    pub operating_system: Option<String>,
    #[serde(default)]
    pub pricing: Option<VmPricing>,
    /// `null` for a stopped VM in live answers (Aug 2026).
    #[serde(default)]
    pub public_ip: Option<String>,
    /// The VM's address inside the provider's network: in live answers (Aug 2026), not in the
    /// document.
    #[serde(default)]
    pub internal_ip: Option<String>,
    /// `null` in live answers (Aug 2026) for a stopped VM.
    #[serde(default, deserialize_with = "crate::nullable::null_as_default")]
    pub port_forwards: Vec<PortForward>,
    #[serde(default)]
    pub timestamp_creation: Option<String>,
    /// `null` in live answers (Aug 2026) for a VM never tagged.
    #[serde(default, deserialize_with = "crate::nullable::null_as_default")]
    pub tags: Vec<String>,
}

/// What a VM holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmResources {
    #[serde(default)]
    pub gpus: std::collections::BTreeMap<String, super::GpuCount>,
    #[serde(default)]
    pub vcpu_count: u64,
    #[serde(default)]
    pub ram_gb: u64,
    #[serde(default)]
    pub storage_gb: u64,
}

/// A VM's price per hour, broken down. The document's example holds `"text"` here: a value
/// that is not an amount is kept as unknown rather than failing the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmPricing {
    #[serde(default, with = "lenient_money")]
    pub gpus_per_hr: Option<Money>,
    /// Spelled `vcpu_per_hr` in live answers (Aug 2026); either spelling is read.
    #[serde(default, alias = "vcpu_per_hr", with = "lenient_money")]
    pub vcpus_per_hr: Option<Money>,
    #[serde(default, with = "lenient_money")]
    pub ram_per_hr: Option<Money>,
    #[serde(default, with = "lenient_money")]
    pub storage_per_hr: Option<Money>,
    /// What the VM costs while it holds its resources (running, or stopped without release).
    #[serde(default, with = "lenient_money")]
    pub total_associated_per_hr: Option<Money>,
    /// What it costs once stopped and released (storage only).
    #[serde(default, with = "lenient_money")]
    pub total_disassociated_per_hr: Option<Money>,
}

/// An external port forwarded to a port of the VM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortForward {
    pub internal_port: u16,
    pub external_port: u16,
}

impl Vm {
    /// The external port forwarded to the VM's SSH port (22), if any.
    pub fn ssh_port(&self) -> Option<u16> {
        self.port_forwards
            .iter()
            .find(|p| p.internal_port == 22)
            .map(|p| p.external_port)
    }
}

/// The power states a VM can be asked for (`PUT .../power-status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VmPower {
    Started,
    Stopped,
    /// Stopped, with GPUs, vCPUs and RAM released: billed for storage only.
    StoppedDisassociated,
}

/// The body of a rename / retag (`PATCH`), for VMs and bare-metal rentals alike. A field left
/// `None` is not sent, so the provider keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DetailsPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

/// `GET /api/v1/virtual-machines/`: one page of the organization's VMs.
pub fn list_vms(token: &str, page: PageRequest) -> ApiRequest {
    bearer(Method::Get, "/api/v1/virtual-machines/", token)
        .query("limit", page.limit.clamp(1, VMS_PAGE_MAX))
        .query("offset", page.offset)
}

/// `GET /api/v1/virtual-machines/{id}`.
pub fn get_vm(token: &str, id: &str) -> ApiRequest {
    bearer(
        Method::Get,
        path("/api/v1/virtual-machines/{}", &[id]),
        token,
    )
}

/// `PATCH /api/v1/virtual-machines/{id}`: rename and/or retag.
pub fn update_vm(token: &str, id: &str, patch: &DetailsPatch) -> ApiRequest {
    bearer(
        Method::Patch,
        path("/api/v1/virtual-machines/{}", &[id]),
        token,
    )
    .json_body(patch)
}

/// `PUT /api/v1/virtual-machines/{id}/power-status`.
pub fn set_vm_power(token: &str, id: &str, power: VmPower) -> ApiRequest {
    bearer(
        Method::Put,
        path("/api/v1/virtual-machines/{}/power-status", &[id]),
        token,
    )
    .json_body(&serde_json::json!({ "status": power }))
}

/// `DELETE /api/v1/virtual-machines/{id}`: terminate (202, no content).
pub fn terminate_vm(token: &str, id: &str) -> ApiRequest {
    bearer(
        Method::Delete,
        path("/api/v1/virtual-machines/{}", &[id]),
        token,
    )
}

/// Reads one VM object, keeping the provider's JSON as it came.
pub fn read_vm(raw: Value) -> Result<(Vm, Value), String> {
    let vm = Vm::deserialize(&raw).map_err(|e| format!("a virtual machine: {e}"))?;
    Ok((vm, raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Page, Provider};

    /// The response example of `GET /api/v1/virtual-machines/` in the document.
    pub const DOC_LIST: &str = r#"{
      "results": [{
          "id": "123e4567-e89b-12d3-a456-426614174000",
          "hostnode_id": "123e4567-e89b-12d3-a456-426614174000",
          "type": "ondem", "status": "Running", "name": "text",
          "resources": {"gpus": {"h100-sxm5-80gb": {"count": 1}}, "vcpu_count": 4, "ram_gb": 16, "storage_gb": 40},
          "operating_system": "Ubuntu 20.04 LTS",
          "pricing": {"gpus_per_hr": "text", "vcpus_per_hr": "text", "ram_per_hr": "text", "storage_per_hr": "text",
                      "total_associated_per_hr": "text", "total_disassociated_per_hr": "text"},
          "public_ip": "text",
          "port_forwards": [{"internal_port": 22, "external_port": 20040}],
          "timestamp_creation": "2025-05-16T08:45:32.108Z",
          "tags": ["text"]
      }],
      "total_result_count": 1, "has_previous": true, "has_next": true
    }"#;

    #[test]
    fn parses_the_documented_list_example() {
        let page: Page<Value> = serde_json::from_str(DOC_LIST).unwrap();
        let (vm, raw) = read_vm(page.results[0].clone()).unwrap();
        assert_eq!(vm.status, "Running");
        assert_eq!(vm.ssh_port(), Some(20040));
        assert_eq!(vm.resources.unwrap().gpus["h100-sxm5-80gb"].count, 1);
        // "text" is not an amount: unknown, not an error.
        assert_eq!(vm.pricing.unwrap().total_associated_per_hr, None);
        assert_eq!(raw["operating_system"], "Ubuntu 20.04 LTS");
    }

    /// A VM as live answers (Aug 2026) have it: `internal_ip`, `vcpu_per_hr`, decimal-string
    /// prices, and `null` for `tags`, `port_forwards` and a stopped VM's `public_ip`.
    #[test]
    fn reads_the_live_shape_of_a_stopped_vm() {
        let raw = serde_json::json!({
            "id": "vm-live", "hostnode_id": "h-1", "type": "ondem", "status": "Stopped",
            "name": "train-live",
            "resources": {"gpus": {"h100-sxm5-80gb": {"count": 8}}, "vcpu_count": 208, "ram_gb": 1800,
                          "storage_gb": 14000},
            "operating_system": "TensorML 24 Everything",
            "pricing": {"gpus_per_hr": "15.120000", "vcpu_per_hr": "0.000000", "ram_per_hr": "0.000000",
                        "storage_per_hr": "0.150000", "total_associated_per_hr": "15.270000",
                        "total_disassociated_per_hr": "0.150000"},
            "public_ip": null, "internal_ip": "10.21.0.14", "port_forwards": null,
            "timestamp_creation": "2026-08-03T10:00:00Z", "tags": null
        });
        let (vm, _) = read_vm(raw).unwrap();
        assert_eq!(vm.public_ip, None);
        assert_eq!(vm.internal_ip.as_deref(), Some("10.21.0.14"));
        assert!(vm.port_forwards.is_empty() && vm.tags.is_empty());
        assert_eq!(vm.ssh_port(), None);
        let pricing = vm.pricing.unwrap();
        assert_eq!(pricing.vcpus_per_hr, Money::parse("0"));
        assert_eq!(pricing.total_associated_per_hr, Money::parse("15.27"));
        assert_eq!(
            vm.operating_system.as_deref(),
            Some("TensorML 24 Everything")
        );
        // The document's spelling still reads.
        let (doc, _) = read_vm(
            serde_json::json!({"id": "v", "status": "Running", "name": "n",
            "pricing": {"vcpus_per_hr": "0.003000"}}),
        )
        .unwrap();
        assert_eq!(doc.pricing.unwrap().vcpus_per_hr, Money::parse("0.003"));
    }

    #[test]
    fn requests_match_the_document() {
        let list = list_vms("tok", PageRequest::first(500));
        assert_eq!(list.provider, Provider::VoltagePark);
        assert_eq!(
            list.path_and_query(),
            "/api/v1/virtual-machines/?limit=100&offset=0"
        );
        assert!(list
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));

        let id = "123e4567-e89b-12d3-a456-426614174000";
        assert_eq!(
            get_vm("tok", id).path,
            format!("/api/v1/virtual-machines/{id}")
        );

        let patch = update_vm(
            "tok",
            id,
            &DetailsPatch {
                name: Some("text".into()),
                tags: Some(vec!["text".into()]),
            },
        );
        assert_eq!(patch.method, Method::Patch);
        let body: Value = serde_json::from_str(patch.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, serde_json::json!({"name": "text", "tags": ["text"]}));
        let only_tags = update_vm(
            "tok",
            id,
            &DetailsPatch {
                name: None,
                tags: Some(vec![]),
            },
        );
        assert_eq!(only_tags.body.as_deref(), Some(r#"{"tags":[]}"#));

        for (power, word) in [
            (VmPower::Started, "started"),
            (VmPower::Stopped, "stopped"),
            (VmPower::StoppedDisassociated, "stopped_disassociated"),
        ] {
            let req = set_vm_power("tok", id, power);
            assert_eq!(req.method, Method::Put);
            assert_eq!(
                req.path,
                format!("/api/v1/virtual-machines/{id}/power-status")
            );
            assert_eq!(
                req.body.as_deref(),
                Some(format!(r#"{{"status":"{word}"}}"#).as_str())
            );
        }
        let del = terminate_vm("tok", id);
        assert_eq!(del.method, Method::Delete);
        assert!(del.body.is_none());
    }
}
