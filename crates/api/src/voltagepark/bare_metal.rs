//! Bare-metal rentals: list (paged), rename and tag, power, reboot nodes, terminate. There is no
//! endpoint for one rental: its page reads it from the list.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::bearer;
use crate::money::lenient_money;
use crate::request::{ApiRequest, Method};
use crate::url::path;
use crate::{Money, PageRequest};

pub use super::vms::DetailsPatch;

/// The most rentals `GET /api/v1/bare-metal/` returns in one page.
pub const RENTALS_PAGE_MAX: u32 = 100;

/// A bare-metal rental. A `Pending` rental carries only `id`, `name`, `creation_timestamp`,
/// `rate_hourly` and maybe `suborder` (live answers, Aug 2026: not even `status`); a running one
/// may hold `null` in `username`, `sub_order`, `storage_*`, `k8s_cluster_id`, `kubeconfig` and
/// `tags`. Everything but `id` and `name` is optional here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rental {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub creation_timestamp: Option<String>,
    /// `Pending`, `Running`, `Terminated`, `Failed`. A rental without one is taken as `Pending`:
    /// the only rentals captured without it were pending (live answers, Aug 2026). A guess.
    #[serde(default = "pending")]
    pub status: String,
    /// `Running` or `Stopped`.
    #[serde(default)]
    pub power_status: Option<String>,
    #[serde(default)]
    pub node_count: Option<u32>,
    #[serde(default)]
    pub specs_per_node: Option<NodeSpecs>,
    #[serde(default, with = "lenient_money")]
    pub rate_hourly: Option<Money>,
    /// `infiniband` or `ethernet`.
    #[serde(default)]
    pub network_type: Option<String>,
    /// The login name on every node.
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default, deserialize_with = "crate::nullable::null_as_default")]
    pub node_networking: Vec<NodeAddresses>,
    /// The document shows a string; deploys send an integer. Either is read. Spelled `suborder`
    /// in a pending rental of the live answers (Aug 2026).
    #[serde(
        default,
        alias = "suborder",
        deserialize_with = "crate::ids::optional_string_or_number"
    )]
    pub sub_order: Option<String>,
    #[serde(default)]
    pub storage_id: Option<String>,
    #[serde(default)]
    pub storage_pv: Option<String>,
    #[serde(default)]
    pub storage_pvc: Option<String>,
    #[serde(default)]
    pub k8s_cluster_id: Option<String>,
    /// A secret: show it masked.
    #[serde(default)]
    pub kubeconfig: Option<String>,
    /// `null` in live answers (Aug 2026) for a rental never tagged.
    #[serde(default, deserialize_with = "crate::nullable::null_as_default")]
    pub tags: Vec<String>,
}

fn pending() -> String {
    "Pending".to_string()
}

/// The hardware of each node of a rental.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSpecs {
    pub gpu_model: String,
    pub gpu_count: u32,
    #[serde(default)]
    pub cpu_model: Option<String>,
    #[serde(default)]
    pub cpu_count: Option<u32>,
    #[serde(default)]
    pub ram_gb: Option<u64>,
    #[serde(default)]
    pub storage_gb: Option<u64>,
}

/// One node's addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeAddresses {
    pub public_ip: String,
    #[serde(default)]
    pub private_ip: Option<String>,
}

/// The power states a rental can be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RentalPower {
    Started,
    Stopped,
}

/// `GET /api/v1/bare-metal/`: one page of the organization's rentals.
pub fn list_rentals(token: &str, page: PageRequest) -> ApiRequest {
    bearer(Method::Get, "/api/v1/bare-metal/", token)
        .query("limit", page.limit.clamp(1, RENTALS_PAGE_MAX))
        .query("offset", page.offset)
}

/// `PATCH /api/v1/bare-metal/{id}`: rename and/or retag.
pub fn update_rental(token: &str, id: &str, patch: &DetailsPatch) -> ApiRequest {
    bearer(Method::Patch, path("/api/v1/bare-metal/{}", &[id]), token).json_body(patch)
}

/// `PUT /api/v1/bare-metal/{id}/power-status`.
pub fn set_rental_power(token: &str, id: &str, power: RentalPower) -> ApiRequest {
    bearer(
        Method::Put,
        path("/api/v1/bare-metal/{}/power-status", &[id]),
        token,
    )
    .json_body(&serde_json::json!({ "status": power }))
}

/// `POST /api/v1/bare-metal/{id}/reboot`: reboots the nodes with these public addresses; the
/// rental goes `Pending` until they are back.
pub fn reboot_nodes(token: &str, id: &str, public_ips: &[String]) -> ApiRequest {
    bearer(
        Method::Post,
        path("/api/v1/bare-metal/{}/reboot", &[id]),
        token,
    )
    .json_body(&serde_json::json!({ "public_ips": public_ips }))
}

/// `DELETE /api/v1/bare-metal/{id}`: terminate (202, no content).
pub fn terminate_rental(token: &str, id: &str) -> ApiRequest {
    bearer(Method::Delete, path("/api/v1/bare-metal/{}", &[id]), token)
}

