//! BatchGetItem and BatchWriteItem: up to 100 keys / 25 writes over several tables,
//! validated as a whole before anything is read or written; one commit for all writes.

use serde_json::{json, Map, Value};

use super::common::{check_expression_params, parse_expressions, ReadProjection};
use super::write::{item_collection_metrics, write_capacity};
use crate::capacity::{read_units, Consumed, Detail};
use crate::limits::{MAX_BATCH_GET, MAX_BATCH_GET_RESPONSE_BYTES, MAX_BATCH_WRITE};
use crate::request::{as_list, Request};
use crate::table::key_of;
use crate::types::{item_size, item_to_json, Item};
use crate::validate::constraints::Constraints;
use crate::validate::item::check_item;
use crate::validate::key::check_key;
use crate::validate::{common_enums, not_found, resolve_table_name, validation};
use crate::{Commit, DynamoError, Engine, Executed};

fn request_items<'a>(
    r: &Request<'a>,
    c: &mut Constraints,
    op: &str,
) -> Result<Vec<(String, &'a Value)>, DynamoError> {
    let map = r.object("RequestItems")?;
    if map.is_some_and(|m| m.is_empty()) {
        return Err(validation(format!(
            "The requestItems parameter is required for {op}"
        )));
    }
    c.not_null(r.raw("RequestItems"), "requestItems");
    c.length(r.raw("RequestItems"), "requestItems", 1, usize::MAX);
    let mut out = Vec::new();
    let mut bad_name = false;
    for (name, v) in map.into_iter().flatten() {
        let mut check = Constraints::new();
        check.name(Some(&Value::String(name.clone())), "tableName", true);
        bad_name |= !check.is_empty() && !name.starts_with("arn:");
        out.push((name.clone(), v));
    }
    if bad_name {
        // AWS reports bad table names once, echoing the whole map in its Java form.
        let shown = if op == "BatchWriteItem" {
            java_request_items(&out)
        } else {
            java_keys_and_attributes(&out)
        };
        c.push(format!(
            "Value '{shown}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"
        ));
    }
    Ok(out
        .into_iter()
        .map(|(name, v)| (resolve_table_name(&name).to_string(), v))
        .collect())
}

