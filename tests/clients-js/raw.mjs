// Raw HTTP/1.1 over node:net for the tests of the server's HTTP layer: DynamoDB requests
// with a SigV4-shaped Authorization (the server checks its shape, not the signature), and
// a reader of Content-Length framed answers.

import net from "node:net";

/** The head of a DynamoDB JSON 1.0 POST of `operation` with a body of `length` bytes. */
export function requestHead(port, operation, length, extraHeaders = "") {
  return (
    "POST / HTTP/1.1\r\n" +
    `Host: 127.0.0.1:${port}\r\n` +
    "Content-Type: application/x-amz-json-1.0\r\n" +
    `X-Amz-Target: DynamoDB_20120810.${operation}\r\n` +
    "X-Amz-Date: 20250101T000000Z\r\n" +
    "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/eu-west-3/dynamodb/aws4_request, " +
    `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${"0".repeat(64)}\r\n` +
    "Connection: keep-alive\r\n" +
    extraHeaders +
    `Content-Length: ${length}\r\n\r\n`
  );
}

/** A whole request: head and body (a string or bytes). */
export function request(port, operation, body = "{}") {
  const bytes = Buffer.from(body);
  return Buffer.concat([Buffer.from(requestHead(port, operation, bytes.length)), bytes]);
}

/**
 * The first complete answer in `buffer`: `{ status, headers, body, length }` (header names
 * in lower case, `length` the bytes it took), or null while incomplete.
 */
export function parseResponse(buffer) {
  const end = buffer.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const [statusLine, ...lines] = buffer.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyLength = Number(headers["content-length"] ?? 0);
  if (buffer.length < end + 4 + bodyLength) return null;
  const body = buffer.subarray(end + 4, end + 4 + bodyLength).toString("utf8");
  return { status, headers, body, length: end + 4 + bodyLength };
}

/**
 * Connects to 127.0.0.1:`port`; `send(socket)` writes what it likes. Resolves, after the
 * first answer or the end of the connection or `timeout` ms, to `{ socket, response, closed,
 * error, timedOut }`; the socket stays open after an answer unless `destroy` is set.
 */
export function exchange(port, send, { timeout = 5_000, destroy = true } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    let buffer = Buffer.alloc(0);
    let settled = false;
    const outcome = { socket, response: null, closed: false, error: null, timedOut: false };
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (destroy) socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      outcome.timedOut = true;
      finish();
    }, timeout);
    socket.on("connect", () => send(socket));
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      outcome.response ??= parseResponse(buffer);
      if (outcome.response) finish();
    });
    // A reset after the answer (a server closing with unread bytes) is no failure of it.
    socket.on("error", (error) => {
      outcome.error = error;
      finish();
    });
    socket.on("close", () => {
      outcome.closed = true;
      finish();
    });
  });
}

/** Asserts-free check of the JSON error shape: `{ __type }` parsed, or null. */
export function jsonError(response) {
  try {
    const body = JSON.parse(response.body);
    return typeof body.__type === "string" ? body : null;
  } catch {
    return null;
  }
}

export const AMZ_JSON = "application/x-amz-json-1.0";
