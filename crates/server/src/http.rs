//! The HTTP messages the protocol layer sees: a [`Request`] read in full and a [`Response`]
//! made in full, and their conversion from and to hyper's messages (which the listener
//! serves; see [`crate::listener`]).

use std::io::Write;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderName, HeaderValue};
use hyper::StatusCode;

/// One HTTP request, fully read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names as sent; look them up with [`Request::header`].
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
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

impl Request {
    /// A request from hyper's head and its collected body. Header values that are not UTF-8
    /// are read lossily (the protocol layer only compares ASCII ones). Keep-alive is hyper's
    /// business (it reads `Connection` and the version itself).
    pub fn from_parts(head: &hyper::http::request::Parts, body: Vec<u8>) -> Request {
        let headers = head
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_string(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        Request {
            method: head.method.as_str().to_string(),
            path: head.uri.path().to_string(),
            headers,
            body,
        }
    }
}

impl Response {
    /// This response as hyper sends it. A header whose name or value HTTP cannot carry is
    /// left out; an unknown status becomes 500.
    pub fn into_hyper(self) -> hyper::Response<Full<Bytes>> {
        let mut out = hyper::Response::new(Full::new(Bytes::from(self.body)));
        *out.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = out.headers_mut();
        for (name, value) in self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                headers.append(name, value);
            }
        }
        out
    }

    /// The bytes of this response followed by closing the connection, for the one answer
    /// written outside hyper (a request head that never finished arriving).
    pub fn encode_closing(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 + self.body.len());
        let reason = StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Unknown");
        let _ = write!(out, "HTTP/1.1 {} {reason}\r\n", self.status);
        for (name, value) in &self.headers {
            let _ = write!(out, "{name}: {value}\r\n");
        }
        let _ = write!(
            out,
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        );
        out.extend_from_slice(&self.body);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::Version;

    fn parts(version: Version, headers: &[(&str, &str)]) -> hyper::http::request::Parts {
        let mut builder = hyper::Request::builder()
            .method("POST")
            .uri("/x?y=1")
            .version(version);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn reads_a_hyper_request() {
        let head = parts(Version::HTTP_11, &[("X-Amz-Target", "T"), ("Host", "h")]);
        let request = Request::from_parts(&head, b"{}".to_vec());
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/x");
        assert_eq!(request.header("x-amz-target"), Some("T"));
        assert_eq!(request.body, b"{}");
    }

    #[test]
    fn converts_a_response() {
        let mut response = Response::new(413, "application/x-amz-json-1.0", b"{}".to_vec());
        response.headers.push(("x-amzn-RequestId", "R".into()));
        response.headers.push(("Bad Name", "v".into()));
        let hyper = response.clone().into_hyper();
        assert_eq!(hyper.status(), 413);
        assert_eq!(hyper.headers()["x-amzn-requestid"], "R");
        assert_eq!(hyper.headers().len(), 2);
        let text = String::from_utf8(response.encode_closing()).unwrap();
        assert!(
            text.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
            "{text}"
        );
        assert!(
            text.ends_with("Content-Length: 2\r\nConnection: close\r\n\r\n{}"),
            "{text}"
        );
    }
}
