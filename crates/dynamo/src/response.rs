//! An operation's response before it is written out: either a JSON value, or fields that
//! borrow the engine's stored items (Query, Scan, GetItem), so that the HTTP endpoint can
//! serialize them straight to JSON text ([`Engine::execute_to_json`](crate::Engine)) while
//! [`Engine::execute`](crate::Engine) gets the same serialization as a `Value`.

use std::borrow::Cow;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::types::Item;
use crate::{Commit, Executed};

/// One member of a response object.
#[derive(Debug)]
pub enum Field<'a> {
    Value(Value),
    Count(usize),
    Item(Cow<'a, Item>),
    Items(Vec<Cow<'a, Item>>),
}

/// A response body.
#[derive(Debug)]
pub enum Response<'a> {
    /// A whole JSON value.
    Value(Value),
    /// An object's members, in order.
    Fields(Vec<(&'static str, Field<'a>)>),
}

impl Response<'_> {
    /// The response as a JSON value.
    pub fn into_value(self) -> Value {
        match self {
            Response::Value(value) => value,
            fields => serde_json::to_value(&fields).unwrap_or_default(),
        }
    }

    /// The response as JSON text.
    pub fn to_json_vec(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_else(|_| b"{}".to_vec())
    }
}

impl Serialize for Field<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Value(value) => value.serialize(serializer),
            Field::Count(count) => count.serialize(serializer),
            Field::Item(item) => item.serialize(serializer),
            Field::Items(items) => items.serialize(serializer),
        }
    }
}

impl Serialize for Response<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Response::Value(value) => value.serialize(serializer),
            Response::Fields(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (name, field) in fields {
                    map.serialize_entry(name, field)?;
                }
                map.end()
            }
        }
    }
}

/// What an operation returns inside the engine: its response (which may borrow the
/// engine's items) and its commit.
#[derive(Debug)]
pub struct Outcome<'a> {
    pub response: Response<'a>,
    pub commit: Option<Commit>,
}

impl From<Executed> for Outcome<'_> {
    fn from(executed: Executed) -> Self {
        Outcome {
            response: Response::Value(executed.response),
            commit: executed.commit,
        }
    }
}

impl<'a> Outcome<'a> {
    /// A response of fields that changed nothing.
    pub fn read(fields: Vec<(&'static str, Field<'a>)>) -> Self {
        Outcome {
            response: Response::Fields(fields),
            commit: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::Engine;

    /// Every response that may borrow items reads the same as a value and as text.
    #[test]
    fn text_and_value_responses_agree() {
        let mut engine = Engine::new();
        engine
            .execute(
                "CreateTable",
                &json!({"TableName": "tbl",
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                  {"AttributeName": "sk", "KeyType": "RANGE"}],
                    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                             {"AttributeName": "sk", "AttributeType": "N"}],
                    "BillingMode": "PAY_PER_REQUEST"}),
            )
            .unwrap();
        for i in 0..5 {
            let item = json!({"pk": {"S": "p"}, "sk": {"N": format!("{i}.0")},
                              "m": {"M": {"l": {"L": [{"NS": ["2", "1"]}, {"NULL": true}]}}},
                              "b": {"B": "aGk="}});
            engine
                .execute("PutItem", &json!({"TableName": "tbl", "Item": item}))
                .unwrap();
        }
        let key = json!({"pk": {"S": "p"}, "sk": {"N": "1"}});
        let query = json!({"TableName": "tbl", "KeyConditionExpression": "pk = :p",
                           "ExpressionAttributeValues": {":p": {"S": "p"}}});
        let requests = [
            ("GetItem", json!({"TableName": "tbl", "Key": key})),
            (
                "GetItem",
                json!({"TableName": "tbl", "Key": key, "ProjectionExpression": "m.l[0]",
                       "ReturnConsumedCapacity": "TOTAL"}),
            ),
            (
                "GetItem",
                json!({"TableName": "tbl", "Key": {"pk": {"S": "q"}, "sk": {"N": "1"}}}),
            ),
            ("Query", query.clone()),
            ("Query", {
                let mut q = query.clone();
                q["Limit"] = json!(2);
                q["ReturnConsumedCapacity"] = json!("INDEXES");
                q
            }),
            ("Query", {
                let mut q = query;
                q["Select"] = json!("COUNT");
                q
            }),
            (
                "Scan",
                json!({"TableName": "tbl", "AttributesToGet": ["b", "sk"]}),
            ),
            ("Scan", json!({"TableName": "tbl", "Limit": 3})),
            (
                "PutItem",
                json!({"TableName": "tbl", "Item": {"pk": {"S": "x"}, "sk": {"N": "9"}},
                               "ReturnConsumedCapacity": "TOTAL"}),
            ),
        ];
        for (operation, request) in requests {
            let value = engine.execute(operation, &request).unwrap();
            let text = engine.execute_to_json(operation, &request).unwrap();
            let read_back: serde_json::Value = serde_json::from_slice(&text.response).unwrap();
            assert_eq!(read_back, value.response, "{operation} {request}");
            assert_eq!(
                String::from_utf8(text.response).unwrap(),
                value.response.to_string(),
                "{operation} {request}"
            );
        }
    }
}
