// The embedded engine in wasm (Node): the workload of the server crate's `engine_bench`
// example through the JS API's `Workspace.dynamodb(operation, requestJson)`: N PutItem,
// N GetItem, a Query and a Scan of all N items (every page), N items by BatchWriteItem (25
// per call). Prints one line per operation in engine_bench's format, prefixed "wasm".
// usage: node engine.mjs <pkg-dir> [n]
import { createRequire } from "node:module";
import path from "node:path";

const [pkgDir, nText] = process.argv.slice(2);
const n = Number(nText || 10000);
const require = createRequire(path.join(pkgDir, "x.js"));
const { Workspace } = require(path.join(pkgDir, "statebox_wasm.js"));
const ws = new Workspace();
const call = (operation, request) => JSON.parse(ws.dynamodb(operation, JSON.stringify(request)));
const pad = (text, width) => text.padEnd(width);

for (const table of ["bench", "batch"]) {
  call("CreateTable", {
    TableName: table,
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
    BillingMode: "PAY_PER_REQUEST",
  });
}
const item = (i) => ({ pk: { S: "p" }, sk: { N: String(i) }, payload: { S: "twenty bytes of data" } });

function measure(operation, body) {
  const start = performance.now();
  const calls = Math.max(1, body());
  const seconds = (performance.now() - start) / 1000;
  console.log(`wasm   ${pad(operation, 14)} ${calls} calls: ${(calls / seconds).toFixed(0).padStart(9)} ops/s, ${((seconds * 1e6) / calls).toFixed(2).padStart(7)} us/op`);
}

measure("PutItem", () => {
  for (let i = 0; i < n; i++) call("PutItem", { TableName: "bench", Item: item(i) });
  return n;
});
measure("GetItem", () => {
  for (let i = 0; i < n; i++) call("GetItem", { TableName: "bench", Key: { pk: { S: "p" }, sk: { N: String(i) } } });
  return n;
});
for (const operation of ["Query", "Scan"]) {
  let request =
    operation === "Query"
      ? { TableName: "bench", KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "p" } } }
      : { TableName: "bench" };
  let pages = 0;
  let items = 0;
  const start = performance.now();
  for (;;) {
    const page = call(operation, request);
    pages += 1;
    items += page.Count;
    if (!page.LastEvaluatedKey) break;
    request = { ...request, ExclusiveStartKey: page.LastEvaluatedKey };
  }
  const ms = performance.now() - start;
  console.log(`wasm   ${pad(operation, 14)} ${items} items in ${pages} page(s): ${ms.toFixed(3).padStart(9)} ms`);
}
measure("BatchWriteItem", () => {
  let calls = 0;
  for (let start = 0; start < n; start += 25) {
    const puts = [];
    for (let i = start; i < Math.min(start + 25, n); i++) puts.push({ PutRequest: { Item: item(i) } });
    call("BatchWriteItem", { RequestItems: { batch: puts } });
    calls += 1;
  }
  return calls;
});
