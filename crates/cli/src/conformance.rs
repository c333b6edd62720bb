//! `statebox conformance FILE.jsonl [--report OUT.json]`: runs AWS-recorded cases (the format
//! of shared/conformance/asl/cases.jsonl) with the DynamoDB engine bound, prints a line per
//! case that did not pass with its reason, the counts per tag, and `N passed, N failed`.
//! Cases that need a service Statebox does not have are reported under their own heading and
//! counted as not passed.

use crate::error::CliError;
use crate::input::read_file;
use clap::Args;
use serde_json::{json, Value};
use statebox_asl::conformance::{run_file, Verdict};
use statebox_dynamo::Engine;
use statebox_services::Services;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ConformanceArgs {
    /// A JSON-lines file of cases.
    file: PathBuf,
    /// Write a JSON report [{"id", "pass", "reason"}] here.
    #[arg(long)]
    report: Option<PathBuf>,
}

pub fn conformance(args: ConformanceArgs) -> Result<ExitCode, CliError> {
    let text = read_file(&args.file)?;
    // Each case gets a fresh, empty engine: its DynamoDB tasks see no tables unless it makes them.
    let report = run_file(&text, &mut |_case| Box::new(Services::new(Engine::new())));
    for c in report.cases.iter().filter(|c| !c.pass) {
        let label = match c.verdict {
            Verdict::Fail => "FAIL",
            Verdict::NeedsService => "NEEDS SERVICE",
            Verdict::Unsupported => "UNSUPPORTED",
            Verdict::Pass => "PASS",
        };
        println!("{label} {}: {}", c.id, c.reason);
    }
    println!();
    print!("{}", report.summary());
    if let Some(path) = &args.report {
        let cases: Vec<Value> = report
            .cases
            .iter()
            .map(|c| json!({"id": c.id, "pass": c.pass, "reason": c.reason}))
            .collect();
        let text = serde_json::to_string_pretty(&cases).unwrap_or_default();
        std::fs::write(path, text).map_err(|source| CliError::Read {
            path: path.display().to_string(),
            source,
        })?;
    }
    let passed = report.cases.iter().filter(|c| c.pass).count();
    let failed = report.cases.len() - passed;
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
