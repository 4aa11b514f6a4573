//! What can be done to a machine, the one request each sends, and what each does to the bill.
//! Only Voltage Park's machines have lifecycle endpoints in the documents the console follows.

use super::machine::{Machine, MachineKind};
use super::state::MachineState;
use crate::request::ApiRequest;
use crate::voltagepark::bare_metal::{self, RentalPower};
use crate::voltagepark::vms::{self, VmPower};
use crate::Provider;

/// A lifecycle action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lifecycle {
    Start,
    Stop,
    /// VMs only: stop and release GPUs, vCPUs and RAM; billed for storage only.
    StopAndRelease,
    /// Bare metal only: reboot the nodes with these public addresses.
    Reboot(Vec<String>),
    Terminate,
}

impl Lifecycle {
    /// The button's words.
    pub fn label(&self) -> &'static str {
        match self {
            Lifecycle::Start => "Start",
            Lifecycle::Stop => "Stop",
            Lifecycle::StopAndRelease => "Stop and release",
            Lifecycle::Reboot(_) => "Reboot nodes",
            Lifecycle::Terminate => "Terminate",
        }
    }

    /// True for actions that cannot be undone.
    pub fn is_destructive(&self) -> bool {
        matches!(self, Lifecycle::Terminate)
    }
}

/// The actions `m` offers in its current state (none for providers without lifecycle
/// endpoints, and none while a rental is pending: the provider refuses them).
pub fn available_actions(m: &Machine) -> Vec<Lifecycle> {
    if m.provider != Provider::VoltagePark {
        return Vec::new();
    }
    let mut actions = Vec::new();
    match (m.kind, m.status.as_str()) {
        (_, "Terminated") => return actions,
        (MachineKind::InstantVm, "Running") => {
            actions.extend([Lifecycle::Stop, Lifecycle::StopAndRelease])
        }
        (MachineKind::InstantVm, "Stopped") => {
            actions.extend([Lifecycle::Start, Lifecycle::StopAndRelease])
        }
        (MachineKind::InstantVm, "StoppedDisassociated") => actions.push(Lifecycle::Start),
        (MachineKind::BareMetal, "Running") => {
            if m.state == MachineState::Stopped {
                actions.push(Lifecycle::Start);
            } else {
                actions.push(Lifecycle::Stop);
            }
            if !m.addresses.is_empty() {
                actions.push(Lifecycle::Reboot(Vec::new()));
            }
        }
        _ => {}
    }
    actions.push(Lifecycle::Terminate);
    actions
}

/// The one request that performs `action` on `m`, or `None` when it does not apply.
pub fn lifecycle_request(m: &Machine, action: &Lifecycle, token: &str) -> Option<ApiRequest> {
    if m.provider != Provider::VoltagePark {
        return None;
    }
    let id = m.id.as_str();
    Some(match (m.kind, action) {
        (MachineKind::InstantVm, Lifecycle::Start) => {
            vms::set_vm_power(token, id, VmPower::Started)
        }
        (MachineKind::InstantVm, Lifecycle::Stop) => vms::set_vm_power(token, id, VmPower::Stopped),
        (MachineKind::InstantVm, Lifecycle::StopAndRelease) => {
            vms::set_vm_power(token, id, VmPower::StoppedDisassociated)
        }
        (MachineKind::InstantVm, Lifecycle::Terminate) => vms::terminate_vm(token, id),
        (MachineKind::BareMetal, Lifecycle::Start) => {
            bare_metal::set_rental_power(token, id, RentalPower::Started)
        }
        (MachineKind::BareMetal, Lifecycle::Stop) => {
            bare_metal::set_rental_power(token, id, RentalPower::Stopped)
        }
        (MachineKind::BareMetal, Lifecycle::Reboot(ips)) if !ips.is_empty() => {
            bare_metal::reboot_nodes(token, id, ips)
        }
        (MachineKind::BareMetal, Lifecycle::Terminate) => bare_metal::terminate_rental(token, id),
        _ => return None,
    })
}

