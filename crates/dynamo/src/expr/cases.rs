//! Runs the data-driven cases in `cases.json`: each gives an expression, its kind, the
//! request's names and values, an item, and the expected result or AWS's error message.
//!
//! Kinds: `condition`/`filter` (result: bool), `update` (result: the item after),
//! `projection` (result: the projected item), `key` (with `"key": [hash, range?]`;
//! result: `{"hash": value, "range": [OP, values...]}`). `error_prefix` instead of
//! `error` matches the start of the message (syntax errors). After a successful parse the
//! unused-names/values check runs too, so cases can expect its message.

use serde_json::{json, Value};

use super::{
    parse_condition, parse_key_condition, parse_projection, parse_update, ExprKind,
    ExpressionContext, RangeCondition,
};
use crate::error::DynamoError;
use crate::types::{item_from_json, item_to_json, AttributeValue};

fn range_json(rc: &RangeCondition) -> Value {
    let (op, vals): (&str, Vec<&AttributeValue>) = match rc {
        RangeCondition::Eq(v) => ("=", vec![v]),
        RangeCondition::Lt(v) => ("<", vec![v]),
        RangeCondition::Le(v) => ("<=", vec![v]),
        RangeCondition::Gt(v) => (">", vec![v]),
        RangeCondition::Ge(v) => (">=", vec![v]),
        RangeCondition::Between(a, b) => ("BETWEEN", vec![a, b]),
        RangeCondition::BeginsWith(v) => ("begins_with", vec![v]),
    };
    let mut out = vec![json!(op)];
    out.extend(vals.into_iter().map(|v| v.to_json()));
    Value::Array(out)
}

fn run(case: &Value) -> Result<Value, DynamoError> {
    let text = case["expression"].as_str().unwrap_or_default();
    let names = case.get("names");
    let values = case.get("values");
    let mut ctx = ExpressionContext::new(names, values)?;
    let item = item_from_json(case.get("item").unwrap_or(&json!({})))?;
    let result = match case["kind"].as_str().unwrap_or("condition") {
        "condition" | "filter" => {
            let kind = if case["kind"] == "filter" {
                ExprKind::Filter
            } else {
                ExprKind::Condition
            };
            let cond = parse_condition(text, &mut ctx, kind)?;
            ctx.check_all_used()?;
            json!(cond.eval(&item)?)
        }
        "update" => {
            let update = parse_update(text, &mut ctx)?;
            ctx.check_all_used()?;
            let mut item = item;
            update.apply(&mut item)?;
            item_to_json(&item)
        }
        "projection" => {
            let projection = parse_projection(text, &mut ctx)?;
            ctx.check_all_used()?;
            item_to_json(&projection.project(&item))
        }
        "key" => {
            let kc = parse_key_condition(text, &mut ctx)?;
            ctx.check_all_used()?;
            let hash = case["key"][0].as_str().unwrap_or_default();
            let range = case["key"][1].as_str();
            let kr = kc.analyze(hash, range)?;
            json!({
                "hash": kr.hash_value.to_json(),
                "range": kr.range.as_ref().map(range_json),
            })
        }
        other => panic!("unknown kind {other}"),
    };
    Ok(result)
}

#[test]
fn cases_from_json() {
    let cases: Vec<Value> = serde_json::from_str(include_str!("cases.json")).expect("cases.json");
    let mut failures = Vec::new();
    for case in &cases {
        let got = run(case);
        let prefix = case.get("error_prefix").and_then(Value::as_str);
        let ok = match (&got, case.get("error")) {
            (Err(e), _) if prefix.is_some() => prefix.is_some_and(|p| e.message.starts_with(p)),
            (Err(e), Some(want)) => {
                e.type_name == "ValidationException" && Some(e.message.as_str()) == want.as_str()
            }
            (Ok(v), None) => Some(v) == case.get("result"),
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{}: {:?}\n  got {:?}",
                case["expression"],
                case.get("error").or(case.get("result")),
                got
            ));
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
