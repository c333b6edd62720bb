//! The workflow in headless Chromium, through the JavaScript API's `Workspace` (in memory,
//! so its calls answer at once; `*_json` are its methods with plain Rust errors):
//! `wasm-pack test --headless --chrome examples/workflow-test`.
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value};
use statebox_wasm::Workspace;
use wasm_bindgen_test::*;
use workflow_test::{DEFINITION, SEED};

wasm_bindgen_test_configure!(run_in_browser);

/// Parses the JSON text the API answers with.
fn json_of(text: String) -> Value {
    serde_json::from_str(&text).unwrap()
}

fn workspace() -> Workspace {
    let ws = Workspace::new();
    ws.seed_json(SEED).unwrap();
    ws
}

#[wasm_bindgen_test]
fn reserves_stock_and_records_the_order() {
    let ws = workspace();
    let input = json!({"orderId": "o-1", "sku": "BOOK-1", "quantity": 2}).to_string();
    let out = json_of(ws.run_json(DEFINITION, &input, "{}").unwrap());
    assert_eq!(out["status"], "SUCCEEDED", "{out}");
    assert_eq!(out["output"], json!({"orderId": "o-1", "stockLeft": "1"}));

    // What the workflow left in DynamoDB.
    let get = |table: &str, key: Value| {
        let request = json!({"TableName": table, "Key": key}).to_string();
        json_of(ws.dynamodb_json("GetItem", &request).unwrap())
    };
    let order = get("Orders", json!({"OrderId": {"S": "o-1"}}));
    assert_eq!(
        order["Item"],
        json!({"OrderId": {"S": "o-1"}, "Sku": {"S": "BOOK-1"}, "Quantity": {"N": "2"}})
    );
    let product = get("Products", json!({"Sku": {"S": "BOOK-1"}}));
    assert_eq!(product["Item"]["Stock"], json!({"N": "1"}));
}

#[wasm_bindgen_test]
fn out_of_stock_fails_and_writes_nothing() {
    let ws = workspace();
    let input = json!({"orderId": "o-2", "sku": "BOOK-1", "quantity": 5}).to_string();
    let out = json_of(ws.run_json(DEFINITION, &input, "{}").unwrap());
    assert_eq!(out["status"], "FAILED", "{out}");
    assert_eq!(out["error"], "OutOfStock");
    let scan = json_of(
        ws.dynamodb_json("Scan", r#"{"TableName": "Orders"}"#)
            .unwrap(),
    );
    assert_eq!(scan["Count"], 0);
}
