//! DynamoDB's and Step Functions' JSON 1.0 wire protocols over HTTP for the statebox
//! engines: what `statebox serve` runs, so that AWS SDKs and the AWS CLI can talk to
//! statebox. `X-Amz-Target: AWSStepFunctions.*` requests go to `statebox-stepfunctions`,
//! whose executions a background thread runs against the same DynamoDB engine.
//!
//! - [`run`] binds `127.0.0.1`, prints `statebox: listening on http://127.0.0.1:PORT` once
//!   ready and serves until the process ends.
//! - [`Service`] is the protocol without sockets: one HTTP [`Request`] in, one [`Response`]
//!   out (target dispatch, AWS error shapes, `x-amz-crc32`, request ids).
//! - With [`ServeOptions::data_dir`] every commit is appended to a log and fsynced before
//!   the client hears of it; the log is folded into a snapshot at each start.
//!
//! HTTP/1.1 is hyper on tokio ([`Server`]): keep-alive and pipelining, an idle connection
//! costing a small task and no thread. Every bound on a client (head and body sizes, idle,
//! request and write timeouts, connection count) is one constant in [`limits`], and reaching
//! one is answered in AWS's JSON error shape. The engine sits behind one lock; requests are
//! read in parallel, and the engine writes each response as JSON text from its stored items.
//!
//! ```
//! use statebox_server::{Request, Service};
//!
//! let service = Service::in_memory();
//! let response = service.handle(&Request::dynamodb("DynamoDB_20120810.Frobnicate", "{}"));
//! assert_eq!(response.status, 400);
//! assert_eq!(
//!     response.text(),
//!     r#"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#
//! );
//! ```

mod connections;
pub mod error;
pub mod http;
pub mod limits;
pub mod listener;
pub mod protocol;
mod service;
mod sfn_store;
mod socket;
mod stepfunctions;
pub mod store;

use std::io::Write;
use std::path::PathBuf;

pub use error::ServerError;
pub use http::{Request, Response};
pub use limits::Limits;
pub use listener::{Handler, Server};
pub use service::{Service, HEALTHY};

/// What `statebox serve` was asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServeOptions {
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Where to keep tables across restarts; `None` keeps them in memory only.
    pub data_dir: Option<PathBuf>,
    /// Step Functions executions wait in real time (`--clock real`); by default their
    /// Waits, retry backoffs and timeouts pass at once on a virtual clock.
    pub real_clock: bool,
    /// `--mock-config FILE`: Step Functions Local's MockConfigFile, whose test cases a
    /// `#TestCase` suffix on a state machine ARN picks.
    pub mock_config: Option<PathBuf>,
    /// The region in Step Functions ARNs (default `us-east-1`).
    pub region: Option<String>,
    /// The account in Step Functions ARNs (default `123456789012`).
    pub account: Option<String>,
}

impl ServeOptions {
    /// The Step Functions configuration these options ask for; reads the mock config file.
    pub fn step_functions(&self) -> Result<statebox_stepfunctions::Config, ServerError> {
        let mut config = statebox_stepfunctions::Config::default();
        if let Some(region) = &self.region {
            config.place.region = region.clone();
        }
        if let Some(account) = &self.account {
            config.place.account = account.clone();
        }
        if self.real_clock {
            config.clock = statebox_asl::ClockMode::real_time(service::system_millis);
        }
        if let Some(path) = &self.mock_config {
            let text = std::fs::read_to_string(path).map_err(|e| ServerError::io(path, e))?;
            let mocks = statebox_services::MockConfig::parse(&text)
                .map_err(|e| ServerError::corrupt(path, e.to_string()))?;
            config.mocks = Some(mocks);
        }
        Ok(config)
    }
}

/// Raises the open-file limit, loads the data directory, binds, prints the listening line
/// and serves until killed.
pub fn run(options: ServeOptions) -> Result<(), ServerError> {
    let files = limits::raise_open_file_limit();
    let server = Server::bind(&options)?;
    let cap = server.connection_cap();
    if let (Some(files), true) = (files, cap < limits::FEW_CONNECTIONS) {
        eprintln!(
            "statebox: warning: the open-file limit ({files}) allows only {cap} clients at \
             once; raise it (e.g. `ulimit -n 65536` before starting) for more"
        );
    }
    let mut stdout = std::io::stdout().lock();
    let announced = writeln!(
        stdout,
        "statebox: listening on http://127.0.0.1:{}",
        server.port()
    )
    .and_then(|()| stdout.flush());
    drop(stdout);
    // A closed stdout must not stop the server; whoever started it may have stopped reading.
    let _ = announced;
    server.serve()
}
