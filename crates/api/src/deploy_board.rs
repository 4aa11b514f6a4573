//! The capacity board: every way to get the GPUs a person needs right now, cheapest first, from
//! Voltage Park's instant-deploy presets and bare-metal locations; and, when nothing fits, what
//! comes closest (fewer GPUs, another model, the other network).
//!
//! Instant VMs have no InfiniBand between machines, so a need for InfiniBand is met by
//! bare-metal rentals only. Bare metal comes in whole nodes: a need for 4 GPUs at a location with
//! 8-GPU nodes is one node of 8.

use crate::estimate::{cost_estimate, CostEstimate};
use crate::voltagepark::bare_metal_locations::{BareMetalLocation, NetworkType};
use crate::voltagepark::presets::Preset;
use crate::Money;

/// What the person asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Need {
    /// A GPU model id (`h100-sxm5-80gb`); `None` for any model.
    pub gpu_model: Option<String>,
    /// GPUs in all (at least 1).
    pub gpus: u32,
    /// True when the machines must be joined by InfiniBand.
    pub infiniband: bool,
}

impl Need {
    /// What the board asks before the person says anything: 8 GPUs of any model.
    pub fn first() -> Need {
        Need {
            gpu_model: None,
            gpus: 8,
            infiniband: false,
        }
    }

    /// The need as the board's address keeps it (`gpu`, `gpus`, `infiniband=yes`), so Back and
    /// a reload show the same offers; what [`Need::first`] already says is left out.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let first = Need::first();
        let mut q = Vec::new();
        if let Some(model) = &self.gpu_model {
            q.push(("gpu", model.clone()));
        }
        if self.gpus != first.gpus {
            q.push(("gpus", self.gpus.to_string()));
        }
        if self.infiniband {
            q.push(("infiniband", "yes".to_string()));
        }
        q
    }

    /// The need an address asks for; anything missing or unreadable is [`Need::first`]'s.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Need {
        let first = Need::first();
        Need {
            gpu_model: get("gpu").filter(|m| !m.is_empty()),
            gpus: get("gpus")
                .and_then(|g| g.trim().parse::<u32>().ok())
                .filter(|g| *g >= 1)
                .unwrap_or(first.gpus),
            infiniband: get("infiniband").is_some_and(|v| v == "yes"),
        }
    }
}

/// One way to get GPUs now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub kind: OfferKind,
    pub gpu_model: String,
    /// GPUs the machine (or the rental's nodes together) has.
    pub gpus: u32,
    /// $/hour of the whole machine; `None` when the provider gives no price (such an offer is
    /// listed last and cannot be deployed: nothing is deployed without a price).
    pub hourly: Option<Money>,
}

/// Where an offer comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferKind {
    /// An instant-deploy preset; Voltage Park picks one of `location_ids`.
    InstantVm {
        preset_id: String,
        location_ids: Vec<String>,
        vcpus: u64,
        ram_gb: u64,
        storage_gb: u64,
        operating_system: String,
    },
    /// Whole bare-metal nodes at a location, on a network type.
    BareMetal {
        location_id: String,
        network: NetworkType,
        nodes: u32,
        gpus_per_node: u32,
        /// GPUs free there on that network now.
        gpus_free: u32,
    },
}

impl Offer {
    /// $/GPU-hour, when priced.
    pub fn per_gpu_hour(&self) -> Option<Money> {
        let hourly = self.hourly?;
        (self.gpus > 0).then(|| Money::from_micros(hourly.micros() / i64::from(self.gpus)))
    }

    /// $/hour, $/day, $/30 days and the hold, when priced.
    pub fn estimate(&self) -> Option<CostEstimate> {
        self.hourly.map(cost_estimate)
    }

    /// True for a bare-metal offer on InfiniBand.
    pub fn is_infiniband(&self) -> bool {
        matches!(
            self.kind,
            OfferKind::BareMetal {
                network: NetworkType::Infiniband,
                ..
            }
        )
    }
}

/// Something close to the need, when nothing meets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closest {
    /// In words: "Fewer GPUs", "Another model", "Ethernet instead of InfiniBand".
    pub how: &'static str,
    pub offer: Offer,
}

/// The board's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Board {
    /// Every offer that meets the need, cheapest first (unpriced last).
    pub offers: Vec<Offer>,
    /// When `offers` is empty: the nearest offers, at most one of each kind of compromise.
    pub closest: Vec<Closest>,
}

