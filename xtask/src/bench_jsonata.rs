//! `cargo xtask bench jsonata [--orders N] [--loop N] [--items N] [--runs K]`: statebox-jsonata
//! against the reference JavaScript implementation, and ASL workflows in JSONata mode.
//!
//! (a) Expressions (bench/jsonata/expressions.json: paths, predicates, $map/$filter/$reduce,
//! string and number functions, object construction, sorting, grouping) over generated
//! orders (`--orders`, default 500; bench/jsonata/engine/src/data.rs), evaluated by native
//! Statebox (release, bench/jsonata/engine) and by `jsonata` from npm (the version pinned in
//! package.json) on the machine's Node, each in its own process, measured the same way
//! (parsed once, warm-up, median of 7 timed batches; see bench/jsonata/run.mjs).
//! (b) The same expressions in statebox-jsonata's wasm32 build (profile `wasm-bench`, bound
//! with wasm-bindgen `--target nodejs`, run in the same Node) against the same reference
//! figures. Every result is checked against the native one; a differing result is marked
//! and gets no ratio.
//! (c) ASL workflows in JSONata mode through statebox_asl: bench/jsonata/loop.json (Choice +
//! Pass counting to `--loop`, default 10,000, with Assign and `{% %}` conditions) and
//! bench/jsonata/map.json (an inline Map over `--items`, default 1,000, with ItemSelector
//! and Output in JSONata), beside the JSONPath workflows of `bench asl` (bench/asl/loop.json
//! and map.json, no variables) at the same sizes through the same interpreter as the
//! baseline. While the interpreter refuses JSONata, the row says so with its error.
//! (d) The size of statebox-jsonata alone in wasm32: the bench engine's library (the crate
//! and its one-class binding) built as the page's wasm is (profile `web-release`, wasm-bindgen
//! `--target web`, `wasm-opt -Oz` from npm's binaryen), with its gzip -9 size.
//! Prints figures and ratios (target: faster than the reference natively and in wasm). It is
//! not a test.

use crate::proc::{output_of, run_checked};
use crate::tools::{self, cargo, target_dir, tool};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A field of a flat JSON line printed by the harnesses (no JSON dependency in xtask):
/// strings unescaped, other values as their text.
pub(crate) fn field(line: &str, name: &str) -> Option<String> {
    let key = format!("\"{name}\":");
    let start = line.find(&key)? + key.len();
    let rest = line[start..].trim_start();
    if let Some(stripped) = rest.strip_prefix('"') {
        let mut out = String::new();
        let mut escaped = false;
        for c in stripped.chars() {
            match (escaped, c) {
                (true, c) => {
                    out.push(c);
                    escaped = false;
                }
                (false, '\\') => escaped = true,
                (false, '"') => break,
                (false, c) => out.push(c),
            }
        }
        Some(out)
    } else {
        Some(rest.split([',', '}']).next()?.trim().to_string())
    }
}

/// One engine's figure for one expression.
#[derive(Clone, Debug, PartialEq)]
struct Figure {
    us: Option<f64>,
    /// Native only: jsonata-core alone, on input converted beforehand.
    engine_us: Option<f64>,
    /// Native only: converting the JSON input at every evaluation.
    convert_us: Option<f64>,
    status: String,
    /// The result equals the native one (always true for native itself).
    same: bool,
}

fn figures(text: &str) -> Vec<(String, Figure)> {
    text.lines()
        .filter(|l| l.starts_with('{'))
        .filter_map(|l| {
            Some((
                field(l, "name")?,
                Figure {
                    us: field(l, "us").and_then(|u| u.parse().ok()),
                    engine_us: field(l, "engineUs").and_then(|u| u.parse().ok()),
                    convert_us: field(l, "convertUs").and_then(|u| u.parse().ok()),
                    status: field(l, "status").unwrap_or_default(),
                    same: field(l, "same").is_none_or(|s| s == "true"),
                },
            ))
        })
        .collect()
}

