//! A table's definition: key schema, attribute definitions, indexes, billing, streams, TTL,
//! tags. Serialized (serde) as the opaque `definition` of a [`crate::TableSnapshot`].

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The type of a key attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScalarType {
    S,
    N,
    B,
}

impl ScalarType {
    pub fn code(self) -> &'static str {
        match self {
            ScalarType::S => "S",
            ScalarType::N => "N",
            ScalarType::B => "B",
        }
    }

    pub fn parse(code: &str) -> Option<ScalarType> {
        match code {
            "S" => Some(ScalarType::S),
            "N" => Some(ScalarType::N),
            "B" => Some(ScalarType::B),
            _ => None,
        }
    }
}

/// One key attribute: its name and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyAttribute {
    pub name: String,
    pub kind: ScalarType,
}

/// A primary or index key: partition key and optional sort key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySchema {
    pub hash: KeyAttribute,
    pub range: Option<KeyAttribute>,
}

impl KeySchema {
    /// The key attributes, hash first.
    pub fn attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        std::iter::once(&self.hash).chain(self.range.iter())
    }

    /// Whether `name` is one of the key attributes.
    pub fn contains(&self, name: &str) -> bool {
        self.attributes().any(|a| a.name == name)
    }

    /// `KeySchema` as AWS describes it.
    pub fn describe(&self) -> Value {
        let mut out = vec![json!({"AttributeName": self.hash.name, "KeyType": "HASH"})];
        if let Some(r) = &self.range {
            out.push(json!({"AttributeName": r.name, "KeyType": "RANGE"}));
        }
        Value::Array(out)
    }
}

/// Which attributes an index holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Projection {
    All,
    KeysOnly,
    Include(Vec<String>),
}

impl Projection {
    pub fn describe(&self) -> Value {
        match self {
            Projection::All => json!({"ProjectionType": "ALL"}),
            Projection::KeysOnly => json!({"ProjectionType": "KEYS_ONLY"}),
            Projection::Include(attrs) => {
                json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": attrs})
            }
        }
    }
}

/// Provisioned read and write capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Throughput {
    pub read: i64,
    pub write: i64,
}

/// A secondary index's definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexDefinition {
    pub name: String,
    pub key: KeySchema,
    pub projection: Projection,
    /// Global (true) or local (false).
    pub global: bool,
    /// Provisioned throughput of a GSI on a provisioned table.
    pub throughput: Option<Throughput>,
}

/// Billing mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BillingMode {
    Provisioned,
    PayPerRequest,
}

impl BillingMode {
    pub fn code(self) -> &'static str {
        match self {
            BillingMode::Provisioned => "PROVISIONED",
            BillingMode::PayPerRequest => "PAY_PER_REQUEST",
        }
    }
}

/// Stream settings and the current stream's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamSettings {
    pub view_type: String,
    /// The stream label (an ISO-8601 timestamp of when the stream was enabled).
    pub label: String,
}

/// Time to live settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TtlSettings {
    pub attribute: String,
    pub enabled: bool,
}

/// Everything about a table except its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableDefinition {
    pub name: String,
    pub key: KeySchema,
    /// Attribute definitions in the order given.
    pub attributes: Vec<KeyAttribute>,
    pub indexes: Vec<IndexDefinition>,
    pub billing: BillingMode,
    pub throughput: Throughput,
    /// The current stream, if enabled.
    pub stream: Option<StreamSettings>,
    /// The last stream (kept after disabling, as AWS keeps `LatestStreamArn`).
    pub last_stream: Option<StreamSettings>,
    pub ttl: Option<TtlSettings>,
    pub tags: Vec<(String, String)>,
    pub deletion_protection: bool,
    pub table_class: Option<String>,
    /// Creation time in milliseconds since the epoch.
    pub created_millis: i64,
    /// When billing last became PAY_PER_REQUEST.
    pub pay_per_request_since: Option<i64>,
    pub table_id: String,
}

impl TableDefinition {
    /// The table's ARN.
    pub fn arn(&self) -> String {
        table_arn(&self.name)
    }

    /// A secondary index by name.
    pub fn index(&self, name: &str) -> Option<&IndexDefinition> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// The type of a defined attribute.
    pub fn attribute_type(&self, name: &str) -> Option<ScalarType> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.kind)
    }
}

/// Region and account the engine pretends to live in.
pub const REGION: &str = "us-east-1";
/// The account id in ARNs.
pub const ACCOUNT: &str = "000000000000";

/// `arn:aws:dynamodb:us-east-1:000000000000:table/Name`.
pub fn table_arn(name: &str) -> String {
    format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}")
}
