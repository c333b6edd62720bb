//! Fuzz-style property tests: arbitrary token soups and mutations of valid calls never
//! panic in `parse` or `eval`.

use super::tests::Fixed;
use super::Intrinsic;
use crate::jsonpath::fuzz::Gen;
use serde_json::json;

const ALPHABET: &[&str] = &[
    "States.Format",
    "States.Array",
    "States.MathAdd",
    "States.ArrayRange",
    "States.StringSplit",
    "States.JsonMerge",
    "States.Hash",
    "States.UUID",
    "States.ArrayGetItem",
    "States.Base64Decode",
    "States.StringToJson",
    "States.ArrayPartition",
    "States.MathRandom",
    "(",
    ")",
    ",",
    " ",
    "'",
    "\\",
    "\\'",
    "\\{",
    "{}",
    "{",
    "}",
    "$",
    "$.a",
    "$$.x",
    "[",
    "]",
    "1",
    "-1",
    "2.5",
    "1e400",
    "true",
    "null",
    "é",
    "\u{3000}",
    "'SHA-256'",
    "'MD5'",
    "false",
    "2147483648",
];

const SEEDS: &[&str] = &[
    "States.Format('{} and {}', $.a, States.Array(1, 'x'))",
    "States.ArrayGetItem(States.StringSplit($.s, ', '), States.MathAdd(1, -1))",
    "States.JsonMerge($.o, $.o, false)",
    "States.ArrayRange(1, $.n, 2)",
    "States.Hash($.s, 'SHA-512')",
    "States.MathRandom(1, 10, 3)",
    "States.ArrayPartition($.arr, 2)",
];

#[test]
fn arbitrary_intrinsics_never_panic() {
    let mut g = Gen(0xFACE_B00C);
    let input = json!({"a": "x", "s": "a, b, c", "o": {"k": 1}, "n": 9, "arr": [1, 2, 3]});
    for _ in 0..20_000 {
        let text = g.soup(ALPHABET, SEEDS, 16);
        if let Ok(f) = Intrinsic::parse(&text) {
            let _ = f.eval(&input, &input, &mut Fixed(g.next()));
        }
    }
}
