//! `--data DIR`: the engine's state on disk, as a snapshot plus a log of commits.
//!
//! - `snapshot.json` holds `{"format":1,"generation":G,"snapshot":{...}}`: tables and items,
//!   stream records within 24 hours, client request tokens within 10 minutes and the
//!   engine's counter (fields a snapshot written before them lacks default to empty).
//! - `commits-G.jsonl` holds the commits made since, one JSON line each (a write's items,
//!   stream records and token together), appended and fsynced before the client hears of
//!   the write.
//!
//! At start the engine is restored from the snapshot on the system clock (so records and
//! tokens past their retention are dropped), the log's commits are applied to it
//! ([`Engine::apply_change`]), and the result is written as generation G+1: the new snapshot is
//! written to a temporary file, fsynced and renamed over the old one, and only then is the
//! old log removed. A crash at any point leaves either the old pair or the new one. A last
//! log line that is cut short or garbled (a crash mid-append) is dropped with a warning;
//! a bad line before the last stops the start, so nothing is silently lost.
//! - `statebox.lock` is held with an exclusive OS lock while a server uses the directory: a
//!   second server on the same directory is refused at start instead of interleaving logs.
//!   The OS drops the lock when the process ends, however it ends.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use statebox_dynamo::{Commit, Engine, Snapshot};

use crate::error::ServerError;
use crate::service::system_millis;

const SNAPSHOT_FILE: &str = "snapshot.json";
const SNAPSHOT_TEMP: &str = "snapshot.json.tmp";
const LOCK_FILE: &str = "statebox.lock";
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct StoredSnapshot {
    format: u32,
    generation: u64,
    snapshot: Snapshot,
}

/// What was found in the data directory at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub tables: usize,
    pub items: usize,
    /// Commits replayed from the log.
    pub commits: usize,
    /// A cut-short or garbled last log line that was dropped.
    pub dropped_tail: bool,
}

/// The append-only log that every commit goes to.
#[derive(Debug)]
pub struct CommitLog {
    file: File,
    path: PathBuf,
    len: u64,
    line: Vec<u8>,
    /// Holds the directory's lock for as long as the log is open.
    _lock: File,
}

