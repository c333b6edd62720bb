//! Engine-level behaviour: commits, snapshot/restore round trips, streams records, TTL.

use serde_json::{json, Value};
use statebox_dynamo::{Change, Engine, VirtualClock};

fn ok(engine: &mut Engine, op: &str, body: Value) -> Value {
    match engine.execute(op, &body) {
        Ok(e) => e.response,
        Err(e) => panic!("{op}: {e}"),
    }
}

fn table(engine: &mut Engine, extra: Value) {
    let mut body = json!({
        "TableName": "Tbl",
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "g", "AttributeType": "S"}],
        "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    ok(engine, "CreateTable", body);
}

#[test]
fn commits_carry_keys_and_items() {
    let mut engine = Engine::new();
    table(&mut engine, json!({}));
    let put = engine
        .execute(
            "PutItem",
            &json!({"TableName": "Tbl", "Item": {"sk": {"N": "1"}, "pk": {"S": "a"}}}),
        )
        .unwrap();
    let commit = put.commit.unwrap();
    match &commit.changes[..] {
        [Change::PutItem { table, key, item }] => {
            assert_eq!(table, "Tbl");
            assert_eq!(key.to_string(), r#"{"pk":{"S":"a"},"sk":{"N":"1"}}"#);
            assert_eq!(item["pk"], json!({"S": "a"}));
        }
        other => panic!("unexpected {other:?}"),
    }
    let get = engine
        .execute(
            "GetItem",
            &json!({"TableName": "Tbl", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}}),
        )
        .unwrap();
    assert!(get.commit.is_none());
}

#[test]
fn snapshot_restore_round_trips() {
    let mut engine = Engine::new();
    table(
        &mut engine,
        json!({"Tags": [{"Key": "env", "Value": "dev"}], "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}),
    );
    ok(
        &mut engine,
        "UpdateTimeToLive",
        json!({"TableName": "Tbl", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "ttl"}}),
    );
    for i in 0..20 {
        ok(
            &mut engine,
            "PutItem",
            json!({"TableName": "Tbl", "Item": {"pk": {"S": format!("p{}", i % 3)}, "sk": {"N": i.to_string()}, "g": {"S": "x"}}}),
        );
    }
    let snap = engine.snapshot();
    let text = serde_json::to_string(&snap).unwrap();
    let mut restored = Engine::restore(serde_json::from_str(&text).unwrap()).unwrap();
    assert_eq!(restored.snapshot(), snap);
    let before = ok(&mut engine, "DescribeTable", json!({"TableName": "Tbl"}));
    let after = ok(&mut restored, "DescribeTable", json!({"TableName": "Tbl"}));
    assert_eq!(before, after);
    let q = ok(
        &mut restored,
        "Query",
        json!({"TableName": "Tbl", "IndexName": "byG", "KeyConditionExpression": "g = :g", "ExpressionAttributeValues": {":g": {"S": "x"}}, "Select": "COUNT"}),
    );
    assert_eq!(q["Count"], json!(20));
    let tags = ok(
        &mut restored,
        "ListTagsOfResource",
        json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Tbl"}),
    );
    assert_eq!(tags, json!({"Tags": [{"Key": "env", "Value": "dev"}]}));
    let ttl = ok(
        &mut restored,
        "DescribeTimeToLive",
        json!({"TableName": "Tbl"}),
    );
    assert_eq!(
        ttl["TimeToLiveDescription"]["TimeToLiveStatus"],
        json!("ENABLED")
    );
}

#[test]
fn apply_change_replays_commits() {
    let mut engine = Engine::new();
    let mut replica = Engine::new();
    let replay = |e: &statebox_dynamo::Executed, r: &mut Engine| {
        for c in e.commit.iter().flat_map(|c| c.changes.iter()) {
            r.apply_change(c).unwrap();
        }
    };
    let body = json!({"TableName": "Tbl", "BillingMode": "PAY_PER_REQUEST", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]});
    let e = engine.execute("CreateTable", &body).unwrap();
    replay(&e, &mut replica);
    let e = engine
        .execute(
            "PutItem",
            &json!({"TableName": "Tbl", "Item": {"pk": {"S": "a"}, "n": {"N": "1"}}}),
        )
        .unwrap();
    replay(&e, &mut replica);
    let e = engine.execute("UpdateItem", &json!({"TableName": "Tbl", "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET n = n + :one", "ExpressionAttributeValues": {":one": {"N": "1"}}})).unwrap();
    replay(&e, &mut replica);
    assert_eq!(engine.snapshot(), replica.snapshot());
}

