// Every table and item action of the two connector documents (../shared/seeds/002 and 003:
// create, list, describe, delete table; scan; add, upsert, get, update, delete item, with
// condition expressions; query; a raw PartiQL request), done by clicking in the Tables panel.
import { test, expect } from "@playwright/test";
import { ready, showTable, makeTable, withWorkspace, itemRows, itemRow } from "./helpers.mjs";

const describe = async (page, name) =>
  JSON.parse(await withWorkspace(page, async (ws, name) => ws.dynamodb("DescribeTable", JSON.stringify({ TableName: name })), name)).Table;
const admin = (page) => page.getByRole("region", { name: "Table actions" });

test("create table with keys, indexes, billing, stream and TTL; list it; describe it", async ({ page }) => {
  await ready(page);
  await page.getByRole("tab", { name: "Tables" }).click();
  await admin(page).getByRole("button", { name: "New table" }).click();
  const a = admin(page);
  await a.getByLabel("Table name", { exact: true }).fill("Events");
  await a.getByLabel("Partition key name").fill("device");
  await a.getByLabel("Sort key name").fill("at");
  await a.getByLabel("Sort key type").selectOption("N");
  await a.getByLabel("Billing mode").selectOption("PROVISIONED");
  await a.getByLabel("Read capacity units").fill("7");
  await a.getByLabel("Stream", { exact: true }).selectOption("NEW_AND_OLD_IMAGES");
  await a.getByLabel("TTL attribute").fill("expires");
  await a.getByRole("button", { name: "Add global index" }).click();
  await a.getByLabel("Index 1 name").fill("byKind");
  await a.getByLabel("Index 1 partition key", { exact: true }).fill("kind");
  await a.getByLabel("Index 1 sort key", { exact: true }).fill("at");
  await a.getByLabel("Index 1 sort key type").selectOption("N");
  await a.getByLabel("Index 1 projection").selectOption("INCLUDE");
  await a.getByLabel("Index 1 included attributes").fill("level, message");
  await a.getByRole("button", { name: "Add local index" }).click();
  await a.getByLabel("Index 2 name").fill("byLevel");
  await a.getByLabel("Index 2 sort key", { exact: true }).fill("level");
  await a.getByLabel("Index 2 projection").selectOption("KEYS_ONLY");
  // The request, as the AWS CLI would send it, before it is sent.
  await a.getByText("CreateTable request").click();
  await a.getByRole("button", { name: "AWS CLI" }).click();
  await expect(a.getByLabel("Request", { exact: true })).toContainText("aws dynamodb create-table");
  await a.getByRole("button", { name: "Create table" }).click();

  // Listed, shown, and as asked.
  await expect(page.locator('[data-table="Events"]')).toBeVisible();
  await expect(page.locator('[data-table="Events"]')).toHaveAttribute("aria-pressed", "true");
  const t = await describe(page, "Events");
  expect(t.KeySchema).toEqual([{ AttributeName: "device", KeyType: "HASH" }, { AttributeName: "at", KeyType: "RANGE" }]);
  expect(t.ProvisionedThroughput.ReadCapacityUnits).toBe(7);
  expect(t.StreamSpecification.StreamViewType).toBe("NEW_AND_OLD_IMAGES");
  expect(t.GlobalSecondaryIndexes[0].Projection).toEqual({ ProjectionType: "INCLUDE", NonKeyAttributes: ["level", "message"] });
  expect(t.LocalSecondaryIndexes[0].IndexName).toBe("byLevel");
  const ttl = JSON.parse(await withWorkspace(page, async (ws) => ws.dynamodb("DescribeTimeToLive", JSON.stringify({ TableName: "Events" }))));
  expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: "expires", TimeToLiveStatus: "ENABLED" });

  // Describe: a summary and the JSON.
  await admin(page).getByRole("button", { name: "Describe" }).click();
  await expect(admin(page).locator("dl.summary")).toContainText("device (partition), at (sort)");
  await expect(admin(page).locator("dl.summary")).toContainText("Global index byKind");
  await expect(admin(page).locator("dl.summary")).toContainText("Local index byLevel");
  await expect(admin(page).locator("dl.summary")).toContainText("ENABLED on expires");
  await admin(page).getByText("DescribeTable JSON").click();
  await expect(admin(page).getByLabel("DescribeTable")).toContainText('"TableName": "Events"');

  // The query builder offers the indexes.
  await page.getByLabel("Operation").selectOption("Query");
  await page.getByLabel("Table or index").selectOption("byKind");
  await expect(page.getByLabel("Partition key kind")).toBeVisible();
});

test("update a table: add and delete a global index, turn TTL on and off", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Users", [{ pk: { S: "u1" }, email: { S: "a@b.c" } }]);
  await showTable(page, "Users");
  await admin(page).getByRole("button", { name: "Indexes" }).click();
  await admin(page).getByLabel("New index name").fill("byEmail");
  await admin(page).getByLabel("New index partition key", { exact: true }).fill("email");
  await admin(page).getByRole("button", { name: "Add index" }).click();
  await expect.poll(async () => (await describe(page, "Users")).GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(["byEmail"]);
  // The builder can query the new index at once.
  await page.getByLabel("Operation").selectOption("Query");
  await page.getByLabel("Table or index").selectOption("byEmail");
  await page.getByLabel("Partition key email").fill("a@b.c");
  await page.getByRole("button", { name: "Query", exact: true }).click();
  await expect(itemRows(page)).toHaveCount(1);

  await admin(page).getByRole("button", { name: "Indexes" }).click();
  page.once("dialog", (d) => d.accept());
  await admin(page).getByRole("button", { name: "Delete index byEmail" }).click();
  await expect.poll(async () => (await describe(page, "Users")).GlobalSecondaryIndexes ?? []).toEqual([]);

  await admin(page).getByRole("button", { name: "Time to live" }).click();
  await admin(page).getByLabel("TTL attribute").fill("expiresAt");
  await admin(page).getByRole("button", { name: "Turn on TTL" }).click();
  const ttl = async () => JSON.parse(await withWorkspace(page, async (ws) => ws.dynamodb("DescribeTimeToLive", JSON.stringify({ TableName: "Users" })))).TimeToLiveDescription.TimeToLiveStatus;
  await expect.poll(ttl).toBe("ENABLED");
  await admin(page).getByRole("button", { name: "Time to live" }).click();
  await expect(admin(page).locator("[data-ttl-status]")).toContainText("ENABLED on expiresAt");
  await admin(page).getByRole("button", { name: "Turn off TTL" }).click();
  await expect.poll(ttl).toBe("DISABLED");
});

