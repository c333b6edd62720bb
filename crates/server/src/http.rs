//! A small HTTP/1.1 layer over any byte stream: reads one request at a time (head parsed by
//! `httparse`, body by `Content-Length`) within the bounds of [`crate::limits`], and writes
//! whole responses in one call. Keep-alive is the default, as AWS SDKs expect.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::limits::{
    IDLE_TIMEOUT, LINGER_BYTES, LINGER_TIME, MAX_BODY_BYTES, MAX_HEADERS, MAX_HEAD_BYTES,
    REQUEST_TIMEOUT,
};

/// A byte stream whose reads can time out (a socket, or a test double).
pub trait Transport: Read + Write {
    /// Bounds the next blocking reads; `None` waits forever.
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()>;

    /// Stops sending (a TCP half-close); the default does nothing.
    fn shutdown_write(&mut self) {}
}

impl Transport for TcpStream {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        TcpStream::set_read_timeout(self, timeout)
    }

    fn shutdown_write(&mut self) {
        let _ = self.shutdown(std::net::Shutdown::Write);
    }
}

/// One HTTP request, fully read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names as sent; look them up with [`Request::header`].
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Whether the client wants the connection kept open after the response.
    pub keep_alive: bool,
}

impl Request {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A signed-looking DynamoDB JSON 1.0 request, as an SDK sends it (handy in tests).
    pub fn dynamodb(target: &str, body: &str) -> Request {
        Request {
            method: "POST".into(),
            path: "/".into(),
            headers: vec![
                ("X-Amz-Target".into(), target.into()),
                ("Content-Type".into(), "application/x-amz-json-1.0".into()),
                (
                    "Authorization".into(),
                    "AWS4-HMAC-SHA256 Credential=x/20200101/us-east-1/dynamodb/aws4_request, \
                     SignedHeaders=host, Signature=0"
                        .into(),
                ),
            ],
            body: body.as_bytes().to_vec(),
            keep_alive: true,
        }
    }
}

/// One HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy), for tests and logs.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why no request could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The client closed the connection, or stayed idle too long, between requests.
    Closed,
    /// The request is unacceptable: answer with this status and text, then close.
    Reject { status: u16, message: String },
}

impl ReadError {
    fn reject(status: u16, message: impl Into<String>) -> ReadError {
        ReadError::Reject {
            status,
            message: message.into(),
        }
    }
}

/// A client connection: a stream and the bytes read from it but not yet used.
pub struct Connection<S> {
    stream: S,
    buffer: Vec<u8>,
    /// `buffer[start..]` holds the unread bytes.
    start: usize,
    /// The read timeout last set on the stream, to skip setting it again.
    timeout: Option<Duration>,
}

impl<S: Transport> Connection<S> {
    pub fn new(stream: S) -> Self {
        Connection {
            stream,
            buffer: Vec::with_capacity(8 * 1024),
            start: 0,
            timeout: None,
        }
    }

    /// Reads the next request. Waits up to [`IDLE_TIMEOUT`] for it to start, then up to
    /// [`REQUEST_TIMEOUT`] for all of it.
    pub fn read_request(&mut self) -> Result<Request, ReadError> {
        self.compact();
        if self.unread() == 0 {
            self.set_timeout(IDLE_TIMEOUT)
                .map_err(|_| ReadError::Closed)?;
            match self.fill() {
                Ok(0) | Err(_) => return Err(ReadError::Closed),
                Ok(_) => {}
            }
        }
        let deadline = Instant::now() + REQUEST_TIMEOUT;
        let (head_len, mut request, content_length, expect_continue) = loop {
            match parse_head(&self.buffer[self.start..])? {
                Some(parsed) => break parsed,
                None if self.unread() >= MAX_HEAD_BYTES => {
                    return Err(ReadError::reject(
                        431,
                        format!("request head exceeds {MAX_HEAD_BYTES} bytes"),
                    ))
                }
                None => self.fill_before(deadline)?,
            }
        };
        self.start += head_len;
        if expect_continue && self.unread() < content_length {
            self.stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .map_err(|_| ReadError::Closed)?;
        }
        while self.unread() < content_length {
            self.fill_before(deadline)?;
        }
        request.body = self.buffer[self.start..self.start + content_length].to_vec();
        self.start += content_length;
        Ok(request)
    }

