// The AWS SDK for JavaScript v3 against `statebox serve`: the low-level client, the document
// client (marshalling, big numbers), paginators, waiters, typed errors, transactions,
// PartiQL and DynamoDB Streams, used as an application would use them.
//
// Run by `cargo xtask test`; by hand: STATEBOX_BIN=target/debug/statebox node --test tests/clients-js/

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  GetItemCommand,
  ListTablesCommand,
  paginateQuery,
  paginateScan,
  PutItemCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
  UpdateTableCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  NumberValue,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { clientConfig, startServer, unique } from "./server.mjs";

let server;
let ddb;
let doc;

before(async () => {
  server = await startServer();
  ddb = new DynamoDBClient(clientConfig(server.url));
  doc = DynamoDBDocumentClient.from(ddb, {
    marshallOptions: { removeUndefinedValues: true },
    unmarshallOptions: { wrapNumbers: true },
  });
});

after(() => {
  ddb?.destroy();
  server?.stop();
});

/** Creates a pay-per-request table keyed by pk (S) and, if given, sk (N). */
async function createTable(extra = {}, withSort = true) {
  const name = unique();
  const keys = [{ AttributeName: "pk", KeyType: "HASH" }];
  const attrs = [{ AttributeName: "pk", AttributeType: "S" }];
  if (withSort) {
    keys.push({ AttributeName: "sk", KeyType: "RANGE" });
    attrs.push({ AttributeName: "sk", AttributeType: "N" });
  }
  await ddb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: keys,
      AttributeDefinitions: attrs,
      BillingMode: "PAY_PER_REQUEST",
      ...extra,
    }),
  );
  await waitUntilTableExists({ client: ddb, maxWaitTime: 30 }, { TableName: name });
  return name;
}

test("create, describe and list tables", async () => {
  const name = await createTable();
  const described = await ddb.send(new DescribeTableCommand({ TableName: name }));
  assert.equal(described.Table.TableStatus, "ACTIVE");
  assert.equal(described.Table.ItemCount, 0);
  assert.deepEqual(
    described.Table.KeySchema.map((k) => k.KeyType),
    ["HASH", "RANGE"],
  );
  const listed = await ddb.send(new ListTablesCommand({}));
  assert.ok(listed.TableNames.includes(name));
  assert.equal(described.$metadata.httpStatusCode, 200);
});

test("document client round-trips every type, with exact big numbers", async () => {
  const TableName = await createTable();
  const item = {
    pk: "a",
    sk: 1,
    text: "héllo",
    flag: true,
    nothing: null,
    list: [1, "two", { three: 3 }],
    map: { nested: { deep: "yes" } },
    strings: new Set(["x", "y"]),
    numbers: new Set([1, 2]),
    bytes: new Uint8Array([0, 1, 255]),
    big: NumberValue.from("12345678901234567890123456789012345678"),
  };
  await doc.send(new PutCommand({ TableName, Item: item }));
  const { Item } = await doc.send(new GetCommand({ TableName, Key: { pk: "a", sk: 1 } }));
  assert.equal(Item.text, "héllo");
  assert.equal(Item.flag, true);
  assert.equal(Item.nothing, null);
  assert.equal(Item.big.toString(), "12345678901234567890123456789012345678");
  assert.deepEqual([...Item.strings].sort(), ["x", "y"]);
  assert.deepEqual(
    [...Item.numbers].map((n) => n.toString()).sort(),
    ["1", "2"],
  );
  assert.deepEqual([...Item.bytes], [0, 1, 255]);
  assert.equal(Item.map.nested.deep, "yes");
  assert.equal(Item.list[1], "two");
});

test("update expressions return the new values", async () => {
  const TableName = await createTable();
  await doc.send(new PutCommand({ TableName, Item: { pk: "u", sk: 1, count: 1, tags: ["a"] } }));
  const updated = await doc.send(
    new UpdateCommand({
      TableName,
      Key: { pk: "u", sk: 1 },
      UpdateExpression: "SET #c = #c + :one, tags = list_append(tags, :more) REMOVE gone ADD seen :s",
      ExpressionAttributeNames: { "#c": "count" },
      ExpressionAttributeValues: { ":one": 1, ":more": ["b"], ":s": new Set(["x"]) },
      ReturnValues: "ALL_NEW",
    }),
  );
  assert.equal(updated.Attributes.count.toString(), "2");
  assert.deepEqual(updated.Attributes.tags, ["a", "b"]);
  assert.deepEqual([...updated.Attributes.seen], ["x"]);
});

test("a failed condition is a typed error carrying the old item", async () => {
  const TableName = await createTable();
  await ddb.send(
    new PutItemCommand({ TableName, Item: { pk: { S: "c" }, sk: { N: "1" }, v: { S: "old" } } }),
  );
  await assert.rejects(
    ddb.send(
      new PutItemCommand({
        TableName,
        Item: { pk: { S: "c" }, sk: { N: "1" } },
        ConditionExpression: "attribute_not_exists(pk)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    ),
    (error) => {
      assert.ok(error instanceof ConditionalCheckFailedException, error.name);
      assert.equal(error.message, "The conditional request failed");
      assert.equal(error.$metadata.httpStatusCode, 400);
      assert.deepEqual(error.Item.v, { S: "old" });
      return true;
    },
  );
});

test("missing tables and bad requests give AWS's errors", async () => {
  await assert.rejects(
    ddb.send(new GetItemCommand({ TableName: "no-such-table", Key: { pk: { S: "x" } } })),
    (error) => {
      assert.ok(error instanceof ResourceNotFoundException, error.name);
      assert.match(error.message, /^Requested resource not found/);
      return true;
    },
  );
  const TableName = await createTable();
  await assert.rejects(
    ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: "x" } } })),
    (error) => {
      assert.equal(error.name, "ValidationException");
      assert.equal(error.message, "The provided key element does not match the schema");
      return true;
    },
  );
  await assert.rejects(
    doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk: "x", sk: 1 },
        UpdateExpression: "SET a = ",
      }),
    ),
    (error) => {
      assert.equal(error.name, "ValidationException");
      assert.match(error.message, /^Invalid UpdateExpression: Syntax error; token: "<EOF>", near: /);
      return true;
    },
  );
});

