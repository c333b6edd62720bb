//! Project tasks, run as `cargo xtask <task>`:
//!
//! - `serve [--port P]`: installs what is missing, builds the playground and serves it on
//!   http://127.0.0.1:8080;
//! - `test`: installs what is missing and runs every test (fmt, clippy, native tests,
//!   browser tests in headless Chromium, Playwright end-to-end tests, client tests against
//!   `statebox serve`), closing with one line `N passed, N failed`;
//! - `module`: builds the JS module `/pkg/statebox.js` into `build/pkg/` (Trunk's pre-build
//!   hook runs it);
//! - `bench asl|dynamodb|jsonata|browser|stepfunctions`: benchmarks that print figures and ratios
//!   (not tests).

mod bench_asl;
mod bench_browser;
mod bench_dynamodb;
mod bench_jsonata;
mod bench_stepfunctions;
mod module;
mod proc;
mod serve;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

/// The workspace root.
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask <task>\n  serve [--port P]     build and serve the playground (default port 8080)\n  test                 run every test\n  module               build the JS module into build/pkg\n  bench asl|dynamodb|jsonata|browser|stepfunctions   run a benchmark"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        return usage();
    };
    let rest = &args[1..];
    let outcome = match task.as_str() {
        "serve" => serve::serve(rest),
        "test" => test::test(rest),
        "module" => module::module_task(rest),
        "bench" => match rest.first().map(String::as_str) {
            Some("asl") => bench_asl::run(&root(), &rest[1..]),
            Some("dynamodb") => bench_dynamodb::run(&root(), &rest[1..]),
            Some("jsonata") => bench_jsonata::run(&root(), &rest[1..]),
            Some("browser") => bench_browser::run(&rest[1..]),
            Some("stepfunctions") => bench_stepfunctions::run(&root(), &rest[1..]),
            _ => return usage(),
        },
        _ => return usage(),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
