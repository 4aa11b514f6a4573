//! NetActuate's in-memory account: servers, v3 secrets, secret lists and their values.

use time::OffsetDateTime;

use crate::rng::Rng;

#[derive(Debug, Clone)]
pub struct Server {
    pub mbpkgid: u64,
    pub fqdn: String,
    pub os: String,
    pub ip: String,
    pub ipv6: String,
    pub plan_id: u32,
    pub package: String,
    pub city: String,
    pub location_id: u32,
    pub status: String,
    pub state: String,
    pub installed: u8,
    /// Shown only in the live reading (the SDKs' server object, issue 27).
    pub os_id: u32,
    pub package_billing: String,
    pub contract_id: u64,
    pub cloud_pool_id: Option<u64>,
    pub vpc_id: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Secret {
    pub id: u64,
    pub name: String,
    pub value: String,
    pub created: OffsetDateTime,
    pub updated: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct SecretList {
    pub id: u64,
    pub name: String,
    pub created: OffsetDateTime,
    pub updated: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct ListValue {
    pub id: u64,
    pub list_id: u64,
    pub key: String,
    pub value: String,
}

#[derive(Debug)]
pub struct State {
    pub rng: Rng,
    pub servers: Vec<Server>,
    pub secrets: Vec<Secret>,
    pub next_secret_id: u64,
    pub lists: Vec<SecretList>,
    pub next_list_id: u64,
    pub values: Vec<ListValue>,
    pub next_value_id: u64,
}
