//! Runs the shared JSONata reference cases (../shared/conformance/jsonata). Fails when a case
//! fails that `suite_known_failures.txt` does not list, so a regression fails CI; a listed
//! case that passes is reported so the list can shrink.

use statebox_jsonata::suite::run_file;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[test]
fn shared_reference_cases() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let suite = dir.join("../../../shared/conformance/jsonata");
    let text = std::fs::read_to_string(suite.join("cases.jsonl"))
        .unwrap_or_else(|e| panic!("JSONata cases missing at {}: {e}", suite.display()));
    let datasets = suite.join("datasets");
    let mut load = |name: &str| {
        std::fs::read_to_string(datasets.join(name)).map_err(|e| format!("{name}: {e}"))
    };
    let (outcomes, problems) = run_file(&text, &mut load);
    assert!(problems.is_empty(), "{problems:?}");
    let known_text = std::fs::read_to_string(dir.join("tests/suite_known_failures.txt")).unwrap();
    let known: BTreeSet<&str> = known_text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    let passed = outcomes.iter().filter(|o| o.pass).count();
    let unexpected: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.pass && !known.contains(o.id.as_str()))
        .map(|o| format!("{}: {}", o.id, o.reason))
        .collect();
    let fixed: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.pass && known.contains(o.id.as_str()))
        .map(|o| o.id.as_str())
        .collect();
    println!(
        "{passed} of {} JSONata reference cases pass",
        outcomes.len()
    );
    if !fixed.is_empty() {
        println!("listed as failing but passing now: {fixed:?}");
    }
    assert!(
        unexpected.is_empty(),
        "new failures:\n{}",
        unexpected.join("\n")
    );
}
