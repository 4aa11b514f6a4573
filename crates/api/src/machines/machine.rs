//! The one row type every provider's machines map to.

use std::sync::Arc;

use serde_json::Value;

use super::state::MachineState;
use crate::calendar::parse_rfc3339;
use crate::netactuate::servers::Server;
use crate::octos::OctosVm;
use crate::voltagepark::bare_metal::Rental;
use crate::voltagepark::vms::Vm;
use crate::{Money, Provider};

/// The login name offered for Voltage Park VMs when the user has not set one for the account:
/// the API gives none, and the presets' images are Ubuntu.
pub const DEFAULT_VM_USER: &str = "ubuntu";

/// Which account a machine was listed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRef {
    /// The console's id of the account (not the provider's).
    pub id: u32,
    pub name: String,
}

/// What kind of machine it is, in the user's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MachineKind {
    InstantVm,
    BareMetal,
    Server,
}

impl MachineKind {
    pub const ALL: [MachineKind; 3] = [
        MachineKind::InstantVm,
        MachineKind::BareMetal,
        MachineKind::Server,
    ];

    pub fn label(self) -> &'static str {
        match self {
            // Voltage Park's instant VMs and Octos Cloud's VMs alike ("instant" is Voltage
            // Park's word).
            MachineKind::InstantVm => "VM",
            MachineKind::BareMetal => "Bare-metal rental",
            MachineKind::Server => "Server",
        }
    }

    /// The name in URLs: `/machines/voltagepark/vm/{id}`, `?kind=bare-metal`.
    pub fn slug(self) -> &'static str {
        match self {
            MachineKind::InstantVm => "vm",
            MachineKind::BareMetal => "bare-metal",
            MachineKind::Server => "server",
        }
    }

    pub fn from_slug(s: &str) -> Option<MachineKind> {
        MachineKind::ALL.into_iter().find(|k| k.slug() == s)
    }
}

/// GPUs of a machine: model and how many (for bare metal, across all nodes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gpus {
    pub model: String,
    pub count: u32,
}

/// Where a login name came from, so the console can say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginSource {
    /// The provider said it (a rental's `username`).
    Provider,
    /// The user set it for this account.
    AccountSetting,
    /// Nobody did: [`DEFAULT_VM_USER`].
    Default,
}

impl LoginSource {
    pub fn explain(self) -> &'static str {
        match self {
            LoginSource::Provider => "login name from the provider",
            LoginSource::AccountSetting => "login name set for this account",
            LoginSource::Default => {
                "a guess, the usual login of Voltage Park's images: its API does not give the login name; set the right one for this account on the Accounts page"
            }
        }
    }
}

/// The login name for an account's VMs and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmLogin {
    pub user: String,
    pub source: LoginSource,
}

/// Why `name` cannot be a VM's login name, if it cannot: the user names Linux distributions
/// accept (`useradd`'s default rule, as Debian and Ubuntu apply it): 1 to 32 characters,
/// lower-case letters, digits, `_` and `-`, not starting with a digit or `-`. Empty means the
/// default, which is fine.
pub fn login_name_problem(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    if name.chars().count() > 32 {
        return Some("A login name has at most 32 characters.".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-'))
    {
        let c = if c.is_whitespace() {
            "a space".to_string()
        } else {
            format!("\u{201c}{c}\u{201d}")
        };
        return Some(format!(
            "A login name holds lower-case letters, digits, _ and - only (not {c})."
        ));
    }
    if name.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        return Some("A login name starts with a letter or _.".into());
    }
    None
}

impl VmLogin {
    /// The account's own setting, or the default when it has none.
    pub fn for_account(setting: Option<&str>) -> VmLogin {
        match setting.map(str::trim).filter(|s| !s.is_empty()) {
            Some(user) => VmLogin {
                user: user.to_string(),
                source: LoginSource::AccountSetting,
            },
            None => VmLogin {
                user: DEFAULT_VM_USER.to_string(),
                source: LoginSource::Default,
            },
        }
    }
}

/// One way in: `ssh [-p PORT] USER@HOST`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    /// What it reaches: the machine, or `node 2` of a rental.
    pub label: String,
    pub user: String,
    pub source: LoginSource,
    pub host: String,
    pub port: Option<u16>,
    /// The node's private address (bare metal), for hostfiles.
    pub private_ip: Option<String>,
}

