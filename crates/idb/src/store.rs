//! The IndexedDB store (wasm32 only): one database per workspace, in a window or a worker.
//!
//! A write is one entry added to the commit log under the next commit number, in one
//! readwrite transaction, acknowledged once that transaction has completed. The number is
//! the log's key and is only ever added, so two tabs or workers can never both store a
//! commit under it: the loser's transaction aborts with nothing stored. [`Store::append`]
//! adds without reading first (the fast path, for a writer that believes it is current);
//! [`Store::write`] reads the last number first, hands the caller what it missed (other
//! tabs' commits from the log, or the whole state when it is too far behind), lets it run
//! synchronously and adds its commits (for work that cannot run twice).
//! [`Store::checkpoint`] stores the whole state at a commit number as a few large records
//! (the caller, which holds that state in memory, runs it when idle or when enough commits
//! wait: [`crate::records::compact_due`]); loading reads the checkpoint and replays the log
//! after it.
use crate::error::IdbError;
use crate::future::{browser_error, commit_now, finished, outcome, request, Outcome};
use crate::records::{
    assemble, log_entry, run_key, snapshot_of, snapshot_segments, LogEntry, LogEntryRef,
    StoredRecords, COMPACTED_KEY, DOCUMENTS, ENGINE_STORES, LOG, LOG_KEEP, META, META_KEY, RUNS,
    SEGMENT_BYTES, SNAPSHOT, STORES, WRITE_STORES,
};
use js_sys::{Array, Reflect};
use statebox_dynamo::{Commit, Engine, Snapshot};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    IdbCursor, IdbCursorDirection, IdbDatabase, IdbFactory, IdbKeyRange, IdbObjectStore,
    IdbOpenDbRequest, IdbTransaction, IdbTransactionMode,
};

/// Version 1 had `tables` and `items`; version 2 added `streams`, `tokens` and `meta`;
/// version 3 added `log`, `documents` and `runs`; version 4 adds `snapshot`. Each upgrade
/// creates whichever stores are missing and keeps the rest, so an older database opens
/// with nothing lost (its per-item stores are read until the first checkpoint).
pub const VERSION: u32 = 4;

/// What a reader or writer missed since the commit number it knows.
#[derive(Debug)]
pub enum CatchUp {
    /// Nothing: it is current.
    Current,
    /// These commits, in order, numbered from `first`: apply those after what the reader
    /// has (a concurrent reader may have applied some already).
    Commits { first: u64, commits: Vec<Commit> },
    /// Too far behind (or the store was replaced): load this snapshot and apply `tail`
    /// after it: the state at commit `seq`.
    Reload {
        snapshot: Snapshot,
        tail: Vec<Commit>,
        seq: u64,
    },
}

/// A database's whole engine state: the checkpoint (or the per-item stores of an older
/// database), the commits after it, and the number of the last commit.
#[derive(Debug)]
pub struct Loaded {
    pub snapshot: Snapshot,
    pub tail: Vec<Commit>,
    pub seq: u64,
    /// The checkpoint's size in bytes of JSON text (0 when there is none yet).
    pub bytes: usize,
}

/// An open IndexedDB database holding one workspace (clones share the connection).
#[derive(Clone)]
pub struct Store {
    db: IdbDatabase,
    /// Set when the connection is gone (another tab upgraded the database, or the browser
    /// closed it): why, for the error every later call returns.
    closed: Rc<RefCell<Option<String>>>,
}

fn factory() -> Result<IdbFactory, IdbError> {
    let unavailable = |why: String| IdbError::Unavailable { reason: why };
    let value = Reflect::get(&js_sys::global(), &"indexedDB".into())
        .map_err(|e| unavailable(crate::future::message_of(&e)))?;
    value
        .dyn_into::<IdbFactory>()
        .map_err(|_| unavailable("this browser context has no IndexedDB".into()))
}

fn names(stores: &[&str]) -> Array {
    stores.iter().map(|s| JsValue::from_str(s)).collect()
}

fn text_of(value: &JsValue) -> Option<String> {
    value.as_string()
}

fn number_of(value: &JsValue) -> u64 {
    value
        .as_string()
        .and_then(|s| s.parse().ok())
        .or_else(|| value.as_f64().map(|f| f as u64))
        .unwrap_or(0)
}

