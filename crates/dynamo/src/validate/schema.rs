//! Table and index key schemas as CreateTable (and UpdateTable) give them: AWS's
//! structural constraints (`N validation errors detected: ...`) and the semantic checks on
//! key schemas, projections and index throughput, in AWS's order.

use serde_json::Value;

use crate::limits::MAX_KEY_NAME_CHARS;
use crate::request::Request;
use crate::table::schema::{
    BillingMode, IndexDefinition, KeyAttribute, KeySchema, Projection, ScalarType, Throughput,
};
use crate::validate::constraints::{show, Constraints};
use crate::validate::{invalid, validation};
use crate::DynamoError;

/// A key schema element as given: name and key type.
pub struct KeyElement {
    pub name: String,
    pub key_type: String,
}

/// The checks a table's and an index's KeySchema share, in AWS's order: every key attribute
/// is defined, hash and range differ, the first is HASH and the second RANGE.
pub fn check_key_elements(elements: &[KeyElement], def_names: &[&str]) -> Result<(), DynamoError> {
    if elements
        .iter()
        .any(|e| !def_names.contains(&e.name.as_str()))
    {
        return Err(invalid(format!(
            "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
            elements.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", "),
            def_names.join(", ")
        )));
    }
    if elements.len() == 2 && elements[0].name == elements[1].name {
        return Err(validation(
            "Both the Hash Key and the Range Key element in the KeySchema have the same name",
        ));
    }
    if elements.first().map(|e| e.key_type.as_str()) != Some("HASH") {
        return Err(validation(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    }
    if elements.len() == 2 && elements[1].key_type != "RANGE" {
        return Err(validation(
            "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
        ));
    }
    Ok(())
}

pub fn key_elements(list: Option<&Vec<Value>>) -> Result<Vec<KeyElement>, DynamoError> {
    let mut out = Vec::new();
    for v in list.into_iter().flatten() {
        let r = Request::new(v);
        out.push(KeyElement {
            name: r.str("AttributeName")?.unwrap_or_default().to_string(),
            key_type: r.str("KeyType")?.unwrap_or_default().to_string(),
        });
    }
    Ok(out)
}

/// Structural constraints of a key schema list.
pub fn key_schema_constraints(
    c: &mut Constraints,
    value: Option<&Value>,
    path: &str,
    check_enum: bool,
) {
    c.not_null(value, path);
    match value {
        // AWS echoes an over-long key schema in its Java form.
        Some(Value::Array(list)) if list.len() > 2 => {
            let shown: Vec<String> = list
                .iter()
                .map(|el| {
                    let field = |name: &str| match el.get(name) {
                        Some(Value::String(s)) => s.clone(),
                        None | Some(Value::Null) => "null".to_string(),
                        Some(other) => other.to_string(),
                    };
                    format!(
                        "KeySchemaElement(attributeName={}, keyType={})",
                        field("AttributeName"),
                        field("KeyType")
                    )
                })
                .collect();
            c.push(format!(
                "Value '[{}]' at '{path}' failed to satisfy constraint: Member must have length less than or equal to 2",
                shown.join(", ")
            ));
        }
        _ => c.length(value, path, 1, 2),
    }
    if let Some(Value::Array(list)) = value {
        for (i, el) in list.iter().enumerate() {
            let r = Request::new(el);
            let p = format!("{path}.{}.member", i + 1);
            c.not_null(r.raw("AttributeName"), &format!("{p}.attributeName"));
            c.length(
                r.raw("AttributeName"),
                &format!("{p}.attributeName"),
                1,
                255,
            );
            c.not_null(r.raw("KeyType"), &format!("{p}.keyType"));
            if check_enum {
                c.one_of(
                    r.raw("KeyType"),
                    &format!("{p}.keyType"),
                    &["HASH", "RANGE"],
                );
            }
        }
    }
}

pub fn throughput_constraints(c: &mut Constraints, value: Option<&Value>, path: &str) {
    if let Some(v) = value {
        let r = Request::new(v);
        c.not_null(
            r.raw("WriteCapacityUnits"),
            &format!("{path}.writeCapacityUnits"),
        );
        c.at_least(
            r.raw("WriteCapacityUnits"),
            &format!("{path}.writeCapacityUnits"),
            1,
        );
        c.not_null(
            r.raw("ReadCapacityUnits"),
            &format!("{path}.readCapacityUnits"),
        );
        c.at_least(
            r.raw("ReadCapacityUnits"),
            &format!("{path}.readCapacityUnits"),
            1,
        );
    }
}

/// A projection's NonKeyAttributes: 1 to 20 names, each 1 to 255 characters (AWS reports
/// the member bound once for the whole list).
pub fn non_key_constraints(c: &mut Constraints, value: Option<&Value>, projection_path: &str) {
    let path = format!("{projection_path}.nonKeyAttributes");
    c.length(value, &path, 1, 20);
    if let Some(Value::Array(names)) = value {
        let bad = names.iter().any(|n| {
            n.as_str()
                .is_some_and(|s| s.is_empty() || s.chars().count() > MAX_KEY_NAME_CHARS)
        });
        if bad {
            c.push(format!(
                "Value {} at '{path}' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to {MAX_KEY_NAME_CHARS}, Member must have length greater than or equal to 1]",
                show(value)
            ));
        }
    }
}

/// The projection's NonKeyAttributes as a list with no name twice.
pub fn non_key_names(list: Vec<&str>) -> Result<Vec<String>, DynamoError> {
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for name in list {
        if out.iter().any(|n| n == name) {
            return Err(invalid(format!(
                "Duplicate element in NonKeyAttributes: {name}"
            )));
        }
        out.push(name.to_string());
    }
    Ok(out)
}

pub fn index_constraints(c: &mut Constraints, value: Option<&Value>, path: &str, global: bool) {
    let Some(Value::Array(list)) = value else {
        return;
    };
    for (i, el) in list.iter().enumerate() {
        let r = Request::new(el);
        let p = format!("{path}.{}.member", i + 1);
        c.name(r.raw("IndexName"), &format!("{p}.indexName"), true);
        key_schema_constraints(c, r.raw("KeySchema"), &format!("{p}.keySchema"), true);
        c.not_null(r.raw("Projection"), &format!("{p}.projection"));
        if let Some(proj) = r.raw("Projection") {
            let pr = Request::new(proj);
            c.one_of(
                pr.raw("ProjectionType"),
                &format!("{p}.projection.projectionType"),
                &["ALL", "INCLUDE", "KEYS_ONLY"],
            );
            non_key_constraints(c, pr.raw("NonKeyAttributes"), &format!("{p}.projection"));
        }
        if global {
            throughput_constraints(
                c,
                r.raw("ProvisionedThroughput"),
                &format!("{p}.provisionedThroughput"),
            );
        }
    }
}

/// Reads and checks one index (LSI or GSI) in AWS's order.
pub fn parse_index(
    value: &Value,
    defined: &[KeyAttribute],
    table_key: &KeySchema,
    global: bool,
    billing: BillingMode,
) -> Result<IndexDefinition, DynamoError> {
    let r = Request::new(value);
    let name = r.str("IndexName")?.unwrap_or_default().to_string();
    let elements = key_elements(r.list("KeySchema")?)?;
    let def_names: Vec<&str> = defined.iter().map(|a| a.name.as_str()).collect();
    check_key_elements(&elements, &def_names)?;
    if !global {
        if elements.len() != 2 {
            return Err(invalid(format!(
                "Index KeySchema does not have a range key for index: {name}"
            )));
        }
        if elements[0].name != table_key.hash.name {
            return Err(invalid(format!(
                "Index KeySchema does not have the same leading hash key as table KeySchema for index: {name}. index hash key: {}, table hash key: {}",
                elements[0].name, table_key.hash.name
            )));
        }
    }
    let proj = Request::new(r.raw("Projection").unwrap_or(&Value::Null));
    let projection_type = proj.str("ProjectionType")?;
    let non_key = proj.strings("NonKeyAttributes")?;
    let projection = match projection_type {
        None => return Err(invalid("Unknown ProjectionType: null")),
        Some(t) => {
            if non_key.is_some() && t != "INCLUDE" {
                return Err(invalid(format!(
                    "ProjectionType is {t}, but NonKeyAttributes is specified"
                )));
            }
            if non_key.is_none() && t == "INCLUDE" {
                return Err(invalid(
                    "ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
                ));
            }
            match t {
                "ALL" => Projection::All,
                "KEYS_ONLY" => Projection::KeysOnly,
                _ => Projection::Include(non_key_names(non_key.unwrap_or_default())?),
            }
        }
    };
    let throughput = r.raw("ProvisionedThroughput");
    if global && billing == BillingMode::PayPerRequest && throughput.is_some() {
        return Err(invalid(format!(
            "ProvisionedThroughput should not be specified for index: {name} when BillingMode is PAY_PER_REQUEST"
        )));
    }
    if global && billing == BillingMode::Provisioned && throughput.is_none() {
        return Err(invalid(format!(
            "ProvisionedThroughput is not specified for index: {name}"
        )));
    }
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
    let throughput = match throughput {
        Some(t) => {
            let tr = Request::new(t);
            Some(Throughput {
                read: tr.int("ReadCapacityUnits")?.unwrap_or(0),
                write: tr.int("WriteCapacityUnits")?.unwrap_or(0),
            })
        }
        None => None,
    };
    Ok(IndexDefinition {
        name,
        key,
        projection,
        global,
        throughput,
    })
}