fn number_option(args: &mut std::slice::Iter<'_, String>, name: &str) -> Result<u64, String> {
    args.next()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{name} needs a count"))
}

/// The wasm32 build of the bench engine (statebox-jsonata and a small wasm-bindgen binding)
/// for Node: the package directory holding `jsonata_bench.js`.
fn wasm_package(root: &Path, dir: &Path) -> Result<PathBuf, String> {
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    let pkg = dir.join("pkg");
    bind_wasm(root, "wasm-bench", "nodejs", &pkg)?;
    Ok(pkg)
}

/// Builds the bench engine for wasm32 with `profile` and runs wasm-bindgen on it for
/// `js_target` into `out`.
fn bind_wasm(root: &Path, profile: &str, js_target: &str, out: &Path) -> Result<(), String> {
    run_checked(cargo().current_dir(root).args([
        "build",
        "--profile",
        profile,
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "jsonata-bench",
        "--lib",
    ]))?;
    run_checked(
        tool("wasm-bindgen")
            .args(["--target", js_target, "--out-dir"])
            .arg(out)
            .arg(target_dir().join(format!(
                "wasm32-unknown-unknown/{profile}/jsonata_bench.wasm"
            ))),
    )
}

/// (d): bytes of the wasm after wasm-bindgen, after `wasm-opt -Oz`, and of that gzipped.
fn wasm_size(root: &Path, dir: &Path) -> Result<(u64, u64, u64), String> {
    let out = dir.join("size");
    bind_wasm(root, "web-release", "web", &out)?;
    let bound = out.join("jsonata_bench_bg.wasm");
    let shrunk = out.join("jsonata_bench_oz.wasm");
    run_checked(
        tool("wasm-opt")
            .arg("-Oz")
            .arg(&bound)
            .arg("-o")
            .arg(&shrunk),
    )?;
    let size = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len())
            .map_err(|e| e.to_string())
    };
    let gzipped = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(&shrunk)
        .output()
        .map_err(|e| format!("gzip: {e}"))?
        .stdout
        .len() as u64;
    Ok((size(&bound)?, size(&shrunk)?, gzipped))
}

fn ratio(reference: &Figure, ours: &Figure) -> String {
    match (reference.us, ours.us) {
        (Some(r), Some(o)) if ours.same && reference.same => times(r / o.max(1e-9)),
        _ => "n/a".into(),
    }
}

/// A ratio with two significant digits below 10 (`0.23x`, `4.4x`), one decimal above.
fn times(x: f64) -> String {
    if x < 1.0 {
        format!("{x:.2}x")
    } else {
        format!("{x:.1}x")
    }
}

fn cell(f: Option<&Figure>) -> String {
    match f {
        Some(Figure { us: Some(us), .. }) => format!("{us:.1}"),
        Some(f) => f.status.chars().take(12).collect(),
        None => "missing".into(),
    }
}

/// Words of the interpreter's refusal of JSONata (its cause also names JSONata), as opposed
/// to a JSONata workflow that ran and failed.
const REFUSAL_MARKERS: [&str; 3] = ["not supported", "unsupported", "does not evaluate"];

/// A workflow run through the bench engine: its JSON line.
fn workflow(engine: &Path, definition: &Path, input: &Path, runs: usize) -> Result<String, String> {
    output_of(
        Command::new(engine)
            .arg("workflow")
            .arg(definition)
            .arg(input)
            .arg(runs.to_string()),
    )
    .ok_or_else(|| format!("the workflow {} did not complete", definition.display()))
}

