//! Robustness of `statebox-asl` against bad input: the project rule is "a clear error, never a
//! panic, a hang or lost data". This file proves, with proptest and fixed pathological cases:
//!
//! 1. `parse_definition` never panics on arbitrary strings, arbitrary JSON, random ASL-shaped
//!    documents and mutations of every real definition in the shared conformance cases
//!    (fields deleted, duplicated, swapped, retyped, renamed; text truncated on any char
//!    boundary; 10,000-deep arrays, objects and Parallel branches). Every diagnostic has a
//!    code, a message, a JSON-pointer-shaped pointer and a range inside the text; a valid
//!    definition stays valid however it is formatted.
//! 2. Every machine that parses without diagnostics runs to a final status through
//!    `Execution::step` (bounded number of steps) within AWS's 25,000-event cap, including
//!    pathological inputs (huge Map arrays, deep JSON, unicode, extreme numbers, payloads
//!    over 262,144 bytes, which must fail with `States.DataLimitExceeded`).
//! 3. `Intrinsic::parse` / `JsonPath::parse` never panic on arbitrary strings, parse 100 KB
//!    in well under a second, and `eval` / `select` / `write` never panic on arbitrary JSON.
//!
//! Inputs that once broke something are kept in `tests/robustness/regressions.jsonl` and
//! replayed by `regressions_replay`; proptest's own failure seeds go to
//! `tests/robustness/*.proptest-regressions`.

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{json, Map, Value};
use statebox_asl::definition::parse_value;
use statebox_asl::intrinsics::{Intrinsic, Random};
use statebox_asl::jsonpath::JsonPath;
use statebox_asl::limits::MAX_HISTORY_EVENTS;
use statebox_asl::{
    parse_definition, Execution, ExecutionOptions, ExecutionStatus, NoServices, Parsed,
    StateMachine,
};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Steps an execution may take before we call it a hang.
const MAX_STEPS: usize = 200_000;

fn config(cases: u32, file: &'static str) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// Shared inputs
// ---------------------------------------------------------------------------------------

/// One conformance case: its definition and its execution input.
struct Case {
    id: String,
    definition: Value,
    input: Value,
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every case of the shared conformance file, read once.
fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let path = manifest().join("../../../shared/conformance/asl/cases.jsonl");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("conformance cases missing at {}: {e}", path.display()));
        let cases: Vec<Case> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .map(|v| Case {
                id: v["id"].as_str().unwrap_or("").to_string(),
                definition: v["definition"].clone(),
                input: v.get("input").cloned().unwrap_or_else(|| json!({})),
            })
            .collect();
        assert!(cases.len() > 100, "only {} conformance cases", cases.len());
        cases
    })
}

/// A deterministic generator for building inputs from a proptest-chosen seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        // splitmix64: every seed (0 included) gives a good stream.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

impl Random for Gen {
    fn next_u64(&mut self) -> u64 {
        self.next()
    }
}

/// Awkward scalar values: extreme numbers, empty and unicode strings.
fn odd_scalars() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1e308),
        json!(-1e308),
        json!(-0.0),
        json!(1.5e-300),
        json!(f64::MIN_POSITIVE),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(2_147_483_648_i64),
        json!(0.1),
        json!(""),
        json!(" "),
        json!("x"),
        json!("é🦀\u{3000}\u{200b}"),
        json!("\u{0}\n\t\"\\"),
        json!("$"),
        json!("$.a"),
        json!("$$.Execution.Id"),
        json!("States.Format('{}', $.a)"),
        json!("S0"),
        json!("2016-03-14T01:59:00Z"),
        json!("arn:aws:states:::lambda:invoke"),
        json!([]),
        json!({}),
    ]
}

/// Field names ASL knows, used for renames and insertions.
const FIELDS: &[&str] = &[
    "Type",
    "Next",
    "End",
    "StartAt",
    "States",
    "Comment",
    "Version",
    "TimeoutSeconds",
    "QueryLanguage",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Result",
    "Resource",
    "Retry",
    "Catch",
    "ErrorEquals",
    "MaxAttempts",
    "IntervalSeconds",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Choices",
    "Default",
    "Variable",
    "StringEquals",
    "NumericEquals",
    "NumericLessThanPath",
    "BooleanEquals",
    "IsPresent",
    "And",
    "Or",
    "Not",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Branches",
    "ItemsPath",
    "ItemProcessor",
    "Iterator",
    "ItemSelector",
    "ProcessorConfig",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailureCount",
    "Label",
    "Error",
    "Cause",
    "ErrorPath",
    "CausePath",
    "HeartbeatSeconds",
    "Arguments",
    "Output",
    "Assign",
    "Items",
    "x.$",
    "",
];

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------

/// A JSON pointer: empty, or `/`-separated segments whose `~` escapes are `~0` or `~1`.
fn is_json_pointer(p: &str) -> bool {
    if p.is_empty() {
        return true;
    }
    if !p.starts_with('/') {
        return false;
    }
    let b = p.as_bytes();
    b.iter()
        .enumerate()
        .all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0') | Some(b'1')))
}

/// Checks every diagnostic of `parsed` against `text`.
fn check_parsed(text: &str, parsed: &Parsed) -> Result<(), String> {
    let lines: Vec<usize> = text.split('\n').map(|l| l.chars().count()).collect();
    if parsed.machine.is_none() && parsed.diagnostics.is_empty() {
        return Err("no machine and no diagnostic".into());
    }
    for d in &parsed.diagnostics {
        if d.code.is_empty() || d.message.is_empty() {
            return Err(format!("empty code or message: {d:?}"));
        }
        if !is_json_pointer(&d.pointer) {
            return Err(format!("bad pointer {:?} in {d:?}", d.pointer));
        }
        if let Some(r) = d.range {
            for p in [r.start, r.end] {
                let line_ok = p.line >= 1 && (p.line as usize) <= lines.len() + 1;
                // A column may sit one past the line's last character (end of line / EOF).
                let col_ok = p.column >= 1
                    && lines
                        .get(p.line as usize - 1)
                        .is_none_or(|&n| (p.column as usize) <= n + 1);
                if !line_ok || !col_ok {
                    return Err(format!(
                        "range {r:?} outside the text ({} lines) in {d:?}",
                        lines.len()
                    ));
                }
            }
            if r.start > r.end {
                return Err(format!("range ends before it starts: {d:?}"));
            }
        }
    }
    Ok(())
}

