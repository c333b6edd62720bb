//! `cargo xtask bench dynamodb [ARGS]`: measures statebox's DynamoDB server against
//! dynalite 4.0.0 with the same boto3 workload (`bench/dynamodb/bench.py`), above the floor
//! of a no-op server, and the embedded engine with no HTTP, natively (the server crate's
//! `engine_bench` example) and in wasm (`bench/dynamodb/engine.mjs` in Node 22, the same
//! workload). Then the servers under load (`bench/dynamodb/load.py` driving the server
//! crate's `load` example): throughput and latency of small requests from 64 keep-alive
//! clients, and 10,000 idle connections (still answered? memory per connection). Prints
//! figures; never fails on them. ARGS go to bench.py and load.py (`--n 2000`,
//! `--only statebox`; load.py's `--clients`, `--seconds`, `--idle`, `--shared-cpus`).
//!
//! It installs what it needs: dynalite from npm into `target/bench-dynamodb/`, boto3 with
//! pip if missing, release builds of `statebox` and the server crate's examples, and (shared
//! with `bench asl`) Node 22 and the wasm build under `target/bench/asl/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const DYNALITE_VERSION: &str = "4.0.0";

/// Runs the benchmark from the workspace at `root`.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let target = target_dir(root);
    let dynalite = install_dynalite(&target.join("bench-dynamodb"))?;
    ensure_boto3()?;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run_step(
        Command::new(&cargo)
            .current_dir(root)
            .args(["build", "--release", "-p", "statebox-cli"]),
        "build statebox (release)",
    )?;
    run_step(
        Command::new(&cargo).current_dir(root).args([
            "build",
            "--release",
            "-p",
            "statebox-server",
            "--examples",
        ]),
        "build the server examples (release)",
    )?;
    let release = target.join("release");
    let examples = release.join("examples");

    println!("== embedded engine (no HTTP)");
    let n = bench_n(args);
    run_step(
        Command::new(examples.join(exe("engine_bench"))).arg(n.to_string()),
        "engine_bench",
    )?;

    println!("\n== embedded engine in wasm (Node 22, the JS API's Workspace.dynamodb)");
    match crate::bench_asl::node_and_wasm(root) {
        Ok((node, pkg)) => run_step(
            Command::new(node)
                .arg(root.join("bench/dynamodb/engine.mjs"))
                .arg(&pkg)
                .arg(n.to_string()),
            "engine.mjs",
        )?,
        // The native figures and the HTTP comparison still stand without Node or wasm.
        Err(e) => println!("(no wasm figures: {e})"),
    }

    println!("\n== over HTTP with boto3");
    let statebox = statebox_command(&release, &examples);
    let (load_args, bench_args) = split_load_args(args);
    run_step(
        Command::new("python3")
            .current_dir(root)
            .arg(root.join("bench/dynamodb/bench.py"))
            .arg("--statebox")
            .arg(&statebox)
            .arg("--dynalite")
            .arg(&dynalite)
            .arg("--noop")
            .arg(examples.join(exe("noop")))
            .args(&bench_args),
        "bench.py",
    )?;

    run_step(
        Command::new("python3")
            .current_dir(root)
            .arg(root.join("bench/dynamodb/load.py"))
            .arg("--statebox")
            .arg(&statebox)
            .arg("--dynalite")
            .arg(&dynalite)
            .arg("--load")
            .arg(examples.join(exe("load")))
            .args(&load_args),
        "load.py",
    )
}

/// The options only load.py knows (`--clients`, `--seconds`, `--idle`, each with its value,
/// and `--shared-cpus`)
/// apart from the rest; `--only` goes to both.
fn split_load_args(args: &[String]) -> (Vec<String>, Vec<String>) {
    const LOAD_ONLY: [&str; 3] = ["--clients", "--seconds", "--idle"];
    let (mut load, mut bench) = (Vec::new(), Vec::new());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = |rest: &mut std::slice::Iter<String>| rest.next().cloned();
        if LOAD_ONLY.contains(&arg.as_str()) {
            load.push(arg.clone());
            load.extend(value(&mut rest));
        } else if arg == "--shared-cpus" {
            load.push(arg.clone());
        } else if arg == "--only" {
            let chosen = value(&mut rest);
            load.push(arg.clone());
            load.extend(chosen.clone());
            bench.push(arg.clone());
            bench.extend(chosen);
        } else {
            bench.push(arg.clone());
        }
    }
    (load, bench)
}

pub(crate) fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

pub(crate) fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// `--n N` from the arguments, else 10,000.
fn bench_n(args: &[String]) -> usize {
    args.windows(2)
        .find(|pair| pair[0] == "--n")
        .and_then(|pair| pair[1].parse().ok())
        .unwrap_or(10_000)
}

/// `statebox serve` if the CLI has that subcommand, else the server crate's `serve` example
/// (the same server, for before the subcommand exists).
fn statebox_command(release: &Path, examples: &Path) -> String {
    let cli = release.join(exe("statebox"));
    let has_serve = Command::new(&cli)
        .args(["serve", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if has_serve {
        format!("{} serve", quote(&cli))
    } else {
        println!("(statebox has no `serve` subcommand yet: using the statebox-server example)");
        quote(&examples.join(exe("serve")))
    }
}

pub(crate) fn quote(path: &Path) -> String {
    let text = path.display().to_string();
    if text.contains([' ', '\'', '"']) {
        format!("'{}'", text.replace('\'', r"'\''"))
    } else {
        text
    }
}

/// Installs dynalite into `dir` unless the wanted version is there; returns its `cli.js`.
fn install_dynalite(dir: &Path) -> Result<PathBuf, String> {
    let package = dir.join("node_modules/dynalite");
    let installed = std::fs::read_to_string(package.join("package.json"))
        .is_ok_and(|json| json.contains(&format!("\"version\": \"{DYNALITE_VERSION}\"")));
    if !installed {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        run_step(
            Command::new("npm")
                .arg("install")
                .arg("--prefix")
                .arg(dir)
                .args(["--no-audit", "--no-fund", "--no-save"])
                .arg(format!("dynalite@{DYNALITE_VERSION}")),
            "npm install dynalite",
        )?;
    }
    Ok(package.join("cli.js"))
}

pub(crate) fn ensure_boto3() -> Result<(), String> {
    let present = Command::new("python3")
        .args(["-c", "import boto3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if present {
        return Ok(());
    }
    run_step(
        Command::new("python3").args(["-m", "pip", "install", "--quiet", "boto3"]),
        "pip install boto3",
    )
}

pub(crate) fn run_step(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_n_from_the_arguments() {
        let args: Vec<String> = ["--only", "statebox", "--n", "500"]
            .map(String::from)
            .to_vec();
        assert_eq!(bench_n(&args), 500);
        assert_eq!(bench_n(&[]), 10_000);
    }

    #[test]
    fn gives_load_py_its_own_options() {
        let args: Vec<String> = [
            "--n",
            "500",
            "--idle",
            "2000",
            "--shared-cpus",
            "--only",
            "statebox",
        ]
        .map(String::from)
        .to_vec();
        let (load, bench) = split_load_args(&args);
        assert_eq!(
            load,
            ["--idle", "2000", "--shared-cpus", "--only", "statebox"]
        );
        assert_eq!(bench, ["--n", "500", "--only", "statebox"]);
    }

    #[test]
    fn quotes_paths_with_spaces() {
        assert_eq!(quote(Path::new("/a b/c")), "'/a b/c'");
        assert_eq!(quote(Path::new("/a/c")), "/a/c");
    }
}
