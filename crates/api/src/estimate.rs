//! What a deploy will cost and whether the balance covers it, as plain arithmetic on exact
//! [`Money`].
//!
//! Billing is prepaid and a deploy holds about two days of the hourly rate in advance
//! (provider-docs/NOTES.md). The one balance rule the console uses everywhere: **a deploy needs
//! (the account's current hourly rate + the new machine's hourly rate) × 48 hours of balance**
//! ([`check_balance`]).
//!
//! Hourly rates: an instant VM's is its preset's compute + storage rate
//! ([`crate::voltagepark::presets::Preset::hourly_rate`]); a bare-metal rental's is the per-GPU
//! price for its network type × its GPUs, in whole nodes ([`bare_metal_rate`]).

use crate::voltagepark::bare_metal_locations::{BareMetalLocation, NetworkType};
use crate::Money;

/// Hours of the hourly rate held in advance when deploying.
pub const HOLD_HOURS: u32 = 48;

/// A machine's cost at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostEstimate {
    pub per_hour: Money,
    pub per_day: Money,
    pub per_30_days: Money,
    /// What deploying holds of the balance for this machine alone: 48 hours of its rate.
    pub hold: Money,
}

/// The cost of a machine that costs `hourly` per hour.
pub fn cost_estimate(hourly: Money) -> CostEstimate {
    CostEstimate {
        per_hour: hourly,
        per_day: hourly * 24,
        per_30_days: hourly * (24 * 30),
        hold: hourly * HOLD_HOURS,
    }
}

/// Whether the balance allows one more machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BalanceCheck {
    /// The account's rate once the new machine runs: current + new.
    pub total_hourly: Money,
    /// What the balance must cover: `total_hourly` × 48 hours.
    pub needed: Money,
    /// True when the balance is at least `needed`.
    pub covers: bool,
    /// Balance minus `needed`; negative when it falls short.
    pub left_after_hold: Money,
    /// Whole hours the balance lasts at `total_hourly`; `None` when that rate is zero.
    pub runway_hours: Option<u64>,
}

impl BalanceCheck {
    /// How much has to be added before the deploy can go ahead; `None` when nothing.
    pub fn shortfall(&self) -> Option<Money> {
        (!self.covers).then(|| Money::ZERO - self.left_after_hold)
    }
}

/// Applies the balance rule: a deploy needs (`current_hourly` + `new_hourly`) × 48 h of
/// `balance`.
pub fn check_balance(balance: Money, current_hourly: Money, new_hourly: Money) -> BalanceCheck {
    let total_hourly = current_hourly + new_hourly;
    let needed = total_hourly * HOLD_HOURS;
    let runway_hours = (total_hourly.micros() > 0)
        .then(|| (balance.micros().max(0) / total_hourly.micros()) as u64);
    BalanceCheck {
        total_hourly,
        needed,
        covers: balance >= needed,
        left_after_hold: balance - needed,
        runway_hours,
    }
}

/// Hours as a person reads them: `less than an hour`, `5 hours`, `2 days 4 hours`, `1 day`.
pub fn runway_text(hours: u64) -> String {
    let plural = |n: u64, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    match (hours / 24, hours % 24) {
        (0, 0) => "less than an hour".to_string(),
        (0, h) => plural(h, "hour"),
        (d, 0) => plural(d, "day"),
        (d, h) => format!("{} {}", plural(d, "day"), plural(h, "hour")),
    }
}

/// A GPU count that is not a whole number of nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WholeNodesError {
    #[error("Choose at least one node ({per_node} GPUs).")]
    Zero { per_node: u32 },
    #[error(
        "Bare metal comes in whole nodes of {per_node} GPUs: {gpus} GPUs is not a whole number \
         of nodes. Choose {below} or {above}."
    )]
    NotWhole {
        gpus: u32,
        per_node: u32,
        below: u32,
        above: u32,
    },
    #[error("The location does not say how many GPUs a node has.")]
    UnknownNodeSize,
}

/// How many nodes `gpus` GPUs are, when nodes have `per_node` GPUs each.
pub fn nodes_for_gpus(gpus: u32, per_node: u32) -> Result<u32, WholeNodesError> {
    if per_node == 0 {
        return Err(WholeNodesError::UnknownNodeSize);
    }
    if gpus == 0 {
        return Err(WholeNodesError::Zero { per_node });
    }
    if gpus % per_node != 0 {
        let below = (gpus / per_node) * per_node;
        return Err(WholeNodesError::NotWhole {
            gpus,
            per_node,
            below: below.max(per_node),
            above: below + per_node,
        });
    }
    Ok(gpus / per_node)
}

/// The GPU counts that can be chosen at `location` on `network`: whole nodes, up to the GPUs
/// free there.
pub fn gpu_count_choices(location: &BareMetalLocation, network: NetworkType) -> Vec<u32> {
    let per_node = location.specs_per_node.gpu_count;
    if per_node == 0 {
        return Vec::new();
    }
    (1..=location.gpus_free(network) / per_node)
        .map(|nodes| nodes * per_node)
        .collect()
}

/// Why a bare-metal rate cannot be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BareMetalRateError {
    #[error(transparent)]
    Nodes(#[from] WholeNodesError),
    #[error("The location gives no price for {} GPUs.", .0.label())]
    NoPrice(NetworkType),
}

