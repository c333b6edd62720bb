//! The engine side of `cargo xtask bench jsonata` (see xtask/src/bench_jsonata.rs).
//!
//! - [`Prepared`]: one expression parsed once with its input, evaluated as the interpreter
//!   will (`Query::evaluate` with the default limits), natively and in wasm alike;
//! - [`data`]: the benchmark's input, generated (deterministic orders with customers and
//!   line items);
//! - `wasm` (wasm32 only): [`Prepared`] for JavaScript through wasm-bindgen, so Node times
//!   the wasm build exactly as it times the reference implementation;
//! - the native binary (`src/main.rs`) times the expressions and the ASL workflows.

pub mod data;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

use serde_json::Value;
use statebox_jsonata::{Data, Environment, JsonataError, Query};

/// An expression parsed once, with the input it is evaluated against (as JSON, and
/// converted once to the engine's values, as the reference gets its input: a ready object).
pub struct Prepared {
    query: Query,
    input: Value,
    data: Data,
    environment: Environment,
}

impl Prepared {
    pub fn new(expression: &str, input: Value) -> Result<Prepared, JsonataError> {
        Ok(Prepared {
            query: Query::parse(expression)?,
            data: Data::new(&input),
            input,
            environment: Environment::new(),
        })
    }

    /// One evaluation on the prepared input, its result as JSON: None when undefined.
    pub fn evaluate(&self) -> Result<Option<Value>, JsonataError> {
        self.query
            .evaluate_data(Some(&self.data), &self.environment)
    }

    /// `times` evaluations whose results are dropped (what the benchmark times).
    pub fn run(&self, times: u32) -> Result<(), JsonataError> {
        for _ in 0..times {
            std::hint::black_box(self.evaluate()?);
        }
        Ok(())
    }

    /// As [`Prepared::run`], converting the JSON input at every evaluation
    /// (`Query::evaluate`): what a caller pays that holds the input only as JSON.
    pub fn run_converting(&self, times: u32) -> Result<(), JsonataError> {
        for _ in 0..times {
            std::hint::black_box(self.query.evaluate(Some(&self.input), &self.environment)?);
        }
        Ok(())
    }

    /// The result as the benchmark compares it across engines: JSON text, `undefined`, or
    /// `{"error": code}`.
    pub fn result_text(&self) -> String {
        match self.evaluate() {
            Ok(Some(value)) => value.to_string(),
            Ok(None) => "undefined".into(),
            Err(e) => serde_json::json!({"error": e.code()}).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_and_renders_every_outcome() {
        let input = serde_json::json!({"a": [1, 2, 3]});
        let sum = Prepared::new("$sum(a)", input.clone()).unwrap();
        assert_eq!(sum.result_text(), "6");
        sum.run(3).unwrap();
        sum.run_converting(3).unwrap();
        assert_eq!(
            Prepared::new("b", input.clone()).unwrap().result_text(),
            "undefined"
        );
        assert_eq!(
            Prepared::new("1 + 'x'", input).unwrap().result_text(),
            r#"{"error":"T2002"}"#
        );
        assert!(Prepared::new("(", Value::Null).is_err());
    }
}