/// Every GPU model on offer (presets and bare-metal locations), each once, sorted.
pub fn gpu_models(presets: &[Preset], locations: &[BareMetalLocation]) -> Vec<String> {
    let mut models: Vec<String> = presets
        .iter()
        .filter_map(|p| p.gpu_model().map(str::to_string))
        .chain(
            locations
                .iter()
                .map(|l| l.specs_per_node.gpu_model.clone())
                .filter(|m| !m.is_empty()),
        )
        .collect();
    models.sort();
    models.dedup();
    models
}

/// The board for `need`.
pub fn board(need: &Need, presets: &[Preset], locations: &[BareMetalLocation]) -> Board {
    let offers = matching(need, presets, locations);
    let closest = if offers.is_empty() && need.gpus > 0 {
        closest(need, presets, locations)
    } else {
        Vec::new()
    };
    Board { offers, closest }
}

fn model_fits(need: &Need, model: &str) -> bool {
    need.gpu_model.as_deref().is_none_or(|m| m == model)
}

/// Offers meeting `need` exactly (bare metal rounded up to whole nodes), cheapest first.
fn matching(need: &Need, presets: &[Preset], locations: &[BareMetalLocation]) -> Vec<Offer> {
    let mut offers = Vec::new();
    if need.gpus == 0 {
        return offers;
    }
    if !need.infiniband {
        offers.extend(
            instant_offers(presets)
                .filter(|o| o.gpus == need.gpus && model_fits(need, &o.gpu_model)),
        );
    }
    for location in locations {
        let per_node = location.specs_per_node.gpu_count;
        if per_node == 0 || !model_fits(need, &location.specs_per_node.gpu_model) {
            continue;
        }
        let nodes = need.gpus.div_ceil(per_node);
        for &network in networks(need.infiniband) {
            if location.gpus_free(network) >= nodes * per_node {
                offers.push(bare_metal_offer(location, network, nodes));
            }
        }
    }
    cheapest_first(&mut offers);
    offers
}

fn networks(infiniband: bool) -> &'static [NetworkType] {
    if infiniband {
        &[NetworkType::Infiniband]
    } else {
        &[NetworkType::Infiniband, NetworkType::Ethernet]
    }
}

/// Every preset that can be deployed now, as an offer.
fn instant_offers(presets: &[Preset]) -> impl Iterator<Item = Offer> + '_ {
    presets.iter().filter(|p| p.is_available()).filter_map(|p| {
        Some(Offer {
            gpu_model: p.gpu_model()?.to_string(),
            gpus: p.gpu_count(),
            hourly: p.hourly_rate(),
            kind: OfferKind::InstantVm {
                preset_id: p.id.clone(),
                location_ids: p.location_ids_with_availability.clone(),
                vcpus: p.resources.vcpu_count,
                ram_gb: p.resources.ram_gb,
                storage_gb: p.resources.storage_gb,
                operating_system: p.operating_system.clone(),
            },
        })
    })
}

fn bare_metal_offer(location: &BareMetalLocation, network: NetworkType, nodes: u32) -> Offer {
    let per_node = location.specs_per_node.gpu_count;
    let gpus = nodes * per_node;
    Offer {
        gpu_model: location.specs_per_node.gpu_model.clone(),
        gpus,
        hourly: location.gpu_price(network).map(|p| p * gpus),
        kind: OfferKind::BareMetal {
            location_id: location.id.clone(),
            network,
            nodes,
            gpus_per_node: per_node,
            gpus_free: location.gpus_free(network),
        },
    }
}

/// The biggest offer each source can make now, whatever the need: a preset as it is, a
/// bare-metal location with all its free whole nodes.
fn largest_offers(
    presets: &[Preset],
    locations: &[BareMetalLocation],
    infiniband: bool,
) -> Vec<Offer> {
    let mut offers: Vec<Offer> = if infiniband {
        Vec::new()
    } else {
        instant_offers(presets).collect()
    };
    for location in locations {
        let per_node = location.specs_per_node.gpu_count;
        if per_node == 0 {
            continue;
        }
        for network in networks(infiniband) {
            let nodes = location.gpus_free(*network) / per_node;
            if nodes > 0 {
                offers.push(bare_metal_offer(location, *network, nodes));
            }
        }
    }
    offers
}

