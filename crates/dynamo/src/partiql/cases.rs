//! Runs the data-driven PartiQL scripts in `cases.json`. Each script starts from a fresh
//! engine holding table `Tbl` (`pk` S hash, `sk` N range) and runs its steps in order;
//! a step gives `statement` (and `parameters`), then the expected `response` (compared
//! whole) or `error` (`[type, message]`).

use serde_json::{json, Value};

use super::execute_statement;
use crate::Engine;

fn fresh() -> Engine {
    let mut e = Engine::new();
    let created = e.execute(
        "CreateTable",
        &json!({
            "TableName": "Tbl",
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"}
            ],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"}
            ],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    );
    assert!(created.is_ok(), "{created:?}");
    e
}

#[test]
fn scripts_from_json() {
    let scripts: Vec<Value> = serde_json::from_str(include_str!("cases.json")).expect("cases.json");
    let mut failures = Vec::new();
    for script in &scripts {
        let mut engine = fresh();
        for step in script["steps"].as_array().into_iter().flatten() {
            let mut req = json!({ "Statement": step["statement"] });
            if let (Some(p), Some(map)) = (step.get("parameters"), req.as_object_mut()) {
                map.insert("Parameters".into(), p.clone());
            }
            let got = execute_statement(&mut engine, &req);
            let ok = match (&got, step.get("error")) {
                (Err(e), Some(want)) => json!([e.type_name, e.message]) == *want,
                (Ok(out), None) => step.get("response").is_none_or(|r| *r == out.response),
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "{} / {}: want {:?}\n  got {:?}",
                    script["name"],
                    step["statement"],
                    step.get("error").or(step.get("response")),
                    got.map(|o| o.response)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
