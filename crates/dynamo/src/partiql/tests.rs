//! End-to-end PartiQL tests through the real [`Engine`]: statements in, responses out.

use serde_json::{json, Value};

use super::{batch_execute_statement, execute_statement, execute_transaction};
use crate::Engine;

fn engine() -> Engine {
    let mut e = Engine::new();
    e.execute(
        "CreateTable",
        &json!({
            "TableName": "Tbl",
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"}
            ],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"}
            ],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    )
    .expect("CreateTable");
    e
}

fn run(e: &mut Engine, statement: &str) -> Result<Value, (String, String)> {
    execute_statement(e, &json!({ "Statement": statement }))
        .map(|x| x.response)
        .map_err(|err| (err.type_name, err.message))
}

#[test]
fn insert_select_update_delete() {
    let mut e = engine();
    assert_eq!(
        run(
            &mut e,
            "INSERT INTO \"Tbl\" VALUE {'pk': 'a', 'sk': 1, 'n': 5, 'tags': <<'x'>>}"
        ),
        Ok(json!({"Items": []}))
    );
    assert_eq!(
        run(&mut e, "INSERT INTO \"Tbl\" VALUE {'pk': 'a', 'sk': 1}"),
        Err((
            "DuplicateItemException".into(),
            "Duplicate primary key exists in table".into()
        ))
    );
    run(&mut e, "INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 2, 'n': 7}").expect("insert");
    let got = run(&mut e, "SELECT sk, n FROM \"Tbl\" WHERE pk = 'a' AND n > 5").expect("select");
    assert_eq!(got["Items"], json!([{"sk": {"N": "2"}, "n": {"N": "7"}}]));
    let got = run(&mut e, "SELECT * FROM Tbl WHERE n = 5").expect("scan");
    assert_eq!(got["Items"].as_array().map(Vec::len), Some(1));
    let got = run(
        &mut e,
        "UPDATE Tbl SET n = n + 1 SET tags = set_add(tags, <<'y'>>) WHERE pk = 'a' AND sk = 1 RETURNING MODIFIED NEW *",
    )
    .expect("update");
    assert_eq!(got["Items"][0]["n"], json!({"N": "6"}));
    assert_eq!(
        run(&mut e, "UPDATE Tbl SET n = 1 WHERE pk = 'zz' AND sk = 1")
            .err()
            .map(|x| x.0),
        Some("ConditionalCheckFailedException".to_string())
    );
    let got = run(
        &mut e,
        "DELETE FROM Tbl WHERE pk = 'a' AND sk = 2 RETURNING ALL OLD *",
    )
    .expect("delete");
    assert_eq!(got["Items"][0]["n"], json!({"N": "7"}));
    let got = run(&mut e, "SELECT * FROM Tbl").expect("scan all");
    assert_eq!(got["Items"].as_array().map(Vec::len), Some(1));
}

#[test]
fn parameters_and_paging() {
    let mut e = engine();
    for i in 0..5 {
        execute_statement(
            &mut e,
            &json!({"Statement": "INSERT INTO Tbl VALUE {'pk': ?, 'sk': ?}", "Parameters": [{"S": "p"}, {"N": i.to_string()}]}),
        )
        .expect("insert");
    }
    let mut seen = 0;
    let mut token: Option<Value> = None;
    for _ in 0..10 {
        let mut req = json!({"Statement": "SELECT * FROM Tbl WHERE pk = ?", "Parameters": [{"S": "p"}], "Limit": 2});
        if let (Some(t), Some(map)) = (&token, req.as_object_mut()) {
            map.insert("NextToken".into(), t.clone());
        }
        let out = execute_statement(&mut e, &req).expect("page").response;
        seen += out["Items"].as_array().map_or(0, Vec::len);
        token = out.get("NextToken").cloned();
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, 5);
}

#[test]
fn batch_and_transaction() {
    let mut e = engine();
    let out = batch_execute_statement(
        &mut e,
        &json!({"Statements": [
            {"Statement": "INSERT INTO Tbl VALUE {'pk': 'b', 'sk': 1}"},
            {"Statement": "INSERT INTO Tbl VALUE {'pk': 'b', 'sk': 1}"},
            {"Statement": "SLECT * FROM Tbl"},
            {"Statement": "SELECT * FROM Tbl WHERE pk = 'b' AND sk = 1"}
        ]}),
    )
    .expect("batch")
    .response;
    assert_eq!(out["Responses"][0], json!({"TableName": "Tbl"}));
    assert_eq!(out["Responses"][1]["Error"]["Code"], "DuplicateItem");
    assert_eq!(out["Responses"][2]["Error"]["Code"], "ValidationError");
    assert_eq!(out["Responses"][3]["Item"]["pk"], json!({"S": "b"}));

    let out = execute_transaction(
        &mut e,
        &json!({"TransactStatements": [
            {"Statement": "INSERT INTO Tbl VALUE {'pk': 'c', 'sk': 1}"},
            {"Statement": "UPDATE Tbl SET x = 1 WHERE pk = 'b' AND sk = 1"}
        ]}),
    );
    assert!(out.is_ok(), "{out:?}");
    let out = execute_transaction(
        &mut e,
        &json!({"TransactStatements": [
            {"Statement": "INSERT INTO Tbl VALUE {'pk': 'd', 'sk': 1}"},
            {"Statement": "INSERT INTO Tbl VALUE {'pk': 'c', 'sk': 1}"}
        ]}),
    );
    let err = out.expect_err("duplicate cancels the transaction");
    assert_eq!(err.type_name, "TransactionCanceledException");
    assert_eq!(
        run(&mut e, "SELECT * FROM Tbl WHERE pk = 'd'").map(|v| v["Items"].clone()),
        Ok(json!([]))
    );
    let err = execute_transaction(
        &mut e,
        &json!({"TransactStatements": [
            {"Statement": "EXISTS(SELECT * FROM Tbl WHERE pk = 'c' AND sk = 1 AND x = 5)"},
            {"Statement": "INSERT INTO Tbl VALUE {'pk': 'e', 'sk': 1}"}
        ]}),
    )
    .expect_err("condition check fails");
    assert_eq!(err.type_name, "TransactionCanceledException");
    let ok = execute_transaction(
        &mut e,
        &json!({"TransactStatements": [
            {"Statement": "EXISTS(SELECT * FROM Tbl WHERE pk = 'c' AND sk = 1)"},
            {"Statement": "INSERT INTO Tbl VALUE {'pk': 'e', 'sk': 1}"}
        ]}),
    );
    assert!(ok.is_ok(), "{ok:?}");
    assert_eq!(
        run(
            &mut e,
            "EXISTS(SELECT * FROM Tbl WHERE pk = 'c' AND sk = 1)"
        )
        .map_err(|x| x.1),
        Err("EXISTS can only be used in ExecuteTransaction write requests.".to_string())
    );
    let out = execute_transaction(
        &mut e,
        &json!({"TransactStatements": [
            {"Statement": "SELECT * FROM Tbl WHERE pk = 'c' AND sk = 1"},
            {"Statement": "SELECT x FROM Tbl WHERE pk = 'b' AND sk = 1"}
        ]}),
    )
    .expect("read transaction")
    .response;
    assert_eq!(out["Responses"][1]["Item"], json!({"x": {"N": "1"}}));
}

