//! Interpreter tests; the data-driven cases live in `testdata/executions.jsonl`.

use super::*;
use crate::error::Failure;
use crate::integration::{NoServices, TaskRequest};
use crate::parse_definition;
use serde_json::json;

/// An in-memory table keyed by `Key.pk.S`, answering putItem/getItem like the optimized
/// DynamoDB integration.
#[derive(Default)]
struct FakeDynamo {
    items: std::collections::BTreeMap<String, Value>,
}

impl Integration for FakeDynamo {
    fn invoke(&mut self, r: &TaskRequest<'_>) -> Result<Value, Failure> {
        match r.resource {
            "arn:aws:states:::dynamodb:putItem" => {
                let item = r.parameters["Item"].clone();
                let key = item["pk"]["S"].as_str().unwrap_or_default().to_string();
                self.items.insert(key, item);
                Ok(json!({"SdkHttpMetadata": {"HttpStatusCode": 200}}))
            }
            "arn:aws:states:::dynamodb:getItem" => {
                let key = r.parameters["Key"]["pk"]["S"].as_str().unwrap_or_default();
                Ok(match self.items.get(key) {
                    Some(i) => json!({"Item": i}),
                    None => json!({}),
                })
            }
            _ => Err(Failure::new("States.TaskFailed", "unknown resource")),
        }
    }
}

fn run(def: Value, input: Value, services: &mut dyn Integration) -> (ExecutionStatus, Execution) {
    let parsed = parse_definition(&def.to_string());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let m = parsed.machine.unwrap();
    let mut e = Execution::start(&m, input, ExecutionOptions::default());
    let s = e.run(services).clone();
    (s, e)
}

#[test]
fn walking_skeleton_put_then_get() {
    let def = json!({
        "StartAt": "Put",
        "States": {
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                    "Parameters": {"TableName": "T", "Item": {"pk": {"S": "k1"}, "v": {"N": "7"}}},
                    "ResultPath": null, "Next": "Get"},
            "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                    "Parameters": {"TableName": "T", "Key": {"pk": {"S": "k1"}}}, "End": true}
        }
    });
    let (status, e) = run(def, json!({}), &mut FakeDynamo::default());
    assert_eq!(
        status,
        ExecutionStatus::Succeeded {
            output: json!({"Item": {"pk": {"S": "k1"}, "v": {"N": "7"}}})
        }
    );
    let types: Vec<&str> = e.history().iter().map(|h| h.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    let h = serde_json::to_value(&e.history()[2]).unwrap();
    assert_eq!(h["taskScheduledEventDetails"]["resourceType"], "dynamodb");
    assert_eq!(h["previousEventId"], 2);
}

#[test]
fn no_services_fails_tasks_with_runtime() {
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}]}, "C": {"Type": "Succeed"}}});
    let (status, _) = run(def, json!({}), &mut NoServices);
    assert!(
        matches!(status, ExecutionStatus::Failed { error: Some(e), .. } if e == "States.Runtime")
    );
}

#[test]
fn retry_backoff_uses_the_virtual_clock() {
    struct Flaky(u32);
    impl Integration for Flaky {
        fn invoke(&mut self, _: &TaskRequest<'_>) -> Result<Value, Failure> {
            self.0 += 1;
            if self.0 < 3 {
                Err(Failure::new("Boom", "x"))
            } else {
                Ok(json!(self.0))
            }
        }
    }
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true,
        "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "BackoffRate": 3}]}}});
    let (status, e) = run(def, json!({}), &mut Flaky(0));
    assert_eq!(status, ExecutionStatus::Succeeded { output: json!(3) });
    assert_eq!(
        e.now_millis() - ExecutionOptions::default().start_time_millis,
        8000
    );
}

#[test]
fn stop_and_status_serialization() {
    let def = json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}});
    let m = parse_definition(&def.to_string()).machine.unwrap();
    let mut e = Execution::start(&m, json!({}), ExecutionOptions::default());
    e.step(&mut NoServices);
    e.stop(Some("E".into()), None);
    assert_eq!(
        serde_json::to_value(e.status()).unwrap(),
        json!({"status": "ABORTED", "error": "E", "cause": null})
    );
    assert!(!e.step(&mut NoServices));
}

#[test]
fn run_until_state_stops_at_entry() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}});
    let m = parse_definition(&def.to_string()).machine.unwrap();
    let mut e = Execution::start(&m, json!({}), ExecutionOptions::default());
    assert_eq!(
        e.run_until_state("B", &mut NoServices),
        &ExecutionStatus::Running
    );
    assert_eq!(e.history().last().unwrap().event_type, "PassStateEntered");
    e.run(&mut NoServices);
    assert!(matches!(e.status(), ExecutionStatus::Succeeded { .. }));
}

#[test]
fn history_limit_fails_the_execution() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}});
    let parsed = parse_definition(&def.to_string());
    let m = parsed.machine.unwrap();
    let opts = ExecutionOptions {
        max_history_events: Some(50),
        ..ExecutionOptions::default()
    };
    let mut e = Execution::start(&m, json!({}), opts);
    e.run(&mut NoServices);
    assert!(matches!(e.status(), ExecutionStatus::Failed { .. }));
    assert!(e.history().len() <= 50);
}
