//! The native side of `cargo xtask bench jsonata` (release, mimalloc as the statebox CLI).
//!
//! usage:
//!   jsonata-bench data <orders> <out.json>
//!   jsonata-bench expressions <expressions.json> <data.json> <results-out.json>
//!   jsonata-bench workflow <definition.json> <input.json> <runs>
//!
//! `expressions` times each `{"name", "expr"}` of the file against the data, as
//! bench/jsonata/run.mjs times the wasm build and the reference implementation: parsed once
//! (untimed), evaluated for 100 ms untimed (warm-up), then batches of k evaluations with k
//! doubled until a batch takes 20 ms; the median of 7 batches divided by k. It prints a JSON
//! line per expression (`name`, `us` per evaluation, `engineUs`: the same evaluation by
//! jsonata-core alone, its input converted to the engine's values once beforehand and its
//! result not converted back, `status`) and writes every result
//! (JSON text, `undefined` or `{"error": code}`) to the results file, so the other engines'
//! results can be checked against them.
//!
//! `workflow` runs an ASL definition through statebox_asl (parsed once; timed: start and run
//! to the end with no services, result only, the 25,000-event and payload caps lifted for
//! measurement): one untimed warm-up run, then the median of `runs` runs, printed as a JSON
//! line (`ms`, `status`, `output` or `error` and `cause`, `diagnostics`).

// Native only: a wasm32 build of this package is its library (see lib.rs).
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use jsonata_bench::{data, Prepared};
    use mimalloc::MiMalloc;
    use serde_json::{json, Map, Value};
    use statebox_asl::{parse_definition, Execution, ExecutionOptions, NoServices};
    use std::time::Instant;

    #[global_allocator]
    static GLOBAL: MiMalloc = MiMalloc;

    /// Microseconds per call of `batch(1)`, measured as the doc comment says.
    fn per_call_us(mut batch: impl FnMut(u32)) -> f64 {
        let warm = Instant::now();
        while warm.elapsed().as_millis() < 100 {
            batch(1);
        }
        let mut k = 1u32;
        loop {
            let start = Instant::now();
            batch(k);
            if start.elapsed().as_millis() >= 20 || k >= 1 << 24 {
                break;
            }
            k *= 2;
        }
        let mut times: Vec<f64> = (0..7)
            .map(|_| {
                let start = Instant::now();
                batch(k);
                start.elapsed().as_secs_f64() * 1e6 / f64::from(k)
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[3]
    }

    /// Microseconds per evaluation by jsonata-core alone, with the options statebox-jsonata
    /// passes by default natively, on input converted once.
    fn engine_only(expression: &str, input: &Value) -> Option<f64> {
        use jsonata_core::evaluator::{Context, Evaluator, EvaluatorOptions};
        use jsonata_core::value::JValue;
        let ast = jsonata_core::parser::parse(expression).ok()?;
        let input = JValue::from(input.clone());
        let evaluate = || {
            let options = EvaluatorOptions {
                timeout_ms: Some(statebox_jsonata::query::DEFAULT_TIME_MS),
                cancel: None,
                max_stack_depth: Some(statebox_jsonata::query::DEFAULT_DEPTH),
                max_sequence_length: Some(statebox_jsonata::query::DEFAULT_SEQUENCE),
            };
            Evaluator::with_options(Context::new(), options).evaluate(&ast, &input)
        };
        evaluate().ok()?;
        Some(per_call_us(|k| {
            for _ in 0..k {
                let _ = std::hint::black_box(evaluate());
            }
        }))
    }

    fn read(path: &str) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")))
    }

    fn fail(message: &str) -> ! {
        eprintln!("jsonata-bench: {message}");
        std::process::exit(2)
    }

    fn expressions(list: &str, data: &str, results_out: &str) {
        let list: Vec<Value> = serde_json::from_str(&read(list))
            .unwrap_or_else(|e| fail(&format!("{list}: not a JSON array: {e}")));
        let input: Value = serde_json::from_str(&read(data))
            .unwrap_or_else(|e| fail(&format!("{data}: not JSON: {e}")));
        let mut results = Map::new();
        for entry in &list {
            let name = entry["name"].as_str().unwrap_or("?");
            let expr = entry["expr"].as_str().unwrap_or_default();
            let line = match Prepared::new(expr, input.clone()) {
                Err(e) => json!({"name": name, "status": format!("error {e}")}),
                Ok(prepared) => {
                    let result = prepared.result_text();
                    results.insert(name.into(), Value::String(result.clone()));
                    if result.starts_with(r#"{"error""#) {
                        json!({"name": name, "status": format!("error {result}")})
                    } else {
                        let us = per_call_us(|k| {
                            prepared.run(k).expect("evaluated once already");
                        });
                        let convert_us = per_call_us(|k| {
                            prepared.run_converting(k).expect("evaluated once already");
                        });
                        let engine_us = engine_only(expr, &input);
                        json!({"name": name, "us": us, "convertUs": convert_us,
                               "engineUs": engine_us, "status": "ok"})
                    }
                }
            };
            println!("{line}");
        }
        std::fs::write(results_out, Value::Object(results).to_string())
            .unwrap_or_else(|e| fail(&format!("cannot write {results_out}: {e}")));
    }

    fn workflow(definition: &str, input: &str, runs: usize) {
        let parsed = parse_definition(&read(definition));
        let diagnostics: Vec<String> = parsed
            .diagnostics
            .iter()
            .map(|d| format!("{} {} {}", d.code, d.pointer, d.message))
            .collect();
        let Some(machine) = parsed.machine else {
            println!(
                "{}",
                json!({"status": "INVALID", "diagnostics": diagnostics})
            );
            return;
        };
        let input: Value = serde_json::from_str(&read(input))
            .unwrap_or_else(|e| fail(&format!("{input}: not JSON: {e}")));
        let once = || {
            let options = ExecutionOptions {
                record_history: false,
                max_history_events: Some(usize::MAX),
                max_payload_bytes: Some(usize::MAX),
                ..ExecutionOptions::default()
            };
            let start = Instant::now();
            let mut execution = Execution::start(&machine, input.clone(), options);
            let status = execution.run(&mut NoServices).clone();
            (start.elapsed().as_secs_f64() * 1000.0, status)
        };
        let (_, warm) = once();
        let mut times = vec![];
        let mut status = warm;
        for _ in 0..runs.max(1) {
            let (ms, s) = once();
            times.push(ms);
            status = s;
        }
        times.sort_by(f64::total_cmp);
        let mut line = serde_json::to_value(&status).unwrap_or_default();
        line["ms"] = json!(times[times.len() / 2]);
        line["diagnostics"] = json!(diagnostics);
        if let Some(output) = line.get("output") {
            line["output"] = json!(output.to_string().chars().take(60).collect::<String>());
        }
        println!("{line}");
    }

    pub fn main() {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        match args.as_slice() {
            ["data", orders, out] => {
                let orders = orders
                    .parse()
                    .unwrap_or_else(|_| fail("data: <orders> is a count"));
                std::fs::write(out, data::orders(orders).to_string())
                    .unwrap_or_else(|e| fail(&format!("cannot write {out}: {e}")));
            }
            ["expressions", list, data, results] => expressions(list, data, results),
            ["workflow", definition, input, runs] => workflow(
                definition,
                input,
                runs.parse()
                    .unwrap_or_else(|_| fail("workflow: <runs> is a count")),
            ),
            _ => fail(
                "usage: jsonata-bench data <orders> <out.json> | expressions <expressions.json> <data.json> <results-out.json> | workflow <definition.json> <input.json> <runs>",
            ),
        }
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::main();
}
