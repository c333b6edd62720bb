//! Data-driven behaviour cases: each `tests/cases/*.json` file is a list of scenarios, each a
//! sequence of requests with the response (exact, or a subset with `responseIncludes`) or
//! the error (type and exact message) AWS gives, written from the DynamoDB API reference.

use std::fs;
use std::path::Path;

use serde_json::Value;
use statebox_dynamo::Engine;

/// Whether every member of `expected` is in `actual` (recursively for objects; arrays and
/// scalars compare exactly).
fn includes(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| includes(av, v))),
        (Value::Array(a), Value::Array(e)) => {
            a.len() == e.len() && a.iter().zip(e).all(|(av, ev)| includes(av, ev))
        }
        _ => actual == expected,
    }
}

fn run_scenario(file: &str, scenario: &Value) -> Result<(), String> {
    let name = scenario["name"].as_str().unwrap_or("?");
    let mut engine = Engine::new();
    let steps = scenario["steps"].as_array().cloned().unwrap_or_default();
    for (i, step) in steps.iter().enumerate() {
        let op = step["op"].as_str().unwrap_or_default();
        if op == "AdvanceClock" {
            let ms = step["millis"].as_i64().unwrap_or(0);
            let now = engine.now_millis() + ms;
            engine.set_clock(Box::new(statebox_dynamo::VirtualClock::new(now)));
            continue;
        }
        let result = engine.execute(op, &step["request"]);
        let at = format!("{file} / {name} / step {} ({op})", i + 1);
        match (result, step.get("error")) {
            (Ok(executed), None) => {
                if let Some(expected) = step.get("response") {
                    if &executed.response != expected {
                        return Err(format!(
                            "{at}: response\n  got:      {}\n  expected: {}",
                            executed.response, expected
                        ));
                    }
                }
                if let Some(expected) = step.get("responseIncludes") {
                    if !includes(&executed.response, expected) {
                        return Err(format!(
                            "{at}: response\n  got:      {}\n  expected to include: {}",
                            executed.response, expected
                        ));
                    }
                }
            }
            (Ok(executed), Some(expected)) => {
                return Err(format!(
                    "{at}: expected error {expected}, got {}",
                    executed.response
                ))
            }
            (Err(err), Some(expected)) => {
                let got = serde_json::json!({"type": err.type_name, "message": err.message});
                let mut want = expected.clone();
                if let Some(obj) = want.as_object_mut() {
                    obj.remove("item");
                    obj.remove("reasons");
                }
                if let Some(reasons) = expected.get("reasons") {
                    let got_reasons = err.cancellation_reasons.clone().map(Value::Array);
                    if got_reasons.as_ref() != Some(reasons) {
                        return Err(format!("{at}: reasons {got_reasons:?} != {reasons}"));
                    }
                }
                if !includes(&got, &want) {
                    return Err(format!(
                        "{at}: error\n  got:      {got}\n  expected: {expected}"
                    ));
                }
                if let Some(item) = expected.get("item") {
                    if err.item.as_ref() != Some(item) {
                        return Err(format!("{at}: error item {:?} != {item}", err.item));
                    }
                }
            }
            (Err(err), None) => return Err(format!("{at}: unexpected error {err}")),
        }
    }
    Ok(())
}

#[test]
fn behaviour_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("cases dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in files {
        let text = fs::read_to_string(&path).expect("read case file");
        let scenarios: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or("?")
            .to_string();
        for scenario in scenarios.as_array().cloned().unwrap_or_default() {
            count += 1;
            if let Err(e) = run_scenario(&file, &scenario) {
                failures.push(e);
            }
        }
    }
    assert!(count > 0, "no cases found");
    assert!(
        failures.is_empty(),
        "{} of {count} scenarios failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
