//! Where an execution's time comes from.
//!
//! By default ([`ClockMode::Virtual`]) an execution keeps its own clock: Waits, retry
//! backoff and the execution's `TimeoutSeconds` pass instantly, the clock jumping to the next
//! wake-up, and [`Execution::advance_clock_by`] lets time pass on purpose (to fire the
//! deadlines of tasks parked on a task token). With [`ClockMode::RealTime`] time comes from a
//! [`Clock`] the caller supplies: this crate does no I/O and never sleeps (on
//! `wasm32-unknown-unknown`, `SystemTime::now()` panics), so the driver asks
//! [`Execution::next_wake_millis`] when nothing can run, sleeps, and steps again.
//!
//! [`Execution::advance_clock_by`]: crate::Execution::advance_clock_by
//! [`Execution::next_wake_millis`]: crate::Execution::next_wake_millis

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// A source of wall-clock time in milliseconds since the epoch.
pub trait Clock: Send + Sync {
    /// The current time (epoch milliseconds).
    fn now_millis(&self) -> i64;
}

/// Any `Fn() -> i64` is a clock (the CLI passes one reading `SystemTime`).
impl<F: Fn() -> i64 + Send + Sync> Clock for F {
    fn now_millis(&self) -> i64 {
        self()
    }
}

/// How an execution's time passes.
#[derive(Clone, Default)]
pub enum ClockMode {
    /// The execution's own clock, which jumps to each wake-up (the default).
    #[default]
    Virtual,
    /// Time from the given clock; Waits really wait (the driver sleeps).
    RealTime(Arc<dyn Clock>),
}

impl ClockMode {
    /// Real time from `clock`.
    pub fn real_time(clock: impl Clock + 'static) -> Self {
        ClockMode::RealTime(Arc::new(clock))
    }

    /// The supplied clock, if real time.
    pub fn clock(&self) -> Option<&dyn Clock> {
        match self {
            ClockMode::Virtual => None,
            ClockMode::RealTime(c) => Some(c.as_ref()),
        }
    }
}

impl fmt::Debug for ClockMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClockMode::Virtual => f.write_str("Virtual"),
            ClockMode::RealTime(_) => f.write_str("RealTime"),
        }
    }
}

/// Two modes are equal when both are virtual or both share the same clock.
impl PartialEq for ClockMode {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ClockMode::Virtual, ClockMode::Virtual) => true,
            (ClockMode::RealTime(a), ClockMode::RealTime(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// A clock moved by hand: for tests, replays, or a front end with its own timer.
#[derive(Debug, Default)]
pub struct ManualClock {
    millis: AtomicI64,
}

impl ManualClock {
    /// A clock showing `millis`.
    pub fn new(millis: i64) -> Self {
        ManualClock {
            millis: AtomicI64::new(millis),
        }
    }

    /// Sets the time.
    pub fn set(&self, millis: i64) {
        self.millis.store(millis, Ordering::SeqCst);
    }

    /// Moves the time forward by `millis`.
    pub fn advance(&self, millis: i64) {
        self.millis.fetch_add(millis, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> i64 {
        self.millis.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_compare_and_print() {
        let clock = Arc::new(ManualClock::new(5));
        let a = ClockMode::RealTime(clock.clone());
        assert_eq!(a, a.clone());
        assert_ne!(a, ClockMode::real_time(ManualClock::new(5)));
        assert_eq!(ClockMode::default(), ClockMode::Virtual);
        assert_eq!(format!("{a:?}"), "RealTime");
        clock.advance(10);
        assert_eq!(a.clock().map(|c| c.now_millis()), Some(15));
        assert_eq!(
            ClockMode::real_time(|| 42).clock().map(|c| c.now_millis()),
            Some(42)
        );
    }
}
