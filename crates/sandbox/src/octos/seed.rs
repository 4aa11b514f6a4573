//! The demo Octos Cloud account.

use time::OffsetDateTime;

use super::state::State;

pub fn seed(_seed: u64, _now: OffsetDateTime) -> State {
    State::default()
}
