//! What a restarted engine remembers: stream records (with their sequence numbers), the
//! counter they come from and TransactWriteItems client request tokens, through a snapshot
//! or through its commits replayed one by one, within AWS's retention (24 hours, 10 minutes).

use std::sync::Arc;

use serde_json::{json, Value};
use statebox_dynamo::{Change, Commit, Engine, Snapshot, VirtualClock};

const HOUR: i64 = 60 * 60 * 1000;

/// An engine on a virtual clock the test moves.
fn engine_on(clock: &Arc<VirtualClock>) -> Engine {
    let clock = clock.clone();
    Engine::with_clock(Box::new(move || clock.now_millis_public()))
}

fn clock() -> Arc<VirtualClock> {
    Arc::new(VirtualClock::new(
        statebox_dynamo::clock::DEFAULT_EPOCH_MILLIS,
    ))
}

/// Runs an operation, keeping its commit.
fn run(engine: &mut Engine, commits: &mut Vec<Commit>, op: &str, body: Value) -> Value {
    let executed = engine
        .execute(op, &body)
        .unwrap_or_else(|e| panic!("{op}: {e}"));
    commits.extend(executed.commit);
    executed.response
}

fn create(name: &str, view_type: &str) -> Value {
    json!({"TableName": name,
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": view_type}})
}

fn put(table: &str, id: &str, n: u32) -> Value {
    json!({"TableName": table, "Item": {"id": {"S": id}, "n": {"N": n.to_string()}}})
}

/// A TRIM_HORIZON shard iterator of `table`'s stream.
fn trim_horizon(engine: &mut Engine, table: &str) -> Value {
    let streams = engine
        .execute("ListStreams", &json!({"TableName": table}))
        .unwrap();
    let arn = streams.response["Streams"][0]["StreamArn"].clone();
    let described = engine
        .execute("DescribeStream", &json!({"StreamArn": arn}))
        .unwrap();
    let shard = described.response["StreamDescription"]["Shards"][0]["ShardId"].clone();
    let body = json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"});
    let it = engine.execute("GetShardIterator", &body).unwrap();
    it.response["ShardIterator"].clone()
}

fn records(engine: &mut Engine, iterator: &Value) -> Value {
    let got = engine
        .execute("GetRecords", &json!({"ShardIterator": iterator}))
        .unwrap();
    got.response["Records"].clone()
}

/// Every record of `table`'s stream.
fn all_records(engine: &mut Engine, table: &str) -> Value {
    let it = trim_horizon(engine, table);
    records(engine, &it)
}

fn sequence_numbers(records: &Value) -> Vec<String> {
    records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["dynamodb"]["SequenceNumber"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Two streamed tables written to: puts, an update, a delete, a TTL delete and a
/// transaction with a token. Returns the commits.
fn workload(engine: &mut Engine, clock: &VirtualClock) -> Vec<Commit> {
    let mut commits = Vec::new();
    let c = &mut commits;
    run(
        engine,
        c,
        "CreateTable",
        create("Orders", "NEW_AND_OLD_IMAGES"),
    );
    run(engine, c, "CreateTable", create("Keys", "KEYS_ONLY"));
    let ttl = json!({"TableName": "Orders",
        "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "ttl"}});
    run(engine, c, "UpdateTimeToLive", ttl);
    for i in 0..4 {
        run(engine, c, "PutItem", put("Orders", &format!("o{i}"), i));
        run(engine, c, "PutItem", put("Keys", &format!("k{i}"), i));
    }
    let update = json!({"TableName": "Orders", "Key": {"id": {"S": "o1"}},
        "UpdateExpression": "SET n = n + :one, #t = :t",
        "ExpressionAttributeNames": {"#t": "ttl"},
        "ExpressionAttributeValues": {":one": {"N": "1"}, ":t": {"N": "1704067260"}}});
    run(engine, c, "UpdateItem", update);
    run(
        engine,
        c,
        "DeleteItem",
        json!({"TableName": "Keys", "Key": {"id": {"S": "k0"}}}),
    );
    clock.advance(120_000);
    // The next operation deletes o1 by TTL first.
    run(engine, c, "TransactWriteItems", transaction("tok-1", "o9"));
    commits
}

fn transaction(token: &str, id: &str) -> Value {
    json!({"ClientRequestToken": token, "TransactItems": [
        {"Put": {"TableName": "Orders", "Item": {"id": {"S": id}}}},
        {"Delete": {"TableName": "Keys", "Key": {"id": {"S": "k1"}}}}]})
}

/// The snapshot as a store keeps it: JSON text.
fn through_text(snapshot: &Snapshot) -> Snapshot {
    serde_json::from_str(&serde_json::to_string(snapshot).unwrap()).unwrap()
}

#[test]
fn a_restored_engine_serves_the_same_records_and_numbers_on() {
    let clock = clock();
    let mut engine = engine_on(&clock);
    workload(&mut engine, &clock);
    let snapshot = engine.snapshot();
    let mut restored = engine_on(&clock);
    restored.load(through_text(&snapshot)).unwrap();
    assert_eq!(restored.snapshot(), snapshot);
    for table in ["Orders", "Keys"] {
        let it = trim_horizon(&mut engine, table);
        let before = records(&mut engine, &it);
        assert_eq!(records(&mut restored, &it), before);
        assert_eq!(all_records(&mut restored, table), before);
    }
    let orders = all_records(&mut restored, "Orders");
    let names: Vec<&str> = orders
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["eventName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["INSERT", "INSERT", "INSERT", "INSERT", "MODIFY", "REMOVE", "INSERT"]
    );
    assert_eq!(
        orders[5]["userIdentity"]["principalId"],
        json!("dynamodb.amazonaws.com")
    );
    // A write after the restore takes the number the original engine would have.
    let mut none = Vec::new();
    run(&mut engine, &mut none, "PutItem", put("Keys", "k7", 7));
    run(&mut restored, &mut none, "PutItem", put("Keys", "k7", 7));
    let it = trim_horizon(&mut engine, "Keys");
    let after = sequence_numbers(&records(&mut restored, &it));
    assert_eq!(after, sequence_numbers(&records(&mut engine, &it)));
    assert!(after.windows(2).all(|w| w[0] < w[1]), "{after:?}");
}

#[test]
fn replaying_the_commits_one_by_one_rebuilds_the_same_engine() {
    let clock = clock();
    let mut engine = engine_on(&clock);
    let commits = workload(&mut engine, &clock);
    let kinds: Vec<&str> = commits
        .last()
        .unwrap()
        .changes
        .iter()
        .map(|c| match c {
            Change::PutItem { .. } => "PutItem",
            Change::DeleteItem { .. } => "DeleteItem",
            Change::StreamRecord { .. } => "StreamRecord",
            Change::ClientToken(_) => "ClientToken",
            Change::Counter { .. } => "Counter",
            _ => "other",
        })
        .collect();
    // The TTL delete swept first, then the transaction's writes, records and token, and
    // the counter the records moved.
    assert_eq!(
        kinds,
        [
            "DeleteItem",
            "StreamRecord",
            "PutItem",
            "StreamRecord",
            "DeleteItem",
            "StreamRecord",
            "ClientToken",
            "Counter"
        ]
    );
    let mut replica = engine_on(&clock);
    let stored: Vec<Commit> = commits
        .iter()
        .map(|c| serde_json::from_str(&serde_json::to_string(c).unwrap()).unwrap())
        .collect();
    replica.replay(&stored).unwrap();
    assert_eq!(replica.snapshot(), engine.snapshot());
    let it = trim_horizon(&mut engine, "Orders");
    assert_eq!(records(&mut replica, &it), records(&mut engine, &it));
}

#[test]
fn the_state_as_one_commit_rebuilds_the_same_engine() {
    let clock = clock();
    let mut engine = engine_on(&clock);
    workload(&mut engine, &clock);
    let whole = engine.state_commit();
    let mut replica = engine_on(&clock);
    for change in &whole.changes {
        replica.apply_change(change).unwrap();
    }
    assert_eq!(replica.snapshot(), engine.snapshot());
    let it = trim_horizon(&mut engine, "Orders");
    assert_eq!(records(&mut replica, &it), records(&mut engine, &it));
}

#[test]
fn a_token_is_remembered_across_a_restore_for_ten_minutes() {
    let clock = clock();
    let mut engine = engine_on(&clock);
    workload(&mut engine, &clock);
    let mut restored = engine_on(&clock);
    restored.load(through_text(&engine.snapshot())).unwrap();
    // Someone else writes the item again: a retry must not.
    let mut commits = Vec::new();
    run(
        &mut restored,
        &mut commits,
        "PutItem",
        put("Orders", "o9", 5),
    );
    let retry = restored
        .execute("TransactWriteItems", &transaction("tok-1", "o9"))
        .unwrap();
    assert_eq!(retry.commit, None);
    let got = restored
        .execute(
            "GetItem",
            &json!({"TableName": "Orders", "Key": {"id": {"S": "o9"}}}),
        )
        .unwrap();
    assert_eq!(got.response["Item"]["n"], json!({"N": "5"}));
    let refused = restored
        .execute("TransactWriteItems", &transaction("tok-1", "o8"))
        .unwrap_err();
    assert_eq!(refused.type_name, "IdempotentParameterMismatchException");
    assert_eq!(
        refused.message,
        "The request uses the same client token as a previous, but non-identical request. "
    );
    // Past ten minutes the token is neither kept in a snapshot nor restored from one.
    let old = engine.snapshot();
    clock.advance(10 * 60 * 1000);
    assert!(engine.snapshot().tokens.is_empty());
    let mut later = engine_on(&clock);
    later.load(old).unwrap();
    assert!(later.snapshot().tokens.is_empty());
    let fresh = later
        .execute("TransactWriteItems", &transaction("tok-1", "o8"))
        .unwrap();
    assert!(fresh.commit.is_some());
}

#[test]
fn records_past_24_hours_are_not_restored() {
    let clock = clock();
    let mut engine = engine_on(&clock);
    workload(&mut engine, &clock);
    let old = engine.snapshot();
    clock.advance(24 * HOUR);
    let mut none = Vec::new();
    run(&mut engine, &mut none, "PutItem", put("Keys", "late", 1));
    clock.advance(1);
    // Only the record written within the last 24 hours is kept; the counter still is.
    let kept = engine.snapshot();
    assert_eq!(kept.streams["Keys"].len(), 1);
    assert!(!kept.streams.contains_key("Orders"));
    assert_eq!(kept.sequence, old.sequence + 1);
    let mut later = engine_on(&clock);
    later.load(old.clone()).unwrap();
    assert!(later.snapshot().streams.is_empty());
    assert_eq!(later.snapshot().sequence, old.sequence);
    let it = trim_horizon(&mut later, "Orders");
    assert_eq!(records(&mut later, &it), json!([]));
}

#[test]
fn without_commits_nothing_extra_is_built() {
    let clock = clock();
    let mut engine = engine_on(&clock);
    engine.set_commits(false);
    let commits = workload(&mut engine, &clock);
    assert!(commits.is_empty());
    // The stream and the token still work in memory.
    let it = trim_horizon(&mut engine, "Keys");
    assert_eq!(sequence_numbers(&records(&mut engine, &it)).len(), 6);
    let retry = engine.execute("TransactWriteItems", &transaction("tok-1", "o9"));
    assert_eq!(retry.unwrap().commit, None);
    // (With commits off every commit is None: the token shows by refusing another request.)
    let other = engine.execute("TransactWriteItems", &transaction("tok-1", "o8"));
    assert_eq!(
        other.unwrap_err().type_name,
        "IdempotentParameterMismatchException"
    );
}

#[test]
fn a_snapshot_of_the_first_format_restores_and_numbers_on() {
    let text = include_str!("persist/first-format-snapshot.json");
    let snapshot: Snapshot = serde_json::from_str(text).unwrap();
    let mut engine = Engine::restore(snapshot).unwrap();
    let mut none = Vec::new();
    run(&mut engine, &mut none, "PutItem", put("Orders", "002", 2));
    let it = trim_horizon(&mut engine, "Orders");
    assert_eq!(
        sequence_numbers(&records(&mut engine, &it)),
        ["000000000000000000200"]
    );
}

#[test]
fn items_stored_before_the_attribute_name_checks_still_load() {
    // Engines before those checks stored empty names (requests now refuse them).
    let item = json!({"id": {"S": "1"}, "": {"S": "e"}, "m": {"M": {"": {"N": "1"}}}});
    let text = include_str!("persist/first-format-snapshot.json");
    let mut snapshot: Snapshot = serde_json::from_str(text).unwrap();
    snapshot.tables[0].items = vec![item.clone()];
    let mut engine = Engine::restore(snapshot).unwrap();
    let key = json!({"TableName": "Orders", "Key": {"id": {"S": "1"}}});
    assert_eq!(
        engine.execute("GetItem", &key).unwrap().response["Item"],
        item
    );
    let replayed = Change::PutItem {
        table: "Orders".into(),
        key: json!({"id": {"S": "1"}}),
        item: item.clone(),
    };
    // And through a replayed log.
    let table = engine.snapshot().tables.remove(0);
    let mut replica = Engine::new();
    let created = Change::PutTable {
        name: table.name,
        definition: table.definition,
    };
    replica.apply_change(&created).unwrap();
    replica.apply_change(&replayed).unwrap();
    assert_eq!(
        replica.execute("GetItem", &key).unwrap().response["Item"],
        item
    );
}
