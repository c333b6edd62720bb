//! Data flow inside a state: InputPath, Parameters / ResultSelector / ItemSelector
//! templates, ResultPath and OutputPath, with AWS's error texts.

use crate::definition::model::PathField;
use crate::error::Failure;
use crate::intrinsics::{looks_like_intrinsic, Intrinsic, Random};
use crate::jsonpath::JsonPath;
use serde_json::{Map, Value};

/// Why a data-flow step failed.
#[derive(Debug, Clone, PartialEq)]
pub enum PayloadError {
    /// A `States.Runtime` failure; the text follows AWS's "An error occurred while
    /// executing the state ..." prefix, which the caller adds.
    Runtime(String),
    /// Any other failure, reported as is (intrinsic failures, ResultPath mismatches).
    Failure(Failure),
}

/// The JSON type name AWS uses in messages (`number`, `object`, ...).
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Compact JSON text as AWS prints values in causes and history events. A value nested
/// deeper than [`crate::limits::MAX_JSON_DEPTH`] is never serialized (that would recurse
/// without bound); it prints as a marker string.
pub fn to_text(v: &Value) -> String {
    if exceeds_depth(v, crate::limits::MAX_JSON_DEPTH) {
        return "\"<nested too deeply>\"".to_string();
    }
    serde_json::to_string(v).unwrap_or_default()
}

/// True when the compact JSON text of `v` ([`to_text`]) is longer than `limit` bytes;
/// measured without building the text, stopping as soon as the limit is passed.
pub fn exceeds_bytes(v: &Value, limit: usize) -> bool {
    struct Counter {
        n: usize,
        limit: usize,
    }
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.n += buf.len();
            if self.n > self.limit {
                return Err(std::io::Error::other("limit"));
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    if text_len_bound(v, crate::limits::MAX_JSON_DEPTH, limit).is_some() {
        return false;
    }
    if exceeds_depth(v, crate::limits::MAX_JSON_DEPTH) {
        return to_text(v).len() > limit;
    }
    let mut c = Counter { n: 0, limit };
    serde_json::to_writer(&mut c, v).is_err() || c.n > limit
}

/// True when `v` certainly passes both payload checks: nests at most
/// [`MAX_JSON_DEPTH`](crate::limits::MAX_JSON_DEPTH) levels and its text takes at most
/// `limit` bytes. One cheap walk; when false, [`exceeds_depth`] and [`exceeds_bytes`] decide.
pub fn within_limits(v: &Value, limit: usize) -> bool {
    text_len_bound(v, crate::limits::MAX_JSON_DEPTH, limit).is_some()
}

/// True when `v` nests deeper than `limit` levels (the recursion stops at `limit`).
pub fn exceeds_depth(v: &Value, limit: usize) -> bool {
    fn deeper(v: &Value, remaining: usize) -> bool {
        if remaining == 0 {
            return true;
        }
        match v {
            Value::Array(a) => a.iter().any(|c| deeper(c, remaining - 1)),
            Value::Object(m) => m.values().any(|c| deeper(c, remaining - 1)),
            _ => false,
        }
    }
    deeper(v, limit)
}

/// An upper bound of the length of the compact JSON texts of `values` together, without
/// building them; `None` when it passes `budget` (then measure them exactly).
pub fn texts_len_bound<'a>(
    values: impl IntoIterator<Item = &'a Value>,
    budget: usize,
) -> Option<usize> {
    let mut total = 0usize;
    for v in values {
        total += text_len_bound(v, crate::limits::MAX_JSON_DEPTH, budget.checked_sub(total)?)?;
    }
    (total <= budget).then_some(total)
}

