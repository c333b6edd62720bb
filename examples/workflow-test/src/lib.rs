//! Example: testing your own workflow against Statebox.
//!
//! The workflow (`workflow/definition.json`) reserves stock in a DynamoDB table and records
//! the order; `workflow/seed.json` creates the tables it needs. `tests/browser.rs` runs it
//! in headless Chromium with `wasm-pack test --headless --chrome examples/workflow-test`;
//! the tests below run the same thing natively with `cargo test -p workflow-test`.
//!
//! Copy this crate, put your own definition and seed in `workflow/`, and assert on what
//! your workflow returns and what it leaves in the tables.

/// The workflow under test (Amazon States Language, JSON text).
pub const DEFINITION: &str = include_str!("../workflow/definition.json");
/// The tables and items it starts with (the workspace-seed format).
pub const SEED: &str = include_str!("../workflow/seed.json");

#[cfg(test)]
mod tests {
    use super::{DEFINITION, SEED};
    use serde_json::{json, Value};
    use statebox_wasm::Workspace;

    /// A fresh in-memory workspace with the seed applied.
    fn workspace() -> Workspace {
        let ws = Workspace::new();
        ws.seed_json(SEED).unwrap();
        ws
    }

    #[test]
    fn reserves_stock_natively() {
        let ws = workspace();
        let input = json!({"orderId": "o-1", "sku": "BOOK-1", "quantity": 2}).to_string();
        let out: Value =
            serde_json::from_str(&ws.run_json(DEFINITION, &input, "{}").unwrap()).unwrap();
        assert_eq!(out["status"], "SUCCEEDED", "{out}");
        assert_eq!(out["output"], json!({"orderId": "o-1", "stockLeft": "1"}));
    }

    #[test]
    fn fails_when_out_of_stock_natively() {
        let ws = workspace();
        let input = json!({"orderId": "o-2", "sku": "BOOK-1", "quantity": 5}).to_string();
        let out: Value =
            serde_json::from_str(&ws.run_json(DEFINITION, &input, "{}").unwrap()).unwrap();
        assert_eq!(out["status"], "FAILED", "{out}");
        assert_eq!(out["error"], "OutOfStock");
    }
}
