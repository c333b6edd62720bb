//! The DynamoDB Streams API operations: ListStreams, DescribeStream, GetShardIterator,
//! GetRecords. Each stream has one shard; shard iterators are opaque strings naming the
//! stream, the shard and the sequence number to read after.

use serde_json::{json, Map, Value};

use super::record::sequence_string;
use crate::limits::MAX_GET_RECORDS;
use crate::request::Request;
use crate::table::describe::{stream_arn, timestamp};
use crate::table::schema::{StreamSettings, TableDefinition};
use crate::validate::constraints::Constraints;
use crate::validate::validation;
use crate::{DynamoError, Engine, Executed};

fn stream_not_found(arn: &str) -> DynamoError {
    DynamoError::new(
        "ResourceNotFoundException",
        format!("Requested resource not found: Stream: {arn} not found"),
    )
}

/// The shard id of a stream.
fn shard_id(label: &str) -> String {
    let digits: String = label.chars().filter(|c| c.is_ascii_digit()).collect();
    format!(
        "shardId-{:0>20}-00000001",
        digits.chars().take(20).collect::<String>()
    )
}

/// The table and stream settings of a stream ARN (enabled or the table's latest stream).
fn find_stream<'a>(
    engine: &'a Engine,
    arn: &str,
) -> Result<(&'a TableDefinition, &'a StreamSettings), DynamoError> {
    for t in engine.tables.values() {
        if let Some(s) = t.def.last_stream.as_ref() {
            if stream_arn(&t.def.name, &s.label) == arn {
                return Ok((&t.def, s));
            }
        }
    }
    if !arn.starts_with("arn:aws:dynamodb:") || !arn.contains("/stream/") {
        return Err(validation(format!("Invalid StreamArn: {arn}")));
    }
    Err(stream_not_found(arn))
}

pub fn list_streams(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let table = r.str("TableName")?;
    c.name(r.raw("TableName"), "tableName", false);
    let limit = r.int("Limit")?;
    c.at_least(r.raw("Limit"), "limit", 1);
    c.at_most(r.raw("Limit"), "limit", 100);
    let start = r.str("ExclusiveStartStreamArn")?;
    c.finish()?;
    let mut streams: Vec<(String, Value)> = engine
        .tables
        .values()
        .filter(|t| table.is_none_or(|n| t.def.name == n))
        .filter_map(|t| {
            t.def.last_stream.as_ref().map(|s| {
                let arn = stream_arn(&t.def.name, &s.label);
                (
                    arn.clone(),
                    json!({"StreamArn": arn, "TableName": t.def.name, "StreamLabel": s.label}),
                )
            })
        })
        .collect();
    streams.sort_by(|a, b| a.0.cmp(&b.0));
    let limit = limit.unwrap_or(100) as usize;
    let mut iter = streams
        .into_iter()
        .filter(|(arn, _)| start.is_none_or(|s| arn.as_str() > s));
    let page: Vec<(String, Value)> = iter.by_ref().take(limit).collect();
    let more = iter.next().is_some();
    let mut out = Map::new();
    let last = page.last().map(|(a, _)| a.clone());
    out.insert(
        "Streams".into(),
        Value::Array(page.into_iter().map(|(_, v)| v).collect()),
    );
    if more {
        if let Some(last) = last {
            out.insert("LastEvaluatedStreamArn".into(), json!(last));
        }
    }
    Ok(Executed::read(Value::Object(out)))
}

pub fn describe_stream(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let arn = r.str("StreamArn")?;
    c.not_null(r.raw("StreamArn"), "streamArn");
    c.length(r.raw("StreamArn"), "streamArn", 37, 1024);
    r.int("Limit")?;
    r.str("ExclusiveStartShardId")?;
    c.finish()?;
    let arn = arn.unwrap_or_default();
    let (def, settings) = find_stream(engine, arn)?;
    let enabled = def
        .stream
        .as_ref()
        .is_some_and(|s| s.label == settings.label);
    let first = engine
        .streams
        .tables
        .get(&def.name)
        .and_then(|records| records.iter().find(|r| r.label == settings.label))
        .map(|r| r.sequence)
        .unwrap_or(engine.sequence + 1);
    let mut shard = Map::new();
    shard.insert("ShardId".into(), json!(shard_id(&settings.label)));
    shard.insert(
        "SequenceNumberRange".into(),
        json!({"StartingSequenceNumber": sequence_string(first)}),
    );
    let description = json!({
        "StreamArn": arn,
        "StreamLabel": settings.label,
        "StreamStatus": if enabled { "ENABLED" } else { "DISABLED" },
        "StreamViewType": settings.view_type,
        "CreationRequestDateTime": timestamp(def.created_millis),
        "TableName": def.name,
        "KeySchema": def.key.describe(),
        "Shards": [Value::Object(shard)],
    });
    Ok(Executed::read(json!({ "StreamDescription": description })))
}

