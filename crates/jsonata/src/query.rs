//! A parsed JSONata expression and its evaluation, with limits and host functions.

use crate::error::{code_in, JsonataError};
use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Context, Evaluator, EvaluatorError, EvaluatorOptions};
use jsonata_core::value::{JArray, JValue};
use serde_json::{Map, Value};
use std::rc::Rc;

/// How deep an evaluation may nest before it fails with `U1001`. Each level costs the
/// native stack (and wasm32's fixed one) a few kilobytes; this many stay well inside both.
pub const DEFAULT_DEPTH: usize = 1_000;
/// How long one evaluation may take before it fails with `D1012` (natively and in the
/// browser: the vendored jsonata-core reads `web_time`'s clock).
pub const DEFAULT_TIME_MS: u64 = 10_000;
/// The longest sequence an evaluation may build (`D2015`): `[1..100000000]` fails instead
/// of exhausting memory.
pub const DEFAULT_SEQUENCE: usize = 10_000_000;

/// Bounds on one evaluation, so that no expression hangs or exhausts memory or the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Nesting depth (`U1001` beyond it).
    pub depth: usize,
    /// Wall-clock time in milliseconds (`D1012` beyond it): what stops an endless
    /// tail-recursive expression, which runs in constant depth.
    pub time_ms: Option<u64>,
    /// Sequence length (`D2015` beyond it).
    pub sequence: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: DEFAULT_DEPTH,
            time_ms: Some(DEFAULT_TIME_MS),
            sequence: DEFAULT_SEQUENCE,
        }
    }
}

/// A function the host adds to (or replaces in) the language, called with its arguments
/// (None for an undefined one); it answers a value, None for undefined, or an error.
pub type HostFunction = Rc<dyn Fn(&[Option<Value>]) -> Result<Option<Value>, JsonataError>>;

/// What an evaluation sees besides its input: variables, host functions, limits.
#[derive(Clone, Default)]
pub struct Environment {
    /// Converted when bound: an evaluation clones them cheaply.
    variables: Vec<(String, JValue)>,
    functions: Vec<(String, HostFunction, bool)>,
    limits: Limits,
    data_only: bool,
}

impl Environment {
    pub fn new() -> Self {
        Environment::default()
    }

    /// Binds `$name` to `value` (converted here, read in place: no copy of it is made).
    pub fn bind(&mut self, name: &str, value: &Value) -> &mut Self {
        self.variables.push((name.to_string(), to_engine(value)));
        self
    }

    /// Binds every entry of `variables`.
    pub fn bind_all(&mut self, variables: &Map<String, Value>) -> &mut Self {
        for (name, value) in variables {
            self.bind(name, value);
        }
        self
    }

    /// Adds `$name`; a name the language has already is refused when evaluating.
    pub fn function(&mut self, name: &str, f: HostFunction) -> &mut Self {
        self.functions.push((name.to_string(), f, false));
        self
    }

    /// Replaces the built-in `$name` (only the impure ones can be: `$random`, `$now`,
    /// `$millis`, `$eval`, ...).
    pub fn replace(&mut self, name: &str, f: HostFunction) -> &mut Self {
        self.functions.push((name.to_string(), f, true));
        self
    }

    pub fn limits(&mut self, limits: Limits) -> &mut Self {
        self.limits = limits;
        self
    }

    /// Makes a result that is a function (which has no JSON form) fail with
    /// [`JsonataError::NotData`] instead of becoming `""` as in the reference's JSON output.
    pub fn data_only(&mut self) -> &mut Self {
        self.data_only = true;
        self
    }
}

/// A parsed expression, evaluated any number of times.
#[derive(Debug, Clone)]
pub struct Query {
    ast: AstNode,
}

impl Query {
    /// Parses `expression`; a syntax error says where with the reference's code.
    pub fn parse(expression: &str) -> Result<Query, JsonataError> {
        jsonata_core::parser::parse(expression)
            .map(|ast| Query { ast })
            .map_err(|e| {
                let text = e.to_string();
                let (code, message) = code_in(&text).unwrap_or(("S0201".into(), text));
                JsonataError::Syntax { code, message }
            })
    }

    /// Evaluates against `input` (None: undefined); None when the result is undefined.
    /// The input is converted to the engine's values on each call: to evaluate many times
    /// against the same input, convert it once with [`Data::new`] and use
    /// [`Query::evaluate_data`].
    pub fn evaluate(
        &self,
        input: Option<&Value>,
        environment: &Environment,
    ) -> Result<Option<Value>, JsonataError> {
        let input = input.map(Data::new);
        self.evaluate_data(input.as_ref(), environment)
    }

