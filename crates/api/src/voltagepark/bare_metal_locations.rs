//! Where bare-metal nodes can be rented, how many GPUs are free per network type and what a GPU
//! costs per hour.
//!
//! The document shows the prices here as JSON numbers (`"gpu_price_ethernet": 2.5`); live answers
//! (Aug 2026) send decimal strings with two decimals (`"gpu_price_ethernet": "1.99"`). Both are
//! read into [`Money`] exactly: a number from its shortest decimal text, so `2.2` becomes exactly
//! $2.200000 (no `2.2000000000000002`). The endpoint takes no token (provider-docs/NOTES.md).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::bare_metal::NodeSpecs;
use crate::request::{ApiRequest, Method};
use crate::{Money, Provider};

/// Network types of a bare-metal rental, as the deploy body's `network_type` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkType {
    /// 3.2 Tbps InfiniBand between nodes.
    Infiniband,
    /// 100 Gbps Ethernet.
    Ethernet,
}

impl NetworkType {
    /// The value sent and received: `infiniband` or `ethernet`.
    pub fn as_str(self) -> &'static str {
        match self {
            NetworkType::Infiniband => "infiniband",
            NetworkType::Ethernet => "ethernet",
        }
    }

    /// As a person reads it, with the document's speeds.
    pub fn label(self) -> &'static str {
        match self {
            NetworkType::Infiniband => "InfiniBand (3.2 Tbps)",
            NetworkType::Ethernet => "Ethernet (100 Gbps)",
        }
    }
}

/// One location of `GET /api/v1/bare-metal/locations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BareMetalLocation {
    /// What `location_id` of a bare-metal deploy refers to.
    pub id: String,
    /// GPUs free for an Ethernet rental.
    #[serde(default)]
    pub gpu_count_ethernet: u32,
    /// $/GPU-hour on Ethernet; `None` when the provider sent `null`.
    #[serde(default, with = "number_money")]
    pub gpu_price_ethernet: Option<Money>,
    /// GPUs free for an InfiniBand rental.
    #[serde(default)]
    pub gpu_count_infiniband: u32,
    /// $/GPU-hour on InfiniBand; `None` when the provider sent `null`.
    #[serde(default, with = "number_money")]
    pub gpu_price_infiniband: Option<Money>,
    /// The hardware of one node; rentals come in whole nodes of `gpu_count` GPUs.
    pub specs_per_node: NodeSpecs,
    /// GPUs held back for the location's InfiniBand clusters: in live answers (Aug 2026), often
    /// `null`; not in the document. Read and kept; the console does not count on them.
    #[serde(default)]
    pub reserved_gpu_count_infiniband_cluster_one: Option<u32>,
    #[serde(default)]
    pub reserved_gpu_count_infiniband_cluster_two: Option<u32>,
    /// Fields the document does not describe, kept so nothing the provider sends is lost.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BareMetalLocation {
    /// Free GPUs on `network`.
    pub fn gpus_free(&self, network: NetworkType) -> u32 {
        match network {
            NetworkType::Infiniband => self.gpu_count_infiniband,
            NetworkType::Ethernet => self.gpu_count_ethernet,
        }
    }

    /// $/GPU-hour on `network`, when known.
    pub fn gpu_price(&self, network: NetworkType) -> Option<Money> {
        match network {
            NetworkType::Infiniband => self.gpu_price_infiniband,
            NetworkType::Ethernet => self.gpu_price_ethernet,
        }
    }

    /// The network types with at least one whole node free, InfiniBand first.
    pub fn network_types_available(&self) -> Vec<NetworkType> {
        let per_node = self.specs_per_node.gpu_count.max(1);
        [NetworkType::Infiniband, NetworkType::Ethernet]
            .into_iter()
            .filter(|n| self.gpus_free(*n) >= per_node)
            .collect()
    }
}

/// `GET /api/v1/bare-metal/locations`. No token: the endpoint takes none. The document lists
/// no paging parameters; the answer is a [`crate::Page`] of [`BareMetalLocation`].
pub fn list_bare_metal_locations() -> ApiRequest {
    ApiRequest::new(
        Provider::VoltagePark,
        Method::Get,
        "/api/v1/bare-metal/locations",
    )
}

