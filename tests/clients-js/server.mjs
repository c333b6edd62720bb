// Starts `statebox serve --port 0` for the AWS SDK for JavaScript v3 tests and stops it.
// The binary is $STATEBOX_BIN (set by `cargo xtask test`).

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const LISTENING = /^statebox: listening on (http:\/\/127\.0\.0\.1:\d+)$/;

/** Starts a server; resolves to `{ url, port, pid, stop }`. */
export async function startServer() {
  const binary = process.env.STATEBOX_BIN;
  if (!binary) throw new Error("set STATEBOX_BIN to the statebox binary");
  const child = spawn(binary, ["serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("statebox serve printed nothing in 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`statebox serve exited with ${code}`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      const match = LISTENING.exec(line);
      if (match) resolve(match[1]);
      else reject(new Error(`not the listening line: ${line}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid,
    stop: () => child.kill("SIGTERM"),
  };
}

/** Client options for any SDK client aimed at the server: any credentials, any region. */
export function clientConfig(url) {
  return {
    endpoint: url,
    region: "eu-west-3",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
  };
}

let counter = 0;
/** A table name no other test uses. */
export function unique(prefix = "js") {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}
