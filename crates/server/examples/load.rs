//! `load MODE --url http://127.0.0.1:P [options]`: a load generator for any DynamoDB
//! endpoint (statebox serve, dynalite), over raw keep-alive TCP with signed-looking requests,
//! so that what it times is the server and the socket, not an SDK. Prints one JSON line.
//!
//! - `get` / `put`: `--clients C` (64) threads, each on its own keep-alive connection, send
//!   GetItem of one small item / PutItem of small items back to back for `--seconds S` (5)
//!   after one second of warm-up; prints requests, errors, req/s, p50 and p99 latency.
//! - `idle`: opens `--n N` (10,000) connections, each answered one ListTables and then left
//!   idle; then times `--probes M` (200) requests on new connections, and counts how many
//!   idle connections the server still holds. With `--pid PID`, the server's VmRSS before
//!   and after (for memory per idle connection).
//!
//! Every socket has a timeout and every mode a deadline (`--deadline SECS`, 120), so it
//! always stops by itself. It raises its own open-file limit to the hard limit.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

const TABLE: &str = "load";
const SOCKET_TIMEOUT: Duration = Duration::from_secs(10);
const WARM_UP: Duration = Duration::from_secs(1);

/// Requests (each on its own connection) sent before the idle part reads the server's memory.
const WARM_UP_CALLS: usize = 64;

struct Options {
    mode: String,
    addr: SocketAddr,
    clients: usize,
    seconds: f64,
    n: usize,
    probes: usize,
    pid: Option<u32>,
    deadline: Duration,
}

fn main() {
    let options = match parse_args(std::env::args().skip(1).collect()) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("load: {message}");
            eprintln!(
                "usage: load get|put|idle --url http://127.0.0.1:P [--clients C] [--seconds S] \
                 [--n N] [--probes M] [--pid PID] [--deadline SECS]"
            );
            std::process::exit(2);
        }
    };
    // The same raise `statebox serve` makes; the idle part needs a socket per connection.
    let files = statebox_server::limits::raise_open_file_limit();
    let needed = options.n + options.probes + 64;
    let result = match options.mode.as_str() {
        "get" | "put" => throughput(&options),
        _ if files.is_some_and(|files| files < needed as u64) => Err(format!(
            "the open-file limit ({}) is below the {needed} sockets {} idle connections need \
             (raise it with `ulimit -n`)",
            files.unwrap_or_default(),
            options.n
        )),
        _ => idle(&options),
    };
    match result {
        Ok(report) => println!("{report}"),
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(1);
        }
    }
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut args = args.into_iter();
    let mode = args.next().unwrap_or_default();
    if !["get", "put", "idle"].contains(&mode.as_str()) {
        return Err(format!("unknown mode {mode:?}"));
    }
    let mut options = Options {
        mode,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        clients: 64,
        seconds: 5.0,
        n: 10_000,
        probes: 200,
        pid: None,
        deadline: Duration::from_secs(120),
    };
    let mut url = None;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<f64>().map_err(|_| format!("{flag} {value}"));
        match flag.as_str() {
            "--url" => url = Some(value.clone()),
            "--clients" => options.clients = number()? as usize,
            "--seconds" => options.seconds = number()?,
            "--n" => options.n = number()? as usize,
            "--probes" => options.probes = number()? as usize,
            "--pid" => options.pid = Some(number()? as u32),
            "--deadline" => options.deadline = Duration::from_secs_f64(number()?),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    let url = url.ok_or("--url is required")?;
    options.addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .map_err(|_| format!("--url {url}: want http://HOST:PORT with an IP address"))?;
    Ok(options)
}

/// One request's bytes: a DynamoDB JSON 1.0 POST with a SigV4-shaped Authorization.
fn request(addr: SocketAddr, operation: &str, body: &str) -> Vec<u8> {
    format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-amz-json-1.0\r\n\
         X-Amz-Target: DynamoDB_20120810.{operation}\r\nX-Amz-Date: 20250101T000000Z\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/dynamodb/\
         aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, \
         Signature={}\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{body}",
        "0".repeat(64),
        body.len()
    )
    .into_bytes()
}

/// A keep-alive connection that sends requests and reads Content-Length framed answers.
struct Client {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Client {
    fn connect(addr: SocketAddr) -> io::Result<Client> {
        let stream = TcpStream::connect_timeout(&addr, SOCKET_TIMEOUT)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(SOCKET_TIMEOUT))?;
        stream.set_write_timeout(Some(SOCKET_TIMEOUT))?;
        Ok(Client {
            stream,
            buffer: Vec::with_capacity(4096),
        })
    }

    /// Sends one request; returns the answer's status and body.
    fn call(&mut self, request: &[u8]) -> io::Result<(u16, Vec<u8>)> {
        self.stream.write_all(request)?;
        self.read_response()
    }