impl Store {
    /// Opens (creating or upgrading) the database `name`. While other connections keep an
    /// older version open, `on_blocked` is called (once) and the open waits for them: tabs
    /// of this version close their connection when asked ([`Store::closed_reason`] then
    /// says why).
    pub async fn open(name: &str, on_blocked: impl FnOnce() + 'static) -> Result<Store, IdbError> {
        let factory = factory()?;
        let req: IdbOpenDbRequest = factory
            .open_with_u32(name, VERSION)
            .map_err(|e| browser_error("open", &e))?;
        let upgrading = req.clone();
        let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
            let Ok(result) = upgrading.result() else {
                return;
            };
            let db: IdbDatabase = result.unchecked_into();
            let existing = db.object_store_names();
            for store in STORES {
                if !existing.contains(store) {
                    let _ = db.create_object_store(store);
                }
            }
        });
        req.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
        let blocked = Closure::once_into_js(move |_: web_sys::Event| on_blocked());
        req.set_onblocked(Some(blocked.unchecked_ref()));
        let db: IdbDatabase = match request(&req).await {
            Ok(db) => db.unchecked_into(),
            Err(e) if crate::future::exception_name(&e).as_deref() == Some("VersionError") => {
                return Err(IdbError::Closed {
                    reason: "this workspace was saved by a newer Statebox: reload the page".into(),
                })
            }
            Err(e) => return Err(browser_error("open", &e)),
        };
        let closed = Rc::new(RefCell::new(None));
        let (on_change, on_close) = (closed.clone(), closed.clone());
        let connection = db.clone();
        let version_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            // A newer version wants the database: let it have it, never block it.
            connection.close();
            *on_change.borrow_mut() = Some(
                "a newer Statebox opened this workspace in another tab: reload this page".into(),
            );
        });
        db.set_onversionchange(Some(version_change.as_ref().unchecked_ref()));
        version_change.forget();
        let close = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            *on_close.borrow_mut() = Some("the browser closed the workspace's database".into());
        });
        db.set_onclose(Some(close.as_ref().unchecked_ref()));
        close.forget();
        Ok(Store { db, closed })
    }

    /// Why the connection is gone, if it is.
    pub fn closed_reason(&self) -> Option<String> {
        self.closed.borrow().clone()
    }

    fn check_open(&self) -> Result<(), IdbError> {
        match self.closed_reason() {
            Some(reason) => Err(IdbError::Closed { reason }),
            None => Ok(()),
        }
    }

    fn transaction(
        &self,
        stores: &[&str],
        mode: IdbTransactionMode,
    ) -> Result<IdbTransaction, IdbError> {
        self.check_open()?;
        self.db
            .transaction_with_str_sequence_and_mode(&names(stores), mode)
            .map_err(|e| browser_error("transaction", &e))
    }

    /// Reads every table, item, stream record and token, and the last commit's number.
    pub async fn load(&self) -> Result<Loaded, IdbError> {
        let tx = self.transaction(&WRITE_STORES, IdbTransactionMode::Readonly)?;
        read_snapshot(&tx).await
    }

    /// What a reader at commit `known` missed (None: it knows nothing it can trust, so it
    /// reloads), and the number it is then at. Read-only; `known` is read once the store's
    /// number is, so writes of this reader that completed meanwhile are not handed back.
    pub async fn catch_up(&self, known: &Cell<Option<u64>>) -> Result<(CatchUp, u64), IdbError> {
        let tx = self.transaction(&WRITE_STORES, IdbTransactionMode::Readonly)?;
        let seq = read_seq(&tx).await?;
        let caught = catch_up_in(&tx, known.get(), seq).await?;
        Ok((caught, seq))
    }

    /// One serialised write. In a single readwrite transaction: reads the last commit's
    /// number, gives `run` what the caller (at `known`; None: reload) missed, lets it run
    /// synchronously and writes the commits it returns (each with its log entry), setting
    /// `known` to the new number. Resolves once the transaction has completed, with `run`'s
    /// value and the new number. On an error nothing of this call is stored and `known` is
    /// None: the caller's state may hold what was not stored, so its next call reloads.
    pub async fn write<R>(
        &self,
        known: &Cell<Option<u64>>,
        run: impl FnOnce(CatchUp) -> (Vec<Commit>, R),
    ) -> Result<(R, u64), IdbError> {
        let result = self.write_inner(known, run).await;
        if result.is_err() {
            known.set(None);
        }
        result
    }

    async fn write_inner<R>(
        &self,
        known: &Cell<Option<u64>>,
        run: impl FnOnce(CatchUp) -> (Vec<Commit>, R),
    ) -> Result<(R, u64), IdbError> {
        let tx = self.transaction(&WRITE_STORES, IdbTransactionMode::Readwrite)?;
        let done = finished(&tx);
        let disk = read_seq(&tx).await?;
        let caught = catch_up_in(&tx, known.get(), disk).await?;
        let (commits, value) = run(caught);
        let seq = add_entries(&tx, disk, commits.iter().map(LogEntryRef::Commit))?;
        known.set(Some(seq));
        end(tx, done, "write").await?;
        Ok((value, seq))
    }

    /// The fast path of a write: stores `commits` as the ones after `known` without reading
    /// anything first (no round trip before the writes). The log's key is the commit number
    /// and is added, never overwritten, so if another tab or worker already stored a commit
    /// under that number the transaction aborts with nothing stored: `Ok(false)`, and
    /// `known` is None (the caller ran its operation on a state that was not the latest; it
    /// reloads and runs it again through [`Store::write`]). `Ok(true)` once stored, with
    /// `known` at the new number.
    pub async fn append(
        &self,
        known: &Cell<Option<u64>>,
        commits: &[Commit],
    ) -> Result<bool, IdbError> {
        let Some(at) = known.get() else {
            return Ok(false);
        };
        let result = self.append_inner(at, commits).await;
        match &result {
            Ok(Some(seq)) => known.set(Some(*seq)),
            _ => known.set(None),
        }
        result.map(|stored| stored.is_some())
    }

    async fn append_inner(&self, at: u64, commits: &[Commit]) -> Result<Option<u64>, IdbError> {
        let tx = self.transaction(&[LOG], IdbTransactionMode::Readwrite)?;
        let done = finished(&tx);
        let seq = add_entries(&tx, at, commits.iter().map(LogEntryRef::Commit))?;
        if seq == at {
            return Ok(Some(seq));
        }
        commit_now(&tx);
        match outcome(done).await {
            Outcome::Complete => Ok(Some(seq)),
            Outcome::Aborted(Some(e))
                if crate::future::exception_name(&e).as_deref() == Some("ConstraintError") =>
            {
                Ok(None)
            }
            Outcome::Aborted(Some(e)) => Err(browser_error("write", &e)),
            Outcome::Aborted(None) => {
                Err(IdbError::browser("write", "the transaction was aborted"))
            }
        }
    }

    /// Stores `snapshot`, the whole engine state at commit `at`, as the checkpoint, unless
    /// one at `at` or later is stored already; drops the per-item stores of an older
    /// database and the log entries no reader needs (older than [`LOG_KEEP`] commits). One
    /// transaction: a reload at any moment reads either the old checkpoint and its log or
    /// the new one. The size stored (bytes of JSON text), or None when a checkpoint at `at`
    /// or later was there. Safe to run from several tabs at once.
    pub async fn checkpoint(
        &self,
        at: u64,
        snapshot: &Snapshot,
    ) -> Result<Option<usize>, IdbError> {
        let segments = snapshot_segments(snapshot, SEGMENT_BYTES)?;
        let tx = self.transaction(&WRITE_STORES, IdbTransactionMode::Readwrite)?;
        let done = finished(&tx);
        let err = |e: JsValue| browser_error("checkpoint", &e);
        let mark = request(
            &object_store(&tx, META)?
                .get(&COMPACTED_KEY.into())
                .map_err(err)?,
        );
        let mark = number_of(&mark.await.map_err(err)?);
        if mark >= at {
            end(tx, done, "checkpoint").await?;
            return Ok(None);
        }
        store_snapshot(&tx, &segments, at)?;
        if at > LOG_KEEP {
            let old = IdbKeyRange::upper_bound(&JsValue::from_f64((at - LOG_KEEP) as f64))
                .map_err(err)?;
            object_store(&tx, LOG)?.delete(&old).map_err(err)?;
        }
        end(tx, done, "checkpoint").await?;
        Ok(Some(segments.iter().map(Vec::len).sum()))
    }

    /// Checkpoints the stored state as it is now (read back and replayed: for callers that
    /// do not hold it in memory). As [`Store::checkpoint`].
    pub async fn compact(&self) -> Result<Option<usize>, IdbError> {
        let loaded = self.load().await?;
        if loaded.tail.is_empty() && loaded.bytes > 0 {
            return Ok(None);
        }
        let corrupt = |e: statebox_dynamo::DynamoError| IdbError::Corrupt {
            key: LOG.into(),
            message: e.to_string(),
        };
        let mut engine = Engine::restore(loaded.snapshot).map_err(corrupt)?;
        engine.replay(&loaded.tail).map_err(corrupt)?;
        self.checkpoint(loaded.seq, &engine.snapshot()).await
    }

    /// Replaces the whole engine state with `snapshot` (an import, or an empty one to
    /// clear): readers at an older number reload. Returns the new commit number.
    pub async fn replace(&self, snapshot: &Snapshot) -> Result<u64, IdbError> {
        let segments = snapshot_segments(snapshot, SEGMENT_BYTES)?;
        let tx = self.transaction(&WRITE_STORES, IdbTransactionMode::Readwrite)?;
        let done = finished(&tx);
        let disk = read_seq(&tx).await?;
        let seq = add_entries(&tx, disk, [LogEntryRef::Reset])?;
        store_snapshot(&tx, &segments, seq)?;
        end(tx, done, "write").await?;
        Ok(seq)
    }

    /// A document the page keeps (None if never saved).
    pub async fn document(&self, key: &str) -> Result<Option<String>, IdbError> {
        let tx = self.transaction(&[DOCUMENTS], IdbTransactionMode::Readonly)?;
        let req = object_store(&tx, DOCUMENTS)?
            .get(&key.into())
            .map_err(|e| browser_error("read", &e))?;
        let value = request(&req).await.map_err(|e| browser_error("read", &e))?;
        Ok(text_of(&value))
    }

    /// Stores a document; resolves once it is stored.
    pub async fn put_document(&self, key: &str, text: &str) -> Result<(), IdbError> {
        let tx = self.transaction(&[DOCUMENTS], IdbTransactionMode::Readwrite)?;
        let done = finished(&tx);
        put(&object_store(&tx, DOCUMENTS)?, &key.into(), text)?;
        end(tx, done, "write").await
    }

    /// Adds a finished run and drops the oldest beyond the newest `keep`.
    pub async fn add_run(&self, text: &str, keep: usize) -> Result<(), IdbError> {
        let tx = self.transaction(&[RUNS], IdbTransactionMode::Readwrite)?;
        let done = finished(&tx);
        let runs = object_store(&tx, RUNS)?;
        let keys = request(&runs.get_all_keys().map_err(|e| browser_error("read", &e))?)
            .await
            .map_err(|e| browser_error("read", &e))?;
        let keys: Vec<String> = Array::from(&keys)
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        let next = keys
            .last()
            .and_then(|k| k.parse::<u64>().ok())
            .map_or(1, |n| n + 1);
        put(&runs, &run_key(next).into(), text)?;
        let excess = (keys.len() + 1).saturating_sub(keep);
        for key in keys.iter().take(excess) {
            runs.delete(&key.into())
                .map_err(|e| browser_error("write", &e))?;
        }
        end(tx, done, "write").await
    }

    /// Replaces the stored runs (oldest first).
    pub async fn set_runs(&self, texts: &[String]) -> Result<(), IdbError> {
        let tx = self.transaction(&[RUNS], IdbTransactionMode::Readwrite)?;
        let done = finished(&tx);
        let runs = object_store(&tx, RUNS)?;
        runs.clear().map_err(|e| browser_error("clear", &e))?;
        for (n, text) in (1..).zip(texts) {
            put(&runs, &run_key(n).into(), text)?;
        }
        end(tx, done, "write").await
    }

    /// The stored runs, oldest first.
    pub async fn runs(&self) -> Result<Vec<String>, IdbError> {
        let tx = self.transaction(&[RUNS], IdbTransactionMode::Readonly)?;
        read_all(&tx, RUNS).await
    }

    /// Closes the connection.
    pub fn close(&self) {
        self.db.close();
        self.closed
            .borrow_mut()
            .get_or_insert_with(|| "the workspace was closed".into());
    }
}

