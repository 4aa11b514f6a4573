//! What a Voltage Park transaction is for: its `details.type`, what it is linked to, and the
//! `types` values the transactions list is filtered by (provider-docs/NOTES.md).

use serde_json::Value;

/// A transaction's `details.type`, in the user's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionKind {
    /// `charge`: a virtual machine's usage.
    VmCharge,
    /// `payout`: money back for a virtual machine.
    VmPayout,
    BareMetalCharge,
    BareMetalPayout,
    StorageCharge,
    StoragePayout,
    /// `stripe_deposit`: a top-up.
    Deposit,
    /// `other`, or a type the document does not list.
    Other,
}

/// The kinds of spending the chart stacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SpendKind {
    Vms,
    BareMetal,
    Storage,
}

impl SpendKind {
    pub const ALL: [SpendKind; 3] = [SpendKind::Vms, SpendKind::BareMetal, SpendKind::Storage];

    pub fn label(self) -> &'static str {
        match self {
            SpendKind::Vms => "VMs",
            SpendKind::BareMetal => "Bare metal",
            SpendKind::Storage => "Storage",
        }
    }

    /// A CSS-safe name (`vms`, `bare-metal`, `storage`).
    pub fn slug(self) -> &'static str {
        match self {
            SpendKind::Vms => "vms",
            SpendKind::BareMetal => "bare-metal",
            SpendKind::Storage => "storage",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl TransactionKind {
    /// Reads `details.type`.
    pub fn from_detail_type(s: &str) -> TransactionKind {
        match s {
            "charge" => TransactionKind::VmCharge,
            "payout" => TransactionKind::VmPayout,
            "baremetal_charge" => TransactionKind::BareMetalCharge,
            "baremetal_payout" => TransactionKind::BareMetalPayout,
            "storage_charge" => TransactionKind::StorageCharge,
            "storage_payout" => TransactionKind::StoragePayout,
            "stripe_deposit" => TransactionKind::Deposit,
            _ => TransactionKind::Other,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TransactionKind::VmCharge => "VM usage",
            TransactionKind::VmPayout => "VM payout",
            TransactionKind::BareMetalCharge => "Bare-metal usage",
            TransactionKind::BareMetalPayout => "Bare-metal payout",
            TransactionKind::StorageCharge => "Storage usage",
            TransactionKind::StoragePayout => "Storage payout",
            TransactionKind::Deposit => "Deposit (card)",
            TransactionKind::Other => "Other",
        }
    }

    /// What it spends on or pays back for, when it is about a kind of resource.
    pub fn spend_kind(self) -> Option<SpendKind> {
        match self {
            TransactionKind::VmCharge | TransactionKind::VmPayout => Some(SpendKind::Vms),
            TransactionKind::BareMetalCharge | TransactionKind::BareMetalPayout => {
                Some(SpendKind::BareMetal)
            }
            TransactionKind::StorageCharge | TransactionKind::StoragePayout => {
                Some(SpendKind::Storage)
            }
            TransactionKind::Deposit | TransactionKind::Other => None,
        }
    }
}

/// Money in or out, by the amount's sign (the provider signs charges negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Charge,
    Credit,
}

impl Direction {
    pub fn of(amount: crate::Money) -> Direction {
        if amount.micros() < 0 {
            Direction::Charge
        } else {
            Direction::Credit
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Charge => "Charge",
            Direction::Credit => "Credit",
        }
    }

    /// An icon beside the word (never instead of it).
    pub fn icon(self) -> &'static str {
        match self {
            Direction::Charge => "−",
            Direction::Credit => "+",
        }
    }
}

/// A `types` value of `GET /billing/transactions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeFilter {
    VirtualMachine,
    Baremetal,
    StorageBlock,
    Storage,
}

impl TypeFilter {
    pub const ALL: [TypeFilter; 4] = [
        TypeFilter::VirtualMachine,
        TypeFilter::Baremetal,
        TypeFilter::StorageBlock,
        TypeFilter::Storage,
    ];

    /// As the API takes it.
    pub fn query_value(self) -> &'static str {
        match self {
            TypeFilter::VirtualMachine => "virtual_machine",
            TypeFilter::Baremetal => "baremetal",
            TypeFilter::StorageBlock => "storage_block",
            TypeFilter::Storage => "storage",
        }
    }

    pub fn from_query_value(s: &str) -> Option<TypeFilter> {
        TypeFilter::ALL.into_iter().find(|t| t.query_value() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TypeFilter::VirtualMachine => "Virtual machines",
            TypeFilter::Baremetal => "Bare metal",
            TypeFilter::StorageBlock => "Block storage",
            TypeFilter::Storage => "Shared storage",
        }
    }
}

/// What a `linked_instance` is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkedKind {
    Vm,
    BareMetal,
    Storage,
    /// A `type` the document does not list, as written.
    Other(String),
}

impl LinkedKind {
    pub fn label(&self) -> &str {
        match self {
            LinkedKind::Vm => "VM",
            LinkedKind::BareMetal => "Bare metal",
            LinkedKind::Storage => "Volume",
            LinkedKind::Other(s) => s,
        }
    }
}

/// The machine or volume a transaction is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedInstance {
    pub kind: LinkedKind,
    /// The id the console knows it by: a VM's `virtual_machine_id` (its id in the VM list), a
    /// rental's `baremetal_rental_id`, a volume's `storage_id`; else the instance's `id`.
    pub id: String,
    /// When it was deleted, if it was (as the provider wrote it).
    pub deleted: Option<String>,
}

