// A global secondary index: created with the table, kept up to date, queried.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb, doc } = clients();
after(() => ddb.destroy());

test("orders by customer through an index", async () => {
  const TableName = await createTable(ddb, "gsi", {
    sort: false,
    AttributeDefinitions: [
      { AttributeName: "customer", AttributeType: "S" },
      { AttributeName: "placed", AttributeType: "S" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: "by-customer",
        KeySchema: [
          { AttributeName: "customer", KeyType: "HASH" },
          { AttributeName: "placed", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  });
  const { Table } = await ddb.send(new DescribeTableCommand({ TableName }));
  assert.equal(Table.GlobalSecondaryIndexes[0].IndexStatus, "ACTIVE");
  for (const [pk, customer, placed] of [["o1", "ann", "2024-01"], ["o2", "ann", "2024-03"], ["o3", "bo", "2024-04"], ["o4", "ann", "2024-02"]]) {
    await doc.send(new PutCommand({ TableName, Item: { pk, customer, placed } }));
  }
  await doc.send(new UpdateCommand({ TableName, Key: { pk: "o3" }, UpdateExpression: "SET customer = :c", ExpressionAttributeValues: { ":c": "ann" } }));
  await doc.send(new DeleteCommand({ TableName, Key: { pk: "o1" } }));
  const { Items } = await doc.send(
    new QueryCommand({ TableName, IndexName: "by-customer", KeyConditionExpression: "customer = :c", ExpressionAttributeValues: { ":c": "ann" } }),
  );
  assert.deepEqual(Items.map((i) => i.pk), ["o4", "o2", "o3"]);
});
