//! Octos Cloud (`octos-cloud-api-setup.txt`), served under `/octos`.

pub mod seed;
pub mod state;

use std::sync::Arc;

use axum::Router;

use crate::Shared;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
}
