//! Storage volumes: the list, which the machines pages read to name a rental's volume. The
//! document shows `x-api-token` for storage; Bearer is sent as well (NOTES.md).

use serde::{Deserialize, Serialize};

use crate::money::lenient_money;
use crate::request::{ApiRequest, Method};
use crate::{Money, PageRequest, Provider};

/// The most volumes `GET /api/v1/storage/` returns in one page.
pub const VOLUMES_PAGE_MAX: u32 = 100;

/// A storage volume as the list describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub size_in_gb: Option<u64>,
    /// `active` or `inactive`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, with = "lenient_money")]
    pub rate_hourly: Option<Money>,
    /// The rentals the volume is attached to.
    #[serde(default)]
    pub order_ids: Vec<String>,
}

/// A request with both headers the storage and SSH-key endpoints take.
pub(crate) fn api_token(method: Method, path: impl Into<String>, token: &str) -> ApiRequest {
    ApiRequest::new(Provider::VoltagePark, method, path)
        .header("x-api-token", token)
        .header("Authorization", format!("Bearer {token}"))
}

/// `GET /api/v1/storage/`: one page of the organization's volumes.
pub fn list_volumes(token: &str, page: PageRequest) -> ApiRequest {
    api_token(Method::Get, "/api/v1/storage/", token)
        .query("limit", page.limit.clamp(1, VOLUMES_PAGE_MAX))
        .query("offset", page.offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Page;

    #[test]
    fn reads_the_documented_example_with_both_headers() {
        let body = r#"{"results": [{"id": "123e4567-e89b-12d3-a456-426614174000", "size_in_gb": 100,
            "name": "My Storage Volume", "status": "active", "rate_hourly": "0.017408",
            "order_ids": ["e724424f-a73c-499e-b307-0a63d9b71b5b"], "tenant_id": 123, "vip": "0.0.0.0"}],
            "total_result_count": 1, "has_previous": true, "has_next": true}"#;
        let page: Page<Volume> = serde_json::from_str(body).unwrap();
        assert_eq!(page.results[0].name, "My Storage Volume");
        assert_eq!(page.results[0].rate_hourly, Money::parse("0.017408"));
        let req = list_volumes("tok", PageRequest::first(20));
        assert_eq!(req.path_and_query(), "/api/v1/storage/?limit=20&offset=0");
        assert!(req.headers.contains(&("x-api-token".into(), "tok".into())));
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
    }
}
