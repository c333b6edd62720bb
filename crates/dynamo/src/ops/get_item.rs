//! GetItem.

use serde_json::Value;

use super::common::{check_expression_params, parse_expressions, ReadProjection};
use crate::capacity::{read_units, Consumed, Detail};
use crate::request::Request;
use crate::response::{Field, Outcome};
use crate::types::item_size;
use crate::validate::constraints::Constraints;
use crate::validate::key::check_key;
use crate::validate::{common_enums, not_found, table_name};
use crate::{DynamoError, Engine};

pub fn run<'e>(engine: &'e mut Engine, body: &Value) -> Result<Outcome<'e>, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    common_enums(&r, &mut c)?;
    let consistent = r.bool("ConsistentRead")?.unwrap_or(false);
    r.list("AttributesToGet")?;
    c.length(r.raw("AttributesToGet"), "attributesToGet", 1, 255);
    let name = table_name(&r, &mut c)?;
    r.object("Key")?;
    c.not_null(r.raw("Key"), "key");
    c.finish()?;

    check_expression_params(&r, &["ProjectionExpression"], &["AttributesToGet"])?;
    let key = r.item("Key")?.unwrap_or_default();
    let mut exprs = parse_expressions(&r)?;
    let projection = ReadProjection::from_request(&r, &mut exprs)?;

    let name = name.unwrap_or_default();
    let table = engine.tables.get(name).ok_or_else(not_found)?;
    check_key(&table.def.key, &key)?;
    let item = table.get(&key);
    let mut out = Vec::new();
    if let Some(item) = item {
        out.push(("Item", Field::Item(projection.project(item))));
    }
    let size = item.map(item_size).unwrap_or(0);
    let detail = Detail::parse(r.str("ReturnConsumedCapacity")?);
    let consumed = Consumed::read(name, read_units(size, consistent)).to_json(detail, false);
    if let Some(consumed) = consumed {
        out.push(("ConsumedCapacity", Field::Value(consumed)));
    }
    Ok(Outcome::read(out))
}
