//! The listener over real sockets: keep-alive, pipelining, the connection cap, and how each
//! bound fails.

use super::*;
use std::io::{Read, Write};
use std::net::TcpStream as StdStream;

fn start(limits: Limits) -> u16 {
    let server = Server::bind(&ServeOptions::default())
        .unwrap()
        .limits(limits);
    let port = server.port();
    std::thread::spawn(move || server.serve());
    port
}

fn connect(port: u16) -> StdStream {
    let stream = StdStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

fn exchange(port: u16, request: &[u8]) -> String {
    let mut stream = connect(port);
    stream.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads one response with a Content-Length body from a kept-alive stream.
fn read_response(stream: &mut StdStream) -> String {
    let mut out = Vec::new();
    let mut byte = [0u8; 1];
    while !out.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).unwrap_or(0) == 0 {
            return String::from_utf8_lossy(&out).into_owned();
        }
        out.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&out).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse::<usize>().unwrap());
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    out.extend_from_slice(&body);
    String::from_utf8_lossy(&out).into_owned()
}

fn dynamodb(target: &str, body: &str, close: bool) -> String {
    format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.{target}\r\n\
         Content-Type: application/x-amz-json-1.0\r\nAuthorization: AWS4-HMAC-SHA256 x\r\n\
         Content-Length: {}\r\n{}\r\n{body}",
        body.len(),
        if close { "Connection: close\r\n" } else { "" }
    )
}

