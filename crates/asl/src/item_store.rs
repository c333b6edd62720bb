//! Distributed Map's data: the [`ObjectStore`] the caller implements (an in-process S3),
//! the ItemReader formats (JSON array, JSONL, CSV with header options, S3 listing),
//! ItemBatcher and the ResultWriter files.

use serde_json::{json, Map, Value};

/// S3-like object storage for ItemReader and ResultWriter. Methods take `&self` so one
/// store can be shared by executions; implementations use interior mutability for `put`.
/// `Send + Sync` so that an execution can move between threads (the server runs executions
/// on its driver thread).
pub trait ObjectStore: Send + Sync {
    /// The object's bytes, or `None` if there is no such object.
    fn get(&self, bucket: &str, key: &str) -> Option<Vec<u8>>;
    /// Stores an object.
    fn put(&self, bucket: &str, key: &str, body: Vec<u8>);
    /// Keys and sizes of the objects whose key starts with `prefix` (for `s3:listObjectsV2`).
    fn list(&self, _bucket: &str, _prefix: &str) -> Vec<(String, usize)> {
        Vec::new()
    }
}

/// Marker text in the cause when a Distributed Map needs a store and none is bound.
pub const NO_STORE_CAUSE: &str = "No object store is bound to read or write Distributed Map items.";

/// A reader or writer failure: `(error, cause)`.
pub type StoreError = (String, String);

fn reader_failed(cause: impl Into<String>) -> StoreError {
    ("States.ItemReaderFailed".to_string(), cause.into())
}

