//! Extra instant VMs for trying and measuring the console on a big account: `--extra-vms N` at
//! start (and again after every reset) and `POST /_sandbox/voltagepark/extra-vms {"count": N}`.
//!
//! They are ordinary VMs in the state: listed and paged by `GET /virtual-machines/`, gettable,
//! renamable, powerable, terminable, billed hour by hour. Two things differ, both so that 5,000
//! of them fit in the demo account:
//! - they take no capacity on their hostnode (`Vm::holds_capacity` is false): the dozen seeded
//!   hostnodes of 8 GPUs could not hold thousands of VMs, and what the locations show as free
//!   stays what deploys can really use;
//! - adding them also adds a `stripe_deposit` worth 30 days of their hourly rate, so that the
//!   prepaid check (48 hours of the whole account's rate) still lets the user deploy.
//!
//! Extra VM number n (1, 2, ...) is drawn from the world's seed and n alone: the same VM whether it
//! was added at start or through the admin API, in one batch or several, and the rest of the
//! world's ids do not move.

use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::state::{State, Transaction, Vm, VmStatus};
use crate::rng::Rng;

/// The most one call (or `--extra-vms`) may add.
pub const MAX_PER_CALL: u32 = 20_000;
/// The most VMs the account may hold through extra VMs, so repeated calls stay within memory
/// and the hourly billing of every VM stays quick.
pub const MAX_TOTAL_VMS: usize = 100_000;

const SALT: u64 = 0x6578_7472_615f_766d;

const NAMES: [&str; 10] = [
    "batch", "train", "eval", "infer", "sweep", "notebook", "finetune", "embed", "render", "bench",
];
const TAGS: [&str; 10] = [
    "training",
    "inference",
    "eval",
    "research",
    "prod",
    "staging",
    "llm",
    "vision",
    "team-nlp",
    "team-robotics",
];

/// Deposited with each batch: this many hours of the batch's rate.
const DEPOSIT_HOURS: u32 = 30 * 24;

impl State {
    /// Adds `count` extra VMs as of `now`; answers how many VMs the account holds afterwards.
    pub fn add_extra_vms(&mut self, count: u32, now: OffsetDateTime) -> Result<usize, String> {
        if count > MAX_PER_CALL {
            return Err(format!(
                "count {count} is over the limit of {MAX_PER_CALL} per call"
            ));
        }
        if self.vms.len() + count as usize > MAX_TOTAL_VMS {
            return Err(format!(
                "the account would hold more than {MAX_TOTAL_VMS} virtual machines; reset first"
            ));
        }
        let mut rate = Decimal::ZERO;
        for _ in 0..count {
            self.extra_vms_added += 1;
            let vm = self.extra_vm(self.extra_vms_added, now);
            rate += vm.rate_now();
            self.vms.push(vm);
        }
        if count > 0 {
            let mut rng = Rng::new(self.seed ^ SALT ^ (u64::from(self.extra_vms_added) << 32));
            let thousand = Decimal::from(1000);
            let amount = (rate * Decimal::from(DEPOSIT_HOURS) / thousand).ceil() * thousand;
            self.transactions.push(Transaction {
                id: rng.uuid(),
                amount,
                created: now,
                completed: now + time::Duration::seconds(4),
                kind: "stripe_deposit",
                linked: None,
                note_public: None,
            });
        }
        Ok(self.vms.len())
    }

    /// Extra VM number `n`: on a random hostnode, in a shape of one of the presets sold there
    /// (so at that hostnode's price), mostly running.
    fn extra_vm(&self, n: u32, now: OffsetDateTime) -> Vm {
        let mut rng = Rng::new(self.seed ^ SALT ^ u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let node = &self.hostnodes[rng.below(self.hostnodes.len() as u64) as usize];
        // Small machines are the common case.
        let gpus = match rng.below(100) {
            0..45 => 1,
            45..70 => 2,
            70..88 => 4,
            _ => 8,
        };
        let preset = self
            .presets
            .iter()
            .filter(|p| p.gpu_model == node.gpu_model && p.location_ids.contains(&node.location_id))
            .min_by_key(|p| p.resources.gpus.abs_diff(gpus))
            .expect("every hostnode's price tier has presets");
        let status = match rng.below(100) {
            0..80 => VmStatus::Running,
            80..92 => VmStatus::Stopped,
            _ => VmStatus::StoppedDisassociated,
        };
        let name = format!("{}-{n:04}", NAMES[rng.below(NAMES.len() as u64) as usize]);
        let mut tags: Vec<String> = Vec::new();
        for _ in 0..rng.below(4) {
            let tag = TAGS[rng.below(TAGS.len() as u64) as usize];
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_string());
            }
        }
        // Created between half an hour and 90 days ago.
        let age = time::Duration::minutes(30 + rng.below(90 * 24 * 60) as i64);
        Vm {
            id: rng.uuid(),
            instance_id: rng.uuid(),
            hostnode_id: node.id,
            name,
            status,
            gpu_model: node.gpu_model.clone(),
            resources: preset.resources,
            operating_system: preset.operating_system.clone(),
            prices: preset.prices,
            public_ip: node.public_ip.clone(),
            // Outside the hostnodes' pooled ports (20000..): these take none of them.
            external_port: 30000 + rng.below(10_000) as u16,
            created: now - age,
            tags,
            authorized_keys: Vec::new(),
            billed_until: now,
            holds_capacity: false,
        }
    }
}
