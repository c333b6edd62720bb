// Scans: filters, COUNT, and parallel segments that together see every item once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BatchWriteCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb, doc } = clients();
let TableName;

before(async () => {
  TableName = await createTable(ddb, "scan", { sort: false });
  for (let start = 0; start < 60; start += 20) {
    const puts = Array.from({ length: 20 }, (_, i) => ({ PutRequest: { Item: { pk: `item-${start + i}`, n: start + i } } }));
    await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: puts } }));
  }
});
after(() => ddb.destroy());

test("a filtered scan", async () => {
  const { Items, ScannedCount } = await doc.send(
    new ScanCommand({ TableName, FilterExpression: "n >= :min AND begins_with(pk, :p)", ExpressionAttributeValues: { ":min": 55, ":p": "item-" } }),
  );
  assert.equal(ScannedCount, 60);
  assert.deepEqual(Items.map((i) => i.n).sort((a, b) => a - b), [55, 56, 57, 58, 59]);
});

test("four segments in parallel cover the table exactly", async () => {
  const segments = await Promise.all(
    [0, 1, 2, 3].map((Segment) => doc.send(new ScanCommand({ TableName, Segment, TotalSegments: 4 }))),
  );
  for (const segment of segments) assert.ok(segment.Items.length > 0, "an empty segment");
  const all = segments.flatMap((s) => s.Items.map((i) => i.n)).sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 60 }, (_, i) => i));
});
