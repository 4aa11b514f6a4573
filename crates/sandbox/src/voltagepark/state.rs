//! Voltage Park's in-memory world: locations, hostnodes, presets, machines, keys, storage, ledger.

use std::time::Duration;

use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::rng::Rng;

/// GPUs, vCPUs, RAM and disk: what a hostnode offers and what a VM takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resources {
    pub gpus: u32,
    pub vcpu: u32,
    pub ram_gb: u32,
    pub storage_gb: u32,
}

impl Resources {
    pub fn fits_in(&self, free: &Resources) -> bool {
        self.gpus <= free.gpus
            && self.vcpu <= free.vcpu
            && self.ram_gb <= free.ram_gb
            && self.storage_gb <= free.storage_gb
    }

    pub fn minus(&self, other: &Resources) -> Resources {
        Resources {
            gpus: self.gpus - other.gpus,
            vcpu: self.vcpu - other.vcpu,
            ram_gb: self.ram_gb - other.ram_gb,
            storage_gb: self.storage_gb - other.storage_gb,
        }
    }

    pub fn plus(&self, other: &Resources) -> Resources {
        Resources {
            gpus: self.gpus + other.gpus,
            vcpu: self.vcpu + other.vcpu,
            ram_gb: self.ram_gb + other.ram_gb,
            storage_gb: self.storage_gb + other.storage_gb,
        }
    }

    /// Everything but the disk, which a disassociated VM keeps.
    pub fn compute_only(&self) -> Resources {
        Resources {
            storage_gb: 0,
            ..*self
        }
    }
}

/// Unit prices of a hostnode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitPrices {
    pub per_gpu_hr: Decimal,
    pub per_vcpu_hr: Decimal,
    pub per_gb_ram_hr: Decimal,
    pub per_gb_storage_hr: Decimal,
}

impl UnitPrices {
    pub fn gpus(&self, r: &Resources) -> Decimal {
        self.per_gpu_hr * Decimal::from(r.gpus)
    }
    pub fn vcpus(&self, r: &Resources) -> Decimal {
        self.per_vcpu_hr * Decimal::from(r.vcpu)
    }
    pub fn ram(&self, r: &Resources) -> Decimal {
        self.per_gb_ram_hr * Decimal::from(r.ram_gb)
    }
    pub fn storage(&self, r: &Resources) -> Decimal {
        self.per_gb_storage_hr * Decimal::from(r.storage_gb)
    }
    pub fn compute(&self, r: &Resources) -> Decimal {
        self.gpus(r) + self.vcpus(r) + self.ram(r)
    }
    pub fn total(&self, r: &Resources) -> Decimal {
        self.compute(r) + self.storage(r)
    }
}

/// What a location offers for bare-metal rentals.
#[derive(Debug, Clone)]
pub struct BareMetalSite {
    pub gpu_model: String,
    pub gpus_per_node: u32,
    pub cpu_model: String,
    pub cpu_count: u32,
    pub ram_gb: u32,
    pub storage_gb: u32,
    pub free_gpus_ethernet: u32,
    pub free_gpus_infiniband: u32,
    pub price_ethernet: Decimal,
    pub price_infiniband: Decimal,
    /// First three octets of the public addresses handed out here.
    pub public_prefix: String,
}

#[derive(Debug, Clone)]
pub struct Location {
    pub id: Uuid,
    pub city: String,
    pub region: String,
    pub country: String,
    pub bare_metal: Option<BareMetalSite>,
}

#[derive(Debug, Clone)]
pub struct Hostnode {
    pub id: Uuid,
    pub location_id: Uuid,
    pub gpu_model: String,
    pub total: Resources,
    pub used: Resources,
    pub prices: UnitPrices,
    pub public_ip: String,
    /// External ports not yet forwarded to a VM.
    pub free_ports: Vec<u16>,
}

impl Hostnode {
    pub fn free(&self) -> Resources {
        self.total.minus(&self.used)
    }
}

