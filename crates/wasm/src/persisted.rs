//! A workspace kept in IndexedDB (wasm32): the engine in memory, every write stored in one
//! IndexedDB transaction per call and acknowledged once that transaction has completed, and
//! other tabs' and workers' commits applied as they come.
//!
//! A single operation takes the fast path: it runs on the engine, then its commits are
//! appended to the store under the next commit numbers without reading anything first
//! ([`Store::append`]); a number another copy took first aborts that transaction (nothing
//! stored), and the operation runs again on the latest state inside a transaction that
//! reads and catches up first ([`Store::write`]). Executions always take that second path:
//! their steps cannot be run twice. Reads catch up from the commit log first, and a
//! `BroadcastChannel` tells idle copies that something changed so they catch up at once (and
//! the page refreshes). Within one copy, calls take turns, so each runs on the state the
//! previous one left, stored or reloaded.

use crate::error::WorkspaceError;
use js_sys::{Function, Promise};
use statebox_dynamo::{Commit, Engine};
use statebox_idb::records::compact_due;
use statebox_idb::{request_persistence, CatchUp, IdbError, Store};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::BroadcastChannel;

/// The IndexedDB database of the workspace `name`: the page's own workspace ("default")
/// keeps the database earlier versions of the page wrote.
pub fn database_name(name: &str) -> String {
    if name == "default" {
        "statebox".to_string()
    } else {
        format!("statebox:{name}")
    }
}

/// The store, and which commit the in-memory engine reflects.
pub struct Persisted {
    pub store: Store,
    /// The number of the last commit the engine holds; None: unknown (a write failed after
    /// the engine ran it), so the next call reloads.
    at: Rc<Cell<Option<u64>>>,
    channel: Option<BroadcastChannel>,
    /// The end of the queue of calls: each waits for the one before.
    tail: Rc<RefCell<Option<Promise>>>,
    compaction: Rc<Compaction>,
    announcer: Rc<Announcer>,
}

/// After a write, wait this long for more before telling the other copies.
const ANNOUNCE_MILLIS: f64 = 20.0;

/// Checkpoint once the workspace has been idle this long.
const COMPACT_IDLE_MILLIS: f64 = 1000.0;

/// Tells other copies of the workspace, on its `BroadcastChannel`, the latest commit.
struct Announcer {
    channel: Option<BroadcastChannel>,
    latest: Cell<u64>,
    scheduled: Cell<bool>,
}

impl Announcer {
    fn announce(this: &Rc<Announcer>, seq: u64) {
        this.latest.set(this.latest.get().max(seq));
        if this.channel.is_none() || this.scheduled.replace(true) {
            return;
        }
        let this = this.clone();
        crate::timer::after(ANNOUNCE_MILLIS, move || {
            this.scheduled.set(false);
            if let Some(channel) = &this.channel {
                let _ = channel.post_message(&JsValue::from_f64(this.latest.get() as f64));
            }
        });
    }
}

/// Checkpointing the engine's state (from memory) so that a reload reads a few large
/// records and replays a short log: when the workspace has been idle for
/// [`COMPACT_IDLE_MILLIS`] (so a burst of writes pays one store write each), or at once when
/// enough commits wait ([`compact_due`]: a number that grows with the state's size, so
/// checkpoints cost a bounded share of the writes); in a turn of its own, after the call
/// that wrote, so the engine is exactly the state at the commit it is stored under.
struct Compaction {
    store: Store,
    tail: Rc<RefCell<Option<Promise>>>,
    engine: Weak<RefCell<Engine>>,
    at: Rc<Cell<Option<u64>>>,
    /// Commits this copy added (or found at open) since its last checkpoint.
    uncompacted: Cell<u64>,
    /// The size of the last checkpoint (bytes of JSON text).
    bytes: Cell<usize>,
    last_write: Cell<f64>,
    armed: Cell<bool>,
}

impl Compaction {
    fn count(this: &Rc<Compaction>, commits: u64) {
        this.uncompacted.set(this.uncompacted.get() + commits);
        this.last_write.set(js_sys::Date::now());
        if compact_due(this.uncompacted.get(), this.bytes.get()) {
            Compaction::run(this.clone());
        } else if !this.armed.replace(true) {
            Compaction::wait(this.clone(), COMPACT_IDLE_MILLIS);
        }
    }

    fn wait(this: Rc<Compaction>, millis: f64) {
        crate::timer::after(millis, move || {
            let idle = js_sys::Date::now() - this.last_write.get();
            if idle < COMPACT_IDLE_MILLIS {
                Compaction::wait(this, COMPACT_IDLE_MILLIS - idle);
            } else {
                this.armed.set(false);
                Compaction::run(this);
            }
        });
    }

