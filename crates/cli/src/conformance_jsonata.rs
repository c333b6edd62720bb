//! `statebox conformance` on a file in the JSONata reference suite's format (one case a line:
//! `expr` or `expr-file`, `data` or `dataset`, `bindings`, and one of `result`,
//! `undefinedResult` or `code`; datasets are `<name>.json` files in `--datasets DIR`,
//! by default the `datasets` folder beside the file). Every line is read and every dataset
//! found before any case runs, so bad input is an error naming the file and line; then each
//! case runs through `statebox_jsonata::suite` and the report has the ASL mode's shape: a
//! line per case that did not pass with its reason, counts per group (the id before `/`),
//! and `N passed, N failed`.

use crate::error::CliError;
use serde_json::{json, Value};
use statebox_jsonata::suite::{parse_case, run_case, Case, Input, Outcome};
use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Reasons longer than this are cut in the printed lines (the JSON report keeps them whole).
const REASON_CHARS: usize = 300;

/// The cases of a suite file with their line numbers, and their datasets' text by name.
pub struct Suite {
    pub cases: Vec<(usize, Case)>,
    datasets: HashMap<String, String>,
    dir: PathBuf,
}

/// Reads every case of `text` (the contents of `file`) and every dataset they name from
/// `datasets`; the first problem is an error naming the file and line.
pub fn load(file: &Path, text: &str, datasets: &Path) -> Result<Suite, CliError> {
    let bad = |message: String| CliError::Input {
        path: file.display().to_string(),
        message,
    };
    let mut suite = Suite {
        cases: Vec::new(),
        datasets: HashMap::new(),
        dir: datasets.to_path_buf(),
    };
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let number = i + 1;
        let case = parse_case(line, number).map_err(bad)?;
        if let Input::Dataset(name) = &case.input {
            let file_name = format!("{name}.json");
            if let std::collections::hash_map::Entry::Vacant(slot) =
                suite.datasets.entry(file_name.clone())
            {
                let path = datasets.join(&file_name);
                let data = std::fs::read_to_string(&path).map_err(|e| {
                    bad(format!(
                        "line {number} ({}): dataset \"{name}\": cannot read {}: {e} (--datasets DIR sets the folder)",
                        case.id,
                        path.display()
                    ))
                })?;
                if let Err(e) = serde_json::from_str::<Value>(&data) {
                    return Err(bad(format!(
                        "line {number} ({}): dataset \"{name}\": {} is not JSON: {e}",
                        case.id,
                        path.display()
                    )));
                }
                slot.insert(data);
            }
        }
        suite.cases.push((number, case));
    }
    Ok(suite)
}

impl Suite {
    /// Runs every case in order. A case that panicked the engine fails with the panic's text
    /// rather than ending the run.
    pub fn run(&self) -> Vec<Outcome> {
        let mut load = |name: &str| -> Result<String, String> {
            match self.datasets.get(name) {
                Some(text) => Ok(text.clone()),
                // Expression files (`expr-file`) are read when a case needs one; a missing
                // one fails that case, as the suite runner reports it.
                None => std::fs::read_to_string(self.dir.join(name))
                    .map_err(|e| format!("{}: {e}", self.dir.join(name).display())),
            }
        };
        self.cases
            .iter()
            .map(|(_, case)| {
                catch_unwind(AssertUnwindSafe(|| run_case(case, &mut load))).unwrap_or_else(
                    |panic| Outcome {
                        id: case.id.clone(),
                        pass: false,
                        reason: format!("the engine panicked: {}", panic_text(&*panic)),
                    },
                )
            })
            .collect()
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

/// Counts per group (the id before its first `/`) and for `all`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GroupCount {
    pub total: usize,
    pub pass: usize,
    pub fail: usize,
}

pub fn per_group(outcomes: &[Outcome]) -> BTreeMap<String, GroupCount> {
    let mut groups: BTreeMap<String, GroupCount> = BTreeMap::new();
    for o in outcomes {
        let group = o.id.split_once('/').map_or("(none)", |(g, _)| g);
        for name in [group, "all"] {
            let c = groups.entry(name.to_string()).or_default();
            c.total += 1;
            if o.pass {
                c.pass += 1;
            } else {
                c.fail += 1;
            }
        }
    }
    groups
}

/// The printed report: a line per case that did not pass, then the table of groups.
pub fn report_text(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes.iter().filter(|o| !o.pass) {
        let mut reason: String = o.reason.chars().take(REASON_CHARS).collect();
        if o.reason.chars().count() > REASON_CHARS {
            reason.push('…');
        }
        out.push_str(&format!("FAIL {}: {reason}\n", o.id));
    }
    out.push_str("\ngroup                                total  pass  fail\n");
    for (group, c) in per_group(outcomes) {
        out.push_str(&format!(
            "{group:<36} {:>5} {:>5} {:>5}\n",
            c.total, c.pass, c.fail
        ));
    }
    out
}

/// The `--report` JSON: `[{"id", "pass", "reason"}]`, as the ASL mode writes it.
pub fn report_json(outcomes: &[Outcome]) -> String {
    let cases: Vec<Value> = outcomes
        .iter()
        .map(|o| json!({"id": o.id, "pass": o.pass, "reason": o.reason}))
        .collect();
    serde_json::to_string_pretty(&cases).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the system's temporary one.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "statebox-cli-jsonata-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("datasets")).unwrap();
        dir
    }

