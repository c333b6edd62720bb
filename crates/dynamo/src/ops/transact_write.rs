//! TransactWriteItems: all-or-nothing writes (ConditionCheck, Put, Delete, Update) with
//! CancellationReasons and ClientRequestToken idempotency (10 minutes).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::common::{
    check_expression_params, parse_expressions, return_old_on_failure, TransactionTargets,
    WriteCondition,
};
use super::expression::Update;
use super::update_item::compute_update;
use super::write::write_capacity;
use crate::capacity::{Consumed, Detail};
use crate::change::StoredToken;
use crate::limits::{IDEMPOTENCY_WINDOW_MILLIS, MAX_TRANSACT_BYTES, MAX_TRANSACT_ITEMS};
use crate::request::Request;
use crate::table::key_of;
use crate::types::{item_to_json, Item};
use crate::validate::constraints::Constraints;
use crate::validate::item::check_item;
use crate::validate::key::check_key;
use crate::validate::{common_enums, not_found, table_name, validation};
use crate::{Change, Commit, DynamoError, Engine, Executed};

/// Remembered client request tokens: token to (request fingerprint, time, response).
/// Remembered tokens are changes of the transaction's commit ([`Change::ClientToken`]) and
/// part of snapshots, so a restored engine still knows them.
pub type Tokens = BTreeMap<String, (String, i64, Value)>;

/// Whether a token remembered at `millis` is still within its window at `now_millis`.
pub(crate) fn token_live(millis: i64, now_millis: i64) -> bool {
    now_millis.saturating_sub(millis) < IDEMPOTENCY_WINDOW_MILLIS
}

/// The remembered tokens within their window at `now_millis`, as stored.
pub(crate) fn tokens_to_stored(tokens: &Tokens, now_millis: i64) -> Vec<StoredToken> {
    tokens
        .iter()
        .filter(|(_, (_, millis, _))| token_live(*millis, now_millis))
        .map(|(token, (fingerprint, millis, response))| StoredToken {
            token: token.clone(),
            fingerprint: fingerprint.clone(),
            millis: *millis,
            response: response.clone(),
        })
        .collect()
}

/// Remembers a stored token (restore, replay) if it is still within its window.
pub(crate) fn remember(tokens: &mut Tokens, stored: &StoredToken, now_millis: i64) {
    if token_live(stored.millis, now_millis) {
        tokens.insert(
            stored.token.clone(),
            (
                stored.fingerprint.clone(),
                stored.millis,
                stored.response.clone(),
            ),
        );
    }
}

enum Kind {
    Check,
    Put(Item),
    Delete,
    Update(Option<Update>),
}

struct Action {
    table: String,
    key: Item,
    kind: Kind,
    condition: WriteCondition,
    return_old: bool,
}

fn parse_action(value: &Value, index: usize) -> Result<Action, DynamoError> {
    let r = Request::new(value);
    let kinds = ["ConditionCheck", "Put", "Delete", "Update"];
    let present: Vec<&str> = kinds.iter().copied().filter(|k| r.has(k)).collect();
    if present.is_empty() {
        return Err(validation(
            "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request",
        ));
    }
    if present.len() > 1 {
        return Err(validation(
            "TransactItems can only contain one of Check, Put, Update or Delete",
        ));
    }
    let which = present[0];
    let inner = r.nested(which)?.unwrap_or(r);
    let mut c = Constraints::new();
    let lower = format!("transactItems.{}.member.{}", index + 1, {
        let mut s = which.to_string();
        if let Some(f) = s.get_mut(0..1) {
            f.make_ascii_lowercase();
        }
        s
    });
    let name = inner.str("TableName")?;
    c.name(inner.raw("TableName"), &format!("{lower}.tableName"), true);
    let return_old = return_old_on_failure(&inner, &mut c)?;
    match which {
        "Put" => c.not_null(inner.raw("Item"), &format!("{lower}.item")),
        "ConditionCheck" => {
            c.not_null(inner.raw("Key"), &format!("{lower}.key"));
            c.not_null(
                inner.raw("ConditionExpression"),
                &format!("{lower}.conditionExpression"),
            );
        }
        "Update" => {
            c.not_null(inner.raw("Key"), &format!("{lower}.key"));
            c.not_null(
                inner.raw("UpdateExpression"),
                &format!("{lower}.updateExpression"),
            );
        }
        _ => c.not_null(inner.raw("Key"), &format!("{lower}.key")),
    }
    c.finish()?;
    let exprs_allowed: &[&str] = match which {
        "Update" => &["UpdateExpression", "ConditionExpression"],
        _ => &["ConditionExpression"],
    };
    check_expression_params(&inner, exprs_allowed, &[])?;
    let mut exprs = parse_expressions(&inner)?;
    let update = exprs.update.take();
    let condition = WriteCondition::from_request(&inner, &mut exprs)?;
    let (key, kind) = match which {
        "Put" => {
            let item = inner.item("Item")?.unwrap_or_default();
            (Item::new(), Kind::Put(item))
        }
        "Delete" => (inner.item("Key")?.unwrap_or_default(), Kind::Delete),
        "Update" => (inner.item("Key")?.unwrap_or_default(), Kind::Update(update)),
        _ => (inner.item("Key")?.unwrap_or_default(), Kind::Check),
    };
    Ok(Action {
        table: name
            .map(|n| crate::validate::resolve_table_name(n).to_string())
            .unwrap_or_default(),
        key,
        kind,
        condition,
        return_old,
    })
}

