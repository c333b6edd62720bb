// Many idle keep-alive connections against one `statebox serve`: 2,000 raw sockets each get
// one answered ListTables and then sit idle; a new AWS SDK client must still be answered.
// At its connection cap the server may close the oldest idle connections, but it must
// refuse nobody while idle connections can make room.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { clientConfig, startServer } from "./server.mjs";
import { exchange, request } from "./raw.mjs";

const IDLE = 2_000;
const AT_ONCE = 100;

let server;
const sockets = [];

before(async () => {
  server = await startServer();
});

after(() => {
  for (const socket of sockets) socket.destroy();
  server?.stop();
});

test(`${IDLE} idle keep-alive connections, then a new SDK client`, { timeout: 90_000 }, async (t) => {
  const listTables = request(server.port, "ListTables", "{}");
  // Each answered socket is watched from its answer on: an idle one may be closed by the
  // server, never written to.
  const late = { closed: 0, data: 0 };
  const watch = (outcome) => {
    const { socket, response } = outcome;
    sockets.push(socket);
    if (response && !socket.destroyed) {
      socket.removeAllListeners("data").on("data", () => (late.data += 1));
      socket.removeAllListeners("close").on("close", () => (late.closed += 1));
      socket.removeAllListeners("error").on("error", () => {});
    }
    return outcome;
  };
  const outcomes = [];
  for (let opened = 0; opened < IDLE; opened += AT_ONCE) {
    const batch = Array.from({ length: Math.min(AT_ONCE, IDLE - opened) }, () =>
      exchange(server.port, (socket) => socket.write(listTables), { timeout: 10_000, destroy: false }).then(watch),
    );
    outcomes.push(...(await Promise.all(batch)));
  }
  const answered = outcomes.filter((o) => o.response?.status === 200).length;
  const refused = outcomes.filter((o) => o.response && o.response.status !== 200);
  const unanswered = outcomes.filter((o) => !o.response);
  assert.deepEqual(
    { answered, refused: refused.length, unanswered: unanswered.length },
    { answered: IDLE, refused: 0, unanswered: 0 },
    `first refusal: ${JSON.stringify(refused[0]?.response ?? null)}; ` +
      `first unanswered: ${unanswered[0]?.error?.code ?? (unanswered[0]?.timedOut ? "timed out" : "closed")}`,
  );

  const ddb = new DynamoDBClient(clientConfig(server.url));
  try {
    const started = Date.now();
    const listed = await ddb.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(10_000) });
    assert.equal(listed.$metadata.httpStatusCode, 200);
    assert.ok(Date.now() - started < 5_000, `the new client waited ${Date.now() - started} ms`);
  } finally {
    ddb.destroy();
  }

  // Closing idle connections to make room is allowed; writing to them (a 503) is not.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const open = outcomes.filter((o) => !o.socket.destroyed).length;
  t.diagnostic(`${open} of ${IDLE} idle connections still open (${late.closed} closed by the server)`);
  assert.equal(late.data, 0, "an idle connection was sent bytes it did not ask for");
});
