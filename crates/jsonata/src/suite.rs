//! The JSONata reference suite's case format (one JSON object a line: `expr` or `expr-file`,
//! `data` or `dataset`, `bindings`, optional `depth` and `timelimit`, and one outcome:
//! `result`, `undefinedResult`, `code`, or `error.code`) and a runner over it. Files are read
//! through the caller's loader, so this module does no I/O.

use crate::query::{Environment, Limits, Query};
use serde_json::{Map, Value};

/// What a case expects.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    Value { value: Value, unordered: bool },
    Undefined,
    Error(String),
}

/// One case of the suite.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: String,
    /// The expression, or the name of the file that holds it.
    pub expr: Source,
    /// Inline input, a dataset's name, or none (undefined input).
    pub input: Input,
    pub bindings: Map<String, Value>,
    pub depth: Option<usize>,
    pub time_ms: Option<u64>,
    pub expected: Expected,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Text(String),
    File(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Inline(Value),
    Dataset(String),
    Undefined,
}

/// Reads a case from its line; the error says which line and what is wrong.
pub fn parse_case(line: &str, number: usize) -> Result<Case, String> {
    let case: Value =
        serde_json::from_str(line).map_err(|e| format!("line {number}: not JSON: {e}"))?;
    let field = |name: &str| case.get(name);
    let id = field("id")
        .and_then(Value::as_str)
        .map_or_else(|| format!("line-{number}"), str::to_string);
    let expr = match (field("expr"), field("expr-file")) {
        (Some(Value::String(text)), _) => Source::Text(text.clone()),
        (_, Some(Value::String(file))) => Source::File(file.clone()),
        _ => {
            return Err(format!(
                "line {number} ({id}): no \"expr\" or \"expr-file\" string"
            ))
        }
    };
    let input = match (field("data"), field("dataset")) {
        (Some(data), _) => Input::Inline(data.clone()),
        (_, Some(Value::String(name))) => Input::Dataset(name.clone()),
        _ => Input::Undefined,
    };
    let bindings = field("bindings")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let number_of = |name: &str| field(name).and_then(Value::as_u64);
    let code = field("code")
        .or_else(|| field("error").and_then(|e| e.get("code")))
        .and_then(Value::as_str);
    let expected = if let Some(value) = field("result") {
        Expected::Value {
            value: value.clone(),
            unordered: field("unordered").and_then(Value::as_bool) == Some(true),
        }
    } else if let Some(code) = code {
        Expected::Error(code.to_string())
    } else if field("undefinedResult").and_then(Value::as_bool) == Some(true) {
        Expected::Undefined
    } else {
        return Err(format!(
            "line {number} ({id}): no \"result\", \"undefinedResult\", \"code\" or \"error\""
        ));
    };
    Ok(Case {
        id,
        expr,
        input,
        bindings,
        depth: number_of("depth").map(|d| d as usize),
        time_ms: number_of("timelimit"),
        expected,
    })
}

/// How a case went.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub id: String,
    pub pass: bool,
    /// Why not, when it did not pass.
    pub reason: String,
}

/// Runs one case; `load` reads a dataset (`<name>.json`) or an expression file by name.
pub fn run_case(case: &Case, load: &mut dyn FnMut(&str) -> Result<String, String>) -> Outcome {
    let outcome = |pass: bool, reason: String| Outcome {
        id: case.id.clone(),
        pass,
        reason,
    };
    let expression = match &case.expr {
        Source::Text(text) => text.clone(),
        // The reference suite keeps expression files beside their group's cases.
        Source::File(name) => {
            let group = case.id.split('/').next().unwrap_or_default();
            match load(name).or_else(|_| load(&format!("{group}/{name}"))) {
                Ok(text) => text,
                Err(e) => return outcome(false, format!("expression file: {e}")),
            }
        }
    };
    let input = match &case.input {
        Input::Inline(value) => Some(value.clone()),
        Input::Dataset(name) => match load(&format!("{name}.json")).and_then(|text| {
            serde_json::from_str::<Value>(&text).map_err(|e| format!("{name}.json: {e}"))
        }) {
            Ok(value) => Some(value),
            Err(e) => return outcome(false, format!("dataset: {e}")),
        },
        Input::Undefined => None,
    };
    let mut environment = Environment::new();
    environment.bind_all(&case.bindings);
    let defaults = Limits::default();
    environment.limits(Limits {
        depth: case.depth.unwrap_or(defaults.depth),
        time_ms: case.time_ms.or(defaults.time_ms),
        sequence: defaults.sequence,
    });
    let got = Query::parse(&expression).and_then(|q| q.evaluate(input.as_ref(), &environment));
    match (&case.expected, got) {
        (Expected::Value { value, unordered }, Ok(Some(got))) => {
            if same(value, &got, *unordered) {
                outcome(true, String::new())
            } else {
                outcome(false, format!("expected {value}, got {got}"))
            }
        }
        (Expected::Undefined, Ok(None)) => outcome(true, String::new()),
        (Expected::Error(code), Err(e)) if e.code() == code => outcome(true, String::new()),
        (expected, got) => outcome(
            false,
            format!(
                "expected {}, got {}",
                describe(expected),
                match got {
                    Ok(Some(v)) => v.to_string(),
                    Ok(None) => "undefined".into(),
                    Err(e) => format!("error {e}"),
                }
            ),
        ),
    }
}

