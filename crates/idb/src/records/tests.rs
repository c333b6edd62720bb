//! The record layout, natively: changes written through [`ops_for`] into an in-memory model
//! of the object stores read back ([`assemble`]) as the engine that made them.

use super::*;
use serde_json::json;
use statebox_dynamo::{Commit, Engine};

/// The object stores as sorted maps, as IndexedDB keeps them.
#[derive(Default)]
struct Stores(BTreeMap<&'static str, BTreeMap<String, String>>);

impl Stores {
    fn apply(&mut self, commit: &Commit) {
        for op in commit.changes.iter().flat_map(ops_for) {
            match op {
                Op::Put { store, key, value } => {
                    self.0.entry(store).or_default().insert(key, value);
                }
                Op::Delete { store, key } => {
                    self.0.entry(store).or_default().remove(&key);
                }
                Op::DeleteRange { store, lo, hi } => {
                    self.0
                        .entry(store)
                        .or_default()
                        .retain(|k, _| !(lo <= *k && *k < hi));
                }
            }
        }
    }

    fn values(&self, store: &str) -> Vec<String> {
        self.0
            .get(store)
            .map(|s| s.values().cloned().collect())
            .unwrap_or_default()
    }

    fn load(&self) -> Snapshot {
        assemble(StoredRecords {
            tables: self.values(TABLES),
            items: self.values(ITEMS),
            streams: self.values(STREAMS),
            tokens: self.values(TOKENS),
            meta: self.0.get(META).and_then(|s| s.get(META_KEY)).cloned(),
        })
        .unwrap()
    }
}

/// Runs an operation, storing its commit.
fn run(engine: &mut Engine, stores: &mut Stores, op: &str, body: Value) -> Value {
    let executed = engine.execute(op, &body).unwrap();
    if let Some(commit) = &executed.commit {
        stores.apply(commit);
    }
    executed.response
}

fn streamed_table(name: &str) -> Value {
    json!({"TableName": name,
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}})
}

fn all_records(engine: &mut Engine, table: &str) -> Value {
    let streams = engine
        .execute("ListStreams", &json!({"TableName": table}))
        .unwrap();
    let arn = streams.response["Streams"][0]["StreamArn"].clone();
    let described = engine
        .execute("DescribeStream", &json!({"StreamArn": arn}))
        .unwrap();
    let shard = described.response["StreamDescription"]["Shards"][0]["ShardId"].clone();
    let iterator = engine
        .execute(
            "GetShardIterator",
            &json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}),
        )
        .unwrap();
    let it = iterator.response["ShardIterator"].clone();
    let records = engine
        .execute("GetRecords", &json!({"ShardIterator": it}))
        .unwrap();
    records.response["Records"].clone()
}

#[test]
fn items_group_under_their_tables() {
    let stored = StoredRecords {
        tables: vec![json!({"name": "A", "definition": {"k": 1}}).to_string()],
        items: vec![
            json!({"table": "A", "item": {"id": {"S": "1"}}}).to_string(),
            json!({"table": "Gone", "item": {"id": {"S": "2"}}}).to_string(),
        ],
        ..StoredRecords::default()
    };
    let snap = assemble(stored).unwrap();
    assert_eq!(snap.tables.len(), 1);
    assert_eq!(snap.tables[0].items, vec![json!({"id": {"S": "1"}})]);
}

#[test]
fn table_ranges_do_not_overlap_and_records_sort_by_sequence() {
    let (lo, hi) = table_range("A");
    let inside = item_key("A", &json!({"id": {"S": "zzz"}}));
    let other = item_key("A.b", &json!({"id": {"S": "1"}}));
    assert!(lo <= inside && inside < hi);
    assert!(!(lo <= other && other < hi));
    let (nine, ten) = (stream_key("A", 9), stream_key("A", 10));
    assert!(nine < ten && lo <= nine && ten < hi);
    assert!(stream_key("A", u64::MAX) < hi);
}

