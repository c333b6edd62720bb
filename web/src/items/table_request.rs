//! Table actions as DynamoDB requests: the create form (key schema, attribute definitions,
//! GSIs and LSIs with projections, billing, streams; TTL is its own UpdateTimeToLive),
//! adding or deleting a GSI, and a readable summary of DescribeTable. Pure.

use serde_json::{json, Map, Value};

/// A key attribute in a form: name and type (S, N, B); an empty name is no key.
pub type KeyField = (String, String);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndexForm {
    /// "GSI" or "LSI".
    pub kind: String,
    pub name: String,
    pub hash: KeyField,
    pub range: KeyField,
    /// ALL, KEYS_ONLY or INCLUDE.
    pub projection: String,
    /// INCLUDE's attributes, comma-separated.
    pub include: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableForm {
    pub name: String,
    pub hash: KeyField,
    pub range: KeyField,
    /// PAY_PER_REQUEST or PROVISIONED.
    pub billing: String,
    pub read_units: String,
    pub write_units: String,
    /// "" (no stream), KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES.
    pub stream: String,
    /// The TTL attribute ("" for none).
    pub ttl: String,
    pub indexes: Vec<IndexForm>,
}

impl TableForm {
    pub fn new() -> TableForm {
        TableForm {
            hash: ("pk".into(), "S".into()),
            range: (String::new(), "S".into()),
            billing: "PAY_PER_REQUEST".into(),
            read_units: "5".into(),
            write_units: "5".into(),
            ..TableForm::default()
        }
    }
}

fn key_schema(hash: &KeyField, range: &KeyField) -> Value {
    let mut out = vec![json!({"AttributeName": hash.0.trim(), "KeyType": "HASH"})];
    if !range.0.trim().is_empty() {
        out.push(json!({"AttributeName": range.0.trim(), "KeyType": "RANGE"}));
    }
    Value::Array(out)
}

/// Adds `field` to the definitions, refusing one name with two types.
fn define(defs: &mut Vec<(String, String)>, field: &KeyField, at: &str) -> Result<(), String> {
    let name = field.0.trim();
    if name.is_empty() {
        return Ok(());
    }
    match defs.iter().find(|(n, _)| n == name) {
        Some((_, t)) if *t != field.1 => Err(format!(
            "{at}: {name} is already a key of type {t}, not {}",
            field.1
        )),
        Some(_) => Ok(()),
        None => {
            defs.push((name.to_string(), field.1.clone()));
            Ok(())
        }
    }
}

fn throughput(form: &TableForm) -> Result<Value, String> {
    let units = |text: &str, what: &str| {
        text.trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{what} must be a whole number above 0, not {text:?}"))
    };
    Ok(json!({
        "ReadCapacityUnits": units(&form.read_units, "Read capacity units")?,
        "WriteCapacityUnits": units(&form.write_units, "Write capacity units")?,
    }))
}

fn projection(index: &IndexForm) -> Value {
    let kind = if index.projection.is_empty() {
        "ALL"
    } else {
        &index.projection
    };
    let mut p = json!({"ProjectionType": kind});
    if kind == "INCLUDE" {
        let attrs: Vec<&str> = index
            .include
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        p["NonKeyAttributes"] = json!(attrs);
    }
    p
}

/// The CreateTable request of the form.
pub fn create_table(form: &TableForm) -> Result<Value, String> {
    if form.name.trim().is_empty() {
        return Err("Table name: give the table a name".into());
    }
    if form.hash.0.trim().is_empty() {
        return Err("Partition key: give it a name".into());
    }
    let mut defs = Vec::new();
    define(&mut defs, &form.hash, "Partition key")?;
    define(&mut defs, &form.range, "Sort key")?;
    let provisioned = form.billing == "PROVISIONED";
    let mut req = Map::new();
    req.insert("TableName".into(), json!(form.name.trim()));
    req.insert("KeySchema".into(), key_schema(&form.hash, &form.range));
    let (mut gsis, mut lsis) = (Vec::new(), Vec::new());
    for (i, index) in form.indexes.iter().enumerate() {
        let at = format!("Index {}", i + 1);
        if index.name.trim().is_empty() {
            return Err(format!("{at}: give the index a name"));
        }
        let lsi = index.kind == "LSI";
        let hash = if lsi { &form.hash } else { &index.hash };
        if hash.0.trim().is_empty() {
            return Err(format!("{at}: give its partition key a name"));
        }
        if lsi && index.range.0.trim().is_empty() {
            return Err(format!("{at}: a local index needs a sort key"));
        }
        define(&mut defs, hash, &at)?;
        define(&mut defs, &index.range, &at)?;
        let mut spec = json!({
            "IndexName": index.name.trim(),
            "KeySchema": key_schema(hash, &index.range),
            "Projection": projection(index),
        });
        if lsi {
            lsis.push(spec);
        } else {
            if provisioned {
                spec["ProvisionedThroughput"] = throughput(form)?;
            }
            gsis.push(spec);
        }
    }
    req.insert(
        "AttributeDefinitions".into(),
        Value::Array(
            defs.iter()
                .map(|(n, t)| json!({"AttributeName": n, "AttributeType": t}))
                .collect(),
        ),
    );
    if !gsis.is_empty() {
        req.insert("GlobalSecondaryIndexes".into(), Value::Array(gsis));
    }
    if !lsis.is_empty() {
        req.insert("LocalSecondaryIndexes".into(), Value::Array(lsis));
    }
    req.insert("BillingMode".into(), json!(form.billing));
    if provisioned {
        req.insert("ProvisionedThroughput".into(), throughput(form)?);
    }
    if !form.stream.is_empty() {
        req.insert(
            "StreamSpecification".into(),
            json!({"StreamEnabled": true, "StreamViewType": form.stream}),
        );
    }
    Ok(Value::Object(req))
}

/// UpdateTimeToLive for `table`: on with `attribute`, or off (the attribute it had).
pub fn time_to_live(table: &str, attribute: &str, enabled: bool) -> Result<Value, String> {
    if attribute.trim().is_empty() {
        return Err("Time to live: name the attribute that holds the expiry time".into());
    }
    Ok(json!({"TableName": table, "TimeToLiveSpecification":
        {"AttributeName": attribute.trim(), "Enabled": enabled}}))
}

/// UpdateTable adding the global index of `index`, on a table described by `description`.
pub fn add_index(description: &Value, index: &IndexForm) -> Result<Value, String> {
    let table = description["TableName"].as_str().unwrap_or_default();
    if index.name.trim().is_empty() {
        return Err("New index: give the index a name".into());
    }
    if index.hash.0.trim().is_empty() {
        return Err("New index: give its partition key a name".into());
    }
    let mut defs: Vec<(String, String)> = description["AttributeDefinitions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| {
            Some((
                d["AttributeName"].as_str()?.to_string(),
                d["AttributeType"].as_str()?.to_string(),
            ))
        })
        .collect();
    define(&mut defs, &index.hash, "New index")?;
    define(&mut defs, &index.range, "New index")?;
    let mut create = json!({
        "IndexName": index.name.trim(),
        "KeySchema": key_schema(&index.hash, &index.range),
        "Projection": projection(index),
    });
    if description["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
        || (description["BillingModeSummary"].is_null()
            && description["ProvisionedThroughput"]["ReadCapacityUnits"]
                .as_u64()
                .unwrap_or(0)
                > 0)
    {
        create["ProvisionedThroughput"] = json!({"ReadCapacityUnits": 5, "WriteCapacityUnits": 5});
    }
    Ok(json!({
        "TableName": table,
        "AttributeDefinitions": defs.iter()
            .map(|(n, t)| json!({"AttributeName": n, "AttributeType": t}))
            .collect::<Vec<_>>(),
        "GlobalSecondaryIndexUpdates": [{"Create": create}],
    }))
}

/// UpdateTable deleting the global index `name`.
pub fn delete_index(table: &str, name: &str) -> Value {
    json!({"TableName": table, "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": name}}]})
}

