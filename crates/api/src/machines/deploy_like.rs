//! "Deploy another like this": the deploy form's link, filled from an existing Voltage Park
//! machine (its GPUs, shape, network and tags) with a new name. The form reads the same query.

use super::machine::{Machine, MachineKind};
use crate::Provider;

/// A name for the next machine like `name`: `train` -> `train-2`, `train-2` -> `train-3`.
pub fn next_name(name: &str) -> String {
    if let Some((stem, n)) = name.rsplit_once('-') {
        if let Ok(n) = n.parse::<u32>() {
            return format!("{stem}-{}", n + 1);
        }
    }
    format!("{name}-2")
}

/// The deploy form's path for another machine like `m`; `None` for machines the console does
/// not deploy (NetActuate, Octos).
pub fn deploy_like_path(m: &Machine) -> Option<String> {
    if m.provider != Provider::VoltagePark {
        return None;
    }
    let mut query: Vec<(&str, String)> = vec![("name", next_name(&m.name))];
    if let Some(g) = &m.gpus {
        query.push(("gpu", g.model.clone()));
        query.push(("gpus", g.count.to_string()));
    }
    if !m.tags.is_empty() {
        query.push(("tags", m.tags.join(", ")));
    }
    let form = match m.kind {
        MachineKind::InstantVm => {
            let resources = &m.raw["resources"];
            for (key, field) in [("vcpus", "vcpu_count"), ("ram", "ram_gb")] {
                if let Some(n) = resources[field].as_u64() {
                    query.push((key, n.to_string()));
                }
            }
            "instant-vm"
        }
        MachineKind::BareMetal => {
            if let Some(network) = m.raw["network_type"].as_str() {
                query.push(("network", network.to_string()));
            }
            "bare-metal"
        }
        MachineKind::Server => return None,
    };
    Some(crate::url::with_query(&format!("/deploy/{form}"), &query))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machines::{AccountRef, VmLogin};
    use crate::voltagepark::{bare_metal, vms};
    use serde_json::json;

    fn account() -> AccountRef {
        AccountRef {
            id: 1,
            name: "prod".into(),
        }
    }

    #[test]
    fn names_count_up() {
        assert_eq!(next_name("train"), "train-2");
        assert_eq!(next_name("train-2"), "train-3");
        assert_eq!(next_name("llama-8b"), "llama-8b-2");
    }

    #[test]
    fn a_vm_gives_its_shape_and_tags() {
        let (vm, raw) = vms::read_vm(json!({
            "id": "v1", "name": "train", "status": "Running", "tags": ["a b", "c"],
            "resources": {"gpus": {"h100-sxm5-80gb": {"count": 1}}, "vcpu_count": 26, "ram_gb": 200, "storage_gb": 500},
        }))
        .unwrap();
        let m = Machine::from_vm(&account(), vm, raw, &VmLogin::for_account(None));
        assert_eq!(
            deploy_like_path(&m).unwrap(),
            "/deploy/instant-vm?name=train-2&gpu=h100-sxm5-80gb&gpus=1&tags=a%20b%2C%20c&vcpus=26&ram=200"
        );
    }

    #[test]
    fn a_rental_gives_its_gpus_and_network() {
        let (r, raw) = bare_metal::read_rental(json!({
            "id": "r1", "name": "cluster", "status": "Running", "node_count": 2,
            "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8},
            "network_type": "infiniband",
        }))
        .unwrap();
        let m = Machine::from_rental(&account(), r, raw);
        let path = deploy_like_path(&m).unwrap();
        assert!(
            path.starts_with("/deploy/bare-metal?name=cluster-2&gpu=h100-sxm5-80gb&gpus=16"),
            "{path}"
        );
        assert!(path.ends_with("&network=infiniband"), "{path}");
    }
}