/// `Option<Money>` read from a JSON number (or, tolerated, a decimal string) and written back
/// as a number.
mod number_money {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Money>, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Money::from_json_number(&n)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not a price: {n}"))),
            Some(Value::String(s)) => Money::parse(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not a price: {s:?}"))),
            Some(other) => Err(serde::de::Error::custom(format!(
                "expected a price, found {other}"
            ))),
        }
    }

    pub fn serialize<S: Serializer>(m: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
        match m {
            // The provider's shape: a number. Exact for any amount with up to 15 digits.
            Some(m) => match m.to_string().parse::<f64>() {
                Ok(f) => s.serialize_f64(f),
                Err(_) => s.serialize_none(),
            },
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_response, Page};

    /// The response example of `GET /api/v1/bare-metal/locations` in
    /// voltage-park-on-demand-api.txt, verbatim.
    const DOC_EXAMPLE: &str = r#"{
      "results": [
        {
          "id": "123e4567-e89b-12d3-a456-426614174000",
          "gpu_count_ethernet": 8,
          "gpu_price_ethernet": 2.5,
          "gpu_count_infiniband": 8,
          "gpu_price_infiniband": 2.5,
          "specs_per_node": {
            "gpu_model": "h100-sxm5-80gb",
            "gpu_count": 8,
            "cpu_model": "Intel Xeon Platinum 8470",
            "cpu_count": 4,
            "ram_gb": 16,
            "storage_gb": 40
          }
        }
      ],
      "total_result_count": 1,
      "has_previous": true,
      "has_next": true
    }"#;

    #[test]
    fn parses_the_documented_example() {
        let page: Page<BareMetalLocation> =
            read_response(Provider::VoltagePark, 200, DOC_EXAMPLE).unwrap();
        let loc = &page.results[0];
        assert_eq!(loc.gpu_price(NetworkType::Ethernet), Money::parse("2.5"));
        assert_eq!(loc.gpu_price(NetworkType::Infiniband), Money::parse("2.5"));
        assert_eq!(loc.gpus_free(NetworkType::Infiniband), 8);
        assert_eq!(loc.specs_per_node.gpu_model, "h100-sxm5-80gb");
        assert_eq!(loc.specs_per_node.gpu_count, 8);
        assert_eq!(
            loc.specs_per_node.cpu_model.as_deref(),
            Some("Intel Xeon Platinum 8470")
        );
        assert_eq!(
            loc.network_types_available(),
            [NetworkType::Infiniband, NetworkType::Ethernet]
        );
    }

    #[test]
    fn number_prices_are_exact_decimals() {
        for (number, micros) in [
            ("2.2", 2_200_000),
            ("1.99", 1_990_000),
            ("3.1", 3_100_000),
            ("0.1", 100_000),
            ("2", 2_000_000),
            ("2.0", 2_000_000),
            ("1e-6", 1),
            ("1.5E2", 150_000_000),
            ("0.0000004", 0),
            ("12.3456785", 12_345_679),
        ] {
            let json = DOC_EXAMPLE.replacen("2.5", number, 1);
            let page: Page<BareMetalLocation> = serde_json::from_str(&json).unwrap();
            let price = page.results[0].gpu_price_ethernet.unwrap();
            assert_eq!(price.micros(), micros, "{number}");
        }
        // 3 x 1.1 is 3.3 here, not 3.3000000000000003.
        let json = DOC_EXAMPLE.replacen("2.5", "1.1", 1);
        let page: Page<BareMetalLocation> = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (page.results[0].gpu_price_ethernet.unwrap() * 3).to_string(),
            "3.300000"
        );
    }

    #[test]
    fn null_prices_are_unknown_and_garbage_fails() {
        let json = DOC_EXAMPLE.replacen("2.5", "null", 1);
        let page: Page<BareMetalLocation> = serde_json::from_str(&json).unwrap();
        assert_eq!(page.results[0].gpu_price_ethernet, None);
        let json = DOC_EXAMPLE.replacen("2.5", "true", 1);
        assert!(serde_json::from_str::<Page<BareMetalLocation>>(&json).is_err());
    }

    #[test]
    fn survives_a_round_trip_with_number_prices() {
        let page: Page<BareMetalLocation> = serde_json::from_str(DOC_EXAMPLE).unwrap();
        let value = serde_json::to_value(&page).unwrap();
        assert_eq!(value["results"][0]["gpu_price_ethernet"], 2.5);
        let again: Page<BareMetalLocation> = serde_json::from_value(value).unwrap();
        assert_eq!(again, page);
    }

    #[test]
    fn only_whole_nodes_make_a_network_type_available() {
        let mut page: Page<BareMetalLocation> = serde_json::from_str(DOC_EXAMPLE).unwrap();
        let loc = &mut page.results[0];
        loc.gpu_count_ethernet = 4;
        assert_eq!(loc.network_types_available(), [NetworkType::Infiniband]);
        assert_eq!(NetworkType::Ethernet.as_str(), "ethernet");
        assert_eq!(
            serde_json::to_string(&NetworkType::Infiniband).unwrap(),
            r#""infiniband""#
        );
    }

    /// A location as live answers (Aug 2026) have it: prices as two-decimal strings, and the two
    /// nullable reserved counts.
    #[test]
    fn reads_the_live_shape_with_string_prices() {
        let live = r#"{"results": [{
            "id": "loc-dal", "gpu_count_ethernet": 16, "gpu_price_ethernet": "1.99",
            "gpu_count_infiniband": 0, "gpu_price_infiniband": "2.29",
            "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8},
            "reserved_gpu_count_infiniband_cluster_one": null,
            "reserved_gpu_count_infiniband_cluster_two": 64
          }], "total_result_count": 1, "has_previous": false, "has_next": false}"#;
        let page: Page<BareMetalLocation> =
            read_response(Provider::VoltagePark, 200, live).unwrap();
        let loc = &page.results[0];
        assert_eq!(loc.gpu_price(NetworkType::Ethernet), Money::parse("1.99"));
        assert_eq!(loc.gpu_price(NetworkType::Infiniband), Money::parse("2.29"));
        assert_eq!(loc.reserved_gpu_count_infiniband_cluster_one, None);
        assert_eq!(loc.reserved_gpu_count_infiniband_cluster_two, Some(64));
        assert!(loc.extra.is_empty());
        assert_eq!(loc.network_types_available(), [NetworkType::Ethernet]);
    }

    #[test]
    fn request_takes_no_token() {
        let req = list_bare_metal_locations();
        assert_eq!(req.path_and_query(), "/api/v1/bare-metal/locations");
        assert!(!req.headers.iter().any(|(k, _)| k == "Authorization"));
    }
}