test("delete a table only after typing its name", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Scratch", [{ pk: { S: "x" } }]);
  await showTable(page, "Scratch");
  await admin(page).getByRole("button", { name: "Delete…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete table" });
  await expect(dialog.getByRole("button", { name: "Delete table Scratch" })).toBeDisabled();
  await dialog.getByLabel("Table name to delete").fill("Scratc");
  await expect(dialog.getByRole("button", { name: "Delete table Scratch" })).toBeDisabled();
  await dialog.getByLabel("Table name to delete").fill("Scratch");
  await dialog.getByRole("button", { name: "Delete table Scratch" }).click();
  await expect(page.locator('[data-table="Scratch"]')).toHaveCount(0);
  await expect(page.locator('[data-table="Orders"]')).toBeVisible();
});

test("add, upsert, get, update and delete items, with condition expressions", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Stock", [{ pk: { S: "apple" }, sk: { N: "1" }, qty: { N: "5" } }], { range: true });
  await showTable(page, "Stock");
  const editor = page.getByRole("dialog", { name: "Item editor" });

  // Add item only if absent: the second add of the same key fails at the condition.
  await page.getByRole("button", { name: "Create item" }).click();
  await editor.getByLabel("Value of pk").fill("pear");
  await editor.getByLabel("Value of sk").fill("2");
  await editor.getByText(/^Condition \(optional\)/).click();
  await editor.getByLabel("Condition expression").fill("attribute_not_exists(pk)");
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(itemRow(page, { pk: { S: "pear" }, sk: { N: "2" } })).toHaveCount(1);
  await page.getByRole("button", { name: "Create item" }).click();
  await editor.getByLabel("Value of pk").fill("pear");
  await editor.getByLabel("Value of sk").fill("2");
  await editor.getByText(/^Condition \(optional\)/).click();
  await editor.getByLabel("Condition expression").fill("attribute_not_exists(pk)");
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(editor.getByRole("alert")).toContainText("ConditionalCheckFailedException");
  await editor.getByRole("button", { name: "Cancel" }).click();

  // Get item by its key (a query on the full key).
  await page.getByLabel("Operation").selectOption("Query");
  await page.getByLabel("Partition key pk").fill("apple");
  await page.getByLabel("Sort key sk", { exact: true }).fill("1");
  await page.getByRole("button", { name: "Query", exact: true }).click();
  await expect(itemRows(page)).toHaveCount(1);

  // Update (upsert) with a condition on the current value.
  await itemRow(page, { pk: { S: "apple" }, sk: { N: "1" } }).getByRole("button").click();
  await editor.getByLabel("Value of qty").fill("4");
  await editor.getByText(/^Condition \(optional\)/).click();
  await editor.getByLabel("Condition expression").fill("qty = :old");
  await editor.getByLabel("Condition values").fill('{":old": {"N": "5"}}');
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(editor).toHaveCount(0);
  await expect(itemRow(page, { pk: { S: "apple" }, sk: { N: "1" } })).toContainText("4");

  // Delete with a condition that does not hold, then without.
  await itemRow(page, { pk: { S: "apple" }, sk: { N: "1" } }).getByRole("button").click();
  await editor.getByText(/^Condition \(optional\)/).click();
  await editor.getByLabel("Condition expression").fill("qty > :n");
  await editor.getByLabel("Condition values").fill('{":n": {"N": "100"}}');
  await editor.getByRole("button", { name: "Delete item" }).click();
  await expect(editor.getByRole("alert")).toContainText("ConditionalCheckFailedException");
  await editor.getByLabel("Condition expression").fill("");
  await editor.getByRole("button", { name: "Delete item" }).click();
  await expect(itemRows(page)).toHaveCount(0);
  await expect(page.locator('[data-table="Stock"]')).toContainText("(1)");
});

test("scan a table and send a raw PartiQL request", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Notes", [{ pk: { S: "n1" }, text: { S: "hello" } }, { pk: { S: "n2" }, text: { S: "bye" } }]);
  await showTable(page, "Notes");
  await page.getByRole("button", { name: "Scan", exact: true }).click();
  await expect(itemRows(page)).toHaveCount(2);
  await page.getByRole("textbox", { name: "PartiQL statement" }).fill(`UPDATE "Notes" SET text = ? WHERE pk = ?`);
  await page.getByLabel("Statement parameters").fill(`[{"S": "edited"}, {"S": "n2"}]`);
  await page.getByRole("button", { name: "Run statement" }).click();
  await expect(itemRow(page, { pk: { S: "n2" } })).toContainText("edited");
  await page.getByRole("textbox", { name: "PartiQL statement" }).fill(`DELETE FROM "Notes" WHERE pk = 'n1'`);
  await page.getByLabel("Statement parameters").fill("");
  await page.getByRole("button", { name: "Run statement" }).click();
  await expect(itemRows(page)).toHaveCount(1);
});