/// An upper bound of the length of `v`'s compact JSON text, or `None` when it passes
/// `budget` or `v` nests deeper than `remaining` levels.
fn text_len_bound(v: &Value, remaining: usize, budget: usize) -> Option<usize> {
    if remaining == 0 {
        return None;
    }
    // A string character takes at most 6 bytes (`\u001f`); a number at most 25.
    let n = match v {
        Value::Null | Value::Bool(_) => 5,
        Value::Number(_) => 25,
        Value::String(s) => 2 + 6 * s.len(),
        Value::Array(a) => {
            let mut n = 2 + a.len();
            for c in a {
                n += text_len_bound(c, remaining - 1, budget.checked_sub(n)?)?;
            }
            n
        }
        Value::Object(m) => {
            let mut n = 2 + m.len();
            for (k, c) in m {
                n += 3 + 6 * k.len();
                n += text_len_bound(c, remaining - 1, budget.checked_sub(n)?)?;
            }
            n
        }
    };
    (n <= budget).then_some(n)
}

/// AWS's text for a path that selects nothing in `root`:
/// `Invalid path '$.a.b' : Missing property in path $['a']`.
pub fn invalid_path_message(path: &JsonPath, root: &Value, context: &Value) -> String {
    let message = match path.resolve(root, context) {
        Err(miss) => miss.message(),
        Ok(_) => format!("No results for path: {}", path.canonical()),
    };
    crate::jsonpath::render::invalid_path_cause(path.as_str(), &message)
}

/// Applies InputPath or OutputPath.
pub fn apply_path(
    field: &PathField,
    value: &Value,
    context: &Value,
) -> Result<Value, PayloadError> {
    apply_path_in(field, &crate::jsonpath::Scope::new(value, context))
}

/// [`apply_path`] to `scope.input`, with workflow variables (`"InputPath": "$x"`).
pub fn apply_path_in(
    field: &PathField,
    scope: &crate::jsonpath::Scope<'_>,
) -> Result<Value, PayloadError> {
    match field {
        PathField::Default => Ok(scope.input.clone()),
        PathField::Null => Ok(Value::Object(Map::new())),
        PathField::Path(p) => p.resolve_in(scope).map_err(|miss| {
            PayloadError::Runtime(crate::jsonpath::render::invalid_path_cause(
                p.as_str(),
                &miss.message(),
            ))
        }),
    }
}

/// Evaluates one dynamic (`.$`) value: a path or an intrinsic call.
pub fn eval_dynamic(
    key: &str,
    expr: &str,
    input: &Value,
    context: &Value,
    random: &mut dyn Random,
) -> Result<Value, PayloadError> {
    eval_compiled(
        key,
        expr,
        &compiled(expr),
        &crate::jsonpath::Scope::new(input, context),
        random,
    )
}

/// [`eval_dynamic`] of an expression parsed already.
pub(crate) fn eval_compiled(
    key: &str,
    expr: &str,
    compiled: &Compiled,
    scope: &crate::jsonpath::Scope<'_>,
    random: &mut dyn Random,
) -> Result<Value, PayloadError> {
    let input = scope.input;
    match compiled {
        Compiled::Intrinsic(Ok(f)) => f.eval_in(scope, None, random).map_err(PayloadError::Failure),
        Compiled::Intrinsic(Err(e)) => Err(PayloadError::Failure(Failure::new(
            "States.IntrinsicFailure",
            e.clone(),
        ))),
        Compiled::Path(Err(e)) => Err(PayloadError::Runtime(format!("Invalid path '{expr}': {e}"))),
        Compiled::Path(Ok(p)) => p.select_in(scope).ok_or_else(|| {
            PayloadError::Runtime(format!(
                "The JSONPath '{expr}' specified for the field '{key}' could not be found in the input '{}'",
                to_text(input)
            ))
        }),
    }
}

/// A `.$` expression, parsed.
#[derive(Debug, Clone)]
pub(crate) enum Compiled {
    Intrinsic(Result<Intrinsic, String>),
    Path(Result<JsonPath, String>),
}

impl Compiled {
    /// Parses `expr` as an intrinsic call or a path.
    pub(crate) fn parse(expr: &str) -> Compiled {
        if looks_like_intrinsic(expr) {
            Compiled::Intrinsic(Intrinsic::parse(expr))
        } else {
            Compiled::Path(JsonPath::parse(expr))
        }
    }
}

