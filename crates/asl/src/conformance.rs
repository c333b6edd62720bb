//! Runs conformance cases (the format of `shared/conformance/asl/cases.jsonl`: one JSON
//! object per line with `id`, `definition`, `input`, `expected`, `tags`) and compares the
//! outcome as the README says: outputs as JSON values (numbers by value), failures by exact
//! error name, with the cause reported separately.

use crate::definition::parse_value;
use crate::error::Failure;
use crate::execution::{Execution, ExecutionOptions, ExecutionStatus};
use crate::integration::{Integration, TaskRequest};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One case as stored in the file.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub id: String,
    pub definition: Value,
    #[serde(default)]
    pub input: Value,
    pub expected: Value,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
    /// A Task needed a service the caller did not bind.
    NeedsService,
    /// JSONata or workflow variables (`Assign`): not run by this interpreter.
    Unsupported,
}

/// The result of one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub id: String,
    pub pass: bool,
    pub verdict: Verdict,
    pub reason: String,
    pub tags: Vec<String>,
    /// For expected failures: did the error name match (even if the cause did not)?
    pub error_matched: Option<bool>,
}

/// Counts for one tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TagCount {
    pub total: usize,
    pub pass: usize,
    pub fail: usize,
    pub needs_service: usize,
    pub unsupported: usize,
    /// Failed cases whose error name matched but whose cause text did not.
    pub error_only: usize,
}

/// Results of a whole file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub cases: Vec<CaseResult>,
    pub per_tag: BTreeMap<String, TagCount>,
}

impl Report {
    /// A table of the per-tag counts, one line per tag.
    pub fn summary(&self) -> String {
        let mut out = String::from(
            "tag                  total  pass  fail  needs_service  unsupported  error_only\n",
        );
        for (tag, c) in &self.per_tag {
            out.push_str(&format!(
                "{tag:<20} {:>5} {:>5} {:>5} {:>14} {:>12} {:>11}\n",
                c.total, c.pass, c.fail, c.needs_service, c.unsupported, c.error_only
            ));
        }
        out
    }
}

/// Text the integration's "no service" failures contain.
const NO_SERVICE_MARKERS: [&str; 2] = ["no service is bound", "no service bound"];

struct Watch<'a> {
    inner: &'a mut dyn Integration,
    missing_service: bool,
}

impl Integration for Watch<'_> {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<Value, Failure> {
        let r = self.inner.invoke(request);
        if let Err(f) = &r {
            let cause = f.cause.to_ascii_lowercase();
            if NO_SERVICE_MARKERS.iter().any(|m| cause.contains(m)) {
                self.missing_service = true;
            }
        }
        r
    }
}

/// JSON equality with numbers compared by value (`1 == 1.0`).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(i), Some(j)) => i == j,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn short(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s
    }
}

