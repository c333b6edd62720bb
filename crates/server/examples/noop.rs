//! `noop [--port P]`: an HTTP server that answers every request with `{}` and DynamoDB's
//! headers, doing no work: the benchmark's floor (what the client and HTTP cost alone).
//! Prints the same listening line as `statebox serve`.

use std::io::Write;
use std::net::{TcpListener, TcpStream};

use statebox_server::http::{Connection, Response};

fn main() {
    let port = match std::env::args().skip(1).collect::<Vec<_>>().as_slice() {
        [] => 0,
        [flag, port] if flag == "--port" => port.parse().unwrap_or(0),
        _ => {
            eprintln!("usage: noop [--port P]");
            std::process::exit(2);
        }
    };
    let listener = match TcpListener::bind(("127.0.0.1", port)) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("noop: cannot listen on port {port}: {e}");
            std::process::exit(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    println!("statebox: listening on http://127.0.0.1:{port}");
    let _ = std::io::stdout().flush();
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || serve(stream));
    }
}

fn serve(stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let mut connection = Connection::new(stream);
    while let Ok(request) = connection.read_request() {
        let mut response = Response::new(200, "application/x-amz-json-1.0", b"{}".to_vec());
        response
            .headers
            .push(("x-amz-crc32", crc32fast::hash(b"{}").to_string()));
        response.headers.push(("x-amzn-RequestId", "NOOP".into()));
        if connection
            .write_response(&response, !request.keep_alive)
            .is_err()
            || !request.keep_alive
        {
            return;
        }
    }
}
