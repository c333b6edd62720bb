//! The native side of `cargo xtask bench asl`: times exactly what bench/asl/run.mjs times
//! for the wasm build (`Workspace.run`: parse the input and options, parse the definition,
//! run with the caps lifted, render the result JSON; then the caller parses that JSON), after
//! the same warm-up run (the bench passes the same input) in the same process, and prints
//! run.mjs's JSON line (`engine`, `workflow`, `n`, `ms`, `rssMiB`, `status`, `output`).
//!
//! usage: asl_bench [--record-history] <workflow> <n> <definition.json> <input.json> [<warm-up input.json>]
//!
//! The 25,000-event and 262,144-byte caps are lifted for measurement only. Like
//! `Workspace.run` without `history: true`, the run is result only (no history nor
//! inspections kept); `--record-history` keeps them as the page's step-through does (and
//! does not render them), to show what recording costs.

use mimalloc::MiMalloc;
use serde_json::{json, Value};
use statebox_dynamo::Engine;
use statebox_playground::RunOptions;
use std::time::Instant;

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// The native twin of `statebox_wasm::Workspace::run_json` with the options run.mjs passes.
fn run_json(
    engine: &mut Engine,
    definition: &str,
    input: &str,
    options: &str,
    record: bool,
) -> String {
    let input: Value = serde_json::from_str(input).expect("the input is JSON");
    let options: Value = serde_json::from_str(options).expect("the options are JSON");
    let mut run_options = RunOptions::from_js_options(&options);
    run_options.result_only &= !record;
    match statebox_playground::run(engine, definition, input, run_options) {
        Ok(report) => report.result().to_string(),
        Err(e) => {
            json!({"status": "ERROR", "error": "Invalid", "cause": e.to_string()}).to_string()
        }
    }
}

/// One timed run, as run.mjs's `runStatebox`: a fresh workspace made outside the timing.
fn timed(definition: &str, input: &str, record: bool) -> (f64, Value) {
    let mut engine = Engine::new();
    // Number.MAX_SAFE_INTEGER, as run.mjs passes.
    let lifted = r#"{"maxHistoryEvents":9007199254740991,"maxPayloadBytes":9007199254740991}"#;
    let start = Instant::now();
    let out: Value =
        serde_json::from_str(&run_json(&mut engine, definition, input, lifted, record))
            .expect("the result is JSON");
    (start.elapsed().as_secs_f64() * 1000.0, out)
}

fn peak_rss_mib() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return f64::NAN;
    }
    usage.ru_maxrss as f64 / 1024.0 // KiB on Linux
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let record = args.first().is_some_and(|a| a == "--record-history");
    if record {
        args.remove(0);
    }
    if args.len() < 4 {
        eprintln!(
            "usage: asl_bench [--record-history] <workflow> <n> <definition.json> <input.json> [<warm-up input.json>]"
        );
        std::process::exit(2);
    }
    let read = |path: &str| {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    };
    let (workflow, n) = (&args[0], &args[1]);
    let definition = read(&args[2]);
    let input = read(&args[3]);
    if let Some(warm) = args.get(4) {
        let (_, out) = timed(&definition, &read(warm), record);
        assert_eq!(out["status"], "SUCCEEDED", "the warm-up run: {out}");
    }
    let (ms, out) = timed(&definition, &input, record);
    let status = out["status"].as_str().unwrap_or("ERROR").to_string();
    let summary = if status == "SUCCEEDED" {
        out["output"].to_string().chars().take(60).collect()
    } else {
        let cause: String = out["cause"]
            .as_str()
            .unwrap_or_default()
            .chars()
            .take(80)
            .collect();
        format!("{}: {cause}", out["error"].as_str().unwrap_or("null"))
    };
    println!(
        "{}",
        json!({"engine": "statebox-native", "recordHistory": record, "workflow": workflow, "n": n.parse::<u64>().unwrap_or(0),
               "ms": ms, "rssMiB": peak_rss_mib(), "status": status, "output": summary})
    );
}
