//! `statebox serve`: DynamoDB and Step Functions on one port.

use crate::error::CliError;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ServeArgs {
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Keep tables on disk in DIR between runs (default: in memory).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Step Functions executions' clock: `virtual` (Waits, retries and timeouts pass at
    /// once) or `real` (they take real time).
    #[arg(long, value_enum, default_value_t = Clock::Virtual)]
    clock: Clock,
    /// Step Functions Local's MockConfigFile: a state machine ARN ending in `#TestCase`
    /// runs with that test case's mocked responses.
    #[arg(long, value_name = "FILE")]
    mock_config: Option<PathBuf>,
    /// The region in Step Functions ARNs.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// The account id in Step Functions ARNs.
    #[arg(long, default_value = "123456789012")]
    account: String,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Clock {
    Virtual,
    Real,
}

pub fn serve(args: ServeArgs) -> Result<ExitCode, CliError> {
    statebox_server::run(statebox_server::ServeOptions {
        port: args.port,
        data_dir: args.data,
        real_clock: args.clock == Clock::Real,
        mock_config: args.mock_config,
        region: Some(args.region),
        account: Some(args.account),
    })
    .map_err(|e| CliError::Server(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}
