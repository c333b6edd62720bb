//! The built-ins that read the clock or draw random numbers (`$now`, `$millis`, `$random`,
//! `$shuffle`) and the depth limit, natively and in wasm32 (headless Chromium through
//! `wasm-pack test`, as `cargo xtask test` runs it): std's clock panics on
//! wasm32-unknown-unknown, so these prove that nothing on these paths reads it (chrono reads
//! JavaScript's `Date`, rand seeds from `crypto.getRandomValues`, and the time limit reads
//! `web_time`'s clock, `performance.now()`), that deep recursion ends in `U1001` rather than
//! exhausting wasm's stack, and that endless tail recursion ends in `D1012`.

use serde_json::{json, Value};
use statebox_jsonata::{Environment, Limits, Query};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn eval(expression: &str) -> Result<Option<Value>, String> {
    Query::parse(expression)
        .and_then(|q| q.evaluate(Some(&json!({})), &Environment::new()))
        .map_err(|e| e.to_string())
}

#[test]
fn now_and_millis_read_the_clock() {
    let now = eval("$now()").unwrap().unwrap();
    let now = now.as_str().unwrap();
    assert!(
        now.len() == 24 && now.ends_with('Z') && now.starts_with("20"),
        "{now}"
    );
    let millis = eval("$millis()").unwrap().unwrap().as_f64().unwrap();
    assert!(millis > 1.7e12, "{millis}");
    // jsonata-core reads the clock at each call (the reference reads it once per
    // evaluation; the interpreter replaces both with the execution's clock).
    let pair = eval("[$millis(), $millis()]").unwrap().unwrap();
    assert!(pair[0].as_f64() <= pair[1].as_f64(), "{pair}");
    let round_trip = eval("$toMillis($fromMillis(1700000000123))").unwrap();
    assert_eq!(round_trip, Some(json!(1700000000123u64)));
}

#[test]
fn random_and_shuffle_draw_numbers() {
    // jsonata-core 2.2.13 has no `$random` (T1006): the host adds it (Step Functions' is
    // seeded with the execution). Should the engine gain one, it must answer a number in
    // [0, 1) without panicking.
    match eval("$random()") {
        Ok(Some(r)) => assert!(r.as_f64().is_some_and(|r| (0.0..1.0).contains(&r)), "{r}"),
        Err(e) => assert!(e.starts_with("T1006"), "{e}"),
        Ok(None) => panic!("$random() is undefined"),
    }
    let shuffled = eval("$sort($shuffle([1, 2, 3, 4, 5, 6, 7, 8]))").unwrap();
    assert_eq!(shuffled, Some(json!([1, 2, 3, 4, 5, 6, 7, 8])));
}

#[test]
fn deep_recursion_ends_at_the_depth_limit() {
    let e = eval("($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))").unwrap_err();
    assert!(e.starts_with("U1001"), "{e}");
}

#[test]
fn endless_tail_recursion_ends_at_the_time_limit() {
    // A tail call runs in constant depth, so only the clock can stop this one.
    let query = Query::parse("($f := function($n) { $f($n + 1) }; $f(0))").unwrap();
    let mut env = Environment::new();
    env.limits(Limits {
        time_ms: Some(200),
        ..Limits::default()
    });
    let e = query.evaluate(None, &env).unwrap_err();
    assert_eq!(e.code(), "D1012", "{e}");
}