thread_local! {
    /// Parsed `.$` expressions by text: templates are evaluated again and again (every
    /// loop iteration, every Map item) with the same few expressions.
    static COMPILED: std::cell::RefCell<CompiledMap> = std::cell::RefCell::new(CompiledMap::default());
}

type CompiledMap =
    std::collections::HashMap<String, std::rc::Rc<Compiled>, std::hash::BuildHasherDefault<Fnv>>;

/// FNV-1a: the keys are short expressions from definitions, hashed on every evaluation
/// (SipHash is several times slower, notably in wasm).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Entries kept in [`COMPILED`] before it is emptied (definitions are small; this only
/// bounds memory when many different definitions run in one process).
const MAX_COMPILED: usize = 4096;

fn compiled(expr: &str) -> std::rc::Rc<Compiled> {
    if let Some(c) = COMPILED.with(|m| m.borrow().get(expr).cloned()) {
        return c;
    }
    let c = std::rc::Rc::new(Compiled::parse(expr));
    COMPILED.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_COMPILED {
            m.clear();
        }
        m.insert(expr.to_string(), c.clone());
    });
    c
}

/// Evaluates a Parameters / ResultSelector / ItemSelector template against `input`.
pub fn apply_template(
    template: &Value,
    input: &Value,
    context: &Value,
    random: &mut dyn Random,
) -> Result<Value, PayloadError> {
    template_at(template, input, context, random, 0)
}

fn template_at(
    template: &Value,
    input: &Value,
    context: &Value,
    random: &mut dyn Random,
    depth: usize,
) -> Result<Value, PayloadError> {
    if depth > crate::limits::MAX_JSON_DEPTH {
        return Err(PayloadError::Runtime(
            "The template is nested too deeply".into(),
        ));
    }
    match template {
        Value::Object(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                match (k.strip_suffix(".$"), v) {
                    (Some(name), Value::String(expr)) => {
                        let value = eval_dynamic(k, expr, input, context, random)?;
                        out.insert(name.to_string(), value);
                    }
                    _ => {
                        out.insert(
                            k.clone(),
                            template_at(v, input, context, random, depth + 1)?,
                        );
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|v| template_at(v, input, context, random, depth + 1))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// Applies ResultPath: where `result` goes inside the state's raw input.
pub fn apply_result_path(
    field: &PathField,
    input: &Value,
    result: Value,
) -> Result<Value, PayloadError> {
    match field {
        PathField::Default => Ok(result),
        PathField::Null => Ok(input.clone()),
        PathField::Path(p) if p.as_str() == "$" => Ok(result),
        PathField::Path(p) => {
            let mut target = input.clone();
            p.write(&mut target, result)
                .map_err(PayloadError::Failure)?;
            Ok(target)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn invalid_path_messages() {
        let p = JsonPath::parse("$.no.such.result.path").unwrap();
        assert_eq!(
            invalid_path_message(&p, &json!({}), &json!({})),
            "Invalid path '$.no.such.result.path' : Missing property in path $['no']"
        );
    }

    #[test]
    fn deep_values_are_not_serialized() {
        let mut v = json!(1);
        for _ in 0..600 {
            v = json!([v]);
        }
        assert!(exceeds_depth(&v, 512));
        assert_eq!(to_text(&v), "\"<nested too deeply>\"");
        assert!(!exceeds_depth(&json!([[1]]), 3));
    }

    #[test]
    fn null_paths() {
        let v = json!({"a": 1});
        assert_eq!(
            apply_path(&PathField::Null, &v, &json!({})).unwrap(),
            json!({})
        );
        assert_eq!(
            apply_result_path(&PathField::Null, &v, json!(2)).unwrap(),
            v
        );
        assert_eq!(
            apply_result_path(&PathField::Default, &v, json!(2)).unwrap(),
            json!(2)
        );
    }
}
