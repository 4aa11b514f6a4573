//! Octos Cloud's in-memory account: one user, login sessions, the API token, VMs, and the
//! read-only resource families.

use time::OffsetDateTime;

use crate::rng::Rng;

#[derive(Debug, Clone)]
pub struct ApiToken {
    pub name: String,
    pub token: String,
    /// End of the chosen expiry day; `None` never expires.
    pub expires: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub struct Vm {
    pub id: String,
    pub name: String,
    pub status: String,
    pub ip: String,
    pub project: String,
    pub vcpus: u32,
    pub memory_gb: u32,
    pub disk_gb: u32,
    pub os: String,
    pub created: OffsetDateTime,
}

#[derive(Debug)]
pub struct State {
    pub rng: Rng,
    pub email: String,
    pub password: String,
    pub user_name: String,
    pub sessions: Vec<String>,
    pub api: Option<ApiToken>,
    pub vms: Vec<Vm>,
    /// Each family's `data`, by its path under `/backend/api` (read-only; see `resources.rs`).
    pub resources: Vec<(&'static str, serde_json::Value)>,
}