/// Parses `text` and checks the diagnostics; returns what was parsed.
fn parse_checked(text: &str) -> Result<Parsed, TestCaseError> {
    let parsed = parse_definition(text);
    check_parsed(text, &parsed)
        .map_err(|e| TestCaseError::fail(format!("{e}\n--- text ---\n{}", clip(text, 2000))))?;
    Ok(parsed)
}

fn clip(s: &str, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let mut cut = n;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…({} bytes)", &s[..cut], s.len())
}

/// Runs `machine` on `input` with `step` at most [`MAX_STEPS`] times; checks it finished
/// within the history cap and returns the final status.
fn run_bounded(machine: &StateMachine, input: Value) -> Result<ExecutionStatus, String> {
    run_capped(machine, input, None)
}

/// [`run_bounded`] with a lower history cap (same code path, cheaper loops).
fn run_capped(
    machine: &StateMachine,
    input: Value,
    max_history_events: Option<usize>,
) -> Result<ExecutionStatus, String> {
    let options = ExecutionOptions {
        max_history_events,
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::start(machine, input, options);
    let mut services = NoServices;
    let mut steps = 0;
    while steps < MAX_STEPS && exec.step(&mut services) {
        steps += 1;
    }
    let status = exec.status().clone();
    if status == ExecutionStatus::Running {
        return Err(format!(
            "still running after {steps} steps and {} events",
            exec.history().len()
        ));
    }
    if exec.history().len() > MAX_HISTORY_EVENTS {
        return Err(format!(
            "{} history events, over the cap of {MAX_HISTORY_EVENTS}",
            exec.history().len()
        ));
    }
    Ok(status)
}

/// Parses, and when valid and supported, runs; every failure is a test failure.
fn parse_and_maybe_run(text: &str, input: &Value) -> Result<(), TestCaseError> {
    parse_and_maybe_run_capped(text, input, None)
}

fn parse_and_maybe_run_capped(
    text: &str,
    input: &Value,
    cap: Option<usize>,
) -> Result<(), TestCaseError> {
    let parsed = parse_checked(text)?;
    if let (true, Some(m)) = (parsed.diagnostics.is_empty(), &parsed.machine) {
        run_capped(m, input.clone(), cap).map_err(|e| {
            TestCaseError::fail(format!("{e}\n--- definition ---\n{}", clip(text, 4000)))
        })?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------

fn arb_key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(FIELDS).prop_map(str::to_string),
        1 => ".{0,8}",
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        proptest::sample::select(odd_scalars()),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        ".{0,12}".prop_map(Value::String),
        "[a-z$.@\\[\\]'()*?:0-9 ]{0,10}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((arb_key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Strings made of JSON/ASL tokens, so the scanner gets deep into its grammar.
fn arb_json_soup() -> impl Strategy<Value = String> {
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "\\",
        "\\u",
        "\\ud800",
        "\\u00e9",
        "null",
        "true",
        "fals",
        "-",
        "0",
        "1e999",
        "1.",
        ".5",
        "-0",
        "1e-400",
        " ",
        "\n",
        "\r\n",
        "\t",
        "é",
        "🦀",
        "\u{feff}",
        "\u{0}",
        "\"Type\"",
        "\"Pass\"",
        "\"StartAt\"",
        "\"States\"",
        "\"End\"",
        "\"Next\"",
        "\"S\"",
        "/*",
        "//",
        "'",
        "NaN",
        "Infinity",
    ];
    prop::collection::vec(proptest::sample::select(TOKENS), 0..64).prop_map(|t| t.concat())
}

// ---------------------------------------------------------------------------------------
// Mutations of real definitions
// ---------------------------------------------------------------------------------------

/// JSON pointers (as segment lists) of every node in `v`.
fn nodes(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                at.push(k.clone());
                nodes(c, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                at.push(i.to_string());
                nodes(c, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut cur = v;
    for seg in path {
        cur = match cur {
            Value::Object(m) => m.get_mut(seg)?,
            Value::Array(a) => a.get_mut(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// State names that appear anywhere in a definition (keys of any `States` object).
fn state_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                if k == "States" {
                    if let Some(s) = c.as_object() {
                        out.extend(s.keys().cloned());
                    }
                }
                state_names(c, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| state_names(c, out)),
        _ => {}
    }
}

/// Applies one random structural mutation to `def`.
fn mutate(def: &mut Value, g: &mut Gen) {
    let mut all = Vec::new();
    nodes(def, &mut Vec::new(), &mut all);
    let mut names = Vec::new();
    state_names(def, &mut names);
    let target = g.pick(&all).clone();
    match g.below(7) {
        // Delete the node.
        0 => {
            if let Some((last, parent)) = target.split_last() {
                match node_mut(def, parent) {
                    Some(Value::Object(m)) => {
                        m.shift_remove(last);
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(i) = last.parse::<usize>() {
                            if i < a.len() {
                                a.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        // Replace by an odd scalar or an existing state name.
        1 => {
            let scalars = odd_scalars();
            let new = if !names.is_empty() && g.chance(3) {
                Value::String(g.pick(&names).clone())
            } else {
                g.pick(&scalars).clone()
            };
            if let Some(n) = node_mut(def, &target) {
                *n = new;
            }
        }
        // Swap two nodes' values.
        2 => {
            let other = g.pick(&all).clone();
            let a = node_mut(def, &target).map(|n| n.clone());
            let b = node_mut(def, &other).map(|n| n.clone());
            if let (Some(a), Some(b)) = (a, b) {
                // Skip swaps of a node with its own ancestor/descendant.
                if !target.starts_with(&other) && !other.starts_with(&target) {
                    if let Some(n) = node_mut(def, &target) {
                        *n = b;
                    }
                    if let Some(n) = node_mut(def, &other) {
                        *n = a;
                    }
                }
            }
        }
        // Rename a member.
        3 => {
            if let Some((last, parent)) = target.split_last() {
                let name = g.pick(FIELDS).to_string();
                if let Some(Value::Object(m)) = node_mut(def, parent) {
                    if let Some(v) = m.shift_remove(last) {
                        m.insert(name, v);
                    }
                }
            }
        }
        // Insert a known field with an odd value or a copy of another node.
        4 => {
            let name = g.pick(FIELDS).to_string();
            let scalars = odd_scalars();
            let value = if g.chance(2) {
                g.pick(&scalars).clone()
            } else {
                let other = g.pick(&all).clone();
                node_mut(def, &other)
                    .map(|n| n.clone())
                    .unwrap_or(Value::Null)
            };
            if let Some(Value::Object(m)) = node_mut(def, &target) {
                m.insert(name, value);
            }
        }
        // Wrap the node in an array or an object (type change one level up).
        5 => {
            if let Some(n) = node_mut(def, &target) {
                let inner = n.take();
                *n = if g.chance(2) {
                    json!([inner])
                } else {
                    json!({ "Type": inner })
                };
            }
        }
        // Point a transition at another (possibly earlier, possibly missing) state.
        _ => {
            let fields = ["Next", "Default", "StartAt"];
            let transitions: Vec<&Vec<String>> = all
                .iter()
                .filter(|p| p.last().is_some_and(|l| fields.contains(&l.as_str())))
                .collect();
            if !transitions.is_empty() {
                let t = (*g.pick(&transitions)).clone();
                let new = if !names.is_empty() && !g.chance(4) {
                    g.pick(&names).clone()
                } else {
                    "Nowhere".to_string()
                };
                if let Some(n) = node_mut(def, &t) {
                    *n = Value::String(new);
                }
            }
        }
    }
}

/// Serializes `v` with `ws` around every punctuation mark, writing the member at `dup`
/// (object path + key) twice.
fn write_with_duplicate(
    v: &Value,
    at: &mut Vec<String>,
    dup: &[String],
    ws: &str,
    out: &mut String,
) {
    match v {
        Value::Object(m) => {
            out.push('{');
            let mut first = true;
            for (k, c) in m {
                at.push(k.clone());
                let times = if at.as_slice() == dup { 2 } else { 1 };
                for _ in 0..times {
                    if !first {
                        out.push(',');
                        out.push_str(ws);
                    }
                    first = false;
                    out.push_str(&serde_json::to_string(k).unwrap_or_default());
                    out.push_str(ws);
                    out.push(':');
                    out.push_str(ws);
                    write_with_duplicate(c, at, dup, ws, out);
                }
                at.pop();
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, c) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    out.push_str(ws);
                }
                at.push(i.to_string());
                write_with_duplicate(c, at, dup, ws, out);
                at.pop();
            }
            out.push(']');
        }
        _ => out.push_str(&serde_json::to_string(v).unwrap_or_default()),
    }
}

/// A mutated text of a conformance definition.
fn mutated_text(case: &Case, seed: u64, rounds: usize) -> String {
    let mut g = Gen(seed);
    let mut def = case.definition.clone();
    for _ in 0..rounds {
        mutate(&mut def, &mut g);
    }
    let mut text = match g.below(4) {
        0 => serde_json::to_string_pretty(&def).unwrap_or_default(),
        1 => {
            let mut all = Vec::new();
            nodes(&def, &mut Vec::new(), &mut all);
            let dup = g.pick(&all).clone();
            let mut out = String::new();
            write_with_duplicate(&def, &mut Vec::new(), &dup, "", &mut out);
            out
        }
        _ => serde_json::to_string(&def).unwrap_or_default(),
    };
    if g.chance(4) {
        let mut cut = g.below(text.len() + 1);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

// ---------------------------------------------------------------------------------------
// Random machines built from a seed (for running)
// ---------------------------------------------------------------------------------------

const PATHS: &[&str] = &[
    "$",
    "$.a",
    "$.n",
    "$.s",
    "$.items",
    "$.items[0]",
    "$.a.b[1]",
    "$..x",
    "$.items[*]",
    "$.items[?(@ > 1)]",
    "$$.Execution.Input",
    "$$.State.Name",
    "$$.Map.Item.Value",
];

const INTRINSICS: &[&str] = &[
    "States.Format('{} {}', $.s, $.n)",
    "States.StringToJson($.s)",
    "States.JsonToString($)",
    "States.Array($.n, $.s, $.items)",
    "States.ArrayPartition($.items, 2)",
    "States.ArrayContains($.items, $.n)",
    "States.ArrayRange(1, $.n, 1)",
    "States.ArrayGetItem($.items, $.n)",
    "States.ArrayLength($.items)",
    "States.ArrayUnique($.items)",
    "States.Base64Encode($.s)",
    "States.Base64Decode($.s)",
    "States.Hash($.s, 'SHA-256')",
    "States.JsonMerge($.a, $.a, false)",
    "States.MathRandom(1, $.n)",
    "States.MathAdd($.n, $.n)",
    "States.StringSplit($.s, ',')",
    "States.UUID()",
];

fn small_value(g: &mut Gen) -> Value {
    let scalars = odd_scalars();
    match g.below(4) {
        0 => json!({"x": g.pick(&scalars).clone(), "y": [1, "two", null]}),
        1 => json!([g.pick(&scalars).clone(), g.pick(&scalars).clone()]),
        _ => g.pick(&scalars).clone(),
    }
}

/// Reference paths (one node, no wildcard or filter): what ResultPath and `...Path` take.
const REF_PATHS: &[&str] = &[
    "$",
    "$.a",
    "$.n",
    "$.s",
    "$.t",
    "$.items[0]",
    "$.a.b[1]",
    "$.x.y",
];

fn ref_path_or_null(g: &mut Gen) -> Value {
    if g.chance(6) {
        Value::Null
    } else {
        json!(g.pick(REF_PATHS))
    }
}

fn path_or_null(g: &mut Gen) -> Value {
    if g.chance(6) {
        Value::Null
    } else {
        json!(g.pick(PATHS))
    }
}

fn template(g: &mut Gen) -> Value {
    let mut m = Map::new();
    for i in 0..g.below(4) {
        match g.below(3) {
            0 => m.insert(format!("p{i}.$"), json!(g.pick(PATHS))),
            1 => m.insert(format!("f{i}.$"), json!(g.pick(INTRINSICS))),
            _ => m.insert(format!("c{i}"), small_value(g)),
        };
    }
    Value::Object(m)
}

fn choice_rule(g: &mut Gen, next: Option<&str>, depth: usize) -> Value {
    let mut rule = match (depth < 2, g.below(8)) {
        (true, 0) => {
            json!({"And": [choice_rule(g, None, depth + 1), choice_rule(g, None, depth + 1)]})
        }
        (true, 1) => json!({"Not": choice_rule(g, None, depth + 1)}),
        (_, 2) => json!({"Variable": g.pick(PATHS), "IsPresent": true}),
        (_, 3) => json!({"Variable": g.pick(PATHS), "StringMatches": "*a*\\*"}),
        (_, 4) => json!({"Variable": g.pick(PATHS), "NumericLessThanPath": g.pick(PATHS)}),
        (_, 5) => json!({"Variable": g.pick(PATHS), "TimestampLessThan": "2016-03-14T01:59:00Z"}),
        (_, 6) => json!({"Variable": g.pick(PATHS), "IsNumeric": false}),
        _ => {
            let n = *g.pick(&[0.0, -0.0, 1e308, 1.5e-300, -1.0, 2.0]);
            json!({"Variable": g.pick(PATHS), "NumericEquals": n})
        }
    };
    if let (Some(next), Some(m)) = (next, rule.as_object_mut()) {
        m.insert("Next".into(), json!(next));
    }
    rule
}

/// A random machine (`StartAt` + `States`), nested Parallel/Map up to `depth` 2. Every state
/// flows to the next one; Choice, Catch and a few Nexts jump anywhere (loops included).
fn random_machine(g: &mut Gen, depth: usize) -> Value {
    let n = 1 + g.below(6);
    // Names are unique across nested scopes, as ASL requires.
    let scope = g.next() % 1_000_000;
    let names: Vec<String> = (0..n).map(|i| format!("S{scope}_{i}")).collect();
    let mut states = Map::new();
    for i in 0..n {
        let anywhere = g.pick(&names).clone();
        let follow = names.get(i + 1).cloned();
        // Only the last state may loop back by `Next` (other states must stay reachable);
        // Choice rules and Catch jump anywhere.
        let last = i + 1 == n;
        let next = if last && g.chance(10) {
            Some(anywhere.clone())
        } else {
            follow.clone()
        };
        let kinds = if depth < 2 { 8 } else { 6 };
        let mut kind = g.below(kinds);
        if !last && (kind == 3 || kind == 4) {
            kind = 0;
        }
        if last && kind == 2 && g.chance(2) {
            kind = 3;
        }
        let mut s = match kind {
            0 => {
                let mut s = json!({"Type": "Pass"});
                if g.chance(2) {
                    s["Result"] = small_value(g);
                }
                if g.chance(2) {
                    s["Parameters"] = template(g);
                }
                s
            }
            1 => match g.below(4) {
                0 => json!({"Type": "Wait", "Seconds": g.pick(&[0, 1, 31_536_000, 99_999_999])}),
                1 => json!({"Type": "Wait", "SecondsPath": g.pick(REF_PATHS)}),
                2 => json!({"Type": "Wait", "TimestampPath": g.pick(REF_PATHS)}),
                _ => json!({"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z"}),
            },
            2 => {
                let choices: Vec<Value> = (0..1 + g.below(3))
                    .map(|_| {
                        let target = g.pick(&names).clone();
                        choice_rule(g, Some(&target), 0)
                    })
                    .collect();
                let mut s = json!({"Type": "Choice", "Choices": choices});
                if let Some(f) = &follow {
                    s["Default"] = json!(f);
                }
                states.insert(names[i].clone(), s);
                continue;
            }
            3 => {
                states.insert(names[i].clone(), json!({"Type": "Succeed"}));
                continue;
            }
            4 => {
                let s = if g.chance(2) {
                    json!({"Type": "Fail", "Error": "E", "Cause": "c"})
                } else {
                    json!({"Type": "Fail", "ErrorPath": g.pick(REF_PATHS), "CausePath": g.pick(REF_PATHS)})
                };
                states.insert(names[i].clone(), s);
                continue;
            }
            5 => {
                let mut s = json!({
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": template(g),
                });
                if g.chance(2) {
                    s["Retry"] = json!([{
                        "ErrorEquals": ["States.ALL"],
                        "MaxAttempts": g.pick(&[0, 1, 3, 99_999_999]),
                        "IntervalSeconds": g.pick(&[1, 60, 99_999_999]),
                        "BackoffRate": g.pick(&[1.0, 2.0, 1e10]),
                    }]);
                }
                if g.chance(2) {
                    s["Catch"] = json!([{
                        "ErrorEquals": ["States.ALL"],
                        "Next": anywhere,
                        "ResultPath": ref_path_or_null(g),
                    }]);
                }
                s
            }
            6 => {
                let branches: Vec<Value> = (0..1 + g.below(3))
                    .map(|_| random_machine(g, depth + 1))
                    .collect();
                json!({"Type": "Parallel", "Branches": branches})
            }
            _ => {
                let mut s = json!({
                    "Type": "Map",
                    "ItemsPath": g.pick(&["$.items", "$", "$.a", "$.n"]),
                    "MaxConcurrency": g.pick(&[0, 1, 2]),
                    "ItemProcessor": random_machine(g, depth + 1),
                });
                if g.chance(3) {
                    s["ItemSelector"] = template(g);
                }
                s
            }
        };
        if g.chance(6) {
            s["InputPath"] = path_or_null(g);
        }
        if g.chance(6) {
            s["OutputPath"] = path_or_null(g);
        }
        if g.chance(6) && s["Type"] != "Wait" {
            s["ResultPath"] = ref_path_or_null(g);
        }
        match next {
            Some(n) => s["Next"] = json!(n),
            None => s["End"] = json!(true),
        }
        states.insert(names[i].clone(), s);
    }
    let mut m = json!({"StartAt": names[0], "States": states});
    if depth == 0 && g.chance(4) {
        m["TimeoutSeconds"] = json!(g.pick(&[1, 3600, 31_536_000]));
    }
    m
}

fn random_input(g: &mut Gen) -> Value {
    let len = *g.pick(&[0, 1, 3, 50, 300]);
    let items: Vec<Value> = (0..len)
        .map(|i| {
            if g.chance(2) {
                json!(i)
            } else {
                small_value(g)
            }
        })
        .collect();
    json!({
        "items": items,
        "a": small_value(g),
        "n": g.pick(&odd_scalars()).clone(),
        "s": g.pick(&["", "a,b,c", "{\"x\":1}", "é🦀", "aGVsbG8=", "2016-03-14T01:59:00Z"]),
        "x": small_value(g),
    })
}

// ---------------------------------------------------------------------------------------
// 1. Parsing definitions
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256, "tests/robustness/parse_arbitrary.proptest-regressions"))]

    #[test]
    fn parse_arbitrary_strings(text in ".{0,200}") {
        parse_checked(&text)?;
    }

    #[test]
    fn parse_token_soup(text in arb_json_soup()) {
        parse_checked(&text)?;
    }

    #[test]
    fn parse_arbitrary_json(v in arb_json(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&v).unwrap()
        } else {
            serde_json::to_string(&v).unwrap()
        };
        parse_checked(&text)?;
        // Also as a machine-shaped document.
        let doc = json!({"StartAt": "A", "States": {"A": v}});
        parse_checked(&serde_json::to_string(&doc).unwrap())?;
    }
}

proptest! {
    #![proptest_config(config(256, "tests/robustness/mutations.proptest-regressions"))]

    /// Mutated conformance definitions parse with sane diagnostics, and when still valid,
    /// run to a final status.
    #[test]
    fn mutated_conformance_definitions(index in any::<usize>(), seed in any::<u64>(), rounds in 1usize..4) {
        let all = cases();
        let case = &all[index % all.len()];
        let text = mutated_text(case, seed, rounds);
        parse_and_maybe_run(&text, &case.input)
            .map_err(|e| TestCaseError::fail(format!("case {}: {e}", case.id)))?;
    }

    /// Random ASL-shaped machines parse, and the valid ones run to a final status.
    #[test]
    fn random_machines_terminate(seed in any::<u64>()) {
        let mut g = Gen(seed);
        let machine = random_machine(&mut g, 0);
        let input = random_input(&mut g);
        let text = serde_json::to_string_pretty(&machine).unwrap();
        // A 2,000-event cap: the same termination code as AWS's 25,000, 12x cheaper loops
        // (`infinite_loops_stop_at_the_history_cap` runs the real cap).
        parse_and_maybe_run_capped(&text, &input, Some(2_000))?;
    }
}

/// Every conformance definition: sane diagnostics, and a definition valid in one
/// formatting is valid in any (compact, pretty, members reversed, extra whitespace).
#[test]
fn conformance_definitions_are_stable_under_reformatting() {
    let mut valid = 0;
    for case in cases() {
        let compact = serde_json::to_string(&case.definition).unwrap();
        let parsed = parse_definition(&compact);
        check_parsed(&compact, &parsed).unwrap_or_else(|e| panic!("{}: {e}", case.id));
        if !parsed.is_valid() {
            continue;
        }
        valid += 1;
        let reversed = reverse_members(&case.definition);
        let mut spaced = String::new();
        write_with_duplicate(
            &case.definition,
            &mut Vec::new(),
            &[],
            " \r\n\t ",
            &mut spaced,
        );
        for text in [
            serde_json::to_string_pretty(&case.definition).unwrap(),
            serde_json::to_string_pretty(&reversed).unwrap(),
            spaced,
        ] {
            let p = parse_definition(&text);
            check_parsed(&text, &p).unwrap_or_else(|e| panic!("{}: {e}", case.id));
            assert!(
                p.is_valid(),
                "{}: valid compact, but reformatted gives {:?}",
                case.id,
                p.diagnostics
            );
        }
    }
    assert!(
        valid > 100,
        "only {valid} conformance definitions are valid"
    );
}

fn reverse_members(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .rev()
                .map(|(k, c)| (k.clone(), reverse_members(c)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(reverse_members).collect()),
        other => other.clone(),
    }
}

/// Every conformance definition, truncated at each of 64 spread char boundaries.
#[test]
fn conformance_definitions_truncated_anywhere() {
    for case in cases() {
        let text = serde_json::to_string_pretty(&case.definition).unwrap();
        let step = (text.len() / 64).max(1);
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                let t = &text[..cut];
                let p = parse_definition(t);
                check_parsed(t, &p).unwrap_or_else(|e| panic!("{} cut {cut}: {e}", case.id));
                assert!(p.machine.is_none(), "{} cut at {cut} still parsed", case.id);
            }
            cut += step;
        }
    }
}

/// Nested `Parallel` branches, `depth` levels deep, as text.
fn nested_parallel(depth: usize) -> String {
    let mut s = String::new();
    for _ in 0..depth {
        s.push_str(r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":["#);
    }
    s.push_str(r#"{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}"#);
    for _ in 0..depth {
        s.push_str("]}}}");
    }
    s
}

/// Nested `Map` processors, `depth` levels deep, as text.
fn nested_map(depth: usize) -> String {
    let mut s = String::new();
    for _ in 0..depth {
        s.push_str(r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":"#);
    }
    s.push_str(r#"{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}"#);
    for _ in 0..depth {
        s.push_str("}}}");
    }
    s
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let n = 10_000;
    let texts = [
        format!("{}{}", "[".repeat(n), "]".repeat(n)),
        format!("{}{}", "[".repeat(n), ""),
        format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n)),
        format!(
            "{{\"StartAt\":\"A\",\"States\":{{\"A\":{}}}}}",
            "[".repeat(n)
        ),
        nested_parallel(n),
        nested_map(n),
    ];
    for text in &texts {
        let started = Instant::now();
        let p = parse_checked(text).unwrap();
        assert!(!p.diagnostics.is_empty(), "{}", clip(text, 200));
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{}",
            clip(text, 200)
        );
    }
}

#[test]
fn nesting_around_the_limits() {
    // 33 and 80 levels stay under the scanner's depth limit, so the builder and the
    // validator see them: too deep must be a diagnostic, never a crash.
    for depth in [1, 2, 31, 32, 33, 40, 80] {
        for (text, parallel) in [(nested_parallel(depth), true), (nested_map(depth), false)] {
            let p = parse_checked(&text).unwrap();
            if let (true, Some(m)) = (p.diagnostics.is_empty(), &p.machine) {
                let status = run_bounded(m, json!([[[1]]])).unwrap();
                assert!(
                    !parallel || matches!(status, ExecutionStatus::Succeeded { .. }),
                    "depth {depth}: {status:?}"
                );
            }
        }
    }
}

/// Values deeper than any text the scanner accepts, handed straight to `parse_value`.
#[test]
fn parse_value_on_deep_values() {
    let mut deep_array = json!(1);
    for _ in 0..10_000 {
        deep_array = Value::Array(vec![deep_array]);
    }
    let _ = parse_value(&deep_array);
    let mut pass = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
    pass["States"]["A"]["Result"] = deep_array;
    let _ = parse_value(&pass);
    forget_deep(pass);
    // Built by hand: `json!` would serialize (recursively) what it embeds.
    let mut branch = json!({"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}});
    for _ in 0..10_000 {
        let mut p = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": []}}});
        p["States"]["P"]["Branches"] = Value::Array(vec![branch]);
        branch = p;
    }
    let p = parse_value(&branch);
    assert!(!p.diagnostics.is_empty());
    forget_deep(branch);
}

/// Drops a deep value iteratively (serde_json's recursive drop is not what is under test).
fn forget_deep(v: Value) {
    let mut stack = vec![v];
    while let Some(mut v) = stack.pop() {
        match &mut v {
            Value::Array(a) => stack.append(a),
            Value::Object(m) => {
                let keys: Vec<String> = m.keys().cloned().collect();
                for k in keys {
                    if let Some(c) = m.shift_remove(&k) {
                        stack.push(c);
                    }
                }
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// 2. Running with pathological inputs
// ---------------------------------------------------------------------------------------

fn machine(def: Value) -> StateMachine {
    let text = serde_json::to_string(&def).unwrap();
    let p = parse_definition(&text);
    assert!(p.is_valid(), "{:?}", p.diagnostics);
    p.machine.unwrap()
}

fn pass_machine() -> StateMachine {
    machine(json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}))
}

fn failed_with(status: &ExecutionStatus, error: &str) -> bool {
    matches!(status, ExecutionStatus::Failed { error: Some(e), .. } if e == error)
}

#[test]
fn conformance_definitions_run_to_an_end() {
    let mut ran = 0;
    for case in cases() {
        let p = parse_value(&case.definition);
        let Some(m) = p.machine.filter(|_| p.diagnostics.is_empty()) else {
            continue;
        };
        run_bounded(&m, case.input.clone()).unwrap_or_else(|e| panic!("{}: {e}", case.id));
        ran += 1;
    }
    assert!(ran > 100, "only {ran} ran");
}

#[test]
fn oversized_payloads_fail_with_data_limit_exceeded() {
    let big = "x".repeat(300 * 1024);
    // Input over the limit.
    let s = run_bounded(&pass_machine(), json!({ "s": big })).unwrap();
    assert!(failed_with(&s, "States.DataLimitExceeded"), "{s:?}");
    // Input under the limit, output over it (Parameters doubles it).
    let half = "y".repeat(140 * 1024);
    let m = machine(json!({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "Parameters": {"a.$": "$.s", "b.$": "$.s"}, "End": true}}}));
    let s = run_bounded(&m, json!({ "s": half })).unwrap();
    assert!(failed_with(&s, "States.DataLimitExceeded"), "{s:?}");
    // ResultPath merging a result into the input.
    let m = machine(json!({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "ResultPath": "$.copy", "End": true}}}));
    let s = run_bounded(&m, json!({ "s": half })).unwrap();
    assert!(failed_with(&s, "States.DataLimitExceeded"), "{s:?}");
    // An intrinsic that grows the payload.
    let m = machine(json!({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "Parameters": {"a.$": "States.Array($.s, $.s, $.s)"}, "End": true}}}));
    let s = run_bounded(&m, json!({ "s": "z".repeat(100 * 1024) })).unwrap();
    assert!(failed_with(&s, "States.DataLimitExceeded"), "{s:?}");
    // Map collecting results larger than the limit.
    let m = machine(json!({"StartAt": "M", "States": {"M": {
        "Type": "Map", "ItemsPath": "$.items", "End": true,
        "ItemSelector": {"big.$": "$$.Execution.Input.pad"},
        "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}}}}));
    let s = run_bounded(
        &m,
        json!({ "items": [1, 2, 3], "pad": "p".repeat(100 * 1024) }),
    )
    .unwrap();
    assert!(failed_with(&s, "States.DataLimitExceeded"), "{s:?}");
    // Just under the limit still succeeds.
    let ok = "w".repeat(200 * 1024);
    let s = run_bounded(&pass_machine(), json!({ "s": ok })).unwrap();
    assert!(matches!(s, ExecutionStatus::Succeeded { .. }), "{s:?}");
}

#[test]
fn huge_map_inputs_terminate() {
    let m = machine(json!({"StartAt": "M", "States": {"M": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 0, "End": true,
        "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}}}}));
    for n in [0usize, 1, 1_000, 100_000, 1_000_000] {
        let started = Instant::now();
        let items: Vec<Value> = (0..n).map(|i| json!(i % 10)).collect();
        let s = run_bounded(&m, json!({ "items": items })).unwrap();
        if n > 10_000 {
            // Too many events or too big a payload: a failure, never a success or a hang.
            assert!(matches!(s, ExecutionStatus::Failed { .. }), "{n}: {s:?}");
        }
        let took = started.elapsed();
        assert!(took < Duration::from_secs(60), "{n} items took {took:?}");
    }
}

/// `n` levels of alternating arrays and objects, built without recursion.
fn deep_value(n: usize) -> Value {
    let mut deep = json!("leaf");
    for i in 0..n {
        // Built by hand: `json!` would serialize (recursively) what it embeds.
        deep = if i % 2 == 0 {
            Value::Array(vec![deep])
        } else {
            let mut m = Map::new();
            m.insert("k".into(), deep);
            Value::Object(m)
        };
    }
    deep
}

/// Map iterations cost the same whatever the item count: building `$$` for every state of
/// every iteration must not copy the whole execution input (which holds the items), or a
/// Map is O(items²) (it was: 4,000 small items took ~4 s in a debug build).
#[test]
fn map_iterations_are_linear() {
    let m = machine(json!({"StartAt": "M", "States": {"M": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 0, "End": true,
        "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}}}}));
    let time = |n: usize| {
        let items: Vec<Value> = (0..n).map(|i| json!({"id": i, "name": "item"})).collect();
        let started = Instant::now();
        run_bounded(&m, json!({ "items": items })).unwrap();
        started.elapsed()
    };
    // Best of two runs each, and an absolute floor: other processes share the cores.
    let small = time(500).min(time(500));
    let large = time(4_000).min(time(4_000));
    assert!(
        large < small * 16 || large < Duration::from_secs(15),
        "8x the items took {:.1}x the time ({small:?} vs {large:?})",
        large.as_secs_f64() / small.as_secs_f64()
    );
}

#[test]
fn deep_json_inputs_do_not_crash() {
    // 10,000 levels: deeper than serde_json itself parses (128), as a caller can build.
    let defs = [
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}),
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass",
            "Parameters": {"a.$": "$", "j.$": "States.JsonToString($)", "m.$": "States.JsonMerge($, $, true)"},
            "End": true}}}),
        json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$..leaf", "IsPresent": true, "Next": "D"}], "Default": "D"},
            "D": {"Type": "Pass", "End": true}}}),
    ];
    for def in defs {
        let m = machine(def);
        // As deep as serde_json parses from text (what the CLI and the browser hand over).
        let input: Value =
            serde_json::from_str(&format!("{}{}", "[".repeat(127), "]".repeat(127))).unwrap();
        run_bounded(&m, input).unwrap();
        // Deeper than the engine's JSON depth limit (512) yet shallow enough to clone.
        let s = run_bounded(&m, deep_value(600)).unwrap();
        assert!(s != ExecutionStatus::Running);
    }
}

/// A 10,000-deep value handed in by a caller (serde_json parses at most 128 levels from text,
/// so only a caller building values by hand gets here). serde_json's `Clone`, `Drop` and
/// `Serialize` recurse once per level; `Execution::start` must refuse it with an error
/// before cloning or serializing it.
#[test]
fn very_deep_programmatic_input() {
    let m = machine(json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}));
    let s = run_bounded(&m, deep_value(10_000)).unwrap();
    assert!(failed_with(&s, "States.Runtime"), "{s:?}");
}

/// A loop that wraps its own input one level per pass (`"a.$": "$"`, or ResultPath into
/// itself) used to nest until cloning overflowed the stack; it must fail with an error.
#[test]
fn self_nesting_loops_fail_cleanly() {
    for def in [
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Parameters": {"a.$": "$"}, "Next": "B"},
            "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "C"}], "Default": "A"},
            "C": {"Type": "Succeed"}}}),
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "ResultPath": "$.a", "Next": "A2"},
            "A2": {"Type": "Pass", "Parameters": {"x.$": "States.Array($)"}, "Next": "B"},
            "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "C"}], "Default": "A"},
            "C": {"Type": "Succeed"}}}),
    ] {
        let m = machine(def);
        // Start close to the depth limit so the loop reaches it in a few passes.
        let s = run_bounded(&m, deep_value(506)).unwrap();
        assert!(
            failed_with(&s, "States.Runtime") || failed_with(&s, "States.DataLimitExceeded"),
            "{s:?}"
        );
    }
}

