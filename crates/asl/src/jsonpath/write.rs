//! ResultPath writes: put a value at a reference path, creating missing objects, replacing
//! what is there, or failing with `States.ResultPathMatchFailure` without touching the target.

use super::parse::{Path, Root, Segment, Selector};
use super::render;
use crate::error::Failure;
use serde_json::{Map, Value};

/// The error name AWS raises when ResultPath cannot be applied.
pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";

/// Writes `value` at `path` inside `target` (see [`super::JsonPath::write`]).
pub(crate) fn write(
    path: &Path,
    text: &str,
    target: &mut Value,
    value: Value,
) -> Result<(), Failure> {
    let fail = |target: &Value| {
        Failure::new(
            RESULT_PATH_MATCH_FAILURE,
            render::result_path_cause(text, target),
        )
    };
    if path.root != Root::Input || !path.is_reference() {
        return Err(fail(target));
    }
    if !feasible(path, target) {
        return Err(fail(target));
    }
    let Some((last, init)) = path.segments.split_last() else {
        *target = value;
        return Ok(());
    };
    let mut cur = target;
    for seg in init {
        cur = match (seg, cur) {
            (Segment::Child(Selector::Name(k)), Value::Object(m)) => m
                .entry(k.clone())
                .or_insert_with(|| Value::Object(Map::new())),
            (Segment::Child(Selector::Index(i)), Value::Array(a)) => {
                let Some(slot) = index(*i, a.len()).and_then(|i| a.get_mut(i)) else {
                    return Err(Failure::new(
                        RESULT_PATH_MATCH_FAILURE,
                        "index out of range",
                    ));
                };
                slot
            }
            _ => {
                return Err(Failure::new(
                    RESULT_PATH_MATCH_FAILURE,
                    "path is not writable",
                ))
            }
        };
    }
    match (last, cur) {
        (Segment::Child(Selector::Name(k)), Value::Object(m)) => {
            m.insert(k.clone(), value);
        }
        (Segment::Child(Selector::Index(i)), Value::Array(a)) => {
            if let Some(slot) = index(*i, a.len()).and_then(|i| a.get_mut(i)) {
                *slot = value;
            }
        }
        _ => {}
    }
    Ok(())
}

fn index(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 {
        (len as i64).checked_add(i)?
    } else {
        i
    };
    usize::try_from(i).ok().filter(|&i| i < len)
}

/// True when every segment lands: on an existing object or array slot, or, once a property
/// is missing, on properties only (they will be created as objects).
fn feasible(path: &Path, target: &Value) -> bool {
    let mut cur = Some(target);
    for seg in &path.segments {
        cur = match (seg, cur) {
            (Segment::Child(Selector::Name(_)), None) => None,
            (Segment::Child(Selector::Name(k)), Some(Value::Object(m))) => m.get(k),
            (Segment::Child(Selector::Index(i)), Some(Value::Array(a))) => match index(*i, a.len())
            {
                Some(i) => a.get(i),
                None => return false,
            },
            _ => return false,
        };
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::jsonpath::JsonPath;
    use serde_json::{json, Value};

    fn put(mut target: Value, path: &str, value: Value, want: Value) {
        let p = JsonPath::parse(path).expect("parses");
        p.write(&mut target, value).expect("writes");
        assert_eq!(target, want, "{path}");
    }

    fn refuse(mut target: Value, path: &str) {
        let before = target.clone();
        let p = JsonPath::parse(path).expect("parses");
        let err = p.write(&mut target, json!(1)).expect_err("must fail");
        assert_eq!(err.error, "States.ResultPathMatchFailure");
        assert_eq!(target, before, "target untouched");
    }

    #[test]
    fn writes() {
        put(json!({"a": 1}), "$", json!(2), json!(2));
        put(json!({"a": 1}), "$.b", json!(2), json!({"a": 1, "b": 2}));
        put(json!({"a": 1}), "$.a", json!(2), json!({"a": 2}));
        put(
            json!({}),
            "$.a.b.c",
            json!(2),
            json!({"a": {"b": {"c": 2}}}),
        );
        put(
            json!({"a": {"x": 0}}),
            "$['a']['y']",
            json!(2),
            json!({"a": {"x": 0, "y": 2}}),
        );
        put(
            json!({"a": [0, {"b": 1}]}),
            "$.a[1].b",
            json!(2),
            json!({"a": [0, {"b": 2}]}),
        );
        put(
            json!({"a": [0, 1]}),
            "$.a[-1]",
            json!(2),
            json!({"a": [0, 2]}),
        );
    }

    #[test]
    fn refuses() {
        refuse(json!({"a": "s"}), "$.a.b");
        refuse(json!("s"), "$.a");
        refuse(json!(null), "$.a");
        refuse(json!({"a": [0]}), "$.a[3]");
        refuse(json!({}), "$.a[0]");
        refuse(json!({}), "$.a[*]");
        refuse(json!({}), "$$.a");
    }
}
