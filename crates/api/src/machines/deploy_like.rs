//! "Deploy another like this": the deploy form's link, filled from an existing Voltage Park
//! machine with a new name, and what the form makes of it.
//!
//! An instant-VM deploy names a preset, not a place: presets are one shape at one price, sold in
//! the locations of that price, so "alike" is the preset of the VM's GPUs at the VM's price
//! that its location can take (the VM object names its hostnode; the machine page names the
//! place). A rental names no location at all: its location is the one that rents its GPU model
//! on its network at its price per GPU-hour (and, to tell two apart, with its CPU). Its network,
//! sub-order and storage volume are carried as they are. Voltage Park returns neither the SSH
//! keys nor the cloud-init (nor a VM's password) of a machine: the form says so.

use super::machine::{Machine, MachineKind};
use crate::voltagepark::bare_metal_locations::{BareMetalLocation, NetworkType};
use crate::voltagepark::gpu_model_label;
use crate::voltagepark::presets::Preset;
use crate::{Money, Provider};

/// A name for the next machine like `name`: `train` -> `train-2`, `train-2` -> `train-3`.
pub fn next_name(name: &str) -> String {
    if let Some((stem, n)) = name.rsplit_once('-') {
        if let Ok(n) = n.parse::<u32>() {
            return format!("{stem}-{}", n + 1);
        }
    }
    format!("{name}-2")
}

/// What a machine to deploy again was: the part of the deploy form's address that "deploy
/// another like this" fills in, read back by the form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LikeThis {
    /// The machine's own name (`like`): the form names it in what it could not carry over.
    pub like: String,
    /// The new machine's name.
    pub name: String,
    pub gpu_model: Option<String>,
    /// GPUs in all (a rental: of all its nodes).
    pub gpus: Option<u32>,
    /// Comma-separated, as the tags field takes them.
    pub tags: Option<String>,
    /// A VM's vCPUs and RAM.
    pub vcpus: Option<u64>,
    pub ram_gb: Option<u64>,
    /// A VM's hostnode, and its place ("Dallas, Texas") when the machine page knew it.
    pub hostnode_id: Option<String>,
    pub place: Option<String>,
    /// What it costs per hour while it holds its GPUs: a VM's associated rate, a rental's rate.
    pub hourly: Option<Money>,
    /// A rental's network, sub-order, storage volume and CPU model.
    pub network: Option<NetworkType>,
    pub sub_order: Option<String>,
    pub storage_id: Option<String>,
    pub cpu_model: Option<String>,
}

