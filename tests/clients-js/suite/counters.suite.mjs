// Many concurrent atomic increments from one client: none is lost.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb, doc } = clients();
after(() => ddb.destroy());

test("100 concurrent ADDs to one counter", async () => {
  const TableName = await createTable(ddb, "counters", { sort: false });
  const Key = { pk: "hits" };
  await Promise.all(
    Array.from({ length: 100 }, () =>
      doc.send(new UpdateCommand({ TableName, Key, UpdateExpression: "ADD hits :one", ExpressionAttributeValues: { ":one": 1 } })),
    ),
  );
  assert.equal((await doc.send(new GetCommand({ TableName, Key }))).Item.hits, 100);
});

test("concurrent conditional claims: exactly one wins", async () => {
  const TableName = await createTable(ddb, "counters", { sort: false });
  const claims = await Promise.allSettled(
    Array.from({ length: 20 }, (_, worker) =>
      doc.send(
        new UpdateCommand({
          TableName,
          Key: { pk: "job" },
          UpdateExpression: "SET #owner = :me",
          ConditionExpression: "attribute_not_exists(#owner)",
          ExpressionAttributeNames: { "#owner": "owner" },
          ExpressionAttributeValues: { ":me": worker },
        }),
      ),
    ),
  );
  assert.equal(claims.filter((c) => c.status === "fulfilled").length, 1);
  for (const c of claims.filter((c) => c.status === "rejected")) assert.equal(c.reason.name, "ConditionalCheckFailedException");
});
