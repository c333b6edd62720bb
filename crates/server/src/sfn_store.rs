//! `--data DIR` for Step Functions: `stepfunctions.jsonl` holds one record per line (state
//! machines as created or changed, deletions, executions' starts and ends; see
//! `statebox_stepfunctions::persist`), appended and fsynced before the client hears of
//! the change. At start the records are replayed and the file is rewritten with only what
//! rebuilds the present state (through a temporary file, fsynced and renamed). A cut-short
//! last line (a crash mid-append) is dropped with a warning; a bad line before it stops the
//! start. The directory's lock is the DynamoDB store's (`statebox.lock`), taken first.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use statebox_stepfunctions::Record;

use crate::error::ServerError;
use crate::store::sync_dir;

const LOG_FILE: &str = "stepfunctions.jsonl";
const LOG_TEMP: &str = "stepfunctions.jsonl.tmp";

/// The append-only record log.
#[derive(Debug)]
pub struct SfnLog {
    file: File,
    path: PathBuf,
    line: Vec<u8>,
}

impl SfnLog {
    /// Appends records and waits until they are on disk.
    pub fn append(&mut self, records: &[Record]) -> io::Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        self.line.clear();
        for record in records {
            serde_json::to_writer(&mut self.line, record)?;
            self.line.push(b'\n');
        }
        self.file
            .write_all(&self.line)
            .and_then(|()| self.file.sync_data())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Reads the records kept in `dir`; the flag says a cut-short last line was dropped.
pub fn load(dir: &Path) -> Result<(Vec<Record>, bool), ServerError> {
    let path = dir.join(LOG_FILE);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), false)),
        Err(e) => return Err(ServerError::io(&path, e)),
    };
    let lines: Vec<&[u8]> = bytes
        .split(|b| *b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .collect();
    let mut records = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        match serde_json::from_slice::<Record>(line) {
            Ok(record) => records.push(record),
            Err(_) if index + 1 == lines.len() => return Ok((records, true)),
            Err(e) => {
                let message = format!("line {} of {} is corrupt: {e}", index + 1, lines.len());
                return Err(ServerError::corrupt(&path, message));
            }
        }
    }
    Ok((records, false))
}

/// Rewrites the log with `records` only and opens it for appending.
pub fn rewrite(dir: &Path, records: &[Record]) -> Result<SfnLog, ServerError> {
    let temp = dir.join(LOG_TEMP);
    let mut bytes = Vec::new();
    for record in records {
        serde_json::to_writer(&mut bytes, record)
            .map_err(|e| ServerError::corrupt(&temp, e.to_string()))?;
        bytes.push(b'\n');
    }
    let mut file = File::create(&temp).map_err(|e| ServerError::io(&temp, e))?;
    file.write_all(&bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| ServerError::io(&temp, e))?;
    let path = dir.join(LOG_FILE);
    fs::rename(&temp, &path).map_err(|e| ServerError::io(&path, e))?;
    sync_dir(dir)?;
    let file = OpenOptions::new()
        .append(true)
        .open(&path)
        .map_err(|e| ServerError::io(&path, e))?;
    Ok(SfnLog {
        file,
        path,
        line: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use statebox_stepfunctions::Record;

    #[test]
    fn a_cut_short_last_line_is_dropped_and_an_earlier_bad_line_refused() {
        let dir = std::env::temp_dir().join(format!("statebox-sfn-store-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let deleted = Record::Deleted { arn: "a".into() };
        let mut log = rewrite(&dir, std::slice::from_ref(&deleted)).unwrap();
        log.append(std::slice::from_ref(&deleted)).unwrap();
        let mut file = OpenOptions::new().append(true).open(log.path()).unwrap();
        file.write_all(b"{\"deleted\": {\"ar").unwrap();
        assert_eq!(
            load(&dir).unwrap(),
            (vec![deleted.clone(), deleted.clone()], true)
        );
        file.write_all(b"\n{}\n").unwrap();
        assert!(matches!(load(&dir), Err(ServerError::Corrupt { .. })));
        fs::remove_dir_all(&dir).unwrap();
    }
}