/// Reads the items described by an evaluated ItemReader.
/// `resource` is the reader's Resource ARN, `params` its evaluated Parameters and
/// `config` its ReaderConfig; `max_items` 0 means no limit.
pub fn read_items(
    store: &dyn ObjectStore,
    resource: &str,
    params: &Value,
    config: &Value,
    max_items: usize,
) -> Result<Vec<Value>, StoreError> {
    let bucket = params
        .get("Bucket")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut items = if resource.ends_with("s3:listObjectsV2") {
        let prefix = params
            .get("Prefix")
            .and_then(Value::as_str)
            .unwrap_or_default();
        store
            .list(bucket, prefix)
            .into_iter()
            .map(|(key, size)| json!({"Key": key, "Size": size}))
            .collect()
    } else {
        let key = params
            .get("Key")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let body = store.get(bucket, key).ok_or_else(|| {
            reader_failed(format!(
                "The object '{key}' does not exist in the bucket '{bucket}'."
            ))
        })?;
        let text = String::from_utf8_lossy(&body).into_owned();
        let input_type = config
            .get("InputType")
            .and_then(Value::as_str)
            .unwrap_or("JSON");
        match input_type {
            "JSON" => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Array(a)) => a,
                _ => return Err(reader_failed("Attempting to map over non-iterable node.")),
            },
            "JSONL" => text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    serde_json::from_str::<Value>(l)
                        .map_err(|e| reader_failed(format!("Invalid JSON line: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?,
            "CSV" => read_csv(&text, config)?,
            other => return Err(reader_failed(format!("Unsupported InputType: {other}"))),
        }
    };
    if max_items > 0 {
        items.truncate(max_items);
    }
    Ok(items)
}

fn delimiter(config: &Value) -> char {
    match config.get("CSVDelimiter").and_then(Value::as_str) {
        Some("PIPE") => '|',
        Some("SEMICOLON") => ';',
        Some("SPACE") => ' ',
        Some("TAB") => '\t',
        _ => ',',
    }
}

/// Splits CSV text into rows of fields (RFC 4180 quoting).
pub fn parse_csv(text: &str, delim: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' {
            quoted = true;
        } else if c == delim {
            row.push(std::mem::take(&mut field));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
            any = false;
        } else {
            field.push(c);
        }
    }
    if any {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn read_csv(text: &str, config: &Value) -> Result<Vec<Value>, StoreError> {
    let mut rows = parse_csv(text, delimiter(config)).into_iter();
    let headers: Vec<String> = match config.get("CSVHeaderLocation").and_then(Value::as_str) {
        Some("GIVEN") => config
            .get("CSVHeaders")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|v| v.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .ok_or_else(|| {
                reader_failed("CSVHeaders must be given when CSVHeaderLocation is GIVEN.")
            })?,
        _ => rows.next().unwrap_or_default(),
    };
    let mut out = Vec::new();
    for row in rows {
        let mut m = Map::new();
        for (i, h) in headers.iter().enumerate() {
            m.insert(
                h.clone(),
                Value::String(row.get(i).cloned().unwrap_or_default()),
            );
        }
        out.push(Value::Object(m));
    }
    Ok(out)
}

/// Groups items as ItemBatcher does: `{"BatchInput": ..., "Items": [...]}` per batch.
/// `max_items` / `max_bytes` 0 mean no limit.
pub fn batch(
    items: Vec<Value>,
    max_items: usize,
    max_bytes: usize,
    batch_input: Option<&Value>,
) -> Vec<Value> {
    let mut batches = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    let mut bytes = 0usize;
    for item in items {
        let size = serde_json::to_string(&item).map(|s| s.len()).unwrap_or(0);
        let full_items = max_items > 0 && current.len() >= max_items;
        let full_bytes = max_bytes > 0 && !current.is_empty() && bytes + size > max_bytes;
        if full_items || full_bytes {
            batches.push(std::mem::take(&mut current));
            bytes = 0;
        }
        bytes += size;
        current.push(item);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
        .into_iter()
        .map(|items| {
            let mut m = Map::new();
            if let Some(b) = batch_input {
                m.insert("BatchInput".into(), b.clone());
            }
            m.insert("Items".into(), Value::Array(items));
            Value::Object(m)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Mem(Mutex<BTreeMap<(String, String), Vec<u8>>>);

    impl ObjectStore for Mem {
        fn get(&self, b: &str, k: &str) -> Option<Vec<u8>> {
            self.0
                .lock()
                .unwrap()
                .get(&(b.to_string(), k.to_string()))
                .cloned()
        }
        fn put(&self, b: &str, k: &str, body: Vec<u8>) {
            self.0
                .lock()
                .unwrap()
                .insert((b.to_string(), k.to_string()), body);
        }
    }

    #[test]
    fn reads_formats() {
        let s = Mem::default();
        s.put("b", "a.csv", b"Col1,Col2\nx,\"y,1\"\n,\n".to_vec());
        s.put("b", "a.json", b"[1, 2, 3]".to_vec());
        s.put("b", "a.jsonl", b"{\"a\":1}\n{\"a\":2}\n".to_vec());
        let p = |k: &str| json!({"Bucket": "b", "Key": k});
        let csv = read_items(
            &s,
            "arn:aws:states:::s3:getObject",
            &p("a.csv"),
            &json!({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}),
            0,
        )
        .unwrap();
        assert_eq!(
            csv,
            vec![
                json!({"Col1": "x", "Col2": "y,1"}),
                json!({"Col1": "", "Col2": ""})
            ]
        );
        let js = read_items(
            &s,
            "arn:aws:states:::s3:getObject",
            &p("a.json"),
            &json!({"InputType": "JSON"}),
            2,
        )
        .unwrap();
        assert_eq!(js, vec![json!(1), json!(2)]);
        let jl = read_items(
            &s,
            "arn:aws:states:::s3:getObject",
            &p("a.jsonl"),
            &json!({"InputType": "JSONL"}),
            0,
        )
        .unwrap();
        assert_eq!(jl.len(), 2);
        assert!(read_items(
            &s,
            "arn:aws:states:::s3:getObject",
            &p("none"),
            &json!({}),
            0
        )
        .is_err());
    }

    #[test]
    fn batches() {
        let b = batch(
            vec![json!(1), json!(2), json!(3)],
            2,
            0,
            Some(&json!({"x": 1})),
        );
        assert_eq!(
            b,
            vec![
                json!({"BatchInput": {"x": 1}, "Items": [1, 2]}),
                json!({"BatchInput": {"x": 1}, "Items": [3]})
            ]
        );
    }
}