#[test]
fn streams_record_changes_and_ttl_deletes() {
    let clock = std::sync::Arc::new(VirtualClock::new(1_704_067_200_000));
    let c2 = clock.clone();
    let mut engine = Engine::with_clock(Box::new(move || c2.now_millis_public()));
    table(
        &mut engine,
        json!({"StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
    );
    ok(
        &mut engine,
        "UpdateTimeToLive",
        json!({"TableName": "Tbl", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "ttl"}}),
    );
    ok(
        &mut engine,
        "PutItem",
        json!({"TableName": "Tbl", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "ttl": {"N": "1704067230"}}}),
    );
    ok(
        &mut engine,
        "UpdateItem",
        json!({"TableName": "Tbl", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}}),
    );
    clock.advance(60_000);
    let swept = engine.execute("ListTables", &json!({})).unwrap();
    assert!(matches!(
        swept.commit.unwrap().changes[..],
        [
            Change::DeleteItem { .. },
            Change::StreamRecord { .. },
            Change::Counter { .. }
        ]
    ));
    let streams = ok(&mut engine, "ListStreams", json!({}));
    let arn = streams["Streams"][0]["StreamArn"]
        .as_str()
        .unwrap()
        .to_string();
    let desc = ok(&mut engine, "DescribeStream", json!({"StreamArn": arn}));
    let shard = desc["StreamDescription"]["Shards"][0]["ShardId"]
        .as_str()
        .unwrap()
        .to_string();
    let it = ok(
        &mut engine,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}),
    );
    let recs = ok(
        &mut engine,
        "GetRecords",
        json!({"ShardIterator": it["ShardIterator"]}),
    );
    let records = recs["Records"].as_array().unwrap();
    let names: Vec<&str> = records
        .iter()
        .map(|r| r["eventName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["INSERT", "MODIFY", "REMOVE"]);
    assert_eq!(
        records[1]["dynamodb"]["OldImage"]["ttl"],
        json!({"N": "1704067230"})
    );
    assert_eq!(records[1]["dynamodb"]["NewImage"]["v"], json!({"S": "x"}));
    assert_eq!(
        records[2]["userIdentity"]["principalId"],
        json!("dynamodb.amazonaws.com")
    );
    let next = ok(
        &mut engine,
        "GetRecords",
        json!({"ShardIterator": recs["NextShardIterator"]}),
    );
    assert_eq!(next["Records"], json!([]));
}

#[test]
fn never_panics_on_garbage() {
    let mut engine = Engine::new();
    table(&mut engine, json!({}));
    let ops = statebox_dynamo::ops::OPERATIONS;
    let bodies = [
        json!(null),
        json!([]),
        json!("x"),
        json!({"TableName": 5}),
        json!({"TableName": "Tbl", "Key": [], "Item": "x", "KeyConditions": 1, "RequestItems": {"T": 3}, "TransactItems": [1, {"Put": 2}]}),
        json!({"TableName": "Tbl", "Limit": -1, "Segment": -5, "TotalSegments": 0, "ExclusiveStartKey": {"pk": {"S": "a"}}}),
        json!({"TableName": "Tbl", "KeyConditionExpression": "pk = :a AND sk BETWEEN :b AND :a", "ExpressionAttributeValues": {":a": {"S": "x"}, ":b": {"N": "1"}}}),
        json!({"StreamArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Tbl/stream/x", "ShardIterator": "|||", "ShardId": "x", "ShardIteratorType": "LATEST"}),
    ];
    for op in ops {
        for body in &bodies {
            let _ = engine.execute(op, body);
        }
    }
}

#[test]
fn scan_pages_stop_at_one_megabyte_before_filtering() {
    let mut engine = Engine::new();
    ok(
        &mut engine,
        "CreateTable",
        json!({"TableName": "Big", "BillingMode": "PAY_PER_REQUEST", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
    );
    let blob = "x".repeat(300 * 1024);
    for i in 0..6 {
        ok(
            &mut engine,
            "PutItem",
            json!({"TableName": "Big", "Item": {"pk": {"S": format!("k{i}")}, "payload": {"S": blob}}}),
        );
    }
    let page = ok(
        &mut engine,
        "Scan",
        json!({"TableName": "Big", "FilterExpression": "attribute_not_exists(payload)", "ReturnConsumedCapacity": "TOTAL"}),
    );
    assert_eq!(page["Count"], json!(0));
    assert_eq!(page["ScannedCount"], json!(4));
    assert_eq!(page["LastEvaluatedKey"], json!({"pk": {"S": "k3"}}));
    let rest = ok(
        &mut engine,
        "Scan",
        json!({"TableName": "Big", "Select": "COUNT", "ExclusiveStartKey": page["LastEvaluatedKey"]}),
    );
    assert_eq!(rest["ScannedCount"], json!(2));
    assert!(rest.get("LastEvaluatedKey").is_none());
    let too_big = engine.execute("PutItem", &json!({"TableName": "Big", "Item": {"pk": {"S": "huge"}, "payload": {"S": "x".repeat(401 * 1024)}}})).unwrap_err();
    assert_eq!(
        too_big.message,
        "Item size has exceeded the maximum allowed size"
    );
}

#[test]
fn parallel_scan_segments_partition_the_table() {
    let mut engine = Engine::new();
    ok(
        &mut engine,
        "CreateTable",
        json!({"TableName": "Seg", "BillingMode": "PAY_PER_REQUEST", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "N"}]}),
    );
    for i in 0..100 {
        ok(
            &mut engine,
            "PutItem",
            json!({"TableName": "Seg", "Item": {"pk": {"N": i.to_string()}}}),
        );
    }
    let mut total = 0;
    for s in 0..4 {
        let page = ok(
            &mut engine,
            "Scan",
            json!({"TableName": "Seg", "Segment": s, "TotalSegments": 4, "Select": "COUNT"}),
        );
        let n = page["Count"].as_u64().unwrap();
        assert!(n > 0 && n < 100);
        total += n;
    }
    assert_eq!(total, 100);
}

#[test]
fn batch_get_returns_unprocessed_keys_past_16_megabytes() {
    let mut engine = Engine::new();
    ok(
        &mut engine,
        "CreateTable",
        json!({"TableName": "Big", "BillingMode": "PAY_PER_REQUEST", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "N"}]}),
    );
    let blob = "x".repeat(390 * 1024);
    let mut keys = Vec::new();
    for i in 0..60 {
        ok(
            &mut engine,
            "PutItem",
            json!({"TableName": "Big", "Item": {"pk": {"N": i.to_string()}, "payload": {"S": blob}}}),
        );
        keys.push(json!({"pk": {"N": i.to_string()}}));
    }
    let out = ok(
        &mut engine,
        "BatchGetItem",
        json!({"RequestItems": {"Big": {"Keys": keys, "ConsistentRead": true}}}),
    );
    let got = out["Responses"]["Big"].as_array().unwrap().len();
    let left = out["UnprocessedKeys"]["Big"]["Keys"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(got + left, 60);
    assert!(got >= 40 && left > 0, "got {got}, left {left}");
    assert_eq!(out["UnprocessedKeys"]["Big"]["ConsistentRead"], json!(true));
}

