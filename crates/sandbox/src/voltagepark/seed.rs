//! The demo account Voltage Park starts with: five sites, their hostnodes and prices, presets,
//! a few machines already running, SSH keys, a storage volume and three months of billing.

use std::time::Duration;

use rust_decimal::Decimal;
use time::{OffsetDateTime, Time};

use super::billing;
use super::state::*;
use crate::format::dec;
use crate::rng::Rng;

const H100: &str = "h100-sxm5-80gb";
const H200: &str = "h200-sxm5-141gb";
const A100: &str = "a100-sxm4-80gb";

/// The hardware of a hostnode model (its price depends on the site, see [`SiteSpec::instant`]).
struct HostnodeKind {
    model: &'static str,
    total: Resources,
}

const H100_NODE: HostnodeKind = HostnodeKind {
    model: H100,
    total: Resources {
        gpus: 8,
        vcpu: 208,
        ram_gb: 1920,
        storage_gb: 14000,
    },
};
const H200_NODE: HostnodeKind = HostnodeKind {
    model: H200,
    total: Resources {
        gpus: 8,
        vcpu: 224,
        ram_gb: 2048,
        storage_gb: 28000,
    },
};
const A100_NODE: HostnodeKind = HostnodeKind {
    model: A100,
    total: Resources {
        gpus: 8,
        vcpu: 128,
        ram_gb: 1024,
        storage_gb: 14000,
    },
};

/// Only the GPU price differs between sites; the vCPU, RAM and disk prices are the document's.
fn unit_prices(per_gpu_hr: &str) -> UnitPrices {
    UnitPrices {
        per_gpu_hr: dec(per_gpu_hr),
        per_vcpu_hr: dec("0.000030"),
        per_gb_ram_hr: dec("0.000001"),
        per_gb_storage_hr: dec("0.000001"),
    }
}

/// One seeded location.
struct SiteSpec {
    city: &'static str,
    region: &'static str,
    country: &'static str,
    /// Instant-VM hostnodes: (model, how many nodes, price per GPU-hour at this site).
    instant: Vec<(&'static HostnodeKind, usize, &'static str)>,
    bare_metal: Option<BareMetalSite>,
}

/// What a bare-metal site offers; prices per GPU-hour, as the document's JSON numbers.
#[allow(clippy::too_many_arguments)]
fn bare_metal(
    model: &str,
    cpu: &str,
    ram_gb: u32,
    storage_gb: u32,
    free_ethernet: u32,
    free_infiniband: u32,
    price_ethernet: &str,
    price_infiniband: &str,
    public_prefix: &str,
) -> Option<BareMetalSite> {
    Some(BareMetalSite {
        gpu_model: model.into(),
        gpus_per_node: 8,
        cpu_model: cpu.into(),
        cpu_count: 2,
        ram_gb,
        storage_gb,
        free_gpus_ethernet: free_ethernet,
        free_gpus_infiniband: free_infiniband,
        price_ethernet: dec(price_ethernet),
        price_infiniband: dec(price_infiniband),
        public_prefix: public_prefix.into(),
    })
}

/// The five sites. Prices differ between sites by a few percent up to about 20% for the same
/// GPU (cheaper where power is cheap, dearer on the east coast and in Europe), so that sorting
/// locations by price means something.
fn sites() -> Vec<SiteSpec> {
    vec![
        SiteSpec {
            city: "Seattle",
            region: "Washington",
            country: "United States",
            instant: vec![(&H100_NODE, 3, "2.250000")],
            bare_metal: bare_metal(
                H100,
                "Intel Xeon Platinum 8480+",
                2048,
                30000,
                32,
                64,
                "1.99",
                "2.20",
                "147.28.131",
            ),
        },
        SiteSpec {
            city: "Dallas",
            region: "Texas",
            country: "United States",
            instant: vec![(&H100_NODE, 2, "2.090000"), (&H200_NODE, 1, "3.190000")],
            bare_metal: bare_metal(
                H100,
                "Intel Xeon Platinum 8470",
                2048,
                30000,
                16,
                48,
                "2.15",
                "2.39",
                "64.34.88",
            ),
        },
        SiteSpec {
            city: "Salt Lake City",
            region: "Utah",
            country: "United States",
            instant: vec![(&A100_NODE, 2, "1.290000")],
            bare_metal: bare_metal(
                A100,
                "AMD EPYC 7763",
                1024,
                15000,
                24,
                0,
                "1.10",
                "1.25",
                "23.152.224",
            ),
        },
        SiteSpec {
            city: "Ashburn",
            region: "Virginia",
            country: "United States",
            instant: vec![(&H100_NODE, 1, "2.450000"), (&A100_NODE, 1, "1.490000")],
            bare_metal: None,
        },
        SiteSpec {
            city: "Amsterdam",
            region: "North Holland",
            country: "Netherlands",
            instant: vec![(&H200_NODE, 2, "3.650000")],
            bare_metal: bare_metal(
                H200,
                "Intel Xeon Platinum 8568Y+",
                3072,
                30000,
                8,
                16,
                "2.99",
                "3.29",
                "185.107.56",
            ),
        },
    ]
}

