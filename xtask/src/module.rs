//! The JavaScript module `/pkg/statebox.js`: crates/wasm built once (profile `web-release`),
//! bound by the installed `wasm-bindgen` (`--target web --typescript --out-name statebox`)
//! and shrunk by npm's `wasm-opt -Oz`, into the gitignored `build/pkg/`. Trunk copies that
//! folder to `dist/pkg/` (a `copy-dir` link in web/index.html) and runs `cargo xtask module`
//! as a pre-build hook (Trunk.toml), so `trunk serve`'s watch rebuilds it after an edit.
//!
//! The hook does nothing when [`PREBUILT_ENV`] is set: `cargo xtask test` and the browser
//! bench build the module once themselves and set it for every Trunk run after that.
//! Rebinding is skipped when the compiled wasm has not changed since the last build.

use crate::proc::run_checked;
use crate::root;
use crate::tools::{cargo, locked_wasm_bindgen_version, target_dir, tool};
use std::path::PathBuf;

/// Set (to anything) when the module in `build/pkg/` is already current for this run.
pub const PREBUILT_ENV: &str = "STATEBOX_MODULE_PREBUILT";

const PROFILE: &str = "web-release";

/// Where the module is written: `build/pkg/` at the workspace root.
pub fn pkg_dir() -> PathBuf {
    root().join("build").join("pkg")
}

/// What the module in [`pkg_dir`] was built from (beside it, so Trunk does not copy it).
fn stamp_file() -> PathBuf {
    root().join("build").join("pkg.source")
}

/// `cargo xtask module`: builds the module unless [`PREBUILT_ENV`] says it is current.
pub fn module_task(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("unknown option {a} (module takes none)"));
    }
    if std::env::var_os(PREBUILT_ENV).is_some() {
        return Ok(());
    }
    build_module().map(|_| ())
}

/// Builds the module into [`pkg_dir`] and returns that folder.
pub fn build_module() -> Result<PathBuf, String> {
    let root = root();
    run_checked(cargo().current_dir(&root).args([
        "build",
        "-p",
        "statebox-wasm",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        PROFILE,
    ]))?;
    let wasm = target_dir()
        .join("wasm32-unknown-unknown")
        .join(PROFILE)
        .join("statebox_wasm.wasm");
    let meta = std::fs::metadata(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let stamp = format!(
        "{} {} {:?} wasm-bindgen {}",
        wasm.display(),
        meta.len(),
        meta.modified().ok(),
        locked_wasm_bindgen_version()?
    );
    let out = pkg_dir();
    let outputs = ["statebox.js", "statebox_bg.wasm", "statebox.d.ts"];
    let current = std::fs::read_to_string(stamp_file()).is_ok_and(|s| s == stamp)
        && outputs.iter().all(|f| out.join(f).exists());
    if current {
        println!("xtask: {} is current", out.display());
        return Ok(out);
    }
    // A half-written folder from an interrupted build must not pass for a current one.
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    run_checked(
        tool("wasm-bindgen")
            .arg(&wasm)
            .args(["--target", "web", "--typescript", "--out-name", "statebox"])
            .arg("--out-dir")
            .arg(&out),
    )?;
    let bg = out.join("statebox_bg.wasm");
    run_checked(tool("wasm-opt").arg("-Oz").arg(&bg).arg("-o").arg(&bg))?;
    std::fs::write(stamp_file(), stamp).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(out)
}
