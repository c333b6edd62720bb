//! The engine's injected clock: all time (creation dates, TTL, stream records) comes from
//! here, never from the system, so runs are deterministic and the crate builds for wasm.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};

/// A source of the current time in milliseconds since the Unix epoch. `Send`, so an engine
/// can move to the thread that serves it.
pub trait Clock: Send {
    fn now_millis(&self) -> i64;
}

/// The default clock's start: 2024-01-01T00:00:00Z.
pub const DEFAULT_EPOCH_MILLIS: i64 = 1_704_067_200_000;

/// A virtual clock: stays where it is set, moves only when told. Shareable (`Arc`) between
/// the engine and whoever moves time.
#[derive(Default)]
pub struct VirtualClock {
    now: AtomicI64,
}

impl VirtualClock {
    pub fn new(now_millis: i64) -> Self {
        VirtualClock {
            now: AtomicI64::new(now_millis),
        }
    }

    pub fn set(&self, now_millis: i64) {
        self.now.store(now_millis, Ordering::Relaxed);
    }

    /// The current time (same as [`Clock::now_millis`], without importing the trait).
    pub fn now_millis_public(&self) -> i64 {
        self.now.load(Ordering::Relaxed)
    }

    pub fn advance(&self, millis: i64) {
        let _ = self
            .now
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                Some(n.saturating_add(millis))
            });
    }
}

impl Clock for VirtualClock {
    fn now_millis(&self) -> i64 {
        self.now.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for VirtualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VirtualClock({})", self.now.load(Ordering::Relaxed))
    }
}

/// Any closure `Fn() -> i64` is a clock.
impl<F: Fn() -> i64 + Send> Clock for F {
    fn now_millis(&self) -> i64 {
        self()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_clock_moves_only_when_told() {
        let clock = VirtualClock::new(5);
        assert_eq!(clock.now_millis(), 5);
        clock.advance(10);
        assert_eq!(clock.now_millis(), 15);
        let f = || 42_i64;
        assert_eq!(f.now_millis(), 42);
    }
}
