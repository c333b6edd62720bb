//! A small throughput benchmark (a separate command, not part of the tests):
//! `cargo run --release -p statebox-dynamo --example bench -- 100000`.

use std::time::Instant;

use serde_json::json;
use statebox_dynamo::Engine;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let mut engine = Engine::new();
    engine
        .execute(
            "CreateTable",
            &json!({
                "TableName": "Bench",
                "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "AttributeDefinitions": [
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "N"},
                    {"AttributeName": "g", "AttributeType": "S"}],
                "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "KEYS_ONLY"}}]
            }),
        )
        .expect("create");
    let start = Instant::now();
    for i in 0..n {
        let body = json!({"TableName": "Bench", "Item": {
            "pk": {"S": format!("p{}", i % 100)}, "sk": {"N": i.to_string()},
            "g": {"S": format!("g{}", i % 7)}, "payload": {"S": "x".repeat(100)}}});
        engine.execute("PutItem", &body).expect("put");
    }
    let puts = start.elapsed();
    let start = Instant::now();
    for i in 0..n {
        let body = json!({"TableName": "Bench", "Key": {"pk": {"S": format!("p{}", i % 100)}, "sk": {"N": i.to_string()}}});
        engine.execute("GetItem", &body).expect("get");
    }
    let gets = start.elapsed();
    let start = Instant::now();
    let queries = 1000;
    for i in 0..queries {
        let body = json!({"TableName": "Bench", "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
            "ExpressionAttributeValues": {":p": {"S": format!("p{}", i % 100)}, ":a": {"N": "0"}, ":b": {"N": "5000"}}, "Limit": 20});
        engine.execute("Query", &body).expect("query");
    }
    let q = start.elapsed();
    println!(
        "{n} PutItem: {:?} ({:.0}/s); {n} GetItem: {:?} ({:.0}/s); {queries} Query (Limit 20): {:?} ({:.0}/s)",
        puts,
        n as f64 / puts.as_secs_f64(),
        gets,
        n as f64 / gets.as_secs_f64(),
        q,
        queries as f64 / q.as_secs_f64()
    );
}
