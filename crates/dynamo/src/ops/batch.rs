//! BatchGetItem and BatchWriteItem: up to 100 keys / 25 writes over several tables,
//! validated as a whole before anything is read or written; one commit for all writes.

use serde_json::{json, Map, Value};

use super::common::{check_expression_params, parse_expressions, ReadProjection};
use super::write::write_capacity;
use crate::capacity::{read_units, Consumed, Detail};
use crate::limits::{MAX_BATCH_GET, MAX_BATCH_WRITE};
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
) -> Result<Vec<(String, &'a Value)>, DynamoError> {
    let map = r.object("RequestItems")?;
    c.not_null(r.raw("RequestItems"), "requestItems");
    c.length(r.raw("RequestItems"), "requestItems", 1, usize::MAX);
    let mut out = Vec::new();
    for (name, v) in map.into_iter().flatten() {
        c.name(
            Some(&Value::String(name.clone())),
            &format!("requestItems.{name}.member.tableName"),
            true,
        );
        out.push((resolve_table_name(name).to_string(), v));
    }
    Ok(out)
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
    let tables = request_items(&r, &mut c)?;
    for (name, v) in &tables {
        let tr = Request::new(v);
        tr.list("Keys")?;
        c.not_null(tr.raw("Keys"), &format!("requestItems.{name}.member.keys"));
        c.length(
            tr.raw("Keys"),
            &format!("requestItems.{name}.member.keys"),
            1,
            MAX_BATCH_GET,
        );
        c.length(
            tr.raw("AttributesToGet"),
            &format!("requestItems.{name}.member.attributesToGet"),
            1,
            usize::MAX,
        );
    }
    c.finish()?;
    struct Plan {
        name: String,
        keys: Vec<Item>,
        projection: ReadProjection,
        consistent: bool,
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
    let mut consumed = Vec::new();
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
        for key in &plan.keys {
            let found = table.get(key);
            units += read_units(found.map(item_size).unwrap_or(0), plan.consistent);
            if let Some(item) = found {
                items.push(item_to_json(&plan.projection.apply(item)));
            }
        }
        responses.insert(plan.name.clone(), Value::Array(items));
        consumed.push(Consumed::read(&plan.name, units));
    }
    let mut out = Map::new();
    out.insert("Responses".into(), Value::Object(responses));
    out.insert("UnprocessedKeys".into(), json!({}));
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
    common_enums(&r, &mut c)?;
    let tables = request_items(&r, &mut c)?;
    for (name, v) in &tables {
        let list = as_list(v)?;
        let path = format!("requestItems.{name}.member");
        c.length(Some(v), &path, 1, MAX_BATCH_WRITE);
        let _ = list;
    }
    r.str("ReturnItemCollectionMetrics")?;
    c.one_of(
        r.raw("ReturnItemCollectionMetrics"),
        "returnItemCollectionMetrics",
        &["SIZE", "NONE"],
    );
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
    for (name, writes) in plans {
        let Some(def) = engine.tables.get(&name).map(|t| t.def.clone()) else {
            continue;
        };
        let mut total = Consumed::new(&name);
        for w in writes {
            match w {
                Write::Put(item) => {
                    let old = engine.store_item(&name, item.clone(), &mut commit);
                    total.add(&write_capacity(&def, old.as_ref(), Some(&item)));
                }
                Write::Delete(key) => {
                    let old = engine.remove_item(&name, &key, false, &mut commit);
                    total.add(&write_capacity(&def, old.as_ref(), None));
                }
            }
        }
        consumed.push(total);
    }
    let mut out = Map::new();
    out.insert("UnprocessedItems".into(), json!({}));
    if let Some(c) = consumed_list(consumed, Detail::parse(r.str("ReturnConsumedCapacity")?)) {
        out.insert("ConsumedCapacity".into(), c);
    }
    Ok(Executed::wrote(Value::Object(out), commit))
}