impl CommitLog {
    /// Appends one commit and waits until it is on disk. On failure the log is cut back to
    /// where it was, so a half-written line never sits before later ones.
    pub fn append(&mut self, commit: &Commit) -> io::Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, commit)?;
        self.line.push(b'\n');
        let result = self
            .file
            .write_all(&self.line)
            .and_then(|()| self.file.sync_data());
        match result {
            Ok(()) => {
                self.len += self.line.len() as u64;
                Ok(())
            }
            Err(e) => {
                let _ = self.file.set_len(self.len);
                Err(e)
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn log_name(generation: u64) -> String {
    format!("commits-{generation}.jsonl")
}

/// Loads the directory (creating it if needed), compacts it to a new generation, and
/// returns the engine and the log to append to.
pub fn open(dir: &Path) -> Result<(Engine, CommitLog, Loaded), ServerError> {
    fs::create_dir_all(dir).map_err(|e| ServerError::io(dir, e))?;
    let lock = lock_dir(dir)?;
    let snapshot_path = dir.join(SNAPSHOT_FILE);
    let (generation, snapshot) = match fs::read(&snapshot_path) {
        Ok(bytes) => {
            let stored: StoredSnapshot = serde_json::from_slice(&bytes)
                .map_err(|e| ServerError::corrupt(&snapshot_path, e.to_string()))?;
            if stored.format != FORMAT {
                let message = format!("unknown format {}", stored.format);
                return Err(ServerError::corrupt(&snapshot_path, message));
            }
            (stored.generation, stored.snapshot)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => (0, Snapshot::default()),
        Err(e) => return Err(ServerError::io(&snapshot_path, e)),
    };
    // What is restored is kept or dropped by the time the server answers on.
    let mut engine = Engine::with_clock(Box::new(system_millis));
    engine
        .load(snapshot)
        .map_err(|e| ServerError::corrupt(&snapshot_path, e.to_string()))?;

    let log_path = dir.join(log_name(generation));
    let (commits, dropped_tail) = replay_log(&log_path, &mut engine)?;
    let snapshot = engine.snapshot();

    let next = generation + 1;
    write_snapshot(dir, next, &snapshot)?;
    let new_log_path = dir.join(log_name(next));
    let file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .open(&new_log_path)
        .map_err(|e| ServerError::io(&new_log_path, e))?;
    sync_dir(dir)?;
    remove_old_logs(dir, next)?;
    let log = CommitLog {
        file,
        path: new_log_path,
        len: 0,
        line: Vec::new(),
        _lock: lock,
    };
    let loaded = Loaded {
        tables: snapshot.tables.len(),
        items: snapshot.tables.iter().map(|t| t.items.len()).sum(),
        commits,
        dropped_tail,
    };
    Ok((engine, log, loaded))
}

/// Takes the directory's exclusive lock, or says which directory is in use.
fn lock_dir(dir: &Path) -> Result<File, ServerError> {
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| ServerError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(ServerError::Locked {
            dir: dir.to_path_buf(),
        }),
        Err(fs::TryLockError::Error(e)) => Err(ServerError::io(&path, e)),
    }
}

/// Applies a log's commits; returns how many it held and whether a bad last line was dropped.
fn replay_log(path: &Path, engine: &mut Engine) -> Result<(usize, bool), ServerError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((0, false)),
        Err(e) => return Err(ServerError::io(path, e)),
    };
    let lines: Vec<&[u8]> = bytes
        .split(|b| *b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .collect();
    let mut commits = 0;
    for (index, line) in lines.iter().enumerate() {
        let commit = match serde_json::from_slice::<Commit>(line) {
            Ok(commit) => commit,
            Err(_) if index + 1 == lines.len() => return Ok((commits, true)),
            Err(e) => {
                let message = format!("line {} of {} is corrupt: {e}", index + 1, lines.len());
                return Err(ServerError::corrupt(path, message));
            }
        };
        for change in &commit.changes {
            engine
                .apply_change(change)
                .map_err(|e| ServerError::corrupt(path, format!("line {}: {e}", index + 1)))?;
        }
        commits += 1;
    }
    Ok((commits, false))
}

fn write_snapshot(dir: &Path, generation: u64, snapshot: &Snapshot) -> Result<(), ServerError> {
    let temp = dir.join(SNAPSHOT_TEMP);
    let stored = StoredSnapshot {
        format: FORMAT,
        generation,
        snapshot: snapshot.clone(),
    };
    let bytes =
        serde_json::to_vec(&stored).map_err(|e| ServerError::corrupt(&temp, e.to_string()))?;
    let mut file = File::create(&temp).map_err(|e| ServerError::io(&temp, e))?;
    file.write_all(&bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| ServerError::io(&temp, e))?;
    let path = dir.join(SNAPSHOT_FILE);
    fs::rename(&temp, &path).map_err(|e| ServerError::io(&path, e))?;
    sync_dir(dir)
}

/// Makes renames and new files in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), ServerError> {
    match File::open(dir).and_then(|d| d.sync_all()) {
        Ok(()) => Ok(()),
        // Some platforms cannot fsync a directory; the data files themselves are synced.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => Ok(()),
        Err(e) => Err(ServerError::io(dir, e)),
    }
}