/// A machine of any provider, as one table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    pub provider: Provider,
    pub account: AccountRef,
    pub kind: MachineKind,
    /// The provider's id.
    pub id: String,
    pub name: String,
    /// The status as the provider says it (`StoppedDisassociated`, `RUNNING`, ...).
    pub status: String,
    pub state: MachineState,
    pub gpus: Option<Gpus>,
    pub location: Option<String>,
    /// What it costs per hour now; `None` when the provider does not say.
    pub hourly: Option<Money>,
    /// What a Voltage Park VM costs per hour while it holds its resources.
    pub hourly_associated: Option<Money>,
    /// What a Voltage Park VM would cost per hour once stopped and released.
    pub hourly_released: Option<Money>,
    /// As the provider wrote it.
    pub created: Option<String>,
    /// Seconds since 1970, when `created` could be read.
    pub created_at: Option<i64>,
    pub addresses: Vec<String>,
    pub tags: Vec<String>,
    pub ssh: Vec<SshTarget>,
    /// GPUs per node (bare metal), for hostfiles.
    pub gpus_per_node: Option<u32>,
    /// The provider's object exactly as it came: every field, known or not. Shared, so rows
    /// are cheap to copy.
    pub raw: Arc<Value>,
    /// Lower-cased text the free-text filter searches.
    pub(super) haystack: String,
    /// The name and account, lower-cased once, for sorting.
    pub(super) name_key: String,
    pub(super) account_key: String,
    key: String,
}

impl Machine {
    /// A key unique across providers and accounts.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The machine's page in the console: `/machines/voltagepark/vm/{id}`.
    pub fn detail_path(&self) -> String {
        crate::url::href(
            &format!("/machines/{}/{}", self.provider.slug(), self.kind.slug()),
            &self.id,
        )
    }

    /// Whether it is gone for good (terminated machines are listed for a while but cost nothing).
    pub fn is_terminated(&self) -> bool {
        self.state == MachineState::Terminated
    }

    /// Fills the search text from the fields shown; call after changing them.
    pub fn reindex(&mut self) {
        let mut h = String::new();
        for part in [
            self.name.as_str(),
            self.id.as_str(),
            self.status.as_str(),
            self.state.label(),
            self.account.name.as_str(),
            self.provider.display_name(),
            self.kind.label(),
            self.location.as_deref().unwrap_or(""),
        ] {
            h.push_str(part);
            h.push('\n');
        }
        if let Some(g) = &self.gpus {
            h.push_str(&g.model);
            h.push('\n');
            h.push_str(&crate::voltagepark::gpu_model_label(&g.model));
            h.push('\n');
        }
        for s in self.addresses.iter().chain(&self.tags) {
            h.push_str(s);
            h.push('\n');
        }
        self.haystack = h.to_lowercase();
        self.name_key = self.name.to_lowercase();
        self.account_key = self.account.name.to_lowercase();
    }

    fn new(
        provider: Provider,
        account: &AccountRef,
        kind: MachineKind,
        id: String,
        name: String,
        (status, state): (String, MachineState),
        raw: Value,
    ) -> Machine {
        Machine {
            key: format!("{}/{}/{id}", provider.slug(), account.id),
            provider,
            account: account.clone(),
            kind,
            id,
            name,
            status,
            state,
            gpus: None,
            location: None,
            hourly: None,
            hourly_associated: None,
            hourly_released: None,
            created: None,
            created_at: None,
            addresses: Vec::new(),
            tags: Vec::new(),
            ssh: Vec::new(),
            gpus_per_node: None,
            raw: Arc::new(raw),
            haystack: String::new(),
            name_key: String::new(),
            account_key: String::new(),
        }
    }