/// A store that delegates to the in-memory one: the engine only talks to the trait.
#[derive(Debug, Default)]
struct Delegating(statebox_dynamo::storage::MemoryStore);

impl statebox_dynamo::storage::ItemStore for Delegating {
    fn get(&self, key: &[u8]) -> Option<&statebox_dynamo::Item> {
        self.0.get(key)
    }
    fn put(&mut self, key: Vec<u8>, item: statebox_dynamo::Item) -> Option<statebox_dynamo::Item> {
        self.0.put(key, item)
    }
    fn remove(&mut self, key: &[u8]) -> Option<statebox_dynamo::Item> {
        self.0.remove(key)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn range<'a>(
        &'a self,
        start: std::ops::Bound<Vec<u8>>,
        end: std::ops::Bound<Vec<u8>>,
        reverse: bool,
    ) -> Box<dyn Iterator<Item = (&'a Vec<u8>, &'a statebox_dynamo::Item)> + 'a> {
        self.0.range(start, end, reverse)
    }
}

#[test]
fn tables_run_on_any_item_store() {
    fn factory() -> Box<dyn statebox_dynamo::storage::ItemStore> {
        Box::new(Delegating::default())
    }
    let mut engine = Engine::with_store(factory);
    table(&mut engine, json!({}));
    ok(
        &mut engine,
        "PutItem",
        json!({"TableName": "Tbl", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "x"}}}),
    );
    let q = ok(
        &mut engine,
        "Query",
        json!({"TableName": "Tbl", "IndexName": "byG", "KeyConditionExpression": "g = :g", "ExpressionAttributeValues": {":g": {"S": "x"}}, "Select": "COUNT"}),
    );
    assert_eq!(q["Count"], json!(1));
}

