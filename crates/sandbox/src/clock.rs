//! The sandbox's notion of "now".
//!
//! Every time-dependent behaviour (bare-metal boot delay, billing accrual, token expiry) reads this
//! clock, so tests move it forward with [`Clock::advance`] instead of sleeping.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

/// A clock that either follows real time from a start point or stands still until advanced.
#[derive(Debug)]
pub struct Clock {
    start: OffsetDateTime,
    /// `Some` when the clock follows the machine's monotonic time as well.
    running_since: Option<Instant>,
    offset: Mutex<Duration>,
}

impl Clock {
    /// A clock that starts at `start` and moves only when [`Clock::advance`] is called.
    pub fn frozen(start: OffsetDateTime) -> Self {
        Self {
            start,
            running_since: None,
            offset: Mutex::new(Duration::ZERO),
        }
    }

    /// A clock that starts at `start` and then follows real time (plus any advances).
    pub fn running(start: OffsetDateTime) -> Self {
        Self {
            start,
            running_since: Some(Instant::now()),
            offset: Mutex::new(Duration::ZERO),
        }
    }

    /// The current simulated time, in UTC.
    pub fn now(&self) -> OffsetDateTime {
        let offset = *self.offset.lock().expect("clock lock");
        let real = self.running_since.map(|t| t.elapsed()).unwrap_or_default();
        self.start + offset + real
    }

    /// Moves simulated time forward.
    pub fn advance(&self, by: Duration) {
        *self.offset.lock().expect("clock lock") += by;
    }

    /// Whether the clock also follows real time.
    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }
}
