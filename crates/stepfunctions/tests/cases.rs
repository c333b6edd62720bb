//! Data-driven cases of the Step Functions API: each file in `tests/cases/` holds cases, each
//! a list of steps run against one fresh [`StepFunctions`] and DynamoDB engine.
//!
//! A step is `{"call": Operation, "request": {...}}` (Step Functions) or `{"dynamodb":
//! Operation, "request": {...}}`, and then either `"expect"` (a JSON value the response
//! must contain: objects match by the members given, arrays element by element) or
//! `"error": [type, message]` (`message` may be omitted). `"save": {"name": "path.to.member"}`
//! keeps a response member; `${name}` in a later request's strings is replaced by it.
//! Executions are run to where they wait after every step; `TestState` runs at once.

use serde_json::{Map, Value};
use statebox_dynamo::Engine;
use statebox_stepfunctions::{test_state, Config, StepFunctions};
use std::collections::HashMap;
use std::path::Path;

const NOW: i64 = 1_700_000_000_000;

#[test]
fn cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable case file");
        let cases: Map<String, Value> = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()));
        for (name, steps) in cases {
            count += 1;
            if let Err(e) = run_case(steps.as_array().expect("a case is a list of steps")) {
                failures.push(format!("{} / {name}: {e}", file.display()));
            }
        }
    }
    assert!(count > 0, "no cases found");
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn run_case(steps: &[Value]) -> Result<(), String> {
    let mut sfn = StepFunctions::new(Config::default());
    let mut engine = Engine::new();
    let mut saved: HashMap<String, Value> = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        let request = substitute(&step["request"], &saved);
        let outcome = if step["call"] == "TestState" {
            test_state(&Config::default(), &request, &mut engine)
                .map(|(response, _)| response)
                .map_err(|e| (e.type_name().to_string(), e.to_string()))
        } else if let Some(op) = step["call"].as_str() {
            sfn.execute(op, &request, NOW)
                .map_err(|e| (e.type_name().to_string(), e.to_string()))
        } else if let Some(op) = step["dynamodb"].as_str() {
            engine
                .execute(op, &request)
                .map(|done| done.response)
                .map_err(|e| (e.type_name.clone(), e.message.clone()))
        } else {
            return Err(format!("step {i}: neither call nor dynamodb"));
        };
        while sfn.has_work() {
            sfn.run_ready(&mut engine, 1000);
        }
        let at = format!(
            "step {i} ({})",
            step["call"]
                .as_str()
                .or(step["dynamodb"].as_str())
                .unwrap_or("")
        );
        match (&outcome, step.get("error")) {
            (Ok(response), None) => {
                if let Some(expect) = step.get("expect") {
                    contains(response, &substitute(expect, &saved), "")
                        .map_err(|e| format!("{at}: {e}\n  got {response}"))?;
                }
                if let Some(Value::Object(save)) = step.get("save") {
                    for (name, path) in save {
                        let path = path.as_str().unwrap_or_default();
                        let value = path
                            .split('.')
                            .try_fold(response, |v, key| v.get(key))
                            .ok_or_else(|| format!("{at}: no {path} to save in {response}"))?;
                        saved.insert(name.clone(), value.clone());
                    }
                }
            }
            (Err((kind, message)), Some(Value::Array(expected))) => {
                let want_kind = expected.first().and_then(Value::as_str).unwrap_or_default();
                if kind != want_kind {
                    return Err(format!(
                        "{at}: error {kind} ({message}), expected {want_kind}"
                    ));
                }
                if let Some(want) = expected.get(1) {
                    let want = substitute(want, &saved);
                    if want.as_str() != Some(message.as_str()) {
                        return Err(format!("{at}: message {message:?}, expected {want}"));
                    }
                }
            }
            (Ok(response), Some(_)) => {
                return Err(format!("{at}: expected an error, got {response}"))
            }
            (Err((kind, message)), _) => return Err(format!("{at}: {kind}: {message}")),
        }
    }
    Ok(())
}

/// `${name}` in strings replaced by saved values (a whole-string reference keeps the type).
fn substitute(value: &Value, saved: &HashMap<String, Value>) -> Value {
    match value {
        Value::String(s) => {
            if let Some(name) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
                if let Some(v) = saved.get(name) {
                    return v.clone();
                }
            }
            let mut text = s.clone();
            for (name, v) in saved {
                let with = v.as_str().map_or_else(|| v.to_string(), String::from);
                text = text.replace(&format!("${{{name}}}"), &with);
            }
            Value::String(text)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| substitute(v, saved)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), substitute(v, saved)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Whether `got` holds `want` (objects by the members given, arrays element by element;
/// `"<absent>"` for a member that must not be there).
fn contains(got: &Value, want: &Value, at: &str) -> Result<(), String> {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                let here = format!("{at}/{k}");
                match (g.get(k), wv.as_str()) {
                    (None, Some("<absent>")) => {}
                    (Some(_), Some("<absent>")) => return Err(format!("{here} is present")),
                    (None, _) => return Err(format!("{here} is missing")),
                    (Some(gv), _) => contains(gv, wv, &here)?,
                }
            }
            Ok(())
        }
        (Value::Array(g), Value::Array(w)) => {
            if g.len() != w.len() {
                return Err(format!("{at}: {} elements, expected {}", g.len(), w.len()));
            }
            for (i, (gv, wv)) in g.iter().zip(w).enumerate() {
                contains(gv, wv, &format!("{at}/{i}"))?;
            }
            Ok(())
        }
        _ if got == want => Ok(()),
        _ => Err(format!("{at}: {got}, expected {want}")),
    }
}
