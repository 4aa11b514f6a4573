//! Locations and their hostnodes: where GPUs are, how many are free, what they cost.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bearer;
use crate::request::{ApiRequest, Method};
use crate::{Money, PageRequest};

/// A data centre location with the hostnodes that have capacity there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub id: String,
    pub city: String,
    pub region: String,
    pub country: String,
    #[serde(default)]
    pub hostnodes: Vec<HostNode>,
}

impl Location {
    /// As a person names it: "Denver, Colorado", or the city alone when the region adds nothing.
    pub fn label(&self) -> String {
        if self.region.is_empty() || self.region == self.city {
            self.city.clone()
        } else {
            format!("{}, {}", self.city, self.region)
        }
    }
}

/// One physical machine that VMs are carved from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostNode {
    pub id: String,
    pub location_id: String,
    pub available_resources: Resources,
    pub pricing: HostNodePricing,
    #[serde(default)]
    pub available_ports: Vec<u32>,
}

/// Free capacity on a hostnode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    /// GPU model (e.g. `h100-sxm5-80gb`) to how many are free.
    pub gpus: BTreeMap<String, GpuCount>,
    pub ram_gb: u64,
    pub storage_gb: u64,
    pub vcpu_count: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GpuCount {
    pub count: u32,
}

/// Hourly prices on a hostnode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostNodePricing {
    /// GPU model to $/GPU-hour.
    pub per_gpu_hr: BTreeMap<String, Money>,
    pub per_vcpu_hr: Money,
    pub per_gb_ram_hr: Money,
    pub per_gb_storage_hr: Money,
}

/// `GET /api/v1/locations/`: locations with their hostnodes, one page at a time.
pub fn list_locations(token: &str, page: PageRequest) -> ApiRequest {
    bearer(Method::Get, "/api/v1/locations/", token)
        .query("limit", page.limit.clamp(1, super::LOCATIONS_PAGE_MAX))
        .query("offset", page.offset)
}

impl HostNode {
    /// The GPUs offered on this hostnode, as (model, free count, $/GPU-hour), by model name.
    pub fn gpu_offers(&self) -> Vec<(String, u32, Option<Money>)> {
        self.available_resources
            .gpus
            .iter()
            .map(|(model, count)| {
                (
                    model.clone(),
                    count.count,
                    self.pricing.per_gpu_hr.get(model).copied(),
                )
            })
            .collect()
    }
}

/// One line of the capacity table: a GPU model offered on a hostnode at a location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapacityRow {
    pub location_id: String,
    pub city: String,
    pub region: String,
    pub country: String,
    pub hostnode_id: String,
    /// `None` for a location that has no hostnode with capacity.
    pub gpu_model: Option<String>,
    pub gpus_free: u32,
    pub per_gpu_hour: Option<Money>,
    pub vcpus_free: u64,
    pub ram_gb_free: u64,
    pub storage_gb_free: u64,
}

/// Flattens locations into table rows: one per GPU model per hostnode, and one empty row for a
/// location without hostnodes, so it still shows up.
pub fn capacity_rows(locations: &[Location]) -> Vec<CapacityRow> {
    let mut rows = Vec::new();
    for loc in locations {
        let base = |node: Option<&HostNode>| CapacityRow {
            location_id: loc.id.clone(),
            city: loc.city.clone(),
            region: loc.region.clone(),
            country: loc.country.clone(),
            hostnode_id: node.map(|n| n.id.clone()).unwrap_or_default(),
            gpu_model: None,
            gpus_free: 0,
            per_gpu_hour: None,
            vcpus_free: node.map_or(0, |n| n.available_resources.vcpu_count),
            ram_gb_free: node.map_or(0, |n| n.available_resources.ram_gb),
            storage_gb_free: node.map_or(0, |n| n.available_resources.storage_gb),
        };
        if loc.hostnodes.is_empty() {
            rows.push(base(None));
        }
        for node in &loc.hostnodes {
            let offers = node.gpu_offers();
            if offers.is_empty() {
                rows.push(base(Some(node)));
            }
            for (model, count, price) in offers {
                rows.push(CapacityRow {
                    gpu_model: Some(model),
                    gpus_free: count,
                    per_gpu_hour: price,
                    ..base(Some(node))
                });
            }
        }
    }
    rows
}

