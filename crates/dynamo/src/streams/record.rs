//! Stream records as DynamoDB Streams returns them from GetRecords, and as they are stored
//! ([`StoredStreamRecord`]: in commits and snapshots).

use serde_json::{json, Map, Value};

use crate::change::StoredStreamRecord;
use crate::types::{item_size, item_to_json, stored_item_from_json, Item};
use crate::DynamoError;

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

/// The event names a record can carry.
const EVENT_NAMES: [&str; 3] = ["INSERT", "MODIFY", "REMOVE"];

impl StreamRecord {
    fn shows_new(&self) -> bool {
        matches!(self.view_type.as_str(), "NEW_IMAGE" | "NEW_AND_OLD_IMAGES")
    }

    fn shows_old(&self) -> bool {
        matches!(self.view_type.as_str(), "OLD_IMAGE" | "NEW_AND_OLD_IMAGES")
    }

    /// The record as stored, with only the images its view type shows.
    pub fn to_stored(&self) -> StoredStreamRecord {
        let image =
            |shown: bool, image: &Option<Item>| image.as_ref().filter(|_| shown).map(item_to_json);
        StoredStreamRecord {
            sequence: self.sequence,
            created_millis: self.created_millis,
            event_name: self.event_name.to_string(),
            keys: item_to_json(&self.keys),
            new_image: image(self.shows_new(), &self.new_image),
            old_image: image(self.shows_old(), &self.old_image),
            view_type: self.view_type.clone(),
            ttl: self.ttl,
            label: self.label.clone(),
        }
    }

    /// A stored record read back; an unknown event name or a malformed image is an error.
    pub fn from_stored(stored: &StoredStreamRecord) -> Result<StreamRecord, DynamoError> {
        let event_name = EVENT_NAMES
            .into_iter()
            .find(|n| *n == stored.event_name)
            .ok_or_else(|| {
                DynamoError::new(
                    "InternalServerError",
                    format!("unknown stream event name {}", stored.event_name),
                )
            })?;
        let image = |v: &Option<Value>| v.as_ref().map(stored_item_from_json).transpose();
        Ok(StreamRecord {
            sequence: stored.sequence,
            event_name,
            keys: stored_item_from_json(&stored.keys)?,
            new_image: image(&stored.new_image)?,
            old_image: image(&stored.old_image)?,
            created_millis: stored.created_millis,
            view_type: stored.view_type.clone(),
            ttl: stored.ttl,
            label: stored.label.clone(),
        })
    }

    /// The record in GetRecords' wire shape.
    pub fn to_json(&self) -> Value {
        let mut dynamodb = Map::new();
        dynamodb.insert(
            "ApproximateCreationDateTime".into(),
            json!(self.created_millis.div_euclid(1000)),
        );
        dynamodb.insert("Keys".into(), item_to_json(&self.keys));
        let (with_new, with_old) = (self.shows_new(), self.shows_old());
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