impl LikeThis {
    /// What `m` gives to deploy another like it, and which form takes it; `None` for machines
    /// the console does not deploy (NetActuate, Octos).
    pub fn of(m: &Machine) -> Option<(&'static str, LikeThis)> {
        if m.provider != Provider::VoltagePark {
            return None;
        }
        let text = |v: &serde_json::Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_string);
        let mut like = LikeThis {
            like: m.name.clone(),
            name: next_name(&m.name),
            gpu_model: m.gpus.as_ref().map(|g| g.model.clone()),
            gpus: m.gpus.as_ref().map(|g| g.count),
            tags: (!m.tags.is_empty()).then(|| m.tags.join(", ")),
            ..LikeThis::default()
        };
        let form = match m.kind {
            MachineKind::InstantVm => {
                let resources = &m.raw["resources"];
                like.vcpus = resources["vcpu_count"].as_u64();
                like.ram_gb = resources["ram_gb"].as_u64();
                like.hostnode_id = text(&m.raw["hostnode_id"]);
                like.place = m.location.clone();
                like.hourly = m.hourly_associated;
                "instant-vm"
            }
            MachineKind::BareMetal => {
                like.network = match m.raw["network_type"].as_str() {
                    Some("infiniband") => Some(NetworkType::Infiniband),
                    Some("ethernet") => Some(NetworkType::Ethernet),
                    _ => None,
                };
                // A number or a string; spelled `suborder` while pending.
                let sub_order = [&m.raw["sub_order"], &m.raw["suborder"]]
                    .into_iter()
                    .find_map(|v| text(v).or_else(|| v.as_u64().map(|n| n.to_string())));
                like.sub_order = sub_order;
                like.storage_id = text(&m.raw["storage_id"]);
                like.cpu_model = text(&m.raw["specs_per_node"]["cpu_model"]);
                like.hourly = m.raw["rate_hourly"]
                    .as_str()
                    .and_then(Money::parse)
                    .or(m.hourly.filter(|h| *h != Money::ZERO));
                "bare-metal"
            }
            MachineKind::Server => return None,
        };
        Some((form, like))
    }

    /// The pairs of the form's address.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = vec![("like", self.like.clone()), ("name", self.name.clone())];
        let mut put = |key: &'static str, value: Option<String>| {
            if let Some(v) = value {
                q.push((key, v));
            }
        };
        put("gpu", self.gpu_model.clone());
        put("gpus", self.gpus.map(|g| g.to_string()));
        put("tags", self.tags.clone());
        put("vcpus", self.vcpus.map(|v| v.to_string()));
        put("ram", self.ram_gb.map(|r| r.to_string()));
        put("hostnode", self.hostnode_id.clone());
        put("place", self.place.clone());
        put("rate", self.hourly.map(|h| h.to_string()));
        put("network", self.network.map(|n| n.as_str().to_string()));
        put("sub_order", self.sub_order.clone());
        put("storage", self.storage_id.clone());
        put("cpu", self.cpu_model.clone());
        q
    }

    /// What an address asks for; `None` unless it came from "deploy another like this" (it
    /// names the machine, `like`).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Option<LikeThis> {
        let like = get("like").filter(|l| !l.is_empty())?;
        let number = |key: &str| get(key).and_then(|v| v.trim().parse::<u64>().ok());
        Some(LikeThis {
            like,
            name: get("name").unwrap_or_default(),
            gpu_model: get("gpu").filter(|g| !g.is_empty()),
            gpus: number("gpus").and_then(|g| u32::try_from(g).ok()),
            tags: get("tags"),
            vcpus: number("vcpus"),
            ram_gb: number("ram"),
            hostnode_id: get("hostnode").filter(|h| !h.is_empty()),
            place: get("place").filter(|p| !p.is_empty()),
            hourly: get("rate").and_then(|r| Money::parse(&r)),
            network: match get("network").as_deref() {
                Some("infiniband") => Some(NetworkType::Infiniband),
                Some("ethernet") => Some(NetworkType::Ethernet),
                _ => None,
            },
            sub_order: get("sub_order").filter(|s| !s.is_empty()),
            storage_id: get("storage").filter(|s| !s.is_empty()),
            cpu_model: get("cpu").filter(|c| !c.is_empty()),
        })
    }

    /// What Voltage Park does not return of a machine, so the form cannot fill it in.
    pub fn not_returned(kind: MachineKind) -> &'static str {
        match kind {
            MachineKind::InstantVm => {
                "SSH keys, the password and cloud-init are not returned by Voltage Park: add them again."
            }
            _ => "SSH keys and cloud-init are not returned by Voltage Park: add them again.",
        }
    }

    /// The preset most like the VM, with what differs from it said in words; `None` when no
    /// preset has its GPUs. The same GPU model and count, then: the same price (the preset of
    /// its price tier), in its location, with its vCPUs and RAM, deployable now. `location_ids`
    /// are the ids of the VM's location (found by its hostnode or its place's name); `place`
    /// names a location id.
    pub fn preset<'a>(
        &self,
        presets: &'a [Preset],
        location_ids: &[String],
        place: impl Fn(&str) -> String,
    ) -> Option<Choice<&'a Preset>> {
        let (model, gpus) = (self.gpu_model.as_deref()?, self.gpus?);
        let same_price = |p: &Preset| self.hourly.is_some() && p.hourly_rate() == self.hourly;
        let at_place = |p: &Preset| location_ids.iter().any(|id| p.is_available_at(id));
        let same_shape = |p: &Preset| {
            self.vcpus.is_none_or(|v| v == p.resources.vcpu_count)
                && self.ram_gb.is_none_or(|r| r == p.resources.ram_gb)
        };
        let chosen = presets
            .iter()
            .filter(|p| p.gpu_model() == Some(model) && p.gpu_count() == gpus)
            .min_by_key(|p| {
                (
                    !same_price(p),
                    !at_place(p),
                    !same_shape(p),
                    !p.is_available(),
                    p.hourly_rate().map_or(i64::MAX, |m| m.micros()),
                )
            })?;
        let mut unlike = Vec::new();
        let place_name = self
            .place
            .clone()
            .or_else(|| location_ids.first().map(|id| place(id)));
        let preset_places = || {
            let mut names: Vec<String> = chosen
                .location_ids_with_availability
                .iter()
                .map(|id| place(id))
                .collect();
            names.sort();
            names.dedup();
            names.join(" or ")
        };
        match (&place_name, at_place(chosen)) {
            (_, true) => {}
            (Some(name), false) if chosen.is_available() => unlike.push(format!(
                "No preset like it can be deployed in {name} now: this one runs in {}.",
                preset_places()
            )),
            (Some(name), false) => unlike.push(format!(
                "No preset like it can be deployed in {name} now, nor this one anywhere: check again later."
            )),
            (None, _) if self.hostnode_id.is_some() => unlike.push(format!(
                "Where {} runs could not be found, so this preset may run elsewhere.",
                self.like
            )),
            (None, _) => {}
        }
        if let (Some(was), Some(now)) = (self.hourly, chosen.hourly_rate()) {
            if was != now {
                unlike.push(format!(
                    "{} costs {}/hour; this preset costs {}/hour.",
                    self.like,
                    was.to_rate_string(),
                    now.to_rate_string()
                ));
            }
        }
        if !same_shape(chosen) {
            unlike.push(format!(
                "{} has {} vCPUs and {} GB RAM; this preset has {} vCPUs and {} GB RAM.",
                self.like,
                self.vcpus.unwrap_or(chosen.resources.vcpu_count),
                self.ram_gb.unwrap_or(chosen.resources.ram_gb),
                chosen.resources.vcpu_count,
                chosen.resources.ram_gb
            ));
        }
        Some(Choice { chosen, unlike })
    }

    /// The bare-metal location most like the rental's, with what differs said in words; `None`
    /// when no location rents its GPU model. The location that rents its GPUs on its network
    /// at its price per GPU-hour, with its CPU, with the GPUs free; else the cheapest with them
    /// free.
    pub fn location<'a>(
        &self,
        locations: &'a [BareMetalLocation],
        place: impl Fn(&str) -> String,
    ) -> Option<Choice<&'a BareMetalLocation>> {
        let model = self.gpu_model.as_deref()?;
        let network = self.network.unwrap_or(NetworkType::Infiniband);
        let gpus = self.gpus.unwrap_or(0);
        let per_gpu = self
            .hourly
            .filter(|_| gpus > 0)
            .map(|h| Money::from_micros(h.micros() / i64::from(gpus)));
        let same_price =
            |l: &BareMetalLocation| per_gpu.is_some() && l.gpu_price(network) == per_gpu;
        let same_cpu = |l: &BareMetalLocation| {
            self.cpu_model
                .as_ref()
                .is_none_or(|c| l.specs_per_node.cpu_model.as_ref() == Some(c))
        };
        let chosen = locations
            .iter()
            .filter(|l| l.specs_per_node.gpu_model == model)
            .min_by_key(|l| {
                (
                    !same_price(l),
                    !same_cpu(l),
                    l.gpus_free(network) < gpus,
                    l.gpu_price(network).map_or(i64::MAX, |p| p.micros()),
                )
            })?;
        let mut unlike = Vec::new();
        let gpus_label = format!("{} × {}", gpus, gpu_model_label(model));
        if !same_price(chosen) {
            unlike.push(match per_gpu {
                Some(was) => format!(
                    "No location rents {gpus_label} on {} at {}/GPU-hour now, as {} was: {} is the nearest.",
                    network.label(),
                    was.to_rate_string(),
                    self.like,
                    place(&chosen.id)
                ),
                None => format!(
                    "Voltage Park does not say where {} runs: {} is a location that rents {gpus_label}.",
                    self.like,
                    place(&chosen.id)
                ),
            });
        }
        if chosen.gpus_free(network) < gpus {
            unlike.push(format!(
                "Only {} GPUs are free in {} on {} now.",
                chosen.gpus_free(network),
                place(&chosen.id),
                network.label()
            ));
        }
        Some(Choice { chosen, unlike })
    }
}