/// A GPU model id as a person reads it: `h100-sxm5-80gb` -> `H100 SXM5 80GB`.
pub fn gpu_model_label(model: &str) -> String {
    model
        .split('-')
        .map(str::to_uppercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Page, Provider};

    /// The response example of `GET /api/v1/locations/` in voltage-park-on-demand-api.txt.
    const DOC_EXAMPLE: &str = r#"{
      "results": [{
          "id": "123e4567-e89b-12d3-a456-426614174000",
          "city": "text", "region": "text", "country": "text",
          "hostnodes": [{
              "id": "123e4567-e89b-12d3-a456-426614174000",
              "location_id": "123e4567-e89b-12d3-a456-426614174000",
              "available_resources": {
                "gpus": {"h100-sxm5-80gb": {"count": 8}},
                "ram_gb": 960, "storage_gb": 14000, "vcpu_count": 208
              },
              "pricing": {
                "per_gpu_hr": {"h100-sxm5-80gb": "3.500000"},
                "per_vcpu_hr": "0.000030", "per_gb_ram_hr": "0.000001", "per_gb_storage_hr": "0.000001"
              },
              "available_ports": [1]
          }]
      }],
      "total_result_count": 1, "has_previous": true, "has_next": true
    }"#;

    #[test]
    fn parses_the_documented_example() {
        let page: Page<Location> = serde_json::from_str(DOC_EXAMPLE).unwrap();
        let node = &page.results[0].hostnodes[0];
        assert_eq!(node.available_resources.vcpu_count, 208);
        assert_eq!(
            node.gpu_offers(),
            vec![("h100-sxm5-80gb".to_string(), 8, Money::parse("3.5"))]
        );
    }

    #[test]
    fn list_request_uses_bearer_and_clamps_limit() {
        let req = list_locations(
            "tok",
            PageRequest {
                limit: 50,
                offset: 15,
            },
        );
        assert_eq!(req.provider, Provider::VoltagePark);
        assert_eq!(
            req.path_and_query(),
            "/api/v1/locations/?limit=15&offset=15"
        );
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
    }

    #[test]
    fn capacity_rows_keep_locations_without_hostnodes() {
        let mut page: Page<Location> = serde_json::from_str(DOC_EXAMPLE).unwrap();
        let mut empty = page.results[0].clone();
        empty.id = "empty".into();
        empty.hostnodes.clear();
        page.results.push(empty);
        let rows = capacity_rows(&page.results);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].gpu_model.as_deref(), Some("h100-sxm5-80gb"));
        assert_eq!(rows[0].gpus_free, 8);
        assert_eq!(rows[1].location_id, "empty");
        assert_eq!(rows[1].gpu_model, None);
    }

    #[test]
    fn gpu_labels_read_naturally() {
        assert_eq!(gpu_model_label("h100-sxm5-80gb"), "H100 SXM5 80GB");
    }
}

/// How the capacity table is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CapacityOrder {
    /// As the provider listed them.
    #[default]
    Listed,
    /// Cheapest GPU-hour first; rows without a price last.
    CheapestFirst,
    /// Most free GPUs first.
    MostGpusFirst,
}

impl CapacityOrder {
    /// The order as the page's address and its order control name it.
    pub fn slug(self) -> &'static str {
        match self {
            CapacityOrder::Listed => "listed",
            CapacityOrder::CheapestFirst => "cheapest",
            CapacityOrder::MostGpusFirst => "most-gpus",
        }
    }

    /// The order a slug names; the provider's order for anything else.
    pub fn from_slug(slug: &str) -> CapacityOrder {
        [CapacityOrder::CheapestFirst, CapacityOrder::MostGpusFirst]
            .into_iter()
            .find(|o| o.slug() == slug)
            .unwrap_or_default()
    }
}

