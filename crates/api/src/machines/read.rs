//! Each provider's machine list read row by row into [`Machine`]s: an item that does not fit
//! its model is kept as an unreadable row ([`Rows`]) and never hides the account's others.
//!
//! The readers are `inline(never)`: inlined into the app's request futures, the parsing made
//! one future of 31 KB of wasm.

use serde_json::Value;

use super::machine::{AccountRef, Machine, VmLogin};
use crate::netactuate::servers::read_server;
use crate::octos::vms as octos_vms;
use crate::rows::Rows;
use crate::voltagepark::bare_metal::read_rental;
use crate::voltagepark::vms::read_vm;

/// A Voltage Park account's instant VMs. `login` is the account's login name for VMs.
#[inline(never)]
pub fn vm_rows(account: &AccountRef, login: &VmLogin, items: Vec<Value>) -> Rows<Machine> {
    Rows::read_each(items, |raw| {
        read_vm(raw.clone()).map(|(vm, raw)| Machine::from_vm(account, vm, raw, login))
    })
}

/// A Voltage Park account's bare-metal rentals.
#[inline(never)]
pub fn rental_rows(account: &AccountRef, items: Vec<Value>) -> Rows<Machine> {
    Rows::read_each(items, |raw| {
        read_rental(raw.clone()).map(|(rental, raw)| Machine::from_rental(account, rental, raw))
    })
}

/// A NetActuate account's servers.
#[inline(never)]
pub fn netactuate_rows(account: &AccountRef, items: Vec<Value>) -> Rows<Machine> {
    Rows::read_each(items, |raw| {
        read_server(raw.clone()).map(|(server, raw)| Machine::from_netactuate(account, server, raw))
    })
}

/// An Octos account's VMs.
#[inline(never)]
pub fn octos_rows(account: &AccountRef, items: Vec<Value>) -> Rows<Machine> {
    Rows::read_each(items, |raw| {
        octos_vms::read_vm(raw.clone()).map(|(vm, raw)| Machine::from_octos(account, vm, raw))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn account() -> AccountRef {
        AccountRef {
            id: 1,
            name: "prod".into(),
        }
    }

    fn running_rental(id: &str, name: &str) -> Value {
        json!({
            "id": id, "name": name, "creation_timestamp": "2026-08-01T00:00:00Z",
            "status": "Running", "power_status": "Running", "node_count": 1,
            "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8},
            "rate_hourly": "17.600000", "network_type": "infiniband", "username": "ubuntu",
            "node_networking": [{"public_ip": "68.25.82.82", "private_ip": "192.168.0.1"}],
            "tags": ["prod"]
        })
    }

    /// The report: one rental whose `tags` is `null` (live answer, Aug 2026) dropped every
    /// machine of the account.
    #[test]
    fn a_null_in_one_rentals_tags_hides_no_machine() {
        let mut untagged = running_rental("r-2", "untagged");
        untagged["tags"] = Value::Null;
        let rows = rental_rows(
            &account(),
            vec![
                running_rental("r-1", "pretrain"),
                untagged,
                running_rental("r-3", "finetune"),
            ],
        );
        let names: Vec<&str> = rows.read.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["pretrain", "untagged", "finetune"]);
        assert!(rows.unreadable.is_empty());
        assert!(rows.read[1].tags.is_empty());
    }

    #[test]
    fn a_rental_that_cannot_be_read_is_one_unreadable_row_among_the_others() {
        let mut broken = running_rental("r-2", "broken");
        broken["node_networking"] = json!("68.25.82.83");
        let rows = rental_rows(&account(), vec![running_rental("r-1", "pretrain"), broken]);
        assert_eq!(rows.read.len(), 1);
        assert_eq!(rows.read[0].name, "pretrain");
        let bad = &rows.unreadable[0];
        assert_eq!(bad.label(), "broken (id r-2)");
        assert!(
            bad.reason.starts_with("a bare-metal rental: "),
            "{}",
            bad.reason
        );
        assert_eq!(bad.raw["node_networking"], "68.25.82.83");
    }

    #[test]
    fn every_providers_list_keeps_its_readable_rows() {
        let vms = vm_rows(
            &account(),
            &VmLogin::for_account(None),
            vec![
                json!({"id": "v1", "status": "Running", "name": "ok"}),
                json!({"id": "v2", "status": ["Running"], "name": "bad"}),
            ],
        );
        assert_eq!(
            (vms.read.len(), vms.unreadable[0].label().as_str()),
            (1, "bad (id v2)")
        );
        let servers = netactuate_rows(
            &account(),
            vec![
                json!({"mbpkgid": 1, "fqdn": "edge-1", "status": "RUNNING"}),
                json!({"fqdn": "edge-2"}),
            ],
        );
        assert_eq!(
            (servers.read.len(), servers.unreadable[0].label().as_str()),
            (1, "edge-2")
        );
        let octos = octos_rows(
            &account(),
            vec![
                json!({"id": 7, "name": "web"}),
                json!({"id": {"n": 8}, "name": "odd"}),
            ],
        );
        assert_eq!(
            (octos.read.len(), octos.unreadable[0].label().as_str()),
            (1, "odd")
        );
    }
}
