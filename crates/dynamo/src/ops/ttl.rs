//! UpdateTimeToLive and DescribeTimeToLive.

use serde_json::{json, Value};

use crate::request::Request;
use crate::table::schema::TtlSettings;
use crate::validate::constraints::Constraints;
use crate::validate::{not_found, table_name, validation};
use crate::{Change, Commit, DynamoError, Engine, Executed};

pub fn update_time_to_live(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let name = table_name(&r, &mut c)?;
    let spec = r.nested("TimeToLiveSpecification")?;
    c.not_null(r.raw("TimeToLiveSpecification"), "timeToLiveSpecification");
    let (enabled, attribute) = match spec {
        Some(s) => {
            let e = s.bool("Enabled")?;
            let a = s.str("AttributeName")?;
            c.not_null(
                s.raw("AttributeName"),
                "timeToLiveSpecification.attributeName",
            );
            c.length(
                s.raw("AttributeName"),
                "timeToLiveSpecification.attributeName",
                1,
                255,
            );
            c.not_null(s.raw("Enabled"), "timeToLiveSpecification.enabled");
            (e, a)
        }
        None => (None, None),
    };
    c.finish()?;
    let name = name.unwrap_or_default();
    let enabled = enabled.unwrap_or(false);
    let attribute = attribute.unwrap_or_default().to_string();
    let table = engine.tables.get_mut(name).ok_or_else(not_found)?;
    match (&table.def.ttl, enabled) {
        (Some(t), true) if t.enabled => {
            return Err(validation("TimeToLive is already enabled"));
        }
        (Some(t), false) if t.enabled && t.attribute != attribute => {
            return Err(validation(format!(
                "TimeToLive is active on a different AttributeName: current AttributeName is {}",
                t.attribute
            )));
        }
        (None, false) => return Err(validation("TimeToLive is already disabled")),
        (Some(t), false) if !t.enabled => return Err(validation("TimeToLive is already disabled")),
        _ => {}
    }
    table.def.ttl = Some(TtlSettings {
        attribute: attribute.clone(),
        enabled,
    });
    table.rebuild_ttl();
    let definition = serde_json::to_value(&table.def).unwrap_or(Value::Null);
    Ok(Executed::wrote(
        json!({"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute}}),
        Commit {
            changes: vec![Change::PutTable {
                name: name.to_string(),
                definition,
            }],
        },
    ))
}

pub fn describe_time_to_live(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let name = table_name(&r, &mut c)?;
    c.finish()?;
    let table = engine
        .tables
        .get(name.unwrap_or_default())
        .ok_or_else(not_found)?;
    let description = match &table.def.ttl {
        Some(t) if t.enabled => {
            json!({"TimeToLiveStatus": "ENABLED", "AttributeName": t.attribute})
        }
        _ => json!({"TimeToLiveStatus": "DISABLED"}),
    };
    Ok(Executed::read(
        json!({ "TimeToLiveDescription": description }),
    ))
}
