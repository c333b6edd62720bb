//! Browser tests of the IndexedDB store in headless Chromium: writes survive reopening, two
//! connections writing at once both land and catch each other up, a database of an earlier
//! version opens with nothing lost, a newer version in another tab is never blocked, and the
//! page's documents and runs are kept (the runs bounded).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect};
use serde_json::json;
use statebox_dynamo::change::{StoredStreamRecord, StoredToken};
use statebox_dynamo::{Change, Commit, Engine};
use statebox_idb::{CatchUp, IdbError, Store};
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The stored definition of a table `Orders` keyed by `OrderId`, as the engine writes it.
fn orders_definition() -> serde_json::Value {
    let mut engine = Engine::new();
    let create = json!({
        "TableName": "Orders",
        "KeySchema": [{"AttributeName": "OrderId", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "OrderId", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST"
    });
    engine.execute("CreateTable", &create).unwrap();
    engine.snapshot().tables[0].definition.clone()
}

fn orders_table() -> Change {
    Change::PutTable {
        name: "Orders".into(),
        definition: orders_definition(),
    }
}

fn put(id: &str, status: &str) -> Change {
    Change::PutItem {
        table: "Orders".into(),
        key: json!({"OrderId": {"S": id}}),
        item: json!({"OrderId": {"S": id}, "Status": {"S": status}}),
    }
}

fn commit(changes: Vec<Change>) -> Commit {
    Commit { changes }
}

/// Deletes a database, so each test starts from nothing.
async fn delete_database(name: &str) {
    let factory: web_sys::IdbFactory = Reflect::get(&js_sys::global(), &"indexedDB".into())
        .unwrap()
        .unchecked_into();
    let req = factory.delete_database(name).unwrap();
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        req.set_onsuccess(Some(done.unchecked_ref()));
    });
    JsFuture::from(promise).await.unwrap();
}

async fn open(name: &str) -> Store {
    Store::open(name, || {}).await.unwrap()
}

/// Writes `commits` as a writer that is current at `known`; returns the new number.
async fn write(store: &Store, known: u64, commits: Vec<Commit>) -> u64 {
    let (caught, seq) = store
        .write(&Cell::new(Some(known)), move |caught| (commits, caught))
        .await
        .unwrap();
    assert!(matches!(caught, CatchUp::Current), "{caught:?}");
    seq
}

#[wasm_bindgen_test]
async fn writes_survive_reopening() {
    let name = "statebox-test-reopen";
    delete_database(name).await;
    let store = open(name).await;
    let seq = write(
        &store,
        0,
        vec![commit(vec![
            orders_table(),
            put("001", "Created"),
            put("002", "Created"),
        ])],
    )
    .await;
    assert_eq!(seq, 1);
    let seq = write(
        &store,
        seq,
        vec![commit(vec![
            put("001", "Shipped"),
            Change::DeleteItem {
                table: "Orders".into(),
                key: json!({"OrderId": {"S": "002"}}),
            },
        ])],
    )
    .await;
    store.close();
    assert!(matches!(store.load().await, Err(IdbError::Closed { .. })));

    let reopened = open(name).await;
    // Written to the log; checkpointed by a compaction.
    let loaded = reopened.load().await.unwrap();
    assert_eq!((loaded.seq, loaded.tail.len()), (seq, 2));
    assert!(loaded.snapshot.tables.is_empty());
    reopened.compact().await.unwrap();
    let loaded = reopened.load().await.unwrap();
    assert_eq!((loaded.seq, loaded.tail.len()), (seq, 0));
    assert_eq!(loaded.snapshot.tables.len(), 1);
    assert_eq!(
        loaded.snapshot.tables[0].items,
        vec![json!({"OrderId": {"S": "001"}, "Status": {"S": "Shipped"}})]
    );
    write(
        &reopened,
        seq,
        vec![commit(vec![Change::DeleteTable {
            name: "Orders".into(),
        }])],
    )
    .await;
    reopened.compact().await.unwrap();
    assert!(reopened.load().await.unwrap().snapshot.tables.is_empty());
}

#[wasm_bindgen_test]
async fn stream_records_tokens_and_the_counter_survive_reopening() {
    let name = "statebox-test-streams";
    delete_database(name).await;
    let store = open(name).await;
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
    write(
        &store,
        0,
        vec![commit(vec![
            orders_table(),
            put("001", "Created"),
            Change::StreamRecord {
                table: "Orders".into(),
                record: record.clone(),
            },
            Change::ClientToken(token.clone()),
            Change::Counter { sequence: 7 },
        ])],
    )
    .await;
    store.compact().await.unwrap();
    store.close();
    let loaded = open(name).await.load().await.unwrap();
    assert_eq!(loaded.snapshot.streams["Orders"], vec![record]);
    assert_eq!(loaded.snapshot.tokens, vec![token]);
    assert_eq!(loaded.snapshot.sequence, 7);
}

