//! The stopped-but-billed guard: Voltage Park bills a stopped VM like a running one unless its
//! resources are released ("Stopped virtual machines will, by default, use the same billing as
//! running ones", the document's power-status section).

use super::machine::{Machine, MachineKind};
use crate::{Money, Provider};

/// Voltage Park VMs that are stopped but still hold (and pay for) their resources.
pub fn billed_while_stopped(machines: &[Machine]) -> Vec<&Machine> {
    machines
        .iter()
        .filter(|m| {
            m.provider == Provider::VoltagePark
                && m.kind == MachineKind::InstantVm
                && m.status == "Stopped"
        })
        .collect()
}

/// What stopping and releasing would save per hour: the running rate minus the released rate.
pub fn release_saving(m: &Machine) -> Option<Money> {
    Some(m.hourly? - m.hourly_released?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machines::{AccountRef, VmLogin};
    use crate::voltagepark::vms;

    #[test]
    fn only_stopped_vms_holding_resources_are_flagged() {
        let account = AccountRef {
            id: 1,
            name: "prod".into(),
        };
        let vm = |name: &str, status: &str| {
            let (v, raw) = vms::read_vm(serde_json::json!({
                "id": name, "name": name, "status": status,
                "pricing": {"total_associated_per_hr": "2.250000", "total_disassociated_per_hr": "0.040000"}
            }))
            .unwrap();
            Machine::from_vm(&account, v, raw, &VmLogin::for_account(None))
        };
        let fleet = vec![
            vm("a", "Running"),
            vm("b", "Stopped"),
            vm("c", "StoppedDisassociated"),
            vm("d", "Outbid"),
        ];
        let flagged = billed_while_stopped(&fleet);
        assert_eq!(flagged.len(), 1);
        assert_eq!(flagged[0].name, "b");
        assert_eq!(release_saving(flagged[0]), Money::parse("2.21"));
    }
}
