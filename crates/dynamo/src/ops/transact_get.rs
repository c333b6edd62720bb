//! TransactGetItems: up to 100 consistent reads, all at one point in time.

use serde_json::{json, Map, Value};

use super::common::{
    check_expression_params, parse_expressions, ReadProjection, TransactionTargets,
};
use crate::capacity::{read_units, Consumed, Detail};
use crate::limits::MAX_TRANSACT_ITEMS;
use crate::request::Request;
use crate::types::{item_size, item_to_json};
use crate::validate::constraints::Constraints;
use crate::validate::key::check_key;
use crate::validate::{common_enums, not_found, resolve_table_name, validation};
use crate::{DynamoError, Engine, Executed};

pub fn run(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    common_enums(&r, &mut c)?;
    let items = r.list("TransactItems")?;
    c.not_null(r.raw("TransactItems"), "transactItems");
    c.length(
        r.raw("TransactItems"),
        "transactItems",
        1,
        MAX_TRANSACT_ITEMS,
    );
    for (i, v) in items.into_iter().flatten().enumerate() {
        let g = Request::new(v).nested("Get")?;
        c.not_null(
            g.and_then(|g| g.raw("TableName")),
            &format!("transactItems.{}.member.get.tableName", i + 1),
        );
        c.not_null(
            g.and_then(|g| g.raw("Key")),
            &format!("transactItems.{}.member.get.key", i + 1),
        );
    }
    c.finish()?;
    let mut plans = Vec::new();
    for v in items.into_iter().flatten() {
        let Some(g) = Request::new(v).nested("Get")? else {
            return Err(validation("TransactItems can only contain Get"));
        };
        let name = resolve_table_name(g.str("TableName")?.unwrap_or_default()).to_string();
        let key = g.item("Key")?.unwrap_or_default();
        check_expression_params(&g, &["ProjectionExpression"], &[])?;
        let mut exprs = parse_expressions(&g)?;
        let projection = ReadProjection::from_request(&g, &mut exprs)?;
        plans.push((name, key, projection));
    }
    let mut responses = Vec::new();
    let mut consumed: std::collections::BTreeMap<String, Consumed> = Default::default();
    // Bad keys cancel the transaction with a ValidationError reason for that action.
    let mut reasons: Vec<Value> = Vec::new();
    let mut failed = false;
    // Naming one item twice is refused outright, as TransactWriteItems refuses it.
    let mut targets = TransactionTargets::default();
    for (name, key, _) in &plans {
        let table = engine.tables.get(name).ok_or_else(not_found)?;
        match check_key(&table.def.key, key) {
            Ok(()) => {
                targets.add(name, table.key_bytes(key).unwrap_or_default())?;
                reasons.push(json!({"Code": "None"}));
            }
            Err(e)
                if e.message
                    .starts_with("One or more parameter values are not valid") =>
            {
                return Err(e)
            }
            Err(e) => {
                failed = true;
                reasons.push(json!({"Code": "ValidationError", "Message": e.message}));
            }
        }
    }
    if failed {
        let codes: Vec<&str> = reasons
            .iter()
            .map(|r| r["Code"].as_str().unwrap_or("None"))
            .collect();
        let message = format!(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
            codes.join(", ")
        );
        return Err(DynamoError::new("TransactionCanceledException", message)
            .with_cancellation_reasons(reasons));
    }
    for (name, key, projection) in &plans {
        let table = engine.tables.get(name).ok_or_else(not_found)?;
        let found = table.get(key);
        let mut units = Consumed::read(name, read_units(found.map(item_size).unwrap_or(0), true));
        units.scale(2.0);
        consumed
            .entry(name.clone())
            .or_insert_with(|| Consumed::new(name))
            .add(&units);
        // An item whose projection selects nothing is omitted, as AWS omits it.
        let projected = found
            .map(|item| projection.apply(item))
            .filter(|p| !p.is_empty());
        responses.push(match projected {
            Some(item) => json!({"Item": item_to_json(&item)}),
            None => json!({}),
        });
    }
    let mut out = Map::new();
    out.insert("Responses".into(), Value::Array(responses));
    let detail = Detail::parse(r.str("ReturnConsumedCapacity")?);
    if detail != Detail::None {
        out.insert(
            "ConsumedCapacity".into(),
            Value::Array(
                consumed
                    .values()
                    .filter_map(|c| c.to_json(detail, true))
                    .collect(),
            ),
        );
    }
    Ok(Executed::read(Value::Object(out)))
}