#[wasm_bindgen_test]
async fn two_connections_writing_at_once_both_land_and_catch_up() {
    let name = "statebox-test-two-writers";
    delete_database(name).await;
    let (a, b) = (open(name).await, open(name).await);
    write(&a, 0, vec![commit(vec![orders_table()])]).await;
    // Both believe they are at 1; their writes are issued together. IndexedDB runs one
    // transaction after the other: the second one is handed the first one's commit.
    let (at_a, at_b) = (Cell::new(Some(1)), Cell::new(Some(1)));
    let first = a.write(&at_a, |caught| {
        (vec![commit(vec![put("a", "A")])], format!("{caught:?}"))
    });
    let second = b.write(&at_b, |caught| {
        (vec![commit(vec![put("b", "B")])], format!("{caught:?}"))
    });
    let (first, second) = futures_join(first, second).await;
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!((first.1, second.1), (2, 3));
    assert_eq!((at_a.get(), at_b.get()), (Some(2), Some(3)));
    assert_eq!(first.0, "Current");
    assert!(second.0.contains("\"a\""), "{}", second.0);
    // A reader at 1 replays both; one at an unknown point reloads.
    match a.catch_up(&Cell::new(Some(1))).await.unwrap() {
        (CatchUp::Commits { first: 2, commits }, 3) => assert_eq!(commits.len(), 2),
        other => panic!("{other:?}"),
    }
    match a.catch_up(&Cell::new(None)).await.unwrap() {
        (CatchUp::Reload { tail, seq: 3, .. }, 3) => assert_eq!(tail.len(), 3),
        other => panic!("{other:?}"),
    }
    // Replacing everything makes readers at older numbers reload.
    let fresh = Engine::new().snapshot();
    assert_eq!(b.replace(&fresh).await.unwrap(), 4);
    match a.catch_up(&Cell::new(Some(3))).await.unwrap() {
        (
            CatchUp::Reload {
                snapshot,
                tail,
                seq: 4,
            },
            4,
        ) => {
            assert!(snapshot.tables.is_empty() && tail.is_empty())
        }
        other => panic!("{other:?}"),
    }
}

/// Awaits two futures concurrently (both are issued before either is awaited).
async fn futures_join<A: std::future::Future, B: std::future::Future>(
    a: A,
    b: B,
) -> (A::Output, B::Output) {
    use std::pin::pin;
    use std::task::Poll;
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut ra, mut rb) = (None, None);
    std::future::poll_fn(|cx| {
        if ra.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                ra = Some(v);
            }
        }
        if rb.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                rb = Some(v);
            }
        }
        if ra.is_some() && rb.is_some() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    (ra.unwrap(), rb.unwrap())
}