fn remove_old_logs(dir: &Path, keep: u64) -> Result<(), ServerError> {
    let keep = log_name(keep);
    let entries = fs::read_dir(dir).map_err(|e| ServerError::io(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("commits-") && name.ends_with(".jsonl") && name != keep {
            fs::remove_file(entry.path()).map_err(|e| ServerError::io(entry.path(), e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("statebox-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    /// Runs an operation on `engine` and logs its commit, as the server does.
    fn write(
        engine: &mut Engine,
        log: &mut CommitLog,
        operation: &str,
        request: serde_json::Value,
    ) {
        let executed = engine.execute(operation, &request).unwrap();
        log.append(&executed.commit.unwrap()).unwrap();
    }

    fn create_table(engine: &mut Engine, log: &mut CommitLog) {
        let request = json!({"TableName": "Tbl",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"});
        write(engine, log, "CreateTable", request);
    }

    fn put(engine: &mut Engine, log: &mut CommitLog, id: &str) {
        let request = json!({"TableName": "Tbl", "Item": {"id": {"S": id}}});
        write(engine, log, "PutItem", request);
    }

    #[test]
    fn keeps_commits_across_restarts_and_compacts() {
        let dir = temp_dir("restart");
        let (mut engine, mut log, loaded) = open(&dir).unwrap();
        assert_eq!((loaded.tables, loaded.commits), (0, 0));
        create_table(&mut engine, &mut log);
        put(&mut engine, &mut log, "a");
        put(&mut engine, &mut log, "b");
        write(
            &mut engine,
            &mut log,
            "DeleteItem",
            json!({"TableName": "Tbl", "Key": {"id": {"S": "b"}}}),
        );
        put(&mut engine, &mut log, "c");
        let expected = engine.snapshot();
        drop(log);

        let (engine, log, loaded) = open(&dir).unwrap();
        assert_eq!((loaded.tables, loaded.items, loaded.commits), (1, 2, 5));
        assert_eq!(engine.snapshot(), expected);
        assert!(log.path().ends_with("commits-2.jsonl"));
        drop(log);
        // Compacted: the old log is gone and the data is in the snapshot.
        let (engine, _, loaded) = open(&dir).unwrap();
        assert_eq!((loaded.items, loaded.commits), (2, 0));
        assert_eq!(engine.snapshot(), expected);
        assert!(!dir.join("commits-2.jsonl").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn drops_a_torn_last_line_but_not_earlier_data() {
        let dir = temp_dir("torn");
        let (mut engine, mut log, _) = open(&dir).unwrap();
        create_table(&mut engine, &mut log);
        put(&mut engine, &mut log, "a");
        let path = log.path().to_path_buf();
        drop(log);
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"changes":[{"kind":"PutIt"#).unwrap();
        drop(file);

        let (engine, _, loaded) = open(&dir).unwrap();
        assert!(loaded.dropped_tail);
        assert_eq!((loaded.items, loaded.commits), (1, 2));
        assert_eq!(
            engine.snapshot().tables[0].items,
            vec![json!({"id": {"S": "a"}})]
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_a_corrupt_line_before_the_last() {
        let dir = temp_dir("corrupt");
        let (mut engine, mut log, _) = open(&dir).unwrap();
        create_table(&mut engine, &mut log);
        let path = log.path().to_path_buf();
        drop(log);
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"garbage\n{\"changes\":[]}\n").unwrap();
        drop(file);
        let error = open(&dir).unwrap_err().to_string();
        assert!(error.contains("line 2 of 3 is corrupt"), "{error}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_data_dir_that_is_a_file_is_a_clear_error() {
        let file = temp_dir("file");
        fs::write(&file, b"not a directory").unwrap();
        let error = open(&file).unwrap_err();
        assert!(matches!(error, ServerError::Io { .. }), "{error}");
        fs::remove_file(&file).unwrap();
    }

    #[test]
    fn a_second_server_on_the_same_directory_is_refused_until_the_first_stops() {
        let dir = temp_dir("lock");
        let (_engine, log, _) = open(&dir).unwrap();
        let error = open(&dir).unwrap_err();
        assert!(matches!(error, ServerError::Locked { .. }), "{error}");
        assert!(
            error.to_string().contains("another statebox serve"),
            "{error}"
        );
        drop(log);
        assert!(open(&dir).is_ok());
        fs::remove_dir_all(&dir).unwrap();
    }

    fn streamed_table(engine: &mut Engine, log: &mut CommitLog) {
        let request = json!({"TableName": "Tbl",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}});
        write(engine, log, "CreateTable", request);
    }

    /// Every record of Tbl's stream, from TRIM_HORIZON.
    fn stream_records(engine: &mut Engine) -> serde_json::Value {
        let mut call = |operation: &str, request: serde_json::Value| {
            engine.execute(operation, &request).unwrap().response
        };
        let streams = call("ListStreams", json!({"TableName": "Tbl"}));
        let arn = streams["Streams"][0]["StreamArn"].clone();
        let stream = call("DescribeStream", json!({"StreamArn": arn}));
        let shard = stream["StreamDescription"]["Shards"][0]["ShardId"].clone();
        let it = call(
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}),
        );
        call("GetRecords", json!({"ShardIterator": it["ShardIterator"]}))["Records"].clone()
    }

    fn transaction(id: &str) -> serde_json::Value {
        json!({"ClientRequestToken": "token-1", "TransactItems": [
            {"Put": {"TableName": "Tbl", "Item": {"id": {"S": id}}}}]})
    }

    #[test]
    fn restarts_keep_stream_records_and_tokens() {
        let dir = temp_dir("streams");
        let (mut engine, mut log, _) = open(&dir).unwrap();
        streamed_table(&mut engine, &mut log);
        put(&mut engine, &mut log, "a");
        put(&mut engine, &mut log, "b");
        write(
            &mut engine,
            &mut log,
            "TransactWriteItems",
            transaction("c"),
        );
        let records = stream_records(&mut engine);
        assert_eq!(records.as_array().map(Vec::len), Some(3));
        drop(log);

        // First from the log, then (compacted) from the snapshot.
        for commits in [4, 0] {
            let (mut engine, log, loaded) = open(&dir).unwrap();
            assert_eq!(loaded.commits, commits);
            assert_eq!(stream_records(&mut engine), records);
            let retry = engine
                .execute("TransactWriteItems", &transaction("c"))
                .unwrap();
            assert_eq!(retry.commit, None);
            let mismatch = engine
                .execute("TransactWriteItems", &transaction("d"))
                .unwrap_err();
            assert_eq!(mismatch.type_name, "IdempotentParameterMismatchException");
            drop(log);
        }

        // Numbers go on from where they were.
        let (mut engine, mut log, _) = open(&dir).unwrap();
        put(&mut engine, &mut log, "e");
        let after = stream_records(&mut engine);
        let numbers: Vec<&str> = after
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["dynamodb"]["SequenceNumber"].as_str().unwrap())
            .collect();
        assert_eq!(numbers.len(), 4);
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_directory_written_before_streams_were_kept_still_loads() {
        let dir = temp_dir("first-format");
        fs::create_dir_all(&dir).unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/first-format");
        for name in [SNAPSHOT_FILE, "commits-1.jsonl"] {
            fs::copy(fixture.join(name), dir.join(name)).unwrap();
        }
        let (mut engine, mut log, loaded) = open(&dir).unwrap();
        assert_eq!((loaded.tables, loaded.items, loaded.commits), (1, 1, 2));
        let request = json!({"TableName": "Orders", "Item": {"id": {"S": "003"}}});
        write(&mut engine, &mut log, "PutItem", request);
        let snapshot = engine.snapshot();
        assert_eq!(snapshot.streams["Orders"].len(), 1);
        assert!(snapshot.streams["Orders"][0].sequence >= 2);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_a_corrupt_snapshot() {
        let dir = temp_dir("snapshot");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(SNAPSHOT_FILE), b"{not json").unwrap();
        assert!(matches!(open(&dir), Err(ServerError::Corrupt { .. })));
        fs::remove_dir_all(&dir).unwrap();
    }
}