fn describe(expected: &Expected) -> String {
    match expected {
        Expected::Value { value, .. } => value.to_string(),
        Expected::Undefined => "undefined".into(),
        Expected::Error(code) => format!("error {code}"),
    }
}

/// JSON equality with numbers compared as numbers to 15 significant digits (`1` equals
/// `1.0`, and `90.57` the double sum `90.57000000000001`, as the reference suite's results
/// were written), and arrays as multisets at the top level when the case says its order is
/// unspecified.
pub fn same(expected: &Value, got: &Value, unordered: bool) -> bool {
    match (expected, got) {
        (Value::Number(a), Value::Number(b)) => match (a.as_f64(), b.as_f64()) {
            (Some(a), Some(b)) => a == b || format!("{a:.14e}") == format!("{b:.14e}"),
            _ => false,
        },
        (Value::Array(a), Value::Array(b)) if unordered => {
            let mut left: Vec<&Value> = b.iter().collect();
            a.len() == b.len()
                && a.iter().all(|x| {
                    left.iter()
                        .position(|y| same(x, y, false))
                        .map(|i| left.swap_remove(i))
                        .is_some()
                })
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y, false))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| same(v, w, false)))
        }
        _ => expected == got,
    }
}

/// Every case of a suite file: the outcomes in order, and the lines that are not cases.
pub fn run_file(
    text: &str,
    load: &mut dyn FnMut(&str) -> Result<String, String>,
) -> (Vec<Outcome>, Vec<String>) {
    let mut outcomes = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_case(line, i + 1) {
            Ok(case) => outcomes.push(run_case(&case, load)),
            Err(e) => problems.push(e),
        }
    }
    (outcomes, problems)
}

/// Whether `text` is in this format rather than the ASL cases' (its first case has an
/// `expr` or `expr-file`).
pub fn is_suite(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| serde_json::from_str::<Value>(l).ok())
        .is_some_and(|v| v.get("expr").is_some() || v.get("expr-file").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn no_files(name: &str) -> Result<String, String> {
        Err(format!("{name}: no files here"))
    }

    #[test]
    fn cases_of_each_outcome_run() {
        let lines = [
            r#"{"id": "a", "expr": "1 + 1", "bindings": {}, "result": 2}"#,
            r#"{"id": "b", "expr": "x", "data": {}, "undefinedResult": true}"#,
            r#"{"id": "c", "expr": "1 + 'a'", "code": "T2002"}"#,
            r#"{"id": "d", "expr": "$x * 2", "bindings": {"x": 4}, "error": {"code": "T0000"}}"#,
            r#"{"id": "e", "expr": "$reverse([1,2,3])", "result": [3,2,1], "unordered": true}"#,
        ];
        let (outcomes, problems) = run_file(&lines.join("\n"), &mut no_files);
        assert!(problems.is_empty());
        let passed: Vec<bool> = outcomes.iter().map(|o| o.pass).collect();
        assert_eq!(passed, [true, true, true, false, true]);
        assert!(
            outcomes[3].reason.contains("expected error T0000, got 8"),
            "{}",
            outcomes[3].reason
        );
    }

    #[test]
    fn bad_lines_say_where() {
        assert!(parse_case("{", 7).unwrap_err().starts_with("line 7"));
        let e = parse_case(r#"{"id": "x", "expr": "1"}"#, 3).unwrap_err();
        assert!(e.contains("line 3 (x)") && e.contains("result"), "{e}");
        assert!(is_suite(r#"{"expr": "1", "result": 1}"#));
        assert!(!is_suite(r#"{"definition": {}}"#));
    }

    #[test]
    fn numbers_compare_as_numbers() {
        assert!(same(
            &json!([1, {"a": 2.0}]),
            &json!([1.0, {"a": 2}]),
            false
        ));
        assert!(same(&json!(90.57), &json!(90.57000000000001), false));
        assert!(!same(&json!(90.57), &json!(90.5700000001), false));
        assert!(!same(&json!([1, 2]), &json!([2, 1]), false));
        assert!(same(&json!([1, 2]), &json!([2, 1]), true));
    }
}
