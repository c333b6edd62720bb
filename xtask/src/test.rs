//! `cargo xtask test`: every test, one summary.
//!
//! Each step's own runner output is streamed; its counts are read from the runner's closing
//! lines (cargo test's `test result:`, Playwright's `N passed`, pytest's summary). Checks
//! without a count (fmt, clippy, builds) count as one test each. The run closes with a line
//! `N passed, N failed` for the whole run and fails if anything failed.

use crate::module::build_module;
use crate::proc::{describe, run_tee};
use crate::root;
use crate::serve::trunk;
use crate::tools::{self, cargo, target_dir, tool, CHROMEDRIVER};
use std::process::Command;
use std::time::Instant;

/// How a step's output is counted.
#[derive(Clone, Copy)]
enum Counter {
    /// One check: passed if the command succeeded.
    Check,
    /// cargo test / wasm-bindgen-test-runner (under wasm-pack) `test result:` lines.
    CargoTest,
    /// Playwright's `N passed` / `N failed` lines.
    Playwright,
    /// pytest's closing summary.
    Pytest,
    /// `node --test --test-reporter=tap`'s `# pass N` / `# fail N` lines.
    NodeTest,
}

/// The crates whose `wasm-bindgen-test`s run in headless Chromium through wasm-pack.
const BROWSER_TEST_CRATES: [&str; 4] = [
    "crates/idb",
    "crates/wasm",
    "crates/jsonata",
    "examples/workflow-test",
];

/// `wasm-pack test --headless --chrome CRATE` with Debian's chromedriver and the installed
/// wasm-bindgen (found on PATH at Cargo.lock's version, so wasm-pack installs nothing;
/// `--mode no-install` turns any attempt into an error). The test runner adds Chromium's
/// `--headless` and `--no-sandbox` itself.
fn wasm_pack_test(krate: &str) -> Command {
    let mut cmd = tool("wasm-pack");
    cmd.current_dir(root())
        .args(["test", "--mode", "no-install", "--headless", "--chrome"])
        .args(["--chromedriver", CHROMEDRIVER])
        .arg(krate)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    cmd
}

struct StepResult {
    name: String,
    passed: u64,
    failed: u64,
    seconds: f64,
}

/// The number before `word` in `line` (`"12 passed"` → 12).
fn count_before(line: &str, word: &str) -> Option<u64> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '=')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .find(|w| w[1].trim_end_matches('.') == word)
        .and_then(|w| w[0].parse().ok())
}

fn count(counter: Counter, success: bool, text: &str) -> (u64, u64) {
    let (mut passed, mut failed) = (0, 0);
    match counter {
        Counter::Check => return if success { (1, 0) } else { (0, 1) },
        Counter::CargoTest => {
            for line in text.lines().filter(|l| l.contains("test result:")) {
                passed += count_before(line, "passed").unwrap_or(0);
                failed += count_before(line, "failed").unwrap_or(0);
            }
        }
        Counter::Playwright => {
            for line in text.lines().map(str::trim) {
                if line.contains(" passed (") || line.ends_with(" passed") {
                    passed += count_before(line, "passed").unwrap_or(0);
                }
                if line.ends_with(" failed") || line.ends_with(" flaky") {
                    failed += count_before(line, "failed")
                        .or(count_before(line, "flaky"))
                        .unwrap_or(0);
                }
            }
        }
        Counter::Pytest => {
            if let Some(line) = text
                .lines()
                .rev()
                .find(|l| l.contains(" passed") || l.contains(" failed") || l.contains(" error"))
            {
                passed = count_before(line, "passed").unwrap_or(0);
                failed = count_before(line, "failed").unwrap_or(0)
                    + count_before(line, "error").unwrap_or(0)
                    + count_before(line, "errors").unwrap_or(0);
            }
        }
        Counter::NodeTest => {
            for line in text.lines().map(str::trim) {
                if let Some(n) = line.strip_prefix("# pass ") {
                    passed += n.trim().parse().unwrap_or(0);
                }
                if let Some(n) = line.strip_prefix("# fail ") {
                    failed += n.trim().parse().unwrap_or(0);
                }
            }
        }
    }
    if !success && failed == 0 {
        // The runner failed before it could count (a build error, a crash): one failure.
        failed = 1;
    }
    (passed, failed)
}

struct Run {
    results: Vec<StepResult>,
}

impl Run {
    fn step(&mut self, name: &str, counter: Counter, cmd: &mut Command) -> bool {
        println!("\n==> {name}");
        let start = Instant::now();
        let (success, passed, failed) = match run_tee(cmd) {
            Ok(done) => {
                let (p, f) = count(counter, done.success, &done.text);
                (done.success && f == 0, p, f)
            }
            Err(e) => {
                println!("xtask: {e}");
                (false, 0, 1)
            }
        };
        self.record(name, passed, failed, start);
        if !success {
            println!("xtask: step failed: {name} ({})", describe(cmd));
        }
        success
    }

    fn record(&mut self, name: &str, passed: u64, failed: u64, start: Instant) {
        self.results.push(StepResult {
            name: name.to_string(),
            passed,
            failed,
            seconds: start.elapsed().as_secs_f64(),
        });
    }

    /// A step done in-process (tool installs): one check.
    fn check(&mut self, name: &str, f: impl FnOnce() -> Result<(), String>) -> bool {
        println!("\n==> {name}");
        let start = Instant::now();
        let outcome = f();
        if let Err(e) = &outcome {
            println!("xtask: {name}: {e}");
        }
        let ok = outcome.is_ok();
        self.record(name, u64::from(ok), u64::from(!ok), start);
        ok
    }
}

