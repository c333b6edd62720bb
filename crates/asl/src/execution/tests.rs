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
    let types: Vec<&str> = e.history().iter().map(|h| &*h.event_type).collect();
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
fn result_only_runs_count_events_and_keep_none() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.items", "Next": "B",
              "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}},
        "B": {"Type": "Pass", "End": true}}});
    let m = parse_definition(&def.to_string()).machine.unwrap();
    let input = json!({"items": [1, 2, 3]});
    let mut kept = Execution::start(&m, input.clone(), ExecutionOptions::default());
    kept.run(&mut NoServices);
    let result_only = ExecutionOptions {
        record_history: false,
        ..ExecutionOptions::default()
    };
    let mut e = Execution::start(&m, input.clone(), result_only.clone());
    e.run(&mut NoServices);
    assert_eq!(e.status(), kept.status());
    assert_eq!(e.event_count(), kept.history().len());
    assert_eq!(kept.event_count(), kept.history().len());
    assert!(e.history().is_empty() && e.inspections().is_empty());
    // Breakpoints work without the history.
    let mut e = Execution::start(&m, input, result_only.clone());
    assert_eq!(
        e.run_until_state("B", &mut NoServices),
        &ExecutionStatus::Running
    );
    let entered_b = kept
        .history()
        .iter()
        .position(|ev| ev.event_type == "PassStateEntered" && ev.state_name() == Some("B"))
        .unwrap();
    assert_eq!(e.event_count(), entered_b + 1);
    // The event limit fails the run at the same event.
    let looping = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}});
    let m = parse_definition(&looping.to_string()).machine.unwrap();
    let capped = |record_history| {
        let mut e = Execution::start(
            &m,
            json!({}),
            ExecutionOptions {
                max_history_events: Some(50),
                record_history,
                ..ExecutionOptions::default()
            },
        );
        e.run(&mut NoServices);
        (e.status().clone(), e.event_count())
    };
    assert_eq!(capped(false), capped(true));
    assert!(matches!(capped(false).0, ExecutionStatus::Failed { .. }));
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

#[derive(Default)]
struct MemStore(std::sync::Mutex<std::collections::BTreeMap<(String, String), Vec<u8>>>);

impl crate::item_store::ObjectStore for MemStore {
    fn get(&self, b: &str, k: &str) -> Option<Vec<u8>> {
        self.0
            .lock()
            .ok()?
            .get(&(b.to_string(), k.to_string()))
            .cloned()
    }
    fn put(&self, b: &str, k: &str, body: Vec<u8>) {
        if let Ok(mut m) = self.0.lock() {
            m.insert((b.to_string(), k.to_string()), body);
        }
    }
}

#[test]
fn distributed_map_reads_batches_and_writes_through_the_store() {
    use crate::item_store::ObjectStore;
    let store = std::sync::Arc::new(MemStore::default());
    store.put("in", "rows.csv", b"id,name\n1,a\n2,b\n3,c\n".to_vec());
    let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "Parameters": {"Bucket.$": "$.bucket", "Key": "rows.csv"},
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 3}},
        "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"src.$": "$.bucket"}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}},
        "Label": "Rows",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "OutputPath": "$.Items", "End": true}}}}}});
    let m = parse_definition(&def.to_string()).machine.unwrap();
    let mut e = Execution::start(&m, json!({"bucket": "in"}), ExecutionOptions::default())
        .with_object_store(store.clone());
    let status = e.run(&mut NoServices).clone();
    let ExecutionStatus::Succeeded { output } = status else {
        panic!("{status:?}")
    };
    let types: Vec<&str> = e.history().iter().map(|h| &*h.event_type).collect();
    assert!(types.contains(&"MapRunStarted") && types.contains(&"MapRunSucceeded"));
    let run_arn = output["MapRunArn"].as_str().unwrap();
    assert!(run_arn.starts_with("arn:aws:states:us-east-1:123456789012:mapRun:StateMachine/Rows:"));
    let key = output["ResultWriterDetails"]["Key"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(key.starts_with("runs/") && key.ends_with("/manifest.json"));
    let results_key = key.replace("manifest.json", "SUCCEEDED_0.json");
    let written: Value = serde_json::from_slice(&store.get("out", &results_key).unwrap()).unwrap();
    assert_eq!(
        written,
        json!([[{"id": "1", "name": "a"}, {"id": "2", "name": "b"}], [{"id": "3", "name": "c"}]])
    );
}

#[test]
fn distributed_map_without_a_store_fails_clearly() {
    let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}});
    let (status, _) = run(def, json!({}), &mut NoServices);
    assert!(
        matches!(status, ExecutionStatus::Failed { error: Some(e), .. } if e == "States.ItemReaderFailed")
    );
}

