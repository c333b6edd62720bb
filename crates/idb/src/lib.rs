//! IndexedDB store.