fn fingerprint(body: &Value) -> String {
    body.to_string()
}

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
    let token = r.str("ClientRequestToken")?;
    c.length(r.raw("ClientRequestToken"), "clientRequestToken", 1, 36);
    r.str("ReturnItemCollectionMetrics")?;
    c.one_of(
        r.raw("ReturnItemCollectionMetrics"),
        "returnItemCollectionMetrics",
        &["SIZE", "NONE"],
    );
    c.finish()?;
    let now = engine.now_millis();
    engine.tokens.retain(|_, (_, at, _)| token_live(*at, now));
    if let Some(token) = token {
        if let Some((print, _, response)) = engine.tokens.get(token) {
            if *print == fingerprint(body) {
                return Ok(Executed::read(response.clone()));
            }
            return Err(DynamoError::new(
                "IdempotentParameterMismatchException",
                "The request uses the same client token as a previous, but non-identical request. ",
            ));
        }
    }
    let mut actions = Vec::new();
    for (i, v) in items.into_iter().flatten().enumerate() {
        actions.push(parse_action(v, i)?);
    }
    // Resolve tables, keys and item validity before evaluating anything. A wrong-type or
    // non-scalar lookup key cancels the transaction (a ValidationError reason); empty key
    // values and invalid items are top-level errors.
    let mut targets = TransactionTargets::default();
    let mut key_errors: Vec<Option<String>> = Vec::new();
    for a in actions.iter_mut() {
        let table = engine.tables.get(&a.table).ok_or_else(not_found)?;
        let mut key_error = None;
        match &a.kind {
            Kind::Put(item) => {
                // A key or index key of the wrong type cancels the transaction (a
                // ValidationError reason); other invalid items are top-level errors.
                match check_item(&table.def, item) {
                    Ok(()) => {}
                    Err(e)
                        if e.message.starts_with(
                            "One or more parameter values were invalid: Type mismatch",
                        ) =>
                    {
                        key_error = Some(e.message)
                    }
                    Err(e) => return Err(e),
                }
                a.key = key_of(&table.def.key, item);
            }
            _ => match check_key(&table.def.key, &a.key) {
                Ok(()) => {}
                Err(e)
                    if e.message
                        .starts_with("One or more parameter values are not valid") =>
                {
                    return Err(e)
                }
                Err(e) => key_error = Some(e.message),
            },
        }
        if let Kind::Update(Some(update)) = &a.kind {
            for top in update.touched() {
                if table.def.key.contains(&top) {
                    return Err(crate::validate::invalid(format!(
                        "Cannot update attribute {top}. This attribute is part of the key"
                    )));
                }
            }
        }
        key_errors.push(key_error);
        targets.add(&a.table, table.key_bytes(&a.key).unwrap_or_default())?;
    }
    // The items of a transaction may not add up to more than 4 MB.
    let total: usize = actions
        .iter()
        .map(|a| match &a.kind {
            Kind::Put(item) => crate::types::item_size(item),
            _ => crate::types::item_size(&a.key),
        })
        .sum();
    if total > MAX_TRANSACT_BYTES {
        return Err(validation("Transaction request cannot be larger than 4 MB"));
    }
    // Evaluate every condition and compute every new item against the current state.
    let mut reasons: Vec<Value> = Vec::new();
    let mut failed = false;
    let mut results: Vec<(Option<Item>, Option<Item>, bool)> = Vec::new();
    // After an action fails validation, AWS evaluates no further action: each later one
    // says `{"Code": "None"}`, with no Message.
    let mut invalid = false;
    for (a, key_error) in actions.iter().zip(key_errors) {
        let Some(table) = engine.tables.get(&a.table) else {
            return Err(not_found());
        };
        if invalid {
            reasons.push(json!({"Code": "None"}));
            results.push((None, None, false));
            continue;
        }
        if let Some(message) = key_error {
            failed = true;
            invalid = true;
            reasons.push(json!({"Code": "ValidationError", "Message": message}));
            results.push((None, None, false));
            continue;
        }
        let existing = table.get(&a.key).cloned();
        let passes = a.condition.passes(existing.as_ref())?;
        if !passes {
            failed = true;
            let mut reason = Map::new();
            reason.insert("Code".into(), json!("ConditionalCheckFailed"));
            reason.insert("Message".into(), json!("The conditional request failed"));
            if a.return_old {
                if let Some(e) = &existing {
                    reason.insert("Item".into(), item_to_json(e));
                }
            }
            reasons.push(Value::Object(reason));
            results.push((existing, None, false));
            continue;
        }
        let outcome = match &a.kind {
            Kind::Check => Ok((None, false)),
            Kind::Put(item) => Ok((Some(item.clone()), true)),
            Kind::Delete => Ok((None, true)),
            Kind::Update(update) => {
                compute_update(&table.def, existing.as_ref(), &a.key, None, update.as_ref())
                    .map(|(item, _, store)| (Some(item), store))
            }
        };
        match outcome {
            Ok((new, writes)) => {
                reasons.push(json!({"Code": "None"}));
                results.push((existing, new, writes));
            }
            // An empty index key value written by an update is a top-level error.
            Err(e)
                if e.message
                    .starts_with("One or more parameter values are not valid") =>
            {
                return Err(e)
            }
            Err(e) => {
                failed = true;
                invalid = true;
                reasons.push(json!({"Code": "ValidationError", "Message": e.message}));
                results.push((existing, None, false));
            }
        }
    }
    if failed {
        let codes: Vec<&str> = reasons
            .iter()
            .map(|r| r["Code"].as_str().unwrap_or("None"))
            .collect();
        let err = DynamoError::new(
            "TransactionCanceledException",
            format!(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
                codes.join(", ")
            ),
        );
        return Err(err.with_cancellation_reasons(reasons));
    }
    let mut commit = Commit::default();
    let mut consumed: BTreeMap<String, Consumed> = BTreeMap::new();
    for (a, (existing, new, writes)) in actions.iter().zip(results) {
        let Some(def) = engine.tables.get(&a.table).map(|t| t.def.clone()) else {
            continue;
        };
        let mut cost = match (&a.kind, writes) {
            (Kind::Delete, true) => {
                engine.remove_item(&a.table, &a.key, false, &mut commit);
                write_capacity(&def, existing.as_ref(), None)
            }
            (_, true) => {
                if let Some(item) = &new {
                    engine.store_item(&a.table, item.clone(), &mut commit);
                }
                write_capacity(&def, existing.as_ref(), new.as_ref())
            }
            _ => {
                // A ConditionCheck (or an update that writes nothing) costs write units.
                let size = existing.as_ref().map(crate::types::item_size).unwrap_or(0);
                Consumed::write(&a.table, crate::capacity::write_units(size))
            }
        };
        cost.scale(2.0);
        consumed
            .entry(a.table.clone())
            .or_insert_with(|| Consumed::new(&a.table))
            .add(&cost);
    }
    let mut out = Map::new();
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
    let response = Value::Object(out);
    if let Some(token) = token {
        let print = fingerprint(body);
        if engine.record_commits {
            commit.changes.push(Change::ClientToken(StoredToken {
                token: token.to_string(),
                fingerprint: print.clone(),
                millis: now,
                response: response.clone(),
            }));
        }
        engine
            .tokens
            .insert(token.to_string(), (print, now, response.clone()));
    }
    let _ = table_name;
    Ok(Executed::wrote(response, commit))
}
