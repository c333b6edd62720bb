//! Test helpers (`give`, `fails`, `run`) and the conformance cases in `cases.json`.

use super::{Intrinsic, Random};
use serde_json::{json, Value};

/// A deterministic generator for tests (SplitMix64).
pub(crate) struct Fixed(pub u64);

impl Random for Fixed {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn context(input: &Value) -> Value {
    json!({
        "Execution": {"Id": "arn:aws:states:us-east-1:111111111111:execution:sm-name:run", "Input": input},
        "StateMachine": {"Id": "arn:aws:states:us-east-1:111111111111:stateMachine:sm-name", "Name": "sm-name"},
        "State": {"Name": "State_0"}
    })
}

pub(crate) fn run(input: Value, text: &str) -> Result<Value, crate::Failure> {
    let f = Intrinsic::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    f.eval(&input, &context(&input), &mut Fixed(7))
}

pub(crate) fn give(input: Value, text: &str, want: Value) {
    match run(input, text) {
        Ok(v) => assert_eq!(v, want, "{text}"),
        Err(e) => panic!("{text}: {e}"),
    }
}

pub(crate) fn fails(input: Value, text: &str, error: &str) {
    match run(input, text) {
        Ok(v) => panic!("{text} gave {v}"),
        Err(e) => assert_eq!(e.error, error, "{text}: {e}"),
    }
}

#[test]
fn nested_and_context() {
    give(
        json!({}),
        "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)",
        json!("sm"),
    );
    give(
        json!({}),
        "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))",
        json!("name"),
    );
    give(
        json!({"a": [1, 2]}),
        "States.Array($.a[*])",
        json!([[1, 2]]),
    );
    give(json!({"a": 1}), "States.Array($)", json!([{"a": 1}]));
    fails(json!({}), "States.Array($.missing)", "States.Runtime");
}

/// Runs every case of `cases.json`: each Pass `.$` field evaluated against the input.
#[test]
fn conformance_cases() {
    let cases: Vec<Value> = serde_json::from_str(include_str!("cases.json")).expect("cases.json");
    let mut failures = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap_or("?");
        let input = &case["input"];
        let mut output = serde_json::Map::new();
        let mut error = None;
        for (field, expr) in case["fields"].as_object().into_iter().flatten() {
            let Some(expr) = expr.as_str() else { continue };
            let result = if super::looks_like_intrinsic(expr) {
                run(input.clone(), expr)
            } else {
                crate::jsonpath::JsonPath::parse(expr)
                    .ok()
                    .and_then(|p| p.select(input, &context(input)))
                    .ok_or_else(|| crate::Failure::new("States.Runtime", "path not found"))
            };
            match result {
                Ok(v) => {
                    output.insert(field.trim_end_matches(".$").to_string(), v);
                }
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
        let expected = &case["expected"];
        let placeholder = case["placeholder"].as_bool().unwrap_or(false);
        match (expected["status"].as_str(), error) {
            (Some("SUCCEEDED"), None) => {
                if !placeholder && expected["output"] != Value::Object(output.clone()) {
                    failures.push(format!(
                        "{id}: got {} want {}",
                        Value::Object(output),
                        expected["output"]
                    ));
                }
            }
            (Some("SUCCEEDED"), Some(e)) => failures.push(format!("{id}: failed {e}")),
            (_, None) => failures.push(format!("{id}: succeeded, want {expected}")),
            (_, Some(e)) => {
                if expected["error"] != json!(e.error) {
                    failures.push(format!(
                        "{id}: error {} want {}",
                        e.error, expected["error"]
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn variables_and_field_causes() {
    use crate::jsonpath::Scope;
    let vars: serde_json::Map<String, Value> =
        serde_json::from_value(json!({"AnswerTemplate": "It's {}!", "n": 2})).expect("map");
    let input = json!({"flagged": false});
    let context = json!({"Map": {"Item": {"Value": "Pikachu"}}});
    let scope = Scope {
        input: &input,
        context: &context,
        variables: &vars,
    };
    let f = Intrinsic::parse("States.Format($AnswerTemplate, $$.Map.Item.Value)").expect("parses");
    assert_eq!(
        f.eval_in(&scope, None, &mut Fixed(1)),
        Ok(json!("It's Pikachu!"))
    );
    let f = Intrinsic::parse("States.MathAdd($n, 1)").expect("parses");
    assert_eq!(f.eval_in(&scope, None, &mut Fixed(1)), Ok(json!(3)));
    let f = Intrinsic::parse("States.Array($.application.address)").expect("parses");
    let err = f
        .eval_in(&scope, Some("address.$"), &mut Fixed(1))
        .expect_err("missing");
    assert_eq!(err.error, "States.Runtime");
    assert_eq!(
        err.cause,
        "The JSONPath '$.application.address' specified for the field 'address.$' could not be found in the input '{\"flagged\":false}'"
    );
}
