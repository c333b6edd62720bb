// The SDK's paginators over small pages, for Query and Scan.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { paginateQuery, paginateScan } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb, doc } = clients();
let TableName;

before(async () => {
  TableName = await createTable(ddb, "pagination");
  for (let start = 0; start < 75; start += 25) {
    const puts = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: "p", sk: start + i, pad: "x".repeat(100) } } }));
    await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: puts } }));
  }
});
after(() => ddb.destroy());

test("paginateQuery reads every item in key order", async () => {
  const keys = [];
  let pages = 0;
  const request = { TableName, KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "p" } }, Limit: 10 };
  for await (const page of paginateQuery({ client: ddb }, request)) {
    pages += 1;
    keys.push(...page.Items.map((i) => Number(i.sk.N)));
  }
  assert.deepEqual(keys, Array.from({ length: 75 }, (_, i) => i));
  assert.ok(pages >= 8, `${pages} pages`);
});

test("paginateScan with a page size", async () => {
  let count = 0;
  let pages = 0;
  for await (const page of paginateScan({ client: ddb, pageSize: 20 }, { TableName })) {
    assert.ok(page.Count <= 20, `a page of ${page.Count}`);
    count += page.Count;
    pages += 1;
  }
  assert.equal(count, 75);
  assert.ok(pages >= 4, `${pages} pages`);
});
