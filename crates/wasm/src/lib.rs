//! The JavaScript API: Statebox headless, from a page, a worker or Node, and the page's
//! worker.
//!
//! ```js
//! import init, { Workspace } from "/pkg/statebox.js";
//! await init();
//! const mem = new Workspace();                  // in memory: methods answer at once
//! const ws = await Workspace.open("tutorial");  // kept in IndexedDB: methods answer Promises
//! await ws.seed(JSON.stringify({tables: [...], items: {...}}));
//! const result = JSON.parse(await ws.run(definitionText, JSON.stringify(input), "{}"));
//! // result: {status: "SUCCEEDED", output: ...} or {status: "FAILED", error, cause}
//! const page = JSON.parse(await ws.dynamodb("Scan", JSON.stringify({TableName: "Orders"})));
//! const ex = ws.startExecution(definitionText, "{}", "{}");
//! while ((await ex.step()) !== undefined) {}
//! ```
//!
//! Values cross the boundary as JSON text, so the API is the same from every host. Errors
//! are thrown as JS `Error`s whose message says what and where. A persisted workspace's
//! writes resolve only once their IndexedDB transaction has completed; every tab and worker
//! that opens the same name sees the others' writes (see `persisted.rs`).
//!
//! ```
//! let ws = statebox_wasm::Workspace::new();
//! let out = ws.run_json(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#, "{\"a\":1}", "{}");
//! assert!(out.unwrap().contains("SUCCEEDED"));
//! ```

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
mod alloc;
pub mod error;
pub mod execution;
pub mod options;
#[cfg(target_arch = "wasm32")]
pub mod persisted;
#[cfg(target_arch = "wasm32")]
mod timer;
pub mod transfer;
#[cfg(target_arch = "wasm32")]
pub mod worker;
pub mod workspace;

pub use error::WorkspaceError;
pub use execution::Execution;
pub use workspace::Workspace;
