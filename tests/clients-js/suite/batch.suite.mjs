// Batch writes of 25 and batch gets across two tables.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { BatchGetCommand, BatchWriteCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb, doc } = clients();
after(() => ddb.destroy());

test("put 100 items 25 at a time, delete some, read the rest back", async () => {
  const TableName = await createTable(ddb, "batch");
  for (let start = 0; start < 100; start += 25) {
    const puts = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: "p", sk: start + i } } }));
    const { UnprocessedItems } = await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: puts } }));
    assert.deepEqual(UnprocessedItems, {});
  }
  const deletes = Array.from({ length: 10 }, (_, i) => ({ DeleteRequest: { Key: { pk: "p", sk: i } } }));
  await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: deletes } }));
  const { Count } = await doc.send(new ScanCommand({ TableName, Select: "COUNT" }));
  assert.equal(Count, 90);
});

test("batch get from two tables, with a missing key", async () => {
  const [first, second] = [await createTable(ddb, "batch"), await createTable(ddb, "batch", { sort: false })];
  await doc.send(
    new BatchWriteCommand({
      RequestItems: {
        [first]: [{ PutRequest: { Item: { pk: "a", sk: 1, v: 1 } } }],
        [second]: [{ PutRequest: { Item: { pk: "b", v: 2 } } }],
      },
    }),
  );
  const { Responses, UnprocessedKeys } = await doc.send(
    new BatchGetCommand({
      RequestItems: {
        [first]: { Keys: [{ pk: "a", sk: 1 }, { pk: "zz", sk: 9 }] },
        [second]: { Keys: [{ pk: "b" }], ProjectionExpression: "v" },
      },
    }),
  );
  assert.deepEqual(Responses[first], [{ pk: "a", sk: 1, v: 1 }]);
  assert.deepEqual(Responses[second], [{ v: 2 }]);
  assert.deepEqual(UnprocessedKeys, {});
});
