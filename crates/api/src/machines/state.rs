//! One word for where a machine is in its life, whatever the provider calls it.

/// A machine's normalised state. The provider's own word is kept beside it ([`super::Machine`]'s
/// `status`) and shown too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MachineState {
    Running,
    /// Starting, booting, rebooting or moving: something is changing.
    Pending,
    /// Stopped, still holding (and, on Voltage Park, billed for) its resources.
    Stopped,
    /// Stopped with its compute released: billed for storage only.
    StoppedReleased,
    Failed,
    Terminated,
    Unknown,
}

impl MachineState {
    pub const ALL: [MachineState; 7] = [
        MachineState::Running,
        MachineState::Pending,
        MachineState::Stopped,
        MachineState::StoppedReleased,
        MachineState::Failed,
        MachineState::Terminated,
        MachineState::Unknown,
    ];

    /// The word a person reads.
    pub fn label(self) -> &'static str {
        match self {
            MachineState::Running => "Running",
            MachineState::Pending => "Pending",
            MachineState::Stopped => "Stopped",
            MachineState::StoppedReleased => "Stopped and released",
            MachineState::Failed => "Failed",
            MachineState::Terminated => "Terminated",
            MachineState::Unknown => "Unknown",
        }
    }

    /// A symbol shown with the word (never colour alone).
    pub fn icon(self) -> &'static str {
        match self {
            MachineState::Running => "▶",
            MachineState::Pending => "◌",
            MachineState::Stopped => "■",
            MachineState::StoppedReleased => "□",
            MachineState::Failed => "✕",
            MachineState::Terminated => "⊘",
            MachineState::Unknown => "?",
        }
    }

    /// The name used in URLs (`?status=stopped-released`).
    pub fn slug(self) -> &'static str {
        match self {
            MachineState::Running => "running",
            MachineState::Pending => "pending",
            MachineState::Stopped => "stopped",
            MachineState::StoppedReleased => "stopped-released",
            MachineState::Failed => "failed",
            MachineState::Terminated => "terminated",
            MachineState::Unknown => "unknown",
        }
    }

    pub fn from_slug(s: &str) -> Option<MachineState> {
        MachineState::ALL.into_iter().find(|m| m.slug() == s)
    }

    /// True while the machine is on its way somewhere: the page then refreshes often.
    pub fn is_changing(self) -> bool {
        self == MachineState::Pending
    }

    /// A Voltage Park VM status (NOTES.md: `Running`, `Stopped`, `StoppedDisassociated`,
    /// `Terminated`, `Outbid`, `Relocating`).
    pub fn of_voltagepark_vm(status: &str) -> MachineState {
        match status {
            "Running" => MachineState::Running,
            "Stopped" => MachineState::Stopped,
            "StoppedDisassociated" => MachineState::StoppedReleased,
            "Terminated" => MachineState::Terminated,
            // A spot VM that lost its bid is not running; it does not hold its GPUs.
            "Outbid" => MachineState::Stopped,
            // Being moved to another hostnode: it comes back on its own.
            "Relocating" => MachineState::Pending,
            _ => MachineState::Unknown,
        }
    }

    /// A bare-metal rental's `status` (`Pending`, `Running`, `Terminated`, `Failed`) and
    /// `power_status` (`Running`, `Stopped`).
    pub fn of_rental(status: &str, power_status: Option<&str>) -> MachineState {
        match (status, power_status) {
            ("Running", Some("Stopped")) => MachineState::Stopped,
            ("Running", _) => MachineState::Running,
            ("Pending", _) => MachineState::Pending,
            ("Terminated", _) => MachineState::Terminated,
            ("Failed", _) => MachineState::Failed,
            _ => MachineState::Unknown,
        }
    }

    /// A NetActuate server's `status` (`RUNNING`, `TERMINATED`, ...) and power `state`: the
    /// document's examples write the state `running` / `stopped`, the provider's public SDKs
    /// and Terraform provider show `UP` / `DOWN`; both are read.
    pub fn of_netactuate(status: Option<&str>, state: Option<&str>) -> MachineState {
        let status = status.unwrap_or("").to_ascii_uppercase();
        let state = state.unwrap_or("").to_ascii_lowercase();
        match status.as_str() {
            "TERMINATED" | "DELETED" | "CANCELLED" => MachineState::Terminated,
            "FAILED" | "ERROR" => MachineState::Failed,
            "PENDING" | "BUILDING" | "INSTALLING" | "PROVISIONING" => MachineState::Pending,
            "RUNNING" | "ACTIVE" => match state.as_str() {
                "stopped" | "shutdown" | "off" | "down" => MachineState::Stopped,
                "starting" | "stopping" | "rebooting" => MachineState::Pending,
                _ => MachineState::Running,
            },
            _ => MachineState::Unknown,
        }
    }

    /// An Octos VM's `status` (not documented: read generously).
    pub fn of_octos(status: Option<&str>) -> MachineState {
        match status.unwrap_or("").to_ascii_lowercase().as_str() {
            "running" | "active" => MachineState::Running,
            "stopped" | "shutoff" | "shut off" | "paused" | "suspended" => MachineState::Stopped,
            "pending" | "building" | "creating" | "starting" | "stopping" | "rebooting" => {
                MachineState::Pending
            }
            "error" | "failed" => MachineState::Failed,
            "deleted" | "terminated" => MachineState::Terminated,
            _ => MachineState::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_status_has_a_state() {
        let vm = [
            ("Running", MachineState::Running),
            ("Stopped", MachineState::Stopped),
            ("StoppedDisassociated", MachineState::StoppedReleased),
            ("Terminated", MachineState::Terminated),
            ("Outbid", MachineState::Stopped),
            ("Relocating", MachineState::Pending),
        ];
        for (status, state) in vm {
            assert_eq!(MachineState::of_voltagepark_vm(status), state, "{status}");
        }
        assert_eq!(
            MachineState::of_voltagepark_vm("Exploded"),
            MachineState::Unknown
        );
        assert_eq!(
            MachineState::of_rental("Pending", None),
            MachineState::Pending
        );
        assert_eq!(
            MachineState::of_rental("Running", Some("Running")),
            MachineState::Running
        );
        assert_eq!(
            MachineState::of_rental("Running", Some("Stopped")),
            MachineState::Stopped
        );
        assert_eq!(
            MachineState::of_rental("Terminated", None),
            MachineState::Terminated
        );
        assert_eq!(
            MachineState::of_rental("Failed", None),
            MachineState::Failed
        );
        assert_eq!(
            MachineState::of_netactuate(Some("RUNNING"), Some("stopped")),
            MachineState::Stopped
        );
        assert_eq!(
            MachineState::of_netactuate(Some("RUNNING"), Some("DOWN")),
            MachineState::Stopped
        );
        assert_eq!(
            MachineState::of_netactuate(Some("RUNNING"), Some("UP")),
            MachineState::Running
        );
        assert_eq!(
            MachineState::of_netactuate(Some("TERMINATED"), Some("stopped")),
            MachineState::Terminated
        );
        assert_eq!(
            MachineState::of_octos(Some("Running")),
            MachineState::Running
        );
        assert_eq!(
            MachineState::of_octos(Some("Stopped")),
            MachineState::Stopped
        );
        for s in MachineState::ALL {
            assert_eq!(MachineState::from_slug(s.slug()), Some(s));
        }
    }
}