fn iterator(arn: &str, shard: &str, after: u64) -> String {
    format!("{arn}|{shard}|{after}")
}

pub fn get_shard_iterator(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let arn = r.str("StreamArn")?;
    c.not_null(r.raw("StreamArn"), "streamArn");
    let shard = r.str("ShardId")?;
    c.not_null(r.raw("ShardId"), "shardId");
    let kind = r.str("ShardIteratorType")?;
    c.not_null(r.raw("ShardIteratorType"), "shardIteratorType");
    c.one_of(
        r.raw("ShardIteratorType"),
        "shardIteratorType",
        &[
            "TRIM_HORIZON",
            "LATEST",
            "AT_SEQUENCE_NUMBER",
            "AFTER_SEQUENCE_NUMBER",
        ],
    );
    let seq = r.str("SequenceNumber")?;
    c.finish()?;
    let (arn, shard, kind) = (
        arn.unwrap_or_default(),
        shard.unwrap_or_default(),
        kind.unwrap_or_default(),
    );
    let (def, settings) = find_stream(engine, arn)?;
    if shard != shard_id(&settings.label) {
        return Err(DynamoError::new(
            "ResourceNotFoundException",
            "Requested resource not found: Shard does not exist",
        ));
    }
    let records = engine.streams.tables.get(&def.name);
    let parse_seq = |s: Option<&str>| -> Result<u64, DynamoError> {
        let s = s.ok_or_else(|| {
            validation(format!(
                "Must provide a SequenceNumber for {kind} shard iterator type"
            ))
        })?;
        s.parse::<u64>()
            .map(|v| v / 100)
            .map_err(|_| validation(format!("Invalid SequenceNumber: {s}")))
    };
    let after = match kind {
        "TRIM_HORIZON" => 0,
        "LATEST" => records
            .and_then(|r| r.last())
            .map(|r| r.sequence)
            .unwrap_or(engine.sequence),
        "AT_SEQUENCE_NUMBER" => parse_seq(seq)?.saturating_sub(1),
        _ => parse_seq(seq)?,
    };
    Ok(Executed::read(
        json!({ "ShardIterator": iterator(arn, shard, after) }),
    ))
}

pub fn get_records(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let it = r.str("ShardIterator")?;
    c.not_null(r.raw("ShardIterator"), "shardIterator");
    let limit = r.int("Limit")?;
    c.at_least(r.raw("Limit"), "limit", 1);
    c.at_most(r.raw("Limit"), "limit", MAX_GET_RECORDS as i64);
    c.finish()?;
    let it = it.unwrap_or_default();
    let mut parts = it.rsplitn(3, '|');
    let (Some(after), Some(shard), Some(arn)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(validation("Invalid ShardIterator"));
    };
    let after: u64 = after
        .parse()
        .map_err(|_| validation("Invalid ShardIterator"))?;
    let (def, settings) = find_stream(engine, arn)?;
    let label = settings.label.clone();
    let enabled = def.stream.as_ref().is_some_and(|s| s.label == label);
    let limit = limit.unwrap_or(MAX_GET_RECORDS as i64) as usize;
    let records = engine.streams.tables.get(&def.name);
    let page: Vec<&super::StreamRecord> = records
        .map(|rs| {
            let start = rs.partition_point(|r| r.sequence <= after);
            rs[start..]
                .iter()
                .filter(|r| r.label == label)
                .take(limit)
                .collect()
        })
        .unwrap_or_default();
    let next_after = page.last().map(|r| r.sequence).unwrap_or(after);
    let mut out = Map::new();
    out.insert(
        "Records".into(),
        Value::Array(page.iter().map(|r| r.to_json()).collect()),
    );
    if enabled || !page.is_empty() {
        out.insert(
            "NextShardIterator".into(),
            json!(iterator(arn, shard, next_after)),
        );
    }
    Ok(Executed::read(Value::Object(out)))
}
