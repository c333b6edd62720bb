// Update expressions: SET, REMOVE, ADD, DELETE and what ReturnValues gives back.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb, doc } = clients();
after(() => ddb.destroy());

test("every action in one expression", async () => {
  const TableName = await createTable(ddb, "update");
  const Key = { pk: "u", sk: 1 };
  await doc.send(new PutCommand({ TableName, Item: { ...Key, n: 1, gone: "x", tags: new Set(["a", "b"]), list: [1] } }));
  const { Attributes } = await doc.send(
    new UpdateCommand({
      TableName,
      Key,
      UpdateExpression: "SET n = n + :two, #l = list_append(#l, :more), created = if_not_exists(created, :now) REMOVE gone ADD visits :one DELETE tags :a",
      ExpressionAttributeNames: { "#l": "list" },
      ExpressionAttributeValues: { ":two": 2, ":more": [2, 3], ":now": "today", ":one": 1, ":a": new Set(["a"]) },
      ReturnValues: "ALL_NEW",
    }),
  );
  assert.equal(Attributes.n, 3);
  assert.deepEqual(Attributes.list, [1, 2, 3]);
  assert.equal(Attributes.created, "today");
  assert.equal(Attributes.gone, undefined);
  assert.equal(Attributes.visits, 1);
  assert.deepEqual([...Attributes.tags], ["b"]);
});

test("UPDATED_OLD gives the changed attributes as they were", async () => {
  const TableName = await createTable(ddb, "update");
  const Key = { pk: "o", sk: 2 };
  await doc.send(new PutCommand({ TableName, Item: { ...Key, a: 1, b: "same" } }));
  const { Attributes } = await doc.send(
    new UpdateCommand({ TableName, Key, UpdateExpression: "SET a = :a", ExpressionAttributeValues: { ":a": 5 }, ReturnValues: "UPDATED_OLD" }),
  );
  assert.deepEqual(Attributes, { a: 1 });
  assert.equal((await doc.send(new GetCommand({ TableName, Key }))).Item.a, 5);
});
