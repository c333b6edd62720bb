//! The socket side: binds 127.0.0.1 and serves HTTP/1.1 with hyper on tokio (keep-alive,
//! pipelining, `Expect: 100-continue`), an idle connection costing a small task and no
//! thread. Each request is read in full (within [`Limits`]) and handed to a synchronous
//! [`Handler`] such as [`Service`].
//!
//! Bounds and how they fail (JSON bodies with an AWS `__type`, as SDKs parse them):
//! - connections: at the cap (see [`crate::limits::connection_cap`]) the connection idle
//!   the longest is closed; when every one is busy the new client gets `503`
//!   `ServiceUnavailable` (which SDKs retry) and is closed;
//! - body over the limit (by `Content-Length` before reading, or as a chunked body grows):
//!   `413`; a request not in within the request timeout: `408`; both close the connection;
//! - idle keep-alive past the idle timeout: closed; a write stalled past the write timeout:
//!   closed.
//!
//! A head over [`MAX_HEAD_BYTES`] is answered `431` JSON (`RequestHeaderFieldsTooLargeException`)
//! and closed. Heads hyper itself rejects get hyper's answer, an empty body, and a close:
//! `400` for a malformed request line or header (or `Content-Length`), `431` for more than
//! [`MAX_HEADERS`] headers or a head still incomplete when its read buffer
//! ([`MAX_HEAD_BYTES`]) is full, `414` for an overlong URI.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONNECTION, CONTENT_LENGTH};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use statebox_dynamo::Engine;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::connections::{Admission, Due, Registry, Track};
use crate::error::ServerError;
use crate::http::{Request, Response};
use crate::limits::{
    connection_cap, open_file_limit, Limits, MAX_HEADERS, MAX_HEAD_BYTES, REFUSAL_TIME,
};
use crate::service::{refusal, Service};
use crate::socket::Socket;
use crate::{store, ServeOptions};

/// What answers requests: synchronous and socket-free, as [`Service`] is.
pub trait Handler: Send + Sync + 'static {
    /// Answers one request, fully read.
    fn handle(&self, request: &Request) -> Response;

    /// Whether answering `request` may block for long (on the disk): it then runs with its
    /// worker's other connections handed to another thread (`block_in_place`, which costs
    /// tens of microseconds); otherwise it runs right on the worker.
    fn may_block(&self, _request: &Request) -> bool {
        false
    }
}

impl Handler for Service {
    fn handle(&self, request: &Request) -> Response {
        Service::handle(self, request)
    }

    fn may_block(&self, request: &Request) -> bool {
        Service::may_block(self, request)
    }
}

/// A bound server, its data loaded, not yet serving.
pub struct Server {
    listener: std::net::TcpListener,
    handler: Arc<dyn Handler>,
    limits: Limits,
}

/// What every connection task shares.
struct Shared {
    handler: Arc<dyn Handler>,
    limits: Limits,
    http: http1::Builder,
}

impl Server {
    /// Loads `--data` (if any) and binds `127.0.0.1:port` (0 picks a free port).
    pub fn bind(options: &ServeOptions) -> Result<Server, ServerError> {
        let step_functions = options.step_functions()?;
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
        let service = service.step_functions(step_functions, options.data_dir.as_deref())?;
        Server::with_handler(options.port, Arc::new(service))
    }

    /// Binds `127.0.0.1:port` for any handler (the benchmark's no-op floor uses it, so that
    /// both servers share one HTTP layer).
    pub fn with_handler(port: u16, handler: Arc<dyn Handler>) -> Result<Server, ServerError> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))
            .map_err(|source| ServerError::Bind { port, source })?;
        Ok(Server {
            listener,
            handler,
            limits: Limits::default(),
        })
    }

    /// The same server with other bounds.
    pub fn limits(mut self, limits: Limits) -> Server {
        self.limits = limits;
        self
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// How many connections it holds at once: its limit, lowered by the open-file limit.
    pub fn connection_cap(&self) -> usize {
        connection_cap(self.limits.max_connections, open_file_limit())
    }

    /// Serves until the process ends.
    pub fn serve(self) -> Result<(), ServerError> {
        // One worker per CPU this process may run on (the affinity mask counts): measured
        // with the server on its own core, one worker per core served small requests as
        // fast as the thread-per-connection server did and more workers only added
        // switches between them.
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(cores)
            .enable_all()
            .thread_name("statebox-http")
            .build()
            .map_err(ServerError::Runtime)?;
        let registry = Arc::new(Registry::new(self.connection_cap()));
        let mut http = http1::Builder::new();
        // No `pipeline_flush`: with it hyper drops its own answer to a malformed head (the
        // `400` never leaves the buffer), and SDK clients do not pipeline anyway.
        http.keep_alive(true)
            .max_buf_size(MAX_HEAD_BYTES)
            .max_headers(MAX_HEADERS);
        let shared = Arc::new(Shared {
            handler: self.handler,
            limits: self.limits,
            http,
        });
        let listener = self.listener;
        runtime.block_on(async move {
            listener
                .set_nonblocking(true)
                .map_err(|source| ServerError::Bind { port: 0, source })?;
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|source| ServerError::Bind { port: 0, source })?;
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        let _ = stream.set_nodelay(true);
                        let shared = Arc::clone(&shared);
                        match registry.admit() {
                            Some(admission) => {
                                tokio::spawn(serve_connection(stream, admission, shared));
                            }
                            None => {
                                tokio::spawn(refuse(stream, shared));
                            }
                        }
                    }
                    // Out of file descriptors and the like: wait a little rather than spin.
                    Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                }
            }
        })
    }
}

