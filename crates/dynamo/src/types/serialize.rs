//! DynamoDB JSON written straight from stored values: `Serialize` for [`AttributeValue`]
//! (`{"S": "x"}`, `{"N": "1"}`, ...), so an item (a map of them) serializes as DynamoDB JSON
//! text with no intermediate `serde_json::Value`. [`AttributeValue::to_json`] is this same
//! serialization into a `Value`, so the two forms cannot differ.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::number::Number;
use super::value::{encode_base64, AttributeValue};

/// A number set as the list of canonical number texts.
struct NumberTexts<'a>(&'a [Number]);

impl Serialize for NumberTexts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for n in self.0 {
            seq.serialize_element(n.as_str())?;
        }
        seq.end()
    }
}

/// A binary set as the list of base64 texts.
struct Base64Texts<'a>(&'a [Vec<u8>]);

impl Serialize for Base64Texts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for b in self.0 {
            seq.serialize_element(&encode_base64(b))?;
        }
        seq.end()
    }
}

impl Serialize for AttributeValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        match self {
            AttributeValue::S(s) => map.serialize_entry("S", s)?,
            AttributeValue::N(n) => map.serialize_entry("N", n.as_str())?,
            AttributeValue::B(b) => map.serialize_entry("B", &encode_base64(b))?,
            AttributeValue::Bool(b) => map.serialize_entry("BOOL", b)?,
            AttributeValue::Null => map.serialize_entry("NULL", &true)?,
            AttributeValue::M(m) => map.serialize_entry("M", m)?,
            AttributeValue::L(l) => map.serialize_entry("L", l)?,
            AttributeValue::Ss(s) => map.serialize_entry("SS", s)?,
            AttributeValue::Ns(s) => map.serialize_entry("NS", &NumberTexts(s))?,
            AttributeValue::Bs(s) => map.serialize_entry("BS", &Base64Texts(s))?,
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::types::item_from_json;

    #[test]
    fn text_and_value_agree() {
        let item = item_from_json(&json!({
            "s": {"S": "x\"y"}, "n": {"N": "-01.50"}, "b": {"B": "aGk="}, "t": {"BOOL": false},
            "z": {"NULL": true}, "m": {"M": {"a": {"L": [{"N": "1e3"}, {"S": ""}]}}},
            "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.50"]}, "bs": {"BS": ["YQ==", "Yg=="]}
        }))
        .unwrap();
        let text = serde_json::to_string(&item).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value, crate::types::item_to_json(&item));
        assert_eq!(value["n"], json!({"N": "-1.5"}));
        assert_eq!(value["m"]["M"]["a"]["L"][0], json!({"N": "1000"}));
        assert_eq!(value["ns"], json!({"NS": ["1", "2.5"]}));
    }
}
