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
    let clock = std::rc::Rc::new(VirtualClock::new(1_704_067_200_000));
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
        [Change::DeleteItem { .. }]
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
