//! Step Functions' additions to JSONata: `$partition`, `$range`, `$hash`, `$random`,
//! `$uuid` and `$parse`, the JSONata faces of `States.ArrayPartition`, `States.ArrayRange`,
//! `States.Hash`, `States.MathRandom`, `States.UUID` and `States.StringToJson` (they run
//! the same code, so both languages agree); `$eval` is unavailable, as on AWS. Random
//! values come from the execution's seeded generator and `$now` / `$millis` from its clock,
//! so a run replays exactly.

use crate::intrinsics::{Intrinsic, Random};
use crate::random::SeededRandom;
use serde_json::{json, Map, Value};
use statebox_jsonata::{Environment, HostFunction, JsonataError};
use std::cell::RefCell;
use std::rc::Rc;

/// Adds the functions among `names` (the `$names` an expression mentions) to `env`.
pub fn install(env: &mut Environment, names: &[String], random: &mut dyn Random, now_millis: i64) {
    let has = |n: &str| names.iter().any(|x| x == n);
    // The clock built-ins read the execution's clock, once for the whole evaluation as the
    // reference reads its own.
    for name in ["now", "millis"] {
        if has(name) {
            env.replace(
                name,
                Rc::new(move |args: &[Option<Value>]| {
                    if !args.is_empty() {
                        return Err(JsonataError::Evaluation {
                            code: "T0410".into(),
                            message: format!("{name}() takes no arguments"),
                        });
                    }
                    Ok(Some(if name == "now" {
                        json!(crate::timestamp::format_millis(now_millis))
                    } else {
                        json!(now_millis)
                    }))
                }),
            );
        }
    }
    for (name, intrinsic, arity) in [
        ("partition", "States.ArrayPartition", 2),
        ("range", "States.ArrayRange", 3),
        ("hash", "States.Hash", 2),
        ("parse", "States.StringToJson", 1),
    ] {
        if has(name) {
            env.function(name, through_intrinsic(name, intrinsic, arity));
        }
    }
    if has("random") || has("uuid") {
        let seeded = Rc::new(RefCell::new(SeededRandom::new(random.next_u64())));
        let r = seeded.clone();
        env.replace(
            "random",
            Rc::new(move |args: &[Option<Value>]| match args.first() {
                Some(Some(Value::Number(n))) => {
                    let seed = n.as_f64().unwrap_or(0.0) as i64 as u64;
                    Ok(Some(json!(SeededRandom::new(seed).next_f64())))
                }
                Some(Some(other)) => Err(type_error(
                    "random",
                    &format!(
                        "the seed must be an integer, not {}",
                        super::type_name(other)
                    ),
                )),
                _ => Ok(Some(json!(r.borrow_mut().next_f64()))),
            }),
        );
        env.function(
            "uuid",
            Rc::new(move |_: &[Option<Value>]| Ok(Some(json!(seeded.borrow_mut().uuid())))),
        );
    }
    if has("eval") {
        env.replace(
            "eval",
            Rc::new(|_: &[Option<Value>]| {
                Err(JsonataError::Evaluation {
                    code: "T1006".into(),
                    message: "Attempted to invoke a non-function: $eval is not available in Step Functions".into(),
                })
            }),
        );
    }
}

/// A function that calls the intrinsic `intrinsic` with its arguments.
fn through_intrinsic(name: &'static str, intrinsic: &str, arity: usize) -> HostFunction {
    let args: Vec<String> = (0..arity).map(|i| format!("$.a{i}")).collect();
    let call = Intrinsic::parse(&format!("{intrinsic}({})", args.join(", ")))
        .expect("a well-formed intrinsic call");
    Rc::new(move |given: &[Option<Value>]| {
        if given.len() != arity || given.iter().any(Option::is_none) {
            return Err(type_error(
                name,
                &format!("${name} takes {arity} argument(s), none undefined"),
            ));
        }
        let mut input = Map::new();
        for (i, v) in given.iter().enumerate() {
            input.insert(format!("a{i}"), v.clone().unwrap_or(Value::Null));
        }
        call.eval(
            &Value::Object(input),
            &Value::Null,
            &mut SeededRandom::new(0),
        )
        .map(|v| match v {
            // `$range` makes a JSONata sequence: one number is that number.
            Value::Array(mut items) if name == "range" && items.len() == 1 => items.pop(),
            v => Some(v),
        })
        .map_err(|f| JsonataError::Evaluation {
            code: "D3141".into(),
            message: format!("${name}: {}", f.cause),
        })
    })
}

fn type_error(name: &str, message: &str) -> JsonataError {
    JsonataError::Evaluation {
        code: "T0410".into(),
        message: format!("Argument of function ${name} is invalid: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statebox_jsonata::Query;

    fn eval(text: &str) -> Result<Option<Value>, JsonataError> {
        let names = vec![
            "partition".to_string(),
            "range".into(),
            "hash".into(),
            "parse".into(),
            "random".into(),
            "uuid".into(),
            "eval".into(),
        ];
        let mut env = Environment::new();
        install(&mut env, &names, &mut SeededRandom::new(3), 0);
        Query::parse(text).unwrap().evaluate(None, &env)
    }

    #[test]
    fn the_additions_agree_with_the_intrinsics() {
        assert_eq!(
            eval("$partition([1,2,3,4,5], 2)").unwrap(),
            Some(json!([[1, 2], [3, 4], [5]]))
        );
        assert_eq!(eval("$range(1, 9, 3)").unwrap(), Some(json!([1, 4, 7])));
        assert_eq!(
            eval("$hash('abc', 'SHA-1')").unwrap(),
            Some(json!("a9993e364706816aba3e25717850c26c9cd0d89d"))
        );
        assert_eq!(
            eval("$parse('{\"a\":[1]}')").unwrap(),
            Some(json!({"a": [1]}))
        );
        let r = eval("$random()").unwrap().unwrap().as_f64().unwrap();
        assert!((0.0..1.0).contains(&r));
        assert_eq!(eval("$random(5)").unwrap(), eval("$random(5)").unwrap());
        assert_eq!(
            eval("$uuid()").unwrap().unwrap().as_str().unwrap().len(),
            36
        );
        assert!(eval("$eval('1')").is_err());
        assert!(eval("$hash('abc', 'NOPE')").is_err());
    }
}
