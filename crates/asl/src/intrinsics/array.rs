//! The array intrinsics: `States.ArrayPartition`, `ArrayContains`, `ArrayRange`,
//! `ArrayGetItem`, `ArrayLength`, `ArrayUnique` (`States.Array` is a one-liner in eval).

use super::eval::{arg, array_arg, fail, int_arg, Val};
use super::parse::Func;
use crate::error::Failure;
use serde_json::Value;
use std::collections::HashSet;

/// Most items `States.ArrayRange` may produce.
pub const MAX_RANGE_ITEMS: i64 = 1000;

pub(crate) fn partition(args: &[Val]) -> Result<Value, Failure> {
    let f = Func::ArrayPartition;
    let items = array_arg(f, args, 0)?;
    let size = int_arg(f, args, 1)?;
    if size <= 0 {
        return Err(fail(
            f,
            format!("the chunk size must be a positive integer but was {size}"),
        ));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(Value::Array(
        items
            .chunks(size)
            .map(|c| Value::Array(c.to_vec()))
            .collect(),
    ))
}

pub(crate) fn contains(args: &[Val]) -> Result<Value, Failure> {
    let items = array_arg(Func::ArrayContains, args, 0)?;
    let needle = arg(args, 1);
    Ok(Value::Bool(items.iter().any(|i| i == needle)))
}

pub(crate) fn range(args: &[Val]) -> Result<Value, Failure> {
    let f = Func::ArrayRange;
    let start = int_arg(f, args, 0)?;
    let end = int_arg(f, args, 1)?;
    let step = int_arg(f, args, 2)?;
    if step == 0 {
        return Err(fail(f, "the step (third argument) must not be zero"));
    }
    let span = i128::from(end) - i128::from(start);
    let count = if (span >= 0) == (step > 0) || span == 0 {
        span / i128::from(step) + 1
    } else {
        0
    };
    if count > i128::from(MAX_RANGE_ITEMS) {
        return Err(fail(
            f,
            format!("the range would hold {count} items; at most {MAX_RANGE_ITEMS} are allowed"),
        ));
    }
    let mut out = Vec::new();
    let mut v = i128::from(start);
    for _ in 0..count {
        out.push(Value::from(v as i64));
        v += i128::from(step);
    }
    Ok(Value::Array(out))
}

pub(crate) fn get_item(args: &[Val]) -> Result<Value, Failure> {
    let f = Func::ArrayGetItem;
    let items = array_arg(f, args, 0)?;
    let index = int_arg(f, args, 1)?;
    if index < 0 {
        return Err(fail(
            f,
            format!("the index must be a non-negative integer but was {index}"),
        ));
    }
    usize::try_from(index)
        .ok()
        .and_then(|i| items.get(i))
        .cloned()
        .ok_or_else(|| {
            fail(
                f,
                format!(
                    "the index {index} is out of bounds for an array of length {}",
                    items.len()
                ),
            )
        })
}

pub(crate) fn length(args: &[Val]) -> Result<Value, Failure> {
    Ok(Value::from(array_arg(Func::ArrayLength, args, 0)?.len()))
}

/// Removes later duplicates (JSON equality: object key order does not matter).
pub(crate) fn unique(args: &[Val]) -> Result<Value, Failure> {
    let items = array_arg(Func::ArrayUnique, args, 0)?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for item in items {
        if seen.insert(canonical(item)) {
            out.push(item.clone());
        }
    }
    Ok(Value::Array(out))
}

/// JSON text with object keys sorted, so equal values give equal strings.
fn canonical(v: &Value) -> String {
    fn walk(v: &Value, out: &mut String, depth: usize) {
        match v {
            Value::Object(m) if depth < 512 => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    if let Some(x) = m.get(k) {
                        walk(x, out, depth + 1);
                    }
                }
                out.push('}');
            }
            Value::Array(a) if depth < 512 => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    walk(x, out, depth + 1);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    walk(v, &mut out, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, give};
    use serde_json::json;

    #[test]
    fn arrays() {
        give(json!({}), "States.Array()", json!([]));
        give(
            json!({"a": 1}),
            "States.Array($.a, 'x', null)",
            json!([1, "x", null]),
        );
        give(
            json!({"a": [1, 2, 3, 4, 5]}),
            "States.ArrayPartition($.a, 2)",
            json!([[1, 2], [3, 4], [5]]),
        );
        fails(
            json!({"a": [1]}),
            "States.ArrayPartition($.a, 0)",
            "States.IntrinsicFailure",
        );
        fails(
            json!({"a": [1]}),
            "States.ArrayPartition($.a, 1.5)",
            "States.IntrinsicFailure",
        );
        give(
            json!({"a": [1, {"b": 2}]}),
            "States.ArrayContains($.a, $.a[1])",
            json!(true),
        );
        give(
            json!({"a": [1]}),
            "States.ArrayContains($.a, 2)",
            json!(false),
        );
        give(
            json!({}),
            "States.ArrayRange(1, 9, 2)",
            json!([1, 3, 5, 7, 9]),
        );
        give(json!({}), "States.ArrayRange(5, 1, -2)", json!([5, 3, 1]));
        give(json!({}), "States.ArrayRange(1, 5, -1)", json!([]));
        give(json!({}), "States.ArrayRange(3, 3, 1)", json!([3]));
        give(
            json!({}),
            "States.ArrayRange(1, 1000, 1)",
            json!((1..=1000).collect::<Vec<_>>()),
        );
        fails(
            json!({}),
            "States.ArrayRange(0, 1000, 1)",
            "States.IntrinsicFailure",
        );
        fails(
            json!({}),
            "States.ArrayRange(0, 10, 0)",
            "States.IntrinsicFailure",
        );
        fails(
            json!({}),
            "States.ArrayRange(0, 1.5, 1)",
            "States.IntrinsicFailure",
        );
        give(
            json!({"a": [1, 2, 3]}),
            "States.ArrayGetItem($.a, 2)",
            json!(3),
        );
        fails(
            json!({"a": [1, 2, 3]}),
            "States.ArrayGetItem($.a, 3)",
            "States.IntrinsicFailure",
        );
        fails(
            json!({"a": [1, 2, 3]}),
            "States.ArrayGetItem($.a, -1)",
            "States.IntrinsicFailure",
        );
        give(json!({"a": [1, 2, 3]}), "States.ArrayLength($.a)", json!(3));
        fails(
            json!({"a": "x"}),
            "States.ArrayLength($.a)",
            "States.IntrinsicFailure",
        );
        give(
            json!({"a": [1, 1, "1", {"x": 1, "y": 2}, {"y": 2, "x": 1}, [null], [null], 1.5]}),
            "States.ArrayUnique($.a)",
            json!([1, "1", {"x": 1, "y": 2}, [null], 1.5]),
        );
    }
}