/// What renting `gpus` GPUs at `location` on `network` costs per hour: the per-GPU price for
/// that network type × the GPU count, for a whole number of nodes.
pub fn bare_metal_rate(
    location: &BareMetalLocation,
    network: NetworkType,
    gpus: u32,
) -> Result<Money, BareMetalRateError> {
    nodes_for_gpus(gpus, location.specs_per_node.gpu_count)?;
    let price = location
        .gpu_price(network)
        .ok_or(BareMetalRateError::NoPrice(network))?;
    Ok(price * gpus)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn estimate_gives_hour_day_month_and_hold() {
        let e = cost_estimate(money("2.19"));
        assert_eq!(e.per_hour, money("2.19"));
        assert_eq!(e.per_day, money("52.56"));
        assert_eq!(e.per_30_days, money("1576.80"));
        assert_eq!(e.hold, money("105.12"));
        assert_eq!(cost_estimate(Money::ZERO).hold, Money::ZERO);
    }

    #[test]
    fn the_balance_must_cover_48_hours_of_old_plus_new() {
        // Running $2.50/h already, adding $2.20/h: needs 4.70 x 48 = $225.60.
        let ok = check_balance(money("300"), money("2.5"), money("2.2"));
        assert_eq!(ok.total_hourly, money("4.7"));
        assert_eq!(ok.needed, money("225.6"));
        assert!(ok.covers);
        assert_eq!(ok.left_after_hold, money("74.4"));
        assert_eq!(ok.shortfall(), None);
        assert_eq!(ok.runway_hours, Some(63)); // 300 / 4.7 = 63.8
        assert_eq!(runway_text(63), "2 days 15 hours");

        let exact = check_balance(money("225.6"), money("2.5"), money("2.2"));
        assert!(exact.covers);
        assert_eq!(exact.left_after_hold, Money::ZERO);

        let short = check_balance(money("100"), money("2.5"), money("2.2"));
        assert!(!short.covers);
        assert_eq!(short.left_after_hold, money("-125.6"));
        assert_eq!(short.shortfall(), Some(money("125.6")));

        let negative = check_balance(money("-5"), Money::ZERO, money("1"));
        assert_eq!(negative.runway_hours, Some(0));
        assert!(!negative.covers);

        let free = check_balance(money("10"), Money::ZERO, Money::ZERO);
        assert!(free.covers);
        assert_eq!(free.runway_hours, None);
    }

    #[test]
    fn runway_reads_naturally() {
        assert_eq!(runway_text(0), "less than an hour");
        assert_eq!(runway_text(1), "1 hour");
        assert_eq!(runway_text(24), "1 day");
        assert_eq!(runway_text(49), "2 days 1 hour");
    }

    #[test]
    fn gpus_come_in_whole_nodes() {
        assert_eq!(nodes_for_gpus(8, 8), Ok(1));
        assert_eq!(nodes_for_gpus(32, 8), Ok(4));
        assert_eq!(
            nodes_for_gpus(12, 8),
            Err(WholeNodesError::NotWhole {
                gpus: 12,
                per_node: 8,
                below: 8,
                above: 16
            })
        );
        assert_eq!(
            nodes_for_gpus(1, 8),
            Err(WholeNodesError::NotWhole {
                gpus: 1,
                per_node: 8,
                below: 8,
                above: 8
            })
        );
        assert_eq!(
            nodes_for_gpus(0, 8),
            Err(WholeNodesError::Zero { per_node: 8 })
        );
        assert_eq!(nodes_for_gpus(8, 0), Err(WholeNodesError::UnknownNodeSize));
        assert!(nodes_for_gpus(12, 8)
            .unwrap_err()
            .to_string()
            .contains("whole nodes of 8 GPUs"));
    }

    fn location(price_ib: &str, price_eth: &str, free_ib: u32, free_eth: u32) -> BareMetalLocation {
        serde_json::from_value(serde_json::json!({
            "id": "loc",
            "gpu_count_ethernet": free_eth,
            "gpu_price_ethernet": serde_json::from_str::<serde_json::Value>(price_eth).unwrap(),
            "gpu_count_infiniband": free_ib,
            "gpu_price_infiniband": serde_json::from_str::<serde_json::Value>(price_ib).unwrap(),
            "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8}
        }))
        .unwrap()
    }

    #[test]
    fn bare_metal_rate_is_per_gpu_price_times_gpus() {
        let loc = location("2.2", "1.99", 24, 8);
        assert_eq!(
            bare_metal_rate(&loc, NetworkType::Infiniband, 16),
            Ok(money("35.2"))
        );
        assert_eq!(
            bare_metal_rate(&loc, NetworkType::Ethernet, 8),
            Ok(money("15.92"))
        );
        assert!(matches!(
            bare_metal_rate(&loc, NetworkType::Ethernet, 4),
            Err(BareMetalRateError::Nodes(WholeNodesError::NotWhole { .. }))
        ));
        let no_price = location("null", "3.1", 8, 8);
        assert_eq!(
            bare_metal_rate(&no_price, NetworkType::Infiniband, 8),
            Err(BareMetalRateError::NoPrice(NetworkType::Infiniband))
        );
        assert_eq!(
            bare_metal_rate(&no_price, NetworkType::Ethernet, 8).map(|m| m.to_string()),
            Ok("24.800000".to_string())
        );
        assert_eq!(
            gpu_count_choices(&loc, NetworkType::Infiniband),
            [8, 16, 24]
        );
        assert_eq!(gpu_count_choices(&loc, NetworkType::Ethernet), [8]);
        assert_eq!(
            gpu_count_choices(&location("1", "1", 7, 0), NetworkType::Infiniband),
            Vec::<u32>::new()
        );
    }
}