/// Reads one rental object, keeping the provider's JSON as it came.
pub fn read_rental(raw: Value) -> Result<(Rental, Value), String> {
    let rental = Rental::deserialize(&raw).map_err(|e| format!("a bare-metal rental: {e}"))?;
    Ok((rental, raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Page;

    /// The response example of `GET /api/v1/bare-metal/` in the document.
    pub const DOC_LIST: &str = r#"{
      "results": [{
          "id": "123e4567-e89b-12d3-a456-426614174000", "name": "text",
          "creation_timestamp": "2022-01-01T00:00:00Z", "status": "Running", "power_status": "Running",
          "node_count": 1,
          "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8, "cpu_model": "Intel Xeon Platinum 8470",
                             "cpu_count": 4, "ram_gb": 16, "storage_gb": 40},
          "rate_hourly": "text", "network_type": "infiniband", "username": "text",
          "node_networking": [{"public_ip": "68.25.82.82", "private_ip": "192.168.0.1"}],
          "sub_order": "text", "storage_id": "123e4567-e89b-12d3-a456-426614174000",
          "storage_pv": "text", "storage_pvc": "text",
          "k8s_cluster_id": "123e4567-e89b-12d3-a456-426614174000", "kubeconfig": "text", "tags": ["text"]
      }],
      "total_result_count": 1, "has_previous": true, "has_next": true
    }"#;

    #[test]
    fn parses_the_documented_example_and_a_pending_rental() {
        let page: Page<Value> = serde_json::from_str(DOC_LIST).unwrap();
        let (r, _) = read_rental(page.results[0].clone()).unwrap();
        assert_eq!(r.node_networking[0].public_ip, "68.25.82.82");
        assert_eq!(r.specs_per_node.unwrap().gpu_count, 8);
        assert_eq!(r.sub_order.as_deref(), Some("text"));
        let pending = serde_json::json!({
            "id": "r1", "name": "new", "creation_timestamp": "2025-01-01T00:00:00Z",
            "rate_hourly": "35.200000", "status": "Pending"
        });
        let (p, _) = read_rental(pending).unwrap();
        assert_eq!(p.rate_hourly, Money::parse("35.2"));
        assert!(p.node_networking.is_empty() && p.username.is_none());
        let numbered =
            serde_json::json!({"id": "r", "name": "n", "status": "Running", "sub_order": 12345});
        assert_eq!(
            read_rental(numbered).unwrap().0.sub_order.as_deref(),
            Some("12345")
        );
    }

    /// A pending rental as live answers (Aug 2026) have it: no `status`, `suborder` spelled so.
    #[test]
    fn reads_a_live_pending_rental_without_a_status() {
        let pending = serde_json::json!({
            "id": "r-live", "name": "pretrain", "creation_timestamp": "2026-08-03T10:00:00Z",
            "rate_hourly": "17.600000", "suborder": "so-81234"
        });
        let (r, _) = read_rental(pending).unwrap();
        assert_eq!(r.status, "Pending");
        assert_eq!(r.sub_order.as_deref(), Some("so-81234"));
        assert_eq!(r.rate_hourly, Money::parse("17.6"));
        let without = serde_json::json!({"id": "r", "name": "n",
            "creation_timestamp": "2026-08-03T10:00:00Z", "rate_hourly": "17.600000"});
        assert_eq!(read_rental(without).unwrap().0.status, "Pending");
    }

    /// A running rental as live answers (Aug 2026) have it: the optional fields `null`.
    #[test]
    fn reads_a_live_rental_with_its_optional_fields_null() {
        let running = serde_json::json!({
            "id": "r-2", "name": "finetune", "creation_timestamp": "2026-08-01T00:00:00Z",
            "status": "Running", "power_status": "Running", "node_count": 1,
            "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8, "cpu_model": null,
                               "cpu_count": null, "ram_gb": null, "storage_gb": null},
            "rate_hourly": "17.600000", "network_type": "ethernet",
            "node_networking": [{"public_ip": "68.25.82.82", "private_ip": null}],
            "username": null, "sub_order": null, "storage_id": null, "storage_pv": null,
            "storage_pvc": null, "k8s_cluster_id": null, "kubeconfig": null, "tags": null
        });
        let (r, _) = read_rental(running).unwrap();
        assert_eq!(r.status, "Running");
        assert!(r.username.is_none() && r.kubeconfig.is_none() && r.sub_order.is_none());
        assert!(r.tags.is_empty());
        assert_eq!(r.node_networking[0].private_ip, None);
    }

    #[test]
    fn requests_match_the_document() {
        let id = "123e4567-e89b-12d3-a456-426614174000";
        let list = list_rentals("tok", PageRequest::first(100));
        assert_eq!(
            list.path_and_query(),
            "/api/v1/bare-metal/?limit=100&offset=0"
        );
        let power = set_rental_power("tok", id, RentalPower::Stopped);
        assert_eq!(power.method, Method::Put);
        assert_eq!(power.path, format!("/api/v1/bare-metal/{id}/power-status"));
        assert_eq!(power.body.as_deref(), Some(r#"{"status":"stopped"}"#));
        let reboot = reboot_nodes("tok", id, &["68.25.82.82".to_string()]);
        assert_eq!(reboot.method, Method::Post);
        assert_eq!(reboot.path, format!("/api/v1/bare-metal/{id}/reboot"));
        assert_eq!(
            reboot.body.as_deref(),
            Some(r#"{"public_ips":["68.25.82.82"]}"#)
        );
        let patch = update_rental(
            "tok",
            id,
            &DetailsPatch {
                name: Some("text".into()),
                tags: None,
            },
        );
        assert_eq!(patch.path, format!("/api/v1/bare-metal/{id}"));
        assert_eq!(patch.body.as_deref(), Some(r#"{"name":"text"}"#));
        let del = terminate_rental("tok", id);
        assert_eq!(
            (del.method, del.path.as_str()),
            (Method::Delete, format!("/api/v1/bare-metal/{id}").as_str())
        );
        for req in [list, power, reboot, patch, del] {
            assert!(req
                .headers
                .contains(&("Authorization".into(), "Bearer tok".into())));
        }
    }
}
