//! Voltage Park On Demand API (`voltage-park-on-demand-api.txt`), served under `/voltagepark`.

pub mod auth;
pub mod billing;
pub mod fastapi;
pub mod locations;
pub mod seed;
pub mod state;

use std::sync::Arc;

use axum::response::IntoResponse;
use axum::routing::{get, MethodRouter};
use axum::Router;

use crate::Shared;
use fastapi::VpError;

/// Registers `path` both with and without a trailing slash: FastAPI would redirect one to the
/// other, and a redirect through the proxy helps nobody, so both simply answer.
fn both(
    router: Router<Arc<Shared>>,
    path: &str,
    route: MethodRouter<Arc<Shared>>,
) -> Router<Arc<Shared>> {
    let trimmed = path.trim_end_matches('/');
    router
        .route(trimmed, route.clone())
        .route(&format!("{trimmed}/"), route)
}

pub fn router() -> Router<Arc<Shared>> {
    let mut r = Router::new();
    r = both(r, "/api/v1/locations/", get(locations::list));
    r = both(r, "/api/v1/locations/{location_id}", get(locations::get));
    r = both(
        r,
        "/api/v1/hostnodes/{hostnode_id}",
        get(locations::hostnode),
    );
    r = both(r, "/api/v1/billing/hourly-rate", get(billing::hourly_rate));
    r = both(
        r,
        "/api/v1/billing/transactions",
        get(billing::transactions),
    );
    r = both(
        r,
        "/api/v1/billing/reports/{year}/{month}/transactions",
        get(billing::monthly_report),
    );
    r.fallback(|| async {
        VpError::Detail(axum::http::StatusCode::NOT_FOUND, "Not Found".into()).into_response()
    })
    .method_not_allowed_fallback(|| async {
        VpError::Detail(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            "Method Not Allowed".into(),
        )
        .into_response()
    })
}
