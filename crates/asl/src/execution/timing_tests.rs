//! Clock tests: task timeouts and heartbeats of parked tasks, letting virtual time pass,
//! and a real-time clock moved by hand.

use super::*;
use crate::clock::ManualClock;
use crate::error::Failure;
use crate::integration::TaskRequest;
use crate::parse_definition;
use serde_json::json;

const START: i64 = 1_700_000_000_000;

/// Answers every call with `{"MessageId": "m1"}`; a `delay` moves the manual clock during
/// the call, as a slow service would on a real clock.
struct Queue {
    clock: Option<Arc<ManualClock>>,
    delay: i64,
}

impl Integration for Queue {
    fn invoke(&mut self, _: &TaskRequest<'_>) -> Result<Value, Failure> {
        if let Some(c) = &self.clock {
            c.advance(self.delay);
        }
        Ok(json!({"MessageId": "m1"}))
    }
}

fn queue() -> Queue {
    Queue {
        clock: None,
        delay: 0,
    }
}

fn start(def: Value, clock: ClockMode) -> Execution {
    let parsed = parse_definition(&def.to_string());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let options = ExecutionOptions {
        park_task_tokens: true,
        clock,
        ..ExecutionOptions::default()
    };
    Execution::start(&parsed.machine.unwrap(), json!({}), options)
}

/// A `.waitForTaskToken` task with `extra` fields.
fn callback_task(extra: Value) -> Value {
    let mut t = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"token.$": "$$.Task.Token"}, "End": true});
    if let (Some(t), Some(extra)) = (t.as_object_mut(), extra.as_object()) {
        if extra.contains_key("Next") {
            t.remove("End");
        }
        t.extend(extra.clone());
    }
    t
}

/// (type, offset from START in ms) of every event.
fn events(e: &Execution) -> Vec<(String, i64)> {
    e.history()
        .iter()
        .map(|h| (h.event_type.to_string(), h.timestamp_millis - START))
        .collect()
}

fn event(e: &Execution, event_type: &str) -> Option<(Value, i64)> {
    e.history()
        .iter()
        .find(|h| h.event_type == event_type)
        .map(|h| (serde_json::to_value(h).unwrap(), h.timestamp_millis - START))
}

#[test]
fn a_parked_task_times_out_only_when_time_is_let_pass_and_is_caught() {
    let def = json!({"StartAt": "T", "States": {
        "T": callback_task(json!({"TimeoutSeconds": 60, "Next": "Ok",
            "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Late"}]})),
        "Ok": {"Type": "Succeed"},
        "Late": {"Type": "Pass", "End": true}}});
    let mut e = start(def, ClockMode::Virtual);
    assert_eq!(e.run(&mut queue()), &ExecutionStatus::Running);
    assert_eq!(
        e.now_millis(),
        START,
        "the clock does not jump to a task deadline"
    );
    assert_eq!(e.next_wake_millis(), Some(START + 60_000));
    let token = e.pending_task_tokens().remove(0);

    assert_eq!(
        e.advance_clock_by(59_999, &mut queue()),
        &ExecutionStatus::Running
    );
    assert_eq!(e.now_millis(), START + 59_999);
    assert_eq!(e.pending_task_tokens(), std::slice::from_ref(&token));

    let status = e.advance_clock_by(1, &mut queue()).clone();
    assert_eq!(
        status,
        ExecutionStatus::Succeeded {
            output: json!({"Error": "States.Timeout"})
        }
    );
    let (timed_out, at) = event(&e, "TaskTimedOut").unwrap();
    assert_eq!(at, 60_000);
    assert_eq!(
        timed_out["taskTimedOutEventDetails"],
        json!({"resourceType": "sqs", "resource": "sendMessage.waitForTaskToken", "error": "States.Timeout"})
    );
    let err = e.send_task_success(&token, json!(1)).unwrap_err();
    assert_eq!(err.name(), "TaskTimedOut");
}