/// What the Locations page shows: a GPU model (empty for all), an order and which page, kept in
/// its address (`/locations?gpu=h100-sxm5-80gb&sort=cheapest&offset=15`) so Back and a reload
/// show the same rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CapacityView {
    pub gpu_model: String,
    pub order: CapacityOrder,
    /// The first location of the page shown, as the list's `offset`.
    pub offset: u64,
}

impl CapacityView {
    /// The pairs of the page's address; what is the default is left out.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if !self.gpu_model.is_empty() {
            q.push(("gpu", self.gpu_model.clone()));
        }
        if self.order != CapacityOrder::default() {
            q.push(("sort", self.order.slug().to_string()));
        }
        if self.offset > 0 {
            q.push(("offset", self.offset.to_string()));
        }
        q
    }

    /// The view an address asks for; anything missing or unreadable is the default.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> CapacityView {
        CapacityView {
            gpu_model: get("gpu").unwrap_or_default(),
            order: get("sort")
                .map_or_else(CapacityOrder::default, |s| CapacityOrder::from_slug(&s)),
            offset: get("offset").and_then(|o| o.parse().ok()).unwrap_or(0),
        }
    }
}

/// The rows offering `gpu_model` (all rows when `None`), in `order`. Sorting is stable, so
/// ties keep the provider's order.
pub fn arrange_capacity(
    rows: &[CapacityRow],
    gpu_model: Option<&str>,
    order: CapacityOrder,
) -> Vec<CapacityRow> {
    let mut rows: Vec<CapacityRow> = rows
        .iter()
        .filter(|r| gpu_model.is_none_or(|m| r.gpu_model.as_deref() == Some(m)))
        .cloned()
        .collect();
    match order {
        CapacityOrder::Listed => {}
        CapacityOrder::CheapestFirst => {
            rows.sort_by_key(|r| (r.per_gpu_hour.is_none(), r.per_gpu_hour))
        }
        CapacityOrder::MostGpusFirst => rows.sort_by_key(|r| std::cmp::Reverse(r.gpus_free)),
    }
    rows
}

/// The GPU models offered in `rows`, each once, in name order.
pub fn gpu_models(rows: &[CapacityRow]) -> Vec<String> {
    let mut models: Vec<String> = rows.iter().filter_map(|r| r.gpu_model.clone()).collect();
    models.sort();
    models.dedup();
    models
}

#[cfg(test)]
mod arrange_tests {
    use super::*;