/// How a workflow row reads: its time, or why there is none.
fn workflow_cell(line: &str) -> (Option<f64>, String) {
    let status = field(line, "status").unwrap_or_default();
    if status == "SUCCEEDED" {
        let ms = field(line, "ms").and_then(|m| m.parse().ok());
        (
            ms,
            format!("output {}", field(line, "output").unwrap_or_default()),
        )
    } else {
        let error = field(line, "error").unwrap_or_default();
        let cause = field(line, "cause").unwrap_or_default();
        let diagnostics = field(line, "diagnostics").unwrap_or_default();
        let text = format!("{status} {error}: {cause} {diagnostics}");
        let lower = text.to_ascii_lowercase();
        let refused =
            lower.contains("jsonata") && REFUSAL_MARKERS.iter().any(|m| lower.contains(m));
        if refused || status == "INVALID" {
            (
                None,
                format!("unsupported by the interpreter: {error}: {cause}"),
            )
        } else {
            (None, format!("did not succeed: {text}"))
        }
    }
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let (mut orders, mut loop_n, mut items, mut runs) = (500u64, 10_000u64, 1_000u64, 5usize);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--orders" => orders = number_option(&mut it, "--orders")?,
            "--loop" => loop_n = number_option(&mut it, "--loop")?,
            "--items" => items = number_option(&mut it, "--items")?,
            "--runs" => runs = number_option(&mut it, "--runs")? as usize,
            other => {
                return Err(format!(
                    "unknown option {other} (bench jsonata takes --orders N, --loop N, --items N, --runs K)"
                ))
            }
        }
    }
    tools::ensure_npm()?;
    let dir = target_dir().join("bench/jsonata");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let pkg = wasm_package(root, &dir)?;
    run_checked(cargo().current_dir(root).args([
        "build",
        "--release",
        "-p",
        "jsonata-bench",
        "--bin",
        "jsonata-bench",
    ]))?;
    let engine = target_dir().join("release/jsonata-bench");
    let node_version = output_of(tool("node").arg("--version")).unwrap_or_default();
    let reference_version = std::fs::read_to_string(root.join("node_modules/jsonata/package.json"))
        .ok()
        .and_then(|text| field(&text, "version"))
        .unwrap_or_else(|| "?".into());

    let data = dir.join("data.json");
    run_checked(
        Command::new(&engine)
            .args(["data", &orders.to_string()])
            .arg(&data),
    )?;
    let data_kib = std::fs::metadata(&data).map(|m| m.len()).unwrap_or(0) as f64 / 1024.0;
    let list = root.join("bench/jsonata/expressions.json");
    let results = dir.join("native-results.json");
    println!(
        "\n(a) and (b): expressions over {orders} generated orders ({data_kib:.0} KiB of JSON)"
    );
    let native = figures(
        &output_of(
            Command::new(&engine)
                .arg("expressions")
                .arg(&list)
                .arg(&data)
                .arg(&results),
        )
        .ok_or("the native expression bench did not complete")?,
    );
    let node_run = |engine_name: &str| -> Result<Vec<(String, Figure)>, String> {
        let text = output_of(
            tool("node")
                .arg("--no-liftoff")
                .arg(root.join("bench/jsonata/run.mjs"))
                .arg(engine_name)
                .arg(&list)
                .arg(&data)
                .arg(&results)
                .arg(&pkg)
                .current_dir(root),
        )
        .ok_or_else(|| format!("the {engine_name} expression bench did not complete"))?;
        Ok(figures(&text))
    };
    let wasm = node_run("statebox-wasm")?;
    let reference = node_run("jsonata-js")?;
    let find = |set: &[(String, Figure)], name: &str| {
        set.iter().find(|(n, _)| n == name).map(|(_, f)| f.clone())
    };
    println!(
        "\n{:<14} | {:>10} {:>11} {:>12} | {:>10} | {:>13} | {:>8} {:>8} | same result",
        "expression",
        "native µs",
        "(engine µs)",
        "[convert µs]",
        "wasm µs",
        "jsonata-js µs",
        "x native",
        "x wasm"
    );
    let (mut log_native, mut log_wasm, mut counted) = (0.0f64, 0.0f64, 0u32);
    let (mut log_engine, mut engine_counted) = (0.0f64, 0u32);
    let mut notes = Vec::new();
    for (name, nat) in &native {
        let w = find(&wasm, name);
        let r = find(&reference, name);
        let (x_native, x_wasm) = match &r {
            Some(r) => (
                ratio(r, nat),
                w.as_ref().map_or("n/a".into(), |w| ratio(r, w)),
            ),
            None => ("n/a".into(), "n/a".into()),
        };
        if let Some((ru, eu)) = r
            .as_ref()
            .filter(|r| r.same)
            .and_then(|r| Some((r.us?, nat.engine_us?)))
        {
            log_engine += (ru / eu).ln();
            engine_counted += 1;
        }
        if let (Some(r), Some(w)) = (&r, &w) {
            if let (Some(ru), Some(nu), Some(wu), true, true) = (r.us, nat.us, w.us, r.same, w.same)
            {
                log_native += (ru / nu).ln();
                log_wasm += (ru / wu).ln();
                counted += 1;
            }
        }
        let same = match (&w, &r) {
            (Some(w), Some(r)) if w.same && r.same => "yes".to_string(),
            (w, r) => {
                let who: Vec<&str> = [("wasm", w), ("jsonata-js", r)]
                    .iter()
                    .filter(|(_, f)| f.as_ref().is_none_or(|f| !f.same))
                    .map(|(who, _)| *who)
                    .collect();
                notes.push(format!(
                    "{name}: the result of {} differs from native's",
                    who.join(" and ")
                ));
                format!("NO ({})", who.join(", "))
            }
        };
        println!(
            "{:<14} | {:>10} {:>11} {:>12} | {:>10} | {:>13} | {:>8} {:>8} | {same}",
            name,
            cell(Some(nat)),
            nat.engine_us.map_or("-".into(), |us| format!("({us:.1})")),
            nat.convert_us.map_or("-".into(), |us| format!("[{us:.1}]")),
            cell(w.as_ref()),
            cell(r.as_ref()),
            x_native,
            x_wasm
        );
    }
    if counted > 0 {
        println!(
            "{:<14} | {:>10} {:>11} {:>12} | {:>10} | {:>13} | {:>7.1}x {:>7.1}x | geometric mean of {counted}",
            "all",
            "",
            "",
            "",
            "",
            "",
            (log_native / f64::from(counted)).exp(),
            (log_wasm / f64::from(counted)).exp()
        );
    }
    if engine_counted > 0 {
        println!(
            "jsonata-core alone, (engine µs) against jsonata-js: {} (geometric mean of {engine_counted})",
            times((log_engine / f64::from(engine_counted)).exp())
        );
    }
    for n in notes {
        println!("  {n}");
    }
    println!(
        "µs per evaluation: each engine in its own process parses the expression once (untimed),"
    );
    println!(
        "evaluates it for 100 ms (warm-up), then times batches of k evaluations (k doubled until a"
    );
    println!(
        "batch takes 20 ms); the median of 7 batches divided by k. Each engine gets its input"
    );
    println!(
        "ready in its own values: jsonata-js a parsed object, Statebox a statebox_jsonata::Data"
    );
    println!("converted once (Query::evaluate_data, default limits, result converted to JSON each time);");
    println!(
        "jsonata-js awaits each evaluate() (a promise since 2.0). x native / x wasm: jsonata-js time"
    );
    println!("divided by ours (target: above 1x). Native: release, mimalloc; wasm: profile wasm-bench in");
    println!("Node (--no-liftoff). (engine µs): jsonata-core alone, result not converted back.");
    println!("[convert µs]: Query::evaluate on the serde_json input, converted at every evaluation (what");
    println!(
        "a caller pays that holds only JSON; the interpreter converts only the parts of $states an"
    );
    println!("expression reads).");
    println!(
        "Node: {node_version} (the machine's); reference: jsonata {reference_version} from npm."
    );

    println!("\n(c) ASL workflows in JSONata mode (statebox_asl, native release, result only, caps lifted)");
    let input = |name: &str, text: String| -> Result<PathBuf, String> {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
        Ok(path)
    };
    let loop_input = input("loop-input.json", format!("{{\"n\": {loop_n}}}"))?;
    let numbers: Vec<String> = (1..=items).map(|i| i.to_string()).collect();
    let map_input = input(
        "map-input.json",
        format!("{{\"items\": [{}]}}", numbers.join(",")),
    )?;
    println!(
        "\n{:<22} | {:>12} | {:>14} | {:>7} | result",
        "workflow", "JSONata ms", "JSONPath ms", "ratio"
    );
    for (name, file, input) in [
        (format!("loop to {loop_n}"), "loop.json", &loop_input),
        (format!("Map over {items}"), "map.json", &map_input),
    ] {
        let jsonata = workflow(&engine, &root.join("bench/jsonata").join(file), input, runs)?;
        let jsonpath = workflow(&engine, &root.join("bench/asl").join(file), input, runs)?;
        let (ms, text) = workflow_cell(&jsonata);
        let (base_ms, base_text) = workflow_cell(&jsonpath);
        let show = |ms: Option<f64>| ms.map_or("-".into(), |m| format!("{m:.1}"));
        let ratio = match (ms, base_ms) {
            (Some(a), Some(b)) => format!("{:.2}", a / b.max(1e-9)),
            _ => "n/a".into(),
        };
        println!(
            "{name:<22} | {:>12} | {:>14} | {ratio:>7} | JSONata: {text}; JSONPath: {base_text}",
            show(ms),
            show(base_ms)
        );
    }
    println!("Each: parsed once; timed Execution::start and run to the end (no services, no history kept,");
    println!("AWS's 25,000-event and payload caps lifted for measurement); one untimed warm-up run, then");
    println!(
        "the median of {runs} (--runs K). JSONPath baseline: bench/asl/loop.json and map.json (no"
    );
    println!("variables, no ItemSelector) at the same sizes through the same interpreter; ratio: JSONata");
    println!("time divided by JSONPath time.");

    let kib = |b: u64| b as f64 / 1024.0;
    let (bound, shrunk, gzipped) = wasm_size(root, &dir)?;
    println!("\n(d) statebox-jsonata alone in wasm32 (web-release, wasm-bindgen, wasm-opt -Oz):");
    println!(
        "{:.0} KiB after wasm-opt -Oz ({:.0} KiB before it), {:.0} KiB gzip -9",
        kib(shrunk),
        kib(bound),
        kib(gzipped)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_harness_lines() {
        let text = "noise\n{\"name\":\"path\",\"us\":12.5,\"status\":\"ok\",\"same\":true}\n{\"name\":\"b\",\"status\":\"error T2002\",\"same\":false}";
        let got = figures(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1.us, Some(12.5));
        assert!(got[0].1.same && !got[1].1.same);
        let r = Figure {
            us: Some(30.0),
            engine_us: None,
            convert_us: None,
            status: "ok".into(),
            same: true,
        };
        assert_eq!(ratio(&r, &got[0].1), "2.4x");
        assert_eq!(times(0.234), "0.23x");
        assert_eq!(ratio(&r, &got[1].1), "n/a");
    }

    #[test]
    fn a_refused_workflow_says_why() {
        let line = r#"{"status":"FAILED","error":"States.Runtime","cause":"This interpreter does not evaluate JSONata (QueryLanguage: JSONata) nor workflow variables (Assign) yet.","ms":0.1,"diagnostics":[]}"#;
        let (ms, text) = workflow_cell(line);
        assert_eq!(ms, None);
        assert!(
            text.starts_with("unsupported by the interpreter: States.Runtime: This interpreter"),
            "{text}"
        );
        let (ms, text) = workflow_cell(r#"{"status":"SUCCEEDED","output":"{\"i\":10}","ms":2.5}"#);
        assert_eq!((ms, text.as_str()), (Some(2.5), "output {\"i\":10}"));
        let (_, text) = workflow_cell(
            r#"{"status":"FAILED","error":"States.QueryEvaluationError","cause":"bad","ms":1}"#,
        );
        assert!(text.starts_with("did not succeed"), "{text}");
    }
}
