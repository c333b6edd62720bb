//! Browser tests of the JS API in headless Chromium: in memory and kept in IndexedDB;
//! reopening, two copies of one workspace (as two tabs) writing at once, a refused
//! transaction leaving nothing behind, export and import, and the step-level API.
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value};
use statebox_wasm::{Execution, Workspace};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DEFINITION: &str = include_str!("../../../static/examples/orders/definition.json");
const SEED: &str = include_str!("../../../static/examples/orders/seed.json");

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// A persisted workspace under a fresh name (each test run starts empty).
async fn fresh(name: &str) -> Workspace {
    let name = format!("{name}-{}", js_sys::Date::now());
    Workspace::open_named(&name, || {}).await.unwrap()
}

async fn reopen(ws: &Workspace, name: &str) -> Workspace {
    ws.close();
    Workspace::open_named(name, || {}).await.unwrap()
}

#[wasm_bindgen_test]
fn runs_the_tutorial_in_memory() {
    let ws = Workspace::new();
    ws.seed_json(SEED).unwrap();
    let out = parse(&ws.run_json(DEFINITION, "{}", "{}").unwrap());
    assert_eq!(out["status"], "SUCCEEDED");
    assert_eq!(
        out["output"]["Item"],
        json!({"OrderId": {"S": "001"}, "Status": {"S": "Created"}})
    );
    let scan = parse(
        &ws.dynamodb_json("Scan", r#"{"TableName": "Orders"}"#)
            .unwrap(),
    );
    assert_eq!(scan["Count"], 1);
}

#[wasm_bindgen_test]
fn bad_input_is_a_positioned_error() {
    let ws = Workspace::new();
    let err = ws.run_json(DEFINITION, "{\n  oops", "{}").unwrap_err();
    assert!(err.contains("line 2"), "{err}");
}

#[wasm_bindgen_test]
async fn a_persisted_workspace_keeps_its_writes_and_documents() {
    let name = format!("reopen-{}", js_sys::Date::now());
    let ws = Workspace::open_named(&name, || {}).await.unwrap();
    ws.seed_text(SEED).await.unwrap();
    let out = parse(&ws.run_text(DEFINITION, "{}", "{}").await.unwrap());
    assert_eq!(out["status"], "SUCCEEDED");
    ws.put_document("workspace", "{\"definition\":\"x\"}")
        .await
        .unwrap();
    ws.add_run("{\"n\":1}").await.unwrap();
    let again = reopen(&ws, &name).await;
    let got = parse(
        &again
            .call(
                "GetItem",
                r#"{"TableName":"Orders","Key":{"OrderId":{"S":"001"}}}"#,
            )
            .await
            .unwrap(),
    );
    assert_eq!(got["Item"]["Status"], json!({"S": "Created"}));
    assert_eq!(
        again.document("workspace").await.unwrap().as_deref(),
        Some("{\"definition\":\"x\"}")
    );
    assert_eq!(again.runs().await.unwrap(), vec!["{\"n\":1}".to_string()]);
    // A closed workspace says so.
    again.close();
    let err = again
        .call("Scan", r#"{"TableName":"Orders"}"#)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("closed"), "{err}");
}

const COUNTER: &str = r#"{"TableName":"Orders","Key":{"OrderId":{"S":"counter"}},
    "UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"1"}}}"#;

#[wasm_bindgen_test]
async fn two_copies_writing_at_once_lose_nothing_and_agree() {
    let name = format!("two-{}", js_sys::Date::now());
    let a = Workspace::open_named(&name, || {}).await.unwrap();
    a.seed_text(SEED).await.unwrap();
    let b = Workspace::open_named(&name, || {}).await.unwrap();
    // Each copy issues 50 increments at once; IndexedDB serialises them across both.
    let mut calls = Vec::new();
    for _ in 0..50 {
        for ws in [&a, &b] {
            let ws = ws.clone();
            calls.push(async move { ws.call("UpdateItem", COUNTER).await });
        }
    }
    for call in calls {
        call.await.unwrap();
    }
    let key = r#"{"TableName":"Orders","Key":{"OrderId":{"S":"counter"}},"ConsistentRead":true}"#;
    for ws in [&a, &b] {
        let got = parse(&ws.call("GetItem", key).await.unwrap());
        assert_eq!(got["Item"]["n"], json!({"N": "100"}));
    }
    // A condition checked in one copy sees the other's write.
    let put = r#"{"TableName":"Orders","Item":{"OrderId":{"S":"once"}},
        "ConditionExpression":"attribute_not_exists(OrderId)"}"#;
    a.call("PutItem", put).await.unwrap();
    let err = b.call("PutItem", put).await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("ConditionalCheckFailedException"),
        "{err}"
    );
}

