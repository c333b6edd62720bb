//! The JavaScript API: Statebox headless, from a page, a worker or Node.
//!
//! ```js
//! import init, { Workspace } from "./statebox_wasm.js";
//! await init();
//! const ws = new Workspace();
//! ws.seed(JSON.stringify({tables: [...], items: {...}}));
//! const result = JSON.parse(ws.run(definitionText, JSON.stringify(input), "{}"));
//! // result: {status: "SUCCEEDED", output: ...} or {status: "FAILED", error, cause}
//! const page = JSON.parse(ws.dynamodb("Scan", JSON.stringify({TableName: "Orders"})));
//! ```
//!
//! Values cross the boundary as JSON text, so the API is the same from every host.
//! Errors are thrown as JS `Error`s whose message says what and where.
//!
//! ```
//! let mut ws = statebox_wasm::Workspace::new();
//! let out = ws.run_json(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#, "{\"a\":1}", "{}");
//! assert!(out.unwrap().contains("SUCCEEDED"));
//! ```

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
mod alloc;

use serde_json::{json, Value};
use statebox_dynamo::Engine;
use statebox_playground::{PlaygroundError, RunOptions, WorkspaceSeed};
use statebox_services::MockConfig;
use wasm_bindgen::prelude::*;

/// A workspace: one DynamoDB engine that runs keep using.
#[wasm_bindgen]
#[derive(Default)]
pub struct Workspace {
    engine: Engine,
}

fn js_error(message: String) -> JsValue {
    js_sys_error(&message)
}

#[cfg(target_arch = "wasm32")]
fn js_sys_error(message: &str) -> JsValue {
    JsError::new(message).into()
}

#[cfg(not(target_arch = "wasm32"))]
fn js_sys_error(message: &str) -> JsValue {
    // Native builds (doc tests) never cross into JavaScript.
    let _ = message;
    JsValue::NULL
}

#[wasm_bindgen]
impl Workspace {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// Creates tables and items from a workspace seed (JSON text).
    pub fn seed(&mut self, seed: &str) -> Result<(), JsValue> {
        WorkspaceSeed::parse(seed)
            .and_then(|s| s.apply(&mut self.engine))
            .map(|_| ())
            .map_err(|e| js_error(e.to_string()))
    }

    /// Runs a definition on an input (both JSON text). `options` (JSON text) may hold
    /// `history: true`, `name`, `seed`, `maxHistoryEvents`, `maxPayloadBytes` (measurement
    /// only), and `mockConfig` + `testCase`.
    /// Returns the result as JSON text.
    pub fn run(&mut self, definition: &str, input: &str, options: &str) -> Result<String, JsValue> {
        self.run_json(definition, input, options).map_err(js_error)
    }

    /// Calls a DynamoDB operation (`"PutItem"`, `"Query"`, ...) with a JSON request; returns
    /// the response JSON, or throws `"<ErrorType>: <message>"`.
    pub fn dynamodb(&mut self, operation: &str, request: &str) -> Result<String, JsValue> {
        let request: Value = serde_json::from_str(request)
            .map_err(|e| js_error(PlaygroundError::json("the request", &e).to_string()))?;
        // The response is written straight from the stored items (no JSON value tree).
        let done = self
            .engine
            .execute_to_json(operation, &request)
            .map_err(|e| js_error(e.to_string()))?;
        String::from_utf8(done.response).map_err(|e| js_error(e.to_string()))
    }
}

impl Workspace {
    /// [`Workspace::run`] with plain Rust errors.
    pub fn run_json(
        &mut self,
        definition: &str,
        input: &str,
        options: &str,
    ) -> Result<String, String> {
        let input: Value = serde_json::from_str(input)
            .map_err(|e| PlaygroundError::json("the input", &e).to_string())?;
        let options: Value = serde_json::from_str(options)
            .map_err(|e| PlaygroundError::json("the options", &e).to_string())?;
        let mocks = match (options.get("mockConfig"), options.get("testCase")) {
            (Some(config), Some(Value::String(case))) => {
                let text = match config {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Some(
                    MockConfig::parse(&text)
                        .and_then(|c| c.test_case(case, None))
                        .map_err(|e| e.to_string())?,
                )
            }
            _ => None,
        };
        let run_options = RunOptions {
            mocks,
            ..RunOptions::from_js_options(&options)
        };
        let report = statebox_playground::run(&mut self.engine, definition, input, run_options)
            .map_err(|e| e.to_string())?;
        let mut result = report.result();
        if options["history"] == json!(true) {
            result["history"] = Value::Array(report.history_json());
        }
        Ok(result.to_string())
    }
}
