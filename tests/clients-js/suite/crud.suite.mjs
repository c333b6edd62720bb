// Put, get and delete with the low-level client.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb } = clients();
after(() => ddb.destroy());

test("put, get, overwrite and delete one item", async () => {
  const TableName = await createTable(ddb, "crud", { sort: false });
  const Key = { pk: { S: "user#1" } };
  await ddb.send(new PutItemCommand({ TableName, Item: { ...Key, name: { S: "Ada" } } }));
  assert.deepEqual((await ddb.send(new GetItemCommand({ TableName, Key }))).Item.name, { S: "Ada" });
  const replaced = await ddb.send(
    new PutItemCommand({ TableName, Item: { ...Key, name: { S: "Grace" } }, ReturnValues: "ALL_OLD" }),
  );
  assert.deepEqual(replaced.Attributes.name, { S: "Ada" });
  const deleted = await ddb.send(new DeleteItemCommand({ TableName, Key, ReturnValues: "ALL_OLD" }));
  assert.deepEqual(deleted.Attributes.name, { S: "Grace" });
  assert.equal((await ddb.send(new GetItemCommand({ TableName, Key }))).Item, undefined);
});

test("a projection returns only the asked attributes", async () => {
  const TableName = await createTable(ddb, "crud", { sort: false });
  const Item = { pk: { S: "p" }, a: { S: "1" }, b: { N: "2" }, c: { BOOL: true } };
  await ddb.send(new PutItemCommand({ TableName, Item }));
  const got = await ddb.send(
    new GetItemCommand({ TableName, Key: { pk: { S: "p" } }, ProjectionExpression: "a, #b", ExpressionAttributeNames: { "#b": "b" } }),
  );
  assert.deepEqual(got.Item, { a: { S: "1" }, b: { N: "2" } });
});