/// Asks the browser to keep this origin's storage under pressure
/// (`navigator.storage.persist()`); whether it granted that.
pub async fn request_persistence() -> bool {
    let call = || -> Option<js_sys::Promise> {
        let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
        let storage = Reflect::get(&navigator, &"storage".into()).ok()?;
        let persist: js_sys::Function = Reflect::get(&storage, &"persist".into())
            .ok()?
            .dyn_into()
            .ok()?;
        persist.call0(&storage).ok()?.dyn_into().ok()
    };
    match call() {
        Some(promise) => wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map(|v| v.is_truthy())
            .unwrap_or(false),
        None => false,
    }
}

/// Adds log entries numbered after `at` (empty commits are skipped); the last number.
/// Adding (never overwriting) makes a number another writer took abort the transaction.
fn add_entries<'a>(
    tx: &IdbTransaction,
    at: u64,
    entries: impl IntoIterator<Item = LogEntryRef<'a>>,
) -> Result<u64, IdbError> {
    let log = object_store(tx, LOG)?;
    let mut seq = at;
    for entry in entries {
        if matches!(entry, LogEntryRef::Commit(c) if c.changes.is_empty()) {
            continue;
        }
        seq += 1;
        let text = serde_json::to_string(&entry).map_err(|e| IdbError::browser("write", e))?;
        log.add_with_key(&JsValue::from_str(&text), &JsValue::from_f64(seq as f64))
            .map_err(|e| browser_error("write", &e))?;
    }
    Ok(seq)
}

