//! `serve [--port P] [--data DIR]`: the server alone, with the same arguments as
//! `statebox serve`, for client tests until the CLI has that subcommand.

use std::path::PathBuf;
use std::process::ExitCode;

use statebox_server::{run, ServeOptions};

fn main() -> ExitCode {
    let mut options = ServeOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--port", Some(port)) => match port.parse() {
                Ok(port) => options.port = port,
                Err(_) => return usage(&format!("not a port: {port}")),
            },
            ("--data", Some(dir)) => options.data_dir = Some(PathBuf::from(dir)),
            _ => return usage(&format!("unexpected argument {arg}")),
        }
    }
    match run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("statebox: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("{problem}\nusage: serve [--port P] [--data DIR]");
    ExitCode::from(2)
}
