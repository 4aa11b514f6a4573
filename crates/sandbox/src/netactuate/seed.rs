//! The demo NetActuate account: edge servers, a few v3 secrets, two secret lists.

use time::OffsetDateTime;

use super::state::*;
use crate::rng::Rng;

pub fn seed(seed: u64, now: OffsetDateTime) -> State {
    let mut rng = Rng::new(seed ^ 0x6e65_7461);
    let days = |d: i64| now - time::Duration::days(d);
    let servers = [
        (
            "edge-ams-01.cloudpane.dev",
            "Amsterdam",
            15,
            "Ubuntu 22.04 LTS x64",
            "RUNNING",
            "running",
            "VR4x2x50",
        ),
        (
            "edge-fra-01.cloudpane.dev",
            "Frankfurt",
            23,
            "Debian 12 x64",
            "RUNNING",
            "running",
            "VR2x1x25",
        ),
        (
            "edge-lax-01.cloudpane.dev",
            "Los Angeles",
            5,
            "Ubuntu 24.04 LTS x64",
            "RUNNING",
            "stopped",
            "VR8x4x100",
        ),
        (
            "edge-sin-01.cloudpane.dev",
            "Singapore",
            39,
            "Rocky Linux 9 x64",
            "TERMINATED",
            "stopped",
            "VR2x1x25",
        ),
    ];
    let servers = servers
        .iter()
        .enumerate()
        .map(
            |(i, (fqdn, city, loc, os, status, state, package))| Server {
                mbpkgid: 381_200 + 17 * i as u64,
                fqdn: (*fqdn).into(),
                os: (*os).into(),
                ip: format!(
                    "185.{}.{}.{}",
                    150 + i,
                    rng.below(250) + 1,
                    rng.below(250) + 2
                ),
                ipv6: format!("2a04:3543:{:x}::{:x}", 0x1000 + i, rng.below(0xfff) + 1),
                plan_id: 90 + i as u32,
                package: (*package).into(),
                city: (*city).into(),
                location_id: *loc,
                status: (*status).into(),
                state: (*state).into(),
                installed: u8::from(*status != "TERMINATED"),
                os_id: 2400 + 13 * i as u32,
                package_billing: if i % 2 == 0 { "usage" } else { "contract" }.into(),
                contract_id: 73_110 + i as u64 % 2,
                cloud_pool_id: (i < 2).then_some(118),
                vpc_id: (i == 0).then_some(4_021),
            },
        )
        .collect();

    let secrets = [
        ("db-password", "s3cur3-p4ssw0rd", 40),
        ("api-key", "ak_live_7Hq2", 24),
        ("registry-token", "glpat-x9F3", 3),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, value, age))| Secret {
        id: i as u64 + 1,
        name: (*name).into(),
        value: format!("{value}{}", rng.alphanumeric(8)),
        created: days(*age),
        updated: days(*age),
    })
    .collect();

    let lists = vec![
        SecretList {
            id: 1,
            name: "production".into(),
            created: days(30),
            updated: days(30),
        },
        SecretList {
            id: 2,
            name: "staging".into(),
            created: days(12),
            updated: days(12),
        },
    ];
    let values = [
        (1, "DB_PASSWORD"),
        (1, "STRIPE_KEY"),
        (1, "API_KEY"),
        (2, "STAGING_DB_PASSWORD"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (list_id, key))| ListValue {
        id: i as u64 + 1,
        list_id: *list_id,
        key: (*key).into(),
        value: rng.alphanumeric(20),
    })
    .collect();

    State {
        rng,
        servers,
        secrets,
        next_secret_id: 4,
        lists,
        next_list_id: 3,
        values,
        next_value_id: 5,
    }
}
