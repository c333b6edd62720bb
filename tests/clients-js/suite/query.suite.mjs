// Queries: key conditions, order, limits and the last evaluated key.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BatchWriteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb, doc } = clients();
let TableName;

before(async () => {
  TableName = await createTable(ddb, "query");
  const items = Array.from({ length: 20 }, (_, i) => ({ pk: i < 15 ? "a" : "b", sk: i, even: i % 2 === 0 }));
  await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: items.slice(0, 20).map((Item) => ({ PutRequest: { Item } })) } }));
});
after(() => ddb.destroy());

test("between, descending", async () => {
  const { Items } = await doc.send(
    new QueryCommand({
      TableName,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :lo AND :hi",
      ExpressionAttributeValues: { ":pk": "a", ":lo": 3, ":hi": 6 },
      ScanIndexForward: false,
    }),
  );
  assert.deepEqual(Items.map((i) => i.sk), [6, 5, 4, 3]);
});

test("limit and exclusive start key walk the partition", async () => {
  const seen = [];
  let ExclusiveStartKey;
  do {
    const page = await doc.send(
      new QueryCommand({ TableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": "a" }, Limit: 4, ExclusiveStartKey }),
    );
    seen.push(...page.Items.map((i) => i.sk));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  assert.deepEqual(seen, Array.from({ length: 15 }, (_, i) => i));
});

test("a filter counts what it read and what it kept", async () => {
  const page = await doc.send(
    new QueryCommand({
      TableName,
      KeyConditionExpression: "pk = :pk",
      FilterExpression: "even = :t",
      ExpressionAttributeValues: { ":pk": "b", ":t": true },
    }),
  );
  assert.equal(page.ScannedCount, 5);
  assert.deepEqual(page.Items.map((i) => i.sk), [16, 18]);
});
