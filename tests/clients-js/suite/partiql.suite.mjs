// PartiQL through the document client: insert, select with parameters, update, delete.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { ExecuteStatementCommand } from "@aws-sdk/lib-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb, doc } = clients();
after(() => ddb.destroy());

test("a row's life in PartiQL", async () => {
  const TableName = await createTable(ddb, "partiql");
  const run = (Statement, Parameters) => doc.send(new ExecuteStatementCommand({ Statement, Parameters }));
  await run(`INSERT INTO "${TableName}" VALUE {'pk': ?, 'sk': ?, 'state': ?}`, ["row", 1, "new"]);
  await run(`UPDATE "${TableName}" SET state = ? WHERE pk = ? AND sk = ?`, ["done", "row", 1]);
  const { Items } = await run(`SELECT state FROM "${TableName}" WHERE pk = ?`, ["row"]);
  assert.deepEqual(Items, [{ state: "done" }]);
  await run(`DELETE FROM "${TableName}" WHERE pk = ? AND sk = ?`, ["row", 1]);
  assert.deepEqual((await run(`SELECT * FROM "${TableName}" WHERE pk = ?`, ["row"])).Items, []);
});