#[derive(Debug, Clone)]
pub struct Preset {
    pub id: Uuid,
    pub gpu_model: String,
    pub resources: Resources,
    pub operating_system: String,
    pub prices: UnitPrices,
    /// The locations whose hostnodes of this GPU model charge exactly `prices`: the only places
    /// the preset is deployed. An instant deploy names no location, so the preset's advertised
    /// rate must be the rate of wherever it lands; locations at another price get their own preset.
    pub location_ids: Vec<Uuid>,
}

/// A VM's `status`. NOTES.md lists all six; `Outbid` and `Relocating` come from the provider's
/// side (a spot bid lost, a machine being moved) and are set only through the admin API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VmStatus {
    Running,
    Stopped,
    StoppedDisassociated,
    Terminated,
    Outbid,
    Relocating,
}

impl VmStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VmStatus::Running => "Running",
            VmStatus::Stopped => "Stopped",
            VmStatus::StoppedDisassociated => "StoppedDisassociated",
            VmStatus::Terminated => "Terminated",
            VmStatus::Outbid => "Outbid",
            VmStatus::Relocating => "Relocating",
        }
    }

    /// Whether the VM holds its GPUs, vCPUs and RAM (and is billed for them). A disassociated VM
    /// gave them back; an outbid one lost them to a higher bid. Either keeps only its disk. A
    /// relocating VM is assumed to keep its resources (and its rate) while it moves.
    pub fn holds_compute(self) -> bool {
        matches!(
            self,
            VmStatus::Running | VmStatus::Stopped | VmStatus::Relocating
        )
    }

    /// What a VM of `resources` occupies on its hostnode in this status: everything, or only its
    /// disk once the compute is given back.
    pub fn holds(self, resources: &Resources) -> Resources {
        if self.holds_compute() {
            *resources
        } else {
            resources.minus(&resources.compute_only())
        }
    }
}

#[derive(Debug, Clone)]
pub struct Vm {
    pub id: Uuid,
    /// The billing ledger's instance id (a VM gets a new one each time it is re-associated).
    pub instance_id: Uuid,
    pub hostnode_id: Uuid,
    pub name: String,
    pub status: VmStatus,
    pub gpu_model: String,
    pub resources: Resources,
    pub operating_system: String,
    pub prices: UnitPrices,
    pub public_ip: String,
    pub external_port: u16,
    pub created: OffsetDateTime,
    pub tags: Vec<String>,
    pub authorized_keys: Vec<String>,
    pub billed_until: OffsetDateTime,
    /// `false` for the extra VMs seeded to try big tables (`extra_vms.rs`): they take no GPUs,
    /// vCPUs, RAM, disk or port on their hostnode, so that thousands fit on a dozen hostnodes.
    pub holds_capacity: bool,
}

impl Vm {
    pub fn rate_associated(&self) -> Decimal {
        self.prices.total(&self.resources)
    }
    pub fn rate_disassociated(&self) -> Decimal {
        self.prices.storage(&self.resources)
    }
    /// What the VM costs per hour in its current state.
    pub fn rate_now(&self) -> Decimal {
        match self.status {
            VmStatus::Terminated => Decimal::ZERO,
            s if s.holds_compute() => self.rate_associated(),
            _ => self.rate_disassociated(),
        }
    }

    /// What the VM occupies on its hostnode now.
    pub fn held(&self) -> Resources {
        self.status.holds(&self.resources)
    }
}

/// A rental's `status` (NOTES.md). `Failed` is set only through the admin API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RentalStatus {
    Pending,
    Running,
    Terminated,
    Failed,
}

impl RentalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RentalStatus::Pending => "Pending",
            RentalStatus::Running => "Running",
            RentalStatus::Terminated => "Terminated",
            RentalStatus::Failed => "Failed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkType {
    Infiniband,
    Ethernet,
}

impl NetworkType {
    pub fn as_str(self) -> &'static str {
        match self {
            NetworkType::Infiniband => "infiniband",
            NetworkType::Ethernet => "ethernet",
        }
    }
}

#[derive(Debug, Clone)]
pub struct NodeAddress {
    pub public_ip: String,
    pub private_ip: String,
}

