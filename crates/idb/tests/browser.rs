//! Browser test: writes through the IndexedDB store, reopens it and reads the data back.
#![cfg(target_arch = "wasm32")]

use serde_json::json;
use statebox_dynamo::change::{StoredStreamRecord, StoredToken};
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

    reopened.apply(&delete_orders()).await.unwrap();
    assert!(reopened.load().await.unwrap().tables.is_empty());
}

#[wasm_bindgen_test]
async fn stream_records_and_tokens_survive_reopening() {
    let name = "statebox-test-streams";
    let store = Store::open(name).await.unwrap();
    store.clear().await.unwrap();
    let record = StoredStreamRecord {
        sequence: 7,
        created_millis: 1_704_067_200_000,
        event_name: "INSERT".into(),
        keys: json!({"OrderId": {"S": "001"}}),
        new_image: Some(json!({"OrderId": {"S": "001"}, "Status": {"S": "Created"}})),
        old_image: None,
        view_type: "NEW_IMAGE".into(),
        ttl: false,
        label: "2024-01-01T00:00:00.000".into(),
    };
    let token = StoredToken {
        token: "token-1".into(),
        fingerprint: "{}".into(),
        millis: 1_704_067_200_000,
        response: json!({}),
    };
    store
        .apply(&Commit {
            changes: vec![
                orders_table(),
                put("001", "Created"),
                Change::StreamRecord {
                    table: "Orders".into(),
                    record: record.clone(),
                },
                Change::ClientToken(token.clone()),
                // As the engine adds to every commit that moved its counter.
                Change::Counter { sequence: 7 },
            ],
        })
        .await
        .unwrap();
    store.close();

    let reopened = Store::open(name).await.unwrap();
    let snapshot = reopened.load().await.unwrap();
    assert_eq!(snapshot.streams["Orders"], vec![record]);
    assert_eq!(snapshot.tokens, vec![token]);
    assert_eq!(snapshot.sequence, 7);
    reopened.apply(&delete_orders()).await.unwrap();
    assert!(reopened.load().await.unwrap().streams.is_empty());
}

/// The commit of DeleteTable Orders.
fn delete_orders() -> Commit {
    Commit {
        changes: vec![Change::DeleteTable {
            name: "Orders".into(),
        }],
    }
}
