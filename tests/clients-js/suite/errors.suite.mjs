// AWS's errors through the SDK: missing tables, schema mismatches, duplicate tables.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  ResourceInUseException,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb } = clients();
after(() => ddb.destroy());

test("a missing table is ResourceNotFoundException", async () => {
  await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: `errors-missing-${process.pid}` })), ResourceNotFoundException);
});

test("a key of the wrong type is a ValidationException", async () => {
  const TableName = await createTable(ddb, "errors");
  await assert.rejects(ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: "a" }, sk: { S: "not a number" } } })), (error) => {
    assert.equal(error.name, "ValidationException");
    assert.equal(error.message, "The provided key element does not match the schema");
    assert.equal(error.$metadata.httpStatusCode, 400);
    return true;
  });
});

test("creating a table twice is ResourceInUseException; deleting it frees the name", async () => {
  const TableName = await createTable(ddb, "errors", { sort: false });
  const again = {
    TableName,
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    BillingMode: "PAY_PER_REQUEST",
  };
  await assert.rejects(ddb.send(new CreateTableCommand(again)), ResourceInUseException);
  await ddb.send(new DeleteTableCommand({ TableName }));
  await assert.rejects(ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: "a" } } })), ResourceNotFoundException);
  const created = await ddb.send(new CreateTableCommand(again));
  assert.equal(created.TableDescription.TableName, TableName);
  await ddb.send(new DeleteTableCommand({ TableName }));
});
