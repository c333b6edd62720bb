//! DeleteItem.

use serde_json::{Map, Value};

use super::common::{condition_failed, parse_expressions, put_opt, WriteCondition};
use super::put_item::single_write_checks;
use super::write::{item_collection_metrics, write_capacity};
use crate::capacity::Detail;
use crate::request::Request;
use crate::types::item_to_json;
use crate::validate::key::check_key;
use crate::validate::{not_found, validation};
use crate::{Commit, DynamoError, Engine, Executed};

pub fn run(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let (name, return_values, return_old) = single_write_checks(&r, "Key", "key")?;
    let key = r.item("Key")?.unwrap_or_default();
    if !matches!(return_values, None | Some("NONE") | Some("ALL_OLD")) {
        return Err(validation("ReturnValues can only be ALL_OLD or NONE"));
    }
    let mut exprs = parse_expressions(&r)?;
    let condition = WriteCondition::from_request(&r, &mut exprs)?;

    let name = name.unwrap_or_default();
    let table = engine.tables.get(name).ok_or_else(not_found)?;
    check_key(&table.def.key, &key)?;
    let existing = table.get(&key);
    if !condition.passes(existing)? {
        return Err(condition_failed(existing, return_old));
    }
    let mut commit = Commit::default();
    let old = engine.remove_item(name, &key, false, &mut commit);

    let def = match engine.tables.get(name) {
        Some(t) => &t.def,
        None => return Err(not_found()),
    };
    let mut out = Map::new();
    if return_values == Some("ALL_OLD") {
        put_opt(&mut out, "Attributes", old.as_ref().map(item_to_json));
    }
    let detail = Detail::parse(r.str("ReturnConsumedCapacity")?);
    put_opt(
        &mut out,
        "ConsumedCapacity",
        write_capacity(def, old.as_ref(), None).to_json(detail, false),
    );
    put_opt(
        &mut out,
        "ItemCollectionMetrics",
        item_collection_metrics(
            def,
            &key,
            r.str("ReturnItemCollectionMetrics")? == Some("SIZE"),
        ),
    );
    Ok(Executed::wrote(Value::Object(out), commit))
}