/// What ended one turn of a connection's loop.
enum Event {
    Done,
    Evicted,
    Watch,
}

/// Serves one admitted connection until it closes, is closed to make room, or overstays.
async fn serve_connection(stream: TcpStream, admission: Admission, shared: Arc<Shared>) {
    let track = Arc::clone(&admission.track);
    let limits = shared.limits;
    let socket = Socket::new(stream, Arc::clone(&track), limits.write_timeout);
    let service = {
        let (shared, track) = (Arc::clone(&shared), Arc::clone(&track));
        service_fn(move |request| respond(request, Arc::clone(&shared), Arc::clone(&track)))
    };
    let mut connection = shared.http.serve_connection(TokioIo::new(socket), service);
    let watch = tokio::time::sleep(limits.idle_timeout);
    tokio::pin!(watch);
    let mut closing = false;
    loop {
        let event = tokio::select! {
            _ = &mut connection => Event::Done,
            _ = track.evicted.notified(), if !closing => Event::Evicted,
            _ = &mut watch => Event::Watch,
            _ = track.started.notified(), if !closing => Event::Watch,
        };
        match event {
            Event::Done => break,
            Event::Evicted => {
                std::pin::Pin::new(&mut connection).graceful_shutdown();
                closing = true;
                watch.as_mut().reset(next(limits.request_timeout));
            }
            // Closing took too long (a client that does not read): drop it.
            Event::Watch if closing => break,
            Event::Watch => match track.due(&limits, Instant::now()) {
                Due::Later(at) => watch.as_mut().reset(at.into()),
                Due::Idle => {
                    std::pin::Pin::new(&mut connection).graceful_shutdown();
                    closing = true;
                    watch.as_mut().reset(next(limits.request_timeout));
                }
                Due::Head => {
                    let socket = connection.into_parts().io.into_inner();
                    let late =
                        refusal("RequestTimeoutException", "request took too long to arrive");
                    write_and_close(socket.into_stream(), &late, limits.write_timeout).await;
                    break;
                }
            },
        }
    }
    drop(admission);
}

fn next(after: Duration) -> tokio::time::Instant {
    tokio::time::Instant::now() + after
}

/// Writes a last answer straight to the stream and closes it.
async fn write_and_close(mut stream: TcpStream, response: &Response, timeout: Duration) {
    let bytes = response.encode_closing();
    let _ = tokio::time::timeout(timeout, async {
        stream.write_all(&bytes).await?;
        stream.shutdown().await
    })
    .await;
}

/// Answers a client that came when every connection was busy: `503` once its request is
/// in (so that it reads the answer rather than a reset), then closes.
async fn refuse(stream: TcpStream, shared: Arc<Shared>) {
    let mut http = shared.http.clone();
    http.keep_alive(false);
    let service = service_fn(|_request| async {
        let busy = refusal(
            "ServiceUnavailable",
            "statebox is serving as many connections as it can; try again",
        );
        Ok::<_, Infallible>(closing(busy).into_hyper())
    });
    let connection = http.serve_connection(TokioIo::new(stream), service);
    let _ = tokio::time::timeout(REFUSAL_TIME, connection).await;
}

/// Reads one request in full and answers it.
async fn respond(
    request: hyper::Request<Incoming>,
    shared: Arc<Shared>,
    track: Arc<Track>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    track.busy();
    let response = answer(request, &shared).await;
    track.idle();
    Ok(response.into_hyper())
}

async fn answer(request: hyper::Request<Incoming>, shared: &Shared) -> Response {
    let limits = &shared.limits;
    let (head, body) = request.into_parts();
    let declared = head
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let too_large = || {
        closing(refusal(
            "RequestEntityTooLargeException",
            &format!(
                "request body exceeds the limit of {} bytes",
                limits.max_body_bytes
            ),
        ))
    };
    if head_size(&head) > MAX_HEAD_BYTES {
        // hyper bounds its read buffer, not a head that arrived whole in one read.
        return closing(refusal(
            "RequestHeaderFieldsTooLargeException",
            &format!("request head exceeds {MAX_HEAD_BYTES} bytes"),
        ));
    }
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        // Answered before the body is read (no `100 Continue` is sent for it).
        return too_large();
    }
    let collected = tokio::time::timeout(
        limits.request_timeout,
        Limited::new(body, limits.max_body_bytes).collect(),
    )
    .await;
    let body = match collected {
        Ok(Ok(collected)) => collected.to_bytes().to_vec(),
        Ok(Err(e)) if e.is::<LengthLimitError>() => return too_large(),
        // The client went away or sent a broken chunk: hyper closes the connection.
        Ok(Err(_)) => {
            return closing(refusal(
                "SerializationException",
                "the request body could not be read",
            ))
        }
        Err(_) => {
            return closing(refusal(
                "RequestTimeoutException",
                "request took too long to arrive",
            ))
        }
    };
    let request = Request::from_parts(&head, body);
    let handler = &shared.handler;
    if handler.may_block(&request) {
        tokio::task::block_in_place(|| handler.handle(&request))
    } else {
        handler.handle(&request)
    }
}

/// The size of a request head as sent (request line and header lines).
fn head_size(head: &hyper::http::request::Parts) -> usize {
    let target = head.uri.path_and_query().map_or(1, |p| p.as_str().len());
    let line = head.method.as_str().len() + target + 12;
    let headers: usize = head
        .headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    line + headers + 2
}

/// The response, asking hyper to close the connection after it.
fn closing(mut response: Response) -> Response {
    response.headers.push((CONNECTION.as_str(), "close".into()));
    response
}

#[cfg(test)]
#[path = "listener_tests.rs"]
mod tests;