    fn read_response(&mut self) -> io::Result<(u16, Vec<u8>)> {
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut response = httparse::Response::new(&mut headers);
            match response.parse(&self.buffer) {
                Ok(httparse::Status::Complete(head)) => {
                    let status = response.code.unwrap_or(0);
                    let length: usize = response
                        .headers
                        .iter()
                        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                        .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse().ok())
                        .ok_or_else(|| invalid("an answer without Content-Length"))?;
                    while self.buffer.len() < head + length {
                        self.fill()?;
                    }
                    let body = self.buffer[head..head + length].to_vec();
                    self.buffer.drain(..head + length);
                    return Ok((status, body));
                }
                Ok(httparse::Status::Partial) => self.fill()?,
                Err(e) => return Err(invalid(&format!("unparsable answer: {e}"))),
            }
        }
    }

    fn fill(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk)?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed"));
        }
        self.buffer.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// Whether the server still holds the connection open (nothing to read, no FIN).
    fn is_open(&self) -> bool {
        if self.stream.set_nonblocking(true).is_err() {
            return false;
        }
        let mut byte = [0u8; 1];
        let open =
            matches!(self.stream.peek(&mut byte), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
        let _ = self.stream.set_nonblocking(false);
        open
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_string())
}

/// Creates the table (if missing), waits until it is ACTIVE and puts the item GetItem reads.
fn set_up(addr: SocketAddr) -> io::Result<()> {
    let mut client = Client::connect(addr)?;
    let create = json!({
        "TableName": TABLE,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    });
    client.call(&request(addr, "CreateTable", &create.to_string()))?;
    let describe = json!({"TableName": TABLE}).to_string();
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = client.call(&request(addr, "DescribeTable", &describe))?;
        if status == 200 && String::from_utf8_lossy(&body).contains("\"TableStatus\":\"ACTIVE\"") {
            break;
        }
        if Instant::now() > until {
            return Err(invalid("the table did not become ACTIVE in 30 s"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let (status, body) = client.call(&request(addr, "PutItem", &put_body("item")))?;
    if status != 200 {
        return Err(invalid(&format!(
            "PutItem answered {status}: {}",
            String::from_utf8_lossy(&body)
        )));
    }
    Ok(())
}

fn put_body(key: &str) -> String {
    json!({"TableName": TABLE, "Item": {"pk": {"S": key}, "payload": {"S": "twenty bytes of data"}, "n": {"N": "42"}}})
        .to_string()
}

/// `get` / `put`: C clients back to back; latencies after the warm-up.
fn throughput(options: &Options) -> Result<String, String> {
    let addr = options.addr;
    set_up(addr).map_err(|e| format!("set-up: {e}"))?;
    let start = Instant::now();
    let measure_from = start + WARM_UP;
    let end = measure_from + Duration::from_secs_f64(options.seconds);
    let threads: Vec<_> = (0..options.clients)
        .map(|thread| {
            let put = options.mode == "put";
            std::thread::spawn(move || client_loop(addr, thread, put, measure_from, end))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for thread in threads {
        // A client that panicked counts as one error, not as silence.
        let (mine, failed) = thread.join().unwrap_or((Vec::new(), 1));
        latencies.extend(mine);
        errors += failed;
    }
    latencies.sort_unstable();
    let seconds = options.seconds;
    Ok(json!({
        "mode": options.mode,
        "clients": options.clients,
        "seconds": seconds,
        "requests": latencies.len(),
        "errors": errors,
        "rps": latencies.len() as f64 / seconds,
        "p50_us": percentile(&latencies, 0.50),
        "p99_us": percentile(&latencies, 0.99),
    })
    .to_string())
}

/// One client's requests until `end`; returns its latencies (µs) and errors, both counted
/// only for requests sent after the warm-up.
fn client_loop(
    addr: SocketAddr,
    thread: usize,
    put: bool,
    measure_from: Instant,
    end: Instant,
) -> (Vec<u32>, usize) {
    let get = request(
        addr,
        "GetItem",
        &json!({"TableName": TABLE, "Key": {"pk": {"S": "item"}}}).to_string(),
    );
    let puts: Vec<Vec<u8>> = (0..16)
        .map(|i| request(addr, "PutItem", &put_body(&format!("k{thread}-{i}"))))
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut client = None;
    let mut i = 0;
    while Instant::now() < end {
        let Some(connection) = client.as_mut() else {
            match Client::connect(addr) {
                Ok(c) => client = Some(c),
                Err(_) => {
                    errors += usize::from(Instant::now() >= measure_from);
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
            continue;
        };
        let body = if put { &puts[i % puts.len()] } else { &get };
        i += 1;
        let sent = Instant::now();
        match connection.call(body) {
            Ok((200, _)) if sent >= measure_from => {
                latencies.push(sent.elapsed().as_micros().min(u32::MAX as u128) as u32)
            }
            Ok((200, _)) => {}
            Ok(_) => errors += usize::from(sent >= measure_from),
            Err(_) => {
                errors += usize::from(sent >= measure_from);
                client = None;
            }
        }
    }
    (latencies, errors)
}

fn percentile(sorted: &[u32], p: f64) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    Some(sorted[index])
}

/// `idle`: N idle keep-alive connections, then requests on new connections.
fn idle(options: &Options) -> Result<String, String> {
    let addr = options.addr;
    let deadline = Instant::now() + options.deadline;
    let list = Arc::new(request(addr, "ListTables", "{}"));
    // Warm the server up first (its workers and allocator), so that what it needs to answer
    // at all is not counted as memory per idle connection.
    for _ in 0..WARM_UP_CALLS {
        if let Ok(mut client) = Client::connect(addr) {
            let _ = client.call(&list);
        }
    }
    let rss_before = options.pid.and_then(rss_kb);
    // A few openers in parallel; each keeps the connections it opened.
    let openers = 8.min(options.n.max(1));
    let threads: Vec<_> = (0..openers)
        .map(|k| {
            let count = options.n / openers + usize::from(k < options.n % openers);
            let list = Arc::clone(&list);
            std::thread::spawn(move || open_idle(addr, count, &list, deadline))
        })
        .collect();
    let mut held = Vec::new();
    let (mut refused, mut failed) = (0, 0);
    let mut statuses = std::collections::BTreeMap::<String, usize>::new();
    for thread in threads {
        let opened = thread.join().unwrap_or_else(|_| Opened {
            failed: 1,
            ..Opened::default()
        });
        held.extend(opened.held);
        refused += opened.refused;
        failed += opened.failed;
        for (status, count) in opened.statuses {
            *statuses.entry(status).or_default() += count;
        }
    }
    let answered = held.len();
    std::thread::sleep(Duration::from_secs(1));
    let open_before_probes = held.iter().filter(|c| c.is_open()).count();
    let rss_after = options.pid.and_then(rss_kb);

    let mut probe_latencies = Vec::new();
    let mut probe_failed = 0;
    for _ in 0..options.probes {
        if Instant::now() > deadline {
            break;
        }
        let sent = Instant::now();
        match Client::connect(addr).and_then(|mut c| c.call(&list)) {
            Ok((200, _)) => probe_latencies.push(sent.elapsed().as_micros() as u32),
            _ => probe_failed += 1,
        }
    }
    probe_latencies.sort_unstable();
    let open_at_end = held.iter().filter(|c| c.is_open()).count();
    let per_connection = match (rss_before, rss_after) {
        (Some(before), Some(after)) if open_before_probes > 0 => {
            Some(after.saturating_sub(before) as f64 * 1024.0 / open_before_probes as f64)
        }
        _ => None,
    };
    Ok(json!({
        "mode": "idle",
        "wanted": options.n,
        "answered": answered,
        "refused": refused,
        "failed": failed,
        "refusals": statuses,
        "open_after_1s": open_before_probes,
        "open_at_end": open_at_end,
        "rss_before_kb": rss_before,
        "rss_after_kb": rss_after,
        "bytes_per_idle_connection": per_connection,
        "probes_ok": probe_latencies.len(),
        "probes_failed": probe_failed,
        "probe_p50_us": percentile(&probe_latencies, 0.50),
        "probe_p99_us": percentile(&probe_latencies, 0.99),
    })
    .to_string())
}

#[derive(Default)]
struct Opened {
    held: Vec<Client>,
    /// Answered, but not 200 (e.g. a 503 at a connection cap).
    refused: usize,
    /// Not answered at all: connect failed, reset, closed or timed out.
    failed: usize,
    /// Non-200 answers by status and start of body.
    statuses: Vec<(String, usize)>,
}

fn open_idle(addr: SocketAddr, count: usize, list: &[u8], deadline: Instant) -> Opened {
    let mut opened = Opened::default();
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for _ in 0..count {
        if Instant::now() > deadline {
            break;
        }
        let mut client = match Client::connect(addr) {
            Ok(client) => client,
            Err(_) => {
                opened.failed += 1;
                continue;
            }
        };
        match client.call(list) {
            Ok((200, _)) => opened.held.push(client),
            Ok((status, body)) => {
                opened.refused += 1;
                let text: String = String::from_utf8_lossy(&body).chars().take(60).collect();
                *seen.entry(format!("{status} {text}")).or_default() += 1;
            }
            Err(_) => opened.failed += 1,
        }
    }
    opened.statuses = seen.into_iter().collect();
    opened
}

/// The resident set size of process `pid` in kB, from /proc.
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