#[test]
fn inspections_record_each_data_flow_step() {
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
        "InputPath": "$.in", "Parameters": {"TableName": "T", "Key": {"pk": {"S.$": "$.id"}}},
        "ResultSelector": {"item.$": "$"}, "ResultPath": "$.r", "OutputPath": "$.r", "End": true}}});
    let (_, e) = run(def, json!({"in": {"id": "k"}}), &mut FakeDynamo::default());
    let i = &e.inspections()[0];
    assert_eq!(i.after_input_path.as_deref(), Some(&json!({"id": "k"})));
    assert_eq!(
        i.after_parameters.as_deref(),
        Some(&json!({"TableName": "T", "Key": {"pk": {"S": "k"}}}))
    );
    assert_eq!(i.result.as_deref(), Some(&json!({})));
    assert_eq!(
        i.after_result_selector.as_deref(),
        Some(&json!({"item": {}}))
    );
    // ResultPath writes into the raw state input, not the InputPath selection.
    assert_eq!(
        i.after_result_path.as_deref(),
        Some(&json!({"in": {"id": "k"}, "r": {"item": {}}}))
    );
    assert_eq!(i.output.as_deref(), Some(&json!({"item": {}})));
}

#[test]
fn parallel_branches_interleave_in_a_fixed_order() {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A1", "States": {"A1": {"Type": "Pass", "Next": "A2"}, "A2": {"Type": "Pass", "End": true}}},
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Next": "B2"}, "B2": {"Type": "Pass", "End": true}}}]}}});
    let names = |e: &Execution| -> Vec<String> {
        e.history()
            .iter()
            .filter(|h| h.event_type == "PassStateEntered")
            .map(|h| h.details().unwrap()["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, e1) = run(def.clone(), json!({}), &mut NoServices);
    let (_, e2) = run(def, json!({}), &mut NoServices);
    assert_eq!(names(&e1), ["A1", "B1", "A2", "B2"]);
    assert_eq!(names(&e1), names(&e2));
}

#[test]
fn jsonata_states_and_variables_run_as_on_aws() {
    // Output and Assign do not see the state's own Assign; a Map iteration reads outer variables, and
    // what it assigns stays inside it; a catcher's Output sees $states.errorOutput.
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 1},
              "Output": "{% {'x': $x, 'in': $states.input.v} %}", "Next": "M"},
        "M": {"Type": "Map", "Items": "{% [1, 2] %}", "ItemProcessor": {"StartAt": "I", "States": {
                "I": {"Type": "Pass", "Assign": {"x": 100},
                      "Output": "{% $states.input + $x %}", "End": true}}},
              "Assign": {"after": "{% $x %}"}, "Output": "{% $states.result %}", "Next": "F"},
        "F": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "X", "States": {
                "X": {"Type": "Pass", "Output": "{% $undefinedVariable %}", "End": true}}}],
              "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "C",
                         "Output": "{% {'caught': $states.errorOutput.Error, 'after': $after, 'map': $states.input} %}"}]},
        "C": {"Type": "Succeed"}}});
    let (status, e) = run(def, json!({"v": 5}), &mut NoServices);
    assert_eq!(
        status,
        ExecutionStatus::Succeeded {
            output: json!({"caught": "States.QueryEvaluationError", "after": 1, "map": [2, 3]})
        }
    );
    // StateExited events carry what the state assigned, each value as JSON text.
    let exited: Vec<Value> = e
        .history()
        .iter()
        .filter(|ev| ev.event_type.ends_with("StateExited"))
        .filter_map(|ev| ev.details())
        .collect();
    assert_eq!(exited[0]["assignedVariables"], json!({"x": "1"}));
    assert_eq!(
        exited[0]["assignedVariablesDetails"],
        json!({"truncated": false})
    );
    let after = exited.iter().find(|d| d["name"] == "M").unwrap();
    assert_eq!(after["assignedVariables"], json!({"after": "1"}));
    assert!(exited
        .iter()
        .filter(|d| d["name"] == "F")
        .all(|d| d.get("assignedVariables").is_none()));
    // JSONPath states read variables in paths and assign with `.$` fields.
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": {"n": 7}, "Assign": {"n.$": "$.n"}, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"twice.$": "States.MathAdd($n, $n)"}, "End": true}}});
    let (status, _) = run(def, json!({}), &mut NoServices);
    assert_eq!(
        status,
        ExecutionStatus::Succeeded {
            output: json!({"twice": 14})
        }
    );
}

