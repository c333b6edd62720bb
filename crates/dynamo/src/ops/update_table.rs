//! UpdateTable: billing mode and throughput, creating (with backfill) and deleting global
//! secondary indexes, streams, deletion protection, table class.

use serde_json::{json, Value};

use super::create_table::{parse_stream, stream_label};
use crate::limits::{MAX_GSIS, MAX_KEY_NAME_CHARS};
use crate::request::Request;
use crate::table::describe::describe;
use crate::table::schema::{
    BillingMode, IndexDefinition, KeyAttribute, KeySchema, Projection, ScalarType, StreamSettings,
    Throughput,
};
use crate::validate::constraints::Constraints;
use crate::validate::schema::{key_schema_constraints, non_key_constraints, non_key_names};
use crate::validate::{invalid, table_name, table_not_found, validation};
use crate::{Change, Commit, DynamoError, Engine, Executed};

fn throughput_of(r: Option<Request>) -> Result<Option<Throughput>, DynamoError> {
    match r {
        None => Ok(None),
        Some(t) => Ok(Some(Throughput {
            read: t.int("ReadCapacityUnits")?.unwrap_or(0),
            write: t.int("WriteCapacityUnits")?.unwrap_or(0),
        })),
    }
}

/// AWS's member constraints on each GlobalSecondaryIndexUpdates Create: index name, key
/// schema names and the projection's NonKeyAttributes.
fn create_constraints(c: &mut Constraints, updates: Option<&Vec<Value>>) {
    for (i, u) in updates.into_iter().flatten().enumerate() {
        let Some(create) = u.get("Create").filter(|v| v.is_object()) else {
            continue;
        };
        let cr = Request::new(create);
        let p = format!("globalSecondaryIndexUpdates.{}.member.create", i + 1);
        c.name(cr.raw("IndexName"), &format!("{p}.indexName"), true);
        key_schema_constraints(c, cr.raw("KeySchema"), &format!("{p}.keySchema"), true);
        if let Some(proj) = cr.raw("Projection") {
            non_key_constraints(
                c,
                Request::new(proj).raw("NonKeyAttributes"),
                &format!("{p}.projection"),
            );
        }
    }
}