#[wasm_bindgen_test]
async fn a_refused_transaction_leaves_nothing_behind() {
    let ws = fresh("tx").await;
    ws.seed_text(SEED).await.unwrap();
    ws.call(
        "PutItem",
        r#"{"TableName":"Orders","Item":{"OrderId":{"S":"000"}}}"#,
    )
    .await
    .unwrap();
    let tx = r#"{"TransactItems":[
        {"Put":{"TableName":"Orders","Item":{"OrderId":{"S":"a"}}}},
        {"Put":{"TableName":"Orders","Item":{"OrderId":{"S":"000"}},
                "ConditionExpression":"attribute_not_exists(OrderId)"}}]}"#;
    let err = ws.call("TransactWriteItems", tx).await.unwrap_err();
    assert!(
        err.to_string().starts_with("TransactionCanceledException"),
        "{err}"
    );
    // Nothing of it in memory, nor on disk.
    let scan = r#"{"TableName":"Orders"}"#;
    assert_eq!(parse(&ws.call("Scan", scan).await.unwrap())["Count"], 1);
    let again = reopen(&ws, &ws.name()).await;
    assert_eq!(parse(&again.call("Scan", scan).await.unwrap())["Count"], 1);
}

#[wasm_bindgen_test]
async fn export_then_import_gives_the_same_workspace() {
    let ws = fresh("export").await;
    ws.seed_text(SEED).await.unwrap();
    ws.run_text(DEFINITION, "{}", "{}").await.unwrap();
    ws.put_document("workspace", "{\"input\":\"{}\"}")
        .await
        .unwrap();
    ws.add_run("{\"run\":1}").await.unwrap();
    let exported = ws.export_text().await.unwrap();
    for target in [Workspace::new(), fresh("import").await] {
        target.seed_text(SEED).await.unwrap();
        target
            .call("DeleteTable", r#"{"TableName":"Orders"}"#)
            .await
            .unwrap();
        target.import_text(&exported).await.unwrap();
        assert_eq!(target.export_text().await.unwrap(), exported);
    }
    let err = ws.import_text("{\"format\":\"other\"}").await.unwrap_err();
    assert!(err.to_string().starts_with("/format"), "{err}");
}

const CALLBACK: &str = r#"{"StartAt":"Ask","States":{
    "Ask":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem.waitForTaskToken",
           "Parameters":{"TableName":"Orders","Item":{"OrderId":{"S":"cb"},"Token":{"S.$":"$$.Task.Token"}}},
           "Next":"Done"},
    "Done":{"Type":"Pass","End":true}}}"#;

#[wasm_bindgen_test]
async fn the_step_level_api_answers_task_tokens_and_stops() {
    for ws in [Workspace::new(), fresh("steps").await] {
        ws.seed_text(SEED).await.unwrap();
        let ex = Execution::start_in(&ws, CALLBACK, "{}", "{}").unwrap();
        let first = parse(&ex.advance(|e, s| e.step(s)).await.unwrap().unwrap());
        assert_eq!(first[0]["type"], "ExecutionStarted");
        // Runs until the task parks on its token.
        ex.advance(|e, s| {
            e.run(s);
            true
        })
        .await
        .unwrap();
        assert_eq!(parse(&ex.status())["status"], "RUNNING");
        let tokens = parse(&ex.pending_task_tokens());
        let token = tokens[0].as_str().unwrap().to_string();
        // The item the task wrote is there, with its token.
        let item = parse(
            &ws.call(
                "GetItem",
                r#"{"TableName":"Orders","Key":{"OrderId":{"S":"cb"}}}"#,
            )
            .await
            .unwrap(),
        );
        assert_eq!(item["Item"]["Token"]["S"], token.as_str());
        assert!(ex.send_task_success("nope", "{}").is_err());
        ex.send_task_success(&token, "{\"ok\":true}").unwrap();
        ex.advance(|e, s| {
            e.run(s);
            true
        })
        .await
        .unwrap();
        let status = parse(&ex.status());
        assert_eq!(status["status"], "SUCCEEDED");
        assert_eq!(status["output"], json!({"ok": true}));
        assert!(parse(&ex.inspections())
            .as_array()
            .is_some_and(|a| !a.is_empty()));

        let stopped = Execution::start_in(&ws, CALLBACK, "{}", "{}").unwrap();
        stopped
            .advance(|e, s| {
                e.run(s);
                true
            })
            .await
            .unwrap();
        stopped.stop(None, None);
        assert_eq!(parse(&stopped.status())["status"], "ABORTED");
        let history = parse(&stopped.history());
        assert_eq!(
            history.as_array().unwrap().last().unwrap()["type"],
            "ExecutionAborted"
        );
    }
}
