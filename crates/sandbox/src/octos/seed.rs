//! The demo Octos Cloud account: `demo@cloudpane.dev` / `demo-password`, API enabled with the
//! token `demo-octos`, three VMs in two projects, and a few of each resource family related to
//! them by project.

use time::OffsetDateTime;

use super::state::*;
use crate::rng::Rng;

pub const DEMO_EMAIL: &str = "demo@cloudpane.dev";
pub const DEMO_PASSWORD: &str = "demo-password";
pub const DEMO_TOKEN: &str = "demo-octos";

pub fn seed(seed: u64, now: OffsetDateTime) -> State {
    let mut rng = Rng::new(seed ^ 0x6f63_746f);
    let vms = [
        (
            "web-frontend-1",
            "Running",
            "production",
            4,
            8,
            80,
            "Ubuntu 22.04",
            52,
        ),
        (
            "postgres-primary",
            "Running",
            "production",
            8,
            32,
            500,
            "Debian 12",
            88,
        ),
        (
            "ci-builder",
            "Stopped",
            "tooling",
            16,
            32,
            200,
            "Ubuntu 24.04",
            6,
        ),
    ]
    .iter()
    .map(|(name, status, project, vcpus, mem, disk, os, age)| Vm {
        id: rng.uuid().to_string(),
        name: (*name).into(),
        status: (*status).into(),
        ip: format!(
            "103.{}.{}.{}",
            21 + rng.below(5),
            rng.below(250) + 1,
            rng.below(250) + 2
        ),
        project: (*project).into(),
        vcpus: *vcpus,
        memory_gb: *mem,
        disk_gb: *disk,
        os: (*os).into(),
        created: now - time::Duration::days(*age),
    })
    .collect::<Vec<Vm>>();
    let resources = super::resources::seed(&mut rng, now, &vms);
    State {
        rng,
        email: DEMO_EMAIL.into(),
        password: DEMO_PASSWORD.into(),
        user_name: "Demo User".into(),
        sessions: Vec::new(),
        api: Some(ApiToken {
            name: "cloudpane demo".into(),
            token: DEMO_TOKEN.into(),
            expires: None,
        }),
        vms,
        resources,
    }
}
