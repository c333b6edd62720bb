//! The socket side: binds 127.0.0.1, accepts connections, and serves each on its own
//! thread (at most [`MAX_CONNECTIONS`] at once) with keep-alive and timeouts.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use statebox_dynamo::Engine;

use crate::error::ServerError;
use crate::http::{encode_response, Connection, ReadError, Response};
use crate::limits::{MAX_CONNECTIONS, WRITE_TIMEOUT};
use crate::service::Service;
use crate::{store, ServeOptions};

/// A bound server, its data loaded, not yet serving.
pub struct Server {
    listener: TcpListener,
    service: Arc<Service>,
    open: Arc<AtomicUsize>,
}

impl Server {
    /// Loads `--data` (if any) and binds `127.0.0.1:port` (0 picks a free port).
    pub fn bind(options: &ServeOptions) -> Result<Server, ServerError> {
        let service = match options.data_dir.clone() {
            None => Service::start(|| Ok((Engine::new(), None)))?,
            Some(dir) => Service::start(move || {
                let (engine, log, loaded) = store::open(&dir)?;
                eprintln!(
                    "statebox: loaded {} table(s), {} item(s) from {} ({} logged commit(s){})",
                    loaded.tables,
                    loaded.items,
                    dir.display(),
                    loaded.commits,
                    if loaded.dropped_tail {
                        "; dropped a cut-short last line"
                    } else {
                        ""
                    }
                );
                Ok((engine, Some(log)))
            })?,
        };
        let listener =
            TcpListener::bind(("127.0.0.1", options.port)).map_err(|source| ServerError::Bind {
                port: options.port,
                source,
            })?;
        Ok(Server {
            listener,
            service: Arc::new(service),
            open: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until the process ends.
    pub fn serve(self) -> Result<(), ServerError> {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => self.spawn(stream),
                // Out of file descriptors and the like: wait a little rather than spin or die.
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }

    fn spawn(&self, mut stream: TcpStream) {
        if self.open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            self.open.fetch_sub(1, Ordering::SeqCst);
            let busy = Response::new(503, "text/plain", b"too many connections".to_vec());
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = stream.write_all(&encode_response(&busy, true));
            return;
        }
        let service = Arc::clone(&self.service);
        let open = Arc::clone(&self.open);
        let spawned = std::thread::Builder::new()
            .name("statebox-connection".into())
            .spawn(move || {
                serve_connection(stream, &service);
                open.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            self.open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Answers requests on one connection until the client closes it, asks to, or misbehaves.
fn serve_connection(stream: TcpStream, service: &Service) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut connection = Connection::new(stream);
    loop {
        match connection.read_request() {
            Ok(request) => {
                let response = service.handle(&request);
                let close = !request.keep_alive;
                if connection.write_response(&response, close).is_err() || close {
                    return;
                }
            }
            Err(ReadError::Closed) => return,
            Err(ReadError::Reject { status, message }) => {
                let response = Response::new(status, "text/plain", message.into_bytes());
                if connection.write_response(&response, true).is_ok() {
                    connection.shutdown_write();
                    connection.linger();
                }
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn start() -> u16 {
        let server = Server::bind(&ServeOptions::default()).unwrap();
        let port = server.port();
        std::thread::spawn(move || server.serve());
        port
    }

    fn exchange(port: u16, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(request).unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn serves_over_tcp_and_closes_on_request() {
        let port = start();
        let out = exchange(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
        assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
        assert!(out.ends_with("healthy: statebox"), "{out}");

        let request = "POST / HTTP/1.1\r\nX-Amz-Target: DynamoDB_20120810.Nope\r\n\
                       Content-Type: application/x-amz-json-1.0\r\nAuthorization: AWS4-HMAC-SHA256 x\r\n\
                       Content-Length: 2\r\nConnection: close\r\n\r\n{}";
        let out = exchange(port, request.as_bytes());
        assert!(out.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{out}");
        assert!(out.contains("x-amz-crc32: "), "{out}");
        assert!(out.contains("UnknownOperationException"), "{out}");
    }

    #[test]
    fn answers_garbage_with_400_and_closes() {
        let port = start();
        let out = exchange(port, b"\x16\x03\x01 not http at all\r\n\r\n");
        assert!(out.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{out}");
    }
}
