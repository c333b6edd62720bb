//! `TableDescription` exactly as AWS returns it from CreateTable, DescribeTable,
//! UpdateTable and DeleteTable.

use serde_json::{json, Map, Value};

use super::schema::{BillingMode, IndexDefinition, TableDefinition};
use super::Table;

/// Seconds since the epoch as AWS's JSON timestamps (a number with fraction).
pub fn timestamp(millis: i64) -> Value {
    json!(millis as f64 / 1000.0)
}

/// The stream ARN of a stream label.
pub fn stream_arn(table: &str, label: &str) -> String {
    format!("{}/stream/{label}", super::schema::table_arn(table))
}

fn throughput(def: &TableDefinition, t: Option<super::schema::Throughput>) -> Value {
    let t = t.unwrap_or_default();
    let (r, w) = match def.billing {
        BillingMode::PayPerRequest => (0, 0),
        BillingMode::Provisioned => (t.read, t.write),
    };
    json!({"NumberOfDecreasesToday": 0, "ReadCapacityUnits": r, "WriteCapacityUnits": w})
}

fn index_description(table: &Table, index: &IndexDefinition) -> Value {
    let data = table.indexes.get(&index.name);
    let mut out = Map::new();
    out.insert("IndexName".into(), json!(index.name));
    out.insert("KeySchema".into(), index.key.describe());
    out.insert("Projection".into(), index.projection.describe());
    if index.global {
        out.insert("IndexStatus".into(), json!("ACTIVE"));
        out.insert(
            "ProvisionedThroughput".into(),
            throughput(&table.def, index.throughput),
        );
    }
    out.insert(
        "IndexSizeBytes".into(),
        json!(data.map(|d| d.size_bytes).unwrap_or(0)),
    );
    out.insert(
        "ItemCount".into(),
        json!(data.map(|d| d.store_len()).unwrap_or(0)),
    );
    out.insert(
        "IndexArn".into(),
        json!(format!("{}/index/{}", table.def.arn(), index.name)),
    );
    Value::Object(out)
}

/// The table's description with the given status (`ACTIVE`, `CREATING`, `DELETING`...).
pub fn describe(table: &Table, status: &str) -> Value {
    let def = &table.def;
    let mut out = Map::new();
    out.insert(
        "AttributeDefinitions".into(),
        Value::Array(
            def.attributes
                .iter()
                .map(|a| json!({"AttributeName": a.name, "AttributeType": a.kind.code()}))
                .collect(),
        ),
    );
    out.insert("TableName".into(), json!(def.name));
    out.insert("KeySchema".into(), def.key.describe());
    out.insert("TableStatus".into(), json!(status));
    out.insert("CreationDateTime".into(), timestamp(def.created_millis));
    out.insert(
        "ProvisionedThroughput".into(),
        throughput(def, Some(def.throughput)),
    );
    out.insert("TableSizeBytes".into(), json!(table.size_bytes));
    out.insert("ItemCount".into(), json!(table.item_count()));
    out.insert("TableArn".into(), json!(def.arn()));
    out.insert("TableId".into(), json!(def.table_id));
    if def.billing == BillingMode::PayPerRequest {
        out.insert(
            "BillingModeSummary".into(),
            json!({
                "BillingMode": "PAY_PER_REQUEST",
                "LastUpdateToPayPerRequestDateTime":
                    timestamp(def.pay_per_request_since.unwrap_or(def.created_millis)),
            }),
        );
    }
    let lsis: Vec<Value> = def
        .indexes
        .iter()
        .filter(|i| !i.global)
        .map(|i| index_description(table, i))
        .collect();
    if !lsis.is_empty() {
        out.insert("LocalSecondaryIndexes".into(), Value::Array(lsis));
    }
    let gsis: Vec<Value> = def
        .indexes
        .iter()
        .filter(|i| i.global)
        .map(|i| index_description(table, i))
        .collect();
    if !gsis.is_empty() {
        out.insert("GlobalSecondaryIndexes".into(), Value::Array(gsis));
    }
    if let Some(s) = &def.stream {
        out.insert(
            "StreamSpecification".into(),
            json!({"StreamEnabled": true, "StreamViewType": s.view_type}),
        );
    }
    if let Some(s) = def.stream.as_ref().or(def.last_stream.as_ref()) {
        out.insert("LatestStreamLabel".into(), json!(s.label));
        out.insert(
            "LatestStreamArn".into(),
            json!(stream_arn(&def.name, &s.label)),
        );
    }
    if let Some(class) = &def.table_class {
        out.insert("TableClassSummary".into(), json!({"TableClass": class}));
    }
    out.insert(
        "DeletionProtectionEnabled".into(),
        json!(def.deletion_protection),
    );
    Value::Object(out)
}
