//! `statebox serve`.

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
}

pub fn serve(args: ServeArgs) -> Result<ExitCode, CliError> {
    statebox_server::run(statebox_server::ServeOptions {
        port: args.port,
        data_dir: args.data,
    })
    .map_err(|e| CliError::Server(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}
