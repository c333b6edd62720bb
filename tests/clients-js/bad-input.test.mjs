// The HTTP layer of `statebox serve` against bad input over raw sockets: cut and huge bodies,
// bodies that are not UTF-8 or not JSON, garbage instead of HTTP, oversized heads and slow
// clients. Each gets the answer the contract names (JSON errors with DynamoDB's content
// type) or a closed connection, and the server keeps answering real clients throughout.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { clientConfig, startServer } from "./server.mjs";
import { AMZ_JSON, exchange, jsonError, request, requestHead } from "./raw.mjs";

let server;
let ddb;

before(async () => {
  server = await startServer();
  ddb = new DynamoDBClient(clientConfig(server.url));
});

after(() => {
  ddb?.destroy();
  server?.stop();
});

/** One ListTables through the SDK; resolves to the milliseconds it took. */
async function sdkAnswers() {
  const started = Date.now();
  const listed = await ddb.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(10_000) });
  assert.equal(listed.$metadata.httpStatusCode, 200);
  return Date.now() - started;
}

/** Asserts a JSON error answer of `status` whose `__type` ends with `#type`. */
function assertJsonError(outcome, status, type) {
  assert.ok(outcome.response, `no answer (${outcome.error?.code ?? (outcome.timedOut ? "timed out" : "closed")})`);
  const { response } = outcome;
  assert.equal(response.status, status, response.body);
  assert.equal(response.headers["content-type"], AMZ_JSON);
  const error = jsonError(response);
  assert.ok(error, `not a JSON error: ${response.body}`);
  assert.match(error.__type, new RegExp(`#${type}$`));
  return error;
}

/** Asserts a 4xx answer, or (for what is not HTTP at all) none but a closed connection. */
function assertRefused(outcome) {
  assert.ok(!outcome.timedOut, "the server neither answered nor closed");
  assert.ok(outcome.response, `no answer (${outcome.error?.code ?? "closed"})`);
  assert.ok(outcome.response.status >= 400 && outcome.response.status < 500, `${outcome.response.status}`);
}

test("a body cut short by the client closing: the connection ends, the server goes on", async () => {
  const outcome = await exchange(server.port, (socket) => {
    socket.write(requestHead(server.port, "ListTables", 100));
    socket.end('{"Limit":');
  });
  assert.ok(!outcome.timedOut, "the server held a half-closed connection");
  if (outcome.response) assert.ok(outcome.response.status >= 400, `${outcome.response.status}`);
  await sdkAnswers();
});

test("a 10 GB Content-Length is refused with 413 before any body", async () => {
  const outcome = await exchange(server.port, (socket) =>
    socket.write(requestHead(server.port, "BatchWriteItem", 10 * 1024 ** 3)),
  );
  assertJsonError(outcome, 413, "RequestEntityTooLargeException");
  await sdkAnswers();
});

test("a body that is not UTF-8 is a SerializationException", async () => {
  const body = Buffer.concat([Buffer.from('{"TableName":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
  const outcome = await exchange(server.port, (socket) =>
    socket.write(Buffer.concat([Buffer.from(requestHead(server.port, "DescribeTable", body.length)), body])),
  );
  const error = assertJsonError(outcome, 400, "SerializationException");
  assert.deepEqual(error, { __type: "com.amazon.coral.service#SerializationException" });
});

test("a body that is not JSON is a SerializationException", async () => {
  const outcome = await exchange(server.port, (socket) =>
    socket.write(request(server.port, "ListTables", "Limit=3")),
  );
  const error = assertJsonError(outcome, 400, "SerializationException");
  assert.deepEqual(error, { __type: "com.amazon.coral.service#SerializationException" });
});

test("garbage instead of HTTP is a 4xx", async () => {
  const outcome = await exchange(server.port, (socket) =>
    socket.write(Buffer.from("\x00\x01\x02\x16\x03\x01 not http at all\r\n\r\n", "latin1")),
  );
  assertRefused(outcome);
  await sdkAnswers();
});

test("a head with 200 headers is a 4xx", async () => {
  let extra = "";
  for (let i = 0; i < 200; i += 1) extra += `X-Extra-${i}: ${i}\r\n`;
  const outcome = await exchange(server.port, (socket) =>
    socket.write(requestHead(server.port, "ListTables", 2, extra) + "{}"),
  );
  assertRefused(outcome);
  await sdkAnswers();
});

test("a 1 MB header is a 4xx", async () => {
  const extra = `X-Big: ${"a".repeat(1024 * 1024)}\r\n`;
  const outcome = await exchange(server.port, (socket) =>
    socket.write(requestHead(server.port, "ListTables", 2, extra) + "{}"),
  );
  assertRefused(outcome);
  await sdkAnswers();
});

test("50 clients trickling requests a byte at a time do not hold up an SDK client", async () => {
  const whole = request(server.port, "ListTables", "{}");
  const trickles = [];
  const timers = [];
  for (let i = 0; i < 50; i += 1) {
    trickles.push(
      exchange(
        server.port,
        (socket) => {
          let sent = 0;
          const timer = setInterval(() => {
            if (sent < whole.length && socket.writable) socket.write(whole.subarray(sent, ++sent));
          }, 300);
          timers.push(timer);
        },
        { timeout: 4_000 },
      ),
    );
  }
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < 5; i += 1) {
      const took = await sdkAnswers();
      // A server that served them one at a time would hold the SDK until the slow clients
      // give up (4 s); a generous bound below that keeps a busy machine from failing it.
      assert.ok(took < 3_000, `an SDK call took ${took} ms beside the slow clients`);
    }
  } finally {
    const outcomes = await Promise.all(trickles);
    for (const timer of timers) clearInterval(timer);
    // None of them finished its request, so none may have been answered 200.
    for (const outcome of outcomes) assert.notEqual(outcome.response?.status, 200);
  }
});

test("after all of it the server still answers, raw and through the SDK", async () => {
  const outcome = await exchange(server.port, (socket) => socket.write(request(server.port, "ListTables", "{}")));
  assert.equal(outcome.response?.status, 200, outcome.response?.body);
  assert.equal(outcome.response.headers["content-type"], AMZ_JSON);
  assert.deepEqual(JSON.parse(outcome.response.body), { TableNames: [] });
  await sdkAnswers();
});
