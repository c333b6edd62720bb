//! PutItem.

use serde_json::{Map, Value};

use super::common::{
    check_expression_params, condition_failed, parse_expressions, put_opt, return_old_on_failure,
    WriteCondition,
};
use super::write::{item_collection_metrics, write_capacity};
use crate::capacity::Detail;
use crate::request::Request;
use crate::table::key_of;
use crate::types::item_to_json;
use crate::validate::constraints::Constraints;
use crate::validate::item::{check_index_keys, check_item_key, check_item_size};
use crate::validate::{common_enums, not_found, table_name, validation};
use crate::{Commit, DynamoError, Engine, Executed};

/// In the order AWS lists them in its enum constraint message.
pub const RETURN_VALUES: &[&str] = &["ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"];

/// In the order AWS lists them in its enum constraint message.
pub const CONDITIONAL_OPERATORS: &[&str] = &["OR", "AND"];

/// The checks PutItem and DeleteItem share, in AWS's order: an invalid TableName on its own
/// first; then ReturnValues (before returnConsumedCapacity here), the common enums, the
/// request's `member` (`Item` or `Key`, named `field` in messages), ConditionalOperator,
/// ReturnItemCollectionMetrics and ReturnValuesOnConditionCheckFailure together; then the
/// expression/legacy parameter mix. Returns the table name, ReturnValues, and whether to
/// return the old item on a failed condition.
pub(crate) fn single_write_checks<'a>(
    r: &Request<'a>,
    member: &str,
    field: &str,
) -> Result<(Option<&'a str>, Option<&'a str>, bool), DynamoError> {
    let mut c = Constraints::new();
    let name = table_name(r, &mut c)?;
    c.finish()?;
    let mut c = Constraints::new();
    let return_values = r.str("ReturnValues")?;
    c.one_of(r.raw("ReturnValues"), "returnValues", RETURN_VALUES);
    common_enums(r, &mut c)?;
    r.object(member)?;
    c.not_null(r.raw(member), field);
    r.str("ConditionalOperator")?;
    c.one_of(
        r.raw("ConditionalOperator"),
        "conditionalOperator",
        CONDITIONAL_OPERATORS,
    );
    r.str("ReturnItemCollectionMetrics")?;
    c.one_of(
        r.raw("ReturnItemCollectionMetrics"),
        "returnItemCollectionMetrics",
        &["SIZE", "NONE"],
    );
    let return_old = return_old_on_failure(r, &mut c)?;
    c.finish()?;
    check_expression_params(r, &["ConditionExpression"], &["Expected"])?;
    Ok((name, return_values, return_old))
}

pub fn run(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let (name, return_values, return_old) = single_write_checks(&r, "Item", "item")?;
    let item = r.item("Item")?.unwrap_or_default();
    if !matches!(return_values, None | Some("NONE") | Some("ALL_OLD")) {
        return Err(validation("ReturnValues can only be ALL_OLD or NONE"));
    }
    check_item_size(&item)?;
    let mut exprs = parse_expressions(&r)?;
    let condition = WriteCondition::from_request(&r, &mut exprs)?;

    let name = name.unwrap_or_default();
    let table = engine.tables.get(name).ok_or_else(not_found)?;
    check_item_key(&table.def, &item)?;
    check_index_keys(&table.def, &item)?;
    let existing = table.get(&key_of(&table.def.key, &item));
    if !condition.passes(existing)? {
        return Err(condition_failed(existing, return_old));
    }
    // What the response reports of the write, worked out before the item moves into the table.
    let detail = Detail::parse(r.str("ReturnConsumedCapacity")?);
    let consumed = write_capacity(&table.def, existing, Some(&item)).to_json(detail, false);
    let metrics = item_collection_metrics(
        &table.def,
        &item,
        r.str("ReturnItemCollectionMetrics")? == Some("SIZE"),
    );
    let mut commit = Commit::default();
    let old = engine.store_item(name, item, &mut commit);

    let mut out = Map::new();
    if return_values == Some("ALL_OLD") {
        put_opt(&mut out, "Attributes", old.as_ref().map(item_to_json));
    }
    put_opt(&mut out, "ConsumedCapacity", consumed);
    put_opt(&mut out, "ItemCollectionMetrics", metrics);
    Ok(Executed::wrote(Value::Object(out), commit))
}