#[test]
fn a_timed_out_task_is_retried_with_a_fresh_token_and_deadline() {
    let def = json!({"StartAt": "T", "States": {"T": callback_task(json!({"TimeoutSeconds": 10,
        "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 5, "MaxAttempts": 1}]}))}});
    let mut e = start(def, ClockMode::Virtual);
    e.run(&mut queue());
    let first = e.pending_task_tokens();
    e.advance_clock_by(10_000, &mut queue());
    // The retry sleep passes by itself; the second attempt parks again.
    assert_eq!(e.status(), &ExecutionStatus::Running);
    let second = e.pending_task_tokens();
    assert_eq!(second.len(), 1);
    assert_ne!(first, second);
    assert_eq!(e.next_wake_millis(), Some(START + 25_000));
    let status = e.advance_clock_to(START + 25_000, &mut queue()).clone();
    assert!(
        matches!(&status, ExecutionStatus::Failed { error: Some(err), cause: None } if err == "States.Timeout"),
        "{status:?}"
    );
    let timeouts: Vec<i64> = events(&e)
        .into_iter()
        .filter(|(t, _)| t == "TaskTimedOut")
        .map(|(_, at)| at)
        .collect();
    assert_eq!(timeouts, [10_000, 25_000]);
}

#[test]
fn heartbeats_move_the_deadline_on_and_a_missed_one_times_out() {
    let def = json!({"StartAt": "T", "States": {
        "T": callback_task(json!({"HeartbeatSeconds": 10, "TimeoutSeconds": 100, "Next": "Ok",
            "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 3}],
            "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Dead"}]})),
        "Ok": {"Type": "Succeed"},
        "Dead": {"Type": "Pass", "End": true}}});
    let mut e = start(def, ClockMode::Virtual);
    e.run(&mut queue());
    let token = e.pending_task_tokens().remove(0);
    e.advance_clock_by(8_000, &mut queue());
    e.send_task_heartbeat(&token).unwrap();
    assert_eq!(e.next_wake_millis(), Some(START + 18_000));
    e.advance_clock_by(8_000, &mut queue());
    assert_eq!(
        e.pending_task_tokens(),
        std::slice::from_ref(&token),
        "16 s, heartbeat at 8 s"
    );
    // No heartbeat since 8 s: times out at 18 s; States.TaskFailed does not match it,
    // States.HeartbeatTimeout does.
    let status = e.advance_clock_by(3_000, &mut queue()).clone();
    assert_eq!(
        status,
        ExecutionStatus::Succeeded {
            output: json!({"Error": "States.Timeout"})
        }
    );
    assert_eq!(event(&e, "TaskTimedOut").unwrap().1, 18_000);
    assert_eq!(
        e.send_task_heartbeat(&token).unwrap_err().name(),
        "TaskTimedOut"
    );
}

#[test]
fn an_uncaught_heartbeat_timeout_fails_the_execution_with_states_timeout() {
    let def =
        json!({"StartAt": "T", "States": {"T": callback_task(json!({"HeartbeatSeconds": 5}))}});
    let mut e = start(def, ClockMode::Virtual);
    e.run(&mut queue());
    let status = e.advance_clock_by(60_000, &mut queue()).clone();
    assert!(
        matches!(&status, ExecutionStatus::Failed { error: Some(err), .. } if err == "States.Timeout"),
        "{status:?}"
    );
    assert_eq!(event(&e, "TaskTimedOut").unwrap().1, 5_000);
}

#[test]
fn token_answers_are_refused_as_aws_refuses_them() {
    let def = json!({"StartAt": "T", "States": {"T": callback_task(json!({}))}});
    let mut e = start(def, ClockMode::Virtual);
    e.run(&mut queue());
    let token = e.pending_task_tokens().remove(0);
    assert_eq!(
        e.send_task_heartbeat("nope").unwrap_err().name(),
        "InvalidToken"
    );
    let unknown = format!("AQ{}", "x".repeat(86));
    assert_eq!(
        e.send_task_heartbeat(&unknown).unwrap_err().name(),
        "TaskDoesNotExist"
    );
    e.send_task_heartbeat(&token).unwrap();
    assert_eq!(
        e.next_wake_millis(),
        None,
        "no deadline: only an answer moves it"
    );
    e.send_task_success(&token, json!({})).unwrap();
    assert_eq!(
        e.send_task_failure(&token, None, None).unwrap_err().name(),
        "TaskTimedOut"
    );
}

#[test]
fn advancing_the_clock_fires_deadlines_in_order() {
    let def = json!({"StartAt": "P", "TimeoutSeconds": 60, "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "W1", "States": {
            "W1": {"Type": "Wait", "Seconds": 20, "Next": "W2"},
            "W2": {"Type": "Wait", "Seconds": 1000, "End": true}}},
        {"StartAt": "T", "States": {
            "T": callback_task(json!({"TimeoutSeconds": 10, "Next": "Done",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}]})),
            "Done": {"Type": "Pass", "End": true}}}]}}});
    let mut e = start(def, ClockMode::Virtual);
    assert_eq!(e.run(&mut queue()), &ExecutionStatus::Running);
    assert_eq!(
        e.now_millis(),
        START,
        "the Wait would pass the task's deadline"
    );
    let status = e.advance_clock_by(30_000, &mut queue()).clone();
    assert!(
        matches!(status, ExecutionStatus::TimedOut { .. }),
        "{status:?}"
    );
    let timed: Vec<(String, i64)> = events(&e)
        .into_iter()
        .filter(|(t, _)| {
            ["TaskTimedOut", "WaitStateExited", "ExecutionTimedOut"].contains(&t.as_str())
        })
        .collect();
    assert_eq!(
        timed,
        [
            ("TaskTimedOut".to_string(), 10_000),
            ("WaitStateExited".to_string(), 20_000),
            ("ExecutionTimedOut".to_string(), 60_000)
        ]
    );
}