fn closest(need: &Need, presets: &[Preset], locations: &[BareMetalLocation]) -> Vec<Closest> {
    let mut found = Vec::new();
    // Fewer GPUs of the chosen model: the most that can start now, then the cheapest of those.
    let mut fewer: Vec<Offer> = largest_offers(presets, locations, need.infiniband)
        .into_iter()
        .filter(|o| o.gpus < need.gpus && model_fits(need, &o.gpu_model))
        .collect();
    if let Some(most) = fewer.iter().map(|o| o.gpus).max() {
        fewer.retain(|o| o.gpus == most);
        cheapest_first(&mut fewer);
        found.push(Closest {
            how: "Fewer GPUs",
            offer: fewer.swap_remove(0),
        });
    }
    // Another model, as many GPUs.
    if need.gpu_model.is_some() {
        let any_model = Need {
            gpu_model: None,
            ..need.clone()
        };
        if let Some(offer) = matching(&any_model, presets, locations)
            .into_iter()
            .find(|o| !model_fits(need, &o.gpu_model))
        {
            found.push(Closest {
                how: "Another GPU model",
                offer,
            });
        }
    }
    // The other network: without InfiniBand (Ethernet bare metal, or an instant VM).
    if need.infiniband {
        let without = Need {
            infiniband: false,
            ..need.clone()
        };
        if let Some(offer) = matching(&without, presets, locations).into_iter().next() {
            found.push(Closest {
                how: "Without InfiniBand",
                offer,
            });
        }
    }
    found
}