    /// Evaluates against input converted beforehand.
    pub fn evaluate_data(
        &self,
        input: Option<&Data>,
        environment: &Environment,
    ) -> Result<Option<Value>, JsonataError> {
        let mut context = Context::new();
        for (name, value) in &environment.variables {
            context.bind(name.clone(), value.clone());
        }
        let limits = environment.limits;
        let options = EvaluatorOptions {
            timeout_ms: limits.time_ms,
            cancel: None,
            max_stack_depth: Some(limits.depth),
            max_sequence_length: Some(limits.sequence),
        };
        let mut evaluator = Evaluator::with_options(context, options);
        for (name, f, replaces) in &environment.functions {
            let f = f.clone();
            let call = move |args: &[JValue]| -> Result<JValue, EvaluatorError> {
                let args: Vec<Option<Value>> = args.iter().map(from_engine).collect();
                match f(&args) {
                    Ok(Some(value)) => Ok(JValue::from(value)),
                    Ok(None) => Ok(JValue::Undefined),
                    Err(e) => Err(EvaluatorError::EvaluationError(format!(
                        "{}: {}",
                        e.code(),
                        e.message()
                    ))),
                }
            };
            let registered = if *replaces {
                evaluator.register_fn_override(name.as_str(), call)
            } else {
                evaluator.register_fn(name.as_str(), call)
            };
            registered.map_err(|e| evaluation_error(&e, limits))?;
        }
        let input = input.map_or(JValue::Undefined, |d| d.0.clone());
        match evaluator.evaluate(&self.ast, &input) {
            Ok(value) if environment.data_only && value.is_function() => Err(JsonataError::NotData),
            Ok(value) => Ok(from_engine(&value)),
            Err(e) => Err(evaluation_error(&e, limits)),
        }
    }
}

/// Input in the engine's own values, converted once and shared by any number of
/// evaluations (cloning it is cheap). Not `Send`: the engine's values are reference-counted.
#[derive(Clone)]
pub struct Data(JValue);

impl Data {
    pub fn new(value: &Value) -> Data {
        Data(to_engine(value))
    }
}

/// JSON as an engine value, read in place. (jsonata-core converts only an owned
/// `serde_json::Value`, which would cost a deep copy of every input first.)
fn to_engine(value: &Value) -> JValue {
    match value {
        Value::Null => JValue::Null,
        Value::Bool(b) => JValue::Bool(*b),
        Value::Number(n) => JValue::Number(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => JValue::String(s.as_str().into()),
        Value::Array(items) => {
            let flat = !items.iter().any(Value::is_array);
            JValue::Array(JArray::new_flat(
                items.iter().map(to_engine).collect(),
                flat,
            ))
        }
        Value::Object(map) => {
            JValue::object(map.iter().map(|(k, v)| (k.clone(), to_engine(v))).collect())
        }
    }
}

/// An engine value as JSON; None for undefined. Functions become `""`, as the reference's
/// JSON output has them; whole numbers are integers, as JavaScript prints them (`6`, not
/// `6.0`).
fn from_engine(value: &JValue) -> Option<Value> {
    if value.is_undefined() {
        return None;
    }
    let mut json = Value::from(value);
    whole_numbers(&mut json);
    Some(json)
}

/// Turns doubles with no fraction (below 2^63 in size) into integers, throughout.
fn whole_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(x) = n.as_f64() {
                if x.fract() == 0.0 && x.abs() < 9.2e18 {
                    *value = Value::from(x as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

fn evaluation_error(e: &EvaluatorError, limits: Limits) -> JsonataError {
    let text = e.message();
    let (code, message) = code_in(text).unwrap_or(("D1001".into(), text.to_string()));
    // The depth limit is the reference's stack overflow (U1001), however the engine names it.
    if code == "D1011" {
        return JsonataError::Evaluation {
            code: "U1001".into(),
            message: format!(
                "Stack overflow error: the evaluation nested more than {} levels. Check for \
                 non-terminating recursive function. Consider rewriting as tail-recursive.",
                limits.depth
            ),
        };
    }
    JsonataError::Evaluation { code, message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_numbers_print_as_javascript_does() {
        let q = Query::parse("[1.0 + 1, 0.5, -3 * 2, 1e300]").unwrap();
        let got = q.evaluate(None, &Environment::new()).unwrap().unwrap();
        assert_eq!(got.to_string(), "[2,0.5,-6,1e+300]");
    }

    #[test]
    fn host_functions_and_variables_are_seen() {
        let mut env = Environment::new();
        env.bind("x", &json!(20)).function(
            "twice",
            Rc::new(|args: &[Option<Value>]| match args.first() {
                Some(Some(Value::Number(n))) => Ok(Some(json!(n.as_f64().unwrap_or(0.0) * 2.0))),
                _ => Err(JsonataError::Evaluation {
                    code: "T0410".into(),
                    message: "twice needs a number".into(),
                }),
            }),
        );
        let q = Query::parse("$twice($x) + 2").unwrap();
        assert_eq!(q.evaluate(None, &env).unwrap(), Some(json!(42)));
        let e = Query::parse("$twice('a')")
            .unwrap()
            .evaluate(None, &env)
            .unwrap_err();
        assert_eq!(e.code(), "T0410");
        assert_eq!(e.message(), "twice needs a number");
    }

    #[test]
    fn limits_end_runaway_evaluations() {
        let env = Environment::new();
        let deep = Query::parse("($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(100000))");
        assert_eq!(
            deep.unwrap().evaluate(None, &env).unwrap_err().code(),
            "U1001"
        );
        // The range operator's own bound (D2014), then the sequence limit (D2015).
        let long = Query::parse("$count([1..100000000])").unwrap();
        assert_eq!(long.evaluate(None, &env).unwrap_err().code(), "D2014");
        let mut small = Environment::new();
        small.limits(Limits {
            sequence: 1000,
            ..Limits::default()
        });
        let long = Query::parse("$count([1..5000].($ * 2))").unwrap();
        assert_eq!(long.evaluate(None, &small).unwrap_err().code(), "D2015");
        let syntax = Query::parse("1 +").unwrap_err();
        assert!(matches!(syntax, JsonataError::Syntax { .. }), "{syntax:?}");
    }
}