#[test]
fn option_names_are_checked() {
    assert!(ExecutionOptions::default().validate().is_ok());
    let bad = ExecutionOptions {
        name: "has space".into(),
        ..ExecutionOptions::default()
    };
    assert!(bad.validate().is_err());
}

#[test]
fn wait_for_task_token_parks_until_answered() {
    struct Send;
    impl Integration for Send {
        fn invoke(&mut self, r: &TaskRequest<'_>) -> Result<Value, Failure> {
            assert_eq!(r.parameters["token"].as_str(), r.task_token);
            Ok(json!({"MessageId": "m1"}))
        }
    }
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "Parameters": {"token.$": "$$.Task.Token"}, "ResultPath": "$.answer",
              "Catch": [{"ErrorEquals": ["Rejected"], "Next": "No"}], "End": true},
        "No": {"Type": "Pass", "Result": "no", "End": true}}});
    let m = parse_definition(&def.to_string()).machine.unwrap();
    let opts = ExecutionOptions {
        park_task_tokens: true,
        ..ExecutionOptions::default()
    };

    let mut e = Execution::start(&m, json!({"q": 1}), opts.clone());
    assert_eq!(e.run(&mut Send), &ExecutionStatus::Running);
    let tokens = e.pending_task_tokens();
    assert_eq!(tokens.len(), 1);
    assert!(e.send_task_success("nope", json!(1)).is_err());
    e.send_task_success(&tokens[0], json!({"ok": true}))
        .unwrap();
    assert_eq!(
        e.run(&mut Send),
        &ExecutionStatus::Succeeded {
            output: json!({"q": 1, "answer": {"ok": true}})
        }
    );
    assert!(e.history().iter().any(|h| h.event_type == "TaskSubmitted"));

    let mut e = Execution::start(&m, json!({}), opts);
    e.run(&mut Send);
    let token = e.pending_task_tokens().remove(0);
    e.send_task_failure(&token, Some("Rejected".into()), None)
        .unwrap();
    assert_eq!(
        e.run(&mut Send),
        &ExecutionStatus::Succeeded {
            output: json!("no")
        }
    );
}

#[test]
fn integer_paths_read_the_text_of_the_value_as_aws_does() {
    let def = |v: Value| {
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"c": v}, "Next": "M"},
            "M": {"Type": "Map", "MaxConcurrencyPath": "$c", "End": true,
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}})
    };
    let (status, _) = run(def(json!("2")), json!([1, 2, 3]), &mut NoServices);
    assert_eq!(
        status,
        ExecutionStatus::Succeeded {
            output: json!([1, 2, 3])
        }
    );
    // ItemsPath and Wait's SecondsPath read variables too.
    let items = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"xs": [1, 2], "s": 0}, "Next": "W"},
        "W": {"Type": "Wait", "SecondsPath": "$s", "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$xs", "End": true,
              "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}});
    let (status, _) = run(items, json!({}), &mut NoServices);
    assert_eq!(
        status,
        ExecutionStatus::Succeeded {
            output: json!([1, 2])
        }
    );
    let (status, _) = run(def(json!("1.5")), json!([1]), &mut NoServices);
    let ExecutionStatus::Failed {
        cause: Some(cause), ..
    } = status
    else {
        panic!("{status:?}")
    };
    assert!(
        cause.ends_with(
            "The MaxConcurrencyPath field refers to value \"1.5\" which is not a valid integer: $c"
        ),
        "{cause}"
    );
}

#[test]
fn assignments_over_the_size_limit_fail_the_state() {
    let run_assign = |assign: Value| {
        let def = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": assign, "End": true}}});
        run(def, json!({}), &mut NoServices).0
    };
    let cause = |s: ExecutionStatus| match s {
        ExecutionStatus::Failed {
            error: Some(e),
            cause: Some(c),
        } if e == "States.Runtime" => c,
        other => panic!("{other:?}"),
    };
    let one = cause(run_assign(json!({"big": "{% $pad('', 300000, 'a') %}"})));
    assert!(
        one.ends_with(
            "The variable 'big' has a size exceeding the maximum number of bytes service limit."
        ),
        "{one}"
    );
    let half = "{% $pad('', 150000, 'a') %}";
    let total = cause(run_assign(json!({"a": half, "b": half})));
    assert!(
        total.ends_with("The assigned variables have a size exceeding the maximum number of bytes service limit."),
        "{total}"
    );
    assert!(matches!(
        run_assign(json!({"a": "{% $pad('', 100000, 'a') %}", "b": 1})),
        ExecutionStatus::Succeeded { .. }
    ));
}
