//! Browser test: the JS API runs the tutorial workflow against the in-page engine.
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value};
use statebox_wasm::Workspace;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DEFINITION: &str = include_str!("../../../static/examples/orders/definition.json");
const SEED: &str = include_str!("../../../static/examples/orders/seed.json");

#[wasm_bindgen_test]
fn runs_the_tutorial_in_the_browser() {
    let mut ws = Workspace::new();
    ws.seed(SEED).unwrap();
    let out: Value = serde_json::from_str(&ws.run(DEFINITION, "{}", "{}").unwrap()).unwrap();
    assert_eq!(out["status"], "SUCCEEDED");
    assert_eq!(
        out["output"]["Item"],
        json!({"OrderId": {"S": "001"}, "Status": {"S": "Created"}})
    );
    let scan: Value =
        serde_json::from_str(&ws.dynamodb("Scan", r#"{"TableName": "Orders"}"#).unwrap()).unwrap();
    assert_eq!(scan["Count"], 1);
}

#[wasm_bindgen_test]
fn bad_input_is_a_positioned_error() {
    let mut ws = Workspace::new();
    let err = ws.run_json(DEFINITION, "{\n  oops", "{}").unwrap_err();
    assert!(err.contains("line 2"), "{err}");
}