/// What the action does, in words, with what it changes on the bill.
pub fn explain(m: &Machine, action: &Lifecycle) -> String {
    let rate = |r: Option<crate::Money>| {
        r.map_or("an unknown rate".into(), |r| {
            format!("{}/hour", r.to_rate_string())
        })
    };
    match (m.kind, action) {
        (MachineKind::InstantVm, Lifecycle::Start) => format!(
            "Starts the VM. It is billed at {} while it holds its resources.",
            rate(m.hourly_associated)
        ),
        (MachineKind::InstantVm, Lifecycle::Stop) => format!(
            "Stops the VM but keeps its GPUs, vCPUs and RAM: Voltage Park keeps billing it like a running VM, {}.",
            rate(m.hourly_associated)
        ),
        (MachineKind::InstantVm, Lifecycle::StopAndRelease) => format!(
            "Stops the VM and releases its GPUs, vCPUs and RAM; only its disk stays. The bill goes from {} to {}. Starting it again needs free capacity on its hostnode.",
            rate(m.hourly_associated),
            rate(m.hourly_released)
        ),
        (MachineKind::BareMetal, Lifecycle::Start) => "Powers the rental's nodes on.".into(),
        (MachineKind::BareMetal, Lifecycle::Stop) => format!(
            "Powers the rental's nodes off. The rental is still billed at {}: only terminating it stops the bill.",
            rate(m.hourly)
        ),
        (MachineKind::BareMetal, Lifecycle::Reboot(_)) => "Reboots the chosen nodes. The rental is Pending until they are back, and refuses other actions meanwhile.".into(),
        (_, Lifecycle::Terminate) => format!(
            "Terminates {} for good: its disks and data are deleted and it stops costing {}. This cannot be undone.",
            m.name,
            rate(m.hourly)
        ),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machines::{AccountRef, VmLogin};
    use crate::request::Method;

    fn vm(status: &str) -> Machine {
        let (v, raw) = vms::read_vm(serde_json::json!({
            "id": "v1", "name": "train", "status": status,
            "pricing": {"total_associated_per_hr": "2.250000", "total_disassociated_per_hr": "0.040000"}
        }))
        .unwrap();
        Machine::from_vm(
            &AccountRef {
                id: 1,
                name: "prod".into(),
            },
            v,
            raw,
            &VmLogin::for_account(None),
        )
    }

    #[test]
    fn vm_actions_follow_its_status_and_send_the_documented_request() {
        assert_eq!(
            available_actions(&vm("Running")),
            [
                Lifecycle::Stop,
                Lifecycle::StopAndRelease,
                Lifecycle::Terminate
            ]
        );
        assert_eq!(
            available_actions(&vm("Stopped")),
            [
                Lifecycle::Start,
                Lifecycle::StopAndRelease,
                Lifecycle::Terminate
            ]
        );
        assert!(available_actions(&vm("Terminated")).is_empty());
        let release = lifecycle_request(&vm("Stopped"), &Lifecycle::StopAndRelease, "t").unwrap();
        assert_eq!(release.method, Method::Put);
        assert_eq!(
            release.body.as_deref(),
            Some(r#"{"status":"stopped_disassociated"}"#)
        );
        let text = explain(&vm("Stopped"), &Lifecycle::StopAndRelease);
        assert!(text.contains("from $2.25/hour to $0.04/hour"), "{text}");
        let kill = lifecycle_request(&vm("Running"), &Lifecycle::Terminate, "t").unwrap();
        assert_eq!(
            (kill.method, kill.path.as_str()),
            (Method::Delete, "/api/v1/virtual-machines/v1")
        );
    }

    #[test]
    fn rentals_reboot_chosen_nodes_only() {
        let (r, raw) = bare_metal::read_rental(serde_json::json!({
            "id": "r1", "name": "pretrain", "status": "Running", "power_status": "Running",
            "username": "ubuntu", "node_networking": [{"public_ip": "68.25.82.82"}]
        }))
        .unwrap();
        let m = Machine::from_rental(
            &AccountRef {
                id: 1,
                name: "prod".into(),
            },
            r,
            raw,
        );
        assert_eq!(
            available_actions(&m),
            [
                Lifecycle::Stop,
                Lifecycle::Reboot(vec![]),
                Lifecycle::Terminate
            ]
        );
        assert!(lifecycle_request(&m, &Lifecycle::Reboot(vec![]), "t").is_none());
        let reboot =
            lifecycle_request(&m, &Lifecycle::Reboot(vec!["68.25.82.82".into()]), "t").unwrap();
        assert_eq!(reboot.path, "/api/v1/bare-metal/r1/reboot");
        assert!(lifecycle_request(&m, &Lifecycle::StopAndRelease, "t").is_none());
    }
}