test("batch writes, then paginated query and scan read every item", async () => {
  const TableName = await createTable();
  const total = 130;
  for (let start = 0; start < total; start += 25) {
    const requests = [];
    for (let i = start; i < Math.min(start + 25, total); i += 1) {
      requests.push({ PutRequest: { Item: { pk: "p", sk: i, n: i, pad: "x".repeat(200) } } });
    }
    const written = await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: requests } }));
    assert.deepEqual(written.UnprocessedItems, {});
  }
  const seen = [];
  for await (const page of paginateQuery(
    { client: ddb, pageSize: 40 },
    {
      TableName,
      KeyConditionExpression: "pk = :p AND sk >= :from",
      ExpressionAttributeValues: { ":p": { S: "p" }, ":from": { N: "10" } },
      ScanIndexForward: false,
    },
  )) {
    seen.push(...page.Items.map((item) => Number(item.sk.N)));
  }
  assert.equal(seen.length, total - 10);
  assert.equal(seen[0], total - 1);
  assert.equal(seen.at(-1), 10);
  let scanned = 0;
  let pages = 0;
  for await (const page of paginateScan({ client: ddb, pageSize: 50 }, { TableName })) {
    scanned += page.Count;
    pages += 1;
  }
  assert.equal(scanned, total);
  assert.ok(pages >= 3, `pages: ${pages}`);
  const counted = await doc.send(
    new QueryCommand({
      TableName,
      KeyConditionExpression: "pk = :p",
      FilterExpression: "n < :n",
      ExpressionAttributeValues: { ":p": "p", ":n": 5 },
      Select: "COUNT",
    }),
  );
  assert.equal(counted.Count, 5);
  assert.equal(counted.ScannedCount, total);
});

test("a cancelled transaction reports its reasons and changes nothing", async () => {
  const TableName = await createTable();
  await doc.send(new PutCommand({ TableName, Item: { pk: "t", sk: 1, n: 1 } }));
  await assert.rejects(
    doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: "t", sk: 2 } } },
          {
            ConditionCheck: {
              TableName,
              Key: { pk: "t", sk: 1 },
              ConditionExpression: "n = :two",
              ExpressionAttributeValues: { ":two": 2 },
            },
          },
        ],
      }),
    ),
    (error) => {
      assert.ok(error instanceof TransactionCanceledException, error.name);
      assert.deepEqual(
        error.CancellationReasons.map((r) => r.Code),
        ["None", "ConditionalCheckFailed"],
      );
      assert.match(error.message, /\[None, ConditionalCheckFailed\]$/);
      return true;
    },
  );
  const missing = await doc.send(new GetCommand({ TableName, Key: { pk: "t", sk: 2 } }));
  assert.equal(missing.Item, undefined);
});

test("PartiQL statements with parameters", async () => {
  const TableName = await createTable();
  await ddb.send(
    new ExecuteStatementCommand({
      Statement: `INSERT INTO "${TableName}" VALUE {'pk': ?, 'sk': ?, 'name': ?}`,
      Parameters: [{ S: "q" }, { N: "7" }, { S: "seven" }],
    }),
  );
  const selected = await ddb.send(
    new ExecuteStatementCommand({
      Statement: `SELECT name FROM "${TableName}" WHERE pk = ? AND sk = 7`,
      Parameters: [{ S: "q" }],
    }),
  );
  assert.deepEqual(selected.Items, [{ name: { S: "seven" } }]);
  await assert.rejects(
    ddb.send(
      new ExecuteStatementCommand({
        Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'q', 'sk': 7}`,
      }),
    ),
    (error) => {
      assert.equal(error.name, "DuplicateItemException");
      return true;
    },
  );
});

test("streams deliver the changes through the Streams client", async () => {
  const TableName = await createTable({}, false);
  await ddb.send(
    new UpdateTableCommand({
      TableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  await doc.send(new PutCommand({ TableName, Item: { pk: "s", v: 1 } }));
  await doc.send(new PutCommand({ TableName, Item: { pk: "s", v: 2 } }));
  const streams = new DynamoDBStreamsClient(clientConfig(server.url));
  try {
    const listed = await streams.send(new ListStreamsCommand({ TableName }));
    assert.equal(listed.Streams.length, 1);
    const { StreamArn } = listed.Streams[0];
    const described = await streams.send(new DescribeStreamCommand({ StreamArn }));
    const shard = described.StreamDescription.Shards[0];
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(
      Records.map((r) => r.eventName),
      ["INSERT", "MODIFY"],
    );
    assert.deepEqual(Records[1].dynamodb.OldImage.v, { N: "1" });
    assert.deepEqual(Records[1].dynamodb.NewImage.v, { N: "2" });
  } finally {
    streams.destroy();
  }
});