#[test]
fn corrupt_records_are_errors() {
    for stored in [
        StoredRecords {
            tables: vec!["{".into()],
            ..StoredRecords::default()
        },
        StoredRecords {
            streams: vec![r#"{"table": "Aaa"}"#.into()],
            ..StoredRecords::default()
        },
        StoredRecords {
            meta: Some(r#""seven""#.into()),
            ..StoredRecords::default()
        },
    ] {
        assert!(matches!(assemble(stored), Err(IdbError::Corrupt { .. })));
    }
}

/// Records as the first layout's page wrote them (only `tables` and `items`) still load,
/// and the engine restored from them writes stream records after reload.
#[test]
fn records_of_the_first_layout_load() {
    let snapshot: Snapshot = serde_json::from_str(include_str!(
        "../../../dynamo/tests/persist/first-format-snapshot.json"
    ))
    .unwrap();
    let table = &snapshot.tables[0];
    let stored = StoredRecords {
        tables: vec![json!({"name": table.name, "definition": table.definition}).to_string()],
        items: table
            .items
            .iter()
            .map(|item| json!({"table": table.name, "item": item}).to_string())
            .collect(),
        ..StoredRecords::default()
    };
    let mut engine = Engine::restore(assemble(stored).unwrap()).unwrap();
    let put = json!({"TableName": "Orders", "Item": {"id": {"S": "009"}}});
    engine.execute("PutItem", &put).unwrap();
    let records = all_records(&mut engine, "Orders");
    assert_eq!(records.as_array().map(Vec::len), Some(1));
    // Above the one number the restored table took.
    assert_eq!(
        records[0]["dynamodb"]["SequenceNumber"],
        json!("000000000000000000200")
    );
}

#[test]
fn stream_records_tokens_and_the_counter_survive_a_reload() {
    let mut engine = Engine::new();
    let mut stores = Stores::default();
    run(
        &mut engine,
        &mut stores,
        "CreateTable",
        streamed_table("Aaa"),
    );
    run(
        &mut engine,
        &mut stores,
        "CreateTable",
        streamed_table("Gone"),
    );
    for id in ["1", "2"] {
        let put = json!({"TableName": "Aaa", "Item": {"id": {"S": id}, "n": {"N": "1"}}});
        run(&mut engine, &mut stores, "PutItem", put);
    }
    let put = json!({"TableName": "Gone", "Item": {"id": {"S": "x"}}});
    run(&mut engine, &mut stores, "PutItem", put);
    run(
        &mut engine,
        &mut stores,
        "DeleteTable",
        json!({"TableName": "Gone"}),
    );
    let transaction = json!({"ClientRequestToken": "tok-1", "TransactItems": [
        {"Delete": {"TableName": "Aaa", "Key": {"id": {"S": "1"}}}},
        {"Put": {"TableName": "Aaa", "Item": {"id": {"S": "3"}}}}]});
    run(
        &mut engine,
        &mut stores,
        "TransactWriteItems",
        transaction.clone(),
    );

    let loaded = stores.load();
    assert!(stores.values(STREAMS).iter().all(|v| !v.contains("Gone")));
    assert_eq!(loaded, engine.snapshot());
    let mut reloaded = Engine::restore(loaded).unwrap();
    assert_eq!(
        all_records(&mut reloaded, "Aaa"),
        all_records(&mut engine, "Aaa")
    );
    // The token is remembered: the retry changes nothing, a different request is refused.
    let retry = reloaded
        .execute("TransactWriteItems", &transaction)
        .unwrap();
    assert_eq!(retry.commit, None);
    let mut other = transaction.clone();
    other["TransactItems"][1]["Put"]["Item"]["id"] = json!({"S": "4"});
    let refused = reloaded.execute("TransactWriteItems", &other).unwrap_err();
    assert_eq!(refused.type_name, "IdempotentParameterMismatchException");
    // New records number on from the old ones.
    let put = json!({"TableName": "Aaa", "Item": {"id": {"S": "5"}}});
    run(&mut reloaded, &mut stores, "PutItem", put.clone());
    run(&mut engine, &mut Stores::default(), "PutItem", put);
    assert_eq!(
        all_records(&mut reloaded, "Aaa"),
        all_records(&mut engine, "Aaa")
    );
}

#[test]
fn log_entries_written_borrowed_read_back_owned() {
    let commit = Commit {
        changes: vec![Change::DeleteTable {
            name: "Orders".into(),
        }],
    };
    let text = serde_json::to_string(&LogEntryRef::Commit(&commit)).unwrap();
    assert_eq!(log_entry(&text).unwrap(), LogEntry::Commit(commit));
    let reset = serde_json::to_string(&LogEntryRef::Reset).unwrap();
    assert_eq!(log_entry(&reset).unwrap(), LogEntry::Reset);
    assert!(log_entry("{").is_err());
}

#[test]
fn snapshots_cut_into_segments_read_back_whole() {
    let mut engine = Engine::new();
    let create = json!({
        "TableName": "Orders",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST"
    });
    engine.execute("CreateTable", &create).unwrap();
    for (i, text) in ["plain", "é accent", "日本語", "emoji 😀😀", ""]
        .iter()
        .enumerate()
    {
        let put =
            json!({"TableName": "Orders", "Item": {"id": {"S": format!("{i}")}, "t": {"S": text}}});
        engine.execute("PutItem", &put).unwrap();
    }
    let snapshot = engine.snapshot();
    // Small segments cut inside multi-byte characters' neighbourhoods; each is valid text.
    for size in [4, 5, 7, 64, SEGMENT_BYTES] {
        let segments = snapshot_segments(&snapshot, size).unwrap();
        assert!(segments
            .iter()
            .all(|s| !s.is_empty() && s.len() <= size.max(4)));
        assert_eq!(snapshot_of(&segments).unwrap(), Some(snapshot.clone()));
    }
    assert_eq!(snapshot_of(&[]).unwrap(), None);
    let broken = vec![b"{\"tables\": [".to_vec()];
    assert!(matches!(snapshot_of(&broken), Err(IdbError::Corrupt { key, .. }) if key == SNAPSHOT));
}

#[test]
fn checkpoints_while_writing_scale_with_the_state() {
    assert!(!compact_due(COMPACT_FLOOR - 1, 0));
    assert!(compact_due(COMPACT_FLOOR, 0));
    // A 4 MiB state waits for 2,048 commits; a huge one no longer than the limit.
    assert!(!compact_due(2047, 4 << 20));
    assert!(compact_due(2048, 4 << 20));
    assert!(compact_due(COMPACT_LIMIT, usize::MAX));
}