impl LinkedInstance {
    /// Reads a `details.linked_instance` object; `None` when there is none or it has no id.
    ///
    /// Live answers (Aug 2026) carry variants: a VM's holds `virtual_machine_id`, a rental's
    /// `baremetal_rental_id`, a volume's comes as type `storage_block_instance`, and the `type`
    /// may be one the document does not name. So the machine's own id decides first, whatever
    /// the type says; then the type; the instance's `id` is the last resort.
    pub fn read(value: &Value) -> Option<LinkedInstance> {
        let text = |k: &str| match value.get(k)? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let by_own_id = [
            ("virtual_machine_id", LinkedKind::Vm),
            ("baremetal_rental_id", LinkedKind::BareMetal),
            ("storage_id", LinkedKind::Storage),
            ("storage_block_id", LinkedKind::Storage),
        ]
        .into_iter()
        .find_map(|(field, kind)| Some((kind, text(field)?)));
        let kind_of_type = |t: &str| match t {
            "virtual_machine_instance" | "virtual_machine" => LinkedKind::Vm,
            "baremetal_rental" | "baremetal" | "baremetal_rental_instance" => LinkedKind::BareMetal,
            "storage_volume" | "storage" | "storage_block" | "storage_block_instance" => {
                LinkedKind::Storage
            }
            other => LinkedKind::Other(other.to_string()),
        };
        let (kind, id) = match by_own_id {
            Some(found) => found,
            None => (
                kind_of_type(value.get("type").and_then(Value::as_str)?),
                text("id")?,
            ),
        };
        Some(LinkedInstance {
            kind,
            id,
            deleted: text("timestamp_deletion"),
        })
    }

    /// A short stand-in for a name: `VM 123e4567…`.
    pub fn short_label(&self) -> String {
        let short: String = self.id.chars().take(8).collect();
        format!("{} {short}…", self.kind.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_documented_detail_type_is_known() {
        use TransactionKind::*;
        let all = [
            ("charge", VmCharge),
            ("payout", VmPayout),
            ("stripe_deposit", Deposit),
            ("storage_charge", StorageCharge),
            ("storage_payout", StoragePayout),
            ("baremetal_charge", BareMetalCharge),
            ("baremetal_payout", BareMetalPayout),
            ("other", Other),
            ("gift_card", Other),
        ];
        for (s, kind) in all {
            assert_eq!(TransactionKind::from_detail_type(s), kind, "{s}");
        }
        assert_eq!(VmPayout.spend_kind(), Some(SpendKind::Vms));
        assert_eq!(BareMetalCharge.spend_kind(), Some(SpendKind::BareMetal));
        assert_eq!(StorageCharge.spend_kind(), Some(SpendKind::Storage));
        assert_eq!(Deposit.spend_kind(), None);
    }

    #[test]
    fn type_filters_are_the_documented_values() {
        let values: Vec<_> = TypeFilter::ALL.iter().map(|t| t.query_value()).collect();
        assert_eq!(
            values,
            ["virtual_machine", "baremetal", "storage_block", "storage"]
        );
        for t in TypeFilter::ALL {
            assert_eq!(TypeFilter::from_query_value(t.query_value()), Some(t));
        }
        assert_eq!(TypeFilter::from_query_value("vm"), None);
    }

    #[test]
    fn direction_follows_the_sign() {
        let m = |s| crate::Money::parse(s).unwrap();
        assert_eq!(Direction::of(m("-0.000001")), Direction::Charge);
        assert_eq!(Direction::of(m("500")), Direction::Credit);
        assert_eq!(Direction::Charge.label(), "Charge");
    }

    #[test]
    fn reads_linked_instances_by_the_id_the_lists_use() {
        // The document's example.
        let vm = LinkedInstance::read(&json!({
            "type": "virtual_machine_instance",
            "id": "instance-1",
            "virtual_machine_id": "vm-1",
            "timestamp_creation": "2025-05-16T08:45:32.108Z",
            "timestamp_deletion": "2025-05-16T08:45:32.108Z"
        }))
        .unwrap();
        assert_eq!(vm.kind, LinkedKind::Vm);
        assert_eq!(vm.id, "vm-1");
        assert_eq!(vm.deleted.as_deref(), Some("2025-05-16T08:45:32.108Z"));
        let rental = LinkedInstance::read(&json!({
            "type": "baremetal_rental", "id": "r-1", "baremetal_rental_id": "r-1",
            "timestamp_deletion": null
        }))
        .unwrap();
        assert_eq!(
            (rental.kind, rental.id.as_str()),
            (LinkedKind::BareMetal, "r-1")
        );
        assert_eq!(rental.deleted, None);
        let volume = LinkedInstance::read(&json!({"type": "storage_volume", "id": "s-1"})).unwrap();
        assert_eq!(
            (volume.kind, volume.id.as_str()),
            (LinkedKind::Storage, "s-1")
        );
        let odd = LinkedInstance::read(&json!({"type": "gpu_lease", "id": "x"})).unwrap();
        assert_eq!(odd.kind, LinkedKind::Other("gpu_lease".into()));
        assert_eq!(
            LinkedInstance::read(&json!({"type": "storage_volume"})),
            None
        );
        assert_eq!(LinkedInstance::read(&Value::Null), None);
        // A type the document does not name, with the machine's own id: the id decides.
        let odd_vm =
            LinkedInstance::read(&json!({"type": "vm_lease", "virtual_machine_id": "vm-2"}));
        assert_eq!(
            odd_vm.map(|l| (l.kind, l.id)),
            Some((LinkedKind::Vm, "vm-2".to_string()))
        );
        assert_eq!(vm.short_label(), "VM vm-1…");
    }
}
