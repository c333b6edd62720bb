//! The engine's injected clock: all time (creation dates, TTL, stream records) comes from
//! here, never from the system, so runs are deterministic and the crate builds for wasm.

use std::cell::Cell;
use std::fmt;

/// A source of the current time in milliseconds since the Unix epoch.
pub trait Clock {
    fn now_millis(&self) -> i64;
}

/// The default clock's start: 2024-01-01T00:00:00Z.
pub const DEFAULT_EPOCH_MILLIS: i64 = 1_704_067_200_000;

/// A virtual clock: stays where it is set, moves only when told.
#[derive(Default)]
pub struct VirtualClock {
    now: Cell<i64>,
}

impl VirtualClock {
    pub fn new(now_millis: i64) -> Self {
        VirtualClock {
            now: Cell::new(now_millis),
        }
    }

    pub fn set(&self, now_millis: i64) {
        self.now.set(now_millis);
    }

    /// The current time (same as [`Clock::now_millis`], without importing the trait).
    pub fn now_millis_public(&self) -> i64 {
        self.now.get()
    }

    pub fn advance(&self, millis: i64) {
        self.now.set(self.now.get().saturating_add(millis));
    }
}

impl Clock for VirtualClock {
    fn now_millis(&self) -> i64 {
        self.now.get()
    }
}

impl fmt::Debug for VirtualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VirtualClock({})", self.now.get())
    }
}

/// Any closure `Fn() -> i64` is a clock.
impl<F: Fn() -> i64> Clock for F {
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