    /// A Voltage Park instant VM. `login` is the account's login name for VMs. Its location is
    /// not in the VM object (only its hostnode): set it with [`Machine::set_location`].
    pub fn from_vm(account: &AccountRef, vm: Vm, raw: Value, login: &VmLogin) -> Machine {
        let state = MachineState::of_voltagepark_vm(&vm.status);
        let mut m = Machine::new(
            Provider::VoltagePark,
            account,
            MachineKind::InstantVm,
            vm.id.clone(),
            vm.name.clone(),
            (vm.status.clone(), state),
            raw,
        );
        m.gpus = vm.resources.as_ref().and_then(|r| {
            r.gpus
                .iter()
                .find(|(_, c)| c.count > 0)
                .map(|(model, c)| Gpus {
                    model: model.clone(),
                    count: c.count,
                })
        });
        let pricing = vm.pricing.as_ref();
        let associated = pricing.and_then(|p| p.total_associated_per_hr);
        let released = pricing.and_then(|p| p.total_disassociated_per_hr);
        m.hourly = match state {
            MachineState::Terminated => Some(Money::ZERO),
            MachineState::StoppedReleased => released,
            _ => associated,
        };
        m.hourly_associated = associated;
        m.hourly_released = released;
        m.created_at = vm.timestamp_creation.as_deref().and_then(parse_rfc3339);
        m.created = vm.timestamp_creation.clone();
        if let Some(ip) = vm.public_ip.clone().filter(|ip| !ip.is_empty()) {
            if let Some(port) = vm.ssh_port() {
                m.ssh.push(SshTarget {
                    label: vm.name.clone(),
                    user: login.user.clone(),
                    source: login.source,
                    host: ip.clone(),
                    port: Some(port),
                    private_ip: vm.internal_ip.clone(),
                });
            }
            m.addresses.push(ip);
        }
        m.tags = vm.tags;
        m.reindex();
        m
    }

    /// A Voltage Park bare-metal rental: one SSH target per node, from its `username`.
    pub fn from_rental(account: &AccountRef, rental: Rental, raw: Value) -> Machine {
        let state = MachineState::of_rental(&rental.status, rental.power_status.as_deref());
        let mut m = Machine::new(
            Provider::VoltagePark,
            account,
            MachineKind::BareMetal,
            rental.id.clone(),
            rental.name.clone(),
            (rental.status.clone(), state),
            raw,
        );
        if let Some(specs) = &rental.specs_per_node {
            let nodes = rental.node_count.unwrap_or(1).max(1);
            m.gpus = Some(Gpus {
                model: specs.gpu_model.clone(),
                count: specs.gpu_count * nodes,
            });
            m.gpus_per_node = Some(specs.gpu_count);
        }
        m.hourly = match state {
            MachineState::Terminated | MachineState::Failed => Some(Money::ZERO),
            _ => rental.rate_hourly,
        };
        m.created_at = rental.creation_timestamp.as_deref().and_then(parse_rfc3339);
        m.created = rental.creation_timestamp.clone();
        let many = rental.node_networking.len() > 1;
        for (i, node) in rental.node_networking.iter().enumerate() {
            m.addresses.push(node.public_ip.clone());
            if let Some(user) = rental.username.clone().filter(|u| !u.is_empty()) {
                m.ssh.push(SshTarget {
                    label: if many {
                        format!("{} node {}", rental.name, i + 1)
                    } else {
                        rental.name.clone()
                    },
                    user,
                    source: LoginSource::Provider,
                    host: node.public_ip.clone(),
                    port: None,
                    private_ip: node.private_ip.clone(),
                });
            }
        }
        m.tags = rental.tags;
        m.reindex();
        m
    }

    /// A NetActuate server (its API gives no price and no creation time).
    pub fn from_netactuate(account: &AccountRef, server: Server, raw: Value) -> Machine {
        let state = MachineState::of_netactuate(server.status.as_deref(), server.state.as_deref());
        // The provider's own words, once: the status alone when it says what the console says
        // ("RUNNING" / "UP" is Running), with the power state when the two tell more.
        let status = match (&server.status, &server.state) {
            (Some(s), Some(_)) if s.eq_ignore_ascii_case(state.label()) => s.clone(),
            (Some(s), Some(p)) => format!("{s}, power {p}"),
            (Some(s), None) => s.clone(),
            (None, Some(p)) => format!("power {p}"),
            (None, None) => String::new(),
        };
        let name = server
            .fqdn
            .clone()
            .unwrap_or_else(|| format!("server {}", server.mbpkgid));
        let mut m = Machine::new(
            Provider::NetActuate,
            account,
            MachineKind::Server,
            server.mbpkgid.clone(),
            name,
            (status, state),
            raw,
        );
        m.location = server.city.clone();
        m.addresses = [server.ip, server.ipv6]
            .into_iter()
            .flatten()
            .filter(|a| !a.is_empty())
            .collect();
        if state == MachineState::Terminated {
            m.hourly = Some(Money::ZERO);
        }
        m.reindex();
        m
    }