#[test]
fn gsi_pages_through_items_sharing_an_index_key() {
    let mut engine = Engine::new();
    ok(
        &mut engine,
        "CreateTable",
        json!({"TableName": "Hash", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]}),
    );
    for i in 0..5 {
        ok(
            &mut engine,
            "PutItem",
            json!({"TableName": "Hash", "Item": {"pk": {"S": format!("k{i}")}, "g": {"S": "same"}}}),
        );
    }
    for op in ["Query", "Scan"] {
        let mut seen = Vec::new();
        let mut start: Option<Value> = None;
        for _ in 0..10 {
            let mut body = json!({"TableName": "Hash", "IndexName": "byG", "Limit": 2});
            if op == "Query" {
                body["KeyConditionExpression"] = json!("g = :g");
                body["ExpressionAttributeValues"] = json!({":g": {"S": "same"}});
            }
            if let Some(s) = &start {
                body["ExclusiveStartKey"] = s.clone();
            }
            let page = ok(&mut engine, op, body);
            for item in page["Items"].as_array().unwrap() {
                seen.push(item["pk"]["S"].as_str().unwrap().to_string());
            }
            match page.get("LastEvaluatedKey") {
                Some(k) => start = Some(k.clone()),
                None => break,
            }
        }
        seen.sort();
        assert_eq!(seen, ["k0", "k1", "k2", "k3", "k4"], "{op}");
    }
}

