//! The IndexedDB store (wasm32 only).

use crate::error::IdbError;
use crate::records::{assemble, item_key, table_range, ItemRecord, TableRecord};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use statebox_dynamo::{Change, Commit, Snapshot};

const TABLES: &str = "tables";
const ITEMS: &str = "items";
const VERSION: u32 = 1;

/// An open IndexedDB database holding one workspace's tables.
pub struct Store {
    db: Database,
}

impl Store {
    /// Opens (creating on first use) the database `name`.
    pub async fn open(name: &str) -> Result<Store, IdbError> {
        let db = Database::open(name)
            .with_version(VERSION)
            .with_on_upgrade_needed(|_event, db| {
                let existing: Vec<String> = db.object_store_names().collect();
                for store in [TABLES, ITEMS] {
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

    /// Reads every table and item.
    pub async fn load(&self) -> Result<Snapshot, IdbError> {
        let tx = self
            .db
            .transaction([TABLES, ITEMS])
            .with_mode(TransactionMode::Readonly)
            .build()
            .map_err(|e| IdbError::browser("read", e))?;
        let tables = read_all(&tx, TABLES).await?;
        let items = read_all(&tx, ITEMS).await?;
        assemble(tables, items)
    }

    /// Writes one commit in one transaction: all of it is stored, or none.
    pub async fn apply(&self, commit: &Commit) -> Result<(), IdbError> {
        if commit.changes.is_empty() {
            return Ok(());
        }
        let err = |e| IdbError::browser("write", e);
        let tx = self
            .db
            .transaction([TABLES, ITEMS])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        let tables = tx.object_store(TABLES).map_err(err)?;
        let items = tx.object_store(ITEMS).map_err(err)?;
        for change in &commit.changes {
            match change {
                Change::PutTable { name, definition } => {
                    let record = TableRecord {
                        name: name.clone(),
                        definition: definition.clone(),
                    };
                    let text = serde_json::to_string(&record).unwrap_or_default();
                    tables
                        .put(text)
                        .with_key(name.clone())
                        .primitive()
                        .map_err(err)?
                        .await
                        .map_err(err)?;
                }
                Change::DeleteTable { name } => {
                    tables
                        .delete(name.clone())
                        .primitive()
                        .map_err(err)?
                        .await
                        .map_err(err)?;
                    let (lo, hi) = table_range(name);
                    items
                        .delete(lo..hi)
                        .primitive()
                        .map_err(err)?
                        .await
                        .map_err(err)?;
                }
                Change::PutItem { table, key, item } => {
                    let record = ItemRecord {
                        table: table.clone(),
                        item: item.clone(),
                    };
                    let text = serde_json::to_string(&record).unwrap_or_default();
                    items
                        .put(text)
                        .with_key(item_key(table, key))
                        .primitive()
                        .map_err(err)?
                        .await
                        .map_err(err)?;
                }
                Change::DeleteItem { table, key } => {
                    items
                        .delete(item_key(table, key))
                        .primitive()
                        .map_err(err)?
                        .await
                        .map_err(err)?;
                }
            }
        }
        tx.commit().await.map_err(err)
    }

    /// Deletes every table and item.
    pub async fn clear(&self) -> Result<(), IdbError> {
        let err = |e| IdbError::browser("clear", e);
        let tx = self
            .db
            .transaction([TABLES, ITEMS])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        for name in [TABLES, ITEMS] {
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

async fn read_all(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    store: &str,
) -> Result<Vec<String>, IdbError> {
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