    fn run(this: Rc<Compaction>) {
        let waiting = this.uncompacted.replace(0);
        if waiting == 0 {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let _turn = take_turn(&this.tail).await;
            let Some(engine) = this.engine.upgrade() else {
                return;
            };
            // Unknown state (the next call reloads it): nothing to store yet.
            let stored = match this.at.get() {
                Some(at) => {
                    let snapshot = engine.borrow().snapshot();
                    match this.store.checkpoint(at, &snapshot).await {
                        Ok(bytes) => {
                            this.bytes.set(bytes.unwrap_or(this.bytes.get()));
                            true
                        }
                        Err(_) => false,
                    }
                }
                None => false,
            };
            // A failed checkpoint loses nothing (the log keeps the commits): try again
            // when idle, not at once (a failure that repeats, a full quota say, would spin).
            if !stored && this.store.closed_reason().is_none() {
                this.uncompacted.set(this.uncompacted.get() + waiting);
                if !this.armed.replace(true) {
                    Compaction::wait(this.clone(), COMPACT_IDLE_MILLIS);
                }
            }
        });
    }
}

/// A call's turn: resolves the next call's wait when dropped.
struct Turn(Option<Function>);

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(resolve) = self.0.take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

impl Persisted {
    /// Opens (creating or upgrading) the workspace's database and loads its engine.
    pub async fn open(
        name: &str,
        on_blocked: impl FnOnce() + 'static,
    ) -> Result<(Persisted, Rc<RefCell<Engine>>), WorkspaceError> {
        let database = database_name(name);
        let store = Store::open(&database, on_blocked).await?;
        let loaded = store.load().await?;
        let corrupt = |e: statebox_dynamo::DynamoError| IdbError::Corrupt {
            key: database.clone(),
            message: e.to_string(),
        };
        let mut engine = Engine::restore(loaded.snapshot).map_err(corrupt)?;
        engine.replay(&loaded.tail).map_err(corrupt)?;
        let uncompacted = loaded.tail.len() as u64;
        let engine = Rc::new(RefCell::new(engine));
        let at = Rc::new(Cell::new(Some(loaded.seq)));
        let tail: Rc<RefCell<Option<Promise>>> = Rc::default();
        // Best effort: a browser may refuse, and the data is kept either way.
        wasm_bindgen_futures::spawn_local(async {
            request_persistence().await;
        });
        let channel = BroadcastChannel::new(&format!("statebox-commits:{database}")).ok();
        Ok((
            Persisted {
                at: at.clone(),
                compaction: {
                    let compaction = Rc::new(Compaction {
                        store: store.clone(),
                        tail: tail.clone(),
                        engine: Rc::downgrade(&engine),
                        at,
                        uncompacted: Cell::new(0),
                        bytes: Cell::new(loaded.bytes),
                        last_write: Cell::new(0.0),
                        armed: Cell::new(false),
                    });
                    Compaction::count(&compaction, uncompacted);
                    compaction
                },
                announcer: Rc::new(Announcer {
                    channel: channel.clone(),
                    latest: Cell::new(loaded.seq),
                    scheduled: Cell::new(false),
                }),
                store,
                channel,
                tail,
            },
            engine,
        ))
    }

    /// The channel other copies announce their commits on.
    pub fn channel(&self) -> Option<&BroadcastChannel> {
        self.channel.as_ref()
    }

    /// The commit the engine reflects.
    pub fn at(&self) -> Option<u64> {
        self.at.get()
    }

    /// Waits for the calls before this one; the turn ends when the returned value drops.
    async fn turn(&self) -> Turn {
        take_turn(&self.tail).await
    }

    /// Runs one operation `f` on the engine and stores its commits; resolves once stored.
    /// `f` may run twice (a second time on the latest state, if another copy wrote first).
    pub async fn write_op<R>(
        &self,
        engine: &RefCell<Engine>,
        mut f: impl FnMut(&mut Engine) -> (Vec<Commit>, R),
    ) -> Result<R, WorkspaceError> {
        let _turn = self.turn().await;
        if self.at.get().is_some() {
            let (commits, value) = f(&mut engine.borrow_mut());
            if commits.iter().all(|c| c.changes.is_empty()) {
                // Nothing to store (a refused condition, say): answer only if the state it
                // was judged on is the latest.
                if !self.refresh_now(engine).await? {
                    return Ok(value);
                }
            } else if self.store.append(&self.at, &commits).await? {
                self.announce();
                self.count(commits.len());
                return Ok(value);
            }
        }
        self.write_now(engine, f).await
    }

