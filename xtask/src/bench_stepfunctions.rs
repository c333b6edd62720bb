//! `cargo xtask bench stepfunctions [--n N] [--chunks C]`: executions per second of a short
//! workflow through boto3 against `statebox serve`, above the floor of the server crate's
//! no-op server (`bench/stepfunctions/bench.py`). Step Functions Local and LocalStack cannot
//! be installed from the registries this machine reaches, so the floor is the comparison.
//! Builds release `statebox` and the `noop` example; prints figures, never fails on them.

use std::path::Path;
use std::process::Command;

use crate::bench_dynamodb::{ensure_boto3, exe, quote, run_step, target_dir};

/// Runs the benchmark from the workspace at `root`.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
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
            "--example",
            "noop",
        ]),
        "build the noop example (release)",
    )?;
    let release = target_dir(root).join("release");
    let statebox = format!("{} serve", quote(&release.join(exe("statebox"))));
    run_step(
        Command::new("python3")
            .current_dir(root)
            .arg(root.join("bench/stepfunctions/bench.py"))
            .arg("--statebox")
            .arg(&statebox)
            .arg("--noop")
            .arg(release.join("examples").join(exe("noop")))
            .args(args),
        "bench.py",
    )
}