    #[test]
    fn runs_cases_with_datasets_and_counts_groups() {
        let dir = scratch("run");
        std::fs::write(dir.join("datasets/d1.json"), r#"{"a": {"b": [1, 2, 3]}}"#).unwrap();
        let text = [
            r#"{"id": "paths/one", "expr": "$sum(a.b)", "dataset": "d1", "bindings": {}, "result": 6}"#,
            "",
            r#"{"id": "paths/two", "expr": "a.c", "dataset": "d1", "bindings": {}, "undefinedResult": true}"#,
            r#"{"id": "errors/one", "expr": "1 + 'x'", "dataset": null, "bindings": {}, "code": "T2002"}"#,
            r#"{"id": "errors/wrong", "expr": "$x", "data": null, "bindings": {"x": 5}, "result": 6}"#,
        ]
        .join("\n");
        let suite = load(&dir.join("cases.jsonl"), &text, &dir.join("datasets")).unwrap();
        assert_eq!(
            suite.cases.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            [1, 3, 4, 5]
        );
        let outcomes = suite.run();
        let passed: Vec<bool> = outcomes.iter().map(|o| o.pass).collect();
        assert_eq!(passed, [true, true, true, false]);
        let groups = per_group(&outcomes);
        assert_eq!(
            groups["errors"],
            GroupCount {
                total: 2,
                pass: 1,
                fail: 1
            }
        );
        assert_eq!(groups["all"].total, 4);
        let text = report_text(&outcomes);
        assert!(
            text.starts_with("FAIL errors/wrong: expected 6, got 5\n"),
            "{text}"
        );
        let json: Value = serde_json::from_str(&report_json(&outcomes)).unwrap();
        assert_eq!(
            json[3],
            json!({"id": "errors/wrong", "pass": false, "reason": "expected 6, got 5"})
        );
    }

    #[test]
    fn bad_lines_and_missing_datasets_name_file_and_line() {
        let dir = scratch("bad");
        let file = dir.join("cases.jsonl");
        let ok = r#"{"id": "a/1", "expr": "1", "result": 1}"#;
        let error = |text: &str| {
            load(&file, text, &dir.join("datasets"))
                .err()
                .expect("an error")
                .to_string()
        };
        let e = error(&format!("{ok}\n{{\"expr\": "));
        assert!(
            e.starts_with(&format!("{}: line 2: not JSON", file.display())),
            "{e}"
        );
        let e = error(&format!("{ok}\n\n{{\"id\": \"a/2\", \"expr\": \"1\"}}"));
        assert!(
            e.contains("line 3 (a/2)") && e.contains("\"result\""),
            "{e}"
        );
        let e = error(r#"{"id": "a/3", "expr": "x", "dataset": "nowhere", "result": 1}"#);
        assert!(
            e.contains("line 1 (a/3): dataset \"nowhere\": cannot read")
                && e.contains("nowhere.json"),
            "{e}"
        );
        std::fs::write(dir.join("datasets/broken.json"), "{").unwrap();
        let e = error(r#"{"id": "a/4", "expr": "x", "dataset": "broken", "result": 1}"#);
        assert!(
            e.contains("line 1 (a/4): dataset \"broken\"") && e.contains("not JSON"),
            "{e}"
        );
    }

    #[test]
    fn a_missing_expression_file_fails_its_case_only() {
        let dir = scratch("exprfile");
        std::fs::write(dir.join("datasets/double.jsonata"), "$x * 2").unwrap();
        let text = [
            r#"{"id": "g/1", "expr-file": "double.jsonata", "bindings": {"x": 4}, "result": 8}"#,
            r#"{"id": "g/2", "expr-file": "absent.jsonata", "result": 1}"#,
        ]
        .join("\n");
        let suite = load(&dir.join("c.jsonl"), &text, &dir.join("datasets")).unwrap();
        let outcomes = suite.run();
        assert!(outcomes[0].pass, "{:?}", outcomes[0]);
        assert!(!outcomes[1].pass && outcomes[1].reason.contains("expression file"));
    }
}
