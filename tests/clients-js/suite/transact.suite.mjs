// Transactions: all or nothing, cancellation reasons in order, transactional reads.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, TransactGetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb, doc } = clients();
after(() => ddb.destroy());

test("a transfer between two accounts commits both sides", async () => {
  const TableName = await createTable(ddb, "transact", { sort: false });
  await doc.send(new PutCommand({ TableName, Item: { pk: "alice", balance: 100 } }));
  await doc.send(new PutCommand({ TableName, Item: { pk: "bob", balance: 0 } }));
  const move = (amount) => ({
    TransactItems: [
      { Update: { TableName, Key: { pk: "alice" }, UpdateExpression: "SET balance = balance - :a", ConditionExpression: "balance >= :a", ExpressionAttributeValues: { ":a": amount } } },
      { Update: { TableName, Key: { pk: "bob" }, UpdateExpression: "SET balance = balance + :a", ExpressionAttributeValues: { ":a": amount } } },
    ],
  });
  await doc.send(new TransactWriteCommand(move(60)));
  await assert.rejects(doc.send(new TransactWriteCommand(move(60))), (error) => {
    assert.ok(error instanceof TransactionCanceledException, error.name);
    assert.deepEqual(error.CancellationReasons.map((r) => r.Code), ["ConditionalCheckFailed", "None"]);
    return true;
  });
  const { Responses } = await doc.send(
    new TransactGetCommand({ TransactItems: [{ Get: { TableName, Key: { pk: "alice" } } }, { Get: { TableName, Key: { pk: "bob" } } }] }),
  );
  assert.deepEqual(Responses.map((r) => r.Item.balance), [40, 60]);
});

test("a condition check on another item guards a put", async () => {
  const TableName = await createTable(ddb, "transact", { sort: false });
  const guarded = {
    TransactItems: [
      { ConditionCheck: { TableName, Key: { pk: "flag" }, ConditionExpression: "attribute_exists(pk)" } },
      { Put: { TableName, Item: { pk: "payload" } } },
    ],
  };
  await assert.rejects(doc.send(new TransactWriteCommand(guarded)), TransactionCanceledException);
  assert.equal((await doc.send(new GetCommand({ TableName, Key: { pk: "payload" } }))).Item, undefined);
  await doc.send(new PutCommand({ TableName, Item: { pk: "flag" } }));
  await doc.send(new TransactWriteCommand(guarded));
  assert.ok((await doc.send(new GetCommand({ TableName, Key: { pk: "payload" } }))).Item);
});
