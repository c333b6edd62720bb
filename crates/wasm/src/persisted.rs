//! A workspace kept in IndexedDB (wasm32): the engine in memory, every write stored through
//! [`Store::write`] (one IndexedDB transaction per call, acknowledged once complete), and
//! other tabs' and workers' commits applied as they come: each write and each read first
//! catches up from the store's commit log, and a `BroadcastChannel` tells idle copies that
//! something changed so they catch up at once (and the page refreshes).

use crate::error::WorkspaceError;
use statebox_dynamo::{Commit, Engine};
use statebox_idb::{request_persistence, CatchUp, IdbError, Store};
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsValue;
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
    at: Cell<Option<u64>>,
    channel: Option<BroadcastChannel>,
}

impl Persisted {
    /// Opens (creating or upgrading) the workspace's database and loads its engine.
    pub async fn open(
        name: &str,
        on_blocked: impl FnOnce() + 'static,
    ) -> Result<(Persisted, Engine), WorkspaceError> {
        let database = database_name(name);
        let store = Store::open(&database, on_blocked).await?;
        let loaded = store.load().await?;
        let engine = Engine::restore(loaded.snapshot).map_err(|e| IdbError::Corrupt {
            key: database.clone(),
            message: e.to_string(),
        })?;
        // Best effort: a browser may refuse, and the data is kept either way.
        wasm_bindgen_futures::spawn_local(async {
            request_persistence().await;
        });
        let channel = BroadcastChannel::new(&format!("statebox-commits:{database}")).ok();
        Ok((
            Persisted {
                store,
                at: Cell::new(Some(loaded.seq)),
                channel,
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

    /// Runs `f` on the engine as one stored write; resolves once stored.
    pub async fn write<R>(
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
            self.announce(seq);
        }
        Ok(value)
    }

    /// Applies what other copies committed since the engine's commit; whether anything
    /// changed.
    pub async fn refresh(&self, engine: &RefCell<Engine>) -> Result<bool, WorkspaceError> {
        let before = self.at.get();
        let (caught, _) = self.store.catch_up(&self.at).await?;
        let changed = !matches!(caught, CatchUp::Current);
        apply(&mut engine.borrow_mut(), &self.at, caught).inspect_err(|_| self.at.set(None))?;
        Ok(changed && self.at.get() != before)
    }

    /// Replaces everything stored with `engine`'s state (an import).
    pub async fn replace(
        &self,
        engine: &RefCell<Engine>,
        with: Engine,
    ) -> Result<(), WorkspaceError> {
        self.at.set(None);
        let seq = self.store.replace(&with.state_commit()).await?;
        *engine.borrow_mut() = with;
        self.at.set(Some(seq));
        self.announce(seq);
        Ok(())
    }

    fn announce(&self, seq: u64) {
        if let Some(channel) = &self.channel {
            let _ = channel.post_message(&JsValue::from_f64(seq as f64));
        }
    }
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
        CatchUp::Reload { snapshot, seq } => {
            engine
                .load(snapshot)
                .map_err(|e| WorkspaceError::Request(e.to_string()))?;
            at.set(Some(seq));
            Ok(())
        }
    }
}
