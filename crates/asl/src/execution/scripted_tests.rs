//! Runs `testdata/executions.jsonl`: definitions, inputs, scripted service answers
//! (`"script": {resource: [{"ok": value} | {"error", "cause"}]}`) and the expected status,
//! optionally the event types and the virtual time spent.

use crate::error::Failure;
use crate::integration::{Integration, TaskRequest};
use crate::{parse_definition, Execution, ExecutionOptions};
use serde_json::{json, Value};
use std::collections::HashMap;

struct Script(HashMap<String, Vec<Value>>);

impl Integration for Script {
    fn invoke(&mut self, r: &TaskRequest<'_>) -> Result<Value, Failure> {
        let queue = self.0.get_mut(r.resource).filter(|q| !q.is_empty());
        let Some(answer) = queue.map(|q| q.remove(0)) else {
            return Err(Failure::new("Script.Exhausted", r.resource));
        };
        match answer.get("ok") {
            Some(Value::String(s)) if s == "BIG" => Ok(json!("x".repeat(300_000))),
            Some(v) => Ok(v.clone()),
            None => Err(Failure::new(
                answer["error"].as_str().unwrap_or_default(),
                answer["cause"].as_str().unwrap_or_default(),
            )),
        }
    }
}

#[test]
fn scripted_executions() {
    for line in include_str!("../../testdata/executions.jsonl").lines() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Value = serde_json::from_str(line).unwrap();
        let name = case["name"].as_str().unwrap();
        let parsed = parse_definition(&case["definition"].to_string());
        assert!(
            parsed.diagnostics.is_empty(),
            "{name}: {:?}",
            parsed.diagnostics
        );
        let script: HashMap<String, Vec<Value>> =
            serde_json::from_value(case.get("script").cloned().unwrap_or(json!({}))).unwrap();
        let opts = ExecutionOptions::default();
        let start = opts.start_time_millis;
        let mut exec = Execution::start(&parsed.machine.unwrap(), case["input"].clone(), opts);
        let status = serde_json::to_value(exec.run(&mut Script(script))).unwrap();
        let want = &case["expected"];
        for (k, v) in want.as_object().unwrap() {
            assert_eq!(&status[k], v, "{name}: field {k} of {status}");
        }
        if let Some(events) = case.get("events") {
            let got: Vec<&str> = exec.history().iter().map(|e| &*e.event_type).collect();
            let want: Vec<&str> = events
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(got, want, "{name}");
        }
        if let Some(ms) = case.get("elapsed_ms").and_then(Value::as_i64) {
            assert_eq!(exec.now_millis() - start, ms, "{name}: virtual time");
        }
        // Event ids are 1..n and every previousEventId points backwards.
        for (i, e) in exec.history().iter().enumerate() {
            assert_eq!(e.id, i as i64 + 1, "{name}");
            assert!(e.previous_event_id < e.id, "{name}");
        }
    }
}
