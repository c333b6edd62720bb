//! `States.StringToJson` and `States.JsonMerge` (`States.JsonToString` is compact JSON, in eval).

use super::eval::{arg, fail, string_arg, type_name, Val};
use super::parse::Func;
use crate::error::Failure;
use serde_json::Value;

/// Parses a JSON text; blank text gives `null`.
pub(crate) fn string_to_json(args: &[Val]) -> Result<Value, Failure> {
    let f = Func::StringToJson;
    let s = string_arg(f, args, 0)?;
    if s.trim().is_empty() {
        return Ok(Value::Null);
    }
    let mut v: Value = serde_json::from_str(s)
        .map_err(|e| fail(f, format!("the string is not valid JSON: {e}")))?;
    // Jackson reads `-0` as the integer 0; serde_json as the double -0.0.
    if !s.contains("-0.") && !s.contains("-0e") && !s.contains("-0E") {
        integer_zeros(&mut v);
    }
    Ok(v)
}

fn integer_zeros(v: &mut Value) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Number(n) if n.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative()) => {
                *v = Value::from(0)
            }
            Value::Array(a) => stack.extend(a.iter_mut()),
            Value::Object(m) => stack.extend(m.values_mut()),
            _ => {}
        }
    }
}

/// Shallow merge: keys of the second object replace those of the first. The third argument
/// must be `false` (AWS supports shallow merges only).
pub(crate) fn merge(args: &[Val]) -> Result<Value, Failure> {
    let f = Func::JsonMerge;
    let object = |i: usize| match arg(args, i) {
        Value::Object(m) => Ok(m),
        other => Err(fail(
            f,
            format!(
                "the {} argument must be an object but was {}",
                super::eval::nth(i),
                type_name(other)
            ),
        )),
    };
    let (a, b) = (object(0)?, object(1)?);
    match arg(args, 2) {
        Value::Bool(false) => {}
        Value::Bool(true) => {
            return Err(fail(
                f,
                "deep merge is not supported; the third argument must be false",
            ))
        }
        other => {
            return Err(fail(
                f,
                format!(
                    "the third argument must be a boolean but was {}",
                    type_name(other)
                ),
            ))
        }
    }
    let mut out = a.clone();
    for (k, v) in b {
        out.insert(k.clone(), v.clone());
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, give};
    use serde_json::json;

    #[test]
    fn json() {
        give(json!({"s": " "}), "States.StringToJson($.s)", json!(null));
        give(json!({"s": ""}), "States.StringToJson($.s)", json!(null));
        give(json!({"s": "-0"}), "States.StringToJson($.s)", json!(0));
        give(
            json!({"s": "{\"a\": [1]}"}),
            "States.StringToJson($.s)",
            json!({"a": [1]}),
        );
        fails(
            json!({"s": "{"}),
            "States.StringToJson($.s)",
            "States.IntrinsicFailure",
        );
        give(
            json!({"v": {"a": [1, "x"]}}),
            "States.JsonToString($.v)",
            json!("{\"a\":[1,\"x\"]}"),
        );
        give(json!({}), "States.JsonToString('x')", json!("\"x\""));
        give(
            json!({"a": {"x": 1, "n": {"p": 1}}, "b": {"y": 2, "n": {"q": 2}}}),
            "States.JsonMerge($.a, $.b, false)",
            json!({"x": 1, "n": {"q": 2}, "y": 2}),
        );
        fails(
            json!({"a": {}, "b": {}}),
            "States.JsonMerge($.a, $.b, true)",
            "States.IntrinsicFailure",
        );
        fails(
            json!({"a": {}, "b": []}),
            "States.JsonMerge($.a, $.b, false)",
            "States.IntrinsicFailure",
        );
    }
}
