//! `statebox conformance FILE.jsonl [--report OUT.json] [--format auto|asl|jsonata]
//! [--datasets DIR]`: runs a file of cases in one of two formats, told apart by the first
//! case (`definition`: ASL; `expr` or `expr-file`: JSONata) unless `--format` says.
//!
//! ASL (AWS-recorded cases, the format of shared/conformance/asl/cases.jsonl): runs with the
//! DynamoDB engine bound, prints a line per case that did not pass with its reason, the
//! counts per tag, and `N passed, N failed`. Cases that need a service Statebox does not
//! have are reported under their own heading and counted as not passed.
//! JSONata (the reference suite's format, shared/conformance/jsonata/cases.jsonl): see
//! [`crate::conformance_jsonata`]; the same report, counted per group.

use crate::conformance_jsonata;
use crate::error::CliError;
use crate::input::read_file;
use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use statebox_asl::conformance::{run_file, Verdict};
use statebox_dynamo::Engine;
use statebox_services::Services;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct ConformanceArgs {
    /// A JSON-lines file of cases.
    file: PathBuf,
    /// Write a JSON report [{"id", "pass", "reason"}] here.
    #[arg(long)]
    report: Option<PathBuf>,
    /// The file's format; `auto` tells it from the first case.
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    format: Format,
    /// JSONata format: the folder of the datasets cases name (default: `datasets` beside FILE).
    #[arg(long)]
    datasets: Option<PathBuf>,
}

/// The two case formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Auto,
    /// AWS-recorded Step Functions cases (`definition`, `input`, `expected`, `tags`).
    Asl,
    /// The JSONata reference suite (`expr`, `data`/`dataset`, `bindings`, outcome).
    Jsonata,
}

/// The format of `text` (the contents of `file`), from its first non-blank line.
pub fn detect(file: &Path, text: &str) -> Result<Format, CliError> {
    let bad = |message: String| CliError::Input {
        path: file.display().to_string(),
        message,
    };
    let Some((i, line)) = text.lines().enumerate().find(|(_, l)| !l.trim().is_empty()) else {
        return Err(bad("no cases in the file".into()));
    };
    let first: Value =
        serde_json::from_str(line).map_err(|e| bad(format!("line {}: not JSON: {e}", i + 1)))?;
    if first.get("expr").is_some() || first.get("expr-file").is_some() {
        Ok(Format::Jsonata)
    } else if first.get("definition").is_some() {
        Ok(Format::Asl)
    } else {
        Err(bad(format!(
            "line {}: neither an ASL case (\"definition\") nor a JSONata case (\"expr\"); --format asl|jsonata says which",
            i + 1
        )))
    }
}

pub fn conformance(args: ConformanceArgs) -> Result<ExitCode, CliError> {
    let text = read_file(&args.file)?;
    let format = match args.format {
        Format::Auto => detect(&args.file, &text)?,
        chosen => chosen,
    };
    if format == Format::Jsonata {
        return jsonata(&args, &text);
    }
    if let Some(dir) = &args.datasets {
        return Err(CliError::Input {
            path: dir.display().to_string(),
            message: "--datasets is for the JSONata suite's format, not ASL cases".into(),
        });
    }
    // Each case gets a fresh, empty engine: its DynamoDB tasks see no tables unless it makes them.
    let report = run_file(&text, &mut |_case| Box::new(Services::new(Engine::new())));
    for c in report.cases.iter().filter(|c| !c.pass) {
        let label = match c.verdict {
            Verdict::Fail => "FAIL",
            Verdict::NeedsService => "NEEDS SERVICE",
            Verdict::Unsupported => "UNSUPPORTED",
            Verdict::Pass => "PASS",
        };
        outln!("{label} {}: {}", c.id, c.reason);
    }
    outln!();
    out!("{}", report.summary());
    if let Some(path) = &args.report {
        let cases: Vec<Value> = report
            .cases
            .iter()
            .map(|c| json!({"id": c.id, "pass": c.pass, "reason": c.reason}))
            .collect();
        let text = serde_json::to_string_pretty(&cases).unwrap_or_default();
        write_report(path, &text)?;
    }
    let passed = report.cases.iter().filter(|c| c.pass).count();
    Ok(closing(passed, report.cases.len() - passed))
}

/// The JSONata suite's format: every line and dataset read first, then every case run.
fn jsonata(args: &ConformanceArgs, text: &str) -> Result<ExitCode, CliError> {
    let datasets = args.datasets.clone().unwrap_or_else(|| {
        args.file
            .parent()
            .unwrap_or(Path::new("."))
            .join("datasets")
    });
    let suite = conformance_jsonata::load(&args.file, text, &datasets)?;
    let outcomes = suite.run();
    out!("{}", conformance_jsonata::report_text(&outcomes));
    if let Some(path) = &args.report {
        write_report(path, &conformance_jsonata::report_json(&outcomes))?;
    }
    let passed = outcomes.iter().filter(|o| o.pass).count();
    Ok(closing(passed, outcomes.len() - passed))
}

fn write_report(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|source| CliError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// Both formats' closing line, and the exit code: 1 when any case did not pass.
fn closing(passed: usize, failed: usize) -> ExitCode {
    outln!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_case_tells_the_format() {
        let file = Path::new("cases.jsonl");
        let detect_text = |text: &str| detect(file, text).map_err(|e| e.to_string());
        assert_eq!(
            detect_text("\n{\"expr\": \"1\", \"result\": 1}"),
            Ok(Format::Jsonata)
        );
        assert_eq!(
            detect_text("{\"expr-file\": \"a.jsonata\", \"result\": 1}"),
            Ok(Format::Jsonata)
        );
        assert_eq!(
            detect_text("{\"id\": \"x\", \"definition\": {}, \"expected\": {}}"),
            Ok(Format::Asl)
        );
        let e = detect_text("\n\n{\"id\": 1").unwrap_err();
        assert!(e.starts_with("cases.jsonl: line 3: not JSON"), "{e}");
        let e = detect_text("{\"id\": 1}").unwrap_err();
        assert!(
            e.contains("line 1: neither") && e.contains("--format"),
            "{e}"
        );
        assert!(detect_text("  \n").unwrap_err().contains("no cases"));
    }
}
