//! CreateTable: every validation AWS does, in its order, with its messages.

use serde_json::{json, Value};

use crate::limits::{MAX_CAPACITY_UNITS, MAX_GSIS, MAX_LSIS, MAX_PROJECTED_ATTRIBUTES};
use crate::request::{as_list, Request};
use crate::table::describe::describe;
use crate::table::schema::{
    BillingMode, IndexDefinition, KeyAttribute, KeySchema, Projection, ScalarType, StreamSettings,
    TableDefinition, Throughput,
};
use crate::table::Table;
use crate::validate::constraints::Constraints;
use crate::validate::{invalid, new_table_name, validation};
use crate::{Change, Commit, DynamoError, Engine, Executed};

use super::tags::parse_tags;
use crate::validate::schema::{
    check_key_elements, index_constraints, key_elements, key_schema_constraints, parse_index,
    throughput_constraints,
};

/// Reads and checks a StreamSpecification (shared with UpdateTable).
pub fn parse_stream(
    value: Option<&Value>,
    creating: bool,
) -> Result<Option<Option<String>>, DynamoError> {
    let Some(v) = value else { return Ok(None) };
    let r = Request::new(v);
    let enabled = r.bool("StreamEnabled")?;
    let view = r.str("StreamViewType")?;
    let mut c = Constraints::new();
    c.not_null(r.raw("StreamEnabled"), "streamSpecification.streamEnabled");
    c.one_of(
        r.raw("StreamViewType"),
        "streamSpecification.streamViewType",
        &["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"],
    );
    c.finish()?;
    match (enabled, view) {
        (Some(true), None) => Err(validation(
            "StreamViewType must be specified when StreamEnabled is true",
        )),
        (Some(true), Some(v)) => Ok(Some(Some(v.to_string()))),
        (_, Some(_)) if creating => Err(validation(
            "One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified",
        )),
        (_, Some(_)) => Err(validation(
            "StreamViewType must not be specified when StreamEnabled is false",
        )),
        _ => Ok(Some(None)),
    }
}