    #[test]
    fn the_view_goes_to_the_address_and_back() {
        assert_eq!(CapacityView::from_query(|_| None), CapacityView::default());
        assert!(CapacityView::default().to_query().is_empty());
        let view = CapacityView {
            gpu_model: "h100-sxm5-80gb".into(),
            order: CapacityOrder::MostGpusFirst,
            offset: 15,
        };
        let q = view.to_query();
        assert_eq!(
            crate::url::with_query("/locations", &q),
            "/locations?gpu=h100-sxm5-80gb&sort=most-gpus&offset=15"
        );
        let get = |k: &str| q.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone());
        assert_eq!(CapacityView::from_query(get), view);
        for order in [
            CapacityOrder::Listed,
            CapacityOrder::CheapestFirst,
            CapacityOrder::MostGpusFirst,
        ] {
            assert_eq!(CapacityOrder::from_slug(order.slug()), order);
        }
        let odd = CapacityView::from_query(|k| Some(if k == "offset" { "-3" } else { "?" }.into()));
        assert_eq!(odd.order, CapacityOrder::Listed);
        assert_eq!(odd.offset, 0);
    }

    fn row(city: &str, model: Option<&str>, gpus: u32, price: Option<&str>) -> CapacityRow {
        CapacityRow {
            location_id: city.into(),
            city: city.into(),
            region: String::new(),
            country: String::new(),
            hostnode_id: String::new(),
            gpu_model: model.map(str::to_string),
            gpus_free: gpus,
            per_gpu_hour: price.and_then(Money::parse),
            vcpus_free: 0,
            ram_gb_free: 0,
            storage_gb_free: 0,
        }
    }

    #[test]
    fn filters_by_model_and_sorts_by_price_or_count() {
        let rows = vec![
            row("a", Some("h100-sxm5-80gb"), 2, Some("2.25")),
            row("b", Some("a100-sxm4-80gb"), 8, Some("1.10")),
            row("c", None, 0, None),
            row("d", Some("h100-sxm5-80gb"), 8, Some("1.99")),
        ];
        let cities = |rows: Vec<CapacityRow>| rows.into_iter().map(|r| r.city).collect::<Vec<_>>();
        assert_eq!(
            cities(arrange_capacity(&rows, None, CapacityOrder::Listed)),
            ["a", "b", "c", "d"]
        );
        assert_eq!(
            cities(arrange_capacity(&rows, None, CapacityOrder::CheapestFirst)),
            ["b", "d", "a", "c"]
        );
        assert_eq!(
            cities(arrange_capacity(&rows, None, CapacityOrder::MostGpusFirst)),
            ["b", "d", "a", "c"]
        );
        assert_eq!(
            cities(arrange_capacity(
                &rows,
                Some("h100-sxm5-80gb"),
                CapacityOrder::CheapestFirst
            )),
            ["d", "a"]
        );
        assert_eq!(gpu_models(&rows), ["a100-sxm4-80gb", "h100-sxm5-80gb"]);
    }
}

/// `GET /api/v1/locations/{location_id}`: one location with its hostnodes; answers a
/// [`Location`].
pub fn get_location(token: &str, location_id: &str) -> ApiRequest {
    bearer(
        Method::Get,
        crate::url::path("/api/v1/locations/{}", &[location_id]),
        token,
    )
}

/// `GET /api/v1/hostnodes/{hostnode_id}`: one hostnode's free resources and prices; answers a
/// [`HostNode`] (404 when there is no such hostnode).
pub fn get_hostnode(token: &str, hostnode_id: &str) -> ApiRequest {
    bearer(
        Method::Get,
        crate::url::path("/api/v1/hostnodes/{}", &[hostnode_id]),
        token,
    )
}

#[cfg(test)]
mod by_id_tests {
    use super::*;

    #[test]
    fn location_and_hostnode_by_id_use_bearer_and_the_documented_paths() {
        let req = get_location("tok", "123e4567-e89b-12d3-a456-426614174000");
        assert_eq!(req.method, Method::Get);
        assert_eq!(
            req.path,
            "/api/v1/locations/123e4567-e89b-12d3-a456-426614174000"
        );
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
        let req = get_hostnode("tok", "123e4567-e89b-12d3-a456-426614174000");
        assert_eq!(
            req.path,
            "/api/v1/hostnodes/123e4567-e89b-12d3-a456-426614174000"
        );
        // The document's example answers.
        let node: HostNode = serde_json::from_str(
            r#"{"id": "h", "location_id": "l",
                "available_resources": {"gpus": {"h100-sxm5-80gb": {"count": 8}},
                  "ram_gb": 960, "storage_gb": 14000, "vcpu_count": 208},
                "pricing": {"per_gpu_hr": {"h100-sxm5-80gb": "3.500000"},
                  "per_vcpu_hr": "0.000030", "per_gb_ram_hr": "0.000001", "per_gb_storage_hr": "0.000001"},
                "available_ports": [1]}"#,
        )
        .unwrap();
        assert_eq!(node.available_resources.vcpu_count, 208);
        let loc: Location = serde_json::from_str(
            r#"{"id": "l", "city": "text", "region": "text", "country": "text", "hostnodes": []}"#,
        )
        .unwrap();
        assert_eq!(loc.id, "l");
    }
}
