//! ConsumedCapacity as AWS computes it: 1 WCU per started 1 KB written, 1 RCU per started
//! 4 KB read (halved when eventually consistent), doubled in transactions; `TOTAL` or
//! `INDEXES` (per table and index) detail.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::limits::{READ_UNIT_BYTES, WRITE_UNIT_BYTES};

/// Which detail the caller asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    None,
    Total,
    Indexes,
}

impl Detail {
    pub fn parse(value: Option<&str>) -> Detail {
        match value {
            Some("TOTAL") => Detail::Total,
            Some("INDEXES") => Detail::Indexes,
            _ => Detail::None,
        }
    }
}

/// Write units for an item of `bytes` (at least 1).
pub fn write_units(bytes: usize) -> f64 {
    bytes.div_ceil(WRITE_UNIT_BYTES).max(1) as f64
}

/// Read units for `bytes` read (at least 1 unit; halved when eventually consistent).
pub fn read_units(bytes: usize, consistent: bool) -> f64 {
    let units = bytes.div_ceil(READ_UNIT_BYTES).max(1) as f64;
    if consistent {
        units
    } else {
        units / 2.0
    }
}

/// Capacity consumed on one table, with per-index detail.
#[derive(Debug, Clone, Default)]
pub struct Consumed {
    pub table_name: String,
    pub table: f64,
    pub read: f64,
    pub write: f64,
    pub gsis: BTreeMap<String, f64>,
    pub lsis: BTreeMap<String, f64>,
}

impl Consumed {
    pub fn new(table_name: &str) -> Self {
        Consumed {
            table_name: table_name.to_string(),
            ..Consumed::default()
        }
    }

    /// Read units on the table itself.
    pub fn read(table_name: &str, units: f64) -> Self {
        Consumed {
            table_name: table_name.to_string(),
            table: units,
            read: units,
            ..Consumed::default()
        }
    }

    /// Write units on the table itself.
    pub fn write(table_name: &str, units: f64) -> Self {
        Consumed {
            table_name: table_name.to_string(),
            table: units,
            write: units,
            ..Consumed::default()
        }
    }

    /// Adds another consumption on the same table.
    pub fn add(&mut self, other: &Consumed) {
        self.table += other.table;
        self.read += other.read;
        self.write += other.write;
        for (k, v) in &other.gsis {
            *self.gsis.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.lsis {
            *self.lsis.entry(k.clone()).or_default() += v;
        }
    }

    /// Multiplies every figure (transactions consume double).
    pub fn scale(&mut self, factor: f64) {
        self.table *= factor;
        self.read *= factor;
        self.write *= factor;
        self.gsis.values_mut().for_each(|v| *v *= factor);
        self.lsis.values_mut().for_each(|v| *v *= factor);
    }

    fn total(&self) -> f64 {
        self.table + self.gsis.values().sum::<f64>() + self.lsis.values().sum::<f64>()
    }

    /// The `ConsumedCapacity` object, or `None` for `NONE`.
    pub fn to_json(&self, detail: Detail, with_read_write: bool) -> Option<Value> {
        if detail == Detail::None {
            return None;
        }
        let mut out = Map::new();
        out.insert("TableName".into(), json!(self.table_name));
        out.insert("CapacityUnits".into(), json!(self.total()));
        if with_read_write {
            if self.read > 0.0 {
                out.insert("ReadCapacityUnits".into(), json!(self.read));
            }
            if self.write > 0.0 {
                out.insert("WriteCapacityUnits".into(), json!(self.write));
            }
        }
        if detail == Detail::Indexes {
            out.insert("Table".into(), json!({"CapacityUnits": self.table}));
            let idx = |m: &BTreeMap<String, f64>| -> Value {
                Value::Object(
                    m.iter()
                        .map(|(k, v)| (k.clone(), json!({"CapacityUnits": v})))
                        .collect(),
                )
            };
            if !self.gsis.is_empty() {
                out.insert("GlobalSecondaryIndexes".into(), idx(&self.gsis));
            }
            if !self.lsis.is_empty() {
                out.insert("LocalSecondaryIndexes".into(), idx(&self.lsis));
            }
        }
        Some(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(write_units(0), 1.0);
        assert_eq!(write_units(1024), 1.0);
        assert_eq!(write_units(1025), 2.0);
        assert_eq!(read_units(4096, true), 1.0);
        assert_eq!(read_units(4097, false), 1.0);
        assert_eq!(read_units(1, false), 0.5);
    }
}