/// Presets are one shape (1, 2, 4 or 8 GPUs of a model) at one price: the hostnodes of a model
/// that charge the same GPU price form a tier, and each tier gets its own presets, deployable in
/// the tier's locations only.
fn presets(rng: &mut Rng, hostnodes: &[Hostnode]) -> Vec<Preset> {
    let mut tiers: Vec<(String, UnitPrices, Vec<uuid::Uuid>)> = Vec::new();
    for model in [H100, H200, A100] {
        for h in hostnodes.iter().filter(|h| h.gpu_model == model) {
            match tiers
                .iter_mut()
                .find(|(m, p, _)| m == model && *p == h.prices)
            {
                Some((_, _, locations)) if locations.contains(&h.location_id) => {}
                Some((_, _, locations)) => locations.push(h.location_id),
                None => tiers.push((model.to_string(), h.prices, vec![h.location_id])),
            }
        }
    }
    let mut presets = Vec::new();
    for (model, prices, location_ids) in tiers {
        // vCPUs, RAM (GB) and disk (GB) per GPU.
        let (vcpu, ram, disk) = match model.as_str() {
            H200 => (28, 256, 2000),
            A100 => (16, 120, 500),
            _ => (24, 240, 1000),
        };
        for gpus in [1u32, 2, 4, 8] {
            presets.push(Preset {
                id: rng.uuid(),
                gpu_model: model.clone(),
                resources: Resources {
                    gpus,
                    vcpu: vcpu * gpus,
                    ram_gb: ram * gpus,
                    storage_gb: disk * gpus,
                },
                operating_system: if gpus == 8 {
                    "Ubuntu 24.04 LTS"
                } else {
                    "Ubuntu 22.04 LTS"
                }
                .to_string(),
                prices,
                location_ids: location_ids.clone(),
            });
        }
    }
    presets
}

/// Builds the seeded demo organization as it stands at `now`.
pub fn seed(seed: u64, now: OffsetDateTime, boot_delay: Duration) -> State {
    let mut state = world(seed, now, boot_delay);
    add_ssh_keys(&mut state, DEMO_KEYS);
    add_vms(&mut state, now, &demo_vms());
    add_demo_storage_and_rental(&mut state, now);
    billing::seed_history(&mut state, now);
    state
}

/// Builds the second organization ("research", [`super::auth::RESEARCH_TOKEN`]) as it stands at
/// `now`: the same sites, hostnodes and presets (its own view of their capacity), and its own
/// tenant, machines, keys and balance, so two accounts show different data.
pub fn seed_research(seed: u64, now: OffsetDateTime, boot_delay: Duration) -> State {
    let mut state = world(seed, now, boot_delay);
    state.tenant_id = 5810;
    add_ssh_keys(&mut state, RESEARCH_KEYS);
    add_vms(&mut state, now, &research_vms());
    billing::seed_history(&mut state, now);
    state
}

/// The seeded account as the live API shows it (`--shapes live`): a VM and the rental that were
/// never tagged (the live API writes `null` there, where the document shows a list), and a
/// goodwill credit, a ledger line of `type: "other"` with its `note_public`.
pub fn as_recorded_live(state: &mut State) {
    if let Some(vm) = state.vms.iter_mut().find(|v| v.name == "notebook-a100") {
        vm.tags.clear();
    }
    for rental in &mut state.rentals {
        rental.tags.clear();
    }
    let Some(first) = state.transactions.iter().map(|t| t.created).min() else {
        return;
    };
    let at = first + time::Duration::days(3);
    let id = state.rng.uuid();
    state.transactions.push(Transaction {
        id,
        amount: dec("25.000000"),
        created: at,
        completed: at,
        kind: "other",
        linked: None,
        note_public: Some("Credit for the Dallas network maintenance window".into()),
    });
    state.transactions.sort_by_key(|t| t.created);
}

