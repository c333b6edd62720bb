//! The 18 intrinsic functions (`States.Format`, `States.MathAdd`, ...): parsing with AWS's
//! syntax and escapes, and evaluation with AWS's exact semantics.
//!
//! STUB SIGNATURES: the implementation is being written; the signatures below are the contract.

use crate::error::Failure;
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
}

impl Intrinsic {
    /// Parses `States.X(args...)`; the error message says what is wrong and where.
    pub fn parse(text: &str) -> Result<Intrinsic, String> {
        Ok(Intrinsic {
            text: text.to_string(),
        })
    }

    /// Evaluates with `$` = `input` and `$$` = `context`; failures are
    /// `States.IntrinsicFailure` (or the error AWS raises) with AWS's cause text.
    pub fn eval(
        &self,
        _input: &Value,
        _context: &Value,
        _random: &mut dyn Random,
    ) -> Result<Value, Failure> {
        Err(Failure::new("States.IntrinsicFailure", "not implemented"))
    }
}

/// True when a string value of a `.$` field is an intrinsic call rather than a path.
pub fn looks_like_intrinsic(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}
