//! The `statebox` command as a person uses it.

use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn statebox(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_statebox"))
        .current_dir(repo())
        .args(args)
        .output()
        .expect("statebox runs")
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

const DEFINITION: &str = "static/examples/orders/definition.json";
const SEED: &str = "static/examples/orders/seed.json";

#[test]
fn runs_the_tutorial_with_a_seeded_table() {
    let out = statebox(&[
        "run",
        "--definition",
        DEFINITION,
        "--input",
        "{}",
        "--tables",
        SEED,
    ]);
    assert!(out.status.success(), "{out:?}");
    let result = stdout_json(&out);
    assert_eq!(result["status"], "SUCCEEDED");
    assert_eq!(
        result["output"]["Item"],
        json!({"OrderId": {"S": "001"}, "Status": {"S": "Created"}})
    );
    assert!(result.get("history").is_none());
}

#[test]
fn history_is_printed_on_request() {
    let out = statebox(&[
        "run",
        "--definition",
        DEFINITION,
        "--tables",
        SEED,
        "--history",
    ]);
    let result = stdout_json(&out);
    let history = result["history"].as_array().expect("history array");
    assert_eq!(history[0]["type"], "ExecutionStarted");
    assert_eq!(history.last().unwrap()["type"], "ExecutionSucceeded");
}

#[test]
fn without_tables_the_put_fails_as_on_aws() {
    let out = statebox(&["run", "--definition", DEFINITION]);
    assert_eq!(out.status.code(), Some(1));
    let result = stdout_json(&out);
    assert_eq!(result["status"], "FAILED");
    assert_eq!(result["error"], "DynamoDB.ResourceNotFoundException");
    let cause = result["cause"].as_str().unwrap();
    assert!(cause.starts_with("Requested resource not found"), "{cause}");
    assert!(
        cause.contains("Service: AmazonDynamoDBv2; Status Code: 400"),
        "{cause}"
    );
}

#[test]
fn bad_input_names_the_position() {
    let out = statebox(&[
        "run",
        "--definition",
        DEFINITION,
        "--input",
        "{\n  \"a\": }",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--input") && err.contains("line 2"), "{err}");
}

#[test]
fn a_bad_seed_names_the_element() {
    let dir = std::env::temp_dir().join(format!("statebox-cli-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    std::fs::write(&seed, r#"{"tables": [{"TableName": "T"}]}"#).unwrap();
    let out = statebox(&[
        "run",
        "--definition",
        DEFINITION,
        "--tables",
        seed.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/tables/0") && err.contains("ValidationException"),
        "{err}"
    );
}

#[test]
fn mocks_answer_the_states_a_test_case_names() {
    let dir = std::env::temp_dir().join(format!("statebox-cli-mock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let def = dir.join("sm.json");
    std::fs::write(
        &def,
        r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 3}],
            "ResultSelector": {"body.$": "$.Payload.body"}, "End": true}}}"#,
    )
    .unwrap();
    let mocks = dir.join("MockConfigFile.json");
    std::fs::write(
        &mocks,
        r#"{"StateMachines": {"M": {"TestCases": {"Flaky": {"Call": "Flaky"}}}},
            "MockedResponses": {"Flaky": {
              "0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "busy"}},
              "2": {"Return": {"StatusCode": 200, "Payload": {"body": "hello"}}}}}}"#,
    )
    .unwrap();
    let out = statebox(&[
        "run",
        "--definition",
        def.to_str().unwrap(),
        "--mock-config",
        mocks.to_str().unwrap(),
        "--test-case",
        "Flaky",
    ]);
    let result = stdout_json(&out);
    assert_eq!(
        result,
        json!({"status": "SUCCEEDED", "output": {"body": "hello"}})
    );
}

#[test]
fn validate_reports_line_column_and_pointer() {
    let dir = std::env::temp_dir().join(format!("statebox-cli-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let def = dir.join("bad.json");
    std::fs::write(
        &def,
        "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"Nowhere\"}\n  }\n}\n",
    )
    .unwrap();
    let out = statebox(&["validate", def.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("/States/A"), "{text}");
    assert!(text.contains(":4:"), "line 4 expected: {text}");
    let ok = statebox(&["validate", DEFINITION]);
    assert!(ok.status.success(), "{ok:?}");
}

#[test]
fn payload_limit_holds_unless_lifted_for_measurement() {
    let dir = std::env::temp_dir().join(format!("statebox-cli-payload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let def = dir.join("pass.json");
    std::fs::write(
        &def,
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#,
    )
    .unwrap();
    let input = dir.join("big.json");
    std::fs::write(&input, json!({"s": "x".repeat(300 * 1024)}).to_string()).unwrap();
    let at_input = format!("@{}", input.display());
    let capped = statebox(&[
        "run",
        "--definition",
        def.to_str().unwrap(),
        "--input",
        &at_input,
    ]);
    assert_eq!(stdout_json(&capped)["error"], "States.DataLimitExceeded");
    let lifted = statebox(&[
        "run",
        "--definition",
        def.to_str().unwrap(),
        "--input",
        &at_input,
        "--max-payload-bytes",
        "unlimited",
    ]);
    assert_eq!(stdout_json(&lifted)["status"], "SUCCEEDED");
}

#[test]
fn a_real_clock_really_waits() {
    let dir = std::env::temp_dir().join(format!("statebox-cli-clock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let def = dir.join("wait.json");
    std::fs::write(
        &def,
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
            "P": {"Type": "Pass", "Result": "woke", "End": true}}}"#,
    )
    .unwrap();
    let run = |clock: &str| {
        let out = statebox(&[
            "run",
            "--definition",
            def.to_str().unwrap(),
            "--history",
            "--clock",
            clock,
        ]);
        assert!(out.status.success(), "{out:?}");
        stdout_json(&out)
    };
    let at = |result: &Value, event_type: &str| -> i64 {
        let event = result["history"]
            .as_array()
            .and_then(|h| h.iter().find(|e| e["type"] == event_type))
            .unwrap_or_else(|| panic!("no {event_type} in {result}"));
        let text = event["timestamp"].as_str().unwrap_or_default();
        statebox_asl::timestamp::parse_timestamp(text)
            .unwrap_or_else(|| panic!("bad timestamp {text}"))
            .0
    };
    for clock in ["real", "virtual"] {
        let result = run(clock);
        assert_eq!(result["output"], "woke", "{result}");
        let waited = at(&result, "WaitStateExited") - at(&result, "WaitStateEntered");
        assert!(waited >= 1000, "{clock}: {waited} ms");
        // The virtual clock starts at the epoch; the real one at the wall clock's time.
        assert_eq!(at(&result, "ExecutionStarted") == 0, clock == "virtual");
    }
    let bad = statebox(&[
        "run",
        "--definition",
        def.to_str().unwrap(),
        "--clock",
        "sundial",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn serve_refuses_a_bad_mock_config_saying_where() {
    let dir = std::env::temp_dir().join(format!("statebox-cli-mock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("mocks.json");
    std::fs::write(&file, r#"{"StateMachines": 3}"#).expect("mock file");
    let out = statebox(&[
        "serve",
        "--port",
        "0",
        "--mock-config",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("mocks.json") && stderr.contains("/StateMachines: must be an object"),
        "{stderr}"
    );
    let out = statebox(&["serve", "--port", "0", "--clock", "fast"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

/// A fresh folder under the system's temporary one, with a `datasets` folder inside.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statebox-cli-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("datasets")).unwrap();
    dir
}

#[test]
fn conformance_runs_the_jsonata_suite_format() {
    let dir = scratch("jsonata-suite");
    std::fs::write(
        dir.join("datasets/orders.json"),
        r#"{"orders": [{"id": 1, "total": 5}, {"id": 2, "total": 7}]}"#,
    )
    .unwrap();
    let cases = dir.join("cases.jsonl");
    std::fs::write(
        &cases,
        [
            r#"{"id": "paths/sum", "expr": "$sum(orders.total)", "dataset": "orders", "bindings": {}, "result": 12}"#,
            r#"{"id": "paths/none", "expr": "orders.missing", "dataset": "orders", "bindings": {}, "undefinedResult": true}"#,
            r#"{"id": "errors/type", "expr": "1 + 'a'", "dataset": null, "bindings": {}, "code": "T2002"}"#,
            r#"{"id": "errors/wrong", "expr": "$n + 1", "data": null, "bindings": {"n": 1}, "result": 3}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let report = dir.join("report.json");
    let out = statebox(&[
        "conformance",
        cases.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stdout.contains("FAIL errors/wrong: expected 3, got 2"),
        "{stdout}"
    );
    assert!(!stdout.contains("paths/sum"), "{stdout}");
    assert!(
        stdout.contains("errors                                   2     1     1"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().last(),
        Some("3 passed, 1 failed"),
        "{stdout}"
    );
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(written.as_array().map(Vec::len), Some(4));
    assert_eq!(
        written[0],
        json!({"id": "paths/sum", "pass": true, "reason": ""})
    );

    // --datasets names another folder; --format says the format outright.
    let elsewhere = dir.join("elsewhere");
    std::fs::rename(dir.join("datasets"), &elsewhere).unwrap();
    let out = statebox(&["conformance", cases.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: line 1 (paths/sum): dataset \"orders\"",
            cases.display()
        )),
        "{stderr}"
    );
    let out = statebox(&[
        "conformance",
        cases.to_str().unwrap(),
        "--format",
        "jsonata",
        "--datasets",
        elsewhere.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("3 passed, 1 failed\n"));
}

#[test]
fn conformance_refuses_bad_input_saying_where() {
    let dir = scratch("jsonata-bad");
    let cases = dir.join("cases.jsonl");
    let run = |text: &str| {
        std::fs::write(&cases, text).unwrap();
        let out = statebox(&["conformance", cases.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let good = r#"{"id": "a/1", "expr": "1", "result": 1}"#;
    let e = run(&format!("{good}\n{good}\n{{\"id\": \"a/3\", \"expr\": "));
    assert!(
        e.contains(&format!("{}: line 3: not JSON", cases.display())),
        "{e}"
    );
    let e = run(&format!("{good}\n{{\"id\": \"a/2\", \"expr\": \"1\"}}"));
    assert!(e.contains("line 2 (a/2): no \"result\""), "{e}");
    let e = run("{\"id\": \"x\"}");
    assert!(e.contains("line 1: neither an ASL case"), "{e}");
    let missing = dir.join("absent.jsonl");
    let out = statebox(&["conformance", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains(&format!("cannot read or write {}", missing.display())),
        "{out:?}"
    );
}

/// The shared JSONata reference cases through the command: every case that does not pass is
/// one statebox-jsonata's suite test lists as known, so the CLI and that test agree.
#[test]
fn conformance_runs_the_shared_jsonata_cases() {
    let cases = repo().join("../shared/conformance/jsonata/cases.jsonl");
    let report = scratch("jsonata-shared").join("report.json");
    let out = statebox(&[
        "conformance",
        cases.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let written = written.as_array().unwrap();
    let lines = std::fs::read_to_string(&cases).unwrap();
    assert_eq!(
        written.len(),
        lines.lines().filter(|l| !l.trim().is_empty()).count()
    );
    let known =
        std::fs::read_to_string(repo().join("crates/jsonata/tests/suite_known_failures.txt"))
            .unwrap();
    let known: Vec<&str> = known
        .lines()
        .map(|l| l.split(" #").next().unwrap_or("").trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let failed: Vec<&Value> = written.iter().filter(|c| c["pass"] == false).collect();
    let unknown: Vec<&&Value> = failed
        .iter()
        .filter(|c| !known.contains(&c["id"].as_str().unwrap_or("")))
        .collect();
    assert!(
        unknown.is_empty(),
        "failures not listed as known: {unknown:?}"
    );
    let closing = format!(
        "{} passed, {} failed",
        written.len() - failed.len(),
        failed.len()
    );
    assert_eq!(stdout.lines().last(), Some(closing.as_str()), "{stdout}");
    assert_eq!(
        out.status.code(),
        Some(if failed.is_empty() { 0 } else { 1 })
    );
}

#[test]
fn a_reader_that_goes_away_is_not_a_panic() {
    // `statebox run ... --history | head -1`: the pipe closes before the output is written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_statebox"))
        .current_dir(repo())
        .args([
            "run",
            "--definition",
            "static/examples/orders/definition.json",
            "--tables",
            "static/examples/orders/seed.json",
            "--history",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{:?} {stderr}", out.status);
}