    /// An Octos Cloud VM (its list gives no price).
    pub fn from_octos(account: &AccountRef, vm: OctosVm, raw: Value) -> Machine {
        let state = MachineState::of_octos(vm.status.as_deref());
        let mut m = Machine::new(
            Provider::Octos,
            account,
            MachineKind::InstantVm,
            vm.id.clone(),
            vm.name.clone().unwrap_or_else(|| format!("VM {}", vm.id)),
            (vm.status.clone().unwrap_or_default(), state),
            raw,
        );
        m.location = vm.project.clone().map(|p| format!("project {p}"));
        m.addresses = vm.ip.into_iter().filter(|a| !a.is_empty()).collect();
        m.created_at = vm.created_at.as_deref().and_then(parse_rfc3339);
        m.created = vm.created_at;
        if state == MachineState::Terminated {
            m.hourly = Some(Money::ZERO);
        }
        m.reindex();
        m
    }

    /// Sets where the machine is (for VMs, found through their hostnode).
    pub fn set_location(&mut self, location: String) {
        self.location = Some(location);
        self.reindex();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_names_are_those_linux_accepts() {
        for good in ["", "ubuntu", "ml_user", "_svc", "user-2", "a"] {
            assert_eq!(login_name_problem(good), None, "{good:?}");
        }
        for bad in [
            "Ubuntu",
            "root; rm -rf /",
            "two words",
            "2fast",
            "-x",
            "user@host",
            &"a".repeat(33),
        ] {
            assert!(login_name_problem(bad).is_some(), "{bad:?}");
        }
        assert_eq!(
            login_name_problem("two words").unwrap(),
            "A login name holds lower-case letters, digits, _ and - only (not a space)."
        );
    }
    use crate::voltagepark::{bare_metal, vms};

    fn account() -> AccountRef {
        AccountRef {
            id: 1,
            name: "prod".into(),
        }
    }

    fn vm_json(status: &str) -> Value {
        serde_json::json!({
            "id": "vm-1", "hostnode_id": "h1", "type": "ondem", "status": status, "name": "train-1",
            "resources": {"gpus": {"h100-sxm5-80gb": {"count": 8}}, "vcpu_count": 100, "ram_gb": 900, "storage_gb": 1000},
            "operating_system": "Ubuntu 22.04",
            "pricing": {"gpus_per_hr": "18.000000", "vcpus_per_hr": "0.003000", "ram_per_hr": "0.000900",
                        "storage_per_hr": "0.001000", "total_associated_per_hr": "18.004900",
                        "total_disassociated_per_hr": "0.001000"},
            "public_ip": "203.0.113.9", "port_forwards": [{"internal_port": 22, "external_port": 20040}],
            "timestamp_creation": "2025-05-16T08:45:32.108Z", "tags": ["llm"], "future_field": 1
        })
    }

    #[test]
    fn a_vm_maps_to_one_row_with_its_ssh_command() {
        let (vm, raw) = vms::read_vm(vm_json("Running")).unwrap();
        let m = Machine::from_vm(&account(), vm, raw, &VmLogin::for_account(None));
        assert_eq!(m.kind, MachineKind::InstantVm);
        assert_eq!(m.state, MachineState::Running);
        assert_eq!(
            m.gpus,
            Some(Gpus {
                model: "h100-sxm5-80gb".into(),
                count: 8
            })
        );
        assert_eq!(m.hourly, Money::parse("18.0049"));
        assert_eq!(
            super::super::ssh_command(&m.ssh[0]),
            "ssh -p 20040 ubuntu@203.0.113.9"
        );
        assert_eq!(m.ssh[0].source, LoginSource::Default);
        assert_eq!(m.raw["future_field"], 1, "unknown fields are kept");
        assert_eq!(m.detail_path(), "/machines/voltagepark/vm/vm-1");
        assert_eq!(m.created_at, Some(1_747_385_132));

        let (vm, raw) = vms::read_vm(vm_json("StoppedDisassociated")).unwrap();
        let released = Machine::from_vm(&account(), vm, raw, &VmLogin::for_account(Some("root")));
        assert_eq!(released.state, MachineState::StoppedReleased);
        assert_eq!(released.hourly, Money::parse("0.001"));
        assert_eq!(
            super::super::ssh_command(&released.ssh[0]),
            "ssh -p 20040 root@203.0.113.9"
        );
        assert_eq!(released.ssh[0].source, LoginSource::AccountSetting);
    }

    #[test]
    fn a_rental_has_one_ssh_target_per_node_and_pending_ones_say_little() {
        let raw = serde_json::json!({
            "id": "r-1", "name": "pretrain", "creation_timestamp": "2022-01-01T00:00:00Z",
            "status": "Running", "power_status": "Running", "node_count": 2,
            "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8},
            "rate_hourly": "35.200000", "network_type": "infiniband", "username": "ubuntu",
            "node_networking": [{"public_ip": "68.25.82.82", "private_ip": "192.168.0.1"},
                                {"public_ip": "68.25.82.83", "private_ip": "192.168.0.2"}],
            "tags": []
        });
        let (r, raw) = bare_metal::read_rental(raw).unwrap();
        let m = Machine::from_rental(&account(), r, raw);
        assert_eq!(m.gpus.as_ref().unwrap().count, 16);
        assert_eq!(m.ssh.len(), 2);
        assert_eq!(
            super::super::ssh_command(&m.ssh[1]),
            "ssh ubuntu@68.25.82.83"
        );
        assert_eq!(m.ssh[1].label, "pretrain node 2");
        assert_eq!(m.ssh[1].source, LoginSource::Provider);

        let pending = serde_json::json!({"id": "r-2", "name": "new", "creation_timestamp": "2022-01-01T00:00:00Z",
            "rate_hourly": "17.600000", "status": "Pending"});
        let (r, raw) = bare_metal::read_rental(pending).unwrap();
        let p = Machine::from_rental(&account(), r, raw);
        assert_eq!(p.state, MachineState::Pending);
        assert_eq!(p.hourly, Money::parse("17.6"));
        assert!(p.ssh.is_empty() && p.gpus.is_none());
    }

    #[test]
    fn netactuate_and_octos_rows() {
        let server = serde_json::json!({"mbpkgid": 40213, "fqdn": "edge-fra-01", "ip": "203.0.113.7",
            "ipv6": "2001:db8::7", "city": "Frankfurt", "status": "RUNNING", "state": "stopped"});
        let (s, raw) = crate::netactuate::servers::read_server(server).unwrap();
        let m = Machine::from_netactuate(&account(), s, raw);
        assert_eq!(m.state, MachineState::Stopped);
        assert_eq!(m.status, "RUNNING, power stopped");
        // The SDKs' running server: one word, not "Running (RUNNING (UP))".
        let up = serde_json::json!({"mbpkgid": 1, "status": "RUNNING", "state": "UP"});
        let (s, raw) = crate::netactuate::servers::read_server(up).unwrap();
        let up = Machine::from_netactuate(&account(), s, raw);
        assert_eq!(
            (up.state, up.status.as_str()),
            (MachineState::Running, "RUNNING")
        );
        assert_eq!(m.addresses.len(), 2);
        assert_eq!(m.hourly, None);
        assert_eq!(m.detail_path(), "/machines/netactuate/server/40213");

        let vm = serde_json::json!({"id": 7, "name": "web-1", "status": "Running", "ip": "198.51.100.4",
            "project": "production", "created_at": "2025-01-02T03:04:05Z"});
        let (v, raw) = crate::octos::vms::read_vm(vm).unwrap();
        let o = Machine::from_octos(&account(), v, raw);
        assert_eq!(o.state, MachineState::Running);
        assert_eq!(o.location.as_deref(), Some("project production"));
    }
}