#[derive(Debug, Clone)]
pub struct Rental {
    pub id: Uuid,
    pub name: String,
    pub location_id: Uuid,
    pub created: OffsetDateTime,
    pub status: RentalStatus,
    /// `true` when the nodes are powered on.
    pub powered: bool,
    pub node_count: u32,
    pub network_type: NetworkType,
    pub rate_hourly: Decimal,
    pub username: String,
    pub nodes: Vec<NodeAddress>,
    pub sub_order: Option<i64>,
    pub storage_id: Option<Uuid>,
    pub k8s_cluster_id: Uuid,
    pub tags: Vec<String>,
    pub authorized_keys: Vec<String>,
    /// When a pending rental becomes running.
    pub ready_at: Option<OffsetDateTime>,
    pub billed_until: OffsetDateTime,
}

impl Rental {
    pub fn gpus(&self, site: &BareMetalSite) -> u32 {
        self.node_count * site.gpus_per_node
    }
}

#[derive(Debug, Clone)]
pub struct SshKey {
    pub id: Uuid,
    pub name: String,
    pub content: String,
}

#[derive(Debug, Clone)]
pub struct Volume {
    pub id: Uuid,
    pub name: String,
    pub size_gb: u32,
    pub active: bool,
    pub order_ids: Vec<Uuid>,
    pub vip: String,
    /// What was stored at `used_at`; attached volumes fill up as time passes (`storage.rs`).
    pub used_bytes: u64,
    pub used_at: OffsetDateTime,
    pub created: OffsetDateTime,
    pub billed_until: OffsetDateTime,
}

/// What a ledger line is linked to.
#[derive(Debug, Clone)]
pub enum Linked {
    Vm {
        instance_id: Uuid,
        vm_id: Uuid,
        created: OffsetDateTime,
        deleted: Option<OffsetDateTime>,
    },
    Rental {
        rental_id: Uuid,
        created: OffsetDateTime,
        deleted: Option<OffsetDateTime>,
    },
    Storage {
        storage_id: Uuid,
        created: OffsetDateTime,
        deleted: Option<OffsetDateTime>,
    },
}

#[derive(Debug, Clone)]
pub struct Transaction {
    pub id: Uuid,
    /// Signed: charges are negative, deposits positive.
    pub amount: Decimal,
    pub created: OffsetDateTime,
    pub completed: OffsetDateTime,
    /// `details.type`: `charge`, `stripe_deposit`, `storage_charge`, `baremetal_charge`, ...
    pub kind: &'static str,
    pub linked: Option<Linked>,
    /// The words shown to the customer on an `other` line (a credit, an adjustment); only the
    /// live reading has such lines (issue 27: `type: "other"` carries `note_public`).
    pub note_public: Option<String>,
}

/// The whole Voltage Park account.
#[derive(Debug)]
pub struct State {
    pub rng: Rng,
    pub locations: Vec<Location>,
    pub hostnodes: Vec<Hostnode>,
    pub presets: Vec<Preset>,
    pub vms: Vec<Vm>,
    pub rentals: Vec<Rental>,
    pub ssh_keys: Vec<SshKey>,
    pub volumes: Vec<Volume>,
    pub transactions: Vec<Transaction>,
    pub storage_rate_per_gb: Decimal,
    pub tenant_id: i64,
    pub boot_delay: Duration,
    /// Start of the hour up to which every resource has been billed.
    pub billed_hour: OffsetDateTime,
    /// The world's seed, which the extra VMs are drawn from.
    pub seed: u64,
    /// How many extra VMs were ever added (their numbering goes on after terminations).
    pub extra_vms_added: u32,
}

impl State {
    pub fn location(&self, id: Uuid) -> Option<&Location> {
        self.locations.iter().find(|l| l.id == id)
    }

    pub fn hostnode(&self, id: Uuid) -> Option<&Hostnode> {
        self.hostnodes.iter().find(|h| h.id == id)
    }

    pub fn hostnode_mut(&mut self, id: Uuid) -> Option<&mut Hostnode> {
        self.hostnodes.iter_mut().find(|h| h.id == id)
    }

    /// The account balance: the sum of the ledger.
    pub fn balance(&self) -> Decimal {
        self.transactions.iter().map(|t| t.amount).sum()
    }
}
