//! `engine_bench [N]`: the embedded engine's speed with no HTTP at all: N PutItem, N GetItem,
//! a Query and a Scan of all N items (every page), and N items by BatchWriteItem (25 per
//! call), each through `Engine::execute` with the same JSON requests an SDK would send;
//! the Query and Scan again through `Engine::execute_to_json` (the server's path: "text").
//! Build with `--release` for meaningful numbers.

use std::time::Instant;

use serde_json::{json, Value};
use statebox_dynamo::Engine;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let mut engine = Engine::new();
    for table in ["bench", "batch"] {
        let created = engine.execute(
            "CreateTable",
            &json!({
                "TableName": table,
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                         {"AttributeName": "sk", "AttributeType": "N"}],
                "BillingMode": "PAY_PER_REQUEST"
            }),
        );
        if let Err(e) = created {
            eprintln!("engine_bench: CreateTable failed: {e}");
            std::process::exit(1);
        }
    }
    let item = |table: &str, i: usize| {
        json!({"TableName": table, "Item": {"pk": {"S": "p"}, "sk": {"N": i.to_string()},
               "payload": {"S": "twenty bytes of data"}}})
    };
    measure("PutItem", || {
        for i in 0..n {
            run(&mut engine, "PutItem", &item("bench", i))?;
        }
        Ok(n)
    });
    measure("GetItem", || {
        for i in 0..n {
            let key = json!({"TableName": "bench",
                             "Key": {"pk": {"S": "p"}, "sk": {"N": i.to_string()}}});
            run(&mut engine, "GetItem", &key)?;
        }
        Ok(n)
    });
    for operation in ["Query", "Scan"] {
        read_all(&mut engine, operation, false);
        read_all(&mut engine, operation, true);
    }
    measure("BatchWriteItem", || {
        let mut calls = 0;
        for chunk in (0..n).collect::<Vec<_>>().chunks(25) {
            let puts: Vec<Value> = chunk
                .iter()
                .map(|i| json!({"PutRequest": {"Item": item("batch", *i)["Item"]}}))
                .collect();
            let request = json!({"RequestItems": {"batch": puts}});
            run(&mut engine, "BatchWriteItem", &request)?;
            calls += 1;
        }
        Ok(calls)
    });
}

/// Reads every page of a Query or Scan of the `bench` table and prints the time: as JSON
/// values (`Engine::execute`), or as JSON text (`Engine::execute_to_json`, what the server
/// sends; only the paging members are read back from the text).
fn read_all(engine: &mut Engine, operation: &str, text: bool) {
    let mut request = if operation == "Query" {
        json!({"TableName": "bench", "KeyConditionExpression": "pk = :p",
               "ExpressionAttributeValues": {":p": {"S": "p"}}})
    } else {
        json!({"TableName": "bench"})
    };
    let (mut pages, mut items) = (0, 0);
    let started = Instant::now();
    loop {
        let page = if text {
            engine
                .execute_to_json(operation, &request)
                .map_err(|e| e.to_string())
                .and_then(|executed| {
                    serde_json::from_slice::<Paging>(&executed.response).map_err(|e| e.to_string())
                })
        } else {
            run(engine, operation, &request).map(|response| Paging {
                count: response["Count"].as_u64().unwrap_or(0) as usize,
                last: response.get("LastEvaluatedKey").cloned(),
            })
        };
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                println!("engine {operation:<14} failed: {e}");
                return;
            }
        };
        pages += 1;
        items += page.count;
        match page.last {
            Some(key) => request["ExclusiveStartKey"] = key,
            None => break,
        }
    }
    let elapsed = started.elapsed();
    let label = format!("{operation}{}", if text { " (text)" } else { "" });
    println!(
        "engine {label:<14} {items} items in {pages} page(s): {:>9.3} ms",
        elapsed.as_secs_f64() * 1e3
    );
}

/// The members of a Query or Scan page that paging needs.
#[derive(serde::Deserialize)]
struct Paging {
    #[serde(rename = "Count")]
    count: usize,
    #[serde(rename = "LastEvaluatedKey")]
    last: Option<Value>,
}

fn run(engine: &mut Engine, operation: &str, request: &Value) -> Result<Value, String> {
    engine
        .execute(operation, request)
        .map(|executed| executed.response)
        .map_err(|e| e.to_string())
}

/// Times `body`, which returns how many calls it made; a failure is printed, not fatal.
fn measure(operation: &str, body: impl FnOnce() -> Result<usize, String>) {
    let started = Instant::now();
    let calls = match body() {
        Ok(calls) => calls.max(1),
        Err(e) => {
            println!("engine {operation:<14} failed: {e}");
            return;
        }
    };
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "engine {operation:<14} {calls} calls: {:>9.0} ops/s, {:>7.2} us/op",
        calls as f64 / elapsed,
        elapsed * 1e6 / calls as f64
    );
}