pub fn run(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let name = table_name(&r, &mut c)?;
    let billing = r.str("BillingMode")?;
    c.one_of(
        r.raw("BillingMode"),
        "billingMode",
        &["PROVISIONED", "PAY_PER_REQUEST"],
    );
    if let Some(t) = r.nested("ProvisionedThroughput")? {
        t.int("ReadCapacityUnits")?;
        t.int("WriteCapacityUnits")?;
    }
    crate::validate::schema::throughput_constraints(
        &mut c,
        r.raw("ProvisionedThroughput"),
        "provisionedThroughput",
    );
    let gsi_updates = r.list("GlobalSecondaryIndexUpdates")?;
    create_constraints(&mut c, gsi_updates);
    let attr_defs = r.list("AttributeDefinitions")?;
    for (i, el) in attr_defs.into_iter().flatten().enumerate() {
        c.length(
            Request::new(el).raw("AttributeName"),
            &format!("attributeDefinitions.{}.member.attributeName", i + 1),
            1,
            MAX_KEY_NAME_CHARS,
        );
    }
    let protection = r.bool("DeletionProtectionEnabled")?;
    r.str("TableClass")?;
    c.one_of(
        r.raw("TableClass"),
        "tableClass",
        &["STANDARD", "STANDARD_INFREQUENT_ACCESS"],
    );
    c.finish()?;
    let throughput = throughput_of(r.nested("ProvisionedThroughput")?)?;
    let stream = parse_stream(r.raw("StreamSpecification"), false)?;
    if billing.is_none()
        && throughput.is_none()
        && gsi_updates.is_none()
        && stream.is_none()
        && protection.is_none()
        && !r.has("TableClass")
        && !r.has("SSESpecification")
        && !r.has("ReplicaUpdates")
        && !r.has("OnDemandThroughput")
        && !r.has("WarmThroughput")
    {
        return Err(validation(
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required",
        ));
    }
    let name = name.unwrap_or_default().to_string();
    let now = engine.now_millis();
    let table = engine
        .tables
        .get_mut(&name)
        .ok_or_else(|| table_not_found(&name))?;
    let mut def = table.def.clone();

    // Attribute definitions: new ones may be added for new index keys.
    let mut declared: Vec<String> = Vec::new();
    for el in attr_defs.into_iter().flatten() {
        let er = Request::new(el);
        let n = er.str("AttributeName")?.unwrap_or_default().to_string();
        let kind = ScalarType::parse(er.str("AttributeType")?.unwrap_or_default()).ok_or_else(|| {
            validation(format!(
                "1 validation error detected: Value '{}' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
                er.str("AttributeType").ok().flatten().unwrap_or_default()
            ))
        })?;
        if declared.contains(&n) {
            return Err(validation(format!("Attribute Name is duplicated: {n}")));
        }
        declared.push(n.clone());
        // A delta: a redeclared attribute keeps its type (AWS ignores the conflict).
        if def.attributes.iter().all(|a| a.name != n) {
            def.attributes.push(KeyAttribute { name: n, kind });
        }
    }

    // Billing.
    let new_billing = match billing {
        Some("PAY_PER_REQUEST") => BillingMode::PayPerRequest,
        Some(_) => BillingMode::Provisioned,
        None => def.billing,
    };
    if new_billing == BillingMode::PayPerRequest && throughput.is_some() {
        return Err(invalid(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        ));
    }
    if new_billing == BillingMode::Provisioned
        && def.billing == BillingMode::PayPerRequest
        && throughput.is_none()
    {
        return Err(invalid(
            "ProvisionedThroughput must be specified when BillingMode is PROVISIONED",
        ));
    }
    let switching_to_provisioned =
        new_billing == BillingMode::Provisioned && def.billing == BillingMode::PayPerRequest;
    if switching_to_provisioned {
        let with_throughput: Vec<String> = gsi_updates
            .into_iter()
            .flatten()
            .filter_map(|u| {
                let upd = Request::new(u).nested("Update").ok().flatten()?;
                upd.has("ProvisionedThroughput")
                    .then(|| upd.str("IndexName").ok().flatten().map(String::from))
                    .flatten()
            })
            .collect();
        let missing: Vec<&str> = def
            .indexes
            .iter()
            .filter(|i| i.global && !with_throughput.contains(&i.name))
            .map(|i| i.name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(invalid(format!(
                "ProvisionedThroughput must be specified for index: {}",
                missing.join(",")
            )));
        }
    }
    if new_billing == BillingMode::PayPerRequest && def.billing == BillingMode::Provisioned {
        def.pay_per_request_since = Some(now);
    }
    def.billing = new_billing;
    if let Some(t) = throughput {
        // Restating the current billing mode is still no change (recorded against AWS).
        let same_billing = billing.is_none() || billing == Some("PROVISIONED");
        if t == def.throughput
            && same_billing
            && !switching_to_provisioned
            && gsi_updates.is_none()
            && stream.is_none()
        {
            return Err(validation(format!(
                "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: {}. Requested ReadCapacityUnits: {}. Current WriteCapacityUnits provisioned for the table: {}. Requested WriteCapacityUnits: {}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
                def.throughput.read, t.read, def.throughput.write, t.write
            )));
        }
        def.throughput = t;
    }

    // Global secondary index updates.
    let mut rebuild: Vec<String> = Vec::new();
    let updates = gsi_updates.cloned().unwrap_or_default();
    let structural = updates
        .iter()
        .filter(|u| {
            let ur = Request::new(u);
            ur.has("Create") || ur.has("Delete")
        })
        .count();
    if structural > 1 {
        return Err(DynamoError::new(
            "LimitExceededException",
            "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
        ));
    }
    for u in &updates {
        let ur = Request::new(u);
        if let Some(create) = ur.nested("Create")? {
            let index_name = create.str("IndexName")?.unwrap_or_default().to_string();
            if def.index(&index_name).is_some() {
                return Err(invalid(format!(
                    "Attempting to create an index which already exists: {index_name}"
                )));
            }
            let mut attrs = Vec::new();
            for el in create.list("KeySchema")?.into_iter().flatten() {
                let er = Request::new(el);
                attrs.push((
                    er.str("AttributeName")?.unwrap_or_default().to_string(),
                    er.str("KeyType")?.unwrap_or_default().to_string(),
                ));
            }
            let defined: Vec<&str> = def.attributes.iter().map(|a| a.name.as_str()).collect();
            if attrs.iter().any(|(n, _)| !defined.contains(&n.as_str())) {
                return Err(invalid(format!(
                    "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
                    attrs.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", "),
                    defined.join(", ")
                )));
            }
            if attrs.first().map(|(_, t)| t.as_str()) != Some("HASH") {
                return Err(validation(
                    "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                ));
            }
            if attrs.len() == 2 && attrs[1].1 != "RANGE" {
                return Err(validation(
                    "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
                ));
            }
            let proj = create.nested("Projection")?;
            let projection = match proj.map(|p| p.str("ProjectionType")).transpose()?.flatten() {
                Some("ALL") => Projection::All,
                Some("KEYS_ONLY") => Projection::KeysOnly,
                Some("INCLUDE") => Projection::Include(non_key_names(
                    proj.map(|p| p.strings("NonKeyAttributes"))
                        .transpose()?
                        .flatten()
                        .unwrap_or_default(),
                )?),
                _ => return Err(invalid("Unknown ProjectionType: null")),
            };
            let index_throughput = throughput_of(create.nested("ProvisionedThroughput")?)?;
            if def.billing == BillingMode::PayPerRequest && index_throughput.is_some() {
                return Err(invalid(format!(
                    "ProvisionedThroughput should not be specified for index: {index_name} when BillingMode is PAY_PER_REQUEST"
                )));
            }
            if def.indexes.iter().filter(|i| i.global).count() >= MAX_GSIS {
                return Err(DynamoError::new(
                    "LimitExceededException",
                    format!("GlobalSecondaryIndex count exceeds the per-table limit of {MAX_GSIS}"),
                ));
            }
            let attr = |n: &str| KeyAttribute {
                name: n.to_string(),
                kind: def.attribute_type(n).unwrap_or(ScalarType::S),
            };
            let key = KeySchema {
                hash: attr(&attrs[0].0),
                range: attrs.get(1).map(|(n, _)| attr(n)),
            };
            def.indexes.push(IndexDefinition {
                name: index_name.clone(),
                key,
                projection,
                global: true,
                throughput: index_throughput,
            });
            rebuild.push(index_name);
        } else if let Some(delete) = ur.nested("Delete")? {
            let index_name = delete.str("IndexName")?.unwrap_or_default().to_string();
            if !def.indexes.iter().any(|i| i.global && i.name == index_name) {
                return Err(DynamoError::new(
                    "ResourceNotFoundException",
                    format!("Requested resource not found: Index: {index_name} not found"),
                ));
            }
            def.indexes.retain(|i| i.name != index_name);
        } else if let Some(update) = ur.nested("Update")? {
            let index_name = update.str("IndexName")?.unwrap_or_default().to_string();
            let t = throughput_of(update.nested("ProvisionedThroughput")?)?;
            let Some(index) = def
                .indexes
                .iter_mut()
                .find(|i| i.global && i.name == index_name)
            else {
                return Err(DynamoError::new(
                    "ResourceNotFoundException",
                    format!("Requested resource not found: Index: {index_name} not found"),
                ));
            };
            index.throughput = t;
        }
    }

    // Keep exactly the attributes some key schema uses (prunes a deleted index's keys and
    // unused entries of the delta).
    let used: Vec<String> = def
        .key
        .attributes()
        .chain(def.indexes.iter().flat_map(|i| i.key.attributes()))
        .map(|a| a.name.clone())
        .collect();
    def.attributes.retain(|a| used.contains(&a.name));

    // Streams.
    if let Some(spec) = stream {
        match (spec, &def.stream) {
            (Some(_), Some(_)) => {
                return Err(validation(format!(
                    "Table already has an enabled stream: TableName: {name}"
                )))
            }
            (None, None) => {
                return Err(validation(format!(
                    "Table already has no stream enabled: TableName: {name}"
                )))
            }
            (Some(view_type), None) => {
                let s = StreamSettings {
                    view_type,
                    label: stream_label(now),
                };
                def.last_stream = Some(s.clone());
                def.stream = Some(s);
            }
            (None, Some(_)) => def.stream = None,
        }
    }
    if let Some(p) = protection {
        def.deletion_protection = p;
    }
    if let Some(class) = r.str("TableClass")? {
        def.table_class = Some(class.to_string());
    }

    table.def = def;
    table.indexes.retain(|n, _| {
        let keep = table.def.index(n).is_some();
        keep
    });
    for n in &rebuild {
        table.rebuild_index(n);
    }
    let mut description = describe(table, "UPDATING");
    // In this response, indexes just created are still CREATING (DescribeTable shows them
    // ACTIVE: the backfill is immediate).
    if let Some(gsis) = description
        .get_mut("GlobalSecondaryIndexes")
        .and_then(Value::as_array_mut)
    {
        for gsi in gsis {
            let created = gsi["IndexName"]
                .as_str()
                .is_some_and(|n| rebuild.iter().any(|r| r == n));
            if created {
                gsi["IndexStatus"] = json!("CREATING");
            }
        }
    }
    let change = Change::PutTable {
        name: name.clone(),
        definition: serde_json::to_value(&table.def).unwrap_or(Value::Null),
    };
    Ok(Executed::wrote(
        json!({ "TableDescription": description }),
        Commit {
            changes: vec![change],
        },
    ))
}
