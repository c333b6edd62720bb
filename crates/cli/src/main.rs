//! `statebox`: the Statebox engine on the command line.
//!
//! - `statebox run --definition FILE --input JSON|@FILE [--tables FILE] [--history]
//!   [--mock-config FILE --test-case NAME] [--clock virtual|real]` runs a state machine and
//!   prints the result (`--clock real`: Waits, retries and timeouts take real time);
//! - `statebox validate FILE` prints the definition's diagnostics;
//! - `statebox conformance FILE.jsonl [--report OUT.json] [--format auto|asl|jsonata]
//!   [--datasets DIR]` runs AWS-recorded ASL cases or the JSONata reference suite's cases;
//! - `statebox serve [--port P] [--data DIR] [--clock virtual|real] [--mock-config FILE]
//!   [--region R] [--account A]` serves DynamoDB's and Step Functions' JSON protocols.
//!
//! Exit codes: 0 success, 1 the execution failed (or validation/conformance found
//! problems), 2 the command's inputs are wrong.

#[macro_use]
mod output;
mod conformance;
mod conformance_jsonata;
mod error;
mod input;
mod run;
mod serve;
mod validate;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

// mimalloc: about a third less CPU than the system allocator on the ASL benchmark's runs
// (many small JSON values), and far fewer page faults.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "statebox",
    version,
    about = "Step Functions + DynamoDB, locally"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a state machine and print {"status", "output"} or {"status", "error", "cause"}.
    Run(run::RunArgs),
    /// Check a definition and print its diagnostics with line/column and JSON pointer.
    Validate {
        /// The definition file (ASL JSON).
        file: PathBuf,
    },
    /// Run a file of cases: AWS-recorded ASL cases (shared/conformance/asl/cases.jsonl) or
    /// JSONata reference cases (shared/conformance/jsonata/cases.jsonl), told apart by content.
    Conformance(conformance::ConformanceArgs),
    /// Serve DynamoDB and Step Functions (JSON 1.0) on 127.0.0.1 for AWS CLIs and SDKs.
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Validate { file } => validate::validate(&file),
        Command::Conformance(args) => conformance::conformance(args),
        Command::Serve(args) => serve::serve(args),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("statebox: {e}");
            ExitCode::from(2)
        }
    }
}
