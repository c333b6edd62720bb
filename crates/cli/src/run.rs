//! `statebox run`.

use crate::error::CliError;
use crate::input::{json_argument, read_file};
use clap::Args;
use serde_json::Value;
use statebox_playground::{RunOptions, WorkspaceSeed};
use statebox_services::MockConfig;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct RunArgs {
    /// The state machine definition (ASL JSON file).
    #[arg(long)]
    definition: PathBuf,
    /// The execution input: inline JSON, or @FILE.
    #[arg(long, default_value = "{}")]
    input: String,
    /// A workspace seed: {"tables": [CreateTable requests], "items": {"Table": [items]}}.
    #[arg(long)]
    tables: Option<PathBuf>,
    /// Also print the execution history (GetExecutionHistory's events).
    #[arg(long)]
    history: bool,
    /// A Step Functions Local MockConfigFile.
    #[arg(long, requires = "test_case")]
    mock_config: Option<PathBuf>,
    /// The test case of the mock config to use.
    #[arg(long, requires = "mock_config")]
    test_case: Option<String>,
    /// The execution name ($$.Execution.Name).
    #[arg(long)]
    name: Option<String>,
    /// Change AWS's 25,000-event history limit: a number, or `unlimited` (for measurement
    /// only: AWS itself never lifts it).
    #[arg(long, value_parser = parse_limit)]
    max_history_events: Option<usize>,
    /// Change AWS's 262,144-byte limit on state inputs, outputs and task results: a number,
    /// or `unlimited` (for measurement only).
    #[arg(long, value_parser = parse_limit)]
    max_payload_bytes: Option<usize>,
}

fn parse_limit(text: &str) -> Result<usize, String> {
    if text == "unlimited" {
        return Ok(usize::MAX);
    }
    text.parse()
        .map_err(|_| format!("'{text}' is not a number or 'unlimited'"))
}

pub fn run(args: RunArgs) -> Result<ExitCode, CliError> {
    let definition = read_file(&args.definition)?;
    let input = json_argument("--input", &args.input)?;
    let mut engine = statebox_dynamo::Engine::new();
    if let Some(path) = &args.tables {
        WorkspaceSeed::parse(&read_file(path)?)?.apply(&mut engine)?;
    }
    let mocks = match (&args.mock_config, &args.test_case) {
        (Some(path), Some(case)) => {
            Some(MockConfig::parse(&read_file(path)?)?.test_case(case, None)?)
        }
        _ => None,
    };
    let options = RunOptions {
        name: args.name,
        mocks,
        max_history_events: args.max_history_events,
        max_payload_bytes: args.max_payload_bytes,
        ..RunOptions::default()
    };
    let report = statebox_playground::run(&mut engine, &definition, input, options)?;
    let mut result = report.result();
    if args.history {
        if let Value::Object(map) = &mut result {
            map.insert("history".to_string(), Value::Array(report.history_json()));
        }
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&result).unwrap_or_default()
    );
    Ok(if result["status"] == "SUCCEEDED" {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
