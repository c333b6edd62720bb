//! The open connections: what each is doing (idle between requests, receiving a request
//! head, or busy with a request) and since when, so that the server can close the ones idle
//! too long, answer `408` to a head that stalls, and make room for a new client by closing
//! the connection idle the longest.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::limits::Limits;

/// What a connection is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Between requests: nothing received since the last answer.
    Idle = 0,
    /// Bytes of the next request have arrived but hyper has not handed it over yet.
    Head = 1,
    /// A request is being read or answered.
    Busy = 2,
}

/// What the watchdog of a connection should do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Due {
    /// Nothing yet: look again at this instant.
    Later(Instant),
    /// Idle longer than allowed: close it.
    Idle,
    /// Its request head took longer than allowed: answer `408` and close it.
    Head,
}

/// The instant `since` counts from.
static ORIGIN: LazyLock<Instant> = LazyLock::new(Instant::now);

fn now_micros() -> u64 {
    u64::try_from(ORIGIN.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// One connection's state, shared by its task, its socket and its request handler.
#[derive(Debug)]
pub(crate) struct Track {
    phase: AtomicU8,
    /// When the phase began, in microseconds since [`ORIGIN`].
    since: AtomicU64,
    /// Woken when the registry closes this connection to make room.
    pub(crate) evicted: Notify,
    /// Woken when a request head starts arriving, so the watchdog times it.
    pub(crate) started: Notify,
}

impl Track {
    fn new() -> Track {
        Track {
            phase: AtomicU8::new(Phase::Idle as u8),
            since: AtomicU64::new(now_micros()),
            evicted: Notify::new(),
            started: Notify::new(),
        }
    }

    pub(crate) fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Acquire) {
            0 => Phase::Idle,
            1 => Phase::Head,
            _ => Phase::Busy,
        }
    }

    fn since(&self) -> u64 {
        self.since.load(Ordering::Acquire)
    }

    fn enter(&self, phase: Phase) {
        self.since.store(now_micros(), Ordering::Release);
        self.phase.store(phase as u8, Ordering::Release);
    }

    /// Bytes arrived: an idle connection starts receiving a request head.
    pub(crate) fn arrived(&self) {
        if self.phase.load(Ordering::Relaxed) == Phase::Idle as u8 {
            self.since.store(now_micros(), Ordering::Release);
            let started = self.phase.compare_exchange(
                Phase::Idle as u8,
                Phase::Head as u8,
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
            if started.is_ok() {
                self.started.notify_one();
            }
        }
    }

    /// A request was handed over.
    pub(crate) fn busy(&self) {
        self.enter(Phase::Busy);
    }

    /// Its answer is made.
    pub(crate) fn idle(&self) {
        self.enter(Phase::Idle);
    }

    /// Whether a bound of `limits` is passed at `now`, else when to look again.
    pub(crate) fn due(&self, limits: &Limits, now: Instant) -> Due {
        let since = *ORIGIN + Duration::from_micros(self.since());
        match self.phase() {
            Phase::Idle if now >= since + limits.idle_timeout => Due::Idle,
            Phase::Idle => Due::Later(since + limits.idle_timeout),
            Phase::Head if now >= since + limits.request_timeout => Due::Head,
            Phase::Head => Due::Later(since + limits.request_timeout),
            // The body's own timeout is the handler's; look again once it would have passed.
            Phase::Busy => Due::Later(now + limits.request_timeout),
        }
    }
}

/// The open connections, at most `cap`.
#[derive(Debug)]
pub(crate) struct Registry {
    cap: usize,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Track>>>,
}

/// A connection's place in the registry, given up when dropped.
pub(crate) struct Admission {
    registry: Arc<Registry>,
    id: u64,
    pub(crate) track: Arc<Track>,
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.id);
    }
}

impl Registry {
    pub(crate) fn new(cap: usize) -> Registry {
        Registry {
            cap: cap.max(1),
            next_id: AtomicU64::new(0),
            open: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Track>>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many connections are open.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    /// Admits a new connection. At the cap, the connection idle the longest is told to close
    /// and leaves the registry at once; when none is idle, `None`: the client is refused.
    pub(crate) fn admit(self: &Arc<Self>) -> Option<Admission> {
        let mut open = self.lock();
        if open.len() >= self.cap {
            let oldest = open
                .iter()
                .filter(|(_, track)| track.phase() == Phase::Idle)
                .min_by_key(|(_, track)| track.since())
                .map(|(id, _)| *id)?;
            if let Some(track) = open.remove(&oldest) {
                track.evicted.notify_one();
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let track = Arc::new(Track::new());
        open.insert(id, Arc::clone(&track));
        Some(Admission {
            registry: Arc::clone(self),
            id,
            track,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_room_by_closing_the_longest_idle() {
        let registry = Arc::new(Registry::new(2));
        let first = registry.admit().unwrap();
        std::thread::sleep(Duration::from_millis(2));
        let second = registry.admit().unwrap();
        let third = registry.admit().unwrap();
        assert_eq!(registry.len(), 2);
        // The first was idle the longest: it was told to close and left.
        assert!(tokio_notified(&first.track));
        assert!(!tokio_notified(&second.track));
        second.track.busy();
        third.track.arrived();
        assert_eq!(third.track.phase(), Phase::Head);
        assert!(registry.admit().is_none(), "none idle: refused");
        drop(first);
        assert_eq!(registry.len(), 2);
        drop(third);
        assert_eq!(registry.len(), 1);
        assert!(registry.admit().is_some());
    }

    /// Whether a notification is waiting.
    fn tokio_notified(track: &Track) -> bool {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            tokio::time::timeout(Duration::ZERO, track.evicted.notified())
                .await
                .is_ok()
        })
    }

    #[test]
    fn tells_what_is_due() {
        let limits = Limits {
            idle_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(3),
            ..Limits::default()
        };
        let track = Track::new();
        let now = Instant::now();
        assert!(matches!(track.due(&limits, now), Due::Later(_)));
        assert_eq!(track.due(&limits, now + Duration::from_secs(11)), Due::Idle);
        track.arrived();
        assert_eq!(track.due(&limits, now + Duration::from_secs(4)), Due::Head);
        track.busy();
        assert!(matches!(
            track.due(&limits, now + Duration::from_secs(100)),
            Due::Later(_)
        ));
        track.idle();
        assert_eq!(track.phase(), Phase::Idle);
    }
}