#[test]
fn unicode_and_extreme_numbers_run() {
    let numbers = [
        json!(1e308),
        json!(-1e308),
        json!(-0.0),
        json!(1.5e-300),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(0.1),
    ];
    let m = machine(json!({"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {
            "sum.$": "States.MathAdd($.a, $.b)",
            "fmt.$": "States.Format('{} {} {}', $.a, $.b, $.u)",
            "rand.$": "States.MathRandom($.a, $.b)",
            "range.$": "States.ArrayRange($.a, $.b, $.a)",
            "split.$": "States.StringSplit($.u, '🦀')",
            "hash.$": "States.Hash($.u, 'SHA-1')",
            "b64.$": "States.Base64Encode($.u)"}, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.sum", "NumericGreaterThan": 1e308, "Next": "W"},
            {"Variable": "$.sum", "NumericEquals": -0.0, "Next": "W"}], "Default": "W"},
        "W": {"Type": "Wait", "SecondsPath": "$.sum", "Next": "É🦀 state"},
        "É🦀 state": {"Type": "Succeed"}}}));
    let m2 = machine(json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "SecondsPath": "$.a", "Next": "T"},
        "T": {"Type": "Wait", "TimestampPath": "$.u", "End": true}}}));
    for a in &numbers {
        for b in &numbers {
            for u in ["", "é🦀\u{3000}\u{200b}𝕏", "🦀🦀", "\u{0}"] {
                let input = json!({"a": a, "b": b, "u": u});
                let s = run_bounded(&m, input.clone()).unwrap();
                assert!(s != ExecutionStatus::Running);
                run_bounded(&m2, input).unwrap();
            }
        }
    }
}