/// The demo organization's keys: real public keys (made with ssh-keygen for the demo; their
/// private halves were discarded), so the console shows their true fingerprints.
const DEMO_KEYS: &[(&str, &str)] = &[
    ("alice-laptop", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICPGnheRMH0IEHkzVRS+6DpQnwv3WoIltDY55mF1umdh alice@laptop"),
    ("ci runner", "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBLcjFaOoGa9psSHxX7hdl15mpHo6tKJaV/kbuR7ytqayGG60xzLVxI8aLV9P3xMvCkhfmjGgTgXT21Vo10iId2Q= ci@runner"),
    ("build bastion", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCq0RFSOS1nsaF7t/NaTOqTWSRfMwyP52CwGVtKMeNu3uE0Oc+8oSZwta+WFznx/dsFld//VzlV1GWd6coKaAh8nTsvv0guc5A/y4QJNevjgKhhdTs8Ed8+g/hZwt5/fzHms6BWiwgLIJJNg1zbDM4+3yhGuDnOMyV7lwRKZMO6bxJK5t+UA4N90+JuwBX8bivEFEPvFmzN1W7AKgI6inTz2xhywMZIpf1G/RhiN+CkYJfc5OVcro3DGR2t3f4MAl0bf6efyQlth8p0Bz2rEL6fxF7xCL1PF8/3KFDk/MYa+uOeR0O0fsuBSPpkEbmVofJqjmth7Rz+q+xsJ46pP+dJkWVrZpOBERmD/jNNsp95+BgDXNfrD0w1m+ZYOx6PiH85AZp/jzZk4a7Sp6Na9D9/8ALiOilEis3N3F/pe/yJj2IVuSoLix8//PVuyX1Pn7qzazgHCBz9zZMNxTDSENFmiaU9bganoTgnqgPgttPckYHY0JrgK3J0ObH/zYP/a6E= build@bastion"),
];

/// The research organization's key (a real one, made for the sandbox, private half discarded).
const RESEARCH_KEYS: &[(&str, &str)] = &[(
    "bob-desktop",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKgwin9Tk7B8cw1tU2kSaPlHOCU8UxDecuKUU3jdrHOC bob@desktop",
)];

/// A machine already running (or stopped) when the sandbox starts.
type VmSpec = (
    &'static str,
    &'static str,
    usize,
    u32,
    VmStatus,
    i64,
    Vec<&'static str>,
);

fn demo_vms() -> Vec<VmSpec> {
    vec![
        (
            "train-llama-8b",
            H100,
            0,
            1,
            VmStatus::Running,
            41,
            vec!["training", "llm"],
        ),
        (
            "eval-harness",
            H100,
            1,
            2,
            VmStatus::Stopped,
            23,
            vec!["eval"],
        ),
        (
            "notebook-a100",
            A100,
            2,
            1,
            VmStatus::Running,
            9,
            vec!["notebook"],
        ),
        (
            "archive-a100",
            A100,
            3,
            1,
            VmStatus::StoppedDisassociated,
            64,
            vec!["archive"],
        ),
    ]
}

fn research_vms() -> Vec<VmSpec> {
    vec![
        (
            "rlhf-sweep",
            H100,
            0,
            2,
            VmStatus::Running,
            5,
            vec!["research", "rlhf"],
        ),
        (
            "paper-figures",
            A100,
            2,
            1,
            VmStatus::Stopped,
            12,
            vec!["research"],
        ),
    ]
}

fn add_ssh_keys(state: &mut State, keys: &[(&str, &str)]) {
    for (name, content) in keys {
        let id = state.rng.uuid();
        state.ssh_keys.push(SshKey {
            id,
            name: (*name).into(),
            content: (*content).into(),
        });
    }
}

/// The sites, their hostnodes and the presets: what every organization sees alike.
fn world(seed: u64, now: OffsetDateTime, boot_delay: Duration) -> State {
    let mut rng = Rng::new(seed ^ 0x766f_6c74);
    let mut locations = Vec::new();
    let mut hostnodes = Vec::new();
    for (i, site) in sites().into_iter().enumerate() {
        let location_id = rng.uuid();
        let nodes = site
            .instant
            .iter()
            .flat_map(|&(kind, count, price)| std::iter::repeat_n((kind, price), count));
        for (j, (kind, price)) in nodes.enumerate() {
            let base = 20000 + 100 * j as u16;
            hostnodes.push(Hostnode {
                id: rng.uuid(),
                location_id,
                gpu_model: kind.model.to_string(),
                total: kind.total,
                used: Resources::default(),
                prices: unit_prices(price),
                public_ip: format!(
                    "{}.{}.{}.{}",
                    38 + i,
                    99 + j,
                    rng.below(200) + 20,
                    rng.below(200) + 20
                ),
                free_ports: (base..base + 16).collect(),
            });
        }
        locations.push(Location {
            id: location_id,
            city: site.city.into(),
            region: site.region.into(),
            country: site.country.into(),
            bare_metal: site.bare_metal,
        });
    }
    let presets = presets(&mut rng, &hostnodes);

    State {
        rng,
        locations,
        hostnodes,
        presets,
        vms: Vec::new(),
        rentals: Vec::new(),
        ssh_keys: Vec::new(),
        volumes: Vec::new(),
        transactions: Vec::new(),
        storage_rate_per_gb: dec("0.000174"),
        tenant_id: 4127,
        boot_delay,
        billed_hour: floor_hour(now),
        seed,
        extra_vms_added: 0,
    }
}

fn add_vms(state: &mut State, now: OffsetDateTime, specs: &[VmSpec]) {
    let days = |d: i64| now - time::Duration::days(d);
    for (name, model, location_index, gpus, status, age, tags) in specs.iter().cloned() {
        let location_id = state.locations[location_index].id;
        let Some(preset) = state
            .presets
            .iter()
            .find(|p| {
                p.gpu_model == model
                    && p.resources.gpus == gpus
                    && p.location_ids.contains(&location_id)
            })
            .cloned()
        else {
            continue;
        };
        let Some(node) = state.hostnodes.iter_mut().find(|h| {
            h.location_id == location_id
                && h.gpu_model == model
                && preset.resources.fits_in(&h.free())
        }) else {
            continue;
        };
        node.used = node.used.plus(&status.holds(&preset.resources));
        let port = node.free_ports.remove(0);
        let vm = Vm {
            id: state.rng.uuid(),
            instance_id: state.rng.uuid(),
            hostnode_id: node.id,
            name: name.into(),
            status,
            gpu_model: model.into(),
            resources: preset.resources,
            operating_system: preset.operating_system.clone(),
            prices: preset.prices,
            public_ip: node.public_ip.clone(),
            external_port: port,
            created: days(age) + time::Duration::minutes(17 * age),
            tags: tags.into_iter().map(String::from).collect(),
            authorized_keys: Vec::new(),
            billed_until: now,
            holds_capacity: true,
        };
        state.vms.push(vm);
    }
}

/// The demo organization's volume and its bare-metal cluster in Dallas, which uses it.
fn add_demo_storage_and_rental(state: &mut State, now: OffsetDateTime) {
    let days = |d: i64| now - time::Duration::days(d);
    let volume = Volume {
        id: state.rng.uuid(),
        name: "datasets".into(),
        size_gb: 2000,
        active: true,
        order_ids: Vec::new(),
        vip: "10.21.4.17".into(),
        used_bytes: 1_318_554_402_816,
        used_at: now,
        created: days(61),
        billed_until: now,
    };
    state.volumes.push(volume);

    let dallas = state.locations[1].id;
    let rental_id = state.rng.uuid();
    let site = state.locations[1]
        .bare_metal
        .as_mut()
        .expect("Dallas has bare metal");
    site.free_gpus_infiniband -= 16;
    let rate = site.price_infiniband * Decimal::from(16);
    let prefix = site.public_prefix.clone();
    let k8s = state.rng.uuid();
    state.rentals.push(Rental {
        id: rental_id,
        name: "pretrain-cluster".into(),
        location_id: dallas,
        created: days(33) + time::Duration::hours(5),
        status: RentalStatus::Running,
        powered: true,
        node_count: 2,
        network_type: NetworkType::Infiniband,
        rate_hourly: rate,
        username: "ubuntu".into(),
        nodes: (0..2)
            .map(|n| NodeAddress {
                public_ip: format!("{prefix}.{}", 40 + n),
                private_ip: format!("192.168.0.{}", n + 1),
            })
            .collect(),
        sub_order: Some(12345),
        storage_id: Some(state.volumes[0].id),
        k8s_cluster_id: k8s,
        tags: vec!["pretrain".into()],
        authorized_keys: Vec::new(),
        ready_at: None,
        billed_until: now,
    });
    state.volumes[0].order_ids.push(rental_id);
}

/// The start of the hour `t` falls in.
pub fn floor_hour(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_time(Time::from_hms(t.hour(), 0, 0).expect("valid hour"))
}
