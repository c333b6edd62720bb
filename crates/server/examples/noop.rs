//! `noop [--port P] [--canned DIR]`: an HTTP server that answers every request with `{}`
//! and DynamoDB's headers, doing no work: the benchmark's floor (what the client and HTTP
//! cost alone). With `--canned DIR`, an operation `Op` is answered with the bytes of
//! `DIR/Op.json` once that file exists (read once, then kept), so that the floor of a
//! GetItem, Query or Scan includes the client's parsing of a response of the same size.
//! Prints the same listening line as `statebox serve`.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use statebox_server::{Handler, Request, Response, Server};

/// Canned bodies by operation name, loaded on first use.
type Canned = Arc<Mutex<HashMap<String, Vec<u8>>>>;

fn main() {
    let mut port = 0;
    let mut canned_dir = None;
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        match pair {
            [flag, value] if flag == "--port" => port = value.parse().unwrap_or(0),
            [flag, value] if flag == "--canned" => canned_dir = Some(PathBuf::from(value)),
            _ => {
                eprintln!("usage: noop [--port P] [--canned DIR]");
                std::process::exit(2);
            }
        }
    }
    let noop = Noop {
        canned: Arc::default(),
        dir: canned_dir,
    };
    let server = match Server::with_handler(port, Arc::new(noop)) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("noop: {e}");
            std::process::exit(1);
        }
    };
    println!("statebox: listening on http://127.0.0.1:{}", server.port());
    let _ = std::io::stdout().flush();
    if let Err(e) = server.serve() {
        eprintln!("noop: {e}");
        std::process::exit(1);
    }
}

/// Answers every request with its canned body, on the server's own HTTP layer.
struct Noop {
    canned: Canned,
    dir: Option<PathBuf>,
}

impl Handler for Noop {
    fn handle(&self, request: &Request) -> Response {
        let body = body_for(request, &self.canned, self.dir.as_ref());
        let crc = crc32fast::hash(&body).to_string();
        let mut response = Response::new(200, "application/x-amz-json-1.0", body);
        response.headers.push(("x-amz-crc32", crc));
        response.headers.push(("x-amzn-RequestId", "NOOP".into()));
        response
    }
}

/// The body for a request: its operation's canned file if there is one, else `{}`.
fn body_for(request: &Request, canned: &Canned, dir: Option<&PathBuf>) -> Vec<u8> {
    let operation = request
        .header("X-Amz-Target")
        .and_then(|t| t.split_once('.'))
        .map(|(_, op)| op.to_string());
    let (Some(operation), Some(dir)) = (operation, dir) else {
        return b"{}".to_vec();
    };
    let mut cache = canned.lock().unwrap_or_else(|e| e.into_inner());
    if !cache.contains_key(&operation) {
        match std::fs::read(dir.join(format!("{operation}.json"))) {
            Ok(bytes) => {
                cache.insert(operation.clone(), bytes);
            }
            Err(_) => return b"{}".to_vec(),
        }
    }
    cache
        .get(&operation)
        .cloned()
        .unwrap_or_else(|| b"{}".to_vec())
}