/// A readable line per fact of DescribeTable's `Table`: (label, value).
pub fn summary(table: &Value) -> Vec<(String, String)> {
    let keys = |schema: &Value| {
        schema
            .as_array()
            .into_iter()
            .flatten()
            .map(|k| {
                format!(
                    "{} ({})",
                    k["AttributeName"].as_str().unwrap_or_default(),
                    if k["KeyType"] == "HASH" {
                        "partition"
                    } else {
                        "sort"
                    }
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = vec![
        ("Keys".to_string(), keys(&table["KeySchema"])),
        (
            "Items".to_string(),
            table["ItemCount"].as_u64().unwrap_or(0).to_string(),
        ),
        (
            "Size".to_string(),
            format!("{} bytes", table["TableSizeBytes"].as_u64().unwrap_or(0)),
        ),
        (
            "Billing".to_string(),
            table["BillingModeSummary"]["BillingMode"]
                .as_str()
                .unwrap_or("PROVISIONED")
                .to_string(),
        ),
        (
            "Status".to_string(),
            table["TableStatus"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        ),
    ];
    if let Some(view) = table["StreamSpecification"]["StreamViewType"].as_str() {
        out.push(("Stream".into(), view.to_string()));
    }
    for (kind, label) in [
        ("GlobalSecondaryIndexes", "Global index"),
        ("LocalSecondaryIndexes", "Local index"),
    ] {
        for index in table[kind].as_array().into_iter().flatten() {
            out.push((
                format!(
                    "{label} {}",
                    index["IndexName"].as_str().unwrap_or_default()
                ),
                format!(
                    "{}; projects {}; {} items",
                    keys(&index["KeySchema"]),
                    index["Projection"]["ProjectionType"]
                        .as_str()
                        .unwrap_or("ALL"),
                    index["ItemCount"].as_u64().unwrap_or(0)
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> TableForm {
        let mut f = TableForm::new();
        f.name = "Orders".into();
        f.range = ("sk".into(), "N".into());
        f.stream = "NEW_AND_OLD_IMAGES".into();
        f.indexes.push(IndexForm {
            kind: "GSI".into(),
            name: "byStatus".into(),
            hash: ("status".into(), "S".into()),
            range: ("sk".into(), "N".into()),
            projection: "INCLUDE".into(),
            include: "total, note".into(),
        });
        f.indexes.push(IndexForm {
            kind: "LSI".into(),
            name: "byDate".into(),
            range: ("date".into(), "S".into()),
            projection: "KEYS_ONLY".into(),
            ..IndexForm::default()
        });
        f
    }

    #[test]
    fn the_form_makes_a_create_table_request() {
        let req = create_table(&form()).unwrap();
        assert_eq!(req["AttributeDefinitions"].as_array().unwrap().len(), 4);
        assert_eq!(
            req["GlobalSecondaryIndexes"][0]["Projection"]["NonKeyAttributes"],
            json!(["total", "note"])
        );
        assert_eq!(
            req["LocalSecondaryIndexes"][0]["KeySchema"][0]["AttributeName"],
            "pk"
        );
        assert_eq!(
            req["StreamSpecification"]["StreamViewType"],
            "NEW_AND_OLD_IMAGES"
        );
        assert!(req.get("ProvisionedThroughput").is_none());
        let mut f = form();
        f.billing = "PROVISIONED".into();
        let req = create_table(&f).unwrap();
        assert_eq!(req["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
        assert_eq!(
            req["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"],
            5
        );
    }

    #[test]
    fn bad_forms_say_where() {
        let mut f = form();
        f.indexes[0].range = ("sk".into(), "S".into());
        assert_eq!(
            create_table(&f).unwrap_err(),
            "Index 1: sk is already a key of type N, not S"
        );
        let mut f = form();
        f.indexes[1].range.0.clear();
        assert_eq!(
            create_table(&f).unwrap_err(),
            "Index 2: a local index needs a sort key"
        );
        let mut f = form();
        f.billing = "PROVISIONED".into();
        f.read_units = "x".into();
        assert!(create_table(&f)
            .unwrap_err()
            .starts_with("Read capacity units"));
        assert!(time_to_live("T", " ", true).is_err());
    }

    #[test]
    fn indexes_are_added_and_deleted_and_tables_summarised() {
        let described = json!({"TableName": "T", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "ItemCount": 3, "TableSizeBytes": 40,
            "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
            "GlobalSecondaryIndexes": [{"IndexName": "g", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}, "ItemCount": 1}]});
        let index = IndexForm {
            name: "byX".into(),
            hash: ("x".into(), "N".into()),
            ..IndexForm::default()
        };
        let req = add_index(&described, &index).unwrap();
        assert_eq!(req["AttributeDefinitions"].as_array().unwrap().len(), 2);
        assert_eq!(
            req["GlobalSecondaryIndexUpdates"][0]["Create"]["Projection"]["ProjectionType"],
            "ALL"
        );
        assert_eq!(
            delete_index("T", "g")["GlobalSecondaryIndexUpdates"][0]["Delete"]["IndexName"],
            "g"
        );
        let s = summary(&described);
        assert!(s.contains(&("Items".to_string(), "3".to_string())));
        assert!(s
            .iter()
            .any(|(k, v)| k == "Global index g" && v.contains("x (partition)")));
    }
}