/// AWS refuses a transaction whose items add up to more than 4 MB (the conformance suite's
/// 12 x 350 KB case; 10 x 350 KB passes), before evaluating any condition.
#[test]
fn transactions_over_four_megabytes_are_refused() {
    let mut engine = Engine::new();
    ok(
        &mut engine,
        "CreateTable",
        json!({"TableName": "Hash", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
    );
    let puts = |n: usize, prefix: &str| {
        let items: Vec<Value> = (0..n)
            .map(|i| json!({"Put": {"TableName": "Hash", "Item": {"pk": {"S": format!("{prefix}{i}")}, "payload": {"S": "x".repeat(350_000)}}}}))
            .collect();
        json!({"TransactItems": items})
    };
    ok(&mut engine, "TransactWriteItems", puts(10, "ok-"));
    let err = engine
        .execute("TransactWriteItems", &puts(12, "big-"))
        .unwrap_err();
    assert_eq!(err.type_name, "ValidationException");
    assert_eq!(
        err.message,
        "Transaction request cannot be larger than 4 MB"
    );
}

/// Standalone UpdateItem charges what the statement writes plus 3 bytes and 19 per SET
/// against the 400 KB limit, so with a one-character key its ceiling sits below a put's
/// (captured against AWS, eu-west-2, by bisecting the limit).
#[test]
fn update_item_measures_what_it_writes() {
    let mut engine = Engine::new();
    ok(
        &mut engine,
        "CreateTable",
        json!({"TableName": "Hash", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
    );
    // Key `pk`="K" is 3 bytes; the ceiling is 409,600 + 3 - (3 + 19) = 409,581.
    let update = |key: &str, pad: usize| {
        json!({"TableName": "Hash", "Key": {"pk": {"S": key}}, "UpdateExpression": "SET b = :pad",
               "ExpressionAttributeValues": {":pad": {"S": "x".repeat(pad)}}})
    };
    ok(&mut engine, "UpdateItem", update("K", 409_581 - 3 - 1));
    let err = engine
        .execute("UpdateItem", &update("L", 409_581 - 3))
        .unwrap_err();
    assert_eq!(
        err.message,
        "Item size to update has exceeded the maximum allowed size"
    );
    // PutItem takes the same item one byte larger than UpdateItem would.
    let put = json!({"TableName": "Hash", "Item": {"pk": {"S": "M"}, "b": {"S": "x".repeat(409_600 - 3 - 1)}}});
    ok(&mut engine, "PutItem", put);
}

/// Batch requests report bad table names once for the whole map ("Map keys must satisfy
/// constraint"), after the enums, and a PutRequest/DeleteRequest missing its Item/Key by
/// position (dynalite's AWS-recorded tests; AWS echoes the map in its Java form there).
#[test]
fn batch_validation_reports_map_constraints_in_member_order() {
    let mut engine = Engine::new();
    let keys = "Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]";
    let values = "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]";
    let msg = |engine: &mut Engine, op: &str, body: Value| {
        let e = engine.execute(op, &body).unwrap_err();
        assert_eq!(e.type_name, "ValidationException");
        e.message
    };
    let m = msg(
        &mut engine,
        "BatchWriteItem",
        json!({"RequestItems": {"a": []}, "ReturnConsumedCapacity": "hi", "ReturnItemCollectionMetrics": "hi"}),
    );
    assert!(m.starts_with("4 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]; Value '{"), "{m}");
    assert!(
        m.contains(&format!(
            "' at 'requestItems' failed to satisfy constraint: {keys}; Value '{{"
        )),
        "{m}"
    );
    assert!(
        m.ends_with(&format!(
            "' at 'requestItems' failed to satisfy constraint: {values}"
        )),
        "{m}"
    );
    let m = msg(
        &mut engine,
        "BatchWriteItem",
        json!({"RequestItems": {"aa;": [{"PutRequest": {}, "DeleteRequest": {}}]}, "ReturnConsumedCapacity": "hi", "ReturnItemCollectionMetrics": "hi"}),
    );
    assert!(m.starts_with("5 validation errors detected: "), "{m}");
    assert!(m.ends_with(&format!("' at 'requestItems' failed to satisfy constraint: {keys}; Value null at 'requestItems.aa;.member.1.member.deleteRequest.key' failed to satisfy constraint: Member must not be null; Value null at 'requestItems.aa;.member.1.member.putRequest.item' failed to satisfy constraint: Member must not be null")), "{m}");
    let m = msg(
        &mut engine,
        "BatchGetItem",
        json!({"RequestItems": {"a": {}}, "ReturnConsumedCapacity": "hi"}),
    );
    assert!(m.starts_with("3 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value '{"), "{m}");
    assert!(m.ends_with(&format!("' at 'requestItems' failed to satisfy constraint: {keys}; Value null at 'requestItems.a.member.keys' failed to satisfy constraint: Member must not be null")), "{m}");
}
