// Conditional writes: typed failures, the old item on request, nothing changed.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb, doc } = clients();
after(() => ddb.destroy());

test("put if absent succeeds once, then fails with the old item", async () => {
  const TableName = await createTable(ddb, "conditions");
  const put = (v) =>
    doc.send(
      new PutCommand({
        TableName,
        Item: { pk: "k", sk: 1, v },
        ConditionExpression: "attribute_not_exists(pk)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
  await put("first");
  await assert.rejects(put("second"), (error) => {
    assert.ok(error instanceof ConditionalCheckFailedException, error.name);
    assert.equal(error.message, "The conditional request failed");
    assert.deepEqual(error.Item.v, { S: "first" });
    return true;
  });
  assert.equal((await doc.send(new GetCommand({ TableName, Key: { pk: "k", sk: 1 } }))).Item.v, "first");
});

test("optimistic locking on a version number", async () => {
  const TableName = await createTable(ddb, "conditions");
  const Key = { pk: "doc", sk: 1 };
  await doc.send(new PutCommand({ TableName, Item: { ...Key, version: 1 } }));
  const bump = (expected) =>
    doc.send(
      new UpdateCommand({
        TableName,
        Key,
        UpdateExpression: "SET version = :next",
        ConditionExpression: "version = :expected",
        ExpressionAttributeValues: { ":expected": expected, ":next": expected + 1 },
      }),
    );
  await bump(1);
  await assert.rejects(bump(1), ConditionalCheckFailedException);
  await assert.rejects(
    doc.send(new DeleteCommand({ TableName, Key, ConditionExpression: "version = :v", ExpressionAttributeValues: { ":v": 7 } })),
    ConditionalCheckFailedException,
  );
  assert.equal((await doc.send(new GetCommand({ TableName, Key }))).Item.version, 2);
});