/// Runs one case with the given services.
pub fn run_case(case: &Case, services: &mut dyn Integration) -> CaseResult {
    let mut result = CaseResult {
        id: case.id.clone(),
        pass: false,
        verdict: Verdict::Fail,
        reason: String::new(),
        tags: case.tags.clone(),
        error_matched: None,
    };
    let parsed = parse_value(&case.definition);
    let Some(machine) = parsed.machine else {
        result.reason = format!("definition rejected: {:?}", parsed.diagnostics);
        return result;
    };
    let mut watch = Watch {
        inner: services,
        missing_service: false,
    };
    let mut exec = Execution::start(&machine, case.input.clone(), ExecutionOptions::default());
    let status = exec.run(&mut watch).clone();
    let store_missing = matches!(&status, ExecutionStatus::Failed { cause: Some(c), .. } if c.contains(crate::item_store::NO_STORE_CAUSE));
    if watch.missing_service || store_missing {
        result.verdict = Verdict::NeedsService;
        result.reason = "a Task needs a service that is not bound".into();
        return result;
    }
    let expected_status = case
        .expected
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mismatch = match (&status, expected_status) {
        (ExecutionStatus::Succeeded { output }, "SUCCEEDED") => {
            let want = case.expected.get("output").cloned().unwrap_or(Value::Null);
            (!json_equal(output, &want))
                .then(|| format!("output {} != expected {}", short(output), short(&want)))
        }
        (ExecutionStatus::Failed { error, cause }, "FAILED")
        | (ExecutionStatus::TimedOut { error, cause }, "TIMED_OUT")
        | (ExecutionStatus::Aborted { error, cause }, "ABORTED") => {
            let want_error = case.expected.get("error").and_then(Value::as_str);
            let want_cause = case.expected.get("cause").and_then(Value::as_str);
            let error_ok = error.as_deref() == want_error;
            let cause_ok = cause.as_deref().unwrap_or("") == want_cause.unwrap_or("");
            result.error_matched = Some(error_ok);
            if !error_ok {
                Some(format!(
                    "error {error:?} != expected {want_error:?} (cause {cause:?})"
                ))
            } else if !cause_ok {
                Some(format!(
                    "error matches; cause {cause:?} != expected {want_cause:?}"
                ))
            } else {
                None
            }
        }
        (got, want) => Some(format!(
            "status {} != expected {want}",
            short(&serde_json::to_value(got).unwrap_or_default())
        )),
    };
    match mismatch {
        Some(reason) => result.reason = reason,
        None if !parsed.diagnostics.is_empty() => {
            let codes: Vec<String> = parsed
                .diagnostics
                .iter()
                .map(|d| format!("{} {} {}", d.code, d.pointer, d.message))
                .collect();
            result.reason = format!(
                "ran as AWS did, but validation rejected the definition: {}",
                codes.join("; ")
            );
        }
        None => {
            result.pass = true;
            result.verdict = Verdict::Pass;
        }
    }
    result
}

/// Runs every case of a file; `services` gives the integration for each case. Lines that
/// are not valid cases are reported as failures.
pub fn run_file(text: &str, services: &mut dyn FnMut(&Case) -> Box<dyn Integration>) -> Report {
    let mut report = Report::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let r = match serde_json::from_str::<Case>(line) {
            Ok(case) => {
                let mut integration = services(&case);
                run_case(&case, integration.as_mut())
            }
            Err(e) => CaseResult {
                id: format!("line {}", n + 1),
                pass: false,
                verdict: Verdict::Fail,
                reason: format!("not a case: {e}"),
                tags: Vec::new(),
                error_matched: None,
            },
        };
        for tag in r.tags.iter().map(String::as_str).chain(["all"]) {
            let c = report.per_tag.entry(tag.to_string()).or_default();
            c.total += 1;
            match r.verdict {
                Verdict::Pass => c.pass += 1,
                Verdict::Fail => {
                    c.fail += 1;
                    if r.error_matched == Some(true) {
                        c.error_only += 1;
                    }
                }
                Verdict::NeedsService => c.needs_service += 1,
                Verdict::Unsupported => c.unsupported += 1,
            }
        }
        report.cases.push(r);
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integration::NoServices;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(json_equal(&json!({"a": [1, 2.0]}), &json!({"a": [1.0, 2]})));
        assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
    }

    #[test]
    fn runs_a_small_file() {
        let text = [
            json!({"id": "ok", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "End": true}}}, "input": {}, "expected": {"status": "SUCCEEDED", "output": 1.0}, "tags": ["pure"]}),
            json!({"id": "svc", "definition": {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}, "input": {}, "expected": {"status": "SUCCEEDED", "output": 1}, "tags": ["task"]}),
            json!({"id": "fail", "definition": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}}, "input": {}, "expected": {"status": "FAILED", "error": "E", "cause": "other"}, "tags": ["pure"]}),
        ]
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("\n");
        let report = run_file(&text, &mut |_| Box::new(NoServices));
        let v: Vec<Verdict> = report.cases.iter().map(|c| c.verdict).collect();
        assert_eq!(v, [Verdict::Pass, Verdict::NeedsService, Verdict::Fail]);
        assert_eq!(report.per_tag["pure"].error_only, 1);
    }
}
