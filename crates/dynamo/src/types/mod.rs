//! DynamoDB's data types: exact numbers, attribute values and items, their sizes as AWS
//! counts them, and the order-preserving key encoding.

pub mod key;
pub mod number;
pub mod serialize;
pub mod size;
pub mod value;

pub use number::Number;
pub use size::{item_size, number_size};
pub use value::{
    check_attribute_name, decode_base64, encode_base64, item_from_json, item_to_json,
    stored_item_from_json, AttributeValue, Item, MAX_NESTING_DEPTH,
};