    /// Writes one response; `close` adds `Connection: close`.
    pub fn write_response(&mut self, response: &Response, close: bool) -> io::Result<()> {
        let bytes = encode_response(response, close);
        self.stream.write_all(&bytes)?;
        self.stream.flush()
    }

    /// Stops sending on the connection.
    pub fn shutdown_write(&mut self) {
        self.stream.shutdown_write();
    }

    /// Gives a rejected client time to read its answer: stops writing, then reads and drops
    /// what it still sends for a moment, so that closing does not reset the connection
    /// before the answer arrives.
    pub fn linger(&mut self) {
        let deadline = Instant::now() + LINGER_TIME;
        let mut scratch = [0u8; 16 * 1024];
        let mut drained = 0;
        while drained < LINGER_BYTES {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.set_timeout(left).is_err() {
                return;
            }
            match self.stream.read(&mut scratch) {
                Ok(0) | Err(_) => return,
                Ok(n) => drained += n,
            }
        }
    }

    /// Sets the stream's read timeout unless it is already `timeout` (one syscall less on
    /// the usual path, where every request arrives within one read).
    fn set_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        if self.timeout != Some(timeout) {
            self.stream.set_read_timeout(Some(timeout))?;
            self.timeout = Some(timeout);
        }
        Ok(())
    }

    fn unread(&self) -> usize {
        self.buffer.len() - self.start
    }

    /// Drops consumed bytes so the buffer does not grow across requests.
    fn compact(&mut self) {
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        if self.buffer.capacity() > 64 * 1024 && self.buffer.len() < 8 * 1024 {
            self.buffer.shrink_to(8 * 1024);
        }
    }

    fn fill_before(&mut self, deadline: Instant) -> Result<(), ReadError> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ReadError::reject(408, "request took too long to arrive"));
        }
        self.set_timeout(left).map_err(|_| ReadError::Closed)?;
        match self.fill() {
            Ok(0) => Err(ReadError::Closed),
            Ok(_) => Ok(()),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Err(ReadError::reject(408, "request took too long to arrive"))
            }
            Err(_) => Err(ReadError::Closed),
        }
    }

    /// One read into 16 KiB of new room at the end of the buffer.
    fn fill(&mut self) -> io::Result<usize> {
        let len = self.buffer.len();
        self.buffer.resize(len + 16 * 1024, 0);
        let result = loop {
            match self.stream.read(&mut self.buffer[len..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        self.buffer.truncate(len + *result.as_ref().unwrap_or(&0));
        result
    }
}

type ParsedHead = (usize, Request, usize, bool);

/// Parses a request head; `None` when more bytes are needed.
fn parse_head(bytes: &[u8]) -> Result<Option<ParsedHead>, ReadError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let head_len = match parsed.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(ReadError::reject(
                431,
                format!("more than {MAX_HEADERS} headers"),
            ))
        }
        Err(e) => {
            return Err(ReadError::reject(
                400,
                format!("malformed HTTP request: {e}"),
            ))
        }
    };
    let version = parsed.version.unwrap_or(1);
    let mut request = Request {
        method: parsed.method.unwrap_or("").to_string(),
        path: parsed.path.unwrap_or("/").to_string(),
        headers: parsed
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_string(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect(),
        body: Vec::new(),
        keep_alive: version >= 1,
    };
    if let Some(connection) = request.header("Connection") {
        let connection = connection.to_ascii_lowercase();
        if connection.contains("close") {
            request.keep_alive = false;
        } else if connection.contains("keep-alive") {
            request.keep_alive = true;
        }
    }
    if request.header("Transfer-Encoding").is_some() {
        return Err(ReadError::reject(
            411,
            "chunked request bodies are not supported: send Content-Length",
        ));
    }
    let content_length = match request.header("Content-Length") {
        None => 0,
        Some(text) => text
            .trim()
            .parse::<usize>()
            .map_err(|_| ReadError::reject(400, format!("invalid Content-Length {text:?}")))?,
    };
    if content_length > MAX_BODY_BYTES {
        return Err(ReadError::reject(
            413,
            format!("request body of {content_length} bytes exceeds the limit of {MAX_BODY_BYTES}"),
        ));
    }
    let expect_continue = request
        .header("Expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
    Ok(Some((head_len, request, content_length, expect_continue)))
}

/// The bytes of a whole response.
pub fn encode_response(response: &Response, close: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + response.body.len());
    let _ = write!(
        out,
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    let _ = write!(out, "Content-Length: {}\r\n", response.body.len());
    if close {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&response.body);
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// An in-memory stream: reads come from `input` in chunks, writes go to `output`.
    struct Fake {
        input: Cursor<Vec<u8>>,
        chunk: usize,
        output: Vec<u8>,
    }

    impl Read for Fake {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.chunk);
            self.input.read(&mut buf[..n])
        }
    }
    impl Write for Fake {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.output.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    impl Transport for Fake {
        fn set_read_timeout(&mut self, _: Option<Duration>) -> io::Result<()> {
            Ok(())
        }
    }

    fn connection(input: &[u8], chunk: usize) -> Connection<Fake> {
        Connection::new(Fake {
            input: Cursor::new(input.to_vec()),
            chunk,
            output: Vec::new(),
        })
    }

    const TWO: &[u8] = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}\