    /// Runs `f` on the latest state as one stored write (it runs once); resolves once
    /// stored.
    pub async fn write<R>(
        &self,
        engine: &RefCell<Engine>,
        f: impl FnOnce(&mut Engine) -> (Vec<Commit>, R),
    ) -> Result<R, WorkspaceError> {
        let _turn = self.turn().await;
        self.write_now(engine, f).await
    }

    async fn write_now<R>(
        &self,
        engine: &RefCell<Engine>,
        f: impl FnOnce(&mut Engine) -> (Vec<Commit>, R),
    ) -> Result<R, WorkspaceError> {
        let before = self.at.get();
        let at = &self.at;
        let (value, seq) = self
            .store
            .write(&self.at, |caught| {
                let mut engine = engine.borrow_mut();
                if let Err(e) = apply(&mut engine, at, caught) {
                    return (Vec::new(), Err(e));
                }
                let (commits, value) = f(&mut engine);
                (commits, Ok(value))
            })
            .await?;
        let value = value.inspect_err(|_| self.at.set(None))?;
        if Some(seq) != before {
            self.announce();
            self.count(1);
        }
        Ok(value)
    }

    /// Applies what other copies committed since the engine's commit; whether anything
    /// changed.
    pub async fn refresh(&self, engine: &RefCell<Engine>) -> Result<bool, WorkspaceError> {
        let _turn = self.turn().await;
        self.refresh_now(engine).await
    }

    async fn refresh_now(&self, engine: &RefCell<Engine>) -> Result<bool, WorkspaceError> {
        let before = self.at.get();
        let (caught, _) = self.store.catch_up(&self.at).await?;
        if matches!(caught, CatchUp::Current) {
            return Ok(false);
        }
        apply(&mut engine.borrow_mut(), &self.at, caught).inspect_err(|_| self.at.set(None))?;
        Ok(self.at.get() != before)
    }

    /// Replaces everything stored with `engine`'s state (an import).
    pub async fn replace(
        &self,
        engine: &RefCell<Engine>,
        with: Engine,
    ) -> Result<(), WorkspaceError> {
        let _turn = self.turn().await;
        self.at.set(None);
        let seq = self.store.replace(&with.snapshot()).await?;
        *engine.borrow_mut() = with;
        self.at.set(Some(seq));
        self.announce();
        Ok(())
    }

    /// Counts commits added (see [`Compaction`]).
    fn count(&self, commits: usize) {
        Compaction::count(&self.compaction, commits as u64);
    }

    /// Tells the other copies the commit number the store is at now (at most every
    /// [`ANNOUNCE_MILLIS`]: a burst of writes is one message, sent after it).
    fn announce(&self) {
        if let Some(seq) = self.at.get() {
            Announcer::announce(&self.announcer, seq);
        }
    }
}

/// Waits for the calls queued before this one on `tail`; the turn ends when the returned
/// value drops.
async fn take_turn(tail: &RefCell<Option<Promise>>) -> Turn {
    let mut resolver = None;
    let mine = Promise::new(&mut |resolve, _| resolver = Some(resolve));
    let before = tail.borrow_mut().replace(mine);
    if let Some(before) = before {
        let _ = JsFuture::from(before).await;
    }
    Turn(resolver)
}

/// Brings `engine` (at `at`) up to what `caught` holds; commits a concurrent reader already
/// applied are skipped.
fn apply(
    engine: &mut Engine,
    at: &Cell<Option<u64>>,
    caught: CatchUp,
) -> Result<(), WorkspaceError> {
    match caught {
        CatchUp::Current => Ok(()),
        CatchUp::Commits { first, commits } => {
            let Some(mut now) = at.get() else {
                // Unknown state: the next call reloads; applying on top would guess.
                return Ok(());
            };
            for (n, commit) in (first..).zip(&commits) {
                if n <= now {
                    continue;
                }
                for change in &commit.changes {
                    engine
                        .apply_change(change)
                        .map_err(|e| WorkspaceError::Request(e.to_string()))?;
                }
                now = n;
                at.set(Some(now));
            }
            Ok(())
        }
        CatchUp::Reload {
            snapshot,
            tail,
            seq,
        } => {
            let corrupt = |e: statebox_dynamo::DynamoError| WorkspaceError::Request(e.to_string());
            engine.load(snapshot).map_err(corrupt)?;
            engine.replay(&tail).map_err(corrupt)?;
            at.set(Some(seq));
            Ok(())
        }
    }
}
