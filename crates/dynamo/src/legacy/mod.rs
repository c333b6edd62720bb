//! The legacy (pre-expression) parameters: `Expected`, `KeyConditions`, `QueryFilter`,
//! `ScanFilter`, `AttributeUpdates`, `AttributesToGet`, `ConditionalOperator`.

pub mod compare;
pub mod condition;
pub mod update;