fn object_store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, IdbError> {
    tx.object_store(name)
        .map_err(|e| browser_error("transaction", &e))
}

fn put(store: &IdbObjectStore, key: &JsValue, text: &str) -> Result<(), IdbError> {
    store
        .put_with_key(&JsValue::from_str(text), key)
        .map(|_| ())
        .map_err(|e| browser_error("write", &e))
}

/// Makes `segments` the checkpoint at commit `at`, in `tx`: clears the engine's stores
/// (the per-item ones of an older database too) and writes the segments and the mark.
fn store_snapshot(tx: &IdbTransaction, segments: &[Vec<u8>], at: u64) -> Result<(), IdbError> {
    for store in ENGINE_STORES {
        object_store(tx, store)?
            .clear()
            .map_err(|e| browser_error("clear", &e))?;
    }
    let snapshot = object_store(tx, SNAPSHOT)?;
    for (n, segment) in segments.iter().enumerate() {
        let bytes = js_sys::Uint8Array::from(segment.as_slice());
        snapshot
            .put_with_key(&bytes, &JsValue::from_f64(n as f64))
            .map_err(|e| browser_error("write", &e))?;
    }
    put(
        &object_store(tx, META)?,
        &COMPACTED_KEY.into(),
        &at.to_string(),
    )
}

