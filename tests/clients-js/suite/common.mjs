// What every file of the parallel suite shares: its own clients aimed at $STATEBOX_URL (one
// server for all files, as a real suite runs) and tables no other file uses.

import { basename } from "node:path";
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** A low-level client and a document client of this file's own. */
export function clients() {
  const url = process.env.STATEBOX_URL;
  if (!url) throw new Error("set STATEBOX_URL to a running statebox serve");
  const ddb = new DynamoDBClient({
    endpoint: url,
    region: "eu-west-3",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
  return { ddb, doc: DynamoDBDocumentClient.from(ddb) };
}

let counter = 0;

/** Creates a table keyed by pk (S) and sk (N) unless `sort: false`; resolves to its name. */
export async function createTable(ddb, file, { sort = true, ...extra } = {}) {
  counter += 1;
  const TableName = `${basename(file, ".suite.mjs")}-${process.pid}-${counter}`;
  const KeySchema = [{ AttributeName: "pk", KeyType: "HASH" }];
  const attributes = [{ AttributeName: "pk", AttributeType: "S" }];
  if (sort) {
    KeySchema.push({ AttributeName: "sk", KeyType: "RANGE" });
    attributes.push({ AttributeName: "sk", AttributeType: "N" });
  }
  const { AttributeDefinitions = [], ...rest } = extra;
  await ddb.send(
    new CreateTableCommand({
      TableName,
      KeySchema,
      AttributeDefinitions: [...attributes, ...AttributeDefinitions],
      BillingMode: "PAY_PER_REQUEST",
      ...rest,
    }),
  );
  await waitUntilTableExists({ client: ddb, maxWaitTime: 30 }, { TableName });
  return TableName;
}
