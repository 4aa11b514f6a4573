//! NetActuate (`netactuate-*.txt`), served under `/netactuate`.

pub mod seed;
pub mod state;

use std::sync::Arc;

use axum::Router;

use crate::Shared;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
}