/// An ISO-8601 stream label for a time in milliseconds.
pub fn stream_label(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let ms = millis.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since epoch (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

pub fn run(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    // Shape first (serialization errors), then constraints in AWS's member order.
    let attr_defs = r.list("AttributeDefinitions")?;
    c.not_null(r.raw("AttributeDefinitions"), "attributeDefinitions");
    for (i, el) in attr_defs.into_iter().flatten().enumerate() {
        let er = Request::new(el);
        er.str("AttributeName")?;
        er.str("AttributeType")?;
        let p = format!("attributeDefinitions.{}.member", i + 1);
        c.not_null(er.raw("AttributeName"), &format!("{p}.attributeName"));
        c.length(
            er.raw("AttributeName"),
            &format!("{p}.attributeName"),
            1,
            255,
        );
        c.not_null(er.raw("AttributeType"), &format!("{p}.attributeType"));
        c.one_of(
            er.raw("AttributeType"),
            &format!("{p}.attributeType"),
            &["B", "N", "S"],
        );
    }
    let name = new_table_name(&r, &mut c)?;
    r.str("BillingMode")?;
    c.one_of(
        r.raw("BillingMode"),
        "billingMode",
        &["PROVISIONED", "PAY_PER_REQUEST"],
    );
    if let Some(t) = r.nested("ProvisionedThroughput")? {
        t.int("ReadCapacityUnits")?;
        t.int("WriteCapacityUnits")?;
    }
    throughput_constraints(
        &mut c,
        r.raw("ProvisionedThroughput"),
        "provisionedThroughput",
    );
    r.list("KeySchema")?;
    key_schema_constraints(&mut c, r.raw("KeySchema"), "keySchema", true);
    r.list("LocalSecondaryIndexes")?;
    index_constraints(
        &mut c,
        r.raw("LocalSecondaryIndexes"),
        "localSecondaryIndexes",
        false,
    );
    r.list("GlobalSecondaryIndexes")?;
    index_constraints(
        &mut c,
        r.raw("GlobalSecondaryIndexes"),
        "globalSecondaryIndexes",
        true,
    );
    r.str("TableClass")?;
    c.one_of(
        r.raw("TableClass"),
        "tableClass",
        &["STANDARD", "STANDARD_INFREQUENT_ACCESS"],
    );
    let deletion_protection = r.bool("DeletionProtectionEnabled")?.unwrap_or(false);
    // A missing TableName on an otherwise valid request has its own message.
    if c.len() == 1 && matches!(r.raw("TableName"), None | Some(Value::Null)) {
        return Err(validation(
            "The parameter 'TableName' is required but was not present in the request",
        ));
    }
    c.finish()?;
    let name = name.unwrap_or_default().to_string();

    // Billing and throughput.
    let billing = match r.str("BillingMode")? {
        Some("PAY_PER_REQUEST") => BillingMode::PayPerRequest,
        _ => BillingMode::Provisioned,
    };
    let mut throughput = Throughput::default();
    if billing == BillingMode::PayPerRequest {
        if r.has("ProvisionedThroughput") {
            return Err(invalid(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
            ));
        }
    } else {
        let t = r.nested("ProvisionedThroughput")?;
        let read = t.map(|t| t.int("ReadCapacityUnits")).transpose()?.flatten();
        let write = t
            .map(|t| t.int("WriteCapacityUnits"))
            .transpose()?
            .flatten();
        let (Some(read), Some(write)) = (read, write) else {
            return Err(invalid(
                "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
            ));
        };
        if read > MAX_CAPACITY_UNITS {
            return Err(validation(format!(
                "Given value {read} for ReadCapacityUnits is out of bounds"
            )));
        }
        if write > MAX_CAPACITY_UNITS {
            return Err(validation(format!(
                "Given value {write} for WriteCapacityUnits is out of bounds"
            )));
        }
        throughput = Throughput { read, write };
    }

    // Attribute definitions and key schema.
    let mut defined: Vec<KeyAttribute> = Vec::new();
    for el in attr_defs.into_iter().flatten() {
        let er = Request::new(el);
        let n = er.str("AttributeName")?.unwrap_or_default().to_string();
        let kind = ScalarType::parse(er.str("AttributeType")?.unwrap_or_default())
            .unwrap_or(ScalarType::S);
        if defined.iter().any(|a| a.name == n) {
            return Err(validation(format!("Attribute Name is duplicated: {n}")));
        }
        defined.push(KeyAttribute { name: n, kind });
    }
    let elements = key_elements(r.list("KeySchema")?)?;
    let def_names: Vec<&str> = defined.iter().map(|a| a.name.as_str()).collect();
    if elements.len() > defined.len() {
        return Err(validation(
            "Invalid KeySchema: Some index key attribute have no definition",
        ));
    }
    check_key_elements(&elements, &def_names)?;
    let attr = |n: &str| KeyAttribute {
        name: n.to_string(),
        kind: defined
            .iter()
            .find(|a| a.name == n)
            .map(|a| a.kind)
            .unwrap_or(ScalarType::S),
    };
    let key = KeySchema {
        hash: attr(&elements[0].name),
        range: elements.get(1).map(|e| attr(&e.name)),
    };
    let lsis = r.list("LocalSecondaryIndexes")?;
    let gsis = r.list("GlobalSecondaryIndexes")?;
    if lsis.is_none() && gsis.is_none() && elements.len() != defined.len() {
        return Err(invalid(
            "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        ));
    }

    let mut indexes: Vec<IndexDefinition> = Vec::new();
    let duplicate = |indexes: &[IndexDefinition], n: &str| indexes.iter().any(|i| i.name == n);
    if let Some(list) = lsis {
        if list.is_empty() {
            return Err(invalid("List of LocalSecondaryIndexes is empty"));
        }
        if key.range.is_none() {
            return Err(invalid(
                "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
            ));
        }
        for v in list {
            let index = parse_index(v, &defined, &key, false, billing)?;
            if duplicate(&indexes, &index.name) {
                return Err(invalid(format!("Duplicate index name: {}", index.name)));
            }
            indexes.push(index);
        }
        if list.len() > MAX_LSIS {
            return Err(invalid(format!(
                "Number of LocalSecondaryIndexes exceeds per-table limit of {MAX_LSIS}"
            )));
        }
    }
    if let Some(list) = gsis {
        if list.is_empty() {
            return Err(invalid("List of GlobalSecondaryIndexes is empty"));
        }
        for v in list {
            let index = parse_index(v, &defined, &key, true, billing)?;
            if duplicate(&indexes, &index.name) {
                return Err(invalid(format!("Duplicate index name: {}", index.name)));
            }
            indexes.push(index);
        }
        if list.len() > MAX_GSIS {
            return Err(invalid(format!(
                "GlobalSecondaryIndex count exceeds the per-table limit of {MAX_GSIS}"
            )));
        }
    }
    // Every defined attribute must be used by some key.
    let used: Vec<&str> = key
        .attributes()
        .chain(indexes.iter().flat_map(|i| i.key.attributes()))
        .map(|a| a.name.as_str())
        .collect();
    if defined.iter().any(|a| !used.contains(&a.name.as_str())) {
        let mut uniq: Vec<&str> = Vec::new();
        for u in used {
            if !uniq.contains(&u) {
                uniq.push(u);
            }
        }
        return Err(invalid(format!(
            "Some AttributeDefinitions are not used. AttributeDefinitions: [{}], keys used: [{}]",
            def_names.join(", "),
            uniq.join(", ")
        )));
    }
    let projected: usize = indexes
        .iter()
        .map(|i| match &i.projection {
            Projection::Include(a) => a.len(),
            _ => 0,
        })
        .sum();
    if projected > MAX_PROJECTED_ATTRIBUTES {
        return Err(invalid(format!(
            "The number of attributes in key schema must match the number of attributes defined in attribute definitions and the total number of projected attributes may not exceed {MAX_PROJECTED_ATTRIBUTES}"
        )));
    }
    let stream = parse_stream(r.raw("StreamSpecification"), true)?;
    let tags = parse_tags(
        r.raw("Tags")
            .map(as_list)
            .transpose()?
            .map(|v| v.as_slice()),
    )?;

    if engine.tables.contains_key(&name) {
        return Err(DynamoError::new(
            "ResourceInUseException",
            format!("Table already exists: {name}"),
        ));
    }
    let now = engine.now_millis();
    let seq = engine.next_sequence();
    let stream = stream.flatten().map(|view_type| StreamSettings {
        view_type,
        label: stream_label(now),
    });
    let def = TableDefinition {
        name: name.clone(),
        key,
        attributes: defined,
        indexes,
        billing,
        throughput,
        last_stream: stream.clone(),
        stream,
        ttl: None,
        tags: tags.unwrap_or_default(),
        deletion_protection,
        table_class: r.str("TableClass")?.map(String::from),
        created_millis: now,
        pay_per_request_since: (billing == BillingMode::PayPerRequest).then_some(now),
        table_id: table_id(seq, &name),
    };
    let table = Table::with_store(def, engine.store_factory);
    let description = describe(&table, "CREATING");
    let change = Change::PutTable {
        name: name.clone(),
        definition: serde_json::to_value(&table.def).unwrap_or(Value::Null),
    };
    engine.tables.insert(name, table);
    Ok(Executed::wrote(
        json!({ "TableDescription": description }),
        Commit {
            changes: vec![change],
        },
    ))
}

/// A deterministic UUID-shaped table id.
fn table_id(seq: u64, name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes().chain(seq.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let hex = format!("{h:016x}{:016x}", h.rotate_left(17) ^ seq);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_iso() {
        assert_eq!(stream_label(0), "1970-01-01T00:00:00.000");
        assert_eq!(stream_label(1_704_067_200_123), "2024-01-01T00:00:00.123");
    }
}
