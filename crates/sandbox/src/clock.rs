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
        let offset = *self
            .offset
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let real = self.running_since.map(|t| t.elapsed()).unwrap_or_default();
        self.start + offset + real
    }

    /// Moves simulated time forward.
    pub fn advance(&self, by: Duration) {
        *self
            .offset
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) += by;
    }

    /// Whether the clock also follows real time.
    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frozen_clock_moves_only_when_advanced() {
        let start = time::macros::datetime!(2026-01-01 00:00 UTC);
        let clock = Clock::frozen(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::from_secs(90));
        assert_eq!(clock.now(), start + time::Duration::seconds(90));
        assert!(!clock.is_running());
    }

    #[test]
    fn a_running_clock_follows_real_time_plus_advances() {
        let start = time::macros::datetime!(2026-01-01 00:00 UTC);
        let clock = Clock::running(start);
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now() >= start + time::Duration::hours(1));
    }
}
