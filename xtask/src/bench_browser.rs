//! `cargo xtask bench browser [ARGS]`: the JS module and the page in headless Chromium
//! (`bench/browser/bench.mjs`, playwright-core driving Debian's Chromium over a static
//! server of `dist/`): awaited PutItem on a persisted workspace against plain IndexedDB,
//! opening a workspace of 10,000 items, and the longest main-thread task while the page runs
//! a 24,000-event workflow. Builds the module and the page first (as `cargo xtask test`
//! does). Prints figures with their targets; never fails on them. ARGS go to bench.mjs
//! (`--n 10000`, `--only a,b,c`, `--port P`).

use crate::proc::run_checked;
use crate::root;
use crate::serve::build_site;
use crate::tools::{ensure_chromium, ensure_web_tools, tool};

pub fn run(args: &[String]) -> Result<(), String> {
    ensure_web_tools()?;
    ensure_chromium()?;
    build_site()?;
    let root = root();
    println!("\n== browser (headless Chromium)");
    run_checked(
        tool("node")
            .current_dir(&root)
            .arg(root.join("bench/browser/bench.mjs"))
            .arg("--dist")
            .arg(root.join("dist"))
            .args(args),
    )
}
