//! Property tests: no input makes any expression parser or evaluator panic, and
//! pathological nesting parses in linear time.

use std::time::Instant;

use proptest::prelude::*;
use serde_json::json;

use super::{
    parse_condition, parse_key_condition, parse_projection, parse_update, ExprKind,
    ExpressionContext,
};
use crate::types::{item_from_json, Item};

fn ctx() -> ExpressionContext {
    let names = json!({"#n": "n", "#s": "status"});
    let values = json!({":v": {"N": "1"}, ":s": {"S": "x"}, ":l": {"L": [{"N": "1"}]}, ":ss": {"SS": ["a"]}});
    ExpressionContext::new(Some(&names), Some(&values)).unwrap_or_default()
}

fn item() -> Item {
    item_from_json(&json!({
        "a": {"N": "1"}, "n": {"M": {"b": {"L": [{"S": "x"}, {"N": "2"}]}}},
        "s": {"SS": ["a", "b"]}, "l": {"L": [{"N": "1"}]}
    }))
    .unwrap_or_default()
}

fn exercise(text: &str) {
    let item = item();
    for kind in [ExprKind::Condition, ExprKind::Filter] {
        if let Ok(c) = parse_condition(text, &mut ctx(), kind) {
            let _ = c.eval(&item);
            let _ = c.eval(&Item::new());
        }
    }
    if let Ok(k) = parse_key_condition(text, &mut ctx()) {
        let _ = k.analyze("a", Some("n"));
        let _ = k.analyze("a", None);
    }
    if let Ok(u) = parse_update(text, &mut ctx()) {
        let mut it = item.clone();
        let _ = u.apply(&mut it);
        let _ = u.apply(&mut Item::new());
    }
    if let Ok(p) = parse_projection(text, &mut ctx()) {
        let _ = p.project(&item);
    }
}

const WORDS: [&str; 40] = [
    "a",
    "n",
    "#n",
    "#s",
    "#x",
    ":v",
    ":s",
    ":l",
    ":ss",
    ":x",
    "(",
    ")",
    "(",
    ")",
    "[0]",
    "[1]",
    "[",
    "]",
    ".",
    ",",
    "=",
    "<>",
    "<",
    ">=",
    "AND",
    "OR",
    "NOT",
    "BETWEEN",
    "IN",
    "size",
    "attribute_exists",
    "begins_with",
    "contains",
    "if_not_exists",
    "list_append",
    "SET",
    "REMOVE",
    "ADD",
    "DELETE",
    "+",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC{0,80}") {
        exercise(&text);
    }

    #[test]
    fn token_soup_never_panics(words in proptest::collection::vec(0..WORDS.len(), 0..40)) {
        let text: Vec<&str> = words.iter().map(|&i| WORDS.get(i).copied().unwrap_or("a")).collect();
        exercise(&text.join(" "));
        exercise(&text.join(""));
    }
}

fn nested_or(depth: usize) -> String {
    let mut s = String::new();
    for _ in 0..depth {
        s.push('(');
    }
    s.push_str("a = :v");
    for _ in 0..depth {
        s.push_str(" OR a = :v)");
    }
    s
}

#[test]
fn pathological_nesting_is_linear_and_fast() {
    // dynalite needs 76 s for a 103-character version of this.
    let short = nested_or(8);
    assert!(short.len() > 100);
    let start = Instant::now();
    let c = parse_condition(&short, &mut ctx(), ExprKind::Condition);
    assert!(c.is_ok());
    let first = start.elapsed();
    // A generous bound: it catches exponential parsing (dynalite: 76 s), never a busy machine.
    assert!(first.as_millis() < 1_000, "took {first:?}");
    // As deep as the 300-operator limit allows (2 * 149 + 1 operators), then one past it.
    let deep = nested_or(149);
    let c = parse_condition(&deep, &mut ctx(), ExprKind::Condition).expect("parses");
    assert_eq!(c.eval(&item()).ok(), Some(true));
    let too_deep = nested_or(330);
    assert!(too_deep.len() <= super::MAX_EXPRESSION_BYTES);
    let err = parse_condition(&too_deep, &mut ctx(), ExprKind::Condition).expect_err("refused");
    assert!(
        err.message.ends_with("operator count: 301"),
        "{}",
        err.message
    );
    let nots = format!("{}a = :v", "NOT ".repeat(299));
    let c = parse_condition(&nots, &mut ctx(), ExprKind::Condition).expect("parses");
    assert_eq!(c.eval(&item()).ok(), Some(false));
    let nots = format!("{}a = :v", "NOT ".repeat(1000));
    assert!(parse_condition(&nots, &mut ctx(), ExprKind::Condition).is_err());
    let parens = format!("{}a = :v{}", "(".repeat(2000), ")".repeat(2000));
    assert!(parse_condition(&parens, &mut ctx(), ExprKind::Condition).is_err());
    let wrapped = format!("{}a{} = :v", "(".repeat(2000), ")".repeat(2000));
    assert!(parse_condition(&wrapped, &mut ctx(), ExprKind::Condition).is_err());
    let unbalanced = "(".repeat(4096);
    assert!(parse_condition(&unbalanced, &mut ctx(), ExprKind::Condition).is_err());
    let elapsed = start.elapsed();
    assert!(elapsed.as_millis() < 10_000, "took {elapsed:?}");
}
