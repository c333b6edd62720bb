//! Runs the shared AWS-recorded conformance cases with no services bound. Fails when a case
//! fails that `conformance_known_failures.txt` does not list, so regressions fail CI.

use statebox_asl::conformance::{run_file, Verdict};
use statebox_asl::NoServices;
use std::collections::HashMap;
use std::path::PathBuf;

/// The shared case file's text (the tests fail loudly when it is not beside the checkout).
fn shared_cases() -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = dir.join("../../../shared/conformance/asl/cases.jsonl");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("conformance cases missing at {}: {e}", path.display()))
}

#[test]
fn shared_conformance_cases() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = shared_cases();
    let known_text = std::fs::read_to_string(dir.join("tests/conformance_known_failures.txt"))
        .unwrap_or_default();
    let known: HashMap<&str, &str> = known_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_once('\t').unwrap_or((l, "")))
        .collect();

    let report = run_file(&text, &mut |_| Box::new(NoServices));
    println!("{}", report.summary());
    let target: Vec<_> = report
        .cases
        .iter()
        .filter(|c| {
            let t = |s: &str| c.tags.iter().any(|x| x == s);
            (t("pure") || t("choice_operator"))
                && !t("jsonata")
                && !t("assign")
                && !t("placeholder")
        })
        .collect();
    let target_pass = target.iter().filter(|c| c.pass).count();
    println!(
        "target (pure/choice_operator, no jsonata/assign/placeholder): {target_pass}/{}",
        target.len()
    );

    for tag in ["jsonata", "assign"] {
        let tagged: Vec<_> = report
            .cases
            .iter()
            .filter(|c| c.tags.iter().any(|x| x == tag))
            .collect();
        let passed = tagged.iter().filter(|c| c.pass).count();
        println!("{tag}: {passed}/{} passed", tagged.len());
    }

    let mut regressions = Vec::new();
    let mut fixed = Vec::new();
    for c in &report.cases {
        match (c.verdict, known.contains_key(c.id.as_str())) {
            (Verdict::Fail, false) => regressions.push(format!("{}\t{}", c.id, c.reason)),
            (Verdict::Pass, true) => fixed.push(c.id.clone()),
            _ => {}
        }
    }
    if !fixed.is_empty() {
        println!("now passing, remove from the known failures: {fixed:#?}");
    }
    assert!(
        regressions.is_empty(),
        "{} unexpected failures:\n{}",
        regressions.len(),
        regressions.join("\n")
    );
}

/// A result-only run (no history nor inspections kept) ends every case exactly as a
/// recorded run does, after the same number of events.
#[test]
fn result_only_runs_end_as_recorded_runs() {
    use statebox_asl::{definition::parse_value, Execution, ExecutionOptions};
    let text = shared_cases();
    let mut compared = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(case) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(machine) = parse_value(&case["definition"]).machine else {
            continue;
        };
        let run = |record_history| {
            let options = ExecutionOptions {
                record_history,
                ..ExecutionOptions::default()
            };
            let mut e = Execution::start(&machine, case["input"].clone(), options);
            e.run(&mut NoServices);
            (e.status().clone(), e.event_count())
        };
        assert_eq!(run(false), run(true), "case {}", case["id"]);
        compared += 1;
    }
    assert!(compared > 500, "only {compared} cases compared");
}
