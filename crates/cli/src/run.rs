//! `statebox run`. With `--clock real`, Waits, retry backoff and timeouts take real time:
//! the engine never sleeps, so this command sleeps until the execution's next wake-up.

use crate::error::CliError;
use crate::input::{json_argument, read_file};
use clap::{Args, ValueEnum};
use serde_json::Value;
use statebox_asl::ClockMode;
use statebox_playground::{RunOptions, WorkspaceSeed};
use statebox_services::MockConfig;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

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
    /// Where time comes from: `virtual` (Waits and retries pass instantly) or `real`
    /// (they really wait; timestamps are the wall clock's).
    #[arg(long, value_enum, default_value_t = Clock::Virtual)]
    clock: Clock,
}

/// `--clock`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
enum Clock {
    Virtual,
    Real,
}

/// The wall clock in epoch milliseconds (0 if the system clock is before 1970).
fn system_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
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
        clock: match args.clock {
            Clock::Virtual => ClockMode::Virtual,
            Clock::Real => ClockMode::real_time(system_millis),
        },
        sleep: Some(std::thread::sleep),
        result_only: !args.history,
        ..RunOptions::default()
    };
    let report = statebox_playground::run(&mut engine, &definition, input, options)?;
    let mut result = report.result();
    if args.history {
        if let Value::Object(map) = &mut result {
            map.insert("history".to_string(), Value::Array(report.history_json()));
        }
    }
    outln!(
        "{}",
        serde_json::to_string_pretty(&result).unwrap_or_default()
    );
    Ok(if result["status"] == "SUCCEEDED" {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
