//! Every machine of every account, as one row type: what the Machines page lists, filters,
//! sorts, totals and exports. Each provider's objects map to [`Machine`] here, once.

mod after_lost_answer;
mod age;
mod deploy_check;
mod deploy_like;
mod guard;
mod lifecycle;
mod listing;
mod machine;
mod notices;
mod read;
mod state;
mod tags;
mod terminal;
mod view;

pub use after_lost_answer::{details_saved, ActionChecked, ActionOutcome};
pub use age::age_label;
pub use deploy_check::{find_deployed, unreadable_could_be, CLOCK_SLACK_SECONDS, SETTLE_SECONDS};
pub use deploy_like::{deploy_like_path, next_name, Choice, LikeThis};
pub use guard::{billed_while_stopped, release_saving};
pub use lifecycle::{available_actions, explain, lifecycle_request, Lifecycle};
pub use listing::{merge_listings, AccountListing, Coverage, ListAnswer, MachineList};
pub use machine::{
    login_name_problem, AccountRef, Gpus, LoginSource, Machine, MachineKind, SshTarget, VmLogin,
    DEFAULT_VM_USER,
};
pub use notices::{ActionNotice, ActionNotices};
pub use read::{netactuate_rows, octos_rows, rental_rows, vm_rows};
pub use state::MachineState;
pub use tags::parse_tags;
pub use terminal::{hostfile, ssh_command, ssh_config};
pub use view::{filtered, sorted, MachineFilter, Sort, SortColumn, Totals};