#[test]
fn infinite_loops_stop_at_the_history_cap() {
    let loops = [
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": false, "Next": "A"}], "Default": "E"},
            "E": {"Type": "Succeed"}}}),
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999, "IntervalSeconds": 1, "BackoffRate": 1.0}],
                  "End": true}}}),
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "T"}], "End": true}}}),
        json!({"StartAt": "W", "States": {
            "W": {"Type": "Wait", "Seconds": 31536000, "Next": "W2"},
            "W2": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "E"}], "Default": "W"},
            "E": {"Type": "Succeed"}}}),
        json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "C", "ResultPath": null, "Branches": [
                {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}]},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "E"}], "Default": "P"},
            "E": {"Type": "Succeed"}}}),
    ];
    for def in loops {
        let m = machine(def.clone());
        let s = run_bounded(&m, json!({})).unwrap();
        assert!(
            matches!(
                s,
                ExecutionStatus::Failed { .. } | ExecutionStatus::TimedOut { .. }
            ),
            "{def}: {s:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// 3. Intrinsics and JSONPath
// ---------------------------------------------------------------------------------------

const PATH_TOKENS: &[&str] = &[
    "$",
    "$$",
    "@",
    ".",
    "..",
    "[",
    "]",
    "'",
    "\"",
    "\\",
    "*",
    "?",
    "(",
    ")",
    ":",
    ",",
    "-",
    "0",
    "1",
    "-1",
    "99999999999999999999",
    "a",
    "b",
    "é",
    "🦀",
    " ",
    "==",
    "!=",
    "<",
    ">=",
    "&&",
    "||",
    "!",
    "=~",
    "/a.*/i",
    "in",
    "nin",
    "true",
    "null",
    "length()",
    "$.a",
    "?(@",
    "[?(@.a > 1)]",
    "['x']",
    "[0:2]",
    "[::-1]",
    "[*]",
    "..x",
    "$var",
    "\u{0}",
];

const INTRINSIC_TOKENS: &[&str] = &[
    "States.Format",
    "States.Array",
    "States.MathAdd",
    "States.ArrayRange",
    "States.StringSplit",
    "States.JsonMerge",
    "States.Hash",
    "States.UUID",
    "States.ArrayGetItem",
    "States.Base64Decode",
    "States.StringToJson",
    "States.JsonToString",
    "States.ArrayPartition",
    "States.MathRandom",
    "States.ArrayContains",
    "States.ArrayUnique",
    "States.ArrayLength",
    "States.Base64Encode",
    "(",
    ")",
    ",",
    " ",
    "'",
    "\\",
    "\\'",
    "\\{",
    "{}",
    "{",
    "}",
    "$",
    "$.a",
    "$.s",
    "$.n",
    "$$.x",
    "[",
    "]",
    "1",
    "-1",
    "2.5",
    "1e400",
    "-0",
    "true",
    "null",
    "é",
    "'SHA-256'",
    "'MD5'",
    "2147483648",
    "'a,b'",
];

fn soup(tokens: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(proptest::sample::select(tokens), 0..40).prop_map(|t| t.concat())
}

fn docs() -> Vec<Value> {
    vec![
        json!({"a": {"b": [1, {"c": 2}], "x": 1}, "s": "a,b,é", "n": 3, "items": [1, 2, 2, "x", null]}),
        json!([1, [2, [3]], {"a": null}]),
        json!("s"),
        json!(null),
        json!({"n": 1e308, "s": "", "a": [], "items": {}}),
    ]
}

fn exercise_path(text: &str, doc: &Value) -> Result<(), TestCaseError> {
    if let Ok(p) = JsonPath::parse(text) {
        let _ = p.select(doc, doc);
        if let Err(m) = p.resolve(doc, doc) {
            let _ = m.message();
        }
        let _ = p.canonical();
        let _ = (p.is_definite(), p.is_reference_path(), p.variable());
        let mut target = doc.clone();
        if p.write(&mut target, json!("written")).is_ok() {
            prop_assert_eq!(p.select(&target, doc), Some(json!("written")), "{}", text);
        }
    }
    Ok(())
}

fn exercise_intrinsic(text: &str, doc: &Value, seed: u64) {
    if let Ok(i) = Intrinsic::parse(text) {
        let _ = i.eval(doc, doc, &mut Gen(seed));
    }
}

proptest! {
    #![proptest_config(config(256, "tests/robustness/paths.proptest-regressions"))]

    #[test]
    fn jsonpath_arbitrary_strings(text in ".{0,80}", doc in arb_json()) {
        exercise_path(&text, &doc)?;
        exercise_path(&format!("$.{text}"), &doc)?;
    }

    #[test]
    fn jsonpath_token_soup(text in soup(PATH_TOKENS), doc in arb_json()) {
        exercise_path(&text, &doc)?;
        for d in docs() {
            exercise_path(&text, &d)?;
        }
    }

    #[test]
    fn intrinsic_arbitrary_strings(text in ".{0,80}", doc in arb_json(), seed in any::<u64>()) {
        exercise_intrinsic(&text, &doc, seed);
        exercise_intrinsic(&format!("States.Format({text})"), &doc, seed);
    }

    #[test]
    fn intrinsic_token_soup(text in soup(INTRINSIC_TOKENS), doc in arb_json(), seed in any::<u64>()) {
        exercise_intrinsic(&text, &doc, seed);
        for d in docs() {
            exercise_intrinsic(&text, &d, seed);
        }
    }
}

/// Texts of about 100 KB in shapes that make naive parsers quadratic or exponential.
fn long_texts() -> Vec<(&'static str, String)> {
    let n = 100 * 1024;
    vec![
        ("dots", format!("$.{}", "a.".repeat(n / 2))),
        ("brackets", "[".repeat(n)),
        ("root brackets", format!("${}", "[".repeat(n))),
        ("indexes", format!("${}", "[0]".repeat(n / 3))),
        ("quoted", format!("$['{}']", "a".repeat(n))),
        ("unterminated quote", format!("$['{}", "\\'".repeat(n / 2))),
        ("descendants", format!("${}", "..a".repeat(n / 3))),
        (
            "filters",
            format!("$[?({})]", "@.a == 1 && ".repeat(n / 12)),
        ),
        (
            "filter parens",
            format!("$[?({}@.a{})]", "(".repeat(n / 2), ")".repeat(n / 2)),
        ),
        ("unions", format!("$[{}0]", "0,".repeat(n / 2))),
        (
            "calls",
            format!("{}{}", "States.Array(".repeat(n / 13), ")".repeat(n / 13)),
        ),
        ("open calls", "States.Array(".repeat(n / 13)),
        ("args", format!("States.Array({}1)", "1, ".repeat(n / 3))),
        (
            "string",
            format!("States.Format('{}')", "{}\\'".repeat(n / 4)),
        ),
        (
            "escapes",
            format!("States.Format('{}", "\\\\".repeat(n / 2)),
        ),
        (
            "paths",
            format!("States.Array({}$)", "$.a.b[0], ".repeat(n / 10)),
        ),
        ("junk", "é🦀(".repeat(n / 9)),
    ]
}

#[test]
fn parsers_are_linear_on_100_kb() {
    let budget = Duration::from_secs(5);
    for (name, text) in long_texts() {
        let started = Instant::now();
        let _ = JsonPath::parse(&text);
        let path_time = started.elapsed();
        let started = Instant::now();
        let _ = Intrinsic::parse(&text);
        let call_time = started.elapsed();
        assert!(
            path_time < budget && call_time < budget,
            "{name}: JsonPath::parse {path_time:?}, Intrinsic::parse {call_time:?}"
        );
    }
}

#[test]
fn nested_descendants_do_not_explode() {
    // `$..a..a..a...` on a chain of `a`s: a naive evaluator is exponential in the number
    // of `..` segments; results are bounded by the number of distinct nodes.
    let mut doc = json!(1);
    for _ in 0..30 {
        doc = json!({ "a": doc });
    }
    let path = JsonPath::parse(&format!("${}", "..a".repeat(15))).unwrap();
    let started = Instant::now();
    let miss = path.resolve(&doc, &doc).unwrap_err();
    assert!(
        miss.message().contains("matches more than"),
        "{}",
        miss.message()
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    // The same path as an InputPath fails the execution with an error, quickly.
    let m = machine(json!({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "InputPath": format!("${}", "..a".repeat(15)), "End": true}}}));
    let started = Instant::now();
    let s = run_bounded(&m, doc).unwrap();
    assert!(failed_with(&s, "States.Runtime"), "{s:?}");
    assert!(started.elapsed() < Duration::from_secs(30));
}

// ---------------------------------------------------------------------------------------
// Regressions
// ---------------------------------------------------------------------------------------

/// Replays every input kept in `tests/robustness/regressions.jsonl`:
/// `{"kind": "definition" | "run" | "jsonpath" | "intrinsic", "text": ..., "input": ..., "note": ...}`.
#[test]
fn regressions_replay() {
    let path = manifest().join("tests/robustness/regressions.jsonl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("missing {}: {e}", path.display()));
    let mut count = 0;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let case: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
        let body = case["text"].as_str().unwrap_or("");
        let input = case.get("input").cloned().unwrap_or_else(|| json!({}));
        match case["kind"].as_str().unwrap_or("") {
            "definition" | "run" => {
                parse_and_maybe_run(body, &input).unwrap_or_else(|e| panic!("line {}: {e}", n + 1))
            }
            "jsonpath" => {
                exercise_path(body, &input).unwrap_or_else(|e| panic!("line {}: {e}", n + 1))
            }
            "intrinsic" => exercise_intrinsic(body, &input, 1),
            other => panic!("line {}: unknown kind {other:?}", n + 1),
        }
        count += 1;
    }
    assert!(count > 0, "no regressions replayed");
}