#[test]
fn without_parked_tasks_waits_still_pass_instantly() {
    let def =
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}});
    let mut e = start(def, ClockMode::Virtual);
    assert!(matches!(
        e.run(&mut queue()),
        ExecutionStatus::Succeeded { .. }
    ));
    assert_eq!(e.now_millis(), START + 3_600_000);
}

#[test]
fn a_real_clock_waits_for_time_to_pass_and_never_sleeps() {
    let t0 = START + 123;
    let clock = Arc::new(ManualClock::new(t0));
    let def = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 5, "Next": "P"},
        "P": {"Type": "Pass", "End": true}}});
    let mut e = start(def, ClockMode::RealTime(clock.clone()));
    assert_eq!(e.run(&mut queue()), &ExecutionStatus::Running);
    assert_eq!(e.history().last().unwrap().event_type, "WaitStateEntered");
    assert_eq!(
        e.history()[0].timestamp_millis,
        t0,
        "starts at the clock's time"
    );
    assert_eq!(e.next_wake_millis(), Some(t0 + 5_000));
    clock.advance(4_999);
    assert!(!e.step(&mut queue()), "not yet");
    clock.advance(1);
    assert!(e.step(&mut queue()));
    let exited = e.history().last().unwrap();
    assert_eq!(exited.event_type, "WaitStateExited");
    assert_eq!(exited.timestamp_millis, t0 + 5_000);
    assert!(matches!(
        e.run(&mut queue()),
        ExecutionStatus::Succeeded { .. }
    ));
    assert_eq!(e.next_wake_millis(), None);
}

#[test]
fn on_a_real_clock_a_late_answer_finds_the_task_timed_out() {
    let clock = Arc::new(ManualClock::new(START));
    let def =
        json!({"StartAt": "T", "States": {"T": callback_task(json!({"HeartbeatSeconds": 2}))}});
    let mut e = start(def, ClockMode::RealTime(clock.clone()));
    e.run(&mut queue());
    let token = e.pending_task_tokens().remove(0);
    assert_eq!(e.next_wake_millis(), Some(START + 2_000));
    clock.advance(1_500);
    e.send_task_heartbeat(&token).unwrap();
    assert_eq!(e.next_wake_millis(), Some(START + 3_500));
    clock.advance(2_000);
    assert_eq!(
        e.send_task_success(&token, json!(1)).unwrap_err().name(),
        "TaskTimedOut"
    );
    assert_eq!(event(&e, "TaskTimedOut").unwrap().1, 3_500);
    assert!(matches!(
        e.run(&mut queue()),
        ExecutionStatus::Failed { .. }
    ));
}

#[test]
fn on_a_real_clock_a_call_slower_than_the_timeout_times_out() {
    let clock = Arc::new(ManualClock::new(START));
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow", "TimeoutSeconds": 2, "End": true}}});
    let mut e = start(def, ClockMode::RealTime(clock.clone()));
    let mut slow = Queue {
        clock: Some(clock.clone()),
        delay: 2_001,
    };
    let status = e.run(&mut slow).clone();
    assert!(
        matches!(&status, ExecutionStatus::Failed { error: Some(err), .. } if err == "States.Timeout"),
        "{status:?}"
    );
    let (timed_out, at) = event(&e, "LambdaFunctionTimedOut").unwrap();
    assert_eq!(at, 2_001);
    assert_eq!(
        timed_out["lambdaFunctionTimedOutEventDetails"],
        json!({"error": "States.Timeout"})
    );
}