/// Commits and waits for the end: Ok once complete, the abort's cause otherwise.
async fn end(
    tx: IdbTransaction,
    done: wasm_bindgen_futures::JsFuture,
    what: &str,
) -> Result<(), IdbError> {
    // Committing explicitly ends the transaction without waiting for the event loop.
    commit_now(&tx);
    match outcome(done).await {
        Outcome::Complete => Ok(()),
        Outcome::Aborted(Some(e)) => Err(browser_error(what, &e)),
        Outcome::Aborted(None) => Err(IdbError::browser(what, "the transaction was aborted")),
    }
}

/// The number of the last commit: the log's highest key (the log always keeps its newest
/// entries), else the compaction mark of a database written before there was a log (0).
async fn read_seq(tx: &IdbTransaction) -> Result<u64, IdbError> {
    let err = |e: JsValue| browser_error("read", &e);
    let last = object_store(tx, LOG)?
        .open_key_cursor_with_range_and_direction(&JsValue::NULL, IdbCursorDirection::Prev)
        .map_err(err)?;
    let mark = object_store(tx, META)?
        .get(&COMPACTED_KEY.into())
        .map_err(err)?;
    let (last, mark) = (request(&last), request(&mark));
    let last = last.await.map_err(err)?;
    let mark = number_of(&mark.await.map_err(err)?);
    let last = last
        .dyn_ref::<IdbCursor>()
        .and_then(|c| c.key().ok())
        .map_or(0, |k| number_of(&k));
    Ok(last.max(mark))
}

/// The log's entries after `mark`, in order, and the last one's number (`mark` if none).
async fn read_log_after(tx: &IdbTransaction, mark: u64) -> Result<(Vec<LogEntry>, u64), IdbError> {
    let err = |e: JsValue| browser_error("read", &e);
    let range =
        IdbKeyRange::lower_bound_with_open(&JsValue::from_f64(mark as f64), true).map_err(err)?;
    let log = object_store(tx, LOG)?;
    let (values, keys) = (
        request(&log.get_all_with_key(&range).map_err(err)?),
        request(&log.get_all_keys_with_key(&range).map_err(err)?),
    );
    let values = values.await.map_err(err)?;
    let keys = keys.await.map_err(err)?;
    let last = Array::from(&keys)
        .iter()
        .last()
        .map_or(mark, |k| number_of(&k));
    let entries = Array::from(&values)
        .iter()
        .filter_map(|v| v.as_string())
        .map(|text| log_entry(&text))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((entries, last))
}

