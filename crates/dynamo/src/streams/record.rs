//! Stream records as DynamoDB Streams returns them from GetRecords.

use serde_json::{json, Map, Value};

use crate::types::{item_size, item_to_json, Item};

/// One change captured by a table's stream.
#[derive(Debug, Clone)]
pub struct StreamRecord {
    /// Sequence number (engine-wide, increasing).
    pub sequence: u64,
    /// `INSERT`, `MODIFY` or `REMOVE`.
    pub event_name: &'static str,
    pub keys: Item,
    pub new_image: Option<Item>,
    pub old_image: Option<Item>,
    pub created_millis: i64,
    pub view_type: String,
    /// Deleted by TTL (userIdentity dynamodb.amazonaws.com).
    pub ttl: bool,
    /// The stream label the record belongs to.
    pub label: String,
}

/// The 21-digit sequence number string.
pub fn sequence_string(sequence: u64) -> String {
    format!("{:021}", sequence.saturating_mul(100))
}

impl StreamRecord {
    /// The record in GetRecords' wire shape.
    pub fn to_json(&self) -> Value {
        let mut dynamodb = Map::new();
        dynamodb.insert(
            "ApproximateCreationDateTime".into(),
            json!(self.created_millis.div_euclid(1000)),
        );
        dynamodb.insert("Keys".into(), item_to_json(&self.keys));
        let with_new = matches!(self.view_type.as_str(), "NEW_IMAGE" | "NEW_AND_OLD_IMAGES");
        let with_old = matches!(self.view_type.as_str(), "OLD_IMAGE" | "NEW_AND_OLD_IMAGES");
        let mut size = item_size(&self.keys);
        if with_new {
            if let Some(n) = &self.new_image {
                dynamodb.insert("NewImage".into(), item_to_json(n));
                size += item_size(n);
            }
        }
        if with_old {
            if let Some(o) = &self.old_image {
                dynamodb.insert("OldImage".into(), item_to_json(o));
                size += item_size(o);
            }
        }
        dynamodb.insert(
            "SequenceNumber".into(),
            json!(sequence_string(self.sequence)),
        );
        dynamodb.insert("SizeBytes".into(), json!(size));
        dynamodb.insert("StreamViewType".into(), json!(self.view_type));
        let mut out = Map::new();
        out.insert(
            "eventID".into(),
            json!(format!(
                "{:032x}",
                u128::from(self.sequence).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            )),
        );
        out.insert("eventName".into(), json!(self.event_name));
        out.insert("eventVersion".into(), json!("1.1"));
        out.insert("eventSource".into(), json!("aws:dynamodb"));
        out.insert("awsRegion".into(), json!(crate::table::schema::REGION));
        out.insert("dynamodb".into(), Value::Object(dynamodb));
        if self.ttl {
            out.insert(
                "userIdentity".into(),
                json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"}),
            );
        }
        Value::Object(out)
    }
}