pub fn test(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("unknown option {a} (test takes none)"));
    }
    let started = Instant::now();
    let root = root();
    let mut run = Run {
        results: Vec::new(),
    };

    let tools_ok = run.check("install tools", || {
        tools::ensure_web_tools()?;
        tools::ensure_wasm_pack()?;
        tools::ensure_chromium()?;
        tools::ensure_python_clients()
    });

    run.step(
        "cargo fmt --check",
        Counter::Check,
        cargo().current_dir(&root).args(["fmt", "--all", "--check"]),
    );
    run.step(
        "clippy (native)",
        Counter::Check,
        // As the standards say it (the page is linted for wasm32 below too).
        cargo().current_dir(&root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    run.step(
        "native tests",
        Counter::CargoTest,
        cargo()
            .current_dir(&root)
            .args(["test", "--workspace", "--no-fail-fast"]),
    );
    run.step(
        "build statebox",
        Counter::Check,
        cargo()
            .current_dir(&root)
            .args(["build", "-p", "statebox-cli"]),
    );
    let statebox = target_dir().join("debug").join("statebox");
    run.step(
        "client tests (boto3 against statebox serve)",
        Counter::Pytest,
        Command::new("python3")
            .current_dir(&root)
            .args([
                "-m",
                "pytest",
                "tests/clients",
                "-q",
                "-p",
                "no:cacheprovider",
            ])
            .env("STATEBOX_BIN", &statebox),
    );

    run.step(
        "lessons (solutions pass, starts fail)",
        Counter::Pytest,
        Command::new("python3")
            .current_dir(&root)
            .arg("tests/lessons/check_lessons.py")
            .env("STATEBOX_BIN", &statebox),
    );

    if tools_ok {
        run.step(
            "client tests (AWS SDK for JS v3 against statebox serve)",
            Counter::NodeTest,
            tool("node")
                .current_dir(&root)
                .args(["--test", "--test-reporter=tap", "tests/clients-js/"])
                .env("STATEBOX_BIN", &statebox),
        );
        run.step(
            "clippy (wasm32)",
            Counter::Check,
            cargo().current_dir(&root).args([
                "clippy",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "statebox-web",
                "-p",
                "statebox-idb",
                "-p",
                "statebox-wasm",
                "-p",
                "workflow-test",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        );
        for krate in BROWSER_TEST_CRATES {
            run.step(
                &format!("browser tests (wasm-pack, Chromium): {krate}"),
                Counter::CargoTest,
                &mut wasm_pack_test(krate),
            );
        }
        // The JS module is built once here and shared by the page build and the e2e tests.
        println!("\n==> build the JS module (build/pkg)");
        let start = Instant::now();
        let module = build_module();
        if let Err(e) = &module {
            println!("xtask: {e}");
        }
        run.record(
            "build the JS module",
            u64::from(module.is_ok()),
            u64::from(module.is_err()),
            start,
        );
        println!("\n==> build the page (trunk build --release)");
        let start = Instant::now();
        let built = module.and_then(|_| trunk("build", &[], true));
        if let Err(e) = &built {
            println!("xtask: {e}");
        }
        run.record(
            "build the page",
            u64::from(built.is_ok()),
            u64::from(built.is_err()),
            start,
        );
        if built.is_ok() {
            run.step(
                "end-to-end tests (Playwright, headless Chromium)",
                Counter::Playwright,
                tool("npx")
                    .current_dir(&root)
                    .args([
                        "playwright",
                        "test",
                        "-c",
                        "tests/e2e/playwright.config.mjs",
                    ])
                    .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                    .env("CI", "1"),
            );
        }
    } else {
        println!("xtask: tools are missing; browser and end-to-end tests were not run");
    }

    println!("\nSummary:");
    let (mut passed, mut failed) = (0, 0);
    for r in &run.results {
        println!(
            "  {:<58} {:>5} passed {:>4} failed {:>7.1}s",
            r.name, r.passed, r.failed, r.seconds
        );
        passed += r.passed;
        failed += r.failed;
    }
    println!("  total time {:.1}s", started.elapsed().as_secs_f64());
    println!("{passed} passed, {failed} failed");
    if failed == 0 && tools_ok {
        Ok(())
    } else {
        Err(format!("{failed} failed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_runner_closing_lines() {
        let cargo = "test result: ok. 8 passed; 0 failed; 0 ignored\ntest result: FAILED. 3 passed; 2 failed;";
        assert_eq!(count(Counter::CargoTest, false, cargo), (11, 2));
        assert_eq!(
            count(Counter::Playwright, true, "  3 passed (4.2s)\n"),
            (3, 0)
        );
        assert_eq!(
            count(Counter::Playwright, false, "  1 failed\n  2 passed (1s)"),
            (2, 1)
        );
        assert_eq!(
            count(
                Counter::Pytest,
                false,
                "....\n2 failed, 10 passed, 1 xfailed in 3.2s"
            ),
            (10, 2)
        );
        assert_eq!(count(Counter::Pytest, false, "ERROR collecting"), (0, 1));
        assert_eq!(count(Counter::Check, true, ""), (1, 0));
        assert_eq!(
            count(Counter::NodeTest, false, "ok 1 - a\n# pass 8\n# fail 1\n"),
            (8, 1)
        );
    }
}