async fn read_all(tx: &IdbTransaction, store: &str) -> Result<Vec<String>, IdbError> {
    let req = object_store(tx, store)?
        .get_all()
        .map_err(|e| browser_error("read", &e))?;
    let values = request(&req).await.map_err(|e| browser_error("read", &e))?;
    Ok(Array::from(&values)
        .iter()
        .filter_map(|v| v.as_string())
        .collect())
}

async fn read_snapshot(tx: &IdbTransaction) -> Result<Loaded, IdbError> {
    let err = |e: JsValue| browser_error("read", &e);
    let [tables, items, streams, tokens, _, _] = ENGINE_STORES;
    // Every read is issued before any is awaited: one round trip, not one per store.
    let meta = request(&object_store(tx, META)?.get(&META_KEY.into()).map_err(err)?);
    let mark = request(
        &object_store(tx, META)?
            .get(&COMPACTED_KEY.into())
            .map_err(err)?,
    );
    let all = |store: &str| -> Result<_, IdbError> {
        Ok(request(&object_store(tx, store)?.get_all().map_err(err)?))
    };
    let segments = all(SNAPSHOT)?;
    let (tables, items, streams, tokens) = (all(tables)?, all(items)?, all(streams)?, all(tokens)?);
    let texts = |values: JsValue| -> Vec<String> {
        Array::from(&values)
            .iter()
            .filter_map(|v| v.as_string())
            .collect()
    };
    let meta = meta.await.map_err(err)?;
    let mark = number_of(&mark.await.map_err(err)?);
    let segments: Vec<Vec<u8>> = Array::from(&segments.await.map_err(err)?)
        .iter()
        .map(|v| js_sys::Uint8Array::new(&v).to_vec())
        .collect();
    let bytes = segments.iter().map(Vec::len).sum();
    let snapshot = match snapshot_of(&segments)? {
        Some(snapshot) => snapshot,
        // A database written before version 4 (or never checkpointed).
        None => assemble(StoredRecords {
            tables: texts(tables.await.map_err(err)?),
            items: texts(items.await.map_err(err)?),
            streams: texts(streams.await.map_err(err)?),
            tokens: texts(tokens.await.map_err(err)?),
            meta: text_of(&meta),
        })?,
    };
    drop(segments);
    let (entries, seq) = read_log_after(tx, mark).await?;
    // A reset after the mark cannot be (a replace sets the mark to it); skip any.
    let tail = entries
        .into_iter()
        .filter_map(|e| match e {
            LogEntry::Commit(c) => Some(c),
            LogEntry::Reset => None,
        })
        .collect();
    Ok(Loaded {
        snapshot,
        tail,
        seq,
        bytes,
    })
}

/// What a caller at `known` missed, up to `disk`, read in `tx`.
async fn catch_up_in(
    tx: &IdbTransaction,
    known: Option<u64>,
    disk: u64,
) -> Result<CatchUp, IdbError> {
    let reload = || async {
        let loaded = read_snapshot(tx).await?;
        Ok(CatchUp::Reload {
            snapshot: loaded.snapshot,
            tail: loaded.tail,
            seq: loaded.seq,
        })
    };
    let known = match known {
        Some(k) if k == disk => return Ok(CatchUp::Current),
        Some(k) if k < disk && disk - k <= LOG_KEEP => k,
        _ => return reload().await,
    };
    let range = IdbKeyRange::bound(
        &JsValue::from_f64((known + 1) as f64),
        &JsValue::from_f64(disk as f64),
    )
    .map_err(|e| browser_error("read", &e))?;
    let req = object_store(tx, LOG)?
        .get_all_with_key(&range)
        .map_err(|e| browser_error("read", &e))?;
    let values = request(&req).await.map_err(|e| browser_error("read", &e))?;
    let texts: Vec<String> = Array::from(&values)
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if texts.len() as u64 != disk - known {
        return reload().await;
    }
    let mut commits = Vec::with_capacity(texts.len());
    for text in &texts {
        match log_entry(text)? {
            LogEntry::Commit(commit) => commits.push(commit),
            LogEntry::Reset => return reload().await,
        }
    }
    Ok(CatchUp::Commits {
        first: known + 1,
        commits,
    })
}
