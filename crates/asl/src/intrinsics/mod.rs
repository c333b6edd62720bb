//! The 18 intrinsic functions (`States.Format`, `States.MathAdd`, ...): parsing with AWS's
//! syntax and escapes, and evaluation with AWS's exact semantics.
//!
//! `parse` builds a [`parse::Call`]; `eval` resolves arguments and dispatches to one module
//! per family (`format`, `array`, `encode`, `hash`, `json`, `math`, `string`, `uuid`).

mod array;
mod encode;
mod eval;
mod format;
mod hash;
mod json;
mod math;
pub mod parse;
mod string;
mod uuid;

pub use array::MAX_RANGE_ITEMS;
pub use encode::MAX_BASE64_INPUT_CHARS;
pub use eval::{missing_path_cause, INTRINSIC_FAILURE};
pub use format::{java_double, java_string};
pub use hash::MAX_HASH_INPUT_CHARS;

use crate::error::Failure;
use crate::jsonpath::Scope;
use serde_json::Value;

/// Where `States.UUID` and `States.MathRandom` get randomness: injected so runs replay.
pub trait Random {
    /// A uniformly distributed 64-bit value.
    fn next_u64(&mut self) -> u64;
}

/// A parsed intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub struct Intrinsic {
    text: String,
    call: parse::Call,
}

impl Intrinsic {
    /// Parses `States.X(args...)`; the error message says what is wrong and where.
    pub fn parse(text: &str) -> Result<Intrinsic, String> {
        let call = parse::parse(text).map_err(|e| e.to_string())?;
        Ok(Intrinsic {
            text: text.to_string(),
            call,
        })
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed call.
    pub fn call(&self) -> &parse::Call {
        &self.call
    }

    /// Evaluates with `$` = `input` and `$$` = `context`; failures are
    /// `States.IntrinsicFailure` (or the error AWS raises) with AWS's cause text.
    pub fn eval(
        &self,
        input: &Value,
        context: &Value,
        random: &mut dyn Random,
    ) -> Result<Value, Failure> {
        self.eval_in(&Scope::new(input, context), None, random)
    }

    /// [`Intrinsic::eval`] with workflow variables (`$name` arguments) and, when given, the
    /// `.$` field name so a missing path argument fails with AWS's field-naming cause
    /// (`The JSONPath '$.x' specified for the field 'y.$' could not be found in the input '...'`).
    pub fn eval_in(
        &self,
        scope: &Scope<'_>,
        field: Option<&str>,
        random: &mut dyn Random,
    ) -> Result<Value, Failure> {
        let mut env = eval::Env {
            scope: *scope,
            field,
            random,
        };
        eval::eval(&self.call, &mut env)
    }
}

/// True when a string value of a `.$` field is an intrinsic call rather than a path.
pub fn looks_like_intrinsic(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
