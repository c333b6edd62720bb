//! The IndexedDB store (wasm32 only): runs the writes [`ops_for`] lays out, one IndexedDB
//! transaction per commit, and reads every object store back for [`assemble`].

use crate::error::IdbError;
use crate::records::{assemble, ops_for, Op, StoredRecords, META, META_KEY, STORES};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use statebox_dynamo::{Commit, Snapshot};

/// Version 1 had `tables` and `items`; version 2 adds `streams`, `tokens` and `meta`. The
/// upgrade creates whichever stores are missing and keeps the rest.
const VERSION: u32 = 2;

/// An open IndexedDB database holding one workspace's tables.
pub struct Store {
    db: Database,
}

impl Store {
    /// Opens (creating or upgrading on first use) the database `name`.
    pub async fn open(name: &str) -> Result<Store, IdbError> {
        let db = Database::open(name)
            .with_version(VERSION)
            .with_on_upgrade_needed(|_event, db| {
                let existing: Vec<String> = db.object_store_names().collect();
                for store in STORES {
                    if !existing.iter().any(|s| s == store) {
                        db.create_object_store(store).build()?;
                    }
                }
                Ok(())
            })
            .await
            .map_err(|e| IdbError::browser("open", e))?;
        Ok(Store { db })
    }

    /// Reads every table, item, stream record and token.
    pub async fn load(&self) -> Result<Snapshot, IdbError> {
        let err = |e| IdbError::browser("read", e);
        let tx = self
            .db
            .transaction(STORES)
            .with_mode(TransactionMode::Readonly)
            .build()
            .map_err(err)?;
        let [tables, items, streams, tokens, _] = STORES;
        let meta = tx
            .object_store(META)
            .map_err(err)?
            .get::<String, _, _>(META_KEY)
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?;
        assemble(StoredRecords {
            tables: read_all(&tx, tables).await?,
            items: read_all(&tx, items).await?,
            streams: read_all(&tx, streams).await?,
            tokens: read_all(&tx, tokens).await?,
            meta,
        })
    }

    /// Writes one commit in one transaction: all of it is stored, or none.
    pub async fn apply(&self, commit: &Commit) -> Result<(), IdbError> {
        if commit.changes.is_empty() {
            return Ok(());
        }
        let err = |e| IdbError::browser("write", e);
        let tx = self
            .db
            .transaction(STORES)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        for op in commit.changes.iter().flat_map(ops_for) {
            match op {
                Op::Put { store, key, value } => {
                    tx.object_store(store)
                        .map_err(err)?
                        .put(value)
                        .with_key(key)
                        .primitive()
                        .map_err(err)?
                        .await
                        .map_err(err)?;
                }
                Op::Delete { store, key } => {
                    tx.object_store(store)
                        .map_err(err)?
                        .delete(key)
                        .primitive()
                        .map_err(err)?
                        .await
                        .map_err(err)?;
                }
                Op::DeleteRange { store, lo, hi } => {
                    tx.object_store(store)
                        .map_err(err)?
                        .delete(lo..hi)
                        .primitive()
                        .map_err(err)?
                        .await
                        .map_err(err)?;
                }
            }
        }
        tx.commit().await.map_err(err)
    }

    /// Deletes everything stored.
    pub async fn clear(&self) -> Result<(), IdbError> {
        let err = |e| IdbError::browser("clear", e);
        let tx = self
            .db
            .transaction(STORES)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        for name in STORES {
            tx.object_store(name)
                .map_err(err)?
                .clear()
                .map_err(err)?
                .await
                .map_err(err)?;
        }
        tx.commit().await.map_err(err)
    }

    /// Closes the connection.
    pub fn close(self) {
        self.db.close();
    }
}

async fn read_all(tx: &Transaction<'_>, store: &str) -> Result<Vec<String>, IdbError> {
    let err = |e| IdbError::browser("read", e);
    let store = tx.object_store(store).map_err(err)?;
    let values = store
        .get_all::<String>()
        .primitive()
        .map_err(err)?
        .await
        .map_err(err)?;
    values.map(|v| v.map_err(err)).collect()
}