/// Creates `name` at `version` with `stores`, each holding the given key/value texts, as
/// an earlier Statebox wrote it.
async fn create_old_database(name: &str, version: u32, records: &[(&str, &[(&str, String)])]) {
    let factory: web_sys::IdbFactory = Reflect::get(&js_sys::global(), &"indexedDB".into())
        .unwrap()
        .unchecked_into();
    let req = factory.open_with_u32(name, version).unwrap();
    let upgrading = req.clone();
    let stores: Vec<String> = records.iter().map(|(s, _)| s.to_string()).collect();
    let on_upgrade = Closure::once_into_js(move || {
        let db: web_sys::IdbDatabase = upgrading.result().unwrap().unchecked_into();
        for s in &stores {
            db.create_object_store(s).unwrap();
        }
    });
    req.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let opening = req.clone();
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let opened = opening.clone();
        let done = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &opened.result().unwrap());
        });
        opening.set_onsuccess(Some(done.unchecked_ref()));
    });
    let db: web_sys::IdbDatabase = JsFuture::from(promise).await.unwrap().unchecked_into();
    if records.is_empty() {
        db.close();
        return;
    }
    let names: Array = records.iter().map(|(s, _)| JsValue::from_str(s)).collect();
    let tx = db
        .transaction_with_str_sequence_and_mode(&names, web_sys::IdbTransactionMode::Readwrite)
        .unwrap();
    for (store, entries) in records {
        let os = tx.object_store(store).unwrap();
        for (key, value) in entries.iter() {
            os.put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
                .unwrap();
        }
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        tx.set_oncomplete(Some(done.unchecked_ref()));
    });
    JsFuture::from(promise).await.unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn databases_of_versions_1_2_and_3_open_with_nothing_lost() {
    let table = json!({"name": "Orders", "definition": orders_definition()}).to_string();
    let item = json!({"table": "Orders", "item": {"OrderId": {"S": "001"}}}).to_string();
    let item_key = "Orders\u{0}{\"OrderId\":{\"S\":\"001\"}}";
    for (version, name) in [
        (1, "statebox-test-v1"),
        (2, "statebox-test-v2"),
        (3, "statebox-test-v3"),
    ] {
        delete_database(name).await;
        let tables: &[(&str, String)] = &[("Orders", table.clone())];
        let items: &[(&str, String)] = &[(item_key, item.clone())];
        let meta: &[(&str, String)] = &[
            ("engine", json!({"sequence": 5}).to_string()),
            ("compacted", "3".to_string()),
        ];
        let documents: &[(&str, String)] = &[("workspace", "{\"v\":3}".to_string())];
        let mut stores = vec![("tables", tables), ("items", items)];
        if version >= 2 {
            stores.extend([("streams", &[][..]), ("tokens", &[][..]), ("meta", meta)]);
        }
        if version == 3 {
            stores.extend([
                ("log", &[][..]),
                ("documents", documents),
                ("runs", &[][..]),
            ]);
        }
        create_old_database(name, version, &stores).await;
        let store = open(name).await;
        let loaded = store.load().await.unwrap();
        let seq = if version == 1 { 0 } else { 3 };
        assert_eq!(loaded.seq, seq, "version {version}");
        assert_eq!(loaded.snapshot.tables[0].name, "Orders");
        assert_eq!(
            loaded.snapshot.tables[0].items,
            vec![json!({"OrderId": {"S": "001"}})]
        );
        assert_eq!(loaded.snapshot.sequence, if version >= 2 { 5 } else { 0 });
        if version == 3 {
            let document = store.document("workspace").await.unwrap();
            assert_eq!(document.as_deref(), Some("{\"v\":3}"));
        }
        // The new stores are there and work; the first checkpoint carries the old items
        // over into the snapshot.
        store.put_document("workspace", "{}").await.unwrap();
        write(&store, seq, vec![commit(vec![put("002", "New")])]).await;
        assert!(store.compact().await.unwrap().is_some());
        store.close();
        let loaded = open(name).await.load().await.unwrap();
        assert_eq!(
            (loaded.seq, loaded.tail.len()),
            (seq + 1, 0),
            "version {version}"
        );
        assert_eq!(
            loaded.snapshot.tables[0].items.len(),
            2,
            "version {version}"
        );
        // The counter keeps its value (a version 1 database had none: the engine numbers
        // its tables from 1).
        let sequence = loaded.snapshot.sequence;
        assert_eq!(
            sequence,
            if version >= 2 { 5 } else { 1 },
            "version {version}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_newer_version_in_another_tab_is_never_blocked() {
    let name = "statebox-test-upgrade";
    delete_database(name).await;
    let store = open(name).await;
    write(&store, 0, vec![commit(vec![orders_table()])]).await;
    // Another tab opens version 4: this connection gives way at once.
    create_old_database(name, statebox_idb::VERSION + 1, &[]).await;
    let err = store.load().await.unwrap_err();
    assert!(
        matches!(&err, IdbError::Closed { reason } if reason.contains("reload")),
        "{err}"
    );
    // And this version cannot open the newer database: a clear error, nothing touched.
    let err = Store::open(name, || {}).await.err().unwrap();
    assert!(err.to_string().contains("newer Statebox"), "{err}");
}

#[wasm_bindgen_test]
async fn the_fast_path_refuses_a_number_another_writer_took() {
    let name = "statebox-test-append";
    delete_database(name).await;
    let (a, b) = (open(name).await, open(name).await);
    let (at_a, at_b) = (Cell::new(Some(0)), Cell::new(Some(0)));
    assert!(a
        .append(&at_a, &[commit(vec![orders_table()])])
        .await
        .unwrap());
    assert_eq!(at_a.get(), Some(1));
    // b believes it is at 0: its commit would be number 1, which a took.
    assert!(!b
        .append(&at_b, &[commit(vec![put("b", "B")])])
        .await
        .unwrap());
    assert_eq!(at_b.get(), None);
    let loaded = b.load().await.unwrap();
    assert_eq!((loaded.seq, loaded.tail.len()), (1, 1));
    // Checkpointing twice (two tabs) changes nothing the second time.
    assert!(a.compact().await.unwrap().is_some());
    assert_eq!(b.compact().await.unwrap(), None);
    assert_eq!(
        a.checkpoint(1, &Engine::new().snapshot()).await.unwrap(),
        None
    );
    let loaded = b.load().await.unwrap();
    assert_eq!((loaded.seq, loaded.tail.len()), (1, 0));
    assert_eq!(loaded.snapshot.tables.len(), 1);
}

#[wasm_bindgen_test]
async fn documents_are_kept_and_runs_bounded() {
    let name = "statebox-test-documents";
    delete_database(name).await;
    let store = open(name).await;
    assert_eq!(store.document("workspace").await.unwrap(), None);
    store.put_document("workspace", "{\"a\":1}").await.unwrap();
    for n in 1..=12 {
        store.add_run(&format!("run {n}"), 10).await.unwrap();
    }
    store.close();
    let store = open(name).await;
    assert_eq!(
        store.document("workspace").await.unwrap().as_deref(),
        Some("{\"a\":1}")
    );
    let runs = store.runs().await.unwrap();
    assert_eq!(runs.len(), 10);
    assert_eq!(runs.first().map(String::as_str), Some("run 3"));
    assert_eq!(runs.last().map(String::as_str), Some("run 12"));
}
