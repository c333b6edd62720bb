//! Running commands: echoing them, streaming their output while keeping a copy.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

/// What a finished command printed, and whether it succeeded.
pub struct Finished {
    pub success: bool,
    pub text: String,
}

/// A short rendering of a command for logs.
pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs `cmd`, streaming stdout and stderr to our stdout line by line and returning both.
pub fn run_tee(cmd: &mut Command) -> Result<Finished, String> {
    println!("$ {}", describe(cmd));
    let _ = std::io::stdout().flush();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    let (tx, rx) = mpsc::channel::<String>();
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        readers.push(spawn_reader(out, tx.clone()));
    }
    if let Some(err) = child.stderr.take() {
        readers.push(spawn_reader(err, tx.clone()));
    }
    drop(tx);
    let mut text = String::new();
    for line in rx {
        println!("{line}");
        text.push_str(&line);
        text.push('\n');
    }
    for r in readers {
        let _ = r.join();
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let _ = std::io::stdout().flush();
    Ok(Finished {
        success: status.success(),
        text,
    })
}

fn spawn_reader(
    stream: impl Read + Send + 'static,
    tx: mpsc::Sender<String>,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let reader = BufReader::new(stream);
        for line in reader.split(b'\n') {
            let Ok(bytes) = line else { break };
            let line = String::from_utf8_lossy(&bytes)
                .trim_end_matches('\r')
                .to_string();
            if tx.send(line).is_err() {
                break;
            }
        }
    })
}

/// Runs `cmd` quietly and returns its trimmed stdout if it succeeded.
pub fn output_of(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Runs `cmd`, streaming its output, and fails if it fails.
pub fn run_checked(cmd: &mut Command) -> Result<(), String> {
    let done = run_tee(cmd)?;
    if done.success {
        Ok(())
    } else {
        Err(format!("command failed: {}", describe(cmd)))
    }
}
