//! Property tests: no statement text, however malformed, makes the PartiQL parser or the
//! statement executor panic.

use proptest::prelude::*;
use serde_json::json;

use super::execute_statement;
use super::parse::parse_statement;
use crate::types::AttributeValue;
use crate::Engine;

const WORDS: [&str; 36] = [
    "SELECT",
    "INSERT",
    "INTO",
    "UPDATE",
    "DELETE",
    "FROM",
    "WHERE",
    "SET",
    "REMOVE",
    "VALUE",
    "RETURNING",
    "ALL",
    "NEW",
    "*",
    "\"Tbl\"",
    "pk",
    "a",
    "'x'",
    "1",
    "-2.5",
    "?",
    "=",
    "<>",
    "AND",
    "OR",
    "NOT",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<<",
    ">>",
    ",",
    "IS",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_statements_never_panic(text in "\\PC{0,120}") {
        let _ = parse_statement(&text, &[AttributeValue::S("p".into())]);
    }

    #[test]
    fn token_soup_never_panics(words in proptest::collection::vec(0..WORDS.len(), 0..30)) {
        let text: Vec<&str> = words.iter().map(|&i| WORDS.get(i).copied().unwrap_or("a")).collect();
        let text = text.join(" ");
        let _ = parse_statement(&text, &[]);
        let mut engine = Engine::new();
        let _ = engine.execute("CreateTable", &json!({
            "TableName": "Tbl",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"
        }));
        let _ = execute_statement(&mut engine, &json!({"Statement": text}));
    }
}

#[test]
fn long_chains_translate_without_deep_recursion() {
    let mut engine = Engine::new();
    let _ = engine.execute(
        "CreateTable",
        &json!({
            "TableName": "Tbl",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    );
    let chain = vec!["a = 1"; 700].join(" OR ");
    let out = execute_statement(
        &mut engine,
        &json!({ "Statement": format!("SELECT * FROM Tbl WHERE {chain}") }),
    );
    // Too long for a 4 KB FilterExpression: an error, never a crash.
    assert!(out.is_err());
    let chain = vec!["a = 1"; 100].join(" OR ");
    let out = execute_statement(
        &mut engine,
        &json!({ "Statement": format!("SELECT * FROM Tbl WHERE {chain}") }),
    );
    assert!(out.is_ok(), "{out:?}");
}
