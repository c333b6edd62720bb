//! `cargo xtask serve`: build the playground and serve it with Trunk.

use crate::proc::run_checked;
use crate::root;
use crate::tools::{cargo, ensure_web_tools, tool};

/// Builds the page in release mode (into `dist/`) or serves it.
pub fn trunk(subcommand: &str, extra: &[&str]) -> Result<(), String> {
    // Trunk runs cargo with --offline so that it never reaches for the network itself:
    // fetch the crates first.
    run_checked(cargo().arg("fetch").current_dir(root()))?;
    let mut cmd = tool("trunk");
    cmd.current_dir(root())
        .args([subcommand, "--release", "--offline"])
        .args(extra)
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("NO_COLOR", "true");
    run_checked(&mut cmd)
}

pub fn serve(args: &[String]) -> Result<(), String> {
    let mut port = "8080".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--port" => port = it.next().ok_or("--port needs a number")?.clone(),
            other => return Err(format!("unknown option {other} (serve takes --port P)")),
        }
    }
    port.parse::<u16>()
        .map_err(|_| format!("--port {port}: not a port number"))?;
    ensure_web_tools()?;
    println!("xtask: serving the playground at http://127.0.0.1:{port}");
    trunk(
        "serve",
        &["--address", "127.0.0.1", "--port", &port, "--no-autoreload"],
    )
}