#[test]
fn select_from_an_index() {
    let mut e = Engine::new();
    e.execute(
        "CreateTable",
        &json!({
            "TableName": "Orders",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [
                {"AttributeName": "id", "AttributeType": "S"},
                {"AttributeName": "customer", "AttributeType": "S"}
            ],
            "GlobalSecondaryIndexes": [{
                "IndexName": "byCustomer",
                "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"}
            }],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    )
    .expect("CreateTable");
    for (id, c) in [("1", "ann"), ("2", "bob"), ("3", "ann")] {
        let stmt = format!("INSERT INTO Orders VALUE {{'id': '{id}', 'customer': '{c}'}}");
        run(&mut e, &stmt).expect("insert");
    }
    let out = run(
        &mut e,
        "SELECT id FROM \"Orders\".\"byCustomer\" WHERE customer = 'ann'",
    )
    .expect("select");
    let mut ids: Vec<String> = out["Items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["id"]["S"].as_str().map(str::to_string))
        .collect();
    ids.sort();
    assert_eq!(ids, vec!["1", "3"]);
    assert_eq!(
        run(
            &mut e,
            "SELECT * FROM \"Orders\".\"nope\" WHERE customer = 'ann'"
        )
        .map_err(|x| x.1),
        Err("The table does not have the specified index".to_string())
    );
}

#[test]
fn missing_table() {
    let mut e = Engine::new();
    let err = run(&mut e, "SELECT * FROM \"Nope\"").expect_err("no table");
    assert_eq!(
        err,
        (
            "ResourceNotFoundException".to_string(),
            "Requested resource not found".to_string()
        )
    );
}

#[test]
fn transaction_messages_name_the_statement() {
    let mut e = engine();
    let err = execute_transaction(
        &mut e,
        &json!({"TransactStatements": [
            {"Statement": "UPDATE Tbl SET data = 'v' WHERE pk = 'x' AND sk = 1 RETURNING ALL NEW *"}
        ]}),
    )
    .expect_err("rejected");
    assert_eq!(
        err.message,
        "Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction."
    );
    let err = execute_transaction(
        &mut e,
        &json!({"TransactStatements": [
            {"Statement": "SELECT * FROM Tbl WHERE pk = 'x' AND sk = 1"},
            {"Statement": "SELECT * FROM \"Tbl\".\"gsi\" WHERE pk = 'x'"}
        ]}),
    )
    .expect_err("rejected");
    assert_eq!(
        err.message,
        "Validation failed in TransactStatements[1]: Reads on indices are not supported within transactions."
    );
}

#[test]
fn index_projections_limit_what_a_select_reads() {
    let mut e = Engine::new();
    e.execute(
        "CreateTable",
        &json!({
            "TableName": "Idx",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "g", "AttributeType": "S"}
            ],
            "GlobalSecondaryIndexes": [{
                "IndexName": "gsi-inc",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["inc"]}
            }],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    )
    .expect("CreateTable");
    assert_eq!(
        run(&mut e, "SELECT pk FROM \"Idx\".\"gsi-inc\" WHERE g = 'y' AND np = 'n'").map_err(|x| x.1),
        Err("One or more parameter values were invalid: Secondary index gsi-inc does not project one or more filter attributes: [np]".to_string())
    );
    assert_eq!(
        run(&mut e, "SELECT np FROM \"Idx\".\"gsi-inc\" WHERE g = 'y'").map_err(|x| x.1),
        Err("One or more parameter values were invalid: Global secondary index gsi-inc does not project [np]".to_string())
    );
    assert!(run(
        &mut e,
        "SELECT pk, inc FROM \"Idx\".\"gsi-inc\" WHERE g = 'y' AND inc = 'x'"
    )
    .is_ok());
    assert_eq!(
        execute_statement(
            &mut e,
            &json!({"Statement": "SELECT * FROM \"Idx\".\"gsi-inc\" WHERE g = 'x'", "ConsistentRead": true})
        )
        .map_err(|x| x.message),
        Err("Strongly consistent read is not supported on Global Secondary Indexes".to_string())
    );
}
