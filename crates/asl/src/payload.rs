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

/// Compact JSON text as AWS prints values in causes and history events. A value nested
/// deeper than [`crate::limits::MAX_JSON_DEPTH`] is never serialized (that would recurse
/// without bound); it prints as a marker string.
pub fn to_text(v: &Value) -> String {
    if exceeds_depth(v, crate::limits::MAX_JSON_DEPTH) {
        return "\"<nested too deeply>\"".to_string();
    }
    serde_json::to_string(v).unwrap_or_default()
}

/// True when `v` nests deeper than `limit` levels (checked without recursion).
pub fn exceeds_depth(v: &Value, limit: usize) -> bool {
    let mut stack: Vec<(&Value, usize)> = vec![(v, 1)];
    while let Some((node, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        match node {
            Value::Array(a) => stack.extend(a.iter().map(|c| (c, depth + 1))),
            Value::Object(m) => stack.extend(m.values().map(|c| (c, depth + 1))),
            _ => {}
        }
    }
    false
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
    match field {
        PathField::Default => Ok(value.clone()),
        PathField::Null => Ok(Value::Object(Map::new())),
        PathField::Path(p) => p.resolve(value, context).map_err(|miss| {
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
    if looks_like_intrinsic(expr) {
        let f = Intrinsic::parse(expr)
            .map_err(|e| PayloadError::Failure(Failure::new("States.IntrinsicFailure", e)))?;
        return f
            .eval(input, context, random)
            .map_err(PayloadError::Failure);
    }
    let p = JsonPath::parse(expr)
        .map_err(|e| PayloadError::Runtime(format!("Invalid path '{expr}': {e}")))?;
    p.select(input, context).ok_or_else(|| {
        PayloadError::Runtime(format!(
            "The JSONPath '{expr}' specified for the field '{key}' could not be found in the input '{}'",
            to_text(input)
        ))
    })
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
            let mut out = Map::new();
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