/// Cheapest $/hour first; unpriced offers last; ties by $/GPU-hour, then instant VMs first.
fn cheapest_first(offers: &mut [Offer]) {
    offers.sort_by_key(|o| {
        (
            o.hourly.is_none(),
            o.hourly.map(Money::micros),
            o.per_gpu_hour().map(Money::micros),
            matches!(o.kind, OfferKind::BareMetal { .. }),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voltagepark::bare_metal::NodeSpecs;
    use serde_json::json;

    #[test]
    fn the_need_goes_to_the_address_and_back() {
        let get = |q: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                q.iter()
                    .find(|(key, _)| *key == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Need::from_query(get(&[])), Need::first());
        assert!(Need::first().to_query().is_empty());
        let need = Need {
            gpu_model: Some("h100-sxm5-80gb".into()),
            gpus: 16,
            infiniband: true,
        };
        let q = need.to_query();
        assert_eq!(
            crate::url::with_query("/deploy", &q),
            "/deploy?gpu=h100-sxm5-80gb&gpus=16&infiniband=yes"
        );
        let back =
            Need::from_query(|k| q.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone()));
        assert_eq!(back, need);
        // Nonsense is the first need's, not an empty board.
        let odd = Need::from_query(get(&[("gpus", "0"), ("infiniband", "maybe"), ("gpu", "")]));
        assert_eq!(odd, Need::first());
    }

    fn preset(id: &str, model: &str, gpus: u32, compute: &str, at: &[&str]) -> Preset {
        serde_json::from_value(json!({
            "id": id,
            "resources": {"gpus": {model: {"count": gpus}}, "vcpu_count": 26, "ram_gb": 200, "storage_gb": 500},
            "operating_system": "Ubuntu 22.04 LTS",
            "compute_rate_hourly": compute,
            "storage_rate_hourly": "0.010000",
            "location_ids_with_availability": at,
        }))
        .unwrap()
    }

    fn site(id: &str, model: &str, ib: (u32, f64), eth: (u32, f64)) -> BareMetalLocation {
        BareMetalLocation {
            id: id.into(),
            gpu_count_infiniband: ib.0,
            gpu_price_infiniband: Money::parse(&ib.1.to_string()),
            gpu_count_ethernet: eth.0,
            gpu_price_ethernet: Money::parse(&eth.1.to_string()),
            specs_per_node: NodeSpecs {
                gpu_model: model.into(),
                gpu_count: 8,
                cpu_model: None,
                cpu_count: None,
                ram_gb: None,
                storage_gb: None,
            },
            reserved_gpu_count_infiniband_cluster_one: None,
            reserved_gpu_count_infiniband_cluster_two: None,
            extra: Default::default(),
        }
    }

    const H100: &str = "h100-sxm5-80gb";

    fn need(model: Option<&str>, gpus: u32, infiniband: bool) -> Need {
        Need {
            gpu_model: model.map(str::to_string),
            gpus,
            infiniband,
        }
    }

    #[test]
    fn every_way_to_get_eight_h100_cheapest_first() {
        let presets = [
            preset("p8", H100, 8, "17.990000", &["loc-a"]),
            preset("p1", H100, 1, "2.240000", &["loc-a"]),
            preset("sold-out", H100, 8, "1.000000", &[]),
        ];
        let sites = [
            site("loc-a", H100, (16, 2.5), (8, 2.2)),
            site("loc-b", H100, (0, 2.0), (24, 1.99)),
        ];
        let b = board(&need(Some(H100), 8, false), &presets, &sites);
        let rates: Vec<String> = b
            .offers
            .iter()
            .map(|o| o.hourly.unwrap().to_string())
            .collect();
        // loc-b ethernet 8 x 1.99, loc-a ethernet 8 x 2.2, loc-a IB 8 x 2.5, preset 18.00.
        assert_eq!(rates, ["15.920000", "17.600000", "18.000000", "20.000000"]);
        assert_eq!(b.offers[0].per_gpu_hour(), Money::parse("1.99"));
        assert!(matches!(b.offers[2].kind, OfferKind::InstantVm { .. }));
        assert_eq!(
            b.offers[0].estimate().unwrap().hold,
            Money::parse("764.16").unwrap()
        );
        assert!(b.closest.is_empty());
    }

    #[test]
    fn infiniband_leaves_out_instant_vms_and_ethernet() {
        let presets = [preset("p8", H100, 8, "17.990000", &["loc-a"])];
        let sites = [site("loc-a", H100, (16, 2.5), (8, 2.2))];
        let b = board(&need(Some(H100), 16, true), &presets, &sites);
        assert_eq!(b.offers.len(), 1);
        assert!(b.offers[0].is_infiniband());
        assert!(matches!(
            b.offers[0].kind,
            OfferKind::BareMetal { nodes: 2, .. }
        ));
    }

    #[test]
    fn bare_metal_rounds_up_to_whole_nodes() {
        let sites = [site("loc-a", H100, (0, 2.5), (8, 2.0))];
        let b = board(&need(None, 4, false), &[], &sites);
        assert_eq!(b.offers[0].gpus, 8);
        assert_eq!(b.offers[0].hourly, Money::parse("16"));
    }

    #[test]
    fn nothing_available_says_what_is_closest() {
        let presets = [preset("a100", "a100-80gb", 8, "10.000000", &["loc-b"])];
        let sites = [
            site("loc-a", H100, (8, 2.5), (16, 2.2)),
            site("loc-b", "a100-80gb", (32, 1.5), (0, 1.0)),
        ];
        // 32 x H100 on InfiniBand: none.
        let b = board(&need(Some(H100), 32, true), &presets, &sites);
        assert!(b.offers.is_empty());
        let hows: Vec<&str> = b.closest.iter().map(|c| c.how).collect();
        assert_eq!(hows, ["Fewer GPUs", "Another GPU model"]);
        assert_eq!(b.closest[0].offer.gpus, 8);
        assert!(b.closest[0].offer.is_infiniband());
        assert_eq!(b.closest[1].offer.gpu_model, "a100-80gb");
        // 16 x H100 on InfiniBand: Ethernet has them.
        let b = board(&need(Some(H100), 16, true), &presets, &sites);
        let without = b.closest.iter().find(|c| c.how == "Without InfiniBand");
        assert_eq!(without.unwrap().offer.gpus, 16);
    }

    #[test]
    fn unpriced_offers_come_last_and_models_are_listed_once() {
        let mut unpriced = preset("x", H100, 1, "text", &["loc-a"]);
        unpriced.compute_rate_hourly = None;
        let presets = [unpriced, preset("y", H100, 1, "2.000000", &["loc-a"])];
        let b = board(&need(None, 1, false), &presets, &[]);
        assert_eq!(b.offers[1].hourly, None);
        assert_eq!(b.offers[1].per_gpu_hour(), None);
        let sites = [site("loc-a", H100, (0, 1.0), (0, 1.0))];
        assert_eq!(gpu_models(&presets, &sites), [H100]);
    }
}