/// `out` is a response with `status` (code and reason) and a JSON error body of `type_name`.
fn assert_json_error(out: &str, status: &str, type_name: &str) {
    assert!(out.starts_with(&format!("HTTP/1.1 {status}\r\n")), "{out}");
    assert!(
        out.contains("content-type: application/x-amz-json-1.0"),
        "{out}"
    );
    assert!(out.contains(&format!(r#""__type":"{type_name}""#)), "{out}");
}

#[test]
fn serves_over_tcp_and_closes_on_request() {
    let port = start(Limits::default());
    let out = exchange(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.ends_with("healthy: statebox"), "{out}");

    let out = exchange(port, dynamodb("Nope", "{}", true).as_bytes());
    assert!(out.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{out}");
    assert!(out.contains("x-amz-crc32: "), "{out}");
    assert!(out.contains("x-amzn-requestid: "), "{out}");
    assert!(out.contains("UnknownOperationException"), "{out}");
}

#[test]
fn answers_pipelined_requests_in_order() {
    let port = start(Limits::default());
    let mut stream = connect(port);
    let mut requests = String::new();
    let names = ["pipe-one", "pipe-two", "pipe-three"];
    for name in names {
        let body = format!(r#"{{"TableName":"{name}"}}"#);
        requests.push_str(&dynamodb("DescribeTable", &body, false));
    }
    requests.push_str("GET / HTTP/1.1\r\n\r\n");
    stream.write_all(requests.as_bytes()).unwrap();
    for name in names {
        let out = read_response(&mut stream);
        assert!(out.contains("ResourceNotFoundException"), "{out}");
        assert!(
            out.contains(&format!(
                "Requested resource not found: Table: {name} not found"
            )),
            "{out}"
        );
    }
    assert!(read_response(&mut stream).ends_with("healthy: statebox"));
}

#[test]
fn answers_expect_continue_before_the_body() {
    let port = start(Limits::default());
    let mut stream = connect(port);
    let head = "POST / HTTP/1.1\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n\
                Content-Type: application/x-amz-json-1.0\r\nAuthorization: AWS4-HMAC-SHA256 x\r\n\
                Expect: 100-continue\r\nContent-Length: 2\r\n\r\n";
    stream.write_all(head.as_bytes()).unwrap();
    let mut continued = [0u8; 25];
    stream.read_exact(&mut continued).unwrap();
    assert_eq!(&continued, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream.write_all(b"{}").unwrap();
    let out = read_response(&mut stream);
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
}

#[test]
fn refuses_a_huge_body_before_reading_it() {
    let port = start(Limits::default());
    let mut stream = connect(port);
    let head = format!(
        "POST / HTTP/1.1\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n\
         Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n",
        crate::limits::MAX_BODY_BYTES + 1
    );
    stream.write_all(head.as_bytes()).unwrap();
    let out = read_response(&mut stream);
    assert_json_error(
        &out,
        "413 Payload Too Large",
        "com.amazon.coral.service#RequestEntityTooLargeException",
    );
}

#[test]
fn refuses_a_huge_head_that_arrives_at_once() {
    let port = start(Limits::default());
    let head = format!(
        "GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(MAX_HEAD_BYTES + 10)
    );
    let out = exchange(port, head.as_bytes());
    assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
    assert!(
        out.contains("RequestHeaderFieldsTooLargeException"),
        "{out}"
    );
}

#[test]
fn refuses_a_chunked_body_that_grows_too_large() {
    let port = start(Limits {
        max_body_bytes: 10,
        ..Limits::default()
    });
    let out = exchange(
        port,
        b"POST / HTTP/1.1\r\nContent-Type: application/x-amz-json-1.0\r\n\
          Transfer-Encoding: chunked\r\n\r\n8\r\n{\"a\":\"bb\r\n8\r\nbbbbbbb}\r\n0\r\n\r\n",
    );
    assert!(out.starts_with("HTTP/1.1 413 "), "{out}");
    assert!(out.contains("RequestEntityTooLargeException"), "{out}");
}

#[test]
fn answers_408_to_a_request_that_stalls() {
    let port = start(Limits {
        request_timeout: Duration::from_millis(300),
        ..Limits::default()
    });
    // A head that never ends.
    let out = exchange(port, b"POST / HTTP/1.1\r\nX-Amz-Target: Dynamo");
    assert!(out.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{out}");
    assert!(
        out.contains("com.amazon.coral.service#RequestTimeoutException"),
        "{out}"
    );
    // A body that never ends.
    let out = exchange(port, b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}");
    assert!(out.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{out}");
    assert!(
        out.to_ascii_lowercase().contains("connection: close"),
        "{out}"
    );
}

#[test]
fn closes_idle_connections_after_the_idle_timeout() {
    let port = start(Limits {
        idle_timeout: Duration::from_millis(200),
        ..Limits::default()
    });
    let mut stream = connect(port);
    stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    assert!(read_response(&mut stream).ends_with("healthy: statebox"));
    let mut rest = Vec::new();
    assert_eq!(
        stream.read_to_end(&mut rest).unwrap(),
        0,
        "closed, nothing sent"
    );
}

#[test]
fn a_bad_request_does_not_stop_the_server() {
    let port = start(Limits::default());
    let out = exchange(port, b"\x16\x03\x01 not http at all\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{out}");
    let out = exchange(port, b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{out}");
    let many: String = (0..=MAX_HEADERS).map(|i| format!("h{i}: v\r\n")).collect();
    let out = exchange(port, format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes());
    assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
    let out = exchange(port, dynamodb("ListTables", "{", true).as_bytes());
    assert!(out.contains("SerializationException"), "{out}");
    let out = exchange(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(out.ends_with("healthy: statebox"), "{out}");
}

#[test]
fn makes_room_by_closing_the_longest_idle_then_refuses_when_all_are_busy() {
    let port = start(Limits {
        max_connections: 2,
        request_timeout: Duration::from_secs(5),
        ..Limits::default()
    });
    let health = b"GET / HTTP/1.1\r\n\r\n";
    let mut first = connect(port);
    first.write_all(health).unwrap();
    read_response(&mut first);
    std::thread::sleep(Duration::from_millis(20));
    let mut second = connect(port);
    second.write_all(health).unwrap();
    read_response(&mut second);

    // A third client: the first (idle the longest) is closed to make room.
    let mut third = connect(port);
    third.write_all(health).unwrap();
    assert!(read_response(&mut third).ends_with("healthy: statebox"));
    let mut rest = Vec::new();
    assert_eq!(
        first.read_to_end(&mut rest).unwrap(),
        0,
        "the oldest was closed"
    );
    second.write_all(health).unwrap();
    assert!(read_response(&mut second).ends_with("healthy: statebox"));

    // Both busy (a body awaited: the `100 Continue` says the server is reading it): a new
    // client is answered 503 and closed.
    for stream in [&mut second, &mut third] {
        stream
            .write_all(b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            .unwrap();
        let mut continued = [0u8; 25];
        stream.read_exact(&mut continued).unwrap();
        assert_eq!(&continued, b"HTTP/1.1 100 Continue\r\n\r\n");
    }
    let out = exchange(port, b"GET / HTTP/1.1\r\n\r\n");
    assert_json_error(
        &out,
        "503 Service Unavailable",
        "com.amazonaws.dynamodb.v20120810#ServiceUnavailable",
    );
    // Once a request finishes, its connection is idle again and can make room.
    second.write_all(b"{}   ").unwrap();
    read_response(&mut second);
    let out = exchange(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(out.ends_with("healthy: statebox"), "{out}");
}
