//! `GET /cloudpane-config.json`: what the app needs to know about this proxy at start.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cloudpane_api::{DemoAccount, RuntimeConfig};

use crate::forward::ROUTE_PREFIX;
use crate::AppState;

/// The runtime configuration for this proxy's settings.
pub fn runtime_config(config: &crate::config::Config) -> RuntimeConfig {
    let providers: Vec<_> = config.upstreams.iter().map(|u| u.provider).collect();
    RuntimeConfig {
        // The path from the origin: the base path, then the routes.
        route_prefix: format!("{}{ROUTE_PREFIX}", config.base_path),
        demo_accounts: if config.demo {
            providers
                .iter()
                .map(|p| DemoAccount::for_provider(*p))
                .collect()
        } else {
            Vec::new()
        },
        providers,
        access_key_required: config.access_key.is_some(),
        demo: config.demo,
    }
}

/// Handler for [`cloudpane_api::runtime_config::RUNTIME_CONFIG_PATH`].
pub async fn serve_runtime_config(State(state): State<AppState>) -> Response {
    let mut response = Json(runtime_config(&state.config)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
