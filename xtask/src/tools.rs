//! Installing what the build and the tests need, idempotently: each tool is checked first
//! and installed only when missing or of the wrong version. Where an install cannot work
//! (no root, not Debian), the error says exactly what to install.

use crate::proc::{output_of, run_checked};
use crate::root;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Trunk's version: 0.22 needs a newer rustc than this toolchain.
pub const TRUNK_VERSION: &str = "0.21.14";
/// wasm-pack's version: the newest on crates.io, and it builds with this toolchain.
pub const WASM_PACK_VERSION: &str = "0.15.1";
/// Python packages the client tests use.
pub const PYTHON_PACKAGES: [&str; 2] = ["boto3==1.43.11", "pytest==9.2.0"];

/// `cargo`, as the one running xtask.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Where cargo puts build outputs.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// PATH with npm's `node_modules/.bin` (wasm-opt from binaryen) and cargo's bin first.
pub fn tool_path() -> OsString {
    let mut dirs = vec![root().join("node_modules").join(".bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// A command that finds the tools installed here first.
pub fn tool(program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.env("PATH", tool_path());
    cmd
}

fn version_of(program: &str) -> Option<String> {
    output_of(tool(program).arg("--version"))
}

/// The `wasm-bindgen` version pinned in Cargo.lock: the CLI must equal it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run_checked(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"])).map_err(
        |e| format!("{e}\n  install the target with: rustup target add wasm32-unknown-unknown"),
    )
}

pub fn ensure_trunk() -> Result<(), String> {
    if version_of("trunk").is_some_and(|v| v.ends_with(TRUNK_VERSION)) {
        return Ok(());
    }
    println!("xtask: installing trunk {TRUNK_VERSION} (several minutes, once)");
    run_checked(
        cargo()
            .args(["install", "--locked", "trunk", "--version", TRUNK_VERSION])
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
    )
}

/// wasm-pack runs the browser tests (`wasm-pack test --headless --chrome`). With the
/// `wasm-bindgen` of Cargo.lock's version on PATH and `chromedriver` given, it downloads
/// nothing (and `--mode no-install` makes sure of that).
pub fn ensure_wasm_pack() -> Result<(), String> {
    if version_of("wasm-pack").is_some_and(|v| v.ends_with(WASM_PACK_VERSION)) {
        return Ok(());
    }
    println!("xtask: installing wasm-pack {WASM_PACK_VERSION} (a few minutes, once)");
    run_checked(
        cargo()
            .args([
                "install",
                "--locked",
                "wasm-pack",
                "--version",
                WASM_PACK_VERSION,
            ])
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
    )
}

pub fn ensure_wasm_bindgen() -> Result<(), String> {
    let want = locked_wasm_bindgen_version()?;
    let have = version_of("wasm-bindgen");
    let runner = version_of("wasm-bindgen-test-runner");
    if have.as_deref().is_some_and(|v| v.ends_with(&want)) && runner.is_some() {
        return Ok(());
    }
    println!("xtask: installing wasm-bindgen-cli {want} (several minutes, once)");
    let locked = run_checked(cargo().args([
        "install",
        "--locked",
        "--force",
        "wasm-bindgen-cli",
        "--version",
        &want,
    ]));
    if locked.is_ok() {
        return Ok(());
    }
    // The crate's own lockfile can name versions the registry no longer has: retry unlocked.
    run_checked(cargo().args(["install", "--force", "wasm-bindgen-cli", "--version", &want]))
}

/// `npm ci` when node_modules does not match package-lock.json.
pub fn ensure_npm() -> Result<(), String> {
    let root = root();
    let lock = std::fs::read_to_string(root.join("package-lock.json"))
        .map_err(|e| format!("cannot read package-lock.json: {e}"))?;
    let stamp = root.join("node_modules").join(".statebox-lock");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == lock) {
        return Ok(());
    }
    if output_of(Command::new("npm").arg("--version")).is_none() {
        return Err(
            "npm is missing: install Node.js 18+ and npm (Debian: apt-get install nodejs npm)"
                .into(),
        );
    }
    run_checked(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&root)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )?;
    std::fs::write(&stamp, lock).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn is_root() -> bool {
    output_of(Command::new("id").arg("-u")).is_some_and(|u| u == "0")
}

/// Debian's chromium and chromium-driver for the browser tests.
pub fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let hint = "install Debian's chromium and chromium-driver: apt-get update && apt-get install -y chromium chromium-driver";
    if !is_root() || !Path::new("/usr/bin/apt-get").exists() {
        return Err(format!("Chromium is missing: {hint}"));
    }
    run_checked(
        Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    run_checked(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "--no-install-recommends",
                "chromium",
                "chromium-driver",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
    .map_err(|e| format!("{e}\n  {hint}"))
}

/// boto3 and pytest for the client tests.
pub fn ensure_python_clients() -> Result<(), String> {
    if output_of(Command::new("python3").args(["-c", "import boto3, pytest"])).is_some() {
        return Ok(());
    }
    let mut cmd = Command::new("python3");
    cmd.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]);
    cmd.args(PYTHON_PACKAGES);
    run_checked(&mut cmd).map_err(|e| {
        format!(
            "{e}\n  install them with: python3 -m pip install {}",
            PYTHON_PACKAGES.join(" ")
        )
    })
}

/// Everything the page build needs.
pub fn ensure_web_tools() -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_npm()?;
    ensure_wasm_bindgen()?;
    ensure_trunk()
}