GET /health HTTP/1.1\r\nConnection: close\r\n\r\n";

    #[test]
    fn reads_pipelined_requests_in_any_chunking() {
        for chunk in [1, 3, 7, 1024] {
            let mut conn = connection(TWO, chunk);
            let first = conn.read_request().unwrap();
            assert_eq!(
                (first.method.as_str(), first.body.as_slice()),
                ("POST", &b"{}"[..])
            );
            assert!(first.keep_alive);
            assert_eq!(first.header("host"), Some("x"));
            let second = conn.read_request().unwrap();
            assert_eq!(
                (second.method.as_str(), second.path.as_str()),
                ("GET", "/health")
            );
            assert!(!second.keep_alive);
            assert_eq!(conn.read_request(), Err(ReadError::Closed));
        }
    }

    fn rejected(input: &[u8]) -> u16 {
        match connection(input, 4096).read_request() {
            Err(ReadError::Reject { status, .. }) => status,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn rejects_what_it_cannot_serve() {
        assert_eq!(rejected(b"\x00\x01garbage\r\n\r\n"), 400);
        assert_eq!(
            rejected(b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"),
            400
        );
        let huge = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY_BYTES + 1
        );
        assert_eq!(rejected(huge.as_bytes()), 413);
        assert_eq!(
            rejected(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            411
        );
        let many: String = (0..MAX_HEADERS + 1)
            .map(|i| format!("h{i}: v\r\n"))
            .collect();
        assert_eq!(
            rejected(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes()),
            431
        );
        let long = format!("GET / HTTP/1.1\r\nx: {}", "a".repeat(MAX_HEAD_BYTES + 10));
        assert_eq!(rejected(long.as_bytes()), 431);
    }

    #[test]
    fn a_truncated_request_closes_the_connection() {
        let mut conn = connection(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}", 4096);
        assert_eq!(conn.read_request(), Err(ReadError::Closed));
        assert_eq!(connection(b"", 1).read_request(), Err(ReadError::Closed));
    }

    #[test]
    fn answers_expect_continue() {
        let mut conn = connection(
            b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
            4096,
        );
        // The body never comes: the 100 Continue went out, then the stream ended.
        assert_eq!(conn.read_request(), Err(ReadError::Closed));
        assert!(conn.stream.output.starts_with(b"HTTP/1.1 100 Continue"));
    }

    #[test]
    fn encodes_a_response() {
        let response = Response::new(200, "text/plain", b"hi".to_vec());
        let text = String::from_utf8(encode_response(&response, true)).unwrap();
        assert_eq!(
            text,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\
             Connection: close\r\n\r\nhi"
        );
    }
}