/// What the form chose to be like a machine, and how it differs from it, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice<T> {
    pub chosen: T,
    /// Empty when it is alike.
    pub unlike: Vec<String>,
}

/// The deploy form's path for another machine like `m`; `None` for machines the console does
/// not deploy (NetActuate, Octos).
pub fn deploy_like_path(m: &Machine) -> Option<String> {
    let (form, like) = LikeThis::of(m)?;
    Some(crate::url::with_query(
        &format!("/deploy/{form}"),
        &like.to_query(),
    ))
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

    /// The form's reading of the pairs a link was built from.
    fn query<'a>(pairs: &'a [(&'static str, String)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
        }
    }

    /// A Dallas 1 × H100 VM at $2.09 + $0.01 an hour, as the sandbox seeds it.
    fn dallas_vm() -> Machine {
        let (vm, raw) = vms::read_vm(json!({
            "id": "v1", "name": "train", "status": "Running", "tags": ["a b", "c"],
            "hostnode_id": "node-dal",
            "resources": {"gpus": {"h100-sxm5-80gb": {"count": 1}}, "vcpu_count": 24, "ram_gb": 240, "storage_gb": 1000},
            "pricing": {"total_associated_per_hr": "2.100000", "total_disassociated_per_hr": "0.010000"},
        }))
        .unwrap();
        Machine::from_vm(&account(), vm, raw, &VmLogin::for_account(None))
    }

    fn preset(id: &str, vcpus: u64, compute: &str, at: &[&str]) -> Preset {
        serde_json::from_value(json!({
            "id": id,
            "resources": {"gpus": {"h100-sxm5-80gb": {"count": 1}}, "vcpu_count": vcpus, "ram_gb": 240, "storage_gb": 1000},
            "compute_rate_hourly": compute, "storage_rate_hourly": "0.010000",
            "location_ids_with_availability": at,
        }))
        .unwrap()
    }

    fn place(id: &str) -> String {
        match id {
            "dal" => "Dallas, Texas".into(),
            "sea" => "Seattle, Washington".into(),
            other => other.into(),
        }
    }

    #[test]
    fn names_count_up() {
        assert_eq!(next_name("train"), "train-2");
        assert_eq!(next_name("train-2"), "train-3");
        assert_eq!(next_name("llama-8b"), "llama-8b-2");
    }

    #[test]
    fn a_vm_gives_its_shape_tags_hostnode_place_and_price() {
        let mut m = dallas_vm();
        m.set_location("Dallas, Texas".into());
        assert_eq!(
            deploy_like_path(&m).unwrap(),
            "/deploy/instant-vm?like=train&name=train-2&gpu=h100-sxm5-80gb&gpus=1&tags=a%20b%2C%20c\
             &vcpus=24&ram=240&hostnode=node-dal&place=Dallas%2C%20Texas&rate=2.100000"
        );
        let like = LikeThis::of(&m).unwrap().1;
        let pairs = like.to_query();
        assert_eq!(LikeThis::from_query(query(&pairs)).unwrap(), like);
        assert_eq!(
            LikeThis::from_query(query(&[("preset", "p1".to_string())])),
            None
        );
    }

    #[test]
    fn a_vm_reopens_as_the_preset_of_its_place_and_price() {
        let (_, like) = LikeThis::of(&dallas_vm()).unwrap();
        // Seattle first, as the catalogue may list it, and cheaper to be sure price alone
        // does not choose.
        let presets = [
            preset("sea-1", 24, "2.240000", &["sea"]),
            preset("dal-1", 24, "2.090000", &["dal"]),
        ];
        let at_dallas = ["dal".to_string()];
        let choice = like.preset(&presets, &at_dallas, place).unwrap();
        assert_eq!(choice.chosen.id, "dal-1");
        assert!(choice.unlike.is_empty(), "{:?}", choice.unlike);
        // Its location unknown: its price still finds its tier.
        let choice = like.preset(&presets, &[], place).unwrap();
        assert_eq!(choice.chosen.id, "dal-1");
        assert_eq!(
            choice.unlike,
            ["Where train runs could not be found, so this preset may run elsewhere."]
        );
        // Dallas sold out of its tier: the nearest, and said.
        let presets = [
            preset("sea-1", 24, "2.240000", &["sea"]),
            preset("dal-1", 24, "2.090000", &[]),
        ];
        let choice = like.preset(&presets, &at_dallas, place).unwrap();
        assert_eq!(choice.chosen.id, "dal-1");
        assert_eq!(
            choice.unlike,
            ["No preset like it can be deployed in Dallas, Texas now, nor this one anywhere: check again later."]
        );
        let presets = [preset("sea-1", 26, "2.240000", &["sea"])];
        let choice = like.preset(&presets, &at_dallas, place).unwrap();
        assert_eq!(
            choice.unlike,
            [
                "No preset like it can be deployed in Dallas, Texas now: this one runs in Seattle, Washington.",
                "train costs $2.10/hour; this preset costs $2.25/hour.",
                "train has 24 vCPUs and 240 GB RAM; this preset has 26 vCPUs and 240 GB RAM.",
            ]
        );
        let other_gpus = LikeThis {
            gpus: Some(8),
            ..like
        };
        assert!(other_gpus.preset(&presets, &at_dallas, place).is_none());
    }

    fn location(id: &str, cpu: &str, ib: &str, eth: &str, ib_free: u32) -> BareMetalLocation {
        serde_json::from_value(json!({
            "id": id, "gpu_count_ethernet": 16, "gpu_price_ethernet": eth,
            "gpu_count_infiniband": ib_free, "gpu_price_infiniband": ib,
            "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8, "cpu_model": cpu},
        }))
        .unwrap()
    }

    fn dallas_rental() -> Machine {
        let (r, raw) = bare_metal::read_rental(json!({
            "id": "r1", "name": "cluster", "status": "Running", "node_count": 2,
            "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8, "cpu_model": "Intel Xeon Platinum 8470"},
            "network_type": "infiniband", "rate_hourly": "38.240000",
            "sub_order": "12345", "storage_id": "vol-1", "tags": ["pretrain"],
        }))
        .unwrap();
        Machine::from_rental(&account(), r, raw)
    }

    #[test]
    fn a_rental_gives_its_gpus_network_sub_order_volume_and_price() {
        let m = dallas_rental();
        let path = deploy_like_path(&m).unwrap();
        assert_eq!(
            path,
            "/deploy/bare-metal?like=cluster&name=cluster-2&gpu=h100-sxm5-80gb&gpus=16&tags=pretrain\
             &rate=38.240000&network=infiniband&sub_order=12345&storage=vol-1&cpu=Intel%20Xeon%20Platinum%208470"
        );
        let pairs = LikeThis::of(&m).unwrap().1.to_query();
        let back = LikeThis::from_query(query(&pairs)).unwrap();
        assert_eq!(back.sub_order.as_deref(), Some("12345"));
        assert_eq!(back.storage_id.as_deref(), Some("vol-1"));
        assert_eq!(back.network, Some(NetworkType::Infiniband));
        // A pending rental spells it `suborder`, as a number.
        let (r, raw) = bare_metal::read_rental(json!({
            "id": "r2", "name": "new", "status": "Running", "suborder": 777,
            "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8},
        }))
        .unwrap();
        let (_, like) = LikeThis::of(&Machine::from_rental(&account(), r, raw)).unwrap();
        assert_eq!(like.sub_order.as_deref(), Some("777"));
    }

    #[test]
    fn a_rental_reopens_at_the_location_of_its_price_not_the_cheapest() {
        let (_, like) = LikeThis::of(&dallas_rental()).unwrap();
        let locations = [
            location("sea", "Intel Xeon Platinum 8480+", "2.20", "1.99", 64),
            location("dal", "Intel Xeon Platinum 8470", "2.39", "2.15", 48),
        ];
        let choice = like.location(&locations, place).unwrap();
        assert_eq!(choice.chosen.id, "dal");
        assert!(choice.unlike.is_empty(), "{:?}", choice.unlike);
        // Dallas short of GPUs: still Dallas, and said.
        let locations = [
            location("sea", "Intel Xeon Platinum 8480+", "2.20", "1.99", 64),
            location("dal", "Intel Xeon Platinum 8470", "2.39", "2.15", 8),
        ];
        let choice = like.location(&locations, place).unwrap();
        assert_eq!(choice.chosen.id, "dal");
        assert_eq!(
            choice.unlike,
            ["Only 8 GPUs are free in Dallas, Texas on InfiniBand (3.2 Tbps) now."]
        );
        // Dallas's price changed: the one with its CPU, and said.
        let locations = [
            location("sea", "Intel Xeon Platinum 8480+", "2.20", "1.99", 64),
            location("dal", "Intel Xeon Platinum 8470", "2.49", "2.15", 48),
        ];
        let choice = like.location(&locations, place).unwrap();
        assert_eq!(choice.chosen.id, "dal");
        assert_eq!(
            choice.unlike,
            ["No location rents 16 × H100 SXM5 80GB on InfiniBand (3.2 Tbps) at $2.39/GPU-hour now, as cluster was: Dallas, Texas is the nearest."]
        );
    }
}
