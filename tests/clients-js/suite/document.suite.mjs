// The document client's marshalling: every JavaScript type there and back.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { clients, createTable } from "./common.mjs";

const { ddb, doc } = clients();
after(() => ddb.destroy());

test("nested maps, lists, sets, binary and null round-trip", async () => {
  const TableName = await createTable(ddb, "document");
  const Item = {
    pk: "d",
    sk: 0.5,
    profile: { name: "Zoë", langs: ["en", "fr"], address: { city: "Lyon", zip: null } },
    scores: new Set([1, 2.5, -3]),
    names: new Set(["x"]),
    blob: new Uint8Array([1, 2, 3]),
    active: false,
    empty: "",
  };
  await doc.send(new PutCommand({ TableName, Item }));
  const got = (await doc.send(new GetCommand({ TableName, Key: { pk: "d", sk: 0.5 } }))).Item;
  assert.deepEqual(got.profile, Item.profile);
  assert.deepEqual([...got.scores].sort((a, b) => a - b), [-3, 1, 2.5]);
  assert.deepEqual([...got.blob], [1, 2, 3]);
  assert.equal(got.active, false);
  assert.equal(got.empty, "");
  const raw = (await ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: "d" }, sk: { N: "0.5" } } }))).Item;
  assert.deepEqual(raw.profile.M.address.M.zip, { NULL: true });
  assert.deepEqual(raw.blob, { B: new Uint8Array([1, 2, 3]) });
});