/// BatchGetItem's RequestItems as AWS's Java model prints it.
fn java_keys_and_attributes(tables: &[(String, &Value)]) -> String {
    let shown: Vec<String> = tables
        .iter()
        .map(|(name, v)| {
            let keys = match v.get("Keys") {
                Some(Value::Array(keys)) => format!(
                    "[{}]",
                    keys.iter().map(java_map).collect::<Vec<_>>().join(", ")
                ),
                _ => "null".to_string(),
            };
            let list = |field: &str| match v.get(field) {
                Some(Value::Array(a)) => format!(
                    "[{}]",
                    a.iter().map(java_scalar).collect::<Vec<_>>().join(", ")
                ),
                _ => "null".to_string(),
            };
            let scalar = |field: &str| v.get(field).map_or("null".to_string(), java_scalar);
            format!(
                "{name}=KeysAndAttributes(keys={keys}, attributesToGet={}, consistentRead={}, projectionExpression={}, expressionAttributeNames={})",
                list("AttributesToGet"),
                scalar("ConsistentRead"),
                scalar("ProjectionExpression"),
                v.get("ExpressionAttributeNames").map_or("null".to_string(), |m| match m {
                    Value::Object(m) => format!(
                        "{{{}}}",
                        m.iter()
                            .map(|(k, v)| format!("{k}={}", java_scalar(v)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    _ => "null".to_string(),
                })
            )
        })
        .collect();
    format!("{{{}}}", shown.join(", "))
}

/// An AttributeValue as AWS's Java model prints it.
fn java_value(v: &Value) -> String {
    const FIELDS: [(&str, &str); 16] = [
        ("S", "s"),
        ("N", "n"),
        ("B", "b"),
        ("", "iNT"),
        ("", "dECIMAL"),
        ("", "dOUBLE"),
        ("SS", "sS"),
        ("NS", "nS"),
        ("BS", "bS"),
        ("", "iNTSET"),
        ("", "dECIMALSET"),
        ("", "dOUBLESET"),
        ("M", "m"),
        ("L", "l"),
        ("NULL", "nULL"),
        ("BOOL", "bOOL"),
    ];
    let parts: Vec<String> = FIELDS
        .iter()
        .map(|(key, field)| {
            let shown = match (key, v.get(key)) {
                (&"", _) | (_, None) | (_, Some(Value::Null)) => "null".to_string(),
                (&"M", Some(m)) => java_map(m),
                (&"L", Some(Value::Array(l))) => format!(
                    "[{}]",
                    l.iter().map(java_value).collect::<Vec<_>>().join(", ")
                ),
                (_, Some(Value::Array(items))) => format!(
                    "[{}]",
                    items.iter().map(java_scalar).collect::<Vec<_>>().join(", ")
                ),
                (_, Some(other)) => java_scalar(other),
            };
            format!("{field}={shown}")
        })
        .collect();
    format!("AttributeValue({})", parts.join(", "))
}

fn java_scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A map of attribute values as Java prints it: `{name=AttributeValue(..), ..}`.
fn java_map(m: &Value) -> String {
    match m {
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{k}={}", java_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => "null".to_string(),
    }
}

/// BatchWriteItem's RequestItems as AWS's Java model prints it.
fn java_request_items(tables: &[(String, &Value)]) -> String {
    let shown: Vec<String> = tables
        .iter()
        .map(|(name, v)| {
            let writes: Vec<String> = v
                .as_array()
                .map(|l| l.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|w| {
                    let put = match w.get("PutRequest") {
                        Some(p) if !p.is_null() => format!(
                            "PutRequest(item={}, workloadProfileName=null)",
                            p.get("Item").map_or("null".to_string(), java_map)
                        ),
                        _ => "null".to_string(),
                    };
                    let delete = match w.get("DeleteRequest") {
                        Some(d) if !d.is_null() => format!(
                            "DeleteRequest(key={}, workloadProfileName=null)",
                            d.get("Key").map_or("null".to_string(), java_map)
                        ),
                        _ => "null".to_string(),
                    };
                    format!("WriteRequest(putRequest={put}, deleteRequest={delete})")
                })
                .collect();
            format!("{name}=[{}]", writes.join(", "))
        })
        .collect();
    format!("{{{}}}", shown.join(", "))
}

fn duplicates() -> DynamoError {
    validation("Provided list of item keys contains duplicates")
}

fn consumed_list(list: Vec<Consumed>, detail: Detail) -> Option<Value> {
    if detail == Detail::None {
        return None;
    }
    Some(Value::Array(
        list.iter()
            .filter_map(|c| c.to_json(detail, false))
            .collect(),
    ))
}

pub fn batch_get_item(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    common_enums(&r, &mut c)?;
    let tables = request_items(&r, &mut c, "BatchGetItem")?;
    for (name, v) in &tables {
        let tr = Request::new(v);
        let keys = tr.list("Keys")?;
        c.not_null(tr.raw("Keys"), &format!("requestItems.{name}.member.keys"));
        if keys.is_some_and(|k| k.len() > MAX_BATCH_GET) {
            // AWS words this one without echoing the keys.
            c.push(format!(
                "Value at 'RequestItems.{name}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to {MAX_BATCH_GET}"
            ));
        } else {
            c.length(
                tr.raw("Keys"),
                &format!("requestItems.{name}.member.keys"),
                1,
                MAX_BATCH_GET,
            );
        }
        c.length(
            tr.raw("AttributesToGet"),
            &format!("requestItems.{name}.member.attributesToGet"),
            1,
            usize::MAX,
        );
    }
    c.finish()?;
    struct Plan<'a> {
        request: &'a Value,
        name: String,
        keys: Vec<Item>,
        projection: ReadProjection,
        consistent: bool,
    }
    // Expression and legacy projections may not be mixed even across tables.
    let uses = |field: &str| tables.iter().any(|(_, v)| Request::new(v).has(field));
    if uses("ProjectionExpression") && uses("AttributesToGet") {
        return Err(validation(
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
        ));
    }
    let mut plans = Vec::new();
    let mut total = 0;
    for (name, v) in &tables {
        let tr = Request::new(v);
        let mut keys = Vec::new();
        for k in tr.list("Keys")?.into_iter().flatten() {
            keys.push(crate::types::item_from_json(k)?);
        }
        total += keys.len();
        check_expression_params(&tr, &["ProjectionExpression"], &["AttributesToGet"])?;
        let mut exprs = parse_expressions(&tr)?;
        let projection = ReadProjection::from_request(&tr, &mut exprs)?;
        plans.push(Plan {
            request: v,
            name: name.clone(),
            keys,
            projection,
            consistent: tr.bool("ConsistentRead")?.unwrap_or(false),
        });
    }
    if total > MAX_BATCH_GET {
        return Err(validation(
            "Too many items requested for the BatchGetItem call",
        ));
    }
    let mut responses = Map::new();
    let mut unprocessed = Map::new();
    let mut consumed = Vec::new();
    let mut response_bytes = 0usize;
    for plan in &plans {
        let table = engine.tables.get(&plan.name).ok_or_else(not_found)?;
        let mut seen: Vec<Vec<u8>> = Vec::new();
        for key in &plan.keys {
            check_key(&table.def.key, key)?;
            let bytes = table.key_bytes(key).unwrap_or_default();
            if seen.contains(&bytes) {
                return Err(duplicates());
            }
            seen.push(bytes);
        }
        let mut items = Vec::new();
        let mut units = 0.0;
        let mut left: Vec<Value> = Vec::new();
        for key in &plan.keys {
            if response_bytes > MAX_BATCH_GET_RESPONSE_BYTES {
                left.push(item_to_json(key));
                continue;
            }
            let found = table.get(key);
            units += read_units(found.map(item_size).unwrap_or(0), plan.consistent);
            if let Some(item) = found {
                let projected = plan.projection.apply(item);
                response_bytes += item_size(&projected);
                items.push(item_to_json(&projected));
            }
        }
        if !left.is_empty() {
            let mut rest = plan.request.as_object().cloned().unwrap_or_default();
            rest.insert("Keys".into(), Value::Array(left));
            unprocessed.insert(plan.name.clone(), Value::Object(rest));
        }
        responses.insert(plan.name.clone(), Value::Array(items));
        consumed.push(Consumed::read(&plan.name, units));
    }
    let mut out = Map::new();
    out.insert("Responses".into(), Value::Object(responses));
    out.insert("UnprocessedKeys".into(), Value::Object(unprocessed));
    if let Some(c) = consumed_list(consumed, Detail::parse(r.str("ReturnConsumedCapacity")?)) {
        out.insert("ConsumedCapacity".into(), c);
    }
    Ok(Executed::read(Value::Object(out)))
}

/// One write of a batch.
enum Write {
    Put(Item),
    Delete(Item),
}

pub fn batch_write_item(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    // Member order: returnConsumedCapacity, returnItemCollectionMetrics, requestItems.
    common_enums(&r, &mut c)?;
    r.str("ReturnItemCollectionMetrics")?;
    c.one_of(
        r.raw("ReturnItemCollectionMetrics"),
        "returnItemCollectionMetrics",
        &["SIZE", "NONE"],
    );
    let tables = request_items(&r, &mut c, "BatchWriteItem")?;
    let mut bad_length = false;
    for (_, v) in &tables {
        let list = as_list(v)?;
        bad_length |= list.is_empty() || list.len() > MAX_BATCH_WRITE;
    }
    if bad_length {
        // AWS echoes the whole RequestItems map in its Java form.
        c.push(format!(
            "Value '{}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to {MAX_BATCH_WRITE}, Member must have length greater than or equal to 1]",
            java_request_items(&tables)
        ));
    }
    // A PutRequest without its Item, or a DeleteRequest without its Key.
    for (name, v) in &tables {
        for (i, w) in as_list(v)?.iter().enumerate() {
            let wr = Request::new(w);
            let path = format!("requestItems.{name}.member.{}.member", i + 1);
            if let Some(d) = wr.nested("DeleteRequest")? {
                c.not_null(d.raw("Key"), &format!("{path}.deleteRequest.key"));
            }
            if let Some(p) = wr.nested("PutRequest")? {
                c.not_null(p.raw("Item"), &format!("{path}.putRequest.item"));
            }
        }
    }
    c.finish()?;
    let mut plans: Vec<(String, Vec<Write>)> = Vec::new();
    let mut total = 0;
    for (name, v) in &tables {
        let mut writes = Vec::new();
        for w in as_list(v)? {
            let wr = Request::new(w);
            let put = wr.nested("PutRequest")?;
            let del = wr.nested("DeleteRequest")?;
            match (put, del) {
                (Some(p), None) => {
                    let item = p.item("Item")?.ok_or_else(|| {
                        validation("1 validation error detected: Value null at 'requestItems.member.putRequest.item' failed to satisfy constraint: Member must not be null")
                    })?;
                    writes.push(Write::Put(item));
                }
                (None, Some(d)) => {
                    let key = d.item("Key")?.ok_or_else(|| {
                        validation("1 validation error detected: Value null at 'requestItems.member.deleteRequest.key' failed to satisfy constraint: Member must not be null")
                    })?;
                    writes.push(Write::Delete(key));
                }
                _ => {
                    return Err(validation(
                        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
                    ))
                }
            }
        }
        total += writes.len();
        plans.push((name.clone(), writes));
    }
    if total > MAX_BATCH_WRITE {
        return Err(validation(
            "Too many items requested for the BatchWriteItem call",
        ));
    }
    // Validate everything before writing anything.
    for (name, writes) in &plans {
        let table = engine.tables.get(name).ok_or_else(not_found)?;
        let mut seen: Vec<Vec<u8>> = Vec::new();
        for w in writes {
            let key = match w {
                Write::Put(item) => {
                    // A wrong-type key collapses to the generic schema message in a batch.
                    for attr in table.def.key.attributes() {
                        if item
                            .get(&attr.name)
                            .is_some_and(|v| v.type_code() != attr.kind.code())
                        {
                            return Err(crate::validate::key::mismatch());
                        }
                    }
                    check_item(&table.def, item)?;
                    key_of(&table.def.key, item)
                }
                Write::Delete(key) => {
                    check_key(&table.def.key, key)?;
                    key.clone()
                }
            };
            let bytes = table.key_bytes(&key).unwrap_or_default();
            if seen.contains(&bytes) {
                return Err(duplicates());
            }
            seen.push(bytes);
        }
    }
    let mut commit = Commit::default();
    let mut consumed = Vec::new();
    let metrics_asked = r.str("ReturnItemCollectionMetrics")? == Some("SIZE");
    let mut metrics = Map::new();
    for (name, writes) in plans {
        let Some(def) = engine.tables.get(&name).map(|t| t.def.clone()) else {
            continue;
        };
        let mut total = Consumed::new(&name);
        let mut table_metrics = Vec::new();
        for w in writes {
            let metrics = match w {
                Write::Put(item) => {
                    let metrics = item_collection_metrics(&def, &item, metrics_asked);
                    // The item it replaces (looked up by the item's key attributes).
                    let old = engine.tables.get(&name).and_then(|t| t.get(&item));
                    total.add(&write_capacity(&def, old, Some(&item)));
                    engine.store_item(&name, item, &mut commit);
                    metrics
                }
                Write::Delete(key) => {
                    let old = engine.remove_item(&name, &key, false, &mut commit);
                    total.add(&write_capacity(&def, old.as_ref(), None));
                    item_collection_metrics(&def, &key, metrics_asked)
                }
            };
            table_metrics.extend(metrics);
        }
        if !table_metrics.is_empty() {
            metrics.insert(name.clone(), Value::Array(table_metrics));
        }
        consumed.push(total);
    }
    let mut out = Map::new();
    out.insert("UnprocessedItems".into(), json!({}));
    if !metrics.is_empty() {
        out.insert("ItemCollectionMetrics".into(), Value::Object(metrics));
    }
    if let Some(c) = consumed_list(consumed, Detail::parse(r.str("ReturnConsumedCapacity")?)) {
        out.insert("ConsumedCapacity".into(), c);
    }
    Ok(Executed::wrote(Value::Object(out), commit))
}
