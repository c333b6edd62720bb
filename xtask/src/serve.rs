//! `cargo xtask serve`: build the JS module and the playground and serve them with Trunk.

use crate::module::{build_module, PREBUILT_ENV};
use crate::proc::run_checked;
use crate::root;
use crate::tools::{cargo, ensure_web_tools, tool};

/// Builds the page in release mode (into `dist/`) or serves it. With `module_prebuilt`,
/// Trunk's pre-build hook leaves `build/pkg/` as it is (the caller built it for this run);
/// without it, the hook rebuilds the module whenever Trunk builds (serve's watch).
pub fn trunk(subcommand: &str, extra: &[&str], module_prebuilt: bool) -> Result<(), String> {
    // Trunk runs cargo with --offline so that it never reaches for the network itself:
    // fetch the crates first.
    run_checked(cargo().arg("fetch").current_dir(root()))?;
    let mut cmd = tool("trunk");
    cmd.current_dir(root())
        .args([subcommand, "--release", "--offline"])
        .args(extra)
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("NO_COLOR", "true");
    if module_prebuilt {
        cmd.env(PREBUILT_ENV, "1");
    } else {
        cmd.env_remove(PREBUILT_ENV);
    }
    run_checked(&mut cmd)
}

/// Builds the JS module, then the page, into `dist/` (module at `dist/pkg/`).
pub fn build_site() -> Result<(), String> {
    build_module()?;
    trunk("build", &[], true)
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
    build_module()?;
    println!("xtask: serving the playground at http://127.0.0.1:{port}");
    trunk(
        "serve",
        &["--address", "127.0.0.1", "--port", &port, "--no-autoreload"],
        false,
    )
}
