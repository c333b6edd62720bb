//! Browser test: writes through the IndexedDB store, reopens it and reads the data back.
#![cfg(target_arch = "wasm32")]

use serde_json::json;
use statebox_dynamo::{Change, Commit};
use statebox_idb::Store;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn orders_table() -> Change {
    Change::PutTable {
        name: "Orders".into(),
        definition: json!({"TableName": "Orders"}),
    }
}

fn put(id: &str, status: &str) -> Change {
    Change::PutItem {
        table: "Orders".into(),
        key: json!({"OrderId": {"S": id}}),
        item: json!({"OrderId": {"S": id}, "Status": {"S": status}}),
    }
}

#[wasm_bindgen_test]
async fn writes_survive_reopening() {
    let name = "statebox-test-reopen";
    let store = Store::open(name).await.unwrap();
    store.clear().await.unwrap();
    store
        .apply(&Commit {
            changes: vec![orders_table(), put("001", "Created"), put("002", "Created")],
        })
        .await
        .unwrap();
    store
        .apply(&Commit {
            changes: vec![
                put("001", "Shipped"),
                Change::DeleteItem {
                    table: "Orders".into(),
                    key: json!({"OrderId": {"S": "002"}}),
                },
            ],
        })
        .await
        .unwrap();
    store.close();

    let reopened = Store::open(name).await.unwrap();
    let snapshot = reopened.load().await.unwrap();
    assert_eq!(snapshot.tables.len(), 1);
    assert_eq!(snapshot.tables[0].name, "Orders");
    assert_eq!(
        snapshot.tables[0].items,
        vec![json!({"OrderId": {"S": "001"}, "Status": {"S": "Shipped"}})]
    );

    reopened
        .apply(&Commit {
            changes: vec![Change::DeleteTable {
                name: "Orders".into(),
            }],
        })
        .await
        .unwrap();
    assert!(reopened.load().await.unwrap().tables.is_empty());
}
