//! statebox-jsonata for JavaScript (wasm32): `new Bench(expression, inputJson)`, then
//! `bench.run(times)` (the timed part: `times` evaluations inside wasm, no values crossing
//! the boundary) and `bench.result()` (the result as JSON text, `undefined`, or
//! `{"error": code}`, to check it against the other engines).

use crate::Prepared;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Bench(Prepared);

#[wasm_bindgen]
impl Bench {
    #[wasm_bindgen(constructor)]
    pub fn new(expression: &str, input_json: &str) -> Result<Bench, JsError> {
        let input = serde_json::from_str(input_json).map_err(|e| JsError::new(&e.to_string()))?;
        Prepared::new(expression, input)
            .map(Bench)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    pub fn run(&self, times: u32) -> Result<(), JsError> {
        self.0.run(times).map_err(|e| JsError::new(&e.to_string()))
    }

    pub fn result(&self) -> String {
        self.0.result_text()
    }
}
